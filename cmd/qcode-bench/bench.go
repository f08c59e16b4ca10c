package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"time"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/index"
	"github.com/qcode-dev/qcode/transcripts/synth"
)

// config is what the flags set.
type config struct {
	Words, Docs, Queries, Codings int
	Seed                          int64
	Dir, Qcode, Profile           string
	Keep, JSON, Quiet             bool
	Whole, Ripgrep, FTS           bool
	Workbench                     bool
	// Log receives progress lines; nil for none.
	Log io.Writer
}

func defaultConfig() config {
	return config{Words: 1_000_000, Docs: 200, Queries: 200, Seed: 1, Whole: true, Ripgrep: true, FTS: true, Workbench: true}
}

// env is one benchmark run: its folders, the open project and index, and
// the queries every engine is given.
type env struct {
	cfg                   config
	dir, corpus, project  string
	ftsPath               string
	tempDir               bool
	names                 []string
	words                 int
	store                 *coding.Store
	ix                    *index.Index
	queries               map[string][]query
	vocabs                map[string]*vocab
	rep                   *Report
	importTime, indexTime time.Duration
}

// newEnv makes the benchmark folder: a temporary one, or cfg.Dir, in
// which the corpus, project and FTS5 database must not exist yet.
func newEnv(cfg config) (*env, error) {
	if cfg.Codings == 0 {
		cfg.Codings = 100 * cfg.Docs
	}
	e := &env{cfg: cfg, rep: &Report{Machine: thisMachine()}}
	if cfg.Dir == "" {
		d, err := os.MkdirTemp("", "qcode-bench-")
		if err != nil {
			return nil, err
		}
		e.dir, e.tempDir = d, true
	} else {
		if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
			return nil, err
		}
		e.dir = cfg.Dir
	}
	e.corpus = filepath.Join(e.dir, "corpus")
	e.project = filepath.Join(e.dir, "bench.qcode")
	e.ftsPath = filepath.Join(e.dir, "fts5.db")
	for _, p := range []string{e.corpus, e.project, e.ftsPath} {
		if _, err := os.Stat(p); err == nil {
			return nil, fmt.Errorf("%s exists: remove it or choose another -dir", p)
		}
	}
	return e, nil
}

