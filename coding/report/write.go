package report

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

//go:embed report.css
var css string

//go:embed report.html.tmpl
var page string

// tmpl is the page template, parsed the first time a report is written.
var tmpl = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("report").Funcs(template.FuncMap{
		"join":    strings.Join,
		"andList": joinAnd,
		"num":     thousands,
		"plural": func(n int, one, many string) string {
			if n == 1 {
				return "1 " + one
			}
			return strconv.Itoa(n) + " " + many
		},
		"depth": func(d int) int { return min(d, 4) },
		"long":  func(s string) bool { return len([]rune(s)) > 40 },
		"zero":  func(s string) bool { return s == "0" || s == "0.0%" || s == "0.00" },
		// css passes a colour that cssColor has checked.
		"css": func(c string) template.CSS { return template.CSS(cssColor(c)) },
		"svg": inlineSVG,
		"unit": func(u string) string {
			switch u {
			case "char":
				return "character"
			case "segment":
				return "coded segment"
			}
			return u
		},
		"firstID": func(codes []Code) string {
			for _, c := range codes {
				for _, q := range c.Examples {
					return q.ID
				}
			}
			return "Q-7RS1HB1P"
		},
		"pair": func(a *Agreement, r AgreementRow) any {
			return struct {
				A   *Agreement
				Row AgreementRow
			}{a, r}
		},
	}).Parse(page))
})

// view is what the template reads: the report, its style and its date.
type view struct {
	*Report
	CSS  template.CSS
	AsOf string
}

// Write writes the report as one self-contained HTML file.
func Write(w io.Writer, r *Report) error {
	v := view{Report: r, CSS: template.CSS(css)}
	if !r.AsOf.IsZero() {
		v.AsOf = r.AsOf.UTC().Format("2 January 2006, 15:04 UTC")
	}
	// A font embedded in several figures is embedded once: a style in
	// an inline SVG is the whole page's.
	fonts := map[string]bool{}
	t, err := tmpl().Clone()
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	t.Funcs(template.FuncMap{"svg": func(b []byte) (template.HTML, error) {
		h, err := inlineSVG(b)
		h = template.HTML(fontFace.ReplaceAllStringFunc(string(h), func(f string) string {
			if fonts[f] {
				return ""
			}
			fonts[f] = true
			return f
		}))
		return h, err
	}})
	var buf bytes.Buffer
	if err := t.Execute(&buf, v); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

var (
	// svgProlog is what comes before the <svg> element of an SVG file:
	// the XML declaration, a DOCTYPE, comments.
	svgStart = regexp.MustCompile(`(?s)^.*?(<svg[\s/>])`)
	// svgRefs are the attributes of an SVG that may name something
	// outside it: namespace declarations (which HTML does not need) and
	// links, kept only when they point inside the document or hold
	// data.
	svgNS     = regexp.MustCompile(`\s+xmlns(:[A-Za-z]+)?="[^"]*"`)
	svgHref   = regexp.MustCompile(`(?i)[\s/]+(?:xlink:)?(?:href|src)\s*=\s*("[^"]*"?|'[^']*'?|[^\s>]*)`)
	fontFace  = regexp.MustCompile(`@font-face\s*\{[^}]*\}`)
	svgTag    = regexp.MustCompile(`<[^<>]*>?`)
	svgStyle  = regexp.MustCompile(`(?is)<style[^>]*>(.*?)</style>`)
	svgBadTag = regexp.MustCompile(`(?i)^<\s*(script|foreignObject|iframe|object|embed)\b|[\s/]on[a-z]+\s*=`)
	svgURL    = regexp.MustCompile(`(?i)url\(\s*['"]?\s*([a-z][a-z0-9+.-]*:|//)|@import`)
)

// inlineSVG makes an SVG document fit to stand inside HTML: without its
// prolog and namespace declarations, with every link to something
// outside it removed. An SVG holding a script or event handler is
// refused: figures are drawn, never scripted.
func inlineSVG(b []byte) (template.HTML, error) {
	s := string(b)
	m := svgStart.FindStringSubmatchIndex(s)
	if m == nil {
		return "", fmt.Errorf("figure: not an SVG document")
	}
	s = s[m[2]:]
	// Text is escaped; what could act is in tags and style sheets.
	for _, tag := range svgTag.FindAllString(s, -1) {
		if svgBadTag.MatchString(tag) {
			return "", fmt.Errorf("figure: the SVG holds a script or an event handler: %.60s", tag)
		}
		if outside(tag) {
			return "", fmt.Errorf("figure: the SVG refers to something outside it: %.60s", tag)
		}
	}
	for _, m := range svgStyle.FindAllStringSubmatch(s, -1) {
		if outside(m[1]) {
			return "", fmt.Errorf("figure: the SVG's style refers to something outside it")
		}
	}
	s = svgNS.ReplaceAllString(s, "")
	s = svgHref.ReplaceAllStringFunc(s, func(attr string) string {
		v := strings.Trim(svgHref.FindStringSubmatch(attr)[1], `"'`)
		if strings.HasPrefix(v, "#") || strings.HasPrefix(strings.ToLower(v), "data:") {
			return attr
		}
		return ""
	})
	return template.HTML(strings.TrimSpace(s)), nil
}

// joinAnd joins names as a sentence does: "a, b and c".
func joinAnd(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// thousands writes n with commas between groups of three digits.
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

// outside reports whether CSS in s loads something that is not data:
// a url() with another scheme or starting with //, or an @import.
func outside(s string) bool {
	for _, m := range svgURL.FindAllStringSubmatch(s, -1) {
		if !strings.EqualFold(m[1], "data:") {
			return true
		}
	}
	return false
}
