package figures

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/coding/agree"
)

// Default cuts: how many rows and columns a figure shows unless told.
const (
	DefaultTopBars = 60
	DefaultTopRows = 40
	DefaultTopCols = 30
)

// Frequencies makes a bar chart of each code's codings, documents,
// participants or words (Options.Measure), in codebook order with
// sub-codes under their parent, or largest first.
func Frequencies(ctx context.Context, s *coding.Store, opt Options) (*Figure, error) {
	if err := checkStyle(opt); err != nil {
		return nil, err
	}
	if _, err := freqMeasure(opt.Measure); err != nil {
		return nil, err
	}
	keep, err := selectCodes(ctx, s, opt.Codes)
	if err != nil {
		return nil, err
	}
	st, _, err := s.StatsWithTotal(ctx, coding.StatsOptions{Coder: opt.Coder, AllVersions: opt.AllVersions, Attrs: opt.Attrs})
	if err != nil {
		return nil, fmt.Errorf("figure frequencies: %w", err)
	}
	if keep != nil {
		st = slices.DeleteFunc(st, func(c coding.CodeStats) bool { return !keep[c.CodeID] })
	}
	return FrequenciesOf(st, opt)
}

// FrequenciesOf makes a bar chart of frequencies already counted (by
// Store.Stats), with Options.Measure, Subcodes, Sort and the style.
func FrequenciesOf(st []coding.CodeStats, opt Options) (*Figure, error) {
	if err := checkStyle(opt); err != nil {
		return nil, err
	}
	measure, err := freqMeasure(opt.Measure)
	if err != nil {
		return nil, err
	}
	rows := make([]freqRow, len(st))
	for i, c := range st {
		ct := c.Own
		if opt.Subcodes {
			ct = c.WithSubcodes
		}
		v := map[string]int{"codings": ct.Codings, "documents": ct.Documents, "participants": ct.Participants, "words": ct.Words}[measure]
		rows[i] = freqRow{path: c.Code, name: c.Name, depth: c.Depth, val: float64(v)}
	}
	return freqFigure(rows, measure, opt)
}

// freqRow is one bar before the cut.
type freqRow struct {
	path, name string
	depth      int
	val        float64
}

func freqMeasure(m string) (string, error) {
	switch m {
	case "":
		return "codings", nil
	case "codings", "documents", "participants", "words":
		return m, nil
	}
	return "", fmt.Errorf("%w: measure %q for frequencies: want codings, documents, participants or words", ErrInvalid, m)
}

func freqFigure(rows []freqRow, measure string, opt Options) (*Figure, error) {
	switch opt.Sort {
	case "", "tree", "value":
	default:
		return nil, fmt.Errorf("%w: sort %q: want tree or value", ErrInvalid, opt.Sort)
	}
	total := len(rows)
	vals := make([]float64, len(rows))
	for i, r := range rows {
		vals[i] = r.val
	}
	kept := topIndexes(vals, limit(opt.Top, DefaultTopBars))
	byValue := opt.Sort == "value"
	if byValue {
		sort.SliceStable(kept, func(a, b int) bool { return vals[kept[a]] > vals[kept[b]] })
	}
	f := &Figure{Kind: KindFrequencies, opt: opt, lo: 0}
	for _, i := range kept {
		r := rows[i]
		f.rows = append(f.rows, r.path)
		f.depth = append(f.depth, 0)
		if !byValue {
			f.paths = append(f.paths, r.path)
			f.names = append(f.names, r.name)
		}
		f.vals = append(f.vals, r.val)
		f.hi = max(f.hi, r.val)
	}
	f.relabel()
	f.format = func(v float64) string { return strconv.FormatFloat(v, 'f', 0, 64) }
	f.axis = map[string]string{"codings": "Codings", "documents": "Documents", "participants": "Participants", "words": "Words coded"}[measure]
	what := map[string]string{"codings": "codings", "documents": "documents with the code", "participants": "participants with the code", "words": "words coded (each word once)"}[measure]
	sub := "own codings of each code"
	if opt.Subcodes {
		sub = "each code with its sub-codes"
	}
	note := fmt.Sprintf("Bars: %s; %s.", what, sub)
	note += filterNote(opt, true)
	note += cutNote(len(kept), total, "codes", "largest")
	f.Note = note
	return f, nil
}

