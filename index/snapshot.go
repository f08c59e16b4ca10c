package index

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
)

// The index folder holds published snapshots and a pointer to the newest:
//
//	index/CURRENT      the name of the current snapshot ("s0000000012")
//	index/s0000000012/ a complete bleve index, never written once published
//	index/w….tmp/      the one writer's working copy, while it works
//
// A writer (one at a time, under index.lock beside the folder) copies the
// current snapshot (hard links for bleve's immutable segment files, a copy
// of its small root file), brings the copy up to date, closes it and
// publishes it by renaming it and rewriting CURRENT. Readers open the
// current snapshot read-only and never take the writer's lock, so they
// never wait for a writer, and a writer killed at any moment leaves the
// last published snapshot as it was.

const currentFile = "CURRENT"

// errDamaged wraps anything wrong with the files of a snapshot: a segment
// whose checksum does not match, or an error or panic from bleve while
// opening it.
var errDamaged = errors.New("it is damaged")

func damaged(format string, a ...any) error {
	return fmt.Errorf("%w: %s", errDamaged, fmt.Sprintf(format, a...))
}

// readCurrent returns the path of the current snapshot, or "" when there
// is none.
func readCurrent(dir string) string {
	raw, err := os.ReadFile(filepath.Join(dir, currentFile))
	if err != nil {
		return ""
	}
	name := strings.TrimSpace(string(raw))
	if !isSnapshotName(name) {
		return ""
	}
	return filepath.Join(dir, name)
}

func isSnapshotName(name string) bool {
	if len(name) != 11 || name[0] != 's' {
		return false
	}
	_, err := strconv.ParseUint(name[1:], 10, 64)
	return err == nil
}

// snapshotSeq is the sequence number of a snapshot path.
func snapshotSeq(path string) uint64 {
	n, _ := strconv.ParseUint(filepath.Base(path)[1:], 10, 64)
	return n
}

// openedSnapshot is a snapshot open read-only, with what the index
// remembers of the store.
type openedSnapshot struct {
	path string
	b    bleve.Index
	meta meta

	mu    sync.Mutex
	fps   map[int64]string     // see fingerprints
	ranks map[string]rankTable // by segment file path
}

// fingerprints returns the fingerprint of each document as the snapshot
// holds it, read once: only a search of a snapshot older than the store
// needs them (to know which documents to answer from the store).
func (o *openedSnapshot) fingerprints() (map[int64]string, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.fps != nil {
		return o.fps, nil
	}
	fps := map[int64]string{}
	raw, err := o.b.GetInternal(fpsKey)
	if err != nil {
		return nil, damaged("%v", err)
	}
	if raw != nil && json.Unmarshal(raw, &fps) != nil {
		return nil, damaged("its list of documents is unreadable")
	}
	o.fps = fps
	return fps, nil
}

// rankTable returns the rank table of one of the snapshot's segments,
// read once.
func (o *openedSnapshot) rankTable(seg string, docs uint64) rankTable {
	o.mu.Lock()
	defer o.mu.Unlock()
	if t, ok := o.ranks[seg]; ok {
		return t
	}
	if o.ranks == nil {
		o.ranks = map[string]rankTable{}
	}
	t := readRanks(seg, docs)
	o.ranks[seg] = t
	return t
}

// openSnapshot verifies a snapshot's segment files and opens it
// read-only. Any failure, and any panic inside bleve, is errDamaged.
func openSnapshot(path string) (o *openedSnapshot, err error) {
	if err := verifySegments(path); err != nil {
		return nil, err
	}
	var b bleve.Index
	defer faultsPanic()()
	defer func() {
		if r := recover(); r != nil {
			if b != nil {
				closeQuietly(b)
			}
			o, err = nil, damaged("bleve: %v", r)
		}
	}()
	b, err = bleve.OpenUsing(path, map[string]interface{}{"read_only": true})
	if err != nil {
		if errors.Is(err, bleve.ErrorIndexPathDoesNotExist) {
			return nil, err
		}
		return nil, damaged("%v", err)
	}
	o = &openedSnapshot{path: path, b: b}
	raw, err := b.GetInternal(metaKey)
	if err == nil && raw != nil {
		err = json.Unmarshal(raw, &o.meta)
	}
	if err != nil || raw == nil {
		b.Close()
		return nil, damaged("its metadata is unreadable")
	}
	return o, nil
}

