package tui

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/coding/agree"
)

// disagreeUnits are the units of agreement U cycles through.
var disagreeUnits = []agree.Unit{agree.Char, agree.Segment, agree.Document}

// disagreeMsg answers a computation of the coders' agreement.
type disagreeMsg struct {
	seq    int
	report *agree.Report
	err    error
}

// disagreeAskMsg asks the app to compute the agreement again (another
// unit).
type disagreeAskMsg struct{}

// Disagree is the disagreements view: the places where the coders did
// not code alike, one at a time, with who coded what, so a team can
// discuss them.
type Disagree struct {
	st   *styles
	cs   *codeStyles
	keys disagreeKeys
	open bool
	w, h int

	seq  int
	busy bool
	err  error
	unit int

	report  *agree.Report
	byCode  map[int64]agree.CodeStats
	letters map[string]rune
	colors  map[int64]string
	i       int
}

// NewDisagree returns a closed disagreements view.
func NewDisagree(st *styles, cs *codeStyles) *Disagree {
	return &Disagree{st: st, cs: cs, keys: newDisagreeKeys()}
}

// Open shows the view; the app then runs Request's computation.
func (d *Disagree) Open() { d.open = true }

// Close hides the view; it opens again where it was.
func (d *Disagree) Close() { d.open = false }

// Visible reports whether the view is open.
func (d *Disagree) Visible() bool { return d.open }

// SetSize sets the view's size.
func (d *Disagree) SetSize(w, h int) { d.w, d.h = w, h }

// SetContext gives the coders' letters and the codes' colours.
func (d *Disagree) SetContext(letters map[string]rune, codes []coding.Code) {
	d.letters = letters
	d.colors = make(map[int64]string, len(codes))
	for _, c := range codes {
		d.colors[c.ID] = c.Color
	}
}

// Request numbers a computation and returns its number and options.
func (d *Disagree) Request() (int, agree.Options) {
	d.seq++
	d.busy = true
	return d.seq, agree.Options{Unit: disagreeUnits[d.unit], Text: true}
}

// SetReport shows the answer to request seq, unless a newer one was made.
func (d *Disagree) SetReport(m disagreeMsg) {
	if m.seq != d.seq {
		return
	}
	d.busy, d.err, d.report = false, m.err, m.report
	d.byCode = map[int64]agree.CodeStats{}
	if m.report != nil {
		for _, c := range m.report.Codes {
			d.byCode[c.CodeID] = c
		}
		d.i = min(d.i, max(len(m.report.Disagreements)-1, 0))
	}
	// Stepping and jumping need disagreements to step through.
	k := &d.keys
	enable(m.report != nil && len(m.report.Disagreements) > 0, &k.Next, &k.Prev, &k.First, &k.Last, &k.Jump)
}

// Current is the disagreement shown.
func (d *Disagree) Current() (agree.Disagreement, bool) {
	if d.report == nil || d.i >= len(d.report.Disagreements) {
		return agree.Disagreement{}, false
	}
	return d.report.Disagreements[d.i], true
}

// Update steps through the disagreements and asks to jump to one.
func (d *Disagree) Update(msg tea.Msg) (*Disagree, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return d, nil
	}
	k := d.keys
	n := 0
	if d.report != nil {
		n = len(d.report.Disagreements)
	}
	switch {
	case key.Matches(km, k.Close):
		d.Close()
	case key.Matches(km, k.Next):
		d.i = min(d.i+1, max(n-1, 0))
	case key.Matches(km, k.Prev):
		d.i = max(d.i-1, 0)
	case key.Matches(km, k.First):
		d.i = 0
	case key.Matches(km, k.Last):
		d.i = max(n-1, 0)
	case key.Matches(km, k.Unit):
		d.unit = (d.unit + 1) % len(disagreeUnits)
		d.i = 0
		return d, func() tea.Msg { return disagreeAskMsg{} }
	case key.Matches(km, k.Jump):
		if g, ok := d.Current(); ok {
			d.Close()
			return d, func() tea.Msg { return jumpMsg{docID: g.DocID, start: g.Start, end: g.End, allCoders: true} }
		}
	}
	return d, nil
}

// stat formats a statistic, or "n/a" when it is undefined.
func stat(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "n/a"
	}
	if math.Abs(x) < 0.005 {
		x = 0 // no "-0.00"
	}
	return fmt.Sprintf("%.2f", x)
}

func statsLine(s agree.Stats, coders int) string {
	line := "agreement n/a"
	if !math.IsNaN(s.Percent) {
		line = fmt.Sprintf("agreement %.1f%%", 100*s.Percent)
	}
	switch {
	case coders == 2:
		line += " · Cohen's κ " + stat(s.Cohen)
	case coders > 2:
		line += " · Light's κ " + stat(s.Light)
	}
	return line + " · Fleiss' κ " + stat(s.Fleiss) + " · α " + stat(s.Alpha)
}

func (d *Disagree) letter(coder string) string {
	if l, ok := d.letters[coder]; ok {
		return string(l)
	}
	return "?"
}

