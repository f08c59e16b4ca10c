package transcripts

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
)

// wordXML wraps body in a WordprocessingML document.
func wordXML(body string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body + `</w:body></w:document>`
}

// para is one w:p of plain runs.
func para(runs ...string) string {
	var b strings.Builder
	b.WriteString("<w:p>")
	for _, r := range runs {
		fmt.Fprintf(&b, `<w:r><w:t xml:space="preserve">%s</w:t></w:r>`, r)
	}
	b.WriteString("</w:p>")
	return b.String()
}

func TestDocxText(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"paragraphs are lines, runs joined", para("Hello, ", "world.") + para("Second."), "Hello, world.\nSecond."},
		{"empty paragraphs dropped", para("a") + "<w:p/>" + para("  ") + para("b"), "a\nb"},
		{"tab and breaks", `<w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t><w:cr/><w:t>d</w:t><w:br w:type="page"/></w:r></w:p>`, "a\tb\nc\nd"},
		{"tab stops in paragraph properties ignored", `<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>x</w:t></w:r></w:p>`, "x"},
		{"tracked changes: insertions kept, deletions dropped", `<w:p><w:r><w:t xml:space="preserve">we went to </w:t></w:r><w:del><w:r><w:delText>Yerevan</w:delText></w:r></w:del><w:ins><w:r><w:t>Tbilisi</w:t></w:r></w:ins><w:moveFrom><w:r><w:t>moved</w:t></w:r></w:moveFrom></w:p>`, "we went to Tbilisi"},
		{"field codes dropped, results kept", `<w:p><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:t>7</w:t></w:r></w:p>`, "7"},
		{"formatting dropped", `<w:p><w:r><w:rPr><w:b/><w:i/></w:rPr><w:t>bold</w:t></w:r><w:r><w:t xml:space="preserve"> plain</w:t></w:r></w:p>`, "bold plain"},
		{"newlines inside w:t are spaces", "<w:p><w:r><w:t>a\nb\r\nc&#13;d</w:t></w:r></w:p>", "a b c d"},
		{"entities decoded", para("Q &amp; A &lt;ok&gt; &#1046;"), "Q & A <ok> Ж"},
		{"NFC", para("Cafe\u0301"), "Café"},
		{"table cells are lines", `<w:tbl><w:tr><w:tc>` + para("Q: cell one") + `</w:tc><w:tc>` + para("A: cell two") + `</w:tc></w:tr></w:tbl>`, "Q: cell one\nA: cell two"},
		{"fallback copies skipped", `<w:p><w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice Requires="wps"><w:t>box</w:t></mc:Choice><mc:Fallback><w:t>box</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>`, "box"},
		{"other namespaces ignored", `<w:p><w:r><w:t>a</w:t></w:r><a:p xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:r><a:t>chart</a:t></a:r></a:p></w:p>`, "a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := docxWith(t, map[string]string{"word/document.xml": wordXML(tt.body)})
			doc, err := Parse("x.docx", data)
			if err != nil {
				t.Fatalf("Parse(%q) error: %v", tt.body, err)
			}
			checkInvariants(t, doc)
			if doc.Text != tt.want {
				t.Errorf("Parse(%q).Text = %q, want %q", tt.body, doc.Text, tt.want)
			}
		})
	}
}

func TestDocxStrictNamespace(t *testing.T) {
	xml := `<w:document xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"><w:body><w:p><w:r><w:t>Strict OOXML</w:t></w:r></w:p></w:body></w:document>`
	doc, err := Parse("x.docx", docxWith(t, map[string]string{"word/document.xml": xml}))
	if err != nil || doc.Text != "Strict OOXML" {
		t.Errorf("Parse(strict docx) = %v, %v, want text %q", doc, err, "Strict OOXML")
	}
}

func TestDocxTurns(t *testing.T) {
	body := para("Interview 4") + para("Q: Where?") + para("A: Here.") + para("More of the answer.") + para("Q: ", "Why?")
	doc, err := Parse("x.docx", docxWith(t, map[string]string{"word/document.xml": wordXML(body)}))
	if err != nil {
		t.Fatal(err)
	}
	want := []span{sp("Q", "Q: Where?", "Where?"), sp("A", "A: Here.\nMore of the answer.", "Here.\nMore of the answer."), sp("Q", "Q: Why?", "Why?")}
	if got := spans(doc); !slices.Equal(got, want) {
		t.Errorf("Parse(docx).Turns = %v, want %v", got, want)
	}

	body = para("First paragraph.") + para("Second paragraph.")
	doc, err = Parse("x.docx", docxWith(t, map[string]string{"word/document.xml": wordXML(body)}))
	if err != nil {
		t.Fatal(err)
	}
	want = []span{sp("", "First paragraph.", "First paragraph."), sp("", "Second paragraph.", "Second paragraph.")}
	if got := spans(doc); !slices.Equal(got, want) {
		t.Errorf("Parse(unlabelled docx).Turns = %v, want %v", got, want)
	}
}

