package figures

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"
	"strings"
	"sync"
	"time"

	"codeberg.org/go-pdf/fpdf"
	stdfont "golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/font/liberation"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"
)

// The fonts: Liberation Sans, metrically compatible with Arial and
// Helvetica, with Latin, Greek and Cyrillic.
var (
	fontsOnce sync.Once
	fontCache *font.Cache
)

func face(size float64, bold, italic bool) font.Face {
	fontsOnce.Do(func() { fontCache = font.NewCache(liberation.Collection()) })
	f := font.Font{Typeface: "Liberation", Variant: "Sans"}
	if bold {
		f.Weight = stdfont.WeightBold
	}
	if italic {
		f.Style = stdfont.StyleItalic
	}
	return fontCache.Lookup(f, font.Length(size))
}

// pdfEpoch is the creation date written into every PDF, so that the same
// figure gives the same bytes.
var pdfEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// pdfMu guards the PDF library's process-wide defaults while a PDF is
// made.
var pdfMu sync.Mutex

// encode lays the figure out and draws it in a format.
func (f *Figure) encode(w io.Writer, format string) (err error) {
	defer func() {
		// The drawing libraries panic on a font they cannot read; a
		// figure is then an error, not a crash.
		if r := recover(); r != nil {
			err = fmt.Errorf("figure %s: drawing failed: %v", f.Kind, r)
		}
	}()
	sc := f.layout()
	width, height := vg.Length(sc.w), vg.Length(sc.h)
	switch format {
	case FormatSVG:
		c := vgsvg.NewWith(vgsvg.UseWH(width, height), vgsvg.EmbedFonts(f.opt.EmbedFont))
		sc.draw(c)
		var b bytes.Buffer
		if _, err := c.WriteTo(&b); err != nil {
			return fmt.Errorf("figure %s: svg: %w", f.Kind, err)
		}
		out := strings.ReplaceAll(b.String(), "font-family:Liberation Sans;", "font-family:'Liberation Sans',Arial,Helvetica,sans-serif;")
		_, err := io.WriteString(w, sc.fixLengths(out))
		return err
	case FormatPDF:
		pdfMu.Lock()
		defer pdfMu.Unlock()
		fpdf.SetDefaultCreationDate(pdfEpoch)
		fpdf.SetDefaultModificationDate(pdfEpoch)
		fpdf.SetDefaultCatalogSort(true)
		c := vgpdf.New(width, height)
		c.EmbedFonts(false)
		sc.draw(outlined{c})
		if _, err := c.WriteTo(w); err != nil {
			return fmt.Errorf("figure %s: pdf: %w", f.Kind, err)
		}
		return nil
	case FormatPNG:
		dpi := f.opt.DPI
		if dpi == 0 {
			dpi = DefaultDPI
		}
		c := vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(int(math.Round(dpi))), vgimg.UseBackgroundColor(color.White))
		// Outlines here too: the image canvas makes a new font face for
		// every text, which costs more than the whole rest of a heatmap.
		sc.draw(outlined{c})
		if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(w); err != nil {
			return fmt.Errorf("figure %s: png: %w", f.Kind, err)
		}
		return nil
	}
	return errors.New("unknown format " + format)
}

// outlined draws text as the glyphs' outlines: a PDF then needs no font
// (the PDF library's fonts cannot encode Cyrillic) and looks the same in
// every reader.
type outlined struct{ vg.Canvas }

// FillString draws str with its baseline starting at pt.
func (c outlined) FillString(f font.Face, pt vg.Point, str string) {
	sf := f.Face
	if sf == nil {
		return
	}
	var buf sfnt.Buffer
	upem := fixed.Int26_6(sf.UnitsPerEm())
	scale := f.Font.Size.Points() / float64(upem)
	at := func(x float64, p fixed.Point26_6) vg.Point {
		return vg.Point{X: pt.X + vg.Length(x+float64(p.X)*scale), Y: pt.Y - vg.Length(float64(p.Y)*scale)}
	}
	var path vg.Path
	x := 0.0
	var prev sfnt.GlyphIndex
	for i, r := range []rune(str) {
		idx, err := sf.GlyphIndex(&buf, r)
		if err != nil {
			continue
		}
		if i > 0 {
			if k, err := sf.Kern(&buf, prev, idx, upem, stdfont.HintingNone); err == nil {
				x += float64(k) * scale
			}
		}
		segs, err := sf.LoadGlyph(&buf, idx, upem, nil)
		if err == nil {
			open := false
			for _, s := range segs {
				switch s.Op {
				case sfnt.SegmentOpMoveTo:
					if open {
						path.Close()
					}
					path.Move(at(x, s.Args[0]))
					open = true
				case sfnt.SegmentOpLineTo:
					path.Line(at(x, s.Args[0]))
				case sfnt.SegmentOpQuadTo:
					path.QuadTo(at(x, s.Args[0]), at(x, s.Args[1]))
				case sfnt.SegmentOpCubeTo:
					path.CubeTo(at(x, s.Args[0]), at(x, s.Args[1]), at(x, s.Args[2]))
				}
			}
			if open {
				path.Close()
			}
		}
		if adv, err := sf.GlyphAdvance(&buf, idx, upem, stdfont.HintingNone); err == nil {
			x += float64(adv) * scale
		}
		prev = idx
	}
	if len(path) > 0 {
		c.Canvas.Fill(path)
	}
}

// fixLengths gives each text of an SVG the width it has in Liberation
// Sans (textLength), so that a viewer that draws it in another font
// stretches or squeezes it to the same width, and labels still fit. The
// SVG's texts are the scene's, in order.
func (s *scene) fixLengths(svg string) string {
	var widths []float64
	for _, p := range s.prims {
		if p.kind == primText || p.kind == primVText {
			widths = append(widths, width(p.face, p.text))
		}
	}
	var b strings.Builder
	b.Grow(len(svg) + len(widths)*48)
	rest := svg
	for _, w := range widths {
		i := strings.Index(rest, "<text ")
		if i < 0 {
			break
		}
		b.WriteString(rest[:i+len("<text ")])
		fmt.Fprintf(&b, `textLength="%.5g" lengthAdjust="spacingAndGlyphs" `, w)
		rest = rest[i+len("<text "):]
	}
	b.WriteString(rest)
	return b.String()
}
