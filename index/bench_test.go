package index

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"testing"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/transcripts/synth"
)

// BenchmarkIndex builds the index of a generated corpus of 1M words in
// 200 transcripts (one fifth Russian) and reports words/s. The import into
// the store is not timed.
func BenchmarkIndex(b *testing.B) {
	files := synth.Generate(synth.Options{Docs: 200, Words: 1_000_000, Seed: 1})
	words := 0
	for _, f := range files {
		words += f.Words
	}
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s, err := coding.Create(ctx, filepath.Join(b.TempDir(), fmt.Sprintf("b%d.qcode", i)), coding.Options{Coder: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		for _, f := range files {
			if _, err := s.Import(ctx, coding.ImportFile{Path: f.Name, Data: f.Data}); err != nil {
				b.Fatal(err)
			}
		}
		if p := os.Getenv("QCODE_INDEX_PROFILE"); p != "" {
			f, _ := os.Create(p)
			pprof.StartCPUProfile(f)
		}
		b.StartTimer()
		ix, _, err := Open(ctx, s, Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if os.Getenv("QCODE_INDEX_PROFILE") != "" {
			pprof.StopCPUProfile()
		}
		ix.Close()
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(words)*float64(b.N)/b.Elapsed().Seconds(), "words/s")
}
