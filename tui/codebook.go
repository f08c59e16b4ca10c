package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/qcode-dev/qcode/coding"
)

// Codebook is the codes pane: the code tree with colours and counts,
// foldable.
type Codebook struct {
	st        *styles
	cs        *codeStyles
	keys      codebookKeys
	codes     []coding.Code // tree order
	collapsed map[int64]bool
	visible   []int // indexes into codes
	sel       int   // index into visible
	top       int
	w, h      int
	focused   bool
	// counts, when set, replaces each code's count of codings: the
	// counts of one coder's codings, named by coder.
	counts map[int64]int
	coder  string
}

// NewCodebook returns an empty codes pane.
func NewCodebook(st *styles, cs *codeStyles) *Codebook {
	c := &Codebook{st: st, cs: cs, keys: newCodebookKeys(), collapsed: map[int64]bool{}}
	c.refresh()
	return c
}

// SetSize sets the pane's size.
func (c *Codebook) SetSize(w, h int) { c.w, c.h = w, h; c.scroll() }

// Width is the pane's width.
func (c *Codebook) Width() int { return c.w }

// SetFocused marks the pane focused or not.
func (c *Codebook) SetFocused(f bool) { c.focused = f }

// SetCodes replaces the codebook, keeping the selected code.
func (c *Codebook) SetCodes(codes []coding.Code) {
	id, _ := c.SelectedID()
	c.codes = codes
	for _, k := range codes {
		c.cs.add(k.Color)
	}
	c.refresh()
	c.SelectID(id)
}

// SetCounts shows coder's counts of codings per code id instead of
// everyone's; a nil map shows everyone's again.
func (c *Codebook) SetCounts(coder string, counts map[int64]int) {
	c.coder, c.counts = coder, counts
}

// Count is the count of codings the pane shows for k.
func (c *Codebook) Count(k coding.Code) int {
	if c.counts != nil {
		return c.counts[k.ID]
	}
	return k.Codings
}

// Codes is the codebook in tree order.
func (c *Codebook) Codes() []coding.Code { return c.codes }

func (c *Codebook) refresh() {
	c.visible = c.visible[:0]
	hidden := ""
	for i, k := range c.codes {
		if hidden != "" && strings.HasPrefix(k.Path, hidden+"/") {
			continue
		}
		hidden = ""
		c.visible = append(c.visible, i)
		if c.collapsed[k.ID] {
			hidden = k.Path
		}
	}
	c.sel = min(c.sel, max(len(c.visible)-1, 0))
	c.scroll()
	// Without a code to act on, help lists only adding one.
	k := &c.keys
	enable(len(c.visible) > 0, &k.Down, &k.Up, &k.Top, &k.Bottom, &k.Toggle, &k.Rename, &k.Move, &k.Merge, &k.Delete, &k.Retrieve, &k.NextSpan, &k.PrevSpan, &k.Memo)
}

// Selected is the highlighted code.
func (c *Codebook) Selected() (coding.Code, bool) {
	if c.sel < len(c.visible) {
		return c.codes[c.visible[c.sel]], true
	}
	return coding.Code{}, false
}

// SelectedID is the highlighted code's id.
func (c *Codebook) SelectedID() (int64, bool) {
	k, ok := c.Selected()
	return k.ID, ok
}

// SelectID highlights the code with id, unfolding its parents.
func (c *Codebook) SelectID(id int64) {
	for _, k := range c.codes {
		if k.ID == id {
			for p := range c.collapsed {
				if c.isAncestor(p, k) {
					delete(c.collapsed, p)
				}
			}
		}
	}
	c.refresh()
	for i, v := range c.visible {
		if c.codes[v].ID == id {
			c.sel = i
		}
	}
	c.scroll()
}

func (c *Codebook) isAncestor(id int64, k coding.Code) bool {
	for _, p := range c.codes {
		if p.ID == id {
			return strings.HasPrefix(k.Path, p.Path+"/")
		}
	}
	return false
}

func (c *Codebook) hasChildren(i int) bool {
	return i+1 < len(c.codes) && strings.HasPrefix(c.codes[i+1].Path, c.codes[i].Path+"/")
}

// Update moves the selection and folds the tree.
func (c *Codebook) Update(msg tea.Msg) (*Codebook, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, c.keys.Down):
			c.sel = min(c.sel+1, max(len(c.visible)-1, 0))
		case key.Matches(msg, c.keys.Up):
			c.sel = max(c.sel-1, 0)
		case key.Matches(msg, c.keys.Top):
			c.sel = 0
		case key.Matches(msg, c.keys.Bottom):
			c.sel = max(len(c.visible)-1, 0)
		case key.Matches(msg, c.keys.Toggle):
			if k, ok := c.Selected(); ok && c.hasChildren(c.visible[c.sel]) {
				c.collapsed[k.ID] = !c.collapsed[k.ID]
				c.refresh()
			}
		}
	case tea.MouseMsg:
		if msg.Action == tea.MouseActionPress && msg.Button == tea.MouseButtonLeft && msg.Y >= 1 {
			if i := c.top + msg.Y - 1; i < len(c.visible) {
				c.sel = i
			}
		}
	}
	c.scroll()
	return c, nil
}

func (c *Codebook) scroll() { c.top = keepVisible(c.sel, c.top, max(c.h-1, 1)) }

// Lines renders the pane as h lines of w cells.
func (c *Codebook) Lines() []string {
	st := c.st
	out := make([]string, 0, c.h)
	title := fmt.Sprintf("Codes (%d)", len(c.codes))
	if c.counts != nil {
		title += " · " + c.coder
	}
	out = append(out, st.title(title, c.focused, c.w))
	if len(c.codes) == 0 {
		out = append(out, fit(st.muted.Render("none yet: a to add"), c.w))
	}
	for vi := c.top; vi < len(c.visible) && len(out) < c.h; vi++ {
		i := c.visible[vi]
		k := c.codes[i]
		fold := "  "
		if c.hasChildren(i) {
			fold = "▾ "
			if c.collapsed[k.ID] {
				fold = "▸ "
			}
		}
		count := fmt.Sprintf(" %d", c.Count(k))
		head := strings.Repeat(" ", k.Depth*2) + fold
		nameW := max(c.w-ansi.StringWidth(head)-2-ansi.StringWidth(count), 1)
		name := ansi.Truncate(k.Name, nameW, "…")
		pad := strings.Repeat(" ", max(nameW-ansi.StringWidth(name), 0))
		sw := c.cs.get(k.Color).Render("■")
		var line string
		switch {
		case vi == c.sel && c.focused:
			line = head + sw + " " + st.itemSel.Render(name+pad+count)
		case vi == c.sel:
			line = head + sw + " " + st.itemSelBlur.Render(name+pad+count)
		default:
			line = head + sw + " " + name + pad + st.muted.Render(count)
		}
		out = append(out, fit(line, c.w))
	}
	for len(out) < c.h {
		out = append(out, strings.Repeat(" ", c.w))
	}
	return out[:c.h]
}

// ShortHelp lists the pane's main keys.
func (c *Codebook) ShortHelp() []key.Binding {
	k := c.keys
	return []key.Binding{k.Down, k.Toggle, k.Add, k.Rename, k.Delete, k.Retrieve, k.NextSpan}
}

// FullHelp lists every key of the pane.
func (c *Codebook) FullHelp() [][]key.Binding {
	k := c.keys
	return [][]key.Binding{{k.Down, k.Up, k.Top, k.Bottom, k.Toggle}, {k.Add, k.Rename, k.Move, k.Merge, k.Delete}, {k.Retrieve, k.NextSpan, k.PrevSpan, k.Memo}}
}
