package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestMain lets the test binary act as the benchmark's RSS helper, as
// the command does.
func TestMain(m *testing.M) {
	if out := os.Getenv(rssHelperEnv); out != "" {
		os.Exit(rssHelper(out, os.Args[1:]))
	}
	os.Exit(m.Run())
}

// TestRunSmall runs the whole pipeline on 20,000 words and checks that
// every figure is sane and that every query finds something in every
// engine: the queries are taken from the text, so each must match.
func TestRunSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a project and two indexes; skipped with -short")
	}
	cfg := defaultConfig()
	cfg.Words, cfg.Docs, cfg.Queries = 20_000, 10, 20
	cfg.Dir = t.TempDir()
	cfg.Whole = false // needs a go build of cmd/qcode; too slow here
	if _, err := exec.LookPath("rg"); err != nil {
		t.Log("ripgrep not installed (apt-get install ripgrep); skipping that part")
		cfg.Ripgrep = false
	}
	rep, err := bench(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Corpus.Words != cfg.Words || rep.Corpus.Docs != cfg.Docs || rep.Corpus.RussianDocs != cfg.Docs/5 {
		t.Errorf("corpus = %+v, want %d words in %d docs, %d Russian", rep.Corpus, cfg.Words, cfg.Docs, cfg.Docs/5)
	}
	for name, v := range map[string]float64{
		"import words/s":    rep.Import.WordsPerSec,
		"index words/s":     rep.Index.WordsPerSec,
		"combined words/s":  rep.Index.CombinedWordsPerSec,
		"index bytes":       float64(rep.Index.SettledBytes),
		"index ratio":       rep.Index.SettledRatio,
		"FTS5 rows":         float64(rep.FTS5.Rows),
		"FTS5 words/s":      rep.FTS5.WordsPerSec,
		"peak RSS of index": rep.RSS.IndexMB,
	} {
		if !(v > 0) {
			t.Errorf("%s = %v, want > 0", name, v)
		}
	}
	if rep.Tagging.Codes != 15 || rep.Tagging.Codings < 900 {
		t.Errorf("tagging = %+v, want 15 codes and about 1000 codings", rep.Tagging)
	}
	if len(rep.Queries) != len(kinds) {
		t.Fatalf("report has %d query types, want %d", len(rep.Queries), len(kinds))
	}
	for _, k := range rep.Queries {
		engines := map[string]*latency{"engine": k.Engine, "engine ranked": k.EngineRanked, "FTS5": k.FTS5, "workbench": k.Workbench}
		if cfg.Ripgrep {
			engines["ripgrep"] = k.Ripgrep
		}
		for name, l := range engines {
			switch {
			case l == nil:
				t.Errorf("%s %s: not measured", k.Kind, name)
			case l.N != cfg.Queries:
				t.Errorf("%s %s: %d queries timed, want %d", k.Kind, name, l.N, cfg.Queries)
			case l.ZeroHits > 0:
				t.Errorf("%s %s: %d queries found nothing", k.Kind, name, l.ZeroHits)
			case !(l.P50 > 0 && l.P95 >= l.P50 && l.Max >= l.P95):
				t.Errorf("%s %s: latencies %+v are not ordered", k.Kind, name, l)
			}
		}
	}
	if len(rep.Targets) < 10 {
		t.Errorf("%d targets judged, want every target", len(rep.Targets))
	}
	var md bytes.Buffer
	rep.writeMarkdown(&md)
	for _, want := range []string{"## Build", "## Search latency", "## Targets", "| filtered |", "workbench p95 after the debounce, filtered"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("Markdown report lacks %q:\n%s", want, md.String())
		}
	}
	var js bytes.Buffer
	if err := rep.writeJSON(&js); err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(js.Bytes(), &back); err != nil || len(back.Queries) != len(kinds) {
		t.Errorf("JSON report does not read back: %v", err)
	}
}

