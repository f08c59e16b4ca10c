package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/qcode-dev/qcode/coding"
)

// refiShared holds the REFI-QDA schemas and sample exports.
var refiShared = filepath.Join(sharedDir(), "refi-qda")

// xmllintCodebook validates a .qdc file against Codebook.xsd, or skips
// saying why it cannot.
func xmllintCodebook(t *testing.T, path string) {
	t.Helper()
	xsd := filepath.Join(refiShared, "Codebook.xsd")
	if _, err := os.Stat(xsd); err != nil {
		t.Skipf("no schema to validate against: %v", err)
	}
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Skip("xmllint is not installed (Debian: libxml2-utils); cannot validate the .qdc")
	}
	if out, err := exec.Command(xmllint, "--noout", "--schema", xsd, path).CombinedOutput(); err != nil {
		t.Errorf("xmllint --schema Codebook.xsd %s: %v\n%s", path, err, out)
	}
}

// demoProject builds the demo project in a temporary folder.
func demoProject(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "demo.qcode")
	mustQC(t, "", "demo", dir, "--no-tui")
	return dir
}

// storeSnapshot reads a whole project, to compare before and after.
func storeSnapshot(t *testing.T, dir string) *coding.Snapshot {
	t.Helper()
	s, err := coding.Open(context.Background(), dir, coding.Options{Coder: "reader"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	snap, err := s.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

var guidPattern = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|Q-[0-9A-Z]{8}`)

// scrubGUIDs replaces the GUIDs, which the demo draws at random, by
// 00000000-0000-4000-8000-00000000000N in order of first appearance, and
// the quote ids derived from them by Q-0000000N.
func scrubGUIDs(s string) string {
	seen := map[string]string{}
	return guidPattern.ReplaceAllStringFunc(s, func(g string) string {
		if strings.HasPrefix(g, "Q-") {
			r, ok := seen[g]
			if !ok {
				r = fmt.Sprintf("Q-%08d", len(seen)+1)
				seen[g] = r
			}
			return r
		}
		r, ok := seen[g]
		if !ok {
			r = fmt.Sprintf("00000000-0000-4000-8000-%012d", len(seen)+1)
			seen[g] = r
		}
		return r
	})
}

// goldenFile compares got with the file at path; -update rewrites it.
func goldenFile(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to write it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run with -update after checking it):\n%s", path, got)
	}
}

// TestExportCodebookFormats writes the demo codebook in each format and
// compares it with the golden file (GUIDs scrubbed); a second export
// gives the same bytes.
func TestExportCodebookFormats(t *testing.T) {
	t.Parallel()
	dir := demoProject(t)
	for _, format := range []string{"md", "csv", "json", "qdc"} {
		t.Run(format, func(t *testing.T) {
			out := mustQC(t, dir, "export", "codebook", "--format", format, "--examples", "2")
			if again := mustQC(t, dir, "export", "codebook", "--format", format, "--examples", "2"); again != out {
				t.Errorf("a second export differs")
			}
			goldenFile(t, filepath.Join("testdata", "codebook", "demo."+format), scrubGUIDs(out))
		})
	}
}

// TestExportCodebookCounts checks the counts of the exports against the
// demo, counted in coding/demo/codings_*.yaml (each demo document has
// its own participant, so participants equal documents there; see
// coding/analysis_test.go for participants with several interviews).
func TestExportCodebookCounts(t *testing.T) {
	t.Parallel()
	dir := demoProject(t)
	rows, err := csv.NewReader(strings.NewReader(mustQC(t, dir, "export", "codebook", "--format", "csv"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"path", "name", "guid", "color", "description", "codings", "documents", "participants"}; !reflect.DeepEqual(rows[0], want) {
		t.Errorf("header %q, want %q", rows[0], want)
	}
	if len(rows) != 20 {
		t.Errorf("%d rows, want a header and 19 codes", len(rows))
	}
	counts := map[string][3]string{}
	for _, r := range rows[1:] {
		counts[r[0]] = [3]string{r[5], r[6], r[7]}
	}
	for path, want := range map[string][3]string{
		"Fear of repression":                {"9", "5", "5"},
		"Discrimination":                    {"0", "0", "0"},
		"Reasons for leaving/Mobilization":  {"4", "2", "2"},
		"Contact with those who stayed":     {"3", "3", "3"},
		"Political talk with relatives":     {"4", "3", "3"},
		"Reasons for leaving/Moral protest": {"6", "3", "3"},
		"Discrimination/Experienced":        {"4", "3", "3"},
		"Trust":                             {"1", "1", "1"},
	} {
		if counts[path] != want {
			t.Errorf("%s: codings, documents, participants = %v, want %v", path, counts[path], want)
		}
	}

	// One coder's codings only (pavel's, counted in the same files).
	rows, err = csv.NewReader(strings.NewReader(mustQC(t, dir, "--coder", "pavel", "export", "codebook", "--format", "csv"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	counts = map[string][3]string{}
	for _, r := range rows[1:] {
		counts[r[0]] = [3]string{r[5], r[6], r[7]}
	}
	for path, want := range map[string][3]string{
		"Fear of repression":               {"6", "5", "5"},
		"Reasons for leaving/Mobilization": {"2", "2", "2"},
		"Donations":                        {"4", "4", "4"},
		"Trust":                            {"0", "0", "0"},
	} {
		if counts[path] != want {
			t.Errorf("--coder pavel: %s: codings, documents, participants = %v, want %v", path, counts[path], want)
		}
	}
	if msg, _, _ := wantErr(t, dir, "--coder", "nobody", "export", "codebook"); !strings.Contains(msg, "no such coder") {
		t.Errorf("export codebook --coder nobody: %q, want it to say there is no such coder", msg)
	}

	var js struct {
		Codes []struct {
			Path     string `json:"path"`
			Examples []struct {
				ID, Text, Attribution, Document string
				Line                            int
			} `json:"examples"`
		} `json:"codes"`
	}
	qcJSON(t, dir, &js, "export", "codebook", "--format", "json", "--examples", "3")
	for _, c := range js.Codes {
		if len(c.Examples) > 3 {
			t.Errorf("%s: %d examples, want at most 3", c.Path, len(c.Examples))
		}
		for _, e := range c.Examples {
			if e.Text == "" || e.Document == "" || e.Line == 0 || e.Attribution == "" || !strings.HasPrefix(e.ID, "Q-") {
				t.Errorf("%s: example %+v lacks its text, document, line, attribution or quote id", c.Path, e)
			}
			if len(strings.Fields(e.Text)) > exampleWords+1 {
				t.Errorf("%s: example of %d words, want at most %d and an ellipsis", c.Path, len(strings.Fields(e.Text)), exampleWords)
			}
		}
	}
}

// TestExportCodebookFile writes the .qdc to a file: valid against the
// schema, private, the same bytes on every export.
func TestExportCodebookFile(t *testing.T) {
	t.Parallel()
	dir := demoProject(t)
	out := filepath.Join(t.TempDir(), "codebook.qdc")
	_, errOut, err := qc(t, dir, "export", "codebook", "-o", out)
	if err != nil || !strings.Contains(errOut, "Wrote "+out) {
		t.Fatalf("export codebook -o = %v, stderr %q", err, errOut)
	}
	st, err := os.Stat(out)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("%s: %v, mode %v; want a private file", out, err, st.Mode())
	}
	first, _ := os.ReadFile(out)
	if !bytes.HasPrefix(first, []byte(`<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="qcode">`)) {
		t.Errorf("the format was not taken from the .qdc extension:\n%.200s", first)
	}
	xmllintCodebook(t, out)
	mustQC(t, dir, "export", "codebook", "-o", out)
	if again, _ := os.ReadFile(out); !bytes.Equal(first, again) {
		t.Errorf("a second export differs")
	}
}

// TestImportCodebookRoundTrip exports the demo codebook, imports it into
// a new project (a dry run first, which changes nothing) and exports it
// again: the same bytes.
func TestImportCodebookRoundTrip(t *testing.T) {
	t.Parallel()
	dir := demoProject(t)
	qdc := filepath.Join(t.TempDir(), "demo.qdc")
	mustQC(t, dir, "export", "codebook", "-o", qdc)

	other := filepath.Join(t.TempDir(), "other.qcode")
	mustQC(t, "", "init", other)
	// An empty codebook has no .qdc (the standard wants a code), but an
	// appendix.
	if msg, _, _ := wantErr(t, other, "export", "codebook", "--format", "qdc"); !strings.Contains(msg, "the codebook is empty") {
		t.Errorf("export codebook of no codes: %q, want it to say the codebook is empty", msg)
	}
	if out := mustQC(t, other, "export", "codebook", "--format", "csv"); out != "path,name,guid,color,description,codings,documents,participants\n" {
		t.Errorf("csv of no codes = %q, want the header only", out)
	}
	before := storeSnapshot(t, other)
	out := mustQC(t, other, "import-codebook", qdc, "--dry-run")
	if !strings.Contains(out, "Dry run") || !strings.Contains(out, "19 added, 0 matched by GUID, 0 matched by path, 0 filled, 0 conflicts") {
		t.Errorf("import-codebook --dry-run printed:\n%s", out)
	}
	if after := storeSnapshot(t, other); !reflect.DeepEqual(before, after) {
		t.Errorf("a dry run changed the project")
	}
	out = mustQC(t, other, "import-codebook", qdc)
	if !strings.Contains(out, "19 added") || !strings.Contains(out, "  Reasons for leaving/Mobilization\n") || strings.Contains(out, "Warnings") {
		t.Errorf("import-codebook printed:\n%s", out)
	}
	second := filepath.Join(t.TempDir(), "again.qdc")
	mustQC(t, other, "export", "codebook", "-o", second)
	a, _ := os.ReadFile(qdc)
	b, _ := os.ReadFile(second)
	if !bytes.Equal(a, b) {
		t.Errorf("export → import → export changed the file:\n%s", b)
	}

	// Imported again, everything is matched by GUID; in JSON.
	var res struct {
		DryRun  bool                   `json:"dry_run"`
		Changes coding.CodebookChanges `json:"changes"`
	}
	qcJSON(t, other, &res, "import-codebook", qdc, "--json")
	if len(res.Changes.ByGUID) != 19 || len(res.Changes.Added) != 0 || res.DryRun {
		t.Errorf("second import: %+v, want 19 matched by GUID", res)
	}
	// And one undo takes the first import back: the second changed nothing.
	mustQC(t, other, "undo")
	if after := storeSnapshot(t, other); len(after.Codes) != 0 {
		t.Errorf("after undo the project has %d codes, want none", len(after.Codes))
	}
}

// TestImportCodebookDeviations imports a codebook from a producer that
// strays from the standard, and one with conflicts.
func TestImportCodebookDeviations(t *testing.T) {
	t.Parallel()
	dir := demoProject(t)
	file := filepath.Join("..", "..", "coding", "refiqda", "testdata", "deviations", "atlas-braces-bom.qdc")
	out := mustQC(t, dir, "import-codebook", file)
	for _, want := range []string{
		"3 added, 0 matched by GUID, 0 matched by path, 0 filled, 0 conflicts",
		"Warnings (8):",
		file + `:4: code "Identity": GUID "{A1B2C3D4-E5F6-4711-8899-AABBCCDDEEFF}" read as a1b2c3d4-e5f6-4711-8899-aabbccddeeff`,
		file + `:9: 1 set not imported: qcode has no sets of codes`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("import-codebook output lacks %q:\n%s", want, out)
		}
	}

	// A codebook that renames, moves and redescribes demo codes.
	cs := codes(t, dir)
	guid := map[string]string{}
	for _, c := range cs {
		guid[c.Path] = c.GUID
	}
	qdc := fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0">
  <Codes>
    <Code guid="%s" name="Fear" isCodable="true"/>
    <Code guid="%s" name="Trust" isCodable="true">
      <Description>Whom they trust.</Description>
      <Code guid="%s" name="Donations" isCodable="true"/>
    </Code>
    <Code guid="B0000000-0000-4000-8000-000000000001" name="identity loss" isCodable="true" color="rgb(1,2,3)"/>
  </Codes>
</CodeBook>
`, guid["Fear of repression"], guid["Trust"], guid["Donations"])
	path := filepath.Join(t.TempDir(), "team.qdc")
	if err := os.WriteFile(path, []byte(qdc), 0o600); err != nil {
		t.Fatal(err)
	}
	before := storeSnapshot(t, dir)
	out = mustQC(t, dir, "import-codebook", path)
	for _, want := range []string{
		"0 added, 3 matched by GUID, 1 matched by path, 0 filled, 4 conflicts",
		`Fear of repression: called "Fear" there`,
		`Trust: description "Whom the participant trusts (media, nei…" here, "Whom they trust." there`,
		`Donations: under Trust there`,
		`Identity loss: colour "#F28E2B" here, "#010203" there`,
		path + `:9: code "identity loss": colour "rgb(1,2,3)" is not #RRGGBB; read as #010203`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("import-codebook output lacks %q:\n%s", want, out)
		}
	}
	if after := storeSnapshot(t, dir); !reflect.DeepEqual(before, after) {
		t.Errorf("an import with only conflicts changed the project")
	}
}

