// Package index is the full-text index over a project's transcripts: a
// bleve index derived from the store in package coding, which it reads
// through coding's API and never writes. Before it answers a query it
// catches up with the store's change counter, so no caller has to keep it
// current; it can be deleted at any time and is rebuilt from the store.
//
// The unit indexed is a passage: a paragraph of a speaker's turn. The
// index holds terms and positions, not text: fragments are cut from the
// text in the store.
//
// A search counts its matches from their postings alone and reads more
// only for the hits it shows: their term locations (found again by a
// second pass that skips to them), stored fields and passage bytes. In
// document order, each segment's rank table (ranks.go) tells which of its
// hits come first.
package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/qcode-dev/qcode/coding"
)

// MappingVersion changes whenever the mapping or the passage rules change;
// an index of another version is rebuilt.
const MappingVersion = 7

// Dir is the index folder inside a project folder.
const Dir = "index"

// ErrBusy means another process is rebuilding the index and did not
// finish within the wait allowed.
var ErrBusy = errors.New("the search index is being rebuilt by another qcode process; try again in a moment")

// Index is an open search index of one project: the snapshot it reads,
// and, for documents that changed since that snapshot was made while
// another process was updating the index, a small index in memory.
type Index struct {
	store    *coding.Store
	dir      string // the index folder
	lockPath string
	opt      Options
	snap     *openedSnapshot // nil when no snapshot can be read
	ov       *overlay
	texts    *storeTexts // what the last searches read from the store
}

// Options tune Open.
type Options struct {
	// Progress, when set, is told how far a rebuild or a large update
	// has got.
	Progress func(done, total int)
	// Wait is how long Rebuild, or a search that finds the index
	// damaged, waits for another process that is updating the index;
	// default 2 s (30 s for a repair). Searching never waits.
	Wait time.Duration
}

// Status says what Open or Sync had to do.
type Status struct {
	// Rebuilt is set when the index was made from scratch, and Reason
	// says why (missing, another mapping version, damaged).
	Rebuilt bool
	Reason  string
	// Updated and Removed count documents whose passages were
	// (re)indexed or dropped.
	Updated, Removed int
}

func (st *Status) add(o Status) {
	if o.Rebuilt && !st.Rebuilt {
		st.Rebuilt, st.Reason = true, o.Reason
	}
	st.Updated += o.Updated
	st.Removed += o.Removed
}

type meta struct {
	MappingVersion int   `json:"mapping_version"`
	Generation     int64 `json:"generation"`
}

var (
	metaKey = []byte("qcode:meta")
	fpsKey  = []byte("qcode:fingerprints")
)

// lockFile is held by the one process updating the index; it lives
// beside the index folder. Readers never take it.
const lockFile = "index.lock"

func newIndex(s *coding.Store, opt Options) *Index {
	return &Index{store: s, dir: filepath.Join(s.Dir(), Dir), lockPath: filepath.Join(s.Dir(), lockFile), opt: opt}
}

// Open opens the project's index and brings it up to date with the store:
// when no other process is updating it, this one does (creating it when
// missing, rebuilding it when of another mapping version or damaged);
// otherwise it opens the last snapshot that process published, and
// searches answer documents changed since from the store. Open never
// waits for another process.
func Open(ctx context.Context, s *coding.Store, opt Options) (*Index, Status, error) {
	ix := newIndex(s, opt)
	st, err := ix.catchUp(ctx, opt.Progress)
	if err != nil {
		ix.Close()
		return nil, st, err
	}
	return ix, st, nil
}

// Rebuild deletes the index of the project and makes it again from the
// store. It waits up to opt.Wait for a process updating the index.
func Rebuild(ctx context.Context, s *coding.Store, opt Options) (*Index, Status, error) {
	ix := newIndex(s, opt)
	st, ok, err := ix.write(ctx, opt.Progress, "*", ix.wait(2*time.Second))
	if err == nil && !ok {
		err = ErrBusy
	}
	if err == nil {
		err = ix.reopen()
	}
	if err != nil {
		ix.Close()
		return nil, st, err
	}
	st.Reason = "asked to"
	return ix, st, nil
}

func (ix *Index) wait(def time.Duration) time.Duration {
	if ix.opt.Wait > 0 {
		return ix.opt.Wait
	}
	return def
}

// Close releases the index.
func (ix *Index) Close() error {
	var err error
	if ix.snap != nil {
		err = ix.snap.b.Close()
		ix.snap = nil
	}
	if ix.ov != nil {
		ix.ov.close()
		ix.ov = nil
	}
	return err
}

