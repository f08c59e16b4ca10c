package coding

// Analysis tables: code frequencies (Stats), code × document or code ×
// attribute value (Matrix), and code co-occurrence (Cooc).
//
// They live in package coding, not a sub-package, because each reads the
// project in one read transaction through the store's unexported loaders,
// so a table is one consistent snapshot. Each query reads the codings in
// one pass and computes in memory by sorting and sweeping; the text of a
// document is read only when words or sentences are counted. Cost grows
// with the number of codings and the length of the coded documents, never
// with codes × documents queries.
//
// The documents analysed are the latest version of every document: only
// the current version counts in analyses, so a document re-imported as a
// new version is counted once, and codings left on an earlier version
// (orphaned ones) are out of the counts. With AllVersions, any older
// version that still carries codings is analysed too, as a document of
// its own. A document's column is labelled by its name, or NAME@VERSION
// for an older version.

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/qcode-dev/qcode/transcripts"
)

// ParticipantKey is the attribute that names a document's participant.
// Documents with the same value are one participant; a document without
// it counts as a participant of its own (its versions are one).
const ParticipantKey = "participant"

// Counts measure a code's use.
type Counts struct {
	// Codings is the number of codings.
	Codings int `json:"codings"`
	// Documents is the number of documents with at least one coding.
	Documents int `json:"documents"`
	// Participants is the number of distinct participants (see
	// ParticipantKey) among those documents.
	Participants int `json:"participants"`
	// Words is the number of words with at least one character inside
	// the code's codings, each word counted once however many codings
	// overlap it. Words are counted as for a document's word count.
	Words int `json:"words"`
}

// CoderCounts are one coder's counts of a code.
type CoderCounts struct {
	Coder        string `json:"coder"`
	Own          Counts `json:"own"`
	WithSubcodes Counts `json:"with_subcodes"`
}

// CodeStats are the counts of one code of the codebook.
type CodeStats struct {
	CodeID int64  `json:"code_id"`
	Code   string `json:"code"`
	Name   string `json:"name"`
	Depth  int    `json:"depth"`
	Color  string `json:"color"`
	// Own counts the code's own codings, as 'qcode codes' does;
	// WithSubcodes counts the codings of the code and all its
	// descendants together (a document or word coded by two of them
	// counts once).
	Own          Counts `json:"own"`
	WithSubcodes Counts `json:"with_subcodes"`
	// ByCoder has one entry per coder with codings of the code or its
	// descendants, by name.
	ByCoder []CoderCounts `json:"by_coder"`
}

// TotalStats are the counts of all codes together: every coding of any
// code once, and each document, participant and word coded with any code
// once, however many codes it has.
type TotalStats struct {
	Counts
	// ByCoder has one entry per coder with codings, by name.
	ByCoder []CoderTotal `json:"by_coder"`
}

// CoderTotal is one coder's counts of all codes together.
type CoderTotal struct {
	Coder string `json:"coder"`
	Counts
}

// StatsOptions filter Stats.
type StatsOptions struct {
	// Coder keeps one coder's codings.
	Coder string
	// Attrs keeps the documents with every one of these attributes
	// ("KEY=VALUE", compared ignoring case, as quotes --attr does).
	Attrs []string
	// AllVersions counts the codings on documents' earlier versions too
	// (each such version as a document of its own); by default only
	// the latest version of each document counts.
	AllVersions bool
}

// Matrix column kinds and measures, and co-occurrence units.
const (
	ColsDocuments = "documents"
	// ColsAttrPrefix followed by an attribute key makes one column per
	// value of the attribute.
	ColsAttrPrefix = "attr:"

	MeasureCodings      = "codings"
	MeasureDocuments    = "documents"
	MeasureParticipants = "participants"
	MeasurePercent      = "percent"

	WithinOverlap  = "overlap"
	WithinSentence = "sentence"
	WithinTurn     = "turn"

	// MeasurePairs, MeasureSentences and MeasureTurns are the measures of
	// a co-occurrence table; MeasureJaccard its Jaccard coefficients.
	MeasurePairs     = "pairs"
	MeasureSentences = "sentences"
	MeasureTurns     = "turns"
	MeasureJaccard   = "jaccard"
)

// NoValue labels the matrix column of documents without the attribute.
const NoValue = "(none)"

// MatrixOptions shape a Matrix.
type MatrixOptions struct {
	// Attrs keeps the documents with every one of these attributes
	// ("KEY=VALUE", compared ignoring case, as quotes --attr does).
	Attrs []string
	// Cols is "documents" (default: one column per document) or
	// "attr:KEY" (one column per value of the attribute KEY, plus a
	// column "(none)" for documents without it).
	Cols string
	// Measure is "codings" (default), "documents", "participants" or
	// "percent".
	Measure string
	// Coder keeps one coder's codings.
	Coder string
	// Codes are the rows (names, paths or ids), in this order; default
	// the whole codebook in tree order.
	Codes []string
	// Subcodes makes a row count the codings of its code's descendants
	// too.
	Subcodes bool
	// AllVersions adds a column (or counts) for each earlier version of
	// a document that carries codings; by default only the latest
	// version of each document counts.
	AllVersions bool
}

