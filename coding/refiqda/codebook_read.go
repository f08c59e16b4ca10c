package refiqda

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/qcode-dev/qcode/coding"
)

// MaxCodebookSize caps what ReadCodebook reads: the largest codebooks
// seen hold a few thousand codes in well under a megabyte.
const MaxCodebookSize = 32 << 20

// maxDepth caps the nesting of XML elements, and so of codes.
const maxDepth = 1000

// Errors ReadCodebook wraps, for errors.Is.
var (
	// ErrMalformed means the file is not a codebook qcode can read: not
	// XML, a DOCTYPE, no codes element, a code without a name, two codes
	// with one GUID.
	ErrMalformed = errors.New("not a valid REFI-QDA codebook")
	// ErrTooLarge means the file is larger than MaxCodebookSize.
	ErrTooLarge = errors.New("too large")
)

// Warning is a deviation from the standard found while reading, and what
// was done about it.
type Warning struct {
	File string `json:"file"`
	Line int    `json:"line,omitempty"`
	// Code is the path of the code concerned, if any.
	Code string `json:"code,omitempty"`
	// Kind groups warnings of one sort: bom, namespace, project, sets,
	// guid, guid-case, name, codable, colour, empty.
	Kind    string `json:"kind"`
	Message string `json:"message"`
}

// String is the warning as a line for people: file:line: code "…": message.
func (w Warning) String() string {
	s := w.File
	if w.Line > 0 {
		s += ":" + strconv.Itoa(w.Line)
	}
	s += ": "
	if w.Code != "" {
		s += fmt.Sprintf("code %q: ", w.Code)
	}
	return s + w.Message
}

// ReadCodebook reads a REFI-QDA codebook (.qdc) from r; name names the
// file in messages. It also takes a project.qde and reads its codebook.
// It returns the codes parents first with GUIDs lower-case and colours
// #RRGGBB, and a warning for each deviation from the standard it
// tolerated: a byte-order mark, another or no namespace, an empty <Sets/>,
// GUIDs upper-case, in braces or missing, rgb() and unreadable colours,
// odd isCodable values, names with '/' or shared by siblings. It refuses,
// with an error naming the file, XML with a DOCTYPE, malformed XML, a file
// over MaxCodebookSize, codes without names and duplicate GUIDs.
func ReadCodebook(r io.Reader, name string) ([]coding.SnapshotCode, []Warning, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxCodebookSize+1))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(data) > MaxCodebookSize {
		return nil, nil, fmt.Errorf("%s: %w: a codebook over %d MiB is refused", name, ErrTooLarge, MaxCodebookSize>>20)
	}
	if err := notXML(data); err != nil {
		return nil, nil, fmt.Errorf("%s: %w: %v", name, ErrMalformed, err)
	}
	var warns []Warning
	if bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")) {
		data = data[3:]
		warns = append(warns, Warning{File: name, Line: 1, Kind: "bom", Message: "starts with a byte-order mark (ignored)"})
	}
	scan, err := prescan(data)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w: %v", name, ErrMalformed, err)
	}
	root := scan.root
	var want string
	var tree []Code
	var sets *Sets
	switch root.Name.Local {
	case "CodeBook":
		want = CodebookNamespace
		if !scan.has["CodeBook/Codes"] {
			return nil, nil, fmt.Errorf("%s: %w: <CodeBook> has no <Codes>", name, ErrMalformed)
		}
		var cb CodeBook
		if err := unmarshal(data, &cb); err != nil {
			return nil, nil, fmt.Errorf("%s: %w: %v", name, ErrMalformed, err)
		}
		tree, sets = cb.Codes.Codes, cb.Sets
	case "Project":
		want = ProjectNamespace
		if !scan.has["Project/CodeBook/Codes"] {
			return nil, nil, fmt.Errorf("%s: %w: the project has no <CodeBook> with <Codes>", name, ErrMalformed)
		}
		var p struct {
			CodeBook ProjectCodeBook `xml:"CodeBook"`
		}
		if err := unmarshal(data, &p); err != nil {
			return nil, nil, fmt.Errorf("%s: %w: %v", name, ErrMalformed, err)
		}
		tree = p.CodeBook.Codes.Codes
		warns = append(warns, Warning{File: name, Line: scan.line["Project"], Kind: "project",
			Message: "a project file, not a codebook: only its codebook is read"})
	default:
		return nil, nil, fmt.Errorf("%s: %w: the root element is <%s>, not <CodeBook>", name, ErrMalformed, root.Name.Local)
	}
	// Each code's line is where its tag begins (the decoder is past the
	// tag when a Code is decoded).
	setLines(tree, codeLines(data))
	switch ns := root.Name.Space; {
	case ns == want:
	case ns == "":
		warns = append(warns, Warning{File: name, Line: scan.line[root.Name.Local], Kind: "namespace",
			Message: fmt.Sprintf("no namespace; read as %s", want)})
	case strings.HasPrefix(ns, "urn:QDA-XML:"):
		warns = append(warns, Warning{File: name, Line: scan.line[root.Name.Local], Kind: "namespace",
			Message: fmt.Sprintf("namespace %q is not %q; read as that", ns, want)})
	default:
		return nil, nil, fmt.Errorf("%s: %w: <%s> is in namespace %q, not a REFI-QDA one", name, ErrMalformed, root.Name.Local, ns)
	}
	if sets != nil {
		line := scan.line["CodeBook/Sets"]
		if len(sets.Sets) == 0 {
			warns = append(warns, Warning{File: name, Line: line, Kind: "sets",
				Message: "an empty <Sets/>, which the standard does not allow (ignored)"})
		} else {
			warns = append(warns, Warning{File: name, Line: line, Kind: "sets",
				Message: fmt.Sprintf("%s not imported: qcode has no sets of codes", plural(len(sets.Sets), "set", "sets"))})
		}
	}
	codes, more, err := SnapshotCodes(tree, name)
	if err != nil {
		return nil, nil, err
	}
	warns = append(warns, more...)
	if len(codes) == 0 {
		warns = append(warns, Warning{File: name, Line: scan.line["CodeBook/Codes"], Kind: "empty",
			Message: "no codes, which the standard does not allow"})
	}
	return codes, warns, nil
}

