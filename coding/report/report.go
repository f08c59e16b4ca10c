// Package report writes a project as one self-contained HTML file for a
// co-author: the project in numbers, the documents and participants, the
// coders, the codebook with its counts, the figures (inline SVG), the
// analysis tables, example quotes for each code with their attribution
// and quote ids, and the coders' agreement when there are several.
//
// The file needs nothing else: no script, no font, no image or style
// sheet from anywhere; it prints on paper as well as it reads on a
// phone. Everything from users and files (names, quotes, memos) is
// written as text, never as markup. The same project gives the same
// bytes: dates come from the store and everything is in a fixed order.
package report

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/coding/agree"
	quotefmt "github.com/qcode-dev/qcode/coding/quotes"
)

// Options choose what a report holds.
type Options struct {
	// Coder keeps one coder's codings (counts, tables, examples); the
	// agreement section is then left out.
	Coder string
	// Examples is how many example quotes each code gets; 0 none.
	Examples int
	// MaxWords shortens each example to its first MaxWords words; 0
	// keeps it whole.
	MaxWords int
	// By are the attribute keys of the code × attribute tables; nil
	// chooses them (see GroupingKeys).
	By []string
	// Figures draws the figures; nil leaves them out.
	Figures FigureMaker
	// Pseudonyms replaces real values (names, places) in everything the
	// report shows; nil shows the project as it is.
	Pseudonyms Pseudonymiser
}

// Pseudonymiser replaces the real values of a pseudonym key with their
// pseudonyms.
type Pseudonymiser interface {
	// Quotes returns the quotes with their texts, attributions, memos
	// and names replaced; the ids stay those of the real passages.
	Quotes(ctx context.Context, qs []coding.Quote) ([]coding.Quote, error)
	// Text returns s with every real value replaced.
	Text(s string) string
}

// FigureMaker draws the report's figures from its data as SVG.
type FigureMaker interface {
	// Figures returns the figures in the order they are shown.
	Figures(ctx context.Context, in FigureInput) ([]Figure, error)
}

// FigureInput is what the figures are drawn from: the tables the report
// shows, so a figure and its table never disagree.
type FigureInput struct {
	Stats     []coding.CodeStats
	Documents *coding.Table
	ByAttr    []*coding.Table
	Cooc      *coding.Table
	Agreement *agree.Report
}

// Figure is one figure of the report.
type Figure struct {
	// ID is the figure's anchor: letters, digits and hyphens.
	ID string
	// Title heads the figure; Caption says what it shows.
	Title, Caption string
	// SVG is the figure, a complete SVG document.
	SVG []byte
}

// Report is everything the HTML shows, gathered from a project.
type Report struct {
	Project string
	// AsOf is when the project last changed (its latest action), from
	// the store; zero for a project nobody has changed.
	AsOf  time.Time
	Coder string

	Summary   Summary
	Documents []Document
	AttrKeys  []string
	// Shared are the attributes all participants have alike.
	Shared       []Attr
	Participants []Participant
	Coders       []Coder
	Memos        []Memo
	Codes        []Code
	// StatCoders are the coders with a column in the frequencies table.
	StatCoders []string
	Total      coding.TotalStats
	Figures    []Figure
	Tables     []Table
	Agreement  *Agreement
	// AgreementNote says why there is no agreement section, when there
	// is none.
	AgreementNote string
	Examples      int
}

// Summary is the project in numbers.
type Summary struct {
	Documents, Participants, Coders, Codes, Codings int
	// Words in the documents, and words coded with any code.
	Words, WordsCoded int
}

// Document is a row of the documents table.
type Document struct {
	Name, Lang, Title, Participant, Imported string
	Version, Words, Turns, Codings           int
}

// Participant is a row of the participants table: a 'participant'
// attribute value (else a document), or a speaker's case.
type Participant struct {
	Name      string
	Documents []string
	// Values line up with Report.AttrKeys.
	Values []string
}

// Attr is an attribute and its value.
type Attr struct{ Key, Value string }

// Coder is a row of the coders table.
type Coder struct {
	Name                      string
	Codings, Documents, Codes int
	First, Last               string
}

