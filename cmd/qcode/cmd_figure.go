package main

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/coding/figures"
)

// figureFlags are the flags of 'qcode figure'.
type figureFlags struct {
	output, format string
	jaccard        bool
	opt            figures.Options
}

func (a *app) figureCmd() *cobra.Command {
	var f figureFlags
	cmd := &cobra.Command{
		Use:   "figure KIND -o FILE.{svg,pdf,png}",
		Short: "Draw a table as a figure for a paper: frequencies, matrix, cooc or agreement",
		Long: `Figure draws one of the analysis tables as a figure, ready for a paper:

  frequencies   horizontal bars, one per code: codings, documents,
                participants or words coded (--measure); sub-codes under
                their parent (--sort value: largest first)
  matrix        a heatmap of codes × documents, or × the values of an
                attribute (--cols attr:wave), with the numbers in the
                cells: counts (--measure), or row or column percentages
                (--percent row|col)
  cooc          a heatmap of how often codes occur together (--within,
                --jaccard), its codes ordered by clustering so that codes
                that occur together sit together
  agreement     each code's agreement between coders as a dot plot, with
                lines at 0.667 and 0.8: Krippendorff's alpha (default) or
                kappa (--measure kappa), at the unit chosen (--unit)

The file's extension picks the format: .svg and .pdf are vector graphics
for LaTeX; .png is an image at --dpi (default 300) for Word. The same
project gives the same bytes, so figures can live in git. The font is
Liberation Sans (Latin and Cyrillic): a PDF carries its text as outlines,
an SVG names the font (metrically the same as Arial) or embeds it with
--embed-font.

Filters are those of the tables: the global --coder keeps one coder's
codings; --code CODE keeps a code and its sub-codes (repeat for more);
--attr KEY=VALUE keeps the documents with an attribute (repeat: all of
them). A large table is cut to its largest rows (--top, default 60 bars
or 40 heatmap rows) and columns (--top-cols, default 30); the note under
the figure says what was cut. --top -1 keeps everything.

--width and --height are in centimetres (default: 16 cm wide, as high as
the rows need); --font-size in points; --gray draws in shades of gray for
black and white printing.`,
		Example: `  qcode figure frequencies -o frequencies.svg
  qcode figure frequencies --measure participants --subcodes -o freq.pdf
  qcode figure matrix --cols attr:wave --percent col -o by-wave.png --dpi 300
  qcode figure cooc --within sentence --jaccard --gray -o cooc.pdf
  qcode figure agreement --unit segment --measure kappa -o agreement.svg
  qcode --coder nino figure matrix --code "Reasons for leaving" -o reasons.svg`,
		Args:      cobra.ExactArgs(1),
		ValidArgs: figures.Kinds,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runFigure(cmd, args[0], f)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.output, "output", "o", "", "the file to write: .svg, .pdf or .png ('-' with --format: standard output)")
	fl.StringVar(&f.format, "format", "", "svg, pdf or png (default: the output file's extension)")
	fl.StringVar(&f.opt.Measure, "measure", "", "what to count: frequencies: codings, documents, participants, words; matrix: codings, documents, participants, percent; agreement: alpha, kappa")
	fl.BoolVar(&f.opt.Subcodes, "subcodes", false, "count each code's sub-codes with it (frequencies, matrix)")
	fl.StringVar(&f.opt.Sort, "sort", "tree", "frequencies: tree (codebook order) or value (largest first)")
	fl.StringVar(&f.opt.Cols, "cols", "documents", "matrix: documents, or attr:KEY for one column per value of an attribute")
	fl.StringVar(&f.opt.Percent, "percent", "", "matrix: row or col, for cells as a percentage of their row's or column's sum")
	fl.StringVar(&f.opt.Within, "within", "overlap", "cooc: overlap, sentence or turn")
	fl.BoolVar(&f.jaccard, "jaccard", false, "cooc: Jaccard coefficients instead of counts")
	fl.StringSliceVar(&f.opt.Coders, "coders", nil, "agreement: the coders to compare, as A,B,... (default: everyone who has coded)")
	fl.StringVar(&f.opt.Unit, "unit", "char", "agreement: char, segment or document")
	fl.Float64Var(&f.opt.Overlap, "overlap", 0, "agreement with --unit segment: the share of their union two codings must overlap to match (default 0.9)")
	fl.StringArrayVar(&f.opt.Codes, "code", nil, "only this code and its sub-codes (repeat for more; default: every code)")
	fl.StringArrayVar(&f.opt.Attrs, "attr", nil, "only documents with attribute KEY=VALUE (repeat: all of them)")
	fl.BoolVar(&f.opt.AllVersions, "all-versions", false, allVersionsUsage)
	fl.IntVar(&f.opt.Top, "top", 0, "show at most N rows, the largest (0: 60 bars or 40 heatmap rows; -1: all)")
	fl.IntVar(&f.opt.TopCols, "top-cols", 0, "matrix: show at most N columns, the largest (0: 30; -1: all)")
	fl.StringVar(&f.opt.Title, "title", "", "a title above the figure")
	fl.Float64Var(&f.opt.Width, "width", figures.DefaultWidth, "width in cm")
	fl.Float64Var(&f.opt.Height, "height", 0, "height in cm (0: as high as the rows need)")
	fl.Float64Var(&f.opt.FontSize, "font-size", figures.DefaultFontSize, "size of the labels in points")
	fl.BoolVar(&f.opt.Gray, "gray", false, "shades of gray, for black and white printing")
	fl.Float64Var(&f.opt.DPI, "dpi", figures.DefaultDPI, "resolution of a PNG")
	fl.BoolVar(&f.opt.EmbedFont, "embed-font", false, "embed the font in an SVG (larger; renders the same without Liberation Sans installed)")
	return cmd
}

