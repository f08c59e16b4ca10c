package main

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"flag"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The files in testdata/bad/ are checked in: each is a transcript that
// import must refuse with the file's name and a reason, leaving the
// project untouched. They were written by this test; run
//
//	go test ./cmd/qcode -run TestGenerateBadFiles -gen
//
// to write them again after changing it.
var gen = flag.Bool("gen", false, "write the files in testdata/bad/")

// plainBadFiles are the hostile inputs that are not archives, by name
// under testdata/bad/.
func plainBadFiles(t *testing.T) map[string][]byte {
	t.Helper()
	return map[string][]byte{
		// Latin-1 "é" in what claims to be UTF-8 text: read as
		// windows-1252, with a warning.
		"latin1.txt": []byte("I: Where did you live in Tbilisi?\nR: Above a caf\xe9 near the station.\n"),
		// A PNG image given a transcript's name.
		"photo.txt": tinyPNG(t),
		// Nothing at all.
		"blank.txt": nil,
		// The second cue's timing line is garbled.
		"garbled.vtt": []byte("WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\n<v Interviewer>How did you leave?\n\n2\n00:00:05.000 --> 00:00:0x.500\n<v Respondent>By bus, through Verkhny Lars.\n"),
	}
}

// badFiles are all the hostile inputs, by name under testdata/bad/.
func badFiles(t *testing.T) map[string][]byte {
	t.Helper()
	files := plainBadFiles(t)
	docx := docxPackage(t, goodDocumentXML)
	// A .docx cut off half-way, as an interrupted download leaves it.
	files["cut.docx"] = docx[:len(docx)/2]
	// word/document.xml declares nested entities ("billion laughs").
	files["laughs.docx"] = docxPackage(t, billionLaughsXML)
	// word/document.xml inflates past 64 MiB from well under 300 KB.
	files["bomb.docx"] = zipBombDocx(t)
	return files
}

func TestGenerateBadFiles(t *testing.T) {
	if !*gen {
		t.Skip("run with -gen to write the files in testdata/bad/")
	}
	for name, data := range badFiles(t) {
		if err := os.WriteFile(filepath.Join("testdata", "bad", name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestBadFilesCheckedIn checks that testdata/bad/ holds what the
// generator writes: the text files byte for byte, the compressed ones by
// what makes them bad (their deflated bytes may differ between Go
// releases).
func TestBadFilesCheckedIn(t *testing.T) {
	t.Parallel()
	read := func(name string) []byte {
		t.Helper()
		b, err := os.ReadFile(filepath.Join("testdata", "bad", name))
		if err != nil {
			t.Fatalf("%v (run with -gen)", err)
		}
		return b
	}
	for name, data := range plainBadFiles(t) {
		got := read(name)
		if name == "photo.txt" {
			// The PNG encoder's compression may change between releases.
			if !bytes.HasPrefix(got, []byte("\x89PNG\r\n\x1a\n")) {
				t.Errorf("testdata/bad/%s is not a PNG image (run with -gen)", name)
			}
			continue
		}
		if !bytes.Equal(got, data) {
			t.Errorf("testdata/bad/%s differs from what the generator writes (run with -gen)", name)
		}
	}
	if cut := read("cut.docx"); len(cut) == 0 {
		t.Error("cut.docx is empty, want half a .docx")
	} else if _, err := zip.NewReader(bytes.NewReader(cut), int64(len(cut))); err == nil {
		t.Error("cut.docx opens as a zip archive, want a truncated one")
	}
	if x := partOf(t, read("laughs.docx"), "word/document.xml", nil); !strings.Contains(x, "<!ENTITY") {
		t.Errorf("laughs.docx: word/document.xml declares no entities:\n%s", x)
	}
	bomb := read("bomb.docx")
	if len(bomb) >= 300<<10 {
		t.Errorf("bomb.docx is %d bytes, want < 300 KiB", len(bomb))
	}
	var n countWriter
	partOf(t, bomb, "word/document.xml", &n)
	if n <= 64<<20 {
		t.Errorf("bomb.docx: word/document.xml inflates to %d bytes, want > 64 MiB", n)
	}
}

// partOf inflates the named part of a zip archive and returns it, or,
// when w is given, writes it to w instead.
func partOf(t *testing.T, archive []byte, name string, w io.Writer) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(archive), int64(len(archive)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name != name {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		var buf strings.Builder
		if w == nil {
			w = &buf
		}
		if _, err := io.Copy(w, rc); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	t.Fatalf("no %s in the archive", name)
	return ""
}

// countWriter counts the bytes written to it.
type countWriter int64

func (c *countWriter) Write(p []byte) (int, error) {
	*c += countWriter(len(p))
	return len(p), nil
}

// docxPackage builds a minimal .docx around a word/document.xml.
func docxPackage(t *testing.T, documentXML string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range [][2]string{
		{"[Content_Types].xml", contentTypesXML},
		{"_rels/.rels", relsXML},
		{"word/document.xml", documentXML},
	} {
		// A fixed header keeps the bytes the same from run to run.
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e[0], Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, e[1]); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// zipBombDocx is a .docx whose document.xml is 65 MiB of short, identical
// paragraphs: it compresses about a thousand times, so the archive is tiny
// and truthful about its sizes; only inflating it shows the problem.
func zipBombDocx(t *testing.T) []byte {
	t.Helper()
	const para = `<w:p><w:r><w:t>R: I do not know.</w:t></w:r></w:p>`
	head := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`
	tail := `</w:body></w:document>`
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestCompression)
	})
	for _, e := range [][2]string{{"[Content_Types].xml", contentTypesXML}, {"_rels/.rels", relsXML}} {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e[0], Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, e[1])
	}
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "word/document.xml", Method: zip.Deflate})
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, head)
	chunk := strings.Repeat(para, (1<<20)/len(para)+1) // a little over 1 MiB
	for range 65 {
		if _, err := io.WriteString(w, chunk); err != nil {
			t.Fatal(err)
		}
	}
	io.WriteString(w, tail)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// tinyPNG is a valid 2×2 grey PNG.
func tinyPNG(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const contentTypesXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`

const relsXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`

const goodDocumentXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:r><w:t>Interviewer: When did you cross the border?</w:t></w:r></w:p>
<w:p><w:r><w:t>Respondent: On the twenty-second of September, at Verkhny Lars. We stood in the queue for three days.</w:t></w:r></w:p>
<w:p><w:r><w:t>Interviewer: Were you afraid at the checkpoint?</w:t></w:r></w:p>
<w:p><w:r><w:t>Respondent: Very. They looked through phones, Telegram channels, photos. I had deleted everything the night before.</w:t></w:r></w:p>
</w:body></w:document>`

const billionLaughsXML = `<?xml version="1.0"?>
<!DOCTYPE w:document [
 <!ENTITY a "ha">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
 <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
 <!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">
 <!ENTITY j "&i;&i;&i;&i;&i;&i;&i;&i;&i;&i;">
]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Respondent: &j;</w:t></w:r></w:p></w:body></w:document>`
