package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/qcode-dev/qcode/coding"
)

// The analysis commands: stats, matrix, cooc. Each prints one table, as
// aligned text on the terminal or as CSV, JSON or Markdown. They only
// read the project; the global --coder, when given, keeps that coder's
// codings (see coderFilter; without it every coder's codings count).

// tableOpts are the output flags the analysis commands share.
type tableOpts struct {
	format string
	json   bool
	width  int
}

func (o *tableOpts) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&o.format, "format", "table", "table, csv, json or md")
	cmd.Flags().BoolVar(&o.json, "json", false, "same as --format json")
	cmd.Flags().IntVar(&o.width, "width", 0, "wrap the table's columns at this width (default: the terminal's width; 0 when not a terminal: no wrapping)")
}

func (o *tableOpts) check() error {
	if o.json {
		o.format = "json"
	}
	switch o.format {
	case "table", "csv", "json", "md":
		return nil
	}
	return fmt.Errorf("unknown format %q (table, csv, json, md)", o.format)
}

// termWidth is the width to wrap tables at: --width, else the terminal's.
func (a *app) termWidth(o *tableOpts) int {
	if o.width > 0 {
		return o.width
	}
	if f, ok := unwrap(a.stdout).(*os.File); ok && isTerminal(f) {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
			return w
		}
	}
	return 0
}

func (a *app) statsCmd() *cobra.Command {
	var o tableOpts
	var subcodes, allVersions bool
	var attrs []string
	cmd := &cobra.Command{
		Use:   "stats",
		Short: "Count each code's codings, documents, participants and words coded, by coder",
		Long: `For every code of the codebook: how many codings it has, in how many
documents, from how many participants, and how many words they cover,
then the codings of each coder.

Participants are told apart by the 'participant' attribute; a document
without one counts as a participant of its own. Words coded count each
word once, however many codings overlap it. Counts are of the code's own
codings, as in 'qcode codes'; --subcodes counts a code's sub-codes with
it. --json prints both, and each coder's counts in full.

The last line, all codes, counts every coding once, and each document,
participant and word coded with any code once, however many codes it
has (in --json: "total").

Only the latest version of each document counts: codings left on an
earlier version (see 'qcode doc orphans') are not counted, unless
--all-versions counts them too, each such version as a document of its own.

With --coder NAME only that coder's codings count.`,
		Example: `  qcode stats
  qcode stats --subcodes --format csv > stats.csv
  qcode --coder nino stats`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.check(); err != nil {
				return err
			}
			return a.withStore(func(s *coding.Store) error {
				coder, err := a.coderFilter(s)
				if err != nil {
					return err
				}
				st, total, err := s.StatsWithTotal(a.ctx, coding.StatsOptions{Coder: coder, AllVersions: allVersions, Attrs: attrs})
				if err != nil {
					return err
				}
				if o.format == "json" {
					if st == nil {
						st = []coding.CodeStats{}
					}
					return a.printJSON(map[string]any{"coder": coder, "codes": st, "total": total})
				}
				if len(st) == 0 && o.format == "table" {
					fmt.Fprintln(a.stdout, "The codebook is empty: add a code with 'qcode code add NAME'.")
					return nil
				}
				return a.printGrid(statsGrid(st, total, subcodes, o.format == "table"), o)
			})
		},
	}
	o.register(cmd)
	cmd.Flags().BoolVar(&subcodes, "subcodes", false, "count each code's sub-codes with it")
	cmd.Flags().BoolVar(&allVersions, "all-versions", false, allVersionsUsage)
	cmd.Flags().StringArrayVar(&attrs, "attr", nil, attrFilterUsage)
	return cmd
}