// Matrix makes a heatmap of codes × documents or codes × the values of
// an attribute (Options.Cols "attr:KEY"), with the numbers in the cells.
func Matrix(ctx context.Context, s *coding.Store, opt Options) (*Figure, error) {
	if err := checkStyle(opt); err != nil {
		return nil, err
	}
	if err := checkMatrix(opt); err != nil {
		return nil, err
	}
	codes, err := codeRefs(ctx, s, opt.Codes)
	if err != nil {
		return nil, err
	}
	t, err := s.Matrix(ctx, coding.MatrixOptions{Cols: opt.Cols, Measure: opt.Measure, Coder: opt.Coder,
		Codes: codes, Subcodes: opt.Subcodes, AllVersions: opt.AllVersions, Attrs: opt.Attrs})
	if err != nil {
		return nil, fmt.Errorf("figure matrix: %w", err)
	}
	return TableOf(t, opt)
}

func checkMatrix(opt Options) error {
	switch opt.Measure {
	case "", coding.MeasureCodings, coding.MeasureDocuments, coding.MeasureParticipants, coding.MeasurePercent:
	default:
		return fmt.Errorf("%w: measure %q for a matrix: want codings, documents, participants or percent", ErrInvalid, opt.Measure)
	}
	switch opt.Percent {
	case "", "row", "col":
	default:
		return fmt.Errorf("%w: percent %q: want row or col", ErrInvalid, opt.Percent)
	}
	if opt.Percent != "" && opt.Measure == coding.MeasurePercent {
		return fmt.Errorf("%w: row or column percentages are of counts, not of the percent measure", ErrInvalid)
	}
	if opt.Cols != "" && opt.Cols != coding.ColsDocuments && !strings.HasPrefix(opt.Cols, coding.ColsAttrPrefix) {
		return fmt.Errorf("%w: columns %q: want documents or attr:KEY", ErrInvalid, opt.Cols)
	}
	return nil
}

// Cooc makes a heatmap of how often codes occur together, its codes
// ordered by a hierarchical clustering so that codes that occur together
// sit together.
func Cooc(ctx context.Context, s *coding.Store, opt Options) (*Figure, error) {
	if err := checkStyle(opt); err != nil {
		return nil, err
	}
	jaccard, err := coocMeasure(opt.Measure)
	if err != nil {
		return nil, err
	}
	codes, err := codeRefs(ctx, s, opt.Codes)
	if err != nil {
		return nil, err
	}
	co := coding.CoocOptions{Within: opt.Within, Coder: opt.Coder, Jaccard: jaccard, Codes: codes, AllVersions: opt.AllVersions, Attrs: opt.Attrs}
	t, err := s.Cooc(ctx, co)
	if err != nil {
		return nil, fmt.Errorf("figure cooc: %w", err)
	}
	sim := t
	if !jaccard {
		co.Jaccard = true
		if sim, err = s.Cooc(ctx, co); err != nil {
			return nil, fmt.Errorf("figure cooc: %w", err)
		}
	}
	return coocFigure(t, sim, opt)
}

func coocMeasure(m string) (jaccard bool, err error) {
	switch m {
	case "", "counts", coding.MeasurePairs, coding.MeasureSentences, coding.MeasureTurns:
		return false, nil
	case coding.MeasureJaccard:
		return true, nil
	}
	return false, fmt.Errorf("%w: measure %q for co-occurrence: want counts or jaccard", ErrInvalid, m)
}

