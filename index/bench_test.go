package index

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"testing"
	"time"

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

// largeVTT is a subtitle file of n cues, two speakers taking turns on
// every cue: each cue is a turn, and a passage, of its own.
func largeVTT(n int) []byte {
	words := strings.Fields("we left after the mobilization because of fear and my brother stayed with our parents in moscow talking politics is hard")
	var b bytes.Buffer
	b.WriteString("WEBVTT\n\n")
	who := []string{"Anna", "Boris"}
	for i := 0; i < n; i++ {
		s := i * 2
		fmt.Fprintf(&b, "%02d:%02d:%02d.000 --> %02d:%02d:%02d.500\n%s: %s %s %s %s\n\n",
			s/3600, s/60%60, s%60, s/3600, s/60%60, s%60, who[i%2],
			words[i%len(words)], words[(i*7+1)%len(words)], words[(i*3+2)%len(words)], words[(i*5+3)%len(words)])
	}
	return b.Bytes()
}

// BenchmarkIndexLargeDocument indexes one large document in a child
// process (the project is imported here, untimed) and reports the
// child's peak RSS (its VmHWM from /proc/self/status: the whole
// process, Go runtime and store included) and the seconds indexing took
// (the child's start and the opening of the store included):
//
//	go test ./index -run '^$' -bench LargeDocument -benchtime 1x
func BenchmarkIndexLargeDocument(b *testing.B) {
	cases := []struct {
		name string
		file func() (string, []byte, int)
	}{
		{"vtt-100k-cues", func() (string, []byte, int) { d := largeVTT(100_000); return "big.vtt", d, 400_000 }},
		{"vtt-500k-cues", func() (string, []byte, int) { d := largeVTT(500_000); return "big.vtt", d, 2_000_000 }},
		{"txt-3.5M-words", func() (string, []byte, int) {
			f := synth.Generate(synth.Options{Docs: 1, Words: 3_500_000, Seed: 7, RussianShare: 0.01})[0]
			return "big.txt", f.Data, f.Words
		}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			name, data, words := c.file()
			ctx := context.Background()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				dir := filepath.Join(b.TempDir(), "big.qcode")
				s, err := coding.Create(ctx, dir, coding.Options{Coder: "bench"})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := s.Import(ctx, coding.ImportFile{Path: name, Data: data}); err != nil {
					b.Fatal(err)
				}
				s.Close()
				b.StartTimer()
				t0 := time.Now()
				cmd := exec.Command(os.Args[0], "-test.run=^TestIndexChild$", "-test.v")
				cmd.Env = append(os.Environ(), "QCODE_INDEX_CHILD="+dir)
				out, err := cmd.CombinedOutput()
				if err != nil {
					b.Fatalf("child: %v\n%s", err, out)
				}
				secs := time.Since(t0).Seconds()
				b.StopTimer()
				// The child prints its VmHWM (Linux). getrusage's
				// maxrss of a child would not do: it keeps the
				// high-water mark of this process's memory across exec.
				if _, after, ok := strings.Cut(string(out), "VmHWM:"); ok {
					var kb float64
					fmt.Sscan(after, &kb)
					b.ReportMetric(kb/1024, "peak-RSS-MB")
				}
				b.ReportMetric(secs, "s")
				b.ReportMetric(float64(words)/secs, "words/s")
				b.ReportMetric(float64(len(data))/(1<<20), "file-MB")
				b.StartTimer()
			}
		})
	}
}

