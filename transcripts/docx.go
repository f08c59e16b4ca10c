package transcripts

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
)

// XML namespaces of the parts of a .docx that are read.
const (
	nsWord       = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsWordStrict = "http://purl.oclc.org/ooxml/wordprocessingml/main"
	nsMC         = "http://schemas.openxmlformats.org/markup-compatibility/2006"
)

// docxCore maps the elements of docProps/core.xml (by local name) to
// attribute keys.
var docxCore = map[string]string{
	"title":       "title",
	"creator":     "author",
	"subject":     "subject",
	"description": "description",
	"keywords":    "keywords",
	"created":     "created",
	"language":    "language",
}

// parseDocx reads a Word document: the text of word/document.xml, one line
// per paragraph, and the core and custom document properties as
// attributes.
//
// Runs are read for their text; their formatting is dropped from the text,
// but a bold run at the start of a paragraph that is a name (with or
// without a colon) labels the paragraph's turn with that speaker. A tab becomes
// "\t" and a line, page or column break "\n", so a soft line break also
// starts a new line; empty paragraphs are dropped. Inserted text of tracked
// changes is kept and deleted text (w:delText, w:del, w:moveFrom) left out,
// as are field codes (w:instrText) and the fallback copies of text boxes
// (mc:Fallback). Core properties give "title", "author" (dc:creator),
// "subject", "description", "keywords", "created" and "language" (which
// also sets Document.Lang); each custom property gives an attribute named
// after it.
func parseDocx(data []byte, opt Options) (*Document, error) {
	zr, err := openArchive(data, ".docx")
	if err != nil {
		return nil, err
	}
	f := findFile(zr, "word/document.xml")
	if f == nil {
		return nil, errorf(ErrMalformed, "not a valid .docx: no word/document.xml")
	}
	p, err := openXMLPart(f, ".docx", MaxInputSize)
	if err != nil {
		return nil, err
	}
	text, hints, err := docxText(p, f.UncompressedSize64)
	p.Close()
	if err != nil {
		return nil, err
	}
	doc := &Document{Text: text}
	var meta metaAttrs
	err = readProps(zr, ".docx", "docProps/core.xml", func(depth int, start xml.StartElement, text string) {
		if key, ok := docxCore[start.Name.Local]; ok && depth == 2 {
			meta.add(key, text)
		}
	})
	if err != nil {
		return nil, err
	}
	err = readProps(zr, ".docx", "docProps/custom.xml", func(depth int, start xml.StartElement, text string) {
		if start.Name.Local == "property" && depth == 2 {
			meta.add(attr(start, "name"), text)
		}
	})
	if err != nil {
		return nil, err
	}
	doc.Attributes = meta.attrs
	setLangFromAttrs(doc, "language")
	if doc.Turns, err = detectTurnsHinted(text, eachLine, opt, hints); err != nil {
		return nil, err
	}
	doc.Warnings = append(doc.Warnings, reviewTurnsWith(text, doc.Turns, opt)...)
	return doc, nil
}

// docxText extracts the paragraphs of word/document.xml, and the bold text
// at the start of each paragraph that has some, as hints for the labels.
func docxText(p *xmlPart, sizeHint uint64) (string, []labelHint, error) {
	var lb lineBuilder
	lb.grow(sizeHint)
	var bold boldLead
	inRun, inText, inPPr, inRPr := 0, 0, 0, 0
	runBold := false
	endParagraph := func() {
		bold.end(&lb)
		lb.endParagraph()
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
			if t.Name.Space == nsMC && t.Name.Local == "Fallback" {
				if err := p.skip(); err != nil {
					return "", nil, err
				}
				continue
			}
			if t.Name.Space != nsWord && t.Name.Space != nsWordStrict {
				continue
			}
			switch t.Name.Local {
			case "p":
				endParagraph()
			case "r":
				inRun++
				runBold = false
			case "pPr":
				inPPr++
			case "rPr":
				if inRun > 0 && inPPr == 0 {
					inRPr++
				}
			case "b":
				if inRPr > 0 {
					v := attr(t, "val")
					runBold = v == "" || v == "1" || v == "true" || v == "on"
				}
			case "t":
				inText++
			case "tab", "ptab":
				if inRun > 0 {
					lb.write("\t")
				}
			case "br", "cr":
				if inRun > 0 {
					lb.write("\n")
					bold.stop()
				}
			case "noBreakHyphen":
				lb.write("-")
			case "del", "moveFrom":
				if err := p.skip(); err != nil {
					return "", nil, err
				}
			}
		case xml.EndElement:
			if t.Name.Space != nsWord && t.Name.Space != nsWordStrict {
				continue
			}
			switch t.Name.Local {
			case "p":
				endParagraph()
			case "r":
				inRun = max(inRun-1, 0)
				runBold = false
			case "pPr":
				inPPr = max(inPPr-1, 0)
			case "rPr":
				if inRun > 0 && inPPr == 0 {
					inRPr = max(inRPr-1, 0)
				}
			case "t":
				inText = max(inText-1, 0)
			}
		case xml.CharData:
			if inText > 0 {
				lb.writeText(t)
				bold.wrote(&lb, runBold, t)
				if lb.size() > MaxInputSize {
					return "", nil, tooLarge()
				}
			}
		}
	}
	text, err := lb.finish()
	if err != nil {
		return "", nil, err
	}
	return text, bold.hints, nil
}

// boldLead follows the bold text at the start of each paragraph, for the
// label hints of a document: the paragraph's first line starts (after
// blanks) with bold text that ends where the plain text begins.
type boldLead struct {
	lines   int  // lines written before the current paragraph
	stopped bool // plain text (or a line break) came: no more bold lead
	n       int  // bytes of the paragraph up to the end of its bold lead
	hints   []labelHint
}

// wrote notes text just written to the current paragraph in a run, bold
// or not.
func (b *boldLead) wrote(lb *lineBuilder, bold bool, text []byte) {
	if b.stopped {
		return
	}
	switch {
	case bold:
		b.n = len(lb.cur)
	case !isBlank(string(text)):
		b.stopped = true
	}
}

// stop ends the bold lead of the current paragraph.
func (b *boldLead) stop() { b.stopped = true }

// end records the hint of the paragraph about to be written out, counts
// its lines and starts the next paragraph.
func (b *boldLead) end(lb *lineBuilder) {
	if b.n > 0 {
		if prefix := strings.TrimSpace(string(lb.cur[:b.n])); prefix != "" && !strings.ContainsRune(prefix, '\n') && len(prefix) <= 4*(maxNameRunes+maxQualifierRunes) {
			b.hints = append(b.hints, labelHint{line: b.lines, prefix: nfc(prefix)})
		}
	}
	for line := range bytes.SplitSeq(lb.cur, []byte("\n")) {
		if !isBlank(string(line)) {
			b.lines++
		}
	}
	b.n, b.stopped = 0, false
}

// setLangFromAttrs sets doc.Lang from the attribute called key, lower-cased
// (the first of a comma-separated list).
func setLangFromAttrs(doc *Document, key string) {
	for _, a := range doc.Attributes {
		if a.Key == key {
			first, _, _ := strings.Cut(a.Value, ",")
			doc.Lang = strings.ToLower(strings.TrimSpace(first))
			return
		}
	}
}
