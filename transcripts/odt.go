package transcripts

import (
	"encoding/xml"
	"io"
	"strconv"
)

// XML namespaces of the parts of an .odt that are read.
const (
	nsODFText   = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
	nsODFOffice = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
	nsODFMeta   = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
	nsDC        = "http://purl.org/dc/elements/1.1/"
	nsODFStyle  = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
	nsODFFO     = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
)

// maxODFBoldStyles caps the bold automatic styles remembered, and
// maxODFSpans the depth of nested spans followed for boldness.
const (
	maxODFBoldStyles = 4096
	maxODFSpans      = 64
)

// maxODFSpaces caps the count of one text:s element, which says how many
// spaces it stands for; a hostile file could otherwise ask for billions.
const maxODFSpaces = 1024

// odtMeta maps the elements of meta.xml to attribute keys. The author is
// meta:initial-creator; dc:creator (who saved last) is the fallback.
var odtMeta = map[xml.Name]string{
	{Space: nsDC, Local: "title"}:                "title",
	{Space: nsODFMeta, Local: "initial-creator"}: "author",
	{Space: nsDC, Local: "subject"}:              "subject",
	{Space: nsDC, Local: "description"}:          "description",
	{Space: nsODFMeta, Local: "keyword"}:         "keywords",
	{Space: nsODFMeta, Local: "creation-date"}:   "created",
	{Space: nsDC, Local: "language"}:             "language",
}

// parseODT reads an OpenDocument text: the paragraphs and headings of
// content.xml, one line each, and the metadata of meta.xml as attributes.
//
// White space in paragraphs is collapsed as ODF prescribes (text:s, text:tab
// and text:line-break give the spaces, tab and "\n" that survive). Empty
// paragraphs are dropped. Footnotes, comments (office:annotation) and the
// deleted text kept for tracked changes are left out. meta.xml gives
// "title", "author", "subject", "description", "keywords", "created" and
// "language" (which also sets Document.Lang); each meta:user-defined field
// gives an attribute named after it. A span in a bold automatic text style
// (fo:font-weight bold or 600 and above) at the start of a paragraph that
// is a name labels the paragraph's turn, as in .docx; bold from named or
// paragraph styles is not followed.
func parseODT(data []byte, opt Options) (*Document, error) {
	zr, err := openArchive(data, ".odt")
	if err != nil {
		return nil, err
	}
	f := findFile(zr, "content.xml")
	if f == nil {
		return nil, errorf(ErrMalformed, "not a valid .odt: no content.xml")
	}
	p, err := openXMLPart(f, ".odt", MaxInputSize)
	if err != nil {
		return nil, err
	}
	text, hints, err := odtText(p, f.UncompressedSize64)
	p.Close()
	if err != nil {
		return nil, err
	}
	doc := &Document{Text: text}
	var meta metaAttrs
	creator := ""
	err = readProps(zr, ".odt", "meta.xml", func(depth int, start xml.StartElement, text string) {
		if depth != 3 {
			return
		}
		switch {
		case start.Name == xml.Name{Space: nsODFMeta, Local: "user-defined"}:
			meta.add(attr(start, "name"), text)
		case start.Name == xml.Name{Space: nsDC, Local: "creator"}:
			creator = text
		default:
			if key, ok := odtMeta[start.Name]; ok {
				meta.add(key, text)
			}
		}
	})
	if err != nil {
		return nil, err
	}
	if !hasKey(meta.attrs, "author") {
		meta.add("author", creator)
	}
	doc.Attributes = meta.attrs
	setLangFromAttrs(doc, "language")
	if doc.Turns, err = detectTurnsHinted(text, eachLine, opt, hints); err != nil {
		return nil, err
	}
	doc.Warnings = append(doc.Warnings, reviewTurnsWith(text, doc.Turns, opt)...)
	return doc, nil
}

func hasKey(attrs []Attribute, key string) bool {
	for _, a := range attrs {
		if a.Key == key {
			return true
		}
	}
	return false
}

