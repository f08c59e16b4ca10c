package index

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"

	"github.com/qcode-dev/qcode/coding"
)

// overlay answers for the documents that changed since the snapshot a
// reader has open was published, while another process is still bringing
// the index up to date: they are indexed in memory, and the snapshot's
// passages of them (and of documents removed since) are left out of its
// answers. A search is so correct as of its start without waiting for the
// writer.
type overlay struct {
	gen     int64  // the store's generation it was built for
	snap    string // the snapshot it complements ("" for none)
	mem     bleve.Index
	exclude []string // doc ids the snapshot must not answer for
	pending []string // documents too large to index here: not searched
}

// overlayBudget caps the text a reader indexes in memory for one
// overlay (about a second's work); larger documents wait for the writer
// and are reported as pending.
const overlayBudget = 4 << 20

var errOverBudget = errors.New("over the overlay budget")

func (ov *overlay) close() {
	if ov.mem != nil {
		ov.mem.Close()
	}
}

func (ix *Index) buildOverlay(ctx context.Context, gen int64) (*overlay, error) {
	ov := &overlay{gen: gen}
	fps := map[int64]string{}
	if ix.snap != nil {
		var err error
		if fps, err = ix.snap.fingerprints(); err != nil {
			return nil, err
		}
		ov.snap = ix.snap.path
	}
	states, err := ix.store.DocStates(ctx)
	if err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	live := map[int64]bool{}
	var stale []coding.DocState
	for _, d := range states {
		if !d.Latest {
			continue
		}
		live[d.ID] = true
		if fps[d.ID] != d.Fingerprint {
			stale = append(stale, d)
			ov.exclude = append(ov.exclude, strconv.FormatInt(d.ID, 10))
		}
	}
	for id := range fps {
		if !live[id] {
			ov.exclude = append(ov.exclude, strconv.FormatInt(id, 10))
		}
	}
	if len(stale) == 0 {
		return ov, nil
	}
	mem, err := bleve.NewUsing("", buildMapping(), scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	ov.mem = mem
	bt := newBatcher(mem)
	for _, d := range stale {
		left := overlayBudget - bt.total
		if left <= 0 {
			ov.pending = append(ov.pending, d.Name)
			continue
		}
		if _, err := ix.addDoc(ctx, bt, d, nil, nil, left); err != nil {
			if errors.Is(err, errOverBudget) {
				ov.pending = append(ov.pending, d.Name)
				continue
			}
			ov.close()
			return nil, err
		}
	}
	if err := bt.flush(ctx); err != nil {
		ov.close()
		return nil, err
	}
	return ov, nil
}
