package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Report is everything one run measured.
type Report struct {
	Machine machine      `json:"machine"`
	Config  publicConfig `json:"config"`
	Corpus  corpusInfo   `json:"corpus"`
	Import  phase        `json:"import"`
	Tagging tagging      `json:"tagging"`
	Index   indexInfo    `json:"index"`
	Store   sizeInfo     `json:"store"`
	Queries []*kindStats `json:"queries"`
	Whole   toolInfo     `json:"whole_command"`
	Ripgrep toolInfo     `json:"ripgrep"`
	FTS5    ftsInfo      `json:"fts5"`
	RSS     rssInfo      `json:"rss"`
	Targets []target     `json:"targets"`
	// Dir is the benchmark folder, when kept.
	Dir string `json:"dir,omitempty"`
}

type publicConfig struct {
	Words   int   `json:"words"`
	Docs    int   `json:"docs"`
	Queries int   `json:"queries_per_type"`
	Codings int   `json:"codings"`
	Limit   int   `json:"limit"`
	Seed    int64 `json:"seed"`
}

func (c config) public() publicConfig {
	return publicConfig{Words: c.Words, Docs: c.Docs, Queries: c.Queries, Codings: c.Codings, Limit: resultLimit, Seed: c.Seed}
}

type corpusInfo struct {
	Words           int     `json:"words"`
	Docs            int     `json:"docs"`
	RussianDocs     int     `json:"russian_docs"`
	Bytes           int64   `json:"bytes"`
	Seed            int64   `json:"seed"`
	GenerateSeconds float64 `json:"generate_seconds"`
}

type phase struct {
	Seconds     float64 `json:"seconds"`
	WordsPerSec float64 `json:"words_per_sec"`
}

type tagging struct {
	Codes   int     `json:"codes"`
	Codings int     `json:"codings"`
	Seconds float64 `json:"seconds"`
}

type indexInfo struct {
	Seconds             float64 `json:"seconds"`
	Documents           int     `json:"documents"`
	WordsPerSec         float64 `json:"words_per_sec"`
	CombinedWordsPerSec float64 `json:"import_and_index_words_per_sec"`
	// Bytes and Segments are measured when index.Open returns;
	// Settled* once scorch's background merges have stopped.
	Bytes           int64   `json:"bytes"`
	Ratio           float64 `json:"ratio_to_raw"`
	Segments        int     `json:"segments"`
	SettleSeconds   float64 `json:"settle_seconds"`
	SettledBytes    int64   `json:"settled_bytes"`
	SettledRatio    float64 `json:"settled_ratio_to_raw"`
	SettledSegments int     `json:"settled_segments"`
}

type sizeInfo struct {
	Bytes int64   `json:"bytes"`
	Ratio float64 `json:"ratio_to_raw"`
}

// kindStats holds the latencies of one query type in every engine; nil
// where an engine was skipped.
type kindStats struct {
	Kind         string   `json:"kind"`
	Example      string   `json:"example"`
	Engine       *latency `json:"engine"`
	EngineRanked *latency `json:"engine_ranked"`
	Whole        *latency `json:"whole_command,omitempty"`
	Workbench    *latency `json:"workbench,omitempty"`
	Ripgrep      *latency `json:"ripgrep,omitempty"`
	FTS5         *latency `json:"fts5_ranked,omitempty"`
}

type toolInfo struct {
	Path     string  `json:"path,omitempty"`
	Version  string  `json:"version,omitempty"`
	Skipped  string  `json:"skipped,omitempty"`
	MaxRSSMB float64 `json:"max_rss_mb,omitempty"`
}

type ftsInfo struct {
	Path            string  `json:"path,omitempty"`
	Skipped         string  `json:"skipped,omitempty"`
	Rows            int     `json:"rows"`
	BuildSeconds    float64 `json:"build_seconds"`
	OptimizeSeconds float64 `json:"optimize_seconds"`
	WordsPerSec     float64 `json:"words_per_sec"`
	Bytes           int64   `json:"bytes"`
	Ratio           float64 `json:"ratio_to_raw"`
	PeakRSSMB       float64 `json:"peak_rss_mb"`
}

