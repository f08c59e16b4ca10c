package refiqda

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/qcode-dev/qcode/coding"
)

var importer = coding.Options{Coder: "importer"}

// importInto imports file into parent/study.qcode and returns the
// project's snapshot.
func importInto(t *testing.T, file, parent string) (*coding.Snapshot, ImportResult) {
	t.Helper()
	return importAs(t, file, filepath.Join(parent, "study.qcode"))
}

// importAs imports file into the project folder dir and returns the
// project's snapshot.
func importAs(t *testing.T, file, dir string) (*coding.Snapshot, ImportResult) {
	t.Helper()
	ctx := context.Background()
	res, err := ImportProject(ctx, file, dir, importer)
	if err != nil {
		t.Fatalf("ImportProject(%s): %v", file, err)
	}
	s, err := coding.Open(ctx, dir, importer)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	snap, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	checkSnapshot(t, snap)
	parent := filepath.Dir(dir)
	if entries, _ := os.ReadDir(parent); len(entries) != 1 {
		t.Errorf("%s holds %d entries after the import; want the project alone", parent, len(entries))
	}
	return snap, res
}

// TestImportProjectSamples imports the shared samples into projects and
// checks the counts in the store.
func TestImportProjectSamples(t *testing.T) {
	qc := sample(t, "qc1.3.2_demo.qdpx")
	snap, res := importInto(t, qc, t.TempDir())
	if len(snap.Documents) != 2 || len(snap.Codes) != 262 || len(snap.Codings) != 205 {
		t.Errorf("qc project: %d documents, %d codes, %d codings; want 2, 262, 205", len(snap.Documents), len(snap.Codes), len(snap.Codings))
	}
	var coders []string
	for _, c := range snap.Coders {
		coders = append(coders, c.Name)
	}
	if want := []string{"cp", "importer"}; !reflect.DeepEqual(coders, want) {
		t.Errorf("coders %q; want %q (the file's user and who imported it)", coders, want)
	}
	if res.Merge.Documents != 2 || res.Merge.Codings != 205 || res.Merge.Codes != 262 {
		t.Errorf("merge summary %+v", res.Merge)
	}
	read, _, err := ReadProject(qc)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := codingsOf(t, snap), codingsOf(t, read); !reflect.DeepEqual(got, want) {
		t.Errorf("codings in the store differ from the file's")
	}
	for _, d := range snap.Documents {
		if len(d.Turns) == 0 {
			t.Errorf("document %s has no turns", d.Name)
		}
	}

	nv := sample(t, "nvivo15.0-mac_nvivo_project.qdpx")
	snap, res = importInto(t, nv, t.TempDir())
	if len(snap.Documents) != 0 || len(snap.Codes) != 262 || len(snap.Coders) != 3 || len(res.Report.Skipped) != 2 {
		t.Errorf("nvivo project: %d documents, %d codes, %d coders, %d skipped; want 0, 262, 3, 2",
			len(snap.Documents), len(snap.Codes), len(snap.Coders), len(res.Report.Skipped))
	}
	if !snap.CreatedAt.Equal(parseTime("2024-09-15T15:36:45Z")) || snap.Name != "qc project" {
		t.Errorf("project %q created %v; want the file's name and time, qc project, 2024-09-15T15:36:45Z", snap.Name, snap.CreatedAt)
	}
}

// TestImportRoundTrip: import → export → import → export gives the same
// bytes twice, and the spans hold the same texts throughout.
func TestImportRoundTrip(t *testing.T) {
	files := []string{
		filepath.Join(samples, "qc1.3.2_demo.qdpx"),
		filepath.Join("testdata", "tolerant.qdpx"),
		filepath.Join("testdata", "nvivo-windows.qdpx"),
		filepath.Join("testdata", "cases.qdpx"),
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			if _, err := os.Stat(f); err != nil {
				t.Skipf("%s not available", f)
			}
			read, _, err := ReadProject(f)
			if err != nil {
				t.Fatal(err)
			}
			snap1, _ := importInto(t, f, t.TempDir())
			first := export(t, snap1)
			exported := filepath.Join(t.TempDir(), "first.qdpx")
			if err := os.WriteFile(exported, first, 0o600); err != nil {
				t.Fatal(err)
			}
			// Under another folder name: the project keeps the file's
			// name, so the exports still agree.
			snap2, res := importAs(t, exported, filepath.Join(t.TempDir(), "other.qcode"))
			// A case tied to no speaker refers to nothing, in our export
			// too, and is reported each time.
			var warns []string
			for _, w := range res.Report.Warnings {
				if !strings.Contains(w, "refers to no document imported") {
					warns = append(warns, w)
				}
			}
			if len(res.Report.Mismatches)+len(res.Report.Skipped)+len(warns) != 0 || len(res.Merge.Conflicts) != 0 {
				t.Errorf("importing our export reported %+v, conflicts %v", res.Report, res.Merge.Conflicts)
			}
			second := export(t, snap2)
			if !bytes.Equal(first, second) {
				t.Errorf("the second export differs from the first")
			}
			want := codingsOf(t, read)
			for i, s := range []*coding.Snapshot{snap1, snap2} {
				if got := codingsOf(t, s); !reflect.DeepEqual(got, want) {
					t.Errorf("import %d: codings\n%s\nwant\n%s", i+1, strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
			}
		})
	}
}

