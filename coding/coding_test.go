package coding

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

const interview = `---
participant: R07
gender: female
age: 30
occupation: NGO activist
wave: February
---
Interviewer: Why did you leave?
Respondent: I understood they would come for NGO people first. I did not want to be under that flywheel.
Interviewer: And your mother?
Respondent: We talk about flowers. Never about the war.
`

func TestPositionsRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := newProject(t, "anna")
	// The file is NFD (и + combining breve); the stored text is NFC, and
	// positions count code points of the NFC text, so an emoji and a
	// composed letter each count one.
	nfd := "И: Откуда вы?\nР: Из Казани 🇷🇺 и Мурманска 👩🏽‍💻. Я боялась, что за мной прийдут\u0306. Ёлка, ещё.\n"
	nfd = strings.Replace(nfd, "прийдут\u0306", "прии\u0306дут", 1)
	importText(t, s, "R01.txt", nfd)
	d, err := s.Document(ctx, "R01", true)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(d.Text, "\u0306") {
		t.Fatalf("stored text is not NFC: %q", d.Text)
	}
	if _, _, err := s.AddCode(ctx, NewCode{Path: "Fear of repression"}); err != nil {
		t.Fatal(err)
	}
	tests := []string{
		"Я боялась, что за мной прийдут",
		"🇷🇺",
		"👩🏽‍💻. Я",
		"Ёлка, ещё.",
	}
	for _, want := range tests {
		spans := MatchSpans(d.Text, want)
		if len(spans) != 1 {
			t.Fatalf("MatchSpans(%q) = %v, want one span", want, spans)
		}
		runes := []rune(d.Text)
		sp := spans[0]
		if got := string(runes[sp.Start:sp.End]); got != want {
			t.Fatalf("span %v over runes = %q, want %q", sp, got, want)
		}
		if _, _, err := s.Tag(ctx, TagRequest{Doc: "R01", Code: "Fear of repression", Spans: spans}); err != nil {
			t.Fatal(err)
		}
	}
	qs, err := s.Quotes(ctx, []string{"Fear of repression"}, QuoteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, q := range qs {
		got = append(got, q.Text)
	}
	sort.Strings(got)
	sort.Strings(tests)
	if !reflect.DeepEqual(got, tests) {
		t.Errorf("quote texts = %q, want %q", got, tests)
	}
}

// dump returns the tracked tables' rows as text, for comparing states.
func dump(t *testing.T, s *Store) string {
	t.Helper()
	var b strings.Builder
	for _, tbl := range []string{"attributes", "codes", "codings", "memos"} {
		rows, err := s.db.Query("SELECT * FROM " + tbl + " ORDER BY id")
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
			rows.Scan(ptrs...)
			fmt.Fprintf(&b, "%s %v\n", tbl, vals)
		}
		rows.Close()
	}
	return b.String()
}

