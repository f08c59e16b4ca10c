package main

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/qcode-dev/qcode/coding"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// qcAll runs qcode as a shell would, failing the test on an error.
func qcAll(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, errOut, err := qcAs(t, dir, "", args...)
	if err != nil {
		t.Fatalf("run(%q) = %v, want nil; stderr:\n%s", args, err, errOut)
	}
	return out
}

var (
	quoteIDRE = regexp.MustCompile(`Q-[0-9A-Z]{8}`)
	guidRE    = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
)

// stableIDs replaces the quote ids and GUIDs, which differ between two
// builds of the demo (its GUIDs are fresh), by Q-<n> and GUID-<n> in the
// order they first appear: the same id stays the same placeholder, so
// the golden still shows which quotes share a passage.
func stableIDs(s string) string {
	for _, re := range []struct {
		re     *regexp.Regexp
		prefix string
	}{{quoteIDRE, "Q-<%d>"}, {guidRE, "GUID-<%d>"}} {
		seen := map[string]string{}
		s = re.re.ReplaceAllStringFunc(s, func(m string) string {
			if _, ok := seen[m]; !ok {
				seen[m] = fmt.Sprintf(re.prefix, len(seen)+1)
			}
			return seen[m]
		})
	}
	return s
}

func TestQuotesGolden(t *testing.T) {
	t.Parallel()
	dir := demoDir(t)
	tests := []struct {
		name string
		args []string
	}{
		{"grouped.md", []string{"quotes", "Fear of repression", "Donations", "--max-words", "25"}},
		{"subcodes.md", []string{"quotes", "Reasons for leaving", "--doc", "R01", "--doc", "R05"}},
		{"ungrouped.md", []string{"quotes", "Reasons for leaving", "--group=false", "--attr", "wave=September"}},
		{"donations.tex", []string{"quotes", "Donations", "--format", "latex", "--standalone", "--context", "1"}},
		{"reasons.csv", []string{"quotes", "Reasons for leaving", "--format", "csv", "--speaker", "Респондент"}},
		{"donations.json", []string{"quotes", "Donations", "--json", "--cite", "{occupation} ({age})"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := []byte(stableIDs(qcAll(t, dir, tt.args...)))
			path := filepath.Join("testdata", "quotes", tt.name)
			if *update {
				os.MkdirAll(filepath.Dir(path), 0o755)
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("run(%q) differs from %s; got:\n%s", tt.args, path, got)
			}
		})
	}
}

// TestQuotesFilters checks each filter against an expectation built from
// 'qcode docs' and 'qcode show', not from the quotes code.
func TestQuotesFilters(t *testing.T) {
	t.Parallel()
	dir := demoDir(t)
	type coded struct {
		doc, code, coder, speaker string
		start, end                int
		attrs                     map[string]string
	}
	var all []coded
	for _, d := range docs(t, dir) {
		s := show(t, dir, d.Name)
		attrs := map[string]string{}
		for _, a := range d.Attributes {
			attrs[a.Key] = a.Value
		}
		for _, c := range s.Codings {
			speaker := ""
			for _, tn := range s.Turns {
				if tn.Start <= c.Start && c.Start < tn.End {
					speaker = tn.Speaker
				}
			}
			all = append(all, coded{d.Name, c.Code, c.Coder, speaker, c.Start, c.End, attrs})
		}
	}
	fear := func(c coded) bool { return c.code == "Fear of repression" }
	key := func(doc, coder string, start, end int) string {
		return fmt.Sprintf("%s %d:%d %s", doc, start, end, coder)
	}
	expect := func(keep func(c coded) bool) []string {
		out := []string{}
		for _, c := range all {
			if fear(c) && keep(c) {
				out = append(out, key(c.doc, c.coder, c.start, c.end))
			}
		}
		sort.Strings(out)
		return out
	}
	tests := []struct {
		name   string
		global []string // flags before the command
		args   []string
		keep   func(c coded) bool
	}{
		{"none", nil, nil, func(c coded) bool { return true }},
		{"doc", nil, []string{"--doc", "R05"}, func(c coded) bool { return c.doc == "R05" }},
		{"two docs", nil, []string{"--doc", "R05", "--doc", "r02"}, func(c coded) bool { return c.doc == "R05" || c.doc == "R02" }},
		{"speaker", nil, []string{"--speaker", "р"}, func(c coded) bool { return c.speaker == "Р" }},
		{"attr", nil, []string{"--attr", "wave=February"}, func(c coded) bool { return c.attrs["wave"] == "February" }},
		{"two attrs", nil, []string{"--attr", "wave=september", "--attr", "gender=male"},
			func(c coded) bool { return c.attrs["wave"] == "September" && c.attrs["gender"] == "male" }},
		{"coder", []string{"--coder", "nino"}, nil, func(c coded) bool { return c.coder == "nino" }},
		{"only-coder", nil, []string{"--only-coder", "pavel"}, func(c coded) bool { return c.coder == "pavel" }},
		{"coder and attr", []string{"--coder", "pavel"}, []string{"--attr", "gender=female"},
			func(c coded) bool { return c.coder == "pavel" && c.attrs["gender"] == "female" }},
		{"nobody", nil, []string{"--speaker", "Nobody"}, func(c coded) bool { return false }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append(append(append([]string{}, tt.global...), "quotes", "Fear of repression", "--json"), tt.args...)
			var res quotesJSON
			decodeOne(t, qcAll(t, dir, args...), &res, args)
			got := []string{}
			for _, q := range res.Quotes {
				got = append(got, key(q.Document, q.Coder, q.Start, q.End))
			}
			sort.Strings(got)
			want := expect(tt.keep)
			if !slices.Equal(got, want) {
				t.Errorf("quotes %q =\n%q\nwant\n%q", args, got, want)
			}
			if tt.name != "nobody" && len(want) == 0 {
				t.Errorf("filter %s keeps nothing in the demo: a weak test", tt.name)
			}
		})
	}
}