// statsGrid lays out Stats: the counts, then the codings of each coder,
// and last the line of all codes together.
func statsGrid(st []coding.CodeStats, total coding.TotalStats, subcodes, tree bool) grid {
	var coders []string
	seen := map[string]bool{}
	for _, c := range st {
		for _, cc := range c.ByCoder {
			if !seen[cc.Coder] {
				seen[cc.Coder] = true
				coders = append(coders, cc.Coder)
			}
		}
	}
	sort.Strings(coders)
	g := grid{corner: "code", heads: []string{"codings", "documents", "participants", "words"}}
	if tree {
		g.corner = "CODE"
		g.heads = []string{"CODINGS", "DOCS", "PARTICIPANTS", "WORDS"}
	}
	for _, c := range coders {
		g.heads = append(g.heads, "by "+c)
	}
	for _, c := range st {
		ct := c.Own
		if subcodes {
			ct = c.WithSubcodes
		}
		row := []string{strconv.Itoa(ct.Codings), strconv.Itoa(ct.Documents), strconv.Itoa(ct.Participants), strconv.Itoa(ct.Words)}
		by := map[string]int{}
		for _, cc := range c.ByCoder {
			by[cc.Coder] = cc.Own.Codings
			if subcodes {
				by[cc.Coder] = cc.WithSubcodes.Codings
			}
		}
		for _, name := range coders {
			row = append(row, strconv.Itoa(by[name]))
		}
		g.labels = append(g.labels, rowLabel(c.Code, tree))
		g.cells = append(g.cells, row)
	}
	row := []string{strconv.Itoa(total.Codings), strconv.Itoa(total.Documents), strconv.Itoa(total.Participants), strconv.Itoa(total.Words)}
	by := map[string]int{}
	for _, cc := range total.ByCoder {
		by[cc.Coder] = cc.Codings
	}
	for _, name := range coders {
		row = append(row, strconv.Itoa(by[name]))
	}
	g.labels = append(g.labels, "all codes")
	if tree {
		g.labels[len(g.labels)-1] = "ALL CODES"
	}
	g.cells = append(g.cells, row)
	g.footer = true
	if tree {
		g.note = "Own codings of each code"
		if subcodes {
			g.note = "Codings of each code with its sub-codes"
		}
		g.note += "; words coded count each word once; a participant is a 'participant' attribute value, else a document.\n" +
			"ALL CODES counts every coding once, and each document, participant and word coded with any code once."
	}
	return g
}

