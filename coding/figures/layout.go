package figures

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
)

// Colours: a blue scale, or grays.
var (
	black    = color.Gray{Y: 0}
	darkGray = color.Gray{Y: 0x44}
	midGray  = color.Gray{Y: 0x99}
	rule     = color.Gray{Y: 0xcc}
	faint    = color.Gray{Y: 0xee}
	white    = color.Gray{Y: 0xff}
)

// palette holds a figure's colours.
type palette struct {
	bar, dot, shade, diag color.Color
	ramp                  [3]color.RGBA
}

func (f *Figure) palette() palette {
	if f.opt.Gray {
		return palette{bar: color.Gray{Y: 0x59}, dot: black, shade: color.Gray{Y: 0xeb}, diag: color.Gray{Y: 0xd9},
			ramp: [3]color.RGBA{{0xff, 0xff, 0xff, 0xff}, {0xa8, 0xa8, 0xa8, 0xff}, {0x30, 0x30, 0x30, 0xff}}}
	}
	return palette{bar: color.RGBA{0x3b, 0x6e, 0xa8, 0xff}, dot: color.RGBA{0x1f, 0x4e, 0x86, 0xff},
		shade: color.RGBA{0xfb, 0xec, 0xe8, 0xff}, diag: color.Gray{Y: 0xdd},
		ramp: [3]color.RGBA{{0xf7, 0xfb, 0xff, 0xff}, {0x6b, 0xae, 0xd6, 0xff}, {0x08, 0x30, 0x6b, 0xff}}}
}

// at is the colour at t, from 0 to 1, on the ramp.
func (p palette) at(t float64) color.RGBA {
	t = min(1, max(0, t))
	a, b := p.ramp[0], p.ramp[1]
	if t > 0.5 {
		a, b, t = p.ramp[1], p.ramp[2], t-0.5
	}
	t *= 2
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + t*(float64(y)-float64(x)))) }
	return color.RGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), 0xff}
}

// dark reports whether c needs white text on it.
func dark(c color.RGBA) bool {
	return 0.2126*float64(c.R)+0.7152*float64(c.G)+0.0722*float64(c.B) < 0.5*255
}

// style holds the sizes a figure is laid out with, in points.
type style struct {
	w, h      float64 // h 0: fit the content
	margin    float64
	fs        float64
	font      font.Face
	bold      font.Face
	small     font.Face
	smallBold font.Face
}

func (f *Figure) style(fs float64) style {
	o := f.opt
	st := style{w: o.Width, h: o.Height, fs: fs}
	if st.w == 0 {
		st.w = DefaultWidth
	}
	st.w *= vg.Centimeter.Points()
	st.h *= vg.Centimeter.Points()
	st.margin = 0.3 * vg.Centimeter.Points()
	st.font = face(fs, false, false)
	st.bold = face(fs, true, false)
	sm := max(MinFontSize, fs*0.85)
	st.small = face(sm, false, false)
	st.smallBold = face(sm, true, false)
	return st
}

func (f *Figure) fontSize() float64 {
	if f.opt.FontSize > 0 {
		return f.opt.FontSize
	}
	return DefaultFontSize
}

// layout lays the figure out. With a height set, rows share the room
// left; when they would need text smaller than MinFontSize, the text
// shrinks to it and the rows that do not fit are cut (and the note says
// so).
func (f *Figure) layout() *scene {
	fs := f.fontSize()
	if f.opt.Height == 0 || len(f.rows) == 0 {
		return f.layoutAt(fs, 0)
	}
	// Find the largest font size (down to the minimum) at which the rows
	// fit, else cut rows at the minimum.
	for size := fs; size >= MinFontSize; size -= 0.5 {
		if sc, ok := f.fit(size); ok {
			return sc
		}
	}
	n := len(f.rows)
	for n > 1 {
		n--
		g := f.cutTo(n)
		if sc, ok := g.fit(MinFontSize); ok {
			return sc
		}
	}
	sc, _ := f.cutTo(1).fit(MinFontSize)
	return sc
}

