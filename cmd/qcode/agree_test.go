package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// agreeGolden compares got with testdata/NAME, or rewrites it with -update
// (the flag is quotes_test.go's).
func agreeGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to write it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (-update rewrites it):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// agreeData is what 'qcode agree --data --json' prints.
type agreeData struct {
	Statistic string   `json:"statistic"`
	Value     *float64 `json:"value"`
	Units     int      `json:"units"`
	Coders    int      `json:"coders"`
	Values    int      `json:"values"`
	UnitsRead int      `json:"units_read"`
	Undefined string   `json:"undefined"`
}

func TestAgreeData(t *testing.T) {
	// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability":
	// 4 observers × 12 units with missing values, sections C, E, F, G.
	// Wikipedia, "Fleiss' kappa", worked example: 10 subjects × 14
	// raters, κ = 0.210. weighted.csv is the hand-computed example of
	// coding/agree's TestWeightedKappa.
	for _, tc := range []struct {
		file string
		args []string
		want float64
		// units that entered the computation, of read; coders
		units, read, coders int
	}{
		{"krippendorff2011.csv", []string{"--level", "nominal"}, 0.743, 11, 12, 4},
		{"krippendorff2011.csv", []string{"--level", "ordinal"}, 0.815, 11, 12, 4},
		{"krippendorff2011.csv", []string{"--level", "interval"}, 0.849, 11, 12, 4},
		{"krippendorff2011.csv", []string{"--statistic", "alpha", "--level", "ratio"}, 0.797, 11, 12, 4},
		{"fleiss_wikipedia.csv", []string{"--statistic", "fleiss"}, 0.210, 10, 10, 14},
		{"weighted.csv", []string{"--statistic", "cohen"}, 0.385, 10, 10, 2},
		{"weighted.csv", []string{"--statistic", "cohen", "--weights", "linear"}, 0.375, 10, 10, 2},
		{"weighted.csv", []string{"--statistic", "cohen", "--weights", "quadratic"}, 0.364, 10, 10, 2},
		{"weighted.csv", []string{"--statistic", "percent"}, 0.6, 10, 10, 2},
	} {
		args := append([]string{"agree", "--data", testdata(t, "agree", tc.file), "--json"}, tc.args...)
		out := mustQC(t, "", args...)
		var got agreeData
		decodeOne(t, out, &got, args)
		if got.Value == nil || math.Round(*got.Value*1000)/1000 != tc.want || got.Units != tc.units ||
			got.UnitsRead != tc.read || got.Coders != tc.coders {
			t.Errorf("%s %v = %s, want value %.3f, units %d of %d, coders %d", tc.file, tc.args, out, tc.want, tc.units, tc.read, tc.coders)
		}
		// The first four keys are the contract, in this order.
		dec := json.NewDecoder(strings.NewReader(out))
		dec.Token()
		var keys []string
		for len(keys) < 4 {
			k, _ := dec.Token()
			keys = append(keys, k.(string))
			var skip json.RawMessage
			dec.Decode(&skip)
		}
		if strings.Join(keys, ",") != "statistic,value,units,coders" {
			t.Errorf("keys start %v, want statistic, value, units, coders", keys)
		}
	}

	out := mustQC(t, "", "agree", "--data", testdata(t, "agree", "krippendorff2011.csv"), "--level", "interval")
	if want := "Krippendorff's alpha (interval) = 0.849\n11 units coded by two or more coders (of 12 read), 40 values, 4 coders: A, B, C, D\n"; out != want {
		t.Errorf("text output %q, want %q", out, want)
	}
	// One value everywhere: alpha is undefined, null in JSON, said in
	// words on the terminal.
	out = mustQC(t, "", "agree", "--data", testdata(t, "agree", "same.csv"), "--json")
	var got agreeData
	decodeOne(t, out, &got, nil)
	if got.Value != nil || !strings.Contains(got.Undefined, "no variation") || got.Units != 2 {
		t.Errorf("alpha on one value = %s, want value null, said undefined, over 2 units", out)
	}
	out = mustQC(t, "", "agree", "--data", testdata(t, "agree", "same.csv"))
	if !strings.HasPrefix(out, "Krippendorff's alpha (nominal) is undefined: every value is the same") {
		t.Errorf("text output %q, want it to say alpha is undefined", out)
	}
	// Standard input.
	var stdout, stderr bytes.Buffer
	err := run(t.Context(), []string{"agree", "--data", "-", "--statistic", "percent"}, strings.NewReader("a,b\nx,x\nx,y\n"), &stdout, &stderr)
	if err != nil || stdout.String() != "Percent agreement = 50.0%\n2 units coded by two or more coders (of 2 read), 4 values, 2 coders: a, b\n" {
		t.Errorf("from standard input: %q, %v", stdout.String(), err)
	}
}

