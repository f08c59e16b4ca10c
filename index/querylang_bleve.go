package index

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/qcode-dev/qcode/coding"
)

var (
	textAnaOnce sync.Once
	textAna     analysis.Analyzer
)

// analyzeText turns words into the terms the text field holds: folded
// (case, ё, apostrophes) and stemmed, in order.
func analyzeText(s string) []string {
	textAnaOnce.Do(func() {
		textAna = buildMapping().AnalyzerNamed(textAnalyzer)
	})
	var out []string
	for _, t := range textAna.Analyze([]byte(s)) {
		out = append(out, string(t.Term))
	}
	return out
}

// compiler turns an Expr into a bleve query, resolving codes and
// documents against the store.
type compiler struct {
	ix    *Index
	ctx   context.Context
	coder string
	codes []coding.Code
	// codeFilters is set when the expression filters on codes or on
	// is:uncoded, which a coder narrows.
	codeFilters bool
}

func keywordTerm(field, v string) query.Query {
	t := bleve.NewTermQuery(strings.ToLower(v))
	t.SetField(field)
	return t
}

// usesCodes reports whether e has code: or is: filters.
func usesCodes(e *Expr) bool {
	if e == nil {
		return false
	}
	if e.Kind == KindField && (e.Field == "code" || e.Field == "is") {
		return true
	}
	for _, s := range e.Subs {
		if usesCodes(s) {
			return true
		}
	}
	return false
}

// compile returns the query for e; neg is set when the query must be
// read as "not this" (a bare NOT), so that AND can put it in MustNot.
func (c *compiler) compile(e *Expr) (q query.Query, neg bool, err error) {
	switch e.Kind {
	case KindNot:
		sub, subNeg, err := c.compile(e.Subs[0])
		if err != nil {
			return nil, false, err
		}
		if subNeg { // NOT NOT x
			return sub, false, nil
		}
		return sub, true, nil
	case KindAnd:
		var must, not []query.Query
		for _, s := range e.Subs {
			q, n, err := c.compile(s)
			if err != nil {
				return nil, false, err
			}
			if q == nil {
				continue
			}
			if n {
				not = append(not, q)
			} else {
				must = append(must, q)
			}
		}
		return boolean(must, not), false, nil
	case KindOr:
		var any []query.Query
		for _, s := range e.Subs {
			q, n, err := c.compile(s)
			if err != nil {
				return nil, false, err
			}
			if q == nil {
				q = bleve.NewMatchAllQuery()
			}
			if n {
				q = boolean(nil, []query.Query{q})
			}
			any = append(any, q)
		}
		return bleve.NewDisjunctionQuery(any...), false, nil
	case KindWord:
		return textQuery(analyzeText(e.Text), 0), false, nil
	case KindPhrase:
		return textQuery(analyzeText(e.Text), e.Slop), false, nil
	case KindNear:
		terms := append(analyzeText(e.Subs[0].Text), analyzeText(e.Subs[1].Text)...)
		return textQuery(terms, e.Slop), false, nil
	case KindPrefix:
		pat := foldTerm(e.Text)
		if i := strings.IndexByte(pat, '*'); i == len(pat)-1 {
			p := bleve.NewPrefixQuery(pat[:i])
			p.SetField("raw")
			return p, false, nil
		}
		w := bleve.NewWildcardQuery(escapeWildcard(pat))
		w.SetField("raw")
		return w, false, nil
	case KindFuzzy:
		f := bleve.NewFuzzyQuery(foldTerm(e.Text))
		f.SetFuzziness(e.Fuzz)
		f.SetField("raw")
		return f, false, nil
	case KindField:
		return c.field(e)
	}
	return nil, false, fmt.Errorf("%w: cannot search %v", ErrQuery, e)
}