// TableOf makes a heatmap of a table already computed: a Matrix, or a
// Cooc (clustered on its Jaccard coefficients, or for counts on the
// share of each pair's co-occurrences in the two codes' totals).
func TableOf(t *coding.Table, opt Options) (*Figure, error) {
	if err := checkStyle(opt); err != nil {
		return nil, err
	}
	if t == nil {
		return nil, fmt.Errorf("%w: no table", ErrInvalid)
	}
	if t.Kind == "cooc" {
		return coocFigure(t, t, opt)
	}
	switch opt.Percent {
	case "", "row", "col":
	default:
		return nil, fmt.Errorf("%w: percent %q: want row or col", ErrInvalid, opt.Percent)
	}
	cells := make([][]float64, len(t.Rows))
	for i := range t.Rows {
		cells[i] = slices.Clone(t.Cells[i])
	}
	pct := opt.Percent != "" && t.Measure != coding.MeasurePercent
	if pct {
		toPercent(cells, opt.Percent == "row")
	}
	rowSums := make([]float64, len(t.Rows))
	colSums := make([]float64, len(t.Cols))
	for i, row := range t.Cells {
		for j, v := range row {
			rowSums[i] += v
			colSums[j] += v
		}
	}
	rows := topIndexes(rowSums, limit(opt.Top, DefaultTopRows))
	cols := topIndexes(colSums, limit(opt.TopCols, DefaultTopCols))
	f := &Figure{Kind: KindMatrix, opt: opt}
	for _, i := range rows {
		f.rows = append(f.rows, t.Rows[i])
		row := make([]float64, len(cols))
		for k, j := range cols {
			row[k] = cells[i][j]
		}
		f.cells = append(f.cells, row)
	}
	for _, j := range cols {
		f.cols = append(f.cols, t.Cols[j])
	}
	what := map[string]string{
		coding.MeasureCodings:      "codings of the code",
		coding.MeasureDocuments:    "documents with the code",
		coding.MeasureParticipants: "participants with the code",
		coding.MeasurePercent:      "% of the column's documents with the code",
	}[t.Measure]
	f.legend = map[string]string{coding.MeasureCodings: "Codings", coding.MeasureDocuments: "Documents",
		coding.MeasureParticipants: "Participants", coding.MeasurePercent: "% of documents"}[t.Measure]
	f.format = func(v float64) string { return strconv.FormatFloat(v, 'f', 0, 64) }
	if t.Measure == coding.MeasurePercent || pct {
		f.format = formatPercent
	}
	note := "Cells: " + what
	if pct {
		side := map[string]string{"row": "row", "col": "column"}[opt.Percent]
		note = "Cells: " + what + ", as % of the " + side + "'s sum"
		f.legend = "% of " + side
	}
	if t.Subcodes {
		note += "; each row counts its sub-codes too"
	}
	note += "; empty cells: 0."
	if t.Coder != "" {
		opt.Coder = t.Coder
	}
	note += filterNote(opt, true)
	colWhat := "documents"
	if strings.HasPrefix(t.ColKind, coding.ColsAttrPrefix) {
		colWhat = "values of " + strings.TrimPrefix(t.ColKind, coding.ColsAttrPrefix)
	}
	note += cutNote(len(rows), len(t.Rows), "codes", "with the most")
	note += cutNote(len(cols), len(t.Cols), colWhat, "with the most")
	f.Note = note
	return f, nil
}

// toPercent turns counts into percentages of their row's or column's sum.
func toPercent(cells [][]float64, byRow bool) {
	if len(cells) == 0 {
		return
	}
	sums := make([]float64, max(len(cells), len(cells[0])))
	for i, row := range cells {
		for j, v := range row {
			if byRow {
				sums[i] += v
			} else {
				sums[j] += v
			}
		}
	}
	for i, row := range cells {
		for j, v := range row {
			s := sums[j]
			if byRow {
				s = sums[i]
			}
			if s > 0 {
				row[j] = 100 * v / s
			}
		}
	}
}