// fit lays the figure out at a font size and reports whether the rows
// found room in the height asked for.
func (f *Figure) fit(fs float64) (*scene, bool) {
	st := f.style(fs)
	natural := f.layoutAt(fs, 0)
	if natural.h <= st.h+0.01 {
		return f.layoutAt(fs, st.h), true
	}
	// Rows at their tightest: one line each.
	rowMin := lineHeight(st.font) * 1.15
	extra := natural.h - float64(len(f.rows))*f.rowHeight(st)
	if extra+float64(len(f.rows))*rowMin <= st.h {
		return f.layoutAt(fs, st.h), true
	}
	return nil, false
}

// cutTo returns a copy of the figure with only its n largest rows.
func (f *Figure) cutTo(n int) *Figure {
	g := *f
	sums := make([]float64, len(f.rows))
	for i := range f.rows {
		switch {
		case f.cells != nil:
			for _, v := range f.cells[i] {
				sums[i] += v
			}
		case !math.IsNaN(f.vals[i]):
			sums[i] = math.Abs(f.vals[i])
		}
	}
	keep := topIndexes(sums, n)
	g.rows, g.depth, g.vals, g.cells, g.paths, g.names = nil, nil, nil, nil, nil, nil
	for _, i := range keep {
		g.rows = append(g.rows, f.rows[i])
		if f.depth != nil {
			g.depth = append(g.depth, f.depth[i])
		}
		if f.paths != nil {
			g.paths = append(g.paths, f.paths[i])
			g.names = append(g.names, f.names[i])
		}
		if f.vals != nil {
			g.vals = append(g.vals, f.vals[i])
		}
		if f.cells != nil {
			g.cells = append(g.cells, f.cells[i])
		}
	}
	if f.diag {
		// A co-occurrence figure stays square.
		var cells [][]float64
		var cols []string
		for k := range keep {
			cols = append(cols, strconv.Itoa(k+1))
		}
		for _, i := range keep {
			var row []float64
			for _, j := range keep {
				row = append(row, f.cells[i][j])
			}
			cells = append(cells, row)
		}
		g.cols, g.cells = cols, cells
	}
	g.relabel()
	g.Note += fmt.Sprintf(" Only the %d largest rows fit the height.", n)
	return &g
}

// rowHeight is the natural height of a row: one or two lines.
func (f *Figure) rowHeight(st style) float64 {
	return lineHeight(st.font) * 1.4
}

// header draws the title and returns the y under it.
func (f *Figure) header(sc *scene, st style) float64 {
	y := st.margin
	if f.opt.Title == "" {
		return y
	}
	tf := face(st.fs*1.2, true, false)
	for _, l := range wrap(tf, f.opt.Title, st.w-2*st.margin, 2) {
		sc.text(l, tf, st.margin, y, alignLeft, black)
		y += lineHeight(tf)
	}
	return y + st.fs*0.4
}

// noteLines is the note wrapped to the figure's width.
func (f *Figure) noteLines(st style) []string {
	if f.Note == "" {
		return nil
	}
	return wrap(st.small, f.Note, st.w-2*st.margin, 6)
}

func (f *Figure) footer(sc *scene, st style, y float64, lines []string) float64 {
	if len(lines) == 0 {
		return y
	}
	y += st.fs * 0.5
	for _, l := range lines {
		sc.text(l, st.small, st.margin, y, alignLeft, darkGray)
		y += lineHeight(st.small)
	}
	return y
}

// rowLabels wraps each row's label to the label column (two lines when
// the rows are high enough) and returns the lines, the column's width and
// whether a label needed two lines. The column holds the rows' numbers
// too when the columns are numbered.
func (f *Figure) rowLabels(st style, maxW float64, twoLines bool) ([][]string, float64, bool) {
	lw := 0.0
	for i, r := range f.rows {
		lw = max(lw, width(f.labelFace(st, i), r)+f.indent(st, i))
	}
	num := f.numberWidth(st)
	lw = min(lw+num, maxW) - num
	out := make([][]string, len(f.rows))
	two := false
	for i, r := range f.rows {
		n := 1
		if twoLines {
			n = 2
		}
		out[i] = wrapLabel(f.labelFace(st, i), r, lw-f.indent(st, i), n)
		two = two || len(out[i]) > 1
	}
	return out, lw + num, two
}

