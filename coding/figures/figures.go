// Package figures draws the analysis tables of a project as figures for a
// paper: code frequencies as bars, code × document (or attribute value)
// and co-occurrence tables as heatmaps, and per-code intercoder agreement
// as a dot plot. A figure is written as SVG or PDF (vector, for LaTeX) or
// as PNG at a chosen resolution (for Word).
//
// Figures are drawn with gonum.org/v1/plot's vector graphics and its
// Liberation fonts, which cover Latin and Cyrillic. The same project and
// options give byte-identical files in every format: nothing in a figure
// depends on the time, the machine or map order. Large tables are cut to
// their largest rows and columns, and the figure says so.
package figures

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/coding/agree"
)

// Kinds of figure.
const (
	KindFrequencies = "frequencies"
	KindMatrix      = "matrix"
	KindCooc        = "cooc"
	KindAgreement   = "agreement"
)

// Kinds lists the kinds of figure, in the order help shows them.
var Kinds = []string{KindFrequencies, KindMatrix, KindCooc, KindAgreement}

// Output formats.
const (
	FormatSVG = "svg"
	FormatPDF = "pdf"
	FormatPNG = "png"
)

// ErrInvalid marks a bad option; the message says which and why.
var ErrInvalid = errors.New("invalid figure option")

// Defaults of Options.
const (
	DefaultWidth    = 16.0 // cm: the text width of an A4 paper
	DefaultFontSize = 9.0  // points
	DefaultDPI      = 300.0
	// MinFontSize is the smallest text a figure draws: numbers that would
	// need smaller text in their cell are left out, and the note says so.
	MinFontSize = 5.0
)

// Options choose what a figure shows and how it looks. The zero value
// draws a figure of the whole project at the default size.
type Options struct {
	// Coder keeps one coder's codings (not for agreement, which compares
	// Coders).
	Coder string
	// Codes limits the figure to these codes (name, path or id) and
	// their sub-codes; default the whole codebook.
	Codes []string
	// Attrs keeps the documents with every one of these attributes, each
	// KEY=VALUE, case ignored (frequencies and matrix).
	Attrs []string
	// AllVersions counts the codings on documents' earlier versions too.
	AllVersions bool

	// Measure is what is counted. Frequencies: codings (default),
	// documents, participants or words. Matrix: codings (default),
	// documents, participants or percent (of the column's documents).
	// Cooc: pairs (default; sentences or turns with Within) or jaccard.
	// Agreement: alpha (default, Krippendorff's) or kappa (Cohen's for
	// two coders, Fleiss' for more).
	Measure string
	// Subcodes counts a code's sub-codes with it (frequencies, matrix).
	Subcodes bool
	// Sort orders frequency bars: "tree" (default: codebook order,
	// sub-codes under their parent) or "value" (largest first).
	Sort string
	// Cols are the matrix columns: "documents" (default) or "attr:KEY".
	Cols string
	// Percent turns matrix cells into percentages of their row's sum
	// ("row") or their column's sum ("col"); "" keeps the measure.
	Percent string
	// Within is the co-occurrence unit: overlap (default), sentence or
	// turn.
	Within string
	// Coders are the coders compared by agreement (default: everyone
	// who coded).
	Coders []string
	// Unit is agreement's unit: char (default), segment or document.
	Unit string
	// Overlap is agreement's segment matching threshold; 0: the default.
	Overlap float64

	// Top keeps at most this many rows (codes), the largest; 0 is the
	// kind's default (60 bars or dots, 40 heatmap rows), -1 keeps all.
	Top int
	// TopCols keeps at most this many matrix columns, the largest; 0 is
	// the default (30), -1 keeps all.
	TopCols int

	// Title is drawn above the figure; "" draws none.
	Title string
	// Width and Height are the figure's size in centimetres; Width 0 is
	// DefaultWidth, Height 0 fits the rows.
	Width, Height float64
	// FontSize is the labels' size in points; 0 is DefaultFontSize.
	FontSize float64
	// Gray draws in shades of gray, with patterns that survive a black
	// and white printer.
	Gray bool
	// DPI is a PNG's resolution; 0 is DefaultDPI.
	DPI float64
	// EmbedFont embeds the font in an SVG (larger, but renders the same
	// without Liberation Sans installed). PDF always has its text drawn
	// as outlines, so it needs no font.
	EmbedFont bool
}

