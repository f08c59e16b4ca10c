package figures

import (
	"image/color"
	"math"
	"strings"
	"unicode/utf8"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
)

// A scene is a figure laid out: shapes and text at positions in points,
// measured from the top left corner. Laying out is separate from drawing
// so that every format draws the same scene, and tests can check where
// each text went.
type scene struct {
	w, h  float64
	prims []prim
	texts []textBox
}

type primKind int

const (
	primRect primKind = iota
	primLine
	primText
	primVText
	primDot
)

// prim is one shape or text.
type prim struct {
	kind primKind
	// Rect: top left and size. Line: from (x, y) to (x2, y2). Text: the
	// baseline's start. VText: the baseline's start, the text running
	// upwards. Dot: centre and radius r.
	x, y, x2, y2, r float64
	col             color.Color
	width           float64
	dash            []float64
	text            string
	face            font.Face
}

// textBox is where a text was put: its box from the top left, and the
// text.
type textBox struct {
	x0, y0, x1, y1 float64
	text           string
}

func (s *scene) rect(x, y, w, h float64, c color.Color) {
	s.prims = append(s.prims, prim{kind: primRect, x: x, y: y, x2: w, y2: h, col: c})
}

func (s *scene) line(x, y, x2, y2, width float64, c color.Color, dash ...float64) {
	s.prims = append(s.prims, prim{kind: primLine, x: x, y: y, x2: x2, y2: y2, width: width, col: c, dash: dash})
}

func (s *scene) dot(x, y, r float64, c color.Color) {
	s.prims = append(s.prims, prim{kind: primDot, x: x, y: y, r: r, col: c})
}

// Alignments of text.
const (
	alignLeft = iota
	alignRight
	alignCenter
)

// text puts one line of text whose box's top is at top, aligned at x.
func (s *scene) text(str string, f font.Face, x, top float64, align int, c color.Color) {
	if str == "" {
		return
	}
	w := width(f, str)
	switch align {
	case alignRight:
		x -= w
	case alignCenter:
		x -= w / 2
	}
	e := f.Extents()
	asc, desc := e.Ascent.Points(), e.Descent.Points()
	s.prims = append(s.prims, prim{kind: primText, x: x, y: top + asc, text: str, face: f, col: c})
	s.texts = append(s.texts, textBox{x0: x, y0: top, x1: x + w, y1: top + asc + desc, text: str})
}

// vtext puts a line of text reading upwards from bottom, centred on x.
func (s *scene) vtext(str string, f font.Face, x, bottom float64, c color.Color) {
	if str == "" {
		return
	}
	w := width(f, str)
	e := f.Extents()
	asc, desc := e.Ascent.Points(), e.Descent.Points()
	// Turned a quarter left, the glyphs rise to the left of the baseline.
	bx := x + (asc-desc)/2
	s.prims = append(s.prims, prim{kind: primVText, x: bx, y: bottom, text: str, face: f, col: c})
	s.texts = append(s.texts, textBox{x0: bx - asc, y0: bottom - w, x1: bx + desc, y1: bottom, text: str})
}

// draw draws the scene on a canvas whose origin is its bottom left.
func (s *scene) draw(c vg.Canvas) {
	y := func(v float64) vg.Length { return vg.Length(s.h - v) }
	c.SetColor(color.White)
	fill(c, 0, 0, s.w, s.h, s.h)
	for _, p := range s.prims {
		c.SetColor(p.col)
		switch p.kind {
		case primRect:
			fill(c, p.x, p.y, p.x2, p.y2, s.h)
		case primLine:
			c.SetLineWidth(vg.Length(p.width))
			var dash []vg.Length
			for _, d := range p.dash {
				dash = append(dash, vg.Length(d))
			}
			c.SetLineDash(dash, 0)
			var path vg.Path
			path.Move(vg.Point{X: vg.Length(p.x), Y: y(p.y)})
			path.Line(vg.Point{X: vg.Length(p.x2), Y: y(p.y2)})
			c.Stroke(path)
		case primDot:
			var path vg.Path
			path.Move(vg.Point{X: vg.Length(p.x + p.r), Y: y(p.y)})
			path.Arc(vg.Point{X: vg.Length(p.x), Y: y(p.y)}, vg.Length(p.r), 0, 2*math.Pi)
			path.Close()
			c.Fill(path)
		case primText:
			c.FillString(p.face, vg.Point{X: vg.Length(p.x), Y: y(p.y)}, p.text)
		case primVText:
			c.Push()
			c.Translate(vg.Point{X: vg.Length(p.x), Y: y(p.y)})
			c.Rotate(math.Pi / 2)
			c.FillString(p.face, vg.Point{}, p.text)
			c.Pop()
		}
	}
}

