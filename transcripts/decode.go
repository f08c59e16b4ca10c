package transcripts

import (
	"bytes"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/unicode/norm"
)

// signatures are the leading bytes of binary formats that someone may
// rename to .txt (or export by mistake); they are refused with a name
// rather than read as text.
var signatures = []struct {
	magic, what string
}{
	{"\x89PNG\r\n\x1a\n", "PNG image"},
	{"%PDF-", "PDF document"},
	{"PK\x03\x04", "ZIP archive; a renamed .docx or .odt?"},
	{"PK\x05\x06", "ZIP archive"},
	{"PK\x07\x08", "ZIP archive"},
	{"GIF87a", "GIF image"},
	{"GIF89a", "GIF image"},
	{"\xff\xd8\xff", "JPEG image"},
	{"\x1f\x8b", "gzip archive"},
	{"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Office document; save it as .docx"},
	{"\x7fELF", "executable"},
	{"7z\xbc\xaf\x27\x1c", "7-Zip archive"},
	{"Rar!\x1a\x07", "RAR archive"},
	{"OggS", "Ogg audio"},
	{"fLaC", "FLAC audio"},
	{"ID3\x02", "MP3 audio"},
	{"ID3\x03", "MP3 audio"},
	{"ID3\x04", "MP3 audio"},
	{"\x1a\x45\xdf\xa3", "Matroska/WebM video"},
}

// binarySignature names the binary format data starts with, or "".
func binarySignature(data []byte) string {
	for _, s := range signatures {
		if bytes.HasPrefix(data, []byte(s.magic)) {
			return s.what
		}
	}
	if len(data) >= 12 {
		switch {
		case string(data[4:8]) == "ftyp":
			return "MP4/M4A media"
		case string(data[:4]) == "RIFF" && (string(data[8:12]) == "WAVE" || string(data[8:12]) == "AVI " || string(data[8:12]) == "WEBP"):
			return "RIFF media (WAV, AVI or WebP)"
		}
	}
	return ""
}

// decodeText turns the bytes of a text format into the stored form: UTF-8
// without BOM (UTF-16 with a BOM is converted), LF line endings, NFC. It
// refuses binary data, invalid encodings and files with no visible text.
// Offsets in its errors are byte offsets in data.
func decodeText(data []byte) (string, error) {
	if len(data) > MaxInputSize {
		return "", errorf(ErrTooLarge, "file is larger than %d MiB (%d bytes)", MaxInputSize>>20, len(data))
	}
	if len(data) == 0 {
		return "", errorf(ErrEmpty, "empty file")
	}
	if what := binarySignature(data); what != "" {
		return "", errorf(ErrBinary, "binary file (%s)", what)
	}
	if bytes.HasPrefix(data, []byte("{\\rtf")) {
		return "", errorf(ErrUnsupported, "RTF document: save it as .docx or plain text")
	}
	var s string
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		t, err := decodeUTF16(data, false)
		if err != nil {
			return "", err
		}
		s = t
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		t, err := decodeUTF16(data, true)
		if err != nil {
			return "", err
		}
		s = t
	default:
		bom := 0
		if bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")) {
			bom = 3
		}
		if i := bytes.IndexByte(data, 0); i >= 0 {
			if looksUTF16(data) {
				return "", errorf(ErrEncoding, "UTF-16 text without a byte order mark: save it as UTF-8")
			}
			return "", errorf(ErrBinary, "binary file (NUL byte at byte %d)", i)
		}
		body := data[bom:]
		if !utf8.Valid(body) {
			return "", errorf(ErrEncoding, "invalid UTF-8 at byte %d", bom+firstInvalidUTF8(body))
		}
		s = string(body)
	}
	if isBlank(s) {
		if s == "" {
			return "", errorf(ErrEmpty, "empty file")
		}
		return "", errorf(ErrEmpty, "empty file (only white space)")
	}
	return nfc(normaliseNewlines(s)), nil
}