// TestQuoteIDRoundTrip follows every id 'qcode quotes' prints back to its
// passage with 'qcode show Q-…'.
func TestQuoteIDRoundTrip(t *testing.T) {
	t.Parallel()
	dir := demoDir(t)
	qs := quotes(t, dir, "Fear of repression", "Donations", "Reasons for leaving")
	if len(qs) < 10 {
		t.Fatalf("%d quotes, want the demo's many", len(qs))
	}
	guids := map[string]string{}
	for _, d := range docs(t, dir) {
		guids[d.Name] = d.GUID
	}
	ids := map[string]string{}
	for _, q := range qs {
		if want := coding.QuoteID(guids[q.Document], q.Start, q.End); q.ID != want || q.DocGUID != guids[q.Document] {
			t.Errorf("quote %s %d:%d has id %s (document %s), want %s from its document's GUID", q.Document, q.Start, q.End, q.ID, q.DocGUID, want)
		}
		span := fmt.Sprintf("%s %d:%d", q.Document, q.Start, q.End)
		if prev, ok := ids[q.ID]; ok && prev != span {
			t.Errorf("id %s names both %s and %s", q.ID, prev, span)
		}
		ids[q.ID] = span

		var p struct {
			ID       string `json:"id"`
			Document struct {
				Name string `json:"name"`
			} `json:"document"`
			Start       int    `json:"start"`
			End         int    `json:"end"`
			Line        int    `json:"line"`
			Text        string `json:"text"`
			Attribution string `json:"attribution"`
			Codings     []codingJSON
		}
		qcJSON(t, dir, &p, "show", q.ID, "--json")
		if p.ID != q.ID || p.Text != q.Text || p.Document.Name != q.Document || p.Start != q.Start || p.End != q.End ||
			p.Line != q.Line || p.Attribution != q.Attribution {
			t.Errorf("show %s = %s %q in %s %d:%d line %d (%s); want %q in %s %d:%d line %d (%s)", q.ID, p.ID, p.Text, p.Document.Name,
				p.Start, p.End, p.Line, p.Attribution, q.Text, q.Document, q.Start, q.End, q.Line, q.Attribution)
		}
		found := false
		for _, c := range p.Codings {
			found = found || c.Code == q.Code && c.Coder == q.Coder
		}
		if !found {
			t.Errorf("show %s codings %+v lack %s by %s", q.ID, p.Codings, q.Code, q.Coder)
		}
	}

	// The plain view: the place, the attribution, the passage marked in
	// its turn, and the codes.
	// The id as copied from a Word document: lower case, and with the
	// non-breaking hyphen the .docx writes.
	q := qs[0]
	out := mustQC(t, dir, "show", strings.Replace(strings.ToLower(q.ID), "-", "\u2011", 1))
	for _, want := range []string{
		fmt.Sprintf("%s  %s, line %d", q.ID, q.Document, q.Line),
		"(" + q.Attribution + ")",
		"⟦" + strings.SplitN(q.Text, "\n", 2)[0],
		"Codes: " + q.Code,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("show %s printed\n%s\nwant %q", q.ID, out, want)
		}
	}
	if strings.Count(out, "⟦") != 1 || strings.Count(out, "⟧") != 1 {
		t.Errorf("show %s marks the quote %d/%d times, want once:\n%s", q.ID, strings.Count(out, "⟦"), strings.Count(out, "⟧"), out)
	}

	// An unknown id: a clear error, non-zero.
	msg, stdout, _ := wantErr(t, dir, "show", "Q-00000000")
	if !strings.Contains(msg, "Q-00000000") || !strings.Contains(msg, "no coded passage") || stdout != "" {
		t.Errorf("show Q-00000000 = %q, stdout %q; want an error naming the id", msg, stdout)
	}
	// A document named like a quote id is still shown.
	f := writeFile(t, t.TempDir(), "Q-ABCDEFGH.txt", "A: Hello.\nB: Hi.\n")
	mustQC(t, dir, "import", f)
	if out := mustQC(t, dir, "show", "Q-ABCDEFGH"); !strings.Contains(out, "Hello.") {
		t.Errorf("show Q-ABCDEFGH (a document) printed %q", out)
	}
}

