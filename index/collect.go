package index

import (
	"bytes"
	"container/heap"
	"context"
	"encoding/binary"
	"fmt"
	"sort"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/collector"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
)

// collectHits runs bq on b and returns its first size hits (every hit when
// size <= 0), by score when byScore and otherwise in document order,
// each with its stored fields, its term locations and (in document
// order) its order key as Sort[0]; and the number of all hits.
//
// Only the hits returned are read beyond their postings: the matches
// are counted without term vectors, and the chosen few are found again
// with them. In document order a segment with a rank table (see
// ranks.go) answers which of its hits come first without reading a
// single order key; one without reads the key of each hit.
//
// needKeys asks for the order keys even where the rank tables alone
// order the hits (one segment): for merging them with another index's.
func collectHits(ctx context.Context, b bleve.Index, bq query.Query, size int, byScore bool, ranks func(segFile string, docs uint64) rankTable, needKeys bool) (hits []*search.DocumentMatch, total uint64, err error) {
	r, err := readerOf(b)
	if err != nil {
		return nil, 0, err
	}
	defer r.Close()
	var chosen []*search.DocumentMatch
	if byScore {
		chosen, total, err = byRelevance(ctx, b, r, bq, size)
	} else {
		chosen, total, err = inDocumentOrder(ctx, b, r, bq, size, ranks, needKeys)
	}
	if err != nil || len(chosen) == 0 {
		return nil, total, err
	}
	if err := locate(ctx, b, r, bq, chosen); err != nil {
		return nil, 0, err
	}
	for _, d := range chosen {
		if err := storedFields(r, d); err != nil {
			return nil, 0, err
		}
	}
	return chosen, total, nil
}

// byRelevance keeps the size best-scored hits, as bleve ranks them.
func byRelevance(ctx context.Context, b bleve.Index, r bindex.IndexReader, bq query.Query, size int) ([]*search.DocumentMatch, uint64, error) {
	if size <= 0 {
		n, err := countHits(ctx, b, r, bq)
		if err != nil || n == 0 {
			return nil, 0, err
		}
		size = int(n)
	}
	s, err := bq.Searcher(ctx, r, b.Mapping(), search.SearcherOptions{})
	if err != nil {
		return nil, 0, err
	}
	defer s.Close()
	c := collector.NewTopNCollector(size, 0, search.SortOrder{&search.SortScore{Desc: true}})
	if err := c.Collect(ctx, s, r); err != nil {
		return nil, 0, err
	}
	out := c.Results()
	for _, d := range out {
		if d.ID == "" {
			if d.ID, err = r.ExternalID(d.IndexInternalID); err != nil {
				return nil, 0, err
			}
		}
	}
	return out, c.Total(), nil
}

func countHits(ctx context.Context, b bleve.Index, r bindex.IndexReader, bq query.Query) (uint64, error) {
	s, err := bq.Searcher(ctx, r, b.Mapping(), search.SearcherOptions{Score: "none"})
	if err != nil {
		return 0, err
	}
	defer s.Close()
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize()+1, 0), IndexReader: r}
	var n uint64
	for {
		if n%hitCheck == 0 && ctx.Err() != nil {
			return 0, ctx.Err()
		}
		d, err := s.Next(sctx)
		if err != nil {
			return 0, err
		}
		if d == nil {
			return n, nil
		}
		n++
		sctx.DocumentMatchPool.Put(d)
	}
}

// readerOf opens a reader of b's current state; the caller closes it.
func readerOf(b bleve.Index) (bindex.IndexReader, error) {
	adv, err := b.Advanced()
	if err != nil {
		return nil, err
	}
	return adv.Reader()
}

// candidate is a hit that may be among the first in document order.
type candidate struct {
	id   uint64 // bleve's internal number
	rank uint32 // its place among its segment's passages
	key  string // its order key, once read
	ext  string // its passage id, once read
}

// rankHeap keeps the size lowest-ranked candidates, the highest on top.
type rankHeap []candidate

