package tui

import (
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAnalysisFigure presses F on each table of the analysis screen and
// wants an SVG in the project's exports/ folder (0700, the file 0600)
// showing the table's labels, and the status bar naming it.
func TestAnalysisFigure(t *testing.T) {
	s := demoStore(t, "ann")
	d := newDriver(t, s, 120, 40)
	exports := filepath.Join(s.Dir(), "exports")
	cases := []struct {
		name string
		keys []string
		file string
		want []string
	}{
		{"frequencies", []string{"A"}, "figure-frequencies-codings.svg", []string{"Fear of repression", "Experienced", "Codings"}},
		{"frequencies by documents with sub-codes", []string{"m", "s"}, "figure-frequencies-documents-subcodes.svg", []string{"Reasons for leaving", "Documents"}},
		{"codes × documents", []string{"2"}, "figure-matrix-codings.svg", []string{"R01", "R07", "Fear of repression"}},
		{"co-occurrence", []string{"3"}, "figure-cooc-overlap-pairs.svg", []string{"Pairs", "Fear of repression"}},
	}
	for _, c := range cases {
		d.keys(c.keys...)
		d.keys("F")
		path := filepath.Join(exports, c.file)
		d.wantView("figure written to")
		if !strings.Contains(d.m.status.Message(), path) {
			t.Errorf("%s: the status says %q, want it to name %s", c.name, d.m.status.Message(), path)
		}
		st, err := os.Stat(path)
		if err != nil {
			t.Fatalf("%s: F wrote no %s: %v\n%s", c.name, path, err, d.view())
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s: %s is %v, want 0600", c.name, path, st.Mode().Perm())
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		texts := svgTexts(t, data)
		for _, w := range c.want {
			if !texts[w] {
				t.Errorf("%s: the SVG has no text %q", c.name, w)
			}
		}
	}
	st, err := os.Stat(exports)
	if err != nil || st.Mode().Perm() != 0o700 {
		t.Errorf("exports/ is %v (%v), want a 0700 folder", st.Mode().Perm(), err)
	}
}

// svgTexts parses an SVG and returns its texts; it fails the test when
// the file is not well-formed XML with an svg root.
func svgTexts(t *testing.T, data []byte) map[string]bool {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(string(data)))
	texts := map[string]bool{}
	root := ""
	inText := false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("the figure is not valid XML: %v", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = e.Name.Local
			}
			inText = e.Name.Local == "text"
		case xml.CharData:
			if inText {
				texts[string(e)] = true
			}
		case xml.EndElement:
			inText = false
		}
	}
	if root != "svg" {
		t.Fatalf("the figure's root element is %q, want svg", root)
	}
	return texts
}