// TestImportCodebookControlNames imports a codebook whose code names
// hold characters a terminal acts on or that reverse the text around
// them: they are removed, with a warning for each code, so the names
// show in 'qcode codes' as they read.
func TestImportCodebookControlNames(t *testing.T) {
	t.Parallel()
	dir := newProject(t)
	qdc := `<?xml version="1.0" encoding="UTF-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0">
  <Codes>
    <Code guid="C0000000-0000-4000-8000-000000000001" name="Fear` + "\u009b" + `2J of repression" isCodable="true">
      <Code guid="C0000000-0000-4000-8000-000000000002" name="` + "\u202e" + `tsetorp" isCodable="true"/>
    </Code>
    <Code guid="C0000000-0000-4000-8000-000000000003" name="` + "\u2067" + `עבודה` + "\u2069" + ` abroad" isCodable="true"/>
  </Codes>
</CodeBook>
`
	path := filepath.Join(t.TempDir(), "team.qdc")
	if err := os.WriteFile(path, []byte(qdc), 0o600); err != nil {
		t.Fatal(err)
	}
	out := mustQC(t, dir, "import-codebook", path)
	for _, want := range []string{
		"3 added",
		path + `:4: code "Fear2J of repression": name "Fear\u009b2J of repression" read as "Fear2J of repression": control characters (U+009B) removed`,
		path + `:5: code "Fear2J of repression/tsetorp": name "\u202etsetorp" read as "tsetorp": control characters (U+202E) removed`,
		path + `:7: code "עבודה abroad": name "\u2067עבודה\u2069 abroad" read as "עבודה abroad": control characters (U+2067 U+2069) removed`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("import-codebook output lacks %q:\n%s", want, out)
		}
	}
	var got []string
	for _, c := range codes(t, dir) {
		got = append(got, c.Path)
	}
	want := []string{"Fear2J of repression", "Fear2J of repression/tsetorp", "עבודה abroad"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("codes after import = %q, want %q", got, want)
	}
}

