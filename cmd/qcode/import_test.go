package main

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// snapshot is everything a user can see of a project, and the bytes of its
// files, so that a failed command can be shown to have touched nothing.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	snap := map[string]string{
		"docs --all --json": mustQC(t, dir, "docs", "--all", "--json"),
		"codes --json":      mustQC(t, dir, "codes", "--json"),
		"history --json":    mustQC(t, dir, "history", "--json", "--limit", "1000"),
		"memo --json":       mustQC(t, dir, "memo", "--json"),
	}
	// Files are read after the commands above, which leave the database
	// checkpointed and closed.
	// The search index is left out: it is derived data that bleve may
	// compact whenever it is opened, and it is rebuilt from the store.
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() && p == filepath.Join(dir, "index") {
			return filepath.SkipDir
		}
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		sum := sha256.Sum256(b)
		snap["file "+filepath.ToSlash(rel)] = hex.EncodeToString(sum[:])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

func diffSnapshots(t *testing.T, what string, before, after map[string]string) {
	t.Helper()
	for k, v := range before {
		if w, ok := after[k]; !ok {
			t.Errorf("%s: %s is gone", what, k)
		} else if w != v {
			t.Errorf("%s: %s changed:\nbefore: %s\nafter:  %s", what, k, v, w)
		}
	}
	for k := range after {
		if _, ok := before[k]; !ok {
			t.Errorf("%s: %s appeared", what, k)
		}
	}
}

// badInputs are the files of testdata/bad/ that are refused, and a word
// that the reason given for refusing each must contain. (latin1.txt is
// read as windows-1252, with a warning: see TestImportMixedFolders.)
var badInputs = []struct {
	file, reason string
}{
	{"photo.txt", "binary"},
	{"blank.txt", "empty"},
	{"cut.docx", "not a valid .docx"},
	{"laughs.docx", "DOCTYPE"},
	{"bomb.docx", "64 MiB"},
	{"garbled.vtt", "timing"},
}

// seededProject is a project with something in it to lose: documents,
// codes, codings, a memo and history.
func seededProject(t *testing.T) string {
	t.Helper()
	dir := newProject(t)
	mustQC(t, dir, "import", testdata(t, "good", "R01.md"), testdata(t, "good", "R03.txt"))
	mustQC(t, dir, "tag", "R01", "Fear of repression", "--match", "they will come for us first", "--create")
	mustQC(t, dir, "tag", "R03", "Language learning", "--match", "хожу на курсы", "--create")
	mustQC(t, dir, "memo", "add", "--doc", "R01", "Interview held in a café; some noise.")
	return dir
}

// TestImportBadInput imports each hostile file on its own: the error names
// the file and the reason, and the project is exactly as it was.
func TestImportBadInput(t *testing.T) {
	t.Parallel()
	dir := seededProject(t)
	for _, tt := range badInputs {
		t.Run(tt.file, func(t *testing.T) {
			path := testdata(t, "bad", tt.file)
			before := snapshot(t, dir)
			stdout, stderr, err := qc(t, dir, "import", path)
			if err == nil {
				t.Fatalf("run(import %s) = nil, want an error; stdout %q", tt.file, stdout)
			}
			// What the user reads: the returned error (printed by main)
			// and the lines on stderr.
			said := stderr + "\n" + err.Error()
			if !strings.Contains(said, path) || !strings.Contains(said, tt.reason) {
				t.Errorf("run(import %s): error %q, stderr %q; want the file's path and %q", tt.file, err, stderr, tt.reason)
			}
			if strings.Contains(stdout, "imported 1") {
				t.Errorf("run(import %s) printed %q", tt.file, stdout)
			}
			diffSnapshots(t, "import "+tt.file, before, snapshot(t, dir))

			// With --json the per-file result says the same, and
			// nothing is added either. (The bomb takes seconds to
			// refuse; once is enough.)
			if tt.file == "bomb.docx" {
				return
			}
			var res importJSON
			stdout, _, err = qc(t, dir, "import", path, "--json")
			if err == nil {
				t.Errorf("run(import %s --json) = nil, want an error", tt.file)
			}
			decodeOne(t, stdout, &res, []string{"import", path, "--json"})
			if len(res.Files) != 1 || res.Files[0].Status != "failed" || res.Files[0].File != path ||
				!strings.Contains(res.Files[0].Error, path) || !strings.Contains(res.Files[0].Error, tt.reason) {
				t.Errorf("run(import %s --json) = %+v, want one failed file naming %s and %q", tt.file, res.Files, path, tt.reason)
			}
			diffSnapshots(t, "import --json "+tt.file, before, snapshot(t, dir))
		})
	}
}