func (h rankHeap) Len() int           { return len(h) }
func (h rankHeap) Less(i, j int) bool { return h[i].rank > h[j].rank }
func (h rankHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *rankHeap) Push(x any)        { *h = append(*h, x.(candidate)) }
func (h *rankHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// segmentSpan is where a segment's documents lie among bleve's internal
// numbers, and its rank table.
type segmentSpan struct {
	start, end uint64
	ranks      rankTable
}

// segmentSpans lists the segments of a scorch reader; nil for another
// kind of index.
func segmentSpans(r bindex.IndexReader, ranks func(string, uint64) rankTable) []segmentSpan {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil
	}
	var out []segmentSpan
	var at uint64
	for _, ss := range snap.Segments() {
		n := ss.Segment().Count()
		sp := segmentSpan{start: at, end: at + n}
		if p, ok := ss.Segment().(interface{ Path() string }); ok && ranks != nil {
			sp.ranks = ranks(p.Path(), n)
		}
		out = append(out, sp)
		at += n
	}
	return out
}

// inDocumentOrder finds the first size hits in document order.
func inDocumentOrder(ctx context.Context, b bleve.Index, r bindex.IndexReader, bq query.Query, size int, ranks func(string, uint64) rankTable, needKeys bool) ([]*search.DocumentMatch, uint64, error) {
	s, err := bq.Searcher(ctx, r, b.Mapping(), search.SearcherOptions{Score: "none"})
	if err != nil {
		return nil, 0, err
	}
	defer s.Close()
	dv, err := r.DocValueReader([]string{"order"})
	if err != nil {
		return nil, 0, err
	}
	keyOf := func(id uint64) (string, error) {
		var key string
		err := dv.VisitDocValues(internalID(id), func(field string, term []byte) {
			if field == "order" {
				key = string(term)
			}
		})
		return key, err
	}
	spans := segmentSpans(r, ranks)
	seg := -1
	var ranked rankHeap // the current segment's best, by rank
	var pool []candidate
	var keyed []candidate // hits of segments without ranks, by key
	fromSegments := 0     // segments with candidates in pool
	flush := func() {
		if len(ranked) > 0 {
			fromSegments++
		}
		pool = append(pool, ranked...)
		ranked = ranked[:0]
	}
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize()+1, 0), IndexReader: r}
	var total uint64
	for {
		if total%hitCheck == 0 && ctx.Err() != nil {
			return nil, 0, ctx.Err()
		}
		d, err := s.Next(sctx)
		if err != nil {
			return nil, 0, err
		}
		if d == nil {
			break
		}
		total++
		id := binary.BigEndian.Uint64(d.IndexInternalID)
		sctx.DocumentMatchPool.Put(d)
		for seg+1 < len(spans) && id >= spans[seg+1].start {
			flush()
			seg++
		}
		if seg >= 0 && spans[seg].ranks.ok() {
			c := candidate{id: id, rank: spans[seg].ranks.at(id - spans[seg].start)}
			switch {
			case size <= 0 || len(ranked) < size:
				heap.Push(&ranked, c)
			case c.rank < ranked[0].rank:
				ranked[0] = c
				heap.Fix(&ranked, 0)
			}
			continue
		}
		key, err := keyOf(id)
		if err != nil {
			return nil, 0, err
		}
		keyed = append(keyed, candidate{id: id, key: key})
		if size > 0 && len(keyed) >= 4*size+64 {
			if keyed, err = firstByKey(r, keyed, size); err != nil {
				return nil, 0, err
			}
		}
	}
	flush()
	if fromSegments <= 1 && len(keyed) == 0 && !needKeys {
		// One segment's ranks order its hits: no key needs reading.
		return firstByRank(r, pool, size, total)
	}
	for i := range pool {
		if pool[i].key, err = keyOf(pool[i].id); err != nil {
			return nil, 0, err
		}
	}
	all, err := firstByKey(r, append(pool, keyed...), size)
	if err != nil {
		return nil, 0, err
	}
	out := make([]*search.DocumentMatch, len(all))
	for i, c := range all {
		out[i] = &search.DocumentMatch{IndexInternalID: internalID(c.id), ID: c.ext, Sort: []string{c.key}}
	}
	return out, total, nil
}

