package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/qcode-dev/qcode/index"
)

// latency summarises one series of timed queries, in milliseconds.
type latency struct {
	N    int     `json:"n"`
	P50  float64 `json:"p50_ms"`
	P95  float64 `json:"p95_ms"`
	Mean float64 `json:"mean_ms"`
	Max  float64 `json:"max_ms"`
	// ZeroHits counts queries that found nothing; MeanHits is the mean
	// of what each engine counts (bleve: matching passages; ripgrep:
	// matching lines; FTS5: rows returned, at most the limit).
	ZeroHits int     `json:"zero_hit_queries"`
	MeanHits float64 `json:"mean_hits"`
}

// series collects the timings and hit counts of one run.
type series struct {
	d    []time.Duration
	hits []int
}

func (s *series) add(d time.Duration, hits int) {
	s.d = append(s.d, d)
	s.hits = append(s.hits, hits)
}

func (s *series) summary() *latency {
	n := len(s.d)
	if n == 0 {
		return &latency{}
	}
	d := append([]time.Duration(nil), s.d...)
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	ms := func(x time.Duration) float64 { return float64(x) / float64(time.Millisecond) }
	var sum time.Duration
	for _, x := range d {
		sum += x
	}
	l := &latency{N: n, P50: ms(percentile(d, 0.50)), P95: ms(percentile(d, 0.95)), Mean: ms(sum / time.Duration(n)), Max: ms(d[n-1])}
	total := 0
	for _, h := range s.hits {
		total += h
		if h == 0 {
			l.ZeroHits++
		}
	}
	l.MeanHits = float64(total) / float64(n)
	return l
}

// percentile is the nearest-rank percentile of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// warmups is how many queries of a series run untimed first, so that the
// first measured query does not pay for loading segments and caches.
const warmups = 10

// timeEngine runs the queries through index.Search, as the TUI and the
// search command do after opening the index.
func timeEngine(ctx context.Context, ix *index.Index, qs []query, rank bool) (*latency, error) {
	for _, q := range qs[:min(warmups, len(qs))] {
		if _, err := ix.Search(ctx, q.engine(rank)); err != nil {
			return nil, fmt.Errorf("search %s: %w", q.text(), err)
		}
	}
	var s series
	for _, q := range qs {
		t0 := time.Now()
		res, err := ix.Search(ctx, q.engine(rank))
		d := time.Since(t0)
		if err != nil {
			return nil, fmt.Errorf("search %s: %w", q.text(), err)
		}
		s.add(d, int(res.Total))
	}
	return s.summary(), nil
}

// timeProcs runs one process per query, as made by mk, after a few
// untimed runs, and returns the latencies, the hit counts as hits reads
// them from stdout, and the largest resident set in kB of the untimed
// runs, which go through rssHelper (see there why). ok decides which exit
// errors are answers rather than failures.
func timeProcs(ctx context.Context, qs []query, mk func(q query) *exec.Cmd, ok func(error) bool, hits func(out []byte) int) (*latency, int64, error) {
	var maxRSS int64
	run := func(q query, measureRSS bool) (time.Duration, int, error) {
		cmd := mk(q)
		var rss func() int64
		if measureRSS {
			var err error
			if rss, err = underHelper(cmd); err != nil {
				return 0, 0, err
			}
		}
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		t0 := time.Now()
		err := cmd.Run()
		d := time.Since(t0)
		if err != nil && !ok(err) {
			return 0, 0, fmt.Errorf("%s: %v: %s", strings.Join(cmd.Args, " "), err, strings.TrimSpace(errb.String()))
		}
		if rss != nil {
			maxRSS = max(maxRSS, rss())
		}
		return d, hits(out.Bytes()), nil
	}
	for _, q := range qs[:min(warmups, len(qs))] {
		if _, _, err := run(q, true); err != nil {
			return nil, 0, err
		}
	}
	var s series
	for _, q := range qs {
		d, h, err := run(q, false)
		if err != nil {
			return nil, 0, err
		}
		s.add(d, h)
	}
	return s.summary(), maxRSS, nil
}

// timeWhole runs each query as 'qcode -p PROJECT search ...': a new
// process that opens the store and the index, searches and prints.
func timeWhole(ctx context.Context, bin, project string, qs []query, rank bool) (*latency, int64, error) {
	mk := func(q query) *exec.Cmd {
		return exec.CommandContext(ctx, bin, append([]string{"-p", project}, q.command(rank)...)...)
	}
	hits := func(out []byte) int {
		if bytes.Contains(out, []byte("No passages found.")) {
			return 0
		}
		return 1
	}
	return timeProcs(ctx, qs, mk, func(error) bool { return false }, hits)
}

// searchCommand reports whether bin has a search subcommand.
func searchCommand(ctx context.Context, bin string) bool {
	out, err := exec.CommandContext(ctx, bin, "search", "--help").Output()
	return err == nil && bytes.Contains(out, []byte("qcode search"))
}

// timeRipgrep runs each query as one rg process over the corpus folder.
func timeRipgrep(ctx context.Context, rg, corpus string, qs []query) (*latency, int64, error) {
	mk := func(q query) *exec.Cmd {
		return exec.CommandContext(ctx, rg, append(q.ripgrep(), corpus)...)
	}
	noMatch := func(err error) bool {
		var ee *exec.ExitError
		return errors.As(err, &ee) && ee.ExitCode() == 1
	}
	return timeProcs(ctx, qs, mk, noMatch, countLines)
}

// countLines sums rg --count's "path:count" lines.
func countLines(out []byte) int {
	n := 0
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		if i := strings.LastIndexByte(line, ':'); i >= 0 {
			c, _ := strconv.Atoi(line[i+1:])
			n += c
		}
	}
	return n
}

// ripgrepVersion returns the first line of rg --version.
func ripgrepVersion(rg string) string {
	out, err := exec.Command(rg, "--version").Output()
	if err != nil {
		return ""
	}
	v, _, _ := strings.Cut(string(out), "\n")
	return v
}
