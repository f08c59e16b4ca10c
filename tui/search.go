package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/qcode-dev/qcode/index"
)

// debounce is the pause in typing after which a search runs.
const debounce = 200 * time.Millisecond

// jumpMsg asks to show a passage in the transcript pane, selected.
type jumpMsg struct {
	docID      int64
	start, end int
	// allCoders shows every coder's codings there (a disagreement is
	// about them all).
	allCoders bool
}

// codeHitsMsg asks to code the marked hits.
type codeHitsMsg struct{ hits []index.Hit }

// Search is the search view: a query box, results as you type, marks.
type Search struct {
	st     *styles
	keys   searchKeys
	input  textinput.Model
	seq    int
	hits   []index.Hit
	total  uint64
	marked map[int]bool
	sel    int
	top    int
	w, h   int
	err    error
	busy   bool
	open   bool
	tick   func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
}

// NewSearch returns a closed search view.
func NewSearch(st *styles, tick func(time.Duration, func(time.Time) tea.Msg) tea.Cmd) *Search {
	in := textinput.New()
	in.Prompt = "/ "
	in.Placeholder = `words, "a phrase", a OR b, -word, code:NAME speaker:R doc:R01 attr:k=v`
	in.CharLimit = index.MaxQueryLength
	s := &Search{st: st, keys: newSearchKeys(), input: in, marked: map[int]bool{}, tick: tick}
	s.enableKeys()
	return s
}

// enableKeys leaves in help only the keys that do something now: the
// hits' keys once there are hits.
func (s *Search) enableKeys() {
	k := &s.keys
	enable(len(s.hits) > 0, &k.Down, &k.Up, &k.Jump, &k.Mark, &k.MarkAll, &k.Code)
}

// Open shows the view with the query box focused.
func (s *Search) Open() tea.Cmd { s.open = true; return s.input.Focus() }

// Close hides the view; the query and results stay for next time.
func (s *Search) Close() { s.open = false; s.input.Blur() }

// Visible reports whether the view is open.
func (s *Search) Visible() bool { return s.open }

// SetSize sets the view's size.
func (s *Search) SetSize(w, h int) { s.w, s.h = w, h; s.input.Width = max(w-4, 10) }

// NoBlink keeps the text cursor still.
func (s *Search) NoBlink() { s.input.Cursor.SetMode(cursor.CursorStatic) }

// Typed is the query as typed.
func (s *Search) Typed() string { return s.input.Value() }

// Seq is the number of the newest query; results of older ones are stale.
func (s *Search) Seq() int { return s.seq }

// Query is the typed query, parsed into text and filters.
func (s *Search) Query() index.Query { return parseQuery(s.input.Value()) }

// SetResult shows the answer to query seq, unless a newer one was asked.
func (s *Search) SetResult(m searchMsg) {
	if m.seq != s.seq {
		return
	}
	s.busy = false
	s.err = m.err
	if m.err != nil {
		return
	}
	s.hits, s.total = m.res.Hits, m.res.Total
	s.marked = map[int]bool{}
	s.sel, s.top = 0, 0
	s.enableKeys()
}

// Update edits the query and moves in the results.
func (s *Search) Update(msg tea.Msg) (*Search, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return s, nil
	}
	switch {
	case key.Matches(km, s.keys.Close):
		s.Close()
		return s, nil
	case key.Matches(km, s.keys.Down):
		s.sel = min(s.sel+1, max(len(s.hits)-1, 0))
	case key.Matches(km, s.keys.Up):
		s.sel = max(s.sel-1, 0)
	case key.Matches(km, s.keys.Mark):
		if s.sel < len(s.hits) {
			s.marked[s.sel] = !s.marked[s.sel]
			s.sel = min(s.sel+1, max(len(s.hits)-1, 0))
		}
	case key.Matches(km, s.keys.MarkAll):
		all := len(s.marked) < len(s.hits)
		s.marked = map[int]bool{}
		if all {
			for i := range s.hits {
				s.marked[i] = true
			}
		}
	case key.Matches(km, s.keys.Code):
		var hits []index.Hit
		for i, h := range s.hits {
			if s.marked[i] {
				hits = append(hits, h)
			}
		}
		if len(hits) == 0 && s.sel < len(s.hits) {
			hits = append(hits, s.hits[s.sel])
		}
		if len(hits) > 0 {
			return s, func() tea.Msg { return codeHitsMsg{hits: hits} }
		}
	case key.Matches(km, s.keys.Jump):
		if s.sel < len(s.hits) {
			h := s.hits[s.sel]
			return s, func() tea.Msg { return jumpMsg{docID: h.DocID, start: h.Start, end: h.End} }
		}
	default:
		before := s.input.Value()
		var cmd tea.Cmd
		s.input, cmd = s.input.Update(msg)
		if s.input.Value() == before {
			return s, cmd
		}
		s.seq++
		s.busy = true
		seq := s.seq
		return s, tea.Batch(cmd, s.tick(debounce, func(time.Time) tea.Msg { return searchDebounceMsg{seq: seq} }))
	}
	s.scroll()
	return s, nil
}

