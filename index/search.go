package index

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/qcode-dev/qcode/coding"
)

// MaxQueryLength caps a query string, in bytes.
const MaxQueryLength = 2000

// ErrQuery wraps a query the parser cannot read.
var ErrQuery = errors.New("bad query")

// Query is a search: a bleve query string and filters, all of which must
// hold.
type Query struct {
	// Text is the query string (terms, "phrases", +must, -not, prefix*,
	// fuzzy~1, field:value). Empty matches every passage the filters let
	// through.
	Text string
	// Codes keeps passages coded with any of these codes or their
	// sub-codes; NotCodes drops passages coded with any of them.
	Codes, NotCodes []string
	// Uncoded keeps passages with no coding at all.
	Uncoded bool
	// Coder narrows the code filters to that coder's codings: with Codes,
	// passages the coder coded with them; with NotCodes, passages the
	// coder did not code with them; with Uncoded, passages the coder has
	// not coded; alone, passages the coder coded.
	//
	// Speaker, Docs and Attrs ("key=value") filter further.
	Speaker string
	Docs    []string
	Attrs   []string
	Coder   string
	// Limit caps the number of hits; 0 means all.
	Limit int
	// Rank orders hits by relevance instead of document order.
	Rank bool
}

// Hit is one passage that matched.
type Hit struct {
	DocID    int64  `json:"doc_id"`
	Document string `json:"document"`
	Speaker  string `json:"speaker"`
	Turn     int    `json:"turn,omitempty"`
	Time     string `json:"time,omitempty"`
	Line     int    `json:"line"`
	// Start and End delimit the first match, or the passage when the
	// query had no text.
	Start int `json:"start"`
	End   int `json:"end"`
	// Passage is the span of the whole passage; Matches every matched
	// word or phrase in it.
	Passage coding.Span   `json:"passage"`
	Matches []coding.Span `json:"matches"`
	// Fragment is a window of the passage around the first match, and
	// Highlights the matches inside it, in code points of Fragment.
	Fragment   string        `json:"fragment"`
	Highlights []coding.Span `json:"highlights"`
	// Codes are the paths of the codes on the passage.
	Codes []string `json:"codes"`
	Score float64  `json:"score,omitempty"`
}

// Result is the answer to a search.
type Result struct {
	Hits  []Hit  `json:"hits"`
	Total uint64 `json:"total"`
	// Pending names documents changed so much since the index was last
	// updated, while another process is updating it, that this search
	// left them out; the next search after that process is done has them.
	Pending []string      `json:"pending,omitempty"`
	Took    time.Duration `json:"-"`
	// Status says what catching up with the store had to do; Rebuilt is
	// set when the index was found damaged and made again.
	Status Status `json:"-"`
}

// Search runs q after catching up with the store. A damaged index is
// rebuilt from the store (Result.Status says so) and q answered.
func (ix *Index) Search(ctx context.Context, q Query) (Result, error) {
	res, err := ix.search(ctx, q)
	if errors.Is(err, errDamaged) && ctx.Err() == nil {
		bad := ""
		if ix.snap != nil {
			bad = ix.snap.path
		}
		st, rerr := ix.repair(ctx, bad)
		if rerr != nil {
			return Result{}, fmt.Errorf("search: the index %v and could not be rebuilt: %w", err, rerr)
		}
		if !st.Rebuilt {
			st.Rebuilt, st.Reason = true, err.Error()
		}
		res, err = ix.search(ctx, q)
		res.Status.add(st)
	}
	return res, err
}

