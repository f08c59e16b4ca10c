// Package quotes writes coded passages for a paper: Markdown block quotes
// for Pandoc, LaTeX quote environments, CSV for spreadsheets, JSON for
// scripts and a Word document. Each writer is a pure function of the
// quotes (from coding.Store.Quotes) and Options: the same quotes give the
// same bytes.
package quotes

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/qcode-dev/qcode/coding"
)

// Formats are the output formats, as --format names them.
var Formats = []string{"md", "latex", "csv", "json", "docx"}

// Options shape what the writers print.
type Options struct {
	// Codes give the order of the sections when grouping and the
	// descriptions printed under their headings. Quotes of codes not
	// listed come after, in the order they first appear.
	Codes []coding.Code
	// Group puts the quotes under a heading per code; otherwise they form
	// one list in document order, each naming its codes.
	Group bool
	// MaxWords shortens each quote to its first MaxWords words, ending in
	// an ellipsis; 0 keeps it whole.
	MaxWords int
	// Title heads a Word document or a standalone LaTeX document.
	Title string
	// Standalone makes LaTeX a whole document with a preamble.
	Standalone bool
	// BOM starts CSV with a byte-order mark, so Excel reads it as UTF-8.
	BOM bool
}

// entry is one quoted span as the reading formats print it: codings of
// one span by several coders (and, ungrouped, with several codes) are one
// entry.
type entry struct {
	coding.Quote
	Codes  []string
	Coders []string
}

// section is a heading and its entries; Code is empty when ungrouped.
type section struct {
	Code        string
	Description string
	Entries     []entry
	// NameCodes is set when the entries must name their codes: in one
	// list of quotes with several codes.
	NameCodes bool
}

// sections arranges quotes for the reading formats.
func sections(qs []coding.Quote, opt Options) []section {
	if !opt.Group {
		s := section{}
		at := map[string]int{}
		for _, q := range qs {
			i, ok := at[q.ID]
			if !ok {
				at[q.ID] = len(s.Entries)
				s.Entries = append(s.Entries, entry{Quote: q})
				i = len(s.Entries) - 1
			}
			e := &s.Entries[i]
			e.Codes = addOnce(e.Codes, q.Code)
			e.Coders = addOnce(e.Coders, q.Coder)
		}
		if len(s.Entries) == 0 {
			return nil
		}
		for _, e := range s.Entries {
			s.NameCodes = s.NameCodes || len(e.Codes) > 1 || e.Codes[0] != s.Entries[0].Codes[0]
		}
		return []section{s}
	}
	byCode := map[string]*section{}
	var order []string
	for _, c := range opt.Codes {
		if _, ok := byCode[c.Path]; !ok {
			byCode[c.Path] = &section{Code: c.Path, Description: strings.TrimSpace(c.Description)}
			order = append(order, c.Path)
		}
	}
	at := map[[2]string]int{}
	for _, q := range qs {
		s := byCode[q.Code]
		if s == nil {
			s = &section{Code: q.Code}
			byCode[q.Code] = s
			order = append(order, q.Code)
		}
		k := [2]string{q.Code, q.ID}
		i, ok := at[k]
		if !ok {
			at[k] = len(s.Entries)
			s.Entries = append(s.Entries, entry{Quote: q, Codes: []string{q.Code}})
			i = len(s.Entries) - 1
		}
		s.Entries[i].Coders = addOnce(s.Entries[i].Coders, q.Coder)
	}
	var out []section
	for _, code := range order {
		if s := byCode[code]; len(s.Entries) > 0 {
			out = append(out, *s)
		}
	}
	return out
}

func addOnce(list []string, s string) []string {
	if s == "" || slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// Ellipsis ends a shortened quote.
const Ellipsis = "…"

// Shorten returns text cut after its first n words (runs of non-space),
// with trailing punctuation that would dangle (commas, colons, dashes)
// dropped and an ellipsis added; a text of n words or fewer, or n <= 0,
// comes back as it is. It never cuts inside a word.
func Shorten(text string, n int) (string, bool) {
	if n <= 0 {
		return text, false
	}
	words := 0
	in := false
	for i, r := range text {
		sp := unicode.IsSpace(r)
		if !sp && !in {
			words++
			if words > n {
				cut := strings.TrimRightFunc(text[:i], func(r rune) bool {
					return unicode.IsSpace(r) || strings.ContainsRune(",;:-–—(«„“\"'", r)
				})
				cut = strings.TrimRight(cut, ".…")
				return cut + Ellipsis, true
			}
		}
		in = !sp
	}
	return text, false
}

// text returns the quote's text as printed: trimmed, shortened to
// MaxWords.
func (opt Options) text(q coding.Quote) string {
	t, _ := Shorten(strings.TrimSpace(q.Text), opt.MaxWords)
	return t
}

// exact returns the quote's text as stored, shortened to MaxWords: what
// the machine formats carry.
func (opt Options) exact(q coding.Quote) string {
	t, _ := Shorten(q.Text, opt.MaxWords)
	return t
}

// Place says where a quote is: its document (NAME@VERSION when the
// document has a newer version, so the line still matches 'qcode show'),
// line, and timestamp when the transcript has one.
func Place(q coding.Quote) string {
	doc := q.Document
	if !q.Latest {
		doc = fmt.Sprintf("%s@%d", q.Document, q.Version)
	}
	p := fmt.Sprintf("%s, line %d", doc, q.Line)
	if q.Time != "" {
		p += ", " + q.Time
	}
	return p
}

// cite is the line under a quote, after its dash: the attribution and,
// in parentheses, the place, the codes when the section names them, and
// the quote id; without an attribution, no parentheses.
func cite(e entry, s section) string {
	parts := []string{Place(e.Quote)}
	if s.NameCodes {
		parts = append(parts, strings.Join(e.Codes, ", "))
	}
	parts = append(parts, e.ID)
	src := strings.Join(parts, "; ")
	if e.Attribution == "" {
		return src
	}
	return e.Attribution + " (" + src + ")"
}

// contextAfter is the context after a quote as printed: an ellipsis
// says the turn goes on, unless the context already ends a sentence.
func contextAfter(s string) string {
	if s == "" || strings.ContainsRune(".!?…", []rune(s)[len([]rune(s))-1]) {
		return s
	}
	return s + Ellipsis
}

// paragraphs splits a quote into its non-empty lines.
func paragraphs(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// Date is the time a Word document carries: the newest coding among the
// quotes, so the same project gives the same file; the zero time gives
// 1980-01-01, the earliest a zip file can say.
func Date(qs []coding.Quote) time.Time {
	var t time.Time
	for _, q := range qs {
		if q.CodedAt.After(t) {
			t = q.CodedAt
		}
	}
	if t.Before(zipEpoch) {
		return zipEpoch
	}
	return t.UTC()
}

var zipEpoch = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
