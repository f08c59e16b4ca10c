package tui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/qcode-dev/qcode/coding"
)

const ninoOlga = `---
gender: female
age: 34
occupation: designer
---
Nino: When did you leave Moscow?
Olga: In March 2022, a week after the war began. I took the night train to Vladikavkaz.
Nino: Why Tbilisi?
Olga: Friends were already here, and I did not need a visa.
Nino: And your parents?
Olga: They stayed. We talk every Sunday, but never about politics.
`

const focusGroup = `Moderator: What changed for you after you moved?
Anna: The language, first of all. I started Georgian lessons.
Boris: For me the money. I lost my clients in Russia.
Vera: I found new friends in the volunteer centre.
Moderator: Do you plan to go back?
Anna: Not while this goes on.
Boris: Maybe, one day.
`

// speakerStore is a project in a temp dir with two transcripts: an
// interview labelled by first names and a focus group, and a code on
// passages of both.
func speakerStore(t testing.TB) *coding.Store {
	t.Helper()
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "spk.qcode")
	s, err := coding.Create(ctx, dir, coding.Options{Coder: "ann", Now: func() time.Time { return time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	for _, f := range []struct{ name, text string }{{"olga.md", ninoOlga}, {"group.txt", focusGroup}} {
		if _, err := s.Import(ctx, coding.ImportFile{Path: f.name, Data: []byte(f.text)}); err != nil {
			t.Fatalf("import %s: %v", f.name, err)
		}
	}
	for _, m := range []struct{ doc, text string }{{"olga", "In March 2022"}, {"group", "I lost my clients in Russia."}, {"olga", "Why Tbilisi?"}} {
		d, err := s.Document(ctx, m.doc, true)
		if err != nil {
			t.Fatalf("document %s: %v", m.doc, err)
		}
		i := strings.Index(d.Text, m.text)
		if i < 0 {
			t.Fatalf("%q is not in %s", m.text, m.doc)
		}
		start := utf8.RuneCountInString(d.Text[:i])
		sp := coding.Span{Start: start, End: start + utf8.RuneCountInString(m.text)}
		if _, _, err := s.Tag(ctx, coding.TagRequest{Doc: m.doc, Code: "Leaving", Spans: []coding.Span{sp}, Create: true}); err != nil {
			t.Fatalf("tag %s: %v", m.text, err)
		}
	}
	return s
}

// speakerNamed finds a speaker of doc in the store.
func speakerNamed(t *testing.T, s *coding.Store, doc, name string) (coding.Speaker, bool) {
	t.Helper()
	sp, err := s.Speakers(context.Background(), doc)
	if err != nil {
		t.Fatalf("Speakers(%s): %v", doc, err)
	}
	for _, x := range sp {
		if x.Name == name {
			return x, true
		}
	}
	return coding.Speaker{}, false
}

// quoteBy is the quote of the code Leaving whose text starts with text.
func quoteBy(t *testing.T, s *coding.Store, text string) coding.Quote {
	t.Helper()
	qs, err := s.Quotes(context.Background(), []string{"Leaving"}, coding.QuoteOptions{})
	if err != nil {
		t.Fatalf("Quotes: %v", err)
	}
	for _, q := range qs {
		if strings.HasPrefix(q.Text, text) {
			return q
		}
	}
	t.Fatalf("no quote starts with %q in %+v", text, qs)
	return coding.Quote{}
}

// TestFlowSpeakers runs the program loop: open the speakers view of the
// focus group, rename a speaker, set another's role, undo the role, and
// check the store and the screen.
func TestFlowSpeakers(t *testing.T) {
	s := speakerStore(t)
	ctx := context.Background()
	tm := teatest.NewTestModel(t, testModel(t, ctx, s, Options{NoBlink: true}), teatest.WithInitialTermSize(100, 30))
	waitOut(t, tm, "Moderator: What changed")
	tm.Send(runes("S"))
	waitOut(t, tm, "Speakers · group · 4")
	// Boris is the third speaker.
	tm.Send(runes("j"))
	tm.Send(runes("j"))
	tm.Send(runes("r"))
	waitOut(t, tm, "Rename speaker Boris in group to")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlU})
	tm.Type("Borya")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitOut(t, tm, "renamed Boris to Borya (group, 2 turns)")
	// Vera is the other.
	tm.Send(runes("j"))
	tm.Send(runes("3"))
	waitOut(t, tm, "Vera is the other now (group)")
	if sp, ok := speakerNamed(t, s, "group", "Vera"); !ok || sp.Role != coding.RoleOther {
		t.Fatalf("after 3, Vera = %+v, %v; want role other", sp, ok)
	}
	tm.Send(runes("u"))
	waitOut(t, tm, "undone: set speaker Vera")
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	waitOut(t, tm, "Moderator: What changed")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	if fm.speakers.Visible() {
		t.Fatal("esc did not close the speakers view")
	}

	if sp, ok := speakerNamed(t, s, "group", "Vera"); !ok || sp.Role != coding.RoleParticipant {
		t.Fatalf("after undo, Vera = %+v, %v; want a participant again", sp, ok)
	}
	if _, ok := speakerNamed(t, s, "group", "Boris"); ok {
		t.Fatal("Boris is still a speaker after the rename")
	}
	if sp, ok := speakerNamed(t, s, "group", "Borya"); !ok || sp.Turns != 2 || sp.Role != coding.RoleParticipant {
		t.Fatalf("Borya = %+v, %v; want a participant with Boris's 2 turns", sp, ok)
	}
	if q := quoteBy(t, s, "I lost my clients"); q.Speaker != "Borya" || q.Attribution != "Borya" {
		t.Fatalf("the quote of Boris's turn is attributed %q, said by %q; want Borya", q.Attribution, q.Speaker)
	}
	// The open transcript's turns follow the rename.
	var names []string
	for _, tn := range fm.reader.turns {
		names = append(names, tn.Speaker)
	}
	if got := strings.Join(names, ","); got != "Moderator,Anna,Borya,Vera,Moderator,Anna,Borya" {
		t.Fatalf("the reader's turns are spoken by %s", got)
	}
}

