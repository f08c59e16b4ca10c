package coding

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/qcode-dev/qcode/transcripts"
)

// focusGroup is a document with a moderator and three participants, one
// of whom speaks once.
const focusGroup = `---
wave: September
gender: female
---
Moderator: Let us start. Why did each of you come to Tbilisi?
Oleg: For me it was the mobilisation. I took the bus through Upper Lars.
Marina: I came earlier, in March. I was afraid after the searches at our office.
Oleg: And my brother stayed; we do not talk about it.
Moderator: Marina, what about your parents?
Marina: They send me news from the television.
Timur: I only want to add that I am still afraid of the border.
`

// tagText codes the first occurrence of match in doc with code.
func tagText(t *testing.T, s *Store, doc, code, match string) Quote {
	t.Helper()
	ctx := context.Background()
	d, err := s.Document(ctx, doc, true)
	if err != nil {
		t.Fatal(err)
	}
	spans := MatchSpans(d.Text, match)
	if len(spans) == 0 {
		t.Fatalf("%q not in %s", match, doc)
	}
	cs, _, err := s.Tag(ctx, TagRequest{Doc: doc, Code: code, Spans: spans[:1], Create: true})
	if err != nil {
		t.Fatal(err)
	}
	qs, err := s.Quotes(ctx, []string{code}, QuoteOptions{CodingIDs: []int64{cs[0].ID}})
	if err != nil || len(qs) != 1 {
		t.Fatalf("Quotes = %v, %v", qs, err)
	}
	return qs[0]
}

func TestAttributionFollowsSpeaker(t *testing.T) {
	ctx := context.Background()
	s := newProject(t, "anna")
	importText(t, s, "R07.txt", interview)
	importText(t, s, "FG1.txt", focusGroup)
	importText(t, s, "R03.txt", `---
gender: female
age: 41
occupation: teacher
---
Nino: Olga, thank you. What happened in February?

Olga: The principal called me in. I did not read the text aloud.

Nino: Did you read it?

Olga: No. I said it is a war.
`)

	tests := []struct {
		name, doc, match   string
		speaker, attribute string
	}{
		{"interviewer's question", "R07", "Why did you leave?", "Interviewer", "interviewer"},
		{"the respondent is the document's participant", "R07", "come for NGO people first", "Respondent", "female, 30, NGO activist"},
		{"a passage over two turns names both", "R07", "And your mother?\nRespondent: We talk", "Interviewer and Respondent", "interviewer; female, 30, NGO activist"},
		{"an interviewer by name who asks the questions", "R03", "Did you read it?", "Nino", "interviewer"},
		{"the one who answers is the participant", "R03", "I said it is a war", "Olga", "female, 41, teacher"},
		{"a moderator", "FG1", "Why did each of you", "Moderator", "interviewer"},
		{"a focus group member without attributes is named, never given the document's", "FG1", "Upper Lars", "Oleg", "Oleg"},
		{"a member who speaks once", "FG1", "still afraid of the border", "Timur", "Timur"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := tagText(t, s, tt.doc, "Code "+tt.name, tt.match)
			if q.Speaker != tt.speaker || q.Attribution != tt.attribute {
				t.Errorf("quote %q: speaker %q, attribution %q; want %q, %q", tt.match, q.Speaker, q.Attribution, tt.speaker, tt.attribute)
			}
		})
	}

	// Giving a focus group member attributes cites them with those.
	if _, err := s.SetSpeaker(ctx, "FG1", "oleg", SpeakerChange{Attributes: []Attribute{
		{Key: "gender", Type: TypeText, Value: "male"}, {Key: "age", Type: TypeInteger, Value: "34"}, {Key: "occupation", Type: TypeText, Value: "engineer"}}}); err != nil {
		t.Fatal(err)
	}
	q := tagText(t, s, "FG1", "Border", "my brother stayed")
	if q.Attribution != "male, 34, engineer" {
		t.Errorf("Oleg with attributes is cited %q, want male, 34, engineer", q.Attribution)
	}
	// The interviewer template is the project's.
	if err := s.SetSetting(ctx, "cite.interviewer", "interviewer {speaker}"); err != nil {
		t.Fatal(err)
	}
	qs, err := s.Quotes(ctx, []string{"Code a moderator"}, QuoteOptions{})
	if err != nil || len(qs) != 1 || qs[0].Attribution != "interviewer Moderator" {
		t.Errorf("with cite.interviewer set, the moderator is cited %+v, %v; want interviewer Moderator", qs, err)
	}
	// {speaker} and {role} work in the participants' template.
	qs, err = s.Quotes(ctx, []string{"Code a member who speaks once"}, QuoteOptions{Cite: "{speaker}, {role}"})
	if err != nil || len(qs) != 1 || qs[0].Attribution != "Timur, participant" {
		t.Errorf("cite {speaker}, {role} gives %+v, %v; want Timur, participant", qs, err)
	}
	// show Q-… attributes the same way.
	p, err := s.FindQuote(ctx, qs[0].ID, "")
	if err != nil || p.Attribution != "Timur" || p.Speaker != "Timur" {
		t.Errorf("FindQuote = %q by %q, %v; want Timur", p.Attribution, p.Speaker, err)
	}
}

