package tui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// A layer is one screen or overlay of the workbench: the panes at the
// bottom, then the speakers, disagreements and analysis screens, the
// quotes and search views (in the transcript's place), the picker and
// dialog boxes, and the help on top. The root keeps them in one
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
	// screen; bindings that do nothing now are turned off (enable).
	helpKeys(m *Model) keyMap
	// name titles the help screen.
	name(m *Model) string
}

// A receiver is a layer that takes the answers to its own requests
// (search results, quotes, tables) whether it is on top or not; mine
// says the message was one of them.
type receiver interface {
	receive(m *Model, msg tea.Msg) (cmd tea.Cmd, mine bool)
}

// A reloader is a layer showing what the store holds: while it is shown,
// a reload asks it to read again.
type reloader interface {
	reload(m *Model) tea.Cmd
}

// typer is a layer with a text box: keys typed fast arrive as one
// message and stay text rather than being split into commands.
type typer interface {
	typing() bool
}

// layerKeys is a layer's help: its own keys, and in the full help the
// global keys that work over it: extra's, or when extra is nil every
// global key, in two columns so that all of them fit at 80×24.
type layerKeys struct {
	own   keyMap
	g     *globalKeys
	extra func(g *globalKeys) []key.Binding
}

func (k layerKeys) ShortHelp() []key.Binding { return k.own.ShortHelp() }

func (k layerKeys) FullHelp() [][]key.Binding {
	full := k.own.FullHelp()
	if k.extra != nil {
		return append(full, k.extra(k.g))
	}
	g := k.g.all()
	half := (len(g) + 1) / 2
	return append(full, g[:half], g[half:])
}

// onlyHelp: a layer with the keyboard to itself, the panes' keys do
// nothing over it.
func onlyHelp(g *globalKeys) []key.Binding { return []key.Binding{g.Help, g.ForceQuit} }

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
	return helpScreen(m.st, m.w, bodyHeight(m.h), "Keys · "+under.name(m), under.helpKeys(m).FullHelp())
}

func (h *helpLayer) resize(int, int) {}

func (h *helpLayer) helpKeys(m *Model) keyMap {
	return m.layerBelow(0).helpKeys(m)
}

func (h *helpLayer) name(m *Model) string { return m.layerBelow(0).name(m) }

// screenKey is the update of a full screen that has the keyboard to
// itself: ? opens the help, every other key goes to the screen's own
// handling, and messages that are not keys are not the screen's.
func screenKey(m *Model, msg tea.Msg, onKey func(tea.KeyMsg) tea.Cmd) tea.Cmd {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	if key.Matches(km, m.keys.Help) {
		m.helpScreen.open = true
		return nil
	}
	return onKey(km)
}
