package tui

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/coding/pseudo"
)

// pseudoKey puts entries in a key file outside the project and in force
// in it, and returns the file.
func pseudoKey(t *testing.T, s *coding.Store, entries ...pseudo.Entry) string {
	t.Helper()
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "key.json")
	k, err := pseudo.KeyFor(ctx, s, file)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		e, err := k.Put(e)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddPseudonymEntry(ctx, coding.PseudonymEntry{EntryID: e.ID, Pseudonym: e.Pseudonym, Kind: string(e.Kind), Doc: e.Doc}); err != nil {
			t.Fatal(err)
		}
	}
	if err := k.Save(); err != nil {
		t.Fatal(err)
	}
	return file
}

// The demo's R01 names its speaker Respondent and a city, on its first
// screen; both stand in for real values here, and so does its name.
var demoPseudonyms = []pseudo.Entry{
	{Real: "Respondent", Pseudonym: "[Participant 1]", Kind: pseudo.Person},
	{Real: "Yekaterinburg", Pseudonym: "[city]", Kind: pseudo.Place},
	{Real: "R01", Pseudonym: "[Interview A]", Kind: pseudo.Other},
}

// TestFlowPseudonymisedView runs the real program: P shows the
// transcript with the pseudonyms in place of the real values and says so
// in the status bar; selecting is refused there; P again shows the real
// text.
func TestFlowPseudonymisedView(t *testing.T) {
	s := demoStore(t, "ann")
	file := pseudoKey(t, s, demoPseudonyms...)
	ctx := context.Background()
	opt := Options{NoBlink: true, Pseudonyms: func(ctx context.Context) (*pseudo.Matcher, error) { return keyMatcher(ctx, s, file) }}
	tm := teatest.NewTestModel(t, testModel(t, ctx, s, opt), teatest.WithInitialTermSize(120, 40))
	waitOut(t, tm, "Respondent: Yes, yes")
	tm.Send(runes("P"))
	waitAll(t, tm, "pseudonymised view", "[Participant 1]: Yes, yes", "I'm from [city]")
	tm.Send(runes("s"))
	waitOut(t, tm, "coding is off")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	// The screen as it is now, not the frames drawn before.
	fm.quitting = false
	v := fm.View()
	for _, want := range []string{"[Participant 1]: Yes, yes", "I'm from [city]", "pseudonymised view"} {
		if !strings.Contains(v, want) {
			t.Errorf("the pseudonymised view lacks %q:\n%s", want, v)
		}
	}
	for _, real := range []string{"Respondent", "Yekaterinburg"} {
		if strings.Contains(v, real) {
			t.Errorf("the pseudonymised view shows %q:\n%s", real, v)
		}
	}
	if _, ok := fm.reader.Selection(); ok {
		t.Error("s selected a sentence in the pseudonymised view")
	}
}

