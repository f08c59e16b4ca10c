package coding

import (
	"context"
	"errors"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// The analysis fixture: four short interviews, two coders, a codebook
// with a parent, two children and a code nobody used. Every expectation
// below is counted by hand from these texts.
//
//	A  participant P1, wave February
//	B  participant P1, wave September (a second interview with P1)
//	C  no participant attribute,  wave September
//	D  participant P2, no wave, no codings
var analysisDocs = []struct{ name, text string }{
	{"A.txt", "---\nparticipant: P1\nwave: February\n---\nInterviewer: Why did you leave?\nRespondent: They came for us. I was afraid. We left in March.\n"},
	{"B.txt", "---\nparticipant: P1\nwave: September\n---\nInterviewer: And now?\nRespondent: I am still afraid of the border. My brother got the summons.\n"},
	{"C.txt", "---\nwave: September\n---\nInterviewer: Tell me.\nRespondent: The summons came in September. I was afraid and left.\n"},
	{"D.txt", "---\nparticipant: P2\n---\nInterviewer: Hello.\nRespondent: Hello to you.\n"},
}

// The codings, numbered as in the comments of the tests.
var analysisCodings = []struct{ doc, code, coder, match string }{
	{"A", "Fear", "anna", "I was afraid."},                                   // 1
	{"A", "Fear", "boris", "was afraid. We left"},                            // 2
	{"A", "Reasons/Persecution", "anna", "They came for us. I was afraid"},   // 3
	{"B", "Fear", "anna", "I am still afraid of the border."},                // 4
	{"B", "Reasons/Mobilization", "anna", "My brother got the summons."},     // 5
	{"C", "Reasons/Mobilization", "boris", "The summons came in September."}, // 6
	{"C", "Fear", "boris", "I was afraid and left."},                         // 7
}

func analysisProject(t *testing.T) *Store {
	t.Helper()
	ctx := context.Background()
	s := newProject(t, "anna")
	for _, d := range analysisDocs {
		importText(t, s, d.name, d.text)
	}
	for _, c := range []string{"Fear", "Reasons/Persecution", "Reasons/Mobilization", "Unused"} {
		if _, _, err := s.AddCode(ctx, NewCode{Path: c}); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range analysisCodings {
		spans := MatchSpans(mustText(t, s, c.doc), c.match)
		if len(spans) != 1 {
			t.Fatalf("%q occurs %d times in %s", c.match, len(spans), c.doc)
		}
		if _, _, err := s.WithCoder(c.coder).Tag(ctx, TagRequest{Doc: c.doc, Code: c.code, Spans: spans}); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func TestStats(t *testing.T) {
	t.Parallel()
	s := analysisProject(t)
	got, err := s.Stats(context.Background(), StatsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, st := range got {
		paths = append(paths, st.Code)
	}
	if want := []string{"Fear", "Reasons", "Reasons/Mobilization", "Reasons/Persecution", "Unused"}; !reflect.DeepEqual(paths, want) {
		t.Fatalf("Stats codes = %q, want %q (tree order, unused codes too)", paths, want)
	}
	by := map[string]CodeStats{}
	for _, st := range got {
		by[st.Code] = st
	}
	tests := []struct {
		code      string
		own, with Counts
	}{
		// Fear: codings 1, 2, 4, 7 in A, B, C; participants P1 (A, B)
		// and C. Words: A "I was afraid. We left" (1 and 2 overlap,
		// counted once) 5, B 7, C 5.
		{"Fear", Counts{4, 3, 2, 17}, Counts{4, 3, 2, 17}},
		// Reasons has no codings of its own; with its children: 3, 5, 6
		// in A, B, C; words 7 + 5 + 5.
		{"Reasons", Counts{}, Counts{3, 3, 2, 17}},
		// Mobilization: 5 in B (P1), 6 in C; words 5 + 5.
		{"Reasons/Mobilization", Counts{2, 2, 2, 10}, Counts{2, 2, 2, 10}},
		{"Reasons/Persecution", Counts{1, 1, 1, 7}, Counts{1, 1, 1, 7}},
		{"Unused", Counts{}, Counts{}},
	}
	for _, tt := range tests {
		st := by[tt.code]
		if st.Own != tt.own || st.WithSubcodes != tt.with {
			t.Errorf("Stats %s: own %+v, with sub-codes %+v; want %+v, %+v", tt.code, st.Own, st.WithSubcodes, tt.own, tt.with)
		}
	}
	// Fear by coder: anna 1 and 4 (A, B: one participant), words 3 + 7;
	// boris 2 and 7 (A, C), words 4 + 5.
	wantFear := []CoderCounts{
		{"anna", Counts{2, 2, 1, 10}, Counts{2, 2, 1, 10}},
		{"boris", Counts{2, 2, 2, 9}, Counts{2, 2, 2, 9}},
	}
	if !reflect.DeepEqual(by["Fear"].ByCoder, wantFear) {
		t.Errorf("Stats Fear by coder = %+v, want %+v", by["Fear"].ByCoder, wantFear)
	}
	// Reasons by coder, all through its children: anna 3, 5; boris 6.
	wantReasons := []CoderCounts{
		{"anna", Counts{}, Counts{2, 2, 1, 12}},
		{"boris", Counts{}, Counts{1, 1, 1, 5}},
	}
	if !reflect.DeepEqual(by["Reasons"].ByCoder, wantReasons) {
		t.Errorf("Stats Reasons by coder = %+v, want %+v", by["Reasons"].ByCoder, wantReasons)
	}
	if len(by["Unused"].ByCoder) != 0 {
		t.Errorf("Stats Unused by coder = %+v, want none", by["Unused"].ByCoder)
	}

	// The coder filter keeps one coder's codings.
	got, err = s.Stats(context.Background(), StatsOptions{Coder: "boris"})
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Own != (Counts{2, 2, 2, 9}) || len(got[0].ByCoder) != 1 || got[0].ByCoder[0].Coder != "boris" {
		t.Errorf("Stats(boris) Fear = %+v, want boris's counts only", got[0])
	}
}

// TestStatsTotal: all codes together count each coding, document,
// participant and word once.
//
//	codings 1–7: 7; documents A, B, C: 3; participants P1 (A, B) and C: 2
//	words: A, codings 1, 2, 3 together "They came for us. I was afraid.
//	  We left": 9; B "I am still afraid of the border." 7 + "My brother
//	  got the summons." 5; C "The summons came in September." 5 + "I was
//	  afraid and left." 5; 9 + 12 + 10 = 31
//	anna: 1, 3, 4, 5 in A, B (P1); words A "They came for us. I was
//	  afraid." 7 + B 12 = 19
//	boris: 2, 6, 7 in A (P1), C; words A "was afraid. We left" 4 + C 10
func TestStatsTotal(t *testing.T) {
	t.Parallel()
	s := analysisProject(t)
	ctx := context.Background()
	st, total, err := s.StatsWithTotal(ctx, StatsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := TotalStats{Counts: Counts{7, 3, 2, 31}, ByCoder: []CoderTotal{{"anna", Counts{4, 2, 1, 19}}, {"boris", Counts{3, 2, 2, 14}}}}
	if !reflect.DeepEqual(total, want) {
		t.Errorf("total = %+v, want %+v", total, want)
	}
	// The per-code lines are Stats' own.
	plain, err := s.Stats(ctx, StatsOptions{})
	if err != nil || !reflect.DeepEqual(st, plain) {
		t.Errorf("StatsWithTotal codes differ from Stats: %+v, %v", st, err)
	}
	// One coder: the total is that coder's.
	_, total, err = s.StatsWithTotal(ctx, StatsOptions{Coder: "boris"})
	if want := (TotalStats{Counts: Counts{3, 2, 2, 14}, ByCoder: []CoderTotal{{"boris", Counts{3, 2, 2, 14}}}}); err != nil || !reflect.DeepEqual(total, want) {
		t.Errorf("total for boris = %+v, %v; want %+v", total, err, want)
	}
}

// The own codings in Stats are those 'qcode codes' counts.
func TestStatsMatchesCodes(t *testing.T) {
	t.Parallel()
	s := analysisProject(t)
	ctx := context.Background()
	st, err := s.Stats(ctx, StatsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	codes, err := s.Codes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range codes {
		if st[i].Code != c.Path || st[i].Own.Codings != c.Codings || st[i].Own.Documents != c.Documents {
			t.Errorf("Stats %s = %+v, Codes says %d codings in %d documents", c.Path, st[i].Own, c.Codings, c.Documents)
		}
	}
}

func approx(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func checkTable(t *testing.T, name string, got *Table, rows, cols []string, cells [][]float64, rowTotals, colTotals []float64, total float64) {
	t.Helper()
	if !reflect.DeepEqual(got.Rows, rows) || !reflect.DeepEqual(got.Cols, cols) {
		t.Fatalf("%s: rows %q cols %q, want %q %q", name, got.Rows, got.Cols, rows, cols)
	}
	eq := func(a, b []float64) bool {
		if len(a) != len(b) {
			return false
		}
		for i := range a {
			if !approx(a[i], b[i]) {
				return false
			}
		}
		return true
	}
	for i := range cells {
		if !eq(got.Cells[i], cells[i]) {
			t.Errorf("%s: row %s = %v, want %v", name, rows[i], got.Cells[i], cells[i])
		}
	}
	if !eq(got.RowTotals, rowTotals) || !eq(got.ColTotals, colTotals) || !approx(got.Total, total) {
		t.Errorf("%s: totals rows %v cols %v all %v, want %v %v %v", name, got.RowTotals, got.ColTotals, got.Total, rowTotals, colTotals, total)
	}
}

var allRows = []string{"Fear", "Reasons", "Reasons/Mobilization", "Reasons/Persecution", "Unused"}

func TestMatrix(t *testing.T) {
	t.Parallel()
	s := analysisProject(t)
	ctx := context.Background()
	m, err := s.Matrix(ctx, MatrixOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Codings by document; D has none but is a column.
	checkTable(t, "codings × documents", m, allRows, []string{"A", "B", "C", "D"},
		[][]float64{{2, 1, 1, 0}, {0, 0, 0, 0}, {0, 1, 1, 0}, {1, 0, 0, 0}, {0, 0, 0, 0}},
		[]float64{4, 0, 2, 1, 0}, []float64{3, 2, 2, 0}, 7)
	if ids := m.CodingIDs(0, 0); len(ids) != 2 {
		t.Errorf("CodingIDs(Fear, A) = %v, want codings 1 and 2", ids)
	}

	// With sub-codes Reasons counts its children; the totals still
	// count each coding once.
	m, err = s.Matrix(ctx, MatrixOptions{Subcodes: true})
	if err != nil {
		t.Fatal(err)
	}
	checkTable(t, "with sub-codes", m, allRows, []string{"A", "B", "C", "D"},
		[][]float64{{2, 1, 1, 0}, {1, 1, 1, 0}, {0, 1, 1, 0}, {1, 0, 0, 0}, {0, 0, 0, 0}},
		[]float64{4, 3, 2, 1, 0}, []float64{3, 2, 2, 0}, 7)

	// By wave: February = A; September = B, C; (none) = D.
	m, err = s.Matrix(ctx, MatrixOptions{Cols: "attr:wave", Measure: MeasureDocuments})
	if err != nil {
		t.Fatal(err)
	}
	cols := []string{"February", "September", "(none)"}
	checkTable(t, "documents × wave", m, allRows, cols,
		[][]float64{{1, 2, 0}, {0, 0, 0}, {0, 2, 0}, {1, 0, 0}, {0, 0, 0}},
		[]float64{3, 0, 2, 1, 0}, []float64{1, 2, 0}, 3)
	// Participants: P1 gave interviews A (February) and B (September),
	// so Fear's row total is P1 and C, 2, not the row's sum, 3.
	m, err = s.Matrix(ctx, MatrixOptions{Cols: "attr:wave", Measure: MeasureParticipants})
	if err != nil {
		t.Fatal(err)
	}
	checkTable(t, "participants × wave", m, allRows, cols,
		[][]float64{{1, 2, 0}, {0, 0, 0}, {0, 2, 0}, {1, 0, 0}, {0, 0, 0}},
		[]float64{2, 0, 2, 1, 0}, []float64{1, 2, 0}, 2)
	m, err = s.Matrix(ctx, MatrixOptions{Cols: "attr:wave", Measure: MeasurePercent})
	if err != nil {
		t.Fatal(err)
	}
	// Percent of the column's documents: Fear is in 3 of the 4
	// documents (75%), Mobilization in both September ones and 2 of 4.
	checkTable(t, "percent × wave", m, allRows, cols,
		[][]float64{{100, 100, 0}, {0, 0, 0}, {0, 100, 0}, {100, 0, 0}, {0, 0, 0}},
		[]float64{75, 0, 50, 25, 0}, []float64{100, 100, 0}, 75)

	// Chosen rows, in the order given; one coder.
	m, err = s.Matrix(ctx, MatrixOptions{Codes: []string{"Unused", "Fear"}, Coder: "boris"})
	if err != nil {
		t.Fatal(err)
	}
	checkTable(t, "boris", m, []string{"Unused", "Fear"}, []string{"A", "B", "C", "D"},
		[][]float64{{0, 0, 0, 0}, {1, 0, 1, 0}}, []float64{0, 2}, []float64{1, 0, 1, 0}, 2)
}

func TestMatrixOldVersion(t *testing.T) {
	t.Parallel()
	s := analysisProject(t)
	ctx := context.Background()
	changed := strings.Replace(analysisDocs[0].text, "Why did you leave?", "Why did you leave Russia?", 1)
	if _, err := s.Import(ctx, ImportFile{Path: "A.txt", Data: []byte(changed)}); err != nil {
		t.Fatal(err)
	}
	// Only the current version counts: A is one column, whatever is left
	// on version 1. With AllVersions, version 1 has a column of its own
	// when it still carries codings, and only then.
	cur, err := s.Matrix(ctx, MatrixOptions{Codes: []string{"Fear"}})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"A", "B", "C", "D"}; !slices.Equal(cur.Cols, want) {
		t.Fatalf("current versions: cols %q, want %q", cur.Cols, want)
	}
	all, err := s.Matrix(ctx, MatrixOptions{Codes: []string{"Fear"}, AllVersions: true})
	if err != nil {
		t.Fatal(err)
	}
	if !all.AllVersions || cur.AllVersions {
		t.Errorf("Table.AllVersions = %v with, %v without AllVersions", all.AllVersions, cur.AllVersions)
	}
	var onV1 float64
	if len(all.Cols) == 5 {
		if all.Cols[0] != "A@1" || !slices.Equal(all.Cols[1:], cur.Cols) {
			t.Fatalf("all versions: cols %q, want A@1 then %q", all.Cols, cur.Cols)
		}
		onV1 = all.Cells[0][0]
		if onV1 == 0 {
			t.Errorf("all versions: column A@1 without codings")
		}
		if !slices.Equal(all.Cells[0][1:], cur.Cells[0]) {
			t.Errorf("all versions: row %v, want A@1 then the current row %v", all.Cells[0], cur.Cells[0])
		}
	} else if !slices.Equal(all.Cols, cur.Cols) {
		t.Fatalf("all versions: cols %q, want %q (version 1 has no codings left)", all.Cols, cur.Cols)
	}
	if all.Total != cur.Total+onV1 {
		t.Errorf("total %v with AllVersions, %v without, %v on version 1", all.Total, cur.Total, onV1)
	}
}

func TestCooc(t *testing.T) {
	t.Parallel()
	s := analysisProject(t)
	ctx := context.Background()
	codes := []string{"Fear", "Reasons/Persecution", "Reasons/Mobilization"}
	rows := []string{"Fear", "Reasons/Persecution", "Reasons/Mobilization"}
	// Overlap: Persecution (3) overlaps Fear's 1 and 2: two pairs. The
	// diagonal is each code's codings.
	c, err := s.Cooc(ctx, CoocOptions{Codes: codes})
	if err != nil {
		t.Fatal(err)
	}
	checkTable(t, "overlap", c, rows, rows,
		[][]float64{{4, 2, 0}, {2, 1, 0}, {0, 0, 2}}, []float64{2, 2, 0}, []float64{2, 2, 0}, 2)
	if c.Measure != MeasurePairs {
		t.Errorf("overlap measure = %q, want pairs", c.Measure)
	}
	// Jaccard over characters: both = "I was afraid"; Fear covers A "I
	// was afraid. We left", all of 4 and all of 7; Persecution all of 3.
	fear := float64(len("I was afraid. We left") + len("I am still afraid of the border.") + len("I was afraid and left."))
	pers := float64(len("They came for us. I was afraid"))
	both := float64(len("I was afraid"))
	c, err = s.Cooc(ctx, CoocOptions{Codes: codes, Jaccard: true})
	if err != nil {
		t.Fatal(err)
	}
	checkTable(t, "overlap jaccard", c, rows, rows,
		[][]float64{{1, both / (fear + pers - both), 0}, {both / (fear + pers - both), 1, 0}, {0, 0, 1}}, nil, nil, 0)

	// Sentences: A's "I was afraid." holds Fear and Persecution; the
	// other codings keep to sentences of their own. Fear touches A's
	// third and fourth sentences, one in B and one in C: 4.
	c, err = s.Cooc(ctx, CoocOptions{Codes: codes, Within: WithinSentence})
	if err != nil {
		t.Fatal(err)
	}
	checkTable(t, "sentence", c, rows, rows,
		[][]float64{{4, 1, 0}, {1, 2, 0}, {0, 0, 2}}, []float64{1, 1, 0}, []float64{1, 1, 0}, 1)
	c, err = s.Cooc(ctx, CoocOptions{Codes: codes, Within: WithinSentence, Jaccard: true})
	if err != nil {
		t.Fatal(err)
	}
	checkTable(t, "sentence jaccard", c, rows, rows,
		[][]float64{{1, 0.2, 0}, {0.2, 1, 0}, {0, 0, 1}}, nil, nil, 0)

	// Turns: every coding is in its document's respondent turn: Fear in
	// 3 turns, Persecution 1 (with Fear), Mobilization 2 (both with Fear).
	c, err = s.Cooc(ctx, CoocOptions{Codes: codes, Within: WithinTurn})
	if err != nil {
		t.Fatal(err)
	}
	checkTable(t, "turn", c, rows, rows,
		[][]float64{{3, 1, 2}, {1, 1, 0}, {2, 0, 2}}, []float64{3, 1, 2}, []float64{3, 1, 2}, 3)
	c, err = s.Cooc(ctx, CoocOptions{Codes: codes, Within: WithinTurn, Jaccard: true})
	if err != nil {
		t.Fatal(err)
	}
	checkTable(t, "turn jaccard", c, rows, rows,
		[][]float64{{1, 1.0 / 3, 2.0 / 3}, {1.0 / 3, 1, 0}, {2.0 / 3, 0, 1}}, nil, nil, 0)

	// One coder: anna's Fear 1 overlaps her Persecution 3.
	c, err = s.Cooc(ctx, CoocOptions{Codes: codes, Coder: "anna"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Cells[0][1] != 1 || c.Cells[0][0] != 2 {
		t.Errorf("Cooc(anna) Fear × Persecution = %v, Fear = %v; want 1 and 2", c.Cells[0][1], c.Cells[0][0])
	}
}

func TestCellQuotes(t *testing.T) {
	t.Parallel()
	s := analysisProject(t)
	ctx := context.Background()
	c, err := s.Cooc(ctx, CoocOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Fear (row 0) × Persecution (row 3): codings 1, 2 and 3.
	qs, err := s.CellQuotes(ctx, c, 0, 3, QuoteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, q := range qs {
		texts = append(texts, q.Code+": "+q.Text)
	}
	want := []string{"Reasons/Persecution: They came for us. I was afraid", "Fear: I was afraid.", "Fear: was afraid. We left"}
	if !reflect.DeepEqual(texts, want) {
		t.Errorf("CellQuotes(Fear × Persecution) = %q, want %q", texts, want)
	}
	if qs, err := s.CellQuotes(ctx, c, 0, 4, QuoteOptions{}); err != nil || len(qs) != 0 {
		t.Errorf("CellQuotes(Fear × Unused) = %v, %v; want none", qs, err)
	}
	m, err := s.Matrix(ctx, MatrixOptions{Cols: "attr:wave"})
	if err != nil {
		t.Fatal(err)
	}
	// Mobilization in September: 5 and 6. The row total of Fear: 4
	// codings; the column total of September: 4, 5, 6, 7.
	cs, err := s.CellCodings(ctx, m, 2, 1)
	if err != nil || len(cs) != 2 || cs[0].Document != "B" || cs[1].Document != "C" {
		t.Errorf("CellCodings(Mobilization, September) = %+v, %v; want the codings in B and C", cs, err)
	}
	if n := len(m.CodingIDs(0, -1)); n != 4 {
		t.Errorf("CodingIDs(Fear, total) has %d codings, want 4", n)
	}
	if n := len(m.CodingIDs(-1, 1)); n != 4 {
		t.Errorf("CodingIDs(total, September) has %d codings, want 4", n)
	}
	if n := len(m.CodingIDs(-1, -1)); n != 7 {
		t.Errorf("CodingIDs(total, total) has %d codings, want 7", n)
	}
	if ids := m.CodingIDs(99, 0); ids != nil {
		t.Errorf("CodingIDs(out of range) = %v, want nil", ids)
	}
}

func TestAnalysisErrors(t *testing.T) {
	t.Parallel()
	s := analysisProject(t)
	ctx := context.Background()
	tests := []struct {
		name string
		run  func() error
		want []string
		is   error
	}{
		{"unknown attribute", func() error { _, err := s.Matrix(ctx, MatrixOptions{Cols: "attr:education"}); return err },
			[]string{`"education"`, "no document has it", "participant, wave"}, ErrNotFound},
		{"bad columns", func() error { _, err := s.Matrix(ctx, MatrixOptions{Cols: "people"}); return err },
			[]string{`"people"`, "documents or attr:KEY"}, ErrInvalid},
		{"empty attribute key", func() error { _, err := s.Matrix(ctx, MatrixOptions{Cols: "attr:"}); return err },
			[]string{`"attr:"`}, ErrInvalid},
		{"bad measure", func() error { _, err := s.Matrix(ctx, MatrixOptions{Measure: "words"}); return err },
			[]string{`"words"`, "codings, documents, participants or percent"}, ErrInvalid},
		{"bad within", func() error { _, err := s.Cooc(ctx, CoocOptions{Within: "paragraph"}); return err },
			[]string{`"paragraph"`, "overlap, sentence or turn"}, ErrInvalid},
		{"unknown coder", func() error { _, err := s.Stats(ctx, StatsOptions{Coder: "zoe"}); return err },
			[]string{`"zoe"`, "anna, boris"}, ErrNotFound},
		{"unknown code", func() error { _, err := s.Cooc(ctx, CoocOptions{Codes: []string{"Hope"}}); return err },
			[]string{`"Hope"`}, ErrNotFound},
	}
	for _, tt := range tests {
		err := tt.run()
		if err == nil || !errors.Is(err, tt.is) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.is)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: err = %q, want it to mention %s", tt.name, err, w)
			}
		}
	}
}

func TestAnalysisEmptyProject(t *testing.T) {
	t.Parallel()
	s := newProject(t, "anna")
	ctx := context.Background()
	st, err := s.Stats(ctx, StatsOptions{})
	if err != nil || len(st) != 0 {
		t.Errorf("Stats on an empty project = %v, %v; want nothing", st, err)
	}
	m, err := s.Matrix(ctx, MatrixOptions{})
	if err != nil || len(m.Rows) != 0 || len(m.Cols) != 0 || m.Total != 0 {
		t.Errorf("Matrix on an empty project = %+v, %v; want an empty table", m, err)
	}
	for _, w := range []string{WithinOverlap, WithinSentence, WithinTurn} {
		c, err := s.Cooc(ctx, CoocOptions{Within: w, Jaccard: true})
		if err != nil || len(c.Rows) != 0 {
			t.Errorf("Cooc(%s) on an empty project = %+v, %v; want an empty table", w, c, err)
		}
	}
}

func TestSentenceSpans(t *testing.T) {
	t.Parallel()
	text := "Interviewer: Why? Really?\nRespondent: Well… I left. Then 3.5 years\nlater, back.  \n\nEnd"
	turns := []Turn{{N: 1, Start: 0, Body: 13, End: 26}, {N: 2, Start: 26, Body: 38, End: 80}}
	var got []string
	runes := []rune(text)
	for _, sp := range SentenceSpans(text, turns) {
		got = append(got, string(runes[sp.Start:sp.End]))
	}
	// The labels are no sentence; a line break inside a turn does not end
	// one, a blank line does.
	want := []string{"Why?", "Really?", "Well…", "I left.", "Then 3.5 years\nlater, back.", "End"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("SentenceSpans = %q, want %q", got, want)
	}
}

func TestWordSpans(t *testing.T) {
	t.Parallel()
	text := "Я не знаю — don't ask, well-known 42 «ёлка»."
	var got []string
	runes := []rune(text)
	for _, sp := range WordSpans(text) {
		got = append(got, string(runes[sp.Start:sp.End]))
	}
	want := []string{"Я", "не", "знаю", "don't", "ask", "well-known", "42", "ёлка"}
	if !reflect.DeepEqual(got, want) || len(got) != countWords(text) {
		t.Errorf("WordSpans = %q, want %q (countWords %d)", got, want, countWords(text))
	}
	// wordsIn counts a word split between two spans once.
	ws := WordSpans("one twothree four")
	if n := wordsIn(ws, []Span{{0, 5}, {7, 9}}); n != 2 {
		t.Errorf("wordsIn = %d, want 2 (one, twothree)", n)
	}
}

// FuzzWordSpans checks WordSpans against countWords, the document word
// count, and that the spans are ordered words inside the text.
func FuzzWordSpans(f *testing.F) {
	for _, s := range []string{"", "a", "don't-", "'a' -b- c--d", "Я не знаю — don't", "x\u0301y", "a’b ’"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		ws := WordSpans(s)
		if len(ws) != countWords(s) {
			t.Fatalf("WordSpans(%q) has %d words, countWords %d", s, len(ws), countWords(s))
		}
		runes := []rune(s)
		prev := 0
		for _, w := range ws {
			if w.Start < prev || w.End <= w.Start || w.End > len(runes) {
				t.Fatalf("WordSpans(%q): bad span %v after %d", s, w, prev)
			}
			first, last := runes[w.Start], runes[w.End-1]
			if !unicode.IsLetter(first) && !unicode.IsDigit(first) || !unicode.IsLetter(last) && !unicode.IsDigit(last) {
				t.Fatalf("WordSpans(%q): span %v = %q does not start and end on a letter or digit", s, w, string(runes[w.Start:w.End]))
			}
			prev = w.End
		}
	})
}

// FuzzSentenceSpans checks that sentences are ordered, disjoint, inside
// the text and their turn, trimmed, and hold every non-space character.
func FuzzSentenceSpans(f *testing.F) {
	f.Add("A: Hi. There!\nB: Yes… no? ok", 0, 14)
	f.Add("  .  ", 1, 3)
	f.Add("Я. Ты.\n\nОн", 2, 100)
	f.Fuzz(func(t *testing.T, s string, a, b int) {
		if !utf8.ValidString(s) {
			return
		}
		runes := []rune(s)
		n := len(runes)
		var turns []Turn
		if n > 0 {
			a, b = abs(a)%(n+1), abs(b)%(n+1)
			if a > b {
				a, b = b, a
			}
			if a < b {
				turns = []Turn{{N: 1, Start: a, End: b}}
			}
		}
		spans := SentenceSpans(s, turns)
		covered := make([]bool, n)
		prev := 0
		for _, sp := range spans {
			if sp.Start < prev || sp.End <= sp.Start || sp.End > n {
				t.Fatalf("SentenceSpans(%q, %v): bad span %v after %d", s, turns, sp, prev)
			}
			if unicode.IsSpace(runes[sp.Start]) || unicode.IsSpace(runes[sp.End-1]) {
				t.Fatalf("SentenceSpans(%q): span %v is not trimmed", s, sp)
			}
			for _, tn := range turns {
				if sp.Start < tn.End && sp.End > tn.Start && (sp.Start < tn.Start || sp.End > tn.End) {
					t.Fatalf("SentenceSpans(%q): span %v crosses turn %v", s, sp, tn)
				}
			}
			for i := sp.Start; i < sp.End; i++ {
				covered[i] = true
			}
			prev = sp.End
		}
		for i, r := range runes {
			if !unicode.IsSpace(r) && !covered[i] {
				t.Fatalf("SentenceSpans(%q): character %d %q is in no sentence", s, i, r)
			}
		}
	})
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// Codings that meet end to start share no character: they do not
// overlap, and each touches only its own sentence, though they share
// the turn.
func TestCoocAdjacent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newProject(t, "anna")
	importText(t, s, "A.txt", analysisDocs[0].text)
	text := mustText(t, s, "A")
	// X is "I was afraid. " with its space, ending where Y, "We left
	// in March.", and its sentence begin.
	y := MatchSpans(text, "We left in March.")[0]
	x := Span{MatchSpans(text, "I was afraid.")[0].Start, y.Start}
	for code, sp := range map[string]Span{"X": x, "Y": y} {
		if _, _, err := s.Tag(ctx, TagRequest{Doc: "A", Code: code, Spans: []Span{sp}, Create: true}); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		within  string
		jaccard bool
		want    float64
	}{
		{WithinOverlap, false, 0}, {WithinOverlap, true, 0},
		{WithinSentence, false, 0}, {WithinSentence, true, 0},
		{WithinTurn, false, 1}, {WithinTurn, true, 1},
	} {
		c, err := s.Cooc(ctx, CoocOptions{Within: tt.within, Jaccard: tt.jaccard})
		if err != nil {
			t.Fatal(err)
		}
		if c.Cells[0][1] != tt.want || c.Cells[1][0] != tt.want {
			t.Errorf("Cooc(%s, jaccard %v) X × Y = %v, want %v", tt.within, tt.jaccard, c.Cells[0][1], tt.want)
		}
	}
}

// Attribute filters keep the documents that have the attributes, in every
// table alike: the codings on the others count nowhere.
func TestAnalysisByAttribute(t *testing.T) {
	t.Parallel()
	s := analysisProject(t)
	ctx := context.Background()
	sept := []string{"wave=september"} // values compare ignoring case

	m, err := s.Matrix(ctx, MatrixOptions{Attrs: sept})
	if err != nil {
		t.Fatal(err)
	}
	checkTable(t, "codings × September documents", m, allRows, []string{"B", "C"},
		[][]float64{{1, 1}, {0, 0}, {1, 1}, {0, 0}, {0, 0}},
		[]float64{2, 0, 2, 0, 0}, []float64{2, 2}, 4)

	st, total, err := s.StatsWithTotal(ctx, StatsOptions{Attrs: sept})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range st {
		want := map[string]int{"Fear": 2, "Reasons/Mobilization": 2}[c.Code]
		if c.Own.Codings != want {
			t.Errorf("stats in September: %s has %d codings, want %d", c.Code, c.Own.Codings, want)
		}
	}
	if total.Codings != 4 || total.Documents != 2 {
		t.Errorf("stats in September: total %d codings in %d documents, want 4 in 2", total.Codings, total.Documents)
	}

	co, err := s.Cooc(ctx, CoocOptions{Attrs: []string{"wave=February"}})
	if err != nil {
		t.Fatal(err)
	}
	// February is document A alone: Fear's two codings and Persecution's one.
	diag := map[string]float64{}
	for i, r := range co.Rows {
		diag[r] = co.Cells[i][i]
	}
	if diag["Fear"] != 2 || diag["Reasons/Persecution"] != 1 || diag["Reasons/Mobilization"] != 0 {
		t.Errorf("cooc in February: diagonal %v, want Fear 2, Persecution 1, Mobilization 0", diag)
	}

	if _, err := s.Matrix(ctx, MatrixOptions{Attrs: []string{"wave"}}); !errors.Is(err, ErrInvalid) {
		t.Errorf("a filter without = gave %v, want ErrInvalid", err)
	}
	m, err = s.Matrix(ctx, MatrixOptions{Attrs: []string{"wave=never"}})
	if err != nil || len(m.Cols) != 0 || m.Total != 0 {
		t.Errorf("no document with the attribute: %v cols, total %v, err %v; want an empty table", m.Cols, m.Total, err)
	}
}