// Lines renders the view as h lines of w cells.
func (d *Disagree) Lines() []string {
	st := d.st
	out := make([]string, 0, d.h)
	title := "Disagreements · unit " + string(disagreeUnits[d.unit])
	right := ""
	if d.report != nil {
		title += " · " + strings.Join(d.report.Coders, ", ")
		if n := len(d.report.Disagreements); n > 0 {
			right = fmt.Sprintf("%d of %d", d.i+1, n)
		}
	}
	if d.busy {
		right = "⟳ " + right
	}
	title = ansi.Truncate(title, max(d.w-ansi.StringWidth(right)-2, 8), "…")
	pad := strings.Repeat(" ", max(d.w-ansi.StringWidth(title)-ansi.StringWidth(right), 1))
	out = append(out, fit(st.paneTitleFocused.Render(title)+pad+right, d.w))
	g, ok := d.Current()
	switch {
	case d.err != nil:
		out = append(out, fit(st.errText.Render(ansi.Truncate("error: "+d.err.Error(), d.w, "…")), d.w))
	case d.report == nil:
		out = append(out, fit(st.muted.Render("comparing the coders…"), d.w))
	case !ok:
		out = append(out, fit(st.muted.Render("overall "+statsLine(d.report.Overall, len(d.report.Coders))), d.w))
		out = append(out, "", fit("No disagreements: the coders coded alike.", d.w))
	default:
		out = append(out, fit(st.muted.Render("overall "+statsLine(d.report.Overall, len(d.report.Coders))), d.w), "")
		out = d.disagreement(out, g)
	}
	for len(out) < d.h {
		out = append(out, strings.Repeat(" ", d.w))
	}
	for i := range out {
		if out[i] == "" {
			out[i] = strings.Repeat(" ", d.w)
		}
	}
	return out[:d.h]
}

// missing says what a coder who did not code a disagreement did not do.
func (d *Disagree) missing() string {
	switch disagreeUnits[d.unit] {
	case agree.Segment:
		return "no matching segment"
	case agree.Document:
		return "did not use the code in this document"
	}
	return "did not code these characters"
}

func (d *Disagree) disagreement(out []string, g agree.Disagreement) []string {
	st := d.st
	sw := d.cs.get(d.colors[g.CodeID]).Render("■")
	out = append(out, fit(sw+" "+st.bold.Render(g.Code), d.w))
	if cs, ok := d.byCode[g.CodeID]; ok {
		out = append(out, fit(st.muted.Render("  on this code: "+statsLine(cs.Stats, len(d.report.Coders))), d.w))
	}
	out = append(out, fit(fmt.Sprintf("  %s · %d:%d · %d characters", g.Document, g.Start, g.End, g.End-g.Start), d.w))
	who := "  coded by " + strings.Join(g.Coded, ", ")
	if len(g.Missing) > 0 {
		who += " · not by " + strings.Join(g.Missing, ", ")
	}
	out = append(out, fit(who, d.w), "")
	// Each coder's codings of the code here, a line per coder; the
	// passage gets the rest of the screen.
	var coders []string
	for _, c := range d.report.Coders {
		var spans []string
		for _, k := range g.Codings {
			if k.Coder == c {
				spans = append(spans, fmt.Sprintf("%d:%d", k.Start, k.End))
			}
		}
		line := fmt.Sprintf("  %s %-10s ", d.letter(c), c)
		coded := slices.Contains(g.Coded, c)
		switch {
		case coded && len(spans) > 0:
			line += d.cs.get(d.colors[g.CodeID]).Render("┃") + " coded " + strings.Join(spans, ", ")
		case coded:
			line += "┃ coded it"
		case len(spans) > 0:
			line += "  coded " + strings.Join(spans, ", ") + ", which does not match"
		default:
			line += st.muted.Render("  " + d.missing())
		}
		coders = append(coders, fit(line, d.w))
	}
	room := d.h - len(out) - len(coders) - 3
	text := "“" + strings.Join(strings.Fields(oneLine(g.Text)), " ") + "”"
	lines := strings.Split(wrapWords(text, max(d.w-4, 8)), "\n")
	if len(lines) > max(room, 1) {
		lines = lines[:max(room, 1)]
		lines[len(lines)-1] = ansi.Truncate(lines[len(lines)-1], d.w-5, "") + " …"
	}
	for _, l := range lines {
		out = append(out, fit("  "+l, d.w))
	}
	out = append(out, "")
	out = append(out, coders...)
	for len(out) < d.h-1 {
		out = append(out, "")
	}
	return append(out[:d.h-1], fit(st.muted.Render("enter: show it in the transcript · n next · N previous · U unit"), d.w))
}

// ShortHelp lists the view's main keys.
func (d *Disagree) ShortHelp() []key.Binding {
	k := d.keys
	return []key.Binding{k.Next, k.Prev, k.Jump, k.Unit, k.Close}
}

// FullHelp lists every key of the view.
func (d *Disagree) FullHelp() [][]key.Binding {
	k := d.keys
	return [][]key.Binding{{k.Next, k.Prev, k.First, k.Last}, {k.Jump, k.Unit, k.Close}}
}

func (d *Disagree) active() bool { return d.Visible() }

func (d *Disagree) update(m *Model, msg tea.Msg) tea.Cmd {
	return screenKey(m, msg, func(km tea.KeyMsg) tea.Cmd { _, cmd := d.Update(km); return cmd })
}

func (d *Disagree) view(*Model, func() []string) []string { return d.Lines() }

func (d *Disagree) resize(w, h int) { d.SetSize(w, bodyHeight(h)) }

// helpKeys: the view has the keyboard, the panes' keys do nothing.
func (d *Disagree) helpKeys(m *Model) keyMap {
	return layerKeys{own: d, g: m.keys, extra: onlyHelp}
}

func (d *Disagree) name(*Model) string { return "disagreements" }

// reload computes the coders' agreement again.
func (d *Disagree) reload(m *Model) tea.Cmd {
	d.SetContext(m.letters, m.codebook.Codes())
	seq, opt := d.Request()
	return disagreeCmd(m.ctx, m.store, seq, opt)
}

func (d *Disagree) receive(m *Model, msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case disagreeAskMsg:
		return d.reload(m), true
	case disagreeMsg:
		d.SetReport(msg)
		return nil, true
	}
	return nil, false
}