func (a *app) matrixCmd() *cobra.Command {
	var o tableOpts
	var rowsKind string
	var opt coding.MatrixOptions
	cmd := &cobra.Command{
		Use:   "matrix",
		Short: "Count codes by document or by attribute value (code × wave, code × gender...)",
		Long: `A table of codes (rows) against documents or the values of a participant
attribute (columns), with row and column totals.

--cols documents        one column per document
--cols attr:KEY         one column per value of the attribute KEY (for
                        example attr:wave or attr:gender), and a column
                        (none) for documents without it

--measure codings       the number of codings (default)
--measure documents     the number of documents with at least one coding
--measure participants  the number of participants (the 'participant'
                        attribute; else each document is one) in those
                        documents
--measure percent       the share of the column's documents, coded or not,
                        with at least one coding: 100 × documents with the
                        code / documents in the column

Totals count each coding, document and participant once: a row total
is over all the documents (for percent: the share of all documents), a
column total over the codings of any row (for percent: the share of the
column's documents with any of the rows' codes).

Rows are the whole codebook, or the codes given with --code, in that
order. Each row counts its code's own codings; --subcodes adds those of
its sub-codes. With --coder NAME only that coder's codings count.

Only the latest version of each document counts, so a document
re-imported as a new version is one column and is counted once;
--all-versions adds a column NAME@VERSION for each earlier version that
still has codings (see 'qcode doc orphans').`,
		Example: `  qcode matrix --cols attr:wave --measure percent
  qcode matrix --cols documents --code "Fear of repression" --code "Reasons for leaving" --subcodes
  qcode matrix --cols attr:gender --format csv > by-gender.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if rowsKind != "codes" {
				return fmt.Errorf("--rows %q: rows can only be codes", rowsKind)
			}
			return a.showTable(o, len(opt.Codes) == 0, func(s *coding.Store, coder string) (*coding.Table, error) {
				opt.Coder = coder
				return s.Matrix(a.ctx, opt)
			})
		},
	}
	o.register(cmd)
	cmd.Flags().StringVar(&rowsKind, "rows", "codes", "what the rows are: codes")
	cmd.Flags().StringVar(&opt.Cols, "cols", "documents", "documents, or attr:KEY for one column per value of an attribute")
	cmd.Flags().StringVar(&opt.Measure, "measure", "codings", "codings, documents, participants or percent")
	cmd.Flags().StringArrayVar(&opt.Codes, "code", nil, "a code to make a row of (repeat for several; default: every code)")
	cmd.Flags().BoolVar(&opt.Subcodes, "subcodes", false, "count each row's sub-codes with it")
	cmd.Flags().BoolVar(&opt.AllVersions, "all-versions", false, allVersionsUsage)
	cmd.Flags().StringArrayVar(&opt.Attrs, "attr", nil, attrFilterUsage)
	return cmd
}

func (a *app) coocCmd() *cobra.Command {
	var o tableOpts
	var opt coding.CoocOptions
	cmd := &cobra.Command{
		Use:   "cooc",
		Short: "Show which codes occur together: code × code co-occurrence",
		Long: `A code × code table of how often two codes occur together.

--within overlap    a coding of one code shares text with a coding of the
                    other, in the same document; cells count such pairs
                    of codings (default)
--within sentence   both codes touch the same sentence; cells count
                    sentences
--within turn       both codes touch the same speaker turn; cells count
                    turns

On the diagonal is the code's own total: its codings (overlap) or the
sentences or turns it touches. A row total is the sum of the row without
the diagonal; the grand total counts each pair of codes once.

--jaccard shows the Jaccard coefficient instead: what both codes share
over what either covers (sentences or turns; for overlap, characters of
text), from 0 (never together) to 1 (always together).

Rows and columns are numbered; the numbers head the columns. With
--coder NAME only that coder's codings count. Only the latest version of
each document counts, unless --all-versions.`,
		Example: `  qcode cooc
  qcode cooc --within sentence --jaccard
  qcode cooc --within turn --code "Fear of repression" --code "Identity loss" --format md`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.showTable(o, len(opt.Codes) == 0, func(s *coding.Store, coder string) (*coding.Table, error) {
				opt.Coder = coder
				return s.Cooc(a.ctx, opt)
			})
		},
	}
	o.register(cmd)
	cmd.Flags().StringVar(&opt.Within, "within", "overlap", "overlap, sentence or turn")
	cmd.Flags().BoolVar(&opt.Jaccard, "jaccard", false, "show the Jaccard coefficient instead of counts")
	cmd.Flags().StringArrayVar(&opt.Codes, "code", nil, "a code to include (repeat for several; default: every code)")
	cmd.Flags().BoolVar(&opt.AllVersions, "all-versions", false, allVersionsUsage)
	cmd.Flags().StringArrayVar(&opt.Attrs, "attr", nil, attrFilterUsage)
	return cmd
}

// allVersionsUsage is the help of the --all-versions flag of the commands
// that count, analyse or export codings: by default only the latest
// version of each document counts.
const allVersionsUsage = "count the codings on documents' earlier versions too (default: only each document's latest version)"

// printTable prints a Matrix or Cooc table in the chosen format. tree
// says the rows are the whole codebook in tree order, so the terminal
// shows them indented by depth rather than as paths.
func (a *app) printTable(t *coding.Table, o tableOpts, tree bool) error {
	if o.format == "json" {
		return a.printJSON(t)
	}
	if o.format == "table" {
		switch {
		case len(t.Rows) == 0:
			fmt.Fprintln(a.stdout, "The codebook is empty: add a code with 'qcode code add NAME'.")
			return nil
		case len(t.Cols) == 0:
			fmt.Fprintln(a.stdout, "The project has no documents yet: add some with 'qcode import FILE...'.")
			return nil
		}
	}
	return a.printGrid(tableGrid(t, tree, o.format == "table"), o)
}

// tableGrid lays out a Table: cells formatted by measure, totals last.
func tableGrid(t *coding.Table, tree, term bool) grid {
	g := grid{corner: "code", heads: append([]string(nil), t.Cols...)}
	cooc := t.Kind == "cooc"
	if term {
		g.corner = "CODE"
		if cooc {
			// Code names head no columns on the terminal: numbers do,
			// and each row carries its number.
			for i := range g.heads {
				g.heads[i] = strconv.Itoa(i + 1)
			}
		}
	}
	totals := t.RowTotals != nil
	if totals {
		g.heads = append(g.heads, "total")
		if term {
			g.heads[len(g.heads)-1] = "TOTAL"
		}
	}
	for i, path := range t.Rows {
		label := rowLabel(path, tree && term)
		if !term {
			label = path
		}
		if cooc && term {
			label = fmt.Sprintf("%*d %s", len(strconv.Itoa(len(t.Rows))), i+1, label)
		}
		var row []string
		for _, v := range t.Cells[i] {
			row = append(row, formatCell(t.Measure, v, term))
		}
		if totals {
			row = append(row, formatCell(t.Measure, t.RowTotals[i], term))
		}
		g.labels = append(g.labels, label)
		g.cells = append(g.cells, row)
	}
	if totals {
		var row []string
		for _, v := range t.ColTotals {
			row = append(row, formatCell(t.Measure, v, term))
		}
		row = append(row, formatCell(t.Measure, t.Total, term))
		g.labels = append(g.labels, "total")
		if term {
			g.labels[len(g.labels)-1] = "TOTAL"
		}
		g.cells = append(g.cells, row)
		g.footer = true
	}
	if term {
		g.note = tableNote(t)
		if t.Subcodes {
			g.note += " Each row counts its code's sub-codes too."
		}
	}
	return g
}

// tableNote says in words what the cells of t hold.
func tableNote(t *coding.Table) string {
	coder := ""
	if t.Coder != "" {
		coder = " (" + t.Coder + "'s codings only)"
	}
	switch t.Measure {
	case coding.MeasureCodings:
		return "Cells: codings of the code" + coder + "; totals count each coding once."
	case coding.MeasureDocuments:
		return "Cells: documents with the code" + coder + "; totals count each document once."
	case coding.MeasureParticipants:
		return "Cells: participants with the code" + coder + "; totals count each participant once."
	case coding.MeasurePercent:
		return "Cells: % of the column's documents with the code" + coder + "; totals: % of all documents."
	case coding.MeasurePairs:
		return "Cells: pairs of overlapping codings" + coder + "; diagonal: the code's codings."
	case coding.MeasureSentences:
		return "Cells: sentences both codes touch" + coder + "; diagonal: sentences the code touches."
	case coding.MeasureTurns:
		return "Cells: speaker turns both codes touch" + coder + "; diagonal: turns the code touches."
	case coding.MeasureJaccard:
		unit := map[string]string{coding.WithinOverlap: "characters", coding.WithinSentence: "sentences", coding.WithinTurn: "turns"}[t.Within]
		return "Cells: Jaccard coefficient over " + unit + " (shared / covered by either)" + coder + "."
	}
	return ""
}

// formatCell prints a value: counts as integers, percentages with one
// decimal and coefficients with three on the terminal and in Markdown,
// and with four in CSV.
func formatCell(measure string, v float64, term bool) string {
	switch measure {
	case coding.MeasurePercent, coding.MeasureJaccard:
		prec := 4
		if term {
			prec = 1
			if measure == coding.MeasureJaccard {
				prec = 3
			}
		}
		if v == 0 {
			return "0"
		}
		return strconv.FormatFloat(v, 'f', prec, 64)
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}

// rowLabel shows a code path as an indented name when the rows are in
// tree order, else as the path.
func rowLabel(path string, tree bool) string {
	if !tree {
		return path
	}
	depth := strings.Count(path, "/")
	return strings.Repeat("  ", depth) + path[strings.LastIndex(path, "/")+1:]
}

// grid is a table ready to print: a label column (corner is its head),
// heads over the value columns, cells, and a note under it.
type grid struct {
	corner string
	heads  []string
	labels []string
	cells  [][]string
	// footer marks the last row as the totals.
	footer bool
	note   string
}

func (a *app) printGrid(g grid, o tableOpts) error {
	switch o.format {
	case "csv":
		w := csv.NewWriter(a.stdout)
		w.Write(append([]string{g.corner}, g.heads...))
		for i, l := range g.labels {
			w.Write(append([]string{l}, g.cells[i]...))
		}
		w.Flush()
		return w.Error()
	case "md":
		esc := func(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
		var b strings.Builder
		b.WriteString("| " + esc(g.corner))
		for _, h := range g.heads {
			b.WriteString(" | " + esc(h))
		}
		b.WriteString(" |\n|---")
		for range g.heads {
			b.WriteString("|---:")
		}
		b.WriteString("|\n")
		for i, l := range g.labels {
			if g.footer && i == len(g.labels)-1 {
				l = "**" + l + "**"
			}
			b.WriteString("| " + esc(l))
			for _, c := range g.cells[i] {
				b.WriteString(" | " + c)
			}
			b.WriteString(" |\n")
		}
		_, err := io.WriteString(a.stdout, b.String())
		return err
	}
	_, err := io.WriteString(a.stdout, renderGrid(g, a.termWidth(&o)))
	return err
}

// Widths on the terminal: a code column up to labelMax cells, and column
// heads up to headMax cells unless the values are wider.
const (
	labelMax = 44
	headMax  = 12
)

// renderGrid aligns g for the terminal: labels left, numbers right,
// widths measured in terminal cells (Cyrillic and wide characters line
// up). Long heads are abbreviated; when the table is wider than width
// (0: no limit), its columns wrap into panels that each repeat the code
// column.
func renderGrid(g grid, width int) string {
	lw := ansi.StringWidth(g.corner)
	for _, l := range g.labels {
		lw = max(lw, ansi.StringWidth(l))
	}
	lw = min(lw, labelMax)
	if width > 0 {
		lw = min(lw, max(width/2, 16))
	}
	ws := make([]int, len(g.heads))
	for j, h := range g.heads {
		w := 1
		for _, row := range g.cells {
			w = max(w, ansi.StringWidth(row[j]))
		}
		ws[j] = max(w, min(ansi.StringWidth(h), max(w, headMax)))
	}
	heads := abbreviate(g.heads, ws)
	// Split the columns into panels that fit the width.
	var panels [][2]int
	for lo := 0; lo < len(ws) || lo == 0; {
		hi, used := lo, lw
		for hi < len(ws) && (hi == lo || width <= 0 || used+2+ws[hi] <= width) {
			used += 2 + ws[hi]
			hi++
		}
		panels = append(panels, [2]int{lo, hi})
		if hi >= len(ws) {
			break
		}
		lo = hi
	}
	var b strings.Builder
	line := func(label string, vals []string, lo, hi int) {
		b.WriteString(fitLabel(label, lw))
		for j := lo; j < hi; j++ {
			b.WriteString("  ")
			b.WriteString(strings.Repeat(" ", ws[j]-ansi.StringWidth(vals[j])))
			b.WriteString(vals[j])
		}
		b.WriteString("\n")
	}
	for p, pn := range panels {
		if p > 0 {
			b.WriteString("\n")
		}
		line(g.corner, heads, pn[0], pn[1])
		for i, l := range g.labels {
			line(l, g.cells[i], pn[0], pn[1])
		}
	}
	if g.note != "" {
		b.WriteString("\n" + g.note + "\n")
	}
	return b.String()
}

// fitLabel pads a label to w cells, cutting a long one: a path loses its
// start, so the code's own name stays; a name loses its end.
func fitLabel(s string, w int) string {
	sw := ansi.StringWidth(s)
	if sw > w {
		if strings.Contains(strings.TrimSpace(s), "/") {
			s = "…" + ansi.TruncateLeft(s, sw-w+1, "")
		} else {
			s = ansi.Truncate(s, w, "…")
		}
		sw = ansi.StringWidth(s)
	}
	return s + strings.Repeat(" ", max(0, w-sw))
}

// abbreviate cuts each head to its column's width: the end goes first
// ("September" → "Sept…"), but heads that would then read the same keep
// their start and end ("interview-01…" → "inter…ew-01").
func abbreviate(heads []string, ws []int) []string {
	out := make([]string, len(heads))
	count := map[string]int{}
	for j, h := range heads {
		out[j] = h
		if ansi.StringWidth(h) > ws[j] {
			out[j] = ansi.Truncate(h, ws[j], "…")
		}
		count[out[j]]++
	}
	for j, h := range heads {
		if out[j] == h || count[out[j]] < 2 || ws[j] < 3 {
			continue
		}
		sw := ansi.StringWidth(h)
		left := (ws[j] - 1) / 2
		right := ws[j] - 1 - left
		out[j] = ansi.Truncate(h, left, "") + "…" + ansi.TruncateLeft(h, sw-right, "")
	}
	return out
}

// showTable checks the output options, runs query with the command's coder
// filter and prints the table it returns; tree says the rows are the
// whole codebook in tree order (see printTable).
func (a *app) showTable(o tableOpts, tree bool, query func(s *coding.Store, coder string) (*coding.Table, error)) error {
	if err := o.check(); err != nil {
		return err
	}
	return a.withStore(func(s *coding.Store) error {
		coder, err := a.coderFilter(s)
		if err != nil {
			return err
		}
		t, err := query(s, coder)
		if err != nil {
			return err
		}
		return a.printTable(t, o, tree)
	})
}

// attrFilterUsage is the help of --attr on the commands that count,
// analyse or draw codings: the documents they take in.
const attrFilterUsage = "only documents with attribute KEY=VALUE (repeat: all of them)"
