package index

import (
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// The raw field (unstemmed, folded words) serves only prefix, wildcard
// and fuzzy queries, which need no positions: it is indexed without term
// vectors, a third of the index. The places of its matches in a hit are
// found here instead: the query's patterns are expanded into the terms
// they match in the index's dictionary (as bleve does to search them),
// and the hit's passage is analysed again to find those terms.

// rawPatterns returns the prefix, wildcard and fuzzy queries on the raw
// field that a hit must or may match: those under a NOT are left out,
// as bleve reports no places for them.
func rawPatterns(q query.Query) []query.Query {
	var out []query.Query
	var walk func(q query.Query)
	walk = func(q query.Query) {
		switch q := q.(type) {
		case *query.BooleanQuery:
			if q.Must != nil {
				walk(q.Must)
			}
			if q.Should != nil {
				walk(q.Should)
			}
		case *query.ConjunctionQuery:
			for _, c := range q.Conjuncts {
				walk(c)
			}
		case *query.DisjunctionQuery:
			for _, c := range q.Disjuncts {
				walk(c)
			}
		case *query.PrefixQuery:
			if q.FieldVal == "raw" {
				out = append(out, q)
			}
		case *query.WildcardQuery:
			if q.FieldVal == "raw" {
				out = append(out, q)
			}
		case *query.FuzzyQuery:
			if q.FieldVal == "raw" {
				out = append(out, q)
			}
		}
	}
	walk(q)
	return out
}

// wildcardRegexp is the regular expression bleve makes of a wildcard.
var wildcardRegexp = strings.NewReplacer(
	"+", `\+`, "(", `\(`, ")", `\)`, "^", `\^`, "$", `\$`, ".", `\.`,
	"{", `\{`, "}", `\}`, "[", `\[`, "]", `\]`, `|`, `\|`, `\`, `\\`,
	"*", ".*", "?", ".")

// rawTerms adds to set the terms of the raw field that the patterns
// match in one index.
func rawTerms(b bleve.Index, patterns []query.Query, set map[string]bool) (err error) {
	defer faultsPanic()()
	defer func() {
		if r := recover(); r != nil {
			err = damaged("bleve: %v", r)
		}
	}()
	r, err := readerOf(b)
	if err != nil {
		return err
	}
	defer r.Close()
	for _, p := range patterns {
		var d index.FieldDict
		switch p := p.(type) {
		case *query.PrefixQuery:
			d, err = r.FieldDictPrefix("raw", []byte(p.Prefix))
		case *query.WildcardQuery:
			rr, ok := r.(index.IndexReaderRegexp)
			if !ok {
				continue
			}
			d, err = rr.FieldDictRegexp("raw", wildcardRegexp.Replace(p.Wildcard))
		case *query.FuzzyQuery:
			if p.Fuzziness == 0 {
				set[p.Term] = true
				continue
			}
			rf, ok := r.(index.IndexReaderFuzzy)
			if !ok {
				continue
			}
			prefix := p.Term
			for i := range p.Term {
				if i >= p.Prefix {
					prefix = p.Term[:i]
					break
				}
			}
			d, err = rf.FieldDictFuzzy("raw", p.Term, p.Fuzziness, prefix)
		}
		if err != nil {
			return err
		}
		if d == nil {
			continue
		}
		for {
			e, err := d.Next()
			if err != nil {
				d.Close()
				return err
			}
			if e == nil {
				break
			}
			set[e.Term] = true
		}
		if err := d.Close(); err != nil {
			return err
		}
	}
	return nil
}

var (
	rawOnce sync.Once
	rawA    analysis.Analyzer
)

// rawLocations analyses a passage as the raw field is and returns the
// places of the terms in set, keyed "raw:TERM" like bleve's.
func rawLocations(text string, set map[string]bool) search.TermLocationMap {
	rawOnce.Do(func() { rawA = buildMapping().AnalyzerNamed(rawAnalyzer) })
	if rawA == nil {
		return nil
	}
	out := search.TermLocationMap{}
	for _, tok := range rawA.Analyze([]byte(text)) {
		term := string(tok.Term)
		if !set[term] {
			continue
		}
		out["raw:"+term] = append(out["raw:"+term], &search.Location{
			Pos: uint64(tok.Position), Start: uint64(tok.Start), End: uint64(tok.End)})
	}
	return out
}