// odtText extracts the paragraphs and headings of content.xml, and the
// bold text at the start of each paragraph that has some, as hints for the
// labels.
func odtText(p *xmlPart, sizeHint uint64) (string, []labelHint, error) {
	var lb lineBuilder
	lb.grow(sizeHint)
	inPara := 0
	var bold boldLead
	boldStyles := map[string]bool{}
	styleName := ""  // the automatic text style being read
	var spans []bool // whether each open span is bold
	spanBold := func() bool { return len(spans) > 0 && spans[len(spans)-1] }
	// White space in character data collapses to one space, written only
	// when more text follows in the paragraph: ODF ignores it at the start
	// and end of a paragraph. collapse is set where white space is dropped
	// (the start of a paragraph or line, or after a collapsed space);
	// pending when a collapsed space waits for text.
	collapse, pending := true, false
	flush := func() {
		if pending {
			lb.write(" ")
			pending = false
		}
	}
	for {
		tok, err := p.token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Space {
			case nsODFStyle:
				switch t.Name.Local {
				case "style":
					styleName = ""
					if attr(t, "family") == "text" {
						styleName = attr(t, "name")
					}
				case "text-properties":
					if styleName != "" && len(boldStyles) < maxODFBoldStyles && isBoldWeight(attrNS(t, nsODFFO, "font-weight")) {
						boldStyles[styleName] = true
					}
				}
				continue
			case nsODFOffice:
				if t.Name.Local == "annotation" || t.Name.Local == "annotation-end" {
					if err := p.skip(); err != nil {
						return "", nil, err
					}
				}
				continue
			case nsODFText:
			default:
				continue
			}
			switch t.Name.Local {
			case "p", "h":
				bold.end(&lb)
				lb.endParagraph()
				inPara++
				collapse, pending = true, false
				spans = spans[:0]
			case "span":
				if len(spans) < maxODFSpans {
					spans = append(spans, boldStyles[attr(t, "style-name")] || (spanBold() && attr(t, "style-name") == ""))
				}
			case "s":
				if inPara > 0 {
					flush()
					n := 1
					if c := attr(t, "c"); c != "" {
						if v, err := strconv.Atoi(c); err == nil {
							n = min(max(v, 1), maxODFSpaces)
						}
					}
					for range n {
						lb.write(" ")
					}
					collapse = false
					if lb.size() > MaxInputSize {
						return "", nil, tooLarge()
					}
				}
			case "tab":
				if inPara > 0 {
					flush()
					lb.write("\t")
					collapse = false
				}
			case "line-break":
				if inPara > 0 {
					bold.stop()
					lb.write("\n")
					collapse, pending = true, false
				}
			case "note", "tracked-changes", "note-citation":
				if err := p.skip(); err != nil {
					return "", nil, err
				}
			}
		case xml.EndElement:
			if t.Name.Space == nsODFText && t.Name.Local == "span" && len(spans) > 0 {
				spans = spans[:len(spans)-1]
			}
			if t.Name.Space == nsODFStyle && t.Name.Local == "style" {
				styleName = ""
			}
			if t.Name.Space == nsODFText && (t.Name.Local == "p" || t.Name.Local == "h") {
				bold.end(&lb)
				lb.endParagraph()
				inPara = max(inPara-1, 0)
				collapse, pending = true, false
			}
		case xml.CharData:
			if inPara == 0 {
				continue
			}
			for _, c := range t {
				if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
					if !collapse {
						pending, collapse = true, true
					}
					continue
				}
				flush()
				collapse = false
				lb.cur = append(lb.cur, c)
			}
			bold.wrote(&lb, spanBold(), t)
			if lb.size() > MaxInputSize {
				return "", nil, tooLarge()
			}
		}
	}
	bold.end(&lb)
	text, err := lb.finish()
	if err != nil {
		return "", nil, err
	}
	return text, bold.hints, nil
}

// isBoldWeight reports whether an fo:font-weight value is bold.
func isBoldWeight(w string) bool {
	switch w {
	case "bold", "600", "700", "800", "900":
		return true
	}
	return false
}

// attrNS returns the value of start's attribute space:local, or "".
func attrNS(start xml.StartElement, space, local string) string {
	for _, a := range start.Attr {
		if a.Name.Space == space && a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}
