package main

import (
	"bytes"
	"context"
	"html"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// reportFile runs 'qcode report -o FILE' with args on the project and
// returns the file's content and what the command wrote on stderr.
func reportFile(t *testing.T, dir string, args ...string) (string, string) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "report.html")
	out, errOut, err := qcAs(t, dir, "", append([]string{"report", "-o", file}, args...)...)
	if err != nil {
		t.Fatalf("report %q = %v; stderr:\n%s", args, err, errOut)
	}
	if out != "" {
		t.Errorf("report printed on stdout: %q", out)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("the report is %v, want 0600 (it holds interview data)", st.Mode().Perm())
	}
	return string(b), errOut
}

// TestReportDemo writes the demo project's report: the same bytes each
// time (kept in testdata/report/demo.html, quote ids scrubbed, without
// figures), the sections and counts of the demo, and the project
// untouched.
func TestReportDemo(t *testing.T) {
	t.Parallel()
	dir := demoProject(t)
	before := storeSnapshot(t, dir)
	got, stderr := reportFile(t, dir, "--figures=false")
	if !strings.Contains(stderr, "report.html: 7 documents, 19 codes, 65 codings.") {
		t.Errorf("stderr = %q, want what was written", stderr)
	}
	again, _ := reportFile(t, dir, "--figures=false")
	if again != got {
		t.Error("two reports of the same project differ")
	}
	goldenFile(t, filepath.Join("testdata", "report", "demo.html"), scrubGUIDs(got))
	if after := storeSnapshot(t, dir); !reflect.DeepEqual(before, after) {
		t.Error("writing the report changed the project")
	}

	// With figures: one per table and one of agreement, each drawn.
	withFigures, _ := reportFile(t, dir)
	figures := withFigures[strings.Index(withFigures, `<section id="figures">`):]
	figures = figures[:strings.Index(figures, "</section>")]
	ids := regexp.MustCompile(`<figure id="([a-z0-9-]+)">`).FindAllStringSubmatch(figures, -1)
	var names []string
	for _, m := range ids {
		names = append(names, m[1])
	}
	// gender, wave and lang group the demo's seven participants.
	want := "figure-frequencies figure-documents figure-by-1 figure-by-2 figure-by-3 figure-cooc figure-agreement"
	if strings.Join(names, " ") != want {
		t.Errorf("figures %v, want %s", names, want)
	}
	if n := strings.Count(figures, "<svg"); n != 7 {
		t.Errorf("%d SVG figures, want 7", n)
	}
	for _, label := range []string{"Fear of repression", "R07", "September", "Krippendorff"} {
		if !strings.Contains(figures, label) {
			t.Errorf("the figures do not draw %q", label)
		}
	}
}

// TestReportCounts checks the demo's numbers where the report shows
// them, against what 'qcode coders' and the codebook say.
func TestReportCounts(t *testing.T) {
	t.Parallel()
	dir := demoProject(t)
	got, _ := reportFile(t, dir, "--figures=false", "--examples", "1")
	for _, want := range []string{
		"<dt>Documents</dt><dd>7</dd>", "<dt>Participants</dt><dd>7</dd>", "<dt>Coders</dt><dd>2</dd>",
		"<dt>Codes</dt><dd>19</dd>", "<dt>Codings</dt><dd>65</dd>",
		`<th scope="row">nino</th><td class="n">33</td>`, `<th scope="row">pavel</th><td class="n">32</td>`,
		"9 codings · 5 documents · 5 participants", // Fear of repression
		"Agreement of nino and pavel, by character, on 7 documents",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	// One example for each of the 17 codes with codings.
	if n := strings.Count(got, `<figure class="quote">`); n != 17 {
		t.Errorf("%d examples, want 17", n)
	}
	one, _ := reportFile(t, dir, "--figures=false", "--examples", "0", "--by", "wave")
	if strings.Contains(one, `id="quotes"`) || strings.Contains(one, `id="matrix-gender"`) || !strings.Contains(one, `id="matrix-wave"`) {
		t.Error("--examples 0 --by wave: want no quotes and a table by wave only")
	}
	nino, _ := reportFile(t, dir, "--figures=false", "--coder", "nino")
	if !strings.Contains(nino, "<dt>Codings</dt><dd>33</dd>") || strings.Contains(nino, "coded by pavel") ||
		!strings.Contains(nino, "This report counts nino&#39;s codings only") {
		t.Error("--coder nino: want nino's 33 codings, no quote of pavel's and no agreement")
	}
}

// TestReportOutput checks where the report goes: report.html in the
// working directory by default, standard output with -o -, and over a
// file already there.
func TestReportOutput(t *testing.T) {
	dir := demoProject(t)
	work := t.TempDir()
	t.Chdir(work)
	_, stderr, err := qc(t, dir, "report", "--figures=false")
	if err != nil {
		t.Fatal(stderr)
	}
	first, err := os.ReadFile(filepath.Join(work, "report.html"))
	if err != nil {
		t.Fatalf("no report.html in the working directory: %v", err)
	}
	if err := os.WriteFile("old.html", []byte("an older report"), 0o644); err != nil {
		t.Fatal(err)
	}
	mustQC(t, dir, "report", "--figures=false", "-o", "old.html")
	replaced, _ := os.ReadFile("old.html")
	st, _ := os.Stat("old.html")
	if !bytes.Equal(replaced, first) || st.Mode().Perm() != 0o600 {
		t.Errorf("an existing file: want it replaced by the report, 0600 (mode %v)", st.Mode().Perm())
	}
	out := mustQC(t, dir, "report", "--figures=false", "-o", "-")
	if out != string(first) {
		t.Error("-o - does not print the report")
	}
}

// TestReportErrors refuses bad flags and outputs with a clear error,
// writing nothing and changing nothing.
func TestReportErrors(t *testing.T) {
	t.Parallel()
	dir := demoProject(t)
	before := storeSnapshot(t, dir)
	out := t.TempDir()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"negative examples", []string{"--examples", "-1"}, "--examples -1"},
		{"negative words", []string{"--max-words", "-2"}, "--max-words -2"},
		{"inside the project", []string{"-o", filepath.Join(dir, "r.html")}, "inside the project folder"},
		{"no such folder", []string{"-o", filepath.Join(out, "nowhere", "r.html")}, "does not exist"},
		{"a folder", []string{"-o", out}, "is a folder"},
		{"unknown coder", []string{"--coder", "zoe"}, "--coder zoe: no such coder"},
		{"unknown attribute", []string{"--by", "colour"}, `no document has the attribute "colour"`},
		{"open stdout", []string{"-o", "-", "--open"}, "--open needs a file"},
		{"key alone", []string{"--key", filepath.Join(out, "k.json")}, "add --pseudonymise"},
		{"bad recipient", []string{"--encrypt-to", "nobody"}, "not an age public key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"report"}, tt.args...)
			if !slices.Contains(tt.args, "-o") {
				args = append(args, "-o", filepath.Join(out, "r.html"))
			}
			_, _, err := qc(t, dir, args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("report %q = %v, want an error saying %q", tt.args, err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "report: ") && !strings.HasPrefix(err.Error(), "--coder") {
				t.Errorf("error %q does not say it is the report's", err)
			}
		})
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("a refused report left %d files behind", len(entries))
	}
	if after := storeSnapshot(t, dir); !reflect.DeepEqual(before, after) {
		t.Error("a refused report changed the project")
	}
}

