// Package index is the full-text index over a project's transcripts: a
// bleve index derived from the store in package coding, which it reads
// through coding's API and never writes. Before it answers a query it
// catches up with the store's change counter, so no caller has to keep it
// current; it can be deleted at any time and is rebuilt from the store.
//
// The unit indexed is a passage: a paragraph of a speaker's turn. The
// index holds terms and positions, not text: fragments are cut from the
// text in the store.
package index

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/qcode-dev/qcode/coding"
)

// MappingVersion changes whenever the mapping or the passage rules change;
// an index of another version is rebuilt.
const MappingVersion = 3

// Dir is the index folder inside a project folder.
const Dir = "index"

// ErrBusy means another process has the index open for longer than the
// wait allowed.
var ErrBusy = errors.New("the search index is in use by another qcode process; try again in a moment")

// Index is an open search index of one project.
type Index struct {
	b     bleve.Index
	store *coding.Store
	dir   string
	lock  *os.File
}

// Options tune Open.
type Options struct {
	// Progress, when set, is told how far a rebuild or a large update
	// has got.
	Progress func(done, total int)
	// Wait is how long to wait for another process to release the index;
	// default 2 s.
	Wait time.Duration
}

// Status says what Open or Sync had to do.
type Status struct {
	// Rebuilt is set when the index was made from scratch, and Reason
	// says why (missing, another mapping version, unreadable).
	Rebuilt bool
	Reason  string
	// Updated and Removed count documents whose passages were
	// (re)indexed or dropped.
	Updated, Removed int
}

type meta struct {
	MappingVersion int   `json:"mapping_version"`
	Generation     int64 `json:"generation"`
}

var (
	metaKey = []byte("qcode:meta")
	fpsKey  = []byte("qcode:fingerprints")
)

func docKey(id int64) []byte { return []byte("qcode:doc:" + strconv.FormatInt(id, 10)) }

// Open opens the project's index, creating or rebuilding it when it is
// missing, of another mapping version, or unreadable, and brings it up to
// date with the store.
func Open(ctx context.Context, s *coding.Store, opt Options) (*Index, Status, error) {
	dir := filepath.Join(s.Dir(), Dir)
	wait := opt.Wait
	if wait == 0 {
		wait = 2 * time.Second
	}
	cfg := map[string]interface{}{"bolt_timeout": wait.String()}
	var st Status
	lock, err := lockDir(filepath.Join(s.Dir(), lockFile), wait)
	if err != nil {
		if errors.Is(err, ErrBusy) {
			return nil, st, ErrBusy
		}
		return nil, st, fmt.Errorf("lock index: %w", err)
	}
	ix, st, err := open(ctx, s, dir, cfg, opt)
	if err != nil {
		lock.Close()
		return nil, st, err
	}
	ix.lock = lock
	return ix, st, nil
}

// lockFile guards the index folder; it lives beside it.
const lockFile = "index.lock"

func open(ctx context.Context, s *coding.Store, dir string, cfg map[string]interface{}, opt Options) (*Index, Status, error) {
	var st Status
	b, err := bleve.OpenUsing(dir, cfg)
	if err != nil {
		b = nil // bleve returns a typed nil
	}
	switch {
	case err == nil:
		var m meta
		raw, err := b.GetInternal(metaKey)
		if err == nil && raw != nil {
			err = json.Unmarshal(raw, &m)
		}
		if err != nil || m.MappingVersion != MappingVersion {
			b.Close()
			b = nil
			st.Reason = fmt.Sprintf("it was made for mapping version %d, this qcode uses %d", m.MappingVersion, MappingVersion)
			if err != nil || raw == nil {
				st.Reason = "its metadata is unreadable"
			}
		}
	case isTimeout(err):
		return nil, st, ErrBusy
	case errors.Is(err, bleve.ErrorIndexPathDoesNotExist):
		st.Reason = "there was none"
	default:
		st.Reason = fmt.Sprintf("it could not be opened (%v)", err)
	}
	if b == nil {
		st.Rebuilt = true
		if err := os.RemoveAll(dir); err != nil {
			return nil, st, fmt.Errorf("rebuild index: %w", err)
		}
		b, err = bleve.NewUsing(dir, buildMapping(), scorch.Name, scorch.Name, cfg)
		if err != nil {
			if isTimeout(err) {
				return nil, st, ErrBusy
			}
			return nil, st, fmt.Errorf("create index: %w", err)
		}
		// bleve writes its metadata file readable by all; the index is
		// derived from interviews and stays as private as they are.
		if err := os.Chmod(filepath.Join(dir, "index_meta.json"), 0o600); err != nil {
			b.Close()
			return nil, st, fmt.Errorf("create index: %w", err)
		}
	}
	ix := &Index{b: b, store: s, dir: dir}
	up, err := ix.sync(ctx, opt.Progress)
	if err != nil {
		b.Close()
		return nil, st, err
	}
	st.Updated, st.Removed = up.Updated, up.Removed
	return ix, st, nil
}