// scanned is what prescan learns of a document.
type scanned struct {
	root xml.StartElement
	// has and line record the elements at the top three levels by their
	// path of local names ("CodeBook/Codes"), and the first line of each.
	has  map[string]bool
	line map[string]int
}

// unmarshal is xml.Unmarshal reading any declared encoding as UTF-8.
func unmarshal(data []byte, v any) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = asUTF8
	return d.Decode(v)
}

// prescan checks that data is well-formed XML without directives (so no
// DOCTYPE and no entities) and not nested deeper than maxDepth, before
// anything is decoded.
func prescan(data []byte) (scanned, error) {
	s := scanned{has: map[string]bool{}, line: map[string]int{}}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.CharsetReader = asUTF8
	var path []string
	roots := 0
	for {
		line, _ := d.InputPos()
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return s, err
		}
		switch t := tok.(type) {
		case xml.Directive:
			return s, fmt.Errorf("line %d: XML with a DOCTYPE or other directive is refused", line)
		case xml.StartElement:
			if len(path) == 0 {
				roots++
				if roots > 1 {
					return s, fmt.Errorf("line %d: a second root element <%s>", line, t.Name.Local)
				}
				s.root = t
				// RawToken leaves prefixes unresolved; the namespace of
				// the root is its default xmlns unless it has a prefix.
				s.root.Name.Space = rootSpace(t)
			}
			path = append(path, t.Name.Local)
			if len(path) > maxDepth {
				return s, fmt.Errorf("line %d: XML nested deeper than %d elements", line, maxDepth)
			}
			if len(path) <= 3 {
				p := strings.Join(path, "/")
				if !s.has[p] {
					s.has[p] = true
					s.line[p] = line
				}
			}
		case xml.EndElement:
			if len(path) == 0 || path[len(path)-1] != t.Name.Local {
				return s, fmt.Errorf("line %d: unexpected </%s>", line, t.Name.Local)
			}
			path = path[:len(path)-1]
		case xml.CharData:
			if len(path) == 0 && len(bytes.TrimSpace(t)) > 0 {
				return s, fmt.Errorf("line %d: text outside the root element", line)
			}
		}
	}
	if roots == 0 {
		return s, errors.New("no XML element")
	}
	if len(path) != 0 {
		return s, fmt.Errorf("unexpected end of XML inside <%s>", path[len(path)-1])
	}
	return s, nil
}

// rootSpace is the namespace of a root element read raw.
func rootSpace(t xml.StartElement) string {
	for _, a := range t.Attr {
		if t.Name.Space == "" && a.Name.Space == "" && a.Name.Local == "xmlns" {
			return a.Value
		}
		if t.Name.Space != "" && a.Name.Space == "xmlns" && a.Name.Local == t.Name.Space {
			return a.Value
		}
	}
	return ""
}

// notXML says why data cannot be a UTF-8 XML file, in words for the
// person who chose the file: empty, a zip archive (a .qdpx), binary, in
// UTF-16 or another encoding. It returns nil for anything else.
func notXML(data []byte) error {
	switch {
	case len(bytes.TrimSpace(data)) == 0:
		return errors.New("the file is empty")
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return errors.New("a zip archive (a .qdpx project, a Word file...), not XML; 'qcode import-project' or 'qcode merge' reads a .qdpx")
	case bytes.HasPrefix(data, []byte("\xFF\xFE")) || bytes.HasPrefix(data, []byte("\xFE\xFF")):
		return errors.New("UTF-16 text; save the codebook as UTF-8")
	case bytes.IndexByte(data, 0) >= 0:
		return errors.New("a binary file, not XML")
	case !utf8.Valid(data):
		bad, line, _ := coding.InvalidUTF8(data)
		return fmt.Errorf("not UTF-8 text (line %d, byte %d); save the codebook as UTF-8", line, bad)
	}
	return nil
}

