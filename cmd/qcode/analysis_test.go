package main

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func cellWidth(s string) int { return ansi.StringWidth(s) }

// checkGolden compares got with testdata/golden/name, or writes it there
// under -update (the flag of quotes_test.go).
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update to write it)", err, t.Name())
	}
	if got != string(want) {
		t.Errorf("output differs from %s (go test -update rewrites it):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// analysisDemo builds the demo project and adds a code nobody used.
func analysisDemo(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "demo.qcode")
	mustQC(t, "", "demo", dir, "--no-tui")
	mustQC(t, dir, "code", "add", "Hope")
	return dir
}

// everyone runs a read-only command without --coder, so every coder's
// codings count.
func everyone(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, errOut, err := qcAs(t, dir, "", args...)
	if err != nil {
		t.Fatalf("run(%q) = %v; stderr:\n%s", args, err, errOut)
	}
	return out
}

// TestAnalysisGoldens prints each analysis table of the demo project in
// each format. The numbers are checked by hand in TestAnalysisByHand.
func TestAnalysisGoldens(t *testing.T) {
	t.Parallel()
	dir := analysisDemo(t)
	tests := []struct {
		golden string
		args   []string
	}{
		{"stats.txt", []string{"stats"}},
		{"stats-subcodes.csv", []string{"stats", "--subcodes", "--format", "csv"}},
		{"stats.json", []string{"stats", "--json"}},
		{"stats.md", []string{"stats", "--format", "md"}},
		{"matrix-documents.txt", []string{"matrix", "--rows", "codes", "--cols", "documents"}},
		{"matrix-wave-percent.txt", []string{"matrix", "--cols", "attr:wave", "--measure", "percent"}},
		{"matrix-gender-documents.md", []string{"matrix", "--cols", "attr:gender", "--measure", "documents", "--subcodes", "--format", "md"}},
		{"matrix-occupation-width60.txt", []string{"matrix", "--cols", "attr:occupation", "--width", "60",
			"--code", "Reasons for leaving/Political persecution", "--code", "Fear of repression", "--code", "Hope"}},
		{"matrix-wave-participants.txt", []string{"matrix", "--cols", "attr:wave", "--measure", "participants"}},
		{"matrix-wave.json", []string{"matrix", "--cols", "attr:wave", "--code", "Fear of repression", "--json"}},
		{"cooc-overlap.txt", []string{"cooc"}},
		{"cooc-sentence-jaccard.txt", []string{"cooc", "--within", "sentence", "--jaccard"}},
		{"cooc-turn.csv", []string{"cooc", "--within", "turn", "--format", "csv"}},
		{"cooc-turn-some.md", []string{"cooc", "--within", "turn", "--format", "md", "--code", "Fear of repression", "--code", "Political persecution", "--code", "Translocal life", "--code", "Hope"}},
	}
	for _, tt := range tests {
		out := everyone(t, dir, tt.args...)
		checkGolden(t, "analysis-"+tt.golden, out)
		// The same project gives the same bytes.
		if again := everyone(t, dir, tt.args...); again != out {
			t.Errorf("run(%q) twice gave different output", tt.args)
		}
	}
	// One coder's codings.
	out, errOut, err := qcAs(t, dir, "", "--coder", "nino", "matrix", "--cols", "attr:wave")
	if err != nil {
		t.Fatalf("matrix --coder nino: %v\n%s", err, errOut)
	}
	checkGolden(t, "analysis-matrix-wave-nino.txt", out)
}

type statsJSON struct {
	Codes []struct {
		Code         string         `json:"code"`
		Own          map[string]int `json:"own"`
		WithSubcodes map[string]int `json:"with_subcodes"`
		ByCoder      []struct {
			Coder string         `json:"coder"`
			Own   map[string]int `json:"own"`
		} `json:"by_coder"`
	} `json:"codes"`
}

type tableJSON struct {
	Rows      []string    `json:"rows"`
	Cols      []string    `json:"cols"`
	Cells     [][]float64 `json:"cells"`
	RowTotals []float64   `json:"row_totals"`
	ColTotals []float64   `json:"col_totals"`
	Total     float64     `json:"total"`
}

func (tb tableJSON) cell(t *testing.T, row, col string) float64 {
	t.Helper()
	for i, r := range tb.Rows {
		if r != row {
			continue
		}
		if col == "TOTAL" {
			return tb.RowTotals[i]
		}
		for j, c := range tb.Cols {
			if c == col {
				return tb.Cells[i][j]
			}
		}
	}
	t.Fatalf("no cell %s × %s in %v × %v", row, col, tb.Rows, tb.Cols)
	return 0
}

// TestAnalysisByHand checks cells of the demo's tables against counts
// made by hand from coding/demo/codings_en.yaml and codings_ru.yaml and
// the interviews' front matter (wave: February for R01, R03, R05, R07;
// September for R02, R04, R06).
func TestAnalysisByHand(t *testing.T) {
	t.Parallel()
	dir := analysisDemo(t)

	var st statsJSON
	decodeOne(t, everyone(t, dir, "stats", "--json"), &st, []string{"stats"})
	stats := map[string]int{}
	for _, c := range st.Codes {
		for k, v := range c.Own {
			stats[c.Code+" "+k] = v
		}
		for k, v := range c.WithSubcodes {
			stats[c.Code+" +"+k] = v
		}
		for _, by := range c.ByCoder {
			stats[c.Code+" "+by.Coder] = by.Own["codings"]
		}
	}
	for key, want := range map[string]int{
		// Fear of repression: R02 nino, pavel; R03 pavel; R04 pavel;
		// R05 nino, pavel; R06 nino, pavel, pavel.
		"Fear of repression codings":      9,
		"Fear of repression documents":    5,
		"Fear of repression participants": 5,
		"Fear of repression nino":         3,
		"Fear of repression pavel":        6,
		// Identity loss: "Sometimes I feel like a phone ... gone." (16
		// words, R01) and "Я нижегородская журналистка ... жила." (30
		// words, R05).
		"Identity loss words": 46,
		// "Now I also run an English conversation club on Saturdays for
		// Ukrainian teenagers." 13 words.
		"Volunteering words": 13,
		// "Before, I would trust anyone ... a decent person." 25 words,
		// "doesn't" one of them.
		"Trust words": 25,
		// Reasons for leaving has no codings of its own; with its four
		// children: persecution 5, mobilization 4, moral protest 6, work
		// and career 2, in all seven interviews.
		"Reasons for leaving codings":    0,
		"Reasons for leaving +codings":   17,
		"Reasons for leaving +documents": 7,
		"Hope codings":                   0,
		"Hope +words":                    0,
	} {
		if got, ok := stats[key]; !ok || got != want {
			t.Errorf("stats: %s = %d (present %v), want %d", key, got, ok, want)
		}
	}

	// All codes together. The coders: nino has 18 codings in
	// codings_en.yaml and 15 in codings_ru.yaml, pavel 18 and 14; both
	// coded in all seven interviews, each its own participant. Words: the
	// codes' own words add up to 1,150 (45 + 121 + 89 + 61 + 30 + 95 +
	// 173 + 46 + 35 + 80 + 51 + 76 + 115 + 37 + 58 + 25 + 13), and seven
	// sentences are coded with two codes (the seven off-diagonal pairs of
	// 'qcode cooc'), whose words count once: R01 "For me it's not only
	// practical, ..." 19, R02 "I can't really put on LinkedIn ..." 14,
	// R03 "She said, Olga Nikolaevna, ..." 26, R04 "One festival in
	// Europe ..." 16, R05 "Я стараюсь говорить тише, ..." 16, R06 "Так
	// что я сижу через VPN ..." 23 and "Одному из них, Денису, ..." 12:
	// 1,150 − 126 = 1,024.
	var total struct {
		Total struct {
			Codings      int `json:"codings"`
			Documents    int `json:"documents"`
			Participants int `json:"participants"`
			Words        int `json:"words"`
			ByCoder      []struct {
				Coder     string `json:"coder"`
				Codings   int    `json:"codings"`
				Documents int    `json:"documents"`
			} `json:"by_coder"`
		} `json:"total"`
	}
	decodeOne(t, everyone(t, dir, "stats", "--json"), &total, nil)
	tt := total.Total
	if tt.Codings != 65 || tt.Documents != 7 || tt.Participants != 7 || tt.Words != 1024 || len(tt.ByCoder) != 2 ||
		tt.ByCoder[0].Coder != "nino" || tt.ByCoder[0].Codings != 33 || tt.ByCoder[0].Documents != 7 ||
		tt.ByCoder[1].Coder != "pavel" || tt.ByCoder[1].Codings != 32 || tt.ByCoder[1].Documents != 7 {
		t.Errorf("stats total = %+v, want 65 codings, 7 documents, 7 participants, 1,024 words; nino 33, pavel 32 in 7 documents", tt)
	}
	// With --subcodes the line is the same: every coding counts once.
	for _, args := range [][]string{{"stats", "--format", "csv"}, {"stats", "--subcodes", "--format", "csv"}} {
		out := everyone(t, dir, args...)
		if !strings.HasSuffix(out, "\nall codes,65,7,7,1024,33,32\n") {
			t.Errorf("%v ends %q, want the all codes line 65,7,7,1024,33,32", args, out[max(0, len(out)-80):])
		}
	}

	var m tableJSON
	decodeOne(t, everyone(t, dir, "matrix", "--cols", "attr:wave", "--measure", "percent", "--json"), &m, nil)
	for _, c := range []struct {
		row, col string
		want     float64
	}{
		// Persecution: R01, R03, R05: 3 of the 4 February interviews.
		{"Reasons for leaving/Political persecution", "February", 75},
		{"Reasons for leaving/Political persecution", "September", 0},
		// Fear: R03, R05 of February (2 of 4); R02, R04, R06, all of
		// September; 5 of 7 overall.
		{"Fear of repression", "February", 50},
		{"Fear of repression", "September", 100},
		{"Fear of repression", "TOTAL", 500.0 / 7},
		// Mobilization: R02 and R06, 2 of 3 September interviews.
		{"Reasons for leaving/Mobilization", "September", 200.0 / 3},
		{"Hope", "February", 0},
	} {
		if got := m.cell(t, c.row, c.col); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("matrix percent %s × %s = %v, want %v", c.row, c.col, got, c.want)
		}
	}

	decodeOne(t, everyone(t, dir, "matrix", "--json"), &m, nil)
	// Persecution: R01 nino and pavel, R03 nino, R05 nino and pavel.
	for col, want := range map[string]float64{"R01": 2, "R02": 0, "R03": 1, "R05": 2, "TOTAL": 5} {
		if got := m.cell(t, "Reasons for leaving/Political persecution", col); got != want {
			t.Errorf("matrix codings Political persecution × %s = %v, want %v", col, got, want)
		}
	}
	if m.Total != 65 {
		t.Errorf("matrix total = %v, want the demo's 65 codings", m.Total)
	}
	// $QCODE_CODER says who codes, not whose codings count: no filter.
	out, _, err := qcAs(t, dir, "nino", "matrix", "--json")
	if err != nil {
		t.Fatal(err)
	}
	decodeOne(t, out, &m, nil)
	if m.Total != 65 {
		t.Errorf("matrix with QCODE_CODER=nino: total = %v, want all 65 codings", m.Total)
	}

	// In R03 nino coded "She said, Olga Nikolaevna, ... more than your
	// job." as Political persecution and pavel coded the same sentence as
	// Fear of repression: the only overlap of the two codes.
	var c tableJSON
	var errOut string
	decodeOne(t, everyone(t, dir, "cooc", "--json"), &c, nil)
	if got := c.cell(t, "Fear of repression", "Reasons for leaving/Political persecution"); got != 1 {
		t.Errorf("cooc overlap Fear × Persecution = %v, want 1", got)
	}
	if got := c.cell(t, "Fear of repression", "Fear of repression"); got != 9 {
		t.Errorf("cooc overlap diagonal Fear = %v, want its 9 codings", got)
	}
	out, errOut, err = qcAs(t, dir, "", "--coder", "nino", "cooc", "--json")
	if err != nil {
		t.Fatalf("cooc --coder nino: %v\n%s", err, errOut)
	}
	decodeOne(t, out, &c, nil)
	if got := c.cell(t, "Fear of repression", "Reasons for leaving/Political persecution"); got != 0 {
		t.Errorf("cooc --coder nino Fear × Persecution = %v, want 0 (pavel coded the fear)", got)
	}
}