// faultsPanic makes a fault reading a memory-mapped file (a segment or
// root file cut short under bleve's feet) a panic of this goroutine,
// which the recover beside it turns into errDamaged, where it would
// kill the process; it returns what puts the setting back.
func faultsPanic() func() {
	old := debug.SetPanicOnFault(true)
	return func() { debug.SetPanicOnFault(old) }
}

// closeQuietly closes a bleve index that may be in a bad state.
func closeQuietly(b bleve.Index) {
	defer faultsPanic()()
	defer func() { recover() }()
	b.Close()
}

// verifySegments checks the CRC-32 that ends every zap segment file
// against its contents. bleve reads segments lazily, in goroutines of its
// own where a panic on a damaged file could not be caught, so a damaged
// segment must be found before bleve opens it. A full check reads the
// whole index, so a segment found whole is remembered (see verifiedFile)
// and checked again only when its size or modification time changes.
func verifySegments(path string) error { return checkSegments(path, true) }

// checkSegments is verifySegments; settle says to remember only the
// checks of files older than stampSettle. The writer, checking the
// segments of the snapshot it is about to publish, remembers all: they
// are whole and will not be written again.
func checkSegments(path string, settle bool) error {
	store := filepath.Join(path, "store")
	entries, err := os.ReadDir(store)
	if err != nil {
		if os.IsNotExist(err) {
			return bleve.ErrorIndexPathDoesNotExist
		}
		return damaged("%v", err)
	}
	stampsPath := filepath.Join(filepath.Dir(path), verifiedFile)
	known := readStamps(stampsPath)
	seen := map[string]bool{}
	changed := false
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".zap") {
			continue
		}
		file := filepath.Join(store, e.Name())
		st, err := os.Stat(file)
		if err != nil {
			return damaged("%v", err)
		}
		stamp := segmentStamp(e.Name(), st)
		if known[stamp] {
			seen[stamp] = true
			continue
		}
		if err := verifyZap(file); err != nil {
			return err
		}
		// A file written a moment ago might be written again within the
		// resolution of its time stamp: remember only older ones.
		if !settle || time.Since(st.ModTime()) > stampSettle {
			seen[stamp], changed = true, true
		}
	}
	if changed {
		writeStamps(stampsPath, seen)
	}
	return nil
}

// verifiedFile, in the index folder, lists the segment files (by name,
// size and modification time) whose checksums were found right, so that
// a process opening the index reads only what changed since.
const verifiedFile = "verified"

// stampSettle is how old a segment file must be for its check to be
// remembered.
const stampSettle = 2 * time.Second

func segmentStamp(name string, st os.FileInfo) string {
	return fmt.Sprintf("%s %d %d", name, st.Size(), st.ModTime().UnixNano())
}

// readStamps reads the verified list; anything unreadable is an empty list.
func readStamps(path string) map[string]bool {
	out := map[string]bool{}
	data, err := os.ReadFile(path)
	if err != nil || len(data) > 1<<20 {
		return out
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) == 3 && strings.HasSuffix(f[0], ".zap") {
			out[line] = true
		}
	}
	return out
}

// writeStamps replaces the verified list, best effort: a reader that
// cannot write it checks the segments again next time.
func writeStamps(path string, stamps map[string]bool) {
	lines := make([]string, 0, len(stamps))
	for s := range stamps {
		lines = append(lines, s)
	}
	sort.Strings(lines)
	tmp := fmt.Sprintf("%s.%d.%d.tmp", path, os.Getpid(), time.Now().UnixNano())
	if err := os.WriteFile(tmp, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		os.Remove(tmp)
		return
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
	}
}

// zapFooter is the size of a zap segment's footer; the CRC is its last
// four bytes.
const zapFooter = 4 + 4 + 4 + 8 + 8 + 8 + 8 + 8

