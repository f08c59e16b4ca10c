package quotes

import (
	"bufio"
	"io"
	"strings"
	"unicode"

	"github.com/qcode-dev/qcode/coding"
)

// LaTeX writes each quote as a quote environment with its attribution set
// right-aligned under it, grouped under \subsection* headings with the
// code's description when grouped. Text is escaped (see LaTeXEscape);
// Cyrillic and other letters stay as UTF-8. With opt.Standalone the
// output is a whole document that pdfLaTeX (T2A fonts for Cyrillic),
// XeLaTeX and LuaLaTeX (fontspec) compile.
func LaTeX(w io.Writer, qs []coding.Quote, opt Options) error {
	bw := bufio.NewWriter(w)
	if opt.Standalone {
		bw.WriteString(latexPreamble)
		if opt.Title != "" {
			bw.WriteString("\\section*{" + LaTeXEscape(opt.Title) + "}\n\n")
		}
	}
	secs := sections(qs, opt)
	if len(secs) == 0 {
		bw.WriteString("% No coded passages match these codes and filters.\n")
	}
	for i, s := range secs {
		if opt.Group {
			if i > 0 {
				bw.WriteString("\n")
			}
			bw.WriteString("\\subsection*{" + LaTeXEscape(s.Code) + "}\n")
			if s.Description != "" {
				bw.WriteString("\\emph{" + LaTeXEscape(strings.Join(paragraphs(s.Description), " ")) + "}\n")
			}
		}
		for _, e := range s.Entries {
			bw.WriteString("\n\\begin{quote}\n")
			paras := paragraphs(opt.text(e.Quote))
			if len(paras) == 0 {
				paras = []string{""}
			}
			for i := range paras {
				paras[i] = LaTeXEscape(paras[i])
			}
			if e.Before != "" {
				paras[0] = "[\\ldots{}" + LaTeXEscape(e.Before) + "] " + paras[0]
			}
			if e.After != "" {
				paras[len(paras)-1] += " [" + LaTeXEscape(contextAfter(e.After)) + "]"
			}
			bw.WriteString(strings.Join(paras, "\n\n") + "\n")
			// \mbox keeps a quote id from breaking at its hyphen.
			line := strings.Replace(LaTeXEscape(cite(e, s)), e.ID, "\\mbox{"+e.ID+"}", 1)
			bw.WriteString("\\par{\\raggedleft\\small ---~" + line + "\\par}\n")
			bw.WriteString("\\end{quote}\n")
		}
	}
	if opt.Standalone {
		bw.WriteString("\n\\end{document}\n")
	}
	return bw.Flush()
}

// latexPreamble makes the standalone document. Under pdfLaTeX the T2A
// font encoding holds both Latin and Cyrillic letters (TeX Live's
// cm-super or lh fonts); XeLaTeX and LuaLaTeX take a system font that
// has Cyrillic, as Latin Modern has none.
const latexPreamble = `\documentclass[11pt]{article}
\usepackage{iftex}
\ifPDFTeX
  \usepackage[T2A]{fontenc}
  \usepackage[utf8]{inputenc}
\else
  \usepackage{fontspec}
  \IfFontExistsTF{CMU Serif}{\setmainfont{CMU Serif}}{%
    \IfFontExistsTF{DejaVu Serif}{\setmainfont{DejaVu Serif}}{}}
\fi
\usepackage[a4paper,margin=25mm]{geometry}
\begin{document}

`

// LaTeXEscape makes s literal LaTeX text: the ten special characters
// become commands (\& \% \$ \# \_ \{ \} \textasciitilde{}
// \textasciicircum{} \textbackslash{}), as do < > | (which the old OT1
// encoding would print as other glyphs) and the ellipsis "…", written
// \ldots{} so that it needs no font with the character and spaces its
// dots alike under every engine. Other characters, Cyrillic included,
// pass through as UTF-8.
func LaTeXEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '&', '%', '$', '#', '_', '{', '}':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '~':
			b.WriteString(`\textasciitilde{}`)
		case '^':
			b.WriteString(`\textasciicircum{}`)
		case '\\':
			b.WriteString(`\textbackslash{}`)
		case '<':
			b.WriteString(`\textless{}`)
		case '>':
			b.WriteString(`\textgreater{}`)
		case '|':
			b.WriteString(`\textbar{}`)
		case '…':
			b.WriteString(`\ldots{}`)
		case '\n', '\r', '\t':
			b.WriteByte(' ')
		default:
			if !unicode.IsControl(r) {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}
