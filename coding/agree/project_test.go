package agree

import (
	"context"
	"errors"
	"math"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/qcode-dev/qcode/coding"
)

// newProject makes a real project in a temporary folder.
func newProject(t *testing.T) *coding.Store {
	t.Helper()
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	s, err := coding.Create(context.Background(), filepath.Join(t.TempDir(), "study.qcode"),
		coding.Options{Coder: "lead", Now: func() time.Time { return at }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// thousand is a text of exactly 1,000 characters: ten lines of 99
// letters and a newline.
var thousand = strings.Repeat(strings.Repeat("a", 99)+"\n", 10)

// importDoc imports text as NAME.txt and checks its stored length.
func importDoc(t *testing.T, s *coding.Store, name, text string) {
	t.Helper()
	res, err := s.Import(context.Background(), coding.ImportFile{Path: name + ".txt", Data: []byte(text)})
	if err != nil {
		t.Fatal(err)
	}
	if want := len([]rune(text)); res.Document.Length != want {
		t.Fatalf("%s has %d characters stored, want %d", name, res.Document.Length, want)
	}
}

// tag codes spans "S:E" of doc with code as coder, creating the code.
func tag(t *testing.T, s *coding.Store, coder, doc, code string, spans ...string) {
	t.Helper()
	var sp []coding.Span
	for _, x := range spans {
		v, err := coding.ParseSpan(x)
		if err != nil {
			t.Fatal(err)
		}
		sp = append(sp, v)
	}
	if _, _, err := s.WithCoder(coder).Tag(context.Background(), coding.TagRequest{Doc: doc, Code: code, Spans: sp, Create: true}); err != nil {
		t.Fatal(err)
	}
}

func compute(t *testing.T, s *coding.Store, opt Options) *Report {
	t.Helper()
	r, err := Compute(context.Background(), s, opt)
	if err != nil {
		t.Fatalf("Compute(%+v) error %v", opt, err)
	}
	return r
}

func codeStats(t *testing.T, r *Report, code string) Stats {
	t.Helper()
	for _, c := range r.Codes {
		if c.Code == code {
			return c.Stats
		}
	}
	t.Fatalf("report has no line for %q", code)
	return Stats{}
}

// same reports whether got equals want to 4 decimals, NaN equal to NaN.
func same(got, want float64) bool {
	if math.IsNaN(want) {
		return math.IsNaN(got)
	}
	return math.Abs(got-want) < 5e-5
}

func checkStats(t *testing.T, what string, got, want Stats) {
	t.Helper()
	if got.Units != want.Units || !same(got.Percent, want.Percent) || !same(got.Cohen, want.Cohen) ||
		!same(got.Fleiss, want.Fleiss) || !same(got.Alpha, want.Alpha) {
		t.Errorf("%s = %+v, want %+v", what, got, want)
	}
}

// TestCharIssueExample is the check of issue 6: two coders each code 100
// characters of a 1,000-character text, 50 of them in common. Units are
// characters: 50 both coded, 50 only A, 50 only B, 850 neither.
//
//	percent = 900/1000 = 0.9
//	Cohen: p_e = 0.1·0.1 + 0.9·0.9 = 0.82, κ = (0.9 − 0.82)/(1 − 0.82) = 0.4444
//	Fleiss: P̄ = 0.9, p_1 = 200/2000 = 0.1, P̄_e = 0.82, κ = 0.4444
//	alpha: n = 2000 values, o_10 = o_01 = 100, n_1 = 200, n_0 = 1800,
//	       α = 1 − 1999·200/(2·200·1800) = 1 − 1999/3600 = 0.44472
func TestCharIssueExample(t *testing.T) {
	s := newProject(t)
	importDoc(t, s, "R01", thousand)
	tag(t, s, "ana", "R01", "Fear", "0:100")
	tag(t, s, "boris", "R01", "Fear", "50:150")
	r := compute(t, s, Options{Text: true})
	want := Stats{Units: 1000, Percent: 0.9, Cohen: 0.08 / 0.18, Fleiss: 0.08 / 0.18, Alpha: 1 - 1999.0/3600}
	checkStats(t, "Fear", codeStats(t, r, "Fear"), want)
	checkStats(t, "overall", r.Overall, want)
	if got := math.Round(r.Overall.Cohen*1000) / 1000; got != 0.444 {
		t.Errorf("kappa rounds to %.3f, want 0.444", got)
	}
	if !reflect.DeepEqual(r.Coders, []string{"ana", "boris"}) {
		t.Errorf("coders = %v", r.Coders)
	}
	if len(r.Disagreements) != 2 {
		t.Fatalf("%d disagreements, want 2: %+v", len(r.Disagreements), r.Disagreements)
	}
	for i, want := range []struct {
		start, end     int
		coded, missing string
		codings        string
	}{
		{0, 50, "ana", "boris", "0:100"},
		{100, 150, "boris", "ana", "50:150"},
	} {
		d := r.Disagreements[i]
		var spans []string
		for _, c := range d.Codings {
			spans = append(spans, coding.Span{Start: c.Start, End: c.End}.String())
		}
		if d.Start != want.start || d.End != want.end || strings.Join(d.Coded, ",") != want.coded ||
			strings.Join(d.Missing, ",") != want.missing || strings.Join(spans, " ") != want.codings ||
			d.Document != "R01" || d.Code != "Fear" || d.Text != strings.Repeat("a", 50) {
			t.Errorf("disagreement %d = %+v, want %d:%d coded by %s, not %s, codings %s", i, d, want.start, want.end, want.coded, want.missing, want.codings)
		}
	}
}

func TestCharEdgeCases(t *testing.T) {
	nan := math.NaN()
	t.Run("one coder only", func(t *testing.T) {
		s := newProject(t)
		importDoc(t, s, "R01", thousand)
		tag(t, s, "ana", "R01", "Fear", "0:100")
		_, err := Compute(context.Background(), s, Options{})
		if !errors.Is(err, ErrCoders) || !strings.Contains(err.Error(), "only ana") {
			t.Errorf("Compute with one coder: error %v, want ErrCoders naming ana", err)
		}
		_, err = Compute(context.Background(), s, Options{Coders: []string{"ana", "nobody"}})
		if !errors.Is(err, coding.ErrNotFound) || !strings.Contains(err.Error(), `"nobody"`) {
			t.Errorf("Compute with an unknown coder: error %v, want ErrNotFound naming him", err)
		}
	})
	t.Run("perfect agreement and a code nobody used", func(t *testing.T) {
		s := newProject(t)
		importDoc(t, s, "R01", thousand)
		if _, _, err := s.AddCode(context.Background(), coding.NewCode{Path: "Unused"}); err != nil {
			t.Fatal(err)
		}
		tag(t, s, "ana", "R01", "Fear", "0:100", "300:400")
		tag(t, s, "boris", "R01", "Fear", "0:100", "300:350", "350:400")
		r := compute(t, s, Options{})
		// Adjacent codings of one coder cover the same characters as
		// one: agreement is perfect.
		perfect := Stats{Units: 1000, Percent: 1, Cohen: 1, Fleiss: 1, Alpha: 1}
		checkStats(t, "Fear", codeStats(t, r, "Fear"), perfect)
		// Nobody used it: every character is 0 for both, agreement is
		// total and the chance-corrected statistics are 0/0.
		checkStats(t, "Unused", codeStats(t, r, "Unused"), Stats{Units: 1000, Percent: 1, Cohen: nan, Fleiss: nan, Alpha: nan})
		// The unused code stays out of the overall figures.
		checkStats(t, "overall", r.Overall, perfect)
		if len(r.Disagreements) != 0 {
			t.Errorf("disagreements %+v, want none", r.Disagreements)
		}
	})
	t.Run("three coders", func(t *testing.T) {
		// A and B code 0:100, C 0:50. Units: 50 coded by all three,
		// 50 by A and B only, 900 by nobody.
		// Fleiss: P_i = 1, 1/3, 1; P̄ = (950 + 50/3)/1000; p_1 = 250/3000
		//   = 1/12, P̄_e = 1/144 + 121/144 = 122/144; κ = 0.781818.
		// alpha: o_11 = 50·3 + 50·1 = 200, o_10 = o_01 = 50, o_00 = 2700,
		//   n_1 = 250, n_0 = 2750, α = 1 − 2999·100/(2·250·2750) = 0.781891.
		// percent: (200 + 2700)/3000.
		s := newProject(t)
		importDoc(t, s, "R01", thousand)
		tag(t, s, "ana", "R01", "Fear", "0:100")
		tag(t, s, "boris", "R01", "Fear", "0:100")
		tag(t, s, "chen", "R01", "Fear", "0:50")
		r := compute(t, s, Options{})
		pbar := (950 + 50.0/3) / 1000
		want := Stats{Units: 1000, Percent: 2900.0 / 3000, Cohen: nan, Fleiss: (pbar - 122.0/144) / (1 - 122.0/144), Alpha: 1 - 2999.0*100/(2*250*2750)}
		checkStats(t, "Fear", codeStats(t, r, "Fear"), want)
		if len(r.Disagreements) != 1 || r.Disagreements[0].Start != 50 || r.Disagreements[0].End != 100 ||
			strings.Join(r.Disagreements[0].Coded, ",") != "ana,boris" || strings.Join(r.Disagreements[0].Missing, ",") != "chen" {
			t.Errorf("disagreements %+v, want 50:100 coded by ana and boris, not chen", r.Disagreements)
		}
		// Two of the three: Cohen's kappa is defined again.
		r = compute(t, s, Options{Coders: []string{"chen", "ana"}})
		if r.Coders[0] != "ana" || math.IsNaN(codeStats(t, r, "Fear").Cohen) {
			t.Errorf("coders %v, Cohen %v: want ana first and a kappa", r.Coders, codeStats(t, r, "Fear").Cohen)
		}
	})
	t.Run("documents not every coder coded are left out", func(t *testing.T) {
		s := newProject(t)
		importDoc(t, s, "R01", thousand)
		importDoc(t, s, "R02", strings.Repeat("b", 500))
		importDoc(t, s, "R03", strings.Repeat("c", 700))
		tag(t, s, "ana", "R01", "Fear", "0:100")
		tag(t, s, "boris", "R01", "Fear", "50:150")
		tag(t, s, "ana", "R02", "Fear", "0:500")
		r := compute(t, s, Options{})
		checkStats(t, "Fear", codeStats(t, r, "Fear"), Stats{Units: 1000, Percent: 0.9, Cohen: 0.08 / 0.18, Fleiss: 0.08 / 0.18, Alpha: 1 - 1999.0/3600})
		if len(r.Documents) != 1 || r.Documents[0].Name != "R01" || len(r.LeftOut) != 1 || r.LeftOut[0].Name != "R02" ||
			!reflect.DeepEqual(r.LeftOut[0].Coders, []string{"ana"}) {
			t.Errorf("documents %+v, left out %+v; want R01, and R02 coded only by ana", r.Documents, r.LeftOut)
		}
		// Boris codes something else in R02: now R02 counts, all of it
		// a disagreement on Fear.
		tag(t, s, "boris", "R02", "Other", "0:10")
		r = compute(t, s, Options{Codes: []string{"Fear"}})
		if len(r.Codes) != 1 || codeStats(t, r, "Fear").Units != 1500 {
			t.Errorf("codes %+v, want Fear alone over 1,500 characters", r.Codes)
		}
		last := r.Disagreements[len(r.Disagreements)-1]
		if last.Document != "R02" || last.Start != 0 || last.End != 500 {
			t.Errorf("last disagreement %+v, want R02 0:500", last)
		}
	})
	t.Run("no document coded by both", func(t *testing.T) {
		s := newProject(t)
		importDoc(t, s, "R01", thousand)
		importDoc(t, s, "R02", strings.Repeat("b", 500))
		tag(t, s, "ana", "R01", "Fear", "0:100")
		tag(t, s, "boris", "R02", "Fear", "0:100")
		_, err := Compute(context.Background(), s, Options{})
		if !errors.Is(err, ErrNoUnits) || !strings.Contains(err.Error(), "ana, boris") {
			t.Errorf("error %v, want ErrNoUnits naming the coders", err)
		}
	})
}

// TestSegment: ana codes 0:100, 200:300, 500:600; boris 5:100, 200:250,
// 700:800. 5:100 overlaps 0:100 by 95/100 of their union and matches at
// 0.9; 200:250 overlaps 200:300 by 50/100 and does not. Segments: one
// both coded, two only ana, two only boris.
//
//	percent = 1/5 (of 10 values, o_11 = 2 agree)
//	Cohen: n_11 = 1, n_10 = 2, n_01 = 2, n_00 = 0; p_o = 0.2,
//	  p_e = 0.6·0.6 + 0.4·0.4 = 0.52, κ = (0.2 − 0.52)/0.48 = −2/3
//	alpha: o_11 = 2, o_10 = o_01 = 4, n_1 = 6, n_0 = 4,
//	  α = 1 − 9·8/(2·6·4) = −0.5
//	Fleiss: P̄ = 0.2, p_1 = 0.6, P̄_e = 0.52, κ = −2/3
//
// At --overlap 0.5 the second pair matches too: four segments, two both
// coded, one each alone: percent 0.5, Cohen p_e = 0.75·0.75 + 0.25·0.25
// = 0.625, κ = (0.5 − 0.625)/0.375 = −1/3; alpha o_11 = 4, o_10 = o_01 =
// 2, n_1 = 6, n_0 = 2, α = 1 − 7·4/(2·6·2) = −1/6.
func TestSegment(t *testing.T) {
	s := newProject(t)
	importDoc(t, s, "R01", thousand)
	tag(t, s, "ana", "R01", "Fear", "0:100", "200:300", "500:600")
	tag(t, s, "boris", "R01", "Fear", "5:100", "200:250", "700:800")
	r := compute(t, s, Options{Unit: Segment})
	checkStats(t, "Fear at 0.9", codeStats(t, r, "Fear"), Stats{Units: 5, Percent: 0.2, Cohen: -2.0 / 3, Fleiss: -2.0 / 3, Alpha: -0.5})
	var got []string
	for _, d := range r.Disagreements {
		got = append(got, coding.Span{Start: d.Start, End: d.End}.String()+" "+strings.Join(d.Coded, ","))
	}
	if want := []string{"200:250 boris", "200:300 ana", "500:600 ana", "700:800 boris"}; !reflect.DeepEqual(got, want) {
		t.Errorf("disagreements %q, want %q", got, want)
	}
	if r.Overlap != 0.9 {
		t.Errorf("overlap %v, want the default 0.9", r.Overlap)
	}
	r = compute(t, s, Options{Unit: Segment, Overlap: 0.5})
	checkStats(t, "Fear at 0.5", codeStats(t, r, "Fear"), Stats{Units: 4, Percent: 0.5, Cohen: -1.0 / 3, Fleiss: -1.0 / 3, Alpha: -1.0 / 6})
	// A code nobody used has no segments at all: every statistic is
	// undefined over zero units.
	if _, _, err := s.AddCode(context.Background(), coding.NewCode{Path: "Unused"}); err != nil {
		t.Fatal(err)
	}
	r = compute(t, s, Options{Unit: Segment, Codes: []string{"Unused", "Fear"}})
	checkStats(t, "Unused", codeStats(t, r, "Unused"), Stats{Percent: math.NaN(), Cohen: math.NaN(), Fleiss: math.NaN(), Alpha: math.NaN()})
	checkStats(t, "overall", r.Overall, Stats{Units: 5, Percent: 0.2, Cohen: -2.0 / 3, Fleiss: -2.0 / 3, Alpha: -0.5})
	if _, err := Compute(context.Background(), s, Options{Unit: Segment, Overlap: 1.5}); !errors.Is(err, ErrInvalid) {
		t.Errorf("overlap 1.5: error %v, want ErrInvalid", err)
	}
}

// TestDocument: code Fear is in R01 for both coders, in R02 for ana only,
// in R03 for neither (both coded Other there). Units (ana, boris): (1,1),
// (1,0), (0,0): percent 2/3; Cohen p_e = (2/3)(1/3) + (1/3)(2/3) = 4/9,
// κ = (2/3 − 4/9)/(5/9) = 0.4; alpha o_11 = 2, o_10 = o_01 = 1, o_00 = 2,
// n_1 = 3, n_0 = 3, α = 1 − 5·2/(2·3·3) = 4/9; Fleiss pools the
// marginals: P̄ = 2/3, p_1 = 3/6, P̄_e = 1/2, κ = (2/3 − 1/2)/(1/2) = 1/3.
func TestDocument(t *testing.T) {
	s := newProject(t)
	for _, d := range []string{"R01", "R02", "R03"} {
		importDoc(t, s, d, d+thousand)
	}
	tag(t, s, "ana", "R01", "Fear", "0:100")
	tag(t, s, "boris", "R01", "Fear", "500:600")
	tag(t, s, "ana", "R02", "Fear", "10:20", "40:60")
	tag(t, s, "boris", "R02", "Other", "0:10")
	tag(t, s, "ana", "R03", "Other", "0:10")
	tag(t, s, "boris", "R03", "Other", "0:10")
	r := compute(t, s, Options{Unit: Document, Codes: []string{"Fear"}})
	checkStats(t, "Fear", codeStats(t, r, "Fear"), Stats{Units: 3, Percent: 2.0 / 3, Cohen: 0.4, Fleiss: 1.0 / 3, Alpha: 4.0 / 9})
	if len(r.Disagreements) != 1 {
		t.Fatalf("disagreements %+v, want one", r.Disagreements)
	}
	d := r.Disagreements[0]
	if d.Document != "R02" || d.Start != 10 || d.End != 60 || len(d.Codings) != 2 || strings.Join(d.Missing, ",") != "boris" {
		t.Errorf("disagreement %+v, want R02 10:60 with ana's two codings, boris missing", d)
	}
}

// checkPairs checks Light's kappa and each pair's kappa, in order.
func checkPairs(t *testing.T, what string, got Stats, light float64, want map[string]float64) {
	t.Helper()
	if !same(got.Light, light) {
		t.Errorf("%s: Light's kappa %v, want %v", what, got.Light, light)
	}
	var order []string
	for _, p := range got.Pairs {
		name := p.Coders[0] + "-" + p.Coders[1]
		order = append(order, name)
		w, ok := want[name]
		if !ok || !same(p.Cohen, w) {
			t.Errorf("%s: pair %s kappa %v, want %v", what, name, p.Cohen, w)
		}
	}
	if strings.Join(order, " ") != "ana-boris ana-chen boris-chen" {
		t.Errorf("%s: pairs in order %v, want ana-boris ana-chen boris-chen", what, order)
	}
}

// TestPairwise: three coders on R01 (1,000 characters). Fear: ana codes
// 0:200, boris 100:300, chen 0:100. Characters: 0:100 ana and chen,
// 100:200 ana and boris, 200:300 boris alone, 300:1000 nobody.
//
//	ana–boris: both 100, ana only 100, boris only 100, neither 700;
//	  p_o = 0.8, p_e = 0.2·0.2 + 0.8·0.8 = 0.68, κ = 0.12/0.32 = 0.375
//	ana–chen: both 100, ana only 100, neither 800; p_o = 0.9,
//	  p_e = 0.2·0.1 + 0.8·0.9 = 0.74, κ = 0.16/0.26 = 8/13
//	boris–chen: boris only 200, chen only 100, neither 700; p_o = 0.7,
//	  p_e = 0.2·0.1 + 0.8·0.9 = 0.74, κ = −0.04/0.26 = −2/13
//	Light = (3/8 + 8/13 − 2/13)/3 = (39 + 48)/104/3 = 29/104
//
// Hope: only chen codes it, 500:600. ana and boris coded nothing of it:
// their kappa is 0/0, undefined, and left out of Light's mean. A pair of
// chen with one of them has p_o = 0.9 and p_e = 1·0.9 = 0.9: κ = 0 (a
// coder who coded nothing agrees with chen no better than chance), so
// Light = (0 + 0)/2 = 0.
//
// Overall pools both codes' 2,000 units: ana–boris both 100, one alone
// 100 each, neither 1,700: p_o = 0.9, p_e = 0.1·0.1 + 0.9·0.9 = 0.82,
// κ = 0.08/0.18 = 4/9; ana–chen the same counts, 4/9; boris–chen both 0,
// boris alone 200, chen alone 200, neither 1,600: p_o = 0.8, κ =
// −0.02/0.18 = −1/9. Light = (4 + 4 − 1)/9/3 = 7/27.
func TestPairwise(t *testing.T) {
	s := newProject(t)
	importDoc(t, s, "R01", thousand)
	tag(t, s, "ana", "R01", "Fear", "0:200")
	tag(t, s, "boris", "R01", "Fear", "100:300")
	tag(t, s, "chen", "R01", "Fear", "0:100")
	tag(t, s, "chen", "R01", "Hope", "500:600")
	if _, _, err := s.AddCode(context.Background(), coding.NewCode{Path: "Unused"}); err != nil {
		t.Fatal(err)
	}
	r := compute(t, s, Options{})
	nan := math.NaN()
	fear := codeStats(t, r, "Fear")
	checkPairs(t, "Fear", fear, 29.0/104, map[string]float64{"ana-boris": 0.375, "ana-chen": 8.0 / 13, "boris-chen": -2.0 / 13})
	if !same(fear.Pairs[0].Percent, 0.8) || !same(fear.Pairs[1].Percent, 0.9) || !same(fear.Pairs[2].Percent, 0.7) {
		t.Errorf("Fear pairs' percent agreement %+v, want 0.8, 0.9, 0.7", fear.Pairs)
	}
	// Cohen's own kappa stays undefined for three coders.
	if !math.IsNaN(fear.Cohen) {
		t.Errorf("Fear: Cohen %v, want NaN with three coders", fear.Cohen)
	}
	checkPairs(t, "Hope", codeStats(t, r, "Hope"), 0, map[string]float64{"ana-boris": nan, "ana-chen": 0, "boris-chen": 0})
	// Nobody used it: every pair undefined, and so Light's mean.
	checkPairs(t, "Unused", codeStats(t, r, "Unused"), nan, map[string]float64{"ana-boris": nan, "ana-chen": nan, "boris-chen": nan})
	checkPairs(t, "overall", r.Overall, 7.0/27, map[string]float64{"ana-boris": 4.0 / 9, "ana-chen": 4.0 / 9, "boris-chen": -1.0 / 9})

	// Two coders: one pair, and Light's kappa is Cohen's.
	r = compute(t, s, Options{Coders: []string{"ana", "boris"}, Codes: []string{"Fear"}})
	st := codeStats(t, r, "Fear")
	if len(st.Pairs) != 1 || !same(st.Pairs[0].Cohen, 0.375) || !same(st.Cohen, 0.375) || !same(st.Light, 0.375) {
		t.Errorf("two coders: %+v, want one pair, Cohen = Light = 0.375", st)
	}
}

// TestPairwiseSegment: the pairs are compared on the units of the whole
// team. At the segment unit, ana and boris code 0:100 of Fear, chen
// 500:600: two segments, (1,1,0) and (0,0,1). The segment only chen
// coded is one neither ana nor boris coded, an agreement of the two:
//
//	ana–boris: (1,1) and (0,0): p_o = 1, p_e = 0.5·0.5 + 0.5·0.5 = 0.5, κ = 1
//	ana–chen and boris–chen: (1,0) and (0,1): p_o = 0, p_e = 0.5, κ = −1
//	Light = (1 − 1 − 1)/3 = −1/3
//
// Compared alone, ana and boris have one segment, both coded: no
// variation, kappa undefined.
func TestPairwiseSegment(t *testing.T) {
	s := newProject(t)
	importDoc(t, s, "R01", thousand)
	tag(t, s, "ana", "R01", "Fear", "0:100")
	tag(t, s, "boris", "R01", "Fear", "0:100")
	tag(t, s, "chen", "R01", "Fear", "500:600")
	r := compute(t, s, Options{Unit: Segment})
	checkPairs(t, "Fear by segment", codeStats(t, r, "Fear"), -1.0/3, map[string]float64{"ana-boris": 1, "ana-chen": -1, "boris-chen": -1})
	r = compute(t, s, Options{Unit: Segment, Coders: []string{"ana", "boris"}})
	if st := codeStats(t, r, "Fear"); st.Units != 1 || !math.IsNaN(st.Cohen) || !math.IsNaN(st.Light) {
		t.Errorf("ana and boris alone: %+v, want one segment and kappa undefined", st)
	}
}

// --attr compares only the documents with the attribute: the others'
// codings count for nothing, not even for choosing the coders.
func TestDocumentsByAttribute(t *testing.T) {
	s := newProject(t)
	ctx := context.Background()
	for _, d := range []string{"R01", "R02", "R03"} {
		importDoc(t, s, d, d+thousand)
	}
	for doc, wave := range map[string]string{"R01": "February", "R02": "February", "R03": "September"} {
		if _, err := s.SetAttributes(ctx, doc, []coding.Attribute{{Key: "wave", Value: wave}}); err != nil {
			t.Fatal(err)
		}
	}
	tag(t, s, "ana", "R01", "Fear", "0:100")
	tag(t, s, "boris", "R01", "Fear", "0:100")
	tag(t, s, "ana", "R02", "Fear", "0:10")
	tag(t, s, "boris", "R02", "Fear", "0:10")
	tag(t, s, "ana", "R03", "Fear", "0:100")
	tag(t, s, "boris", "R03", "Fear", "500:600")
	tag(t, s, "carol", "R03", "Fear", "0:100")

	feb := compute(t, s, Options{Attrs: []string{"wave=february"}})
	if got := docNames(feb.Documents); got != "R01,R02" {
		t.Errorf("February compares %s, want R01,R02", got)
	}
	if got := strings.Join(feb.Coders, ","); got != "ana,boris" {
		t.Errorf("February's coders are %s, want ana,boris (carol coded only in September)", got)
	}
	if st := codeStats(t, feb, "Fear"); !same(st.Alpha, 1) {
		t.Errorf("February: alpha %v, want 1 (the coders agree there)", st.Alpha)
	}
	all := compute(t, s, Options{Coders: []string{"ana", "boris"}})
	if st := codeStats(t, all, "Fear"); same(st.Alpha, 1) {
		t.Errorf("all documents: alpha 1, but R03 disagrees")
	}
	if _, err := Compute(ctx, s, Options{Attrs: []string{"wave"}}); !errors.Is(err, coding.ErrInvalid) {
		t.Errorf("a filter without = gave %v, want ErrInvalid", err)
	}
}

func docNames(ds []Doc) string {
	var n []string
	for _, d := range ds {
		n = append(n, d.Name)
	}
	return strings.Join(n, ",")
}
