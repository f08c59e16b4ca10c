package index

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/coding/demo"
)

// demoProject builds the demo project in a temp dir and opens it.
func demoProject(t *testing.T) *coding.Store {
	t.Helper()
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "demo.qcode")
	if err := demo.Build(ctx, dir); err != nil {
		t.Fatal(err)
	}
	s, err := coding.Open(ctx, dir, coding.Options{Coder: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func openIndex(t *testing.T, s *coding.Store) *Index {
	t.Helper()
	ix, _, err := Open(context.Background(), s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

func TestSearchDemoScratch(t *testing.T) {
	s := demoProject(t)
	ix := openIndex(t, s)
	for _, q := range []string{"мобилизация", "donate", `"Upper Lars"`, "speaker:Katya", "ещё"} {
		res, err := ix.Search(context.Background(), Query{Text: q, Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d hits", q, res.Total)
		for _, h := range res.Hits {
			d, _ := s.Document(context.Background(), h.Document, true)
			t.Logf("  %s %d:%d %q | %s %v", h.Document, h.Start, h.End, coding.Slice(d.Text, h.Start, h.End), strings.TrimSpace(h.Fragment)[:min(60, len(h.Fragment))], h.Codes)
		}
	}
}