// Figure is a figure ready to be written. Its data are fixed when it is
// made; Encode lays it out and draws it for a format.
type Figure struct {
	// Kind is one of the Kinds.
	Kind string
	// Note says what the figure shows and what was cut, in words; it is
	// drawn under the figure.
	Note string

	opt Options
	// Bars and dots: one row per label.
	rows  []string
	depth []int
	// paths and names of the rows' codes, when the rows are a tree
	// (frequencies in codebook order): see relabel.
	paths, names []string
	vals         []float64
	axis         string
	// Heatmaps: cells[row][col]; diag greys the diagonal (cooc).
	cols   []string
	cells  [][]float64
	format func(float64) string
	legend string
	diag   bool
	// Agreement: the reference lines.
	refs []float64
	// lo and hi bound the value axis of bars and dots.
	lo, hi float64
}

// Rows returns the labels of the figure's rows (codes), top to bottom.
func (f *Figure) Rows() []string { return append([]string(nil), f.rows...) }

// Cols returns the labels of a heatmap's columns, left to right.
func (f *Figure) Cols() []string { return append([]string(nil), f.cols...) }

// New makes a figure of the given kind from the project.
func New(ctx context.Context, s *coding.Store, kind string, opt Options) (*Figure, error) {
	switch kind {
	case KindFrequencies:
		return Frequencies(ctx, s, opt)
	case KindMatrix:
		return Matrix(ctx, s, opt)
	case KindCooc:
		return Cooc(ctx, s, opt)
	case KindAgreement:
		return Agreement(ctx, s, opt)
	}
	return nil, fmt.Errorf("%w: figure %q: want %s", ErrInvalid, kind, strings.Join(Kinds, ", "))
}

// FormatOf returns the format a file name asks for by its extension.
func FormatOf(path string) (string, error) {
	ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(path), "."))
	switch ext {
	case FormatSVG, FormatPDF, FormatPNG:
		return ext, nil
	}
	return "", fmt.Errorf("%w: %s: the name must end in .svg, .pdf or .png", ErrInvalid, path)
}

// SVG returns the figure as an SVG document.
func (f *Figure) SVG() ([]byte, error) {
	var b strings.Builder
	if err := f.Encode(&b, FormatSVG); err != nil {
		return nil, err
	}
	return []byte(b.String()), nil
}

// Encode writes the figure to w in a format: FormatSVG, FormatPDF or
// FormatPNG.
func (f *Figure) Encode(w io.Writer, format string) error {
	switch format {
	case FormatSVG, FormatPDF, FormatPNG:
	default:
		return fmt.Errorf("%w: format %q: want svg, pdf or png", ErrInvalid, format)
	}
	return f.encode(w, format)
}

// checkStyle checks the options every figure shares.
func checkStyle(opt Options) error {
	switch {
	case opt.Width < 0 || opt.Width > 200 || (opt.Width > 0 && opt.Width < 4):
		return fmt.Errorf("%w: width %g cm: want 4 to 200", ErrInvalid, opt.Width)
	case opt.Height < 0 || opt.Height > 200 || (opt.Height > 0 && opt.Height < 3):
		return fmt.Errorf("%w: height %g cm: want 3 to 200", ErrInvalid, opt.Height)
	case opt.FontSize < 0 || opt.FontSize > 48 || (opt.FontSize > 0 && opt.FontSize < MinFontSize):
		return fmt.Errorf("%w: font size %g pt: want %g to 48", ErrInvalid, opt.FontSize, MinFontSize)
	case opt.DPI < 0 || opt.DPI > 1200 || (opt.DPI > 0 && opt.DPI < 36):
		return fmt.Errorf("%w: dpi %g: want 36 to 1200", ErrInvalid, opt.DPI)
	case opt.Top < -1:
		return fmt.Errorf("%w: top %d: want a number of rows, 0 for the default or -1 for all", ErrInvalid, opt.Top)
	case opt.TopCols < -1:
		return fmt.Errorf("%w: top columns %d: want a number of columns, 0 for the default or -1 for all", ErrInvalid, opt.TopCols)
	}
	for _, kv := range opt.Attrs {
		if _, _, err := coding.ParseAttrFilter(kv); err != nil {
			return err
		}
	}
	return nil
}

// agreeUnit reads Options.Unit.
func agreeUnit(u string) (agree.Unit, error) {
	if u == "" {
		return agree.Char, nil
	}
	return agree.ParseUnit(u)
}