func TestQuerySyntax(t *testing.T) {
	tests := []struct {
		q                  query
		text, fts, rgLast  string
		cmdHasCode, rgHasF bool
	}{
		{query{Kind: kindTerm, Words: []string{"бабаба"}}, "бабаба", `"бабаба"`, "бабаба", false, true},
		{query{Kind: kindPhrase, Words: []string{"the", "war"}}, `"the war"`, `"the war"`, "the war", false, true},
		{query{Kind: kindPrefix, Words: []string{"mobi"}}, "mobi*", `"mobi" *`, `\bmobi\w*`, false, false},
		{query{Kind: kindTwoWord, Words: []string{"a", "b"}}, "a OR b", `"a" OR "b"`, "b", false, true},
		{query{Kind: kindFiltered, Words: []string{"fear"}, Code: "Safety", CodeIDs: []int64{1, 2}}, "fear", `"fear"`, "fear", true, true},
	}
	for _, tt := range tests {
		if got := tt.q.text(); got != tt.text {
			t.Errorf("%s text() = %q, want %q", tt.q.Kind, got, tt.text)
		}
		if got := tt.q.fts5(); got != tt.fts {
			t.Errorf("%s fts5() = %q, want %q", tt.q.Kind, got, tt.fts)
		}
		rg := tt.q.ripgrep()
		if got := rg[len(rg)-1]; got != tt.rgLast {
			t.Errorf("%s ripgrep() ends with %q, want %q", tt.q.Kind, got, tt.rgLast)
		}
		if got := strings.Contains(strings.Join(rg, " "), "--fixed-strings"); got != tt.rgHasF {
			t.Errorf("%s ripgrep() fixed strings = %v, want %v", tt.q.Kind, got, tt.rgHasF)
		}
		if got := strings.Contains(strings.Join(tt.q.command(false), " "), "--code Safety"); got != tt.cmdHasCode {
			t.Errorf("%s command() has --code = %v, want %v", tt.q.Kind, got, tt.cmdHasCode)
		}
		if got := strings.Contains(tt.q.ftsSQL(), "passage_codes WHERE code IN (1,2)"); got != tt.cmdHasCode {
			t.Errorf("%s ftsSQL() filters = %v, want %v", tt.q.Kind, got, tt.cmdHasCode)
		}
	}
}

func TestPercentile(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 200; i++ {
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	if got := percentile(d, 0.5); got != 100*time.Millisecond {
		t.Errorf("p50 of 1..200 ms = %v, want 100ms", got)
	}
	if got := percentile(d, 0.95); got != 190*time.Millisecond {
		t.Errorf("p95 of 1..200 ms = %v, want 190ms", got)
	}
	if got := percentile(d[:1], 0.95); got != time.Millisecond {
		t.Errorf("p95 of one = %v, want 1ms", got)
	}
}

// BenchmarkSearch times index.Search for each query type, in document
// order and ranked, on a 200,000-word project built with the same code
// as the command; it reports p50 and p95 besides ns/op.
func BenchmarkSearch(b *testing.B) {
	ctx := context.Background()
	cfg := defaultConfig()
	cfg.Words, cfg.Docs, cfg.Queries = 200_000, 40, 200
	cfg.Dir = b.TempDir()
	e, err := newEnv(cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer e.close()
	if err := e.generate(); err != nil {
		b.Fatal(err)
	}
	if err := e.load(ctx); err != nil {
		b.Fatal(err)
	}
	if err := e.buildIndex(ctx); err != nil {
		b.Fatal(err)
	}
	for _, k := range kinds {
		for _, rank := range []bool{false, true} {
			name := k + "/doc-order"
			if rank {
				name = k + "/ranked"
			}
			b.Run(name, func(b *testing.B) {
				qs := e.queries[k]
				var s series
				for i := 0; b.Loop(); i++ {
					t0 := time.Now()
					res, err := e.ix.Search(ctx, qs[i%len(qs)].engine(rank))
					if err != nil {
						b.Fatal(err)
					}
					s.add(time.Since(t0), int(res.Total))
				}
				l := s.summary()
				b.ReportMetric(l.P50, "p50-ms")
				b.ReportMetric(l.P95, "p95-ms")
			})
		}
	}
}
