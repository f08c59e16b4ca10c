package transcripts

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf16"

	"golang.org/x/text/unicode/norm"
)

func TestSupported(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"a.txt", true}, {"A.TXT", true}, {"notes.md", true}, {"x.Markdown", true},
		{"i.docx", true}, {"i.ODT", true}, {"z.vtt", true}, {"w.srt", true},
		{"dir.d/file", false}, {"x.pdf", false}, {"x.doc", false}, {"x", false}, {"x.txt.gz", false},
	}
	for _, tt := range tests {
		if got := Supported(tt.name); got != tt.want {
			t.Errorf("Supported(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestParseFormat(t *testing.T) {
	tests := []struct{ name, format string }{
		{"a.txt", "txt"}, {"a.TXT", "txt"}, {"a.md", "md"}, {"a.markdown", "md"},
	}
	for _, tt := range tests {
		doc, err := Parse(tt.name, []byte("Q: hi\n"))
		if err != nil || doc.Format != tt.format {
			t.Errorf("Parse(%q) = %v, %v, want format %q", tt.name, doc, err, tt.format)
		}
	}
}

func TestParseUnsupported(t *testing.T) {
	tests := []struct{ name, msg string }{
		{"paper.pdf", "unsupported format .pdf"},
		{"old.DOC", "unsupported format .doc"},
		{"README", "unsupported format (no file extension)"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.name, []byte("text"))
		if !errors.Is(err, ErrUnsupported) || err.Error() != tt.msg {
			t.Errorf("Parse(%q) = %v, want %q matching ErrUnsupported", tt.name, err, tt.msg)
		}
	}
}

// utf16Bytes encodes s as UTF-16 with a BOM.
func utf16Bytes(s string, bigEndian bool) []byte {
	units := append([]uint16{0xFEFF}, utf16.Encode([]rune(s))...)
	var b bytes.Buffer
	for _, u := range units {
		if bigEndian {
			b.WriteByte(byte(u >> 8))
			b.WriteByte(byte(u))
		} else {
			b.WriteByte(byte(u))
			b.WriteByte(byte(u >> 8))
		}
	}
	return b.Bytes()
}

func TestDecodeText(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"plain", []byte("Q: hi\nA: yo\n"), "Q: hi\nA: yo\n"},
		{"UTF-8 BOM stripped", []byte("\xEF\xBB\xBFQ: hi"), "Q: hi"},
		{"CRLF", []byte("a\r\nb\r\n"), "a\nb\n"},
		{"lone CR", []byte("a\rb\r\rc"), "a\nb\n\nc"},
		{"mixed endings", []byte("a\r\n\rb\n\r\n"), "a\n\nb\n\n"},
		{"NFD to NFC", []byte("Cafe\u0301 и\u0306"), "Café й"},
		{"trailing white space kept", []byte("  a  \n\n"), "  a  \n\n"},
		{"UTF-16 LE", utf16Bytes("Q: Привет 👋\r\nA: hi", false), "Q: Привет 👋\nA: hi"},
		{"UTF-16 BE", utf16Bytes("Q: Привет 👋\r\nA: hi", true), "Q: Привет 👋\nA: hi"},
		{"Latin-1 read as windows-1252", []byte("Q: caf\xe9"), "Q: café"},
		{"windows-1251", []byte("\xc8: \xc4\xe0, \xea\xee\xed\xe5\xf7\xed\xee."), "И: Да, конечно."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeText(tt.in)
			if err != nil || got != tt.want {
				t.Errorf("decodeText(%q) = %q, %v, want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestDecodeTextErrors(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		kind error
		msg  string
	}{
		{"empty", nil, ErrEmpty, "empty file"},
		{"white space", []byte(" \n\t\r\n "), ErrEmpty, "empty file (only white space)"},
		{"BOM only", []byte("\xEF\xBB\xBF"), ErrEmpty, "empty file"},
		{"UTF-16 BOM only", []byte("\xFF\xFE"), ErrEmpty, "empty file"},
		{"invalid UTF-8 after BOM", []byte("\xEF\xBB\xBFab\xc3("), ErrEncoding, "invalid UTF-8 at byte 5"},
		{"truncated UTF-8 at end", []byte("abc\xd0"), ErrEncoding, "not UTF-8 (invalid at byte 3) and not recognisable as windows-1251, koi8-r, windows-1252 or iso-8859-1; if you know its encoding, give it with --encoding"},
		{"damaged UTF-8", []byte("Привет, \xd0 как дела?"), ErrEncoding, "invalid UTF-8 at byte 14 (the rest of the file is UTF-8: is it damaged?)"},
		{"NUL", []byte("Q: a\x00b"), ErrBinary, "binary file (NUL byte at byte 4)"},
		{"PNG", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), ErrBinary, "binary file (PNG image)"},
		{"PDF", []byte("%PDF-1.7\n"), ErrBinary, "binary file (PDF document)"},
		{"ZIP", []byte("PK\x03\x04\x14\x00"), ErrBinary, "binary file (ZIP archive; a renamed .docx or .odt?)"},
		{"JPEG", []byte("\xff\xd8\xff\xe0"), ErrBinary, "binary file (JPEG image)"},
		{"GIF", []byte("GIF89a\x01\x00"), ErrBinary, "binary file (GIF image)"},
		{"RTF", []byte(`{\rtf1\ansi hello}`), ErrUnsupported, "RTF document: save it as .docx or plain text"},
		{"UTF-16 without BOM", []byte("Q\x00:\x00 \x00h\x00i\x00"), ErrEncoding, "UTF-16 text without a byte order mark: save it as UTF-8"},
		{"UTF-16 odd length", append(utf16Bytes("hi", false), 'x'), ErrEncoding, "invalid UTF-16: odd number of bytes (7)"},
		{"UTF-16 lone low surrogate", append(utf16Bytes("hi", false), 0x00, 0xDC), ErrEncoding, "invalid UTF-16 at byte 6 (unpaired surrogate)"},
		{"UTF-16 high surrogate then letter", append(utf16Bytes("hi", true), 0xD8, 0x00, 0x00, 'a'), ErrEncoding, "invalid UTF-16 at byte 6 (unpaired surrogate)"},
		{"UTF-16 truncated pair", append(utf16Bytes("hi", false), 0x00, 0xD8), ErrEncoding, "invalid UTF-16 at byte 6 (truncated surrogate pair)"},
		{"UTF-16 NUL", append(utf16Bytes("hi", false), 0, 0), ErrBinary, "binary file (NUL character at byte 6)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decodeText(tt.in)
			if !errors.Is(err, tt.kind) || err.Error() != tt.msg {
				t.Errorf("decodeText(%q) = %v, want %q matching %v", tt.in, err, tt.msg, tt.kind)
			}
		})
	}
}

func TestParseTooLarge(t *testing.T) {
	data := bytes.Repeat([]byte("a"), MaxInputSize+1)
	for _, name := range []string{"big.txt", "big.docx", "big.vtt"} {
		_, err := Parse(name, data)
		if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "larger than 64 MiB") {
			t.Errorf("Parse(%q, 64 MiB + 1) = %v, want ErrTooLarge", name, err)
		}
	}
}

