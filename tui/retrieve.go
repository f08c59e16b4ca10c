package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/qcode-dev/qcode/coding"
)

// exportQuotesMsg asks to export the shown quotes.
type exportQuotesMsg struct {
	code   string
	quotes []coding.Quote
}

// filterQuotesMsg asks for an attribute filter.
type filterQuotesMsg struct{}

// coderQuotesMsg asks to retrieve again for another coder.
type coderQuotesMsg struct{ coder string }

// Retrieve is the retrieval view: every quote on a code with its
// attribution, filtered by attribute text or coder.
type Retrieve struct {
	st     *styles
	keys   retrieveKeys
	seq    int
	code   string
	all    []coding.Quote
	shown  []coding.Quote
	coders []string
	coder  string
	filter string
	sel    int
	top    int
	w, h   int
	err    error
	open   bool
	// cell is set when the quotes were given (those behind a cell of the
	// analysis screen) rather than retrieved by code: the coder key then
	// filters them here.
	cell bool
}

// NewRetrieve returns a closed retrieval view.
func NewRetrieve(st *styles) *Retrieve { return &Retrieve{st: st, keys: newRetrieveKeys()} }

// Open shows the view for code; the quotes arrive by SetQuotes.
func (r *Retrieve) Open(code string) int {
	if code != r.code {
		r.coder, r.filter, r.all, r.shown = "", "", nil, nil
	}
	r.code, r.open, r.err, r.cell = code, true, nil, false
	r.seq++
	return r.seq
}

// OpenCell shows the view for quotes given by SetQuotes, titled title.
func (r *Retrieve) OpenCell(title string) int {
	r.coder, r.filter, r.all, r.shown, r.sel, r.top = "", "", nil, nil, 0, 0
	r.code, r.open, r.err, r.cell = title, true, nil, true
	r.seq++
	return r.seq
}

// Cell reports whether the quotes were given rather than retrieved.
func (r *Retrieve) Cell() bool { return r.cell }

// Again asks for the quotes again (after a coder change or a reload).
func (r *Retrieve) Again() int { r.seq++; return r.seq }

// SetCoder keeps only coder's quotes ("" keeps everyone's); the quotes
// must be asked for again.
func (r *Retrieve) SetCoder(coder string) { r.coder = coder }

// Close hides the view.
func (r *Retrieve) Close() { r.open = false }

// Visible reports whether the view is open.
func (r *Retrieve) Visible() bool { return r.open }

// Code is the retrieved code; Coder the coder filter.
func (r *Retrieve) Code() string  { return r.code }
func (r *Retrieve) Coder() string { return r.coder }

// SetSize sets the view's size.
func (r *Retrieve) SetSize(w, h int) { r.w, r.h = w, h }

// SetFilter keeps quotes whose attribution, document, speaker or coder
// contains text (or, for key=value, whose attribution has the value).
func (r *Retrieve) SetFilter(text string) { r.filter = text; r.apply() }

// SetQuotes shows the answer to request seq, unless a newer one was made.
func (r *Retrieve) SetQuotes(m quotesMsg) {
	if m.seq != r.seq {
		return
	}
	r.err = m.err
	r.all, r.coders = m.quotes, m.coders
	r.apply()
}

func (r *Retrieve) apply() {
	r.shown = r.shown[:0]
	f := strings.ToLower(r.filter)
	if _, v, ok := strings.Cut(f, "="); ok {
		f = v
	}
	for _, q := range r.all {
		if r.cell && r.coder != "" && q.Coder != r.coder {
			continue
		}
		hay := strings.ToLower(q.Attribution + " " + q.Document + " " + q.Speaker + " " + q.Coder)
		if f == "" || strings.Contains(hay, f) {
			r.shown = append(r.shown, q)
		}
	}
	r.sel = min(r.sel, max(len(r.shown)-1, 0))
	r.scroll()
}

// Update moves in the list and asks for jumps and exports.
func (r *Retrieve) Update(msg tea.Msg) (*Retrieve, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return r, nil
	}
	k := r.keys
	switch {
	case key.Matches(km, k.Close):
		r.Close()
	case key.Matches(km, k.Down):
		r.sel = min(r.sel+1, max(len(r.shown)-1, 0))
	case key.Matches(km, k.Up):
		r.sel = max(r.sel-1, 0)
	case key.Matches(km, k.Jump):
		if r.sel < len(r.shown) {
			q := r.shown[r.sel]
			return r, func() tea.Msg { return jumpQuoteMsg{doc: q.Document, version: q.Version, start: q.Start, end: q.End} }
		}
	case key.Matches(km, k.Export):
		qs := append([]coding.Quote(nil), r.shown...)
		code := r.code
		return r, func() tea.Msg { return exportQuotesMsg{code: code, quotes: qs} }
	case key.Matches(km, k.Filter):
		return r, func() tea.Msg { return filterQuotesMsg{} }
	case key.Matches(km, k.Coder):
		next := ""
		if len(r.coders) > 0 {
			i := -1
			for j, c := range r.coders {
				if c == r.coder {
					i = j
				}
			}
			if i+1 < len(r.coders) {
				next = r.coders[i+1]
			}
		}
		r.coder = next
		if r.cell {
			r.apply()
			return r, nil
		}
		return r, func() tea.Msg { return coderQuotesMsg{coder: next} }
	}
	r.scroll()
	return r, nil
}

// jumpQuoteMsg asks to show a quote's source.
type jumpQuoteMsg struct {
	doc        string
	version    int
	start, end int
}

func (r *Retrieve) scroll() { r.top = keepVisible(r.sel, r.top, max((r.h-2)/3, 1)) }

