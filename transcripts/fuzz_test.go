package transcripts

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// sentinels are the classes every error of Parse must belong to.
var sentinels = []error{ErrUnsupported, ErrEmpty, ErrBinary, ErrEncoding, ErrTooLarge, ErrMalformed}

// checkParse parses data as name and checks the invariants of the result,
// or that the error is classified.
func checkParse(t *testing.T, name string, data []byte) *Document {
	t.Helper()
	doc, err := Parse(name, data)
	if err != nil {
		if doc != nil {
			t.Fatalf("Parse returned a Document and the error %v", err)
		}
		for _, s := range sentinels {
			if errors.Is(err, s) {
				return nil
			}
		}
		t.Fatalf("Parse error %q matches no sentinel", err)
	}
	checkInvariants(t, doc)
	if doc.Text == "" || isBlank(doc.Text) {
		t.Fatalf("Parse succeeded with blank text %q", doc.Text)
	}
	r := []rune(doc.Text)
	for _, tr := range doc.Turns {
		if tr.Speaker != "" && !strings.Contains(string(r[tr.Start:tr.Body]), tr.Speaker) {
			t.Fatalf("turn %+v: speaker not in its label %q", tr, string(r[tr.Start:tr.Body]))
		}
	}
	return doc
}

// checkPlain is checkParse for .txt and .md, where the stored text is the
// decoded file without its front matter: a suffix of the decoded file.
func checkPlain(t *testing.T, name string, data []byte) {
	t.Helper()
	doc := checkParse(t, name, data)
	if doc == nil {
		return
	}
	decoded, err := decodeText(data)
	if err != nil {
		t.Fatalf("Parse succeeded but decodeText failed: %v", err)
	}
	if !strings.HasSuffix(decoded, doc.Text) {
		t.Fatalf("Text %q is not a suffix of the decoded file %q", doc.Text, decoded)
	}
	if doc.Text != decoded && len(doc.Attributes) == 0 && !strings.HasPrefix(decoded, "---") {
		t.Fatalf("Text %q differs from the decoded file %q without front matter", doc.Text, decoded)
	}
}

// slowSeeds are hostile files left out of the fuzz seeds: they (or their
// mutations, once a size field is fixed) inflate tens of megabytes, which
// would slow every execution down to a crawl.
var slowSeeds = map[string]bool{"zipbomb.docx": true, "zipbomb-lying.docx": true, "odt-spaces-bomb.odt": true}

// seedFiles returns the contents of the files of testdata matching the
// patterns, except slowSeeds.
func seedFiles(f *testing.F, patterns ...string) [][]byte {
	var out [][]byte
	for _, p := range patterns {
		names, err := filepath.Glob(filepath.Join("testdata", p))
		if err != nil {
			f.Fatal(err)
		}
		for _, name := range names {
			if slowSeeds[filepath.Base(name)] {
				continue
			}
			data, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			out = append(out, data)
		}
	}
	return out
}

// addSeeds adds seedFiles(patterns) to f's corpus.
func addSeeds(f *testing.F, patterns ...string) {
	for _, data := range seedFiles(f, patterns...) {
		f.Add(data)
	}
}

func FuzzParseTxt(f *testing.F) {
	addSeeds(f, "*.txt", "hostile/*.txt")
	for _, s := range []string{
		"Q: a\nA: b", "[00:01] Anna: x\n[00:02] Boris: y", "00:00:03\nInterviewer: hi",
		"Speaker 1  0:03\nhi\n\nSpeaker 2  0:05\nho", "**Anna:** x\n**Anna**: y", "[SPEAKER_00] x",
		"Q:\n\n\u00a0\nA:", "\ufeffQ: x\r\rA: y", "И: а\u0301\nР: е\u0308", "x\u0301\n\u0301Q: y",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkPlain(t, "f.txt", data)
	})
}

func FuzzParseMarkdown(f *testing.F) {
	addSeeds(f, "*.md", "hostile/*.md")
	for _, s := range []string{
		"---\na: 1\n---\nQ: x", "---\na: [1, 2]\nb:\n  c: d\n---\n\ntext", "---\n---\n",
		"---\na: &x 1\nb: *x\n---\nt", "---\n- x\n---\nt", "---\nlang: [ru, en]\n...\nt", "---\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkPlain(t, "f.md", data)
	})
}

