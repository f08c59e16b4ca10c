package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/qcode-dev/qcode/coding"
)

// basePanes is the bottom layer: the documents, the transcript and the
// codes side by side, and the keys that open every other layer.
type basePanes struct {
	docs     *DocList
	reader   *Reader
	codebook *Codebook
}

func (basePanes) active() bool { return true }

// resize splits the screen between the panes (see paneWidths).
func (b basePanes) resize(w, h int) {
	dw, rw, cw := paneWidths(w)
	ch := bodyHeight(h)
	b.docs.SetSize(dw, ch)
	b.reader.SetSize(rw, ch)
	b.codebook.SetSize(cw, ch)
}

func (b basePanes) view(m *Model, _ func() []string) []string {
	return m.panes(m.reader.Lines())
}

func (basePanes) name(m *Model) string {
	return [...]string{"documents", "transcript", "codes"}[m.focus]
}

// focused is the pane with the keyboard.
func (basePanes) focused(m *Model) keyMap {
	switch m.focus {
	case paneDocs:
		return m.docs
	case paneCodes:
		return m.codebook
	}
	return m.reader
}

func (b basePanes) helpKeys(m *Model) keyMap {
	return layerKeys{own: b.focused(m), g: m.keys}
}

func (b basePanes) update(m *Model, msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		return b.key(m, msg)
	case tea.MouseMsg:
		return m.paneMouse(msg, true)
	}
	return nil
}

func (b basePanes) key(m *Model, msg tea.KeyMsg) tea.Cmd {
	g := m.keys
	switch {
	case key.Matches(msg, g.Quit):
		return m.quit()
	case key.Matches(msg, g.Help):
		m.helpScreen.open = true
		return nil
	case key.Matches(msg, g.Next):
		m.focusPane((m.focus + 1) % paneCount)
		if m.docs.Width() == 0 && m.focus == paneDocs {
			m.focusPane(paneReader)
		}
		return nil
	case key.Matches(msg, g.Prev):
		p := (m.focus + paneCount - 1) % paneCount
		if m.docs.Width() == 0 && p == paneDocs {
			p = paneCodes
		}
		m.focusPane(p)
		return nil
	case key.Matches(msg, g.Search):
		return m.search.Open()
	case key.Matches(msg, g.CoderView):
		return m.cycleCoder()
	case key.Matches(msg, g.Analysis):
		m.analysis.Open()
		return m.analysis.reload(m)
	case key.Matches(msg, g.Disagree):
		m.disagree.Open()
		return m.disagree.reload(m)
	case key.Matches(msg, g.Speakers):
		return m.speakers.openFor(m)
	case key.Matches(msg, g.Attributes):
		return m.attrs.openFor(m)
	case key.Matches(msg, g.Pseudo):
		return m.togglePseudo()
	case key.Matches(msg, g.Undo):
		return m.write(undoWrite())
	case key.Matches(msg, g.Redo):
		return m.write(redoWrite())
	}
	switch m.focus {
	case paneDocs:
		return b.docsKey(m, msg)
	case paneCodes:
		return b.codesKey(m, msg)
	}
	return b.readerKey(m, msg)
}

func (basePanes) docsKey(m *Model, msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.docs.keys.Open):
		if d, ok := m.docs.Selected(); ok {
			m.focusPane(paneReader)
			if d.ID == m.reader.Doc().ID && m.reader.HasDoc() {
				return nil
			}
			return m.openDoc(docRef(d.ID), -1, coding.Span{})
		}
	case key.Matches(msg, m.docs.keys.Memo):
		if d, ok := m.docs.Selected(); ok {
			return m.askMemo(coding.TargetDocument, docRef(d.ID), "document "+d.Name)
		}
	default:
		m.docs.Update(msg)
	}
	return nil
}

func (basePanes) readerKey(m *Model, msg tea.KeyMsg) tea.Cmd {
	k := m.reader.keys
	if !m.reader.HasDoc() || m.pseudoBlocks(msg) {
		return nil
	}
	switch {
	case key.Matches(msg, k.Code):
		sp, ok := m.reader.Selection()
		if !ok {
			m.status.Say("select text first: v and a move, s a sentence, t a turn")
			return nil
		}
		return m.picker.Open(pickApply, "Code «"+excerpt(m.reader.SelectedText(), 40)+"» "+sp.String()+" with…", m.codebook.Codes(), m.recent, true)
	case key.Matches(msg, k.InVivo):
		return m.inVivo()
	case key.Matches(msg, k.Remove):
		return m.removeCoding()
	case key.Matches(msg, k.Memo):
		return m.memoAtCursor()
	case key.Matches(msg, k.NextSpan):
		return m.jumpSpan(1)
	case key.Matches(msg, k.PrevSpan):
		return m.jumpSpan(-1)
	case key.Matches(msg, k.Edit):
		return m.editDoc()
	}
	m.reader.Update(msg)
	return nil
}

func (basePanes) codesKey(m *Model, msg tea.KeyMsg) tea.Cmd {
	k := m.codebook.keys
	code, has := m.codebook.Selected()
	switch {
	case key.Matches(msg, k.Add):
		return m.dialog.AskText("New code (Parent/Child makes it under Parent)", "", func(v string) tea.Cmd {
			return m.write(addCodeWrite(v))
		})
	case !has:
	case key.Matches(msg, k.Rename):
		return m.dialog.AskText("Rename "+code.Path+" to", code.Name, func(v string) tea.Cmd {
			return m.write(renameCodeWrite(code.Path, v))
		})
	case key.Matches(msg, k.Move):
		top := coding.Code{ID: -1, Name: "(top level)", Path: "(top level)"}
		cands := []coding.Code{top}
		for _, c := range m.codebook.Codes() {
			// A code cannot go under itself or under its own sub-codes.
			if c.ID != code.ID && !strings.HasPrefix(c.Path, code.Path+"/") {
				cands = append(cands, c)
			}
		}
		m.pendingCode = code
		return m.picker.Open(pickMove, "Move "+code.Path+" under…", cands, nil, false)
	case key.Matches(msg, k.Merge):
		m.pendingCode = code
		return m.picker.Open(pickMerge, "Merge "+code.Path+" into…", m.codebook.Codes(), m.recent, false)
	case key.Matches(msg, k.Delete):
		n, subs := m.subtreeCount(code)
		q := fmt.Sprintf("Delete %s? %d codings are affected", code.Path, n)
		if subs > 0 {
			q += fmt.Sprintf(", and its %d sub-codes go too", subs)
		}
		q += ". (u undoes)"
		m.dialog.Confirm(q, m.write(deleteCodeWrite(code.Path)))
		return nil
	case key.Matches(msg, k.Retrieve):
		seq := m.retrieve.Open(code.Path)
		if m.coderView != "" {
			m.retrieve.SetCoder(m.coderView)
		}
		return quotesCmd(m.ctx, m.store, seq, code.Path, m.retrieve.Coder())
	case key.Matches(msg, k.NextSpan):
		return m.jumpSpan(1)
	case key.Matches(msg, k.PrevSpan):
		return m.jumpSpan(-1)
	case key.Matches(msg, k.Memo):
		return m.askMemo(coding.TargetCode, code.Path, "code "+code.Path)
	}
	return m.moveInCodes(func() { m.codebook.Update(msg) })
}
