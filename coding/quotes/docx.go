package quotes

import (
	"archive/zip"
	"encoding/xml"
	"io"
	"strings"
	"time"
	"unicode"

	"github.com/qcode-dev/qcode/coding"
)

// DOCX writes the quotes as a Word document (Office Open XML), which Word
// and LibreOffice open: a title, a heading per code with its description
// when grouped, each quote in the Quote paragraph style (indented) and
// its attribution right-aligned under it. The package is the smallest
// valid one, written by hand: [Content_Types].xml, _rels/.rels,
// docProps/core.xml, word/document.xml, word/_rels/document.xml.rels and
// word/styles.xml. The bytes are deterministic: entries in name order,
// every time (in the zip and in the document properties) the newest
// coding's (see Date).
func DOCX(w io.Writer, qs []coding.Quote, opt Options) error {
	at := Date(qs)
	files := []struct{ name, body string }{
		{"[Content_Types].xml", docxContentTypes},
		{"_rels/.rels", docxRels},
		{"docProps/core.xml", docxCore(opt.Title, at)},
		{"word/_rels/document.xml.rels", docxDocRels},
		{"word/document.xml", docxDocument(qs, opt)},
		{"word/styles.xml", docxStyles},
	}
	zw := zip.NewWriter(w)
	for _, f := range files {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: at})
		if err != nil {
			return err
		}
		if _, err := io.WriteString(fw, f.body); err != nil {
			return err
		}
	}
	return zw.Close()
}

const xmlHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

const docxContentTypes = xmlHead + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
	`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
	`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
	`</Types>`

const docxRels = xmlHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`</Relationships>`

const docxDocRels = xmlHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
	`</Relationships>`

func docxCore(title string, at time.Time) string {
	stamp := at.UTC().Format("2006-01-02T15:04:05Z")
	return xmlHead + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"` +
		` xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"` +
		` xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<dc:title>` + xmlText(title) + `</dc:title><dc:creator>qcode</dc:creator>` +
		`<dcterms:created xsi:type="dcterms:W3CDTF">` + stamp + `</dcterms:created>` +
		`<dcterms:modified xsi:type="dcterms:W3CDTF">` + stamp + `</dcterms:modified>` +
		`</cp:coreProperties>`
}

// docxStyles defines the paragraph styles the document uses. Times New
// Roman is mapped by LibreOffice to Liberation Serif; both have Cyrillic.
const docxStyles = xmlHead + `<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
	`<w:docDefaults><w:rPrDefault><w:rPr>` +
	`<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="Times New Roman" w:cs="Times New Roman"/>` +
	`<w:sz w:val="24"/><w:szCs w:val="24"/><w:lang w:val="en-GB"/>` +
	`</w:rPr></w:rPrDefault>` +
	`<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="276" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>` +
	`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>` +
	`<w:pPr><w:spacing w:after="240"/></w:pPr><w:rPr><w:b/><w:sz w:val="36"/><w:szCs w:val="36"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>` +
	`<w:pPr><w:keepNext/><w:spacing w:before="360" w:after="120"/><w:outlineLvl w:val="0"/></w:pPr>` +
	`<w:rPr><w:b/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="CodeDescription"><w:name w:val="Code Description"/><w:basedOn w:val="Normal"/><w:next w:val="Quote"/>` +
	`<w:rPr><w:i/><w:color w:val="595959"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Quote"><w:name w:val="Quote"/><w:basedOn w:val="Normal"/><w:next w:val="Attribution"/><w:qFormat/>` +
	`<w:pPr><w:keepNext/><w:spacing w:before="120" w:after="60"/><w:ind w:left="720" w:right="720"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Attribution"><w:name w:val="Attribution"/><w:basedOn w:val="Normal"/><w:next w:val="Quote"/>` +
	`<w:pPr><w:spacing w:after="240"/><w:ind w:left="720" w:right="720"/><w:jc w:val="right"/></w:pPr>` +
	`<w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>` +
	`</w:styles>`

// docxDocument is word/document.xml.
func docxDocument(qs []coding.Quote, opt Options) string {
	var b strings.Builder
	b.WriteString(xmlHead + `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	para := func(style string, runs ...run) {
		b.WriteString(`<w:p><w:pPr><w:pStyle w:val="` + style + `"/></w:pPr>`)
		for _, r := range runs {
			if r.text == "" {
				continue
			}
			b.WriteString(`<w:r>`)
			if r.italic || hasCyrillic(r.text) {
				b.WriteString(`<w:rPr>`)
				if r.italic {
					b.WriteString(`<w:i/>`)
				}
				if hasCyrillic(r.text) {
					b.WriteString(`<w:lang w:val="ru-RU"/>`)
				}
				b.WriteString(`</w:rPr>`)
			}
			if r.noBreak {
				// A quote id must not break at its hyphen.
				parts := strings.Split(r.text, "-")
				for i, p := range parts {
					if i > 0 {
						b.WriteString(`<w:noBreakHyphen/>`)
					}
					if p != "" {
						b.WriteString(`<w:t xml:space="preserve">` + xmlText(p) + `</w:t>`)
					}
				}
				b.WriteString(`</w:r>`)
				continue
			}
			b.WriteString(`<w:t xml:space="preserve">` + xmlText(r.text) + `</w:t></w:r>`)
		}
		b.WriteString(`</w:p>`)
	}
	if opt.Title != "" {
		para("Title", run{text: opt.Title})
	}
	secs := sections(qs, opt)
	if len(secs) == 0 {
		para("Normal", run{text: "No coded passages match these codes and filters."})
	}
	for _, s := range secs {
		if opt.Group {
			para("Heading1", run{text: s.Code})
			if s.Description != "" {
				para("CodeDescription", run{text: strings.Join(paragraphs(s.Description), " ")})
			}
		}
		for _, e := range s.Entries {
			paras := paragraphs(opt.text(e.Quote))
			if len(paras) == 0 {
				paras = []string{""}
			}
			for i, p := range paras {
				runs := []run{{text: p}}
				if i == 0 && e.Before != "" {
					runs = append([]run{{text: "[…" + e.Before + "] ", italic: true}}, runs...)
				}
				if i == len(paras)-1 && e.After != "" {
					runs = append(runs, run{text: " [" + contextAfter(e.After) + "]", italic: true})
				}
				para("Quote", runs...)
			}
			before, after, _ := strings.Cut("— "+cite(e, s), e.ID)
			para("Attribution", run{text: before}, run{text: e.ID, noBreak: true}, run{text: after})
		}
	}
	// A4 with 2.5 cm margins.
	b.WriteString(`<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>` +
		`<w:pgMar w:top="1417" w:right="1417" w:bottom="1417" w:left="1417" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr>`)
	b.WriteString(`</w:body></w:document>`)
	return b.String()
}

type run struct {
	text   string
	italic bool
	// noBreak writes the text's hyphens as non-breaking ones.
	noBreak bool
}

// xmlText escapes s for XML character data; characters XML cannot hold
// become U+FFFD.
func xmlText(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

func hasCyrillic(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Cyrillic, r) {
			return true
		}
	}
	return false
}
