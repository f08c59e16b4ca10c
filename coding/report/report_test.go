package report

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/coding/demo"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// demoStore builds the demo project in a temporary folder and opens it.
func demoStore(t *testing.T) *coding.Store {
	t.Helper()
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "demo.qcode")
	if err := demo.Build(ctx, dir); err != nil {
		t.Fatal(err)
	}
	s, err := coding.Open(ctx, dir, coding.Options{Coder: "reader"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// render builds and writes a report of s.
func render(t *testing.T, s *coding.Store, opt Options) string {
	t.Helper()
	r, err := Build(context.Background(), s, opt)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Write(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestScratch(t *testing.T) {
	s := demoStore(t)
	out := render(t, s, Options{Examples: 2, MaxWords: 60, Figures: Drawn{}})
	os.WriteFile("/tmp/qcb/report.html", []byte(out), 0o600)
}