func TestDocxSample(t *testing.T) {
	data, err := os.ReadFile("testdata/interview.docx")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := Parse("interview.docx", data)
	if err != nil {
		t.Fatal(err)
	}
	wantAttrs := []Attribute{
		{"title", "Интервью 7"}, {"subject", "Relocation"}, {"author", "M. Ivanova"},
		{"keywords", "identity, language"}, {"created", "2023-03-02T10:00:00Z"}, {"language", "ru-RU"},
		{"Participant", "female, 30, NGO activist"}, {"Age", "30"}, {"Consent", "true"},
	}
	if !slices.Equal(doc.Attributes, wantAttrs) {
		t.Errorf("Parse(interview.docx).Attributes = %v, want %v", doc.Attributes, wantAttrs)
	}
	if doc.Lang != "ru-ru" || doc.Format != "docx" {
		t.Errorf("Parse(interview.docx) Lang, Format = %q, %q, want ru-ru, docx", doc.Lang, doc.Format)
	}
	for _, absent := range []string{"Ереван", "PAGE"} {
		if strings.Contains(doc.Text, absent) {
			t.Errorf("Parse(interview.docx).Text contains %q (deleted text or a field code)", absent)
		}
	}
	if n := strings.Count(doc.Text, "Врезка"); n != 1 {
		t.Errorf("Parse(interview.docx).Text has the text box %d times, want once", n)
	}
}

func TestDocxErrors(t *testing.T) {
	big := strings.Repeat("x", maxPropsSize)
	tests := []struct {
		name  string
		parts map[string]string
		kind  error
		msg   string
	}{
		{"syntax error", map[string]string{"word/document.xml": wordXML("<w:p><w:r><w:t>a</w:r></w:p>")}, ErrMalformed, "not a valid .docx: word/document.xml: XML syntax error on line 1: element <t> closed by </r>"},
		{"unclosed", map[string]string{"word/document.xml": `<w:document xmlns:w="` + nsWord + `"><w:body><w:p>`}, ErrMalformed, "not a valid .docx: word/document.xml: XML syntax error on line 1: unexpected EOF"},
		{"no text", map[string]string{"word/document.xml": wordXML("<w:p/><w:p></w:p>")}, ErrEmpty, "no transcript text"},
		{"DOCTYPE in core properties", map[string]string{"word/document.xml": wordXML(para("a")), "docProps/core.xml": `<!DOCTYPE x [<!ENTITY e "e">]><x/>`}, ErrMalformed, "not a valid .docx: docProps/core.xml: XML with a DOCTYPE is refused"},
		{"huge core properties", map[string]string{"word/document.xml": wordXML(para("a")), "docProps/core.xml": "<x>" + big + "</x>"}, ErrTooLarge, "docProps/core.xml inflates beyond 1 MiB"},
		{"undefined entity", map[string]string{"word/document.xml": wordXML(para("&lol;"))}, ErrMalformed, "not a valid .docx: word/document.xml: XML syntax error on line 1: invalid character entity &lol;"},
		{"declared UTF-16", map[string]string{"word/document.xml": `<?xml version="1.0" encoding="UTF-16"?><x/>`}, ErrMalformed, "not a valid .docx: word/document.xml: xml: encoding \"UTF-16\" declared but Decoder.CharsetReader is nil"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("x.docx", docxWith(t, tt.parts))
			if !errors.Is(err, tt.kind) || err.Error() != tt.msg {
				t.Errorf("Parse(%s) = %v, want %q matching %v", tt.name, err, tt.msg, tt.kind)
			}
		})
	}
}

func TestDocxTooManyEntries(t *testing.T) {
	entries := [][2]string{{"word/document.xml", wordXML(para("a"))}}
	for i := range maxEntries {
		entries = append(entries, [2]string{fmt.Sprintf("junk/%d", i), ""})
	}
	_, err := Parse("x.docx", writeZip(t, entries))
	want := "not a valid .docx: too many entries in the archive (10001, at most 10000)"
	if !errors.Is(err, ErrMalformed) || err.Error() != want {
		t.Errorf("Parse(10001 entries) = %v, want %q", err, want)
	}
}

func TestDocxChecksum(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.CreateHeader(&zip.FileHeader{Name: "word/document.xml", Method: zip.Store})
	w.Write([]byte(wordXML(para("original"))))
	zw.Close()
	data := bytes.Replace(buf.Bytes(), []byte("original"), []byte("0riginal"), 1)
	_, err := Parse("x.docx", data)
	want := "not a valid .docx: word/document.xml: zip: checksum error"
	if !errors.Is(err, ErrMalformed) || err.Error() != want {
		t.Errorf("Parse(corrupted entry) = %v, want %q", err, want)
	}
}

