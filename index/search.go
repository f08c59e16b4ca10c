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

// Query is a search: a query in the query language and filters, all of
// which must hold.
type Query struct {
	// Text is the query in the query language (see Parse): words,
	// "phrases", AND/OR/NOT, proximity, patterns and field filters. Empty
	// matches every passage the filters let through.
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
	st, gen, err := ix.syncForSearch(ctx)
	if err != nil {
		return Result{}, err
	}
	bq, rank, err := ix.buildQuery(ctx, q)
	if err != nil {
		return Result{}, err
	}
	q.Rank = rank
	hits, total, err := ix.run(ctx, bq, q.Limit, q.Rank)
	if err != nil {
		return Result{}, err
	}
	out := Result{Total: total, Hits: make([]Hit, 0, len(hits)), Status: st}
	if ix.ov != nil {
		out.Pending = ix.ov.pending
	}
	if ix.texts == nil || ix.texts.gen != gen {
		ix.texts = &storeTexts{gen: gen, docs: map[int64]storedDoc{}, passages: map[passageKey]storedPassage{}}
	}
	hb := hitBuilder{ix: ix, texts: ix.texts}
	if pats := rawPatterns(bq); len(pats) > 0 && len(hits) > 0 {
		hb.raw = map[string]bool{}
		if ix.snap != nil {
			if err := rawTerms(ix.snap.b, pats, hb.raw); err != nil {
				return Result{}, damaged("%v", err)
			}
		}
		if ix.ov != nil && ix.ov.mem != nil {
			if err := rawTerms(ix.ov.mem, pats, hb.raw); err != nil {
				return Result{}, fmt.Errorf("search: %w", err)
			}
		}
	}
	if err := hb.prefetch(ctx, hits); err != nil {
		return Result{}, err
	}
	for _, h := range hits {
		hit, err := hb.hit(ctx, h, h.Locations["text"])
		if err != nil {
			return Result{}, err
		}
		hit.Score = h.Score
		out.Hits = append(out.Hits, hit)
	}
	out.Took = time.Since(t0)
	return out, nil
}