func (e *env) logf(format string, args ...any) {
	if e.cfg.Log != nil {
		fmt.Fprintf(e.cfg.Log, "%s  "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
	}
}

// close closes the project and removes what the run wrote, unless asked
// to keep it.
func (e *env) close() {
	if e.ix != nil {
		e.ix.Close()
		e.ix = nil
	}
	if e.store != nil {
		e.store.Close()
		e.store = nil
	}
	if e.cfg.Keep {
		e.rep.Dir = e.dir
		// The queries, so that a kept project can be searched again
		// with exactly the same ones.
		if raw, err := json.MarshalIndent(e.queries, "", " "); err == nil {
			os.WriteFile(filepath.Join(e.dir, "queries.json"), raw, 0o600)
		}
		return
	}
	if e.tempDir {
		os.RemoveAll(e.dir)
		return
	}
	for _, p := range []string{e.corpus, e.project, e.ftsPath, e.ftsPath + "-wal", e.ftsPath + "-shm", filepath.Join(e.dir, "qcode"), filepath.Join(e.dir, "queries.json")} {
		os.RemoveAll(p)
	}
}

// generate writes the corpus and chooses the queries from its text.
func (e *env) generate() error {
	e.logf("generating %d words in %d transcripts", e.cfg.Words, e.cfg.Docs)
	t0 := time.Now()
	files, err := synth.Write(e.corpus, synth.Options{Docs: e.cfg.Docs, Words: e.cfg.Words, Seed: e.cfg.Seed})
	if err != nil {
		return err
	}
	c := &e.rep.Corpus
	c.GenerateSeconds = time.Since(t0).Seconds()
	c.Docs, c.Seed = len(files), e.cfg.Seed
	for _, f := range files {
		c.Words += f.Words
		c.Bytes += int64(len(f.Data))
		if f.Lang == "ru" {
			c.RussianDocs++
		}
		e.names = append(e.names, f.Name)
	}
	e.words = c.Words
	e.queries, e.vocabs = pickQueries(files, e.cfg.Queries, e.cfg.Seed)
	// The generator holds the whole corpus in memory; free it so that
	// the peaks measured later are qcode's.
	files = nil
	freshPeak()
	return nil
}

// load creates the project, imports the corpus (timed) and codes it
// (timed apart).
func (e *env) load(ctx context.Context) error {
	s, err := coding.Create(ctx, e.project, coding.Options{Coder: "bench"})
	if err != nil {
		return err
	}
	e.store = s
	e.rep.RSS.Reset = freshPeak()
	e.logf("importing %d files", len(e.names))
	t0 := time.Now()
	ids, err := importCorpus(ctx, s, e.corpus, e.names)
	if err != nil {
		return err
	}
	e.importTime = time.Since(t0)
	e.rep.Import = phase{Seconds: e.importTime.Seconds(), WordsPerSec: float64(e.words) / e.importTime.Seconds()}
	e.rep.RSS.ImportMB = peakRSS()

	e.logf("coding: %d codings over %d documents", e.cfg.Codings, len(ids))
	t0 = time.Now()
	paths, err := addCodebook(ctx, s)
	if err != nil {
		return err
	}
	n, filtered, err := tagCorpus(ctx, s, ids, paths, e.cfg.Codings, e.cfg.Queries, e.vocabs, e.cfg.Seed)
	if err != nil {
		return err
	}
	e.queries[kindFiltered] = filtered
	e.rep.Tagging = tagging{Codes: len(paths), Codings: n, Seconds: time.Since(t0).Seconds()}
	return nil
}

// buildIndex builds the bleve index (timed), waits for scorch's
// background merges to settle and measures the folder. The build runs
// as a user's does, in a qcode process of its own ('qcode reindex',
// whose peak resident set is the one reported), unless -profile asks
// for its profile or no qcode binary is at hand: then in this process,
// with everything the benchmark holds (the corpus among it) counted.
func (e *env) buildIndex(ctx context.Context) error {
	e.rep.RSS.Reset = freshPeak() && e.rep.RSS.Reset
	e.logf("indexing")
	bin := ""
	if e.cfg.Profile == "" {
		bin, _ = e.qcodeBinary(ctx)
	}
	var ix *index.Index
	var st index.Status
	if bin != "" {
		cmd := exec.CommandContext(ctx, bin, "-p", e.project, "reindex")
		peak, err := underHelper(cmd)
		if err != nil {
			return err
		}
		t0 := time.Now()
		out, err := cmd.CombinedOutput()
		e.indexTime = time.Since(t0)
		if err != nil {
			return fmt.Errorf("%s reindex: %v: %s", bin, err, out)
		}
		e.rep.RSS.IndexMB = float64(peak()) / 1024
		e.rep.RSS.IndexChild = bin + " reindex"
		if ix, st, err = index.Open(ctx, e.store, index.Options{}); err != nil {
			return err
		}
		st.Updated = e.rep.Corpus.Docs
	} else {
		stop, err := e.cpuProfile("index.cpu.pprof")
		if err != nil {
			return err
		}
		sampler := sampleRSS()
		t0 := time.Now()
		ix, st, err = index.Open(ctx, e.store, index.Options{})
		e.indexTime = time.Since(t0)
		stop()
		e.rep.RSS.IndexAnonMB, e.rep.RSS.IndexFileMB = sampler.end()
		if err != nil {
			return err
		}
		e.rep.RSS.IndexMB = peakRSS()
	}
	e.ix = ix
	if err := e.writeProfile("index.allocs.pprof", "allocs"); err != nil {
		return err
	}
	dir := filepath.Join(e.project, index.Dir)
	r := &e.rep.Index
	r.Seconds = e.indexTime.Seconds()
	r.Documents = st.Updated
	r.WordsPerSec = float64(e.words) / e.indexTime.Seconds()
	r.CombinedWordsPerSec = float64(e.words) / (e.importTime + e.indexTime).Seconds()
	var err error
	if r.Bytes, r.Segments, err = dirSize(dir); err != nil {
		return err
	}
	e.logf("indexed in %.1f s; waiting for segment merges to settle", r.Seconds)
	wait, err := settle(ctx, dir, 5*time.Minute)
	if err != nil {
		return err
	}
	r.SettleSeconds = wait.Seconds()
	if r.SettledBytes, r.SettledSegments, err = dirSize(dir); err != nil {
		return err
	}
	raw := float64(e.rep.Corpus.Bytes)
	r.Ratio, r.SettledRatio = float64(r.Bytes)/raw, float64(r.SettledBytes)/raw
	if st, err := os.Stat(filepath.Join(e.project, coding.DBFile)); err == nil {
		e.rep.Store.Bytes = st.Size()
		e.rep.Store.Ratio = float64(st.Size()) / raw
	}
	return nil
}

// searchEngine times every query through index.Search, in document order
// and ranked.
func (e *env) searchEngine(ctx context.Context) error {
	freshPeak()
	stop, err := e.cpuProfile("search.cpu.pprof")
	if err != nil {
		return err
	}
	defer stop()
	sampler := sampleRSS()
	defer func() { e.rep.RSS.QueriesAnonMB, e.rep.RSS.QueriesFileMB = sampler.end() }()
	for _, k := range kinds {
		qs := e.queries[k]
		e.logf("engine: %d %s queries", len(qs), k)
		kr := e.rep.kind(k, qs)
		if kr.Engine, err = timeEngine(ctx, e.ix, qs, false); err != nil {
			return err
		}
		if kr.EngineRanked, err = timeEngine(ctx, e.ix, qs, true); err != nil {
			return err
		}
	}
	e.rep.RSS.QueriesMB = peakRSS()
	return nil
}

// workbench times every query typed into the workbench's search, in
// this process, on the workbench's own index.
func (e *env) workbench(ctx context.Context) error {
	for _, k := range kinds {
		qs := e.queries[k]
		e.logf("workbench: %d %s queries", len(qs), k)
		lat, err := timeWorkbench(ctx, e.store, qs)
		if err != nil {
			return err
		}
		e.rep.kind(k, qs).Workbench = lat
	}
	return nil
}

// qcodeBinary is the qcode binary -qcode names, or one built from this
// module into the bench folder, once.
func (e *env) qcodeBinary(ctx context.Context) (string, error) {
	if e.cfg.Qcode != "" {
		return e.cfg.Qcode, nil
	}
	bin := filepath.Join(e.dir, "qcode")
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	e.logf("building qcode")
	out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/qcode-dev/qcode/cmd/qcode").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("could not build qcode (%v: %s); pass -qcode BINARY", err, out)
	}
	return bin, nil
}

