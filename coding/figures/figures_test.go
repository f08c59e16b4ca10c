package figures

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"golang.org/x/image/font/sfnt"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/coding/demo"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// The demo project, built once for the package's tests in its own
// temporary folder.
var (
	demoOnce sync.Once
	demoDir  string
	demoErr  error
)

func demoStore(t testing.TB) *coding.Store {
	t.Helper()
	demoOnce.Do(func() {
		var root string
		root, demoErr = os.MkdirTemp("", "figures-demo-")
		if demoErr != nil {
			return
		}
		demoDir = filepath.Join(root, "demo.qcode")
		demoErr = demo.Build(context.Background(), demoDir)
	})
	if demoErr != nil {
		t.Fatalf("build the demo project: %v", demoErr)
	}
	s, err := coding.Open(context.Background(), demoDir, coding.Options{})
	if err != nil {
		t.Fatalf("open the demo project: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestMain(m *testing.M) {
	code := m.Run()
	if demoDir != "" {
		os.RemoveAll(filepath.Dir(demoDir))
	}
	os.Exit(code)
}

// demoCases are the figures of the demo project the tests draw.
var demoCases = []struct {
	name, kind string
	opt        Options
	// want are texts the figure must show.
	want []string
}{
	{"frequencies", KindFrequencies, Options{}, []string{"Fear of repression", "Experienced", "Codings", "9"}},
	{"frequencies-subcodes-value", KindFrequencies, Options{Subcodes: true, Sort: "value", Measure: "documents", Title: "Documents per code"},
		[]string{"Documents per code", "Reasons for leaving", "Discrimination/Experienced", "Documents"}},
	{"frequencies-participants-gray", KindFrequencies, Options{Measure: "participants", Gray: true}, []string{"Participants"}},
	{"frequencies-attr", KindFrequencies, Options{Attrs: []string{"wave=September"}}, []string{"Fear of repression", "6"}},
	{"matrix-documents", KindMatrix, Options{}, []string{"R01", "R07", "Fear of repression", "Codings"}},
	{"matrix-wave-percent", KindMatrix, Options{Cols: "attr:wave", Percent: "col"}, []string{"February", "September", "% of column"}},
	{"frequencies-words-attr", KindFrequencies, Options{Measure: "words", Attrs: []string{"wave=September"}}, []string{"Words coded", "110"}},
	{"cooc-attr", KindCooc, Options{Attrs: []string{"wave=February"}}, []string{"Pairs", "Reasons for leaving/Moral protest"}},
	{"agreement-attr", KindAgreement, Options{Attrs: []string{"lang=ru"}}, []string{"0.667", "0.61"}},
	{"matrix-gender-attr", KindMatrix, Options{Cols: "attr:gender", Measure: "documents", Attrs: []string{"wave=February"}}, []string{"Documents"}},
	{"matrix-code-subtree", KindMatrix, Options{Codes: []string{"Reasons for leaving"}, Subcodes: true}, []string{"Reasons for leaving/Mobilization"}},
	{"cooc", KindCooc, Options{Within: "sentence"}, []string{"Sentences", "Fear of repression", "1"}},
	{"cooc-jaccard-gray", KindCooc, Options{Measure: "jaccard", Gray: true}, []string{"Jaccard"}},
	{"agreement", KindAgreement, Options{}, []string{"0.667", "0.8", "Krippendorff's α (unit: characters)", "1.00"}},
	{"agreement-kappa-segment", KindAgreement, Options{Measure: "kappa", Unit: "segment"}, []string{"Cohen's κ (unit: coded segments)"}},
	{"small-fixed-height", KindFrequencies, Options{Width: 8, Height: 5, FontSize: 8}, []string{"Codings"}},
	{"matrix-fixed-height", KindMatrix, Options{Width: 10, Height: 6}, []string{"R01"}},
}

// TestDemoFigures draws each figure of the demo and checks its layout:
// every text inside the canvas, no two texts overlapping, the labels it
// must show present; and its structure against a golden summary (size,
// counts of SVG elements, every text in drawing order).
func TestDemoFigures(t *testing.T) {
	s := demoStore(t)
	ctx := context.Background()
	for _, c := range demoCases {
		t.Run(c.name, func(t *testing.T) {
			f, err := New(ctx, s, c.kind, c.opt)
			if err != nil {
				t.Fatalf("New(%s, %+v): %v", c.kind, c.opt, err)
			}
			sc := f.layout()
			checkScene(t, sc)
			texts := map[string]bool{}
			for _, b := range sc.texts {
				texts[b.text] = true
			}
			for _, w := range c.want {
				if !texts[w] {
					t.Errorf("the figure shows no text %q; it shows %q", w, textList(sc))
				}
			}
			svg, err := f.SVG()
			if err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", c.name+".txt"), summary(t, sc, svg))
		})
	}
}

// checkScene fails when a text leaves the canvas or overlaps another.
func checkScene(t *testing.T, sc *scene) {
	t.Helper()
	for _, p := range sceneProblems(sc) {
		t.Error(p)
	}
}

// sceneProblems lists the texts outside the canvas and the pairs of texts
// that overlap.
func sceneProblems(sc *scene) []string {
	const eps = 0.01
	var out []string
	for _, b := range sc.texts {
		if b.x0 < -eps || b.y0 < -eps || b.x1 > sc.w+eps || b.y1 > sc.h+eps {
			out = append(out, fmt.Sprintf("text %q at (%.1f,%.1f)-(%.1f,%.1f) is outside the %.1f×%.1f canvas", b.text, b.x0, b.y0, b.x1, b.y1, sc.w, sc.h))
		}
	}
	for i, a := range sc.texts {
		for _, b := range sc.texts[i+1:] {
			// Boxes include the descent of a line and the ascent of the
			// next: lines of a paragraph may touch by a point.
			if a.x0 < b.x1-0.5 && b.x0 < a.x1-0.5 && a.y0 < b.y1-1 && b.y0 < a.y1-1 {
				out = append(out, fmt.Sprintf("texts %q (%.1f,%.1f)-(%.1f,%.1f) and %q (%.1f,%.1f)-(%.1f,%.1f) overlap",
					a.text, a.x0, a.y0, a.x1, a.y1, b.text, b.x0, b.y0, b.x1, b.y1))
			}
		}
	}
	return out
}

// TestSceneProblems makes sure the layout check sees what it must: a
// text off the canvas, two texts on each other, and a rotated label
// crossing a flat one.
func TestSceneProblems(t *testing.T) {
	f := face(9, false, false)
	cases := []struct {
		name string
		draw func(sc *scene)
		want int
	}{
		{"apart", func(sc *scene) {
			sc.text("one", f, 10, 10, alignLeft, black)
			sc.text("two", f, 10, 30, alignLeft, black)
		}, 0},
		{"off the right edge", func(sc *scene) { sc.text("a long label that runs on", f, 90, 10, alignLeft, black) }, 1},
		{"off the top", func(sc *scene) { sc.text("up", f, 10, -5, alignLeft, black) }, 1},
		{"on each other", func(sc *scene) {
			sc.text("one", f, 10, 10, alignLeft, black)
			sc.text("two", f, 15, 14, alignLeft, black)
		}, 1},
		{"upright across flat", func(sc *scene) {
			sc.vtext("column", f, 20, 60, black)
			sc.text("row label", f, 5, 40, alignLeft, black)
		}, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sc := &scene{w: 100, h: 100}
			c.draw(sc)
			if got := sceneProblems(sc); len(got) != c.want {
				t.Errorf("%d problems, want %d: %q", len(got), c.want, got)
			}
		})
	}
}

func textList(sc *scene) []string {
	var out []string
	for _, b := range sc.texts {
		out = append(out, b.text)
	}
	return out
}

var svgElement = regexp.MustCompile(`<([a-z]+)[ >]`)

// summary is a figure's structure: its size, how many of each SVG
// element it has, and its texts in drawing order.
func summary(t *testing.T, sc *scene, svg []byte) string {
	t.Helper()
	counts := map[string]int{}
	for _, m := range svgElement.FindAllSubmatch(svg, -1) {
		counts[string(m[1])]++
	}
	var b strings.Builder
	fmt.Fprintf(&b, "size %.1f × %.1f pt\n", sc.w, sc.h)
	for _, el := range []string{"svg", "g", "path", "text"} {
		fmt.Fprintf(&b, "%s %d\n", el, counts[el])
	}
	if n := strings.Count(string(svg), "<text"); n != len(sc.texts) {
		t.Errorf("the SVG has %d texts, the layout %d", n, len(sc.texts))
	}
	for _, x := range sc.texts {
		fmt.Fprintf(&b, "text %q\n", x.text)
	}
	return b.String()
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (go test -update writes it): %v", err)
	}
	if string(want) != got {
		t.Errorf("%s differs (go test -update rewrites it); got:\n%s", path, got)
	}
}