func formatPercent(v float64) string {
	if v == 0 {
		return "0"
	}
	if v >= 9.95 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}

// coocFigure cuts a Cooc to its most used codes and orders them by
// clustering on sim, a Cooc of the same codes (Jaccard, or counts).
func coocFigure(t, sim *coding.Table, opt Options) (*Figure, error) {
	n := len(t.Rows)
	diag := make([]float64, n)
	for i := range n {
		diag[i] = t.Cells[i][i]
		if t.Measure == coding.MeasureJaccard && t.RowTotals == nil {
			// Jaccard's diagonal is 1 for every used code: rank by how
			// much each code shares with the others instead.
			diag[i] = 0
			for j := range n {
				if j != i {
					diag[i] += t.Cells[i][j]
				}
			}
		}
	}
	kept := topIndexes(diag, limit(opt.Top, DefaultTopRows))
	// Similarity of the kept codes.
	s := make([][]float64, len(kept))
	for a, i := range kept {
		s[a] = make([]float64, len(kept))
		for b, j := range kept {
			s[a][b] = similarity(sim, i, j)
		}
	}
	names := make([]string, len(kept))
	for a, i := range kept {
		names[a] = t.Rows[i]
	}
	order := clusterOrder(s, names)
	f := &Figure{Kind: KindCooc, opt: opt, diag: true}
	for _, a := range order {
		i := kept[a]
		f.rows = append(f.rows, t.Rows[i])
		row := make([]float64, len(order))
		for k, b := range order {
			row[k] = t.Cells[i][kept[b]]
		}
		f.cells = append(f.cells, row)
	}
	for i := range f.rows {
		f.cols = append(f.cols, strconv.Itoa(i+1))
	}
	unit := map[string]string{coding.WithinOverlap: "characters", coding.WithinSentence: "sentences", coding.WithinTurn: "turns"}[t.Within]
	switch t.Measure {
	case coding.MeasureJaccard:
		f.format = func(v float64) string {
			switch {
			case v == 0:
				return "0"
			case v >= 0.995:
				return "1"
			}
			return strings.TrimPrefix(strconv.FormatFloat(v, 'f', 2, 64), "0")
		}
		f.legend = "Jaccard"
		f.Note = "Cells: Jaccard coefficient over " + unit + " (shared / covered by either); diagonal (gray): 1."
	default:
		f.format = func(v float64) string { return strconv.FormatFloat(v, 'f', 0, 64) }
		f.legend = map[string]string{coding.MeasurePairs: "Pairs", coding.MeasureSentences: "Sentences", coding.MeasureTurns: "Turns"}[t.Measure]
		f.Note = map[string]string{
			coding.MeasurePairs:     "Cells: pairs of overlapping codings; diagonal (gray): the code's codings.",
			coding.MeasureSentences: "Cells: sentences both codes touch; diagonal (gray): sentences the code touches.",
			coding.MeasureTurns:     "Cells: speaker turns both codes touch; diagonal (gray): turns the code touches.",
		}[t.Measure]
	}
	f.Note += " Empty cells: 0. Codes are ordered by clustering (average linkage on 1 − Jaccard), so codes that occur together sit together."
	if t.Coder != "" {
		opt.Coder = t.Coder
	}
	f.Note += filterNote(opt, true)
	f.Note += cutNote(len(kept), n, "codes", "used most")
	return f, nil
}

// similarity is how alike codes i and j of a Cooc are, from 0 to 1: the
// Jaccard coefficient, or for counts the pair's count over the two codes'
// totals less it.
func similarity(t *coding.Table, i, j int) float64 {
	if i == j {
		return 1
	}
	v := t.Cells[i][j]
	if t.Measure == coding.MeasureJaccard {
		return v
	}
	union := t.Cells[i][i] + t.Cells[j][j] - v
	if union <= 0 {
		return 0
	}
	return min(1, max(0, v/union))
}