func TestAgreeDataBad(t *testing.T) {
	for _, tc := range []struct {
		file string
		args []string
		want string
	}{
		{"bad/ragged.csv", nil, "ragged.csv: line 3: invalid: 2 values, want 3"},
		{"bad/words.csv", []string{"--level", "interval"}, `words.csv: line 3: invalid: boris's value "three" is not a number`},
		{"bad/words.csv", []string{"--statistic", "cohen", "--weights", "linear"}, `words.csv: line 3: invalid: boris's value "three" is not a number`},
		{"bad/one_column.csv", nil, "one_column.csv: line 1: invalid: one column"},
		{"bad/empty.csv", nil, "empty.csv: invalid: the file is empty"},
		{"bad/latin1.csv", nil, "latin1.csv: line 2: invalid: not UTF-8 text"},
		{"bad/nothere.csv", nil, "nothere.csv: no such file"},
		{"bad/quote.csv", nil, `quote.csv: line 3: invalid: a " inside a value that does not start with one`},
		{"bad/unclosed.csv", nil, `unclosed.csv: line 3: invalid: a value opened with " is not closed`},
		{"bad", nil, "bad: a folder, not a CSV file"},
		{"../codebook/demo.qdc", nil, "demo.qdc: invalid: XML or HTML, not CSV"},
		{"krippendorff2011.csv", []string{"--statistic", "cohen"}, "Cohen's kappa is for exactly two coders, the data have 4: use Fleiss' kappa (--statistic fleiss) or Krippendorff's alpha"},
		{"krippendorff2011.csv", []string{"--statistic", "kappa"}, `unknown statistic "kappa"`},
		{"krippendorff2011.csv", []string{"--level", "cardinal"}, `level "cardinal"`},
		{"krippendorff2011.csv", []string{"--weights", "linear"}, "--weights is for --statistic cohen"},
		{"krippendorff2011.csv", []string{"--statistic", "fleiss", "--level", "interval"}, "fleiss is for nominal data"},
		{"krippendorff2011.csv", []string{"--unit", "segment"}, "--unit is for the project's codings"},
	} {
		path := filepath.Join("testdata", "agree", tc.file)
		args := append([]string{"agree", "--data", path}, tc.args...)
		msg, out, _ := wantErr(t, "", args...)
		if !strings.Contains(msg, tc.want) || out != "" {
			t.Errorf("agree --data %s %v: error %q, stdout %q; want an error containing %q and no output", tc.file, tc.args, msg, out, tc.want)
		}
	}
	if msg, _, _ := wantErr(t, "", "agree", "--level", "ordinal"); !strings.Contains(msg, "--level needs --data") {
		t.Errorf("--level without --data: %q", msg)
	}
}

// thousandChars is a transcript of exactly 1,000 characters.
var thousandChars = func() string {
	s := strings.Repeat("They will come for the NGO people first. ", 25)
	return s[:999] + "\n"
}()

// agreeProject is a project with R01 (1,000 characters) coded by ana and
// boris as in issue 6's example (100 characters each, 50 in common) and
// R02 coded only by ana.
func agreeProject(t *testing.T) string {
	t.Helper()
	dir := newProject(t)
	src := t.TempDir()
	mustQC(t, dir, "import", writeFile(t, src, "R01.txt", thousandChars), writeFile(t, src, "R02.txt", "Only ana read this one.\n"))
	mustQC(t, dir, "code", "add", "Fear of repression")
	mustQC(t, dir, "code", "add", "Donations")
	mustQC(t, dir, "tag", "R01", "Fear of repression", "--span", "0:100")
	mustQC(t, dir, "tag", "R02", "Donations", "--span", "0:4")
	if _, errOut, err := qcAs(t, dir, "boris", "tag", "R01", "Fear of repression", "--span", "50:150"); err != nil {
		t.Fatal(errOut)
	}
	return dir
}

type agreeStats struct {
	Units   int      `json:"units"`
	Percent *float64 `json:"percent"`
	Cohen   *float64 `json:"cohen_kappa"`
	Fleiss  *float64 `json:"fleiss_kappa"`
	Alpha   *float64 `json:"krippendorff_alpha"`
}

