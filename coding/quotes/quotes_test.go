package quotes

import (
	"bytes"
	"encoding/csv"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qcode-dev/qcode/coding"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// sample is a hand-made set of quotes with what the writers must get
// right: English and Russian, every LaTeX and Markdown special character,
// two paragraphs, a timestamp, an earlier document version, one span
// coded by two coders and with two codes, context, and a sub-code.
func sample() []coding.Quote {
	at := func(min int) time.Time { return time.Date(2022, 12, 1, 10, min, 0, 0, time.UTC) }
	return []coding.Quote{
		{ID: "Q-7RS1HB1P", CodingID: 1, Code: "Fear of repression", Document: "R01", DocumentGUID: "g1", Version: 1, Latest: true,
			Start: 120, End: 188, Line: 23, Turn: 12, Speaker: "Respondent", Coder: "nino",
			Text: "I didn't want to stay and find out whether my arithmetic was right.", Attribution: "female, 30, NGO activist",
			Before: "I sat at home that night and did the arithmetic.", CodedAt: at(5)},
		{ID: "Q-7RS1HB1P", CodingID: 2, Code: "Fear of repression", Document: "R01", DocumentGUID: "g1", Version: 1, Latest: true,
			Start: 120, End: 188, Line: 23, Turn: 12, Speaker: "Respondent", Coder: "pavel",
			Text: "I didn't want to stay and find out whether my arithmetic was right.", Attribution: "female, 30, NGO activist",
			Before: "I sat at home that night and did the arithmetic.", CodedAt: at(9)},
		{ID: "Q-7RS1HB1P", CodingID: 3, Code: "Reasons for leaving/Political persecution", Document: "R01", DocumentGUID: "g1", Version: 1, Latest: true,
			Start: 120, End: 188, Line: 23, Turn: 12, Speaker: "Respondent", Coder: "nino",
			Text: "I didn't want to stay and find out whether my arithmetic was right.", Attribution: "female, 30, NGO activist",
			Before: "I sat at home that night and did the arithmetic.", CodedAt: at(6)},
		{ID: "Q-2XK9JQ5N", CodingID: 4, Code: "Donations", Document: "R02", DocumentGUID: "g2", Version: 2, Latest: true,
			Start: 40, End: 170, Line: 7, Turn: 4, Speaker: "R", Time: "00:01:09", Coder: "nino",
			Text:        "We paid 50% & more_than {half} of #rent for ~3 months ^ a \\ friend's <flat> | $200 * [ok] @home…\nThen, second paragraph.",
			Attribution: "male, 35, IT specialist", Memo: "odd characters", CodedAt: at(7)},
		{ID: "Q-M4ZQ8VXA", CodingID: 5, Code: "Fear of repression", Document: "R05", DocumentGUID: "g5", Version: 1, Latest: false,
			Start: 10, End: 60, Line: 3, Turn: 2, Speaker: "Респондент", Coder: "pavel",
			Text: "Было очень страшно, что за мной придут — прямо домой, ночью.", Attribution: "женщина, 41, учительница",
			After: "Я не спала неделю.", CodedAt: at(8)},
	}
}

// codebook gives the section order and the descriptions: Donations first,
// as a user might name it first.
var codebook = []coding.Code{
	{Path: "Donations", Description: "Giving money or things to a cause; *not* wages."},
	{Path: "Fear of repression", Description: "Fear of arrest, searches, a criminal case:\nfor oneself or for family left behind."},
	{Path: "Reasons for leaving/Political persecution", Description: "Persecution as a reason to leave."},
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; got:\n%s", name, got)
	}
}

func TestGolden(t *testing.T) {
	qs := sample()
	tests := []struct {
		file  string
		write func(io.Writer, []coding.Quote, Options) error
		opt   Options
	}{
		{"grouped.md", Markdown, Options{Codes: codebook, Group: true}},
		{"ungrouped.md", Markdown, Options{}},
		{"short.md", Markdown, Options{Group: true, MaxWords: 6}},
		{"grouped.tex", LaTeX, Options{Codes: codebook, Group: true}},
		{"standalone.tex", LaTeX, Options{Codes: codebook, Group: true, Standalone: true, Title: "Quotes: Fear & {hope}"}},
		{"quotes.csv", CSV, Options{}},
		{"quotes.json", JSON, Options{MaxWords: 8}},
		{"document.xml", func(w io.Writer, qs []coding.Quote, opt Options) error {
			_, err := io.WriteString(w, docxDocument(qs, opt))
			return err
		}, Options{Codes: codebook, Group: true, Title: "Quotes: Fear of repression, Donations"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.write(&b, qs, tt.opt); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.file, b.Bytes())
			var again bytes.Buffer
			tt.write(&again, qs, tt.opt)
			if !bytes.Equal(b.Bytes(), again.Bytes()) {
				t.Errorf("%s: two runs gave different bytes", tt.file)
			}
		})
	}
}

func TestLaTeXEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"&", `\&`},
		{"%", `\%`},
		{"$", `\$`},
		{"#", `\#`},
		{"_", `\_`},
		{"{", `\{`},
		{"}", `\}`},
		{"~", `\textasciitilde{}`},
		{"^", `\textasciicircum{}`},
		{`\`, `\textbackslash{}`},
		{`\&`, `\textbackslash{}\&`},
		{"<>|", `\textless{}\textgreater{}\textbar{}`},
		{"wait…", `wait\ldots{}`},
		{"Было очень страшно — ночью.", "Было очень страшно — ночью."},
		{"ёлка «Ёж»", "ёлка «Ёж»"},
		{"50% of $200 & {x}_1 ~ y^2 #3", `50\% of \$200 \& \{x\}\_1 \textasciitilde{} y\textasciicircum{}2 \#3`},
		{"line\nbreak\ttab", "line break tab"},
		{"bell\x07", "bell"},
		{"plain text, 'quotes' and \"more\"", "plain text, 'quotes' and \"more\""},
	}
	for _, tt := range tests {
		if got := LaTeXEscape(tt.in); got != tt.want {
			t.Errorf("LaTeXEscape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMarkdownEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a *b* _c_", `a \*b\* \_c\_`},
		{"[link](x) <b>", `\[link\](x) \<b\>`},
		{"$5 @smith ~sub~ ^sup^ R05@1", `\$5 \@smith \~sub\~ \^sup\^ R05@1`},
		{"# not a heading", `\# not a heading`},
		{"1986. That year", `1986\. That year`},
		{"2) second", `2\) second`},
		{"- not a list", `\- not a list`},
		{"back\\slash `code`", "back\\\\slash \\`code\\`"},
		{"Мы уехали в 2022.", "Мы уехали в 2022."},
	}
	for _, tt := range tests {
		if got := MarkdownEscape(tt.in); got != tt.want {
			t.Errorf("MarkdownEscape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestShorten(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
		cut  bool
	}{
		{"one two three", 0, "one two three", false},
		{"one two three", 3, "one two three", false},
		{"one two three", 5, "one two three", false},
		{"one two three", 2, "one two…", true},
		{"one, two, three", 2, "one, two…", true},
		{"We left — quickly, at night.", 2, "We left…", true},
		{"He left. Then he came back.", 2, "He left…", true},
		{"  spaced   out  words here", 2, "  spaced   out…", true},
		{"Было очень страшно, что за мной придут", 3, "Было очень страшно…", true},
		{"line one\nline two", 3, "line one\nline…", true},
		{"", 3, "", false},
	}
	for _, tt := range tests {
		got, cut := Shorten(tt.in, tt.n)
		if got != tt.want || cut != tt.cut {
			t.Errorf("Shorten(%q, %d) = %q, %v; want %q, %v", tt.in, tt.n, got, cut, tt.want, tt.cut)
		}
		// Never mid-word: every word of the result but the ellipsis is a
		// whole word of the input.
		words := strings.Fields(strings.TrimSuffix(got, Ellipsis))
		in := strings.Fields(tt.in)
		for i, w := range words {
			if i < len(words)-1 && w != in[i] || !strings.HasPrefix(in[i], strings.TrimRight(w, ",;:")) {
				t.Errorf("Shorten(%q, %d) = %q: word %q is not whole", tt.in, tt.n, got, w)
			}
		}
	}
}

func TestCSV(t *testing.T) {
	var b bytes.Buffer
	if err := CSV(&b, sample(), Options{BOM: true}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.HasPrefix(out, "\ufeffid,code,document,") {
		t.Fatalf("CSV with BOM starts %.30q, want the BOM and the header", out)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatalf("CSV does not read back: %v", err)
	}
	if len(recs) != 6 {
		t.Fatalf("CSV has %d records, want a header and 5 rows", len(recs))
	}
	want := append(CSVHeader[:len(CSVHeader):len(CSVHeader)], "before", "after")
	if strings.Join(recs[0], ",") != strings.Join(want, ",") {
		t.Errorf("header = %q, want %q", recs[0], want)
	}
	row := recs[4]
	if row[0] != "Q-2XK9JQ5N" || row[7] != "00:01:09" || !strings.Contains(row[10], "\nThen, second paragraph.") || row[11] != "nino" {
		t.Errorf("row 4 = %q, want Q-2XK9JQ5N at 00:01:09 with both paragraphs, coded by nino", row)
	}
	if recs[5][10] != "Было очень страшно, что за мной придут — прямо домой, ночью." || recs[5][14] != "Я не спала неделю." {
		t.Errorf("row 5 = %q, want the Russian quote and its context intact", recs[5])
	}
	if !strings.Contains(out, "\r\n") {
		t.Errorf("CSV lines end in LF, want CRLF (RFC 4180)")
	}
}
