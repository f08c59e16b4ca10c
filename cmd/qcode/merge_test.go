package main

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/coding/refiqda"
)

type mergeOut struct {
	From    string `json:"from"`
	DryRun  bool   `json:"dry_run"`
	Backup  string `json:"backup"`
	Summary struct {
		Documents        int `json:"documents"`
		MatchedDocuments int `json:"matched_documents"`
		Coders           int `json:"coders"`
		Codes            int `json:"codes"`
		Codings          int `json:"codings"`
		SkippedCodings   int `json:"skipped_codings"`
		Memos            int `json:"memos"`
		Conflicts        []struct {
			Kind    string `json:"kind"`
			Subject string `json:"subject"`
			Detail  string `json:"detail"`
		} `json:"conflicts"`
	} `json:"summary"`
}

// copyTree copies a project folder (closed: no command is running on it).
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o700)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestMergeCommand: two coders work on copies of the demo; one merges the
// other's copy, sees the backup, merges again to no effect, and undoes.
func TestMergeCommand(t *testing.T) {
	t.Parallel()
	team := buildDemo(t)
	mine := filepath.Join(t.TempDir(), "mine.qcode")
	theirs := filepath.Join(t.TempDir(), "theirs.qcode")
	copyTree(t, team, mine)
	copyTree(t, team, theirs)
	if _, stderr, err := qcAs(t, theirs, "tamar", "tag", "R01", "Housing", "--match", "He brings me tomatoes from his village.", "--create"); err != nil {
		t.Fatalf("tag in theirs: %v\n%s", err, stderr)
	}
	theirsDB, _ := os.ReadFile(filepath.Join(theirs, "project.db"))

	// A dry run says what would come and changes nothing.
	var dry mergeOut
	qcJSON(t, mine, &dry, "merge", theirs, "--dry-run", "--json")
	if !dry.DryRun || dry.Backup != "" || dry.Summary.Codings != 1 || dry.Summary.Codes != 1 || dry.Summary.Coders != 1 {
		t.Errorf("merge --dry-run = %+v; want 1 coding, code and coder, no backup", dry)
	}
	if n := len(show(t, mine, "R01").Codings); n != 10 {
		t.Fatalf("after a dry run R01 has %d codings, want 10", n)
	}

	out := mustQC(t, mine, "merge", theirs)
	for _, want := range []string{"Backup of the project before the merge: ", "codings     1 added, 65 already here", "coders      1 added", "qcode undo"} {
		if !strings.Contains(out, want) {
			t.Errorf("merge output lacks %q:\n%s", want, out)
		}
	}
	backups, _ := filepath.Glob(filepath.Join(mine, "backups", "project-*.db"))
	if len(backups) != 1 || !strings.Contains(out, backups[0]) {
		t.Fatalf("backups = %v; want one, named in the output", backups)
	}
	if st, err := os.Stat(backups[0]); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("backup mode = %v, %v; want 0600", st, err)
	}
	// The backup is a project as it was before: R01 with 10 codings.
	restored := filepath.Join(t.TempDir(), "restored.qcode")
	os.MkdirAll(restored, 0o700)
	data, _ := os.ReadFile(backups[0])
	os.WriteFile(filepath.Join(restored, "project.db"), data, 0o600)
	if n := len(show(t, restored, "R01").Codings); n != 10 {
		t.Errorf("the backup's R01 has %d codings, want the 10 before the merge", n)
	}
	if n := len(show(t, mine, "R01").Codings); n != 11 {
		t.Errorf("after the merge R01 has %d codings, want 11", n)
	}
	var found bool
	for _, c := range show(t, mine, "R01").Codings {
		found = found || (c.Coder == "tamar" && c.Code == "Housing")
	}
	if !found {
		t.Error("tamar's Housing coding did not come over")
	}

	// Twice changes nothing, and takes no second backup.
	var again mergeOut
	qcJSON(t, mine, &again, "merge", theirs, "--json")
	if again.Summary.Codings != 0 || again.Summary.Coders != 0 || again.Summary.Codes != 0 || again.Summary.SkippedCodings != 66 || again.Backup != "" {
		t.Errorf("second merge = %+v; want nothing added, 66 already here, no backup", again.Summary)
	}

	// Undo takes the whole merge back.
	mustQC(t, mine, "undo")
	if n := len(show(t, mine, "R01").Codings); n != 10 {
		t.Errorf("after undo R01 has %d codings, want 10", n)
	}
	if now, _ := os.ReadFile(filepath.Join(theirs, "project.db")); string(now) != string(theirsDB) {
		t.Error("merge changed the other project")
	}
}