// odtXML wraps body in an OpenDocument content.xml.
func odtXML(body string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><office:body><office:text>` + body + `</office:text></office:body></office:document-content>`
}

func TestODTText(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"paragraphs and headings are lines", `<text:h>Title</text:h><text:p>One.</text:p><text:p>Two.</text:p>`, "Title\nOne.\nTwo."},
		{"white space collapses", "<text:p>  a \n\t b  </text:p>", "a b"},
		{"white space collapses across spans", `<text:p>a <text:span> b</text:span></text:p>`, "a b"},
		{"text:s gives spaces", `<text:p>a<text:s text:c="3"/>b<text:s/>c</text:p>`, "a   b c"},
		{"text:s count is capped", `<text:p>a<text:s text:c="99999999"/>b</text:p>`, "a" + strings.Repeat(" ", maxODFSpaces) + "b"},
		{"tab and line break", `<text:p>a<text:tab/>b <text:line-break/> c</text:p>`, "a\tb\nc"},
		{"empty paragraphs dropped", `<text:p/><text:p> </text:p><text:p>x</text:p>`, "x"},
		{"lists and tables", `<text:list><text:list-item><text:p>Q: item</text:p></text:list-item></text:list><table:table><table:table-row><table:table-cell><text:p>A: cell</text:p></table:table-cell></table:table-row></table:table>`, "Q: item\nA: cell"},
		{"notes, comments and deletions left out", `<text:tracked-changes><text:changed-region><text:deletion><text:p>gone</text:p></text:deletion></text:changed-region></text:tracked-changes><text:p>kept<text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>note</text:p></text:note-body></text:note><office:annotation><dc:creator>x</dc:creator><text:p>comment</text:p></office:annotation> too</text:p>`, "kept too"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := odtWith(t, map[string]string{"content.xml": odtXML(tt.body)})
			doc, err := Parse("x.odt", data)
			if err != nil {
				t.Fatalf("Parse(%q) error: %v", tt.body, err)
			}
			checkInvariants(t, doc)
			if doc.Text != tt.want {
				t.Errorf("Parse(%q).Text = %q, want %q", tt.body, doc.Text, tt.want)
			}
		})
	}
}

func TestODTSample(t *testing.T) {
	data, err := os.ReadFile("testdata/interview.odt")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := Parse("interview.odt", data)
	if err != nil {
		t.Fatal(err)
	}
	wantAttrs := []Attribute{
		{"author", "M. Ivanova"}, {"title", "Interview 12"}, {"keywords", "work, housing"},
		{"created", "2023-04-11T09:30:00"}, {"language", "en-GB"},
		{"Participant", "male, 41, IT"}, {"Interview date", "2023-04-10"},
	}
	if !slices.Equal(doc.Attributes, wantAttrs) {
		t.Errorf("Parse(interview.odt).Attributes = %v, want %v", doc.Attributes, wantAttrs)
	}
	if doc.Lang != "en-gb" || doc.Format != "odt" {
		t.Errorf("Parse(interview.odt) Lang, Format = %q, %q, want en-gb, odt", doc.Lang, doc.Format)
	}
}

func TestODTAuthorFallback(t *testing.T) {
	meta := `<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><office:meta><dc:creator>Last Editor</dc:creator></office:meta></office:document-meta>`
	doc, err := Parse("x.odt", odtWith(t, map[string]string{"content.xml": odtXML("<text:p>a</text:p>"), "meta.xml": meta}))
	want := []Attribute{{"author", "Last Editor"}}
	if err != nil || !slices.Equal(doc.Attributes, want) {
		t.Errorf("Parse(odt without initial-creator) = %v, %v, want attributes %v", doc, err, want)
	}
}

func TestODTErrors(t *testing.T) {
	tests := []struct {
		name  string
		parts map[string]string
		kind  error
		msg   string
	}{
		{"no content", map[string]string{"meta.xml": "<x/>"}, ErrMalformed, "not a valid .odt: no content.xml"},
		{"no text", map[string]string{"content.xml": odtXML("<text:p> </text:p>")}, ErrEmpty, "no transcript text"},
		{"DOCTYPE in meta", map[string]string{"content.xml": odtXML("<text:p>a</text:p>"), "meta.xml": `<!DOCTYPE x><x/>`}, ErrMalformed, "not a valid .odt: meta.xml: XML with a DOCTYPE is refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("x.odt", odtWith(t, tt.parts))
			if !errors.Is(err, tt.kind) || err.Error() != tt.msg {
				t.Errorf("Parse(%s) = %v, want %q matching %v", tt.name, err, tt.msg, tt.kind)
			}
		})
	}
}