// Sync brings the index up to date with the store, or, when another
// process is updating it, opens the newest snapshot that process has
// published. It is cheap when nothing changed: one read of the store's
// generation.
func (ix *Index) Sync(ctx context.Context) (Status, error) {
	return ix.catchUp(ctx, nil)
}

// catchUp is Sync with progress.
func (ix *Index) catchUp(ctx context.Context, progress func(done, total int)) (Status, error) {
	gen, err := ix.store.Generation(ctx)
	if err != nil {
		return Status{}, err
	}
	if ix.snap != nil && ix.snap.meta.Generation == gen {
		return Status{}, nil
	}
	if ix.snap == nil {
		// A published snapshot as new as the store is all a search
		// needs: open it without the writer's lock, and once.
		if err := ix.reopen(); err == nil && ix.snap != nil && ix.snap.meta.Generation == gen {
			return Status{}, nil
		}
	}
	st, _, err := ix.write(ctx, progress, "", 0)
	if err != nil {
		return st, err
	}
	err = ix.reopen()
	if errors.Is(err, errDamaged) {
		// Another process holds the writer's lock and has not replaced
		// the damaged snapshot yet: wait for it, then repair.
		var st2 Status
		st2, err = ix.repair(ctx, readCurrent(ix.dir))
		st.add(st2)
	}
	return st, err
}

// reopen opens the current snapshot when it is not the one open. A
// snapshot removed between reading CURRENT and opening it is looked up
// again.
func (ix *Index) reopen() error {
	for try := 0; ; try++ {
		cur := readCurrent(ix.dir)
		if ix.snap != nil && ix.snap.path == cur {
			return nil
		}
		if cur == "" {
			return nil // searches answer from the store
		}
		o, err := openSnapshot(cur)
		if err != nil {
			if readCurrent(ix.dir) != cur && try < 10 {
				continue // a writer published meanwhile
			}
			if errors.Is(err, bleve.ErrorIndexPathDoesNotExist) || os.IsNotExist(err) {
				err = damaged("snapshot %s is missing", filepath.Base(cur))
			}
			return err
		}
		if o.meta.MappingVersion != MappingVersion {
			// Made by another qcode; until it is rebuilt, answer from the
			// store.
			o.b.Close()
			if ix.snap != nil {
				ix.snap.b.Close()
				ix.snap = nil
			}
			return nil
		}
		if ix.snap != nil {
			ix.snap.b.Close()
		}
		ix.snap = o
		return nil
	}
}

// repair rebuilds the index when the snapshot at bad is the current one,
// waiting for the writer's lock.
func (ix *Index) repair(ctx context.Context, bad string) (Status, error) {
	if ix.snap != nil && ix.snap.path == bad {
		closeQuietly(ix.snap.b)
		ix.snap = nil
	}
	st, ok, err := ix.write(ctx, nil, bad, ix.wait(30*time.Second))
	if err == nil && !ok {
		err = ErrBusy
	}
	if err == nil {
		err = ix.reopen()
	}
	return st, err
}

// writerMemoryLimit is how far the Go heap may grow, above what the
// process held live before, while it updates the index (unless the
// program set a lower limit). A 10M-word build in a process of its own
// took 54 s with it and 55 s at 256 MB, its peak resident memory 280 MB
// instead of 370 MB. Counted from zero, the same limit made a process
// that already held 100 MB spend half its time collecting garbage.
const writerMemoryLimit = 160 << 20

// heapLive is the heap the last garbage collection found live.
func heapLive() int64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return int64(s[0].Value.Uint64())
}

// write updates the index as its one writer. It takes the writer's lock,
// waiting up to wait (0: only tries); ok is false when another process
// has it. rebuild names a snapshot to be replaced by one made from
// scratch when it is still the current one ("*": whatever is current).
func (ix *Index) write(ctx context.Context, progress func(done, total int), rebuild string, wait time.Duration) (st Status, ok bool, err error) {
	lock, err := lockDir(ix.lockPath, wait)
	if err != nil {
		if errors.Is(err, ErrBusy) {
			return st, false, nil
		}
		return st, false, fmt.Errorf("lock index: %w", err)
	}
	defer lock.Close()
	// Keep the garbage collector close behind: without a limit, the heap
	// of a large update may grow to twice what it holds. A program that
	// turned the collector off for a quick read has it back here.
	if limit, prev := heapLive()+writerMemoryLimit, debug.SetMemoryLimit(-1); prev > limit {
		debug.SetMemoryLimit(limit)
		defer debug.SetMemoryLimit(prev)
	}
	if prev := debug.SetGCPercent(100); prev != 100 {
		defer debug.SetGCPercent(prev)
	}
	if err := os.MkdirAll(ix.dir, 0o700); err != nil {
		return st, true, fmt.Errorf("index: %w", err)
	}
	// Another change may be committed while this one is indexed; catch up
	// with it too, a few times at most.
	for round := 0; round < 3; round++ {
		one, again, err := ix.writeOnce(ctx, progress, rebuild)
		st.add(one)
		if err != nil {
			return st, true, err
		}
		rebuild = ""
		if !again {
			break
		}
	}
	collect(ix.dir)
	return st, true, nil
}