// numberWidth is the room for the rows' numbers, when the columns are
// numbered (co-occurrence): the widest number and a space.
func (f *Figure) numberWidth(st style) float64 {
	if !f.diag {
		return 0
	}
	return width(st.font, strconv.Itoa(len(f.rows))) + st.fs*0.6
}

// treeLabels reports whether labels are a tree: left-aligned, sub-codes
// indented under their parent.
func (f *Figure) treeLabels() bool {
	for _, d := range f.depth {
		if d > 0 {
			return true
		}
	}
	return false
}

// label draws row i's label in the label column, which ends at right.
func (f *Figure) label(sc *scene, st style, i int, lines []string, left, right, top, rowH float64) {
	fc := f.labelFace(st, i)
	if f.diag {
		n := strconv.Itoa(i + 1)
		sc.text(n, st.font, right, top+(rowH-textHeight(st.font))/2, alignRight, darkGray)
		right -= f.numberWidth(st)
	}
	if f.treeLabels() {
		drawLabel(sc, lines, fc, left+f.indent(st, i), top, rowH, alignLeft)
		return
	}
	drawLabel(sc, lines, fc, right, top, rowH, alignRight)
}

// indent is how far a sub-code's label is indented under its parent.
func (f *Figure) indent(st style, i int) float64 {
	if f.depth == nil {
		return 0
	}
	return float64(f.depth[i]) * st.fs
}

// labelFace is bold for a code whose sub-codes follow it.
func (f *Figure) labelFace(st style, i int) font.Face {
	if f.depth != nil && i+1 < len(f.depth) && f.depth[i+1] > f.depth[i] {
		return st.bold
	}
	return st.font
}

// drawLabel draws a row's label lines centred on the row.
func drawLabel(sc *scene, lines []string, fc font.Face, x, top, rowH float64, align int) {
	lh := lineHeight(fc)
	th := textHeight(fc)
	total := float64(len(lines)-1)*lh + th
	y := top + (rowH-total)/2
	for _, l := range lines {
		sc.text(l, fc, x, y, align, black)
		y += lh
	}
}

// layoutAt lays the figure out at a font size, to a height (0: the
// natural height).
func (f *Figure) layoutAt(fs, height float64) *scene {
	st := f.style(fs)
	if f.cells != nil || f.Kind == KindMatrix || f.Kind == KindCooc {
		return f.heatmap(st, height)
	}
	return f.rowChart(st, height)
}