// Lines renders the view as h lines of w cells.
func (r *Retrieve) Lines() []string {
	st := r.st
	out := []string{fit(st.paneTitleFocused.Render("Quotes · "+r.code), r.w)}
	info := fmt.Sprintf("%d of %d quotes", len(r.shown), len(r.all))
	if r.coder != "" {
		info += " · coder " + r.coder
	}
	if r.filter != "" {
		info += " · filter «" + r.filter + "»"
	}
	if r.err != nil {
		info = st.errText.Render(r.err.Error())
	}
	out = append(out, fit(st.muted.Render(info), r.w))
	for i := r.top; i < len(r.shown) && len(out)+2 < r.h+1; i++ {
		q := r.shown[i]
		text := "“" + strings.Join(strings.Fields(oneLine(q.Text)), " ") + "”"
		lines := strings.Split(wrapWords(text, max(r.w-2, 8)), "\n")
		first := fit("  "+lines[0], r.w)
		if i == r.sel {
			first = st.itemSel.Render(first)
		}
		out = append(out, first)
		if len(lines) > 1 && len(out) < r.h {
			out = append(out, fit("  "+lines[1], r.w))
		}
		if ctx := contextLine(q, r.w); ctx != "" && len(out) < r.h {
			out = append(out, fit(st.muted.Render(ctx), r.w))
		}
		where := fmt.Sprintf("  — %s; %s, line %d", q.Attribution, q.Document, q.Line)
		if q.Speaker != "" {
			where += ", " + q.Speaker
		}
		where += "; " + q.Coder
		if len(out) < r.h {
			out = append(out, fit(st.muted.Render(ansi.Truncate(where, r.w, "…")), r.w))
		}
	}
	if len(r.shown) == 0 && r.err == nil {
		out = append(out, fit(st.muted.Render("no quotes"), r.w))
	}
	for len(out) < r.h {
		out = append(out, strings.Repeat(" ", r.w))
	}
	return out[:r.h]
}

// ShortHelp lists the view's keys.
func (r *Retrieve) ShortHelp() []key.Binding {
	k := r.keys
	return []key.Binding{k.Jump, k.Down, k.Export, k.Filter, k.Coder, k.Close}
}

// FullHelp lists every key of the view.
func (r *Retrieve) FullHelp() [][]key.Binding { return [][]key.Binding{r.ShortHelp()} }

// contextLine is one line of what surrounds a quote: the end of the
// sentence before it and the start of the sentence after, around a mark
// standing for the quote itself.
func contextLine(q coding.Quote, w int) string {
	if q.Before == "" && q.After == "" {
		return ""
	}
	half := max((w-8)/2, 4)
	before := []rune(strings.Join(strings.Fields(q.Before), " "))
	if len(before) > half {
		before = append([]rune("…"), before[len(before)-half+1:]...)
	}
	after := strings.Join(strings.Fields(q.After), " ")
	return ansi.Truncate("  "+string(before)+" [quote] "+after, w, "…")
}

func (r *Retrieve) active() bool { return r.Visible() }

func (r *Retrieve) update(m *Model, msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		if key.Matches(msg, m.keys.Help) {
			m.helpScreen.open = true
			return nil
		}
		_, cmd := r.Update(msg)
		if !r.Visible() && m.fromAnalysis {
			// The quotes of an analysis cell go back to the analysis.
			m.fromAnalysis = false
			m.analysis.Open()
		}
		return cmd
	case tea.MouseMsg:
		return m.paneMouse(msg, false)
	}
	return nil
}

// view shows the quotes in the transcript's place.
func (r *Retrieve) view(m *Model, _ func() []string) []string { return m.panes(r.Lines()) }

func (r *Retrieve) resize(w, h int) {
	_, rw, _ := paneWidths(w)
	r.SetSize(rw, bodyHeight(h))
}

// helpKeys: the view has the keyboard, the panes' keys do nothing.
func (r *Retrieve) helpKeys(m *Model) keyMap {
	return layerKeys{own: r, g: m.keys, extra: onlyHelp}
}

func (r *Retrieve) name(*Model) string { return "quotes" }

// setFilterMsg answers the filter question.
type setFilterMsg struct{ text string }

// reload retrieves the code's quotes again (given quotes stay).
func (r *Retrieve) reload(m *Model) tea.Cmd {
	if r.Cell() {
		return nil
	}
	return quotesCmd(m.ctx, m.store, r.Again(), r.Code(), r.Coder())
}

func (r *Retrieve) receive(m *Model, msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case quotesMsg:
		r.SetQuotes(m.pseudoQuotes(msg))
	case coderQuotesMsg:
		return quotesCmd(m.ctx, m.store, r.Again(), r.Code(), msg.coder), true
	case filterQuotesMsg:
		return m.dialog.AskText("Filter quotes by attribute (e.g. female, or wave=February), empty for all", r.filter, func(v string) tea.Cmd {
			return func() tea.Msg { return setFilterMsg{v} }
		}), true
	case setFilterMsg:
		r.SetFilter(msg.text)
	case jumpQuoteMsg:
		r.Close()
		m.fromAnalysis = false
		m.focusPane(paneReader)
		doc := m.reader.pv.realName(msg.doc)
		return m.openDoc(fmt.Sprintf("%s@%d", doc, msg.version), msg.start, coding.Span{Start: msg.start, End: msg.end}), true
	case exportQuotesMsg:
		return m.exportQuotes(msg), true
	case exportMsg:
		if msg.err != nil {
			m.status.Fail(msg.err)
		} else {
			m.status.Say(fmt.Sprintf("exported %d quotes to %s", msg.n, msg.path))
		}
	default:
		return nil, false
	}
	return nil, true
}
