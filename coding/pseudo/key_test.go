package pseudo

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qcode-dev/qcode/coding"
)

func newProject(t *testing.T) *coding.Store {
	t.Helper()
	s, err := coding.Create(context.Background(), filepath.Join(t.TempDir(), "study.qcode"), coding.Options{Coder: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestDefaultKeyPath(t *testing.T) {
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	got, err := DefaultKeyPath("0f6c-guid")
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(cfg, "qcode", "keys", "0f6c-guid.json"); got != want {
		t.Errorf("DefaultKeyPath = %q, want %q", got, want)
	}
	for _, bad := range []string{"", "../x", "a/b", ".."} {
		if _, err := DefaultKeyPath(bad); err == nil {
			t.Errorf("DefaultKeyPath(%q) accepted", bad)
		}
	}
}

func TestKeySaveLoad(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "keys")
	path := filepath.Join(dir, "g.json")
	k, err := LoadKey(path, "g")
	if err != nil || len(k.Entries) != 0 {
		t.Fatalf("a missing key: %v, %v; want an empty key", k, err)
	}
	e, err := k.Put(Entry{Real: " Анна ", Pseudonym: "[P1]", Kind: Person})
	if err != nil {
		t.Fatal(err)
	}
	if e.ID == "" || e.Real != "Анна" {
		t.Errorf("Put = %+v, want an id and the value trimmed", e)
	}
	if _, err := k.Put(Entry{Real: "Tbilisi", Pseudonym: "[city]", Kind: Place, Doc: "int01"}); err != nil {
		t.Fatal(err)
	}
	if err := k.Save(); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]os.FileMode{path: 0o600, dir: 0o700} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != want {
			t.Errorf("%s mode %o, want %o", p, st.Mode().Perm(), want)
		}
	}
	k2, err := LoadKey(path, "g")
	if err != nil {
		t.Fatal(err)
	}
	if len(k2.All()) != 2 || len(k2.Entries) != 2 {
		t.Fatalf("loaded %d entries, want 2", len(k2.All()))
	}
	b1, _ := k.Marshal()
	b2, _ := k2.Marshal()
	if string(b1) != string(b2) {
		t.Errorf("a key read back marshals differently:\n%s\n%s", b1, b2)
	}
	if !k2.Forget(e.ID) || k2.Forget(e.ID) {
		t.Error("Forget should erase the entry once")
	}
	if _, ok := k2.Lookup(e.ID); ok {
		t.Error("a forgotten entry is still there")
	}
	names, _ := os.ReadDir(dir)
	if len(names) != 1 {
		t.Errorf("the key folder holds %d files, want only the key (no temporary left)", len(names))
	}
}

func TestLoadKeyRefused(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	k := &Key{Path: good, Project: "g"}
	if _, err := k.Put(Entry{Real: "Анна", Pseudonym: "[P1]", Kind: Person}); err != nil {
		t.Fatal(err)
	}
	if err := k.Save(); err != nil {
		t.Fatal(err)
	}
	write := func(name, body string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), mode); err != nil {
			t.Fatal(err)
		}
		os.Chmod(p, mode)
		return p
	}
	goodBody, _ := os.ReadFile(good)
	tests := []struct {
		name, path, project, want string
	}{
		{"readable by others", write("open.json", string(goodBody), 0o644), "g", "chmod 600"},
		{"writable by group", write("group.json", string(goodBody), 0o620), "g", "mode 0620"},
		{"another project", good, "other", "belongs to project g"},
		{"not json", write("bad.json", "Анна = [P1]", 0o600), "g", "not a key"},
		{"not utf-8", write("bin.json", "\xff\xfe\x00", 0o600), "g", "not UTF-8"},
		{"wrong format", write("fmt.json", `{"format":"x","project":"g","entries":[]}`, 0o600), "g", "format"},
		{"repeated id", write("rep.json", `{"format":"qcode-pseudonym-key-1","project":"g","entries":[
			{"id":"k1","real":"a","pseudonym":"[a]","kind":"person"},{"id":"k1","real":"b","pseudonym":"[b]","kind":"person"}]}`, 0o600), "g", "repeated id"},
		{"unbracketed", write("unbr.json", `{"format":"qcode-pseudonym-key-1","project":"g","entries":[
			{"id":"k1","real":"a","pseudonym":"P","kind":"person"}]}`, 0o600), "g", "bracketed"},
		{"a folder", dir, "g", "not a regular file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadKey(tc.path, tc.project)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.path) {
				t.Errorf("LoadKey(%s) = %v, want an error naming the file and %q", tc.path, err, tc.want)
			}
		})
	}
	if _, err := LoadKey(filepath.Join(dir, "open.json"), "g"); !errors.Is(err, ErrKeyPerm) {
		t.Errorf("a key open to others: %v, want ErrKeyPerm", err)
	}
}