// writeOnce makes a working copy of the current snapshot (or a new
// index), brings it up to date and publishes it. again says the store
// changed while it worked.
func (ix *Index) writeOnce(ctx context.Context, progress func(done, total int), rebuild string) (st Status, again bool, err error) {
	gen, err := ix.store.Generation(ctx)
	if err != nil {
		return st, false, err
	}
	cur := readCurrent(ix.dir)
	from := ""
	switch {
	case cur != "" && (rebuild == "*" || rebuild == cur):
		st.Reason = "it is damaged"
		if rebuild == "*" {
			st.Reason = "asked to"
		}
	case cur == "":
		st.Reason = "there was none"
		if _, err := os.Stat(filepath.Join(ix.dir, "index_meta.json")); err == nil {
			st.Reason = "it was made by an earlier qcode"
		}
	default:
		o, err := openSnapshot(cur)
		switch {
		case err != nil:
			st.Reason = err.Error()
			if !errors.Is(err, errDamaged) {
				st.Reason = fmt.Sprintf("it could not be opened (%v)", err)
			}
		case o.meta.MappingVersion != MappingVersion:
			st.Reason = fmt.Sprintf("it was made for mapping version %d, this qcode uses %d", o.meta.MappingVersion, MappingVersion)
		case o.meta.Generation == gen:
			o.b.Close()
			return st, false, nil
		default:
			from = cur
		}
		if o != nil {
			o.b.Close()
		}
	}
	if from == "" {
		st.Rebuilt = true
	} else {
		st.Reason = ""
	}
	work := filepath.Join(ix.dir, fmt.Sprintf("w%d.tmp", time.Now().UnixNano()))
	b, err := openWork(from, work)
	if err != nil {
		os.RemoveAll(work)
		return st, false, err
	}
	up, consistent, err := ix.syncInto(ctx, b, gen, progress)
	st.Updated, st.Removed = up.Updated, up.Removed
	if cerr := closeWork(b); cerr != nil && err == nil {
		err, consistent = cerr, false
	}
	if err != nil && !consistent {
		os.RemoveAll(work)
		if errors.Is(err, errDamaged) && from != "" && ctx.Err() == nil {
			// The copy of the last snapshot failed under bleve: start
			// again from scratch.
			st2, again, err2 := ix.writeOnce(ctx, progress, cur)
			st2.Reason = err.Error()
			return st2, again, err2
		}
		return st, false, err
	}
	if err == nil {
		// A segment left without its rank table is searched all the
		// same, reading its order keys; a root file not compacted
		// only takes more room; a segment not checked is checked by
		// the next search.
		_ = writeRanks(work)
		_ = compactRoot(work)
		// Checked now, the new segments are not checked again by the
		// first searches after (26 ms for 165 MB of them).
		_ = checkSegments(work, false)
	}
	// Interrupted: what was indexed is kept, and the next update finishes
	// the rest.
	if _, perr := publish(ix.dir, work); perr != nil {
		os.RemoveAll(work)
		if err == nil {
			err = fmt.Errorf("index: %w", perr)
		}
		return st, false, err
	}
	if err != nil {
		return st, false, err
	}
	now, err := ix.store.Generation(ctx)
	return st, err == nil && now != gen, err
}

// openWork opens a working copy of the snapshot at from, or a new index
// when from is "".
func openWork(from, work string) (b bleve.Index, err error) {
	defer faultsPanic()()
	defer func() {
		if r := recover(); r != nil {
			b, err = nil, damaged("bleve: %v", r)
		}
	}()
	if from == "" {
		b, err = bleve.NewUsing(work, buildMapping(), scorch.Name, scorch.Name, workConfig())
		if err != nil {
			return nil, fmt.Errorf("create index: %w", err)
		}
		// bleve writes its metadata file readable by all; the index is
		// derived from interviews and stays as private as they are.
		if err := os.Chmod(filepath.Join(work, "index_meta.json"), 0o600); err != nil {
			b.Close()
			return nil, fmt.Errorf("create index: %w", err)
		}
		return b, nil
	}
	if err := copySnapshot(from, work); err != nil {
		return nil, fmt.Errorf("index: copy snapshot: %w", err)
	}
	b, err = bleve.OpenUsing(work, workConfig())
	if err != nil {
		return nil, damaged("%v", err)
	}
	return b, nil
}