// TestMergeCommandErrors: bad input gets a clear error and the project is
// unchanged (no backup either).
func TestMergeCommandErrors(t *testing.T) {
	t.Parallel()
	mine := buildDemo(t)
	before := mustQC(t, mine, "codes", "--json")
	notDB := filepath.Join(t.TempDir(), "broken.qcode")
	os.MkdirAll(notDB, 0o700)
	os.WriteFile(filepath.Join(notDB, "project.db"), []byte(strings.Repeat("garbage ", 1000)), 0o600)
	empty := t.TempDir()
	truncated := filepath.Join(t.TempDir(), "cut.qcode")
	os.MkdirAll(truncated, 0o700)
	data, _ := os.ReadFile(filepath.Join(mine, "project.db"))
	os.WriteFile(filepath.Join(truncated, "project.db"), data[:len(data)/3], 0o600)
	txt := writeFile(t, t.TempDir(), "notes.txt", "hello")
	newer := filepath.Join(t.TempDir(), "newer.qcode")
	copyTree(t, mine, newer)
	db, err := sql.Open("sqlite", filepath.Join(newer, "project.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	// A copy whose coder's name would clear the screen when listed.
	escape := filepath.Join(t.TempDir(), "escape.qcode")
	copyTree(t, mine, escape)
	if db, err = sql.Open("sqlite", filepath.Join(escape, "project.db")); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("UPDATE coders SET name = 'pa' || char(27) || '[2Jvel' WHERE name = 'pavel'"); err != nil {
		t.Fatal(err)
	}
	db.Close()

	for _, tc := range []struct {
		name, arg string
		want      []string
	}{
		{"itself", mine, []string{"this project itself"}},
		{"missing", filepath.Join(empty, "nope.qcode"), []string{"nope.qcode", "no such file"}},
		{"not a project", empty, []string{"not a qcode project"}},
		{"garbage database", notDB, []string{"broken.qcode", "not a"}},
		{"truncated database", truncated, []string{"cut.qcode", "damaged"}},
		{"newer", newer, []string{"newer.qcode", "newer qcode", "99"}},
		{"a text file", txt, []string{"notes.txt", "neither a project folder"}},
		{"the database file", filepath.Join(mine, "project.db"), []string{"give the project folder"}},
		{"a coder named with a terminal escape", escape, []string{`"pa\x1b[2Jvel"`, "U+001B", "control character"}},
		{"a codebook", filepath.Join(refiTestdata, "demo.qdc"), []string{"demo.qdc", "a codebook", "qcode import-codebook"}},
		{"an empty .qdpx", writeFile(t, t.TempDir(), "empty.qdpx", ""), []string{"empty.qdpx", "the file is empty"}},
		{"a .qdpx that is a codebook", writeFile(t, t.TempDir(), "team.qdpx", "<?xml version=\"1.0\"?>\n<CodeBook/>\n"), []string{"team.qdpx", "an XML file, not a zip archive"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			msg, _, _ := wantErr(t, mine, "merge", tc.arg)
			t.Logf("merge %s: %s", tc.name, msg)
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("merge %s = %q, want it to mention %q", tc.name, msg, w)
				}
			}
		})
	}
	if after := mustQC(t, mine, "codes", "--json"); after != before {
		t.Error("a refused merge changed the project")
	}
	if _, err := os.Stat(filepath.Join(mine, "backups")); err == nil {
		t.Error("a refused merge left a backup")
	}
}

// TestMergeQDPX merges a REFI-QDA export of a coder's copy, then a
// sample from another program into an empty project, twice.
func TestMergeQDPX(t *testing.T) {
	t.Parallel()
	team := buildDemo(t)
	mine := filepath.Join(t.TempDir(), "mine.qcode")
	theirs := filepath.Join(t.TempDir(), "theirs.qcode")
	copyTree(t, team, mine)
	copyTree(t, team, theirs)
	if _, stderr, err := qcAs(t, theirs, "tamar", "tag", "R02", "Housing", "--turn", "2", "--create"); err != nil {
		t.Fatalf("tag in theirs: %v\n%s", err, stderr)
	}
	snap, err := coding.ReadSnapshot(context.Background(), theirs)
	if err != nil {
		t.Fatal(err)
	}
	qdpx := filepath.Join(t.TempDir(), "theirs.qdpx")
	var buf bytes.Buffer
	if err := refiqda.WriteProject(&buf, snap, refiqda.ProjectOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(qdpx, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}

	var out mergeOut
	qcJSON(t, mine, &out, "merge", qdpx, "--json")
	s := out.Summary
	if s.Documents != 0 || s.MatchedDocuments != 7 || s.Codings != 1 || s.SkippedCodings != 65 || s.Coders != 1 || s.Codes != 1 {
		t.Errorf("merge theirs.qdpx = %+v; want the 7 documents matched, tamar, Housing and her coding added, 65 already here", s)
	}
	if out.Backup == "" {
		t.Error("merging a .qdpx took no backup")
	}
	var again mergeOut
	qcJSON(t, mine, &again, "merge", qdpx, "--json")
	if a := again.Summary; a.Codings+a.Coders+a.Codes+a.Documents+a.Memos != 0 {
		t.Errorf("second merge of theirs.qdpx = %+v; want nothing added", a)
	}

	// A sample from another program merges into an empty project; a
	// second merge adds nothing.
	// (The qc sample's counts are in its SOURCES.md: 2 documents, 262
	// codes, 205 codings, 1 coder.)
	sample := filepath.Join(sharedDir(), "refi-qda", "samples", "qc1.3.2_demo.qdpx")
	if _, err := os.Stat(sample); err != nil {
		t.Skipf("no REFI-QDA sample here: %v", err)
	}
	empty := newProject(t)
	var first, second mergeOut
	qcJSON(t, empty, &first, "merge", sample, "--json")
	if f := first.Summary; f.Documents != 2 || f.Codes != 262 || f.Codings != 205 || f.Coders != 1 {
		t.Fatalf("merge of %s into an empty project = %+v; want 2 documents, 262 codes, 205 codings, 1 coder", sample, f)
	}
	if got := len(docs(t, empty)); got != first.Summary.Documents {
		t.Errorf("docs after merging the sample = %d, want the %d the summary reports", got, first.Summary.Documents)
	}
	qcJSON(t, empty, &second, "merge", sample, "--json")
	if s := second.Summary; s.Documents+s.Codings+s.Codes+s.Coders+s.Memos != 0 || s.SkippedCodings != first.Summary.Codings {
		t.Errorf("second merge of the sample = %+v; want nothing added and %d codings already here", s, first.Summary.Codings)
	}
}
