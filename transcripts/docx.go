package transcripts

import (
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
// Runs are read for their text only (formatting is dropped). A tab becomes
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
	text, err := docxText(p, f.UncompressedSize64)
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
	if doc.Turns, err = detectTurns(text, eachLine, opt); err != nil {
		return nil, err
	}
	doc.Warnings = append(doc.Warnings, reviewTurns(text, doc.Turns)...)
	return doc, nil
}

// docxText extracts the paragraphs of word/document.xml.
func docxText(p *xmlPart, sizeHint uint64) (string, error) {
	var lb lineBuilder
	lb.grow(sizeHint)
	inRun, inText := 0, 0
	for {
		tok, err := p.token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Space == nsMC && t.Name.Local == "Fallback" {
				if err := p.skip(); err != nil {
					return "", err
				}
				continue
			}
			if t.Name.Space != nsWord && t.Name.Space != nsWordStrict {
				continue
			}
			switch t.Name.Local {
			case "p":
				lb.endParagraph()
			case "r":
				inRun++
			case "t":
				inText++
			case "tab", "ptab":
				if inRun > 0 {
					lb.write("\t")
				}
			case "br", "cr":
				if inRun > 0 {
					lb.write("\n")
				}
			case "noBreakHyphen":
				lb.write("-")
			case "del", "moveFrom":
				if err := p.skip(); err != nil {
					return "", err
				}
			}
		case xml.EndElement:
			if t.Name.Space != nsWord && t.Name.Space != nsWordStrict {
				continue
			}
			switch t.Name.Local {
			case "p":
				lb.endParagraph()
			case "r":
				inRun = max(inRun-1, 0)
			case "t":
				inText = max(inText-1, 0)
			}
		case xml.CharData:
			if inText > 0 {
				lb.writeText(t)
				if lb.size() > MaxInputSize {
					return "", tooLarge()
				}
			}
		}
	}
	return lb.finish()
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