func TestSpeakersRolesAndUndo(t *testing.T) {
	ctx := context.Background()
	s := newProject(t, "anna")
	importText(t, s, "FG1.txt", focusGroup)
	got, err := s.Speakers(ctx, "FG1")
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		name, role   string
		turns, words int
	}
	var rows []row
	for _, x := range got {
		rows = append(rows, row{x.Name, x.Role, x.Turns, x.Words})
	}
	want := []row{
		{"Moderator", RoleInterviewer, 2, 16},
		{"Oleg", RoleParticipant, 2, 23},
		{"Marina", RoleParticipant, 2, 21},
		{"Timur", RoleParticipant, 1, 13},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Fatalf("Speakers(FG1) = %v, want %v", rows, want)
	}

	before := dump(t, s)
	if _, err := s.SetSpeaker(ctx, "FG1", "Timur", SpeakerChange{Role: "other", Case: "P12"}); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Speakers(ctx, "FG1")
	if got[3].Role != RoleOther || got[3].Case != "P12" {
		t.Errorf("after set: %+v", got[3])
	}
	if _, err := s.Undo(ctx); err != nil {
		t.Fatal(err)
	}
	if after := dump(t, s); after != before {
		t.Errorf("undo of set speaker left\n%s\nwant\n%s", after, before)
	}

	// Rename onto an existing name merges; turns keep their positions.
	turnsBefore, _ := s.Turns(ctx, got[0].DocID)
	_, n, err := s.RenameSpeaker(ctx, "FG1", "timur", "Oleg")
	if err != nil || n != 1 {
		t.Fatalf("RenameSpeaker = %d, %v; want 1 turn", n, err)
	}
	turnsAfter, _ := s.Turns(ctx, got[0].DocID)
	for i := range turnsBefore {
		b, a := turnsBefore[i], turnsAfter[i]
		if b.Start != a.Start || b.Body != a.Body || b.End != a.End {
			t.Errorf("turn %d moved: %+v → %+v", i+1, b, a)
		}
	}
	if turnsAfter[6].Speaker != "Oleg" {
		t.Errorf("turn 7 speaker = %q, want Oleg", turnsAfter[6].Speaker)
	}
	got, _ = s.Speakers(ctx, "FG1")
	if len(got) != 3 {
		t.Errorf("after merging Timur into Oleg: %d speakers, want 3", len(got))
	}
	if _, _, err := s.MergeSpeakers(ctx, "FG1", "Marina", "Nobody"); err == nil {
		t.Error("merge into a speaker that does not exist succeeded")
	}
	if _, err := s.SetSpeaker(ctx, "FG1", "Oleg", SpeakerChange{Role: "boss"}); err == nil || !strings.Contains(err.Error(), "interviewer, participant or other") {
		t.Errorf("a bad role gave %v", err)
	}
	if _, err := s.SetSpeaker(ctx, "FG1", "Olga", SpeakerChange{Role: "other"}); err == nil || !strings.Contains(err.Error(), "Moderator, Oleg, Marina") {
		t.Errorf("an unknown speaker gave %v, want the list of speakers", err)
	}
	if _, err := s.Undo(ctx); err != nil {
		t.Fatal(err)
	}
	if after := dump(t, s); after != before {
		t.Errorf("undo of rename left\n%s\nwant\n%s", after, before)
	}
}