// Agreement makes a dot plot of each code's agreement between coders
// (Krippendorff's alpha, or kappa), with reference lines at 0.667 and
// 0.8.
func Agreement(ctx context.Context, s *coding.Store, opt Options) (*Figure, error) {
	if err := checkStyle(opt); err != nil {
		return nil, err
	}
	if _, err := agreeMeasure(opt.Measure); err != nil {
		return nil, err
	}
	if opt.Coder != "" {
		return nil, fmt.Errorf("%w: agreement compares coders: name them with --coders, not --coder", ErrInvalid)
	}
	unit, err := agreeUnit(opt.Unit)
	if err != nil {
		return nil, err
	}
	codes, err := codeRefs(ctx, s, opt.Codes)
	if err != nil {
		return nil, err
	}
	r, err := agree.Compute(ctx, s, agree.Options{Coders: opt.Coders, Codes: codes, Unit: unit, Overlap: opt.Overlap, AllVersions: opt.AllVersions, Attrs: opt.Attrs})
	if err != nil {
		return nil, fmt.Errorf("figure agreement: %w", err)
	}
	return AgreementOf(r, opt)
}

func agreeMeasure(m string) (string, error) {
	switch m {
	case "", "alpha":
		return "alpha", nil
	case "kappa":
		return m, nil
	}
	return "", fmt.Errorf("%w: measure %q for agreement: want alpha or kappa", ErrInvalid, m)
}

// Agreement reference lines: Krippendorff's thresholds for tentative
// conclusions and for reliable data.
const (
	RefTentative = 0.667
	RefReliable  = 0.8
)

