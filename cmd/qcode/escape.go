package main

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/qcode-dev/qcode/coding"
)

// Names and values are checked on the way in (coding.IsHiddenControl),
// but a project may hold what an older qcode let in, and a file name in
// an error message was never checked. So everything qcode prints for a
// person is escaped once more on the way out: a control character shows
// as \x1b, a bidirectional override or an invisible format character as
// \u202e, and only qcode's own colours (SGR sequences) act on the
// terminal.

// sgrRE matches an SGR sequence, the only escape qcode itself writes.
var sgrRE = regexp.MustCompile(`^\x1b\[[0-9;]*m`)

// termEscape is s with what a terminal would act on written out, except
// line breaks, tabs and, when keepSGR is set, SGR colour sequences.
func termEscape(s string, keepSGR bool) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return needsEscape(r) || r == utf8.RuneError }) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if keepSGR && s[i] == 0x1b {
			if m := sgrRE.FindString(s[i:]); m != "" {
				b.WriteString(m)
				i += len(m)
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case needsEscape(r) && r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case needsEscape(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// needsEscape reports whether r must not reach a terminal as it is.
func needsEscape(r rune) bool {
	return r != '\n' && r != '\t' && r != '\r' && coding.IsHiddenControl(r)
}

// escWriter escapes what is written through it (see termEscape). Each
// Write is escaped on its own; qcode writes a colour sequence whole.
type escWriter struct {
	w       io.Writer
	keepSGR bool
}

func (e *escWriter) Write(p []byte) (int, error) {
	s := termEscape(string(p), e.keepSGR)
	if _, err := io.WriteString(e.w, s); err != nil {
		return 0, err
	}
	return len(p), nil
}

// unwrap is the writer under an escWriter.
func unwrap(w io.Writer) io.Writer {
	if e, ok := w.(*escWriter); ok {
		return e.w
	}
	return w
}

// warnCleaned tells the user when a memo's text lost control characters
// on the way in (see coding.CleanText).
func (a *app) warnCleaned(text string) {
	if _, removed := coding.CleanText(strings.ReplaceAll(text, "\r\n", "\n")); removed {
		fmt.Fprintln(a.stderr, "warning: control characters removed from the memo's text (lines and tabs are kept)")
	}
}