func (ix *Index) search(ctx context.Context, q Query) (Result, error) {
	t0 := time.Now()
	st, err := ix.catchUp(ctx, nil)
	if err != nil {
		return Result{}, err
	}
	if err := ix.prepareOverlay(ctx); err != nil {
		return Result{}, err
	}
	bq, err := ix.buildQuery(ctx, q)
	if err != nil {
		return Result{}, err
	}
	size := q.Limit
	if size <= 0 {
		count := bleve.NewSearchRequestOptions(bq, 0, 0, false)
		_, total, err := ix.run(ctx, count)
		if err != nil {
			return Result{}, err
		}
		size = int(total)
	}
	req := bleve.NewSearchRequestOptions(bq, size, 0, false)
	req.IncludeLocations = true
	if !q.Rank {
		req.SortBy([]string{"order"})
	}
	hits, total, err := ix.run(ctx, req)
	if err != nil {
		return Result{}, err
	}
	out := Result{Total: total, Hits: make([]Hit, 0, len(hits)), Status: st}
	if ix.ov != nil {
		out.Pending = ix.ov.pending
	}
	docs := map[int64]*docCache{}
	for _, h := range hits {
		docID, start, err := parsePassageID(h.ID)
		if err != nil {
			return Result{}, err
		}
		dc, err := ix.doc(ctx, docs, docID)
		if err != nil {
			return Result{}, err
		}
		locs := h.Locations["text"]
		if raw := h.Locations["raw"]; len(raw) > 0 {
			if locs == nil {
				locs = search.TermLocationMap{}
			}
			for term, l := range raw {
				locs["raw:"+term] = l
			}
		}
		hit, err := dc.hit(ctx, start, locs)
		if err != nil {
			return Result{}, err
		}
		hit.Score = h.Score
		out.Hits = append(out.Hits, hit)
	}
	out.Took = time.Since(t0)
	return out, nil
}

// prepareOverlay makes sure the documents the open snapshot has not
// caught up with are answered from the store.
func (ix *Index) prepareOverlay(ctx context.Context) error {
	gen, err := ix.store.Generation(ctx)
	if err != nil {
		return err
	}
	snap := ""
	if ix.snap != nil {
		snap = ix.snap.path
		if ix.snap.meta.Generation == gen {
			if ix.ov != nil {
				ix.ov.close()
				ix.ov = nil
			}
			return nil
		}
	}
	if ix.ov != nil && ix.ov.gen == gen && ix.ov.snap == snap {
		return nil
	}
	ov, err := ix.buildOverlay(ctx, gen)
	if err != nil {
		return err
	}
	if ix.ov != nil {
		ix.ov.close()
	}
	ix.ov = ov
	return nil
}

// run sends a request to the snapshot (leaving out the documents the
// overlay answers for) and to the overlay, and merges their hits in the
// request's order. An error or panic from bleve on the snapshot is
// errDamaged.
func (ix *Index) run(ctx context.Context, req *bleve.SearchRequest) ([]*search.DocumentMatch, uint64, error) {
	var hits []*search.DocumentMatch
	var total uint64
	if ix.snap != nil {
		r := *req
		if ix.ov != nil && len(ix.ov.exclude) > 0 {
			var not []query.Query
			for _, id := range ix.ov.exclude {
				t := bleve.NewTermQuery(id)
				t.SetField("doc_id")
				not = append(not, t)
			}
			b := bleve.NewBooleanQuery()
			b.AddMust(req.Query)
			b.AddMustNot(not...)
			r.Query = b
		}
		res, err := searchIn(ctx, ix.snap.b, &r)
		if err != nil {
			if ctx.Err() != nil {
				return nil, 0, ctx.Err()
			}
			if e := searchErr(err); errors.Is(e, ErrQuery) {
				return nil, 0, e
			}
			return nil, 0, damaged("%v", err)
		}
		hits, total = res.Hits, res.Total
	}
	if ix.ov != nil && ix.ov.mem != nil {
		r := *req
		res, err := searchIn(ctx, ix.ov.mem, &r)
		if err != nil {
			return nil, 0, searchErr(err)
		}
		hits, total = append(hits, res.Hits...), total+res.Total
		sortHits(hits, len(req.Sort) > 0 && !isScoreSort(req))
		if req.Size < len(hits) {
			hits = hits[:req.Size]
		}
	}
	return hits, total, nil
}

func isScoreSort(req *bleve.SearchRequest) bool {
	_, ok := req.Sort[0].(*search.SortScore)
	return ok
}