// decodeUTF16 converts UTF-16 text that starts with a BOM. It checks the code
// units first so that an error can give the byte offset of the problem:
// the decoder itself would silently substitute U+FFFD.
func decodeUTF16(data []byte, bigEndian bool) (string, error) {
	if len(data)%2 != 0 {
		return "", errorf(ErrEncoding, "invalid UTF-16: odd number of bytes (%d)", len(data))
	}
	unit := func(i int) uint16 {
		if bigEndian {
			return uint16(data[i])<<8 | uint16(data[i+1])
		}
		return uint16(data[i+1])<<8 | uint16(data[i])
	}
	for i := 2; i < len(data); i += 2 {
		u := unit(i)
		switch {
		case u == 0:
			return "", errorf(ErrBinary, "binary file (NUL character at byte %d)", i)
		case u >= 0xD800 && u < 0xDC00:
			if i+2 >= len(data) {
				return "", errorf(ErrEncoding, "invalid UTF-16 at byte %d (truncated surrogate pair)", i)
			}
			if v := unit(i + 2); v < 0xDC00 || v >= 0xE000 {
				return "", errorf(ErrEncoding, "invalid UTF-16 at byte %d (unpaired surrogate)", i)
			}
			i += 2
		case u >= 0xDC00 && u < 0xE000:
			return "", errorf(ErrEncoding, "invalid UTF-16 at byte %d (unpaired surrogate)", i)
		}
	}
	endian := xunicode.LittleEndian
	if bigEndian {
		endian = xunicode.BigEndian
	}
	out, err := xunicode.UTF16(endian, xunicode.ExpectBOM).NewDecoder().Bytes(data)
	if err != nil {
		return "", errorf(ErrEncoding, "invalid UTF-16: %v", err)
	}
	return string(out), nil
}

// looksUTF16 reports whether data with NUL bytes looks like UTF-16 written
// without a BOM: NULs in one byte position of most pairs, none in the other.
func looksUTF16(data []byte) bool {
	n := min(len(data), 1024) &^ 1
	if n < 4 {
		return false
	}
	var even, odd int
	for i := 0; i < n; i += 2 {
		if data[i] == 0 {
			even++
		}
		if data[i+1] == 0 {
			odd++
		}
	}
	pairs := n / 2
	return (even*2 >= pairs && odd == 0) || (odd*2 >= pairs && even == 0)
}

// firstInvalidUTF8 returns the offset of the first byte of b that does not
// start a valid UTF-8 sequence, or len(b).
func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return len(b)
}

// normaliseNewlines turns CRLF and lone CR into LF.
func normaliseNewlines(s string) string {
	i := strings.IndexByte(s, '\r')
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i >= 0 {
		b.WriteString(s[:i])
		b.WriteByte('\n')
		s = s[i+1:]
		if len(s) > 0 && s[0] == '\n' {
			s = s[1:]
		}
		i = strings.IndexByte(s, '\r')
	}
	b.WriteString(s)
	return b.String()
}

// nfc returns s in Normalization Form C, without copying when it already is.
func nfc(s string) string {
	if isNFC(s) {
		return s
	}
	return norm.NFC.String(s)
}

// nfcTableSize bounds the code points that nfcStable describes: the Basic
// Multilingual Plane, where the scripts of our transcripts live.
const nfcTableSize = 0x10000

// nfcStable has a bit set for each code point below nfcTableSize whose
// NFC_Quick_Check is Yes and whose canonical combining class is 0. A string
// made only of such code points is in NFC, whatever their order: that is
// the quick check of UAX #15 answering Yes.
var nfcStable = sync.OnceValue(func() []uint64 {
	t := make([]uint64, nfcTableSize/64)
	var buf [utf8.UTFMax]byte
	for r := rune(0); r < nfcTableSize; r++ {
		if r >= 0xD800 && r < 0xE000 {
			continue // surrogates
		}
		b := buf[:utf8.EncodeRune(buf[:], r)]
		p := norm.NFC.Properties(b)
		if p.CCC() == 0 && p.LeadCCC() == 0 && p.BoundaryBefore() && norm.NFC.IsNormal(b) {
			t[r>>6] |= 1 << (r & 63)
		}
	}
	return t
})

// isNFC reports whether s is in NFC. It is norm.NFC.IsNormalString with a
// faster path for text in which no code point can change under NFC, which
// is nearly all text (norm's own check is slow on Cyrillic).
func isNFC(s string) bool {
	t := nfcStable()
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r >= nfcTableSize || t[r>>6]&(1<<(r&63)) == 0 {
			return norm.NFC.IsNormalString(s)
		}
		i += size
	}
	return true
}

// isSpace reports whether r is white space (Unicode White_Space).
func isSpace(r rune) bool {
	if r < utf8.RuneSelf {
		return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f'
	}
	return unicode.IsSpace(r)
}

// isBlank reports whether s is empty or only white space.
func isBlank(s string) bool {
	for _, r := range s {
		if !isSpace(r) {
			return false
		}
	}
	return true
}
