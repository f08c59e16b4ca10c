package index

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"

	"github.com/qcode-dev/qcode/coding"
)

// Passages go to bleve in batches of bounded size whatever one document
// holds: bleve analyses a whole batch at once, and its memory grows with
// the batch. Between two batches the context is looked at.
const (
	batchPassages = 1000
	batchBytes    = 512 << 10
)

// batcher fills bleve batches and sends them when full. Bookkeeping that
// may only be believed once a batch is in the index waits in pending.
type batcher struct {
	b        bleve.Index
	batch    *bleve.Batch
	n, bytes int
	pending  []func()
	flushes  int
	total    int // bytes of text added
	// durable: every persistEvery batches, and for the last, wait until
	// bleve has written them to disk. The index is opened with
	// unsafe_batch, so that analysis of the next batches overlaps the
	// writing of the last, and memory stays bounded all the same.
	durable bool
	// sem, when set, lets that many batches be built at once, each in a
	// goroutine of its own (bleve builds a batch's segment on the
	// caller's goroutine): for an index made from scratch, where no two
	// batches touch the same passage, so their order does not matter.
	// A batch's pending bookkeeping runs, under mu, once it is in.
	sem chan struct{}
	wg  sync.WaitGroup
	mu  sync.Mutex
	err error
}

// buildersAtOnce is how many batches a build from scratch makes at once.
var buildersAtOnce = min(2, runtime.GOMAXPROCS(0))

// concurrent lets n batches be built at once (see batcher.sem).
func (bt *batcher) concurrent(n int) {
	if n > 1 {
		bt.sem = make(chan struct{}, n)
	}
}

// wait waits for the batches being built and returns the first error.
func (bt *batcher) wait() error {
	bt.wg.Wait()
	bt.mu.Lock()
	defer bt.mu.Unlock()
	return bt.err
}

// persistEvery is how many batches may be in memory, not yet on disk;
// persistWait is how long to wait for one to be written.
const (
	persistEvery = 4
	persistWait  = 2 * time.Minute
)

func newBatcher(b bleve.Index) *batcher { return &batcher{b: b, batch: b.NewBatch()} }

func (bt *batcher) full() bool { return bt.n >= batchPassages || bt.bytes >= batchBytes }

// flush sends the batch, unless ctx is done.
func (bt *batcher) flush(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if bt.sem != nil {
		return bt.flushAsync()
	}
	if bt.batch.Size() > 0 {
		if err := bt.send(ctx, bt.durable && (bt.flushes+1)%persistEvery == 0); err != nil {
			return err
		}
	}
	for _, f := range bt.pending {
		f()
	}
	bt.discard()
	return nil
}

// flushAsync hands the batch to a goroutine of its own, waiting while
// as many are being built as allowed.
func (bt *batcher) flushAsync() error {
	bt.mu.Lock()
	err := bt.err
	bt.mu.Unlock()
	if err != nil {
		return err
	}
	b, pending := bt.batch, bt.pending
	wait := bt.durable && (bt.flushes+1)%persistEvery == 0
	if b.Size() > 0 {
		bt.flushes++
	}
	bt.discard()
	bt.sem <- struct{}{}
	bt.wg.Add(1)
	go func() {
		defer func() {
			<-bt.sem
			bt.wg.Done()
		}()
		var err error
		if b.Size() > 0 {
			err = bt.sendBatch(b, wait)
		}
		bt.mu.Lock()
		defer bt.mu.Unlock()
		if err != nil {
			if bt.err == nil {
				bt.err = err
			}
			return
		}
		for _, f := range pending {
			f()
		}
	}()
	return nil
}

// discard drops what the batch holds and its pending bookkeeping. The
// batch sent is left to bleve, never reset for reuse: bleve may still
// read it in a goroutine of its own after Batch returns (a race the race
// detector found).
func (bt *batcher) discard() {
	bt.batch = bt.b.NewBatch()
	bt.n, bt.bytes, bt.pending = 0, 0, nil
}

// send hands the batch to bleve, waiting until it is on disk when wait
// is set.
func (bt *batcher) send(ctx context.Context, wait bool) error {
	err := bt.sendBatch(bt.batch, wait)
	if err == nil {
		bt.flushes++
	}
	return err
}

