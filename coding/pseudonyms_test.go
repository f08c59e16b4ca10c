package coding_test

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/qcode-dev/qcode/coding"
)

func TestPseudonymEntriesUndoRedo(t *testing.T) {
	ctx := context.Background()
	s, err := coding.Create(ctx, filepath.Join(t.TempDir(), "p.qcode"), coding.Options{Coder: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	list := func() []coding.PseudonymEntry {
		t.Helper()
		es, err := s.PseudonymEntries(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return es
	}
	e1 := coding.PseudonymEntry{EntryID: "k1a2b3c", Pseudonym: "[Participant 3]", Kind: "person"}
	e2 := coding.PseudonymEntry{EntryID: "k0ff00", Pseudonym: "[город]", Kind: "place", Doc: "int01"}
	for _, e := range []coding.PseudonymEntry{e1, e2} {
		if _, err := s.AddPseudonymEntry(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := list(), []coding.PseudonymEntry{e2, e1}; !reflect.DeepEqual(got, want) {
		t.Fatalf("entries = %+v, want %+v", got, want)
	}
	if _, err := s.AddPseudonymEntry(ctx, e1); !errors.Is(err, coding.ErrConflict) {
		t.Errorf("adding an entry in force again: %v, want ErrConflict", err)
	}
	if _, err := s.RemovePseudonymEntry(ctx, "nosuch"); !errors.Is(err, coding.ErrNotFound) {
		t.Errorf("removing an unknown entry: %v, want ErrNotFound", err)
	}
	if _, err := s.RemovePseudonymEntry(ctx, e1.EntryID); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name string
		do   func(context.Context) (coding.Op, error)
		want []coding.PseudonymEntry
	}{
		{"undo rm", s.Undo, []coding.PseudonymEntry{e2, e1}},
		{"undo add e2", s.Undo, []coding.PseudonymEntry{e1}},
		{"undo add e1", s.Undo, nil},
		{"redo add e1", s.Redo, []coding.PseudonymEntry{e1}},
		{"redo add e2", s.Redo, []coding.PseudonymEntry{e2, e1}},
		{"redo rm", s.Redo, []coding.PseudonymEntry{e2}},
	}
	for _, st := range steps {
		if _, err := st.do(ctx); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if got := list(); !reflect.DeepEqual(got, st.want) {
			t.Fatalf("after %s: %+v, want %+v", st.name, got, st.want)
		}
	}
}

func TestPseudonymEntryRefused(t *testing.T) {
	ctx := context.Background()
	s, err := coding.Create(ctx, filepath.Join(t.TempDir(), "p.qcode"), coding.Options{Coder: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, e := range []coding.PseudonymEntry{
		{EntryID: "k1", Pseudonym: "Participant 3", Kind: "person"},
		{EntryID: "k1", Pseudonym: "[P]", Kind: "friend"},
		{EntryID: "", Pseudonym: "[P]", Kind: "person"},
		{EntryID: "Анна", Pseudonym: "[P]", Kind: "person"},
	} {
		if _, err := s.AddPseudonymEntry(ctx, e); !errors.Is(err, coding.ErrInvalid) {
			t.Errorf("AddPseudonymEntry(%+v) = %v, want ErrInvalid", e, err)
		}
	}
	if es, _ := s.PseudonymEntries(ctx); len(es) != 0 {
		t.Errorf("refused entries were stored: %+v", es)
	}
}