// firstByRank returns the first size candidates (all when size <= 0) of
// one segment by rank.
func firstByRank(r bindex.IndexReader, cs []candidate, size int, total uint64) ([]*search.DocumentMatch, uint64, error) {
	sort.Slice(cs, func(i, j int) bool { return cs[i].rank < cs[j].rank })
	if size > 0 && len(cs) > size {
		cs = cs[:size]
	}
	out := make([]*search.DocumentMatch, len(cs))
	for i, c := range cs {
		ext, err := r.ExternalID(internalID(c.id))
		if err != nil {
			return nil, 0, err
		}
		out[i] = &search.DocumentMatch{IndexInternalID: internalID(c.id), ID: ext}
	}
	return out, total, nil
}

// firstByKey sorts candidates by order key, then passage id, and keeps
// the first size (all when size <= 0), with their passage ids read.
func firstByKey(r bindex.IndexReader, cs []candidate, size int) ([]candidate, error) {
	sort.Slice(cs, func(i, j int) bool { return cs[i].key < cs[j].key })
	if size > 0 && len(cs) > size {
		// Passages of the same key just past the cut may sort before
		// those inside it by id: keep every tie.
		n := size
		for n < len(cs) && cs[n].key == cs[size-1].key {
			n++
		}
		cs = cs[:n]
	}
	for i := range cs {
		if cs[i].ext == "" {
			ext, err := r.ExternalID(internalID(cs[i].id))
			if err != nil {
				return nil, err
			}
			cs[i].ext = ext
		}
	}
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].key != cs[j].key {
			return cs[i].key < cs[j].key
		}
		return cs[i].ext < cs[j].ext
	})
	if size > 0 && len(cs) > size {
		cs = cs[:size]
	}
	return cs, nil
}

func internalID(n uint64) bindex.IndexInternalID {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, n)
	return b
}

// locate finds the term locations and scores of the chosen hits: the
// query is run again with term vectors, skipping straight to each of
// them.
func locate(ctx context.Context, b bleve.Index, r bindex.IndexReader, bq query.Query, chosen []*search.DocumentMatch) error {
	s, err := bq.Searcher(ctx, r, b.Mapping(), search.SearcherOptions{IncludeTermVectors: true})
	if err != nil {
		return err
	}
	defer s.Close()
	byID := make([]*search.DocumentMatch, len(chosen))
	copy(byID, chosen)
	sort.Slice(byID, func(i, j int) bool { return bytes.Compare(byID[i].IndexInternalID, byID[j].IndexInternalID) < 0 })
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize()+1, 0), IndexReader: r}
	for i, want := range byID {
		if i%hitCheck == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		d, err := s.Advance(sctx, want.IndexInternalID)
		if err != nil {
			return err
		}
		if d == nil || !bytes.Equal(d.IndexInternalID, want.IndexInternalID) {
			return fmt.Errorf("passage %s matched and then did not", want.ID)
		}
		d.Complete(nil)
		want.Locations, want.Score = d.Locations, d.Score
		// The match goes back to the pool, its locations stay ours.
		d.Locations = nil
		d.FieldTermLocations = d.FieldTermLocations[:0]
		sctx.DocumentMatchPool.Put(d)
	}
	return nil
}

// storedFields loads the fields a hit is made from.
func storedFields(r bindex.IndexReader, d *search.DocumentMatch) error {
	doc, err := r.Document(d.ID)
	if err != nil {
		return err
	}
	if doc == nil {
		return fmt.Errorf("passage %s is gone", d.ID)
	}
	d.Fields = map[string]interface{}{}
	doc.VisitFields(func(f bindex.Field) {
		name := f.Name()
		switch name {
		case "at", "speaker", "code":
		default:
			return
		}
		v := string(f.Value())
		switch old := d.Fields[name].(type) {
		case nil:
			d.Fields[name] = v
		case string:
			d.Fields[name] = []interface{}{old, v}
		case []interface{}:
			d.Fields[name] = append(old, v)
		}
	})
	return nil
}

// hitCheck is how many hits pass between looks at the context.
const hitCheck = 1024