func TestAnalysisErrors(t *testing.T) {
	t.Parallel()
	dir := analysisDemo(t)
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"matrix", "--cols", "attr:religion"}, []string{`"religion"`, "no document has it", "wave"}},
		{[]string{"matrix", "--cols", "people"}, []string{`"people"`, "documents or attr:KEY"}},
		{[]string{"matrix", "--measure", "words"}, []string{`"words"`, "codings, documents, participants or percent"}},
		{[]string{"matrix", "--rows", "documents"}, []string{"--rows", "codes"}},
		{[]string{"matrix", "--code", "Nostalgia"}, []string{`"Nostalgia"`, "qcode codes"}},
		{[]string{"cooc", "--within", "paragraph"}, []string{`"paragraph"`, "overlap, sentence or turn"}},
		{[]string{"stats", "--format", "xlsx"}, []string{`"xlsx"`, "table, csv, json, md"}},
		{[]string{"cooc", "--format", "html"}, []string{`"html"`}},
	}
	for _, tt := range tests {
		out, _, err := qcAs(t, dir, "", tt.args...)
		if err == nil {
			t.Errorf("run(%q) = nil, want an error; stdout:\n%s", tt.args, out)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("run(%q) = %q, want it to mention %s", tt.args, err, w)
			}
		}
		if out != "" {
			t.Errorf("run(%q) failed but printed %q", tt.args, out)
		}
	}
	// An unknown coder is named, with those the project has.
	_, _, err := qcAs(t, dir, "", "--coder", "zoe", "stats")
	if err == nil || !strings.Contains(err.Error(), "zoe") || !strings.Contains(err.Error(), "nino, pavel") {
		t.Errorf("stats --coder zoe = %v, want an error naming zoe and the coders", err)
	}
}