// rowChart draws bars (frequencies) or dots (agreement), a row per code.
func (f *Figure) rowChart(st style, height float64) *scene {
	sc := &scene{w: st.w}
	pal := f.palette()
	inner := st.w - 2*st.margin
	y0 := f.header(sc, st)
	notes := f.noteLines(st)
	dots := f.Kind == KindAgreement
	if dots {
		// Room above the rows for the reference lines' labels.
		y0 += lineHeight(st.small)
	}
	n := len(f.rows)
	if n == 0 {
		sc.text("No codes to show.", st.font, st.margin, y0, alignLeft, darkGray)
		y := f.footer(sc, st, y0+lineHeight(st.font), notes)
		sc.h = max(y+st.margin, height)
		return sc
	}
	// Values column on the right.
	valW := 0.0
	for _, v := range f.vals {
		valW = max(valW, width(st.small, f.format(v)))
	}
	gap := st.fs * 0.6
	axisH := st.fs*0.4 + lineHeight(st.small) + lineHeight(st.font) + st.fs*0.2
	noteH := 0.0
	if len(notes) > 0 {
		noteH = st.fs*0.5 + float64(len(notes))*lineHeight(st.small)
	}
	rowH := f.rowHeight(st)
	twoLines := false
	if height > 0 {
		rowH = (height - y0 - axisH - noteH - st.margin) / float64(n)
		twoLines = rowH >= 2.3*lineHeight(st.font)
	}
	labels, lw, two := f.rowLabels(st, 0.4*inner, height == 0 || twoLines)
	if two && height == 0 {
		rowH = lineHeight(st.font)*2 + st.fs*0.5
	}
	x0 := st.margin + lw + gap
	x1 := st.w - st.margin - valW - gap
	dotR := min(rowH*0.28, st.fs*0.38)
	if dots {
		// A dot at either end of the scale stays clear of the labels
		// and of the values.
		x0 += dotR + st.fs*0.2
		x1 = st.w - st.margin - valW - gap*1.5
	}
	lo, hi := f.lo, f.hi
	var ticks []float64
	if dots {
		for k := 0; lo+float64(k)*0.2 <= hi+1e-9; k++ {
			t := math.Round((lo+float64(k)*0.2)*10) / 10
			if t == 0 {
				t = 0 // not -0
			}
			ticks = append(ticks, t)
		}
	} else {
		ticks = niceTicks(0, max(hi, 1), 5)
		hi = ticks[len(ticks)-1]
	}
	xOf := func(v float64) float64 { return x0 + (v-lo)/(hi-lo)*(x1-x0) }
	yEnd := y0 + rowH*float64(n)
	if dots {
		// Shade what falls short of tentative agreement.
		sc.rect(xOf(lo), y0, xOf(RefTentative)-xOf(lo), yEnd-y0, pal.shade)
	}
	// Grid lines at the ticks.
	for _, t := range ticks {
		sc.line(xOf(t), y0, xOf(t), yEnd, 0.4, faint)
	}
	if dots {
		for i, r := range f.refs {
			dash := []float64{3, 2}
			if i == len(f.refs)-1 {
				dash = nil
			}
			sc.line(xOf(r), y0-st.fs*0.2, xOf(r), yEnd, 0.8, darkGray, dash...)
			// The first line's label ends at it, the others start at
			// theirs, so that close lines keep their labels apart.
			lx, align := xOf(r)-1.5, alignRight
			if i > 0 {
				lx, align = xOf(r)+1.5, alignLeft
			}
			sc.text(strconv.FormatFloat(r, 'f', -1, 64), st.small, lx, y0-lineHeight(st.small)-st.fs*0.2, align, darkGray)
		}
		if lo < 0 {
			sc.line(xOf(0), y0, xOf(0), yEnd, 0.6, midGray)
		}
	}
	labelEnd := st.margin + lw
	for i := range f.rows {
		top := y0 + rowH*float64(i)
		f.label(sc, st, i, labels[i], st.margin, labelEnd, top, rowH)
		v := f.vals[i]
		label := f.format(v)
		if dots {
			sc.line(xOf(lo), top+rowH/2, x1, top+rowH/2, 0.3, rule, 1, 2)
			if !math.IsNaN(v) {
				sc.dot(xOf(v), top+rowH/2, dotR, pal.dot)
			}
			sc.text(label, st.small, st.w-st.margin, top+(rowH-textHeight(st.small))/2, alignRight, black)
			continue
		}
		bh := min(rowH*0.7, lineHeight(st.font)*1.05)
		sc.rect(x0, top+(rowH-bh)/2, xOf(v)-x0, bh, pal.bar)
		sc.text(label, st.small, xOf(v)+st.fs*0.3, top+(rowH-textHeight(st.small))/2, alignLeft, black)
	}
	// Axis.
	sc.line(x0, yEnd, x1, yEnd, 0.6, darkGray)
	for _, t := range ticks {
		sc.line(xOf(t), yEnd, xOf(t), yEnd+st.fs*0.3, 0.6, darkGray)
		lbl := strconv.FormatFloat(t, 'f', -1, 64)
		if dots {
			lbl = strconv.FormatFloat(t, 'f', 1, 64)
		}
		sc.text(lbl, st.small, xOf(t), yEnd+st.fs*0.4, alignCenter, black)
	}
	ay := yEnd + st.fs*0.4 + lineHeight(st.small) + st.fs*0.2
	sc.text(ellipsize(st.font, f.axis, x1-x0), st.font, (x0+x1)/2, ay, alignCenter, black)
	y := f.footer(sc, st, ay+lineHeight(st.font), notes)
	sc.h = max(y+st.margin, height)
	return sc
}