func TestKeyFor(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	ctx := context.Background()
	s := newProject(t)
	k, err := KeyFor(ctx, s, "")
	if err != nil {
		t.Fatal(err)
	}
	guid, _ := s.ProjectGUID(ctx)
	if want, _ := DefaultKeyPath(guid); k.Path != want {
		t.Errorf("KeyFor path = %s, want %s", k.Path, want)
	}
	a, _ := k.Put(Entry{Real: "Анна", Pseudonym: "[P1]", Kind: Person})
	b, _ := k.Put(Entry{Real: "Тбилиси", Pseudonym: "[город]", Kind: Place})
	if err := k.Save(); err != nil {
		t.Fatal(err)
	}
	// Only the entries the project has in force count, with the
	// project's pseudonym.
	if _, err := s.AddPseudonymEntry(ctx, coding.PseudonymEntry{EntryID: a.ID, Pseudonym: "[Participant 1]", Kind: "person"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddPseudonymEntry(ctx, coding.PseudonymEntry{EntryID: "kgone", Pseudonym: "[x]", Kind: "other"}); err != nil {
		t.Fatal(err)
	}
	k, err = KeyFor(ctx, s, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(k.Entries) != 1 || k.Entries[0].ID != a.ID || k.Entries[0].Pseudonym != "[Participant 1]" {
		t.Errorf("KeyFor entries = %+v, want only %s as [Participant 1]", k.Entries, a.ID)
	}
	if len(k.All()) != 2 {
		t.Errorf("All = %d entries, want 2 (%s kept for redo)", len(k.All()), b.ID)
	}
	if miss, _ := Missing(ctx, s, k); len(miss) != 1 || miss[0] != "kgone" {
		t.Errorf("Missing = %v, want [kgone]", miss)
	}

	// A key inside the project folder is refused, also through a link.
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(s.Dir(), link); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{
		filepath.Join(s.Dir(), "key.json"),
		filepath.Join(s.Dir(), "sources", "new", "key.json"),
		filepath.Join(link, "key.json"),
		s.Dir(),
	} {
		if _, err := KeyFor(ctx, s, p); err == nil || !strings.Contains(err.Error(), "inside the project folder") {
			t.Errorf("KeyFor(%s) = %v, want refused as inside the project", p, err)
		}
	}
	other := filepath.Join(t.TempDir(), "k.json")
	if k, err := KeyFor(ctx, s, other); err != nil || k.Path != other {
		t.Errorf("KeyFor(%s) = %v, %v", other, k, err)
	}
	// A sibling whose name starts like the project's is outside.
	if k, err := KeyFor(ctx, s, s.Dir()+"-key.json"); err != nil || k == nil {
		t.Errorf("a sibling of the project refused: %v", err)
	}
}

// InForce refuses a key that lacks an entry the project has in force,
// naming it, and takes one that holds them all.
func TestInForce(t *testing.T) {
	ctx := context.Background()
	s := newProject(t)
	path := filepath.Join(t.TempDir(), "key.json")
	k, err := KeyFor(ctx, s, path)
	if err != nil {
		t.Fatal(err)
	}
	e, err := k.Put(Entry{Real: "Анна", Pseudonym: "[P1]", Kind: Person})
	if err != nil {
		t.Fatal(err)
	}
	if err := k.Save(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddPseudonymEntry(ctx, coding.PseudonymEntry{EntryID: e.ID, Pseudonym: e.Pseudonym, Kind: string(e.Kind)}); err != nil {
		t.Fatal(err)
	}
	if got, err := InForce(ctx, s, path); err != nil || len(got.Entries) != 1 {
		t.Fatalf("InForce with the right key: %v entries, %v", got, err)
	}
	other := filepath.Join(t.TempDir(), "other.json")
	_, err = InForce(ctx, s, other)
	if !errors.Is(err, ErrKeyIncomplete) || !strings.Contains(err.Error(), e.ID) || !strings.Contains(err.Error(), other) {
		t.Errorf("InForce with another key: %v, want ErrKeyIncomplete naming %s and %s", err, e.ID, other)
	}
}