// whole times 'qcode search' for every query, with a binary built from
// this module unless -qcode names one. The bench closes its own index
// first: bleve lets one process at a time open it.
func (e *env) whole(ctx context.Context) error {
	w := &e.rep.Whole
	bin, err := e.qcodeBinary(ctx)
	if err != nil {
		w.Skipped = err.Error()
		return nil
	}
	w.Path = bin
	if !searchCommand(ctx, bin) {
		w.Skipped = "n/a (no search command yet)"
		return nil
	}
	var maxRSS int64
	for _, k := range kinds {
		qs := e.queries[k]
		e.logf("whole command: %d %s queries", len(qs), k)
		lat, rss, err := timeWhole(ctx, bin, e.project, qs, false)
		if err != nil {
			return err
		}
		e.rep.kind(k, qs).Whole = lat
		maxRSS = max(maxRSS, rss)
	}
	w.MaxRSSMB = float64(maxRSS) / 1024
	return nil
}

// fts builds the FTS5 database and times the queries on it.
func (e *env) fts(ctx context.Context) error {
	f := &e.rep.FTS5
	on, err := ftsCompiled(ctx)
	if err != nil || !on {
		f.Skipped = fmt.Sprintf("this SQLite has no FTS5 (%v)", err)
		return nil
	}
	f.Path = "modernc.org/sqlite (in-process), tokenize = 'unicode61 remove_diacritics 2'"
	freshPeak()
	e.logf("FTS5: building")
	db, b, err := buildFTS(ctx, e.ftsPath, e.store)
	if err != nil {
		return err
	}
	defer db.Close()
	f.BuildSeconds, f.OptimizeSeconds, f.Rows, f.Bytes = b.Build.Seconds(), b.Optimize.Seconds(), b.Rows, b.Bytes
	f.WordsPerSec = float64(e.words) / (b.Build + b.Optimize).Seconds()
	f.Ratio = float64(b.Bytes) / float64(e.rep.Corpus.Bytes)
	for _, k := range kinds {
		qs := e.queries[k]
		e.logf("FTS5: %d %s queries", len(qs), k)
		if e.rep.kind(k, qs).FTS5, err = timeFTS(ctx, db, qs); err != nil {
			return err
		}
	}
	f.PeakRSSMB = peakRSS()
	return nil
}