// AgreementOf makes the dot plot of an agreement report already computed.
// Codes nobody coded are left out, and said to be.
func AgreementOf(r *agree.Report, opt Options) (*Figure, error) {
	if err := checkStyle(opt); err != nil {
		return nil, err
	}
	measure, err := agreeMeasure(opt.Measure)
	if err != nil {
		return nil, err
	}
	name := "Krippendorff's α"
	if measure == "kappa" {
		name = "Fleiss' κ"
		if len(r.Coders) == 2 {
			name = "Cohen's κ"
		}
	}
	var rows []string
	var vals, used []float64
	unused := 0
	for _, c := range r.Codes {
		n := 0
		for _, k := range c.Codings {
			n += k
		}
		if n == 0 {
			unused++
			continue
		}
		v := c.Stats.Alpha
		if measure == "kappa" {
			v = c.Stats.Fleiss
			if len(r.Coders) == 2 {
				v = c.Stats.Cohen
			}
		}
		rows = append(rows, c.Code)
		vals = append(vals, v)
		used = append(used, float64(n))
	}
	kept := topIndexes(used, limit(opt.Top, DefaultTopBars))
	f := &Figure{Kind: KindAgreement, opt: opt, refs: []float64{RefTentative, RefReliable}, lo: 0, hi: 1}
	for _, i := range kept {
		f.rows = append(f.rows, rows[i])
		f.depth = append(f.depth, 0)
		f.vals = append(f.vals, vals[i])
		if !math.IsNaN(vals[i]) && vals[i] < -0.005 {
			f.lo = min(f.lo, math.Floor(vals[i]*5)/5)
		}
	}
	f.format = func(v float64) string {
		if math.IsNaN(v) {
			return "n/a"
		}
		if math.Abs(v) < 0.005 {
			v = 0
		}
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	unitName := map[agree.Unit]string{agree.Char: "characters", agree.Segment: "coded segments", agree.Document: "documents"}[r.Unit]
	f.axis = name + " (unit: " + unitName + ")"
	f.Note = fmt.Sprintf("%s per code between %s, on the %d documents every one of them coded; unit: %s.",
		name, strings.Join(r.Coders, ", "), len(r.Documents), unitName)
	f.Note += " Lines at 0.667 (tentative) and 0.8 (reliable); n/a: undefined (no variation)."
	if unused > 0 {
		f.Note += fmt.Sprintf(" %d %s nobody coded left out.", unused, plural(unused, "code", "codes"))
	}
	f.Note += filterNote(opt, true)
	f.Note += cutNote(len(kept), len(rows), "codes", "coded most")
	return f, nil
}

// selectCodes returns the ids of the codes refs name and their sub-codes,
// or nil (every code) when there are no refs.
func selectCodes(ctx context.Context, s *coding.Store, refs []string) (map[int64]bool, error) {
	if len(refs) == 0 {
		return nil, nil
	}
	tree, err := s.CodeTree(ctx)
	if err != nil {
		return nil, fmt.Errorf("figure: %w", err)
	}
	keep := map[int64]bool{}
	for _, ref := range refs {
		c, err := coding.FindCode(tree, ref)
		if err != nil {
			return nil, err
		}
		for _, d := range tree {
			if d.Path == c.Path || strings.HasPrefix(d.Path, c.Path+"/") {
				keep[d.ID] = true
			}
		}
	}
	return keep, nil
}

// codeRefs is selectCodes as the ids of the codes in codebook order, for
// the tables' Codes; nil for every code.
func codeRefs(ctx context.Context, s *coding.Store, refs []string) ([]string, error) {
	keep, err := selectCodes(ctx, s, refs)
	if err != nil || keep == nil {
		return nil, err
	}
	tree, err := s.CodeTree(ctx)
	if err != nil {
		return nil, fmt.Errorf("figure: %w", err)
	}
	var out []string
	for _, c := range tree {
		if keep[c.ID] {
			out = append(out, strconv.FormatInt(c.ID, 10))
		}
	}
	return out, nil
}

// limit is a cut option's value: def for 0, no limit for -1.
func limit(n, def int) int {
	switch {
	case n == 0:
		return def
	case n < 0:
		return math.MaxInt
	}
	return n
}

// topIndexes returns the indexes of the n largest values, in their
// original order; ties go to the earlier.
func topIndexes(vals []float64, n int) []int {
	idx := make([]int, len(vals))
	for i := range idx {
		idx[i] = i
	}
	if n >= len(vals) {
		return idx
	}
	sort.SliceStable(idx, func(a, b int) bool { return vals[idx[a]] > vals[idx[b]] })
	idx = idx[:n]
	sort.Ints(idx)
	return idx
}

// cutNote says what a cut left out.
func cutNote(shown, of int, what, how string) string {
	if shown >= of {
		return ""
	}
	return fmt.Sprintf(" Showing the %d %s %s of %d.", shown, what, how, of)
}

// filterNote says which filters chose the codings.
func filterNote(opt Options, attrs bool) string {
	var parts []string
	if opt.Coder != "" {
		parts = append(parts, "coder "+opt.Coder)
	}
	if attrs && len(opt.Attrs) > 0 {
		parts = append(parts, "documents with "+strings.Join(opt.Attrs, ", "))
	}
	if len(opt.Codes) > 0 {
		parts = append(parts, "codes "+strings.Join(opt.Codes, ", ")+" and their sub-codes")
	}
	if opt.AllVersions {
		parts = append(parts, "earlier versions of documents included")
	}
	if len(parts) == 0 {
		return ""
	}
	return " Only " + strings.Join(parts, "; ") + "."
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// relabel labels the rows of a tree: a code whose parent is shown goes
// under it, indented, by its name; a code whose parent was cut goes by its
// path, at the left.
func (f *Figure) relabel() {
	if f.paths == nil {
		return
	}
	shown := map[string]int{}
	for i, p := range f.paths {
		f.rows[i], f.depth[i] = p, 0
		if k := strings.LastIndex(p, "/"); k > 0 {
			if j, ok := shown[p[:k]]; ok {
				f.rows[i], f.depth[i] = f.names[i], f.depth[j]+1
			}
		}
		shown[p] = i
	}
}
