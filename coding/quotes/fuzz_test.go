package quotes

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/qcode-dev/qcode/coding"
)

// latexCommand matches what LaTeXEscape writes for a special character.
var latexCommand = regexp.MustCompile(`\\(textasciitilde|textasciicircum|textbackslash|textless|textgreater|textbar|ldots)\{\}|\\[&%$#_{}]`)

// FuzzLaTeXEscape checks that no special character survives unescaped
// and that every other letter, Cyrillic included, passes through.
func FuzzLaTeXEscape(f *testing.F) {
	for _, s := range []string{"50% & $5", `\begin{x}`, "~^_#", "Было страшно…", "{}}{", "\\\\&", "a\x00b\nc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := LaTeXEscape(s)
		rest := latexCommand.ReplaceAllString(out, "")
		if i := strings.IndexAny(rest, "&%$#_{}~^\\<>|…"); i >= 0 {
			t.Fatalf("LaTeXEscape(%q) = %q leaves %q unescaped", s, out, rest[i:])
		}
		want := strings.Map(func(r rune) rune {
			if strings.ContainsRune("&%$#_{}~^\\<>|…", r) || r < ' ' || r == 0x7f || r >= 0x80 && r < 0xa0 {
				return -1
			}
			return r
		}, s)
		got := strings.Map(func(r rune) rune {
			if r == ' ' {
				return -1
			}
			return r
		}, rest)
		want = strings.ReplaceAll(want, " ", "")
		if utf8.ValidString(s) && got != want {
			t.Fatalf("LaTeXEscape(%q) = %q: the other characters %q, want %q", s, out, got, want)
		}
	})
}

// FuzzShorten checks that a shortened quote is a prefix of whole words
// of the text, at most n of them, ending in the ellipsis.
func FuzzShorten(f *testing.F) {
	for _, s := range []string{"one two three", "Было очень страшно, что за мной придут", "  a  b ", "x,y, z— w", ""} {
		f.Add(s, 2)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		n = n % 50
		got, cut := Shorten(s, n)
		if !cut {
			if got != s {
				t.Fatalf("Shorten(%q, %d) = %q without cutting", s, n, got)
			}
			if n > 0 && len(strings.Fields(s)) > n {
				t.Fatalf("Shorten(%q, %d) did not cut %d words", s, n, len(strings.Fields(s)))
			}
			return
		}
		body, ok := strings.CutSuffix(got, Ellipsis)
		if !ok || !strings.HasPrefix(s, body) {
			t.Fatalf("Shorten(%q, %d) = %q: not a prefix and an ellipsis", s, n, got)
		}
		words := strings.Fields(body)
		if len(words) > n {
			t.Fatalf("Shorten(%q, %d) = %q: %d words", s, n, got, len(words))
		}
		// The cut falls at a word boundary: what follows body in s
		// starts a new word or is trimmed punctuation.
		all := strings.Fields(s)
		for i, w := range words {
			if i < len(words)-1 && w != all[i] {
				t.Fatalf("Shorten(%q, %d) = %q: word %q is cut", s, n, got, w)
			}
		}
		if len(words) > 0 && !strings.HasPrefix(all[len(words)-1], words[len(words)-1]) {
			t.Fatalf("Shorten(%q, %d) = %q: last word %q is not from the text", s, n, got, words[len(words)-1])
		}
	})
}

// FuzzDOCX checks that any quote text, attribution and code make a
// well-formed document.xml holding the text.
func FuzzDOCX(f *testing.F) {
	f.Add("plain", "female, 30", "Code", "desc")
	f.Add("<w:p>&amp;]]>", "\x00\x1f", "A/B", "\"'")
	f.Add("Было\nстрашно\r\n\n", "женщина", "Страх", "")
	f.Fuzz(func(t *testing.T, text, attribution, code, desc string) {
		qs := []coding.Quote{{ID: "Q-00000000", Code: code, Document: "R01", Latest: true, Line: 1, Text: text, Attribution: attribution}}
		var b bytes.Buffer
		if err := DOCX(&b, qs, Options{Group: true, Codes: []coding.Code{{Path: code, Description: desc}}, Title: code}); err != nil {
			t.Fatal(err)
		}
		zr, err := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
		if err != nil {
			t.Fatal(err)
		}
		for _, zf := range zr.File {
			rc, _ := zf.Open()
			dec := xml.NewDecoder(rc)
			var chars strings.Builder
			for {
				tok, err := dec.Token()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatalf("%s is not well-formed for text %q: %v", zf.Name, text, err)
				}
				if cd, ok := tok.(xml.CharData); ok {
					chars.Write(cd)
				}
			}
			rc.Close()
			if zf.Name == "word/document.xml" && utf8.ValidString(text) {
				for _, p := range paragraphs(text) {
					if !strings.ContainsFunc(p, func(r rune) bool {
						return r < ' ' || r == utf8.RuneError || r >= 0xd800 && r < 0xe000 || r == 0xfffe || r == 0xffff
					}) &&
						!strings.Contains(chars.String(), p) {
						t.Fatalf("document.xml lacks paragraph %q", p)
					}
				}
			}
		}
	})
}