func TestAnalysisEmptyProject(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "empty.qcode")
	mustQC(t, "", "init", dir)
	for _, args := range [][]string{{"stats"}, {"matrix"}, {"cooc"}} {
		if out := everyone(t, dir, args...); !strings.Contains(out, "codebook is empty") {
			t.Errorf("run(%q) on an empty project = %q, want it to say the codebook is empty", args, out)
		}
	}
	mustQC(t, dir, "code", "add", "Hope")
	if out := everyone(t, dir, "matrix"); !strings.Contains(out, "no documents") {
		t.Errorf("matrix with no documents = %q, want it to say so", out)
	}
	var tb tableJSON
	decodeOne(t, everyone(t, dir, "cooc", "--json"), &tb, nil)
	if len(tb.Rows) != 1 || tb.Cells[0][0] != 0 {
		t.Errorf("cooc --json with one unused code = %+v, want one row of zeros", tb)
	}
	if out := everyone(t, dir, "stats", "--format", "csv"); out != "code,codings,documents,participants,words\nHope,0,0,0,0\nall codes,0,0,0,0\n" {
		t.Errorf("stats --format csv = %q, want a header, a row of zeros and the all codes line of zeros", out)
	}
}

func TestRenderGrid(t *testing.T) {
	t.Parallel()
	g := grid{corner: "CODE", heads: []string{"Февраль", "interview-2022-anna", "interview-2022-boris", "x"},
		labels: []string{"Страх репрессий", "Reasons for leaving/Political persecution/By the police"},
		cells:  [][]string{{"1", "22", "3", "4"}, {"10", "0", "0", "0"}}}
	got := renderGrid(g, 0)
	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	for _, l := range lines[1:] {
		if w, w0 := cellWidth(l), cellWidth(lines[0]); w != w0 {
			t.Errorf("renderGrid: line %q is %d cells wide, the head %d: columns do not line up\n%s", l, w, w0, got)
		}
	}
	heads := strings.Fields(lines[0])
	if len(heads) != 5 || heads[1] != "Февраль" || heads[2] == heads[3] || !strings.Contains(heads[2], "…") ||
		!strings.HasSuffix(heads[2], "anna") || !strings.HasSuffix(heads[3], "boris") {
		t.Errorf("renderGrid heads = %q: want Cyrillic kept and the two long interview heads cut in the middle, told apart:\n%s", heads, got)
	}
	if !strings.Contains(lines[2], "…") || !strings.Contains(lines[2], "Political persecution/By the police") {
		t.Errorf("renderGrid: a long path loses its start and keeps its code's name:\n%s", got)
	}
	// Narrow: the columns wrap into panels, each with the code column.
	got = renderGrid(g, 40)
	if n := strings.Count(got, "CODE"); n < 2 {
		t.Errorf("renderGrid at width 40 has %d panels, want at least 2:\n%s", n, got)
	}
	for _, l := range strings.Split(strings.TrimSpace(got), "\n") {
		if cellWidth(l) > 40 {
			t.Errorf("renderGrid at width 40: line %q is wider", l)
		}
	}
}