// syncForSearch catches up with the store before a search. When the
// open snapshot is as new as the store, that is one read of the store's
// generation.
func (ix *Index) syncForSearch(ctx context.Context) (Status, int64, error) {
	gen, err := ix.store.Generation(ctx)
	if err != nil {
		return Status{}, 0, err
	}
	if ix.snap != nil && ix.snap.meta.Generation == gen && ix.ov == nil {
		return Status{}, gen, nil
	}
	st, err := ix.catchUp(ctx, nil)
	if err != nil {
		return st, gen, err
	}
	return st, gen, ix.prepareOverlay(ctx)
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

// run sends a query to the snapshot (leaving out the documents the
// overlay answers for) and to the overlay, and merges their first size
// hits (all when size <= 0) by score or in document order. An error or
// panic from bleve on the snapshot is errDamaged.
func (ix *Index) run(ctx context.Context, q query.Query, size int, byScore bool) ([]*search.DocumentMatch, uint64, error) {
	var hits []*search.DocumentMatch
	var total uint64
	if ix.snap != nil {
		bq := q
		if ix.ov != nil && len(ix.ov.exclude) > 0 {
			var not []query.Query
			for _, id := range ix.ov.exclude {
				t := bleve.NewTermQuery(id)
				t.SetField("doc_id")
				not = append(not, t)
			}
			b := bleve.NewBooleanQuery()
			b.AddMust(bq)
			b.AddMustNot(not...)
			bq = b
		}
		var err error
		merge := ix.ov != nil && ix.ov.mem != nil
		hits, total, err = collectIn(ctx, ix.snap.b, bq, size, byScore, ix.snap.rankTable, merge)
		if err != nil {
			if ctx.Err() != nil {
				return nil, 0, ctx.Err()
			}
			if e := searchErr(err); errors.Is(e, ErrQuery) {
				return nil, 0, e
			}
			return nil, 0, damaged("%v", err)
		}
	}
	if ix.ov != nil && ix.ov.mem != nil {
		more, n, err := collectIn(ctx, ix.ov.mem, q, size, byScore, nil, true)
		if err != nil {
			return nil, 0, searchErr(err)
		}
		hits, total = append(hits, more...), total+n
		sortHits(hits, !byScore)
		if size > 0 && size < len(hits) {
			hits = hits[:size]
		}
	}
	return hits, total, nil
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

// collectIn runs collectHits, turning a panic inside bleve into an error.
func collectIn(ctx context.Context, b bleve.Index, bq query.Query, size int, byScore bool, ranks func(string, uint64) rankTable, needKeys bool) (hits []*search.DocumentMatch, total uint64, err error) {
	defer faultsPanic()()
	defer func() {
		if r := recover(); r != nil {
			hits, total, err = nil, 0, damaged("bleve: %v", r)
		}
	}()
	return collectHits(ctx, b, bq, size, byScore, ranks, needKeys)
}

func searchErr(err error) error {
	if strings.Contains(err.Error(), "parse") || strings.Contains(err.Error(), "syntax") {
		return fmt.Errorf("%w: %v", ErrQuery, err)
	}
	return fmt.Errorf("search: %w", err)
}

// ParseQuery checks a query (see Parse) and returns the complaint, an
// ErrQuery naming the column and the reason, or nil.
func ParseQuery(text string) error {
	_, err := Parse(text)
	return err
}

// buildQuery compiles q's text and its filters into one bleve query, all
// of which must hold, and says whether the query asked for sort:rank.
func (ix *Index) buildQuery(ctx context.Context, q Query) (query.Query, bool, error) {
	e, err := Parse(q.Text)
	if err != nil {
		return nil, false, err
	}
	g, err := e.Globals()
	if err != nil {
		return nil, false, err
	}
	coder := q.Coder
	if g.Coder != "" {
		if coder != "" && !strings.EqualFold(coder, g.Coder) {
			return nil, false, fmt.Errorf("%w: the query says coder:%s and the filter --coder %s", ErrQuery, g.Coder, coder)
		}
		coder = g.Coder
	}
	c := &compiler{ix: ix, ctx: ctx, coder: coder}
	var must, mustNot []query.Query
	if e != nil {
		tq, neg, err := c.compile(e)
		if err != nil {
			return nil, false, err
		}
		switch {
		case tq == nil:
		case neg:
			mustNot = append(mustNot, tq)
		default:
			must = append(must, tq)
		}
	}
	term := keywordTerm
	if len(q.Codes) > 0 {
		d, err := c.subtree(q.Codes)
		if err != nil {
			return nil, false, err
		}
		must = append(must, d)
	}
	switch {
	case q.Uncoded && coder != "":
		mustNot = append(mustNot, term("coder", coder))
	case q.Uncoded:
		must = append(must, term("coded", "no"))
	case coder != "" && len(q.Codes)+len(q.NotCodes) == 0 && !usesCodes(e):
		must = append(must, term("coder", coder))
	}
	if q.Speaker != "" {
		must = append(must, term("speaker", q.Speaker))
	}
	if len(q.Docs) > 0 {
		var any []query.Query
		for _, ref := range q.Docs {
			d, err := ix.store.Document(ctx, ref, false)
			if err != nil {
				return nil, false, err
			}
			any = append(any, term("doc_id", strconv.FormatInt(d.ID, 10)))
		}
		must = append(must, bleve.NewDisjunctionQuery(any...))
	}
	for _, kv := range q.Attrs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, false, fmt.Errorf("%w: --attr %q: want KEY=VALUE", ErrQuery, kv)
		}
		must = append(must, term("attr", strings.TrimSpace(k)+"="+strings.TrimSpace(v)))
	}
	if len(q.NotCodes) > 0 {
		d, err := c.subtree(q.NotCodes)
		if err != nil {
			return nil, false, err
		}
		mustNot = append(mustNot, d)
	}
	if len(must) == 0 {
		must = append(must, bleve.NewMatchAllQuery())
	}
	b := bleve.NewBooleanQuery()
	b.AddMust(must...)
	if len(mustNot) > 0 {
		b.AddMustNot(mustNot...)
	}
	return b, q.Rank || g.Rank, nil
}

