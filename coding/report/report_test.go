package report

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/qcode-dev/qcode/coding"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// clock is a fixed clock that moves one minute at each reading, so that
// every date in the store is the same on every run.
func clock() func() time.Time {
	t := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	return func() time.Time {
		t = t.Add(time.Minute)
		return t
	}
}

// hostile is a code name that would be a script if it were written as
// markup.
const hostile = `<b onclick="alert(1)">Bold`

// fixture builds a small project from testdata/: three interviews with
// attributes, a codebook with a sub-code and a hostile name, codings by
// two coders (one passage coded by both alike), memos with markup in
// them. It returns the open store and its folder.
func fixture(t *testing.T) (*coding.Store, string) {
	t.Helper()
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "study.qcode")
	s, err := coding.Create(ctx, dir, coding.Options{Coder: "ana", Now: clock(), Name: "Tbilisi <study> & co"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	for _, name := range []string{"A01.md", "A02.md", "A03.md"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Import(ctx, coding.ImportFile{Path: name, Data: data, Lang: "en"}); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []coding.NewCode{
		{Path: "Reasons for leaving", Color: "#3366cc", Description: `Why they left; <b>not</b> how & "when".`},
		{Path: "Reasons for leaving/Fear", Color: "#cc3333", Description: "Fear of arrest, searches or the draft."},
		{Path: "Donations", Color: "#33aa55"},
		{Path: hostile, Description: "A name that must stay text."},
		{Path: "Unused"},
	} {
		if _, _, err := s.AddCode(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	boris := s.WithCoder("boris")
	tag := func(st *coding.Store, doc, code, text, memo string) {
		t.Helper()
		d, err := st.Document(ctx, doc, true)
		if err != nil {
			t.Fatal(err)
		}
		i := strings.Index(d.Text, text)
		if i < 0 {
			t.Fatalf("%q not in %s", text, doc)
		}
		start := len([]rune(d.Text[:i]))
		if _, _, err := st.Tag(ctx, coding.TagRequest{Doc: doc, Code: code, Memo: memo,
			Spans: []coding.Span{{Start: start, End: start + len([]rune(text))}}}); err != nil {
			t.Fatal(err)
		}
	}
	tag(s, "A01", "Reasons for leaving/Fear", "After the search at our school I could not sleep.", "")
	tag(boris, "A01", "Reasons for leaving/Fear", "After the search at our school I could not sleep.", "")
	tag(s, "A02", "Reasons for leaving/Fear", "The summons came to my parents' flat in September.", "<i>draft</i> & summons")
	tag(boris, "A03", "Reasons for leaving/Fear", "My editor was detained.", "")
	tag(s, "A01", "Donations", "I send money to a fund for <b>political prisoners</b> every month.", "")
	tag(boris, "A01", "Donations", "I send money to a fund", "")
	tag(s, "A02", hostile, "Never about the war, that is our deal.", "")
	tag(s, "A01", "Reasons for leaving", "I left in March with one suitcase.", "")
	if _, _, err := s.AddMemo(ctx, coding.TargetProject, "", `First wave: <img src=x onerror=alert(1)> see https://example.org/notes`); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.AddMemo(ctx, coding.TargetCode, "Donations", "Ask about amounts & <regularity>."); err != nil {
		t.Fatal(err)
	}
	return s, dir
}

// render builds and writes a report of s.
func render(t *testing.T, s *coding.Store, opt Options) string {
	t.Helper()
	r, err := Build(context.Background(), s, opt)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Write(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

var quoteIDs = regexp.MustCompile(`Q-[0-9A-Z]{8}`)

// scrubIDs replaces the quote ids, which derive from document GUIDs
// drawn at random, by Q-0000000N in order of first appearance.
func scrubIDs(s string) string {
	seen := map[string]string{}
	return quoteIDs.ReplaceAllStringFunc(s, func(id string) string {
		if r, ok := seen[id]; ok {
			return r
		}
		seen[id] = fmt.Sprintf("Q-%08d", len(seen)+1)
		return seen[id]
	})
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -run %s -update writes it)", err, t.Name())
	}
	if got != string(want) {
		t.Errorf("the report differs from %s (go test -update rewrites it after a look at the difference)", path)
	}
}

// TestGolden keeps the whole HTML of the fixture (without figures,
// which package figures tests) in testdata/fixture.html.
func TestGolden(t *testing.T) {
	s, _ := fixture(t)
	golden(t, "fixture.html", scrubIDs(render(t, s, Options{Examples: 2})))
}

// TestFixtureReport writes the fixture's report with three examples and
// the figures once, and checks it in several ways.
func TestFixtureReport(t *testing.T) {
	s, dir := fixture(t)
	html := render(t, s, Options{Examples: 3, Figures: Drawn{}})
	t.Run("same bytes", func(t *testing.T) { testSameBytes(t, s, dir, html) })
	t.Run("escaped", func(t *testing.T) { testEscaped(t, html) })
	t.Run("self-contained", func(t *testing.T) { testSelfContained(t, html) })
	t.Run("pseudonyms", func(t *testing.T) { testPseudonyms(t, s, html) })
}

// testSameBytes writes the report twice, from the same store and from
// the project opened anew, with figures: the bytes are the same.
func testSameBytes(t *testing.T, s *coding.Store, dir, first string) {
	opt := Options{Examples: 3, Figures: Drawn{}}
	if second := render(t, s, opt); second != first {
		t.Fatal("two reports of the same store differ")
	}
	s2, err := coding.Open(context.Background(), dir, coding.Options{Coder: "someone else"})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if third := render(t, s2, opt); third != first {
		t.Fatal("the report of the project opened again differs")
	}
}

// section returns the HTML of the section with the id, or "".
func section(html, id string) string {
	start := strings.Index(html, `<section id="`+id+`">`)
	if start < 0 {
		return ""
	}
	end := strings.Index(html[start:], "</section>")
	return html[start : start+end]
}

// TestStructure checks what each section holds, for the whole project
// and for one coder's codings.
func TestStructure(t *testing.T) {
	s, _ := fixture(t)
	tests := []struct {
		name string
		opt  Options
		// want are substrings each section must hold; absent, the
		// sections that must be missing.
		want    map[string][]string
		count   map[string]int
		absent  []string
		figures int
	}{
		{
			name: "everyone",
			opt:  Options{Examples: 2, Figures: Drawn{}},
			want: map[string][]string{
				"summary":      {"<dt>Documents</dt><dd>3</dd>", "<dt>Participants</dt><dd>3</dd>", "<dt>Coders</dt><dd>2</dd>", "<dt>Codes</dt><dd>5</dd>", "<dt>Codings</dt><dd>8</dd>"},
				"documents":    {`<th scope="row">A01</th>`, `<th scope="row">A03</th>`},
				"participants": {"<th scope=\"col\">gender</th>", "<th scope=\"col\">city</th>", "Yerevan"},
				"coders":       {`<th scope="row">ana</th><td class="n">5</td>`, `<th scope="row">boris</th><td class="n">3</td>`},
				"codebook":     {"Fear of arrest, searches or the draft.", "4 codings · 3 documents · 3 participants"},
				"tables":       {`id="frequencies"`, `id="matrix-documents"`, `id="matrix-gender"`, `id="matrix-wave"`, `id="matrix-city"`, `id="cooc"`},
				"quotes":       {"coded by ana and boris", "female, 31, teacher &amp; &lt;tutor&gt;"},
				"agreement":    {"Agreement of ana and boris, by character", "on 1 document that every one of them coded: A01.", "A02 (ana); A03 (boris)"},
			},
			count: map[string]int{
				`<li class="code `:     5,
				`<figure class="quote`: 6, // Fear 2, Donations 2, hostile 1, Reasons 1
				`<div class="table"`:   6,
			},
			figures: 7, // frequencies, documents, gender, wave, city, cooc, agreement
		},
		{
			name: "one coder",
			opt:  Options{Coder: "boris", Examples: 5, Figures: Drawn{}},
			want: map[string][]string{
				"summary":   {"<dt>Codings</dt><dd>3</dd>"},
				"agreement": {"counts boris&#39;s codings only"},
				"quotes":    {"coded by boris"},
			},
			count: map[string]int{
				`<figure class="quote`: 3,
				"coded by ana":         0,
			},
			figures: 6, // no agreement
		},
		{
			name:   "no examples, no figures, chosen grouping",
			opt:    Options{By: []string{"wave"}},
			absent: []string{"quotes", "figures"},
			count: map[string]int{
				`<div class="table"`: 4,
				`id="matrix-wave"`:   1,
				`id="matrix-gender"`: 0,
				"<svg":               0,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			html := render(t, s, tt.opt)
			for id, subs := range tt.want {
				sec := section(html, id)
				if sec == "" {
					t.Errorf("no section %q", id)
					continue
				}
				for _, sub := range subs {
					if !strings.Contains(sec, sub) {
						t.Errorf("section %q lacks %q", id, sub)
					}
				}
			}
			for _, id := range tt.absent {
				if section(html, id) != "" || strings.Contains(html, `href="#`+id+`"`) {
					t.Errorf("section %q is there, want none", id)
				}
			}
			for sub, n := range tt.count {
				if got := strings.Count(html, sub); got != n {
					t.Errorf("%q occurs %d times, want %d", sub, got, n)
				}
			}
			if got := strings.Count(section(html, "figures"), "<svg"); got != tt.figures {
				t.Errorf("%d figures, want %d", got, tt.figures)
			}
			if tt.opt.Coder != "" && !strings.Contains(html, "counting <strong>"+tt.opt.Coder+"</strong>'s codings only") {
				t.Error("the report does not say whose codings it counts")
			}
			if !strings.HasSuffix(html, "</html>\n") {
				t.Error("the page does not end with </html>")
			}
		})
	}
}

// testEscaped checks that names, quotes, memos and attributes that
// hold markup are written as text.
func testEscaped(t *testing.T, html string) {
	for _, bad := range []string{"<script", "<img", "<b>", "<b ", "<i>", "<tutor>", "<regularity>", "<study>"} {
		if strings.Contains(strings.ToLower(html), bad) {
			t.Errorf("the report holds %q as markup", bad)
		}
	}
	if m := regexp.MustCompile(`<[^>]*\son[a-z]+\s*=`).FindString(html); m != "" {
		t.Errorf("the report holds an event handler: %q", m)
	}
	for _, want := range []string{
		"&lt;b onclick=&#34;alert(1)&#34;&gt;Bold", // the code's name
		"&lt;b&gt;political prisoners&lt;/b&gt;",   // a quote
		"&lt;img src=x onerror=alert(1)&gt;",       // a memo
		"Tbilisi &lt;study&gt; &amp; co",           // the project's name
		"&lt;i&gt;draft&lt;/i&gt; &amp; summons",   // a coding's memo
	} {
		if !strings.Contains(html, want) {
			t.Errorf("the report lacks the escaped %q", want)
		}
	}
}

// external finds an attribute or CSS that would make a browser fetch
// something: a URL with a scheme or starting with //, in src, href,
// action and the like, or in CSS url() and @import.
var external = regexp.MustCompile(`(?i)\b(src|href|xlink:href|action|formaction|poster|srcset|background|data|codebase|cite|manifest)\s*=\s*["']?\s*([a-z][a-z0-9+.-]*:|//)|url\(\s*["']?\s*([a-z][a-z0-9+.-]*:|//)|@import`)

// testSelfContained checks that the report needs nothing from outside:
// no URL with a scheme in any link or source (but data:), no style
// sheet, script, frame or object, and a policy that forbids loading
// anything should something slip through.
func testSelfContained(t *testing.T, html string) {
	for _, m := range external.FindAllStringSubmatch(html, -1) {
		scheme := strings.ToLower(m[2] + m[3])
		if scheme != "data:" {
			t.Errorf("outside reference: %q", m[0])
		}
	}
	for _, tag := range []string{"<link", "<script", "<iframe", "<object", "<embed", "<img", "<base", "<meta http-equiv=\"refresh\""} {
		if strings.Contains(strings.ToLower(html), tag) {
			t.Errorf("the report holds %s", tag)
		}
	}
	if !strings.Contains(html, `content="default-src 'none';`) {
		t.Error("no content security policy that forbids loading")
	}
	// The memo's address is there, as text.
	if !strings.Contains(html, "see https://example.org/notes") {
		t.Error("the memo's text is missing")
	}
	// href only to anchors of the page, and each anchor exists.
	for _, m := range regexp.MustCompile(`href="([^"]*)"`).FindAllStringSubmatch(html, -1) {
		if !strings.HasPrefix(m[1], "#") || !strings.Contains(html, `id="`+m[1][1:]+`"`) {
			t.Errorf("link %q goes nowhere on the page", m[1])
		}
	}
}

// TestEmpty writes the report of a project with nothing in it.
func TestEmpty(t *testing.T) {
	s, err := coding.Create(context.Background(), filepath.Join(t.TempDir(), "empty.qcode"), coding.Options{Coder: "ana", Now: clock()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	html := render(t, s, Options{Examples: 2, Figures: Drawn{}})
	for _, want := range []string{"No documents yet.", "No participants yet.", "Nobody has coded anything yet.", "The codebook is empty.",
		"Agreement needs at least two coders; this project has 0.", "The project before its first change"} {
		if !strings.Contains(html, want) {
			t.Errorf("the empty report lacks %q", want)
		}
	}
	if strings.Contains(html, "<svg") {
		t.Error("an empty project has figures")
	}
}

// TestBadGrouping refuses a table by an attribute no document has.
func TestBadGrouping(t *testing.T) {
	s, _ := fixture(t)
	_, err := Build(context.Background(), s, Options{By: []string{"colour"}})
	if err == nil || !strings.Contains(err.Error(), `"colour"`) {
		t.Fatalf("Build by colour = %v, want an error naming the attribute", err)
	}
}

// TestGroupingKeys chooses the attributes that group participants.
func TestGroupingKeys(t *testing.T) {
	s, _ := fixture(t)
	docs, err := s.Documents(context.Background(), false)
	if err != nil {
		t.Fatal(err)
	}
	// gender, wave and city have 2 values among 3 documents; age is a
	// number, occupation has a value per document, participant names.
	if got := strings.Join(GroupingKeys(docs), ","); got != "gender,wave,city" {
		t.Errorf("GroupingKeys = %s, want gender,wave,city", got)
	}
}

// replacer is a Pseudonymiser that replaces fixed strings.
type replacer struct{ r *strings.Replacer }

func (p replacer) Text(s string) string { return p.r.Replace(s) }

func (p replacer) Quotes(ctx context.Context, qs []coding.Quote) ([]coding.Quote, error) {
	out := make([]coding.Quote, len(qs))
	for i, q := range qs {
		q.Text, q.Attribution, q.Memo, q.Document = p.Text(q.Text), p.Text(q.Attribution), p.Text(q.Memo), p.Text(q.Document)
		out[i] = q
	}
	return out, nil
}

// testPseudonyms checks that every text of the report goes through the
// pseudonymiser: document and participant names, attribute values,
// codes, memos, quotes, tables and figures.
func testPseudonyms(t *testing.T, s *coding.Store, plain string) {
	real := []string{"A01", "A02", "A03", "Tbilisi", "Yerevan", "Donations", "journalist"}
	var pairs []string
	for i, r := range real {
		pairs = append(pairs, r, fmt.Sprintf("[X%d]", i))
	}
	// The fonts embedded in the figures are data, where any short
	// string may occur.
	fonts := regexp.MustCompile(`data:[^)"']*`)
	html := render(t, s, Options{Examples: 3, Figures: Drawn{}, Pseudonyms: replacer{strings.NewReplacer(pairs...)}})
	html = fonts.ReplaceAllString(html, "data:")
	for _, r := range real {
		if strings.Contains(html, r) {
			t.Errorf("%q is in the pseudonymised report", r)
		}
	}
	plain = fonts.ReplaceAllString(plain, "data:")
	for _, r := range real {
		if !strings.Contains(plain, r) {
			t.Errorf("%q is not in the report without pseudonyms, so the test proves nothing", r)
		}
	}
}

// TestInlineSVG checks what a figure loses on its way into the page.
func TestInlineSVG(t *testing.T) {
	tests := []struct {
		name, in, want, err string
	}{
		{"prolog and namespaces", `<?xml version="1.0"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10pt"><text>a</text></svg>`,
			`<svg width="10pt"><text>a</text></svg>`, ""},
		{"inner links stay, outer go", `<svg><use xlink:href="#a"/><image href="https://x.org/a.png"/><image href="data:image/png;base64,AA"/></svg>`,
			`<svg><use xlink:href="#a"/><image/><image href="data:image/png;base64,AA"/></svg>`, ""},
		{"script", `<svg><script>alert(1)</script></svg>`, "", "script"},
		{"handler", `<svg onload="alert(1)"></svg>`, "", "script"},
		{"handler after a slash", `<svg/onload=alert(1)></svg>`, "", "script"},
		{"outside font", `<svg><style>@font-face{src:url(https://x.org/f.ttf)}</style></svg>`, "", "outside"},
		{"not svg", `<html></html>`, "", "not an SVG"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := inlineSVG([]byte(tt.in))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("inlineSVG = %v, want an error about %s", err, tt.err)
				}
				return
			}
			if err != nil || string(got) != tt.want {
				t.Fatalf("inlineSVG = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}
