package quotes

import (
	"bufio"
	"io"
	"regexp"
	"strings"
	"unicode"

	"github.com/qcode-dev/qcode/coding"
)

// Markdown writes the quotes as block quotes that Pandoc (and CommonMark)
// renders as they read: a "## code" heading with the code's description
// in italics when grouped, then each quote as a block quote followed by
// its attribution as an ordinary paragraph. The attribution between two
// quotes also keeps them apart in every Markdown dialect (some merge
// block quotes separated only by a blank line). Text is escaped, so a
// transcript's *, _, #, [, <, $ or @ stays literal.
func Markdown(w io.Writer, qs []coding.Quote, opt Options) error {
	bw := bufio.NewWriter(w)
	secs := sections(qs, opt)
	if len(secs) == 0 {
		bw.WriteString("No coded passages match these codes and filters.\n")
		return bw.Flush()
	}
	first := true
	blank := func() {
		if !first {
			bw.WriteString("\n")
		}
		first = false
	}
	for _, s := range secs {
		if opt.Group {
			blank()
			bw.WriteString("## " + MarkdownEscape(s.Code) + "\n")
			if s.Description != "" {
				bw.WriteString("\n*" + strings.Join(mdLines(s.Description), " ") + "*\n")
			}
		}
		for _, e := range s.Entries {
			blank()
			paras := mdLines(opt.text(e.Quote))
			if e.Before != "" {
				paras[0] = "\\[…" + MarkdownEscape(e.Before) + "\\] " + paras[0]
			}
			if e.After != "" {
				paras[len(paras)-1] += " \\[" + MarkdownEscape(contextAfter(e.After)) + "\\]"
			}
			for i, p := range paras {
				if i > 0 {
					bw.WriteString(">\n")
				}
				bw.WriteString("> " + p + "\n")
			}
			bw.WriteString("\n— " + MarkdownEscape(cite(e, s)) + "\n")
		}
	}
	return bw.Flush()
}

// mdLines escapes each paragraph of s; there is at least one.
func mdLines(s string) []string {
	ps := paragraphs(s)
	if len(ps) == 0 {
		return []string{""}
	}
	for i, p := range ps {
		ps[i] = MarkdownEscape(p)
	}
	return ps
}

var listStart = regexp.MustCompile(`^(\d+)([.)])(\s|$)`)

// MarkdownEscape makes s literal text in Pandoc's Markdown and in
// CommonMark: punctuation that could start emphasis, a link, raw HTML,
// maths, a citation, a superscript or subscript is backslash-escaped, as
// is what would make a line a list item, heading or rule.
func MarkdownEscape(s string) string {
	var b strings.Builder
	var prev rune
	for _, r := range s {
		if strings.ContainsRune("\\`*_[]<>#~^$|{}", r) || r == '@' && (prev == 0 || unicode.IsSpace(prev) || strings.ContainsRune("[(-;", prev)) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
		prev = r
	}
	out := b.String()
	if m := listStart.FindStringSubmatchIndex(out); m != nil {
		out = out[:m[3]] + "\\" + out[m[4]:]
	}
	if len(out) > 0 && strings.ContainsRune("-+=", rune(out[0])) {
		out = "\\" + out
	}
	return out
}
