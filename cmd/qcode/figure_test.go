package main

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// figureGoldens are the demo project's example figures, one of each kind:
// the files in testdata/figures/ are the bytes 'qcode figure' writes
// (go test -run TestFigureGolden -update rewrites them), and they are the
// README's examples.
var figureGoldens = []struct {
	file string
	args []string
	// want are labels the figure must show.
	want []string
}{
	{"frequencies.svg", []string{"figure", "frequencies", "--subcodes"}, []string{"Fear of repression", "Reasons for leaving", "Mobilization", "Codings"}},
	{"matrix-wave.svg", []string{"figure", "matrix", "--cols", "attr:wave", "--percent", "col"}, []string{"February", "September", "% of column"}},
	{"cooc.svg", []string{"figure", "cooc", "--within", "sentence"}, []string{"Sentences", "Language learning"}},
	{"agreement.svg", []string{"figure", "agreement"}, []string{"0.667", "0.8", "Krippendorff's α (unit: characters)"}},
	{"matrix-gray.svg", []string{"figure", "matrix", "--measure", "documents", "--gray", "--width", "12"}, []string{"R01", "Documents"}},
}

// TestFigureGolden draws each example figure of a freshly built demo
// project (new GUIDs each time) with the real command and wants the same
// bytes as the golden file, a private file, and the labels present.
func TestFigureGolden(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo.qcode")
	mustQC(t, "", "demo", dir, "--no-tui")
	outDir := t.TempDir()
	for _, g := range figureGoldens {
		t.Run(g.file, func(t *testing.T) {
			out := filepath.Join(outDir, g.file)
			said := mustQC(t, dir, append(g.args, "-o", out)...)
			if !strings.Contains(said, "Wrote the ") || !strings.Contains(said, out) {
				t.Errorf("the command said %q, want it to name %s", said, out)
			}
			got, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if st, err := os.Stat(out); err != nil || st.Mode().Perm() != 0o600 {
				t.Errorf("%s: mode %v (%v), want 0600", out, st.Mode().Perm(), err)
			}
			for _, w := range g.want {
				if !bytes.Contains(got, []byte(">"+escapeXML(w)+"</text>")) {
					t.Errorf("%s shows no label %q", g.file, w)
				}
			}
			path := filepath.Join("testdata", "figures", g.file)
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s (run with -update if the change is meant)", out, path)
			}
		})
	}
}

func escapeXML(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "'", "&#39;", `"`, "&#34;").Replace(s)
}

// TestFigureFormats writes each format and checks what the file is: an
// SVG document, a PDF, a PNG of the width and resolution asked for; and
// standard output with --format.
func TestFigureFormats(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo.qcode")
	mustQC(t, "", "demo", dir, "--no-tui")
	out := t.TempDir()
	cases := []struct {
		name  string
		args  []string
		check func(t *testing.T, data []byte)
	}{
		{"f.svg", []string{"figure", "frequencies"}, func(t *testing.T, b []byte) {
			if !bytes.HasPrefix(b, []byte("<?xml")) || !bytes.Contains(b, []byte("<svg")) {
				t.Errorf("not an SVG: %.80q", b)
			}
		}},
		{"f.pdf", []string{"figure", "cooc", "--jaccard"}, func(t *testing.T, b []byte) {
			if !bytes.HasPrefix(b, []byte("%PDF-")) || !bytes.Contains(b, []byte("%%EOF")) {
				t.Errorf("not a PDF: %.80q", b)
			}
		}},
		{"f.png", []string{"figure", "matrix", "--width", "10", "--dpi", "150"}, func(t *testing.T, b []byte) {
			img, err := png.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("not a PNG: %v", err)
			}
			// 10 cm at 150 dpi.
			if w := img.Bounds().Dx(); w < 589 || w > 592 {
				t.Errorf("the PNG is %d pixels wide, want 591 (10 cm at 150 dpi)", w)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(out, c.name)
			mustQC(t, dir, append(c.args, "-o", path)...)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			c.check(t, data)
		})
	}
	stdout := mustQC(t, dir, "figure", "agreement", "-o", "-", "--format", "svg")
	if !strings.HasPrefix(stdout, "<?xml") || !strings.Contains(stdout, "Krippendorff") {
		t.Errorf("-o - --format svg printed %.80q, want the SVG", stdout)
	}
}