func TestQuotesOutputFiles(t *testing.T) {
	t.Parallel()
	dir := demoDir(t)
	out := t.TempDir()
	md := qcAll(t, dir, "quotes", "Donations")
	file := filepath.Join(out, "donations.md")
	msg := qcAll(t, dir, "quotes", "Donations", "-o", file)
	if !strings.Contains(msg, "Wrote 4 quotes to "+file) {
		t.Errorf("quotes -o printed %q, want a summary", msg)
	}
	if got, err := os.ReadFile(file); err != nil || string(got) != md {
		t.Errorf("quotes -o wrote %q, %v; want what stdout gets:\n%s", got, err, md)
	}
	if st, _ := os.Stat(file); st.Mode().Perm() != 0o600 {
		t.Errorf("%s has mode %v, want 0600: quotes from interviews are private", file, st.Mode().Perm())
	}

	// A Word document: the same project gives the same bytes; it holds
	// the quotes.
	docx := filepath.Join(out, "quotes.docx")
	qcAll(t, dir, "quotes", "Donations", "Fear of repression", "--format", "docx", "-o", docx)
	first, _ := os.ReadFile(docx)
	qcAll(t, dir, "quotes", "Donations", "Fear of repression", "--format", "docx", "-o", docx)
	second, _ := os.ReadFile(docx)
	if len(first) == 0 || !bytes.Equal(first, second) {
		t.Errorf("two exports of the same quotes differ (%d and %d bytes)", len(first), len(second))
	}
	zr, err := zip.NewReader(bytes.NewReader(first), int64(len(first)))
	if err != nil {
		t.Fatalf("%s: %v", docx, err)
	}
	for _, f := range zr.File {
		if f.Name != "word/document.xml" {
			continue
		}
		rc, _ := f.Open()
		var b bytes.Buffer
		b.ReadFrom(rc)
		rc.Close()
		for _, want := range []string{"Fear of repression", "Donations", "female, 34, journalist", "На российском посту меня продержали минут сорок"} {
			if !strings.Contains(b.String(), want) {
				t.Errorf("word/document.xml lacks %q", want)
			}
		}
	}
	// Piped, the document goes to stdout.
	piped := qcAll(t, dir, "quotes", "Donations", "Fear of repression", "--format", "docx")
	if piped != string(first) {
		t.Errorf("quotes --format docx to a pipe gave %d bytes, want the file's %d", len(piped), len(first))
	}

	// CSV with a BOM reads back in a CSV reader.
	c := qcAll(t, dir, "quotes", "Donations", "--format", "csv", "--bom")
	if !strings.HasPrefix(c, "\ufeffid,code,") {
		t.Errorf("quotes --bom starts %.20q, want a BOM", c)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(c, "\ufeff"))).ReadAll()
	if err != nil || len(recs) != 5 {
		t.Errorf("quotes --format csv --bom = %d records, %v; want a header and 4 rows", len(recs), err)
	}
}