// --attr takes in only the documents with the attribute, in every table
// and in agreement alike.
func TestAnalysisByAttribute(t *testing.T) {
	t.Parallel()
	dir := analysisDemo(t)

	var st statsJSON
	decodeOne(t, everyone(t, dir, "stats", "--attr", "lang=ru", "--json"), &st, []string{"stats"})
	for _, c := range st.Codes {
		// Fear of repression in the Russian interviews: R05 nino, pavel;
		// R06 nino, pavel, pavel.
		if c.Code == "Fear of repression" && (c.Own["codings"] != 5 || c.Own["documents"] != 2) {
			t.Errorf("stats --attr lang=ru: Fear of repression %v, want 5 codings in 2 documents", c.Own)
		}
	}
	var m tableJSON
	decodeOne(t, everyone(t, dir, "matrix", "--attr", "lang=ru", "--json"), &m, []string{"matrix"})
	if got := strings.Join(m.Cols, ","); got != "R05,R06,R07" {
		t.Errorf("matrix --attr lang=ru has columns %s, want R05,R06,R07", got)
	}
	var all, ru tableJSON
	decodeOne(t, everyone(t, dir, "cooc", "--json"), &all, []string{"cooc"})
	decodeOne(t, everyone(t, dir, "cooc", "--attr", "lang=ru", "--json"), &ru, []string{"cooc"})
	if ru.Total >= all.Total {
		t.Errorf("cooc --attr lang=ru counts %v pairs, every document %v", ru.Total, all.Total)
	}
	out := everyone(t, dir, "agree", "--attr", "lang=ru", "--json")
	for _, doc := range []string{`"R01"`, `"R02"`, `"R03"`, `"R04"`} {
		if strings.Contains(out, doc) {
			t.Errorf("agree --attr lang=ru compares %s, an English interview", doc)
		}
	}
	if msg, _, _ := wantErr(t, dir, "matrix", "--attr", "lang"); !strings.Contains(msg, "KEY=VALUE") {
		t.Errorf("matrix --attr lang: %s", msg)
	}
}
