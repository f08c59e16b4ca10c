package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/coding/pseudo"
)

type pseudoListOut struct {
	Key     string         `json:"key"`
	Entries []pseudo.Entry `json:"entries"`
	Missing []string       `json:"missing"`
	Removed int            `json:"removed"`
}

func pseudoList(t *testing.T, dir string) pseudoListOut {
	t.Helper()
	var out pseudoListOut
	qcJSON(t, dir, &out, "pseudo", "list", "--json")
	return out
}

// pseudoProject makes a project with the bilingual transcripts of
// testdata/pseudo and a private config folder for its key.
func pseudoProject(t *testing.T) (dir, config string) {
	t.Helper()
	config = t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", config)
	t.Setenv("QCODE_KEY", "")
	dir = newProject(t)
	mustQC(t, dir, "import", testdata(t, "pseudo", "R01.txt"), testdata(t, "pseudo", "E01.txt"))
	return dir, config
}

// findIn opens the project and finds the key's entries in force in text,
// as every user of the key does.
func findIn(t *testing.T, dir, text string) []string {
	t.Helper()
	ctx := context.Background()
	s, err := coding.Open(ctx, dir, coding.Options{Coder: defaultCoder})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	k, err := pseudo.KeyFor(ctx, s, os.Getenv("QCODE_KEY"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	r := []rune(text)
	for _, m := range pseudo.NewMatcher(k.Entries).Find("R01", text) {
		got = append(got, string(r[m.Start:m.End])+"→"+m.Entry.Pseudonym)
	}
	return got
}

func TestPseudoAddListRmUndo(t *testing.T) {
	dir, config := pseudoProject(t)
	out, errOut, err := qc(t, dir, "pseudo", "add", "Анна", "Participant 1")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errOut, "the pseudonym is [Participant 1]") || !strings.Contains(out, "→ [Participant 1]") {
		t.Errorf("an unbracketed pseudonym is not wrapped and said so:\n%s\n%s", out, errOut)
	}
	if !strings.Contains(errOut, filepath.Join(config, "qcode", "keys")) {
		t.Errorf("the first add does not say where the key is:\n%s", errOut)
	}
	mustQC(t, dir, "pseudo", "add", "Анна Петрова", "[Participant 2]")
	mustQC(t, dir, "pseudo", "add", "Тбилиси", "[город]", "--kind", "place")
	mustQC(t, dir, "pseudo", "add", "Sasha", "[S]", "--doc", "E01")

	l := pseudoList(t, dir)
	if len(l.Entries) != 4 || !strings.HasPrefix(l.Key, config) {
		t.Fatalf("list = %+v, want 4 entries in a key under %s", l, config)
	}
	for _, e := range l.Entries {
		if e.Real == "Sasha" && e.Doc != "E01" || e.Real == "Тбилиси" && e.Kind != pseudo.Place {
			t.Errorf("entry %+v lost its document or kind", e)
		}
	}
	table := mustQC(t, dir, "pseudo", "list")
	for _, w := range []string{"ID", "Анна Петрова", "[Participant 2]", "place", "E01", "(all)"} {
		if !strings.Contains(table, w) {
			t.Errorf("pseudo list lacks %q:\n%s", w, table)
		}
	}
	text := "Анной Петровой и Анну видели в Тбилиси; Ганна нет."
	want := "Анной Петровой→[Participant 2] Анну→[Participant 1] Тбилиси→[город]"
	if got := strings.Join(findIn(t, dir, text), " "); got != want {
		t.Errorf("found %q, want %q", got, want)
	}

	// Refused, and nothing changed.
	refused := []struct {
		args []string
		want string
	}{
		{[]string{"pseudo", "add", "Анна", "[P9]"}, "in the key already"},
		{[]string{"pseudo", "add", "Мария", "[Анна K.]"}, "holds the real value"},
		{[]string{"pseudo", "add", "Мария", "[Мария]"}, "holds the real value"},
		{[]string{"pseudo", "add", "Participant", "[P]"}, "would be taken for a real value"},
		{[]string{"pseudo", "add", "Мария", "[P]]"}, "square brackets"},
		{[]string{"pseudo", "add", "Мария", "[P]", "--kind", "pet"}, "unknown kind"},
		{[]string{"pseudo", "add", "...", "[P]"}, "no letter or digit"},
		{[]string{"pseudo", "add", "Мария", "[P]", "--doc", "nosuch"}, "nosuch"},
		{[]string{"pseudo", "add", "Мария", "[P]", "--key", filepath.Join(dir, "key.json")}, "inside the project folder"},
		{[]string{"pseudo", "rm", "Мария"}, "no pair"},
	}
	for _, r := range refused {
		msg, _, _ := wantErr(t, dir, r.args...)
		if !strings.Contains(msg, r.want) {
			t.Errorf("%q: %s, want %q", r.args, msg, r.want)
		}
	}
	if l := pseudoList(t, dir); len(l.Entries) != 4 {
		t.Fatalf("a refused add changed the key: %+v", l)
	}

	// undo and redo.
	mustQC(t, dir, "undo") // Sasha
	mustQC(t, dir, "undo") // Тбилиси
	mustQC(t, dir, "undo") // Анна Петрова
	mustQC(t, dir, "undo") // Анна
	if l := pseudoList(t, dir); len(l.Entries) != 0 || l.Removed != 4 {
		t.Fatalf("after undoing every add: %+v, want none in force and 4 kept", l)
	}
	if got := findIn(t, dir, text); len(got) != 0 {
		t.Errorf("after undo the key still finds %q", got)
	}
	mustQC(t, dir, "redo")
	mustQC(t, dir, "redo")
	l = pseudoList(t, dir)
	if len(l.Entries) != 2 {
		t.Fatalf("after two redos: %+v", l)
	}
	if got := strings.Join(findIn(t, dir, text), " "); got != "Анной Петровой→[Participant 2] Анну→[Participant 1]" {
		t.Errorf("after redo found %q", got)
	}
	mustQC(t, dir, "redo")
	mustQC(t, dir, "redo")

	// rm by value and by id; undo brings it back.
	out = mustQC(t, dir, "pseudo", "rm", "анна")
	if !strings.Contains(out, "Removed") {
		t.Errorf("rm: %s", out)
	}
	if got := strings.Join(findIn(t, dir, "Анну"), " "); got != "" {
		t.Errorf("after rm found %q", got)
	}
	mustQC(t, dir, "undo")
	if got := strings.Join(findIn(t, dir, "Анну"), " "); got != "Анну→[Participant 1]" {
		t.Errorf("after undoing rm found %q", got)
	}
	var tb pseudo.Entry
	for _, e := range pseudoList(t, dir).Entries {
		if e.Real == "Тбилиси" {
			tb = e
		}
	}
	mustQC(t, dir, "pseudo", "rm", tb.ID, "--forget")
	keyBytes, err := os.ReadFile(l.Key)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(keyBytes, []byte("Тбилиси")) {
		t.Error("rm --forget left the value in the key file")
	}
	mustQC(t, dir, "undo")
	l = pseudoList(t, dir)
	if len(l.Missing) != 1 || l.Missing[0] != tb.ID {
		t.Errorf("a forgotten entry put back in force by undo should be missing from the key: %+v", l)
	}
	_, errOut, _ = qc(t, dir, "pseudo", "list")
	if !strings.Contains(errOut, "warning: entry "+tb.ID) {
		t.Errorf("list does not warn of the missing entry:\n%s", errOut)
	}

	// The key file: 0600 in a 0700 folder, outside the project.
	for p, mode := range map[string]os.FileMode{l.Key: 0o600, filepath.Dir(l.Key): 0o700} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != mode {
			t.Errorf("%s: mode %o, want %o", p, st.Mode().Perm(), mode)
		}
	}
	if got := strings.TrimSpace(mustQC(t, dir, "pseudo", "key", "path")); got != l.Key {
		t.Errorf("key path = %q, want %q", got, l.Key)
	}
	// Readable by others: refused, naming the file and the cure.
	if err := os.Chmod(l.Key, 0o644); err != nil {
		t.Fatal(err)
	}
	msg, _, _ := wantErr(t, dir, "pseudo", "list")
	if !strings.Contains(msg, l.Key) || !strings.Contains(msg, "chmod 600") {
		t.Errorf("a key readable by others: %s", msg)
	}
}

