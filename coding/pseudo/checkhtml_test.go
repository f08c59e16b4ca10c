package pseudo

import (
	"testing"
)

// An HTML or SVG export is checked as a reader sees it: text, attribute
// values, comments and scripts count; style sheets, inline styles and
// data: URIs (embedded fonts) do not; entities are decoded; lines stay.
func TestCheckHTML(t *testing.T) {
	m := NewMatcher([]Entry{{ID: "k1", Real: "Max", Pseudonym: "[P1]", Kind: Person}, {ID: "k2", Real: "Анна", Pseudonym: "[P2]", Kind: Person}})
	cases := []struct {
		name  string
		file  string
		html  string
		lines []int // the lines of the findings, in order
	}{
		{"text", "r.html", "<p>Max was here</p>", []int{1}},
		{"CSS words are not names", "r.html", "<style>\n.a { max-width: 40em }\n</style>\n<p>nobody</p>", nil},
		{"a name after a style sheet keeps its line", "r.html", "<style>\n.a { max-width: 40em }\n</style>\n<p>Max</p>", []int{4}},
		{"an inline style", "r.html", `<div style="max-height: 2em">x</div>`, nil},
		{"an embedded font", "f.svg", `<svg><font-face src="data:font/woff2;base64,AAAA/Max+Анна=="/><text>ok</text></svg>`, nil},
		{"an attribute value", "r.html", `<abbr title="Анну спросили">x</abbr>`, []int{1}},
		{"entities", "r.html", "<p>&#1040;&#1085;&#1085;&#1072; &amp; co</p>", []int{1}},
		{"a comment", "r.html", "<p>x</p>\n<!-- told by Max -->", []int{2}},
		{"a script", "r.html", "<script>\nvar who = 'Анной';\n</script>", []int{2}},
		{"SVG text", "f.svg", "<svg>\n<text x=\"1\">Max</text>\n</svg>", []int{2}},
		{"an unclosed tag", "r.html", `<p title="Max`, []int{1}},
	}
	for _, c := range cases {
		got, err := CheckBytes(c.file, []byte(c.html), m)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var lines []int
		for _, f := range got {
			lines = append(lines, f.Line)
		}
		if len(lines) != len(c.lines) {
			t.Errorf("%s: findings on lines %v, want %v (%+v)", c.name, lines, c.lines, got)
			continue
		}
		for i := range lines {
			if lines[i] != c.lines[i] {
				t.Errorf("%s: findings on lines %v, want %v", c.name, lines, c.lines)
				break
			}
		}
	}
}

func FuzzHTMLText(f *testing.F) {
	for _, s := range []string{"<p>Max</p>", "<style>x", "<!--", "<![CDATA[Max]]>", `<a href="data:x">`, "<p title='a\nb'>c</p>", "<", "&#"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := htmlText(s)
		if want, have := countLines(s), countLines(got); want != have {
			t.Fatalf("htmlText(%q) has %d lines, the input %d", s, have, want)
		}
	})
}

func countLines(s string) int {
	n := 1
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			n++
		}
	}
	return n
}