// TestImportDemo exports the demo project and imports it into a new one:
// the same documents, codings, attributes and memos.
func TestImportDemo(t *testing.T) {
	_, snap := demoSnapshot(t)
	file := filepath.Join(t.TempDir(), "demo.qdpx")
	if err := os.WriteFile(file, export(t, snap), 0o600); err != nil {
		t.Fatal(err)
	}
	back, res := importInto(t, file, t.TempDir())
	if got, want := codingsOf(t, back), codingsOf(t, snap); !reflect.DeepEqual(got, want) {
		t.Errorf("codings after import:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if res.Merge.Documents != 7 || res.Merge.Codings != 65 || res.Merge.Memos != len(snap.Memos) {
		t.Errorf("merge summary %+v; want 7 documents, 65 codings, %d memos", res.Merge, len(snap.Memos))
	}
	for i, d := range back.Documents {
		o := snap.Documents[i]
		if d.Name != o.Name || d.Text != o.Text || !reflect.DeepEqual(sorted(d.Attributes), sorted(o.Attributes)) {
			t.Errorf("document %s: name, text or attributes differ:\n%v\n%v", o.Name, d.Attributes, o.Attributes)
		}
	}
}

func sorted(attrs []coding.Attribute) []string {
	var out []string
	for _, a := range attrs {
		out = append(out, a.Key+":"+a.Type+"="+a.Value)
	}
	sortStrings(out)
	return out
}

// TestImportProjectRefuses checks that an import never overwrites a
// project, and that a failed one leaves nothing behind.
func TestImportProjectRefuses(t *testing.T) {
	ctx := context.Background()
	good := filepath.Join("testdata", "tolerant.qdpx")
	parent := t.TempDir()
	dir := filepath.Join(parent, "taken")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := ImportProject(ctx, good, dir, importer)
	if err == nil || !strings.Contains(err.Error(), "exists and is not empty") {
		t.Fatalf("import into a non-empty folder: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "notes.txt")); string(b) != "mine" {
		t.Error("the folder's file was touched")
	}

	// An empty folder is fine, named with a trailing slash too.
	empty := filepath.Join(parent, "empty.qcode")
	if err := os.Mkdir(empty, 0o700); err != nil {
		t.Fatal(err)
	}
	if _, err := ImportProject(ctx, good, empty+"/", importer); err != nil {
		t.Fatalf("import into an empty folder: %v", err)
	}
	if st, err := os.Stat(filepath.Join(empty, coding.DBFile)); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("project database: %v; want a private file in %s", err, empty)
	}
	if st, err := os.Stat(empty); err != nil || st.Mode().Perm() != 0o700 {
		t.Errorf("project folder: %v, %v; want private", st.Mode(), err)
	}

	// A failure after the project was staged removes it.
	testHookStaged = func(string) error { return errors.New("disk full") }
	defer func() { testHookStaged = nil }()
	failed := filepath.Join(parent, "failed.qcode")
	if _, err := ImportProject(ctx, good, failed, importer); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("import with a failing hook: %v", err)
	}
	entries, _ := os.ReadDir(parent)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{"empty.qcode", "taken"}; !reflect.DeepEqual(names, want) {
		t.Errorf("after a failed import the folder holds %q; want %q", names, want)
	}
}

// TestImportHostile imports every hostile archive: those refused leave no
// folder behind, and nothing is ever written outside the new project.
func TestImportHostile(t *testing.T) {
	ctx := context.Background()
	files, err := filepath.Glob(filepath.Join("testdata", "hostile", "*.qdpx"))
	if err != nil || len(files) < 10 {
		t.Fatalf("hostile archives: %v, %v", files, err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			root := t.TempDir()
			parent := filepath.Join(root, "a", "b")
			if err := os.MkdirAll(parent, 0o700); err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(parent, "new.qcode")
			_, err := ImportProject(ctx, f, dir, importer)
			var outside []string
			filepath.Walk(root, func(p string, info os.FileInfo, _ error) error {
				if info != nil && !info.IsDir() && !strings.HasPrefix(p, dir+string(filepath.Separator)) {
					outside = append(outside, p)
				}
				return nil
			})
			if len(outside) > 0 {
				t.Errorf("files written outside the project: %q", outside)
			}
			entries, _ := os.ReadDir(parent)
			switch {
			case err != nil && len(entries) != 0:
				t.Errorf("failed import (%v) left %d entries behind", err, len(entries))
			case err == nil && (len(entries) != 1 || entries[0].Name() != "new.qcode"):
				t.Errorf("import left %v", entries)
			}
			if err == nil {
				srcs, _ := os.ReadDir(filepath.Join(dir, coding.SourcesDir))
				for _, s := range srcs {
					if strings.HasPrefix(s.Name(), ".") {
						t.Errorf("source file %q", s.Name())
					}
				}
			}
		})
	}
}

func sortStrings(s []string) { sort.Strings(s) }