// TestDeterministic draws the same figures from two builds of the demo
// (with different GUIDs) and wants the same bytes in every format.
func TestDeterministic(t *testing.T) {
	ctx := context.Background()
	var outs [2]map[string][]byte
	for k := range outs {
		dir := filepath.Join(t.TempDir(), "demo.qcode")
		if err := demo.Build(ctx, dir); err != nil {
			t.Fatal(err)
		}
		s, err := coding.Open(ctx, dir, coding.Options{})
		if err != nil {
			t.Fatal(err)
		}
		outs[k] = map[string][]byte{}
		for _, kind := range Kinds {
			f, err := New(ctx, s, kind, Options{DPI: 72})
			if err != nil {
				t.Fatal(err)
			}
			for _, format := range []string{FormatSVG, FormatPDF, FormatPNG} {
				var b bytes.Buffer
				if err := f.Encode(&b, format); err != nil {
					t.Fatalf("%s %s: %v", kind, format, err)
				}
				outs[k][kind+"."+format] = b.Bytes()
			}
		}
		s.Close()
	}
	for name, a := range outs[0] {
		if !bytes.Equal(a, outs[1][name]) {
			t.Errorf("%s differs between two builds of the same project", name)
		}
		if len(a) < 1000 {
			t.Errorf("%s is only %d bytes", name, len(a))
		}
	}
	if !bytes.HasPrefix(outs[0]["matrix.pdf"], []byte("%PDF-")) || !bytes.Contains(outs[0]["matrix.pdf"], []byte("D:20000101000000")) {
		t.Errorf("the PDF does not start as a PDF or lacks its fixed date")
	}
}