func (s *Search) scroll() {
	per := max((s.h-3)/2, 1)
	if s.sel < s.top {
		s.top = s.sel
	}
	if s.sel >= s.top+per {
		s.top = s.sel - per + 1
	}
}

// Lines renders the view as h lines of w cells.
func (s *Search) Lines() []string {
	st := s.st
	out := []string{fit(st.paneTitleFocused.Render("Search"), s.w), fit(s.input.View(), s.w)}
	info := fmt.Sprintf("%d hits", s.total)
	switch {
	case s.err != nil:
		info = st.errText.Render(s.err.Error())
	case s.busy:
		info = "searching…"
	case strings.TrimSpace(s.input.Value()) == "":
		info = "type to search every transcript"
	}
	if n := len(s.marked); n > 0 {
		info += fmt.Sprintf(" · %d marked", n)
	}
	out = append(out, fit(st.muted.Render(info), s.w))
	for i := s.top; i < len(s.hits) && len(out)+1 < s.h; i++ {
		h := s.hits[i]
		mark := "  "
		if s.marked[i] {
			mark = "● "
		}
		head := fmt.Sprintf("%s%s:%d %s", mark, h.Document, h.Line, h.Speaker)
		if len(h.Codes) > 0 {
			head += "  [" + strings.Join(h.Codes, ", ") + "]"
		}
		head = fit(head, s.w)
		if i == s.sel {
			head = st.itemSel.Render(head)
		}
		out = append(out, head, fit("  "+s.fragment(h), s.w))
	}
	for len(out) < s.h {
		out = append(out, strings.Repeat(" ", s.w))
	}
	return out[:s.h]
}

// fragment renders a hit's fragment on one line with its matches
// highlighted. When the first match would fall off the right edge, the
// fragment is cut on the left so that the match shows a third of the way in.
func (s *Search) fragment(h index.Hit) string {
	rs := []rune(oneLine(h.Fragment))
	width := max(s.w-2, 1)
	from := 0
	if len(h.Highlights) > 0 {
		first := min(h.Highlights[0].Start, len(rs))
		if ansi.StringWidth(string(rs[:first])) > width/3 {
			from = first
			for cells := 0; from > 0 && cells < width/3; {
				from--
				cells += ansi.StringWidth(string(rs[from]))
			}
		}
	}
	var b strings.Builder
	if from > 0 {
		b.WriteString("…")
	}
	at := from
	for _, m := range h.Highlights {
		if m.Start < at || m.End > len(rs) || m.Start >= m.End {
			continue
		}
		b.WriteString(string(rs[at:m.Start]))
		b.WriteString(s.st.match.Render(string(rs[m.Start:m.End])))
		at = m.End
	}
	b.WriteString(string(rs[at:]))
	return ansi.Truncate(b.String(), width, "…")
}

// ShortHelp lists the view's keys.
func (s *Search) ShortHelp() []key.Binding {
	k := s.keys
	return []key.Binding{k.Jump, k.Down, k.Mark, k.MarkAll, k.Code, k.Close}
}

// FullHelp lists every key of the view.
func (s *Search) FullHelp() [][]key.Binding {
	k := s.keys
	return [][]key.Binding{{k.Jump, k.Down, k.Up}, {k.Mark, k.MarkAll, k.Code, k.Close}, {k.Query}}
}

// searchLimit caps the hits the workbench lists.
const searchLimit = 200

// parseQuery makes the typed text a search. The text is in the query
// language that 'qcode search' reads (index.Parse): words, operators and
// the filters code:, -code:, is:uncoded, speaker:, doc:, attr:k=v,
// coder:, lang: and sort:rank, all understood by the index, so the
// workbench and the command line mean the same by the same query.
func parseQuery(s string) index.Query {
	return index.Query{Text: s, Limit: searchLimit}
}

func (s *Search) active() bool { return s.Visible() }

func (s *Search) typing() bool { return true }

func (s *Search) update(m *Model, msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		_, cmd := s.Update(msg)
		return cmd
	case tea.MouseMsg:
		return m.paneMouse(msg, false)
	}
	var cmd tea.Cmd
	s.input, cmd = s.input.Update(msg)
	return cmd
}

// view shows the search in the transcript's place.
func (s *Search) view(m *Model, _ func() []string) []string { return m.panes(s.Lines()) }

func (s *Search) resize(w, h int) {
	_, rw, _ := paneWidths(w)
	s.SetSize(rw, bodyHeight(h))
}

func (s *Search) helpKeys(m *Model) keyMap {
	return layerKeys{own: s, g: m.keys}
}

func (s *Search) name(*Model) string { return "search" }

func (s *Search) receive(m *Model, msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case searchDebounceMsg:
		if msg.seq == s.Seq() {
			return searchCmd(m.ctx, m.store, m.ix, msg.seq, s.Query()), true
		}
		return nil, true
	case searchMsg:
		s.SetResult(m.pseudoHits(msg))
		return nil, true
	case codeHitsMsg:
		m.pendingHits = msg.hits
		return m.picker.Open(pickHits, fmt.Sprintf("Code %d passages (their sentences) with…", len(msg.hits)), m.codebook.Codes(), m.recent, true), true
	}
	return nil, false
}