// TestFigureErrors wants a clear error, a non-zero exit and no file for
// each bad request.
func TestFigureErrors(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo.qcode")
	mustQC(t, "", "demo", dir, "--no-tui")
	out := t.TempDir()
	file := filepath.Join(out, "f.svg")
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"unknown kind", []string{"figure", "pie", "-o", file}, `unknown kind "pie"`},
		{"no output", []string{"figure", "matrix"}, "-o FILE.svg"},
		{"bad extension", []string{"figure", "matrix", "-o", filepath.Join(out, "f.gif")}, "must end in .svg, .pdf or .png"},
		{"stdout without format", []string{"figure", "matrix", "-o", "-"}, "give --format"},
		{"inside the project", []string{"figure", "matrix", "-o", filepath.Join(dir, "f.svg")}, "inside the project folder"},
		{"missing folder", []string{"figure", "matrix", "-o", filepath.Join(out, "no", "f.svg")}, "does not exist"},
		{"flag of another kind", []string{"figure", "frequencies", "--within", "turn", "-o", file}, "--within is for cooc"},
		{"bad measure", []string{"figure", "matrix", "--measure", "words", "-o", file}, `measure "words" for a matrix`},
		{"bad width", []string{"figure", "matrix", "--width", "1", "-o", file}, "width 1 cm"},
		{"bad code", []string{"figure", "cooc", "--code", "No such theme", "-o", file}, `"No such theme"`},
		{"bad attribute filter", []string{"figure", "matrix", "--attr", "wave", "-o", file}, "KEY=VALUE"},
		{"unknown attribute", []string{"figure", "matrix", "--cols", "attr:height", "-o", file}, `"height"`},
		{"agreement with --coder", []string{"--coder", "nino", "figure", "agreement", "-o", file}, "--coders, not --coder"},
		{"unknown coder", []string{"--coder", "nobody", "figure", "matrix", "-o", file}, "no such coder"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			msg, _, _ := wantErr(t, dir, c.args...)
			if !strings.Contains(msg, c.want) {
				t.Errorf("error %q, want it to say %q", msg, c.want)
			}
			if _, err := os.Stat(file); err == nil {
				t.Errorf("a failed command left %s", file)
			}
		})
	}
	entries, _ := os.ReadDir(out)
	if len(entries) != 0 {
		t.Errorf("failed commands left files: %v", entries)
	}
}

// TestFigureFilters wants --coder, --code and --attr to change what the
// figure counts, as they change the tables.
func TestFigureFilters(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo.qcode")
	mustQC(t, "", "demo", dir, "--no-tui")
	out := t.TempDir()
	svg := func(args ...string) string {
		t.Helper()
		path := filepath.Join(out, "f.svg")
		mustQC(t, dir, append(args, "-o", path)...)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	all := svg("figure", "frequencies")
	nino := svg("--coder", "nino", "figure", "frequencies")
	if all == nino {
		t.Errorf("--coder nino drew the same figure as every coder's codings")
	}
	if !strings.Contains(nino, "Only coder nino.") {
		t.Errorf("the figure of nino's codings does not say so")
	}
	sub := svg("figure", "matrix", "--code", "Reasons for leaving")
	for _, w := range []string{">Reasons for leaving/Mobilization</text>", ">Reasons for leaving/Moral protest</text>"} {
		if !strings.Contains(sub, w) {
			t.Errorf("--code Reasons for leaving lacks its sub-code %s", w)
		}
	}
	if strings.Contains(sub, ">Fear of repression</text>") {
		t.Errorf("--code Reasons for leaving still shows Fear of repression")
	}
	feb := svg("figure", "matrix", "--attr", "wave=February")
	if strings.Count(feb, ">R0") >= strings.Count(svg("figure", "matrix"), ">R0") {
		t.Errorf("--attr wave=February kept every document")
	}
	// Every kind takes --attr, as the tables do.
	for _, kind := range []string{"frequencies", "cooc", "agreement"} {
		if got := svg("figure", kind, "--attr", "lang=ru"); got == svg("figure", kind) || !strings.Contains(got, "lang=ru") {
			t.Errorf("figure %s --attr lang=ru drew the figure of every document, or does not say it is filtered", kind)
		}
	}
}