// TestSpeakersActions drives the view step by step: merge by picking,
// merge by renaming onto a name, a case, every document's speakers and
// a project-wide rename, the jump to a first turn, and the quotes'
// attributions following each change.
func TestSpeakersActions(t *testing.T) {
	s := speakerStore(t)
	ctx := context.Background()
	d := newDriver(t, s, 100, 30)
	d.wantView("Moderator: What changed")

	// The interview: Nino asks, Olga answers.
	d.keys("tab", "tab") // the documents pane (wraps around)
	for d.m.focus != paneDocs {
		d.keys("tab")
	}
	d.keys("j", "enter")
	d.wantView("Nino: When did you leave")
	d.keys("S")
	d.wantView("Speakers · olga · 2")
	v := d.view()
	for _, want := range []string{"Nino", "interviewer", "Olga", "participant", "21%", "79%"} {
		if !strings.Contains(v, want) {
			t.Fatalf("the speakers view lacks %q:\n%s", want, v)
		}
	}
	if q := quoteBy(t, s, "Why Tbilisi"); q.Attribution != "interviewer" {
		t.Fatalf("Nino's question is attributed %q, want interviewer", q.Attribution)
	}
	// Nino made a participant: the quote of her question is hers now.
	d.keys("2")
	d.wantView("Nino is the participant now (olga)")
	if q := quoteBy(t, s, "Why Tbilisi"); q.Attribution == "interviewer" {
		t.Fatalf("Nino, a participant, is still attributed %q", q.Attribution)
	}
	d.keys("1")
	d.wantView("Nino is the interviewer now (olga)")

	// A case for Olga.
	d.keys("j", "c")
	d.wantView("Tie Olga in olga to the case")
	d.keys("enter")
	d.wantView("Olga tied to the case Olga (olga)")
	if sp, _ := speakerNamed(t, s, "olga", "Olga"); sp.Case != "Olga" {
		t.Fatalf("Olga's case = %q after c", sp.Case)
	}
	d.wantView("case Olga")

	// enter: Olga's first turn, in the transcript.
	d.keys("enter")
	if d.m.speakers.Visible() {
		t.Fatal("enter did not leave the speakers view")
	}
	if got := d.m.reader.Cursor(); got != strings.Index(ninoOlga[strings.Index(ninoOlga, "\nNino:")+1:], "Olga:") {
		t.Fatalf("cursor at %d after enter, want Olga's first label", got)
	}

	// The focus group: merge Anna into Vera by picking, then rename Vera
	// onto Moderator (a merge, the status bar says so), and undo it.
	d.keys("tab")
	for d.m.focus != paneDocs {
		d.keys("tab")
	}
	d.keys("k", "enter", "S")
	d.wantView("Speakers · group · 4")
	d.keys("j", "m")
	d.wantView("Merge Anna in group into…")
	d.keys("down", "enter") // Moderator, Boris, Vera: Boris
	d.wantView("merged Anna into Boris (group, 2 turns; u undoes)")
	if sp, _ := speakerNamed(t, s, "group", "Boris"); sp.Turns != 4 {
		t.Fatalf("Boris has %d turns after the merge, want 4", sp.Turns)
	}
	if sel, _ := d.m.speakers.Selected(); sel.Name != "Boris" {
		t.Fatalf("after the merge %q is selected, want Boris", sel.Name)
	}
	d.keys("u")
	d.wantView("undone: rename speaker Anna to Boris")
	if _, ok := speakerNamed(t, s, "group", "Anna"); !ok {
		t.Fatal("undo did not bring Anna back")
	}
	d.keys("G", "r", "ctrl+u")
	d.typeText("Anna")
	d.keys("enter")
	d.wantView("merged Vera into Anna, a name in use (group, 1 turn; u undoes)")
	if _, ok := speakerNamed(t, s, "group", "Vera"); ok {
		t.Fatal("Vera is still a speaker after being renamed onto Anna")
	}

	// Every document's speakers; a project-wide rename of Olga.
	d.keys("a")
	d.wantView("Speakers · every document · 5")
	d.wantView("Document")
	for d.m.speakers.list[d.m.speakers.sel].Name != "Olga" {
		d.keys("j")
	}
	d.keys("r", "ctrl+u")
	d.wantView("Rename speaker Olga in every document to")
	d.typeText("Olya")
	d.keys("enter")
	d.wantView("renamed Olga to Olya (every document, 3 turns)")
	if q := quoteBy(t, s, "In March 2022"); q.Speaker != "Olya" {
		t.Fatalf("Olga's answer is said by %q after the rename, want Olya", q.Speaker)
	}
	if sp, ok := speakerNamed(t, s, "olga", "Olya"); !ok || sp.Case != "Olga" {
		t.Fatalf("Olya = %+v, %v: the renamed speaker keeps the case", sp, ok)
	}
	d.keys("a")
	d.wantView("Speakers · group · 3")
	d.keys("esc")
	if d.m.speakers.Visible() {
		t.Fatal("esc did not close the view")
	}
	_ = ctx
}

