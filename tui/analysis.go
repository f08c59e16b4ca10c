package tui

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/coding/figures"
)

// Analysis tabs.
const (
	tabFreq = iota
	tabMatrix
	tabCooc
	tabCount
)

var tabNames = [tabCount]string{"Frequencies", "Codes × documents", "Co-occurrence"}

// freqMeasures are what the frequency bars count, in the order m cycles.
var freqMeasures = []string{"codings", "documents", "participants", "words"}

var matrixMeasures = []string{coding.MeasureCodings, coding.MeasureDocuments, coding.MeasureParticipants, coding.MeasurePercent}

var coocWithin = []string{coding.WithinOverlap, coding.WithinSentence, coding.WithinTurn}

// analysisReq is one query of the analysis screen, with the sequence
// number that tells its answer from a stale one.
type analysisReq struct {
	seq    int
	tab    int
	stats  coding.StatsOptions
	matrix coding.MatrixOptions
	cooc   coding.CoocOptions
}

// analysisMsg answers an analysisReq.
type analysisMsg struct {
	seq   int
	tab   int
	stats []coding.CodeStats
	table *coding.Table
	err   error
}

// analysisAskMsg asks the app to run the screen's current query.
type analysisAskMsg struct{}

// analysisCellMsg asks for the quotes behind a bar or a cell.
type analysisCellMsg struct {
	title string
	// code, for a bar, is the code's path; subcodes counts its
	// descendants' codings too.
	code     string
	subcodes bool
	// table, row and col, for a cell, name it (-1: the totals).
	table    *coding.Table
	row, col int
}

// Analysis is the analysis screen: code frequencies as bars, and the
// code × document (or attribute value) and co-occurrence matrices as
// heatmaps. Tables are computed off the update loop; moving renders only
// the rows and columns on screen.
type Analysis struct {
	st   *styles
	cs   *codeStyles
	keys analysisKeys
	open bool
	w, h int

	tab  int
	seq  int
	busy bool
	err  error

	// What is asked: the frequency measure and whether sub-codes count;
	// the matrix's columns and measure; the co-occurrence unit and
	// Jaccard; the coder whose codings count ("" for all).
	measure  int
	subcodes bool
	cols     string
	mMeasure int
	within   int
	jaccard  bool
	coder    string
	attrKeys []string
	// dir is the project's folder, whose exports/ the figure key writes to.
	dir string

	stats []coding.CodeStats
	table *coding.Table
	// cells are the table's cells formatted, with the totals as a last
	// row and column when it has them; max is the largest body value
	// (off the diagonal) for shading; cw the width of a column.
	cells  [][]string
	totals bool
	max    float64
	cw     int
	labels []string

	row, col  int
	top, left int
}

// NewAnalysis returns a closed analysis screen.
func NewAnalysis(st *styles, cs *codeStyles) *Analysis {
	return &Analysis{st: st, cs: cs, keys: newAnalysisKeys(), cols: coding.ColsDocuments}
}

// Open shows the screen; the app then runs Request's query.
func (a *Analysis) Open() { a.open = true }

// Close hides the screen; its tables stay for next time.
func (a *Analysis) Close() { a.open = false }

// Visible reports whether the screen is open.
func (a *Analysis) Visible() bool { return a.open }

// SetSize sets the screen's size.
func (a *Analysis) SetSize(w, h int) { a.w, a.h = w, h; a.scroll() }

// SetContext tells the screen whose codings count and which attribute
// keys the matrix may use as columns.
func (a *Analysis) SetContext(coder string, attrKeys []string) {
	a.coder, a.attrKeys = coder, attrKeys
}

// Request numbers and returns the query for the current tab and options.
func (a *Analysis) Request() analysisReq {
	a.seq++
	a.busy = true
	r := analysisReq{seq: a.seq, tab: a.tab}
	switch a.tab {
	case tabFreq:
		r.stats = coding.StatsOptions{Coder: a.coder}
	case tabMatrix:
		r.matrix = coding.MatrixOptions{Cols: a.cols, Measure: matrixMeasures[a.mMeasure], Coder: a.coder}
	case tabCooc:
		r.cooc = coding.CoocOptions{Within: coocWithin[a.within], Coder: a.coder, Jaccard: a.jaccard}
	}
	return r
}

