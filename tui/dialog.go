package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textarea"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// dialogKeys answer dialogs.
type dialogKeys struct {
	OK, Cancel, Yes, No, Down, Up, Save, Newline key.Binding
}

func newDialogKeys() dialogKeys {
	return dialogKeys{
		OK:     kb([]string{"enter"}, "enter", "ok"),
		Cancel: kb([]string{"esc"}, "esc", "cancel"),
		Yes:    kb([]string{"y", "Y"}, "y", "yes"),
		No:     kb([]string{"n", "N", "esc"}, "n", "no"),
		Down:   kb([]string{"down", "j"}, "↓", "next"),
		Up:     kb([]string{"up", "k"}, "↑", "previous"),
		// A memo has lines of its own: enter starts a new one.
		Save:    kb([]string{"ctrl+s"}, "ctrl+s", "save"),
		Newline: kb([]string{"enter"}, "enter", "new line"),
	}
}

// Dialog is the one modal question on screen: a line of text to type,
// a memo of several lines, a yes/no, or a choice from a list. Its answer is a command prepared by
// whoever asked, so the dialog knows nothing of what it is for.
type Dialog struct {
	st      *styles
	keys    dialogKeys
	kind    int
	title   string
	input   textinput.Model
	area    textarea.Model
	options []string
	sel     int
	onText  func(string) tea.Cmd
	onYes   tea.Cmd
	onPick  func(int) tea.Cmd
	w       int
}

const (
	dlgNone = iota
	dlgText
	dlgConfirm
	dlgChoice
	dlgMemo
)

// memoRows is the height of the memo box's text area.
const memoRows = 6

// NewDialog returns a closed dialog.
func NewDialog(st *styles) *Dialog {
	in := textinput.New()
	in.Prompt = "› "
	in.CharLimit = 2000
	area := textarea.New()
	area.ShowLineNumbers = false
	area.Prompt = "│ "
	area.CharLimit = 20000
	area.FocusedStyle.CursorLine = lipgloss.NewStyle()
	area.SetHeight(memoRows)
	return &Dialog{st: st, keys: newDialogKeys(), input: in, area: area}
}

// Visible reports whether a question is open.
func (d *Dialog) Visible() bool { return d.kind != dlgNone }

// Pending reports whether the dialog holds typed text that closing would
// lose.
func (d *Dialog) Pending() bool {
	switch d.kind {
	case dlgText:
		return strings.TrimSpace(d.input.Value()) != ""
	case dlgMemo:
		return strings.TrimSpace(d.area.Value()) != ""
	}
	return false
}

// SetSize tells the dialog the screen width.
func (d *Dialog) SetSize(w, _ int) {
	d.w = w
	d.input.Width = max(d.boxWidth()-9, 10)
	d.area.SetWidth(max(d.boxWidth()-4, 10))
}

func (d *Dialog) boxWidth() int { return min(max(d.w*2/3, 30), 76, d.w) }

// AskText asks for a line of text, prefilled with value.
func (d *Dialog) AskText(title, value string, on func(string) tea.Cmd) tea.Cmd {
	d.kind, d.title, d.onText = dlgText, title, on
	d.input.SetValue(value)
	d.input.CursorEnd()
	return d.input.Focus()
}

// AskMemo asks for a memo: lines of text, saved with ctrl+s.
func (d *Dialog) AskMemo(title string, on func(string) tea.Cmd) tea.Cmd {
	d.kind, d.title, d.onText = dlgMemo, title, on
	d.area.Reset()
	return d.area.Focus()
}

// NoBlink keeps the text cursors still.
func (d *Dialog) NoBlink() {
	d.input.Cursor.SetMode(cursor.CursorStatic)
	d.area.Cursor.SetMode(cursor.CursorStatic)
}

// Confirm asks a yes/no question; yes runs cmd.
func (d *Dialog) Confirm(question string, yes tea.Cmd) {
	d.kind, d.title, d.onYes = dlgConfirm, question, yes
}

// Choose asks to pick one of options.
func (d *Dialog) Choose(title string, options []string, on func(int) tea.Cmd) {
	d.kind, d.title, d.options, d.sel, d.onPick = dlgChoice, title, options, 0, on
}

// Close dismisses the question.
func (d *Dialog) Close() { d.kind = dlgNone; d.input.Blur(); d.area.Blur() }