// Memo is a memo as the report shows it.
type Memo struct {
	Coder, Date, Text string
}

// Code is a code of the codebook with its counts and examples.
type Code struct {
	ID          int64
	Anchor      string
	Name, Path  string
	Depth       int
	Color       string
	Description string
	Own, All    coding.Counts
	// ByCoder lines up with Report.StatCoders: own codings of each.
	ByCoder  []int
	Memos    []Memo
	Examples []Quote
}

// Quote is an example quote.
type Quote struct {
	ID, Text, Attribution, Document, Time, Memo string
	// Coders coded the passage with the code.
	Coders    []string
	Line      int
	Shortened bool
}

// Table is an analysis table as the report shows it.
type Table struct {
	ID, Title, Note string
	Corner          string
	Heads           []string
	Rows            []Row
}

// Row is a row of a Table.
type Row struct {
	Label string
	Depth int
	Cells []string
	// Total marks the totals row.
	Total bool
}

// Agreement is the agreement section.
type Agreement struct {
	Unit      string
	Coders    []string
	Documents []string
	LeftOut   []string
	TwoCoders bool
	Rows      []AgreementRow
	Overall   AgreementRow
	Pairs     []AgreementPair
	Disagree  int
}

// AgreementRow is a code's agreement statistics, formatted.
type AgreementRow struct {
	Code                                 string
	Units, Percent, Cohen, Fleiss, Alpha string
	Codings                              []int
	// Total marks the line of all codes together.
	Total bool
}

// AgreementPair is the agreement of two coders overall.
type AgreementPair struct {
	A, B, Percent, Cohen string
}

// excluded keys never make a participants column or a grouping: they
// name the participant or the document, not a property.
var excluded = map[string]bool{coding.ParticipantKey: true, "title": true}