// sortHits orders hits merged from two indexes: by the first sort value
// (the passage order key), or by score.
func sortHits(hits []*search.DocumentMatch, byOrder bool) {
	sort.SliceStable(hits, func(i, j int) bool {
		a, b := hits[i], hits[j]
		if byOrder && len(a.Sort) > 0 && len(b.Sort) > 0 {
			if a.Sort[0] != b.Sort[0] {
				return a.Sort[0] < b.Sort[0]
			}
			return a.ID < b.ID
		}
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		return a.ID < b.ID
	})
}

// searchIn runs a request, turning a panic inside bleve into an error.
func searchIn(ctx context.Context, b bleve.Index, req *bleve.SearchRequest) (res *bleve.SearchResult, err error) {
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, damaged("bleve: %v", r)
		}
	}()
	return b.SearchInContext(ctx, req)
}

func searchErr(err error) error {
	if strings.Contains(err.Error(), "parse") || strings.Contains(err.Error(), "syntax") {
		return fmt.Errorf("%w: %v", ErrQuery, err)
	}
	return fmt.Errorf("search: %w", err)
}

// ParseQuery checks a query string and returns the parser's complaint in
// words a user can act on.
func ParseQuery(text string) error {
	if len(text) > MaxQueryLength {
		return fmt.Errorf("%w: the query is %d characters long; the limit is %d", ErrQuery, len(text), MaxQueryLength)
	}
	if strings.TrimSpace(text) == "" {
		return nil
	}
	if _, err := bleve.NewQueryStringQuery(text).Parse(); err != nil {
		msg := err.Error()
		if strings.Count(text, `"`)%2 == 1 {
			msg = "a quotation mark is not closed"
		} else if strings.HasSuffix(strings.TrimSpace(text), ":") || strings.Contains(text, ": ") {
			msg = "a field name (like speaker:) has no value after it"
		}
		return fmt.Errorf("%w: %s (query %q)", ErrQuery, msg, abbreviate(text, 60))
	}
	return nil
}

func abbreviate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

func (ix *Index) buildQuery(ctx context.Context, q Query) (query.Query, error) {
	var must []query.Query
	if strings.TrimSpace(q.Text) != "" {
		if err := ParseQuery(q.Text); err != nil {
			return nil, err
		}
		tq, err := bleve.NewQueryStringQuery(q.Text).Parse()
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrQuery, err)
		}
		routeToRaw(tq)
		must = append(must, tq)
	} else if err := ParseQuery(q.Text); err != nil {
		return nil, err
	}
	term := func(field, v string) query.Query {
		t := bleve.NewTermQuery(strings.ToLower(v))
		t.SetField(field)
		return t
	}
	var codes []coding.Code
	if len(q.Codes)+len(q.NotCodes) > 0 {
		var err error
		if codes, err = ix.store.CodeTree(ctx); err != nil {
			return nil, err
		}
	}
	subtree := func(refs []string) (query.Query, error) {
		var any []query.Query
		for _, ref := range refs {
			c, err := coding.FindCode(codes, ref)
			if err != nil {
				return nil, err
			}
			for _, id := range coding.Subtree(codes, c) {
				if q.Coder != "" {
					any = append(any, term("code_coder", strconv.FormatInt(id, 10)+"/"+q.Coder))
				} else {
					any = append(any, term("code", strconv.FormatInt(id, 10)))
				}
			}
		}
		return bleve.NewDisjunctionQuery(any...), nil
	}
	if len(q.Codes) > 0 {
		d, err := subtree(q.Codes)
		if err != nil {
			return nil, err
		}
		must = append(must, d)
	}
	var mustNot []query.Query
	switch {
	case q.Uncoded && q.Coder != "":
		mustNot = append(mustNot, term("coder", q.Coder))
	case q.Uncoded:
		must = append(must, term("coded", "no"))
	case q.Coder != "" && len(q.Codes) == 0:
		must = append(must, term("coder", q.Coder))
	}
	if q.Speaker != "" {
		must = append(must, term("speaker", q.Speaker))
	}
	if len(q.Docs) > 0 {
		var any []query.Query
		for _, ref := range q.Docs {
			d, err := ix.store.Document(ctx, ref, false)
			if err != nil {
				return nil, err
			}
			any = append(any, term("doc_id", strconv.FormatInt(d.ID, 10)))
		}
		must = append(must, bleve.NewDisjunctionQuery(any...))
	}
	for _, kv := range q.Attrs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, fmt.Errorf("%w: --attr %q: want KEY=VALUE", ErrQuery, kv)
		}
		must = append(must, term("attr", strings.TrimSpace(k)+"="+strings.TrimSpace(v)))
	}
	if len(must) == 0 {
		must = append(must, bleve.NewMatchAllQuery())
	}
	b := bleve.NewBooleanQuery()
	b.AddMust(must...)
	if len(q.NotCodes) > 0 {
		d, err := subtree(q.NotCodes)
		if err != nil {
			return nil, err
		}
		mustNot = append(mustNot, d)
	}
	if len(mustNot) > 0 {
		b.AddMustNot(mustNot...)
	}
	return b, nil
}

