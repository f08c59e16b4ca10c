package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type hitJSON struct {
	DocID    int64  `json:"doc_id"`
	Document string `json:"document"`
	Speaker  string `json:"speaker"`
	Line     int    `json:"line"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
	Fragment string `json:"fragment"`
	Codes    []string
}

type searchJSON struct {
	Hits  []hitJSON `json:"hits"`
	Total int       `json:"total"`
}

func searchHits(t *testing.T, dir string, args ...string) searchJSON {
	t.Helper()
	var res searchJSON
	qcJSON(t, dir, &res, append(append([]string{"search"}, args...), "--json")...)
	return res
}

// demoDir builds the demo once per test.
func demoDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "demo.qcode")
	mustQC(t, "", "demo", dir, "--no-tui")
	return dir
}

func TestSearchCommand(t *testing.T) {
	t.Parallel()
	dir := demoDir(t)
	// The demo command builds the index, so the first search finds it
	// ready and says nothing about building.
	out, stderr, err := qc(t, dir, "search", "мобилизация")
	if err != nil || stderr != "" {
		t.Fatalf("search = %v, stderr %q", err, stderr)
	}
	if !strings.Contains(out, "[[мобилизацией]]") || !strings.Contains(out, "[[мобилизацию]]") {
		t.Errorf("search мобилизация (piped) = %q, want the inflected forms marked [[…]]", out)
	}
	if plain := mustQC(t, dir, "search", "мобилизация", "--plain"); strings.Contains(plain, "[[") {
		t.Errorf("search --plain still marks matches: %q", plain)
	}

	res := searchHits(t, dir, `"upper lars"`)
	if res.Total != 2 {
		t.Fatalf(`search "upper lars": %d hits, want 2 (R02, R04)`, res.Total)
	}
	for _, h := range res.Hits {
		s := show(t, dir, h.Document)
		if got := string([]rune(s.Text)[h.Start:h.End]); got != "Upper Lars" {
			t.Errorf("hit span %d:%d in %s is %q, want Upper Lars", h.Start, h.End, h.Document, got)
		}
	}

	sept := searchHits(t, dir, "мобилизация", "--attr", "wave=September")
	for _, h := range sept.Hits {
		if h.Document != "R06" {
			t.Errorf("--attr wave=September: hit in %s", h.Document)
		}
	}
	coded := searchHits(t, dir, "--code", "Reasons for leaving", "--limit", "0")
	if coded.Total == 0 || len(coded.Hits) != coded.Total {
		t.Errorf("--code 'Reasons for leaving' --limit 0: %d of %d hits", len(coded.Hits), coded.Total)
	}
	lim := searchHits(t, dir, "the", "--limit", "3")
	if len(lim.Hits) != 3 || lim.Total <= 3 {
		t.Errorf("--limit 3: %d hits of %d", len(lim.Hits), lim.Total)
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"search", `"unclosed`}, "quotation mark"},
		{[]string{"search", "speaker:"}, "no value"},
		{[]string{"search", strings.Repeat("x", 10000)}, "limit"},
		{[]string{"search"}, "give a query"},
		{[]string{"search", "x", "--code", "No such code"}, "not found"},
		{[]string{"autocode", "x", "Trust", "--scope", "paragraph"}, "--scope"},
	} {
		msg, stdout, _ := wantErr(t, dir, tc.args...)
		if !strings.Contains(msg, tc.want) || stdout != "" {
			t.Errorf("run(%.40q) = %q, stdout %q; want an error mentioning %q", tc.args, msg, stdout, tc.want)
		}
	}
}

