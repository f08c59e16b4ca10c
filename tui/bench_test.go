package tui

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/transcripts/synth"
)

// benchProjects holds one project per transcript length, built once.
var (
	benchMu       sync.Mutex
	benchProjects = map[int]*coding.Store{}
)

// benchStore returns a project with one synthetic transcript of about
// lines lines (turns and the blank lines between them) and a coding on
// every tenth turn, with five codes in turn.
func benchStore(b *testing.B, lines int) *coding.Store {
	b.Helper()
	benchMu.Lock()
	defer benchMu.Unlock()
	if s, ok := benchProjects[lines]; ok {
		return s
	}
	ctx := context.Background()
	// A turn is two lines and about 62 words on average.
	f := synth.Generate(synth.Options{Docs: 1, Words: lines / 2 * 62, Seed: 7})[0]
	dir := filepath.Join(b.TempDir(), fmt.Sprintf("bench%d.qcode", lines))
	s, err := coding.Create(ctx, dir, coding.Options{Coder: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	res, err := s.Import(ctx, coding.ImportFile{Path: f.Name, Data: f.Data})
	if err != nil {
		b.Fatal(err)
	}
	turns, _ := s.Turns(ctx, res.Document.ID)
	spans := map[int][]coding.Span{}
	for i := 0; i < len(turns); i += 10 {
		spans[i/10%5] = append(spans[i/10%5], coding.Span{Start: turns[i].Body, End: turns[i].End})
	}
	for k, sp := range spans {
		if _, _, err := s.Tag(ctx, coding.TagRequest{Doc: res.Document.Name, Code: fmt.Sprintf("Theme %d", k), Spans: sp, Create: true}); err != nil {
			b.Fatal(err)
		}
	}
	benchProjects[lines] = s
	return s
}

// benchModel opens the project's document in a model of the given size
// without the background indexing (measured elsewhere).
func benchModel(b *testing.B, s *coding.Store, w, h int) Model {
	b.Helper()
	ctx := context.Background()
	noTick := func(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil }
	var m tea.Model = New(ctx, s, Options{Tick: noTick, NoBlink: true})
	m, _ = m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	mm := m.(Model)
	pm := refreshCmd(ctx, s, mm.seqs.project, "")()
	m, cmd := m.Update(pm)
	for _, msg := range collect(cmd) {
		m, _ = m.Update(msg)
	}
	mm = m.(Model)
	if !mm.reader.HasDoc() {
		b.Fatal("no document opened")
	}
	mm.View()
	return mm
}

// collect runs cmd and any batch inside it, returning the messages.
func collect(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if batch, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range batch {
			out = append(out, collect(c)...)
		}
		return out
	}
	return []tea.Msg{msg}
}

// settle runs cmd and feeds its messages back until none are left.
func settle(tm tea.Model, cmd tea.Cmd) tea.Model {
	for _, msg := range collect(cmd) {
		if msg == nil {
			continue
		}
		var next tea.Cmd
		tm, next = tm.Update(msg)
		tm = settle(tm, next)
	}
	return tm
}

// p95 reports the 95th percentile of the samples as a metric.
func p95(b *testing.B, d []time.Duration) {
	if len(d) == 0 {
		return
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	b.ReportMetric(float64(d[len(d)*95/100].Microseconds()), "p95-µs")
}

// BenchmarkKeystroke measures one keystroke through Update and View:
// moving, extending a selection, and the coding of a selection landing
// (the new codings reach the pane and the screen is drawn: read again,
// apply; or from the write's answer, tag).
func BenchmarkKeystroke(b *testing.B) {
	for _, lines := range []int{200, 20000} {
		for _, size := range [][2]int{{120, 40}, {250, 70}} {
			s := benchStore(b, lines)
			name := fmt.Sprintf("lines=%d/%dx%d", lines, size[0], size[1])
			b.Run(name+"/move", func(b *testing.B) {
				m := benchModel(b, s, size[0], size[1])
				keys := []tea.KeyMsg{runes("j"), runes("w"), runes("j"), runes(")"), runes("}"), runes("k")}
				samples := make([]time.Duration, 0, b.N)
				var tm tea.Model = m
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					t0 := time.Now()
					tm, _ = tm.Update(keys[i%len(keys)])
					tm.View()
					samples = append(samples, time.Since(t0))
					if i%600 == 599 {
						tm, _ = tm.Update(runes("g"))
					}
				}
				p95(b, samples)
			})
			b.Run(name+"/select", func(b *testing.B) {
				m := benchModel(b, s, size[0], size[1])
				var tm tea.Model = m
				tm, _ = tm.Update(runes("}"))
				tm, _ = tm.Update(runes("v"))
				samples := make([]time.Duration, 0, b.N)
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					k := runes("w")
					if i%40 == 39 {
						k = runes("s")
					}
					t0 := time.Now()
					tm, _ = tm.Update(k)
					tm.View()
					samples = append(samples, time.Since(t0))
					if i%40 == 39 {
						tm, _ = tm.Update(runes("v"))
					}
				}
				p95(b, samples)
			})
			b.Run(name+"/apply", func(b *testing.B) {
				m := benchModel(b, s, size[0], size[1])
				var tm tea.Model = m
				tm, _ = tm.Update(runes("}"))
				tm, _ = tm.Update(runes("s"))
				mm := tm.(Model)
				sp, _ := mm.reader.Selection()
				base := mm.reader.codings
				with := append(append([]coding.Coding(nil), base...), coding.Coding{ID: 1 << 40, DocID: mm.reader.Doc().ID, CodeID: base[0].CodeID, Code: base[0].Code, Start: sp.Start, End: sp.End})
				sort.Slice(with, func(i, j int) bool { return with[i].Start < with[j].Start })
				samples := make([]time.Duration, 0, b.N)
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					cs := with
					if i%2 == 1 {
						cs = base
					}
					mm := tm.(Model)
					mm.seqs.codings++
					t0 := time.Now()
					tm, _ = mm.Update(codingsMsg{seq: mm.seqs.codings, docID: mm.reader.Doc().ID, codings: cs})
					tm.View()
					samples = append(samples, time.Since(t0))
				}
				p95(b, samples)
			})
			b.Run(name+"/tag", func(b *testing.B) {
				// A tag landing as the workbench's own write answers it:
				// the new coding goes straight into the pane (and out
				// again, every other time) and the screen is drawn.
				m := benchModel(b, s, size[0], size[1])
				var tm tea.Model = m
				tm, _ = tm.Update(runes("}"))
				tm, _ = tm.Update(runes("s"))
				mm := tm.(Model)
				sp, _ := mm.reader.Selection()
				base := mm.reader.codings
				c := coding.Coding{ID: 1 << 40, DocID: mm.reader.Doc().ID, Document: mm.reader.Doc().Name, CodeID: base[0].CodeID, Code: base[0].Code, Start: sp.Start, End: sp.End}
				samples := make([]time.Duration, 0, b.N)
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					msg := doneMsg{done: done{what: "tag", tagged: []coding.Coding{c}}}
					if i%2 == 1 {
						msg = doneMsg{done: done{what: "untag", removed: []int64{c.ID}}}
					}
					t0 := time.Now()
					tm, _ = tm.Update(msg)
					tm.View()
					samples = append(samples, time.Since(t0))
				}
				p95(b, samples)
			})
		}
	}
}

