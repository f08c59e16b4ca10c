package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/coding/agree"
)

// TestDisagreements steps through the demo's disagreements and jumps to
// one. The first, by character, is the end of nino's coding of R01's
// police search that pavel's coding leaves out (coding/demo/codings_en.yaml:
// nino's passage runs one sentence longer).
func TestDisagreements(t *testing.T) {
	s := demoStore(t, "ann")
	d := newDriver(t, s, 120, 40)
	d.keys("D")
	if !d.m.disagree.Visible() {
		t.Fatal("D did not open the disagreements")
	}
	rep := d.m.disagree.report
	if rep == nil || len(rep.Disagreements) < 3 {
		t.Fatalf("report %+v, want several disagreements:\n%s", rep, d.view())
	}
	g, _ := d.m.disagree.Current()
	if g.Document != "R01" || g.Code != "Reasons for leaving/Political persecution" ||
		strings.Join(g.Coded, ",") != "nino" || strings.Join(g.Missing, ",") != "pavel" ||
		!strings.HasPrefix(g.Text, "One of the officers told my colleague") {
		t.Fatalf("first disagreement = %+v", g)
	}
	d.wantView("1 of " + itoa(len(rep.Disagreements)))
	d.wantView("overall agreement 99.7% · Cohen's κ " + stat(rep.Overall.Cohen))
	d.wantView("coded by nino · not by pavel")
	d.wantView("“One of the officers told my colleague")
	d.wantView("did not code these characters")
	d.keys("n", "n")
	if d.m.disagree.i != 2 {
		t.Fatalf("n n: at %d, want 2", d.m.disagree.i)
	}
	d.wantView("3 of ")
	d.keys("N")
	if d.m.disagree.i != 1 {
		t.Fatalf("N: at %d, want 1", d.m.disagree.i)
	}
	d.keys("N", "N")
	if d.m.disagree.i != 0 {
		t.Fatalf("N before the first: at %d, want 0", d.m.disagree.i)
	}
	d.keys("G")
	last := rep.Disagreements[len(rep.Disagreements)-1]
	d.keys("enter")
	if d.m.disagree.Visible() || d.m.reader.Doc().ID != last.DocID {
		t.Fatalf("enter did not jump to %s:\n%s", last.Document, d.view())
	}
	if sp, ok := d.m.reader.Selection(); !ok || sp.Start != last.Start || sp.End != last.End {
		t.Fatalf("selection %v, want %d:%d", sp, last.Start, last.End)
	}
	// From one coder's view, the jump shows every coder's codings again.
	d.keys("C")
	if d.m.coderView != "nino" {
		t.Fatalf("C: view %q, want nino", d.m.coderView)
	}
	d.keys("D", "enter")
	if d.m.coderView != "" || d.count("Fear of repression") != 9 {
		t.Fatalf("after a disagreement's jump: view %q, want every coder's", d.m.coderView)
	}
	// D opens where it was; U changes the unit.
	d.keys("D")
	if d.m.disagree.i != len(rep.Disagreements)-1 {
		t.Fatalf("D reopened at %d, want the last", d.m.disagree.i)
	}
	d.keys("U")
	if d.m.disagree.report.Unit != agree.Segment || d.m.disagree.i != 0 {
		t.Fatalf("U: unit %s at %d, want segment at 0", d.m.disagree.report.Unit, d.m.disagree.i)
	}
	d.wantView("unit segment")
}

// TestDisagreementsThreeCoders shows Light's kappa, the mean of the pairs'
// Cohen's kappas, where Cohen's own needs exactly two coders.
func TestDisagreementsThreeCoders(t *testing.T) {
	s := demoStore(t, "ann")
	ctx := context.Background()
	if _, _, err := s.Tag(ctx, coding.TagRequest{Doc: "R01", Code: "Fear of repression",
		Spans: []coding.Span{{Start: 1630, End: 1943}}}); err != nil {
		t.Fatal(err)
	}
	rep, err := agree.Compute(ctx, s, agree.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Coders) != 3 || stat(rep.Overall.Light) == "n/a" {
		t.Fatalf("coders %v, Light's κ %v; want three coders and a value", rep.Coders, rep.Overall.Light)
	}
	d := newDriver(t, s, 120, 40)
	d.keys("D")
	d.wantView("Light's κ " + stat(rep.Overall.Light) + " · Fleiss' κ")
	if strings.Contains(d.view(), "Cohen's κ") {
		t.Errorf("three coders, yet the view shows Cohen's κ:\n%s", d.view())
	}
}

// TestDisagreementsOneCoder says why there is nothing to compare.
func TestDisagreementsOneCoder(t *testing.T) {
	dir := t.TempDir() + "/one.qcode"
	ctx := context.Background()
	s, err := coding.Create(ctx, dir, coding.Options{Coder: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Import(ctx, coding.ImportFile{Path: "a.txt", Data: []byte("I: Why?\nR: Because of the war.\n")}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Tag(ctx, coding.TagRequest{Doc: "a", Code: "War", Spans: []coding.Span{{Start: 11, End: 25}}, Create: true}); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, s, 80, 24)
	d.keys("D")
	d.wantView("error: agreement: too few coders")
	checkFrame(t, d.view(), 80, 24)
}

func TestGoldenDisagreements(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		d := newDriver(t, demoStore(t, "ann"), size.w, size.h)
		tag := func(name string) string { return name + "_" + itoa(size.w) + "x" + itoa(size.h) }
		d.keys("D")
		checkFrame(t, d.view(), size.w, size.h)
		golden(t, tag("disagree"), d.view())
		d.keys("n", "n", "n", "n")
		checkFrame(t, d.view(), size.w, size.h)
		golden(t, tag("disagree_5"), d.view())
	}
}

// TestFlowDisagreements steps through the disagreements and jumps to
// one through the program loop.
func TestFlowDisagreements(t *testing.T) {
	s := demoStore(t, "ann")
	tm := teatest.NewTestModel(t, testModel(t, context.Background(), s, Options{NoBlink: true}), teatest.WithInitialTermSize(120, 40))
	waitOut(t, tm, "Respondent: Yes, yes")
	tm.Send(runes("D"))
	waitOut(t, tm, "coded by nino · not by pavel")
	tm.Send(runes("n"))
	waitOut(t, tm, "2 of ")
	tm.Send(runes("N"))
	waitOut(t, tm, "1 of ")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	// The disagreement starts at the space after "everything." (1816);
	// the transcript selects from the word after it.
	waitOut(t, tm, "selected 1817:1943")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	if fm.disagree.Visible() || fm.reader.Doc().Name != "R01" {
		t.Fatalf("enter did not jump to R01:\n%s", fm.View())
	}
}
