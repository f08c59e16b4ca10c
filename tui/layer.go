package tui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// A layer is one screen or overlay of the workbench: the panes at the
// bottom, then the retrieval, search and analysis screens, the picker
// and dialog boxes, and the help on top. The root keeps them in one
// ordered stack (Model.layers, top first); the first one shown has the
// keyboard and the mouse, and drawing starts from it, an overlay drawing
// what lies below it first.
//
// Adding a screen is one file holding its type and these methods, and
// one line in newStack.
type layer interface {
	// active reports whether the layer is on screen now.
	active() bool
	// update takes a key, a mouse event or an input's own message (a
	// cursor blink) while the layer is on top; m is the workbench, for
	// what the layer asks of it (a write, another layer opened).
	update(m *Model, msg tea.Msg) tea.Cmd
	// view draws the layer as the lines above the status bar; below
	// draws what lies under it, for a layer that is a box over the rest.
	view(m *Model, below func() []string) []string
	// resize tells the layer the terminal's size; the layer takes its
	// own area of it (see layout.go).
	resize(w, h int)
	// helpKeys are the layer's keys for the help line and the help
	// screen; bindings that do nothing now are disabled.
	helpKeys(m *Model) (short []key.Binding, full [][]key.Binding)
	// name titles the help screen.
	name(m *Model) string
}

// typer is a layer with a text box: keys typed fast arrive as one
// message and stay text rather than being split into commands.
type typer interface {
	typing() bool
}

// newStack orders the workbench's layers, top first.
func (m *Model) newStack() []layer {
	return []layer{
		m.helpScreen,
		m.dialog,
		m.picker,
		m.search,
		m.retrieve,
		m.analysis,
		m.disagree,
		m.speakers,
		basePanes{},
	}
}

// top is the layer with the keyboard.
func (m *Model) top() layer { return m.layerBelow(-1) }

// layerBelow is the first layer shown under position i of the stack
// (-1: the top one).
func (m *Model) layerBelow(i int) layer {
	for j := i + 1; j < len(m.layers); j++ {
		if m.layers[j].active() {
			return m.layers[j]
		}
	}
	return basePanes{}
}

// draw draws the stack from position i down.
func (m *Model) draw(i int) []string {
	for j := i; j < len(m.layers); j++ {
		if l := m.layers[j]; l.active() {
			return l.view(m, func() []string { return m.draw(j + 1) })
		}
	}
	return nil
}

// typing reports whether a text box shown takes typed keys as text.
func (m *Model) typing() bool {
	for _, l := range m.layers {
		if t, ok := l.(typer); ok && l.active() && t.typing() {
			return true
		}
	}
	return false
}

// helpLayer is the full help of the layer under it; any key closes it.
type helpLayer struct{ open bool }

func (h *helpLayer) active() bool { return h.open }

func (h *helpLayer) update(_ *Model, msg tea.Msg) tea.Cmd {
	if _, ok := msg.(tea.KeyMsg); ok {
		h.open = false
	}
	return nil
}

func (h *helpLayer) view(m *Model, _ func() []string) []string {
	under := m.layerBelow(0)
	_, full := under.helpKeys(m)
	return helpScreen(m.st, m.w, bodyHeight(m.h), "Keys · "+under.name(m), full)
}

func (h *helpLayer) resize(int, int) {}

func (h *helpLayer) helpKeys(m *Model) ([]key.Binding, [][]key.Binding) {
	return m.layerBelow(0).helpKeys(m)
}

func (h *helpLayer) name(m *Model) string { return m.layerBelow(0).name(m) }