type agreeReport struct {
	Unit      string   `json:"unit"`
	Coders    []string `json:"coders"`
	Documents []struct {
		Name string `json:"name"`
	} `json:"documents"`
	LeftOut []struct {
		Name   string   `json:"name"`
		Coders []string `json:"coders"`
	} `json:"left_out"`
	Codes []struct {
		Code    string         `json:"code"`
		Codings map[string]int `json:"codings"`
		Stats   agreeStats     `json:"stats"`
	} `json:"codes"`
	Overall       agreeStats `json:"overall"`
	Disagreements []struct {
		Document string   `json:"document"`
		Start    int      `json:"start"`
		End      int      `json:"end"`
		Code     string   `json:"code"`
		Coded    []string `json:"coded"`
		Missing  []string `json:"missing"`
		Text     string   `json:"text"`
		Codings  []struct {
			Coder string `json:"coder"`
			Start int    `json:"start"`
		} `json:"codings"`
	} `json:"disagreements"`
}

func TestAgreeProject(t *testing.T) {
	dir := agreeProject(t)
	var r agreeReport
	qcJSON(t, dir, &r, "agree", "--json")
	fear := r.Codes[1]
	if r.Unit != "char" || strings.Join(r.Coders, ",") != "ana,boris" || len(r.Documents) != 1 || r.Documents[0].Name != "R01" ||
		len(r.LeftOut) != 1 || r.LeftOut[0].Name != "R02" || fear.Code != "Fear of repression" {
		t.Fatalf("report %+v: want ana and boris on R01, R02 left out", r)
	}
	// Issue 6: 100 characters each of 1,000, 50 in common: kappa 0.444.
	if k := fear.Stats.Cohen; k == nil || math.Round(*k*1000)/1000 != 0.444 || fear.Stats.Units != 1000 || *fear.Stats.Percent != 0.9 {
		t.Errorf("Fear of repression: %+v, want kappa 0.444 over 1,000 characters, 90%% agreement", fear.Stats)
	}
	// Donations: nobody coded it in R01; undefined, null.
	if d := r.Codes[0]; d.Code != "Donations" || d.Stats.Cohen != nil || d.Stats.Alpha != nil || *d.Stats.Percent != 1 {
		t.Errorf("Donations: %+v, want kappa and alpha null, agreement 1", d)
	}
	if len(r.Disagreements) != 2 || r.Disagreements[0].Start != 0 || r.Disagreements[0].End != 50 ||
		r.Disagreements[0].Text != thousandChars[:50] || r.Disagreements[0].Coded[0] != "ana" || r.Disagreements[0].Missing[0] != "boris" ||
		len(r.Disagreements[1].Codings) != 1 || r.Disagreements[1].Codings[0].Coder != "boris" {
		t.Errorf("disagreements %+v, want 0:50 by ana and 100:150 by boris", r.Disagreements)
	}
	// Deterministic: the same project, the same bytes.
	if a, b := mustQC(t, dir, "agree", "--json"), mustQC(t, dir, "agree", "--json"); a != b {
		t.Error("two runs of agree --json differ")
	}
	agreeGolden(t, "agree/report.golden", mustQC(t, dir, "agree", "--disagreements"))

	// Segment and document units on the same codings: 0:100 and 50:150
	// overlap by 50/150 of their union, two segments each one coder's;
	// R01 has the code for both.
	qcJSON(t, dir, &r, "agree", "--unit", "segment", "--code", "Fear of repression", "--json")
	if len(r.Codes) != 1 || r.Codes[0].Stats.Units != 2 || *r.Codes[0].Stats.Percent != 0 || len(r.Disagreements) != 2 {
		t.Errorf("segments: %+v, want 2 segments, no agreement", r)
	}
	qcJSON(t, dir, &r, "agree", "--unit", "segment", "--overlap", "0.3", "--code", "Fear of repression", "--json")
	if r.Codes[0].Stats.Units != 1 || *r.Codes[0].Stats.Percent != 1 || len(r.Disagreements) != 0 {
		t.Errorf("segments at 0.3: %+v, want one segment both coded", r)
	}
	qcJSON(t, dir, &r, "agree", "--unit", "document", "--json")
	if r.Codes[1].Stats.Units != 1 || *r.Codes[1].Stats.Percent != 1 || len(r.Disagreements) != 0 {
		t.Errorf("documents: %+v, want R01 coded by both", r)
	}
}

