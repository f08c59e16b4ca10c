package coding

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestConcurrentImportsNoDuplicates imports the same folder from several
// handles on one project at once (as several qcode processes would),
// again and again: every file must become exactly one document, never a
// "new version" of its own identical bytes, and sources/ must hold one
// original per document.
func TestConcurrentImportsNoDuplicates(t *testing.T) {
	ctx := context.Background()
	const handles, files, trials = 4, 6, 5
	folder := filepath.Join(t.TempDir(), "interviews")
	var in []ImportFile
	for i := range files {
		name := fmt.Sprintf("int_%03d.txt", 100+i)
		text := strings.Repeat(fmt.Sprintf("I: Question %d?\nR: Answer number %d, at some length.\n", i, i), 20)
		in = append(in, ImportFile{Path: name, Data: []byte(text), Origin: filepath.Join(folder, name)})
	}
	for trial := range trials {
		dir := newProject(t, "anna").Dir()
		var stores []*Store
		for h := range handles {
			s, err := Open(ctx, dir, Options{Coder: fmt.Sprintf("coder%d", h)})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			stores = append(stores, s)
		}
		var wg sync.WaitGroup
		start := make(chan struct{})
		statuses := make([]map[string]int, handles)
		errs := make(chan error, handles*files)
		for h, s := range stores {
			statuses[h] = map[string]int{}
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				for _, f := range in {
					res, err := s.Import(ctx, f)
					if err != nil {
						errs <- fmt.Errorf("handle %d: %s: %w", h, f.Path, err)
						continue
					}
					statuses[h][res.Status]++
				}
			}()
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("trial %d: %v", trial, err)
		}
		total := map[string]int{}
		for _, st := range statuses {
			for k, n := range st {
				total[k] += n
			}
		}
		if total[Imported] != files || total[NewVersion] != 0 || total[Unchanged] != files*(handles-1) {
			t.Errorf("trial %d: outcomes %v; want %d imported, %d unchanged, no new version", trial, total, files, files*(handles-1))
		}
		docs, err := stores[0].Documents(ctx, true)
		if err != nil {
			t.Fatal(err)
		}
		if len(docs) != files {
			var names []string
			for _, d := range docs {
				names = append(names, fmt.Sprintf("%s v%d", d.Name, d.Version))
			}
			t.Errorf("trial %d: %d document versions %q; want %d, one per file", trial, len(docs), names, files)
		}
		entries, err := os.ReadDir(filepath.Join(dir, SourcesDir))
		if err != nil {
			t.Fatal(err)
		}
		var srcs []string
		for _, e := range entries {
			if !e.IsDir() {
				srcs = append(srcs, e.Name())
			}
		}
		if len(srcs) != files {
			t.Errorf("trial %d: sources/ holds %q; want %d originals", trial, srcs, files)
		}
	}
}