// TestReportOpen opens the report with the system's opener when there
// is one (here a script in a folder of PATH that notes what it was
// given), and says how to open it when there is none.
func TestReportOpen(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("the opener is a shell script")
	}
	dir := demoProject(t)
	bin := t.TempDir()
	opened := filepath.Join(t.TempDir(), "opened")
	name := "xdg-open"
	if runtime.GOOS == "darwin" {
		name = "open"
	}
	script := "#!/bin/sh\nprintf '%s' \"$1\" > '" + opened + "'\n"
	if err := os.WriteFile(filepath.Join(bin, name), []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "r.html")
	run := func(path string) (string, error) {
		getenv := func(k string) string {
			if k == "PATH" {
				return path
			}
			return os.Getenv(k)
		}
		var stdout, stderr bytes.Buffer
		err := runEnv(context.Background(), []string{"-p", dir, "report", "--figures=false", "-o", file, "--open"}, getenv, strings.NewReader(""), &stdout, &stderr)
		return stderr.String(), err
	}
	if stderr, err := run(bin); err != nil {
		t.Fatalf("report --open = %v; stderr:\n%s", err, stderr)
	}
	got, err := os.ReadFile(opened)
	if err != nil || string(got) != file {
		t.Errorf("the opener was given %q (%v), want %q", got, err, file)
	}
	stderr, err := run(t.TempDir())
	if err != nil || !strings.Contains(stderr, "No program to open it with here") || !strings.Contains(stderr, file) {
		t.Errorf("report --open without an opener = %v, stderr %q; want a note naming the file", err, stderr)
	}
}

// TestReportPseudonymise writes the report of the pseudonymised test
// project with --pseudonymise: no real value of the key anywhere a
// reader reads (text, attributes, figures), though the same report
// without it has them.
func TestReportPseudonymise(t *testing.T) {
	t.Parallel()
	dir, keyFile := pxProject(t)
	readable := func(page string) []byte {
		// What a reader reads: the text with tags taken out and
		// entities decoded, and the attributes' values; the fonts
		// embedded in the figures are data, not text.
		page = regexp.MustCompile(`data:[^)"']*`).ReplaceAllString(page, "data:")
		text := html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(page, " "))
		return []byte(text + "\n" + html.UnescapeString(page))
	}
	plain, _ := reportFile(t, dir)
	if leaks := pxLeaks(t, "report.html", readable(plain)); len(leaks) == 0 {
		t.Fatal("the report without --pseudonymise holds no real value: the test proves nothing")
	}
	pseudo, _ := reportFile(t, dir, "--pseudonymise", "--key", keyFile)
	if leaks := pxLeaks(t, "report.html", readable(pseudo)); len(leaks) > 0 {
		t.Errorf("the pseudonymised report holds real values:\n%s", strings.Join(leaks, "\n"))
	}
	for _, want := range []string{"[Participant 1]", "[город]"} {
		if !strings.Contains(pseudo, html.EscapeString(want)) {
			t.Errorf("the pseudonymised report lacks %q", want)
		}
	}
}