// TestImportCodebookSamples imports the codebooks of the two real sample
// exports: qc's, then NVivo's round trip of it, which kept the GUIDs.
func TestImportCodebookSamples(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "samples.qcode")
	mustQC(t, "", "init", dir)
	for _, tt := range []struct{ sample, want string }{
		{"qc1.3.2_demo.qdpx", "262 added, 0 matched by GUID, 0 matched by path, 0 filled, 0 conflicts"},
		{"nvivo15.0-mac_nvivo_project.qdpx", "0 added, 262 matched by GUID, 0 matched by path, 0 filled, 0 conflicts"},
	} {
		zr, err := zip.OpenReader(filepath.Join(refiShared, "samples", tt.sample))
		if err != nil {
			t.Skipf("sample %s: %v", tt.sample, err)
		}
		qde := filepath.Join(t.TempDir(), "project.qde")
		for _, f := range zr.File {
			if f.Name == "project.qde" {
				rc, _ := f.Open()
				data, err := io.ReadAll(rc)
				rc.Close()
				if err != nil {
					t.Fatal(err)
				}
				os.WriteFile(qde, data, 0o600)
			}
		}
		zr.Close()
		out := mustQC(t, dir, "import-codebook", qde)
		if !strings.Contains(out, tt.want) || !strings.Contains(out, "… and 242 more") && strings.HasPrefix(tt.want, "262") {
			t.Errorf("import-codebook %s printed:\n%s\nwant %q", tt.sample, out, tt.want)
		}
	}
	if cs := codes(t, dir); len(cs) != 262 {
		t.Errorf("the project has %d codes, want 262", len(cs))
	}
}