func TestAutocodeCommand(t *testing.T) {
	t.Parallel()
	dir := demoDir(t)
	before := quotes(t, dir, "Trust")
	dry := mustQC(t, dir, "autocode", "мобилизация", "Trust", "--scope", "sentence", "--dry-run")
	if !strings.Contains(dry, "dry run") || len(quotes(t, dir, "Trust")) != len(before) {
		t.Fatalf("--dry-run wrote something or did not say so: %q", dry)
	}
	out := mustQC(t, dir, "autocode", "мобилизация", "Trust", "--scope", "sentence")
	after := quotes(t, dir, "Trust")
	made := len(after) - len(before)
	if made < 5 || !strings.Contains(out, "Autocoded") {
		t.Fatalf("autocode made %d codings (%q), want several", made, out)
	}
	for _, q := range after {
		if q.Coder == defaultCoder && !strings.Contains(strings.ToLower(q.Text), "мобилизац") {
			t.Errorf("autocoded sentence %q has no form of мобилизация", q.Text)
		}
		if r := []rune(q.Text); q.Coder == defaultCoder && !strings.ContainsRune(".!?…»\"", r[len(r)-1]) {
			t.Errorf("autocoded sentence %q does not end a sentence", q.Text)
		}
	}
	// The index follows: the new codings are searchable by code at once.
	if res := searchHits(t, dir, "мобилизация", "--code", "Trust"); res.Total < 5 {
		t.Errorf("search --code Trust after autocode: %d hits", res.Total)
	}
	// Running it again codes nothing new.
	again := mustQC(t, dir, "autocode", "мобилизация", "Trust", "--scope", "sentence")
	if !strings.Contains(again, "Autocoded 0 passages") || !strings.Contains(again, "already coded") {
		t.Errorf("second autocode = %q, want 0 new and the rest already coded", again)
	}
	// One undo takes the whole autocode back.
	mustQC(t, dir, "undo")
	if got := quotes(t, dir, "Trust"); len(got) != len(before) {
		t.Errorf("after undo: %d Trust quotes, want %d", len(got), len(before))
	}
	if res := searchHits(t, dir, "мобилизация", "--code", "Trust"); res.Total != 0 {
		t.Errorf("search --code Trust after undo: %d hits, want 0", res.Total)
	}
	turn := mustQC(t, dir, "autocode", `"upper lars"`, "New theme", "--scope", "turn", "--create")
	if !strings.Contains(turn, "2 passages") {
		t.Errorf("autocode --scope turn --create = %q, want 2 passages", turn)
	}
}

func TestReindexAndSelfHealing(t *testing.T) {
	t.Parallel()
	dir := demoDir(t)
	want := searchHits(t, dir, "donate").Total
	if want == 0 {
		t.Fatal("no hits for donate in the demo")
	}
	out := mustQC(t, dir, "reindex")
	if !strings.Contains(out, "7 documents") {
		t.Errorf("reindex = %q, want 7 documents", out)
	}
	if got := searchHits(t, dir, "donate").Total; got != want {
		t.Errorf("after reindex: %d hits, want %d", got, want)
	}
	// Deleted: the next search rebuilds it, says so on stderr, and finds
	// the same.
	if err := os.RemoveAll(filepath.Join(dir, "index")); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, err := qc(t, dir, "search", "donate", "--json")
	if err != nil || !strings.Contains(stderr, "Built the search index") {
		t.Fatalf("search after deleting the index = %v, stderr %q", err, stderr)
	}
	var res searchJSON
	decodeOne(t, stdout, &res, nil)
	if res.Total != want {
		t.Errorf("after rebuild: %d hits, want %d", res.Total, want)
	}
}

func TestQuotesContext(t *testing.T) {
	t.Parallel()
	dir := demoDir(t)
	md := mustQC(t, dir, "quotes", "Donations", "--context", "1")
	if !strings.Contains(md, "> \\[…") || !strings.Contains(md, "\\]\n") {
		t.Errorf("quotes --context 1 (md) shows no context:\n%s", md)
	}
	var res struct {
		Quotes []struct{ Text, Before, After string }
	}
	qcJSON(t, dir, &res, "quotes", "Donations", "--context", "1", "--json")
	if len(res.Quotes) == 0 || res.Quotes[0].Before == "" && res.Quotes[0].After == "" {
		t.Errorf("quotes --context 1 --json = %+v, want before/after", res.Quotes)
	}
	csv := mustQC(t, dir, "quotes", "Donations", "--context", "1", "--format", "csv")
	if !strings.HasPrefix(csv, "id,code,document,version,start,end,line,time,speaker,attribution,text,coder,memo,before,after\r\n") {
		t.Errorf("quotes --context --format csv header = %.120q", csv)
	}
}

