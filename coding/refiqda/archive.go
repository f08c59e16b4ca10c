package refiqda

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/qcode-dev/qcode/transcripts/capped"
)

// Limits on what an archive may make qcode read. Sizes are counted while
// inflating, never taken from the archive's own claims.
const (
	maxEntries  = 100000    // entries in the archive
	maxQDESize  = 256 << 20 // project.qde, inflated
	maxTextSize = 64 << 20  // one text file, inflated
	maxTotal    = 1 << 30   // everything read from one archive, inflated
	maxXMLDepth = 1000      // nesting of XML elements
)

// errOverCap is what a capped reader returns past its limit.
var errOverCap = capped.ErrOverCap

// ErrHostile marks an archive refused as unsafe or malformed: not a zip,
// no project.qde, a zip bomb, XML with a DOCTYPE.
var ErrHostile = errors.New("not a usable REFI-QDA project")

// archive is an opened .qdpx: its entries by lower-case name, and the
// budget of bytes inflated so far.
type archive struct {
	name    string // the .qdpx, for messages
	entries map[string]*zip.File
	spent   int64
	total   int64 // the budget: maxTotal, lower in tests
	// measured holds the sizes of entries measure probed and read has
	// not taken yet.
	measured map[*zip.File]int64
	warn     func(format string, args ...any)
}

// safeEntryName reports whether an entry or path names something inside
// the archive: relative, without "..", backslashes or a drive letter.
func safeEntryName(n string) bool {
	if n == "" || strings.HasPrefix(n, "/") || strings.ContainsAny(n, "\\\x00") {
		return false
	}
	if len(n) >= 2 && n[1] == ':' {
		return false
	}
	for _, part := range strings.Split(n, "/") {
		if part == ".." {
			return false
		}
	}
	return true
}

func openArchive(name string, r io.ReaderAt, size int64, warn func(string, ...any)) (*archive, error) {
	if size == 0 {
		return nil, fmt.Errorf("%w: the file is empty", ErrHostile)
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		head := make([]byte, min(size, 512))
		n, _ := r.ReadAt(head, 0)
		head = bytes.TrimLeft(bytes.TrimPrefix(head[:n], []byte("\xEF\xBB\xBF")), " \t\r\n")
		if bytes.HasPrefix(head, []byte("<")) {
			return nil, fmt.Errorf("%w: an XML file, not a zip archive: a codebook (.qdc) goes to 'qcode import-codebook'", ErrHostile)
		}
		return nil, fmt.Errorf("%w: not a zip archive (%v)", ErrHostile, err)
	}
	if len(zr.File) > maxEntries {
		return nil, fmt.Errorf("%w: %d entries in the archive, at most %d", ErrHostile, len(zr.File), maxEntries)
	}
	a := &archive{name: name, entries: map[string]*zip.File{}, total: maxTotal, warn: warn}
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, "/") {
			continue
		}
		if !safeEntryName(f.Name) {
			warn("ignored archive entry %q: its path leads outside the archive", f.Name)
			continue
		}
		key := strings.ToLower(path.Clean(f.Name))
		if _, dup := a.entries[key]; dup {
			warn("ignored archive entry %q: a second entry of that name", f.Name)
			continue
		}
		a.entries[key] = f
	}
	return a, nil
}

// qde finds the project XML: project.qde at the root, else the one .qde
// file there (ATLAS.ti names it after the project).
func (a *archive) qde() (*zip.File, error) {
	if f, ok := a.entries["project.qde"]; ok {
		return f, nil
	}
	var found []*zip.File
	for k, f := range a.entries {
		if !strings.Contains(k, "/") && strings.HasSuffix(k, ".qde") {
			found = append(found, f)
		}
	}
	switch len(found) {
	case 0:
		return nil, fmt.Errorf("%w: no project.qde in the archive", ErrHostile)
	case 1:
		return found[0], nil
	}
	return nil, fmt.Errorf("%w: %d .qde files in the archive and none called project.qde", ErrHostile, len(found))
}

// lookup finds the entry for a source path (without its scheme):
// sources/<p> first, then p itself, case-insensitively.
func (a *archive) lookup(p string) (*zip.File, bool) {
	for _, k := range []string{"sources/" + p, p} {
		if f, ok := a.entries[strings.ToLower(path.Clean(k))]; ok {
			return f, true
		}
	}
	return nil, false
}

// open opens an entry for reading at most limit inflated bytes, counted
// against the archive's budget. It first inflates the entry without
// keeping it (see probe), so that a zip bomb is refused before anything
// parses it or holds it in memory.
func (a *archive) open(f *zip.File, limit int64) (io.ReadCloser, error) {
	n, err := a.probe(f, limit)
	if err != nil {
		return nil, err
	}
	return a.reopen(f, n)
}

