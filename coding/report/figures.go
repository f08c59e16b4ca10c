package report

import (
	"context"
	"fmt"

	"github.com/qcode-dev/qcode/coding/figures"
)

// Drawn draws the report's figures with package figures, from the very
// tables the report shows: code frequencies, codes × documents, codes ×
// each grouping attribute, co-occurrence and, with several coders,
// agreement.
type Drawn struct{}

// Figures draws the figures of in. Each figure says what it shows under
// itself, so it needs no caption; the fonts are embedded, so the labels
// fit as they were measured.
func (Drawn) Figures(ctx context.Context, in FigureInput) ([]Figure, error) {
	var out []Figure
	add := func(id, title string, f *figures.Figure, err error) error {
		if err != nil {
			return fmt.Errorf("%s: %w", title, err)
		}
		svg, err := f.SVG()
		if err != nil {
			return fmt.Errorf("%s: %w", title, err)
		}
		out = append(out, Figure{ID: id, Title: title, SVG: svg})
		return ctx.Err()
	}
	if len(in.Stats) == 0 {
		return nil, nil
	}
	f, err := figures.FrequenciesOf(in.Stats, figures.Options{EmbedFont: true})
	if err := add("figure-frequencies", "Codings of each code", f, err); err != nil {
		return nil, err
	}
	if in.Documents != nil {
		f, err := figures.TableOf(in.Documents, figures.Options{EmbedFont: true})
		if err := add("figure-documents", "Codes × documents", f, err); err != nil {
			return nil, err
		}
	}
	for i, t := range in.ByAttr {
		key := t.ColKind[len("attr:"):]
		f, err := figures.TableOf(t, figures.Options{EmbedFont: true})
		if err := add(fmt.Sprintf("figure-by-%d", i+1), "Codes × "+key, f, err); err != nil {
			return nil, err
		}
	}
	if in.Cooc != nil {
		f, err := figures.TableOf(in.Cooc, figures.Options{EmbedFont: true})
		if err := add("figure-cooc", "Co-occurrence", f, err); err != nil {
			return nil, err
		}
	}
	if in.Agreement != nil {
		f, err := figures.AgreementOf(in.Agreement, figures.Options{EmbedFont: true})
		if err := add("figure-agreement", "Agreement by code", f, err); err != nil {
			return nil, err
		}
	}
	return out, nil
}
