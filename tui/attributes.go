package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/qcode-dev/qcode/coding"
)

// attrViewKeys drive the attributes view.
type attrViewKeys struct {
	Down, Up, Left, Right, Top, Bottom key.Binding
	Edit, Add, Close                   key.Binding
}

func newAttrViewKeys() attrViewKeys {
	return attrViewKeys{
		Down:   kb([]string{"j", "down"}, "j/↓", "next document"),
		Up:     kb([]string{"k", "up"}, "k/↑", "previous document"),
		Left:   kb([]string{"h", "left"}, "h/←", "previous attribute"),
		Right:  kb([]string{"l", "right"}, "l/→", "next attribute"),
		Top:    kb([]string{"g", "home"}, "g", "first"),
		Bottom: kb([]string{"G", "end"}, "G", "last"),
		Edit:   kb([]string{"enter", "e"}, "enter", "edit the value"),
		Add:    kb([]string{"a"}, "a", "add an attribute"),
		Close:  kb([]string{"esc", "q", "T"}, "esc", "back"),
	}
}

// attrTableMsg answers a load of the attributes view.
type attrTableMsg struct {
	seq   int
	table coding.AttrTable
	err   error
}

// Attributes is the participants table: every current document's
// attributes (gender, age, occupation, wave…), a row each and a column
// per key, to read and edit in place. `qcode attr table` prints the same.
type Attributes struct {
	st   *styles
	keys attrViewKeys
	open bool
	w, h int

	seq   int
	busy  bool
	err   error
	table coding.AttrTable
	row   int // selected document
	col   int // selected attribute
	top   int // first row shown
	left  int // first attribute column shown
}

// NewAttributes returns a closed attributes view.
func NewAttributes(st *styles) *Attributes { return &Attributes{st: st, keys: newAttrViewKeys()} }

func (a *Attributes) active() bool { return a.open }

func (a *Attributes) name(*Model) string { return "participants' attributes" }

func (a *Attributes) resize(w, h int) { a.w, a.h = w, bodyHeight(h); a.scroll() }

// rows is how many documents fit: a title, a header and a line about
// the selected cell take three lines.
func (a *Attributes) rows() int { return max(a.h-3, 1) }

func (a *Attributes) scroll() { a.top = keepVisible(a.row, a.top, a.rows()) }

// openFor shows the view and reads the table.
func (a *Attributes) openFor(m *Model) tea.Cmd {
	a.open = true
	return a.reload(m)
}

// reload reads the table again.
func (a *Attributes) reload(m *Model) tea.Cmd {
	a.seq++
	a.busy = true
	seq, ctx, s := a.seq, m.ctx, m.store
	return func() tea.Msg {
		t, err := s.AttributeTable(ctx, coding.ByDocument)
		return attrTableMsg{seq: seq, table: t, err: err}
	}
}

func (a *Attributes) receive(_ *Model, msg tea.Msg) (tea.Cmd, bool) {
	t, ok := msg.(attrTableMsg)
	if !ok {
		return nil, false
	}
	if t.seq == a.seq {
		a.busy, a.err = false, t.err
		if t.err == nil {
			a.table = t.table
			a.row = min(a.row, max(len(a.table.Rows)-1, 0))
			a.col = min(a.col, max(len(a.table.Columns)-1, 0))
			a.scroll()
		}
	}
	return nil, true
}

// selected is the document and attribute column under the cursor.
func (a *Attributes) selected() (doc string, col coding.AttrColumn, value string, ok bool) {
	if a.row >= len(a.table.Rows) {
		return "", coding.AttrColumn{}, "", false
	}
	r := a.table.Rows[a.row]
	if a.col >= len(a.table.Columns) {
		return r.Name, coding.AttrColumn{}, "", true
	}
	return r.Name, a.table.Columns[a.col], r.Values[a.col], true
}

