package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/qcode-dev/qcode/coding"
)

// DocList is the documents pane: each document with its participant's
// attributes beneath it.
type DocList struct {
	st      *styles
	keys    docKeys
	docs    []coding.Document
	sel     int
	top     int
	w, h    int
	focused bool
	open    int64
	// counts, when set, replaces each document's count of codings (one
	// coder's codings).
	counts map[int64]int
	// names are the documents' names, to shorten each so that it stays
	// told apart from the others.
	names []string
}

// NewDocList returns an empty documents pane.
func NewDocList(st *styles) *DocList {
	d := &DocList{st: st, keys: newDocKeys()}
	d.enableKeys()
	return d
}

// SetSize sets the pane's size.
func (d *DocList) SetSize(w, h int) { d.w, d.h = w, h; d.scroll() }

// Width is the pane's width; 0 when the screen is too narrow for it.
func (d *DocList) Width() int { return d.w }

// Names are the documents' names.
func (d *DocList) Names() []string { return d.names }

// SetFocused marks the pane focused or not.
func (d *DocList) SetFocused(f bool) { d.focused = f }

// enableKeys leaves in help only the keys that do something now.
func (d *DocList) enableKeys() {
	k := &d.keys
	enable(len(d.docs) > 0, &k.Down, &k.Up, &k.Open, &k.Memo)
}

// SetDocs replaces the list, keeping the selected document (by name
// when it has a new version).
func (d *DocList) SetDocs(docs []coding.Document) {
	var id int64
	var name string
	if d.sel < len(d.docs) {
		id, name = d.docs[d.sel].ID, d.docs[d.sel].Name
	}
	d.docs = docs
	d.names = d.names[:0]
	for _, doc := range docs {
		d.names = append(d.names, doc.Name)
	}
	d.sel = 0
	d.enableKeys()
	for i, doc := range docs {
		if doc.ID == id {
			d.sel = i
			break
		}
		if doc.Name == name {
			d.sel = i
		}
	}
	d.scroll()
}

// SetOpen marks the document shown in the transcript pane.
func (d *DocList) SetOpen(id int64) {
	d.open = id
	for i, doc := range d.docs {
		if doc.ID == id {
			d.sel = i
		}
	}
	d.scroll()
}

// SetCounts shows counts of codings per document id instead of
// everyone's; nil shows everyone's again.
func (d *DocList) SetCounts(counts map[int64]int) { d.counts = counts }

// Selected is the highlighted document.
func (d *DocList) Selected() (coding.Document, bool) {
	if d.sel < len(d.docs) {
		return d.docs[d.sel], true
	}
	return coding.Document{}, false
}

// Docs lists the documents.
func (d *DocList) Docs() []coding.Document { return d.docs }

// Update moves the selection. Opening is the app's business: it matches
// the Open key itself.
func (d *DocList) Update(msg tea.Msg) (*DocList, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, d.keys.Down):
			d.sel = min(d.sel+1, max(len(d.docs)-1, 0))
		case key.Matches(msg, d.keys.Up):
			d.sel = max(d.sel-1, 0)
		}
	case tea.MouseMsg:
		if msg.Action == tea.MouseActionPress && msg.Button == tea.MouseButtonLeft && msg.Y >= 1 {
			if i := d.top + (msg.Y-1)/2; i < len(d.docs) {
				d.sel = i
			}
		}
	}
	d.scroll()
	return d, nil
}

func (d *DocList) scroll() { d.top = keepVisible(d.sel, d.top, max((d.h-1)/2, 1)) }

// Lines renders the pane as h lines of w cells.
func (d *DocList) Lines() []string {
	st := d.st
	out := make([]string, 0, d.h)
	out = append(out, st.title(fmt.Sprintf("Documents (%d)", len(d.docs)), d.focused, d.w))
	if len(d.docs) == 0 {
		out = append(out, fit(st.muted.Render("none yet: qcode import FILE"), d.w))
	}
	for i := d.top; i < len(d.docs) && len(out)+1 < d.h+1; i++ {
		doc := d.docs[i]
		mark := "  "
		if doc.ID == d.open {
			mark = "▸ "
		}
		n := doc.Codings
		if d.counts != nil {
			n = d.counts[doc.ID]
		}
		count := fmt.Sprintf(" %d", n)
		name := mark + shortenDistinct(doc.Name, max(d.w-ansi.StringWidth(count)-ansi.StringWidth(mark), 1), d.names)
		line := name + strings.Repeat(" ", max(d.w-ansi.StringWidth(name)-ansi.StringWidth(count), 0)) + count
		switch {
		case i == d.sel && d.focused:
			line = st.itemSel.Render(fit(line, d.w))
		case i == d.sel:
			line = st.itemSelBlur.Render(fit(line, d.w))
		}
		out = append(out, fit(line, d.w))
		if len(out) < d.h {
			out = append(out, fit(st.muted.Render("  "+ansi.Truncate(attrLine(doc.Attributes), d.w-2, "…")), d.w))
		}
	}
	for len(out) < d.h {
		out = append(out, strings.Repeat(" ", d.w))
	}
	return out[:d.h]
}

// ShortHelp lists the pane's main keys.
func (d *DocList) ShortHelp() []key.Binding {
	return []key.Binding{d.keys.Down, d.keys.Up, d.keys.Open, d.keys.Memo}
}

// FullHelp lists every key of the pane.
func (d *DocList) FullHelp() [][]key.Binding { return [][]key.Binding{d.ShortHelp()} }