// CoocOptions shape a Cooc.
type CoocOptions struct {
	// Attrs keeps the documents with every one of these attributes
	// ("KEY=VALUE", compared ignoring case, as quotes --attr does).
	Attrs []string
	// Within is the unit of co-occurrence: "overlap" (default),
	// "sentence" or "turn".
	Within string
	// Coder keeps one coder's codings.
	Coder string
	// Jaccard fills the cells with Jaccard coefficients instead of counts.
	Jaccard bool
	// Codes are the rows and columns (names, paths or ids), in this
	// order; default the whole codebook in tree order.
	Codes []string
	// AllVersions counts the codings on documents' earlier versions too;
	// by default only the latest version of each document counts.
	AllVersions bool
}

// Table is an analysis table: a Matrix or a Cooc.
//
// A Matrix cell (code, column) holds, by Measure:
//   - codings: the number of the code's codings in the column's documents;
//   - documents: the number of the column's documents with at least one
//     coding of the code;
//   - participants: the number of distinct participants (see
//     ParticipantKey) among those documents;
//   - percent: that number as a percentage of the column's documents
//     (all of them, coded or not): 100 × documents with the code /
//     documents in the column.
//
// Its totals count each coding, document and participant once (a
// participant interviewed in two columns counts once in the row total,
// which is then less than the row's sum): a row total is
// the value over all documents (for percent, the share of all documents
// analysed); a column total is over the codings or documents of any of
// the rows (for percent, the share of the column's documents with any of
// the rows' codes); Total is the same over everything.
//
// A Cooc cell (A, B), A ≠ B, holds, by Measure:
//   - pairs (within overlap): the number of pairs of a coding of A and a
//     coding of B in the same document that share at least one character;
//   - sentences / turns: the number of sentences or speaker turns that
//     both a coding of A and a coding of B touch (share a character with);
//   - jaccard: |A∩B| / |A∪B| over the units: sentences or turns touched,
//     and for overlap the characters coded (the share of the text coded A
//     or B that is coded both).
//
// The diagonal holds the code's own total: its codings (overlap), the
// units it touches (sentence, turn), or 1 for Jaccard when it is used.
// For counts, a row total is the sum of the row without the diagonal and
// Total is the number of co-occurrences with each pair of codes counted
// once (half the sum of the row totals); Jaccard tables have no totals.
type Table struct {
	// Kind is "matrix" or "cooc".
	Kind string `json:"kind"`
	// Measure says what the cells hold (see the constants).
	Measure string `json:"measure"`
	// ColKind is what the columns are: "documents", "attr:KEY" or
	// "codes".
	ColKind string `json:"col_kind"`
	// Within is a Cooc's unit: overlap, sentence or turn.
	Within string `json:"within,omitempty"`
	// Coder is the coder whose codings count, or "" for everyone.
	Coder string `json:"coder,omitempty"`
	// Subcodes reports that a Matrix row counts its code's descendants.
	Subcodes bool `json:"subcodes,omitempty"`
	// AllVersions reports that earlier versions of documents were
	// counted too.
	AllVersions bool        `json:"all_versions,omitempty"`
	Rows        []string    `json:"rows"`
	Cols        []string    `json:"cols"`
	Cells       [][]float64 `json:"cells"`
	RowTotals   []float64   `json:"row_totals,omitempty"`
	ColTotals   []float64   `json:"col_totals,omitempty"`
	Total       float64     `json:"total"`
	// RowCodes are the ids of the rows' codes; ColCodes those of the
	// columns in a Cooc.
	RowCodes []int64 `json:"row_code_ids"`
	ColCodes []int64 `json:"col_code_ids,omitempty"`
	// ColDocs are the ids of each Matrix column's documents.
	ColDocs [][]int64 `json:"col_doc_ids,omitempty"`

	// ids[i][j] are the ids of the codings behind cell (i, j), sorted.
	ids [][][]int64
}

// CodingIDs returns the ids of the codings behind cell (row, col), sorted:
// those counted in it, and in a Cooc the codings of both codes that
// co-occur. A row or column of -1 stands for the totals: (row, -1) is the
// row total, (-1, col) the column total, (-1, -1) the grand total. In a
// Cooc, totals leave out the diagonal.
func (t *Table) CodingIDs(row, col int) []int64 {
	if t == nil || row >= len(t.Rows) || col >= len(t.Cols) || row < -1 || col < -1 {
		return nil
	}
	if row >= 0 && col >= 0 {
		return slices.Clone(t.ids[row][col])
	}
	var parts [][]int64
	for i := range t.Rows {
		if row >= 0 && i != row {
			continue
		}
		for j := range t.Cols {
			if col >= 0 && j != col {
				continue
			}
			if t.Kind == "cooc" && t.RowCodes[i] == t.ColCodes[j] {
				continue
			}
			parts = append(parts, t.ids[i][j])
		}
	}
	return unionIDs(parts...)
}

// CellCodings returns the codings behind a cell of t (see
// Table.CodingIDs), in document order.
func (s *Store) CellCodings(ctx context.Context, t *Table, row, col int) ([]Coding, error) {
	ids := t.CodingIDs(row, col)
	if len(ids) == 0 {
		return nil, nil
	}
	return codingsOf(ctx, s.db, CodingFilter{IDs: ids})
}

// CellQuotes returns the quotes behind a cell of t (see Table.CodingIDs),
// in document order; opt's Cite and Context apply.
func (s *Store) CellQuotes(ctx context.Context, t *Table, row, col int, opt QuoteOptions) ([]Quote, error) {
	ids := t.CodingIDs(row, col)
	if len(ids) == 0 {
		return nil, nil
	}
	opt.CodingIDs = ids
	opt.Coder = ""
	// The ids decide: a table made with AllVersions has codings on
	// earlier versions in its cells.
	opt.AllVersions = true
	return s.Quotes(ctx, nil, opt)
}