// fragmentRadius is how many code points of context a fragment keeps on
// each side of the first match.
const fragmentRadius = 80

// storeTexts keeps what hits were cut from while the store stays at one
// generation, so that searches typed one after another in the workbench
// read each document once; any change to the store starts afresh. It
// holds whole texts of documents up to wholeDocMax bytes (hits in
// document order come many from one document) and the passages of
// longer ones, at most storeTextsBudget bytes in all.
type storeTexts struct {
	gen      int64
	docs     map[int64]storedDoc
	passages map[passageKey]storedPassage
	bytes    int
}

// storedDoc is a document's name and whole text.
type storedDoc struct{ name, text string }

type passageKey struct {
	doc        int64
	start, end int // bytes
}

// storedPassage is a passage's document name and text; a nil text when
// the passage does not lie in the store's text.
type storedPassage struct {
	name string
	text *string
}

const storeTextsBudget = 32 << 20

// wholeDocMax is the longest document (in characters) whose whole text a
// search reads. SQLite reads a whole value to give any part of it, so a
// document's text is read once for all its hits, and a passage alone
// only from a document too long to keep.
var wholeDocMax = 1 << 20

func (t *storeTexts) room(n int) {
	if t.bytes+n > storeTextsBudget {
		clear(t.docs)
		clear(t.passages)
		t.bytes = 0
	}
	t.bytes += n
}

// hitBuilder makes hits from bleve's matches: a passage's place, speaker,
// turn, time and codes come from the fields stored with it, and its text
// is read from the store (see prefetch); the codebook is read once per
// search, when a hit has codes.
type hitBuilder struct {
	ix    *Index
	texts *storeTexts
	paths map[string]string // code id → path
	// raw holds the raw-field terms the query's patterns match (see
	// rawPatterns), when it has any.
	raw map[string]bool
}

// passageText returns a hit's document name and the text of its passage
// at pa; a nil text when pa (ok says it was read) does not lie in the
// store's text. prefetch has read most of them already; what it has not
// is read as the passage's bytes alone.
func (hb *hitBuilder) passageText(ctx context.Context, id int64, pa passageAt, ok bool) (string, *string, error) {
	if d, seen := hb.texts.docs[id]; seen {
		part := partOf(id, pa)
		part.Name, part.Size = d.name, len(d.text)
		part.Text = d.text[min(part.Start, len(d.text)):min(part.End, len(d.text))]
		return d.name, checkPassage(pa, ok, part), nil
	}
	key := passageKey{doc: id, start: pa.byteStart, end: pa.byteEnd}
	if p, seen := hb.texts.passages[key]; seen && ok {
		return p.name, p.text, nil
	}
	parts := []coding.DocPart{partOf(id, pa)}
	if err := hb.ix.store.DocumentParts(ctx, parts); err != nil {
		return "", nil, err
	}
	part := parts[0]
	if !part.Found {
		return "", nil, fmt.Errorf("document %d: %w", id, coding.ErrNotFound)
	}
	p := storedPassage{name: part.Name, text: checkPassage(pa, ok, part)}
	if ok {
		hb.keepPassage(key, p, len(part.Text))
	}
	return p.name, p.text, nil
}

// partOf is the part of a document's text a passage at pa needs: its
// bytes and one more, to see that it ends where a character does.
func partOf(id int64, pa passageAt) coding.DocPart {
	start, end := max(pa.byteStart, 0), max(pa.byteEnd, 0)
	return coding.DocPart{Doc: id, Start: start, End: end + 1}
}

