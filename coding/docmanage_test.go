package coding

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestResolveDocRules(t *testing.T) {
	ctx := context.Background()
	s := newProject(t, "anna")
	ids := map[string]int64{}
	for _, name := range []string{"Lunney", "Luna", "Lunaria", "R07", "R17", "Ar17", "Интервью Ёлкина", "Интервью Петрова", "mail@2", "2022"} {
		ids[name] = importText(t, s, name+".txt", "Interviewer: Hello, "+name+"?\nRespondent: Yes.\n").ID
	}
	res, err := s.Import(ctx, ImportFile{Path: "R07.txt", Data: []byte("Interviewer: Hello again?\nRespondent: Yes.\n")})
	if err != nil || res.Document.Version != 2 {
		t.Fatalf("second version of R07: %+v, %v", res, err)
	}
	ids["R07@1"], ids["R07"] = ids["R07"], res.Document.ID
	guid := res.Document.GUID

	tests := []struct {
		ref  string
		want string // a key of ids
		err  error
		msg  string // in the error
	}{
		{ref: "Lunney", want: "Lunney"},
		{ref: "  Lunney ", want: "Lunney"},
		{ref: "lunney", want: "Lunney"},
		{ref: "LUNN", want: "Lunney"},
		{ref: "nney", want: "Lunney"},
		// An exact name wins over a beginning, in any case.
		{ref: "Luna", want: "Luna"},
		{ref: "luna", want: "Luna"},
		{ref: "lunar", want: "Lunaria"},
		{ref: "lu", err: ErrAmbiguous, msg: `"lu" is ambiguous: it matches Luna (#2), Lunaria (#3), Lunney (#1); say which`},
		{ref: "una", err: ErrAmbiguous, msg: "Luna (#2), Lunaria (#3)"},
		// A beginning wins over a part.
		{ref: "r17", want: "R17"},
		{ref: "ar1", want: "Ar17"},
		{ref: "R1", want: "R17"},
		{ref: "R", err: ErrAmbiguous, msg: "R07 (#11), R17 (#5)"},
		// Versions, by any rule for the name.
		{ref: "R07", want: "R07"},
		{ref: "R07@1", want: "R07@1"},
		{ref: "r07@1", want: "R07@1"},
		{ref: "R07@2", want: "R07"},
		{ref: "r0@1", want: "R07@1"},
		{ref: "R07@3", err: ErrNotFound, msg: "R07 has no version 3 (it has versions 1, 2)"},
		{ref: "lu@1", err: ErrAmbiguous},
		{ref: "mail@2", want: "mail@2"},
		{ref: "MAIL@2", want: "mail@2"},
		// Ids: "#N", N, the GUID; a number with a leading zero is a name's part.
		{ref: fmt.Sprintf("#%d", ids["R07@1"]), want: "R07@1"},
		{ref: fmt.Sprint(ids["Luna"]), want: "Luna"},
		{ref: "07", want: "R07"},
		{ref: guid, want: "R07"},
		{ref: "{" + strings.ToUpper(guid) + "}", want: "R07"},
		{ref: "2022", want: "2022"},
		{ref: "#99", err: ErrNotFound},
		// Cyrillic, in any case, ё as е.
		{ref: "Интервью Ёлкина", want: "Интервью Ёлкина"},
		{ref: "интервью ёлкина", want: "Интервью Ёлкина"},
		{ref: "ИНТЕРВЬЮ ЕЛКИНА", want: "Интервью Ёлкина"},
		{ref: "ёлк", want: "Интервью Ёлкина"},
		{ref: "елкин", want: "Интервью Ёлкина"},
		{ref: "петров", want: "Интервью Петрова"},
		{ref: "интервью", err: ErrAmbiguous, msg: "Интервью Ёлкина (#7), Интервью Петрова (#8)"},
		{ref: "", err: ErrInvalid},
		{ref: "nobody", err: ErrNotFound, msg: `document "nobody": not found`},
	}
	for _, tc := range tests {
		t.Run(tc.ref, func(t *testing.T) {
			d, err := s.Document(ctx, tc.ref, false)
			if tc.err != nil {
				if !errors.Is(err, tc.err) || !strings.Contains(fmt.Sprint(err), tc.msg) {
					t.Fatalf("Document(%q) = %s, %v; want %v saying %q", tc.ref, d.Name, err, tc.err, tc.msg)
				}
				return
			}
			if err != nil || d.ID != ids[tc.want] {
				t.Fatalf("Document(%q) = %s@%d (#%d), %v; want %s (#%d)", tc.ref, d.Name, d.Version, d.ID, err, tc.want, ids[tc.want])
			}
		})
	}
}

