package pseudo

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/qcode-dev/qcode/transcripts/capped"
)

// Finding is a real value of the key found in a file.
type Finding struct {
	File string `json:"file"`
	// Part names the entry of an archive (.docx, .qdpx) the value is in.
	Part string `json:"part,omitempty"`
	// Line is the line (from 1) of the text, or the paragraph of a .docx.
	Line int `json:"line"`
	// Text is the text found.
	Text  string `json:"text"`
	Entry Entry  `json:"entry"`
}

// Where is the finding's place as FILE[:PART]:LINE.
func (f Finding) Where() string {
	if f.Part != "" {
		return f.File + ":" + f.Part + ":" + strconv.Itoa(f.Line)
	}
	return f.File + ":" + strconv.Itoa(f.Line)
}

// Limits of what Check reads (variables so that tests can lower them).
var (
	maxCheckFile    int64 = 1 << 30 // a file
	maxCheckPart    int64 = 256 << 20
	maxCheckTotal   int64 = 1 << 30 // all parts of one archive, inflated
	maxCheckEntries       = 100000
)

// ErrUnreadable is wrapped by Check's errors for a file it cannot read
// as text.
var ErrUnreadable = errors.New("cannot be checked")

// CheckMatcher is the matcher Check uses: every entry, whatever document
// it is limited to (a file may hold any document's text).
func CheckMatcher(entries []Entry) *Matcher {
	all := make([]Entry, len(entries))
	for i, e := range entries {
		e.Doc = ""
		all[i] = e
	}
	return NewMatcher(all)
}

// Check reads the file at name and returns every real value of m in it.
// It reads .docx (every text part of word/), .qdpx (project.qde and every
// text entry), .html and .svg as a reader sees them (text and attribute
// values, not style sheets or embedded fonts), and anything else as text
// (.md, .tex, .txt, .csv, .json:
// UTF-8 or UTF-16 with a byte-order mark); a file that is none of these is
// an error naming it.
func Check(name string, m *Matcher) ([]Finding, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: %w: not a regular file", name, ErrUnreadable)
	}
	if st.Size() > maxCheckFile {
		return nil, fmt.Errorf("%s: %w: larger than %d MiB", name, ErrUnreadable, maxCheckFile>>20)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxCheckFile+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return CheckBytes(name, data, m)
}

// CheckBytes is Check on a file's content; name gives its format.
func CheckBytes(name string, data []byte, m *Matcher) ([]Finding, error) {
	var out []Finding
	switch strings.ToLower(filepath.Ext(name)) {
	case ".docx":
		err := checkDocx(name, data, m, &out)
		return out, err
	case ".qdpx":
		err := checkQdpx(name, data, m, &out)
		return out, err
	}
	text, err := asText(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %v", name, ErrUnreadable, err)
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".html", ".htm", ".svg", ".xhtml":
		text = htmlText(text)
	}
	checkText(name, "", text, m, &out)
	if strings.EqualFold(filepath.Ext(name), ".json") && strings.Contains(text, `\u`) {
		checkText(name, "", unescapeJSON(text), m, &out)
		out = dedupe(out)
	}
	return out, nil
}

// asText decodes data as UTF-8 (a BOM dropped) or UTF-16 with a BOM.
func asText(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case len(data) >= 2 && (data[0] == 0xFF && data[1] == 0xFE || data[0] == 0xFE && data[1] == 0xFF):
		be := data[0] == 0xFE
		data = data[2:]
		u := make([]uint16, len(data)/2)
		for i := range u {
			if be {
				u[i] = uint16(data[2*i])<<8 | uint16(data[2*i+1])
			} else {
				u[i] = uint16(data[2*i+1])<<8 | uint16(data[2*i])
			}
		}
		return string(utf16.Decode(u)), nil
	}
	if !utf8.Valid(data) {
		return "", errors.New("not UTF-8 text (binary, or a legacy encoding: convert it to UTF-8 first)")
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return "", errors.New("binary: it holds NUL bytes")
	}
	return string(data), nil
}