// TestImportHuge imports a transcript of 65 MiB (a sparse file, so it
// costs no disk): it is refused by its size before it is read.
func TestImportHuge(t *testing.T) {
	t.Parallel()
	dir := seededProject(t)
	huge := filepath.Join(t.TempDir(), "R77.txt")
	f, err := os.Create(huge)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(65 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	before := snapshot(t, dir)
	_, stderr, err := qc(t, dir, "import", huge)
	if err == nil {
		t.Fatalf("run(import %s) = nil, want an error", huge)
	}
	if said := stderr + err.Error(); !strings.Contains(said, huge) || !strings.Contains(said, "64 MiB") {
		t.Errorf("run(import %s) = %v, stderr %q; want the path and the 64 MiB limit", huge, err, stderr)
	}
	diffSnapshots(t, "import of a huge file", before, snapshot(t, dir))
}

// TestImportOptions checks that --attr and --lang override what the
// files say.
func TestImportOptions(t *testing.T) {
	t.Parallel()
	dir := newProject(t)
	mustQC(t, dir, "import", testdata(t, "good"), "--attr", "cohort=2022", "--attr", "age=45", "--attr", "site:text=Tbilisi, Vake", "--lang", "RU")
	ds := docs(t, dir)
	if len(ds) != 3 {
		t.Fatalf("docs --json lists %d documents, want 3", len(ds))
	}
	for _, d := range ds {
		if d.Lang != "ru" {
			t.Errorf("%s: lang %q, want ru from --lang RU", d.Name, d.Lang)
		}
		for _, want := range []attrJSON{{"cohort", "integer", "2022"}, {"age", "integer", "45"}, {"site", "text", "Tbilisi, Vake"}} {
			if a, ok := d.attr(want.Key); !ok || a != want {
				t.Errorf("%s: attribute %s = %+v, want %+v", d.Name, want.Key, a, want)
			}
		}
	}
	if a, _ := ds[0].attr("gender"); a.Value != "female" {
		t.Errorf("R01: gender = %+v, want the file's female kept", a)
	}
	if msg, _, _ := wantErr(t, dir, "import", testdata(t, "good"), "--attr", "age:integer=forty"); !strings.Contains(msg, "forty") {
		t.Errorf("import --attr age:integer=forty: error %q, want it to quote the value", msg)
	}
}

// TestImportMixedFolders imports folders of good and bad files in one
// command: the good ones go in, each bad one is reported by name, and the
// command fails. The file in Latin-1 goes in too, with a warning that its
// encoding was guessed.
func TestImportMixedFolders(t *testing.T) {
	t.Parallel()
	dir := newProject(t)
	bad, good := testdata(t, "bad"), testdata(t, "good")
	stdout, stderr, err := qc(t, dir, "import", bad, good)
	if err == nil {
		t.Fatalf("run(import bad good) = nil, want an error; stdout %q", stdout)
	}
	if !strings.Contains(err.Error(), "6 files") {
		t.Errorf("run(import bad good) = %v, want it to count the 6 files that failed", err)
	}
	if !strings.HasPrefix(stdout, "imported 4, 6 failed;") {
		t.Errorf("run(import bad good) printed %q, want \"imported 4, 6 failed; ...\"", stdout)
	}
	if w := filepath.Join("bad", "latin1.txt") + " → latin1: I (interviewer) 1 turn, R 1 turn\n  warning: read as windows-1252"; !strings.Contains(stdout, w) {
		t.Errorf("run(import bad good) printed:\n%s\nwant it to contain %q", stdout, w)
	}
	for _, tt := range badInputs {
		if !strings.Contains(stderr, filepath.Join(bad, tt.file)) {
			t.Errorf("stderr does not name %s:\n%s", tt.file, stderr)
		}
	}
	for _, name := range []string{"R01", "R02", "R03", "latin1"} {
		if strings.Contains(stderr, name) {
			t.Errorf("stderr mentions the good file %s:\n%s", name, stderr)
		}
	}
	var names []string
	for _, d := range docs(t, dir, "--all") {
		names = append(names, d.Name)
	}
	if want := []string{"R01", "R02", "R03", "latin1"}; !slices.Equal(names, want) {
		t.Errorf("docs --all --json names = %q, want %q", names, want)
	}
	if got := show(t, dir, "latin1").Text; !strings.Contains(got, "Above a café near the station.") {
		t.Errorf("latin1 reads %q, want the café read right", got)
	}
	src, err := os.ReadDir(filepath.Join(dir, "sources"))
	if err != nil {
		t.Fatal(err)
	}
	if len(src) != 4 {
		t.Errorf("sources/ holds %d files, want the 4 good ones", len(src))
	}
}
