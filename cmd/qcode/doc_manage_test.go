package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// docManageProject has Lunney, Luna, R07 (two versions) and a Russian
// interview, with codings on R07 by two coders and memos on it.
func docManageProject(t *testing.T) string {
	t.Helper()
	dir := newProject(t)
	src := t.TempDir()
	files := map[string]string{
		"Lunney.txt":          "Interviewer: Why did you leave?\nRespondent: We talk about flowers, never about the war.\n",
		"Luna.txt":            "Interviewer: And you?\nRespondent: I volunteer at the shelter.\n",
		"R07.txt":             "Interviewer: Why did you leave?\nRespondent: They would come for NGO people first.\n",
		"Интервью Ёлкина.txt": "Интервьюер: Почему вы уехали?\nРеспондент: Боялась мобилизации мужа.\n",
	}
	for name, text := range files {
		mustQC(t, dir, "import", writeFile(t, src, name, text))
	}
	mustQC(t, dir, "import", writeFile(t, src, "R07.txt", "Interviewer: Why did you leave, then?\nRespondent: They would come for NGO people first.\n"))
	mustQC(t, dir, "tag", "R07@1", "Fear", "--match", "NGO people", "--create")
	mustQC(t, dir, "tag", "R07", "Fear", "--match", "NGO people")
	mustQC(t, dir, "tag", "R07", "Leaving", "--match", "Why did you leave", "--create")
	if _, errOut, err := qcAs(t, dir, "boris", "tag", "R07", "Fear", "--match", "come for"); err != nil {
		t.Fatalf("tag as boris: %v\n%s", err, errOut)
	}
	mustQC(t, dir, "memo", "add", "--doc", "R07", "Talked for two hours.")
	return dir
}

func TestDocsShortIDsAndFinding(t *testing.T) {
	t.Parallel()
	dir := docManageProject(t)
	ids := map[string]int64{}
	for _, d := range docs(t, dir) {
		ids[d.Name] = d.ID
	}
	// The listing leads with the short id.
	out := mustQC(t, dir, "docs")
	if !strings.HasPrefix(out, "ID ") {
		t.Errorf("docs header: %q", strings.SplitN(out, "\n", 2)[0])
	}
	for name, id := range ids {
		if !regexp.MustCompile(fmt.Sprintf(`(?m)^#%d +%s `, id, regexp.QuoteMeta(name))).MatchString(out) {
			t.Errorf("docs does not list %s as #%d:\n%s", name, id, out)
		}
	}

	for ref, want := range map[string]string{
		"Lunney":                        "Lunney",
		"lunney":                        "Lunney",
		"nney":                          "Lunney",
		"luna":                          "Luna",
		fmt.Sprintf("#%d", ids["Luna"]): "Luna",
		"r07":                           "R07",
		"07":                            "R07",
		"ёлкина":                        "Интервью Ёлкина",
		"ЕЛКИН":                         "Интервью Ёлкина",
		"интервью":                      "Интервью Ёлкина",
	} {
		if got := show(t, dir, ref).Document.Name; got != want {
			t.Errorf("show %s = %s, want %s", ref, got, want)
		}
	}
	if d := show(t, dir, "r07@1").Document; d.Name != "R07" || d.Version != 1 {
		t.Errorf("show r07@1 = %s@%d", d.Name, d.Version)
	}
	msg, _, _ := wantErr(t, dir, "show", "lu")
	want := fmt.Sprintf(`document "lu" is ambiguous: it matches Luna (#%d), Lunney (#%d); say which`, ids["Luna"], ids["Lunney"])
	if !strings.Contains(msg, want) {
		t.Errorf("show lu: %s\nwant %s", msg, want)
	}
	// Any command that takes a document finds it the same way.
	mustQC(t, dir, "tag", "nney", "Flowers", "--match", "flowers", "--create")
	if q := quotes(t, dir, "Flowers"); len(q) != 1 || q[0].Document != "Lunney" {
		t.Errorf("tag nney: quotes %+v", q)
	}
	if msg, _, _ := wantErr(t, dir, "tag", "lu", "Flowers", "--match", "flowers"); !strings.Contains(msg, "ambiguous") {
		t.Errorf("tag lu: %s", msg)
	}
}

