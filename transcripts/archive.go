package transcripts

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/qcode-dev/qcode/transcripts/capped"
)

// Limits for the zipped XML formats (.docx, .odt). Sizes are counted while
// inflating, never taken from the archive's own claims.
const (
	maxEntries   = 10000   // entries in the archive
	maxPropsSize = 1 << 20 // an inflated metadata part
	maxXMLDepth  = 1000    // nesting of XML elements
)

// errOverCap is what a capped reader returns past its limit.
var errOverCap = capped.ErrOverCap

// openArchive opens data as a zip archive for a format named kind (".docx").
func openArchive(data []byte, kind string) (*zip.Reader, error) {
	if bytes.HasPrefix(data, []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")) {
		return nil, errorf(ErrUnsupported, "not a valid %s: a legacy Office document (.doc); save it as %s", kind, kind)
	}
	if len(data) == 0 {
		return nil, errorf(ErrEmpty, "empty file")
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, errorf(ErrMalformed, "not a valid %s: %v", kind, err)
	}
	if len(zr.File) > maxEntries {
		return nil, errorf(ErrMalformed, "not a valid %s: too many entries in the archive (%d, at most %d)", kind, len(zr.File), maxEntries)
	}
	return zr, nil
}

// findFile returns the archive entry called name (ASCII case-insensitive
// as a fallback, since OPC part names are case-insensitive), or nil.
func findFile(zr *zip.Reader, name string) *zip.File {
	for _, f := range zr.File {
		if f.Name == name {
			return f
		}
	}
	for _, f := range zr.File {
		if strings.EqualFold(f.Name, name) {
			return f
		}
	}
	return nil
}

// xmlPart streams the XML of one archive entry under a size cap, refusing
// directives (DOCTYPE, ENTITY) and excessive nesting. encoding/xml never
// expands or fetches external entities; refusing DOCTYPE outright also
// rules out entity tricks that a future reader might honour.
type xmlPart struct {
	kind, name string // ".docx", "word/document.xml": for messages
	limit      int64
	rc         io.ReadCloser
	d          *xml.Decoder
	depth      int
}

// openXMLPart opens entry f of an archive of the given kind.
func openXMLPart(f *zip.File, kind string, limit int64) (*xmlPart, error) {
	// Count the inflated bytes first: inflating is fast, parsing XML is
	// not, so a bomb is refused in milliseconds rather than after
	// parsing 64 MiB of it.
	if err := checkInflatedSize(f, kind, limit); err != nil {
		return nil, err
	}
	rc, err := f.Open()
	if err != nil {
		return nil, errorf(ErrMalformed, "not a valid %s: %s: %v", kind, f.Name, err)
	}
	p := &xmlPart{kind: kind, name: f.Name, limit: limit, rc: rc}
	p.d = xml.NewDecoder(capped.NewReader(rc, limit))
	p.d.Strict = true
	return p, nil
}

func (p *xmlPart) Close() error { return p.rc.Close() }

// checkInflatedSize inflates entry f without keeping it and fails when it
// is larger than limit.
func checkInflatedSize(f *zip.File, kind string, limit int64) error {
	rc, err := f.Open()
	if err != nil {
		return errorf(ErrMalformed, "not a valid %s: %s: %v", kind, f.Name, err)
	}
	defer rc.Close()
	_, err = io.Copy(io.Discard, capped.NewReader(rc, limit))
	switch {
	case errors.Is(err, errOverCap):
		return errorf(ErrTooLarge, "%s inflates beyond %s", f.Name, sizeName(limit))
	case err != nil:
		return errorf(ErrMalformed, "not a valid %s: %s: %v", kind, f.Name, err)
	}
	return nil
}

// token returns the next token; io.EOF at the end of the document.
func (p *xmlPart) token() (xml.Token, error) {
	tok, err := p.d.Token()
	if err != nil {
		if err == io.EOF {
			if p.depth != 0 {
				return nil, errorf(ErrMalformed, "not a valid %s: %s: unexpected end of XML", p.kind, p.name)
			}
			return nil, io.EOF
		}
		if errors.Is(err, errOverCap) {
			return nil, errorf(ErrTooLarge, "%s inflates beyond %s", p.name, sizeName(p.limit))
		}
		return nil, errorf(ErrMalformed, "not a valid %s: %s: %v", p.kind, p.name, err)
	}
	switch tok.(type) {
	case xml.Directive:
		return nil, errorf(ErrMalformed, "not a valid %s: %s: XML with a DOCTYPE is refused", p.kind, p.name)
	case xml.StartElement:
		p.depth++
		if p.depth > maxXMLDepth {
			return nil, errorf(ErrMalformed, "not a valid %s: %s: XML nested deeper than %d elements", p.kind, p.name, maxXMLDepth)
		}
	case xml.EndElement:
		p.depth--
	}
	return tok, nil
}