// SetResult shows the answer to query seq, unless a newer one was made.
func (a *Analysis) SetResult(m analysisMsg) {
	if m.seq != a.seq {
		return
	}
	a.busy, a.err = false, m.err
	if m.err != nil {
		return
	}
	if m.tab == tabFreq {
		a.stats, a.table = m.stats, nil
	} else {
		a.table = m.table
		a.format()
	}
	a.clamp()
}

// format formats every cell once, so that moving only draws.
func (a *Analysis) format() {
	t := a.table
	a.totals = len(t.RowTotals) == len(t.Rows) && len(t.ColTotals) == len(t.Cols) && len(t.Rows) > 0
	nr, nc := len(t.Rows), len(t.Cols)
	if a.totals {
		nr, nc = nr+1, nc+1
	}
	a.cells = make([][]string, nr)
	a.max = 0
	wide := 1
	for i := range nr {
		a.cells[i] = make([]string, nc)
		for j := range nc {
			v := a.value(i, j)
			s := a.num(v)
			a.cells[i][j] = s
			wide = max(wide, len(s))
			if i < len(t.Rows) && j < len(t.Cols) && !a.diagonal(i, j) {
				a.max = max(a.max, v)
			}
		}
	}
	// A space between columns, a shade, a space and the number; wide
	// enough for short column labels.
	a.cw = wide + 3
	if t.Kind != "cooc" {
		for _, c := range t.Cols {
			a.cw = max(a.cw, min(ansi.StringWidth(c)+1, 10))
		}
	}
	a.labels = make([]string, len(t.Rows))
	for i, r := range t.Rows {
		// A code's name indented by its depth, as in the codes pane.
		depth := strings.Count(r, "/")
		name := r[strings.LastIndex(r, "/")+1:]
		a.labels[i] = strings.Repeat(" ", depth*2) + name
		if t.Kind == "cooc" {
			a.labels[i] = fmt.Sprintf("%*d %s", len(strconv.Itoa(len(t.Rows))), i+1, a.labels[i])
		}
	}
}

// value is cell (i, j), the totals in the last row and column.
func (a *Analysis) value(i, j int) float64 {
	t := a.table
	switch {
	case i < len(t.Rows) && j < len(t.Cols):
		return t.Cells[i][j]
	case i < len(t.Rows):
		return t.RowTotals[i]
	case j < len(t.Cols):
		return t.ColTotals[j]
	}
	return t.Total
}

func (a *Analysis) diagonal(i, j int) bool {
	t := a.table
	return t.Kind == "cooc" && i < len(t.RowCodes) && j < len(t.ColCodes) && t.RowCodes[i] == t.ColCodes[j]
}