func TestDocRm(t *testing.T) {
	t.Parallel()
	dir := docManageProject(t)
	before := mustQC(t, dir, "docs", "--all", "--json")
	showBefore := mustQC(t, dir, "show", "R07@1", "--json") + mustQC(t, dir, "show", "R07", "--json")
	codesBefore := mustQC(t, dir, "codes", "--json")
	memosBefore := mustQC(t, dir, "memo", "--json")

	msg, _, _ := wantErr(t, dir, "doc", "rm", "r07")
	if !strings.Contains(msg, "R07 has 4 codings by 2 coders; --force removes them too") {
		t.Errorf("doc rm R07 without --force: %s", msg)
	}
	if got := mustQC(t, dir, "docs", "--all", "--json"); got != before {
		t.Error("a refused rm changed the documents")
	}

	out := mustQC(t, dir, "doc", "rm", "r07", "--force")
	if !strings.Contains(out, "Removed R07 (versions 1, 2) with 4 codings by 2 coders and 1 memo.") ||
		!strings.Contains(out, "Its files stay in sources/: R07.txt, R07.v2.txt.") {
		t.Errorf("doc rm --force said:\n%s", out)
	}
	for _, f := range []string{"R07.txt", "R07.v2.txt"} {
		if _, err := os.Stat(filepath.Join(dir, "sources", f)); err != nil {
			t.Errorf("sources/%s: %v", f, err)
		}
	}
	if msg, _, _ := wantErr(t, dir, "show", "R07"); !strings.Contains(msg, "not found") {
		t.Errorf("show R07 after rm: %s", msg)
	}
	if hits := searchHits(t, dir, "NGO"); len(hits.Hits) != 0 {
		t.Errorf("search still finds the removed document: %+v", hits.Hits)
	}
	for _, d := range docs(t, dir, "--all") {
		if d.Name == "R07" {
			t.Errorf("docs --all still lists %s@%d", d.Name, d.Version)
		}
	}

	// Undo brings it all back exactly.
	mustQC(t, dir, "undo")
	if got := mustQC(t, dir, "docs", "--all", "--json"); got != before {
		t.Errorf("docs after undo:\n%s\nwant\n%s", got, before)
	}
	if got := mustQC(t, dir, "show", "R07@1", "--json") + mustQC(t, dir, "show", "R07", "--json"); got != showBefore {
		t.Errorf("show after undo differs:\n%s\nwant\n%s", got, showBefore)
	}
	if got := mustQC(t, dir, "codes", "--json"); got != codesBefore {
		t.Error("codes after undo differ")
	}
	if got := mustQC(t, dir, "memo", "--json"); got != memosBefore {
		t.Error("memos after undo differ")
	}
	if hits := searchHits(t, dir, "NGO"); len(hits.Hits) != 1 {
		t.Errorf("search after undo: %+v", hits.Hits)
	}

	// One version alone.
	out = mustQC(t, dir, "doc", "rm", "R07@1", "--force")
	if !strings.Contains(out, "Removed R07@1 with 1 coding by 1 coder.") {
		t.Errorf("doc rm R07@1 said:\n%s", out)
	}
	if d := show(t, dir, "R07").Document; d.Version != 2 {
		t.Errorf("R07 after rm R07@1 is version %d", d.Version)
	}
	// A document without codings goes without --force.
	out = mustQC(t, dir, "doc", "rm", "luna")
	if !strings.Contains(out, "Removed Luna with no codings.") {
		t.Errorf("doc rm luna said:\n%s", out)
	}
	if msg, _, _ := wantErr(t, dir, "doc", "rm", "nobody"); !strings.Contains(msg, "not found") {
		t.Errorf("doc rm nobody: %s", msg)
	}
	if help := mustQC(t, dir, "doc", "rm", "--help"); !strings.Contains(help, "sources/") || !strings.Contains(help, "undo needs") {
		t.Errorf("doc rm --help does not say the files stay for undo:\n%s", help)
	}
}

func TestDocRename(t *testing.T) {
	t.Parallel()
	dir := docManageProject(t)
	before := mustQC(t, dir, "docs", "--all", "--json")
	ids := map[string]int64{}
	for _, d := range docs(t, dir) {
		ids[d.Name] = d.ID
	}
	// Search sees the old name first, so the index is built.
	if hits := searchHits(t, dir, "doc:R07"); len(hits.Hits) == 0 {
		t.Fatal("search doc:R07 finds nothing before the rename")
	}

	out := mustQC(t, dir, "doc", "rename", "r07", "Vera")
	if !strings.Contains(out, "Renamed R07 to Vera (2 versions).") {
		t.Errorf("doc rename said:\n%s", out)
	}
	for _, d := range docs(t, dir, "--all") {
		if d.Name == "R07" {
			t.Errorf("R07@%d kept its name", d.Version)
		}
	}
	if d := show(t, dir, "vera@1").Document; d.Name != "Vera" || d.Version != 1 {
		t.Errorf("vera@1 = %s@%d", d.Name, d.Version)
	}
	if d := show(t, dir, fmt.Sprintf("#%d", ids["R07"])).Document; d.Name != "Vera" {
		t.Errorf("the short id names %s after the rename", d.Name)
	}
	// The index follows: the new name finds the passages, the old one nothing.
	if hits := searchHits(t, dir, "doc:Vera"); len(hits.Hits) == 0 {
		t.Error("search doc:Vera finds nothing after the rename")
	}
	// The old name is no document any more: the filter says so rather
	// than finding nothing.
	if msg, _, _ := wantErr(t, dir, "search", "doc:R07", "--json"); !strings.Contains(msg, `document "R07": not found`) {
		t.Errorf("search doc:R07 after the rename: %s", msg)
	}
	if hits := searchHits(t, dir, "NGO"); len(hits.Hits) != 1 || hits.Hits[0].Document != "Vera" {
		t.Errorf("search NGO after rename: %+v", hits.Hits)
	}

	mustQC(t, dir, "undo")
	if got := mustQC(t, dir, "docs", "--all", "--json"); got != before {
		t.Errorf("docs after undoing the rename:\n%s\nwant\n%s", got, before)
	}
	if hits := searchHits(t, dir, "doc:R07"); len(hits.Hits) == 0 {
		t.Error("search doc:R07 finds nothing after undoing the rename")
	}

	for _, tc := range []struct{ to, msg string }{
		{"luna", "another document is called Luna"},
		{"", "empty document name"},
		{"R07\x1b[2J", "U+001B"},
		{"R07\u202egpj.exe", "U+202E"},
		{"R07@home", "'@' is how a version is named"},
	} {
		msg, _, _ := wantErr(t, dir, "doc", "rename", "R07", tc.to)
		if !strings.Contains(msg, tc.msg) {
			t.Errorf("rename to %q: %s; want %q", tc.to, msg, tc.msg)
		}
		if strings.ContainsRune(msg, '\x1b') {
			t.Errorf("rename to %q: the error holds the escape itself: %q", tc.to, msg)
		}
	}
	if got := mustQC(t, dir, "docs", "--all", "--json"); got != before {
		t.Error("a refused rename changed the documents")
	}
	if out := mustQC(t, dir, "doc", "rename", "R07", "R07"); !strings.Contains(out, "Nothing changed") {
		t.Errorf("rename to the same name said %q", out)
	}
}