// SnapshotCodes turns a REFI-QDA code tree, as read from file, into the
// codes of a codebook, parents first, with the warnings of ReadCodebook.
// It fails on a code without a name and on two codes with one GUID.
func SnapshotCodes(tree []Code, file string) ([]coding.SnapshotCode, []Warning, error) {
	var out []coding.SnapshotCode
	var warns []Warning
	type seen struct {
		path string
		line int
	}
	guids := map[string]seen{}
	warn := func(c Code, path, kind, format string, args ...any) {
		warns = append(warns, Warning{File: file, Line: c.Line, Code: path, Kind: kind, Message: fmt.Sprintf(format, args...)})
	}
	var walk func(codes []Code, parentGUID, prefix string) error
	walk = func(codes []Code, parentGUID, prefix string) error {
		siblings := map[string]bool{}
		for _, c := range codes {
			var notes []string
			var hidden []string
			visible := strings.Map(func(r rune) rune {
				if coding.IsHiddenControl(r) && !unicode.IsSpace(r) {
					hidden = append(hidden, fmt.Sprintf("%U", r))
					return -1
				}
				return r
			}, c.Name)
			if len(hidden) > 0 {
				notes = append(notes, "control characters ("+strings.Join(hidden, " ")+") removed")
			}
			name := strings.Join(strings.Fields(visible), " ")
			if name == "" {
				return fmt.Errorf("%s:%d: %w: a code (GUID %q) has no name", file, c.Line, ErrMalformed, c.GUID)
			}
			if name != visible {
				notes = append(notes, "spaces tidied")
			}
			if strings.Contains(name, "/") {
				name = strings.Join(strings.Fields(strings.ReplaceAll(name, "/", " - ")), " ")
				notes = append(notes, "'/' (which separates a parent from a child in qcode) made ' - '")
			}
			if siblings[strings.ToLower(name)] {
				base := name
				for n := 2; siblings[strings.ToLower(name)]; n++ {
					name = fmt.Sprintf("%s (%d)", base, n)
				}
				notes = append(notes, "a sibling has the same name, so it is called "+strconv.Quote(name))
			}
			siblings[strings.ToLower(name)] = true
			path := prefix + name
			if len(notes) > 0 {
				warn(c, path, "name", "name %q read as %q: %s", c.Name, name, strings.Join(notes, "; "))
			}

			guid, ok, changed := NormalizeGUID(c.GUID)
			switch {
			case !ok && strings.TrimSpace(c.GUID) == "":
				guid = derivedGUID(path)
				warn(c, path, "guid", "no GUID; given %s", guid)
			case !ok:
				guid = derivedGUID(path)
				warn(c, path, "guid", "GUID %q is not a GUID; given %s", c.GUID, guid)
			case changed:
				warn(c, path, "guid", "GUID %q read as %s", c.GUID, guid)
			case guid != c.GUID:
				warn(c, path, "guid-case", "upper-case GUID %s kept in lower case", c.GUID)
			}
			if prev, dup := guids[guid]; dup {
				return fmt.Errorf("%s:%d: %w: code %q has the GUID %s of code %q (line %d)",
					file, c.Line, ErrMalformed, path, guid, prev.path, prev.line)
			}
			guids[guid] = seen{path, c.Line}

			switch v := strings.TrimSpace(c.IsCodable); v {
			case "true", "1":
			case "false", "0":
				warn(c, path, "codable", "isCodable=%q (a folder that cannot be applied): imported as an ordinary code", c.IsCodable)
			case "":
				warn(c, path, "codable", "no isCodable; read as true")
			default:
				b, err := strconv.ParseBool(strings.ToLower(v))
				if err != nil {
					b = true
				}
				warn(c, path, "codable", "isCodable=%q is not a boolean; read as %t", c.IsCodable, b)
			}

			color, note, ok := NormalizeColor(c.Color)
			switch {
			case !ok:
				warn(c, path, "colour", "colour %q is not a colour; left without one", c.Color)
			case note != "":
				warn(c, path, "colour", "%s", note)
			}

			out = append(out, coding.SnapshotCode{GUID: guid, ParentGUID: parentGUID, Name: name, Color: color, Description: c.Description})
			if err := walk(c.Codes, guid, path+"/"); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(tree, "", ""); err != nil {
		return nil, nil, err
	}
	return out, warns, nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
