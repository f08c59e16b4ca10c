package main

import (
	"archive/zip"
	"encoding/csv"
	"io"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// goodProject is a project holding testdata/good's three interviews.
func goodProject(t *testing.T) string {
	t.Helper()
	dir := newProject(t)
	mustQC(t, dir, "import", testdata(t, "good"))
	return dir
}

// 'show' heads each turn with its number and speaker, the number 'tag
// --turn' takes; 'docs' names each document's speakers.
func TestShowTurnsAndDocsSpeakers(t *testing.T) {
	t.Parallel()
	dir := goodProject(t)
	out := mustQC(t, dir, "show", "R01", "--plain")
	lines := strings.Split(out, "\n")
	heads := 0
	for i, l := range lines {
		m := regexp.MustCompile(`^\s+── turn (\d+), (\S+)$`).FindStringSubmatch(l)
		if m == nil {
			continue
		}
		heads++
		if i+1 >= len(lines) || !strings.Contains(lines[i+1], "│ "+m[2]+": ") {
			t.Errorf("show R01: %q is not followed by the turn's first line; got %q", l, lines[i+1])
		}
	}
	if heads != 6 {
		t.Errorf("show R01 --plain headed %d turns, want 6:\n%s", heads, out)
	}
	// The number shown is the one 'tag --turn' takes.
	i := strings.Index(out, "── turn 4, Respondent\n")
	if i < 0 {
		t.Fatalf("show R01 --plain lacks the head of turn 4:\n%s", out)
	}
	next := strings.SplitN(out[i:], "\n", 3)[1]
	lineNo := strings.TrimSpace(strings.SplitN(next, "│", 2)[0])
	mustQC(t, dir, "tag", "R01", "Work", "--turn", "4", "--create")
	if got := show(t, dir, "R01").Codings; len(got) != 1 {
		t.Fatalf("tag --turn 4 made %+v", got)
	}
	if q := quotes(t, dir, "Work"); len(q) != 1 || q[0].Turn != 4 || strings.TrimSpace(lineNo) != strconv.Itoa(q[0].Line) {
		t.Errorf("tag --turn 4 quoted %+v, want turn 4 on line %s", q, lineNo)
	}

	docsOut := mustQC(t, dir, "docs")
	for _, want := range []string{"SPEAKERS", "Interviewer, Respondent", "I, R", "И, Р"} {
		if !strings.Contains(docsOut, want) {
			t.Errorf("docs lacks %q:\n%s", want, docsOut)
		}
	}
}

// 'memo' names what each memo is on.
func TestMemoListsTargetsByName(t *testing.T) {
	t.Parallel()
	dir := goodProject(t)
	mustQC(t, dir, "tag", "R02", "Work/Loss", "--turn", "2", "--create")
	id := show(t, dir, "R02").Codings[0].ID
	mustQC(t, dir, "memo", "add", "--doc", "R01", "on the document")
	mustQC(t, dir, "memo", "add", "--code", "Work/Loss", "on the code")
	mustQC(t, dir, "memo", "add", "--coding", strconv.Itoa(int(id)), "on the coding")
	mustQC(t, dir, "memo", "add", "on the project")
	out := mustQC(t, dir, "memo")
	for _, want := range []string{
		"on document R01, by ana",
		"on code Work/Loss, by ana",
		"on coding " + strconv.Itoa(int(id)) + " (Work/Loss in R02), by ana",
		"on the project, by ana",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("memo lacks %q:\n%s", want, out)
		}
	}
}

// A mistyped quote id is answered as a quote id, with the nearest.
func TestShowMistypedQuoteID(t *testing.T) {
	t.Parallel()
	dir := goodProject(t)
	mustQC(t, dir, "tag", "R01", "Work", "--turn", "2", "--create")
	id := quotes(t, dir, "Work")[0].ID
	tests := []struct{ name, typed, want string }{
		{"one short", id[:len(id)-1], "no quote has this id"},
		{"one wrong", id[:len(id)-1] + other(id[len(id)-1]), "no coded passage in this project has this id"},
	}
	for _, tt := range tests {
		msg, stdout, _ := wantErr(t, dir, "show", tt.typed)
		if !strings.Contains(msg, tt.want) || !strings.Contains(msg, "the nearest id in this project is "+id) ||
			strings.Contains(msg, "document") || stdout != "" {
			t.Errorf("%s: show %s = %q, stdout %q; want %q and the nearest, %s", tt.name, tt.typed, msg, stdout, tt.want, id)
		}
	}
}

// other is a Crockford digit that is not c.
func other(c byte) string {
	if c == '0' {
		return "1"
	}
	return "0"
}