func (a *Attributes) update(m *Model, msg tea.Msg) tea.Cmd {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return nil
	}
	k := a.keys
	last := max(len(a.table.Rows)-1, 0)
	switch {
	case key.Matches(km, k.Close):
		a.open = false
	case key.Matches(km, m.keys.Undo):
		return m.write(undoWrite())
	case key.Matches(km, m.keys.Redo):
		return m.write(redoWrite())
	case key.Matches(km, k.Down):
		a.row = min(a.row+1, last)
	case key.Matches(km, k.Up):
		a.row = max(a.row-1, 0)
	case key.Matches(km, k.Top):
		a.row = 0
	case key.Matches(km, k.Bottom):
		a.row = last
	case key.Matches(km, k.Right):
		a.col = min(a.col+1, max(len(a.table.Columns)-1, 0))
	case key.Matches(km, k.Left):
		a.col = max(a.col-1, 0)
	case key.Matches(km, k.Edit):
		doc, col, value, ok := a.selected()
		if !ok || col.Key == "" {
			m.status.Say("no attribute here yet: a adds one")
			return nil
		}
		title := fmt.Sprintf("%s of %s (empty removes it)", oneLine(col.Key), oneLine(doc))
		return m.dialog.AskText(title, value, func(v string) tea.Cmd {
			return m.write(setAttributeWrite(doc, col, v))
		})
	case key.Matches(km, k.Add):
		doc, _, _, ok := a.selected()
		if !ok {
			m.status.Say("no document yet")
			return nil
		}
		return m.dialog.AskText("New attribute of "+oneLine(doc)+" as KEY=VALUE (KEY:TYPE=VALUE for a type)", "", func(v string) tea.Cmd {
			return m.write(addAttributeWrite(doc, v))
		})
	}
	a.scroll()
	return nil
}

// setAttributeWrite sets (or, empty, removes) attribute col of doc. A
// value of the type the key has elsewhere keeps that type; another value
// is stored as what it reads as, and the answer says so.
func setAttributeWrite(doc string, col coding.AttrColumn, value string) write {
	return write{run: func(ctx context.Context, s *coding.Store) (done, error) {
		attr := coding.Attribute{Key: col.Key, Value: strings.TrimSpace(value)}
		note := ""
		if attr.Value != "" {
			typed, err := coding.ParseAttribute(col.Key + ":" + typeOr(col.Type) + "=" + attr.Value)
			if err != nil || col.Type == "" {
				if typed, err = coding.ParseAttribute(col.Key + "=" + attr.Value); err != nil {
					return done{}, err
				}
				if col.Type != "" && typed.Type != col.Type {
					note = fmt.Sprintf(" (as %s: the other documents have %s as %s)", typed.Type, col.Key, col.Type)
				}
			}
			attr = typed
		}
		if _, err := s.SetAttributes(ctx, doc, []coding.Attribute{attr}); err != nil {
			return done{}, err
		}
		if attr.Value == "" {
			return say(fmt.Sprintf("removed %s from %s", col.Key, doc), nil)
		}
		return say(fmt.Sprintf("%s of %s is %s%s", col.Key, doc, attr.Value, note), nil)
	}}
}

// addAttributeWrite sets the attribute KEY=VALUE (or KEY:TYPE=VALUE) typed
// for doc.
func addAttributeWrite(doc, kv string) write {
	return write{run: func(ctx context.Context, s *coding.Store) (done, error) {
		attr, err := coding.ParseAttribute(kv)
		if err != nil {
			return done{}, err
		}
		if attr.Value == "" {
			return done{}, errors.New("give the attribute a value: KEY=VALUE")
		}
		if _, err := s.SetAttributes(ctx, doc, []coding.Attribute{attr}); err != nil {
			return done{}, err
		}
		return say(fmt.Sprintf("%s of %s is %s", attr.Key, doc, attr.Value), nil)
	}}
}

func typeOr(t string) string {
	if t == "" {
		return coding.TypeText
	}
	return t
}

// view draws the title, the header of attribute keys, a row per
// document from top, and a line about the selected cell.
func (a *Attributes) view(*Model, func() []string) []string {
	lines := make([]string, 0, a.h)
	title := fmt.Sprintf("Participants' attributes: %d documents, %d attributes", len(a.table.Rows), len(a.table.Columns))
	if a.busy {
		title += " · reading…"
	}
	lines = append(lines, a.st.bold.Render(ansi.Truncate(title, a.w, "…")))
	switch {
	case a.err != nil:
		lines = append(lines, a.st.errText.Render(ansi.Truncate(a.err.Error(), a.w, "…")))
	case len(a.table.Rows) == 0 && !a.busy:
		lines = append(lines, a.st.muted.Render("no documents yet: qcode import FILE"))
	default:
		lines = append(lines, a.table2()...)
	}
	for len(lines) < a.h {
		lines = append(lines, "")
	}
	return lines[:a.h]
}

