package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
)

// gutterAt returns the first stripe cell of the transcript row holding
// text, and whether such a row is on screen.
func gutterAt(view, text string) (rune, bool) {
	for _, l := range strings.Split(view, "\n") {
		parts := strings.Split(l, "│")
		if len(parts) < 3 || !strings.Contains(parts[1], text) {
			continue
		}
		// "NN " line number (two digits in R01), then the stripes.
		return []rune(parts[1])[3], true
	}
	return 0, false
}

func (d *driver) selectCode(path string) {
	d.t.Helper()
	for i := 0; i < 30; i++ {
		if c, _ := d.m.codebook.Selected(); c.Path == path {
			return
		}
		d.keys("j")
	}
	d.t.Fatalf("code %s not in the codes pane", path)
}

func (d *driver) count(path string) int {
	d.t.Helper()
	for _, c := range d.m.codebook.Codes() {
		if c.Path == path {
			return d.m.codebook.Count(c)
		}
	}
	d.t.Fatalf("code %s not in the codebook", path)
	return 0
}

// TestCoderView cycles all → nino → pavel → all on the demo, whose two
// coders code R01's political persecution differently: nino's passage
// runs two lines past pavel's.
func TestCoderView(t *testing.T) {
	d := newDriver(t, demoStore(t, "ann"), 120, 40)
	// R01, turn 15: "But then on the twenty-eighth the police came ..."
	d.keys("}", "}", "}", "}", "}", "}", "}", "j", "j", "j", "j", "j", "j", "j")
	both, only := "twenty-eighth the police", "be a criminal case"
	if g, ok := gutterAt(d.view(), both); !ok || g != '┃' {
		t.Fatalf("all coders: stripe beside %q = %q, want ┃ (both coded it):\n%s", both, g, d.view())
	}
	if g, ok := gutterAt(d.view(), only); !ok || g != 'n' {
		t.Fatalf("all coders: stripe beside %q = %q, want n (nino alone):\n%s", only, g, d.view())
	}
	d.wantView("n nino · p pavel")
	d.wantView("showing all coders")
	d.wantView("┃ Reasons for leaving/Political persecution (n p)")
	// Hand-counted from coding/demo/codings_*.yaml.
	for _, tc := range []struct {
		view           string
		fear, donation int
		criminal       rune
	}{
		{"nino", 3, 0, '┃'},
		{"pavel", 6, 4, ' '},
		{"", 9, 4, 'n'},
	} {
		d.keys("C")
		if d.m.coderView != tc.view {
			t.Fatalf("C: view %q, want %q", d.m.coderView, tc.view)
		}
		if got := d.count("Fear of repression"); got != tc.fear {
			t.Errorf("view %q: Fear of repression counts %d, want %d", tc.view, got, tc.fear)
		}
		if got := d.count("Donations"); got != tc.donation {
			t.Errorf("view %q: Donations counts %d, want %d", tc.view, got, tc.donation)
		}
		for _, c := range d.m.reader.Codings() {
			if tc.view != "" && c.Coder != tc.view {
				t.Fatalf("view %q shows a coding by %s", tc.view, c.Coder)
			}
		}
		if g, _ := gutterAt(d.view(), only); g != tc.criminal {
			t.Errorf("view %q: stripe beside %q = %q, want %q:\n%s", tc.view, only, g, tc.criminal, d.view())
		}
		if tc.view != "" {
			d.wantView("showing " + tc.view)
			d.wantView("Codes (19) · " + tc.view)
			d.wantView("only " + tc.view)
		}
	}
	// n steps through the shown coder's passages only.
	d.keys("C") // nino
	d.keys("tab")
	d.selectCode("Fear of repression")
	d.keys("n")
	if msg := d.m.status.Message(); msg != "Fear of repression 1 of 3" {
		t.Fatalf("n in nino's view says %q, want 1 of 3", msg)
	}
}

func TestCoderLetters(t *testing.T) {
	got := coderLetters([]string{"nino", "nika", "Nora", "pavel", "ян", "n"})
	want := map[string]rune{"nino": 'n', "nika": 'i', "Nora": 'o', "pavel": 'p', "ян": 'я', "n": 'N'}
	for c, r := range want {
		if got[c] != r {
			t.Errorf("coderLetters: %s = %q, want %q", c, got[c], r)
		}
	}
}

func TestGoldenCoderView(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		d := newDriver(t, demoStore(t, "ann"), size.w, size.h)
		d.keys("}", "}", "}", "}", "}", "}", "}", "j", "j", "j", "j", "j", "j", "j", "j", "j", "j", "j", "j", "j")
		tag := func(name string) string { return name + "_" + itoa(size.w) + "x" + itoa(size.h) }
		checkFrame(t, d.view(), size.w, size.h)
		golden(t, tag("coders_all"), d.view())
		d.keys("C")
		checkFrame(t, d.view(), size.w, size.h)
		golden(t, tag("coders_nino"), d.view())
	}
}

// TestFlowCoderView cycles the coder view through the program loop.
func TestFlowCoderView(t *testing.T) {
	s := demoStore(t, "ann")
	tm := teatest.NewTestModel(t, testModel(t, context.Background(), s, Options{NoBlink: true}), teatest.WithInitialTermSize(120, 40))
	waitOut(t, tm, "n nino · p pavel")
	tm.Send(runes("C"))
	waitOut(t, tm, "Codes (19) · nino")
	tm.Send(runes("C"))
	waitOut(t, tm, "Codes (19) · pavel")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	if fm.coderView != "pavel" || len(fm.reader.Codings()) == 0 {
		t.Fatalf("final view %q with %d codings, want pavel's", fm.coderView, len(fm.reader.Codings()))
	}
	for _, c := range fm.reader.Codings() {
		if c.Coder != "pavel" {
			t.Fatalf("pavel's view shows %s's coding %d:%d", c.Coder, c.Start, c.End)
		}
	}
}