// Build gathers a report from the project.
func Build(ctx context.Context, s *coding.Store, opt Options) (*Report, error) {
	r := &Report{Coder: opt.Coder, Examples: opt.Examples}
	var err error
	if r.Project, err = s.ProjectName(ctx); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	ops, err := s.History(ctx, 1)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	if len(ops) > 0 {
		r.AsOf, _ = time.Parse("2006-01-02T15:04:05Z", ops[0].At)
	}
	docs, err := s.Documents(ctx, false)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	speakers, err := s.Speakers(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	r.documents(docs, speakers)
	if err := r.coders(ctx, s); err != nil {
		return nil, err
	}
	memos, err := s.Memos(ctx, "", "")
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	stats, total, err := s.StatsWithTotal(ctx, coding.StatsOptions{Coder: opt.Coder})
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	codes, err := s.CodeTree(ctx)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	r.Total = total
	r.Summary.Codes = len(codes)
	r.Summary.Codings = total.Codings
	r.Summary.WordsCoded = total.Words
	if err := r.codebook(ctx, s, codes, stats, memos, opt); err != nil {
		return nil, err
	}
	in := FigureInput{Stats: stats}
	if err := r.tables(ctx, s, docs, opt, &in); err != nil {
		return nil, err
	}
	if opt.Coder != "" {
		r.AgreementNote = "This report counts " + opt.Coder + "'s codings only, so it compares no coders."
	} else if r.Summary.Coders < 2 {
		r.AgreementNote = "Agreement needs at least two coders; this project has " + strconv.Itoa(r.Summary.Coders) + "."
	} else {
		rep, err := agree.Compute(ctx, s, agree.Options{})
		if err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
		in.Agreement = rep
		r.agreement(rep)
	}
	if p := opt.Pseudonyms; p != nil {
		r.pseudonymise(p.Text)
		in = pseudonymiseInput(in, p.Text)
	}
	if opt.Figures != nil {
		figs, err := opt.Figures.Figures(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("report: figures: %w", err)
		}
		for _, f := range figs {
			if !anchorRE.MatchString(f.ID) {
				return nil, fmt.Errorf("report: figure id %q: want letters, digits and hyphens", f.ID)
			}
		}
		r.Figures = figs
	}
	return r, nil
}

var anchorRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]*$`)

// documents fills the documents and participants tables.
func (r *Report) documents(docs []coding.Document, speakers []coding.Speaker) {
	type part struct {
		docs  []string
		attrs map[string]string
	}
	parts := map[string]*part{}
	var order []string
	keySeen := map[string]bool{}
	addKey := func(k string) {
		if !excluded[strings.ToLower(k)] && !keySeen[k] {
			keySeen[k] = true
			r.AttrKeys = append(r.AttrKeys, k)
		}
	}
	add := func(name, doc string, attrs []coding.Attribute) {
		p := parts[name]
		if p == nil {
			p = &part{attrs: map[string]string{}}
			parts[name] = p
			order = append(order, name)
		}
		if len(p.docs) == 0 || p.docs[len(p.docs)-1] != doc {
			p.docs = append(p.docs, doc)
		}
		for _, a := range attrs {
			addKey(a.Key)
			if v := strings.TrimSpace(a.Value); v != "" && p.attrs[a.Key] == "" {
				p.attrs[a.Key] = v
			}
		}
	}
	for _, d := range docs {
		r.Summary.Words += d.Words
		row := Document{Name: d.Name, Version: d.Version, Lang: d.Lang, Words: d.Words, Turns: d.Turns,
			Codings: d.Codings, Imported: day(d.ImportedAt)}
		name := d.Name
		for _, a := range d.Attributes {
			switch strings.ToLower(a.Key) {
			case "title":
				row.Title = a.Value
			case coding.ParticipantKey:
				if v := strings.TrimSpace(a.Value); v != "" {
					name = v
				}
			}
		}
		row.Participant = name
		r.Documents = append(r.Documents, row)
		add(name, d.Name, d.Attributes)
	}
	// Speakers tied to a case (a focus group's members) are
	// participants of their own, with the case's attributes.
	for _, sp := range speakers {
		if sp.Case != "" {
			add(sp.Case, sp.Document, sp.Attributes)
		}
	}
	sort.Strings(order)
	// An attribute every participant has with the same value is said
	// once, above the table, rather than in a column of copies.
	keys := r.AttrKeys
	r.AttrKeys = nil
	for _, k := range keys {
		v := parts[order[0]].attrs[k]
		same := len(order) > 1 && v != ""
		for _, name := range order {
			same = same && parts[name].attrs[k] == v
		}
		if same {
			r.Shared = append(r.Shared, Attr{Key: k, Value: v})
		} else {
			r.AttrKeys = append(r.AttrKeys, k)
		}
	}
	for _, name := range order {
		p := parts[name]
		row := Participant{Name: name, Documents: p.docs}
		for _, k := range r.AttrKeys {
			row.Values = append(row.Values, p.attrs[k])
		}
		r.Participants = append(r.Participants, row)
	}
	r.Summary.Documents = len(docs)
	r.Summary.Participants = len(r.Participants)
}

// coders fills the coders table.
func (r *Report) coders(ctx context.Context, s *coding.Store) error {
	cs, err := s.CoderStats(ctx)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	for _, c := range cs {
		if c.Codings == 0 {
			continue
		}
		row := Coder{Name: c.Name, Codings: c.Codings, Documents: c.Documents, Codes: c.Codes}
		if c.First != nil {
			row.First = day(*c.First)
		}
		if c.Last != nil {
			row.Last = day(*c.Last)
		}
		r.Coders = append(r.Coders, row)
	}
	r.Summary.Coders = len(r.Coders)
	return nil
}

// codebook fills the codes with their counts, memos and examples.
func (r *Report) codebook(ctx context.Context, s *coding.Store, codes []coding.Code, stats []coding.CodeStats, memos []coding.Memo, opt Options) error {
	byID := map[int64]coding.CodeStats{}
	seen := map[string]bool{}
	for _, st := range stats {
		byID[st.CodeID] = st
		for _, c := range st.ByCoder {
			if !seen[c.Coder] {
				seen[c.Coder] = true
				r.StatCoders = append(r.StatCoders, c.Coder)
			}
		}
	}
	sort.Strings(r.StatCoders)
	codeMemos := map[int64][]Memo{}
	for _, m := range memos {
		mm := Memo{Coder: m.Coder, Date: day(m.UpdatedAt), Text: strings.TrimSpace(m.Text)}
		switch m.Target {
		case coding.TargetProject:
			r.Memos = append(r.Memos, mm)
		case coding.TargetCode:
			codeMemos[m.TargetID] = append(codeMemos[m.TargetID], mm)
		}
	}
	for _, c := range codes {
		st := byID[c.ID]
		row := Code{ID: c.ID, Anchor: fmt.Sprintf("code-%d", c.ID), Name: c.Name, Path: c.Path, Depth: c.Depth,
			Color: cssColor(c.Color), Description: strings.TrimSpace(c.Description), Own: st.Own, All: st.WithSubcodes,
			Memos: codeMemos[c.ID]}
		by := map[string]int{}
		for _, cc := range st.ByCoder {
			by[cc.Coder] = cc.Own.Codings
		}
		for _, name := range r.StatCoders {
			row.ByCoder = append(row.ByCoder, by[name])
		}
		if st.Own.Codings > 0 && opt.Examples > 0 {
			all, err := s.Quotes(ctx, []string{c.Path}, coding.QuoteOptions{NoSubcodes: true, Coder: opt.Coder})
			if err != nil {
				return fmt.Errorf("report: examples of %s: %w", c.Path, err)
			}
			// A passage several coders coded alike is one example,
			// coded by them all.
			var qs []coding.Quote
			coders := map[string][]string{}
			for _, q := range all {
				if coders[q.ID] == nil {
					qs = append(qs, q)
				}
				if !slices.Contains(coders[q.ID], q.Coder) {
					coders[q.ID] = append(coders[q.ID], q.Coder)
				}
			}
			qs = coding.PickExamples(qs, opt.Examples)
			if opt.Pseudonyms != nil {
				if qs, err = opt.Pseudonyms.Quotes(ctx, qs); err != nil {
					return fmt.Errorf("report: %w", err)
				}
			}
			for _, q := range qs {
				ex := quote(q, opt.MaxWords)
				ex.Coders = coders[q.ID]
				sort.Strings(ex.Coders)
				row.Examples = append(row.Examples, ex)
			}
		}
		r.Codes = append(r.Codes, row)
	}
	return nil
}

// quote shapes an example for the report.
func quote(q coding.Quote, maxWords int) Quote {
	text := strings.TrimSpace(q.Text)
	short := false
	if maxWords > 0 {
		text, short = quotefmt.Shorten(text, maxWords)
	}
	doc := q.Document
	if !q.Latest {
		doc = fmt.Sprintf("%s@%d", q.Document, q.Version)
	}
	return Quote{ID: q.ID, Text: text, Attribution: q.Attribution, Document: doc,
		Time: q.Time, Memo: strings.TrimSpace(q.Memo), Line: q.Line, Shortened: short}
}

var colorRE = regexp.MustCompile(`^#[0-9A-Fa-f]{6}$`)