func TestAgreeProjectErrors(t *testing.T) {
	dir := agreeProject(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"agree", "--coders", "ana"}, "needs at least two coders, and only ana is compared"},
		{[]string{"agree", "--coders", "ana,zoe"}, `no coder named "zoe"`},
		{[]string{"agree", "--code", "Nothing"}, `code "Nothing"`},
		{[]string{"agree", "--unit", "word"}, `unit "word"`},
		{[]string{"agree", "--overlap", "0.5"}, "--overlap is for --unit segment"},
		{[]string{"agree", "--unit", "segment", "--overlap", "2"}, "--overlap 2: want a share above 0"},
		{[]string{"agree", "--statistic", "alpha"}, "--statistic needs --data"},
	} {
		if msg, out, _ := wantErr(t, dir, tc.args...); !strings.Contains(msg, tc.want) || out != "" {
			t.Errorf("%v: error %q, stdout %q; want %q", tc.args, msg, out, tc.want)
		}
	}
	// One coder only in the whole project.
	solo := newProject(t)
	mustQC(t, solo, "import", writeFile(t, t.TempDir(), "R01.txt", thousandChars))
	mustQC(t, solo, "tag", "R01", "Fear", "--span", "0:10", "--create")
	if msg, _, _ := wantErr(t, solo, "agree"); !strings.Contains(msg, "at least two coders") {
		t.Errorf("one coder: %q", msg)
	}
}

// TestAgreeVersions: only the current version of each document is
// compared; --all-versions compares the codings left on an earlier version
// too, and the report names that version as NAME@VERSION.
func TestAgreeVersions(t *testing.T) {
	dir := versionsProjectDir(t)
	out := mustQC(t, dir, "agree", "--disagreements")
	for _, want := range []string{
		"on 2 documents: R01, R02\n",
		"\nR01 5:10  Hope  coded by ana, not by boris\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("agree output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "R01@1") {
		t.Errorf("agree compares the earlier version without --all-versions:\n%s", out)
	}
	out = mustQC(t, dir, "agree", "--disagreements", "--all-versions")
	for _, want := range []string{
		"on 3 documents: R01@1, R01, R02\n",
		"\nR01@1 5:15  Hope  coded by ana, not by boris\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("agree --all-versions output lacks %q:\n%s", want, out)
		}
	}
}

// TestAgreeThreeCoders: ana codes 0:200 of R01's 1,000 characters with
// Fear of repression, boris 100:300, chen 0:100 (the example of
// coding/agree's TestPairwise): the pairs' kappas are 0.375, 8/13 =
// 0.615 and −2/13 = −0.154, Light's kappa their mean 29/104 = 0.279.
// Hope is chen's alone: ana and boris's kappa on it is undefined and
// left out of Light's mean, which is 0.
func TestAgreeThreeCoders(t *testing.T) {
	dir := newProject(t)
	mustQC(t, dir, "import", writeFile(t, t.TempDir(), "R01.txt", thousandChars))
	mustQC(t, dir, "code", "add", "Fear of repression")
	mustQC(t, dir, "code", "add", "Hope")
	for _, c := range []struct{ coder, code, span string }{
		{"ana", "Fear of repression", "0:200"},
		{"boris", "Fear of repression", "100:300"},
		{"chen", "Fear of repression", "0:100"},
		{"chen", "Hope", "500:600"},
	} {
		if _, errOut, err := qcAs(t, dir, c.coder, "tag", "R01", c.code, "--span", c.span); err != nil {
			t.Fatal(errOut)
		}
	}
	var r struct {
		Codes []struct {
			Code  string `json:"code"`
			Stats struct {
				Cohen *float64 `json:"cohen_kappa"`
				Light *float64 `json:"light_kappa"`
				Pairs []struct {
					Coders []string `json:"coders"`
					Cohen  *float64 `json:"cohen_kappa"`
				} `json:"pairs"`
			} `json:"stats"`
		} `json:"codes"`
	}
	qcJSON(t, dir, &r, "agree", "--json")
	round := func(x *float64) string {
		if x == nil {
			return "null"
		}
		return fmt.Sprintf("%.3f", *x)
	}
	for i, want := range []struct{ code, cohen, light, pairs string }{
		{"Fear of repression", "null", "0.279", "ana-boris 0.375, ana-chen 0.615, boris-chen -0.154"},
		{"Hope", "null", "0.000", "ana-boris null, ana-chen 0.000, boris-chen 0.000"},
	} {
		c := r.Codes[i]
		var pairs []string
		for _, p := range c.Stats.Pairs {
			pairs = append(pairs, strings.Join(p.Coders, "-")+" "+round(p.Cohen))
		}
		if c.Code != want.code || round(c.Stats.Cohen) != want.cohen || round(c.Stats.Light) != want.light || strings.Join(pairs, ", ") != want.pairs {
			t.Errorf("code %d: %s cohen %s light %s pairs %s; want %+v", i, c.Code, round(c.Stats.Cohen), round(c.Stats.Light), pairs, want)
		}
	}
	out := mustQC(t, dir, "agree")
	for _, want := range []string{"COHEN κ (LIGHT)", "Light's kappa: the mean of Cohen's kappa over each pair"} {
		if !strings.Contains(out, want) {
			t.Errorf("agree output lacks %q:\n%s", want, out)
		}
	}
	agreeGolden(t, "agree/three.golden", out)
}