func (a *Analysis) num(v float64) string {
	switch {
	case a.table.Measure == coding.MeasureJaccard:
		if v == 0 {
			return "0"
		}
		if v >= 1 {
			return "1"
		}
		return strings.TrimPrefix(strconv.FormatFloat(v, 'f', 2, 64), "0")
	case v == math.Trunc(v):
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}

// dims are the rows and columns the cursor moves over.
func (a *Analysis) dims() (rows, cols int) {
	if a.tab == tabFreq {
		return len(a.stats), 1
	}
	if a.table == nil || a.tableTab() != a.tab || len(a.cells) == 0 {
		return 0, 0
	}
	return len(a.cells), len(a.cells[0])
}

// tableTab is the tab the table shown belongs to.
func (a *Analysis) tableTab() int {
	if a.table != nil && a.table.Kind == "cooc" {
		return tabCooc
	}
	return tabMatrix
}

func (a *Analysis) clamp() {
	r, c := a.dims()
	if r == 0 && a.busy {
		// The table is still being computed: keep the moves typed
		// meanwhile, and clamp them when it arrives.
		return
	}
	a.row = min(max(a.row, 0), max(r-1, 0))
	a.col = min(max(a.col, 0), max(c-1, 0))
	a.scroll()
}

// bodyRows is the number of table rows on screen: the screen less the
// tabs, the options, the column headers and the line about the cell.
func (a *Analysis) bodyRows() int { return max(a.h-4, 1) }

func (a *Analysis) labelWidth() int {
	lw := 8
	if a.tab == tabFreq {
		for _, s := range a.stats {
			lw = max(lw, s.Depth*2+ansi.StringWidth(s.Name))
		}
	} else {
		for _, l := range a.labels {
			lw = max(lw, ansi.StringWidth(l))
		}
	}
	return min(lw, max(a.w/3, 12))
}

// visibleCols is how many heatmap columns fit beside the labels.
func (a *Analysis) visibleCols() int {
	return max((a.w-a.labelWidth()-2)/max(a.cw, 1), 1)
}

func (a *Analysis) scroll() {
	a.top = keepVisible(a.row, a.top, a.bodyRows())
	if a.tab != tabFreq {
		a.left = keepVisible(a.col, a.left, a.visibleCols())
	}
}

// Update moves the cursor, switches tabs and options, and asks for the
// quotes behind the cursor.
func (a *Analysis) Update(msg tea.Msg) (*Analysis, tea.Cmd) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return a, nil
	}
	k := a.keys
	ask := func() tea.Msg { return analysisAskMsg{} }
	rows, _ := a.dims()
	switch {
	case key.Matches(km, k.Close):
		a.Close()
		return a, nil
	case key.Matches(km, k.NextTab):
		return a, a.setTab((a.tab + 1) % tabCount)
	case key.Matches(km, k.PrevTab):
		return a, a.setTab((a.tab + tabCount - 1) % tabCount)
	case key.Matches(km, k.Tab1):
		return a, a.setTab(tabFreq)
	case key.Matches(km, k.Tab2):
		return a, a.setTab(tabMatrix)
	case key.Matches(km, k.Tab3):
		return a, a.setTab(tabCooc)
	case key.Matches(km, k.Down):
		a.row++
	case key.Matches(km, k.Up):
		a.row--
	case key.Matches(km, k.Right):
		a.col++
	case key.Matches(km, k.Left):
		a.col--
	case key.Matches(km, k.PageDown):
		a.row += a.bodyRows() - 1
	case key.Matches(km, k.PageUp):
		a.row -= a.bodyRows() - 1
	case key.Matches(km, k.Top):
		a.row, a.col = 0, 0
	case key.Matches(km, k.Bottom):
		a.row = rows - 1
	case key.Matches(km, k.Measure):
		switch a.tab {
		case tabFreq:
			a.measure = (a.measure + 1) % len(freqMeasures)
			return a, nil
		case tabMatrix:
			a.mMeasure = (a.mMeasure + 1) % len(matrixMeasures)
		case tabCooc:
			a.jaccard = !a.jaccard
		}
		return a, ask
	case key.Matches(km, k.Subcodes):
		if a.tab == tabFreq {
			a.subcodes = !a.subcodes
		}
		return a, nil
	case key.Matches(km, k.Columns):
		switch a.tab {
		case tabMatrix:
			a.cols = a.nextCols()
			a.col, a.left = 0, 0
		case tabCooc:
			a.within = (a.within + 1) % len(coocWithin)
		default:
			return a, nil
		}
		return a, ask
	case key.Matches(km, figureKey):
		return a, a.saveFigure()
	case key.Matches(km, k.Quotes):
		if cell, ok := a.cell(); ok {
			return a, func() tea.Msg { return cell }
		}
		return a, nil
	}
	a.clamp()
	return a, nil
}