// checkPassage returns the passage's text from part when pa lies in the
// store's text, nil otherwise.
func checkPassage(pa passageAt, ok bool, part coding.DocPart) *string {
	hi := part.End - 1 - part.Start
	if ok && pa.byteStart >= 0 && pa.byteStart <= pa.byteEnd && pa.byteEnd <= part.Size && hi <= len(part.Text) &&
		(len(part.Text) == 0 || utf8.RuneStart(part.Text[0])) && (hi == len(part.Text) || utf8.RuneStart(part.Text[hi])) {
		t := part.Text[:hi]
		return &t
	}
	return nil
}

func (hb *hitBuilder) keepPassage(key passageKey, p storedPassage, n int) {
	hb.texts.room(n)
	hb.texts.passages[key] = p
}

// prefetch reads what the hits need and the cache lacks, in two
// statements at most: the whole texts of their documents, and the
// passages alone of documents over wholeDocMax.
func (hb *hitBuilder) prefetch(ctx context.Context, hits []*search.DocumentMatch) error {
	type want struct {
		key passageKey
		pa  passageAt
	}
	var wants []want
	var ids []int64
	seen := map[int64]bool{}
	for _, m := range hits {
		docID, _, err := parsePassageID(m.ID)
		if err != nil {
			continue // hit says so
		}
		at, _ := m.Fields["at"].(string)
		pa, ok := parseAt(at)
		if !ok {
			continue
		}
		if _, cached := hb.texts.docs[docID]; cached {
			continue
		}
		key := passageKey{doc: docID, start: pa.byteStart, end: pa.byteEnd}
		if _, cached := hb.texts.passages[key]; cached {
			continue
		}
		wants = append(wants, want{key, pa})
		if !seen[docID] {
			seen[docID] = true
			ids = append(ids, docID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	texts, err := hb.ix.store.DocumentTexts(ctx, ids, wholeDocMax)
	if err != nil {
		return err
	}
	long := map[int64]bool{}
	for _, d := range texts {
		if !d.Whole {
			long[d.ID] = true
			continue
		}
		hb.texts.room(len(d.Text))
		hb.texts.docs[d.ID] = storedDoc{name: d.Name, text: d.Text}
	}
	var parts []coding.DocPart
	var keys []want
	for _, w := range wants {
		if long[w.key.doc] {
			parts = append(parts, partOf(w.key.doc, w.pa))
			keys = append(keys, w)
		}
	}
	if len(parts) == 0 {
		return nil
	}
	if err := hb.ix.store.DocumentParts(ctx, parts); err != nil {
		return err
	}
	for i, part := range parts {
		if part.Found {
			hb.keepPassage(keys[i].key, storedPassage{name: part.Name, text: checkPassage(keys[i].pa, true, part)}, len(part.Text))
		}
	}
	return nil
}

func (hb *hitBuilder) codePath(ctx context.Context, id string) (string, error) {
	if hb.paths == nil {
		codes, err := hb.ix.store.CodeTree(ctx)
		if err != nil {
			return "", err
		}
		hb.paths = make(map[string]string, len(codes))
		for _, c := range codes {
			hb.paths[strconv.FormatInt(c.ID, 10)] = c.Path
		}
	}
	p, ok := hb.paths[id]
	if !ok {
		return "", fmt.Errorf("index: code %s is not in the codebook; run 'qcode reindex'", id)
	}
	return p, nil
}

// hit builds a Hit from a match and the byte locations of its matched
// terms.
func (hb *hitBuilder) hit(ctx context.Context, m *search.DocumentMatch, locs search.TermLocationMap) (Hit, error) {
	docID, start, err := parsePassageID(m.ID)
	if err != nil {
		return Hit{}, err
	}
	at, _ := m.Fields["at"].(string)
	pa, ok := parseAt(at)
	name, text, err := hb.passageText(ctx, docID, pa, ok)
	if err != nil {
		return Hit{}, err
	}
	if text == nil {
		return Hit{}, fmt.Errorf("index: passage %d of %s is not in the store's text; run 'qcode reindex'", start, name)
	}
	p := passage{Start: start, End: pa.end, Turn: pa.turn, Text: *text}
	p.Speaker, _ = m.Fields["speaker"].(string)
	if len(hb.raw) > 0 {
		all := search.TermLocationMap{}
		for term, l := range locs {
			all[term] = l
		}
		for term, l := range rawLocations(p.Text, hb.raw) {
			all[term] = l
		}
		locs = all
	}
	h := Hit{DocID: docID, Document: name, Speaker: p.Speaker, Turn: p.Turn, Time: pa.time,
		Passage: coding.Span{Start: p.Start, End: p.End}, Matches: []coding.Span{}, Highlights: []coding.Span{}, Codes: []string{}}
	h.Matches = matchSpans(p, locs)
	if len(h.Matches) > 0 {
		h.Start, h.End = h.Matches[0].Start, h.Matches[0].End
	} else {
		h.Start, h.End = p.Start, p.End
	}
	h.Line = pa.line + newlinesBefore(p.Text, h.Start-p.Start)
	h.Fragment, h.Highlights = fragment(p, h.Start, h.Matches)
	for _, id := range fieldStrings(m.Fields["code"]) {
		path, err := hb.codePath(ctx, id)
		if err != nil {
			return Hit{}, err
		}
		h.Codes = appendOnce(h.Codes, path)
	}
	return h, nil
}

// hitFields are the stored fields a hit is made from.
var hitFields = []string{"at", "speaker", "code"}

// fieldStrings reads a stored field of one value or many.
func fieldStrings(v interface{}) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []interface{}:
		out := make([]string, 0, len(v))
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// passageAt is where a passage lies in its document's text, stored with
// it in the "at" field: its end in code points, its bytes, the line its
// start is on, its turn and the turn's time.
type passageAt struct {
	end, byteStart, byteEnd, line, turn int
	time                                string
}

func (a passageAt) String() string {
	t := a.time
	if t == "" {
		t = "-"
	}
	return fmt.Sprintf("%d %d %d %d %d %s", a.end, a.byteStart, a.byteEnd, a.line, a.turn, t)
}

func parseAt(s string) (passageAt, bool) {
	f := strings.Fields(s)
	if len(f) != 6 {
		return passageAt{}, false
	}
	var n [5]int
	for i := range n {
		v, err := strconv.Atoi(f[i])
		if err != nil {
			return passageAt{}, false
		}
		n[i] = v
	}
	a := passageAt{end: n[0], byteStart: n[1], byteEnd: n[2], line: n[3], turn: n[4], time: f[5]}
	if a.time == "-" {
		a.time = ""
	}
	return a, true
}

// newlinesBefore counts the line breaks in the first cps code points of s.
func newlinesBefore(s string, cps int) int {
	n := 0
	for _, r := range s {
		if cps <= 0 {
			break
		}
		if r == '\n' {
			n++
		}
		cps--
	}
	return n
}

// matchSpans turns the byte locations of the matched terms in a passage
// into spans of the document in code points, merged where a phrase runs
// on from one term to the next.
func matchSpans(p passage, locs search.TermLocationMap) []coding.Span {
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
	out := []coding.Span{}
	for _, r := range merged {
		s := p.Start + utf8.RuneCountInString(p.Text[:r.s])
		out = append(out, coding.Span{Start: s, End: s + utf8.RuneCountInString(p.Text[r.s:r.e])})
	}
	return out
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

// foldTerm does to a query term what the raw analyser does to the text.
func foldTerm(s string) string {
	s = strings.ToLower(s)
	return strings.NewReplacer("ё", "е", "’", "'", "ʼ", "'").Replace(s)
}