// probe inflates an entry to nowhere, at most limit bytes and at most
// what is left of the archive's budget, and counts its size against the
// budget as it goes. It returns the entry's inflated size.
func (a *archive) probe(f *zip.File, limit int64) (int64, error) {
	left := a.total - a.spent
	rc, err := f.Open()
	if err != nil {
		return 0, fmt.Errorf("%w: %s: %v", ErrHostile, f.Name, err)
	}
	defer rc.Close()
	var n int64
	_, err = io.Copy(io.Discard, capped.NewReader(rc, min(limit, left)).Counting(&n))
	if err != nil {
		if errors.Is(err, errOverCap) && left < limit {
			return 0, a.totalErr()
		}
		return 0, a.readErr(f, limit, err)
	}
	a.spent += n
	return n, nil
}

// reopen opens an entry probe has measured at n bytes; it reads no more
// than that.
func (a *archive) reopen(f *zip.File, n int64) (io.ReadCloser, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrHostile, f.Name, err)
	}
	return struct {
		io.Reader
		io.Closer
	}{capped.NewReader(rc, n), rc}, nil
}

// totalErr refuses an archive whose entries together inflate past the
// budget.
func (a *archive) totalErr() error {
	return fmt.Errorf("%w: the files qcode reads from the archive inflate beyond %s in all (a zip bomb?)", ErrHostile, sizeName(a.total))
}

func (a *archive) readErr(f *zip.File, limit int64, err error) error {
	if errors.Is(err, errOverCap) {
		return fmt.Errorf("%w: %s inflates beyond %s (a zip bomb?)", ErrHostile, f.Name, sizeName(limit))
	}
	return fmt.Errorf("%w: %s: %v", ErrHostile, f.Name, err)
}

// read returns an entry's inflated bytes, at most limit of them. An
// entry measured by measure is not counted again.
func (a *archive) read(f *zip.File, limit int64) ([]byte, error) {
	var rc io.ReadCloser
	var err error
	if n, ok := a.measured[f]; ok {
		delete(a.measured, f)
		rc, err = a.reopen(f, n)
	} else {
		rc, err = a.open(f, limit)
	}
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		return nil, a.readErr(f, limit, err)
	}
	return data, nil
}

// measure probes entries before any of them is read, so that archives
// whose files together inflate past the budget are refused while nothing
// is held in memory. read then takes each measured entry once without
// counting it again.
func (a *archive) measure(files []*zip.File, limit int64) error {
	if a.measured == nil {
		a.measured = map[*zip.File]int64{}
	}
	for _, f := range files {
		if _, ok := a.measured[f]; ok {
			continue
		}
		n, err := a.probe(f, limit)
		if err != nil {
			return err
		}
		a.measured[f] = n
	}
	return nil
}

func sizeName(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// guard hands the tokens of an XML stream to encoding/xml's decoder,
// refusing directives (DOCTYPE, ENTITY) and deep nesting. encoding/xml
// never expands or fetches entities; refusing DOCTYPE outright also rules
// out entity tricks a future reader might honour.
type guard struct {
	d     *xml.Decoder
	depth int
}

func (g *guard) Token() (xml.Token, error) {
	tok, err := g.d.RawToken()
	if err != nil {
		return nil, err
	}
	switch tok.(type) {
	case xml.Directive:
		return nil, errors.New("XML with a DOCTYPE or ENTITY declaration is refused")
	case xml.StartElement:
		g.depth++
		if g.depth > maxXMLDepth {
			return nil, fmt.Errorf("XML nested deeper than %d elements", maxXMLDepth)
		}
	case xml.EndElement:
		g.depth--
	}
	return tok, nil
}

// asUTF8 is the XML decoders' CharsetReader. REFI-QDA files are UTF-8;
// one that declares another encoding is read as UTF-8 all the same,
// which is right for the ASCII text some exporters label so, and a byte
// that is not UTF-8 is then an error.
func asUTF8(label string, r io.Reader) (io.Reader, error) { return r, nil }

// decodeProject parses project XML from r.
func decodeProject(r io.Reader) (*xProject, error) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\xEF\xBB\xBF")) {
		br.Discard(3)
	}
	raw := xml.NewDecoder(br)
	raw.Strict = true
	raw.CharsetReader = asUTF8
	d := xml.NewTokenDecoder(&guard{d: raw})
	var p xProject
	if err := d.Decode(&p); err != nil {
		if err == io.EOF {
			return nil, errors.New("no XML in it")
		}
		return nil, err
	}
	return &p, nil
}