func TestErrorsDoNotNameTheFile(t *testing.T) {
	for _, name := range []string{"secret-name.txt", "secret-name.docx", "secret-name.vtt"} {
		_, err := Parse(name, []byte("\x01\xff\x02"))
		if err == nil || strings.Contains(err.Error(), "secret-name") {
			t.Errorf("Parse(%q) = %v, want an error that does not name the file", name, err)
		}
	}
}

func TestIsNFC(t *testing.T) {
	// Every code point of the table's range, alone and followed by marks
	// that compose or reorder, must get norm's answer.
	follow := []string{"", "\u0301", "\u0306", "\u0308\u0301", "\u0316\u0301", "\u0301\u0316", "\u11a8", "\u3099", "\u0f71"}
	var b strings.Builder
	for r := rune(0); r < nfcTableSize; r++ {
		if r >= 0xD800 && r < 0xE000 {
			continue
		}
		for _, f := range follow {
			b.Reset()
			b.WriteString("x")
			b.WriteRune(r)
			b.WriteString(f)
			s := b.String()
			if got, want := isNFC(s), norm.NFC.IsNormalString(s); got != want {
				t.Fatalf("isNFC(%q) = %v, want %v", s, got, want)
			}
		}
	}
}

// Control characters a terminal would act on (ESC sequences, BEL, C1)
// are replaced one for one, so that turns and positions stay as they
// were, and the reader says so.
func TestControlsReplaced(t *testing.T) {
	tests := []struct {
		file string
		in   string
		want string
		n    int
	}{
		{"a.txt", "Interviewer: Hello \x1b]0;PWNED\x07 there?\nRespondent: Fine \x1b[2J ok.\n",
			"Interviewer: Hello \uFFFD]0;PWNED\uFFFD there?\nRespondent: Fine \uFFFD[2J ok.", 3},
		{"b.md", "Q: Tab\tand\r\nnewline stay.\nA: Да\u0085нет\x7f.\n", "Q: Tab\tand\nnewline stay.\nA: Да\uFFFDнет\uFFFD.", 2},
		{"c.srt", "1\n00:00:01,000 --> 00:00:02,000\nAnna: Hi\x1b[31m red\n", "Anna: Hi\uFFFD[31m red", 1},
	}
	for _, tt := range tests {
		doc, err := Parse(tt.file, []byte(tt.in))
		if err != nil {
			t.Fatalf("Parse(%s): %v", tt.file, err)
		}
		checkInvariants(t, doc)
		if strings.TrimRight(doc.Text, "\n") != tt.want {
			t.Errorf("Parse(%s).Text = %q, want %q", tt.file, doc.Text, tt.want)
		}
		warned := false
		for _, w := range doc.Warnings {
			warned = warned || strings.HasPrefix(w, fmt.Sprintf("%d control characters", tt.n))
		}
		if !warned {
			t.Errorf("Parse(%s) warnings %q, want one counting %d control characters", tt.file, doc.Warnings, tt.n)
		}
	}
}
