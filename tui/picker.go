package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/sahilm/fuzzy"

	"github.com/qcode-dev/qcode/coding"
)

// pickPurpose says what the picker's choice is for.
type pickPurpose int

const (
	pickApply pickPurpose = iota // code the selection
	pickHits                     // code the marked search hits
	pickMove                     // the new parent of a code
	pickMerge                    // the code to merge into
)

// pickedMsg reports the picker's choice: an existing code's path, or a
// new name when create is set.
type pickedMsg struct {
	purpose pickPurpose
	path    string
	create  bool
}

// Picker chooses a code by fuzzy filter, recent codes first; a name that
// matches no code creates one (Parent/Child makes the parent too).
type Picker struct {
	st      *styles
	cs      *codeStyles
	keys    pickerKeys
	input   textinput.Model
	purpose pickPurpose
	title   string
	create  bool

	codes   []coding.Code // candidates, recent first
	items   []pickItem
	sel     int
	w, h    int
	visible bool
}

type pickItem struct {
	code   *coding.Code // nil: create the typed name
	hilite []int
}

// NewPicker returns a closed picker.
func NewPicker(st *styles, cs *codeStyles) *Picker {
	in := textinput.New()
	in.Prompt = "› "
	in.Placeholder = "filter, or type a new code (Parent/Child)"
	in.CharLimit = 200
	return &Picker{st: st, cs: cs, keys: newPickerKeys(), input: in}
}

// Open shows the picker over codes, recent ones (by id) first.
func (p *Picker) Open(purpose pickPurpose, title string, codes []coding.Code, recent []int64, allowCreate bool) tea.Cmd {
	p.purpose, p.title, p.create, p.visible = purpose, title, allowCreate, true
	p.codes = p.codes[:0]
	seen := map[int64]bool{}
	for _, id := range recent {
		for i := range codes {
			if codes[i].ID == id && !seen[id] {
				seen[id] = true
				p.codes = append(p.codes, codes[i])
			}
		}
	}
	for _, c := range codes {
		if !seen[c.ID] {
			p.codes = append(p.codes, c)
		}
	}
	p.input.SetValue("")
	p.filter()
	return p.input.Focus()
}

// NoBlink keeps the text cursor still.
func (p *Picker) NoBlink() { p.input.Cursor.SetMode(cursor.CursorStatic) }

// Visible reports whether the picker is open.
func (p *Picker) Visible() bool { return p.visible }

// Close hides the picker.
func (p *Picker) Close() { p.visible = false; p.input.Blur() }

// Typed is the filter text.
func (p *Picker) Typed() string { return strings.TrimSpace(p.input.Value()) }

// SetSize tells the picker the screen size.
func (p *Picker) SetSize(w, h int) { p.w, p.h = w, h; p.input.Width = max(p.boxWidth()-9, 10) }

func (p *Picker) boxWidth() int { return min(max(p.w*2/3, 30), 70, p.w) }

func (p *Picker) filter() {
	q := p.Typed()
	p.items = p.items[:0]
	p.sel = 0
	if q == "" {
		for i := range p.codes {
			p.items = append(p.items, pickItem{code: &p.codes[i]})
		}
		return
	}
	paths := make([]string, len(p.codes))
	exact, sub := -1, -1
	for i, c := range p.codes {
		paths[i] = c.Path
		if strings.EqualFold(c.Path, q) || strings.EqualFold(c.Name, q) {
			exact = i
		}
	}
	for _, m := range fuzzy.Find(q, paths) {
		p.items = append(p.items, pickItem{code: &p.codes[m.Index], hilite: m.MatchedIndexes})
		if sub < 0 && strings.Contains(strings.ToLower(m.Str), strings.ToLower(q)) {
			sub = len(p.items) - 1
		}
	}
	if exact >= 0 {
		for i, it := range p.items {
			if it.code == &p.codes[exact] {
				p.sel = i
			}
		}
		return
	}
	if p.create {
		p.items = append([]pickItem{{}}, p.items...)
		if sub >= 0 {
			p.sel = sub + 1
		}
	}
}