// docCache holds what hits in one document need from the store.
type docCache struct {
	doc     coding.Document
	turns   []coding.Turn
	store   *coding.Store
	lines   []int // code point of each line start
	text    string
	byStart map[int]passage
}

func (ix *Index) doc(ctx context.Context, cache map[int64]*docCache, id int64) (*docCache, error) {
	if dc := cache[id]; dc != nil {
		return dc, nil
	}
	name, err := ix.store.DocumentName(ctx, id)
	if err != nil {
		return nil, err
	}
	text, err := ix.store.DocumentText(ctx, id)
	if err != nil {
		return nil, err
	}
	d := coding.Document{ID: id, Name: name, Text: text}
	dc := &docCache{doc: d, text: text, store: ix.store}
	if dc.turns, err = ix.store.Turns(ctx, id); err != nil {
		return nil, err
	}
	dc.lines = []int{0}
	cp := 0
	for _, r := range text {
		cp++
		if r == '\n' {
			dc.lines = append(dc.lines, cp)
		}
	}
	cache[id] = dc
	return dc, nil
}

// fragmentRadius is how many code points of context a fragment keeps on
// each side of the first match.
const fragmentRadius = 80

func (dc *docCache) passages() map[int]passage {
	if dc.byStart == nil {
		dc.byStart = map[int]passage{}
		for _, p := range splitPassages(dc.text, dc.turns) {
			dc.byStart[p.Start] = p
		}
	}
	return dc.byStart
}

func (dc *docCache) line(cp int) int {
	return sort.Search(len(dc.lines), func(i int) bool { return dc.lines[i] > cp })
}

// hit builds a Hit from a passage and the byte locations of its matched
// terms.
func (dc *docCache) hit(ctx context.Context, start int, locs search.TermLocationMap) (Hit, error) {
	p, ok := dc.passages()[start]
	if !ok {
		return Hit{}, fmt.Errorf("index: passage %d of %s is not in the store's text; run 'qcode reindex'", start, dc.doc.Name)
	}
	h := Hit{DocID: dc.doc.ID, Document: dc.doc.Name, Speaker: p.Speaker, Turn: p.Turn,
		Passage: coding.Span{Start: p.Start, End: p.End}, Matches: []coding.Span{}, Highlights: []coding.Span{}, Codes: []string{}}
	if p.Turn > 0 && p.Turn <= len(dc.turns) && dc.turns[p.Turn-1].Time != nil {
		h.Time = coding.FormatClock(*dc.turns[p.Turn-1].Time)
	}
	// Byte ranges of the matches, in passage text, merged where a phrase
	// runs on from one term to the next.
	type rng struct{ s, e, pos int }
	var rs []rng
	for _, ls := range locs {
		for _, l := range ls {
			if int(l.End) <= len(p.Text) && l.Start < l.End {
				rs = append(rs, rng{int(l.Start), int(l.End), int(l.Pos)})
			}
		}
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].s < rs[j].s })
	var merged []rng
	for _, r := range rs {
		if n := len(merged); n > 0 {
			last := &merged[n-1]
			if r.s <= last.e || (r.pos == last.pos+1 && onlySpace(p.Text[last.e:r.s])) {
				if r.e > last.e {
					last.e = r.e
				}
				last.pos = r.pos
				continue
			}
		}
		merged = append(merged, r)
	}
	for _, r := range merged {
		s := p.Start + utf8.RuneCountInString(p.Text[:r.s])
		h.Matches = append(h.Matches, coding.Span{Start: s, End: s + utf8.RuneCountInString(p.Text[r.s:r.e])})
	}
	if len(h.Matches) > 0 {
		h.Start, h.End = h.Matches[0].Start, h.Matches[0].End
	} else {
		h.Start, h.End = p.Start, p.End
	}
	h.Line = dc.line(h.Start)
	h.Fragment, h.Highlights = fragment(p, h.Start, h.Matches)
	codings, err := dc.store.Codings(ctx, coding.CodingFilter{DocID: dc.doc.ID, Overlapping: h.Passage})
	if err != nil {
		return Hit{}, err
	}
	for _, c := range codings {
		h.Codes = appendOnce(h.Codes, c.Code)
	}
	return h, nil
}