// rssInfo holds peak resident sets (VmHWM) of the bench process per
// phase; Reset says whether the peak could be restarted between phases
// (if not, each figure is the peak since the start).
type rssInfo struct {
	Reset     bool    `json:"reset_between_phases"`
	ImportMB  float64 `json:"import_mb"`
	IndexMB   float64 `json:"index_mb"`
	QueriesMB float64 `json:"queries_mb"`
	// The largest anonymous (Go heap, SQLite cache) and file-backed
	// (mmapped index segments, binary) parts seen, sampled every 50 ms.
	IndexAnonMB   float64 `json:"index_anon_mb"`
	IndexFileMB   float64 `json:"index_file_mb"`
	QueriesAnonMB float64 `json:"queries_anon_mb"`
	QueriesFileMB float64 `json:"queries_file_mb"`
	// IndexChild names the process that built the index when it was
	// not this one; IndexMB is then its peak.
	IndexChild string `json:"index_child,omitempty"`
}

// target is one of the goals and how this run fared.
type target struct {
	Name   string `json:"name"`
	Want   string `json:"want"`
	Got    string `json:"got"`
	Met    bool   `json:"met"`
	Margin string `json:"margin"`
	Judged bool   `json:"judged"`
}

// kind returns the stats of a query type, making them on first use.
func (r *Report) kind(k string, qs []query) *kindStats {
	for _, s := range r.Queries {
		if s.Kind == k {
			return s
		}
	}
	s := &kindStats{Kind: k}
	if len(qs) > 0 {
		s.Example = qs[0].text()
		if qs[0].Code != "" {
			s.Example += " --code " + qs[0].Code
		}
	}
	r.Queries = append(r.Queries, s)
	return s
}

// Targets of the issue, at 10M words on 2 cores.
const (
	targetIndexWPS    = 800_000
	targetEngineP95   = 10.0 // ms
	targetWholeP50    = 25.0 // ms
	targetWholeVsRG   = 2.0  // rg p50 / whole p50
	targetWorkbench   = 50.0 // ms after the debounce, p95
	targetVsRipgrep   = 20.0 // times faster at p50
	targetVsFTS5      = 0.5  // ranked p95 / FTS5 p95
	targetIndexRatio  = 2.5
	targetRSSMB       = 300.0
	targetCorpusWords = 10_000_000
)

// atLeast judges got ≥ want; atMost got ≤ want. The margin says by how
// much the target was met or missed.
func atLeast(name, want, got string, g, w float64) target {
	t := target{Name: name, Want: want, Got: got, Met: g >= w, Judged: true}
	if t.Met {
		t.Margin = fmt.Sprintf("met, %.2f× the target", g/w)
	} else {
		t.Margin = fmt.Sprintf("missed: %.0f%% of the target, needs %.2f×", 100*g/w, w/g)
	}
	return t
}

func atMost(name, want, got string, g, w float64) target {
	t := target{Name: name, Want: want, Got: got, Met: g <= w, Judged: true}
	if t.Met {
		t.Margin = fmt.Sprintf("met, %.0f%% of the limit", 100*g/w)
	} else {
		t.Margin = fmt.Sprintf("missed by %.0f%% (needs %.2f× less)", 100*(g/w-1), g/w)
	}
	return t
}

func skipped(name, want, why string) target {
	return target{Name: name, Want: want, Got: why, Margin: "not measured"}
}