func isTimeout(err error) bool {
	return err != nil && strings.Contains(err.Error(), "timeout")
}

// Close releases the index.
func (ix *Index) Close() error {
	err := ix.b.Close()
	if ix.lock != nil {
		ix.lock.Close()
	}
	return err
}

// Rebuild deletes the index of the project and makes it again from the
// store.
func Rebuild(ctx context.Context, s *coding.Store, opt Options) (*Index, Status, error) {
	wait := opt.Wait
	if wait == 0 {
		wait = 2 * time.Second
	}
	lock, err := lockDir(filepath.Join(s.Dir(), lockFile), wait)
	if err != nil {
		if errors.Is(err, ErrBusy) {
			return nil, Status{}, ErrBusy
		}
		return nil, Status{}, fmt.Errorf("lock index: %w", err)
	}
	dir := filepath.Join(s.Dir(), Dir)
	if err := os.RemoveAll(dir); err != nil {
		lock.Close()
		return nil, Status{}, fmt.Errorf("rebuild index: %w", err)
	}
	ix, st, err := open(ctx, s, dir, map[string]interface{}{"bolt_timeout": wait.String()}, opt)
	if err != nil {
		lock.Close()
		return nil, st, err
	}
	ix.lock = lock
	st.Reason = "asked to"
	return ix, st, nil
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
	raw.IncludeTermVectors = true
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
	p.AddFieldMappingsAt("speaker", keyword(false))
	p.AddFieldMappingsAt("code", keyword(false))
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

// Sync brings the index up to date with the store. It is cheap when
// nothing changed: one read of the store's generation.
func (ix *Index) Sync(ctx context.Context) (Status, error) {
	return ix.sync(ctx, nil)
}

// docEntry is what the index remembers of a document: the passage ids it
// holds for it.
type docEntry struct {
	Passages []string `json:"passages"`
}

func (ix *Index) sync(ctx context.Context, progress func(done, total int)) (Status, error) {
	var st Status
	gen, err := ix.store.Generation(ctx)
	if err != nil {
		return st, err
	}
	var m meta
	if raw, _ := ix.b.GetInternal(metaKey); raw != nil {
		json.Unmarshal(raw, &m)
	}
	if m.MappingVersion == MappingVersion && m.Generation == gen {
		return st, nil
	}
	states, err := ix.store.DocStates(ctx)
	if err != nil {
		return st, fmt.Errorf("index: %w", err)
	}
	fps := map[int64]string{}
	if raw, _ := ix.b.GetInternal(fpsKey); raw != nil {
		if err := json.Unmarshal(raw, &fps); err != nil {
			fps = map[int64]string{}
		}
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
	batch := ix.b.NewBatch()
	flushAt := 2000
	flush := func() error {
		if batch.Size() == 0 {
			return nil
		}
		if err := ix.b.Batch(batch); err != nil {
			return fmt.Errorf("index: %w", err)
		}
		batch.Reset()
		return nil
	}
	for id := range fps {
		if !live[id] {
			if err := ix.dropDoc(batch, id); err != nil {
				return st, err
			}
			delete(fps, id)
			st.Removed++
		}
	}
	total := len(todo)
	for i, d := range todo {
		if err := ctx.Err(); err != nil {
			return st, err
		}
		if err := ix.dropDoc(batch, d.ID); err != nil {
			return st, err
		}
		n, err := ix.addDoc(ctx, batch, d)
		if err != nil {
			return st, err
		}
		fps[d.ID] = d.Fingerprint
		st.Updated++
		if batch.Size() >= flushAt || n > flushAt {
			if err := flush(); err != nil {
				return st, err
			}
		}
		if progress != nil {
			progress(i+1, total)
		}
	}
	raw, _ := json.Marshal(fps)
	batch.SetInternal(fpsKey, raw)
	raw, _ = json.Marshal(meta{MappingVersion: MappingVersion, Generation: gen})
	batch.SetInternal(metaKey, raw)
	if err := flush(); err != nil {
		return st, err
	}
	// After a large update, merge the segments into one: a smaller index
	// and faster queries, for a few seconds once.
	if st.Updated >= forceMergeAt {
		if err := ix.merge(ctx); err != nil {
			return st, err
		}
	}
	return st, nil
}

// forceMergeAt is how many documents an update must touch before the
// index is merged into one segment.
const forceMergeAt = 50

func (ix *Index) merge(ctx context.Context) error {
	adv, err := ix.b.Advanced()
	if err != nil {
		return fmt.Errorf("index: %w", err)
	}
	sc, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil
	}
	opt := mergeplan.SingleSegmentMergePlanOptions
	if err := sc.ForceMerge(ctx, &opt); err != nil {
		return fmt.Errorf("index: merge segments: %w", err)
	}
	return nil
}

// dropDoc deletes the passages the index holds for a document.
func (ix *Index) dropDoc(batch *bleve.Batch, id int64) error {
	raw, err := ix.b.GetInternal(docKey(id))
	if err != nil || raw == nil {
		return err
	}
	var e docEntry
	if err := json.Unmarshal(raw, &e); err != nil {
		return nil
	}
	for _, p := range e.Passages {
		batch.Delete(p)
	}
	batch.DeleteInternal(docKey(id))
	return nil
}

// addDoc indexes a document's passages with the codes, coders and
// attributes that apply to each.
func (ix *Index) addDoc(ctx context.Context, batch *bleve.Batch, d coding.DocState) (int, error) {
	doc, err := ix.store.Document(ctx, strconv.FormatInt(d.ID, 10), true)
	if err != nil {
		return 0, fmt.Errorf("index %s: %w", d.Name, err)
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
	passages := splitPassages(doc.Text, turns)
	e := docEntry{Passages: make([]string, 0, len(passages))}
	docID := strconv.FormatInt(d.ID, 10)
	for _, p := range passages {
		var codes, coders, pairs []string
		for _, c := range codings {
			if c.Start < p.End && c.End > p.Start {
				code := strconv.FormatInt(c.CodeID, 10)
				codes = appendOnce(codes, code)
				coders = appendOnce(coders, c.Coder)
				pairs = appendOnce(pairs, code+"/"+c.Coder)
			}
		}
		coded := "no"
		if len(codes) > 0 {
			coded = "yes"
		}
		id := passageID(d.ID, p.Start)
		fields := map[string]interface{}{
			"_type":      "passage",
			"text":       p.Text,
			"raw":        p.Text,
			"doc":        doc.Name,
			"doc_id":     docID,
			"speaker":    p.Speaker,
			"code":       codes,
			"coder":      coders,
			"code_coder": pairs,
			"attr":       attrs,
			"lang":       doc.Lang,
			"coded":      coded,
			"order":      orderKey(doc.Name, p.Start),
		}
		if err := batch.Index(id, fields); err != nil {
			return 0, fmt.Errorf("index %s: %w", d.Name, err)
		}
		e.Passages = append(e.Passages, id)
	}
	raw, _ := json.Marshal(e)
	batch.SetInternal(docKey(d.ID), raw)
	return len(passages), nil
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