// table2 lays out the header, the visible rows and the line about the
// selected cell: the name column, then as many attribute columns as fit
// from the one that keeps the selected column on screen.
func (a *Attributes) table2() []string {
	nameW := 8
	for _, r := range a.table.Rows {
		nameW = max(nameW, min(ansi.StringWidth(r.Name), 24))
	}
	widths := make([]int, len(a.table.Columns))
	for j, c := range a.table.Columns {
		widths[j] = min(max(ansi.StringWidth(c.Key), 4), 24)
		for _, r := range a.table.Rows {
			widths[j] = max(widths[j], min(ansi.StringWidth(r.Values[j]), 24))
		}
	}
	// Scroll the columns so the selected one is shown.
	if a.col < a.left {
		a.left = a.col
	}
	for a.left < a.col {
		used := nameW
		for j := a.left; j <= a.col; j++ {
			used += 2 + widths[j]
		}
		if used <= a.w {
			break
		}
		a.left++
	}
	cell := func(text string, w int) string {
		text = ansi.Truncate(oneLine(text), w, "…")
		return text + strings.Repeat(" ", max(w-ansi.StringWidth(text), 0))
	}
	line := func(name string, vals []string, sel int, selRow bool) string {
		var b strings.Builder
		b.WriteString(cell(name, nameW))
		used := nameW
		for j := a.left; j < len(vals); j++ {
			if used+2+widths[j] > a.w {
				break
			}
			c := cell(vals[j], widths[j])
			if selRow && j == sel {
				c = a.st.itemSel.Render(c)
			}
			b.WriteString("  " + c)
			used += 2 + widths[j]
		}
		return b.String()
	}
	keys := make([]string, len(a.table.Columns))
	for j, c := range a.table.Columns {
		keys[j] = c.Key
	}
	out := []string{a.st.muted.Render(line("DOCUMENT", keys, -1, false))}
	end := min(a.top+a.rows(), len(a.table.Rows))
	for i := a.top; i < end; i++ {
		r := a.table.Rows[i]
		name := r.Name
		if i == a.row {
			name = "▸ " + name
		} else {
			name = "  " + name
		}
		out = append(out, line(name, r.Values, a.col, i == a.row))
	}
	for len(out) < a.rows()+1 {
		out = append(out, "")
	}
	if doc, col, value, ok := a.selected(); ok && col.Key != "" {
		about := fmt.Sprintf("%s · %s = %s", doc, col.Key, value)
		if value == "" {
			about = fmt.Sprintf("%s has no %s", doc, col.Key)
		}
		if col.Type != "" {
			about += " (" + col.Type + ")"
		}
		out = append(out, a.st.muted.Render(ansi.Truncate(about, a.w, "…")))
	}
	return out
}

func (a *Attributes) helpKeys(m *Model) keyMap {
	k := a.keys
	has := len(a.table.Rows) > 0
	enable(has, &k.Edit, &k.Add, &k.Down, &k.Up, &k.Top, &k.Bottom)
	enable(len(a.table.Columns) > 1, &k.Left, &k.Right)
	return layerKeys{own: attrHelp{k}, g: m.keys, extra: undoHelp}
}

// attrHelp lists the view's keys for the help line and screen.
type attrHelp struct{ k attrViewKeys }

func (h attrHelp) ShortHelp() []key.Binding {
	return []key.Binding{h.k.Edit, h.k.Add, h.k.Right, h.k.Down, h.k.Close}
}

func (h attrHelp) FullHelp() [][]key.Binding {
	k := h.k
	return [][]key.Binding{{k.Down, k.Up, k.Left, k.Right, k.Top, k.Bottom}, {k.Edit, k.Add, k.Close}}
}
