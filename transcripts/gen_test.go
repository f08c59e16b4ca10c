package transcripts

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"flag"
	"hash/crc32"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The files in testdata/ (samples) and testdata/hostile/ (files that must be
// refused) are checked in. They were written by this test; run
//
//	go test ./transcripts -run TestGenerateTestdata -gen
//
// to write them again after changing it, then update the goldens with
// -update.
var gen = flag.Bool("gen", false, "write the sample and hostile files in testdata/")

func TestGenerateTestdata(t *testing.T) {
	if !*gen {
		t.Skip("run with -gen to write the files in testdata/")
	}
	docx := sampleDocx(t)
	files := map[string][]byte{
		"interview.docx": docx,
		"interview.odt":  sampleODT(t),

		"hostile/invalid-utf8.txt":      []byte("Q: Where did you live?\nA: In a caf\xe9 near the station.\n"),
		"hostile/png-renamed.txt":       tinyPNG(t),
		"hostile/empty.txt":             nil,
		"hostile/nul.txt":               []byte("Q: hello\x00there\n"),
		"hostile/utf16-no-bom.txt":      []byte("Q\x00:\x00 \x00h\x00i\x00\n\x00"),
		"hostile/zipbomb.docx":          zipBomb(t, false),
		"hostile/zipbomb-lying.docx":    zipBomb(t, true),
		"hostile/billion-laughs.docx":   docxWith(t, map[string]string{"word/document.xml": billionLaughs}),
		"hostile/truncated.docx":        docx[:len(docx)/2],
		"hostile/no-document.docx":      docxWith(t, map[string]string{"docProps/core.xml": coreXML}),
		"hostile/deep.docx":             docxWith(t, map[string]string{"word/document.xml": strings.Repeat("<w:p>", 5000)}),
		"hostile/broken-timing.vtt":     []byte("WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\nHello.\n\n2\n00:00:05.000 --> 00:00:0x.000\nBroken.\n"),
		"hostile/frontmatter-only.md":   []byte("---\ntitle: Interview 12\nlang: ru\n---\n\n\n"),
		"hostile/bad-yaml.md":           []byte("---\ntitle: Interview 12\nparticipant: [female, 30\n---\nQ: hello\n"),
		"hostile/yaml-aliases.md":       []byte("---\na: &a [x, x, x]\nb: *a\n---\nQ: hello\n"),
		"hostile/odt-doctype.odt":       odtWith(t, map[string]string{"content.xml": `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text><text:p>&e;</text:p></office:text></office:body></office:document-content>`}),
		"hostile/odt-spaces-bomb.odt":   odtSpacesBomb(t),
		"hostile/docx-renamed-doc.docx": []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + strings.Repeat("\x00", 504)),
	}
	for name, data := range files {
		path := filepath.Join("testdata", filepath.FromSlash(name))
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// writeZip builds a zip archive of the given entries, in order; entries
// named "mimetype" are stored, the rest deflated.
func writeZip(t *testing.T, entries [][2]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		method := zip.Deflate
		if e[0] == "mimetype" {
			method = zip.Store
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e[0], Method: method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(e[1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// docxWith builds a .docx package skeleton holding the given parts.
func docxWith(t *testing.T, parts map[string]string) []byte {
	t.Helper()
	entries := [][2]string{
		{"[Content_Types].xml", contentTypes},
		{"_rels/.rels", rootRels},
	}
	for _, name := range []string{"word/document.xml", "docProps/core.xml", "docProps/custom.xml"} {
		if p, ok := parts[name]; ok {
			entries = append(entries, [2]string{name, p})
		}
	}
	return writeZip(t, entries)
}

// odtWith builds an .odt package skeleton holding the given parts.
func odtWith(t *testing.T, parts map[string]string) []byte {
	t.Helper()
	entries := [][2]string{
		{"mimetype", "application/vnd.oasis.opendocument.text"},
		{"META-INF/manifest.xml", odtManifest},
	}
	for _, name := range []string{"content.xml", "meta.xml"} {
		if p, ok := parts[name]; ok {
			entries = append(entries, [2]string{name, p})
		}
	}
	return writeZip(t, entries)
}

func sampleDocx(t *testing.T) []byte {
	return docxWith(t, map[string]string{
		"word/document.xml":   sampleDocumentXML,
		"docProps/core.xml":   coreXML,
		"docProps/custom.xml": customXML,
	})
}

func sampleODT(t *testing.T) []byte {
	return odtWith(t, map[string]string{"content.xml": sampleContentXML, "meta.xml": sampleMetaXML})
}

// tinyPNG is a valid 2×2 PNG image.
func tinyPNG(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// zipBomb builds a .docx whose document.xml inflates to 65 MiB but
// compresses to about 65 KB. With lying set, the archive claims the part
// is 1 KB long.
func zipBomb(t *testing.T, lying bool) []byte {
	t.Helper()
	head := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>`
	tail := `</w:t></w:r></w:p></w:body></w:document>`
	var raw bytes.Buffer
	raw.WriteString(head)
	chunk := bytes.Repeat([]byte("a"), 1<<20)
	for range 65 {
		raw.Write(chunk)
	}
	raw.WriteString(tail)
	var comp bytes.Buffer
	fw, err := flate.NewWriter(&comp, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(raw.Bytes())
	fw.Close()

	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range [][2]string{{"[Content_Types].xml", contentTypes}, {"_rels/.rels", rootRels}} {
		w, _ := zw.Create(e[0])
		w.Write([]byte(e[1]))
	}
	size := uint64(raw.Len())
	if lying {
		size = 1000
	}
	w, err := zw.CreateRaw(&zip.FileHeader{
		Name:               "word/document.xml",
		Method:             zip.Deflate,
		CRC32:              crc32.ChecksumIEEE(raw.Bytes()),
		CompressedSize64:   uint64(comp.Len()),
		UncompressedSize64: size,
	})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(comp.Bytes())
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// odtSpacesBomb asks for 10^9 spaces many times over.
func odtSpacesBomb(t *testing.T) []byte {
	return odtWith(t, map[string]string{"content.xml": `<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text><text:p>Q:` +
		strings.Repeat(`<text:s text:c="1000000000"/>`, 100000) + `</text:p></office:text></office:body></office:document-content>`})
}

const contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>`

const rootRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties" Target="docProps/custom.xml"/></Relationships>`

const sampleDocumentXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml" mc:Ignorable="wps">
<w:body>
<w:p><w:pPr><w:pStyle w:val="Heading1"/><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>Интервью 7, Тбилиси</w:t></w:r></w:p>
<w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">Интервьюер: </w:t></w:r><w:r><w:t>Расскажите, как вы решили уехать?</w:t></w:r></w:p>
<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Респондент:</w:t></w:r><w:r><w:t xml:space="preserve"> В марте 2022 года мы уехали в </w:t></w:r><w:del w:id="1" w:author="MI"><w:r><w:delText>Ереван</w:delText></w:r></w:del><w:ins w:id="2" w:author="MI"><w:r><w:t>Тбилиси</w:t></w:r></w:ins><w:r><w:t>.</w:t><w:tab/><w:t>Сначала</w:t><w:br/><w:t xml:space="preserve">было страшно. </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>(1)</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>
<w:p/>
<w:p><w:pPr><w:rPr><w:b/></w:rPr></w:pPr></w:p>
<w:p><w:r><w:t xml:space="preserve">Интервьюер: А язык? Café — </w:t></w:r><w:r><w:t>naïve 👋</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">Респондент: Учу грузинский. </w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent><w:p><w:r><w:t>Врезка: ქართული ენა</w:t></w:r></w:p></w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent><w:p><w:r><w:t>Врезка: ქართული ენა</w:t></w:r></w:p></w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>Это трудно.</w:t></w:r></w:p>
<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr>
</w:body>
</w:document>`

const coreXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>Интервью 7</dc:title><dc:subject>Relocation</dc:subject><dc:creator>M. Ivanova</dc:creator><cp:keywords>identity, language</cp:keywords><dc:description></dc:description><cp:lastModifiedBy>Someone Else</cp:lastModifiedBy><dcterms:created xsi:type="dcterms:W3CDTF">2023-03-02T10:00:00Z</dcterms:created><dc:language>ru-RU</dc:language></cp:coreProperties>`

const customXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Participant"><vt:lpwstr>female, 30, NGO activist</vt:lpwstr></property><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" name="Age"><vt:i4>30</vt:i4></property><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="4" name="Consent"><vt:bool>true</vt:bool></property><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="5" name="Empty"><vt:lpwstr></vt:lpwstr></property></Properties>`

const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>`

const odtManifest = `<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/><manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/></manifest:manifest>`

const sampleContentXML = `<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3">
  <office:body>
    <office:text>
      <text:tracked-changes>
        <text:changed-region text:id="ct1"><text:deletion><office:change-info><dc:creator>MI</dc:creator></office:change-info><text:p>Deleted paragraph.</text:p></text:deletion></text:changed-region>
      </text:tracked-changes>
      <text:h text:outline-level="1">Interview 12 — Tbilisi</text:h>
      <text:p text:style-name="P1">
        Q: How did   you
        find a flat?
      </text:p>
      <text:p><text:span text:style-name="T1">A:</text:span> Through a Telegram chat.<text:s text:c="3"/>It took<text:tab/>two weeks.<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>A footnote.</text:p></text:note-body></text:note><office:annotation><dc:creator>MI</dc:creator><text:p>A comment.</text:p></office:annotation></text:p>
      <text:p/>
      <text:p>Q: And work?<text:line-break/>A: I work remotely<text:s/> for a company in Berlin.</text:p>
    </office:text>
  </office:body>
</office:document-content>`

const sampleMetaXML = `<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3"><office:meta><meta:initial-creator>M. Ivanova</meta:initial-creator><dc:creator>Someone Else</dc:creator><dc:title>Interview 12</dc:title><meta:keyword>work</meta:keyword><meta:keyword>housing</meta:keyword><meta:creation-date>2023-04-11T09:30:00</meta:creation-date><dc:language>en-GB</dc:language><meta:user-defined meta:name="Participant">male, 41, IT</meta:user-defined><meta:user-defined meta:name="Interview date" meta:value-type="date">2023-04-10</meta:user-defined></office:meta></office:document-meta>`