// TestIndexChild builds the index of the project named by
// QCODE_INDEX_CHILD; BenchmarkIndexLargeDocument runs it in a child
// process to measure its peak memory.
func TestIndexChild(t *testing.T) {
	dir := os.Getenv("QCODE_INDEX_CHILD")
	if dir == "" {
		t.Skip("run by BenchmarkIndexLargeDocument")
	}
	ctx := context.Background()
	s, err := coding.Open(ctx, dir, coding.Options{Coder: "bench"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if p := os.Getenv("QCODE_INDEX_PROFILE"); p != "" {
		f, _ := os.Create(p)
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	if p := os.Getenv("QCODE_INDEX_HEAP"); p != "" {
		go func() {
			var top uint64
			for {
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				if m.HeapInuse > top+8<<20 {
					top = m.HeapInuse
					f, _ := os.Create(p)
					pprof.WriteHeapProfile(f)
					f.Close()
				}
				time.Sleep(200 * time.Millisecond)
			}
		}()
	}
	ix, st, err := Open(ctx, s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if st.Updated != 1 {
		t.Fatalf("indexed %d documents, want 1", st.Updated)
	}
	if raw, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, l := range strings.Split(string(raw), "\n") {
			if strings.HasPrefix(l, "VmHWM:") {
				fmt.Println(l)
			}
		}
	}
}

// searchBench is a project of 1M generated words in 200 transcripts with
// a code on every tenth turn of every document, indexed once for all
// search benchmarks.
var searchBench struct {
	once  sync.Once
	s     *coding.Store
	ix    *Index
	words []string
	err   error
}

func openSearchBench(b *testing.B) (*Index, []string) {
	b.Helper()
	sb := &searchBench
	sb.once.Do(func() {
		ctx := context.Background()
		dir, err := os.MkdirTemp("", "qcode-search-bench-")
		if err != nil {
			sb.err = err
			return
		}
		s, err := coding.Create(ctx, filepath.Join(dir, "b.qcode"), coding.Options{Coder: "bench"})
		if err != nil {
			sb.err = err
			return
		}
		for i, f := range synth.Generate(synth.Options{Docs: 200, Words: 1_000_000, Seed: 1}) {
			res, err := s.Import(ctx, coding.ImportFile{Path: f.Name, Data: f.Data})
			if err != nil {
				sb.err = err
				return
			}
			if i == 0 {
				sb.words = strings.Fields(strings.ToLower(string(f.Data)))
			}
			turns, _ := s.Turns(ctx, res.Document.ID)
			var spans []coding.Span
			for j := 0; j < len(turns); j += 10 {
				spans = append(spans, coding.Span{Start: turns[j].Body, End: turns[j].End})
			}
			if _, _, err := s.Tag(ctx, coding.TagRequest{Doc: res.Document.Name, Code: "Theme", Spans: spans, Create: true}); err != nil {
				sb.err = err
				return
			}
		}
		sb.s = s
		sb.ix, _, sb.err = Open(ctx, s, Options{})
	})
	if sb.err != nil {
		b.Fatal(sb.err)
	}
	return sb.ix, sb.words
}

// BenchmarkSearch times index.Search on 1M words for each query type, in
// document order and ranked, limit 20, as the search command runs it.
// Profile one type with -run X -bench 'Search/prefix' -cpuprofile.
func BenchmarkSearch(b *testing.B) {
	ix, words := openSearchBench(b)
	var plain []string
	for _, w := range words {
		w = strings.Trim(w, ".,?!:;…\"'«»—-")
		if len([]rune(w)) >= 4 && !strings.ContainsAny(w, ":*?~()\"") {
			plain = append(plain, w)
		}
	}
	if len(plain) < 400 {
		b.Fatalf("only %d words to query", len(plain))
	}
	pick := func(i int) string { return plain[(i*37)%len(plain)] }
	prefix := func(i int) string { return string([]rune(pick(i))[:3]) + "*" }
	types := []struct {
		name string
		q    func(i int) Query
	}{
		{"term", func(i int) Query { return Query{Text: pick(i)} }},
		{"phrase", func(i int) Query {
			j := (i * 37) % (len(plain) - 1)
			return Query{Text: `"` + plain[j] + " " + plain[j+1] + `"`}
		}},
		{"prefix", func(i int) Query { return Query{Text: prefix(i)} }},
		{"two-word", func(i int) Query { return Query{Text: pick(i) + " OR " + pick(i+1)} }},
		{"filtered", func(i int) Query { return Query{Text: pick(i), Codes: []string{"Theme"}} }},
	}
	ctx := context.Background()
	for _, ty := range types {
		for _, rank := range []bool{false, true} {
			name := ty.name
			if rank {
				name += "/ranked"
			}
			b.Run(name, func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					q := ty.q(i % 50)
					q.Limit, q.Rank = 20, rank
					if _, err := ix.Search(ctx, q); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