func TestUndoRedoEveryAction(t *testing.T) {
	ctx := context.Background()
	setup := func(t *testing.T) *Store {
		s := newProject(t, "anna")
		importText(t, s, "R07.md", interview)
		for _, c := range []NewCode{{Path: "Reasons/Persecution"}, {Path: "Fear"}, {Path: "Family"}} {
			if _, _, err := s.AddCode(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		if _, _, err := s.Tag(ctx, TagRequest{Doc: "R07", Code: "Fear", Spans: MatchSpans(mustText(t, s, "R07"), "they would come for NGO people first"), Memo: "key quote"}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Tag(ctx, TagRequest{Doc: "R07", Code: "Persecution", Spans: []Span{{40, 60}}}); err != nil {
			t.Fatal(err)
		}
		return s
	}
	desc := "Fear of arrest"
	color := "#123456"
	actions := []struct {
		name string
		do   func(s *Store) error
	}{
		{"tag", func(s *Store) error {
			_, _, err := s.Tag(ctx, TagRequest{Doc: "R07", Code: "Family", Spans: []Span{{10, 30}, {50, 70}}})
			return err
		}},
		{"tag creating code", func(s *Store) error {
			_, _, err := s.Tag(ctx, TagRequest{Doc: "R07", Code: "New/Deep", Spans: []Span{{1, 5}}, Create: true})
			return err
		}},
		{"untag", func(s *Store) error {
			_, _, err := s.Untag(ctx, UntagRequest{Doc: "R07", Code: "Persecution", Span: Span{40, 60}})
			return err
		}},
		{"add code", func(s *Store) error {
			_, _, err := s.AddCode(ctx, NewCode{Path: "Trust", Color: "#abcdef"})
			return err
		}},
		{"rename code", func(s *Store) error { _, err := s.RenameCode(ctx, "Fear", "Fear of repression"); return err }},
		{"update code", func(s *Store) error { _, err := s.UpdateCode(ctx, "Fear", &color, &desc); return err }},
		{"move code", func(s *Store) error { _, err := s.MoveCode(ctx, "Family", "Reasons"); return err }},
		{"move to root", func(s *Store) error { _, err := s.MoveCode(ctx, "Persecution", ""); return err }},
		{"merge code", func(s *Store) error { _, err := s.MergeCode(ctx, "Fear", "Persecution"); return err }},
		{"delete code forced", func(s *Store) error { _, err := s.DeleteCode(ctx, "Reasons", true); return err }},
		{"set attributes", func(s *Store) error {
			_, err := s.SetAttributes(ctx, "R07", []Attribute{{Key: "age", Type: TypeInteger, Value: "31"}, {Key: "city", Value: "Tbilisi"}, {Key: "wave"}})
			return err
		}},
		{"memo", func(s *Store) error { _, _, err := s.AddMemo(ctx, TargetCode, "Fear", "a memo"); return err }},
		{"edit memo", func(s *Store) error { _, err := s.EditMemo(ctx, 1, "edited"); return err }},
		{"delete memo", func(s *Store) error { _, err := s.DeleteMemo(ctx, 1); return err }},
	}
	for _, a := range actions {
		t.Run(a.name, func(t *testing.T) {
			s := setup(t)
			before := dump(t, s)
			if err := a.do(s); err != nil {
				t.Fatalf("%s: %v", a.name, err)
			}
			after := dump(t, s)
			if after == before {
				t.Fatalf("%s changed nothing", a.name)
			}
			if _, err := s.Undo(ctx); err != nil {
				t.Fatalf("Undo: %v", err)
			}
			if got := dump(t, s); got != before {
				t.Errorf("after undo:\n%s\nwant:\n%s", got, before)
			}
			if _, err := s.Redo(ctx); err != nil {
				t.Fatalf("Redo: %v", err)
			}
			if got := dump(t, s); got != after {
				t.Errorf("after redo:\n%s\nwant:\n%s", got, after)
			}
			if _, err := s.Redo(ctx); !errors.Is(err, ErrNothing) {
				t.Errorf("second Redo = %v, want ErrNothing", err)
			}
		})
	}
}

func TestUndoSurvivesRestartAndIsPerCoder(t *testing.T) {
	ctx := context.Background()
	s := newProject(t, "anna")
	dir := s.Dir()
	importText(t, s, "R07.md", interview)
	s.AddCode(ctx, NewCode{Path: "Fear"})
	s.WithCoder("boris").Tag(ctx, TagRequest{Doc: "R07", Code: "Fear", Spans: []Span{{0, 5}}})
	s.Tag(ctx, TagRequest{Doc: "R07", Code: "Fear", Spans: []Span{{10, 20}}})
	s.Close()

	s, err := Open(ctx, dir, Options{Coder: "anna"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	op, err := s.Undo(ctx)
	if err != nil || !strings.Contains(op.Label, "10:20") {
		t.Fatalf("Undo after reopen = %+v, %v; want anna's tag 10:20", op, err)
	}
	cs, _ := s.Codings(ctx, CodingFilter{})
	if len(cs) != 1 || cs[0].Coder != "boris" {
		t.Fatalf("codings after anna's undo = %+v; want boris's only", cs)
	}
	// anna's next action is adding the code, but boris's coding uses it.
	if _, err = s.Undo(ctx); !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), "depend") {
		t.Fatalf("undoing a code another coder used = %v, want ErrConflict saying later changes depend on it", err)
	}
}

func TestUndoRefusesOverOthersChanges(t *testing.T) {
	ctx := context.Background()
	s := newProject(t, "anna")
	s.AddCode(ctx, NewCode{Path: "Fear"})
	if _, err := s.WithCoder("boris").RenameCode(ctx, "Fear", "Fear of repression"); err != nil {
		t.Fatal(err)
	}
	before := dump(t, s)
	_, err := s.Undo(ctx)
	if !errors.Is(err, ErrConflict) {
		t.Fatalf("Undo over a renamed code = %v, want ErrConflict", err)
	}
	if dump(t, s) != before {
		t.Error("a refused undo changed the project")
	}
}

func TestDeleteCodeRefusesWithCounts(t *testing.T) {
	ctx := context.Background()
	s := newProject(t, "anna")
	importText(t, s, "R07.md", interview)
	importText(t, s, "R08.txt", "Q: a\nA: b c d e f g\n")
	s.AddCode(ctx, NewCode{Path: "Fear/Arrest"})
	s.Tag(ctx, TagRequest{Doc: "R07", Code: "Arrest", Spans: []Span{{0, 5}, {6, 9}}})
	s.Tag(ctx, TagRequest{Doc: "R08", Code: "Fear", Spans: []Span{{0, 2}}})
	_, err := s.DeleteCode(ctx, "Fear", false)
	if !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), "3 codings in 2 documents and 1 sub-code") {
		t.Fatalf("DeleteCode = %v; want a conflict counting 3 codings, 2 documents, 1 sub-code", err)
	}
	if _, err := s.DeleteCode(ctx, "Fear", true); err != nil {
		t.Fatal(err)
	}
	codes, _ := s.Codes(ctx)
	cs, _ := s.Codings(ctx, CodingFilter{})
	if len(codes) != 0 || len(cs) != 0 {
		t.Errorf("after forced delete: %d codes, %d codings; want none", len(codes), len(cs))
	}
}

func TestReimport(t *testing.T) {
	ctx := context.Background()
	s := newProject(t, "anna")
	d1 := importText(t, s, "R07.md", interview)
	s.AddCode(ctx, NewCode{Path: "Family"})
	spans := MatchSpans(mustText(t, s, "R07"), "We talk about flowers.")
	s.Tag(ctx, TagRequest{Doc: "R07", Code: "Family", Spans: spans})
	s.SetAttributes(ctx, "R07", []Attribute{{Key: "education", Value: "university"}})

	res, err := s.Import(ctx, ImportFile{Path: "elsewhere/R07.md", Data: []byte(interview)})
	if err != nil || res.Status != Unchanged || res.Document.ID != d1.ID {
		t.Fatalf("re-import of the same bytes = %+v, %v; want unchanged", res, err)
	}
	changed := strings.Replace(interview, "Interviewer: Why did you leave?", "Interviewer: Hello again.\nInterviewer: Why did you leave?", 1)
	res, err = s.Import(ctx, ImportFile{Path: "R07.md", Data: []byte(changed)})
	if err != nil || res.Status != NewVersion || res.Document.Version != 2 {
		t.Fatalf("import of a changed file = %+v, %v; want version 2", res, err)
	}
	if got := attrValue(res.Document.Attributes, "education"); got != "university" {
		t.Errorf("version 2 lost the attribute set on version 1: education = %q", got)
	}
	latest, _ := s.Document(ctx, "R07", false)
	if latest.Version != 2 {
		t.Errorf("Document(R07) is version %d, want the latest, 2", latest.Version)
	}
	// The coding follows its text into version 2, shifted by the line
	// added before it.
	qs, _ := s.Quotes(ctx, []string{"Family"}, QuoteOptions{})
	shift := len([]rune("Interviewer: Hello again.\n"))
	if len(qs) != 1 || qs[0].Text != "We talk about flowers." || qs[0].Version != 2 || !qs[0].Latest || qs[0].Start != spans[0].Start+shift {
		t.Errorf("coding on version 1 did not follow its text: %+v", qs)
	}
	if res.Carry == nil || res.Carry.Moved != 1 {
		t.Errorf("carry report = %+v, want 1 moved", res.Carry)
	}
	files, _ := os.ReadDir(filepath.Join(s.Dir(), SourcesDir))
	if len(files) != 2 {
		t.Errorf("sources/ holds %d files, want the two versions", len(files))
	}
}

func attrValue(attrs []Attribute, key string) string {
	for _, a := range attrs {
		if a.Key == key {
			return a.Value
		}
	}
	return ""
}

func TestAttributeTypes(t *testing.T) {
	ctx := context.Background()
	s := newProject(t, "anna")
	d := importText(t, s, "R07.md", interview)
	want := map[string]string{"participant": TypeText, "age": TypeInteger, "gender": TypeText}
	for _, a := range d.Attributes {
		if w, ok := want[a.Key]; ok && a.Type != w {
			t.Errorf("front matter %s has type %s, want %s", a.Key, a.Type, w)
		}
	}
	tests := []struct {
		in, key, typ, value string
		bad                 bool
	}{
		{in: "age=31", key: "age", typ: TypeInteger, value: "31"},
		{in: "score=2.5", key: "score", typ: TypeFloat, value: "2.5"},
		{in: "interviewed=2022-11-14", key: "interviewed", typ: TypeDate, value: "2022-11-14"},
		{in: "recontact=true", key: "recontact", typ: TypeBoolean, value: "true"},
		{in: "recontact:boolean=yes", key: "recontact", typ: TypeBoolean, value: "true"},
		{in: "occupation=NGO activist", key: "occupation", typ: TypeText, value: "NGO activist"},
		{in: "zip:text=0123", key: "zip", typ: TypeText, value: "0123"},
		{in: "age:integer=thirty", bad: true},
		{in: "when:date=14.11.2022", bad: true},
		{in: "=x", bad: true},
		{in: "novalue", bad: true},
	}
	for _, tc := range tests {
		a, err := ParseAttribute(tc.in)
		if tc.bad {
			if err == nil {
				t.Errorf("ParseAttribute(%q) = %+v, want an error", tc.in, a)
			}
			continue
		}
		if err != nil || a.Key != tc.key || a.Type != tc.typ || a.Value != tc.value {
			t.Errorf("ParseAttribute(%q) = %+v, %v; want %s %s %s", tc.in, a, err, tc.key, tc.typ, tc.value)
			continue
		}
		if _, err := s.SetAttributes(ctx, "R07", []Attribute{a}); err != nil {
			t.Fatal(err)
		}
	}
	d, _ = s.Document(ctx, d.Name, false)
	if got := attrValue(d.Attributes, "interviewed"); got != "2022-11-14" {
		t.Errorf("stored interviewed = %q", got)
	}
}

func TestCite(t *testing.T) {
	attrs := []Attribute{{Key: "gender", Value: "female"}, {Key: "age", Value: "30"}, {Key: "Occupation", Value: "NGO activist"}}
	tests := []struct{ tmpl, want string }{
		{DefaultCite, "female, 30, NGO activist"},
		{"{gender}, {missing}, {occupation}", "female, NGO activist"},
		{"{missing}, {gender}", "female"},
		{"{gender}, {missing}", "female"},
		{"R, {age} y.o.", "R, 30 y.o."},
		{"{wave} wave", " wave"},
		{"{age} years, {gender}", "30 years, female"},
		{"{nothing}", ""},
	}
	for _, tc := range tests {
		if got := Cite(tc.tmpl, attrs); got != strings.TrimSpace(tc.want) {
			t.Errorf("Cite(%q) = %q, want %q", tc.tmpl, got, strings.TrimSpace(tc.want))
		}
	}
}

func TestCodeRefs(t *testing.T) {
	ctx := context.Background()
	s := newProject(t, "anna")
	for _, p := range []string{"Reasons/Work", "Reasons/Persecution", "Discrimination/Experienced", "Fear/Experienced"} {
		if _, _, err := s.AddCode(ctx, NewCode{Path: p}); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := s.AddCode(ctx, NewCode{Path: "reasons/work"}); !errors.Is(err, ErrConflict) {
		t.Errorf("adding a duplicate (other case) = %v, want ErrConflict", err)
	}
	tests := []struct {
		ref, path string
		err       error
	}{
		{"Work", "Reasons/Work", nil},
		{"reasons / persecution", "Reasons/Persecution", nil},
		{"Fear/Experienced", "Fear/Experienced", nil},
		{"Experienced", "", ErrInvalid},
		{"Nope", "", ErrNotFound},
	}
	for _, tc := range tests {
		c, err := s.Code(ctx, tc.ref)
		if tc.err != nil {
			if !errors.Is(err, tc.err) {
				t.Errorf("Code(%q) = %v, want %v", tc.ref, err, tc.err)
			}
			continue
		}
		if err != nil || c.Path != tc.path {
			t.Errorf("Code(%q) = %q, %v; want %q", tc.ref, c.Path, err, tc.path)
		}
	}
	if _, err := s.MoveCode(ctx, "Reasons", "Work"); !errors.Is(err, ErrInvalid) {
		t.Errorf("moving a code under its child = %v, want ErrInvalid", err)
	}
}

func TestTagRejects(t *testing.T) {
	ctx := context.Background()
	s := newProject(t, "anna")
	d := importText(t, s, "R07.md", interview)
	s.AddCode(ctx, NewCode{Path: "Fear"})
	if _, _, err := s.Tag(ctx, TagRequest{Doc: "R07", Code: "Fear", Spans: []Span{{0, 10}}}); err != nil {
		t.Fatal(err)
	}
	before := dump(t, s)
	tests := []struct {
		name string
		req  TagRequest
		err  error
	}{
		{"past the end", TagRequest{Doc: "R07", Code: "Fear", Spans: []Span{{0, d.Length + 1}}}, ErrInvalid},
		{"empty span", TagRequest{Doc: "R07", Code: "Fear", Spans: []Span{{5, 5}}}, ErrInvalid},
		{"duplicate", TagRequest{Doc: "R07", Code: "Fear", Spans: []Span{{20, 30}, {0, 10}}}, ErrConflict},
		{"unknown code", TagRequest{Doc: "R07", Code: "Nope", Spans: []Span{{0, 10}}}, ErrNotFound},
		{"unknown doc", TagRequest{Doc: "R99", Code: "Fear", Spans: []Span{{0, 10}}}, ErrNotFound},
	}
	for _, tc := range tests {
		if _, _, err := s.Tag(ctx, tc.req); !errors.Is(err, tc.err) {
			t.Errorf("%s: Tag = %v, want %v", tc.name, err, tc.err)
		}
	}
	if dump(t, s) != before {
		t.Error("a refused tag changed the project")
	}
}

func TestNewActionEndsRedo(t *testing.T) {
	ctx := context.Background()
	s := newProject(t, "anna")
	importText(t, s, "R07.md", interview)
	s.AddCode(ctx, NewCode{Path: "Fear"})
	s.Tag(ctx, TagRequest{Doc: "R07", Code: "Fear", Spans: []Span{{0, 5}}})
	if _, err := s.Undo(ctx); err != nil {
		t.Fatal(err)
	}
	s.Tag(ctx, TagRequest{Doc: "R07", Code: "Fear", Spans: []Span{{6, 9}}})
	if op, err := s.Redo(ctx); !errors.Is(err, ErrNothing) {
		t.Fatalf("Redo after a new action = %+v, %v; want ErrNothing", op, err)
	}
	if op, err := s.Undo(ctx); err != nil || !strings.Contains(op.Label, "6:9") {
		t.Fatalf("Undo = %+v, %v; want the new tag 6:9", op, err)
	}
	if op, err := s.Undo(ctx); err != nil || !strings.HasPrefix(op.Label, "add code") {
		t.Fatalf("Undo = %+v, %v; want add code (the cut-off tag is gone)", op, err)
	}
}

func TestQuoteContext(t *testing.T) {
	ctx := context.Background()
	s := newProject(t, "anna")
	importText(t, s, "R1.txt", "Q: Tell me.\nA: First we packed. Then we drove to the border! It took three days. We slept in the car.\nQ: And then?\n")
	s.AddCode(ctx, NewCode{Path: "Border"})
	s.Tag(ctx, TagRequest{Doc: "R1", Code: "Border", Spans: MatchSpans(mustText(t, s, "R1"), "It took three days.")})
	tests := []struct {
		n             int
		before, after string
	}{
		{0, "", ""},
		{1, "Then we drove to the border!", "We slept in the car."},
		{5, "First we packed. Then we drove to the border!", "We slept in the car."},
	}
	for _, tc := range tests {
		qs, err := s.Quotes(ctx, []string{"Border"}, QuoteOptions{Context: tc.n})
		if err != nil || len(qs) != 1 {
			t.Fatal(qs, err)
		}
		if qs[0].Before != tc.before || qs[0].After != tc.after {
			t.Errorf("Context %d: before %q, after %q; want %q, %q", tc.n, qs[0].Before, qs[0].After, tc.before, tc.after)
		}
	}
}

// The history says whose coding was removed when it was not the remover's
// own, so a team can see who undid whose work.
func TestUntagLabelNamesTheCoder(t *testing.T) {
	ctx := context.Background()
	s := newProject(t, "anna")
	importText(t, s, "R07.md", interview)
	if _, _, err := s.Tag(ctx, TagRequest{Doc: "R07", Code: "Fear", Spans: []Span{{10, 30}}, Create: true}); err != nil {
		t.Fatal(err)
	}
	boris := s.WithCoder("boris")
	if _, _, err := boris.Tag(ctx, TagRequest{Doc: "R07", Code: "Fear", Spans: []Span{{40, 60}}}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		who  *Store
		req  UntagRequest
		want string
		not  string
	}{
		{"own coding", s, UntagRequest{Doc: "R07", Code: "Fear", Span: Span{10, 30}}, "untag R07 10:30 from Fear", "coded by"},
		{"another coder's", s, UntagRequest{Doc: "R07", Code: "Fear", Span: Span{40, 60}, AnyCoder: true}, "(coded by boris)", ""},
	}
	for _, c := range cases {
		_, op, err := c.who.Untag(ctx, c.req)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !strings.Contains(op.Label, c.want) {
			t.Errorf("%s: label %q, want it to hold %q", c.name, op.Label, c.want)
		}
		if c.not != "" && strings.Contains(op.Label, c.not) {
			t.Errorf("%s: label %q should not hold %q", c.name, op.Label, c.not)
		}
	}
}
