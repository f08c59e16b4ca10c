package coding

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// newProject creates a project in a temp dir with a fixed clock.
func newProject(t *testing.T, coder string) *Store {
	t.Helper()
	t0 := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	n := 0
	clock := func() time.Time { n++; return t0.Add(time.Duration(n) * time.Second) }
	s, err := Create(context.Background(), filepath.Join(t.TempDir(), "study.qcode"), Options{Coder: coder, Now: clock})
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// importText imports text as a file called name.
func importText(t *testing.T, s *Store, name, text string) Document {
	t.Helper()
	res, err := s.Import(context.Background(), ImportFile{Path: name, Data: []byte(text)})
	if err != nil {
		t.Fatalf("Import(%s): %v", name, err)
	}
	return res.Document
}

func TestCreatePrivate(t *testing.T) {
	s := newProject(t, "anna")
	importText(t, s, "R01.txt", "Q: Hello?\nA: Hi.\n")
	for _, tc := range []struct {
		path string
		want os.FileMode
	}{
		{"", 0o700},
		{SourcesDir, 0o700},
		{DBFile, 0o600},
		{DBFile + "-wal", 0o600},
		{filepath.Join(SourcesDir, "R01.txt"), 0o600},
	} {
		st, err := os.Stat(filepath.Join(s.Dir(), tc.path))
		if err != nil {
			t.Errorf("stat %s: %v", tc.path, err)
			continue
		}
		if got := st.Mode().Perm(); got != tc.want {
			t.Errorf("mode of %q = %o, want %o", tc.path, got, tc.want)
		}
	}
}

func TestCreateRefusesNonEmpty(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o600)
	if _, err := Create(context.Background(), dir, Options{}); !errors.Is(err, ErrConflict) {
		t.Fatalf("Create(non-empty) = %v, want ErrConflict", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "notes.txt")); err != nil {
		t.Errorf("Create removed what was in the folder: %v", err)
	}
}

func TestOpenRefuses(t *testing.T) {
	ctx := context.Background()
	t.Run("newer", func(t *testing.T) {
		s := newProject(t, "anna")
		dir := s.Dir()
		if _, err := s.db.Exec("PRAGMA user_version = 99"); err != nil {
			t.Fatal(err)
		}
		s.Close()
		_, err := Open(ctx, dir, Options{})
		if !errors.Is(err, ErrNewer) || !strings.Contains(err.Error(), "99") {
			t.Fatalf("Open(newer) = %v, want ErrNewer naming version 99", err)
		}
	})
	t.Run("not sqlite", func(t *testing.T) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, DBFile), []byte(strings.Repeat("not a database ", 100)), 0o600)
		if _, err := Open(ctx, dir, Options{}); !errors.Is(err, ErrNotProject) {
			t.Fatalf("Open(garbage) = %v, want ErrNotProject", err)
		}
	})
	t.Run("missing", func(t *testing.T) {
		if _, err := Open(ctx, t.TempDir(), Options{}); !errors.Is(err, ErrNotProject) {
			t.Fatalf("Open(empty dir) = %v, want ErrNotProject", err)
		}
	})
}

func TestFind(t *testing.T) {
	s := newProject(t, "anna")
	root := filepath.Dir(s.Dir())
	deep := filepath.Join(s.Dir(), "sources")
	for _, start := range []string{s.Dir(), deep, root} {
		got, err := Find(start)
		if err != nil || got != s.Dir() {
			t.Errorf("Find(%s) = %q, %v; want %q", start, got, err, s.Dir())
		}
	}
	// Outside the project, Find must not find this one (what lies above
	// the temp dir is the machine's business).
	if got, _ := Find(t.TempDir()); got == s.Dir() {
		t.Errorf("Find(outside) = %q, want not this project", got)
	}
}

// TestMigrateFromV1 opens a project written by the first schema (a file
// checked in under testdata) and checks that it upgrades with its data.
func TestMigrateFromV1(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "v1.qcode", DBFile))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "old.qcode")
	os.MkdirAll(filepath.Join(dir, SourcesDir), 0o700)
	if err := os.WriteFile(filepath.Join(dir, DBFile), src, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s, err := Open(ctx, dir, Options{Coder: "anna"})
	if err != nil {
		t.Fatalf("Open(v1): %v", err)
	}
	defer s.Close()
	var v int
	s.db.QueryRow("PRAGMA user_version").Scan(&v)
	if v != SchemaVersion {
		t.Errorf("user_version after upgrade = %d, want %d", v, SchemaVersion)
	}
	cite, err := s.Setting(ctx, "cite", "")
	if err != nil || cite != DefaultCite {
		t.Errorf("Setting(cite) = %q, %v; want the default from migration 2", cite, err)
	}
	q, err := s.Quotes(ctx, []string{"Fear of repression"}, QuoteOptions{})
	if err != nil || len(q) != 1 || q[0].Text != "они придут за нами" {
		t.Fatalf("Quotes after upgrade = %+v, %v", q, err)
	}
	if _, err := s.Undo(ctx); err != nil {
		t.Errorf("Undo of a v1 action after upgrade: %v", err)
	}
}

