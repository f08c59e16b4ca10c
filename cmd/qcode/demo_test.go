package main

import (
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
)

// TestDemo builds the demo project and checks that it has what the demo
// promises: seven described, fictional interviews in two languages, a
// described codebook, and two coders whose codings overlap, so that
// agreement has something to measure.
func TestDemo(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "demo.qcode")
	out := mustQC(t, "", "demo", dir, "--no-tui")
	if !strings.Contains(out, "Built the demo project") || !strings.Contains(out, dir) {
		t.Errorf("run(demo %s --no-tui) printed %q, want it to say it built the project there", dir, out)
	}

	ds := docs(t, dir)
	if len(ds) != 7 {
		t.Fatalf("the demo has %d documents, want 7", len(ds))
	}
	ru := 0
	for _, d := range ds {
		for _, key := range []string{"gender", "age", "occupation", "wave", "city"} {
			if a, ok := d.attr(key); !ok || a.Value == "" {
				t.Errorf("demo document %s has no %s", d.Name, key)
			}
		}
		if a, _ := d.attr("age"); a.Type != "integer" {
			t.Errorf("demo document %s: age is %+v, want an integer", d.Name, a)
		}
		if a, _ := d.attr("fictional"); a.Value != "true" || a.Type != "boolean" {
			t.Errorf("demo document %s: fictional = %+v, want boolean true", d.Name, a)
		}
		if d.Lang == "ru" {
			ru++
		}
	}
	if ru < 2 {
		t.Errorf("the demo has %d Russian documents, want at least 2", ru)
	}

	cs := codes(t, dir)
	if len(cs) < 15 {
		t.Errorf("the demo codebook has %d codes, want at least 15", len(cs))
	}
	total := 0
	for _, c := range cs {
		if strings.TrimSpace(c.Description) == "" {
			t.Errorf("demo code %s has no description", c.Path)
		}
		total += c.Codings
	}

	type coded struct {
		doc, code, coder string
		start, end       int
	}
	var all []coded
	coders := map[string]int{}
	for _, d := range ds {
		s := show(t, dir, d.Name)
		for _, c := range s.Codings {
			all = append(all, coded{d.Name, c.Code, c.Coder, c.Start, c.End})
			coders[c.Coder]++
			if c.Start < 0 || c.End > len([]rune(s.Text)) || c.Start >= c.End {
				t.Errorf("demo coding %+v is outside %s (0:%d)", c, d.Name, len([]rune(s.Text)))
			}
		}
	}
	if len(all) != total {
		t.Errorf("the documents hold %d codings, the codebook counts %d", len(all), total)
	}
	if len(all) < 50 || len(all) > 80 {
		t.Errorf("the demo has %d codings, want about 60 (50 to 80)", len(all))
	}
	var names []string
	for n := range coders {
		names = append(names, n)
	}
	sort.Strings(names)
	if !slices.Equal(names, []string{"nino", "pavel"}) {
		t.Errorf("demo coders = %v, want exactly nino and pavel", coders)
	}

	// Passages coded by both coders with the same code, overlapping.
	both := 0
	for i, a := range all {
		for _, b := range all[i+1:] {
			if a.doc == b.doc && a.code == b.code && a.coder != b.coder && a.start < b.end && b.start < a.end {
				both++
			}
		}
	}
	if both < 5 {
		t.Errorf("%d passages are coded by both coders with the same code, want at least 5", both)
	}

	t.Run("again", func(t *testing.T) {
		before := snapshot(t, dir)
		out := mustQC(t, "", "demo", dir, "--no-tui")
		if !strings.Contains(out, "existing demo") {
			t.Errorf("run(demo %s --no-tui) again printed %q, want it to reuse the existing demo", dir, out)
		}
		after := snapshot(t, dir)
		diffSnapshots(t, "demo again", before, after)
		if !reflect.DeepEqual(docs(t, dir), ds) {
			t.Errorf("docs --json changed (new GUIDs?) after running demo again")
		}
	})

	t.Run("not a demo", func(t *testing.T) {
		other := newProject(t)
		msg, _, _ := wantErr(t, "", "demo", other, "--no-tui", "--fresh")
		if !strings.Contains(msg, "not a demo") {
			t.Errorf("demo --fresh on a real project: error %q, want it to refuse", msg)
		}
		// The project is still there and opens.
		mustQC(t, other, "docs", "--json")
	})
}
