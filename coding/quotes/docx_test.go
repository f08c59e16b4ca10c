package quotes

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// docxParts unzips a .docx and returns its parts by name, in zip order.
func docxParts(t *testing.T, data []byte) ([]string, map[string][]byte) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("the .docx is not a zip: %v", err)
	}
	var names []string
	parts := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if !f.Modified.Equal(time.Date(2022, 12, 1, 10, 9, 0, 0, time.UTC)) {
			t.Errorf("%s is dated %v, want the newest coding's time 2022-12-01 10:09 UTC", f.Name, f.Modified)
		}
		names = append(names, f.Name)
		parts[f.Name] = b
	}
	return names, parts
}

type docxPara struct{ style, text string }

// docxParagraphs reads word/document.xml's paragraphs: their style and
// their text, with non-breaking hyphens as "-".
func docxParagraphs(t *testing.T, data []byte) []docxPara {
	t.Helper()
	var out []docxPara
	dec := xml.NewDecoder(bytes.NewReader(data))
	var cur *docxPara
	inText := false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("document.xml: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			switch tok.Name.Local {
			case "p":
				cur = &docxPara{}
			case "pStyle":
				for _, a := range tok.Attr {
					if a.Name.Local == "val" && cur != nil {
						cur.style = a.Value
					}
				}
			case "t":
				inText = true
			case "noBreakHyphen":
				cur.text += "-"
			}
		case xml.EndElement:
			switch tok.Name.Local {
			case "p":
				out = append(out, *cur)
				cur = nil
			case "t":
				inText = false
			}
		case xml.CharData:
			if inText && cur != nil {
				cur.text += string(tok)
			}
		}
	}
}

func TestDOCXPackage(t *testing.T) {
	opt := Options{Codes: codebook, Group: true, Title: "Quotes: Fear of repression, Donations"}
	var b bytes.Buffer
	if err := DOCX(&b, sample(), opt); err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	DOCX(&again, sample(), opt)
	if !bytes.Equal(b.Bytes(), again.Bytes()) {
		t.Error("two runs of DOCX gave different bytes")
	}
	names, parts := docxParts(t, b.Bytes())
	want := []string{"[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "word/_rels/document.xml.rels", "word/document.xml", "word/styles.xml"}
	if !slices.Equal(names, want) {
		t.Fatalf("entries = %q, want %q (sorted)", names, want)
	}
	// Every part is well-formed XML.
	for _, name := range names {
		dec := xml.NewDecoder(bytes.NewReader(parts[name]))
		for {
			_, err := dec.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s is not well-formed XML: %v", name, err)
			}
		}
	}
	// The document holds the quotes' text, escaped and back: decode the
	// paragraphs with their styles.
	paras := docxParagraphs(t, parts["word/document.xml"])
	var got []string
	for _, p := range paras {
		got = append(got, p.style+": "+p.text)
	}
	wantParas := []string{
		"Title: Quotes: Fear of repression, Donations",
		"Heading1: Donations",
		"CodeDescription: Giving money or things to a cause; *not* wages.",
		"Quote: We paid 50% & more_than {half} of #rent for ~3 months ^ a \\ friend's <flat> | $200 * [ok] @home…",
		"Quote: Then, second paragraph.",
		"Attribution: — male, 35, IT specialist (R02, line 7, 00:01:09; Q-2XK9JQ5N)",
		"Heading1: Fear of repression",
		"CodeDescription: Fear of arrest, searches, a criminal case: for oneself or for family left behind.",
		"Quote: […I sat at home that night and did the arithmetic.] I didn't want to stay and find out whether my arithmetic was right.",
		"Attribution: — female, 30, NGO activist (R01, line 23; Q-7RS1HB1P)",
		"Quote: Было очень страшно, что за мной придут — прямо домой, ночью. [Я не спала неделю.]",
		"Attribution: — женщина, 41, учительница (R05@1, line 3; Q-M4ZQ8VXA)",
		"Heading1: Reasons for leaving/Political persecution",
		"CodeDescription: Persecution as a reason to leave.",
		"Quote: […I sat at home that night and did the arithmetic.] I didn't want to stay and find out whether my arithmetic was right.",
		"Attribution: — female, 30, NGO activist (R01, line 23; Q-7RS1HB1P)",
	}
	if !slices.Equal(got, wantParas) {
		t.Errorf("document paragraphs:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantParas, "\n"))
	}
	// Every style the document uses is defined.
	var styles struct {
		Styles []struct {
			ID string `xml:"styleId,attr"`
		} `xml:"style"`
	}
	if err := xml.Unmarshal(parts["word/styles.xml"], &styles); err != nil {
		t.Fatal(err)
	}
	defined := map[string]bool{}
	for _, s := range styles.Styles {
		defined[s.ID] = true
	}
	for _, p := range paras {
		if !defined[p.style] {
			t.Errorf("style %q is used but not defined in styles.xml", p.style)
		}
	}
	var core struct {
		Title   string `xml:"title"`
		Created string `xml:"created"`
	}
	if err := xml.Unmarshal(parts["docProps/core.xml"], &core); err != nil {
		t.Fatal(err)
	}
	if core.Title != opt.Title || core.Created != "2022-12-01T10:09:00Z" {
		t.Errorf("core.xml = %+v, want the title and the newest coding's time", core)
	}
}

// TestDOCXOpensInLibreOffice converts the document to PDF with
// LibreOffice and reads the text back: proof that an office suite opens
// it, with Cyrillic and the attribution intact.
func TestDOCXOpensInLibreOffice(t *testing.T) {
	if testing.Short() {
		t.Skip("converting with LibreOffice takes seconds")
	}
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("soffice is not on PATH: install LibreOffice to check that the .docx opens")
	}
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext is not on PATH: install poppler-utils to read the converted PDF")
	}
	dir := t.TempDir()
	docx := filepath.Join(dir, "quotes.docx")
	var b bytes.Buffer
	if err := DOCX(&b, sample(), Options{Codes: codebook, Group: true, Title: "Quotes"}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(docx, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	pdf := convertToPDF(t, soffice, docx, dir)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, pdftotext, "-enc", "UTF-8", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", pdf, err)
	}
	// LibreOffice prints a non-breaking hyphen as U+2011.
	text := strings.ReplaceAll(strings.Join(strings.Fields(string(out)), " "), "\u2011", "-")
	for _, want := range []string{
		"I didn't want to stay and find out whether my arithmetic was right.",
		"Было очень страшно, что за мной придут",
		"female, 30, NGO activist (R01, line 23; Q-7RS1HB1P)",
		"женщина, 41, учительница",
		"more_than {half} of #rent",
	} {
		if !strings.Contains(strings.ReplaceAll(text, "’", "'"), want) {
			t.Errorf("the PDF LibreOffice made from the .docx lacks %q; its text:\n%s", want, text)
		}
	}
}

// convertToPDF converts file to PDF in dir with LibreOffice and returns
// the PDF's path. A private user profile keeps parallel runs apart.
func convertToPDF(t *testing.T, soffice, file, dir string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	profile := "file://" + filepath.ToSlash(filepath.Join(t.TempDir(), "lo-profile"))
	cmd := exec.CommandContext(ctx, soffice, "-env:UserInstallation="+profile, "--headless", "--convert-to", "pdf", "--outdir", dir, file)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice --convert-to pdf %s: %v\n%s", file, err, out)
	}
	pdf := filepath.Join(dir, strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))+".pdf")
	if _, err := os.Stat(pdf); err != nil {
		t.Fatalf("soffice made no PDF: %v", err)
	}
	return pdf
}