func (a *Analysis) setTab(t int) tea.Cmd {
	if t == a.tab {
		return nil
	}
	a.tab, a.row, a.col, a.top, a.left = t, 0, 0, 0, 0
	a.busy = true // its query follows
	return func() tea.Msg { return analysisAskMsg{} }
}

// nextCols cycles the matrix's columns: documents, then each attribute.
func (a *Analysis) nextCols() string {
	opts := []string{coding.ColsDocuments}
	for _, k := range a.attrKeys {
		opts = append(opts, coding.ColsAttrPrefix+k)
	}
	for i, o := range opts {
		if o == a.cols {
			return opts[(i+1)%len(opts)]
		}
	}
	return coding.ColsDocuments
}

// cell is the request for the quotes behind the cursor.
func (a *Analysis) cell() (analysisCellMsg, bool) {
	if a.busy {
		return analysisCellMsg{}, false
	}
	if a.tab == tabFreq {
		if a.row >= len(a.stats) {
			return analysisCellMsg{}, false
		}
		s := a.stats[a.row]
		return analysisCellMsg{title: s.Code, code: s.Code, subcodes: a.subcodes}, true
	}
	rows, cols := a.dims()
	if rows == 0 || cols == 0 {
		return analysisCellMsg{}, false
	}
	r, c := a.row, a.col
	if r >= len(a.table.Rows) {
		r = -1
	}
	if c >= len(a.table.Cols) {
		c = -1
	}
	return analysisCellMsg{title: a.cellName(r, c), table: a.table, row: r, col: c}, true
}

// cellName names cell (r, c) of the table, -1 for the totals.
func (a *Analysis) cellName(r, c int) string {
	t := a.table
	rn, cn := "all codes", "all"
	if r >= 0 {
		rn = t.Rows[r]
	}
	if c >= 0 {
		cn = t.Cols[c]
	}
	return rn + " × " + cn
}

// freqValue is what the bar of s measures.
func (a *Analysis) freqValue(s coding.CodeStats) int {
	c := s.Own
	if a.subcodes {
		c = s.WithSubcodes
	}
	switch freqMeasures[a.measure] {
	case "documents":
		return c.Documents
	case "participants":
		return c.Participants
	case "words":
		return c.Words
	}
	return c.Codings
}

// Lines renders the screen as h lines of w cells.
func (a *Analysis) Lines() []string {
	out := make([]string, 0, a.h)
	out = append(out, a.tabsLine(), fit(a.st.muted.Render(a.optionsLine()), a.w))
	switch {
	case a.err != nil:
		out = append(out, fit(a.st.errText.Render("error: "+a.err.Error()), a.w))
	case a.tab == tabFreq && a.stats == nil, a.tab != tabFreq && (a.table == nil || a.tableTab() != a.tab):
		out = append(out, fit(a.st.muted.Render("computing…"), a.w))
	case a.tab == tabFreq:
		out = a.bars(out)
	default:
		out = a.heatmap(out)
	}
	for len(out) < a.h {
		out = append(out, strings.Repeat(" ", a.w))
	}
	return out[:a.h]
}

func (a *Analysis) tabsLine() string {
	var b strings.Builder
	b.WriteString(a.st.paneTitleFocused.Render("Analysis"))
	for i, n := range tabNames {
		label := fmt.Sprintf("%d %s", i+1, n)
		if i == tabMatrix && strings.HasPrefix(a.cols, coding.ColsAttrPrefix) {
			label = fmt.Sprintf("%d Codes × %s", i+1, strings.TrimPrefix(a.cols, coding.ColsAttrPrefix))
		}
		b.WriteString("  ")
		if i == a.tab {
			b.WriteString(a.st.itemSel.Render("[" + label + "]"))
		} else {
			b.WriteString(a.st.muted.Render(" " + label + " "))
		}
	}
	if a.busy {
		b.WriteString(a.st.muted.Render("  ⟳"))
	}
	return fit(b.String(), a.w)
}

