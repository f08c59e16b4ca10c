package main

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/tui"
)

// workbenchTick is a timer the workbench asked for: the driver holds it
// instead of waiting, and fires the search's debounce itself.
type workbenchTick struct {
	fn func(time.Time) tea.Msg
}

// workbench drives the TUI's model in-process, as the terminal would:
// keys in, commands run and their messages fed back, the screen drawn.
// Commands run on the driver's goroutine, one after the other.
type workbench struct {
	m     tea.Model
	ticks []workbenchTick
}

func newWorkbench(ctx context.Context, s *coding.Store) *workbench {
	tick := func(_ time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
		return func() tea.Msg { return workbenchTick{fn: fn} }
	}
	w := &workbench{m: tui.New(ctx, s, tui.Options{Tick: tick, NoBlink: true, NoColor: true})}
	w.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	w.run(w.m.Init())
	return w
}

func (w *workbench) send(msg tea.Msg) {
	m, cmd := w.m.Update(msg)
	w.m = m
	w.run(cmd)
}

func (w *workbench) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	switch msg := cmd().(type) {
	case nil, tea.QuitMsg:
	case tea.BatchMsg:
		for _, c := range msg {
			w.run(c)
		}
	case workbenchTick:
		w.ticks = append(w.ticks, msg)
	default:
		if reflect.TypeOf(msg).String() == "tea.sequenceMsg" {
			return
		}
		w.send(msg)
	}
}

func (w *workbench) key(t tea.KeyType, runes ...rune) {
	w.send(tea.KeyMsg{Type: t, Runes: runes})
}

// debounced fires the newest pending search debounce, and says whether
// there was one.
func (w *workbench) debounced() bool {
	for i := len(w.ticks) - 1; i >= 0; i-- {
		msg := w.ticks[i].fn(time.Now())
		if reflect.TypeOf(msg).String() == "tui.searchDebounceMsg" {
			w.ticks = nil
			w.send(msg)
			return true
		}
	}
	return false
}

var hitsLine = regexp.MustCompile(`(\d+) hits`)

// typed is a query as a user types it in the workbench's search box:
// the code filter is part of the query language there.
func (q query) typed() string {
	if q.Code != "" {
		return `code:"` + q.Code + `" ` + q.text()
	}
	return q.text()
}

// timeWorkbench types each query into the workbench's search (/) and
// times, from the moment the debounce after the last key fires, the
// search and the drawing of the screen with its results. The index is
// the workbench's own, kept open for the session as a user's is.
func timeWorkbench(ctx context.Context, s *coding.Store, qs []query) (*latency, error) {
	w := newWorkbench(ctx, s)
	defer w.m.(tui.Model).Close()
	one := func(q query) (time.Duration, int, error) {
		w.key(tea.KeyEsc)
		w.key(tea.KeyRunes, '/')
		w.key(tea.KeyCtrlU)
		w.ticks = nil
		for _, r := range q.typed() {
			w.key(tea.KeyRunes, r)
		}
		t0 := time.Now()
		if !w.debounced() {
			return 0, 0, fmt.Errorf("workbench: typing %q started no search", q.typed())
		}
		view := w.m.View()
		d := time.Since(t0)
		m := hitsLine.FindStringSubmatch(view)
		if m == nil {
			return 0, 0, fmt.Errorf("workbench: no results drawn for %q:\n%s", q.typed(), view)
		}
		n, _ := strconv.Atoi(m[1])
		return d, n, nil
	}
	for _, q := range qs[:min(warmups, len(qs))] {
		if _, _, err := one(q); err != nil {
			return nil, err
		}
	}
	var sr series
	for _, q := range qs {
		d, n, err := one(q)
		if err != nil {
			return nil, err
		}
		sr.add(d, n)
	}
	return sr.summary(), nil
}