// workConfig opens a working copy with batches that return before they
// are on disk: the batcher waits for them every few batches and at the
// end (a working copy is published only once closed). bleve's merges in
// the background make segments of backgroundMergeMax bytes at most: a
// merge maps the segments it reads, and while batches are built those
// pages come on top of the builders' heap. At 10M words, builds peaked
// at 282–327 MB with merges of any size, 277–319 MB at 48 MB, and
// 265–277 MB in six builds at 24 MB, as fast (50–54 s). The merge after
// a bulk build makes the one segment, once the heap is given back (see
// syncInto).
func workConfig() map[string]interface{} {
	return map[string]interface{}{
		"unsafe_batch":           true,
		"scorchMergePlanOptions": map[string]interface{}{"MaxSegmentFileSize": backgroundMergeMax},
	}
}

const backgroundMergeMax = 24 << 20

func closeWork(b bleve.Index) (err error) {
	defer faultsPanic()()
	defer func() {
		if r := recover(); r != nil {
			err = damaged("bleve: %v", r)
		}
	}()
	if err := b.Close(); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	return nil
}

func buildMapping() mapping.IndexMapping {
	m := bleve.NewIndexMapping()
	for name, a := range analyzers() {
		if err := m.AddCustomAnalyzer(name, a); err != nil {
			panic(err)
		}
	}
	text := bleve.NewTextFieldMapping()
	text.Analyzer = textAnalyzer
	text.Store = false
	text.IncludeTermVectors = true // positions, for phrases and highlights
	text.IncludeInAll = false
	text.DocValues = false

	raw := bleve.NewTextFieldMapping()
	raw.Analyzer = rawAnalyzer
	raw.Store = false
	// No positions: prefix, wildcard and fuzzy queries need none, and
	// their highlights are found again in the passage (see rawmatch.go).
	raw.IncludeTermVectors = false
	raw.IncludeInAll = false
	raw.DocValues = false

	keyword := func(docValues bool) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = keywordAnalyzer
		f.Store = false
		f.IncludeTermVectors = false
		f.IncludeInAll = false
		f.DocValues = docValues
		return f
	}
	p := bleve.NewDocumentStaticMapping()
	p.AddFieldMappingsAt("text", text)
	p.AddFieldMappingsAt("raw", raw)
	p.AddFieldMappingsAt("doc", keyword(false))
	// order sorts hits in document order: one keyword with doc values is
	// far cheaper to sort on than a numeric field, which bleve stores as
	// sixteen prefix-coded terms.
	p.AddFieldMappingsAt("order", keyword(true))
	p.AddFieldMappingsAt("doc_id", keyword(false))
	// A hit is made from what is stored with its passage: where it lies
	// ("at", stored only), its speaker and its codes.
	stored := func(f *mapping.FieldMapping) *mapping.FieldMapping {
		f.Store = true
		return f
	}
	at := keyword(false)
	at.Index = false
	p.AddFieldMappingsAt("at", stored(at))
	p.AddFieldMappingsAt("speaker", stored(keyword(false)))
	p.AddFieldMappingsAt("code", stored(keyword(false)))
	p.AddFieldMappingsAt("coder", keyword(false))
	// code_coder pairs a code with who coded it ("ID/coder"), so that a
	// code filter and a coder filter together mean that coder's codings
	// of the code.
	p.AddFieldMappingsAt("code_coder", keyword(false))
	p.AddFieldMappingsAt("attr", keyword(false))
	p.AddFieldMappingsAt("lang", keyword(false))
	p.AddFieldMappingsAt("coded", keyword(false))

	m.AddDocumentMapping("passage", p)
	m.DefaultMapping = bleve.NewDocumentDisabledMapping()
	m.DefaultField = "text"
	m.DefaultAnalyzer = textAnalyzer
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false
	return m
}

// orderKey sorts passages by document name, then position.
func orderKey(doc string, start int) string {
	return fmt.Sprintf("%s\x1f%010d", doc, start)
}

func appendOnce(list []string, v string) []string {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}

// passageID names a passage by its document and start.
func passageID(doc int64, start int) string {
	return strconv.FormatInt(doc, 10) + "/" + strconv.Itoa(start)
}

func parsePassageID(id string) (doc int64, start int, err error) {
	a, b, ok := strings.Cut(id, "/")
	if !ok {
		return 0, 0, fmt.Errorf("index: bad passage id %q", id)
	}
	doc, err = strconv.ParseInt(a, 10, 64)
	if err == nil {
		start, err = strconv.Atoi(b)
	}
	return doc, start, err
}