// TestWriteV1Fixture regenerates testdata/v1.qcode, a project at schema
// version 1, when QCODE_WRITE_V1 is set.
func TestWriteV1Fixture(t *testing.T) {
	if os.Getenv("QCODE_WRITE_V1") == "" {
		t.Skip("set QCODE_WRITE_V1=1 to regenerate testdata/v1.qcode")
	}
	dir := filepath.Join("testdata", "v1.qcode")
	os.RemoveAll(dir)
	os.MkdirAll(filepath.Join(dir, SourcesDir), 0o700)
	f, _ := os.OpenFile(filepath.Join(dir, DBFile), os.O_CREATE|os.O_WRONLY, 0o600)
	f.Close()
	ctx := context.Background()
	fixed := func() time.Time { return time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC) }
	s, err := open(ctx, dir, Options{Coder: "anna", Now: fixed}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec("INSERT INTO project (id, guid, name, created_at) VALUES (1, 'b6f1a7c2-0000-4000-8000-000000000001', 'v1', '2024-01-02T03:04:05Z')"); err != nil {
		t.Fatal(err)
	}
	importText(t, s, "R01.txt", "---\ngender: female\nage: 30\n---\nИ: Почему вы уехали?\nР: Я поняла, что они придут за нами.\n")
	if _, _, err := s.AddCode(ctx, NewCode{Path: "Fear of repression"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Tag(ctx, TagRequest{Doc: "R01", Code: "Fear of repression", Spans: MatchSpans(mustText(t, s, "R01"), "они придут за нами")}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	os.Remove(filepath.Join(dir, DBFile+"-wal"))
	os.Remove(filepath.Join(dir, DBFile+"-shm"))
}

func mustText(t *testing.T, s *Store, ref string) string {
	t.Helper()
	d, err := s.Document(context.Background(), ref, true)
	if err != nil {
		t.Fatal(err)
	}
	return d.Text
}

// TestMigrateFromV2 opens a project written by schema version 2 (before
// the history recorded documents) and checks that after the upgrade undo
// of a merge removes the documents, turns and coders it brought in.
func TestMigrateFromV2(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "v2.qcode", DBFile))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "old.qcode")
	os.MkdirAll(filepath.Join(dir, SourcesDir), 0o700)
	if err := os.WriteFile(filepath.Join(dir, DBFile), src, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s, err := Open(ctx, dir, Options{Coder: "anna"})
	if err != nil {
		t.Fatalf("Open(v2): %v", err)
	}
	defer s.Close()
	var v int
	s.db.QueryRow("PRAGMA user_version").Scan(&v)
	if v != SchemaVersion || v < 3 {
		t.Errorf("user_version after upgrade = %d, want %d", v, SchemaVersion)
	}
	before, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(before.Documents) != 1 || len(before.Codings) != 1 {
		t.Fatalf("v2 fixture holds %d documents and %d codings, want 1 and 1", len(before.Documents), len(before.Codings))
	}

	other := newProject(t, "boris")
	importText(t, other, "R02.txt", "И: Когда вы уехали?\nР: В сентябре, после мобилизации.\n")
	if _, _, err := other.Tag(ctx, TagRequest{Doc: "R02", Code: "Mobilization", Create: true,
		Spans: MatchSpans(mustText(t, other, "R02"), "после мобилизации")}); err != nil {
		t.Fatal(err)
	}
	snap, err := other.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sum, _, err := s.Merge(ctx, snap, MergeOptions{})
	if err != nil || sum.Documents != 1 || sum.Codings != 1 || sum.Coders != 1 {
		t.Fatalf("Merge into the upgraded project = %+v, %v", sum, err)
	}
	if _, err := s.Undo(ctx); err != nil {
		t.Fatalf("Undo of the merge: %v", err)
	}
	after, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(after, before) {
		t.Errorf("after undo: %d documents, %d coders; want the project before the merge (%d, %d)",
			len(after.Documents), len(after.Coders), len(before.Documents), len(before.Coders))
	}
	var turns int
	s.db.QueryRow("SELECT count(*) FROM turns").Scan(&turns)
	if turns != 2 {
		t.Errorf("turns after undo = %d, want the fixture's 2", turns)
	}
}

// TestWriteV2Fixture regenerates testdata/v2.qcode, a project at schema
// version 2, when QCODE_WRITE_V2 is set.
func TestWriteV2Fixture(t *testing.T) {
	if os.Getenv("QCODE_WRITE_V2") == "" {
		t.Skip("set QCODE_WRITE_V2=1 to regenerate testdata/v2.qcode")
	}
	dir := filepath.Join("testdata", "v2.qcode")
	os.RemoveAll(dir)
	os.MkdirAll(filepath.Join(dir, SourcesDir), 0o700)
	f, _ := os.OpenFile(filepath.Join(dir, DBFile), os.O_CREATE|os.O_WRONLY, 0o600)
	f.Close()
	ctx := context.Background()
	fixed := func() time.Time { return time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC) }
	s, err := open(ctx, dir, Options{Coder: "anna", Now: fixed}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec("INSERT INTO project (id, guid, name, created_at) VALUES (1, 'b6f1a7c2-0000-4000-8000-000000000002', 'v2', '2024-01-02T03:04:05Z')"); err != nil {
		t.Fatal(err)
	}
	importText(t, s, "R01.txt", "---\ngender: female\nage: 30\n---\nИ: Почему вы уехали?\nР: Я поняла, что они придут за нами.\n")
	if _, _, err := s.Tag(ctx, TagRequest{Doc: "R01", Code: "Fear of repression", Create: true,
		Spans: MatchSpans(mustText(t, s, "R01"), "они придут за нами")}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	os.Remove(filepath.Join(dir, DBFile+"-wal"))
	os.Remove(filepath.Join(dir, DBFile+"-shm"))
}

// TestReadOnlyError checks what a write to a project qcode may not write
// says: that the project is read-only, not SQLite's code.
func TestReadOnlyError(t *testing.T) {
	s := newProject(t, "anna")
	path := filepath.Join(s.Dir(), DBFile)
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = db.Exec("UPDATE project SET name = 'x'")
	err = mapErr(err)
	if !errors.Is(err, ErrReadOnly) || strings.Contains(err.Error(), "(8)") {
		t.Errorf("a write to a read-only project = %v, want ErrReadOnly without SQLite's code", err)
	}
}