func verifyZap(path string) error {
	f, err := os.Open(path)
	if err != nil {
		if os.IsNotExist(err) {
			return err
		}
		return damaged("%v", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return damaged("%v", err)
	}
	if st.Size() < zapFooter {
		return damaged("segment %s is cut short", filepath.Base(path))
	}
	h := crc32.NewIEEE()
	if _, err := io.CopyN(h, f, st.Size()-4); err != nil {
		return damaged("segment %s: %v", filepath.Base(path), err)
	}
	var want [4]byte
	if _, err := io.ReadFull(f, want[:]); err != nil {
		return damaged("segment %s: %v", filepath.Base(path), err)
	}
	if h.Sum32() != binary.BigEndian.Uint32(want[:]) {
		return damaged("segment %s fails its checksum", filepath.Base(path))
	}
	return nil
}

// copySnapshot makes a working copy of a published snapshot: segment
// files are linked (bleve never changes one once written), the rest is
// copied.
func copySnapshot(from, to string) error {
	if err := os.MkdirAll(filepath.Join(to, "store"), 0o700); err != nil {
		return err
	}
	if err := copyFile(filepath.Join(from, "index_meta.json"), filepath.Join(to, "index_meta.json")); err != nil {
		return err
	}
	entries, err := os.ReadDir(filepath.Join(from, "store"))
	if err != nil {
		return err
	}
	for _, e := range entries {
		src, dst := filepath.Join(from, "store", e.Name()), filepath.Join(to, "store", e.Name())
		if strings.HasSuffix(e.Name(), ".zap") || strings.HasSuffix(e.Name(), ".zap"+rankSuffix) {
			if err := os.Link(src, dst); err == nil {
				continue
			}
		}
		if err := copyFile(src, dst); err != nil {
			return err
		}
	}
	return nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// publish renames a closed working copy to the next snapshot name and
// points CURRENT at it.
func publish(dir, work string) (string, error) {
	var seq uint64
	for _, p := range snapshots(dir) {
		seq = max(seq, snapshotSeq(p))
	}
	name := fmt.Sprintf("s%010d", seq+1)
	path := filepath.Join(dir, name)
	if err := syncDir(filepath.Join(work, "store")); err != nil {
		return "", err
	}
	if err := os.Rename(work, path); err != nil {
		return "", err
	}
	tmp := filepath.Join(dir, currentFile+".tmp")
	if err := os.WriteFile(tmp, []byte(name+"\n"), 0o600); err != nil {
		return "", err
	}
	if f, err := os.Open(tmp); err == nil {
		f.Sync()
		f.Close()
	}
	if err := os.Rename(tmp, filepath.Join(dir, currentFile)); err != nil {
		return "", err
	}
	syncDir(dir)
	return path, nil
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	f.Sync() // not every system can sync a directory
	return nil
}

// snapshots lists the snapshot folders in dir, oldest first.
func snapshots(dir string) []string {
	entries, _ := os.ReadDir(dir)
	var out []string
	for _, e := range entries {
		if e.IsDir() && isSnapshotName(e.Name()) {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	sort.Slice(out, func(i, j int) bool { return snapshotSeq(out[i]) < snapshotSeq(out[j]) })
	return out
}

// keepSnapshots is how many of the newest snapshots are kept whatever
// happens: a reader that has just read CURRENT finds its snapshot there.
const keepSnapshots = 2

// collect removes what the writer (who holds the lock) no longer needs:
// snapshots older than the newest few that no reader has open, working
// copies left by a writer that died, and the files of the single-folder
// layout of earlier versions.
func collect(dir string) {
	current := readCurrent(dir)
	snaps := snapshots(dir)
	for i, p := range snaps {
		if i >= len(snaps)-keepSnapshots || p == current {
			continue
		}
		// A reader holds a shared lock on the snapshot's root file for
		// as long as it has the snapshot open.
		if f, ok := tryExclusive(filepath.Join(p, "store", "root.bolt")); ok {
			os.RemoveAll(p)
			f.Close()
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		name := e.Name()
		switch {
		case strings.HasSuffix(name, ".tmp"), name == "store", name == "index_meta.json":
			os.RemoveAll(filepath.Join(dir, name))
		}
	}
}

// stack is the place a recovered panic came from, for messages.
func stack() string {
	s := string(debug.Stack())
	if len(s) > 2000 {
		s = s[:2000]
	}
	return s
}