// TestPNGSize checks a PNG's pixels follow the width and the DPI.
func TestPNGSize(t *testing.T) {
	s := demoStore(t)
	for _, c := range []struct {
		width, dpi float64
	}{{16, 300}, {10, 150}, {8, 72}} {
		f, err := Frequencies(context.Background(), s, Options{Width: c.width, DPI: c.dpi})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := f.Encode(&b, FormatPNG); err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(&b)
		if err != nil {
			t.Fatalf("the PNG does not decode: %v", err)
		}
		want := c.width / 2.54 * c.dpi
		if got := float64(img.Bounds().Dx()); math.Abs(got-want) > 2 {
			t.Errorf("width %g cm at %g dpi: %g pixels, want %.0f", c.width, c.dpi, got, want)
		}
	}
}

// TestCyrillicAndLongNames draws codes with Cyrillic and very long names
// and wants every character to have a glyph in the font, long names
// wrapped or shortened with an ellipsis, and no overlap.
func TestCyrillicAndLongNames(t *testing.T) {
	ctx := context.Background()
	s, err := coding.Create(ctx, filepath.Join(t.TempDir(), "ru.qcode"), coding.Options{Coder: "nino"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	text := "Интервьюер: Почему вы уехали?\nУчастник: Я боялся мобилизации. Мне было страшно за семью, и мы уехали в Тбилиси.\n"
	if _, err := s.Import(ctx, coding.ImportFile{Path: "Р01.txt", Data: []byte(text)}); err != nil {
		t.Fatal(err)
	}
	long := "Очень длинное название темы, которое никак не помещается в одну строку подписи на рисунке и должно быть сокращено"
	names := []string{"Страх репрессий", "Мобилизация", long}
	for _, n := range names {
		if _, _, err := s.AddCode(ctx, coding.NewCode{Path: n}); err != nil {
			t.Fatal(err)
		}
	}
	for i, n := range names {
		r := coding.TagRequest{Doc: "Р01", Code: n, Spans: []coding.Span{{Start: 40 + i*5, End: 70 + i*5}}}
		if _, _, err := s.Tag(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	for _, kind := range []string{KindFrequencies, KindMatrix, KindCooc} {
		f, err := New(ctx, s, kind, Options{Width: 10})
		if err != nil {
			t.Fatal(err)
		}
		sc := f.layout()
		checkScene(t, sc)
		font := face(9, false, false).Face
		var buf sfnt.Buffer
		shortened := false
		for _, b := range sc.texts {
			for _, r := range b.text {
				if i, err := font.GlyphIndex(&buf, r); err != nil || i == 0 {
					t.Errorf("%s: %q has no glyph for %q", kind, b.text, r)
				}
			}
			if strings.HasSuffix(b.text, "…") || strings.HasPrefix(long, b.text+" ") {
				shortened = true
			}
			if b.text == long {
				t.Errorf("%s: the long name is drawn whole on one line", kind)
			}
		}
		if !shortened {
			t.Errorf("%s: the long name is neither wrapped nor shortened: %q", kind, textList(sc))
		}
		svg, err := f.SVG()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(svg, []byte("Страх репрессий")) {
			t.Errorf("%s: the SVG lacks the Cyrillic label", kind)
		}
		var pdf bytes.Buffer
		if err := f.Encode(&pdf, FormatPDF); err != nil {
			t.Fatalf("%s: pdf: %v", kind, err)
		}
	}
}

// TestGray wants a --gray figure to use no colour but grays.
func TestGray(t *testing.T) {
	s := demoStore(t)
	fill := regexp.MustCompile(`(?:fill|stroke):#([0-9A-F]{2})([0-9A-F]{2})([0-9A-F]{2})`)
	for _, kind := range Kinds {
		for _, gray := range []bool{true, false} {
			f, err := New(context.Background(), s, kind, Options{Gray: gray})
			if err != nil {
				t.Fatal(err)
			}
			svg, err := f.SVG()
			if err != nil {
				t.Fatal(err)
			}
			colours := 0
			for _, m := range fill.FindAllSubmatch(svg, -1) {
				if string(m[1]) != string(m[2]) || string(m[2]) != string(m[3]) {
					colours++
				}
			}
			if gray && colours > 0 {
				t.Errorf("%s --gray has %d coloured shapes", kind, colours)
			}
			if !gray && colours == 0 {
				t.Errorf("%s in colour has no colour", kind)
			}
		}
	}
}

// TestCuts draws tables too large to read whole and wants the largest
// rows and columns kept, in their order, and the cut said.
func TestCuts(t *testing.T) {
	const nr, nc = 200, 2000
	tb := &coding.Table{Kind: "matrix", Measure: coding.MeasureCodings, ColKind: coding.ColsDocuments}
	for i := range nr {
		tb.Rows = append(tb.Rows, fmt.Sprintf("Code %03d", i))
		row := make([]float64, nc)
		for j := range nc {
			row[j] = float64((i*7 + j*13) % 5)
			if j%100 == 0 {
				row[j] += 50
			}
		}
		if i%10 == 0 {
			row[0] += 100
		}
		tb.Cells = append(tb.Cells, row)
	}
	for j := range nc {
		tb.Cols = append(tb.Cols, fmt.Sprintf("interview-%04d", j))
	}
	cases := []struct {
		name            string
		opt             Options
		rows, cols      int
		firstRow, first string
		note            []string
	}{
		{"default", Options{}, DefaultTopRows, DefaultTopCols, "Code 000", "interview-0000",
			[]string{"Showing the 40 codes with the most of 200.", "Showing the 30 documents with the most of 2000."}},
		{"top 10 × 5", Options{Top: 10, TopCols: 5}, 10, 5, "Code 000", "interview-0000",
			[]string{"Showing the 10 codes with the most of 200.", "Showing the 5 documents with the most of 2000."}},
		{"all rows, 20 columns", Options{Top: -1, TopCols: 20}, nr, 20, "Code 000", "interview-0000", []string{"Showing the 20 documents"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := TableOf(tb, c.opt)
			if err != nil {
				t.Fatal(err)
			}
			if len(f.rows) != c.rows || len(f.cols) != c.cols {
				t.Fatalf("%d × %d shown, want %d × %d", len(f.rows), len(f.cols), c.rows, c.cols)
			}
			if f.rows[0] != c.firstRow || f.cols[0] != c.first {
				t.Errorf("first row and column %q, %q; want %q, %q", f.rows[0], f.cols[0], c.firstRow, c.first)
			}
			for _, n := range c.note {
				if !strings.Contains(f.Note, n) {
					t.Errorf("note %q lacks %q", f.Note, n)
				}
			}
			sc := f.layout()
			checkScene(t, sc)
		})
	}
}

// TestClusterOrder wants codes that occur together next to each other,
// and ties broken by name.
func TestClusterOrder(t *testing.T) {
	cases := []struct {
		name  string
		names []string
		sim   [][]float64
		want  []int
	}{
		{"two blocks interleaved", []string{"a", "b", "c", "d"}, [][]float64{
			{1, 0, 0.9, 0},
			{0, 1, 0, 0.8},
			{0.9, 0, 1, 0.1},
			{0, 0.8, 0.1, 1},
		}, []int{0, 2, 1, 3}},
		{"all ties: by name", []string{"delta", "alpha", "charlie", "bravo"}, [][]float64{
			{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1},
		}, []int{1, 3, 2, 0}},
		{"one", []string{"x"}, [][]float64{{1}}, []int{0}},
		{"none", nil, nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := clusterOrder(c.sim, c.names)
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("clusterOrder = %v, want %v", got, c.want)
			}
		})
	}
}

// TestBadOptions wants a clear error for each bad option.
func TestBadOptions(t *testing.T) {
	s := demoStore(t)
	cases := []struct {
		kind string
		opt  Options
		want string
	}{
		{KindFrequencies, Options{Measure: "pairs"}, `measure "pairs" for frequencies`},
		{KindFrequencies, Options{Width: 2}, "width 2 cm"},
		{KindFrequencies, Options{Height: 500}, "height 500 cm"},
		{KindFrequencies, Options{FontSize: 2}, "font size 2 pt"},
		{KindFrequencies, Options{DPI: 5000}, "dpi 5000"},
		{KindFrequencies, Options{Sort: "random"}, `sort "random"`},
		{KindFrequencies, Options{Attrs: []string{"wave"}}, "want KEY=VALUE"},
		{KindFrequencies, Options{Codes: []string{"No such code"}}, `"No such code"`},
		{KindMatrix, Options{Percent: "diagonal"}, `percent "diagonal"`},
		{KindMatrix, Options{Cols: "speakers"}, `columns "speakers"`},
		{KindMatrix, Options{Measure: coding.MeasurePercent, Percent: "row"}, "not of the percent measure"},
		{KindMatrix, Options{Cols: "attr:nope"}, `"nope"`},
		{KindMatrix, Options{Top: -5}, "top -5"},
		{KindCooc, Options{Measure: "words"}, `measure "words" for co-occurrence`},
		{KindAgreement, Options{Coder: "nino"}, "--coders, not --coder"},
		{KindAgreement, Options{Unit: "page"}, `unit "page"`},
		{KindAgreement, Options{Coders: []string{"nino", "nobody"}}, "nobody"},
		{"pie", Options{}, `figure "pie"`},
	}
	for _, c := range cases {
		t.Run(c.kind+" "+c.want, func(t *testing.T) {
			_, err := New(context.Background(), s, c.kind, c.opt)
			if err == nil {
				t.Fatalf("New(%s, %+v) = nil error, want one about %s", c.kind, c.opt, c.want)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q, want it to mention %q", err, c.want)
			}
		})
	}
	f, err := Frequencies(context.Background(), s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Encode(&bytes.Buffer{}, "gif"); !errors.Is(err, ErrInvalid) {
		t.Errorf("Encode(gif) = %v, want ErrInvalid", err)
	}
	for path, want := range map[string]string{"a.svg": "svg", "B.PDF": "pdf", "c.png": "png", "d.gif": "", "e": ""} {
		got, err := FormatOf(path)
		if got != want || (want == "") != (err != nil) {
			t.Errorf("FormatOf(%q) = %q, %v; want %q", path, got, err, want)
		}
	}
}

// TestEmptyProject draws every kind of figure of a project with no codes
// and wants a figure that says so, not an error.
func TestEmptyProject(t *testing.T) {
	ctx := context.Background()
	s, err := coding.Create(ctx, filepath.Join(t.TempDir(), "empty.qcode"), coding.Options{Coder: "ana"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, kind := range []string{KindFrequencies, KindMatrix, KindCooc} {
		f, err := New(ctx, s, kind, Options{})
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		sc := f.layout()
		checkScene(t, sc)
		if !strings.HasPrefix(textList(sc)[0], "No ") {
			t.Errorf("%s of an empty project shows %q, want it to say there is nothing", kind, textList(sc))
		}
	}
}

// FuzzWrap wraps any text and wants lines that fit (a line may overflow
// only when it is one character), at most the lines asked for, and the
// text's words in order.
func FuzzWrap(f *testing.F) {
	for _, s := range []string{"", "Fear of repression", "Очень длинное название темы", "a b c d e f g h", "Supercalifragilisticexpialidocious", "\t x \n y"} {
		f.Add(s, 40.0, 2)
	}
	fc := face(9, false, false)
	f.Fuzz(func(t *testing.T, s string, w float64, n int) {
		if w < 1 || w > 1000 || n < 1 || n > 5 || len(s) > 500 {
			return
		}
		lines := wrap(fc, s, w, n)
		if len(lines) > n {
			t.Fatalf("wrap(%q, %g, %d) gave %d lines", s, w, n, len(lines))
		}
		for _, l := range lines {
			if width(fc, l) > w+1e-6 && len([]rune(l)) > 1 {
				t.Fatalf("wrap(%q, %g, %d): line %q is %g wide", s, w, n, l, width(fc, l))
			}
		}
		joined := strings.Join(lines, "")
		norm := strings.Join(strings.Fields(strings.ToValidUTF8(s, "\uFFFD")), "")
		got := strings.TrimSuffix(strings.ReplaceAll(joined, " ", ""), "…")
		if !strings.HasPrefix(norm, got) && !strings.Contains(joined, "…") {
			t.Fatalf("wrap(%q, %g, %d) = %q: text lost or reordered", s, w, n, lines)
		}
	})
}

// TestWrapLabel wants a label that fits kept whole (on two lines if need
// be), and a code's path that does not fit cut at its start, keeping the
// code's own name.
func TestWrapLabel(t *testing.T) {
	fc := face(9, false, false)
	cases := []struct {
		label string
		w     float64
		want  []string
	}{
		{"Fear of repression", 200, []string{"Fear of repression"}},
		{"Reasons for leaving/Political persecution", 120, []string{"Reasons for leaving/Political", "persecution"}},
		{"Theme 00 of the migration study/Sub-theme 00.1 with a longer name", 120, []string{"…/Sub-theme 00.1 with a", "longer name"}},
		{"A very long theme name without any parent at all, cut", 90, []string{"A very long theme", "name without any p…"}},
	}
	for _, c := range cases {
		got := wrapLabel(fc, c.label, c.w, 2)
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("wrapLabel(%q, %g) = %q, want %q", c.label, c.w, got, c.want)
		}
		for _, l := range got {
			if width(fc, l) > c.w {
				t.Errorf("wrapLabel(%q, %g): %q is %g wide", c.label, c.w, l, width(fc, l))
			}
		}
	}
}