// zipOf builds an archive holding data under name (and, for an .odt, its
// mimetype first).
func zipOf(t testing.TB, name string, data []byte) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	if name == "content.xml" {
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: "mimetype", Method: zip.Store})
		w.Write([]byte("application/vnd.oasis.opendocument.text"))
	}
	w, err := zw.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// FuzzParseDocx fuzzes whole files (wrap false) and, so that mutations
// reach the XML reader rather than the zip checksum, document.xml
// wrapped in a valid archive (wrap true).
func FuzzParseDocx(f *testing.F) {
	for _, data := range seedFiles(f, "*.docx", "hostile/*.docx") {
		f.Add(data, false)
	}
	for _, s := range []string{
		sampleDocumentXML, billionLaughs,
		wordXML(para("Q: a") + para("A: b")),
		wordXML(`<w:p><w:r><w:t>a</w:t><w:tab/><w:br/><w:t>b</w:t></w:r></w:p>`),
		wordXML(`<w:p><w:del><w:r><w:delText>x</w:delText></w:r></w:del><w:ins><w:r><w:t>y</w:t></w:r></w:ins></w:p>`),
	} {
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, wrap bool) {
		if wrap {
			data = zipOf(t, "word/document.xml", data)
		}
		checkParse(t, "f.docx", data)
	})
}

// FuzzParseODT is FuzzParseDocx for .odt and content.xml.
func FuzzParseODT(f *testing.F) {
	for _, data := range seedFiles(f, "*.odt", "hostile/*.odt") {
		f.Add(data, false)
	}
	for _, s := range []string{
		sampleContentXML,
		odtXML(`<text:p> a <text:s text:c="2"/> b<text:tab/>c<text:line-break/>d </text:p>`),
		odtXML(`<text:p>Q: x<text:note><text:note-body><text:p>n</text:p></text:note-body></text:note></text:p><text:h>A: y</text:h>`),
	} {
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, wrap bool) {
		if wrap {
			data = zipOf(t, "content.xml", data)
		}
		checkParse(t, "f.odt", data)
	})
}

// checkCueText checks what every subtitle Document promises beyond the
// common invariants: one line per turn, "Speaker: " before the body.
func checkCueText(t *testing.T, doc *Document) {
	t.Helper()
	if doc == nil {
		return
	}
	lines := strings.Split(doc.Text, "\n")
	if len(lines) != len(doc.Turns) {
		t.Fatalf("%d lines for %d turns: %q", len(lines), len(doc.Turns), doc.Text)
	}
	pos := 0
	for i, tr := range doc.Turns {
		n := utf8.RuneCountInString(lines[i])
		if tr.Start != pos || tr.End != pos+n || !tr.HasTime {
			t.Fatalf("turn %d = %+v, want the span of line %q at %d", i, tr, lines[i], pos)
		}
		if tr.Speaker != "" && !strings.HasPrefix(lines[i], tr.Speaker+": ") {
			t.Fatalf("line %q does not start with the speaker %q", lines[i], tr.Speaker)
		}
		pos += n + 1
	}
}

func FuzzParseVTT(f *testing.F) {
	addSeeds(f, "*.vtt", "hostile/*.vtt")
	for _, s := range []string{
		"WEBVTT\n\n00:01.000 --> 00:02.000\n<v Anna>x</v>",
		"WEBVTT\n\nNOTE x\n\nid\n00:00:01.000 --> 00:00:02.000 line:0\nA: b &amp; c\n\n00:02.000 --> 00:03.000\nA: d",
		"WEBVTT\n00:01.000 --> 00:02.000\nx\n00:02.000 --> 00:03.000\n\ny",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkCueText(t, checkParse(t, "f.vtt", data))
	})
}

func FuzzParseSRT(f *testing.F) {
	addSeeds(f, "*.srt")
	for _, s := range []string{
		"1\n00:00:01,000 --> 00:00:02,000\n[SPEAKER_00]: x\n\n2\n00:00:02,000 --> 00:00:03,000\n[SPEAKER_00] y",
		"1\r\n00:00:01,000 --> 00:00:02,000\r\n{\\an8}<i>x</i>\r\n",
		"1\n00:00:0x,000 --> 00:00:02,000\nx",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkCueText(t, checkParse(t, "f.srt", data))
	})
}