// TestSearchQueryLanguage runs the query language through search and
// autocode: operators, the workbench's field filters, --explain and
// errors that point at the column.
func TestSearchQueryLanguage(t *testing.T) {
	t.Parallel()
	dir := newProject(t)
	src := t.TempDir()
	mustQC(t, dir, "import", writeFile(t, src, "E01.txt",
		"Interviewer: What do you remember?\n"+
			"Anna K. Petrova: We smelled smoke near the border.\n"+
			"Interviewer: And then?\n"+
			"Anna K. Petrova: Smoke everywhere, and fear of the police.\n"+
			"Boris: The smell of burning tyres. I didn’t sleep.\n"+
			"Boris: Or and and, those are words too.\n"))
	for _, tc := range []struct {
		query string
		args  []string
		want  int
	}{
		{"smoke OR smell", nil, 3},
		{"smoke AND smell", nil, 1},
		{"smoke smell", nil, 1},
		{"or and", nil, 1},
		{`speaker:"Anna K. Petrova"`, nil, 2},
		{`speaker:"Anna K. Petrova" fear`, nil, 1},
		{"smoke -fear", nil, 1},
		{`"smoke police"~6`, nil, 1},
		{`"smoke police"~5`, nil, 0},
		{"smoke NEAR/2 police", nil, 0},
		{"didn't", nil, 1},
		{"smoke", []string{"--speaker", "Boris"}, 0},
		{"doc:E01 is:uncoded smell", nil, 2},
	} {
		res := searchHits(t, dir, append([]string{tc.query}, tc.args...)...)
		if res.Total != tc.want || len(res.Hits) != tc.want {
			t.Errorf("search %s %v: %d hits (total %d), want %d", tc.query, tc.args, len(res.Hits), res.Total, tc.want)
		}
	}

	// autocode codes passages with either word, not the word "or".
	out := mustQC(t, dir, "autocode", "smoke OR smell", "Senses", "--create", "--scope", "turn")
	if !strings.Contains(out, "Autocoded 3 passages") {
		t.Fatalf("autocode 'smoke OR smell' = %q, want 3 passages", out)
	}
	for _, q := range quotes(t, dir, "Senses") {
		l := strings.ToLower(q.Text)
		if !strings.Contains(l, "smoke") && !strings.Contains(l, "smell") {
			t.Errorf("autocode 'smoke OR smell' coded %q", q.Text)
		}
	}
	if res := searchHits(t, dir, "code:Senses -speaker:Boris"); res.Total != 2 {
		t.Errorf("code:Senses -speaker:Boris after autocode: %d hits, want 2", res.Total)
	}

	// --explain prints how the query was understood and searches nothing:
	// it needs no project.
	how, errOut, err := qc(t, "", "search", "--explain", `(smoke OR smell) speaker:"Anna K. Petrova" -code:Fear`, "--doc", "E01")
	if err != nil || errOut != "" {
		t.Fatalf("search --explain = %v, stderr %q", err, errOut)
	}
	if want := `(text:smoke OR text:smell) AND speaker:"Anna K. Petrova" AND NOT code:Fear/* AND doc:E01`; !strings.HasPrefix(how, want+"\n") {
		t.Errorf("search --explain = %q, want it to start with %q", how, want)
	}

	// A query that cannot be read names the column and the reason, and
	// changes nothing.
	before := quotes(t, dir, "Senses")
	for _, tc := range []struct{ args []string }{
		{[]string{"search", "fear (police OR smoke"}},
		{[]string{"autocode", "fear (police OR smoke", "Senses"}},
	} {
		msg, stdout, _ := wantErr(t, dir, tc.args...)
		if !strings.Contains(msg, "column 6: a parenthesis opened at 6 is never closed") || !strings.Contains(msg, "\n       ^") || stdout != "" {
			t.Errorf("run(%q) = %q, stdout %q", tc.args, msg, stdout)
		}
	}
	if after := quotes(t, dir, "Senses"); len(after) != len(before) {
		t.Errorf("a bad autocode query changed the codings: %d, then %d", len(before), len(after))
	}
}

// TestTagMatchFolds codes with --match typed with straight apostrophes,
// quotes and dashes, and е, in a transcript set with typographic ones.
func TestTagMatchFolds(t *testing.T) {
	t.Parallel()
	dir := newProject(t)
	mustQC(t, dir, "import", writeFile(t, t.TempDir(), "R01.txt",
		"Q: And then?\nA: I didn’t think “they’d come” — but they did. Ещё раз.\n"))
	for _, tc := range []struct{ match, want string }{
		{`didn't think "they'd come" - but`, "didn’t think “they’d come” — but"},
		{"Еще раз", "Ещё раз"},
	} {
		mustQC(t, dir, "tag", "R01", "Quote", "--match", tc.match, "--create")
		found := false
		for _, q := range quotes(t, dir, "Quote") {
			found = found || q.Text == tc.want
		}
		if !found {
			t.Errorf("tag --match %q did not code %q: %+v", tc.match, tc.want, quotes(t, dir, "Quote"))
		}
	}
	msg, _, _ := wantErr(t, dir, "tag", "R01", "Quote", "--match", "Didn't")
	if !strings.Contains(msg, "does not occur") || !strings.Contains(msg, "case") || !strings.Contains(msg, "ё and е are the same") {
		t.Errorf("tag --match Didn't = %q, want it to say case counts and what is folded", msg)
	}
}
