package figures

import (
	"bytes"
	"context"
	"fmt"
	"math/rand"
	"path/filepath"
	"testing"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/transcripts/synth"
)

// benchProject makes a project of 2,000 generated transcripts (1M words,
// with wave, gender and participant in their front matter) and a
// codebook of 200 codes (20 parents with 9 sub-codes each), each code
// coded in 40 random documents by each of two coders: 32,000 codings.
func benchProject(b *testing.B) *coding.Store {
	b.Helper()
	ctx := context.Background()
	s, err := coding.Create(ctx, filepath.Join(b.TempDir(), "figures.qcode"), coding.Options{Coder: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	for _, f := range synth.Generate(synth.Options{Docs: 2000, Words: 1_000_000, Seed: 5}) {
		if _, err := s.Import(ctx, coding.ImportFile{Path: f.Name, Data: f.Data}); err != nil {
			b.Fatal(err)
		}
	}
	docs, err := s.Documents(ctx, false)
	if err != nil {
		b.Fatal(err)
	}
	var codes []string
	for p := range 20 {
		parent := fmt.Sprintf("Theme %02d of the migration study", p)
		codes = append(codes, parent)
		for c := range 9 {
			codes = append(codes, fmt.Sprintf("%s/Sub-theme %02d.%d with a longer name", parent, p, c))
		}
	}
	for _, c := range codes {
		if _, _, err := s.AddCode(ctx, coding.NewCode{Path: c}); err != nil {
			b.Fatal(err)
		}
	}
	r := rand.New(rand.NewSource(6))
	for _, coder := range []string{"anna", "boris"} {
		w := s.WithCoder(coder)
		for _, code := range codes {
			var items []coding.DocSpans
			for _, k := range r.Perm(len(docs))[:40] {
				d := docs[k]
				n := 20 + r.Intn(200)
				if d.Length <= n+1 {
					continue
				}
				st := r.Intn(d.Length - n)
				items = append(items, coding.DocSpans{DocID: d.ID, Spans: []coding.Span{{Start: st, End: st + n}}})
			}
			if _, _, _, err := w.TagBatch(ctx, code, items, false, "bench"); err != nil {
				b.Fatal(err)
			}
		}
	}
	return s
}

// BenchmarkFigures makes each kind of figure of 200 codes × 2,000
// documents, from the query to the SVG (and a PNG at 300 dpi for the
// matrix), and reports the rows and columns drawn.
func BenchmarkFigures(b *testing.B) {
	s := benchProject(b)
	ctx := context.Background()
	cases := []struct {
		name, kind, format string
		opt                Options
	}{
		{"frequencies-svg", KindFrequencies, FormatSVG, Options{}},
		{"frequencies-all-200-svg", KindFrequencies, FormatSVG, Options{Top: -1}},
		{"matrix-documents-svg", KindMatrix, FormatSVG, Options{}},
		{"matrix-documents-pdf", KindMatrix, FormatPDF, Options{}},
		{"matrix-documents-png", KindMatrix, FormatPNG, Options{}},
		{"matrix-wave-attr-svg", KindMatrix, FormatSVG, Options{Cols: "attr:wave", Attrs: []string{"lang=en"}, Subcodes: true}},
		{"cooc-overlap-svg", KindCooc, FormatSVG, Options{}},
		{"cooc-sentence-jaccard-svg", KindCooc, FormatSVG, Options{Within: coding.WithinSentence, Measure: coding.MeasureJaccard}},
		{"agreement-svg", KindAgreement, FormatSVG, Options{}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var f *Figure
			var size int
			for b.Loop() {
				var err error
				f, err = New(ctx, s, c.kind, c.opt)
				if err != nil {
					b.Fatal(err)
				}
				var out bytes.Buffer
				if err := f.Encode(&out, c.format); err != nil {
					b.Fatal(err)
				}
				size = out.Len()
			}
			b.ReportMetric(float64(len(f.rows)), "rows")
			b.ReportMetric(float64(len(f.cols)), "cols")
			b.ReportMetric(float64(size)/1024, "KiB")
		})
	}
}