// TestImportCodebookRefuses checks that a file qcode cannot read gives an
// error naming it and leaves the project as it was.
func TestImportCodebookRefuses(t *testing.T) {
	t.Parallel()
	dir := demoProject(t)
	before, files := storeSnapshot(t, dir), snapshot(t, dir)
	bad, err := filepath.Glob(filepath.Join("..", "..", "coding", "refiqda", "testdata", "bad", "*.qdc"))
	if err != nil || len(bad) < 10 {
		t.Fatalf("bad codebooks: %v, %d files", err, len(bad))
	}
	bad = append(bad, filepath.Join(t.TempDir(), "missing.qdc"))
	for _, file := range bad {
		msg, _, _ := wantErr(t, dir, "import-codebook", file)
		if !strings.Contains(msg, file) {
			t.Errorf("import-codebook %s: error %q does not name the file", file, msg)
		}
	}
	// Files of the wrong kind are named for what they are.
	for _, tc := range []struct{ file, want string }{
		{t.TempDir(), "a folder, not a codebook file"},
		{testdata(t, "bad", "bomb.docx"), "a zip archive (a .qdpx project, a Word file...), not XML"},
		{filepath.Join(refiTestdata, "atlas.qdpx"), "'qcode import-project' or 'qcode merge' reads a .qdpx"},
	} {
		msg, _, _ := wantErr(t, dir, "import-codebook", tc.file)
		if !strings.Contains(msg, tc.file) || !strings.Contains(msg, tc.want) {
			t.Errorf("import-codebook %s: error %q; want the file and %q", tc.file, msg, tc.want)
		}
	}
	if after := storeSnapshot(t, dir); !reflect.DeepEqual(before, after) {
		t.Errorf("refused imports changed the project")
	}
	if after := snapshot(t, dir); !reflect.DeepEqual(files, after) {
		t.Errorf("refused imports changed the project's files")
	}
}

func TestShorten(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text string
		max  int
		want string
	}{
		{"We left\nin March.", 5, "We left in March."},
		{"one two three four five six", 3, "one two three …"},
		{"Мы уехали, потому что, иначе нельзя", 3, "Мы уехали, потому …"},
		{"first, second, third", 2, "first, second …"},
	}
	for _, tt := range tests {
		if got := shorten(tt.text, tt.max); got != tt.want {
			t.Errorf("shorten(%q, %d) = %q, want %q", tt.text, tt.max, got, tt.want)
		}
	}
}
