package agree

import (
	"context"
	"fmt"
	"math/rand"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/transcripts/synth"
)

// benchProject imports the generated corpus of 1M words in 200
// transcripts and has two coders make perCoder codings each over 15
// codes: ana at random, boris mostly on ana's passages with boundaries a
// few characters off, and a third of his on passages of his own. It
// returns the store and the corpus's size in characters.
func benchProject(b *testing.B, perCoder int) (*coding.Store, int) {
	b.Helper()
	ctx := context.Background()
	s, err := coding.Create(ctx, filepath.Join(b.TempDir(), "agree.qcode"), coding.Options{Coder: "ana"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	var ids []int64
	var lengths []int
	chars := 0
	for _, f := range synth.Generate(synth.Options{Docs: 200, Words: 1_000_000, Seed: 1}) {
		res, err := s.Import(ctx, coding.ImportFile{Path: f.Name, Data: f.Data})
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, res.Document.ID)
		lengths = append(lengths, res.Document.Length)
		chars += res.Document.Length
	}
	const codes = 15
	r := rand.New(rand.NewSource(7))
	type item struct{ doc, code, start, end int }
	var ana, boris []item
	for len(ana) < perCoder {
		d := r.Intn(len(ids))
		n := 50 + r.Intn(450)
		st := r.Intn(lengths[d] - n)
		it := item{d, r.Intn(codes), st, st + n}
		ana = append(ana, it)
		if len(boris) < perCoder && r.Intn(3) > 0 {
			it.start = max(0, it.start+r.Intn(21)-10)
			it.end = min(lengths[d], it.end+r.Intn(21)-10)
			boris = append(boris, it)
		}
	}
	for len(boris) < perCoder {
		d := r.Intn(len(ids))
		n := 50 + r.Intn(450)
		st := r.Intn(lengths[d] - n)
		boris = append(boris, item{d, r.Intn(codes), st, st + n})
	}
	for coder, items := range map[string][]item{"ana": ana, "boris": boris} {
		for c := 0; c < codes; c++ {
			byDoc := map[int][]coding.Span{}
			for _, it := range items {
				if it.code == c {
					byDoc[it.doc] = append(byDoc[it.doc], coding.Span{Start: it.start, End: it.end})
				}
			}
			var batch []coding.DocSpans
			for d, spans := range byDoc {
				batch = append(batch, coding.DocSpans{DocID: ids[d], Spans: spans})
			}
			if _, _, _, err := s.WithCoder(coder).TagBatch(ctx, fmt.Sprintf("Theme %02d", c), batch, true, "bench"); err != nil {
				b.Fatal(err)
			}
		}
	}
	return s, chars
}

// BenchmarkCompute measures agreement of two coders with 20,000 codings
// each on the 1M-word generated corpus (200 transcripts), from reading
// the codings out of the store to the report with its disagreements. The
// project is built once, outside the timing.
func BenchmarkCompute(b *testing.B) {
	s, chars := benchProject(b, 20_000)
	ctx := context.Background()
	all, err := s.Codings(ctx, coding.CodingFilter{})
	if err != nil {
		b.Fatal(err)
	}
	for _, unit := range []Unit{Char, Segment, Document} {
		b.Run(string(unit), func(b *testing.B) {
			var r *Report
			cpu0 := cpuTime()
			for b.Loop() {
				r, err = Compute(ctx, s, Options{Unit: unit})
				if err != nil {
					b.Fatal(err)
				}
			}
			// On a shared machine the wall time per op is inflated by
			// other processes; the process's own CPU time per op is not.
			b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
			b.ReportMetric(float64(len(all)), "codings")
			b.ReportMetric(float64(chars), "chars")
			b.ReportMetric(float64(len(r.Disagreements)), "disagreements")
			if unit == Char && r.Overall.Units != 15*chars {
				b.Fatalf("overall units %d, want 15 codes × %d characters", r.Overall.Units, chars)
			}
		})
	}
}

// cpuTime is the CPU time, user and system, this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