// escapeWildcard keeps * as the only wildcard: bleve also reads ? and
// backslashes.
func escapeWildcard(s string) string {
	return strings.NewReplacer(`\`, `\\`, `?`, `\?`).Replace(s)
}

// boolean is must AND NOT any of not; with no must, every passage but
// those.
func boolean(must, not []query.Query) query.Query {
	if len(not) == 0 && len(must) == 1 {
		return must[0]
	}
	b := bleve.NewBooleanQuery()
	if len(must) == 0 {
		must = []query.Query{bleve.NewMatchAllQuery()}
	}
	b.AddMust(must...)
	if len(not) > 0 {
		b.AddMustNot(not...)
	}
	return b
}

// textQuery finds analysed terms on the text field: one term, a phrase,
// or, with slop, all of them within slop words.
func textQuery(terms []string, slop int) query.Query {
	switch {
	case len(terms) == 0:
		return bleve.NewMatchNoneQuery()
	case len(terms) == 1:
		t := bleve.NewTermQuery(terms[0])
		t.SetField("text")
		return t
	case slop > 0:
		return &nearQuery{terms: terms, slop: slop, field: "text"}
	}
	return &phraseQuery{terms: terms, field: "text"}
}

// phraseQuery finds terms at consecutive positions. It scores as bleve's
// phrase query does (the sum of one term query a position), but checks
// the positions of each candidate passage straight from its term
// locations, where bleve builds maps of them first: a phrase of a common
// word took twice as long.
type phraseQuery struct {
	terms []string
	field string
}

// Field is the field searched.
func (q *phraseQuery) Field() string { return q.field }

// SetField sets the field searched.
func (q *phraseQuery) SetField(f string) { q.field = f }

// Searcher builds the conjunction of the terms and its position filter.
func (q *phraseQuery) Searcher(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	options.IncludeTermVectors = true
	// One term query a place, as bleve's phrase query scores.
	all, err := termConjunction(ctx, r, q.terms, q.field, options)
	if err != nil {
		return nil, err
	}
	field, terms := q.field, q.terms
	var pf phraseFilter
	return searcher.NewFilteringSearcher(ctx, all, func(_ *search.SearchContext, d *search.DocumentMatch) bool {
		return pf.match(d, field, terms)
	}), nil
}

// phraseFilter checks candidates of a phrase, reusing its buffers.
type phraseFilter struct {
	runs, rest []phraseRun
	keep       []bool
}

// phraseRun is where the locations of one term lie among a match's
// locations: the conjunction appends each term's locations, in the
// order of their positions, one term after the other.
type phraseRun struct {
	term       string
	start, end int
}

// match says whether the terms occur at consecutive positions in d, and
// leaves in d only the locations of the occurrences that make a phrase.
func (f *phraseFilter) match(d *search.DocumentMatch, field string, terms []string) bool {
	locs := d.FieldTermLocations
	f.runs = f.runs[:0]
	for i := 0; i < len(locs); {
		j := i + 1
		for j < len(locs) && locs[j].Term == locs[i].Term && locs[j].Field == locs[i].Field && locs[j].Location.Pos > locs[j-1].Location.Pos {
			j++
		}
		if locs[i].Field == field {
			f.runs = append(f.runs, phraseRun{term: locs[i].Term, start: i, end: j})
		}
		i = j
	}
	// Each place of the phrase looks in the first run of its term.
	runOf := func(term string) (phraseRun, bool) {
		for _, r := range f.runs {
			if r.term == term {
				return r, true
			}
		}
		return phraseRun{}, false
	}
	first, ok := runOf(terms[0])
	if !ok {
		return false
	}
	if cap(f.keep) < len(locs) {
		f.keep = make([]bool, len(locs))
	}
	keep := f.keep[:len(locs)]
	clear(keep)
	// find is the index of the location at pos in r, or -1.
	find := func(r phraseRun, pos uint64) int {
		k := r.start + sort.Search(r.end-r.start, func(k int) bool { return locs[r.start+k].Location.Pos >= pos })
		if k < r.end && locs[k].Location.Pos == pos {
			return k
		}
		return -1
	}
	rest := f.rest[:0]
	for _, term := range terms[1:] {
		r, ok := runOf(term)
		if !ok {
			return false
		}
		rest = append(rest, r)
	}
	f.rest = rest
	found := false
	for i := first.start; i < first.end; i++ {
		p := locs[i].Location.Pos
		all := true
		for t, r := range rest {
			if find(r, p+uint64(t)+1) < 0 {
				all = false
				break
			}
		}
		if !all {
			continue
		}
		found = true
		keep[i] = true
		for t, r := range rest {
			keep[find(r, p+uint64(t)+1)] = true
		}
	}
	if !found {
		return false
	}
	out := locs[:0]
	for i, l := range locs {
		if l.Field != field || keep[i] {
			out = append(out, l)
		}
	}
	d.FieldTermLocations = out
	return true
}

func (c *compiler) field(e *Expr) (query.Query, bool, error) {
	v := e.Value
	switch e.Field {
	case "speaker":
		return keywordTerm("speaker", v), false, nil
	case "lang":
		return keywordTerm("lang", v), false, nil
	case "attr":
		return keywordTerm("attr", v), false, nil
	case "doc":
		d, err := c.ix.store.Document(c.ctx, v, false)
		if err != nil {
			return nil, false, fmt.Errorf("doc:%s: %w", v, err)
		}
		return keywordTerm("doc_id", strconv.FormatInt(d.ID, 10)), false, nil
	case "code":
		q, err := c.subtree([]string{v})
		return q, false, err
	case "is":
		if v == "coded" {
			if c.coder != "" {
				return keywordTerm("coder", c.coder), false, nil
			}
			return keywordTerm("coded", "yes"), false, nil
		}
		if c.coder != "" {
			return keywordTerm("coder", c.coder), true, nil
		}
		return keywordTerm("coded", "no"), false, nil
	case "coder", "sort":
		return nil, false, nil // applied to the whole query
	}
	return nil, false, fmt.Errorf("%w: unknown field %s:", ErrQuery, e.Field)
}

// subtree finds passages coded with any of the codes or their
// sub-codes, by the coder when one is set.
func (c *compiler) subtree(refs []string) (query.Query, error) {
	if c.codes == nil {
		codes, err := c.ix.store.CodeTree(c.ctx)
		if err != nil {
			return nil, err
		}
		c.codes = codes
	}
	var any []query.Query
	for _, ref := range refs {
		code, err := coding.FindCode(c.codes, ref)
		if err != nil {
			return nil, err
		}
		for _, id := range coding.Subtree(c.codes, code) {
			if c.coder != "" {
				any = append(any, keywordTerm("code_coder", strconv.FormatInt(id, 10)+"/"+c.coder))
			} else {
				any = append(any, keywordTerm("code", strconv.FormatInt(id, 10)))
			}
		}
	}
	return bleve.NewDisjunctionQuery(any...), nil
}

// nearQuery finds passages with every term within slop words of the
// others (the last at most slop positions after the first, in any
// order). bleve's phrases have no slop: this is a conjunction of the
// terms whose matches are kept only when their positions fit, and
// whose locations are cut to the occurrences that do, for highlights.
type nearQuery struct {
	terms []string
	slop  int
	field string
}

// Field is the field searched.
func (q *nearQuery) Field() string { return q.field }

// SetField sets the field searched.
func (q *nearQuery) SetField(f string) { q.field = f }

// Searcher builds the conjunction and its position filter.
func (q *nearQuery) Searcher(ctx context.Context, r bindex.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	options.IncludeTermVectors = true
	uniq := map[string]int{}
	var terms []string
	for _, t := range q.terms {
		if _, ok := uniq[t]; !ok {
			uniq[t] = len(terms)
			terms = append(terms, t)
		}
	}
	all, err := termConjunction(ctx, r, terms, q.field, options)
	if err != nil {
		return nil, err
	}
	field, slop := q.field, q.slop
	return searcher.NewFilteringSearcher(ctx, all, func(_ *search.SearchContext, d *search.DocumentMatch) bool {
		keep := withinSlop(d.FieldTermLocations, field, uniq, slop)
		if keep == nil {
			return false
		}
		out := d.FieldTermLocations[:0]
		for i, l := range d.FieldTermLocations {
			if l.Field != field || keep[i] {
				out = append(out, l)
			}
		}
		d.FieldTermLocations = out
		return true
	}), nil
}

// termConjunction finds the passages holding every one of terms in
// field: one term query each, all of them at once.
func termConjunction(ctx context.Context, r bindex.IndexReader, terms []string, field string, options search.SearcherOptions) (search.Searcher, error) {
	ss := make([]search.Searcher, 0, len(terms))
	closeAll := func() {
		for _, s := range ss {
			s.Close()
		}
	}
	for _, t := range terms {
		s, err := searcher.NewTermSearcher(ctx, r, t, field, 1.0, options)
		if err != nil {
			closeAll()
			return nil, err
		}
		ss = append(ss, s)
	}
	if len(ss) == 1 {
		return ss[0], nil
	}
	all, err := searcher.NewConjunctionSearcher(ctx, r, ss, options)
	if err != nil {
		closeAll()
		return nil, err
	}
	return all, nil
}

// withinSlop says which of the locations of the terms (indexes into
// locs) lie in a window of at most slop positions that holds every term;
// nil when there is none.
func withinSlop(locs []search.FieldTermLocation, field string, terms map[string]int, slop int) map[int]bool {
	type occ struct{ pos, term, i int }
	var os []occ
	for i, l := range locs {
		if l.Field != field {
			continue
		}
		if t, ok := terms[l.Term]; ok {
			os = append(os, occ{int(l.Location.Pos), t, i})
		}
	}
	sort.Slice(os, func(a, b int) bool { return os[a].pos < os[b].pos })
	var keep map[int]bool
	count := make([]int, len(terms))
	have := 0
	lo := 0
	for hi := range os {
		if count[os[hi].term] == 0 {
			have++
		}
		count[os[hi].term]++
		for os[hi].pos-os[lo].pos > slop {
			count[os[lo].term]--
			if count[os[lo].term] == 0 {
				have--
			}
			lo++
		}
		if have == len(terms) {
			if keep == nil {
				keep = map[int]bool{}
			}
			for k := lo; k <= hi; k++ {
				keep[os[k].i] = true
			}
		}
	}
	return keep
}