// skip consumes the rest of the element whose start was just read.
func (p *xmlPart) skip() error {
	for depth := 1; depth > 0; {
		tok, err := p.token()
		if err != nil {
			if err == io.EOF {
				return errorf(ErrMalformed, "not a valid %s: %s: unexpected end of XML", p.kind, p.name)
			}
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		}
	}
	return nil
}

// sizeName renders a byte count as "64 MiB" or "1 MiB".
func sizeName(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// walkElements calls visit at the end of every element of part, with its
// depth (the root is 1), its start tag and all the character data inside it.
func walkElements(p *xmlPart, visit func(depth int, start xml.StartElement, text string)) error {
	type frame struct {
		start xml.StartElement
		off   int
	}
	var stack []frame
	var buf []byte
	for {
		tok, err := p.token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			stack = append(stack, frame{start: t.Copy(), off: len(buf)})
		case xml.CharData:
			if len(stack) > 0 {
				buf = append(buf, t...)
			}
		case xml.EndElement:
			f := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			visit(len(stack)+1, f.start, string(buf[f.off:]))
			if len(stack) == 0 {
				buf = buf[:0]
			}
		}
	}
}

// attr returns the value of the attribute called local (any namespace).
func attr(start xml.StartElement, local string) string {
	for _, a := range start.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// lineBuilder collects the paragraphs of a document as lines of text,
// dropping those that are empty or only white space.
type lineBuilder struct {
	out strings.Builder // finished lines, joined with "\n"
	cur []byte          // the paragraph being read; may hold "\n" from line breaks
}

// grow reserves room for the text of an XML part that claims to inflate to
// xmlSize bytes. The claim is only a hint (the reading is capped anyway),
// and text is a fraction of the markup around it.
func (b *lineBuilder) grow(xmlSize uint64) {
	b.out.Grow(int(min(xmlSize/2, MaxInputSize/4)))
}

// write appends s to the current paragraph.
func (b *lineBuilder) write(s string) { b.cur = append(b.cur, s...) }

// writeText appends character data, turning CR and LF (which are not line
// breaks in these formats) into spaces.
func (b *lineBuilder) writeText(s []byte) {
	for _, c := range s {
		if c == '\n' || c == '\r' {
			c = ' '
		}
		b.cur = append(b.cur, c)
	}
}

// endParagraph moves the current paragraph into the output, one line per
// line break, skipping blank lines.
func (b *lineBuilder) endParagraph() {
	rest := b.cur
	for len(rest) > 0 {
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		if isBlank(string(line)) {
			continue
		}
		if b.out.Len() > 0 {
			b.out.WriteByte('\n')
		}
		b.out.Write(line)
	}
	b.cur = b.cur[:0]
}

// size is the number of bytes collected so far.
func (b *lineBuilder) size() int { return b.out.Len() + len(b.cur) }

// finish returns the document's text, NFC, or ErrEmpty.
func (b *lineBuilder) finish() (string, error) {
	b.endParagraph()
	if b.out.Len() == 0 {
		return "", errorf(ErrEmpty, "no transcript text")
	}
	return nfc(b.out.String()), nil
}

// tooLarge is the error for a document whose text outgrows MaxInputSize.
func tooLarge() error {
	return errorf(ErrTooLarge, "document text is larger than %d MiB", MaxInputSize>>20)
}

// metaAttrs collects metadata attributes in the order they are found,
// skipping empty values and merging repeated keys with ", ".
type metaAttrs struct {
	attrs []Attribute
}

func (m *metaAttrs) add(key, value string) {
	value = nfc(strings.TrimSpace(value))
	key = nfc(strings.TrimSpace(key))
	if key == "" || value == "" {
		return
	}
	for i := range m.attrs {
		if m.attrs[i].Key == key {
			m.attrs[i].Value += ", " + value
			return
		}
	}
	m.attrs = append(m.attrs, Attribute{Key: key, Value: value})
}

// readProps walks a metadata part of the archive, if present.
func readProps(zr *zip.Reader, kind, name string, visit func(depth int, start xml.StartElement, text string)) error {
	f := findFile(zr, name)
	if f == nil {
		return nil
	}
	p, err := openXMLPart(f, kind, maxPropsSize)
	if err != nil {
		return err
	}
	defer p.Close()
	return walkElements(p, visit)
}