// dumpAll returns every row of the tables a document's removal touches
// (all the tracked ones), for comparing states exactly.
func dumpAll(t *testing.T, s *Store) string {
	t.Helper()
	var b strings.Builder
	for _, tbl := range []string{"documents", "document_origins", "turns", "anchors", "speakers", "cases", "case_attributes",
		"attributes", "codes", "codings", "carried", "memos", "coders"} {
		rows, err := s.db.Query("SELECT * FROM " + tbl + " ORDER BY 1, 2")
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%s %v\n", tbl, vals)
		}
		rows.Close()
	}
	return b.String()
}

// removalFixture is a project with R07 in two versions (imported from a
// path; one coding carried to version 2, one orphaned on version 1;
// codings by two coders, memos on it and on a coding, a speaker with a
// case), S1 with time anchors, and R08, which nothing here may touch.
func removalFixture(t *testing.T) (anna, boris *Store) {
	t.Helper()
	ctx := context.Background()
	anna = newProject(t, "anna")
	if _, err := anna.Import(ctx, ImportFile{Path: "R07.md", Origin: "/data/R07.md", Data: []byte(interview)}); err != nil {
		t.Fatal(err)
	}
	importText(t, anna, "S1.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Lena>Hello there.\n\n00:00:04.500 --> 00:00:06.000\n<v Lena>I am still talking.\n\n00:00:07.000 --> 00:00:08.000\n<v Q>Go on.\n")
	importText(t, anna, "R08.txt", "Interviewer: And you?\nRespondent: I stayed a year longer.\n")
	for code, text := range map[string]string{"Fear": "they would come for NGO people first", "Flywheel": "under that flywheel"} {
		if _, _, err := anna.Tag(ctx, TagRequest{Doc: "R07", Code: code, Spans: MatchSpans(mustText(t, anna, "R07"), text), Create: true}); err != nil {
			t.Fatal(err)
		}
	}
	changed := strings.Replace(interview, "Interviewer: Why did you leave?", "Interviewer: Hello again.\nInterviewer: Why did you leave?", 1)
	changed = strings.Replace(changed, " I did not want to be under that flywheel.", "", 1)
	res, err := anna.Import(ctx, ImportFile{Path: "R07.md", Origin: "/data/R07.md", Data: []byte(changed)})
	if err != nil || res.Document.Version != 2 {
		t.Fatalf("R07 version 2: %+v, %v", res, err)
	}
	for _, ref := range []string{"R08", "S1"} {
		if _, _, err := anna.Tag(ctx, TagRequest{Doc: ref, Code: "Fear", Spans: []Span{{2, 9}}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := anna.Tag(ctx, TagRequest{Doc: "R07", Code: "Family", Spans: MatchSpans(mustText(t, anna, "R07"), "We talk about flowers."), Create: true, Memo: "the mother"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := anna.AddMemo(ctx, TargetDocument, "R07", "a long interview"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := anna.AddMemo(ctx, TargetDocument, "R08", "short"); err != nil {
		t.Fatal(err)
	}
	if _, err := anna.SetSpeaker(ctx, "R07", "Respondent", SpeakerChange{Case: "Vera", Attributes: []Attribute{{Key: "age", Value: "30", Type: "integer"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := anna.SetAttributes(ctx, "R07", []Attribute{{Key: "education", Value: "university", Type: "text"}}); err != nil {
		t.Fatal(err)
	}
	boris, err = Open(ctx, anna.Dir(), Options{Coder: "boris"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { boris.Close() })
	if _, _, err := boris.Tag(ctx, TagRequest{Doc: "R07", Code: "Fear", Spans: []Span{{20, 40}}}); err != nil {
		t.Fatal(err)
	}
	return anna, boris
}

func TestRemoveDocument(t *testing.T) {
	ctx := context.Background()
	s, _ := removalFixture(t)
	before := dumpAll(t, s)
	for _, want := range []string{"anchors", "document_origins", "carried [1", "carried [2", "orphaned", "moved"} {
		if !strings.Contains(before, want) {
			t.Fatalf("fixture lacks %s:\n%s", want, before)
		}
	}

	// Refused while it has codings, saying how many; nothing changes.
	_, err := s.RemoveDocument(ctx, "r07", false)
	if !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), "R07 has 4 codings by 2 coders; --force removes them too") {
		t.Fatalf("rm R07 without --force: %v", err)
	}
	if dumpAll(t, s) != before {
		t.Fatal("a refused rm changed the store")
	}

	res, err := s.RemoveDocument(ctx, "r07", true)
	if err != nil {
		t.Fatal(err)
	}
	if res.Name != "R07" || fmt.Sprint(res.Versions) != "[1 2]" || res.Codings != 4 || res.Coders != 2 || res.Memos != 2 || len(res.Sources) != 2 {
		t.Errorf("rm R07 = %+v", res)
	}
	if res.Op.Label != "remove document R07 (4 codings)" {
		t.Errorf("label %q", res.Op.Label)
	}
	after := dumpAll(t, s)
	var n int
	s.db.QueryRow(`SELECT (SELECT count(*) FROM documents WHERE name = 'R07') + (SELECT count(*) FROM turns WHERE doc_id NOT IN (SELECT id FROM documents))
		+ (SELECT count(*) FROM speakers WHERE doc_id NOT IN (SELECT id FROM documents)) + (SELECT count(*) FROM attributes WHERE doc_id NOT IN (SELECT id FROM documents))
		+ (SELECT count(*) FROM codings WHERE doc_id NOT IN (SELECT id FROM documents))
		+ (SELECT count(*) FROM memos WHERE target = 'document' AND target_id NOT IN (SELECT id FROM documents))
		+ (SELECT count(*) FROM memos WHERE target = 'coding' AND target_id NOT IN (SELECT id FROM codings))`).Scan(&n)
	if n != 0 {
		t.Errorf("%d rows of R07 left behind:\n%s", n, after)
	}
	for _, keep := range []string{"R08", "S1"} {
		if _, err := s.Document(ctx, keep, false); err != nil {
			t.Errorf("%s: %v", keep, err)
		}
	}
	if strings.Contains(after, "a long interview") {
		t.Error("the memo on R07 stayed")
	}
	if !strings.Contains(after, "short") || !strings.Contains(after, "Vera") {
		t.Error("R08's memo or the case Vera went too")
	}
	for _, f := range res.Sources {
		if _, err := os.Stat(filepath.Join(s.Dir(), SourcesDir, f)); err != nil {
			t.Errorf("source %s: %v", f, err)
		}
	}

	// Undo brings every row back exactly; redo removes them again.
	if _, err := s.Undo(ctx); err != nil {
		t.Fatal(err)
	}
	if got := dumpAll(t, s); got != before {
		t.Fatalf("undo of rm:\n%s\nwant\n%s", got, before)
	}
	if _, err := s.Redo(ctx); err != nil {
		t.Fatal(err)
	}
	if got := dumpAll(t, s); got != after {
		t.Fatalf("redo of rm:\n%s\nwant\n%s", got, after)
	}
	if _, err := s.Undo(ctx); err != nil {
		t.Fatal(err)
	}
	if got := dumpAll(t, s); got != before {
		t.Fatal("second undo differs")
	}
}

func TestRemoveOneVersion(t *testing.T) {
	ctx := context.Background()
	s, _ := removalFixture(t)
	before := dumpAll(t, s)
	v2, _ := s.Document(ctx, "R07", false)
	_, err := s.RemoveDocument(ctx, "R07@1", false)
	if !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), "R07@1 has 1 coding by 1 coder;") {
		t.Fatalf("rm R07@1: %v", err)
	}
	res, err := s.RemoveDocument(ctx, "R07@1", true)
	if err != nil || fmt.Sprint(res.Versions) != "[1]" || res.Codings != 1 {
		t.Fatalf("rm R07@1 --force = %+v, %v", res, err)
	}
	if d, err := s.Document(ctx, "R07", false); err != nil || d.ID != v2.ID || !d.Latest {
		t.Errorf("R07 after removing version 1 = %+v, %v", d, err)
	}
	if _, err := s.Document(ctx, "R07@1", false); !errors.Is(err, ErrNotFound) {
		t.Errorf("R07@1 after its removal: %v", err)
	}
	carried := func() string {
		var st string
		s.db.QueryRow("SELECT coalesce(group_concat(status, ' '), '') FROM (SELECT status FROM carried ORDER BY id)").Scan(&st)
		return st
	}
	// The coding carried on to version 2 keeps its history; the orphan
	// went with version 1.
	if got := carried(); got != "moved" {
		t.Errorf("carried after rm R07@1: %q, want moved", got)
	}
	// The latest version alone: the earlier one becomes the latest.
	if _, err := s.Undo(ctx); err != nil {
		t.Fatal(err)
	}
	if dumpAll(t, s) != before {
		t.Fatal("undo of rm R07@1 differs")
	}
	if _, err := s.RemoveDocument(ctx, "R07@2", true); err != nil {
		t.Fatal(err)
	}
	if d, err := s.Document(ctx, "R07", false); err != nil || d.Version != 1 || !d.Latest {
		t.Errorf("R07 after removing version 2 = %+v, %v", d, err)
	}
	if got := carried(); got != "" {
		t.Errorf("carried after rm R07@2: %q, want nothing (the moved coding went, and the orphans' version)", got)
	}
	// A document without codings goes without --force.
	if _, err := s.RemoveDocument(ctx, "R07", false); !errors.Is(err, ErrConflict) {
		t.Errorf("rm R07 (version 1 coded): %v", err)
	}
	importText(t, s, "Empty.txt", "Interviewer: Nothing coded here.\n")
	if _, err := s.RemoveDocument(ctx, "empty", false); err != nil {
		t.Errorf("rm of an uncoded document: %v", err)
	}
}

func TestRenameDocument(t *testing.T) {
	ctx := context.Background()
	s, _ := removalFixture(t)
	before := dumpAll(t, s)
	states := func() map[int64]string {
		st, err := s.DocStates(ctx)
		if err != nil {
			t.Fatal(err)
		}
		m := map[int64]string{}
		for _, d := range st {
			m[d.ID] = d.Fingerprint
		}
		return m
	}
	fp := states()
	v1, _ := s.Document(ctx, "R07@1", false)
	res, err := s.RenameDocument(ctx, "r07", "  Вера Ф. ")
	if err != nil {
		t.Fatal(err)
	}
	if res.From != "R07" || res.To != "Вера Ф." || res.Versions != 2 || res.Op.Label != "rename document R07 to Вера Ф." {
		t.Errorf("rename = %+v", res)
	}
	if d, err := s.Document(ctx, "вера@1", false); err != nil || d.ID != v1.ID {
		t.Errorf("вера@1 = %+v, %v", d, err)
	}
	if _, err := s.Document(ctx, "R07", false); err == nil {
		t.Error("the old name still finds the document")
	}
	if fp2 := states(); fp2[v1.ID] == fp[v1.ID] {
		t.Error("a rename leaves the document's fingerprint alone: the index would keep the old name")
	}
	if _, err := s.Undo(ctx); err != nil {
		t.Fatal(err)
	}
	if dumpAll(t, s) != before {
		t.Fatal("undo of rename differs")
	}
	// A change of case only is a rename.
	if _, err := s.RenameDocument(ctx, "R08", "r08"); err != nil {
		t.Errorf("rename R08 to r08: %v", err)
	}

	for _, tc := range []struct {
		to  string
		err error
		msg string
	}{
		{"s1", ErrConflict, "another document is called S1"},
		{"S1", ErrConflict, "another document is called S1"},
		{"  ", ErrInvalid, "empty document name"},
		{"R07\x1b[31m", ErrInvalid, "U+001B"},
		{"R07\u202etxt.exe", ErrInvalid, "U+202E"},
		{"R07\n", ErrInvalid, ""}, // trimmed: the same name
		{"R\n07", ErrInvalid, "U+000A"},
		{"R07@home", ErrInvalid, "'@'"},
		{"#12", ErrInvalid, "short id"},
		{"R07", ErrNothing, "already"},
	} {
		_, err := s.RenameDocument(ctx, "R07", tc.to)
		if tc.to == "R07\n" {
			if !errors.Is(err, ErrNothing) {
				t.Errorf("rename to %q: %v", tc.to, err)
			}
			continue
		}
		if !errors.Is(err, tc.err) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("rename to %q: %v; want %v saying %q", tc.to, err, tc.err, tc.msg)
		}
	}
	if _, err := s.RenameDocument(ctx, "nobody", "X"); !errors.Is(err, ErrNotFound) {
		t.Errorf("rename of a missing document: %v", err)
	}
}

func TestRenameFocusGroupCases(t *testing.T) {
	ctx := context.Background()
	s := newProject(t, "anna")
	importText(t, s, "FG1.txt", "Moderator: Why did you leave?\nAnna: I was afraid.\nBoris: I was not.\nModerator: And now?\nAnna: Tbilisi.\n")
	importText(t, s, "FG2.txt", "Moderator: Why?\nLena: Work.\nOleg: Family.\n")
	cases := func() string {
		var c string
		s.db.QueryRow("SELECT coalesce(group_concat(name, '|'), '') FROM (SELECT name FROM cases ORDER BY id)").Scan(&c)
		return c
	}
	if got := cases(); got != "FG1: Anna|FG1: Boris|FG2: Lena|FG2: Oleg" {
		t.Fatalf("cases before = %q", got)
	}
	before := dumpAll(t, s)
	res, err := s.RenameDocument(ctx, "FG1", "Группа А")
	if err != nil || res.Cases != 2 {
		t.Fatalf("rename = %+v, %v", res, err)
	}
	if got := cases(); got != "Группа А: Anna|Группа А: Boris|FG2: Lena|FG2: Oleg" {
		t.Errorf("cases after rename = %q", got)
	}
	if _, err := s.Undo(ctx); err != nil {
		t.Fatal(err)
	}
	if dumpAll(t, s) != before {
		t.Error("undo of the rename differs")
	}
}
