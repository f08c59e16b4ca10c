package coding

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// mergeFixture is a project with a small codebook and the other codebook
// merged into it in the tests below.
func mergeFixture(t *testing.T) (*Store, map[string]Code) {
	t.Helper()
	ctx := context.Background()
	s := newProject(t, "anna")
	for _, nc := range []NewCode{
		{Path: "Identity", Color: "#112233", Description: "Who they are now"},
		{Path: "Identity/Language"},
		{Path: "Fear", Color: "#445566", Description: "Fear of repression"},
		{Path: "Relatives"},
	} {
		if _, _, err := s.AddCode(ctx, nc); err != nil {
			t.Fatal(err)
		}
	}
	// AddCode gives every code a palette colour; clear Language's so that
	// it can be filled.
	if _, err := s.db.ExecContext(ctx, "UPDATE codes SET color = '' WHERE name = 'Language'"); err != nil {
		t.Fatal(err)
	}
	codes, err := s.Codes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byPath := map[string]Code{}
	for _, c := range codes {
		byPath[c.Path] = c
	}
	return s, byPath
}

func TestMergeCodebook(t *testing.T) {
	ctx := context.Background()
	s, ours := mergeFixture(t)
	before, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	idGUID := strings.ToUpper(ours["Identity"].GUID)
	theirs := []SnapshotCode{
		// Ours by GUID (upper-case there), renamed there.
		{GUID: idGUID, Name: "Identity and belonging", Description: "Who they are now", Color: "#112233"},
		// Ours by path under the code matched by GUID, names without case.
		{GUID: "0000000a-0000-4000-8000-000000000001", ParentGUID: idGUID, Name: "language",
			Description: "Learning Georgian", Color: "#abcdef"},
		// Ours by path; description and colour differ.
		{GUID: "0000000a-0000-4000-8000-000000000002", Name: "FEAR", Description: "Fear of arrest", Color: "#445567"},
		// Ours by GUID, moved there under Identity.
		{GUID: ours["Relatives"].GUID, ParentGUID: idGUID, Name: "Relatives"},
		// New, with a new child; the child comes first in the list.
		{GUID: "0000000a-0000-4000-8000-000000000004", ParentGUID: "0000000a-0000-4000-8000-000000000003", Name: "Volunteering"},
		{GUID: "0000000a-0000-4000-8000-000000000003", Name: "Donations", Color: "#abc123", Description: "Money sent home"},
	}
	ch, op, err := s.MergeCodebook(ctx, theirs)
	if err != nil {
		t.Fatalf("MergeCodebook: %v", err)
	}
	want := CodebookChanges{
		Added:  []string{"Donations", "Donations/Volunteering"},
		ByGUID: []string{"Identity", "Relatives"},
		ByPath: []string{"Identity/Language", "Fear"},
		Filled: []CodebookFill{
			{Path: "Identity/Language", Field: "description", Value: "Learning Georgian"},
			{Path: "Identity/Language", Field: "colour", Value: "#ABCDEF"},
		},
		Conflicts: []CodebookConflict{
			{Path: "Identity", GUID: idGUID, Field: "name", Ours: "Identity", Theirs: "Identity and belonging"},
			{Path: "Fear", GUID: "0000000a-0000-4000-8000-000000000002", Field: "description", Ours: "Fear of repression", Theirs: "Fear of arrest"},
			{Path: "Fear", GUID: "0000000a-0000-4000-8000-000000000002", Field: "colour", Ours: "#445566", Theirs: "#445567"},
			{Path: "Relatives", GUID: ours["Relatives"].GUID, Field: "parent", Ours: "", Theirs: "Identity"},
		},
	}
	if !reflect.DeepEqual(ch, want) {
		t.Errorf("MergeCodebook changes:\n got %+v\nwant %+v", ch, want)
	}
	if !strings.HasPrefix(op.Label, "import codebook: 2 added, 2 matched by GUID, 2 matched by path, 2 filled, 4 conflicts") {
		t.Errorf("op label = %q", op.Label)
	}

	after, err := s.Codes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range after {
		got = append(got, c.Path+" "+c.GUID+" "+c.Color+" "+c.Description)
	}
	wantCodes := []string{
		"Donations 0000000a-0000-4000-8000-000000000003 #ABC123 Money sent home",
		"Donations/Volunteering 0000000a-0000-4000-8000-000000000004  ",
		"Fear " + ours["Fear"].GUID + " #445566 Fear of repression",
		"Identity " + ours["Identity"].GUID + " #112233 Who they are now",
		"Identity/Language " + ours["Identity/Language"].GUID + " #ABCDEF Learning Georgian",
		"Relatives " + ours["Relatives"].GUID + " " + ours["Relatives"].Color + " ",
	}
	if !reflect.DeepEqual(got, wantCodes) {
		t.Errorf("codebook after merge:\n got %q\nwant %q", got, wantCodes)
	}

	// One undo takes the whole merge back.
	if _, err := s.Undo(ctx); err != nil {
		t.Fatalf("Undo: %v", err)
	}
	undone, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(undone.Codes, before.Codes) {
		t.Errorf("after undo the codebook is\n%+v\nwant\n%+v", undone.Codes, before.Codes)
	}
}