func TestRenameAcrossProject(t *testing.T) {
	ctx := context.Background()
	s := newProject(t, "anna")
	importText(t, s, "A.txt", "Nino: How are you?\nAnna P.: Fine, I have found a flat at last.\nNino: Good?\nAnna P.: Yes, near the market.\n")
	importText(t, s, "B.txt", "Nino: Again, why?\nAnna P.: Because my brother got the summons.\nNino: Sure?\nAnna P.: Sure, it was his second.\n")
	_, n, err := s.RenameSpeaker(ctx, "", "Anna P.", "Anna K. Petrova")
	if err != nil || n != 4 {
		t.Fatalf("rename across the project = %d, %v; want 4 turns", n, err)
	}
	sp, _ := s.Speakers(ctx, "")
	var names []string
	for _, x := range sp {
		names = append(names, x.Document+":"+x.Name+":"+x.Role)
	}
	want := []string{"A:Nino:interviewer", "A:Anna K. Petrova:participant", "B:Nino:interviewer", "B:Anna K. Petrova:participant"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("speakers = %v, want %v", names, want)
	}
}

func TestRedetectKeepsCodings(t *testing.T) {
	ctx := context.Background()
	s := newProject(t, "anna")
	text := "Anna Petrova\nI left in March.\n\nNino\nWhy?\n\nAnna Petrova\nBecause of the searches.\n"
	importText(t, s, "R09.txt", text)
	q := tagText(t, s, "R09", "Fear", "Because of the searches.")
	before := dump(t, s)
	res, _, err := s.RedetectTurns(ctx, "R09", transcripts.Options{Speakers: []string{"Anna Petrova", "Nino"}}, true)
	if err != nil {
		t.Fatal(err)
	}
	if res.After != 3 || len(res.Speakers) != 2 {
		t.Fatalf("dry run = %+v, want 3 turns of 2 speakers", res)
	}
	if dump(t, s) != before {
		t.Fatal("a dry run changed the project")
	}
	if _, _, err := s.RedetectTurns(ctx, "R09", transcripts.Options{Speakers: []string{"Anna Petrova", "Nino"}}, false); err != nil {
		t.Fatal(err)
	}
	qs, err := s.Quotes(ctx, []string{"Fear"}, QuoteOptions{})
	if err != nil || len(qs) != 1 {
		t.Fatal(qs, err)
	}
	if qs[0].Start != q.Start || qs[0].End != q.End || qs[0].Text != q.Text || qs[0].Speaker != "Anna Petrova" {
		t.Errorf("after redetect the quote is %+v, want the same span said by Anna Petrova", qs[0])
	}
	if _, err := s.Undo(ctx); err != nil {
		t.Fatal(err)
	}
	if dump(t, s) != before {
		t.Error("undo of redetect did not restore the turns")
	}
}

