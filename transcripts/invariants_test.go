package transcripts

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// checkInvariants fails t unless doc holds what every Document promises:
// Text is valid UTF-8, NFC, without CR; turns are in order, do not overlap
// and lie within Text with Start ≤ Body ≤ End.
func checkInvariants(t *testing.T, doc *Document) {
	t.Helper()
	if doc == nil {
		t.Fatal("nil Document without an error")
	}
	if !utf8.ValidString(doc.Text) {
		t.Fatalf("Text is not valid UTF-8: %q", doc.Text)
	}
	if !norm.NFC.IsNormalString(doc.Text) {
		t.Fatalf("Text is not NFC: %q", doc.Text)
	}
	if strings.ContainsRune(doc.Text, '\r') {
		t.Fatalf("Text contains CR: %q", doc.Text)
	}
	r := []rune(doc.Text)
	n := len(r)
	prev := 0
	for i, tr := range doc.Turns {
		if !(prev <= tr.Start && tr.Start <= tr.Body && tr.Body <= tr.End && tr.End <= n) {
			t.Fatalf("turn %d = %+v: want %d ≤ Start ≤ Body ≤ End ≤ %d", i, tr, prev, n)
		}
		// Spans are trimmed: they start and end on visible characters.
		if tr.Start < tr.End && (unicode.IsSpace(r[tr.Start]) || unicode.IsSpace(r[tr.End-1])) {
			t.Fatalf("turn %d = %+v: span %q starts or ends with white space", i, tr, string(r[tr.Start:tr.End]))
		}
		if tr.Body < tr.End && unicode.IsSpace(r[tr.Body]) {
			t.Fatalf("turn %d = %+v: body %q starts with white space", i, tr, string(r[tr.Body:tr.End]))
		}
		if tr.Start == tr.End {
			t.Fatalf("turn %d = %+v is empty", i, tr)
		}
		prev = tr.End
	}
	for _, a := range doc.Attributes {
		if !utf8.ValidString(a.Key) || !utf8.ValidString(a.Value) {
			t.Fatalf("attribute %q = %q is not valid UTF-8", a.Key, a.Value)
		}
	}
}