func onlySpace(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// fragment cuts a one-line window of the passage around at, widened to
// word boundaries, and places the matches inside it.
func fragment(p passage, at int, matches []coding.Span) (string, []coding.Span) {
	runes := []rune(p.Text)
	from := at - p.Start - fragmentRadius
	to := at - p.Start + fragmentRadius
	if len(matches) > 0 {
		to = matches[0].End - p.Start + fragmentRadius
	}
	from = max(from, 0)
	to = min(to, len(runes))
	for from > 0 && !unicode.IsSpace(runes[from-1]) && at-p.Start-from < fragmentRadius+20 {
		from--
	}
	for to < len(runes) && !unicode.IsSpace(runes[to]) && to-(at-p.Start) < 2*fragmentRadius+20 {
		to++
	}
	var b strings.Builder
	lead := 0
	if from > 0 {
		b.WriteString("…")
		lead = 1
	}
	for _, r := range runes[from:to] {
		if r == '\n' || r == '\t' {
			r = ' '
		}
		b.WriteRune(r)
	}
	if to < len(runes) {
		b.WriteString("…")
	}
	var hl []coding.Span
	for _, m := range matches {
		s, e := m.Start-p.Start, m.End-p.Start
		if e <= from || s >= to {
			continue
		}
		hl = append(hl, coding.Span{Start: max(s, from) - from + lead, End: min(e, to) - from + lead})
	}
	if hl == nil {
		hl = []coding.Span{}
	}
	return b.String(), hl
}

// routeToRaw sends the parts of a parsed query that compare spellings
// rather than words (fuzzy, prefix, wildcard and regular-expression terms)
// to the unstemmed field: "mobilisation~1" must meet "mobilization", not
// its stem "mobil".
func routeToRaw(q query.Query) {
	switch x := q.(type) {
	case *query.BooleanQuery:
		for _, sub := range []query.Query{x.Must, x.Should, x.MustNot, x.Filter} {
			if sub != nil {
				routeToRaw(sub)
			}
		}
	case *query.ConjunctionQuery:
		for _, sub := range x.Conjuncts {
			routeToRaw(sub)
		}
	case *query.DisjunctionQuery:
		for _, sub := range x.Disjuncts {
			routeToRaw(sub)
		}
	case *query.MatchQuery:
		if x.Fuzziness > 0 && (x.FieldVal == "" || x.FieldVal == "text") {
			x.FieldVal = "raw"
		}
	case *query.WildcardQuery:
		if x.FieldVal == "" || x.FieldVal == "text" {
			x.FieldVal = "raw"
			x.Wildcard = foldTerm(x.Wildcard)
		}
	case *query.RegexpQuery:
		if x.FieldVal == "" || x.FieldVal == "text" {
			x.FieldVal = "raw"
			x.Regexp = foldTerm(x.Regexp)
		}
	}
}

// foldTerm does to a query term what the raw analyser does to the text.
func foldTerm(s string) string {
	s = strings.ToLower(s)
	return strings.NewReplacer("ё", "е", "’", "'", "ʼ", "'").Replace(s)
}