// heatmap draws a table: a row per code, a column per document, value
// or code, the numbers in the cells and a legend of the scale.
func (f *Figure) heatmap(st style, height float64) *scene {
	sc := &scene{w: st.w}
	pal := f.palette()
	inner := st.w - 2*st.margin
	y0 := f.header(sc, st)
	notes := f.noteLines(st)
	nr, nc := len(f.rows), len(f.cols)
	if nr == 0 || nc == 0 {
		msg := "No codes to show."
		if nr > 0 {
			msg = "No documents to show."
		}
		sc.text(msg, st.font, st.margin, y0, alignLeft, darkGray)
		y := f.footer(sc, st, y0+lineHeight(st.font), notes)
		sc.h = max(y+st.margin, height)
		return sc
	}
	gap := st.fs * 0.6
	// The scale: the largest value off the diagonal.
	vmax := 0.0
	for i, row := range f.cells {
		for j, v := range row {
			if !(f.diag && i == j) {
				vmax = max(vmax, v)
			}
		}
	}
	if vmax == 0 {
		vmax = 1
	}
	// Legend: a bar with its ticks, the measure over it.
	legendTicks := f.legendTicks(vmax)
	tickW := 0.0
	for _, t := range legendTicks {
		tickW = max(tickW, width(st.small, f.format(t)))
	}
	barW := st.fs * 0.9
	legendW := barW + st.fs*0.3 + tickW
	titleLines := wrap(st.smallBold, f.legend, max(legendW, st.fs*6), 2)
	for _, l := range titleLines {
		legendW = max(legendW, width(st.smallBold, l))
	}
	// Row labels.
	rowH := lineHeight(st.font) * 1.35
	noteH := 0.0
	if len(notes) > 0 {
		noteH = st.fs*0.5 + float64(len(notes))*lineHeight(st.small)
	}
	x1 := st.w - st.margin - legendW - gap*1.5
	// Column labels: as wide as a cell allows, turned upright.
	labelMax := 0.35 * inner
	twoLines := true
	labels, lw, two := f.rowLabels(st, labelMax, true)
	x0 := st.margin + lw + gap
	// Cells no wider than 2.5 cm: a few columns stay compact, and the
	// legend follows them.
	cellW := min((x1-x0)/float64(nc), 2.5*vg.Centimeter.Points())
	x1 = x0 + cellW*float64(nc)
	colFace := st.font
	if cellW*0.9 < st.fs {
		colFace = face(max(MinFontSize, cellW*0.9), false, false)
	}
	every := 1
	if ch := colFace.Font.Size.Points(); cellW*0.95 < ch {
		every = int(math.Ceil(ch / (cellW * 0.95)))
	}
	colH := 0.0
	for _, c := range f.cols {
		colH = max(colH, width(colFace, c))
	}
	// Short labels (numbers, a wave's values) that fit a cell lie flat.
	flat := colH <= cellW*0.95 && every == 1
	if flat {
		colH = textHeight(colFace)
	}
	colH = min(colH, max(3.5*vg.Centimeter.Points(), 0.25*inner))
	if height > 0 {
		avail := height - y0 - colH - gap - noteH - st.margin
		rowH = avail / float64(nr)
		twoLines = rowH >= 2.3*lineHeight(st.font)
		if !twoLines && two {
			labels, _, two = f.rowLabels(st, labelMax, false)
		}
	}
	if two && height == 0 {
		rowH = lineHeight(st.font)*2 + st.fs*0.4
	}
	top := y0 + colH + gap*0.5
	// Column labels.
	for j, c := range f.cols {
		if j%every != 0 {
			continue
		}
		cx := x0 + cellW*(float64(j)+0.5)
		if flat {
			sc.text(c, colFace, cx, top-gap*0.3-colH, alignCenter, black)
			continue
		}
		sc.vtext(ellipsize(colFace, c, colH), colFace, cx, top-gap*0.3, black)
	}
	// Numbers: as large as the cells allow, or none.
	numW := 0.0
	for _, row := range f.cells {
		for _, v := range row {
			numW = max(numW, width(face(1, false, false), f.format(v)))
		}
	}
	numSize := min(st.fs*0.9, (cellW-2)/max(numW, 0.01), (rowH-0.5)/1.1)
	showNums := numSize >= MinFontSize
	numFace := face(max(numSize, MinFontSize), false, false)
	numItalic := face(max(numSize, MinFontSize), false, true)
	inset := 0.0
	if cellW > 4 && rowH > 4 {
		inset = 0.5
	}
	for i := range f.rows {
		ry := top + rowH*float64(i)
		f.label(sc, st, i, labels[i], st.margin, x0-gap, ry, rowH)
		for j, v := range f.cells[i] {
			cx := x0 + cellW*float64(j)
			var c color.RGBA
			onDiag := f.diag && i == j
			if onDiag {
				g := pal.diag.(color.Gray)
				c = color.RGBA{g.Y, g.Y, g.Y, 0xff}
			} else {
				c = pal.at(v / vmax)
			}
			sc.rect(cx+inset, ry+inset, cellW-2*inset, rowH-2*inset, c)
			if !showNums || (v == 0 && !onDiag) {
				continue
			}
			tc := color.Color(black)
			if dark(c) {
				tc = white
			}
			nf := numFace
			if onDiag {
				nf = numItalic
			}
			sc.text(f.format(v), nf, cx+cellW/2, ry+(rowH-textHeight(nf))/2, alignCenter, tc)
		}
	}
	yEnd := top + rowH*float64(nr)
	// Legend.
	lx := x1 + gap*1.5
	ly := top
	for _, l := range titleLines {
		sc.text(l, st.smallBold, lx, ly, alignLeft, black)
		ly += lineHeight(st.smallBold)
	}
	ly += st.fs*0.3 + textHeight(st.small)/2
	barH := min(max(yEnd-ly, st.fs*4), st.fs*12)
	const steps = 48
	for k := range steps {
		t := 1 - (float64(k)+0.5)/steps
		sc.rect(lx, ly+barH*float64(k)/steps, barW, barH/steps+0.05, pal.at(t))
	}
	for _, t := range legendTicks {
		ty := ly + barH*(1-t/vmax)
		sc.line(lx+barW, ty, lx+barW+st.fs*0.2, ty, 0.5, darkGray)
		sc.text(f.format(t), st.small, lx+barW+st.fs*0.3, ty-textHeight(st.small)/2, alignLeft, black)
	}
	yEnd = max(yEnd, ly+barH+textHeight(st.small)/2)
	extra := ""
	if !showNums {
		extra += " Numbers left out: the cells are too small for them (show fewer rows or columns, or make the figure larger)."
	}
	if every > 1 {
		extra += fmt.Sprintf(" Every %s column is labelled.", ordinal(every))
	}
	if extra != "" {
		notes = wrap(st.small, f.Note+extra, st.w-2*st.margin, 6)
	}
	y := f.footer(sc, st, yEnd, notes)
	sc.h = max(y+st.margin, height)
	return sc
}

func ordinal(n int) string {
	switch n {
	case 2:
		return "second"
	case 3:
		return "third"
	}
	return strconv.Itoa(n) + "th"
}

// legendTicks are round values from 0 to vmax for the legend, vmax last,
// each with a label of its own.
func (f *Figure) legendTicks(vmax float64) []float64 {
	var out []float64
	seen := map[string]bool{}
	add := func(v float64) {
		if l := f.format(v); !seen[l] {
			seen[l] = true
			out = append(out, v)
		}
	}
	for _, t := range niceTicks(0, vmax, 4) {
		if t < vmax*0.85 || t == vmax {
			add(t)
		}
	}
	add(vmax)
	return out
}

// wrapLabel wraps a row's label into n lines of width w. A code's path
// that does not fit whole loses its start, not its end: the code's own
// name stays ("…/Mobilization").
func wrapLabel(fc font.Face, label string, w float64, n int) []string {
	lines := wrap(fc, label, w, n)
	k := strings.LastIndex(label, "/")
	if k < 0 || !strings.HasSuffix(lines[len(lines)-1], "…") {
		return lines
	}
	return wrap(fc, "…/"+label[k+1:], w, n)
}