// TestSpeakersRetrieveFollows keeps the quotes view open while a
// speaker's role changes elsewhere: the reload shows the new
// attribution.
func TestSpeakersRetrieveFollows(t *testing.T) {
	s := speakerStore(t)
	ctx := context.Background()
	d := newDriver(t, s, 120, 40)
	d.keys("tab") // the codes pane
	for d.m.focus != paneCodes {
		d.keys("tab")
	}
	d.keys("r")
	d.wantView("— interviewer; olga")
	if _, err := s.SetSpeaker(ctx, "olga", "Nino", coding.SpeakerChange{Role: coding.RoleOther}); err != nil {
		t.Fatal(err)
	}
	d.send(genMsg{gen: -1})
	v := d.view()
	if strings.Contains(v, "— interviewer; olga") || !strings.Contains(v, "— Nino; olga") {
		t.Fatalf("the quotes view did not follow Nino's new role:\n%s", v)
	}
}

func TestGoldenSpeakers(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		s := speakerStore(t)
		tag := func(name string) string { return name + "_" + itoa(size.w) + "x" + itoa(size.h) }
		d := newDriver(t, s, size.w, size.h)
		t.Run(tag("speakers"), func(t *testing.T) {
			d.keys("S", "j")
			checkFrame(t, d.view(), size.w, size.h)
			golden(t, tag("speakers"), d.view())
		})
		t.Run(tag("speakers_all"), func(t *testing.T) {
			d.keys("a")
			checkFrame(t, d.view(), size.w, size.h)
			golden(t, tag("speakers_all"), d.view())
		})
		t.Run(tag("speakers_help"), func(t *testing.T) {
			d.keys("?")
			checkFrame(t, d.view(), size.w, size.h)
			golden(t, tag("speakers_help"), d.view())
		})
	}
}

// TestReaderSaidBy: a turn whose speaker was renamed says who speaks it
// under the transcript, since its label in the text still gives the old
// name; the others say nothing.
func TestReaderSaidBy(t *testing.T) {
	s := speakerStore(t)
	d := newDriver(t, s, 100, 30)
	d.wantView("Moderator: What changed")
	if _, _, err := s.RenameSpeaker(context.Background(), "group", "Boris", "Borya"); err != nil {
		t.Fatal(err)
	}
	d.send(genMsg{gen: -1})
	if strings.Contains(d.view(), "said by") {
		t.Fatalf("the Moderator's turn says who said it:\n%s", d.view())
	}
	d.keys("}", "}")
	d.wantView("said by Borya")
	d.keys("}")
	if strings.Contains(d.view(), "said by") {
		t.Fatalf("Vera's turn says who said it:\n%s", d.view())
	}
}

func TestHasWord(t *testing.T) {
	for _, c := range []struct {
		s, name string
		want    bool
	}{
		{"Interviewer: ", "Interviewer", true},
		{"Interviewer: ", "Int", false},
		{"[00:01:02] Nino: ", "Nino", true},
		{"Anna K. Petrova: ", "Anna K. Petrova", true},
		{"Ninochka: ", "Nino", false},
		{"Интервьюер: ", "Интервьюер", true},
		{"Nino Nina: ", "Nina", true},
		{"", "Nino", false},
	} {
		if got := hasWord(c.s, c.name); got != c.want {
			t.Errorf("hasWord(%q, %q) = %v, want %v", c.s, c.name, got, c.want)
		}
	}
}