// figureKindFlags are the flags that only some kinds of figure take.
var figureKindFlags = map[string][]string{
	"subcodes": {figures.KindFrequencies, figures.KindMatrix},
	"sort":     {figures.KindFrequencies},
	"cols":     {figures.KindMatrix},
	"percent":  {figures.KindMatrix},
	"top-cols": {figures.KindMatrix},
	"within":   {figures.KindCooc},
	"jaccard":  {figures.KindCooc},
	"coders":   {figures.KindAgreement},
	"unit":     {figures.KindAgreement},
	"overlap":  {figures.KindAgreement},
}

// runFigure checks the flags before the project is read, makes the figure
// and writes it.
func (a *app) runFigure(cmd *cobra.Command, kind string, f figureFlags) error {
	if !slices.Contains(figures.Kinds, kind) {
		return fmt.Errorf("figure: unknown kind %q (%s)", kind, strings.Join(figures.Kinds, ", "))
	}
	for name, kinds := range figureKindFlags {
		if cmd.Flags().Changed(name) && !slices.Contains(kinds, kind) {
			return fmt.Errorf("figure %s: --%s is for %s", kind, name, strings.Join(kinds, " and "))
		}
	}
	if kind == figures.KindAgreement && a.coder != "" {
		return errors.New("figure agreement: compares coders: name them with --coders, not --coder")
	}
	format := f.format
	switch {
	case f.output == "":
		return errors.New("figure: give the file to write with -o FILE.svg, FILE.pdf or FILE.png")
	case f.output == "-" && format == "":
		return errors.New("figure: -o - writes to standard output: give --format svg, pdf or png")
	case format == "":
		var err error
		if format, err = figures.FormatOf(f.output); err != nil {
			return fmt.Errorf("figure: -o %s: the name must end in .svg, .pdf or .png", f.output)
		}
	case format != figures.FormatSVG && format != figures.FormatPDF && format != figures.FormatPNG:
		return fmt.Errorf("figure: unknown format %q (svg, pdf, png)", format)
	}
	if f.output != "-" {
		if err := a.checkOutput(f.output); err != nil {
			return fmt.Errorf("figure: %w", err)
		}
	}
	if kind == figures.KindCooc && f.jaccard {
		f.opt.Measure = coding.MeasureJaccard
	}
	// The figure checks the other options (sizes, measures) itself,
	// before it reads anything.
	return a.withStore(func(s *coding.Store) error {
		coder, err := a.coderFilter(s)
		if err != nil {
			return err
		}
		f.opt.Coder = coder
		fig, err := figures.New(a.ctx, s, kind, f.opt)
		if err != nil {
			return fmt.Errorf("figure %s: %w", kind, err)
		}
		var buf bytes.Buffer
		if err := fig.Encode(&buf, format); err != nil {
			return err
		}
		if f.output == "-" {
			_, err := a.stdout.Write(buf.Bytes())
			return err
		}
		if err := writeFileAtomic(f.output, buf.Bytes()); err != nil {
			return fmt.Errorf("figure: %w", err)
		}
		fmt.Fprintf(a.stdout, "Wrote the %s figure (%s) to %s.\n", kind, figureSize(fig), f.output)
		return nil
	})
}

// figureSize says how many rows and columns a figure shows.
func figureSize(f *figures.Figure) string {
	rows := len(f.Rows())
	s := plural(rows, "code", "codes")
	if f.Kind == figures.KindMatrix {
		s += " × " + plural(len(f.Cols()), "column", "columns")
	}
	return s
}