// cssColor returns a code's colour when it is a plain #RRGGBB, else "".
func cssColor(c string) string {
	if colorRE.MatchString(c) {
		return strings.ToLower(c)
	}
	return ""
}

// day formats a time from the store as a date and time in UTC.
func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04")
}

// GroupingKeys chooses the attributes that group documents in the code ×
// attribute tables: those whose values (on the current documents) are
// text, between two and eight different, and fewer than the documents,
// so a column holds more than one document. Keys are in the order they
// first appear.
func GroupingKeys(docs []coding.Document) []string {
	var keys []string
	vals := map[string]map[string]bool{}
	numeric := map[string]bool{}
	for _, d := range docs {
		for _, a := range d.Attributes {
			k := a.Key
			if excluded[strings.ToLower(k)] {
				continue
			}
			if vals[k] == nil {
				vals[k] = map[string]bool{}
				keys = append(keys, k)
			}
			vals[k][strings.ToLower(strings.TrimSpace(a.Value))] = true
			if a.Type != coding.TypeText {
				numeric[k] = true
			}
		}
	}
	var out []string
	for _, k := range keys {
		n := len(vals[k])
		if !numeric[k] && n >= 2 && n <= 8 && n < len(docs) {
			out = append(out, k)
		}
	}
	return out
}