// TestMergeCodebookAgain merges the same codebook twice: the second time
// everything is matched and nothing changes.
func TestMergeCodebookAgain(t *testing.T) {
	ctx := context.Background()
	s, _ := mergeFixture(t)
	theirs := []SnapshotCode{
		{GUID: "0000000b-0000-4000-8000-000000000001", Name: "Work"},
		{GUID: "0000000b-0000-4000-8000-000000000002", ParentGUID: "0000000b-0000-4000-8000-000000000001", Name: "Remote", Description: "For employers in Russia"},
	}
	if _, _, err := s.MergeCodebook(ctx, theirs); err != nil {
		t.Fatal(err)
	}
	ops, err := s.History(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	ch, _, err := s.MergeCodebook(ctx, theirs)
	if err != nil {
		t.Fatal(err)
	}
	if len(ch.Added)+len(ch.ByPath)+len(ch.Filled)+len(ch.Conflicts) != 0 || !reflect.DeepEqual(ch.ByGUID, []string{"Work", "Work/Remote"}) {
		t.Errorf("second merge = %s (%+v), want both matched by GUID and nothing else", ch.Summary(), ch)
	}
	if again, err := s.History(ctx, 100); err != nil || len(again) != len(ops) {
		t.Errorf("second merge left %d ops in the history, want %d: an action that changes nothing leaves none", len(again), len(ops))
	}
}

// TestMergeCodesIDs checks the map the merge of projects relies on: every
// GUID of theirs, as given, to the code here.
func TestMergeCodesIDs(t *testing.T) {
	ctx := context.Background()
	s, ours := mergeFixture(t)
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	upper := "{" + strings.ToUpper(ours["Fear"].GUID) + "}"
	ids, ch, err := mergeCodes(ctx, tx, []SnapshotCode{
		{GUID: upper, Name: "Fear"},
		{GUID: "0000000c-0000-4000-8000-000000000001", Name: "identity"},
		{GUID: "0000000c-0000-4000-8000-000000000002", Name: "New"},
	}, 0)
	if err != nil {
		t.Fatal(err)
	}
	var newID int64
	if err := tx.QueryRowContext(ctx, "SELECT id FROM codes WHERE guid = '0000000c-0000-4000-8000-000000000002'").Scan(&newID); err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{
		upper:                                  ours["Fear"].ID,
		"0000000c-0000-4000-8000-000000000001": ours["Identity"].ID,
		"0000000c-0000-4000-8000-000000000002": newID,
	}
	if !reflect.DeepEqual(ids, want) {
		t.Errorf("mergeCodes ids = %v, want %v", ids, want)
	}
	if !reflect.DeepEqual(ch.ByGUID, []string{"Fear"}) || !reflect.DeepEqual(ch.ByPath, []string{"Identity"}) {
		t.Errorf("mergeCodes matched %v by GUID and %v by path, want [Fear] and [Identity]", ch.ByGUID, ch.ByPath)
	}
}

// TestMergeCodebookRefuses checks that a broken codebook changes nothing.
func TestMergeCodebookRefuses(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		codes []SnapshotCode
		want  string
	}{
		{"duplicate GUID", []SnapshotCode{
			{GUID: "0000000d-0000-4000-8000-000000000001", Name: "A"},
			{GUID: "0000000d-0000-4000-8000-000000000001", Name: "B"},
		}, `codes "A" and "B" have the same GUID`},
		{"unknown parent", []SnapshotCode{
			{GUID: "0000000d-0000-4000-8000-000000000001", Name: "A"},
			{GUID: "0000000d-0000-4000-8000-000000000002", ParentGUID: "0000000d-0000-4000-8000-000000000009", Name: "B"},
		}, `code "B": its parent 0000000d-0000-4000-8000-000000000009 is not in the codebook`},
		{"cycle", []SnapshotCode{
			{GUID: "0000000d-0000-4000-8000-000000000001", ParentGUID: "0000000d-0000-4000-8000-000000000002", Name: "A"},
			{GUID: "0000000d-0000-4000-8000-000000000002", ParentGUID: "0000000d-0000-4000-8000-000000000001", Name: "B"},
		}, `is its own ancestor`},
		{"empty name", []SnapshotCode{
			{GUID: "0000000d-0000-4000-8000-000000000001", Name: "Fine"},
			{GUID: "0000000d-0000-4000-8000-000000000002", Name: "  "},
		}, `empty code name`},
		{"slash in name", []SnapshotCode{{GUID: "0000000d-0000-4000-8000-000000000001", Name: "A/B"}}, `'/' separates`},
		{"bad colour", []SnapshotCode{{GUID: "0000000d-0000-4000-8000-000000000001", Name: "A", Color: "red"}}, `colour "red"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := mergeFixture(t)
			before, err := s.Snapshot(ctx)
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = s.MergeCodebook(ctx, tt.codes)
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("MergeCodebook = %v, want ErrInvalid with %q", err, tt.want)
			}
			after, err := s.Snapshot(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(before, after) {
				t.Errorf("a refused merge changed the project")
			}
		})
	}
}

// TestPreviewCodebook checks that a dry run reports and changes nothing.
func TestPreviewCodebook(t *testing.T) {
	ctx := context.Background()
	s, _ := mergeFixture(t)
	before, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ch, err := s.PreviewCodebook(ctx, []SnapshotCode{{GUID: "0000000e-0000-4000-8000-000000000001", Name: "Work"}})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ch.Added, []string{"Work"}) {
		t.Errorf("PreviewCodebook added %v, want [Work]", ch.Added)
	}
	after, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before, after) {
		t.Errorf("a preview changed the project")
	}
}

// TestMergeCodebookTwoClaims: one of their codes has our code's GUID under
// another name, another has its name; both end on our code, and the
// second is reported.
func TestMergeCodebookTwoClaims(t *testing.T) {
	ctx := context.Background()
	s, ours := mergeFixture(t)
	fear := ours["Fear"].GUID
	ch, _, err := s.MergeCodebook(ctx, []SnapshotCode{
		{GUID: "0000000f-0000-4000-8000-000000000001", Name: "Fear"},
		{GUID: fear, Name: "Anxiety"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := CodebookChanges{
		Added: []string{}, ByGUID: []string{"Fear"}, ByPath: []string{"Fear"}, Filled: []CodebookFill{},
		Conflicts: []CodebookConflict{
			{Path: "Fear", GUID: "0000000f-0000-4000-8000-000000000001", Field: "guid", Ours: fear, Theirs: "0000000f-0000-4000-8000-000000000001"},
			{Path: "Fear", GUID: fear, Field: "name", Ours: "Fear", Theirs: "Anxiety"},
		},
	}
	if !reflect.DeepEqual(ch, want) {
		t.Errorf("MergeCodebook changes:\n got %+v\nwant %+v", ch, want)
	}
}

// TestMergeCodebookCyrillic matches Cyrillic names without case, which
// SQLite's NOCASE alone would not.
func TestMergeCodebookCyrillic(t *testing.T) {
	ctx := context.Background()
	s := newProject(t, "anna")
	if _, _, err := s.AddCode(ctx, NewCode{Path: "Страх/Обыски"}); err != nil {
		t.Fatal(err)
	}
	ch, _, err := s.MergeCodebook(ctx, []SnapshotCode{
		{GUID: "00000010-0000-4000-8000-000000000001", Name: "СТРАХ"},
		{GUID: "00000010-0000-4000-8000-000000000002", ParentGUID: "00000010-0000-4000-8000-000000000001", Name: "обыски"},
		{GUID: "00000010-0000-4000-8000-000000000003", ParentGUID: "00000010-0000-4000-8000-000000000001", Name: "Аресты"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ch.ByPath, []string{"Страх", "Страх/Обыски"}) || !reflect.DeepEqual(ch.Added, []string{"Страх/Аресты"}) {
		t.Errorf("merge: matched by path %v, added %v; want Страх and Страх/Обыски matched, Страх/Аресты added", ch.ByPath, ch.Added)
	}
}