// Stats counts, for every code of the codebook in tree order, its
// codings, documents, participants and words coded, on its own and with
// its sub-codes, overall and by coder. A code nobody used has zeros.
func (s *Store) Stats(ctx context.Context, opt StatsOptions) ([]CodeStats, error) {
	out, _, err := s.StatsWithTotal(ctx, opt)
	return out, err
}

// StatsWithTotal is Stats with the counts of all codes together, from
// the same snapshot of the project.
func (s *Store) StatsWithTotal(ctx context.Context, opt StatsOptions) ([]CodeStats, TotalStats, error) {
	var out []CodeStats
	var total TotalStats
	err := s.read(ctx, func(q querier) error {
		c, err := loadCorpus(ctx, q, opt.Coder, opt.AllVersions, opt.Attrs)
		if err != nil {
			return err
		}
		words, err := c.wordSpans(ctx, q)
		if err != nil {
			return err
		}
		out, total = c.stats(words)
		return nil
	})
	if err != nil {
		return nil, TotalStats{}, fmt.Errorf("stats: %w", err)
	}
	return out, total, nil
}

// Matrix counts codes against documents or attribute values (see Table).
func (s *Store) Matrix(ctx context.Context, opt MatrixOptions) (*Table, error) {
	if opt.Cols == "" {
		opt.Cols = ColsDocuments
	}
	if opt.Measure == "" {
		opt.Measure = MeasureCodings
	}
	key, byAttr := strings.CutPrefix(opt.Cols, ColsAttrPrefix)
	key = strings.TrimSpace(key)
	if opt.Cols != ColsDocuments && (!byAttr || key == "") {
		return nil, fmt.Errorf("matrix: %w: columns %q: want documents or attr:KEY (for example attr:wave)", ErrInvalid, opt.Cols)
	}
	switch opt.Measure {
	case MeasureCodings, MeasureDocuments, MeasureParticipants, MeasurePercent:
	default:
		return nil, fmt.Errorf("matrix: %w: measure %q: want codings, documents, participants or percent", ErrInvalid, opt.Measure)
	}
	var t *Table
	err := s.read(ctx, func(q querier) error {
		c, err := loadCorpus(ctx, q, opt.Coder, opt.AllVersions, opt.Attrs)
		if err != nil {
			return err
		}
		rows, err := c.rows(opt.Codes)
		if err != nil {
			return err
		}
		var cols []string
		var colOf []int
		if byAttr {
			cols, colOf, err = c.attrColumns(key)
			if err != nil {
				return err
			}
		} else {
			colOf = make([]int, len(c.docs))
			for i, d := range c.docs {
				cols = append(cols, d.label)
				colOf[i] = i
			}
		}
		t = c.matrix(rows, opt.Subcodes, cols, colOf, opt.Measure)
		t.ColKind, t.Coder, t.Subcodes, t.AllVersions = ColsDocuments, opt.Coder, opt.Subcodes, opt.AllVersions
		if byAttr {
			t.ColKind = ColsAttrPrefix + key
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("matrix: %w", err)
	}
	return t, nil
}

// Cooc counts how often codes occur together (see Table).
func (s *Store) Cooc(ctx context.Context, opt CoocOptions) (*Table, error) {
	if opt.Within == "" {
		opt.Within = WithinOverlap
	}
	switch opt.Within {
	case WithinOverlap, WithinSentence, WithinTurn:
	default:
		return nil, fmt.Errorf("cooc: %w: within %q: want overlap, sentence or turn", ErrInvalid, opt.Within)
	}
	var t *Table
	err := s.read(ctx, func(q querier) error {
		c, err := loadCorpus(ctx, q, opt.Coder, opt.AllVersions, opt.Attrs)
		if err != nil {
			return err
		}
		rows, err := c.rows(opt.Codes)
		if err != nil {
			return err
		}
		switch opt.Within {
		case WithinOverlap:
			t = c.coocOverlap(rows, opt.Jaccard)
		default:
			units, err := c.units(ctx, q, opt.Within)
			if err != nil {
				return err
			}
			t = c.coocUnits(rows, units, opt.Jaccard)
			t.Measure = MeasureSentences
			if opt.Within == WithinTurn {
				t.Measure = MeasureTurns
			}
			if opt.Jaccard {
				t.Measure = MeasureJaccard
			}
		}
		t.Within, t.Coder, t.AllVersions = opt.Within, opt.Coder, opt.AllVersions
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("cooc: %w", err)
	}
	return t, nil
}

// corpus is what the analysis queries read: the codebook, the documents
// analysed, the coders and the codings, as indexes into each other.
type corpus struct {
	codes  []Code
	parent []int // index of each code's parent, or -1
	docs   []anDoc
	nPart  int // participants
	coders []string
	// codings sorted by document (in docs order), start, end, id.
	codings []anCoding
}

type anDoc struct {
	id          int64
	label       string
	participant int
	attrs       []Attribute
}

type anCoding struct {
	id         int64
	doc, code  int
	coder      int
	start, end int
}

// loadCorpus reads what an analysis counts: the latest version of every
// document, and with allVersions the older versions that carry codings.
func loadCorpus(ctx context.Context, q querier, coder string, allVersions bool, attrFilters []string) (*corpus, error) {
	filters, err := ParseAttrFilters(attrFilters)
	if err != nil {
		return nil, err
	}
	codes, err := loadCodebook(ctx, q, false)
	if err != nil {
		return nil, err
	}
	c := &corpus{codes: codes, parent: make([]int, len(codes))}
	codeIdx := make(map[int64]int, len(codes))
	for i, cd := range codes {
		codeIdx[cd.ID] = i
	}
	for i, cd := range codes {
		c.parent[i] = -1
		if p, ok := codeIdx[cd.ParentID]; ok && cd.ParentID != 0 {
			c.parent[i] = p
		}
	}

	// Coders, by name.
	rows, err := q.QueryContext(ctx, "SELECT id, name FROM coders ORDER BY name")
	if err != nil {
		return nil, err
	}
	coderIdx := map[int64]int{}
	coderID := int64(-1)
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			return nil, err
		}
		coderIdx[id] = len(c.coders)
		c.coders = append(c.coders, name)
		if name == coder {
			coderID = id
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if coder != "" && coderID < 0 {
		known := "none yet"
		if len(c.coders) > 0 {
			known = strings.Join(c.coders, ", ")
		}
		return nil, fmt.Errorf("coder %q: %w (coders: %s)", coder, ErrNotFound, known)
	}

	attrs, err := allAttributes(ctx, q)
	if err != nil {
		return nil, err
	}
	// Documents: latest versions, and with allVersions older versions
	// that carry codings; with attribute filters, those that have them.
	rows, err = q.QueryContext(ctx, `SELECT d.id, d.name, d.version,
		d.version = (SELECT max(version) FROM documents v WHERE v.name = d.name),
		EXISTS (SELECT 1 FROM codings g WHERE g.doc_id = d.id)
		FROM documents d ORDER BY d.name, d.version`)
	if err != nil {
		return nil, err
	}
	docIdx := map[int64]int{}
	var names []string
	for rows.Next() {
		var d anDoc
		var name string
		var version int
		var latest, coded bool
		if err := rows.Scan(&d.id, &name, &version, &latest, &coded); err != nil {
			rows.Close()
			return nil, err
		}
		if !latest && (!allVersions || !coded) {
			continue
		}
		if !filters.Match(attrs[d.id]) {
			continue
		}
		d.label = name
		if !latest {
			d.label = name + "@" + strconv.Itoa(version)
		}
		docIdx[d.id] = len(c.docs)
		c.docs = append(c.docs, d)
		names = append(names, name)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	parts := map[string]int{}
	for i := range c.docs {
		d := &c.docs[i]
		d.attrs = attrs[d.id]
		key := "doc\x00" + names[i]
		for _, a := range d.attrs {
			if strings.EqualFold(a.Key, ParticipantKey) && strings.TrimSpace(a.Value) != "" {
				key = "participant\x00" + strings.TrimSpace(a.Value)
			}
		}
		p, ok := parts[key]
		if !ok {
			p = len(parts)
			parts[key] = p
		}
		d.participant = p
	}
	c.nPart = len(parts)

	query := "SELECT id, doc_id, code_id, coder_id, start, end FROM codings"
	var args []any
	if coder != "" {
		query += " WHERE coder_id = ?"
		args = append(args, coderID)
	}
	rows, err = q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var g anCoding
		var docID, codeID, cID int64
		if err := rows.Scan(&g.id, &docID, &codeID, &cID, &g.start, &g.end); err != nil {
			return nil, err
		}
		var ok1, ok2, ok3 bool
		g.doc, ok1 = docIdx[docID]
		g.code, ok2 = codeIdx[codeID]
		g.coder, ok3 = coderIdx[cID]
		if !ok1 || !ok2 || !ok3 {
			continue // a document left out (an earlier version, or by attribute)
		}
		c.codings = append(c.codings, g)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.SortFunc(c.codings, func(a, b anCoding) int {
		if a.doc != b.doc {
			return a.doc - b.doc
		}
		if a.start != b.start {
			return a.start - b.start
		}
		if a.end != b.end {
			return a.end - b.end
		}
		return int(a.id - b.id)
	})
	return c, nil
}

// rows resolves the codes named in refs to code indexes, in order and
// without repeats; no refs means the whole codebook.
func (c *corpus) rows(refs []string) ([]int, error) {
	if len(refs) == 0 {
		rows := make([]int, len(c.codes))
		for i := range rows {
			rows[i] = i
		}
		return rows, nil
	}
	var rows []int
	seen := map[int]bool{}
	for _, ref := range refs {
		i, err := findCode(c.codes, ref)
		if err != nil {
			return nil, err
		}
		if !seen[i] {
			seen[i] = true
			rows = append(rows, i)
		}
	}
	return rows, nil
}

// coded reports which documents have codings in c.codings (after the
// coder filter).
func (c *corpus) coded() []bool {
	has := make([]bool, len(c.docs))
	for _, g := range c.codings {
		has[g.doc] = true
	}
	return has
}

// wordSpans returns the spans of the words of every document with
// codings (nil for the others).
func (c *corpus) wordSpans(ctx context.Context, q querier) ([][]Span, error) {
	out := make([][]Span, len(c.docs))
	err := c.eachText(ctx, q, func(i int, text string) {
		out[i] = WordSpans(text)
	})
	return out, err
}

// eachText calls fn with the text of every document with codings.
func (c *corpus) eachText(ctx context.Context, q querier, fn func(doc int, text string)) error {
	has := c.coded()
	var ids []int64
	idx := map[int64]int{}
	for i, d := range c.docs {
		if has[i] {
			ids = append(ids, d.id)
			idx[d.id] = i
		}
	}
	if len(ids) == 0 {
		return nil
	}
	rows, err := q.QueryContext(ctx, "SELECT id, text FROM documents WHERE id IN ("+joinIDs(ids)+")")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var text string
		if err := rows.Scan(&id, &text); err != nil {
			return err
		}
		fn(idx[id], text)
	}
	return rows.Err()
}

// WordSpans returns the spans, in code points, of the words of s, as
// counted for a document's word count: runs of letters and digits, with
// an apostrophe or hyphen inside a word joining it.
func WordSpans(s string) []Span {
	spans := make([]Span, 0, len(s)/8+1)
	in := false
	start, last, pos := 0, 0, 0
	for _, r := range s {
		w := r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') ||
			r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))
		if w {
			if !in {
				start = pos
			}
			last = pos + 1
		}
		joiner := r == '\'' || r == '-' || r == '’'
		if in && !w && !joiner {
			spans = append(spans, Span{start, last})
		}
		in = w || (in && joiner)
		pos++
	}
	if in {
		spans = append(spans, Span{start, last})
	}
	return spans
}

// wordsIn counts the words of ws (sorted spans) that share a character
// with any of the sorted, disjoint spans.
func wordsIn(ws []Span, spans []Span) int {
	n, next := 0, 0
	for _, sp := range spans {
		lo := next + sort.Search(len(ws)-next, func(i int) bool { return ws[next+i].End > sp.Start })
		hi := lo + sort.Search(len(ws)-lo, func(i int) bool { return ws[lo+i].Start >= sp.End })
		n += hi - lo
		next = max(next, hi)
	}
	return n
}

// statKey identifies what a group of codings is counted for: a code, a
// coder (or -1 for all), own codings or with sub-codes.
type statKey struct {
	code, coder int
	sub         bool
}

func (c *corpus) stats(words [][]Span) ([]CodeStats, TotalStats) {
	nc := len(c.coders)
	// Code index len(c.codes) stands for all codes together.
	all := len(c.codes)
	keyOf := func(k statKey) int {
		s := 0
		if k.sub {
			s = 1
		}
		return ((k.code*(nc+1))+(k.coder+1))*2 + s
	}
	type entry struct {
		key, doc, start, end int
	}
	var entries []entry
	for _, g := range c.codings {
		for _, k := range []statKey{{g.code, -1, false}, {g.code, g.coder, false}, {all, -1, false}, {all, g.coder, false}} {
			entries = append(entries, entry{keyOf(k), g.doc, g.start, g.end})
		}
		for a := g.code; a >= 0; a = c.parent[a] {
			for _, k := range []statKey{{a, -1, true}, {a, g.coder, true}} {
				entries = append(entries, entry{keyOf(k), g.doc, g.start, g.end})
			}
		}
	}
	slices.SortFunc(entries, func(a, b entry) int {
		if a.key != b.key {
			return a.key - b.key
		}
		if a.doc != b.doc {
			return a.doc - b.doc
		}
		return a.start - b.start
	})
	counts := map[int]Counts{}
	partSeen := make([]int, c.nPart) // key+1 when counted for key
	var merged []Span
	for i := 0; i < len(entries); {
		key := entries[i].key
		var ct Counts
		for i < len(entries) && entries[i].key == key {
			doc := entries[i].doc
			ct.Documents++
			if p := c.docs[doc].participant; partSeen[p] != key+1 {
				partSeen[p] = key + 1
				ct.Participants++
			}
			merged = merged[:0]
			for ; i < len(entries) && entries[i].key == key && entries[i].doc == doc; i++ {
				e := entries[i]
				ct.Codings++
				if n := len(merged); n > 0 && e.start <= merged[n-1].End {
					merged[n-1].End = max(merged[n-1].End, e.end)
				} else {
					merged = append(merged, Span{e.start, e.end})
				}
			}
			ct.Words += wordsIn(words[doc], merged)
		}
		counts[key] = ct
	}
	out := make([]CodeStats, len(c.codes))
	for i, cd := range c.codes {
		st := CodeStats{CodeID: cd.ID, Code: cd.Path, Name: cd.Name, Depth: cd.Depth, Color: cd.Color,
			Own: counts[keyOf(statKey{i, -1, false})], WithSubcodes: counts[keyOf(statKey{i, -1, true})],
			ByCoder: []CoderCounts{}}
		for k, name := range c.coders {
			cc := CoderCounts{Coder: name, Own: counts[keyOf(statKey{i, k, false})], WithSubcodes: counts[keyOf(statKey{i, k, true})]}
			if cc.WithSubcodes.Codings > 0 {
				st.ByCoder = append(st.ByCoder, cc)
			}
		}
		out[i] = st
	}
	total := TotalStats{Counts: counts[keyOf(statKey{all, -1, false})], ByCoder: []CoderTotal{}}
	for k, name := range c.coders {
		if ct := counts[keyOf(statKey{all, k, false})]; ct.Codings > 0 {
			total.ByCoder = append(total.ByCoder, CoderTotal{Coder: name, Counts: ct})
		}
	}
	return out, total
}

// attrColumns makes one column per value of the attribute key (sorted as
// numbers when the attribute is numeric, else alphabetically regardless
// of case), plus NoValue for documents
// without it, and returns each document's column.
func (c *corpus) attrColumns(key string) ([]string, []int, error) {
	vals := make([]string, len(c.docs))
	has := make([]bool, len(c.docs))
	numeric, any := true, false
	var keys []string
	seenKey := map[string]bool{}
	for i, d := range c.docs {
		for _, a := range d.attrs {
			if !seenKey[a.Key] {
				seenKey[a.Key] = true
				keys = append(keys, a.Key)
			}
			if strings.EqualFold(a.Key, key) {
				vals[i], has[i], any = a.Value, true, true
				if a.Type != TypeInteger && a.Type != TypeFloat {
					numeric = false
				}
			}
		}
	}
	if !any {
		sort.Strings(keys)
		known := "none"
		if len(keys) > 0 {
			known = strings.Join(keys, ", ")
		}
		return nil, nil, fmt.Errorf("attribute %q: %w: no document has it (attributes: %s)", key, ErrNotFound, known)
	}
	var distinct []string
	seen := map[string]bool{}
	for i, v := range vals {
		if has[i] && !seen[v] {
			seen[v] = true
			distinct = append(distinct, v)
		}
	}
	sort.Slice(distinct, func(i, j int) bool {
		if numeric {
			a, _ := strconv.ParseFloat(distinct[i], 64)
			b, _ := strconv.ParseFloat(distinct[j], 64)
			if a != b {
				return a < b
			}
		}
		if a, b := strings.ToLower(distinct[i]), strings.ToLower(distinct[j]); a != b {
			return a < b
		}
		return distinct[i] < distinct[j]
	})
	col := map[string]int{}
	for i, v := range distinct {
		col[v] = i
	}
	colOf := make([]int, len(c.docs))
	none := false
	for i := range c.docs {
		if has[i] {
			colOf[i] = col[vals[i]]
		} else {
			colOf[i] = len(distinct)
			none = true
		}
	}
	if none {
		distinct = append(distinct, NoValue)
	}
	return distinct, colOf, nil
}

func newGrid(r, c int) [][]float64 {
	g := make([][]float64, r)
	for i := range g {
		g[i] = make([]float64, c)
	}
	return g
}

func newIDGrid(r, c int) [][][]int64 {
	g := make([][][]int64, r)
	for i := range g {
		g[i] = make([][]int64, c)
	}
	return g
}

// rowsOf maps each code to the rows that count it: its own row, and with
// subcodes the rows of its listed ancestors.
func (c *corpus) rowsOf(rows []int, subcodes bool) [][]int {
	rowOf := make([][]int, len(c.codes))
	for r, code := range rows {
		rowOf[code] = append(rowOf[code], r)
	}
	if !subcodes {
		return rowOf
	}
	out := make([][]int, len(c.codes))
	for i := range c.codes {
		for a := i; a >= 0; a = c.parent[a] {
			out[i] = append(out[i], rowOf[a]...)
		}
	}
	return out
}

func (c *corpus) matrix(rows []int, subcodes bool, cols []string, colOf []int, measure string) *Table {
	nr, ncol := len(rows), len(cols)
	t := &Table{Kind: "matrix", Measure: measure, Cols: cols, Cells: newGrid(nr, ncol),
		RowTotals: make([]float64, nr), ColTotals: make([]float64, ncol), ids: newIDGrid(nr, ncol)}
	for _, r := range rows {
		t.Rows = append(t.Rows, c.codes[r].Path)
		t.RowCodes = append(t.RowCodes, c.codes[r].ID)
	}
	t.ColDocs = make([][]int64, ncol)
	docsIn := make([]int, ncol)
	for i, d := range c.docs {
		t.ColDocs[colOf[i]] = append(t.ColDocs[colOf[i]], d.id)
		docsIn[colOf[i]]++
	}
	rowOf := c.rowsOf(rows, subcodes)
	codings := newGrid(nr, ncol)
	docs := newGrid(nr, ncol)
	lastDoc := make([]int, nr)
	for i := range lastDoc {
		lastDoc[i] = -1
	}
	colCodings := make([]float64, ncol)
	colDocs := make([]float64, ncol)
	anyLast := -1
	var allCodings, allDocs float64
	// Participants counted so far: for a cell, a row, a column, overall.
	parts := newGrid(nr, ncol)
	rowParts := make([]float64, nr)
	colParts := make([]float64, ncol)
	var allParts float64
	seen := map[[3]int]bool{}
	first := func(k [3]int) bool {
		if seen[k] {
			return false
		}
		seen[k] = true
		return true
	}
	for _, g := range c.codings {
		rs := rowOf[g.code]
		if len(rs) == 0 {
			continue
		}
		col := colOf[g.doc]
		for _, r := range rs {
			codings[r][col]++
			t.ids[r][col] = append(t.ids[r][col], g.id)
			if lastDoc[r] != g.doc {
				lastDoc[r] = g.doc
				docs[r][col]++
				p := c.docs[g.doc].participant
				if first([3]int{r, col, p}) {
					parts[r][col]++
				}
				if first([3]int{r, -1, p}) {
					rowParts[r]++
				}
			}
		}
		colCodings[col]++
		allCodings++
		if anyLast != g.doc {
			anyLast = g.doc
			colDocs[col]++
			allDocs++
			p := c.docs[g.doc].participant
			if first([3]int{-1, col, p}) {
				colParts[col]++
			}
			if first([3]int{-1, -1, p}) {
				allParts++
			}
		}
	}
	for r := range nr {
		var rowCodings, rowDocs float64
		for j := range ncol {
			rowCodings += codings[r][j]
			rowDocs += docs[r][j]
			switch measure {
			case MeasureCodings:
				t.Cells[r][j] = codings[r][j]
			case MeasureDocuments:
				t.Cells[r][j] = docs[r][j]
			case MeasureParticipants:
				t.Cells[r][j] = parts[r][j]
			case MeasurePercent:
				t.Cells[r][j] = percent(docs[r][j], float64(docsIn[j]))
			}
			slices.Sort(t.ids[r][j])
		}
		switch measure {
		case MeasureCodings:
			t.RowTotals[r] = rowCodings
		case MeasureDocuments:
			t.RowTotals[r] = rowDocs
		case MeasureParticipants:
			t.RowTotals[r] = rowParts[r]
		case MeasurePercent:
			t.RowTotals[r] = percent(rowDocs, float64(len(c.docs)))
		}
	}
	for j := range ncol {
		switch measure {
		case MeasureCodings:
			t.ColTotals[j] = colCodings[j]
		case MeasureDocuments:
			t.ColTotals[j] = colDocs[j]
		case MeasureParticipants:
			t.ColTotals[j] = colParts[j]
		case MeasurePercent:
			t.ColTotals[j] = percent(colDocs[j], float64(docsIn[j]))
		}
	}
	switch measure {
	case MeasureCodings:
		t.Total = allCodings
	case MeasureDocuments:
		t.Total = allDocs
	case MeasureParticipants:
		t.Total = allParts
	case MeasurePercent:
		t.Total = percent(allDocs, float64(len(c.docs)))
	}
	return t
}

func percent(n, of float64) float64 {
	if of == 0 {
		return 0
	}
	return 100 * n / of
}

func (c *corpus) coocTable(rows []int, measure string) *Table {
	n := len(rows)
	t := &Table{Kind: "cooc", Measure: measure, ColKind: "codes", Cells: newGrid(n, n), ids: newIDGrid(n, n)}
	for _, r := range rows {
		t.Rows = append(t.Rows, c.codes[r].Path)
		t.RowCodes = append(t.RowCodes, c.codes[r].ID)
	}
	t.Cols, t.ColCodes = t.Rows, t.RowCodes
	return t
}

// finish sorts and dedupes the cells' coding ids, mirrors the upper
// triangle, and fills the totals of a count table.
func (t *Table) finish(jaccard bool) {
	n := len(t.Rows)
	for i := range n {
		for j := i; j < n; j++ {
			ids := t.ids[i][j]
			slices.Sort(ids)
			ids = slices.Compact(ids)
			t.ids[i][j], t.ids[j][i] = ids, ids
		}
	}
	if jaccard {
		return
	}
	t.RowTotals = make([]float64, n)
	t.ColTotals = make([]float64, n)
	for i := range n {
		for j := range n {
			if i != j {
				t.RowTotals[i] += t.Cells[i][j]
			}
		}
		t.ColTotals[i] = t.RowTotals[i]
		t.Total += t.RowTotals[i]
	}
	t.Total /= 2
}

// coocOverlap counts pairs of overlapping codings, or the Jaccard
// coefficient over coded characters.
func (c *corpus) coocOverlap(rows []int, jaccard bool) *Table {
	measure := MeasurePairs
	if jaccard {
		measure = MeasureJaccard
	}
	t := c.coocTable(rows, measure)
	n := len(rows)
	rowOf := c.rowsOf(rows, false)
	var active []anCoding
	union := make([]float64, n)
	inter := newGrid(n, n)
	// Sweep each document's codings in start order; a coding overlaps
	// the active codings that end after it starts.
	for lo := 0; lo < len(c.codings); {
		hi := lo
		for hi < len(c.codings) && c.codings[hi].doc == c.codings[lo].doc {
			hi++
		}
		active = active[:0]
		var doc []anCoding
		for _, g := range c.codings[lo:hi] {
			if len(rowOf[g.code]) == 0 {
				continue
			}
			doc = append(doc, g)
			ra := rowOf[g.code][0]
			t.Cells[ra][ra]++
			t.ids[ra][ra] = append(t.ids[ra][ra], g.id)
			keep := active[:0]
			for _, h := range active {
				if h.end > g.start {
					keep = append(keep, h)
				}
			}
			active = keep
			for _, h := range active {
				rb := rowOf[h.code][0]
				if rb == ra {
					continue
				}
				t.Cells[ra][rb]++
				t.Cells[rb][ra]++
				i, j := min(ra, rb), max(ra, rb)
				t.ids[i][j] = append(t.ids[i][j], g.id, h.id)
			}
			active = append(active, g)
		}
		if jaccard {
			c.coveredChars(doc, rowOf, union, inter)
		}
		lo = hi
	}
	if jaccard {
		for i := range n {
			for j := range n {
				t.Cells[i][j] = jaccardOf(inter[i][j], union[i], union[j], i == j)
			}
		}
	}
	t.finish(jaccard)
	return t
}

func jaccardOf(both, a, b float64, diagonal bool) float64 {
	if diagonal {
		if a > 0 {
			return 1
		}
		return 0
	}
	if a+b-both == 0 {
		return 0
	}
	return both / (a + b - both)
}

// coveredChars adds to union[r] the characters of one document coded
// with row r, and to inter[r][s] those coded with both r and s.
func (c *corpus) coveredChars(doc []anCoding, rowOf [][]int, union []float64, inter [][]float64) {
	type event struct{ pos, row, delta int }
	events := make([]event, 0, 2*len(doc))
	for _, g := range doc {
		r := rowOf[g.code][0]
		events = append(events, event{g.start, r, 1}, event{g.end, r, -1})
	}
	slices.SortFunc(events, func(a, b event) int { return a.pos - b.pos })
	count := map[int]int{}
	var act []int
	prev := 0
	for k := 0; k < len(events); {
		pos := events[k].pos
		if l := float64(pos - prev); l > 0 {
			for x, a := range act {
				union[a] += l
				for _, b := range act[x+1:] {
					inter[a][b] += l
					inter[b][a] += l
				}
			}
		}
		for ; k < len(events) && events[k].pos == pos; k++ {
			e := events[k]
			count[e.row] += e.delta
			if e.delta > 0 && count[e.row] == 1 {
				act = append(act, e.row)
			}
			if e.delta < 0 && count[e.row] == 0 {
				act = slices.DeleteFunc(act, func(r int) bool { return r == e.row })
			}
		}
		prev = pos
	}
}

// units returns each document's units of co-occurrence, sorted and
// disjoint: its sentences or its speaker turns.
func (c *corpus) units(ctx context.Context, q querier, within string) ([][]Span, error) {
	out := make([][]Span, len(c.docs))
	turns, err := c.allTurns(ctx, q)
	if err != nil {
		return nil, err
	}
	if within == WithinTurn {
		for i, ts := range turns {
			for _, tn := range ts {
				out[i] = append(out[i], Span{tn.Start, tn.End})
			}
		}
		return out, nil
	}
	err = c.eachText(ctx, q, func(i int, text string) {
		out[i] = SentenceSpans(text, turns[i])
	})
	return out, err
}

func (c *corpus) allTurns(ctx context.Context, q querier) ([][]Turn, error) {
	idx := map[int64]int{}
	for i, d := range c.docs {
		idx[d.id] = i
	}
	out := make([][]Turn, len(c.docs))
	rows, err := q.QueryContext(ctx, "SELECT doc_id, n, start, body, end FROM turns ORDER BY doc_id, n")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var t Turn
		if err := rows.Scan(&id, &t.N, &t.Start, &t.Body, &t.End); err != nil {
			return nil, err
		}
		if i, ok := idx[id]; ok {
			out[i] = append(out[i], t)
		}
	}
	return out, rows.Err()
}