// tables fills the analysis tables: codes' frequencies, code ×
// document, code × attribute, co-occurrence.
func (r *Report) tables(ctx context.Context, s *coding.Store, docs []coding.Document, opt Options, in *FigureInput) error {
	freq := Table{ID: "frequencies", Title: "Code frequencies", Corner: "Code",
		Heads: []string{"Codings", "Documents", "Participants", "Words"},
		Note:  "Own codings of each code; words coded count each word once; a participant is a 'participant' attribute value, else a document. The last row counts every coding, document, participant and word coded with any code once."}
	for _, c := range r.StatCoders {
		freq.Heads = append(freq.Heads, "by "+c)
	}
	for _, c := range r.Codes {
		cells := counts(c.Own)
		for _, n := range c.ByCoder {
			cells = append(cells, strconv.Itoa(n))
		}
		freq.Rows = append(freq.Rows, Row{Label: c.Name, Depth: c.Depth, Cells: cells})
	}
	tot := counts(r.Total.Counts)
	by := map[string]int{}
	for _, c := range r.Total.ByCoder {
		by[c.Coder] = c.Codings
	}
	for _, c := range r.StatCoders {
		tot = append(tot, strconv.Itoa(by[c]))
	}
	freq.Rows = append(freq.Rows, Row{Label: "All codes", Cells: tot, Total: true})
	r.Tables = append(r.Tables, freq)

	if len(r.Codes) == 0 || len(docs) == 0 {
		return nil
	}
	m, err := s.Matrix(ctx, coding.MatrixOptions{Coder: opt.Coder})
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	in.Documents = m
	r.Tables = append(r.Tables, r.table(m, "matrix-documents", "Codes × documents",
		"Cells: codings of each code in each document; totals count each coding once."))
	keys := opt.By
	if keys == nil {
		keys = GroupingKeys(docs)
	}
	for _, k := range keys {
		if !hasKey(docs, k) {
			return fmt.Errorf("report: %w: no document has the attribute %q (see 'qcode docs')", coding.ErrInvalid, k)
		}
	}
	for _, k := range keys {
		m, err := s.Matrix(ctx, coding.MatrixOptions{Coder: opt.Coder, Cols: coding.ColsAttrPrefix + k, Measure: coding.MeasureParticipants})
		if err != nil {
			return fmt.Errorf("report: %w", err)
		}
		in.ByAttr = append(in.ByAttr, m)
		r.Tables = append(r.Tables, r.table(m, "matrix-"+slug(k), "Codes × "+k,
			"Cells: participants with the code, by their "+k+"; totals count each participant once. "+coding.NoValue+": documents without "+k+"."))
	}
	c, err := s.Cooc(ctx, coding.CoocOptions{Coder: opt.Coder})
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	in.Cooc = c
	t := r.table(c, "cooc", "Co-occurrence",
		"Cells: pairs of overlapping codings of the two codes; diagonal: the code's own codings. Columns are numbered as the rows.")
	for i := range t.Heads {
		if i < len(c.Cols) {
			t.Heads[i] = strconv.Itoa(i + 1)
		}
	}
	for i := range t.Rows {
		if !t.Rows[i].Total {
			t.Rows[i].Label = strconv.Itoa(i+1) + " " + t.Rows[i].Label
		}
	}
	r.Tables = append(r.Tables, t)
	return nil
}

// hasKey reports whether a document has the attribute key (case does not
// matter).
func hasKey(docs []coding.Document, key string) bool {
	for _, d := range docs {
		for _, a := range d.Attributes {
			if strings.EqualFold(strings.TrimSpace(a.Key), strings.TrimSpace(key)) {
				return true
			}
		}
	}
	return false
}