// Counts of one read in the singular.
func TestPluralsOfOne(t *testing.T) {
	t.Parallel()
	dir := newProject(t)
	mustQC(t, dir, "import", writeFile(t, t.TempDir(), "R09.txt", "A: Hello.\n"))
	if out := mustQC(t, dir, "show", "R09", "--plain"); !strings.Contains(out, "2 words, 1 turn)") {
		t.Errorf("show R09 head: %q, want \"1 turn\"", strings.SplitN(out, "\n", 2)[0])
	}
	mustQC(t, dir, "tag", "R09", "Hi", "--turn", "1", "--create")
	msg, _, _ := wantErr(t, dir, "code", "rm", "Hi")
	if !strings.Contains(msg, "1 coding in 1 document and 0 sub-codes") {
		t.Errorf("code rm Hi = %q, want \"1 coding in 1 document and 0 sub-codes\"", msg)
	}
	mustQC(t, dir, "code", "rm", "Hi", "--force")
	if h := history(t, dir); h[0].Label != "delete code Hi (1 coding)" {
		t.Errorf("history = %q, want \"delete code Hi (1 coding)\"", h[0].Label)
	}
}

// Whoever only imported is neither a coder nor a user of the export.
func TestImporterIsNoCoder(t *testing.T) {
	t.Parallel()
	dir := newProject(t)
	f := writeFile(t, t.TempDir(), "R09.txt", "A: Hello.\nB: Hi.\n")
	if _, stderr, err := qcAs(t, dir, "importer", "import", f); err != nil {
		t.Fatalf("import: %v\n%s", err, stderr)
	}
	mustQC(t, dir, "tag", "R09", "Greeting", "--turn", "1", "--create")
	var v struct {
		Coders []struct {
			Name string `json:"name"`
		} `json:"coders"`
	}
	qcJSON(t, dir, &v, "coders", "--json")
	if len(v.Coders) != 1 || v.Coders[0].Name != defaultCoder {
		t.Errorf("coders = %+v, want only %s", v.Coders, defaultCoder)
	}
	out := filepath.Join(t.TempDir(), "p.qdpx")
	mustQC(t, dir, "export", "project", "-o", out)
	zr, err := zip.OpenReader(out)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	qde, err := zr.Open("project.qde")
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(qde)
	users := regexp.MustCompile(`<User [^>]*name="([^"]*)"`).FindAllStringSubmatch(string(data), -1)
	if len(users) != 1 || users[0][1] != defaultCoder {
		t.Errorf("the .qdpx's users = %q, want only %s", users, defaultCoder)
	}
	if m := regexp.MustCompile(`<TextSource [^>]*creatingUser=`).FindString(string(data)); m != "" {
		t.Errorf("the document names its importer as creatingUser: %s", m)
	}
}

// 'export codebook --format taguette' writes the CSV Taguette's codebook
// import reads: exactly one of the columns tag, name and path (the header
// in any case), and description.
func TestTaguetteCodebook(t *testing.T) {
	t.Parallel()
	dir := newProject(t)
	mustQC(t, dir, "code", "add", "Leaving/Reasons", "--desc", "Why they left, in their words.  ")
	mustQC(t, dir, "code", "add", "Work")
	out := mustQC(t, dir, "export", "codebook", "--format", "taguette")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("export codebook --format taguette is not CSV: %v\n%s", err, out)
	}
	named := 0
	for _, h := range rows[0] {
		switch strings.ToLower(h) {
		case "tag", "name", "path":
			named++
		}
	}
	if named != 1 {
		t.Errorf("header %q names the tag in %d columns; Taguette refuses any but one", rows[0], named)
	}
	want := [][]string{{"tag", "description"}, {"Leaving", ""}, {"Leaving/Reasons", "Why they left, in their words.  "}, {"Work", ""}}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("export codebook --format taguette = %q, want %q", rows, want)
	}
}

// The codebook appendix escapes Markdown as the quotes do.
func TestCodebookEscapesLikeQuotes(t *testing.T) {
	t.Parallel()
	dir := goodProject(t)
	mustQC(t, dir, "code", "add", "*Fear* of_the [state]", "--desc", "# not a heading\n1. not a list")
	mustQC(t, dir, "tag", "R01", "*Fear* of_the [state]", "--match", "the police searched our office")
	quotesMD := mustQC(t, dir, "quotes", "*Fear* of_the [state]", "--group")
	book := mustQC(t, dir, "export", "codebook", "--format", "md")
	const name = `\*Fear\* of\_the \[state\]`
	if !strings.Contains(quotesMD, "## "+name+"\n") {
		t.Fatalf("quotes heading lacks %q:\n%s", name, quotesMD)
	}
	for _, want := range []string{"## " + name + "\n", "\\# not a heading\n1\\. not a list\n"} {
		if !strings.Contains(book, want) {
			t.Errorf("codebook md lacks %q:\n%s", want, book)
		}
	}
}