// SentenceSpans splits text into sentences, in code points, by the one
// sentence rule of qcode (transcripts.EachSentence): a sentence never
// crosses a turn boundary or a blank line and holds no speaker label; a
// single line break inside a turn does not end it. Turns are sorted and
// disjoint; the text between turns is split the same way. Spans hold no
// leading or trailing white space, and white space alone is no sentence.
func SentenceSpans(text string, turns []Turn) []Span {
	ts := make(transcripts.TurnSpans, len(turns))
	for i, t := range turns {
		ts[i] = transcripts.TurnSpan{Start: t.Start, Body: t.Body, End: t.End}
	}
	out := make([]Span, 0, len(text)/64+1)
	transcripts.EachSentence([]rune(text), ts, func(s, e int) { out = append(out, Span{s, e}) })
	return out
}

// coocUnits counts the units (sentences or turns) both codes touch, or
// their Jaccard coefficient.
func (c *corpus) coocUnits(rows []int, units [][]Span, jaccard bool) *Table {
	t := c.coocTable(rows, "")
	n := len(rows)
	rowOf := c.rowsOf(rows, false)
	type touch struct {
		unit, row int
		id        int64
	}
	var touches []touch
	base := 0
	for lo := 0; lo < len(c.codings); {
		doc := c.codings[lo].doc
		us := units[doc]
		hi := lo
		for ; hi < len(c.codings) && c.codings[hi].doc == doc; hi++ {
			g := c.codings[hi]
			if len(rowOf[g.code]) == 0 {
				continue
			}
			a := sort.Search(len(us), func(i int) bool { return us[i].End > g.start })
			for u := a; u < len(us) && us[u].Start < g.end; u++ {
				touches = append(touches, touch{base + u, rowOf[g.code][0], g.id})
			}
		}
		base += len(us)
		lo = hi
	}
	slices.SortFunc(touches, func(a, b touch) int {
		if a.unit != b.unit {
			return a.unit - b.unit
		}
		return a.row - b.row
	})
	touched := make([]float64, n)
	type group struct {
		row int
		ids []int64
	}
	var groups []group
	for lo := 0; lo < len(touches); {
		unit := touches[lo].unit
		groups = groups[:0]
		hi := lo
		for ; hi < len(touches) && touches[hi].unit == unit; hi++ {
			th := touches[hi]
			if k := len(groups); k > 0 && groups[k-1].row == th.row {
				groups[k-1].ids = append(groups[k-1].ids, th.id)
			} else {
				groups = append(groups, group{th.row, []int64{th.id}})
			}
		}
		for x, ga := range groups {
			touched[ga.row]++
			t.ids[ga.row][ga.row] = append(t.ids[ga.row][ga.row], ga.ids...)
			for _, gb := range groups[x+1:] {
				t.Cells[ga.row][gb.row]++
				t.Cells[gb.row][ga.row]++
				i, j := min(ga.row, gb.row), max(ga.row, gb.row)
				t.ids[i][j] = append(t.ids[i][j], ga.ids...)
				t.ids[i][j] = append(t.ids[i][j], gb.ids...)
			}
		}
		lo = hi
	}
	for i := range n {
		for j := range n {
			if jaccard {
				t.Cells[i][j] = jaccardOf(t.Cells[i][j], touched[i], touched[j], i == j)
			} else if i == j {
				t.Cells[i][i] = touched[i]
			}
		}
	}
	t.finish(jaccard)
	return t
}

// unionIDs merges sorted id lists into one sorted list without repeats.
func unionIDs(parts ...[]int64) []int64 {
	var out []int64
	for _, p := range parts {
		out = append(out, p...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