// slug makes an attribute key into an anchor: letters and digits, the
// rest hyphens; a key with neither is numbered by its bytes.
func slug(k string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(k) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
		} else {
			b.WriteByte('-')
		}
	}
	s := strings.Trim(b.String(), "-")
	if s == "" {
		s = fmt.Sprintf("%x", k)
	}
	return s
}

func counts(c coding.Counts) []string {
	return []string{strconv.Itoa(c.Codings), strconv.Itoa(c.Documents), strconv.Itoa(c.Participants), thousands(c.Words)}
}

// table lays out a coding.Table with its totals.
func (r *Report) table(t *coding.Table, id, title, note string) Table {
	depth := map[int64]int{}
	name := map[int64]string{}
	for _, c := range r.Codes {
		depth[c.ID], name[c.ID] = c.Depth, c.Name
	}
	out := Table{ID: id, Title: title, Note: note, Corner: "Code", Heads: append([]string(nil), t.Cols...)}
	totals := t.RowTotals != nil
	if totals {
		out.Heads = append(out.Heads, "Total")
	}
	for i, path := range t.Rows {
		label := path
		if n, ok := name[t.RowCodes[i]]; ok {
			label = n
		}
		row := Row{Label: label, Depth: depth[t.RowCodes[i]]}
		for _, v := range t.Cells[i] {
			row.Cells = append(row.Cells, cell(t.Measure, v))
		}
		if totals {
			row.Cells = append(row.Cells, cell(t.Measure, t.RowTotals[i]))
		}
		out.Rows = append(out.Rows, row)
	}
	if totals {
		row := Row{Label: "Total", Total: true}
		for _, v := range t.ColTotals {
			row.Cells = append(row.Cells, cell(t.Measure, v))
		}
		row.Cells = append(row.Cells, cell(t.Measure, t.Total))
		out.Rows = append(out.Rows, row)
	}
	return out
}

// cell formats a table's value by its measure.
func cell(measure string, v float64) string {
	switch measure {
	case coding.MeasurePercent:
		return strconv.FormatFloat(v, 'f', 1, 64) + "%"
	case coding.MeasureJaccard:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	return strconv.FormatFloat(math.Round(v), 'f', 0, 64)
}

// agreement fills the agreement section.
func (r *Report) agreement(rep *agree.Report) {
	a := &Agreement{Unit: string(rep.Unit), Coders: rep.Coders, TwoCoders: len(rep.Coders) == 2,
		Disagree: len(rep.Disagreements)}
	for _, d := range rep.Documents {
		a.Documents = append(a.Documents, d.Name)
	}
	for _, d := range rep.LeftOut {
		a.LeftOut = append(a.LeftOut, d.Name+" ("+strings.Join(d.Coders, ", ")+")")
	}
	row := func(code string, st agree.Stats, codings func(string) int) AgreementRow {
		ar := AgreementRow{Code: code, Units: thousands(st.Units), Percent: pct(st.Percent),
			Cohen: stat(st.Cohen), Fleiss: stat(st.Fleiss), Alpha: stat(st.Alpha)}
		for _, c := range rep.Coders {
			ar.Codings = append(ar.Codings, codings(c))
		}
		return ar
	}
	total := map[string]int{}
	for _, c := range rep.Codes {
		for k, n := range c.Codings {
			total[k] += n
		}
		a.Rows = append(a.Rows, row(c.Code, c.Stats, func(k string) int { return c.Codings[k] }))
	}
	a.Overall = row("All codes", rep.Overall, func(k string) int { return total[k] })
	a.Overall.Total = true
	if len(rep.Coders) > 2 {
		for _, p := range rep.Overall.Pairs {
			a.Pairs = append(a.Pairs, AgreementPair{A: p.Coders[0], B: p.Coders[1], Percent: pct(p.Percent), Cohen: stat(p.Cohen)})
		}
	}
	r.Agreement = a
}

func pct(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "n/a"
	}
	return strconv.FormatFloat(100*x, 'f', 1, 64) + "%"
}

func stat(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "n/a"
	}
	s := strconv.FormatFloat(x, 'f', 3, 64)
	if s == "-0.000" {
		s = "0.000"
	}
	return s
}
