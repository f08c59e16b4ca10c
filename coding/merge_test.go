package coding_test

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/coding/demo"
)

// buildDemo builds the demo project in a temp dir and opens it as coder.
func buildDemo(t *testing.T, name, coder string) *coding.Store {
	t.Helper()
	dir := filepath.Join(t.TempDir(), name+".qcode")
	if err := demo.Build(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
	return openAs(t, dir, coder)
}

func openAs(t *testing.T, dir, coder string) *coding.Store {
	t.Helper()
	t0 := time.Date(2023, 5, 1, 12, 0, 0, 0, time.UTC)
	n := 0
	clock := func() time.Time { n++; return t0.Add(time.Duration(n) * time.Second) }
	s, err := coding.Open(context.Background(), dir, coding.Options{Coder: coder, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// copyProject closes s and copies its folder, as a team lead hands a
// copy of the project to each coder.
func copyProject(t *testing.T, s *coding.Store, name string) string {
	t.Helper()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return copyDir(t, s.Dir(), name)
}

// copyDir copies a closed project folder to a new folder name.qcode.
func copyDir(t *testing.T, src, name string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), name+".qcode")
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o700)
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.OpenFile(filepath.Join(dst, rel), os.O_CREATE|os.O_WRONLY, 0o600)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			return err
		}
		return out.Close()
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func snapshot(t *testing.T, s *coding.Store) *coding.Snapshot {
	t.Helper()
	snap, err := s.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

func tag(t *testing.T, s *coding.Store, doc, code, match, memo string) {
	t.Helper()
	d, err := s.Document(context.Background(), doc, true)
	if err != nil {
		t.Fatal(err)
	}
	spans := coding.MatchSpans(d.Text, match)
	if len(spans) == 0 {
		t.Fatalf("%q not in %s", match, doc)
	}
	if _, _, err := s.Tag(context.Background(), coding.TagRequest{Doc: doc, Code: code, Spans: spans[:1], Memo: memo, Create: true}); err != nil {
		t.Fatalf("Tag(%s, %s): %v", doc, code, err)
	}
}

// TestMergeTwoDemos merges two separately built demo projects (same
// texts, different GUIDs), each with one more coder's work, and checks
// the counts worked out by hand.
func TestMergeTwoDemos(t *testing.T) {
	ctx := context.Background()
	a := buildDemo(t, "anna", "lena")
	b := buildDemo(t, "boris", "tamar")

	// Lena codes one passage in A.
	tag(t, a, "R01", "Language learning", "I can read now, slowly.", "")
	// Tamar, in B: a passage with an existing code, one with a new code
	// (with a memo on it), an attribute R03 lacks, and a different age for R01.
	tag(t, b, "R01", "Fear of repression", "You live with a lawyer's phone number written on your arm, basically.", "")
	tag(t, b, "R01", "Housing", "He brings me tomatoes from his village.", "Neighbours as hosts.")
	if _, err := b.SetAttributes(ctx, "R03", []coding.Attribute{{Key: "recontact", Value: "yes"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.SetAttributes(ctx, "R01", []coding.Attribute{{Key: "age", Value: "31"}}); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, a)
	other := snapshot(t, b)

	sum, op, err := a.Merge(ctx, other, coding.MergeOptions{Label: "merge boris"})
	if err != nil {
		t.Fatalf("Merge: %v", err)
	}
	want := coding.MergeSummary{
		MatchedDocuments: 7,
		Attributes:       1, // R03 recontact
		Coders:           1, // tamar
		Codes:            1, // Housing
		Codings:          2,
		SkippedCodings:   65, // the demo's own, by nino and pavel
		Memos:            1,  // on the Housing coding; the demo's 9 memos are here already
		Conflicts: []coding.MergeConflict{{Kind: coding.ConflictAttribute, Subject: "R01 age",
			Detail: `"30" here, "31" in the merged project; kept "30"`}},
	}
	// The codebooks were built apart: every code but Housing is matched
	// by its path.
	if len(sum.Codebook.Added) != 1 || sum.Codebook.Added[0] != "Housing" || len(sum.Codebook.ByPath) != 19 {
		t.Errorf("codebook step = %+v; want Housing added and the demo's 19 codes matched by path", sum.Codebook)
	}
	want.Codebook = sum.Codebook
	if !reflect.DeepEqual(sum, want) {
		t.Errorf("Merge summary =\n%+v\nwant\n%+v", sum, want)
	}
	if op.ID == 0 || !strings.HasPrefix(op.Label, "merge boris: 0 documents, 2 codings") {
		t.Errorf("Merge op = %+v", op)
	}
	after := snapshot(t, a)
	if got := len(after.Codings); got != len(before.Codings)+2 {
		t.Errorf("codings after merge = %d, want %d", got, len(before.Codings)+2)
	}
	if got := len(after.Memos); got != len(before.Memos)+1 {
		t.Errorf("memos after merge = %d, want %d", got, len(before.Memos)+1)
	}
	tamar, err := a.Codings(ctx, coding.CodingFilter{Coder: "tamar"})
	if err != nil || len(tamar) != 2 {
		t.Fatalf("tamar's codings after merge = %v, %v; want 2", tamar, err)
	}
	if tamar[0].Code != "Fear of repression" || tamar[1].Code != "Housing" {
		t.Errorf("tamar's codes = %s, %s", tamar[0].Code, tamar[1].Code)
	}
	r03, _ := a.Document(ctx, "R03", false)
	if !hasAttr(r03.Attributes, "recontact", "true") && !hasAttr(r03.Attributes, "recontact", "yes") {
		t.Errorf("R03 attributes after merge = %v, want recontact", r03.Attributes)
	}

	// Merging again changes nothing: no row, no history entry.
	gen, _ := a.Generation(ctx)
	again, _, err := a.Merge(ctx, other, coding.MergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if again.Added() || again.Codings != 0 || again.SkippedCodings != 67 || again.Memos != 0 {
		t.Errorf("second merge = %+v; want nothing added, 67 skipped", again)
	}
	if g, _ := a.Generation(ctx); g != gen {
		t.Errorf("second merge bumped the generation from %d to %d", gen, g)
	}
	if !reflect.DeepEqual(snapshot(t, a), after) {
		t.Error("second merge changed the project")
	}
}

func conflictsOf(sum coding.MergeSummary, kind string) []coding.MergeConflict {
	var out []coding.MergeConflict
	for _, c := range sum.Conflicts {
		if c.Kind == kind {
			out = append(out, c)
		}
	}
	return out
}

func hasAttr(attrs []coding.Attribute, k, v string) bool {
	for _, a := range attrs {
		if a.Key == k && a.Value == v {
			return true
		}
	}
	return false
}

// TestMergeUndo merges a project with a new document, coder, code,
// codings, attributes and memos, and checks that undo gives back exactly
// the project before and redo the project after.
func TestMergeUndo(t *testing.T) {
	ctx := context.Background()
	a := buildDemo(t, "anna", "nino")
	b := openAs(t, copyProject(t, buildDemo(t, "team", "nino"), "team"), "tamar")
	res, err := b.Import(ctx, coding.ImportFile{Path: "R08.txt",
		Data: []byte("---\ngender: male\nage: 41\n---\nInterviewer: Why Tbilisi?\nRespondent: Because the border at Upper Lars was open.\n")})
	if err != nil {
		t.Fatal(err)
	}
	tag(t, b, "R08", "Routes/Upper Lars", "the border at Upper Lars was open", "The land route.")
	if _, _, err := b.AddMemo(ctx, coding.TargetDocument, "R08", "Recorded in a cafe."); err != nil {
		t.Fatal(err)
	}
	other := snapshot(t, b)
	before := snapshot(t, a)

	sum, _, err := a.Merge(ctx, other, coding.MergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Documents != 1 || sum.Codes != 2 || sum.Codings != 1 || sum.Coders != 1 || sum.Memos != 2 || sum.Attributes != 2 {
		t.Errorf("Merge = %+v; want 1 document, 2 codes, 1 coding, 1 coder, 2 memos, 2 attributes", sum)
	}
	r08, err := a.Document(ctx, "R08", true)
	if err != nil || r08.Turns != 2 || r08.TextSHA256 != res.Document.TextSHA256 {
		t.Fatalf("R08 after merge = %+v, %v; want 2 turns and B's text", r08, err)
	}
	src, err := os.ReadFile(filepath.Join(a.Dir(), coding.SourcesDir, r08.Source))
	if err != nil || string(src) != r08.Text {
		t.Errorf("sources/%s = %q, %v; want the text", r08.Source, src, err)
	}
	merged := snapshot(t, a)
	for _, c := range merged.Codes {
		if c.Name == "Upper Lars" && c.CreatedBy != "tamar" {
			t.Errorf("merged code Upper Lars created by %q, want tamar as in the other project", c.CreatedBy)
		}
	}

	if _, err := a.Undo(ctx); err != nil {
		t.Fatalf("Undo: %v", err)
	}
	if got := snapshot(t, a); !reflect.DeepEqual(got, before) {
		t.Errorf("after undo the project differs from before the merge:\n%d documents, %d codes, %d codings, %d coders, %d memos; want %d, %d, %d, %d, %d",
			len(got.Documents), len(got.Codes), len(got.Codings), len(got.Coders), len(got.Memos),
			len(before.Documents), len(before.Codes), len(before.Codings), len(before.Coders), len(before.Memos))
	}
	if _, err := a.Redo(ctx); err != nil {
		t.Fatalf("Redo: %v", err)
	}
	if got := snapshot(t, a); !reflect.DeepEqual(got, merged) {
		t.Error("after redo the project differs from after the merge")
	}
}

// TestMergeSameNameOtherText: a document whose name is taken by another
// text is a conflict and left out, or a new version when asked.
func TestMergeSameNameOtherText(t *testing.T) {
	ctx := context.Background()
	a := buildDemo(t, "anna", "nino")
	bs, err := coding.Create(ctx, filepath.Join(t.TempDir(), "other.qcode"), coding.Options{Coder: "tamar"})
	if err != nil {
		t.Fatal(err)
	}
	defer bs.Close()
	if _, err := bs.Import(ctx, coding.ImportFile{Path: "R01.txt", Data: []byte("Interviewer: Hello.\nRespondent: A different R01 altogether.\n")}); err != nil {
		t.Fatal(err)
	}
	tag(t, bs, "R01", "Identity loss", "A different R01 altogether.", "")
	other := snapshot(t, bs)
	before := snapshot(t, a)

	sum, _, err := a.Merge(ctx, other, coding.MergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// (Identity loss got another palette colour there: a code conflict.)
	docConflicts := conflictsOf(sum, coding.ConflictDocument)
	if sum.Documents != 0 || sum.Codings != 0 || sum.LeftOutCodings != 1 || len(docConflicts) != 1 || docConflicts[0].Subject != "R01" {
		t.Fatalf("Merge = %+v; want R01 as a conflict and its coding left out", sum)
	}
	if !strings.Contains(docConflicts[0].Detail, "version 2") {
		t.Errorf("conflict detail %q does not say how to add it", docConflicts[0].Detail)
	}
	after := snapshot(t, a)
	// Only the new coder "tamar" is added (she coded nothing that came in,
	// but her coding is named); the documents and codings are unchanged.
	if !reflect.DeepEqual(after.Documents, before.Documents) || !reflect.DeepEqual(after.Codings, before.Codings) {
		t.Error("a conflicting document changed the project's documents or codings")
	}

	sum, _, err = a.Merge(ctx, other, coding.MergeOptions{NewVersions: true})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Versions != 1 || sum.Codings != 1 || sum.LeftOutCodings != 0 {
		t.Fatalf("Merge with new versions = %+v; want 1 version and its coding", sum)
	}
	r01, err := a.Document(ctx, "R01", true)
	if err != nil || r01.Version != 2 || !strings.Contains(r01.Text, "different R01") || r01.Codings != 1 {
		t.Errorf("R01 after merge = version %d, %d codings, %v", r01.Version, r01.Codings, err)
	}
	old, err := a.Document(ctx, "R01@1", false)
	if err != nil || old.Codings == 0 {
		t.Errorf("R01 version 1 lost its codings: %+v, %v", old, err)
	}
}

// TestMergeDryRun works out the summary and changes nothing.
func TestMergeDryRun(t *testing.T) {
	ctx := context.Background()
	a := buildDemo(t, "anna", "nino")
	b := buildDemo(t, "boris", "tamar")
	if _, err := b.Import(ctx, coding.ImportFile{Path: "R08.txt", Data: []byte("Interviewer: Why?\nRespondent: Because.\n")}); err != nil {
		t.Fatal(err)
	}
	tag(t, b, "R08", "Housing", "Because.", "")
	before := snapshot(t, a)
	gen, _ := a.Generation(ctx)
	sources, _ := os.ReadDir(filepath.Join(a.Dir(), coding.SourcesDir))

	sum, op, err := a.Merge(ctx, snapshot(t, b), coding.MergeOptions{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Documents != 1 || sum.Codes != 1 || sum.Codings != 1 || sum.Coders != 1 || op.ID != 0 {
		t.Errorf("dry run = %+v, op %+v; want 1 document, code, coding and coder, no op", sum, op)
	}
	if g, _ := a.Generation(ctx); g != gen || !reflect.DeepEqual(snapshot(t, a), before) {
		t.Error("a dry run changed the project")
	}
	if now, _ := os.ReadDir(filepath.Join(a.Dir(), coding.SourcesDir)); len(now) != len(sources) {
		t.Errorf("a dry run wrote to sources/: %d files, had %d", len(now), len(sources))
	}
}

// TestMergeRefusesBadSnapshots checks that broken input is refused before
// anything changes.
func TestMergeRefusesBadSnapshots(t *testing.T) {
	ctx := context.Background()
	a := buildDemo(t, "anna", "nino")
	good := snapshot(t, buildDemo(t, "boris", "tamar"))
	before := snapshot(t, a)
	gen, _ := a.Generation(ctx)
	for _, tc := range []struct {
		name  string
		spoil func(s *coding.Snapshot)
		want  string
	}{
		{"span past the end", func(s *coding.Snapshot) { s.Codings[0].End = 1 << 30 }, "outside its document"},
		{"unknown document", func(s *coding.Snapshot) { s.Codings[0].DocGUID = "nope" }, "names a document"},
		{"unknown code", func(s *coding.Snapshot) { s.Codings[0].CodeGUID = "nope" }, "names a code"},
		{"damaged text", func(s *coding.Snapshot) { s.Documents[0].Text += "x" }, "SHA-256"},
		{"not NFC", func(s *coding.Snapshot) {
			s.Documents[0].Text, s.Documents[0].TextSHA256 = "Cafe\u0301", ""
			s.Codings = nil
			s.Memos = nil
		}, "NFC"},
		{"empty text", func(s *coding.Snapshot) { s.Documents[0].Text, s.Documents[0].TextSHA256 = " ", "" }, "empty"},
		{"orphan memo", func(s *coding.Snapshot) {
			s.Memos = append(s.Memos, coding.SnapshotMemo{GUID: "m", Target: coding.TargetCode, TargetGUID: "nope", Text: "x"})
		}, "memo"},
		{"unknown parent", func(s *coding.Snapshot) {
			for i, c := range s.Codes {
				if c.ParentGUID != "" {
					s.Codes[i].ParentGUID = "nope"
					break
				}
			}
		}, "parent"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			snap := cloneSnapshot(good)
			tc.spoil(snap)
			_, _, err := a.Merge(ctx, snap, coding.MergeOptions{})
			if !errors.Is(err, coding.ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Merge = %v; want ErrInvalid mentioning %q", err, tc.want)
			}
		})
	}
	if g, _ := a.Generation(ctx); g != gen || !reflect.DeepEqual(snapshot(t, a), before) {
		t.Error("a refused merge changed the project")
	}
}

func cloneSnapshot(s *coding.Snapshot) *coding.Snapshot {
	c := *s
	c.Coders = append([]coding.SnapshotCoder(nil), s.Coders...)
	c.Codes = append([]coding.SnapshotCode(nil), s.Codes...)
	c.Documents = append([]coding.SnapshotDocument(nil), s.Documents...)
	c.Codings = append([]coding.SnapshotCoding(nil), s.Codings...)
	c.Memos = append([]coding.SnapshotMemo(nil), s.Memos...)
	return &c
}

// TestMergeRenamedBothSides: two copies of one project rename the same
// code differently; the merge matches it by GUID, keeps this project's
// name, reports the other, and brings the other side's coding onto it.
func TestMergeRenamedBothSides(t *testing.T) {
	ctx := context.Background()
	team := buildDemo(t, "team", "nino")
	src := team.Dir()
	team.Close()
	a := openAs(t, copyDir(t, src, "anna"), "nino")
	b := openAs(t, copyDir(t, src, "boris"), "tamar")
	if _, err := a.RenameCode(ctx, "Trust", "Trust in institutions"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.RenameCode(ctx, "Trust", "Institutional trust"); err != nil {
		t.Fatal(err)
	}
	tag(t, b, "R01", "Institutional trust", "So it's not a system, it's a lottery.", "")

	sum, _, err := a.Merge(ctx, snapshot(t, b), coding.MergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := []coding.MergeConflict{{Kind: coding.ConflictCode, Subject: "Trust in institutions",
		Detail: `named "Trust in institutions" here and "Institutional trust" in the merged project; kept "Trust in institutions"`}}
	if got := conflictsOf(sum, coding.ConflictCode); !reflect.DeepEqual(got, want) {
		t.Errorf("code conflicts = %+v, want %+v", got, want)
	}
	// Copies share GUIDs: every code is matched by GUID, every demo
	// coding is already here, and nothing new but tamar and her coding.
	if sum.Codes != 0 || len(sum.Codebook.ByGUID) != 19 || sum.Codings != 1 || sum.SkippedCodings != 65 || sum.Coders != 1 {
		t.Errorf("Merge = %+v; want 19 codes by GUID, 1 coding added, 65 skipped, 1 coder", sum)
	}
	got, err := a.Codings(ctx, coding.CodingFilter{Coder: "tamar"})
	if err != nil || len(got) != 1 || got[0].Code != "Trust in institutions" {
		t.Errorf("tamar's coding after merge = %+v, %v; want it on Trust in institutions", got, err)
	}
}

// TestBackup writes a backup with SQLite's online backup and opens it as
// a project holding what the project held then.
func TestBackup(t *testing.T) {
	ctx := context.Background()
	a := buildDemo(t, "anna", "nino")
	before := snapshot(t, a)
	path, err := a.Backup(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(a.Dir(), coding.BackupsDir, "project-20230501-120001.db"); path != want {
		t.Errorf("Backup path = %s, want %s", path, want)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("backup file: %v, %v; want mode 0600", st, err)
	}
	// The project changes after the backup; the backup does not.
	tag(t, a, "R01", "Housing", "He brings me tomatoes from his village.", "")
	second, err := a.Backup(ctx)
	if err != nil || second == path {
		t.Errorf("a second backup = %s, %v; want another file", second, err)
	}

	dir := filepath.Join(t.TempDir(), "restored.qcode")
	os.MkdirAll(dir, 0o700)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, coding.DBFile), data, 0o600); err != nil {
		t.Fatal(err)
	}
	r := openAs(t, dir, "nino")
	if got := snapshot(t, r); !reflect.DeepEqual(got, before) {
		t.Errorf("the backup holds %d codings, want the %d before the change", len(got.Codings), len(before.Codings))
	}
}

// TestReadSnapshot reads another project without changing it, upgrading
// an older one in a private copy, and refuses what is not a project.
func TestReadSnapshot(t *testing.T) {
	ctx := context.Background()
	a := buildDemo(t, "anna", "nino")
	want := snapshot(t, a)
	dir := a.Dir()
	a.Close()
	sum := func() string {
		data, err := os.ReadFile(filepath.Join(dir, coding.DBFile))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	orig := sum()
	got, err := coding.ReadSnapshot(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Error("ReadSnapshot differs from Snapshot of the open project")
	}
	if sum() != orig {
		t.Error("ReadSnapshot changed the project file")
	}

	// The v1 fixture is read through an upgraded copy; the original
	// stays at version 1.
	v1 := filepath.Join(t.TempDir(), "v1.qcode")
	os.MkdirAll(v1, 0o700)
	data, err := os.ReadFile(filepath.Join("testdata", "v1.qcode", coding.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(v1, coding.DBFile), data, 0o600)
	old, err := coding.ReadSnapshot(ctx, v1)
	if err != nil || len(old.Documents) != 1 || len(old.Codings) != 1 {
		t.Fatalf("ReadSnapshot(v1) = %d documents, %d codings, %v; want 1 and 1", len(old.Documents), len(old.Codings), err)
	}
	if now, _ := os.ReadFile(filepath.Join(v1, coding.DBFile)); string(now) != string(data) {
		t.Error("ReadSnapshot upgraded the original v1 project")
	}

	bad := t.TempDir()
	for _, tc := range []struct {
		name string
		data string
		want error
	}{
		{"missing", "", coding.ErrNotProject},
		{"garbage", strings.Repeat("not a database ", 300), coding.ErrNotProject},
	} {
		d := filepath.Join(bad, tc.name)
		os.MkdirAll(d, 0o700)
		if tc.data != "" {
			os.WriteFile(filepath.Join(d, coding.DBFile), []byte(tc.data), 0o600)
		}
		if _, err := coding.ReadSnapshot(ctx, d); !errors.Is(err, tc.want) {
			t.Errorf("ReadSnapshot(%s) = %v, want %v", tc.name, err, tc.want)
		}
	}
}

// TestMergeFollowingVersion: a coder re-imports a corrected transcript in
// their copy (version 2 of a document both copies share); the merge adds
// it as version 2 here too, with its codings, and no conflict.
func TestMergeFollowingVersion(t *testing.T) {
	ctx := context.Background()
	team, err := coding.Create(ctx, filepath.Join(t.TempDir(), "team.qcode"), coding.Options{Coder: "nino"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := team.Import(ctx, coding.ImportFile{Path: "R09.txt", Data: []byte("Interviewer: When?\nRespondent: In Septmber.\n")}); err != nil {
		t.Fatal(err)
	}
	src := team.Dir()
	team.Close()
	a := openAs(t, copyDir(t, src, "anna"), "nino")
	b := openAs(t, copyDir(t, src, "boris"), "tamar")
	if _, err := b.Import(ctx, coding.ImportFile{Path: "R09.txt", Data: []byte("Interviewer: When?\nRespondent: In September.\n")}); err != nil {
		t.Fatal(err)
	}
	tag(t, b, "R09", "Timing", "In September.", "")

	sum, _, err := a.Merge(ctx, snapshot(t, b), coding.MergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Versions != 1 || sum.Documents != 0 || sum.MatchedDocuments != 1 || sum.Codings != 1 || len(conflictsOf(sum, coding.ConflictDocument)) != 0 {
		t.Errorf("Merge = %+v; want version 2 of R09 added with its coding, no conflict", sum)
	}
	d, err := a.Document(ctx, "R09", true)
	if err != nil || d.Version != 2 || !strings.Contains(d.Text, "September") || d.Codings != 1 {
		t.Errorf("R09 after merge = version %d, %d codings, %v; want version 2 with tamar's coding", d.Version, d.Codings, err)
	}
}

// TestMergeUndoAfterOthersWork: once another coder has coded a document
// the merge brought in, undoing the merge is refused and changes nothing.
func TestMergeUndoAfterOthersWork(t *testing.T) {
	ctx := context.Background()
	a := buildDemo(t, "anna", "nino")
	b := buildDemo(t, "boris", "tamar")
	if _, err := b.Import(ctx, coding.ImportFile{Path: "R08.txt", Data: []byte("Interviewer: Why?\nRespondent: Because of the war.\n")}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.Merge(ctx, snapshot(t, b), coding.MergeOptions{}); err != nil {
		t.Fatal(err)
	}
	tag(t, a.WithCoder("pavel"), "R08", "Moral protest", "Because of the war.", "")
	before := snapshot(t, a)
	if _, err := a.Undo(ctx); !errors.Is(err, coding.ErrConflict) {
		t.Fatalf("Undo of the merge after pavel coded R08 = %v, want ErrConflict", err)
	}
	if !reflect.DeepEqual(snapshot(t, a), before) {
		t.Error("a refused undo changed the project")
	}
}

// peopleProject builds a project with speakers in every role: a focus
// group (a moderator and three participants, each their own case with
// attributes, one of them Other), an interview with an interviewer called
// by name and its one respondent, and subtitles whose merged cues leave
// anchors inside a turn.
func peopleProject(t *testing.T, name string) *coding.Store {
	t.Helper()
	ctx := context.Background()
	s, err := coding.Create(ctx, filepath.Join(t.TempDir(), name+".qcode"), coding.Options{Coder: "nino"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	files := []coding.ImportFile{
		{Path: "FG1.txt", Data: []byte("Moderator: Why did you leave?\nOleg: The draft.\nMarina: My work moved to Tbilisi.\nTimur: I followed my sister.\nModerator: And now?\nOleg: We stay, for now.\n")},
		{Path: "R07.txt", Data: []byte("Nino: When did you come?\nAnna: In March.\nNino: Why Tbilisi?\nAnna: Friends were here.\n")},
		{Path: "S1.vtt", Data: []byte("WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Lena>Hello there.\n\n00:00:04.500 --> 00:00:06.000\n<v Lena>I am still talking.\n\n00:00:07.000 --> 00:00:08.000\n<v Q>Go on.\n")},
	}
	for _, f := range files {
		if _, err := s.Import(ctx, f); err != nil {
			t.Fatalf("import %s: %v", f.Path, err)
		}
	}
	set := func(doc, speaker string, ch coding.SpeakerChange) {
		t.Helper()
		if _, err := s.SetSpeaker(ctx, doc, speaker, ch); err != nil {
			t.Fatalf("SetSpeaker(%s, %s): %v", doc, speaker, err)
		}
	}
	set("FG1", "Oleg", coding.SpeakerChange{Case: "P11", Attributes: []coding.Attribute{
		{Key: "gender", Type: coding.TypeText, Value: "male"}, {Key: "age", Type: coding.TypeInteger, Value: "34"}}})
	set("FG1", "Marina", coding.SpeakerChange{Case: "P12", Attributes: []coding.Attribute{
		{Key: "gender", Type: coding.TypeText, Value: "female"}, {Key: "age", Type: coding.TypeInteger, Value: "29"}, {Key: "left", Type: coding.TypeDate, Value: "2022-09-23"}}})
	set("FG1", "Timur", coding.SpeakerChange{Role: "other", Case: "P13", Attributes: []coding.Attribute{
		{Key: "age", Type: coding.TypeText, Value: "about 40"}}})
	set("R07", "Nino", coding.SpeakerChange{Role: "interviewer"})
	set("R07", "Anna", coding.SpeakerChange{Case: "Anna K.", Attributes: []coding.Attribute{{Key: "age", Type: coding.TypeInteger, Value: "30"}}})
	if _, err := s.SetAttributes(ctx, "R07", []coding.Attribute{{Key: "participant", Value: "P07"}, {Key: "city", Value: "Tbilisi"}}); err != nil {
		t.Fatal(err)
	}
	return s
}

// people lists a snapshot's speakers, cases and anchors as text.
func people(snap *coding.Snapshot) []string {
	var out []string
	cases := map[string]string{}
	for _, c := range snap.Cases {
		cases[c.GUID] = c.Name
		line := "case " + c.Name + " " + c.GUID
		for _, a := range c.Attributes {
			line += " " + a.Key + ":" + a.Type + "=" + a.Value
		}
		out = append(out, line)
	}
	for _, d := range snap.Documents {
		for _, sp := range d.Speakers {
			out = append(out, "speaker "+d.Name+" "+sp.Name+" "+sp.Role+" "+cases[sp.CaseGUID])
		}
		for _, a := range d.Anchors {
			out = append(out, "anchor "+d.Name+" "+strconv.Itoa(a.Pos)+" "+a.Time.String())
		}
	}
	return out
}

// TestMergePeople merges a project with speakers, cases and anchors into
// an empty one: they all come over, inside the one undoable action; a
// second merge adds nothing.
func TestMergePeople(t *testing.T) {
	ctx := context.Background()
	a := peopleProject(t, "a")
	from := snapshot(t, a)
	want := people(from)
	if len(from.Cases) != 4 || !strings.Contains(strings.Join(want, "\n"), "anchor S1") {
		t.Fatalf("fixture: %d cases, want 4, and anchors in S1:\n%s", len(from.Cases), strings.Join(want, "\n"))
	}

	b, err := coding.Create(ctx, filepath.Join(t.TempDir(), "b.qcode"), coding.Options{Coder: "tamar"})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	empty := snapshot(t, b)
	sum, _, err := b.Merge(ctx, from, coding.MergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Documents != 3 || sum.Cases != 4 || sum.CaseAttributes != 7 || sum.Speakers != 8 || sum.Anchors == 0 || len(sum.Conflicts) != 0 {
		t.Errorf("merge summary %+v; want 3 documents, 4 cases, 7 case attributes, 8 speakers, anchors, no conflict", sum)
	}
	after := snapshot(t, b)
	if got := people(after); !reflect.DeepEqual(got, want) {
		t.Errorf("after the merge:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	again, _, err := b.Merge(ctx, from, coding.MergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if again.Added() || len(again.Conflicts) != 0 {
		t.Errorf("second merge = %+v; want nothing added", again)
	}
	if !reflect.DeepEqual(snapshot(t, b), after) {
		t.Error("second merge changed the project")
	}
	if _, err := b.Undo(ctx); err != nil {
		t.Fatal(err)
	}
	if got := people(snapshot(t, b)); len(got) != 0 {
		t.Errorf("undo left %q", got)
	}
	if got := snapshot(t, b); len(got.Documents) != len(empty.Documents) || len(got.Cases) != 0 {
		t.Errorf("undo left %d documents, %d cases", len(got.Documents), len(got.Cases))
	}
}

// TestMergePeopleConflicts merges a copy whose coder changed roles, cases
// and case attributes: what this project lacks comes over, what differs
// is a conflict and stays as it is here.
func TestMergePeopleConflicts(t *testing.T) {
	ctx := context.Background()
	a := peopleProject(t, "a")
	b := openAs(t, copyDir(t, a.Dir(), "b"), "tamar")
	if _, err := b.SetSpeaker(ctx, "FG1", "Timur", coding.SpeakerChange{Role: "participant"}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.SetSpeaker(ctx, "FG1", "Oleg", coding.SpeakerChange{Attributes: []coding.Attribute{
		{Key: "age", Type: coding.TypeInteger, Value: "35"}, {Key: "city", Type: coding.TypeText, Value: "Batumi"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.SetSpeaker(ctx, "FG1", "Moderator", coding.SpeakerChange{Case: "Team"}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.SetSpeaker(ctx, "FG1", "Marina", coding.SpeakerChange{Case: "P13"}); err != nil {
		t.Fatal(err)
	}
	sum, _, err := a.Merge(ctx, snapshot(t, b), coding.MergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Cases != 1 || sum.CaseAttributes != 1 || sum.SpeakerCases != 1 || sum.Speakers != 0 {
		t.Errorf("summary %+v; want the case Team, Oleg's city, the moderator tied to Team", sum)
	}
	var got []string
	for _, c := range sum.Conflicts {
		got = append(got, c.String())
	}
	want := []string{
		`case P11 age: "34" here, "35" in the merged project; kept "34"`,
		`speaker FG1 Marina: case "P12" here, "P13" in the merged project; kept "P12"`,
		`speaker FG1 Timur: other here, participant in the merged project; kept other`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("conflicts:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	sp, err := a.Speakers(ctx, "FG1")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sp {
		if s.Name == "Moderator" && (s.Case != "Team" || s.Role != coding.RoleInterviewer) {
			t.Errorf("moderator after the merge: %+v", s)
		}
	}
}