// TestPseudonymisedViewPositions: in the view every coding covers the
// replaced text of its passage, the cursor stays on the same place of the
// text, and turning the view off gives back the stored text and
// positions.
func TestPseudonymisedViewPositions(t *testing.T) {
	s := demoStore(t, "ann")
	file := pseudoKey(t, s, demoPseudonyms...)
	t.Setenv("QCODE_KEY", file)
	d := newDriver(t, s, 120, 40)
	d.wantView("Respondent: Yes, yes")
	d.keys("}", "}", "}", "w", "w")
	realText := string(d.m.reader.text.Runes())
	realCursor := d.m.reader.Cursor()
	realCodings := append([]coding.Coding(nil), d.m.reader.all...)
	if len(realCodings) == 0 {
		t.Fatal("R01 has no codings to follow")
	}
	d.keys("P")
	d.wantView("[Participant 1]: Yes, yes")
	if !d.m.reader.Pseudonymised() {
		t.Fatal("P did not turn the view on")
	}
	view := d.m.reader.text.Runes()
	m, err := keyMatcher(context.Background(), s, file)
	if err != nil {
		t.Fatal(err)
	}
	want, ms := m.Replace("R01", realText)
	if string(view) != want {
		t.Fatalf("the view's text is not the replaced text")
	}
	if got := d.m.reader.all; len(got) != len(realCodings) {
		t.Fatalf("%d codings in the view, want %d", len(got), len(realCodings))
	}
	for i, c := range d.m.reader.all {
		rc := realCodings[i]
		wantSel := coding.Slice(want, pseudo.Shift(ms, rc.Start, true), pseudo.Shift(ms, rc.End, false))
		if got := string(view[c.Start:c.End]); got != wantSel {
			t.Errorf("coding %d covers %q in the view, want %q", rc.ID, got, wantSel)
		}
		if strings.Contains(coding.Slice(realText, rc.Start, rc.End), "Respondent") && !strings.Contains(wantSel, "[Participant 1]") {
			t.Errorf("coding %d: the pseudonym is not in its view text %q", rc.ID, wantSel)
		}
	}
	if got := d.m.reader.Cursor(); got != realCursor {
		t.Errorf("Cursor() = %d in the view, want the stored text's %d", got, realCursor)
	}
	if shown := d.m.reader.cursor; shown != pseudo.Shift(ms, realCursor, true) {
		t.Errorf("the cursor is drawn at %d, want %d", shown, pseudo.Shift(ms, realCursor, true))
	}
	// A new coding made elsewhere reaches the view at its place.
	at := len([]rune(realText[:strings.Index(realText, "Respondent: Okay")]))
	if _, _, err := s.Tag(context.Background(), coding.TagRequest{Doc: "R01", Code: "Hope", Create: true,
		Spans: []coding.Span{{Start: at, End: at + len("Respondent: Okay")}}}); err != nil {
		t.Fatal(err)
	}
	d.send(genMsg{gen: -1})
	found := false
	for _, c := range d.m.reader.all {
		if c.Code == "Hope" {
			found = string(view[c.Start:c.End]) == "[Participant 1]: Okay"
		}
	}
	if !found {
		t.Error("a coding made while the view is on is not drawn over its replaced text")
	}
	d.keys("P")
	if d.m.reader.Pseudonymised() || string(d.m.reader.text.Runes()) != realText {
		t.Fatal("P again did not give back the stored text")
	}
	if got := d.m.reader.Cursor(); got != realCursor {
		t.Errorf("after the view the cursor is at %d, want %d", got, realCursor)
	}
	d.wantView("Respondent: Yes, yes")

	d.keys("P")
	// Retrieved quotes show the pseudonym; a jump to one still lands on
	// its passage.
	d.keys("tab")
	d.selectCode(realCodings[0].Code)
	d.keys("r")
	if !d.m.retrieve.Visible() || len(d.m.retrieve.shown) == 0 {
		t.Fatalf("r did not retrieve quotes:\n%s", d.view())
	}
	for _, q := range d.m.retrieve.shown {
		if strings.Contains(q.Text+q.Document+q.Speaker, "Respondent") {
			t.Errorf("a retrieved quote shows a real value: %+v", q)
		}
	}
	var q coding.Quote
	for _, x := range d.m.retrieve.shown {
		if x.Document == "[Interview A]" && q.Document == "" {
			q = x
		}
	}
	if q.Document == "" {
		t.Fatalf("no quote of R01 retrieved as [Interview A]: %+v", d.m.retrieve.shown)
	}
	for d.m.retrieve.shown[d.m.retrieve.sel].CodingID != q.CodingID {
		d.keys("j")
	}
	d.keys("enter")
	sp, ok := d.m.reader.Selection()
	if d.m.retrieve.Visible() || !ok || sp != (coding.Span{Start: pseudo.Shift(ms, q.Start, true), End: pseudo.Shift(ms, q.End, false)}) {
		t.Errorf("the jump to quote %d:%d of %s selected %v (%v)", q.Start, q.End, q.Document, sp, ok)
	}
}

// BenchmarkPseudonymisedView measures turning the view on for a long
// transcript (the text replaced once, with a key of 500 entries, the
// transcript's speakers among them) and a keystroke in the view.
func BenchmarkPseudonymisedView(b *testing.B) {
	s := benchStore(b, 20000)
	m0 := benchModel(b, s, 120, 40)
	var entries []pseudo.Entry
	seen := map[string]bool{}
	for _, t := range m0.reader.turns {
		if t.Speaker != "" && !seen[t.Speaker] {
			seen[t.Speaker] = true
			entries = append(entries, pseudo.Entry{ID: fmt.Sprint(len(entries)), Real: t.Speaker, Pseudonym: fmt.Sprintf("[Speaker %d]", len(entries)+1), Kind: pseudo.Person})
		}
	}
	for i := len(entries); i < 500; i++ {
		entries = append(entries, pseudo.Entry{ID: fmt.Sprint(i), Real: fmt.Sprintf("Name%c%c", 'a'+i%26, 'a'+i/26), Pseudonym: fmt.Sprintf("[P%d]", i), Kind: pseudo.Person})
	}
	pm := pseudo.NewMatcher(entries)
	b.Run("toggle", func(b *testing.B) {
		m := benchModel(b, s, 120, 40)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			m.reader.setPseudonyms(pm)
			m.View()
			m.reader.setPseudonyms(nil)
		}
	})
	b.Run("keystroke", func(b *testing.B) {
		m := benchModel(b, s, 120, 40)
		m.reader.setPseudonyms(pm)
		var tm tea.Model = m
		keys := []tea.KeyMsg{runes("j"), runes("w"), runes("j"), runes(")"), runes("}"), runes("k")}
		samples := make([]time.Duration, 0, b.N)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			t0 := time.Now()
			tm, _ = tm.Update(keys[i%len(keys)])
			tm.View()
			samples = append(samples, time.Since(t0))
			if i%600 == 599 {
				tm, _ = tm.Update(runes("g"))
			}
		}
		p95(b, samples)
	})
}
