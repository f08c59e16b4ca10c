package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/x/ansi"
)

// StatusBar is the bottom line: project, document, coder, position and
// what just happened; below it, the focused pane's keys.
type StatusBar struct {
	st                       *styles
	project, doc, coder, pos string
	view                     string
	msg                      string
	isErr                    bool
	busy                     string
	// names are the project's documents, to shorten doc's name so that
	// it stays told apart from them.
	names []string
	w     int
}

// NewStatusBar returns an empty status bar.
func NewStatusBar(st *styles) *StatusBar { return &StatusBar{st: st} }

// SetSize sets the width.
func (s *StatusBar) SetSize(w, _ int) { s.w = w }

// Info sets what is open.
func (s *StatusBar) Info(project, doc, coder, pos string) {
	s.project, s.doc, s.coder, s.pos = project, doc, coder, pos
}

// SetNames gives the names of the project's documents.
func (s *StatusBar) SetNames(names []string) { s.names = names }

// View says whose codings are shown ("" says nothing).
func (s *StatusBar) SetView(view string) { s.view = view }

// Say reports what just happened.
func (s *StatusBar) Say(msg string) { s.msg, s.isErr = msg, false }

// Fail reports an error; the user's place is untouched.
func (s *StatusBar) Fail(err error) { s.msg, s.isErr = "error: "+err.Error(), true }

// Busy shows background work in progress ("" when none).
func (s *StatusBar) Busy(what string) { s.busy = what }

// Message is what the bar says now.
func (s *StatusBar) Message() string { return s.msg }

// minDocWidth is as short as the document's name gets to leave room
// for a message.
const minDocWidth = 8

// View renders the bar on one line of exactly w cells. A message comes
// before the document's name: when both do not fit, the name is
// shortened in the middle first.
func (s *StatusBar) View() string {
	st := s.st
	doc := s.doc
	left := s.left(doc)
	if over := ansi.StringWidth(left) + 1 + ansi.StringWidth(s.msg) - s.w; s.msg != "" && over > 0 && doc != "" {
		dw := ansi.StringWidth(doc)
		doc = shortenDistinct(doc, max(dw-over, min(minDocWidth, dw)), s.names)
		left = s.left(doc)
	}
	msg := s.msg
	ms := st.statusMsg
	if s.isErr {
		ms = st.errText
	}
	room := s.w - ansi.StringWidth(left) - 1
	if msg != "" && room > 3 {
		left += st.status.Render(" ") + ms.Render(ansi.Truncate(msg, room, "…"))
	}
	w := ansi.StringWidth(left)
	if w > s.w {
		return ansi.Truncate(left, s.w, "…")
	}
	return left + st.status.Render(strings.Repeat(" ", s.w-w))
}

// left is the bar before the message, naming the document doc.
func (s *StatusBar) left(doc string) string {
	st := s.st
	parts := []string{st.statusKey.Render(" " + s.project + " ")}
	if doc != "" {
		parts = append(parts, st.status.Render(" "+doc+" "))
	}
	parts = append(parts, st.status.Render(" @"+s.coder+" "))
	if s.view != "" {
		parts = append(parts, st.status.Render(" "+s.view+" "))
	}
	if s.pos != "" {
		parts = append(parts, st.status.Render(" "+s.pos+" "))
	}
	if s.busy != "" {
		parts = append(parts, st.status.Render(" ⟳ "+s.busy+" "))
	}
	return strings.Join(parts, "")
}

// helpLine renders bindings on one line, as many as fit.
func helpLine(st *styles, w int, bindings []key.Binding) string {
	var b strings.Builder
	used := 0
	for _, k := range bindings {
		if !k.Enabled() {
			continue
		}
		h := k.Help()
		item := st.helpKey.Render(h.Key) + " " + st.helpDesc.Render(h.Desc)
		n := ansi.StringWidth(h.Key) + 1 + ansi.StringWidth(h.Desc)
		sep := 0
		if used > 0 {
			sep = 3
		}
		if used+sep+n > w {
			break
		}
		if used > 0 {
			b.WriteString(st.helpDesc.Render(" · "))
		}
		b.WriteString(item)
		used += sep + n
	}
	return fit(b.String(), w)
}

// helpScreen renders the full help of the focused pane and the global
// keys as columns.
func helpScreen(st *styles, w, h int, title string, groups [][]key.Binding) []string {
	var cols [][]string
	for _, g := range groups {
		var col []string
		for _, k := range g {
			if !k.Enabled() {
				continue
			}
			hp := k.Help()
			col = append(col, st.helpKey.Render(hp.Key)+" "+st.helpDesc.Render(hp.Desc))
		}
		if len(col) > 0 {
			cols = append(cols, col)
		}
	}
	out := []string{st.boxTitle.Render(title), ""}
	// Lay the groups out as columns while they fit, then start a new band.
	for len(cols) > 0 {
		var band [][]string
		used := 0
		for len(cols) > 0 {
			cw := 0
			for _, l := range cols[0] {
				cw = max(cw, ansi.StringWidth(l))
			}
			if used > 0 && used+cw+4 > w {
				break
			}
			band = append(band, cols[0])
			cols = cols[1:]
			used += cw + 4
		}
		rows := 0
		widths := make([]int, len(band))
		for i, c := range band {
			rows = max(rows, len(c))
			for _, l := range c {
				widths[i] = max(widths[i], ansi.StringWidth(l))
			}
		}
		for r := 0; r < rows; r++ {
			var b strings.Builder
			for i, c := range band {
				cell := ""
				if r < len(c) {
					cell = c[r]
				}
				b.WriteString(fit(cell, widths[i]+4))
			}
			out = append(out, b.String())
		}
		out = append(out, "")
	}
	out = append(out, st.muted.Render("press any key to close"))
	for i := range out {
		out[i] = fit(out[i], w)
	}
	for len(out) < h {
		out = append(out, strings.Repeat(" ", w))
	}
	return out[:h]
}