func (a *Analysis) optionsLine() string {
	who := "all coders"
	if a.coder != "" {
		who = "coder " + a.coder
	}
	switch a.tab {
	case tabFreq:
		s := "bars: " + freqMeasures[a.measure]
		if a.subcodes {
			s += " with sub-codes"
		}
		return s + " · " + who
	case tabMatrix:
		cols := "documents"
		if k, ok := strings.CutPrefix(a.cols, coding.ColsAttrPrefix); ok {
			cols = "values of " + k
		}
		return "cells: " + matrixMeasures[a.mMeasure] + " · columns: " + cols + " · " + who + " · shade ░▒▓█ by quarter of max"
	}
	s := "cells: co-occurrences within " + coocWithin[a.within]
	if a.jaccard {
		s = "cells: Jaccard within " + coocWithin[a.within]
	}
	return s + " · " + who + " · columns numbered as rows · shade ░▒▓█ by quarter of max"
}

// eighths are the partial blocks of a bar's last cell.
var eighths = []string{"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"}

func (a *Analysis) bars(out []string) []string {
	st := a.st
	lw := a.labelWidth()
	top := 0
	for _, s := range a.stats {
		top = max(top, a.freqValue(s))
	}
	numW := len(strconv.Itoa(top))
	bw := max(a.w-lw-numW-5, 4)
	out = append(out, fit(st.muted.Render(fmt.Sprintf("  %-*s  %s", lw, "code", freqMeasures[a.measure])), a.w))
	rows := a.bodyRows()
	for i := a.top; i < len(a.stats) && i < a.top+rows; i++ {
		s := a.stats[i]
		v := a.freqValue(s)
		label := ansi.Truncate(strings.Repeat(" ", s.Depth*2)+s.Name, lw, "…")
		label += strings.Repeat(" ", lw-ansi.StringWidth(label))
		mark := "  "
		if i == a.row {
			mark = "▸ "
			label = st.itemSel.Render(label)
		}
		n := 0
		if top > 0 {
			n = v * bw * 8 / top
		}
		bar := strings.Repeat("█", n/8) + eighths[n%8]
		pad := strings.Repeat(" ", bw-ansi.StringWidth(bar))
		out = append(out, fit(mark+label+" "+a.cs.get(s.Color).Render(bar)+pad+" "+fmt.Sprintf("%*d", numW, v), a.w))
	}
	if len(a.stats) == 0 {
		out = append(out, fit(st.muted.Render("no codes yet"), a.w))
	}
	for len(out) < a.h-1 {
		out = append(out, strings.Repeat(" ", a.w))
	}
	info := ""
	if a.row < len(a.stats) {
		s := a.stats[a.row]
		c := s.Own
		if a.subcodes {
			c = s.WithSubcodes
		}
		info = fmt.Sprintf("%s: %d codings in %d documents (%d participants), %d words · enter: its quotes", s.Code, c.Codings, c.Documents, c.Participants, c.Words)
	}
	return append(out[:a.h-1], fit(info, a.w))
}

