package transcripts

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHostileFiles parses each file in testdata/hostile/ and checks that it
// is refused for the right reason.
func TestHostileFiles(t *testing.T) {
	tests := []struct {
		file string
		kind error
		msg  string // the whole message, or a prefix when it ends in "..."
	}{
		// Text in a legacy encoding is read (see encoding_test.go); UTF-8
		// with a broken byte is damaged, not another encoding.
		{"damaged-utf8.txt", ErrEncoding, "invalid UTF-8 at byte 40 (the rest of the file is UTF-8: is it damaged?)"},
		{"png-renamed.txt", ErrBinary, "binary file (PNG image)"},
		{"empty.txt", ErrEmpty, "empty file"},
		{"nul.txt", ErrBinary, "binary file (NUL byte at byte 8)"},
		{"utf16-no-bom.txt", ErrEncoding, "UTF-16 text without a byte order mark: save it as UTF-8"},
		{"zipbomb.docx", ErrTooLarge, "word/document.xml inflates beyond 64 MiB"},
		{"zipbomb-lying.docx", ErrMalformed, "not a valid .docx: word/document.xml: zip: not a valid zip file"},
		{"billion-laughs.docx", ErrMalformed, "not a valid .docx: word/document.xml: XML with a DOCTYPE is refused"},
		{"truncated.docx", ErrMalformed, "not a valid .docx: zip: not a valid zip file"},
		{"no-document.docx", ErrMalformed, "not a valid .docx: no word/document.xml"},
		{"deep.docx", ErrMalformed, "not a valid .docx: word/document.xml: XML nested deeper than 1000 elements"},
		{"docx-renamed-doc.docx", ErrUnsupported, "not a valid .docx: a legacy Office document (.doc); save it as .docx"},
		{"odt-doctype.odt", ErrMalformed, "not a valid .odt: content.xml: XML with a DOCTYPE is refused"},
		{"odt-spaces-bomb.odt", ErrTooLarge, "document text is larger than 64 MiB"},
		{"broken-timing.vtt", ErrMalformed, `line 8: malformed cue timing "00:00:05.000 --> 00:00:0x.000"`},
		{"frontmatter-only.md", ErrEmpty, "no transcript text after the front matter"},
		{"bad-yaml.md", ErrMalformed, "front matter: did not find expected ',' or ']' (line 3)"},
		{"yaml-aliases.md", ErrMalformed, "front matter: aliases are not supported (line 3)"},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		seen[tt.file] = true
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "hostile", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			doc, err := Parse(tt.file, data)
			if doc != nil || !errors.Is(err, tt.kind) {
				t.Fatalf("Parse(%q) = %v, %v, want an error matching %v", tt.file, doc, err, tt.kind)
			}
			if prefix, ok := strings.CutSuffix(tt.msg, "..."); ok {
				if !strings.HasPrefix(err.Error(), prefix) {
					t.Errorf("Parse(%q) = %q, want it to start with %q", tt.file, err, prefix)
				}
			} else if err.Error() != tt.msg {
				t.Errorf("Parse(%q) = %q, want %q", tt.file, err, tt.msg)
			}
		})
	}
	// Every file in testdata/hostile/ must be covered above.
	entries, err := os.ReadDir(filepath.Join("testdata", "hostile"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !seen[e.Name()] {
			t.Errorf("testdata/hostile/%s has no test", e.Name())
		}
	}
}

func TestHostileFilesStaySmall(t *testing.T) {
	entries, err := os.ReadDir(filepath.Join("testdata", "hostile"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		if info.Size() > 200<<10 {
			t.Errorf("testdata/hostile/%s is %d bytes, want < 200 KB", e.Name(), info.Size())
		}
	}
}