// Update answers the question.
func (d *Dialog) Update(msg tea.Msg) (*Dialog, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return d, nil
	}
	switch d.kind {
	case dlgText:
		switch {
		case key.Matches(km, d.keys.Cancel):
			d.Close()
			return d, nil
		case key.Matches(km, d.keys.OK):
			v := strings.TrimSpace(d.input.Value())
			d.Close()
			if v == "" {
				return d, nil
			}
			return d, d.onText(v)
		}
		var cmd tea.Cmd
		d.input, cmd = d.input.Update(msg)
		return d, cmd
	case dlgMemo:
		switch {
		case key.Matches(km, d.keys.Cancel):
			d.Close()
			return d, nil
		case key.Matches(km, d.keys.Save):
			v := strings.TrimSpace(d.area.Value())
			d.Close()
			if v == "" {
				return d, nil
			}
			return d, d.onText(v)
		}
		var cmd tea.Cmd
		d.area, cmd = d.area.Update(msg)
		return d, cmd
	case dlgConfirm:
		switch {
		case key.Matches(km, d.keys.Yes):
			d.Close()
			return d, d.onYes
		case key.Matches(km, d.keys.No):
			d.Close()
		}
	case dlgChoice:
		switch {
		case key.Matches(km, d.keys.Cancel):
			d.Close()
		case key.Matches(km, d.keys.Down):
			d.sel = min(d.sel+1, len(d.options)-1)
		case key.Matches(km, d.keys.Up):
			d.sel = max(d.sel-1, 0)
		case key.Matches(km, d.keys.OK):
			i := d.sel
			d.Close()
			return d, d.onPick(i)
		}
	}
	return d, nil
}

// Box renders the dialog.
func (d *Dialog) Box() []string {
	st := d.st
	inner := d.boxWidth() - 4
	var lines []string
	for _, l := range strings.Split(wrapWords(d.title, inner), "\n") {
		lines = append(lines, st.boxTitle.Render(l))
	}
	switch d.kind {
	case dlgText:
		lines = append(lines, d.input.View(), st.muted.Render("enter ok · esc cancel"))
	case dlgMemo:
		lines = append(lines, strings.Split(d.area.View(), "\n")...)
		lines = append(lines, st.muted.Render("ctrl+s save · enter new line · esc cancel"))
	case dlgConfirm:
		lines = append(lines, st.muted.Render("y yes · n no"))
	case dlgChoice:
		for i, o := range d.options {
			o = ansi.Truncate(o, inner, "…")
			if i == d.sel {
				o = st.itemSel.Render(fit(o, inner))
			}
			lines = append(lines, o)
		}
		lines = append(lines, st.muted.Render("enter choose · esc cancel"))
	}
	for i := range lines {
		lines[i] = fit(lines[i], inner)
	}
	return strings.Split(st.box.Render(strings.Join(lines, "\n")), "\n")
}

// ShortHelp lists the dialog's keys.
func (d *Dialog) ShortHelp() []key.Binding {
	switch d.kind {
	case dlgConfirm:
		return []key.Binding{d.keys.Yes, d.keys.No}
	case dlgMemo:
		return []key.Binding{d.keys.Save, d.keys.Newline, d.keys.Cancel}
	}
	return []key.Binding{d.keys.OK, d.keys.Cancel}
}

// FullHelp lists the dialog's keys.
func (d *Dialog) FullHelp() [][]key.Binding { return [][]key.Binding{d.ShortHelp()} }

func (d *Dialog) active() bool { return d.Visible() }

func (d *Dialog) typing() bool { return d.kind == dlgText || d.kind == dlgMemo }

func (d *Dialog) update(_ *Model, msg tea.Msg) tea.Cmd {
	switch msg.(type) {
	case tea.KeyMsg:
		_, cmd := d.Update(msg)
		return cmd
	case tea.MouseMsg:
		return nil
	}
	var cmd tea.Cmd
	if d.kind == dlgMemo {
		d.area, cmd = d.area.Update(msg)
	} else {
		d.input, cmd = d.input.Update(msg)
	}
	return cmd
}

func (d *Dialog) view(m *Model, below func() []string) []string {
	return overlay(below(), d.Box(), m.w)
}

func (d *Dialog) resize(w, h int) { d.SetSize(w, h) }

func (d *Dialog) helpKeys(m *Model) keyMap {
	return layerKeys{own: d, g: m.keys}
}

func (d *Dialog) name(*Model) string { return "dialog" }
