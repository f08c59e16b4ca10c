package tui

import (
	"bytes"
	"context"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/qcode-dev/qcode/coding"
)

func waitOut(t *testing.T, tm *teatest.TestModel, substr string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return bytes.Contains(b, []byte(substr))
	}, teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
}

func runes(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

// TestFlowCodeUndoRedo runs the real program loop: select a sentence,
// code it with a new code, undo, redo, quit.
func TestFlowCodeUndoRedo(t *testing.T) {
	s := demoStore(t, "ann")
	ctx := context.Background()
	tm := teatest.NewTestModel(t, testModel(t, ctx, s, Options{NoBlink: true}), teatest.WithInitialTermSize(120, 40))
	waitOut(t, tm, "Respondent: Yes, yes")
	for _, k := range []string{"}", "}", "}", "s", "c"} {
		tm.Send(runes(k))
	}
	waitOut(t, tm, "new code")
	tm.Type("Hope for return")
	waitOut(t, tm, "new code «Hope for return»")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitOut(t, tm, "┃ Hope for return")
	tm.Send(runes("u"))
	waitOut(t, tm, "undone: tag R01")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlR})
	waitOut(t, tm, "redone: tag R01")
	tm.Send(runes("q"))
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	if !fm.quitting {
		t.Fatal("q did not quit")
	}
	qs, err := s.Quotes(ctx, []string{"Hope for return"}, coding.QuoteOptions{})
	if err != nil || len(qs) != 1 || qs[0].Text != "Okay." {
		t.Fatalf("quotes after redo = %+v, %v; want one quote “Okay.”", qs, err)
	}
}

// TestFlowSearchAndRetrieve searches, jumps, then retrieves a code's
// quotes and jumps to one, through the program loop.
func TestFlowSearchAndRetrieve(t *testing.T) {
	s := demoStore(t, "ann")
	tm := teatest.NewTestModel(t, testModel(t, context.Background(), s, Options{NoBlink: true}), teatest.WithInitialTermSize(120, 40))
	waitOut(t, tm, "Respondent: Yes, yes")
	tm.Send(runes("/"))
	tm.Type("summons")
	waitOut(t, tm, "R02:")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitOut(t, tm, "R02 · male, 27")
	tm.Send(tea.KeyMsg{Type: tea.KeyTab})
	tm.Send(runes("r"))
	waitOut(t, tm, "  — ") // an attribution: the quotes have arrived
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitOut(t, tm, "selected")
	tm.Send(tea.KeyMsg{Type: tea.KeyCtrlC})
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	if fm.retrieve.Visible() {
		t.Fatalf("enter in the quotes did not jump back to the transcript:\n%s", fm.View())
	}
	if _, ok := fm.reader.Selection(); !ok {
		t.Fatal("the quote is not selected in the transcript")
	}
}