// BenchmarkOpen measures opening the transcript: reading it from the
// store, wrapping it, and the first View.
func BenchmarkOpen(b *testing.B) {
	for _, lines := range []int{200, 20000} {
		s := benchStore(b, lines)
		b.Run(fmt.Sprintf("lines=%d", lines), func(b *testing.B) {
			m := benchModel(b, s, 120, 40)
			ctx := context.Background()
			ref := docRef(m.reader.Doc().ID)
			samples := make([]time.Duration, 0, b.N)
			var tm tea.Model = m
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				mm := tm.(Model)
				mm.reader.text = nil // a different document was open
				mm.seqs.doc++
				msg := openDocCmd(ctx, s, mm.seqs.doc, ref, mm.reader.w, -1, coding.Span{})()
				tm, _ = mm.Update(msg)
				tm.View()
				samples = append(samples, time.Since(t0))
			}
			p95(b, samples)
		})
	}
}

// BenchmarkResize measures a resize of the terminal with the transcript
// open: rewrapping and redrawing.
func BenchmarkResize(b *testing.B) {
	for _, lines := range []int{200, 20000} {
		s := benchStore(b, lines)
		b.Run(fmt.Sprintf("lines=%d", lines), func(b *testing.B) {
			var tm tea.Model = benchModel(b, s, 120, 40)
			samples := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				w := 120 + i%2*13
				t0 := time.Now()
				tm, _ = tm.Update(tea.WindowSizeMsg{Width: w, Height: 40})
				tm.View()
				samples = append(samples, time.Since(t0))
			}
			p95(b, samples)
		})
	}
}

// BenchmarkDemoFirstFrame measures the demo from a model's creation to
// its first frame with a transcript shown (the store already open).
func BenchmarkDemoFirstFrame(b *testing.B) {
	s := demoStore(b, "bench")
	samples := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		m := benchModel(b, s, 120, 40)
		if !strings.Contains(m.View(), "Respondent") {
			b.Fatal("no transcript on the first frame")
		}
		samples = append(samples, time.Since(t0))
	}
	p95(b, samples)
}

// BenchmarkAnalysisKeystroke measures one keystroke on the analysis
// screen through Update and View, on each table: the tables are computed
// once when opened, so a keystroke only draws what is on screen, however
// long the transcripts.
func BenchmarkAnalysisKeystroke(b *testing.B) {
	for _, lines := range []int{200, 20000} {
		s := benchStore(b, lines)
		for _, tab := range []string{"1", "2", "3"} {
			b.Run(fmt.Sprintf("lines=%d/tab=%s", lines, tab), func(b *testing.B) {
				var tm tea.Model = benchModel(b, s, 120, 40)
				for _, k := range []string{"A", tab} {
					var cmd tea.Cmd
					tm, cmd = tm.Update(runes(k))
					tm = settle(tm, cmd)
				}
				if mm := tm.(Model); !mm.analysis.Visible() || mm.analysis.busy {
					b.Fatal("the analysis did not open")
				}
				keys := []tea.KeyMsg{runes("j"), runes("l"), runes("j"), runes("k"), runes("h"), runes("k")}
				samples := make([]time.Duration, 0, b.N)
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					t0 := time.Now()
					tm, _ = tm.Update(keys[i%len(keys)])
					tm.View()
					samples = append(samples, time.Since(t0))
				}
				p95(b, samples)
			})
		}
	}
}
