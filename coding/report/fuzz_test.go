package report

import (
	"regexp"
	"strings"
	"testing"
)

// FuzzInlineSVG feeds inlineSVG any bytes: it never panics, and what it
// lets through into the page holds no script, no event handler and no
// link or style that loads something from outside.
func FuzzInlineSVG(f *testing.F) {
	for _, seed := range []string{
		`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="1pt"><text>a &lt; b</text></svg>`,
		`<svg><use xlink:href="#a"/><image href="https://x.org/a.png"/></svg>`,
		`<svg><style>@font-face{src:url(data:font/ttf;base64,AA)}</style></svg>`,
		`<svg><style>@import "x.css";</style></svg>`,
		`<svg onload="x()"><script>x()</script></svg>`,
		`<svg/onload=x()></svg>`,
		`<svg><a href="//x.org">x</a><image src = 'http://x.org'/></svg>`,
		`<!-- <svg> --><svg><foreignObject><iframe src="x"/></foreignObject></svg>`,
	} {
		f.Add([]byte(seed))
	}
	handler := regexp.MustCompile(`(?i)<[^>]*[\s/]on[a-z]+\s*=`)
	script := regexp.MustCompile(`(?i)<\s*(script|foreignobject|iframe|object|embed)\b`)
	link := regexp.MustCompile(`(?i)<[^>]*[\s/](?:xlink:)?(?:href|src)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:|//)`)
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := inlineSVG(b)
		if err != nil {
			return
		}
		out := string(h)
		if !strings.HasPrefix(out, "<svg") {
			t.Fatalf("output does not start with <svg: %.40q", out)
		}
		for _, tag := range svgTag.FindAllString(out, -1) {
			if handler.MatchString(tag) || script.MatchString(tag) {
				t.Fatalf("let through %q", tag)
			}
			if m := link.FindString(tag); m != "" && !strings.HasSuffix(strings.ToLower(m), "data:") {
				t.Fatalf("let through a link out: %q", tag)
			}
		}
		for _, m := range svgStyle.FindAllStringSubmatch(out, -1) {
			if outside(m[1]) {
				t.Fatalf("let through a style that loads: %q", m[1])
			}
		}
	})
}
