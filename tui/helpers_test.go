package tui

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/coding/demo"
)

// updating reports whether -update was given: the flag is defined by
// x/exp/golden (imported through teatest), and shared with it.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

func TestMain(m *testing.M) {
	// Goldens and assertions read plain text.
	lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetHasDarkBackground(true)
	os.Exit(m.Run())
}

// demoStore builds the demo project in a temp dir and opens it as coder.
func demoStore(t testing.TB, coder string) *coding.Store {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "demo.qcode")
	ctx := context.Background()
	if err := demo.Build(ctx, dir); err != nil {
		t.Fatalf("demo.Build: %v", err)
	}
	s, err := coding.Open(ctx, dir, coding.Options{Coder: coder, Now: func() time.Time { return time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// driver runs a Model the way bubbletea would, synchronously: every
// command is run and its message fed back, except commands that wait
// (ticks, debounces), which are dropped after a short while.
type driver struct {
	t testing.TB
	m Model
}

func newDriver(t testing.TB, s *coding.Store, w, h int) *driver {
	t.Helper()
	// No clock: polling and debouncing happen when the test says so.
	noTick := func(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil }
	d := &driver{t: t, m: testModel(t, context.Background(), s, Options{Tick: noTick, NoBlink: true})}
	d.send(tea.WindowSizeMsg{Width: w, Height: h})
	d.run(d.m.Init())
	return d
}

func (d *driver) send(msg tea.Msg) {
	d.t.Helper()
	nm, cmd := d.m.Update(msg)
	d.m = nm.(Model)
	d.run(cmd)
}

func (d *driver) run(cmd tea.Cmd) {
	d.t.Helper()
	if cmd == nil {
		return
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-done:
	case <-time.After(10 * time.Second):
		d.t.Fatalf("a command did not return")
	}
	switch msg := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			d.run(c)
		}
	case tickMsg, searchDebounceMsg:
		// polled or debounced: the test sends these itself
	default:
		if reflect.TypeOf(msg).String() == "tea.sequenceMsg" {
			return
		}
		if _, ok := msg.(tea.QuitMsg); ok {
			return
		}
		d.send(msg)
	}
}

// keys sends each key: single characters as runes, names as keys.
func (d *driver) keys(ks ...string) {
	d.t.Helper()
	for _, k := range ks {
		d.send(keyMsg(k))
	}
}

func (d *driver) typeText(s string) {
	d.t.Helper()
	for _, r := range s {
		d.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

func keyMsg(k string) tea.KeyMsg {
	switch k {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case "shift+tab":
		return tea.KeyMsg{Type: tea.KeyShiftTab}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "ctrl+r":
		return tea.KeyMsg{Type: tea.KeyCtrlR}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	case "ctrl+s":
		return tea.KeyMsg{Type: tea.KeyCtrlS}
	case "ctrl+o":
		return tea.KeyMsg{Type: tea.KeyCtrlO}
	case "pgdown":
		return tea.KeyMsg{Type: tea.KeyPgDown}
	case " ":
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

func (d *driver) view() string { return d.m.View() }

func (d *driver) wantView(substr string) {
	d.t.Helper()
	if v := d.view(); !strings.Contains(v, substr) {
		d.t.Fatalf("view lacks %q:\n%s", substr, v)
	}
}

// testModel is New for a test, closed when the test ends (before its
// temporary folders are removed): the index build it starts is stopped
// and awaited.
func testModel(t testing.TB, ctx context.Context, s *coding.Store, opt Options) Model {
	t.Helper()
	m := New(ctx, s, opt)
	t.Cleanup(m.Close)
	return m
}