// checkText adds the matches in text as findings, with their lines.
func checkText(file, part, text string, m *Matcher, out *[]Finding) {
	ms := m.Find("", text)
	if len(ms) == 0 {
		return
	}
	c := cursor{s: text}
	line, lineAt := 1, 0
	for _, x := range ms {
		b, e := c.offset(x.Start), c.offset(x.End)
		line += strings.Count(text[lineAt:b], "\n")
		lineAt = b
		*out = append(*out, Finding{File: file, Part: part, Line: line, Text: text[b:e], Entry: x.Entry})
	}
}

// unescapeJSON replaces the \uXXXX escapes of JSON strings (and the
// others) by what they stand for, keeping lines where they are.
func unescapeJSON(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 >= len(s) {
			b.WriteByte(s[i])
			continue
		}
		switch c := s[i+1]; c {
		case 'u':
			if i+6 <= len(s) {
				if v, err := strconv.ParseUint(s[i+2:i+6], 16, 16); err == nil {
					r := rune(v)
					i += 5
					if utf16.IsSurrogate(r) && i+7 <= len(s) && s[i+1] == '\\' && s[i+2] == 'u' {
						if v2, err := strconv.ParseUint(s[i+3:i+7], 16, 16); err == nil {
							if p := utf16.DecodeRune(r, rune(v2)); p != utf8.RuneError {
								r = p
								i += 6
							}
						}
					}
					b.WriteRune(r)
					continue
				}
			}
			b.WriteByte(s[i])
		case 'n', 't', 'r':
			b.WriteByte(' ')
			i++
		case '"', '\\', '/':
			b.WriteByte(c)
			i++
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// dedupe drops repeated findings (the same place and entry), keeping
// them in order of place.
func dedupe(fs []Finding) []Finding {
	sort.SliceStable(fs, func(i, j int) bool {
		if fs[i].Part != fs[j].Part {
			return fs[i].Part < fs[j].Part
		}
		return fs[i].Line < fs[j].Line
	})
	seen := map[string]bool{}
	out := fs[:0]
	for _, f := range fs {
		k := f.Part + "\x00" + strconv.Itoa(f.Line) + "\x00" + f.Text + "\x00" + f.Entry.ID
		if !seen[k] {
			seen[k] = true
			out = append(out, f)
		}
	}
	return out
}

// openZip opens data as a zip archive of the format kind, refusing what a
// hostile archive would do.
func openZip(name string, data []byte, kind string) (*zip.Reader, error) {
	if len(data) == 0 {
		return nil, fmt.Errorf("%s: %w: empty file, not a %s", name, ErrUnreadable, kind)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("%s: %w: not a valid %s: %v", name, ErrUnreadable, kind, err)
	}
	if len(zr.File) > maxCheckEntries {
		return nil, fmt.Errorf("%s: %w: not a valid %s: %d entries in the archive (at most %d)", name, ErrUnreadable, kind, len(zr.File), maxCheckEntries)
	}
	return zr, nil
}

// readPart inflates one entry of an archive, counting what it really
// inflates against the part's cap and the archive's budget.
func readPart(name string, f *zip.File, budget *int64) ([]byte, error) {
	if strings.Contains(f.Name, "..") || strings.HasPrefix(f.Name, "/") {
		return nil, fmt.Errorf("%s: %w: an entry outside the archive (%q)", name, ErrUnreadable, f.Name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w: %v", name, f.Name, ErrUnreadable, err)
	}
	defer rc.Close()
	limit := maxCheckPart
	if *budget < limit {
		limit = *budget
	}
	b, err := capped.ReadAll(rc, limit)
	if errors.Is(err, capped.ErrOverCap) {
		return nil, fmt.Errorf("%s: %s: %w: inflates to more than %d MiB (a zip bomb?)", name, f.Name, ErrUnreadable, limit>>20)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w: %v", name, f.Name, ErrUnreadable, err)
	}
	*budget -= int64(len(b))
	return b, nil
}

// checkDocx checks every XML part under word/ (the body, footnotes,
// comments, headers, footers) as paragraphs of text, and the document's
// properties.
func checkDocx(name string, data []byte, m *Matcher, out *[]Finding) error {
	zr, err := openZip(name, data, ".docx")
	if err != nil {
		return err
	}
	budget := maxCheckTotal
	body := false
	for _, f := range zr.File {
		low := strings.ToLower(f.Name)
		if !strings.HasSuffix(low, ".xml") || !(strings.HasPrefix(low, "word/") || strings.HasPrefix(low, "docprops/")) {
			continue
		}
		b, err := readPart(name, f, &budget)
		if err != nil {
			return err
		}
		if low == "word/document.xml" {
			body = true
		}
		text, err := docxText(b)
		if err != nil {
			return fmt.Errorf("%s: %s: %w: %v", name, f.Name, ErrUnreadable, err)
		}
		checkText(name, f.Name, text, m, out)
	}
	if !body {
		return fmt.Errorf("%s: %w: not a valid .docx: no word/document.xml", name, ErrUnreadable)
	}
	return nil
}

// docxText renders a WordprocessingML part as text, one paragraph a line;
// other XML (properties) gives its character data, one element a line.
func docxText(b []byte) (string, error) {
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = false
	var sb strings.Builder
	depth, inText := 0, 0
	// In WordprocessingML only the text elements hold text; in other
	// parts (properties) every element's character data does.
	office := bytes.Contains(b, []byte("<w:")) || bytes.Contains(b, []byte("<a:"))
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", fmt.Errorf("bad XML: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if isTextElem(t.Name) {
				inText++
			}
			if depth > 10000 {
				return "", errors.New("XML nested too deep")
			}
			switch t.Name.Local {
			case "tab":
				sb.WriteByte('\t')
			case "br", "cr":
				sb.WriteByte('\n')
			}
			for _, a := range t.Attr {
				// Alternative text of pictures and the like.
				if a.Name.Local == "descr" || a.Name.Local == "title" {
					sb.WriteString(" " + a.Value + " ")
				}
			}
		case xml.EndElement:
			depth--
			if isTextElem(t.Name) && inText > 0 {
				inText--
			}
			switch t.Name.Local {
			case "p":
				sb.WriteByte('\n')
			case "t", "delText", "instrText":
			default:
				if t.Name.Space != "w" && t.Name.Space != "a" && t.Name.Space != "wp" && t.Name.Space != "m" {
					sb.WriteByte('\n')
				}
			}
		case xml.CharData:
			if inText > 0 || !office && len(bytes.TrimSpace(t)) > 0 {
				sb.Write(t)
			}
		}
	}
	return sb.String(), nil
}

// isTextElem reports whether an element of WordprocessingML holds text.
func isTextElem(n xml.Name) bool {
	return (n.Space == "w" || n.Space == "a") && (n.Local == "t" || n.Local == "delText" || n.Local == "instrText")
}

// checkQdpx checks a REFI-QDA project: project.qde (names, descriptions,
// memos: the XML as text, entities decoded) and every text entry (the
// sources' plain texts); an office file inside is read as such, other
// entries (pictures, audio) are skipped.
func checkQdpx(name string, data []byte, m *Matcher, out *[]Finding) error {
	zr, err := openZip(name, data, ".qdpx")
	if err != nil {
		return err
	}
	budget := maxCheckTotal
	qde := false
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		ext := strings.ToLower(path.Ext(f.Name))
		switch ext {
		case ".qde", ".xml", ".txt", ".md", ".csv", ".json", ".tex", ".html", ".htm", ".docx":
		default:
			continue
		}
		b, err := readPart(name, f, &budget)
		if err != nil {
			return err
		}
		if ext == ".qde" {
			qde = true
		}
		if ext == ".docx" {
			if err := checkDocx(name+":"+f.Name, b, m, out); err != nil {
				return err
			}
			continue
		}
		text, err := asText(b)
		if err != nil {
			return fmt.Errorf("%s: %s: %w: %v", name, f.Name, ErrUnreadable, err)
		}
		if ext == ".qde" || ext == ".xml" || ext == ".html" || ext == ".htm" {
			text = unescapeXMLKeepLines(text)
		}
		checkText(name, f.Name, text, m, out)
	}
	if !qde {
		return fmt.Errorf("%s: %w: not a valid .qdpx: no project.qde", name, ErrUnreadable)
	}
	return nil
}

// unescapeXMLKeepLines decodes character references (&#1040;, &amp;) line
// by line, so that line numbers stay the file's.
func unescapeXMLKeepLines(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if strings.Contains(l, "&") {
			lines[i] = strings.ReplaceAll(html.UnescapeString(l), "\n", " ")
		}
	}
	return strings.Join(lines, "\n")
}