// Update filters and chooses.
func (p *Picker) Update(msg tea.Msg) (*Picker, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return p, nil
	}
	switch {
	case key.Matches(km, p.keys.Cancel):
		p.Close()
		return p, nil
	case key.Matches(km, p.keys.Down):
		p.sel = min(p.sel+1, max(len(p.items)-1, 0))
		return p, nil
	case key.Matches(km, p.keys.Up):
		p.sel = max(p.sel-1, 0)
		return p, nil
	case key.Matches(km, p.keys.Apply):
		if p.sel >= len(p.items) {
			return p, nil
		}
		it := p.items[p.sel]
		out := pickedMsg{purpose: p.purpose}
		if it.code == nil {
			out.path, out.create = p.Typed(), true
		} else {
			out.path = it.code.Path
		}
		if out.path == "" {
			return p, nil
		}
		p.Close()
		return p, func() tea.Msg { return out }
	}
	var cmd tea.Cmd
	before := p.input.Value()
	p.input, cmd = p.input.Update(msg)
	if p.input.Value() != before {
		p.filter()
	}
	return p, cmd
}

// Box renders the picker as a bordered box.
func (p *Picker) Box() []string {
	st := p.st
	bw := p.boxWidth()
	inner := bw - 4
	rows := min(max(p.h/2, 5), 14)
	var lines []string
	lines = append(lines, st.boxTitle.Render(ansi.Truncate(p.title, inner, "…")))
	lines = append(lines, p.input.View())
	start := 0
	if p.sel >= rows {
		start = p.sel - rows + 1
	}
	for i := start; i < len(p.items) && i < start+rows; i++ {
		it := p.items[i]
		var s string
		if it.code == nil {
			s = "+ new code «" + p.Typed() + "»"
		} else {
			s = p.cs.get(it.code.Color).Render("■") + " " + it.code.Path
		}
		s = ansi.Truncate(s, inner, "…")
		if i == p.sel {
			s = st.itemSel.Render(fit(s, inner))
		}
		lines = append(lines, s)
	}
	if len(p.items) == 0 {
		lines = append(lines, st.muted.Render("no code matches"))
	}
	// The box keeps its height while the list narrows, so that it does
	// not jump up and down as the user types.
	for len(lines) < 2+min(rows, max(len(p.codes), 1)+1) {
		lines = append(lines, "")
	}
	lines = append(lines, st.muted.Render("enter apply · esc cancel"))
	for i := range lines {
		lines[i] = fit(lines[i], inner)
	}
	return strings.Split(st.box.Render(strings.Join(lines, "\n")), "\n")
}

// ShortHelp lists the picker's keys.
func (p *Picker) ShortHelp() []key.Binding {
	return []key.Binding{p.keys.Apply, p.keys.Down, p.keys.Up, p.keys.Cancel}
}

// FullHelp lists the picker's keys.
func (p *Picker) FullHelp() [][]key.Binding { return [][]key.Binding{p.ShortHelp()} }

func (p *Picker) active() bool { return p.Visible() }

func (p *Picker) typing() bool { return true }

func (p *Picker) update(_ *Model, msg tea.Msg) tea.Cmd {
	switch msg.(type) {
	case tea.KeyMsg:
		_, cmd := p.Update(msg)
		return cmd
	case tea.MouseMsg:
		return nil
	}
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	return cmd
}

func (p *Picker) view(m *Model, below func() []string) []string {
	return overlay(below(), p.Box(), m.w)
}

func (p *Picker) resize(w, h int) { p.SetSize(w, h) }

func (p *Picker) helpKeys(m *Model) keyMap {
	return layerKeys{own: p, g: m.keys}
}

func (p *Picker) name(*Model) string { return "code picker" }
