// Command qcode-bench measures qcode on a generated corpus, in one run and
// on the same files and queries: import and index throughput, the size of
// the index against the raw text, search latency (engine-only and through
// the qcode binary), and the same queries with ripgrep over the raw files
// and with SQLite FTS5 over the same passages. It prints a Markdown report
// (or JSON with -json) that says which of the project's targets were met.
//
//	go run ./cmd/qcode-bench -words 1000000 -docs 200
//	go run ./cmd/qcode-bench -words 10000000 -docs 2000 -json
//
// ripgrep comes from the distribution (apt-get install ripgrep); without
// it that part is skipped. FTS5 runs in-process through modernc.org/sqlite.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	if out := os.Getenv(rssHelperEnv); out != "" {
		os.Exit(rssHelper(out, os.Args[1:]))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	context.AfterFunc(ctx, stop)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "qcode-bench:", err)
		}
		os.Exit(1)
	}
}

// run parses the flags, runs the benchmark and prints the report.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg := defaultConfig()
	fs := flag.NewFlagSet("qcode-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&cfg.Words, "words", cfg.Words, "words in the generated corpus")
	fs.IntVar(&cfg.Docs, "docs", cfg.Docs, "transcripts in the generated corpus")
	fs.IntVar(&cfg.Queries, "queries", cfg.Queries, "queries of each type")
	fs.IntVar(&cfg.Codings, "codings", 0, "codings to add, spread over the documents (default: 100 per document)")
	fs.Int64Var(&cfg.Seed, "seed", cfg.Seed, "seed of the corpus and of the query choice")
	fs.StringVar(&cfg.Dir, "dir", "", "folder for the corpus, the project and the FTS5 database (default: a temporary folder)")
	fs.BoolVar(&cfg.Keep, "keep", false, "keep the folder at the end")
	fs.BoolVar(&cfg.JSON, "json", false, "print the report as JSON")
	fs.BoolVar(&cfg.Whole, "whole", cfg.Whole, "also time the whole command (qcode -p PROJECT search ...)")
	fs.StringVar(&cfg.Qcode, "qcode", "", "qcode binary for -whole (default: go build ./cmd/qcode into the bench folder)")
	fs.BoolVar(&cfg.Workbench, "workbench", cfg.Workbench, "also time a search typed into the workbench (in-process), from the debounce to the drawn results")
	fs.BoolVar(&cfg.Ripgrep, "rg", cfg.Ripgrep, "run the queries with ripgrep over the raw files")
	fs.BoolVar(&cfg.FTS, "fts5", cfg.FTS, "run the queries with SQLite FTS5 over the same passages")
	fs.StringVar(&cfg.Profile, "profile", "", "write CPU profiles of indexing and searching, and an allocation profile, into this folder")
	fs.BoolVar(&cfg.Quiet, "q", false, "no progress on stderr")
	render := fs.String("render", "", "print the Markdown report of a JSON report saved earlier, and do nothing else")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: qcode-bench [flags]\n\nGenerates a corpus, imports and indexes it, and times searches against\nripgrep and SQLite FTS5. ripgrep: apt-get install ripgrep.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if *render != "" {
		return renderReport(*render, stdout)
	}
	if cfg.Words <= 0 || cfg.Docs <= 0 || cfg.Queries <= 0 {
		return errors.New("-words, -docs and -queries must be positive")
	}
	if !cfg.Quiet {
		cfg.Log = stderr
	}
	rep, err := bench(ctx, cfg)
	if err != nil {
		return err
	}
	if cfg.JSON {
		return rep.writeJSON(stdout)
	}
	rep.writeMarkdown(stdout)
	return nil
}

// renderReport prints the Markdown of a saved JSON report.
func renderReport(path string, stdout io.Writer) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var rep Report
	if err := json.Unmarshal(data, &rep); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	rep.writeMarkdown(stdout)
	return nil
}
