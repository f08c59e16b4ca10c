package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const refiTestdata = "../../coding/refiqda/testdata"

// TestExportImportProject exports the demo project, checks the file is
// private and the same twice, and imports it into a new project with the
// same documents and codings.
func TestExportImportProject(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "demo.qcode")
	mustQC(t, "", "demo", dir, "--no-tui")

	file := filepath.Join(tmp, "demo.qdpx")
	out := mustQC(t, dir, "export", "project", "-o", file)
	if want := "Wrote " + file + ": 7 documents, "; !strings.HasPrefix(out, want) || !strings.Contains(out, "65 codings, 7 cases,") {
		t.Errorf("export printed %q; want it to start %q and count 65 codings, 7 cases", out, want)
	}
	st, err := os.Stat(file)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("export file: %v %v; want mode 0600", st.Mode(), err)
	}
	first, _ := os.ReadFile(file)
	var sum exportSummary
	qcJSON(t, dir, &sum, "export", "project", "-o", file, "--json")
	if sum.Documents != 7 || sum.Codings != 65 || sum.Cases != 7 || sum.Bytes != len(first) {
		t.Errorf("export --json = %+v", sum)
	}
	if second, _ := os.ReadFile(file); !bytes.Equal(first, second) {
		t.Error("two exports of the demo differ")
	}

	// The copy has the same folder name, so the same project name.
	if err := os.Mkdir(filepath.Join(tmp, "copy"), 0o700); err != nil {
		t.Fatal(err)
	}
	newDir := filepath.Join(tmp, "copy", "demo.qcode")
	out = mustQC(t, "", "import-project", file, newDir)
	for _, want := range []string{"Created project " + newDir, "documents         7", "codings           65", "skipped sources   none", "mismatched spans  0"} {
		if !strings.Contains(out, want) {
			t.Errorf("import-project printed:\n%s\nwant it to contain %q", out, want)
		}
	}
	orig, copied := docs(t, dir), docs(t, newDir)
	if len(copied) != len(orig) {
		t.Fatalf("imported %d documents; want %d", len(copied), len(orig))
	}
	for i := range orig {
		if orig[i].Name != copied[i].Name || orig[i].Length != copied[i].Length || orig[i].Codings != copied[i].Codings {
			t.Errorf("document %s: %+v; want %+v", orig[i].Name, copied[i], orig[i])
		}
	}
	// Exporting the copy gives the same file.
	again := filepath.Join(tmp, "again.qdpx")
	mustQC(t, newDir, "export", "project", "-o", again)
	if b, _ := os.ReadFile(again); !bytes.Equal(b, first) {
		t.Error("export of the imported copy differs from the original export")
	}
}

// TestImportProjectReport imports fixtures with skipped sources and a
// span that does not hold its text, and checks what the user is told.
func TestImportProjectReport(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	out := mustQC(t, "", "import-project", filepath.Join(refiTestdata, "nvivo-windows.qdpx"), filepath.Join(tmp, "nv.qcode"))
	for _, want := range []string{
		"(NVivo 12.6.1 (Windows))",
		"codings           4",
		"mismatched spans  1",
		"Positions in R01 were counted in UTF-16 code units; converted.",
		`R01 10:20, 1 coding: names "Tbilisi was open", holds "you leave"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("import-project printed:\n%s\nwant it to contain %q", out, want)
		}
	}

	var sum importSummary
	qcJSON(t, "", &sum, "import-project", filepath.Join(refiTestdata, "tolerant.qdpx"), filepath.Join(tmp, "tol.qcode"), "--json")
	if sum.Documents != 4 || sum.Codes != 4 || sum.Codings != 6 || sum.Coders != 2 || sum.Memos != 7 || sum.Attributes != 16 {
		t.Errorf("import-project --json = %+v", sum)
	}
	kinds := map[string]int{}
	for _, k := range sum.Skipped {
		kinds[k.Kind] = k.Count
	}
	if kinds["PDF"] != 1 || kinds["audio"] != 1 || kinds["picture"] != 1 || kinds["text"] != 1 || len(kinds) != 4 {
		t.Errorf("skipped by kind = %v", sum.Skipped)
	}

	// merge reads a .qdpx the same way, and says why a text was skipped.
	into := filepath.Join(tmp, "into.qcode")
	mustQC(t, "", "init", into)
	out, errOut, err := qc(t, into, "merge", filepath.Join(refiTestdata, "tolerant.qdpx"))
	if err != nil {
		t.Fatalf("merge tolerant.qdpx: %v\n%s", err, errOut)
	}
	for _, want := range []string{"skipped 1 PDF source", "skipped text source Missing: its text file internal://gone.txt is missing from the archive", "Interview B: positions read as UTF-16 code units"} {
		if !strings.Contains(out+errOut, want) {
			t.Errorf("merge of a .qdpx printed:\n%s%s\nwant it to contain %q", out, errOut, want)
		}
	}
}

// TestImportProjectErrors: bad archives and taken folders fail with the
// file and the reason, and leave nothing behind.
func TestImportProjectErrors(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	target := filepath.Join(tmp, "new.qcode")
	for _, tc := range []struct{ file, want string }{
		{"hostile/doctype.qdpx", "XML with a DOCTYPE or ENTITY declaration is refused"},
		{"hostile/not-zip.qdpx", "not a zip archive"},
		{"hostile/no-qde.qdpx", "no project.qde in the archive"},
		{"bad/empty.qdc", "the file is empty"},
		{"demo.qdc", "an XML file, not a zip archive: a codebook (.qdc) goes to 'qcode import-codebook'"},
	} {
		file := filepath.Join(refiTestdata, tc.file)
		msg, _, _ := wantErr(t, "", "import-project", file, target)
		if !strings.Contains(msg, file) || !strings.Contains(msg, tc.want) {
			t.Errorf("import-project %s: error %q; want the file and %q", tc.file, msg, tc.want)
		}
		if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
			t.Errorf("import-project %s left %d entries in the folder", tc.file, len(entries))
		}
	}

	taken := filepath.Join(tmp, "taken")
	os.Mkdir(taken, 0o700)
	os.WriteFile(filepath.Join(taken, "x"), []byte("x"), 0o600)
	msg, _, _ := wantErr(t, "", "import-project", filepath.Join(refiTestdata, "atlas.qdpx"), taken)
	if !strings.Contains(msg, "exists and is not empty") {
		t.Errorf("import into a non-empty folder: %q", msg)
	}
	if msg, _, _ := wantErr(t, tmp, "export", "project"); !strings.Contains(msg, "-o FILE.qdpx") {
		t.Errorf("export without -o: %q", msg)
	}
}
