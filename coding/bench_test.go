package coding

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/qcode-dev/qcode/transcripts/synth"
)

// BenchmarkImport imports a generated corpus of 1M words in 200
// transcripts (one fifth Russian) into a fresh project per iteration and
// reports words/s. Indexing is not part of it.
func BenchmarkImport(b *testing.B) {
	files := synth.Generate(synth.Options{Docs: 200, Words: 1_000_000, Seed: 1})
	words, bytes := 0, 0
	for _, f := range files {
		words += f.Words
		bytes += len(f.Data)
	}
	ctx := context.Background()
	b.SetBytes(int64(bytes))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s, err := Create(ctx, filepath.Join(b.TempDir(), fmt.Sprintf("b%d.qcode", i)), Options{Coder: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		for _, f := range files {
			if _, err := s.Import(ctx, ImportFile{Path: f.Name, Data: f.Data}); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(words)*float64(b.N)/b.Elapsed().Seconds(), "words/s")
}

// BenchmarkTag measures one tag, committed, on a project that already
// holds 100,000 codings, and reports the p50 and p95 latency.
func BenchmarkTag(b *testing.B) {
	ctx := context.Background()
	s, err := Create(ctx, filepath.Join(b.TempDir(), "tag.qcode"), Options{Coder: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	files := synth.Generate(synth.Options{Docs: 100, Words: 500_000, Seed: 2})
	for _, f := range files {
		if _, err := s.Import(ctx, ImportFile{Path: f.Name, Data: f.Data}); err != nil {
			b.Fatal(err)
		}
	}
	for i := 0; i < 15; i++ {
		if _, _, err := s.AddCode(ctx, NewCode{Path: fmt.Sprintf("Theme %02d", i)}); err != nil {
			b.Fatal(err)
		}
	}
	// Seed 100k codings in bulk, through the same Tag path, 1,000 spans a
	// transaction.
	for n := 0; n < 100_000; n += 1000 {
		doc := fmt.Sprintf("T%04d", 1+(n/1000)%len(files))
		spans := make([]Span, 1000)
		for j := range spans {
			st := (n/1000/len(files))*10 + j*20
			spans[j] = Span{st, st + 15}
		}
		if _, _, err := s.Tag(ctx, TagRequest{Doc: doc, Code: fmt.Sprintf("Theme %02d", (n/1000)%15), Spans: spans}); err != nil {
			b.Fatal(err)
		}
	}
	lat := make([]time.Duration, 0, b.N)
	if p := os.Getenv("QCODE_TAG_PROFILE"); p != "" {
		f, _ := os.Create(p)
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		doc := fmt.Sprintf("T%04d", 1+i%len(files))
		st := 5 + (i/len(files))%20000
		t0 := time.Now()
		if _, _, err := s.Tag(ctx, TagRequest{Doc: doc, Code: "Theme 07", Spans: []Span{{st, st + 7}}}); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds()), "p95-µs")
}

// benchAnalysisProject imports the 1M-word generated corpus (200
// transcripts) and adds 20,000 codings of 20 codes (five under a parent)
// by two coders, spans of 40 to 400 characters at random places.
func benchAnalysisProject(b *testing.B) *Store {
	b.Helper()
	ctx := context.Background()
	s, err := Create(ctx, filepath.Join(b.TempDir(), "analysis.qcode"), Options{Coder: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	for _, f := range synth.Generate(synth.Options{Docs: 200, Words: 1_000_000, Seed: 3}) {
		if _, err := s.Import(ctx, ImportFile{Path: f.Name, Data: f.Data}); err != nil {
			b.Fatal(err)
		}
	}
	docs, err := s.Documents(ctx, false)
	if err != nil {
		b.Fatal(err)
	}
	var codes []string
	for i := 0; i < 20; i++ {
		p := fmt.Sprintf("Theme %02d", i)
		if i >= 15 {
			p = "Parent/" + p
		}
		if _, _, err := s.AddCode(ctx, NewCode{Path: p}); err != nil {
			b.Fatal(err)
		}
		codes = append(codes, p)
	}
	r := rand.New(rand.NewSource(4))
	for _, coder := range []string{"anna", "boris"} {
		w := s.WithCoder(coder)
		for _, code := range codes {
			var items []DocSpans
			for j, d := range docs {
				var spans []Span
				for k := 0; k < 2+j%2; k++ { // 2.5 a document on average: 10,000 a coder
					n := 40 + r.Intn(360)
					st := r.Intn(d.Length - n)
					spans = append(spans, Span{st, st + n})
				}
				items = append(items, DocSpans{DocID: d.ID, Spans: spans})
			}
			if _, _, _, err := w.TagBatch(ctx, code, items, false, "bench"); err != nil {
				b.Fatal(err)
			}
		}
	}
	return s
}

// BenchmarkAnalysis runs each analysis query on the 1M-word corpus with
// 20,000 codings.
func BenchmarkAnalysis(b *testing.B) {
	s := benchAnalysisProject(b)
	ctx := context.Background()
	n, _ := s.Codings(ctx, CodingFilter{})
	b.Logf("%d codings", len(n))
	queries := []struct {
		name string
		run  func() error
	}{
		{"stats", func() error { _, err := s.Stats(ctx, StatsOptions{}); return err }},
		{"matrix-documents", func() error { _, err := s.Matrix(ctx, MatrixOptions{}); return err }},
		{"matrix-wave-percent", func() error {
			_, err := s.Matrix(ctx, MatrixOptions{Cols: "attr:wave", Measure: MeasurePercent, Subcodes: true})
			return err
		}},
		{"cooc-overlap", func() error { _, err := s.Cooc(ctx, CoocOptions{}); return err }},
		{"cooc-overlap-jaccard", func() error { _, err := s.Cooc(ctx, CoocOptions{Jaccard: true}); return err }},
		{"cooc-sentence", func() error { _, err := s.Cooc(ctx, CoocOptions{Within: WithinSentence}); return err }},
		{"cooc-turn", func() error { _, err := s.Cooc(ctx, CoocOptions{Within: WithinTurn}); return err }},
	}
	for _, q := range queries {
		b.Run(q.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if err := q.run(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkImportTranscript imports one transcript of 300,000 words with
// speaker labels of several shapes (a name with initials, a name alone, a
// qualifier, timestamps before some) into a fresh project per iteration:
// parsing, turn detection, speakers and the store, as `qcode import` does
// it without the search index.
func BenchmarkImportTranscript(b *testing.B) {
	text, words := labelledTranscript(300_000)
	ctx := context.Background()
	b.SetBytes(int64(len(text)))
	var turns int
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s, err := Create(ctx, filepath.Join(b.TempDir(), fmt.Sprintf("b%d.qcode", i)), Options{Coder: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res, err := s.Import(ctx, ImportFile{Path: "long.txt", Data: []byte(text)})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		turns = res.Document.Turns
		if len(res.Speakers) != 3 {
			b.Fatalf("speakers = %+v, want 3", res.Speakers)
		}
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(words), "words")
	b.ReportMetric(float64(turns), "turns")
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/import")
}

// labelledTranscript generates a transcript of about n words in turns of
// three speakers labelled as real transcripts label them.
func labelledTranscript(n int) (string, int) {
	r := rand.New(rand.NewSource(7))
	vocab := []string{"we", "left", "in", "march", "because", "мы", "уехали", "после", "обысков", "the", "border", "was", "closed", "брат", "остался", "and", "I", "work", "remotely", "now"}
	labels := []string{"Nino:", "Anna K. Petrova:", "Respondent 2 (mother):"}
	var sb strings.Builder
	words := 0
	for t := 0; words < n; t++ {
		if t%4 == 0 {
			fmt.Fprintf(&sb, "[%02d:%02d:%02d] ", t/3600, t/60%60, t%60)
		}
		sb.WriteString(labels[t%len(labels)])
		k := 5 + r.Intn(120)
		for i := 0; i < k; i++ {
			sb.WriteByte(' ')
			sb.WriteString(vocab[r.Intn(len(vocab))])
		}
		words += k
		sb.WriteString(".\n\n")
	}
	return sb.String(), words
}