func fill(c vg.Canvas, x, top, w, h, H float64) {
	if w <= 0 || h <= 0 {
		return
	}
	var path vg.Path
	path.Move(vg.Point{X: vg.Length(x), Y: vg.Length(H - top)})
	path.Line(vg.Point{X: vg.Length(x + w), Y: vg.Length(H - top)})
	path.Line(vg.Point{X: vg.Length(x + w), Y: vg.Length(H - top - h)})
	path.Line(vg.Point{X: vg.Length(x), Y: vg.Length(H - top - h)})
	path.Close()
	c.Fill(path)
}

// width is the width of s in points.
func width(f font.Face, s string) float64 { return f.Width(s).Points() }

// lineHeight is the distance between two lines of text.
func lineHeight(f font.Face) float64 { return f.Font.Size.Points() * 1.2 }

// textHeight is the height of one line's box.
func textHeight(f font.Face) float64 {
	e := f.Extents()
	return e.Ascent.Points() + e.Descent.Points()
}

// ellipsize shortens s to fit in w, ending it with an ellipsis.
func ellipsize(f font.Face, s string, w float64) string {
	if width(f, s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 0 {
		r = r[:len(r)-1]
		t := strings.TrimRight(string(r), " ") + "…"
		if width(f, t) <= w {
			return t
		}
	}
	return ""
}

// wrap breaks s into at most n lines of width w at spaces (and inside a
// word too long for a line); what does not fit ends in an ellipsis.
func wrap(f font.Face, s string, w float64, n int) []string {
	s = strings.Join(strings.Fields(strings.ToValidUTF8(s, "\uFFFD")), " ")
	if width(f, s) <= w || n <= 1 {
		return []string{ellipsize(f, s, w)}
	}
	var lines []string
	rest := s
	for len(lines) < n-1 && rest != "" && width(f, rest) > w {
		cut := breakAt(f, rest, w)
		lines = append(lines, strings.TrimRight(rest[:cut], " "))
		rest = strings.TrimLeft(rest[cut:], " ")
	}
	if rest != "" {
		lines = append(lines, ellipsize(f, rest, w))
	}
	return lines
}

// breakAt returns where to break s so its first line fits in w: after
// the last space that fits, else after as many characters as fit (at
// least one).
func breakAt(f font.Face, s string, w float64) int {
	lastSpace, fit := -1, 0
	for i, r := range s {
		_, size := utf8.DecodeRuneInString(s[i:])
		end := i + size
		if width(f, s[:end]) > w {
			break
		}
		fit = end
		if r == ' ' {
			lastSpace = i
		}
	}
	switch {
	case lastSpace > 0:
		return lastSpace + 1
	case fit > 0:
		return fit
	}
	_, size := utf8.DecodeRuneInString(s)
	return size
}

// niceTicks returns about n round values from lo to at least hi.
func niceTicks(lo, hi float64, n int) []float64 {
	if hi <= lo {
		hi = lo + 1
	}
	raw := (hi - lo) / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	if step < 1 && lo == 0 && hi >= 1 {
		step = 1
	}
	var ticks []float64
	for v := math.Floor(lo/step) * step; v <= hi+step*1e-9; v += step {
		ticks = append(ticks, math.Round(v/step)*step)
	}
	if ticks[len(ticks)-1] < hi-1e-9 {
		ticks = append(ticks, ticks[len(ticks)-1]+step)
	}
	return ticks
}