// judge fills in the targets.
func (r *Report) judge() {
	r.Targets = nil
	add := func(t target) { r.Targets = append(r.Targets, t) }
	ix := r.Index
	add(atLeast("index throughput", "≥ 800k words/s", fmt.Sprintf("%.0fk words/s", ix.WordsPerSec/1000), ix.WordsPerSec, targetIndexWPS))
	add(atLeast("import + index throughput", "≥ 800k words/s", fmt.Sprintf("%.0fk words/s", ix.CombinedWordsPerSec/1000), ix.CombinedWordsPerSec, targetIndexWPS))
	for _, k := range r.Queries {
		worst := max(k.Engine.P95, k.EngineRanked.P95)
		add(atMost("engine p95, "+k.Kind, "≤ 10 ms (doc order and ranked)",
			fmt.Sprintf("%.2f / %.2f ms", k.Engine.P95, k.EngineRanked.P95), worst, targetEngineP95))
	}
	for _, k := range r.Queries {
		name := "vs ripgrep at p50, " + k.Kind
		if k.Kind == kindFiltered {
			name += " (rg: the term, unfiltered)"
		}
		if k.Ripgrep == nil {
			add(skipped(name, "≥ 20× faster", r.Ripgrep.Skipped))
			continue
		}
		x := k.Ripgrep.P50 / k.Engine.P50
		add(atLeast(name, "≥ 20× faster", fmt.Sprintf("%.1f× (rg %.2f ms, engine %.2f ms)", x, k.Ripgrep.P50, k.Engine.P50), x, targetVsRipgrep))
	}
	for _, k := range r.Queries {
		name := "ranked p95 vs FTS5, " + k.Kind
		if k.FTS5 == nil {
			add(skipped(name, "≤ 0.5× FTS5's", r.FTS5.Skipped))
			continue
		}
		x := k.EngineRanked.P95 / k.FTS5.P95
		add(atMost(name, "≤ 0.5× FTS5's", fmt.Sprintf("%.2f× (bleve %.2f ms, FTS5 %.2f ms)", x, k.EngineRanked.P95, k.FTS5.P95), x, targetVsFTS5))
	}
	for _, k := range r.Queries {
		name := "whole command p50, " + k.Kind
		if k.Whole == nil {
			add(skipped(name, "≤ 25 ms and ≥ 2× faster than rg", r.Whole.Skipped))
			continue
		}
		add(atMost(name, "≤ 25 ms", fmt.Sprintf("%.2f ms", k.Whole.P50), k.Whole.P50, targetWholeP50))
		if k.Ripgrep != nil {
			x := k.Ripgrep.P50 / k.Whole.P50
			add(atLeast("whole command vs ripgrep at p50, "+k.Kind, "≥ 2× faster", fmt.Sprintf("%.2f× (rg %.2f ms, qcode %.2f ms)", x, k.Ripgrep.P50, k.Whole.P50), x, targetWholeVsRG))
		}
	}
	for _, k := range r.Queries {
		name := "workbench p95 after the debounce, " + k.Kind
		if k.Workbench == nil {
			add(skipped(name, "≤ 50 ms", "not asked for (-workbench=false)"))
			continue
		}
		add(atMost(name, "≤ 50 ms", fmt.Sprintf("%.2f ms (p50 %.2f)", k.Workbench.P95, k.Workbench.P50), k.Workbench.P95, targetWorkbench))
	}
	add(atMost("index size", "≤ 2.5× raw text", fmt.Sprintf("%.2f× (%s of %s)", ix.SettledRatio, mb(ix.SettledBytes), mb(r.Corpus.Bytes)), ix.SettledRatio, targetIndexRatio))
	// The target is the index build's; the queries' figure (the same
	// process, holding what the build left and the index pages its
	// queries touched) is in the notes.
	who := "bench process"
	if r.RSS.IndexChild != "" {
		who = "qcode reindex"
	}
	add(atMost("peak RSS while indexing ("+who+")", "≤ 300 MB", fmt.Sprintf("%.0f MB", r.RSS.IndexMB), r.RSS.IndexMB, targetRSSMB))
	if r.Whole.Skipped != "" || r.Whole.MaxRSSMB == 0 {
		add(skipped("RSS, qcode search", "≤ 300 MB", r.Whole.Skipped))
	} else {
		add(atMost("RSS, qcode search", "≤ 300 MB", fmt.Sprintf("%.0f MB", r.Whole.MaxRSSMB), r.Whole.MaxRSSMB, targetRSSMB))
	}
}

func mb(b int64) string { return fmt.Sprintf("%.1f MB", float64(b)/(1<<20)) }

