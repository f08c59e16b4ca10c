package coding_test

import (
	"context"
	"fmt"
	"math/rand"
	"path/filepath"
	"testing"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/transcripts/synth"
)

// BenchmarkMerge merges a project of 1M words (200 generated
// transcripts) with 20,000 codings over 15 codes: into an empty project
// (everything new: documents, turns, sources/ files, codings, history),
// and again into a project that has it all (everything skipped). The
// snapshot is read once, outside the timing.
func BenchmarkMerge(b *testing.B) {
	ctx := context.Background()
	src, err := coding.Create(ctx, filepath.Join(b.TempDir(), "src.qcode"), coding.Options{Coder: "ana"})
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	var ids []int64
	var lengths []int
	for _, f := range synth.Generate(synth.Options{Docs: 200, Words: 1_000_000, Seed: 1}) {
		res, err := src.Import(ctx, coding.ImportFile{Path: f.Name, Data: f.Data})
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, res.Document.ID)
		lengths = append(lengths, res.Document.Length)
	}
	r := rand.New(rand.NewSource(7))
	const codes, perCoder = 15, 20_000
	byCode := make([]map[int][]coding.Span, codes)
	for i := 0; i < perCoder; i++ {
		d, c, n := r.Intn(len(ids)), r.Intn(codes), 50+r.Intn(450)
		st := r.Intn(lengths[d] - n)
		if byCode[c] == nil {
			byCode[c] = map[int][]coding.Span{}
		}
		byCode[c][d] = append(byCode[c][d], coding.Span{Start: st, End: st + n})
	}
	for c, docs := range byCode {
		var batch []coding.DocSpans
		for d, spans := range docs {
			batch = append(batch, coding.DocSpans{DocID: ids[d], Spans: spans})
		}
		if _, _, _, err := src.TagBatch(ctx, fmt.Sprintf("Theme %02d", c), batch, true, "bench"); err != nil {
			b.Fatal(err)
		}
	}
	snap, err := src.Snapshot(ctx)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("snapshot: %d documents, %d codings", len(snap.Documents), len(snap.Codings))

	b.Run("into-empty", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			dst, err := coding.Create(ctx, filepath.Join(b.TempDir(), fmt.Sprintf("dst%d.qcode", i)), coding.Options{Coder: "boris"})
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			sum, _, err := dst.Merge(ctx, snap, coding.MergeOptions{})
			b.StopTimer()
			if err != nil || sum.Documents != len(snap.Documents) || sum.Codings != len(snap.Codings) {
				b.Fatalf("Merge = %+v, %v", sum, err)
			}
			dst.Close()
			b.StartTimer()
		}
	})
	b.Run("again", func(b *testing.B) {
		dst, err := coding.Create(ctx, filepath.Join(b.TempDir(), "dst.qcode"), coding.Options{Coder: "boris"})
		if err != nil {
			b.Fatal(err)
		}
		defer dst.Close()
		if _, _, err := dst.Merge(ctx, snap, coding.MergeOptions{}); err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			sum, _, err := dst.Merge(ctx, snap, coding.MergeOptions{})
			if err != nil || sum.Added() {
				b.Fatalf("Merge again = %+v, %v", sum, err)
			}
		}
	})
}
