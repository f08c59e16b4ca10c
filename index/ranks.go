package index

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bolt "go.etcd.io/bbolt"
)

// A rank table says, for each passage of one segment file by bleve's
// number for it, its place among the segment's passages in document
// order. A search in document order keeps each segment's first hits by
// rank and reads the order keys of those few only, where bleve's own
// sort reads the key of every hit.
//
// The table of segment store/NAME.zap is the file NAME.zap.order beside it,
// written by the writer before it publishes a snapshot. Segment files
// never change, so neither does their table:
//
//	"qcode-ranks 1\n"  magic
//	uint32             passages, little-endian
//	uint32             CRC-32 (Castagnoli) of the ranks
//	uint32 × passages  ranks, little-endian
//
// A table that is missing, short or fails its checksum is not used: the
// search reads that segment's order keys instead.
type rankTable struct{ ranks []byte }

const (
	rankSuffix = ".order"
	rankMagic  = "qcode-ranks 1\n"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func (t rankTable) ok() bool { return t.ranks != nil }

func (t rankTable) at(n uint64) uint32 {
	return binary.LittleEndian.Uint32(t.ranks[4*n:])
}

// readRanks reads the rank table of the segment at seg, which holds
// docs passages; the zero table when there is none fit to use.
func readRanks(seg string, docs uint64) rankTable {
	raw, err := os.ReadFile(seg + rankSuffix)
	if err != nil {
		return rankTable{}
	}
	head := len(rankMagic) + 8
	if len(raw) < head || !bytes.HasPrefix(raw, []byte(rankMagic)) {
		return rankTable{}
	}
	n := binary.LittleEndian.Uint32(raw[len(rankMagic):])
	sum := binary.LittleEndian.Uint32(raw[len(rankMagic)+4:])
	body := raw[head:]
	if uint64(n) != docs || uint64(len(body)) != 4*docs || crc32.Checksum(body, castagnoli) != sum {
		return rankTable{}
	}
	return rankTable{ranks: body}
}

// writeRanks gives every segment of the closed index at dir that lacks
// one its rank table, and removes the tables of segments no longer there
// and the segment files bleve no longer uses.
func writeRanks(dir string) (err error) {
	defer faultsPanic()()
	defer func() {
		if r := recover(); r != nil {
			err = damaged("bleve: %v", r)
		}
	}()
	store := filepath.Join(dir, "store")
	names, err := os.ReadDir(store)
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, e := range names {
		have[e.Name()] = true
	}
	for name := range have {
		if strings.HasSuffix(name, ".zap"+rankSuffix) && !have[strings.TrimSuffix(name, rankSuffix)] {
			os.Remove(filepath.Join(store, name))
		}
	}
	b, err := bleve.OpenUsing(dir, map[string]interface{}{"read_only": true})
	if err != nil {
		return damaged("%v", err)
	}
	defer b.Close()
	r, err := readerOf(b)
	if err != nil {
		return err
	}
	defer r.Close()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil
	}
	dv, err := r.DocValueReader([]string{"order"})
	if err != nil {
		return err
	}
	live := map[string]bool{}
	defer func() {
		// Segments merged away that bleve had not removed yet would stay
		// in the published snapshot for good.
		if err != nil {
			return
		}
		for name := range have {
			if strings.HasSuffix(name, ".zap") && !live[name] {
				os.Remove(filepath.Join(store, name))
				os.Remove(filepath.Join(store, name+rankSuffix))
			}
		}
	}()
	var at uint64
	for _, ss := range snap.Segments() {
		seg := ss.Segment()
		n := seg.Count()
		start := at
		at += n
		p, ok := seg.(interface{ Path() string })
		if !ok {
			continue
		}
		live[filepath.Base(p.Path())] = true
		if have[filepath.Base(p.Path())+rankSuffix] {
			continue
		}
		type entry struct {
			key, id string
			num     uint32
		}
		es := make([]entry, n)
		for i := uint64(0); i < n; i++ {
			es[i].num = uint32(i)
			err := dv.VisitDocValues(internalID(start+i), func(field string, term []byte) {
				if field == "order" {
					es[i].key = string(term)
				}
			})
			if err != nil {
				return err
			}
			id, err := seg.DocID(i)
			if err != nil {
				return err
			}
			es[i].id = string(id)
		}
		sort.Slice(es, func(i, j int) bool {
			if es[i].key != es[j].key {
				return es[i].key < es[j].key
			}
			return es[i].id < es[j].id
		})
		body := make([]byte, 4*n)
		for rank, e := range es {
			binary.LittleEndian.PutUint32(body[4*uint64(e.num):], uint32(rank))
		}
		out := make([]byte, 0, len(rankMagic)+8+len(body))
		out = append(out, rankMagic...)
		out = binary.LittleEndian.AppendUint32(out, uint32(n))
		out = binary.LittleEndian.AppendUint32(out, crc32.Checksum(body, castagnoli))
		out = append(out, body...)
		path := filepath.Join(store, filepath.Base(p.Path())+rankSuffix)
		if err := writeFileSync(path, out); err != nil {
			return fmt.Errorf("rank table: %w", err)
		}
	}
	return nil
}

// compactRoot rewrites the closed index's bolt file (bleve's list of
// segments and qcode's bookkeeping) without the pages earlier versions
// left free: it grows with every batch written, to several megabytes
// that every later snapshot would copy.
func compactRoot(dir string) error {
	path := filepath.Join(dir, "store", "root.bolt")
	src, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		return err
	}
	defer src.Close()
	tmp := path + ".compact"
	os.Remove(tmp)
	dst, err := bolt.Open(tmp, 0o600, &bolt.Options{Timeout: time.Second, NoSync: true})
	if err != nil {
		return err
	}
	if err := bolt.Compact(dst, src, 4<<20); err != nil {
		dst.Close()
		os.Remove(tmp)
		return err
	}
	if err := dst.Sync(); err != nil {
		dst.Close()
		os.Remove(tmp)
		return err
	}
	if err := dst.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}

// writeFileSync writes a private file and syncs it.
func writeFileSync(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
