package pseudo

import (
	"html"
	"strings"
)

// htmlText is what a reader of an HTML or SVG file sees of it: its text
// and the values of its attributes (a title, an alt text), comments and
// scripts, entities decoded, with the markup, style sheets, inline
// styles and data: URIs blanked out (embedded fonts in base64 hold
// letters in every order, and CSS words such as max-width are not
// names). Every line keeps its place, so findings name the right line.
func htmlText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	blank := func(t string) {
		for _, r := range t {
			if r == '\n' {
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
		}
	}
	lower := strings.ToLower(s)
	for i := 0; i < len(s); {
		if s[i] != '<' {
			j := strings.IndexByte(s[i:], '<')
			if j < 0 {
				j = len(s) - i
			}
			b.WriteString(unescapeLines(s[i : i+j]))
			i += j
			continue
		}
		// A comment and a script are read as text: a name in them
		// leaves with the file all the same. A style sheet is not (its
		// words are CSS, its fonts base64).
		if strings.HasPrefix(lower[i:], "<!--") || strings.HasPrefix(lower[i:], "<![cdata[") {
			open, shut := "<!--", "-->"
			if lower[i+1] == '!' && lower[i+2] == '[' {
				open, shut = "<![cdata[", "]]>"
			}
			k := strings.Index(s[i+len(open):], shut)
			if k < 0 {
				k = len(s) - i - len(open)
			}
			blank(s[i : i+len(open)])
			b.WriteString(s[i+len(open) : i+len(open)+k])
			i += len(open) + k
			if i < len(s) {
				blank(s[i : i+len(shut)])
				i += len(shut)
			}
			continue
		}
		if strings.HasPrefix(lower[i:], "<style") {
			end := len(s)
			if k := strings.Index(lower[i:], "</style>"); k >= 0 {
				end = i + k + len("</style>")
			}
			blank(s[i:end])
			i = end
			continue
		}
		i = tagValues(s, i, &b, blank)
	}
	return b.String()
}

// tagValues writes the tag starting at s[i] ('<') as blanks but for its
// quoted attribute values (not style, not data: URIs), and returns where
// the tag ends.
func tagValues(s string, i int, b *strings.Builder, blank func(string)) int {
	j := i
	name := ""
	for j < len(s) && s[j] != '>' {
		c := s[j]
		if c == '"' || c == '\'' {
			k := strings.IndexByte(s[j+1:], c)
			if k < 0 {
				k = len(s) - j - 1
			}
			val := s[j+1 : j+1+k]
			b.WriteByte(' ')
			if name == "style" || strings.HasPrefix(strings.TrimSpace(strings.ToLower(val)), "data:") {
				blank(val)
			} else {
				b.WriteString(unescapeLines(val))
			}
			if j+1+k < len(s) {
				b.WriteByte(' ')
			}
			j += k + 2
			continue
		}
		if c == '=' {
			// The attribute's name is the word before '='.
			k := j - 1
			for k > i && (s[k] == ' ' || s[k] == '\t') {
				k--
			}
			e := k + 1
			for k > i && !strings.ContainsRune(" \t\n<", rune(s[k])) {
				k--
			}
			name = strings.ToLower(strings.TrimSpace(s[k+1 : e]))
		}
		if c == '\n' {
			b.WriteByte('\n')
		} else {
			b.WriteByte(' ')
		}
		j++
	}
	if j < len(s) {
		b.WriteByte(' ')
		j++
	}
	return j
}

// unescapeLines decodes entities line by line, so no line moves.
func unescapeLines(t string) string {
	if !strings.Contains(t, "&") {
		return t
	}
	lines := strings.Split(t, "\n")
	for i, l := range lines {
		// An entity may stand for a line break (&#10;): it stays in
		// its line.
		lines[i] = strings.ReplaceAll(html.UnescapeString(l), "\n", " ")
	}
	return strings.Join(lines, "\n")
}
