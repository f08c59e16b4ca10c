package tui

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	quotefmt "github.com/qcode-dev/qcode/coding/quotes"
)

// TestExportQuotes presses e in the retrieved quotes: the file in
// exports/ is private and holds what 'qcode quotes' writes, the Markdown
// of coding/quotes, for exactly the quotes shown.
func TestExportQuotes(t *testing.T) {
	s := demoStore(t, "ann")
	d := newDriver(t, s, 120, 40)
	d.keys("tab")
	for i := 0; i < 20; i++ {
		if c, _ := d.m.codebook.Selected(); c.Path == "Fear of repression" {
			break
		}
		d.keys("j")
	}
	d.keys("r")
	shown := d.m.retrieve.shown
	if len(shown) < 2 {
		t.Fatalf("want at least two quotes to export:\n%s", d.view())
	}
	d.keys("e")
	path := filepath.Join(s.Dir(), "exports", "quotes-Fear_of_repression.md")
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the export wrote no file: %v\n%s", err, d.view())
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("%s has mode %v (%v), want 0600", path, st.Mode().Perm(), err)
	}
	tree, err := s.CodeTree(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := quotefmt.Markdown(&want, shown, quotefmt.Options{Codes: tree}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Errorf("exported file differs from coding/quotes' Markdown:\n--- got\n%s\n--- want\n%s", got, want.Bytes())
	}
	for _, q := range shown {
		if !strings.Contains(string(got), quotefmt.MarkdownEscape(strings.Fields(q.Text)[0])) {
			t.Errorf("the export lacks the quote %q", q.Text)
		}
	}
	d.wantView(fmt.Sprintf("exported %d quotes", len(shown)))
}