func TestSameNameFromAnotherFolder(t *testing.T) {
	ctx := context.Background()
	s := newProject(t, "anna")
	dir := t.TempDir()
	a := filepath.Join(dir, "wave1", "R01.txt")
	b := filepath.Join(dir, "wave2", "R01.txt")
	imp := func(path, text string, newVersion bool) ImportResult {
		t.Helper()
		res, err := s.Import(ctx, ImportFile{Path: path, Origin: path, Data: []byte(text), NewVersion: newVersion})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	r1 := imp(a, "Q: One?\nA: One.\n", false)
	r2 := imp(b, "Q: Two?\nA: Two.\n", false)
	if r1.Document.Name != "R01" || r2.Document.Name != "R01 (wave2)" || !r2.Renamed || r2.Status != Imported {
		t.Errorf("same name from two folders: %s, %s (%s, renamed %v)", r1.Document.Name, r2.Document.Name, r2.Status, r2.Renamed)
	}
	r3 := imp(a, "Q: One, corrected?\nA: One.\n", false)
	if r3.Document.Name != "R01" || r3.Status != NewVersion || r3.Document.Version != 2 {
		t.Errorf("the same file changed: %s@%d %s, want R01@2 new version", r3.Document.Name, r3.Document.Version, r3.Status)
	}
	r4 := imp(b, "Q: Two, corrected?\nA: Two.\n", false)
	if r4.Document.Name != "R01 (wave2)" || r4.Status != NewVersion {
		t.Errorf("the second file changed: %s %s, want R01 (wave2) new version", r4.Document.Name, r4.Status)
	}
	r5 := imp(filepath.Join(dir, "other", "R01.txt"), "Q: Three?\nA: Three.\n", true)
	if r5.Document.Name != "R01" || r5.Document.Version != 3 {
		t.Errorf("--new-version from another path: %s@%d, want R01@3", r5.Document.Name, r5.Document.Version)
	}
}

// A quote in the second cue of a subtitle turn has that cue's time, not
// the turn's.
func TestQuoteTimeFromCue(t *testing.T) {
	ctx := context.Background()
	s := newProject(t, "anna")
	importText(t, s, "Z1.vtt", `WEBVTT

1
00:00:01.000 --> 00:00:04.000
<v Nino>Why did you leave?

2
00:00:05.000 --> 00:00:09.000
<v Anna>In March, after the searches.

3
00:01:10.500 --> 00:01:14.000
<v Anna>My brother stayed in Kazan.
`)
	q := tagText(t, s, "Z1", "Family", "My brother stayed")
	if q.Time != "00:01:10" || q.Speaker != "Anna" {
		t.Errorf("quote in the second cue: time %q by %q, want 00:01:10 by Anna", q.Time, q.Speaker)
	}
	q = tagText(t, s, "Z1", "Fear", "after the searches")
	if q.Time != "00:00:05" {
		t.Errorf("quote in the first cue: time %q, want 00:00:05", q.Time)
	}
	p, err := s.FindQuote(ctx, tagText(t, s, "Z1", "Kazan", "Kazan").ID, "")
	if err != nil || p.Time != "00:01:10" {
		t.Errorf("FindQuote time = %q, %v; want 00:01:10", p.Time, err)
	}
}

// The same bytes imported again with the encoding given become a new
// version when they read otherwise; without it they are unchanged. A
// name never keeps a control character from its file name.
func TestReimportWithEncoding(t *testing.T) {
	ctx := context.Background()
	s := newProject(t, "anna")
	// "привет, как дела" in KOI8-R; short, so the guess may be wrong.
	koi := []byte("Q: \xd0\xd2\xc9\xd7\xc5\xd4?\nA: \xcb\xc1\xcb \xc4\xc5\xcc\xc1.\n")
	path := filepath.Join(t.TempDir(), "R\x1b[31m05.txt")
	r1, err := s.Import(ctx, ImportFile{Path: path, Origin: path, Data: koi})
	if err != nil {
		t.Fatal(err)
	}
	if r1.Document.Name != "R[31m05" {
		t.Errorf("name %q, want the control character gone", r1.Document.Name)
	}
	r2, err := s.Import(ctx, ImportFile{Path: path, Origin: path, Data: koi})
	if err != nil || r2.Status != Unchanged {
		t.Fatalf("again: %v, %v; want unchanged", r2.Status, err)
	}
	r3, err := s.Import(ctx, ImportFile{Path: path, Origin: path, Data: koi, Parse: transcripts.Options{Encoding: "koi8-r"}})
	if err != nil {
		t.Fatal(err)
	}
	d, _ := s.Document(ctx, r3.Document.Name, true)
	if !strings.Contains(d.Text, "привет") {
		t.Fatalf("with --encoding koi8-r the text is %q", d.Text)
	}
	// Too short to be sure, the guess was windows-1251 ("РТЙЧЕФ").
	if v1, _ := s.Document(ctx, r1.Document.Name+"@1", true); strings.Contains(v1.Text, "привет") {
		t.Fatalf("the guess read %q: pick bytes the guess gets wrong", v1.Text)
	}
	if r3.Status != NewVersion || r3.Document.Version != 2 || r3.Document.Name != r1.Document.Name {
		t.Errorf("read otherwise: %s@%d %s, want %s@2, a new version", r3.Document.Name, r3.Document.Version, r3.Status, r1.Document.Name)
	}
	r4, err := s.Import(ctx, ImportFile{Path: path, Origin: path, Data: koi, Parse: transcripts.Options{Encoding: "koi8-r"}})
	if err != nil || r4.Status != Unchanged {
		t.Errorf("the same encoding again: %v, %v; want unchanged", r4.Status, err)
	}
}

// Each member of a focus group is a case of their own; an interview's
// one respondent is not (the document's participant is). A member tied
// to another case, or made the interviewer, leaves no empty case behind.
func TestFocusGroupCases(t *testing.T) {
	ctx := context.Background()
	s := newProject(t, "anna")
	importText(t, s, "FG1.txt", focusGroup)
	importText(t, s, "R07.txt", interview)
	cases := func() map[string]string {
		t.Helper()
		out := map[string]string{}
		sp, err := s.Speakers(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range sp {
			out[x.Document+"/"+x.Name] = x.Case
		}
		return out
	}
	want := map[string]string{
		"FG1/Moderator": "", "FG1/Oleg": "FG1: Oleg", "FG1/Marina": "FG1: Marina", "FG1/Timur": "FG1: Timur",
		"R07/Interviewer": "", "R07/Respondent": "",
	}
	if got := cases(); !reflect.DeepEqual(got, want) {
		t.Fatalf("cases = %v, want %v", got, want)
	}
	if _, err := s.SetSpeaker(ctx, "FG1", "Oleg", SpeakerChange{Case: "P11"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetSpeaker(ctx, "FG1", "Timur", SpeakerChange{Role: RoleInterviewer}); err != nil {
		t.Fatal(err)
	}
	want["FG1/Oleg"], want["FG1/Timur"] = "P11", ""
	if got := cases(); !reflect.DeepEqual(got, want) {
		t.Errorf("after re-tying Oleg and making Timur the interviewer: %v, want %v", got, want)
	}
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM cases WHERE name IN ('FG1: Oleg', 'FG1: Timur')").Scan(&n); err != nil || n != 0 {
		t.Errorf("%d empty cases left behind (%v), want 0", n, err)
	}
}

// Roles declared in front matter win over what qcode would guess.
func TestDeclaredRoles(t *testing.T) {
	ctx := context.Background()
	s := newProject(t, "anna")
	importText(t, s, "R11.md", `---
speakers:
  - name: Olga
    role: interviewer
  - name: Nino
    role: participant
---
Olga: I was asked to talk first. Do you mind?

Nino: Not at all. Why did you come here?

Olga: For work. My company moved the whole team.
`)
	sp, err := s.Speakers(ctx, "R11")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, x := range sp {
		got[x.Name] = x.Role
	}
	if want := map[string]string{"Olga": RoleInterviewer, "Nino": RoleParticipant}; !reflect.DeepEqual(got, want) {
		t.Errorf("roles = %v, want %v (as the front matter says)", got, want)
	}
}

// Undoing an import takes its original out of sources/ (into
// sources/.undone, where redo finds it again).
func TestUndoImportShelvesSource(t *testing.T) {
	ctx := context.Background()
	s := newProject(t, "anna")
	importText(t, s, "R01.txt", "Q: Why?\nA: Because.\n")
	src := filepath.Join(s.Dir(), SourcesDir, "R01.txt")
	shelf := filepath.Join(s.Dir(), SourcesDir, ".undone", "R01.txt")
	exists := func(p string) bool { _, err := os.Stat(p); return err == nil }
	if !exists(src) {
		t.Fatal("the import wrote no original")
	}
	if _, err := s.Undo(ctx); err != nil {
		t.Fatal(err)
	}
	if docs, _ := s.Documents(ctx, true); len(docs) != 0 || exists(src) || !exists(shelf) {
		t.Errorf("after undo: %d documents, original in sources/ %v, on the shelf %v; want 0, false, true", len(docs), exists(src), exists(shelf))
	}
	if _, err := s.Redo(ctx); err != nil {
		t.Fatal(err)
	}
	if docs, _ := s.Documents(ctx, true); len(docs) != 1 || !exists(src) || exists(shelf) {
		t.Errorf("after redo: %d documents, original in sources/ %v, on the shelf %v; want 1, true, false", len(docs), exists(src), exists(shelf))
	}
}