func (a *Analysis) heatmap(out []string) []string {
	st := a.st
	t := a.table
	lw := a.labelWidth()
	nr, nc := a.dims()
	vc := a.visibleCols()
	// Column headers, right-aligned over their cells.
	var hb strings.Builder
	hb.WriteString(strings.Repeat(" ", lw+2))
	for j := a.left; j < nc && j < a.left+vc; j++ {
		h := "Σ"
		switch {
		case j < len(t.Cols) && t.Kind == "cooc":
			h = strconv.Itoa(j + 1)
		case j < len(t.Cols):
			h = t.Cols[j]
		}
		h = ansi.Truncate(h, a.cw-1, "…")
		if j == a.col {
			h = "▾" + h
		}
		cell := strings.Repeat(" ", max(a.cw-ansi.StringWidth(h), 0)) + h
		if j == a.col {
			cell = st.bold.Render(cell)
		}
		hb.WriteString(cell)
	}
	out = append(out, fit(hb.String(), a.w))
	rows := a.bodyRows()
	var b strings.Builder
	for i := a.top; i < nr && i < a.top+rows; i++ {
		b.Reset()
		label := "Total"
		if i < len(a.labels) {
			label = a.labels[i]
		}
		label = ansi.Truncate(label, lw, "…")
		label += strings.Repeat(" ", lw-ansi.StringWidth(label))
		if i == a.row {
			b.WriteString("▸ ")
			b.WriteString(st.bold.Render(label))
		} else {
			b.WriteString("  ")
			b.WriteString(label)
		}
		for j := a.left; j < nc && j < a.left+vc; j++ {
			b.WriteString(a.renderCell(i, j))
		}
		out = append(out, fit(b.String(), a.w))
	}
	if nr == 0 {
		out = append(out, fit(st.muted.Render("nothing to show: no codes, or no documents"), a.w))
	}
	for len(out) < a.h-1 {
		out = append(out, strings.Repeat(" ", a.w))
	}
	info := ""
	if nr > 0 {
		r, c := a.row, a.col
		if r >= len(t.Rows) {
			r = -1
		}
		if c >= len(t.Cols) {
			c = -1
		}
		what := t.Measure
		if a.diagonal(a.row, a.col) {
			what += " (the code's own)"
		}
		info = fmt.Sprintf("%s · %s: %s · enter: its quotes", a.cellName(r, c), what, a.cells[a.row][a.col])
		if a.left > 0 || a.left+vc < nc {
			info += fmt.Sprintf(" · columns %d–%d of %d", a.left+1, min(a.left+vc, nc), nc)
		}
	}
	return append(out[:a.h-1], fit(info, a.w))
}

// shades mark a cell's value by quarters of the largest value, so the
// heatmap reads without colour.
var shades = []string{"░", "▒", "▓", "█"}

func (a *Analysis) renderCell(i, j int) string {
	st := a.st
	s := a.cells[i][j]
	v := a.value(i, j)
	body := i < len(a.table.Rows) && j < len(a.table.Cols)
	shade, level := " ", -1
	if body && v > 0 && a.max > 0 && !a.diagonal(i, j) {
		level = min(int(math.Ceil(v/a.max*4))-1, 3)
		shade = shades[max(level, 0)]
	}
	if body && v == 0 {
		s = "·"
	}
	cell := shade + strings.Repeat(" ", max(a.cw-2-ansi.StringWidth(s), 1)) + s
	switch {
	case i == a.row && j == a.col:
		return " " + st.itemSel.Render(cell)
	case !body:
		return " " + st.bold.Render(cell)
	case a.diagonal(i, j) || v == 0:
		return " " + st.muted.Render(cell)
	case level >= 0:
		return " " + st.heat[level].Render(cell)
	}
	return " " + cell
}

// ShortHelp lists the screen's main keys.
func (a *Analysis) ShortHelp() []key.Binding {
	k := a.keys
	return []key.Binding{k.NextTab, k.Down, k.Right, k.Quotes, k.Measure, k.Columns, k.Close}
}

// FullHelp lists every key of the screen.
func (a *Analysis) FullHelp() [][]key.Binding {
	k := a.keys
	return [][]key.Binding{
		{k.NextTab, k.PrevTab, k.Tab1, k.Tab2, k.Tab3},
		{k.Down, k.Up, k.Right, k.Left, k.PageDown, k.PageUp, k.Top, k.Bottom},
		{k.Quotes, k.Measure, k.Columns, k.Subcodes, figureKey, k.Close},
	}
}

// attrKeys lists the attribute keys of the documents, sorted.
func attrKeys(docs []coding.Document) []string {
	seen := map[string]bool{}
	var out []string
	for _, d := range docs {
		for _, a := range d.Attributes {
			if !seen[a.Key] {
				seen[a.Key] = true
				out = append(out, a.Key)
			}
		}
	}
	sort.Strings(out)
	return out
}

// figureKey writes the table on screen as a figure.
var figureKey = kb([]string{"F"}, "F", "save as a figure (SVG in exports/)")

