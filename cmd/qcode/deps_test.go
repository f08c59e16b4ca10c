package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// module is this repository's module path.
const module = "github.com/qcode-dev/qcode"

// listedPackage is what the test reads of 'go list -json'.
type listedPackage struct {
	ImportPath   string
	Imports      []string
	TestImports  []string
	XTestImports []string
	Deps         []string
}

// TestDependencies keeps the layers of DESIGN.md apart: dependencies point
// one way, cmd → tui → index → coding → transcripts, and bleve stays
// behind index. It reads the import graph with 'go list -deps -json'.
func TestDependencies(t *testing.T) {
	t.Parallel()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool in PATH")
	}
	if testing.Short() {
		t.Skip("runs the go tool; skipped with -short")
	}
	cmd := exec.Command(goTool, "list", "-deps", "-json", module+"/...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps -json %s/...: %v\n%s", module, err, stderr.String())
	}
	ours := map[string]listedPackage{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listedPackage
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("go list output: %v", err)
		}
		if p.ImportPath == module || strings.HasPrefix(p.ImportPath, module+"/") {
			ours[p.ImportPath] = p
		}
	}
	// The layers must exist, or the rules below hold vacuously.
	for _, layer := range []string{"transcripts", "coding", "index", "tui", "cmd/qcode"} {
		if _, ok := ours[module+"/"+layer]; !ok {
			t.Fatalf("go list does not list %s/%s", module, layer)
		}
	}

	// in reports whether pkg is the layer or one of its sub-packages.
	in := func(pkg, layer string) bool {
		return pkg == layer || strings.HasPrefix(pkg, layer+"/")
	}
	ourLayer := func(layer string) func(string) bool {
		return func(dep string) bool { return in(dep, module+"/"+layer) }
	}
	prefix := func(p string) func(string) bool {
		return func(dep string) bool { return in(dep, p) }
	}
	// The Snowball stemmers are a library of their own, not the index:
	// the pseudonym matcher finds a name's case forms with the stemmer the
	// index uses for words.
	stemmer := prefix("github.com/blevesearch/snowballstem")
	bleve := func(dep string) bool { return prefix("github.com/blevesearch")(dep) && !stemmer(dep) }
	rules := []struct {
		layer  string // the layer (with its sub-packages) the rule is about
		why    string
		banned []func(string) bool
	}{
		{"transcripts", "transcripts is pure parsing: it imports none of our packages",
			[]func(string) bool{prefix(module)}},
		{"coding", "coding knows nothing of the index or the screen",
			[]func(string) bool{bleve, prefix("github.com/charmbracelet/lipgloss"), prefix("github.com/charmbracelet/bubbletea"),
				ourLayer("index"), ourLayer("tui"), ourLayer("cmd")}},
		{"index", "index reads the store and never the TUI",
			[]func(string) bool{ourLayer("tui"), ourLayer("cmd")}},
		{"tui", "tui never depends on the command line",
			[]func(string) bool{ourLayer("cmd")}},
	}
	for _, r := range rules {
		for path, p := range ours {
			if !in(path, module+"/"+r.layer) {
				continue
			}
			for _, dep := range p.Deps {
				// A layer may use its own sub-packages.
				if in(dep, module+"/"+r.layer) {
					continue
				}
				for _, ban := range r.banned {
					if ban(dep) {
						t.Errorf("%s depends on %s: %s", path, dep, r.why)
					}
				}
			}
		}
	}

	// Only index (and its sub-packages) may import bleve directly; the
	// others reach it, if at all, through index. Tests count too.
	for path, p := range ours {
		if in(path, module+"/index") {
			continue
		}
		imports := slices.Concat(p.Imports, p.TestImports, p.XTestImports)
		for _, imp := range imports {
			if bleve(imp) {
				t.Errorf("%s imports %s: only index may use bleve", path, imp)
			}
		}
	}
}