func (r *Report) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// writeMarkdown prints the report as Markdown tables.
func (r *Report) writeMarkdown(w io.Writer) {
	m, c := r.Machine, r.Corpus
	fmt.Fprintf(w, "# qcode-bench: %s words, %d transcripts\n\n", thousands(c.Words), c.Docs)
	fmt.Fprintf(w, "Machine: %d CPUs (GOMAXPROCS %d), %s, %d MB RAM, %s, %s, Linux %s\n\n",
		m.CPUs, m.GOMAXPROCS, m.CPU, m.MemoryMB, m.Go, m.OS, m.Kernel)
	fmt.Fprintf(w, "Corpus: %s words in %d transcripts (%d Russian), %s raw text, seed %d; %d codes, %s codings; %d queries of each type, limit %d.\n\n",
		thousands(c.Words), c.Docs, c.RussianDocs, mb(c.Bytes), c.Seed, r.Tagging.Codes, thousands(r.Tagging.Codings), r.Config.Queries, resultLimit)

	fmt.Fprintf(w, "## Build\n\n| phase | time | throughput | size | × raw |\n|---|---:|---:|---:|---:|\n")
	fmt.Fprintf(w, "| import (coding.Store.Import) | %.2f s | %s words/s | %s (project.db) | %.2f |\n",
		r.Import.Seconds, thousands(int(r.Import.WordsPerSec)), mb(r.Store.Bytes), r.Store.Ratio)
	fmt.Fprintf(w, "| coding (%s codings, Store.Tag) | %.2f s | | | |\n", thousands(r.Tagging.Codings), r.Tagging.Seconds)
	ix := r.Index
	builder := "index.Open"
	if r.RSS.IndexChild != "" {
		builder = "qcode reindex"
	}
	fmt.Fprintf(w, "| index (%s, %d docs) | %.2f s | %s words/s | %s, %d segments | %.2f |\n",
		builder, ix.Documents, ix.Seconds, thousands(int(ix.WordsPerSec)), mb(ix.Bytes), ix.Segments, ix.Ratio)
	fmt.Fprintf(w, "| index after merges settled | +%.1f s | | %s, %d segments | %.2f |\n",
		ix.SettleSeconds, mb(ix.SettledBytes), ix.SettledSegments, ix.SettledRatio)
	fmt.Fprintf(w, "| import + index | %.2f s | %s words/s | | |\n",
		r.Import.Seconds+ix.Seconds, thousands(int(ix.CombinedWordsPerSec)))
	if r.FTS5.Skipped == "" {
		f := r.FTS5
		fmt.Fprintf(w, "| FTS5 build (%s rows) + optimize | %.2f + %.2f s | %s words/s | %s | %.2f |\n",
			thousands(f.Rows), f.BuildSeconds, f.OptimizeSeconds, thousands(int(f.WordsPerSec)), mb(f.Bytes), f.Ratio)
	}
	fmt.Fprintln(w)

	fmt.Fprintf(w, "## Search latency, ms (p50 / p95)\n\n")
	fmt.Fprintf(w, "| query | example | engine | engine ranked | whole command | workbench | ripgrep | FTS5 ranked | rg p50 ÷ engine p50 | rg p50 ÷ whole p50 | engine ranked p95 ÷ FTS5 p95 |\n")
	fmt.Fprintf(w, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, k := range r.Queries {
		ratioRG, ratioWhole, ratioFTS := "–", "–", "–"
		if k.Ripgrep != nil {
			ratioRG = fmt.Sprintf("%.1f×", k.Ripgrep.P50/k.Engine.P50)
			if k.Whole != nil {
				ratioWhole = fmt.Sprintf("%.2f×", k.Ripgrep.P50/k.Whole.P50)
			}
		}
		if k.FTS5 != nil {
			ratioFTS = fmt.Sprintf("%.2f", k.EngineRanked.P95/k.FTS5.P95)
		}
		fmt.Fprintf(w, "| %s | `%s` | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", k.Kind, k.Example,
			pp(k.Engine), pp(k.EngineRanked), pp(k.Whole), pp(k.Workbench), pp(k.Ripgrep), pp(k.FTS5), ratioRG, ratioWhole, ratioFTS)
	}
	fmt.Fprintf(w, "\nEngine: index.Search, limit %d, in document order (default) or ranked. Whole command: `qcode -p PROJECT search QUERY --limit %d [--code C]`, a new process each time. Workbench: the query typed into the TUI's search (/) in-process (a code filter typed as `code:\"C\"`), timed from the debounce after the last key to the drawn screen with its results, on the index the workbench keeps open. ripgrep: `rg --count --ignore-case` (fixed strings; `\\bpre\\w*` for a prefix; the filtered query runs unfiltered). FTS5: `ORDER BY rank LIMIT %d`, with snippet() for the two-word query and a join on the passage codes for the filtered one.\n", resultLimit, resultLimit, resultLimit)
	fmt.Fprintf(w, "\nQueries with no hit, and mean hits (bleve: passages matched; rg: lines; FTS5: rows, ≤ %d):\n\n", resultLimit)
	fmt.Fprintf(w, "| query | engine | whole command | ripgrep | FTS5 |\n|---|---:|---:|---:|---:|\n")
	for _, k := range r.Queries {
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", k.Kind, hits(k.Engine), hits(k.Whole), hits(k.Ripgrep), hits(k.FTS5))
	}
	fmt.Fprintln(w)
	for _, t := range []struct {
		name string
		info toolInfo
	}{{"whole command", r.Whole}, {"ripgrep", r.Ripgrep}} {
		switch {
		case t.info.Skipped != "":
			fmt.Fprintf(w, "- %s: %s\n", t.name, t.info.Skipped)
		default:
			fmt.Fprintf(w, "- %s: %s %s, peak RSS %.0f MB\n", t.name, t.info.Path, t.info.Version, t.info.MaxRSSMB)
		}
	}
	if r.FTS5.Skipped != "" {
		fmt.Fprintf(w, "- FTS5: %s\n", r.FTS5.Skipped)
	} else {
		fmt.Fprintf(w, "- FTS5: %s, peak RSS of the bench process while building and querying it %.0f MB\n", r.FTS5.Path, r.FTS5.PeakRSSMB)
	}
	reset := "peak restarted before each phase"
	if !r.RSS.Reset {
		reset = "peak since the process started (could not restart it)"
	}
	if r.RSS.IndexChild != "" {
		fmt.Fprintf(w, "- index build: `%s`, a process of its own, peak RSS %.0f MB\n", r.RSS.IndexChild, r.RSS.IndexMB)
		fmt.Fprintf(w, "- bench process RSS (VmHWM, %s): import %.0f MB, queries %.0f MB (anonymous ≤ %.0f, file-backed ≤ %.0f)\n",
			reset, r.RSS.ImportMB, r.RSS.QueriesMB, r.RSS.QueriesAnonMB, r.RSS.QueriesFileMB)
	} else {
		fmt.Fprintf(w, "- bench process RSS (VmHWM, %s): import %.0f MB, index build %.0f MB (anonymous ≤ %.0f, file-backed ≤ %.0f), queries %.0f MB (anonymous ≤ %.0f, file-backed ≤ %.0f)\n",
			reset, r.RSS.ImportMB, r.RSS.IndexMB, r.RSS.IndexAnonMB, r.RSS.IndexFileMB, r.RSS.QueriesMB, r.RSS.QueriesAnonMB, r.RSS.QueriesFileMB)
	}
	fmt.Fprintf(w, "- child RSS is the peak of the first %d runs of each query type, started through a small helper (a child started directly by this process would inherit its high-water mark)\n\n", warmups)

	fmt.Fprintf(w, "## Targets (set for %s words on 2 cores)\n\n", thousands(targetCorpusWords))
	if c.Words < targetCorpusWords {
		fmt.Fprintf(w, "This run has %s words; the verdicts below are indicative only.\n\n", thousands(c.Words))
	}
	fmt.Fprintf(w, "| target | want | got | verdict |\n|---|---|---|---|\n")
	for _, t := range r.Targets {
		v := "❌ " + t.Margin
		switch {
		case !t.Judged:
			v = "– " + t.Margin
		case t.Met:
			v = "✅ " + t.Margin
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", t.Name, t.Want, t.Got, v)
	}
	if r.Dir != "" {
		fmt.Fprintf(w, "\nKept: %s\n", r.Dir)
	}
}

// pp prints p50 / p95.
func pp(l *latency) string {
	if l == nil {
		return "–"
	}
	return fmt.Sprintf("%.2f / %.2f", l.P50, l.P95)
}

func hits(l *latency) string {
	if l == nil {
		return "–"
	}
	return fmt.Sprintf("%d of %d none; mean %.1f", l.ZeroHits, l.N, l.MeanHits)
}

// thousands writes n with thin separators: 1,000,000.
func thousands(n int) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 && s[0] != '-' {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