// The participants table: 'attr table' prints it (CSV and JSON too),
// 'attr import' brings an edited sheet back as one undoable action, and
// a bad sheet changes nothing.
func TestAttrTableAndImport(t *testing.T) {
	t.Parallel()
	dir := goodProject(t)
	table := mustQC(t, dir, "attr", "table")
	if !strings.HasPrefix(table, "DOCUMENT ") || !strings.Contains(table, "R01 ") || !strings.Contains(table, "NGO activist") {
		t.Errorf("attr table:\n%s", table)
	}
	sheet := mustQC(t, dir, "attr", "table", "--format", "csv")
	want := "document,title,participant,gender,age:integer,occupation,wave,city,lang,interview_date:date\n" +
		"R01,Interview R01,R01,female,30,NGO activist,February,Tbilisi,en,2022-11-14\n" +
		"R02,,,,,,,,,\nR03,,,,,,,,,\n"
	if sheet != want {
		t.Fatalf("attr table --format csv =\n%s\nwant\n%s", sheet, want)
	}
	var js struct {
		By      string `json:"by"`
		Columns []struct {
			Key, Type string
		} `json:"columns"`
		Rows []struct {
			Name   string   `json:"name"`
			Values []string `json:"values"`
		} `json:"rows"`
	}
	qcJSON(t, dir, &js, "attr", "table", "--format", "json")
	if js.By != "document" || len(js.Rows) != 3 || js.Columns[3].Key != "age" || js.Columns[3].Type != "integer" || js.Rows[0].Values[3] != "30" {
		t.Errorf("attr table --format json = %+v", js)
	}

	// The sheet edited in a spreadsheet (semicolons) comes back.
	edited := writeFile(t, t.TempDir(), "participants.csv",
		"document;age:integer;wave\nR01;31;\nR02;41;September\nR03;29;September\n")
	before := storeSnapshot(t, dir)
	dry := mustQC(t, dir, "attr", "import", edited, "--dry-run")
	if !strings.HasPrefix(dry, "Dry run, nothing changed: would set 5 values on 3 documents") || !strings.Contains(dry, "R01  age   30 → 31 (integer)") {
		t.Errorf("attr import --dry-run:\n%s", dry)
	}
	if !reflect.DeepEqual(storeSnapshot(t, dir), before) {
		t.Fatal("a dry run changed the project")
	}
	out := mustQC(t, dir, "attr", "import", edited)
	if !strings.Contains(out, "Done: import attributes from participants.csv: 5 values on 3 documents.") {
		t.Errorf("attr import:\n%s", out)
	}
	if got := mustQC(t, dir, "attr", "table", "--format", "csv"); !strings.Contains(got, "R02,,,,41,,September,,,\n") {
		t.Errorf("after the import:\n%s", got)
	}
	mustQC(t, dir, "undo")
	if got := mustQC(t, dir, "attr", "table", "--format", "csv"); got != want {
		t.Errorf("after undo:\n%s\nwant\n%s", got, want)
	}

	// Bad sheets: an error naming the file and line, nothing changed.
	before = storeSnapshot(t, dir)
	for _, tt := range []struct{ name, text, want string }{
		{"unknown.csv", "document,age\nR01,31\nR99,3\n", `unknown.csv:3: not found: no document is called "R99"`},
		{"typed.csv", "document,age\nR02,thirty\n", `typed.csv:2: invalid: age "thirty" is not an integer`},
		{"header.csv", "person,age\nR01,3\n", `header.csv:1: invalid: the first column is "person"`},
		{"quote.csv", "document,age\nR01,\"3\n", `quote.csv:2: invalid:`},
	} {
		msg, stdout, _ := wantErr(t, dir, "attr", "import", writeFile(t, t.TempDir(), tt.name, tt.text))
		if !strings.Contains(msg, tt.want) || stdout != "" {
			t.Errorf("attr import %s = %q, stdout %q; want %q", tt.name, msg, stdout, tt.want)
		}
	}
	if !reflect.DeepEqual(storeSnapshot(t, dir), before) {
		t.Error("a refused sheet changed the project")
	}
}

// Setting a value whose type differs from the key's elsewhere warns that
// the export will make the key text; a value of the same type does not.
func TestAttrSetWarnsOfMixedTypes(t *testing.T) {
	t.Parallel()
	dir := goodProject(t)
	tests := []struct {
		args []string
		warn string
	}{
		{[]string{"R02", "age=41"}, ""},
		{[]string{"R03", "age=thirty"}, `warning: age is an integer on 2 other documents; "thirty" is text, so a .qdpx export writes age as text for every document`},
		{[]string{"R03", "age:text=thirty"}, ""},
		{[]string{"R02", "wave=September"}, ""},
	}
	for _, tt := range tests {
		_, stderr, err := qc(t, dir, append([]string{"attr", "set"}, tt.args...)...)
		if err != nil {
			t.Fatalf("attr set %q: %v", tt.args, err)
		}
		if tt.warn == "" && stderr != "" || tt.warn != "" && !strings.HasPrefix(stderr, tt.warn) {
			t.Errorf("attr set %q: stderr %q, want %q", tt.args, stderr, tt.warn)
		}
	}
}