// sendBatch hands a batch to bleve, waiting until it is on disk when wait
// is set.
func (bt *batcher) sendBatch(batch *bleve.Batch, wait bool) error {
	var done chan error
	if wait {
		done = make(chan error, 1)
		batch.SetPersistedCallback(func(err error) { done <- err })
	}
	if err := bt.b.Batch(batch); err != nil {
		return damaged("%v", err)
	}
	if wait {
		// bleve retries a write that fails (a full disk) without
		// calling back: never wait for it longer than persistTimeout.
		t := time.NewTimer(persistTimeout)
		defer t.Stop()
		select {
		case err := <-done:
			if err != nil {
				return damaged("%v", err)
			}
		case <-t.C:
			return fmt.Errorf("index: not written to disk within %v (is the disk full?); the next search brings it up to date", persistTimeout)
		}
	}
	return nil
}

// persistTimeout bounds the wait for bleve to write a batch to disk.
var persistTimeout = 30 * time.Second

// close sends what is left and waits until all is on disk.
func (bt *batcher) close(ctx context.Context) error {
	if err := bt.wait(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, f := range bt.pending {
		f()
	}
	err := bt.send(ctx, bt.durable)
	bt.discard()
	return err
}

func (bt *batcher) add(id string, fields map[string]interface{}, size int) error {
	if err := bt.batch.Index(id, fields); err != nil {
		return err
	}
	bt.n++
	bt.bytes += size
	bt.total += size
	return nil
}

func (bt *batcher) delete(id string) {
	bt.batch.Delete(id)
	bt.n++
}

// syncInto brings a writable index up to date with the store as of
// generation gen. When interrupted (ctx done) it drops the batch in
// progress and records what is in the index: documents done keep their
// fingerprints, a document half done loses its own (so the next update
// does it again) and is remembered with every passage id it may have
// left. consistent says the index may be published.
func (ix *Index) syncInto(ctx context.Context, b bleve.Index, gen int64, progress func(done, total int)) (st Status, consistent bool, err error) {
	defer faultsPanic()()
	defer func() {
		if r := recover(); r != nil {
			st, consistent, err = Status{}, false, damaged("bleve: %v", r)
		}
	}()
	fps := map[int64]string{}
	if raw, _ := b.GetInternal(fpsKey); raw != nil {
		if err := json.Unmarshal(raw, &fps); err != nil {
			fps = map[int64]string{}
		}
	}
	states, err := ix.store.DocStates(ctx)
	if err != nil {
		return st, false, fmt.Errorf("index: %w", err)
	}
	live := map[int64]bool{}
	var todo []coding.DocState
	for _, d := range states {
		if !d.Latest {
			continue
		}
		live[d.ID] = true
		if fps[d.ID] != d.Fingerprint {
			todo = append(todo, d)
		}
	}
	bt := newBatcher(b)
	bt.durable = true
	fresh := false
	if n, err := b.DocCount(); err == nil && n == 0 {
		// Made from scratch: no passage is in two batches, and no
		// document has passages to look up.
		bt.concurrent(buildersAtOnce)
		fresh = true
	}
	// finish writes the fingerprints and the generation: gen when all is
	// done, -1 when interrupted, so that the next update runs.
	finish := func(fctx context.Context, complete bool) error {
		// Batches still being built land first, with their bookkeeping.
		if err := bt.wait(); err != nil {
			return err
		}
		if err := fctx.Err(); err != nil {
			return err
		}
		// The bookkeeping waiting on this batch lands with it.
		for _, f := range bt.pending {
			f()
		}
		bt.pending = nil
		raw, _ := json.Marshal(fps)
		bt.batch.SetInternal(fpsKey, raw)
		g := gen
		if !complete {
			g = -1
		}
		raw, _ = json.Marshal(meta{MappingVersion: MappingVersion, Generation: g})
		bt.batch.SetInternal(metaKey, raw)
		return bt.close(fctx)
	}
	interrupted := func(cause error) (Status, bool, error) {
		bt.discard()
		if err := finish(context.Background(), false); err != nil {
			return st, false, errors.Join(cause, err)
		}
		return st, true, cause
	}
	var removed []int64
	for id := range fps {
		if !live[id] {
			removed = append(removed, id)
		}
	}
	sort.Slice(removed, func(i, j int) bool { return removed[i] < removed[j] })
	for _, id := range removed {
		old, err := docPassages(b, id)
		if err != nil {
			return st, false, err
		}
		for _, p := range old {
			bt.delete(passageID(id, p))
			if bt.full() {
				if err := bt.flush(ctx); err != nil {
					if ctx.Err() != nil {
						return interrupted(err)
					}
					return st, false, err
				}
			}
		}
		bt.pending = append(bt.pending, func() { delete(fps, id) })
		st.Removed++
	}
	passages := 0
	for i, d := range todo {
		if err := ctx.Err(); err != nil {
			return interrupted(err)
		}
		var old []int
		if !fresh {
			if old, err = docPassages(b, d.ID); err != nil {
				return st, false, err
			}
		}
		n, err := ix.addDoc(ctx, bt, d, old, func() { delete(fps, d.ID) }, 0)
		if err != nil {
			if ctx.Err() != nil {
				return interrupted(ctx.Err())
			}
			return st, false, err
		}
		fp := d.Fingerprint
		bt.pending = append(bt.pending, func() { fps[d.ID] = fp })
		passages += n
		st.Updated++
		if bt.full() {
			if err := bt.flush(ctx); err != nil {
				if ctx.Err() != nil {
					return interrupted(err)
				}
				return st, false, err
			}
		}
		if progress != nil {
			progress(i+1, len(todo))
		}
	}
	if err := finish(ctx, true); err != nil {
		if ctx.Err() != nil {
			return interrupted(err)
		}
		return st, false, err
	}
	// After a large update, merge the segments into one: a smaller index
	// and faster queries, for a few seconds once. Interrupted, the index
	// is whole all the same.
	if st.Updated >= forceMergeAt || bt.flushes >= forceMergeFlushes {
		// The merge maps every segment (at 10M words, 165 MB of file
		// pages resident): give back the heap the batches left first,
		// or both count at once.
		debug.FreeOSMemory()
		if err := merge(ctx, b); err != nil {
			return st, true, err
		}
		// Wait until the merged segment is recorded on disk, or the
		// merge would be lost on closing.
		raw, _ := json.Marshal(meta{MappingVersion: MappingVersion, Generation: gen})
		bt.batch.SetInternal(metaKey, raw)
		if err := bt.send(ctx, true); err != nil {
			return st, false, err
		}
	}
	return st, true, nil
}

// forceMergeAt is how many documents, and forceMergeFlushes how many
// batches, an update must take before the index is merged into one
// segment.
const (
	forceMergeAt      = 50
	forceMergeFlushes = 20
)

func merge(ctx context.Context, b bleve.Index) error {
	adv, err := b.Advanced()
	if err != nil {
		return fmt.Errorf("index: %w", err)
	}
	sc, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil
	}
	// One request merges at most ten segments a task: ask again until
	// one is left.
	for try := 0; try < 8; try++ {
		opt := mergeplan.SingleSegmentMergePlanOptions
		if err := sc.ForceMerge(ctx, &opt); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("index: merge segments: %w", err)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if n, err := segmentCount(sc); err != nil || n <= 1 {
			return err
		}
	}
	return nil
}

