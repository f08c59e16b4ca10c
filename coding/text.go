package coding

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// ByteOffset converts a code-point offset in s to a byte offset. Offsets
// past the end give len(s).
func ByteOffset(s string, cp int) int {
	if cp <= 0 {
		return 0
	}
	n := 0
	for i := range s {
		if n == cp {
			return i
		}
		n++
	}
	return len(s)
}

// Slice returns the text of s between the code-point offsets start and end.
func Slice(s string, start, end int) string {
	b := ByteOffset(s, start)
	e := b + ByteOffset(s[b:], end-start)
	return s[b:e]
}

// RuneOffset converts a byte offset in s to a code-point offset.
func RuneOffset(s string, b int) int {
	if b > len(s) {
		b = len(s)
	}
	return utf8.RuneCountInString(s[:b])
}

// LineOf returns the 1-based line number of the code point at cp.
func LineOf(s string, cp int) int {
	return strings.Count(s[:ByteOffset(s, cp)], "\n") + 1
}

// countWords counts runs of letters and digits separated by anything else.
func countWords(s string) int {
	n := 0
	in := false
	for _, r := range s {
		w := r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') ||
			r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))
		if w && !in {
			n++
		}
		in = w || (in && (r == '\'' || r == '-' || r == '’'))
	}
	return n
}

// InvalidUTF8 finds the first byte of data that is not UTF-8: its
// offset and its line (from 1). ok is false when data is all UTF-8.
func InvalidUTF8(data []byte) (offset, line int, ok bool) {
	for offset < len(data) {
		r, size := utf8.DecodeRune(data[offset:])
		if r == utf8.RuneError && size <= 1 {
			line = 1
			for _, b := range data[:offset] {
				if b == '\n' {
					line++
				}
			}
			return offset, line, true
		}
		offset += size
	}
	return 0, 0, false
}