func TestQuotesBadInput(t *testing.T) {
	t.Parallel()
	dir := demoDir(t)
	before := history(t, dir)
	out := t.TempDir()
	target := filepath.Join(out, "q.md")
	tests := []struct {
		name  string
		coder string // the global --coder, a filter in quotes
		args  []string
		want  []string
	}{
		{"unknown coder", "nobody", []string{"quotes", "Donations", "-o", target}, []string{"--coder nobody", "no such coder", "nino, pavel"}},
		{"unknown format", "", []string{"quotes", "Donations", "--format", "pdf", "-o", target}, []string{`"pdf"`, "md, latex, csv, json, docx"}},
		{"unknown code", "", []string{"quotes", "Donatoins", "-o", target}, []string{`"Donatoins"`, "not found"}},
		{"one unknown code of two", "", []string{"quotes", "Donations", "Nope", "-o", target}, []string{`"Nope"`, "not found"}},
		{"bad attr", "", []string{"quotes", "Donations", "--attr", "wave", "-o", target}, []string{"--attr", `"wave"`, "KEY=VALUE"}},
		{"empty attr key", "", []string{"quotes", "Donations", "--attr", "=February", "-o", target}, []string{`"=February"`}},
		{"unknown doc", "", []string{"quotes", "Donations", "--doc", "R99", "-o", target}, []string{`"R99"`, "not found"}},
		{"missing folder", "", []string{"quotes", "Donations", "-o", filepath.Join(out, "no", "such", "q.md")}, []string{"does not exist", filepath.Join(out, "no", "such")}},
		{"a folder", "", []string{"quotes", "Donations", "-o", out}, []string{out, "is a folder"}},
		{"negative words", "", []string{"quotes", "Donations", "--max-words", "-3", "-o", target}, []string{"--max-words", "-3"}},
		{"standalone md", "", []string{"quotes", "Donations", "--standalone", "-o", target}, []string{"--standalone", "latex"}},
		{"bom json", "", []string{"quotes", "Donations", "--bom", "--json", "-o", target}, []string{"--bom", "csv"}},
		{"no code", "", []string{"quotes"}, []string{"requires at least 1 arg"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := tt.args
			if tt.coder != "" {
				args = append([]string{"--coder", tt.coder}, args...)
			}
			stdout, _, err := qcAs(t, dir, "", args...)
			if err == nil {
				t.Fatalf("run(%q) = nil, want an error", tt.args)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("run(%q) = %q, want it to mention %q", tt.args, err, w)
				}
			}
			if stdout != "" {
				t.Errorf("run(%q) printed %q on stdout", tt.args, stdout)
			}
		})
	}
	entries, _ := os.ReadDir(out)
	if len(entries) != 0 {
		t.Errorf("failed exports left %d files in %s: %v", len(entries), out, entries)
	}
	if after := history(t, dir); len(after) != len(before) {
		t.Errorf("failed exports changed the project's history: %d ops, want %d", len(after), len(before))
	}
}

// TestQuoteIDsSurviveExchange: a project exported to REFI-QDA and
// imported on another machine gives every quote the same id, so a paper
// written from one copy is traced back in the other.
func TestQuoteIDsSurviveExchange(t *testing.T) {
	t.Parallel()
	dir := demoDir(t)
	file := filepath.Join(t.TempDir(), "demo.qdpx")
	mustQC(t, dir, "export", "project", "-o", file)
	other := filepath.Join(t.TempDir(), "other.qcode")
	mustQC(t, "", "import-project", file, other)
	ids := func(dir string) []string {
		var out []string
		for _, q := range quotes(t, dir, "Fear of repression", "Donations") {
			out = append(out, q.ID+" "+q.Document+" "+q.Text)
		}
		sort.Strings(out)
		return out
	}
	before, after := ids(dir), ids(other)
	if len(before) == 0 || !slices.Equal(before, after) {
		t.Errorf("quote ids after export and import:\n%q\nwant\n%q", after, before)
	}
	if out := mustQC(t, other, "show", strings.Fields(before[0])[0]); !strings.Contains(out, "Codes: ") {
		t.Errorf("show %s in the imported project printed %q", strings.Fields(before[0])[0], out)
	}
}