// segmentCount is the number of segments of the index as it is now.
func segmentCount(sc *scorch.Scorch) (int, error) {
	r, err := sc.Reader()
	if err != nil {
		return 0, fmt.Errorf("index: %w", err)
	}
	defer r.Close()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return 0, nil
	}
	return len(snap.Segments()), nil
}

// docPassages returns the starts of the passages the index holds for a
// document: what is in the index is the truth, also after an update
// that was interrupted half-way through the document.
func docPassages(b bleve.Index, id int64) ([]int, error) {
	q := bleve.NewTermQuery(strconv.FormatInt(id, 10))
	q.SetField("doc_id")
	n, err := b.DocCount()
	if err != nil {
		return nil, damaged("%v", err)
	}
	res, err := b.Search(bleve.NewSearchRequestOptions(q, int(min(n, math.MaxInt32)), 0, false))
	if err != nil {
		return nil, damaged("%v", err)
	}
	starts := make([]int, 0, len(res.Hits))
	for _, h := range res.Hits {
		_, start, err := parsePassageID(h.ID)
		if err != nil {
			return nil, damaged("%v", err)
		}
		starts = append(starts, start)
	}
	return starts, nil
}

// addDoc indexes a document's passages with the codes, coders and
// attributes that apply to each, sending the batch whenever it is full.
// old are the passage ids the index held for the document: those not
// made again are deleted. The first batch that holds any of this
// document runs started (so that its fingerprint is forgotten until the
// document is done).
//
// limit, when above 0, refuses a text longer than that many bytes with
// errOverBudget.
func (ix *Index) addDoc(ctx context.Context, bt *batcher, d coding.DocState, old []int, started func(), limit int) (int, error) {
	doc, err := ix.store.DocumentByID(ctx, d.ID, true)
	if err != nil {
		return 0, fmt.Errorf("index %s: %w", d.Name, err)
	}
	if limit > 0 && len(doc.Text) > limit {
		return 0, errOverBudget
	}
	turns, err := ix.store.Turns(ctx, d.ID)
	if err != nil {
		return 0, fmt.Errorf("index %s: %w", d.Name, err)
	}
	codings, err := ix.store.Codings(ctx, coding.CodingFilter{DocID: d.ID})
	if err != nil {
		return 0, fmt.Errorf("index %s: %w", d.Name, err)
	}
	attrs := make([]string, 0, len(doc.Attributes))
	for _, a := range doc.Attributes {
		attrs = append(attrs, strings.ToLower(a.Key+"="+a.Value))
	}
	passages, err := splitPassagesCtx(ctx, doc.Text, turns)
	if err != nil {
		return 0, err
	}
	tagged := passageCodes(passages, codings)
	starts := make([]int, len(passages))
	for i, p := range passages {
		starts[i] = p.Start
	}
	// Old passages that are not made again are deleted.
	var gone []int
	if len(old) > 0 {
		keep := make(map[int]bool, len(passages))
		for _, st := range starts {
			keep[st] = true
		}
		for _, st := range old {
			if !keep[st] {
				gone = append(gone, st)
			}
		}
	}
	if started != nil {
		bt.pending = append(bt.pending, started)
	}
	flush := func() error {
		if !bt.full() {
			return nil
		}
		return bt.flush(ctx)
	}
	for _, st := range gone {
		bt.delete(passageID(d.ID, st))
		if err := flush(); err != nil {
			return 0, err
		}
	}
	docID := strconv.FormatInt(d.ID, 10)
	// Where each passage lies (bytes, line), found walking the text once:
	// a hit is cut from the store's text without reading it all again.
	cur := textCursor{text: doc.Text, line: 1}
	for i, p := range passages {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return 0, err
			}
		}
		t := tagged[i]
		coded := "no"
		if t != nil && len(t.codes) > 0 {
			coded = "yes"
		}
		fields := map[string]interface{}{
			"_type":   "passage",
			"text":    p.Text,
			"raw":     p.Text,
			"doc":     doc.Name,
			"doc_id":  docID,
			"speaker": p.Speaker,
			"attr":    attrs,
			"lang":    doc.Lang,
			"coded":   coded,
			"order":   orderKey(doc.Name, p.Start),
			"at":      cur.at(p, turns).String(),
		}
		if t != nil {
			fields["code"], fields["coder"], fields["code_coder"] = t.codes, t.coders, t.pairs
		}
		if err := bt.add(passageID(d.ID, p.Start), fields, len(p.Text)); err != nil {
			return 0, fmt.Errorf("index %s: %w", d.Name, err)
		}
		if err := flush(); err != nil {
			return 0, err
		}
	}
	return len(passages), nil
}