// ripgrep times rg over the raw files for every query.
func (e *env) ripgrep(ctx context.Context) error {
	r := &e.rep.Ripgrep
	rg, err := exec.LookPath("rg")
	if err != nil {
		r.Skipped = "ripgrep is not installed: apt-get install ripgrep"
		e.logf("%s", r.Skipped)
		return nil
	}
	r.Path, r.Version = rg, ripgrepVersion(rg)
	var maxRSS int64
	for _, k := range kinds {
		qs := e.queries[k]
		e.logf("ripgrep: %d %s queries", len(qs), k)
		lat, rss, err := timeRipgrep(ctx, rg, e.corpus, qs)
		if err != nil {
			return err
		}
		e.rep.kind(k, qs).Ripgrep = lat
		maxRSS = max(maxRSS, rss)
	}
	r.MaxRSSMB = float64(maxRSS) / 1024
	return nil
}

// cpuProfile starts a CPU profile into the profile folder, if there is
// one, and returns what stops it.
func (e *env) cpuProfile(name string) (func(), error) {
	if e.cfg.Profile == "" {
		return func() {}, nil
	}
	if err := os.MkdirAll(e.cfg.Profile, 0o755); err != nil {
		return nil, err
	}
	f, err := os.Create(filepath.Join(e.cfg.Profile, name))
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// writeProfile writes a named runtime profile into the profile folder.
func (e *env) writeProfile(name, profile string) error {
	if e.cfg.Profile == "" {
		return nil
	}
	f, err := os.Create(filepath.Join(e.cfg.Profile, name))
	if err != nil {
		return err
	}
	defer f.Close()
	return pprof.Lookup(profile).WriteTo(f, 0)
}

// bench runs every phase and judges the targets.
func bench(ctx context.Context, cfg config) (rep *Report, err error) {
	e, err := newEnv(cfg)
	if err != nil {
		return nil, err
	}
	defer e.close()
	e.rep.Config = e.cfg.public()
	if err := e.generate(); err != nil {
		return nil, err
	}
	if err := e.load(ctx); err != nil {
		return nil, err
	}
	if err := e.buildIndex(ctx); err != nil {
		return nil, err
	}
	if err := e.searchEngine(ctx); err != nil {
		return nil, err
	}
	if cfg.Workbench {
		if err := e.workbench(ctx); err != nil {
			return nil, err
		}
	}
	// From here on other processes open the index.
	if err := e.ix.Close(); err != nil {
		return nil, err
	}
	e.ix = nil
	if cfg.Whole {
		if err := e.whole(ctx); err != nil {
			return nil, err
		}
	} else {
		e.rep.Whole.Skipped = "not asked for (-whole=false)"
	}
	if cfg.FTS {
		if err := e.fts(ctx); err != nil {
			return nil, err
		}
	} else {
		e.rep.FTS5.Skipped = "not asked for (-fts5=false)"
	}
	if cfg.Ripgrep {
		if err := e.ripgrep(ctx); err != nil {
			return nil, err
		}
	} else {
		e.rep.Ripgrep.Skipped = "not asked for (-rg=false)"
	}
	if ctx.Err() != nil {
		return nil, errors.New("interrupted")
	}
	e.rep.judge()
	return e.rep, nil
}