// saveFigure writes the table on screen, as it is asked (measure,
// columns, sub-codes, coder), as an SVG figure into the project's
// exports/ folder, and says where in the status bar. The same table
// makes the same file under the same name.
func (a *Analysis) saveFigure() tea.Cmd {
	say := func(msg sayMsg) tea.Cmd { return func() tea.Msg { return msg } }
	if a.busy || a.dir == "" {
		return say(sayMsg{text: "the table is still being computed"})
	}
	var (
		fig  *figures.Figure
		err  error
		name string
	)
	switch {
	case a.tab == tabFreq && len(a.stats) > 0:
		m := freqMeasures[a.measure]
		fig, err = figures.FrequenciesOf(a.stats, figures.Options{Measure: m, Subcodes: a.subcodes, Coder: a.coder})
		name = "frequencies-" + m
		if a.subcodes {
			name += "-subcodes"
		}
	case a.tab != tabFreq && a.table != nil && a.tableTab() == a.tab && len(a.table.Rows) > 0:
		fig, err = figures.TableOf(a.table, figures.Options{})
		name = a.table.Kind + "-" + a.table.Measure
		if a.table.Kind == "cooc" {
			name = "cooc-" + a.table.Within + "-" + a.table.Measure
		} else if a.table.ColKind != coding.ColsDocuments {
			name = "matrix-" + a.table.ColKind + "-" + a.table.Measure
		}
	default:
		return say(sayMsg{text: "no table to save as a figure"})
	}
	if err != nil {
		return say(sayMsg{err: err})
	}
	if a.coder != "" {
		name += "-" + a.coder
	}
	dir := filepath.Join(a.dir, "exports")
	path := filepath.Join(dir, "figure-"+fileSafe(name)+".svg")
	return func() tea.Msg {
		svg, err := fig.SVG()
		if err == nil {
			err = writePrivate(dir, path, svg)
		}
		if err != nil {
			return sayMsg{err: fmt.Errorf("figure: %w", err)}
		}
		return sayMsg{text: "figure written to " + path}
	}
}

// writePrivate writes data to path in dir, making dir (0700) if need be;
// the file is 0600.
func writePrivate(dir, path string, data []byte) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(path, 0o600)
	}
	return err
}

// fileSafe keeps letters, digits and dashes of s, and makes the rest
// dashes.
func fileSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' {
			return r
		}
		return '-'
	}, s)
}

func (a *Analysis) active() bool { return a.Visible() }

func (a *Analysis) update(m *Model, msg tea.Msg) tea.Cmd {
	return screenKey(m, msg, func(km tea.KeyMsg) tea.Cmd { _, cmd := a.Update(km); return cmd })
}

func (a *Analysis) view(*Model, func() []string) []string { return a.Lines() }

func (a *Analysis) resize(w, h int) { a.SetSize(w, bodyHeight(h)) }

// helpKeys: the screen has the keyboard, the panes' keys do nothing.
func (a *Analysis) helpKeys(m *Model) keyMap {
	return layerKeys{own: a, g: m.keys, extra: onlyHelp}
}

func (a *Analysis) name(*Model) string { return "analysis" }

// reload runs the screen's query for the coder shown in the workbench.
func (a *Analysis) reload(m *Model) tea.Cmd {
	a.SetContext(m.coderView, attrKeys(m.docs.Docs()))
	a.dir = m.store.Dir()
	return analysisCmd(m.ctx, m.store, a.Request())
}

func (a *Analysis) receive(m *Model, msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case analysisAskMsg:
		return a.reload(m), true
	case analysisMsg:
		a.SetResult(msg)
		return nil, true
	case analysisCellMsg:
		// The quotes behind a bar or cell; closing them comes back here.
		a.Close()
		m.fromAnalysis = true
		seq := m.retrieve.OpenCell(msg.title)
		return cellQuotesCmd(m.ctx, m.store, seq, msg, m.coderView), true
	}
	return nil, false
}