// textCursor walks a document's text forward, code point by code point,
// counting lines.
type textCursor struct {
	text  string
	cp, b int
	line  int
}

// at returns where a passage lies; passages come in order of start.
func (c *textCursor) at(p passage, turns []coding.Turn) passageAt {
	for c.cp < p.Start && c.b < len(c.text) {
		r, n := utf8.DecodeRuneInString(c.text[c.b:])
		if r == '\n' {
			c.line++
		}
		c.b += n
		c.cp++
	}
	a := passageAt{end: p.End, byteStart: c.b, byteEnd: c.b + len(p.Text), line: c.line, turn: p.Turn}
	if p.Turn > 0 && p.Turn <= len(turns) && turns[p.Turn-1].Time != nil {
		a.time = coding.FormatClock(*turns[p.Turn-1].Time)
	}
	return a
}

// tags are the codes, coders and code/coder pairs on one passage.
type tags struct {
	codes, coders, pairs []string
}

// passageCodes finds, for each passage (in order of start, not
// overlapping), the codings that overlap it: each coding looks up its
// first passage by binary search and walks on while they overlap, so the
// cost follows the codings, not passages × codings.
func passageCodes(passages []passage, codings []coding.Coding) map[int]*tags {
	out := map[int]*tags{}
	for _, c := range codings {
		i := sort.Search(len(passages), func(i int) bool { return passages[i].End > c.Start })
		code := strconv.FormatInt(c.CodeID, 10)
		for ; i < len(passages) && passages[i].Start < c.End; i++ {
			t := out[i]
			if t == nil {
				t = &tags{}
				out[i] = t
			}
			t.codes = appendOnce(t.codes, code)
			t.coders = appendOnce(t.coders, c.Coder)
			t.pairs = appendOnce(t.pairs, code+"/"+c.Coder)
		}
	}
	return out
}