// Values that are in no document: after every command, no file of the
// project holds them.
func TestPseudoKeyNeverInProject(t *testing.T) {
	dir, config := pseudoProject(t)
	reals := []string{"Зульфия Магомедова", "Keziah Okonkwo-Brandt", "Улица Героев Невы"}
	mustQC(t, dir, "pseudo", "add", reals[0], "[Participant 7]")
	mustQC(t, dir, "pseudo", "add", reals[1], "[Participant 8]")
	mustQC(t, dir, "pseudo", "add", reals[2], "[улица]", "--kind", "place")
	mustQC(t, dir, "pseudo", "list")
	mustQC(t, dir, "pseudo", "list", "--json")
	mustQC(t, dir, "pseudo", "rm", reals[1])
	mustQC(t, dir, "undo")
	mustQC(t, dir, "redo")
	mustQC(t, dir, "undo")
	mustQC(t, dir, "pseudo", "suggest")
	mustQC(t, dir, "history")
	mustQC(t, dir, "search", "Participant")

	var words []string
	for _, r := range reals {
		words = append(words, strings.Fields(r)...)
	}
	n := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		n++
		for _, w := range words {
			if bytes.Contains(b, []byte(w)) {
				t.Errorf("%s holds %q", p, w)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 2 {
		t.Fatalf("only %d files in the project", n)
	}
	keys, _ := filepath.Glob(filepath.Join(config, "qcode", "keys", "*.json"))
	if len(keys) != 1 {
		t.Fatalf("keys in the config folder: %v", keys)
	}
	if b, _ := os.ReadFile(keys[0]); !bytes.Contains(b, []byte(reals[0])) {
		t.Error("the key file lacks the value added")
	}
}

func TestPseudoKeyFlagAndEnv(t *testing.T) {
	dir, config := pseudoProject(t)
	other := filepath.Join(t.TempDir(), "vault", "study-key.json")
	mustQC(t, dir, "pseudo", "add", "Анна", "[P1]", "--key", other)
	if _, err := os.Stat(other); err != nil {
		t.Fatalf("--key did not write there: %v", err)
	}
	if keys, _ := filepath.Glob(filepath.Join(config, "qcode", "keys", "*")); len(keys) != 0 {
		t.Errorf("--key also wrote the default key: %v", keys)
	}
	// $QCODE_KEY is the default for --key.
	t.Setenv("QCODE_KEY", other)
	if l := pseudoList(t, dir); len(l.Entries) != 1 || l.Key != other {
		t.Errorf("with $QCODE_KEY: %+v", l)
	}
	t.Setenv("QCODE_KEY", filepath.Join(dir, "sources", "k.json"))
	msg, _, _ := wantErr(t, dir, "pseudo", "list")
	if !strings.Contains(msg, "inside the project folder") {
		t.Errorf("$QCODE_KEY inside the project: %s", msg)
	}
	help := mustQC(t, dir, "pseudo", "add", "--help")
	if !strings.Contains(help, "$QCODE_KEY") {
		t.Errorf("--help does not mention $QCODE_KEY:\n%s", help)
	}
}

func TestPseudoSuggest(t *testing.T) {
	dir, _ := pseudoProject(t)
	type cand struct {
		Value string   `json:"value"`
		Type  string   `json:"type"`
		Count int      `json:"count"`
		Forms []string `json:"forms"`
		Doc   string   `json:"doc"`
		Line  int      `json:"line"`
		InKey string   `json:"in_key"`
	}
	suggest := func(args ...string) map[string]cand {
		var out struct {
			Candidates []cand `json:"candidates"`
		}
		qcJSON(t, dir, &out, append([]string{"pseudo", "suggest", "--json"}, args...)...)
		m := map[string]cand{}
		for _, c := range out.Candidates {
			m[c.Type+" "+c.Value] = c
		}
		return m
	}
	cs := suggest()
	anna, ok := cs["name Анна"]
	if !ok {
		t.Fatalf("no candidate Анна in %v", cs)
	}
	if anna.Count < 6 || len(anna.Forms) < 4 || anna.Doc != "R01" {
		t.Errorf("Анна = %+v, want her case forms together", anna)
	}
	for _, k := range []string{"speaker Олег", "speaker Sasha", "name Тбилиси"} {
		if _, ok := cs[k]; !ok {
			t.Errorf("no candidate %q", k)
		}
	}
	// The full name is one candidate, its case forms together.
	full := false
	for _, c := range cs {
		if strings.Contains(strings.Join(c.Forms, "|"), "Анной Петровой") && strings.Contains(strings.Join(c.Forms, "|"), "Анну Петрову") {
			full = true
		}
	}
	if !full {
		t.Errorf("no candidate for the full name with its case forms: %v", cs)
	}
	for _, k := range []string{"speaker Интервьюер", "speaker Interviewer", "name Ганна"} {
		if _, ok := cs[k]; ok && k != "name Ганна" {
			t.Errorf("candidate %q should not be there", k)
		}
	}
	if g, ok := cs["name Ганна"]; ok && len(g.Forms) > 0 {
		t.Errorf("Ганна grouped with other forms: %+v", g)
	}
	// One document; --min; the key marks what it has.
	for k, c := range suggest("E01") {
		if c.Doc != "E01" && c.Doc != "" {
			t.Errorf("suggest E01 gave %s from %s", k, c.Doc)
		}
	}
	for k, c := range suggest("--min", "3") {
		if c.Count < 3 {
			t.Errorf("--min 3 gave %s with %d", k, c.Count)
		}
	}
	mustQC(t, dir, "pseudo", "add", "Анна", "[P1]")
	if c := suggest()["name Анна"]; c.InKey == "" {
		t.Errorf("Анна in the key is not marked: %+v", c)
	}
	text := mustQC(t, dir, "pseudo", "suggest")
	if !regexp.MustCompile(`(?m)^\s+\d+\s+name\s+Анна\s.*\[in the key: k[0-9a-f]+\]$`).MatchString(text) || !strings.Contains(text, "R01:2: ") {
		t.Errorf("suggest text:\n%s", text)
	}
}

// writeZip writes a zip archive of the named entries.
func writeZip(t *testing.T, path string, files ...string) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(files); i += 2 {
		w, err := zw.Create(files[i])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(files[i+1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestPseudoCheck(t *testing.T) {
	dir, _ := pseudoProject(t)
	mustQC(t, dir, "pseudo", "add", "Анна", "[P1]")
	mustQC(t, dir, "pseudo", "add", "Анна Петрова", "[P2]")
	mustQC(t, dir, "pseudo", "add", "Sasha", "[S]", "--doc", "E01")
	var anna pseudo.Entry
	for _, e := range pseudoList(t, dir).Entries {
		if e.Real == "Анна" {
			anna = e
		}
	}
	out := t.TempDir()
	doc := func(text string) string {
		return `<w:document xmlns:w="x"><w:body><w:p><w:r><w:t>Title</w:t></w:r></w:p><w:p><w:r><w:t>` + text + `</w:t></w:r></w:p></w:body></w:document>`
	}
	leaky := map[string]string{
		"q.md":   "# Fear\n\n> She told Анну everything.\n",
		"q.tex":  "\\begin{quote}Анна\\end{quote}\n",
		"q.txt":  "line one\nline two\nSasha's story\n",
		"q.csv":  "doc,text\nR01,\"видели Анной Петровой\"\n",
		"q.json": "{\n  \"text\": \"\\u0410\\u043d\\u043d\\u0435\"\n}\n",
	}
	clean := map[string]string{
		"c.md":   "# Fear\n\n> She told [P1] everything; Ганна stayed.\n",
		"c.tex":  "\\begin{quote}[P1]\\end{quote}\n",
		"c.txt":  "Sashimi\n",
		"c.csv":  "doc,text\nR01,\"[P2]\"\n",
		"c.json": "{\"text\": \"[P1]\"}\n",
	}
	for name, body := range leaky {
		writeFile(t, out, name, body)
	}
	for name, body := range clean {
		writeFile(t, out, name, body)
	}
	writeZip(t, filepath.Join(out, "q.docx"), "word/document.xml", doc("с Анной"))
	writeZip(t, filepath.Join(out, "c.docx"), "word/document.xml", doc("с [P1]"))
	writeZip(t, filepath.Join(out, "q.qdpx"), "project.qde", "<Project/>", "sources/a.txt", "x\nАнна Петрова\n")
	writeZip(t, filepath.Join(out, "c.qdpx"), "project.qde", "<Project/>", "sources/a.txt", "x\n[P2]\n")

	wantLeaks := map[string]string{
		"q.md":   `q.md:3: "Анну" matches key entry ` + anna.ID + ` (person)`,
		"q.tex":  `q.tex:1: "Анна" matches key entry ` + anna.ID + ` (person)`,
		"q.txt":  `q.txt:3: "Sasha" matches key entry k`,
		"q.csv":  `q.csv:2: "Анной Петровой" matches key entry k`,
		"q.json": `q.json:2: "Анне" matches key entry ` + anna.ID,
		"q.docx": `q.docx:word/document.xml:2: "Анной" matches key entry ` + anna.ID,
		"q.qdpx": `q.qdpx:sources/a.txt:2: "Анна Петрова" matches key entry k`,
	}
	for name, want := range wantLeaks {
		p := filepath.Join(out, name)
		_, stdout, stderr := wantErr(t, dir, "pseudo", "check", p)
		if !strings.Contains(stdout, filepath.Join(out, want)) {
			t.Errorf("check %s:\n%s\nwant %s", name, stdout, want)
		}
		if !strings.Contains(stderr, "1 real value found in 1 file") {
			t.Errorf("check %s: stderr %s", name, stderr)
		}
	}
	var cleanFiles []string
	for _, name := range []string{"c.md", "c.tex", "c.txt", "c.csv", "c.json", "c.docx", "c.qdpx"} {
		cleanFiles = append(cleanFiles, filepath.Join(out, name))
	}
	got := mustQC(t, dir, append([]string{"pseudo", "check"}, cleanFiles...)...)
	if strings.TrimSpace(got) != "No real value found in 7 files." {
		t.Errorf("check on clean files: %q", got)
	}
	// A folder: every file in it.
	_, stdout, _ := wantErr(t, dir, "pseudo", "check", out)
	if n := strings.Count(stdout, "matches key entry"); n != len(wantLeaks) {
		t.Errorf("check on the folder found %d, want %d:\n%s", n, len(wantLeaks), stdout)
	}
	// JSON.
	_, stdout, _ = wantErr(t, dir, "pseudo", "check", "--json", filepath.Join(out, "q.md"))
	var js struct {
		Files    int              `json:"files"`
		Findings []pseudo.Finding `json:"findings"`
	}
	if err := json.Unmarshal([]byte(stdout), &js); err != nil || js.Files != 1 || len(js.Findings) != 1 || js.Findings[0].Line != 3 {
		t.Errorf("check --json: %v %+v", err, js)
	}
	// What cannot be read is an error naming the file.
	bin := filepath.Join(out, "x.bin")
	os.WriteFile(bin, []byte{0xff, 0x00, 0x12}, 0o600)
	bomb := writeZip(t, filepath.Join(out, "bad.docx"), "other.xml", "x")
	for _, p := range []string{bin, bomb} {
		_, _, stderr := wantErr(t, dir, "pseudo", "check", p)
		if !strings.Contains(stderr, p) {
			t.Errorf("check %s: %s", p, stderr)
		}
	}
	msg, _, _ := wantErr(t, dir, "pseudo", "check", filepath.Join(out, "nosuch.md"))
	if !strings.Contains(msg, "nosuch.md") {
		t.Errorf("check on a missing file: %s", msg)
	}
}

func TestPseudoKeyExportImport(t *testing.T) {
	dir, _ := pseudoProject(t)
	mustQC(t, dir, "pseudo", "add", "Анна", "[P1]")
	mustQC(t, dir, "pseudo", "add", "Тбилиси", "[город]", "--kind", "place")
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	idFile := writeFile(t, t.TempDir(), "me.txt", id.String()+"\n")
	enc := filepath.Join(t.TempDir(), "key.age")
	mustQC(t, dir, "pseudo", "key", "export", "--to", id.Recipient().String(), "-o", enc)
	b, err := os.ReadFile(enc)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, []byte("Анна")) || bytes.Contains(b, []byte("Тбилиси")) || !bytes.HasPrefix(b, []byte("age-encryption.org/")) {
		t.Fatalf("the exported key is not encrypted: %q", b[:40])
	}
	msg, _, _ := wantErr(t, dir, "pseudo", "key", "export", "--to", id.Recipient().String(), "-o", enc)
	if !strings.Contains(msg, "exists") {
		t.Errorf("export over a file: %s", msg)
	}
	msg, _, _ = wantErr(t, dir, "pseudo", "key", "export", "--to", "not-a-key", "-o", filepath.Join(t.TempDir(), "k.age"))
	if !strings.Contains(msg, "age public key") {
		t.Errorf("export to a bad recipient: %s", msg)
	}
	msg, _, _ = wantErr(t, dir, "pseudo", "key", "export", "--to", id.Recipient().String(), "-o", filepath.Join(dir, "k.age"))
	if !strings.Contains(msg, "inside the project folder") {
		t.Errorf("export into the project: %s", msg)
	}

	// Another machine: a new config folder, the same project.
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	if l := pseudoList(t, dir); len(l.Entries) != 0 || len(l.Missing) != 2 {
		t.Fatalf("before import: %+v, want 2 entries missing", l)
	}
	other, _ := age.GenerateX25519Identity()
	wrong := writeFile(t, t.TempDir(), "other.txt", other.String()+"\n")
	msg, _, _ = wantErr(t, dir, "pseudo", "key", "import", enc, "--identity", wrong)
	if !strings.Contains(msg, "encrypted to someone else") {
		t.Errorf("import with the wrong identity: %s", msg)
	}
	out := mustQC(t, dir, "pseudo", "key", "import", enc, "--identity", idFile)
	if !strings.Contains(out, "2 new entries") {
		t.Errorf("import: %s", out)
	}
	if l := pseudoList(t, dir); len(l.Entries) != 2 || len(l.Missing) != 0 {
		t.Errorf("after import: %+v", l)
	}
	out = mustQC(t, dir, "pseudo", "key", "import", enc, "--identity", idFile)
	if !strings.Contains(out, "0 new entries") {
		t.Errorf("import again: %s", out)
	}
	// Another project's key is refused.
	dir2 := newProject(t)
	msg, _, _ = wantErr(t, dir2, "pseudo", "key", "import", enc, "--identity", idFile)
	if !strings.Contains(msg, "not to this one") {
		t.Errorf("import into another project: %s", msg)
	}
}
