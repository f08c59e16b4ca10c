package refiqda

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/qcode-dev/qcode/coding"
)

// shared is the folder of the REFI-QDA schemas and samples.
var shared = filepath.Join(sharedDir(), "refi-qda")

// validate checks a written codebook against Codebook.xsd with xmllint,
// or skips saying why it cannot.
func validate(t *testing.T, data []byte) {
	t.Helper()
	xsd := filepath.Join(shared, "Codebook.xsd")
	if _, err := os.Stat(xsd); err != nil {
		t.Skipf("no schema to validate against: %v", err)
	}
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Skip("xmllint is not installed (Debian: libxml2-utils); cannot validate the .qdc")
	}
	f := filepath.Join(t.TempDir(), "out.qdc")
	if err := os.WriteFile(f, data, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(xmllint, "--noout", "--schema", xsd, f).CombinedOutput()
	if err != nil {
		t.Errorf("xmllint --schema Codebook.xsd: %v\n%s", err, out)
	}
}

// freshProject makes an empty project with a fixed clock.
func freshProject(t *testing.T) *coding.Store {
	t.Helper()
	t0 := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	s, err := coding.Create(context.Background(), filepath.Join(t.TempDir(), "other.qcode"),
		coding.Options{Coder: "lena", Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from what was written:\n%s", path, got)
	}
}

// scrubGUIDs replaces the GUIDs in data, which the demo draws at random,
// by 00000000-0000-4000-8000-00000000000N in order of first appearance.
func scrubGUIDs(data []byte) []byte {
	seen := map[string]string{}
	return guidInText.ReplaceAllFunc(data, func(g []byte) []byte {
		r, ok := seen[string(g)]
		if !ok {
			r = fmt.Sprintf("00000000-0000-4000-8000-%012d", len(seen)+1)
			seen[string(g)] = r
		}
		return []byte(r)
	})
}

var guidInText = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// TestWriteCodebookDemo writes the demo codebook: valid, as the golden
// file, and the same bytes whatever the order of the codes given.
func TestWriteCodebookDemo(t *testing.T) {
	_, snap := demoSnapshot(t)
	var buf bytes.Buffer
	if err := WriteCodebook(&buf, snap.Codes, "qcode"); err != nil {
		t.Fatal(err)
	}
	golden(t, "demo.qdc", scrubGUIDs(buf.Bytes()))
	validate(t, buf.Bytes())

	reversed := make([]coding.SnapshotCode, len(snap.Codes))
	for i, c := range snap.Codes {
		reversed[len(reversed)-1-i] = c
	}
	var again bytes.Buffer
	if err := WriteCodebook(&again, reversed, "qcode"); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Errorf("the codes in another order give other bytes")
	}
	// Every code, its GUID, colour and description are in the file.
	for _, c := range snap.Codes {
		for _, want := range []string{`guid="` + c.GUID + `"`, `color="` + c.Color + `"`} {
			if !strings.Contains(buf.String(), want) {
				t.Errorf("code %s: %s is not in the file", c.Name, want)
			}
		}
	}
}

// TestWriteCodebookAwkward writes what XML and the schema make awkward:
// markup characters, line breaks, control characters, a bad colour and a
// GUID REFI-QDA cannot carry.
func TestWriteCodebookAwkward(t *testing.T) {
	codes := []coding.SnapshotCode{
		{GUID: "01234567-89ab-4cde-8f01-23456789abcd", Name: `Fear & "loathing" <of> the state`, Color: "#abcdef",
			Description: "Line one\nline two\r\n\ttabbed\x0b vertical tab gone"},
		{GUID: "qcode-code-7", ParentGUID: "01234567-89ab-4cde-8f01-23456789abcd", Name: "Searches\tat the border", Color: "blue"},
	}
	var buf bytes.Buffer
	if err := WriteCodebook(&buf, codes, "qcode & co"); err != nil {
		t.Fatal(err)
	}
	validate(t, buf.Bytes())
	got, warns, err := ReadCodebook(bytes.NewReader(buf.Bytes()), "awkward.qdc")
	if err != nil {
		t.Fatalf("ReadCodebook(WriteCodebook(...)) = %v\n%s", err, buf.Bytes())
	}
	want := []coding.SnapshotCode{
		{GUID: "01234567-89ab-4cde-8f01-23456789abcd", Name: `Fear & "loathing" <of> the state`, Color: "#ABCDEF",
			Description: "Line one\nline two\r\n\ttabbed vertical tab gone"},
		{GUID: derivedGUID("qcode-code-7"), ParentGUID: "01234567-89ab-4cde-8f01-23456789abcd", Name: "Searches at the border"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("read back\n%+v\nwant\n%+v", got, want)
	}
	// The tab in a name is kept by the writer, and tidied (with a
	// warning) by the reader: qcode's own names never hold one.
	if len(warns) != 1 || warns[0].Kind != "name" {
		t.Errorf("warnings = %v, want one about the tab in the name", warns)
	}
	if err := WriteCodebook(io.Discard, nil, "qcode"); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("WriteCodebook(no codes) = %v, want an error: a .qdc needs a code", err)
	}
}

// TestRoundTrip exports the demo codebook, imports it into a fresh
// project and exports that: the bytes are the same.
func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	_, snap := demoSnapshot(t)
	var first bytes.Buffer
	if err := WriteCodebook(&first, snap.Codes, "qcode"); err != nil {
		t.Fatal(err)
	}
	codes, warns, err := ReadCodebook(bytes.NewReader(first.Bytes()), "demo.qdc")
	if err != nil || len(warns) != 0 {
		t.Fatalf("ReadCodebook(our own export) = %v, warnings %v", err, warns)
	}
	s := freshProject(t)
	ch, _, err := s.MergeCodebook(ctx, codes)
	if err != nil {
		t.Fatal(err)
	}
	if len(ch.Added) != 19 || len(ch.ByGUID)+len(ch.ByPath)+len(ch.Conflicts) != 0 {
		t.Errorf("import into an empty project: %s, want 19 added and nothing else", ch.Summary())
	}
	other, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var second bytes.Buffer
	if err := WriteCodebook(&second, other.Codes, "qcode"); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.Bytes(), second.Bytes()) {
		t.Errorf("export → import → export changed the file:\n%s", second.Bytes())
	}
	for i, c := range other.Codes {
		o := snap.Codes[i]
		if c.GUID != o.GUID || c.ParentGUID != o.ParentGUID || c.Name != o.Name || c.Color != o.Color || c.Description != o.Description {
			t.Errorf("code %d: imported %+v, exported %+v", i, c, o)
		}
	}
}

// sampleCodebook returns the project.qde of a sample .qdpx.
func sampleCodebook(t *testing.T, name string) []byte {
	t.Helper()
	path := filepath.Join(shared, "samples", name)
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Skipf("sample %s: %v", name, err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name == "project.qde" {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			data, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			return data
		}
	}
	t.Fatalf("%s has no project.qde", path)
	return nil
}

// TestReadCodebookSamples reads the codebooks of the two real exports: qc's and
// NVivo for Mac's round trip of it, which kept the code GUIDs.
func TestReadCodebookSamples(t *testing.T) {
	ctx := context.Background()
	s := freshProject(t)
	for i, sample := range []string{"qc1.3.2_demo.qdpx", "nvivo15.0-mac_nvivo_project.qdpx"} {
		codes, warns, err := ReadCodebook(bytes.NewReader(sampleCodebook(t, sample)), sample)
		if err != nil {
			t.Fatalf("ReadCodebook(%s) = %v", sample, err)
		}
		if len(warns) != 1 || warns[0].Kind != "project" {
			t.Errorf("%s: warnings %v, want only that it is a project", sample, warns)
		}
		depth := map[string]int{}
		maxDepth, top := 0, 0
		for _, c := range codes {
			if c.ParentGUID == "" {
				top++
			} else {
				depth[c.GUID] = depth[c.ParentGUID] + 1
			}
			maxDepth = max(maxDepth, depth[c.GUID]+1)
			if c.Color != "" {
				t.Errorf("%s: code %s has colour %s; the sample has none", sample, c.Name, c.Color)
			}
		}
		if len(codes) != 262 || maxDepth != 7 {
			t.Errorf("%s: %d codes %d levels deep, want 262 codes 7 levels deep", sample, len(codes), maxDepth)
		}
		if c := codes[0]; c.Name != "rq1_definition" || c.GUID != "34653336-3766-3235-6466-363134396437" || c.ParentGUID != "" {
			t.Errorf("%s: first code %+v, want rq1_definition 34653336-…", sample, c)
		}
		if c := codes[2]; c.Name != "programming" || c.ParentGUID != "31366536-3938-3831-6231-633830313036" {
			t.Errorf("%s: third code %+v, want programming under competencies", sample, c)
		}
		ch, _, err := s.MergeCodebook(ctx, codes)
		if err != nil {
			t.Fatalf("merge %s: %v", sample, err)
		}
		// qc's codebook is new here; NVivo's has the same GUIDs.
		want := [][2]int{{262, 0}, {0, 262}}[i]
		if len(ch.Added) != want[0] || len(ch.ByGUID) != want[1] || len(ch.Conflicts) != 0 || len(ch.ByPath) != 0 {
			t.Errorf("merge %s: %s, want %d added and %d matched by GUID", sample, ch.Summary(), want[0], want[1])
		}
		// And ours, written, is valid.
		var buf bytes.Buffer
		if err := WriteCodebook(&buf, codes, "qcode"); err != nil {
			t.Fatal(err)
		}
		validate(t, buf.Bytes())
	}
}

// TestReadDeviations reads codebooks with what real producers write
// against the standard, each with the warnings it must give.
func TestReadDeviations(t *testing.T) {
	tests := []struct {
		file  string
		codes []string // path guid colour description
		warns []string
	}{
		{"nvivo-mac.qdc", []string{
			"Reasons for leaving 0b6c5a1e-3f2d-4c8b-9a7e-1d2c3b4a5f60 #4E79A7 ",
			"Reasons for leaving/Mobilisation 0b6c5a1e-3f2d-4c8b-9a7e-1d2c3b4a5f61 #F28E2B September 2022 and after",
		}, nil},
		{"taguette-empty-sets.qdc", []string{
			"fear of repression 7d3e8c4a-5b2f-5e1a-9c3d-2f4b6a8e0c11 #FF0000 Talk of arrests, searches, being called up",
			"donations 7d3e8c4a-5b2f-5e1a-9c3d-2f4b6a8e0c12 #00FF00 ",
		}, []string{
			`taguette-empty-sets.qdc:9: an empty <Sets/>, which the standard does not allow (ignored)`,
		}},
		{"atlas-braces-bom.qdc", []string{
			"Identity a1b2c3d4-e5f6-4711-8899-aabbccddeeff  ",
			"Identity/Language learning b2c3d4e5-f6a7-4822-9900-bbccddeeff00 #00AAFF ",
			"Identity/Loss c3d4e5f6-a7b8-4933-aa11-ccddeeff0011 #00AAFF ",
		}, []string{
			`atlas-braces-bom.qdc:1: starts with a byte-order mark (ignored)`,
			`atlas-braces-bom.qdc:2: namespace "urn:QDA-XML:codebook:0:4" is not "urn:QDA-XML:codebook:1.0"; read as that`,
			`atlas-braces-bom.qdc:9: 1 set not imported: qcode has no sets of codes`,
			`atlas-braces-bom.qdc:4: code "Identity": GUID "{A1B2C3D4-E5F6-4711-8899-AABBCCDDEEFF}" read as a1b2c3d4-e5f6-4711-8899-aabbccddeeff`,
			`atlas-braces-bom.qdc:4: code "Identity": isCodable="false" (a folder that cannot be applied): imported as an ordinary code`,
			`atlas-braces-bom.qdc:5: code "Identity/Language learning": upper-case GUID B2C3D4E5-F6A7-4822-9900-BBCCDDEEFF00 kept in lower case`,
			`atlas-braces-bom.qdc:6: code "Identity/Loss": upper-case GUID C3D4E5F6-A7B8-4933-AA11-CCDDEEFF0011 kept in lower case`,
			`atlas-braces-bom.qdc:6: code "Identity/Loss": isCodable="0" (a folder that cannot be applied): imported as an ordinary code`,
		}},
		{"requal-rgb.qdc", []string{
			"Relatives in Russia e1000000-0000-4000-8000-000000000001 #FF8000 ",
			"Work e1000000-0000-4000-8000-000000000002 #0000FF Remote work for Russian employers",
			"Housing e1000000-0000-4000-8000-000000000003  ",
			"Bureaucracy e1000000-0000-4000-8000-000000000004  ",
		}, []string{
			`requal-rgb.qdc:2: namespace "urn:QDA-XML:codebook:1:0" is not "urn:QDA-XML:codebook:1.0"; read as that`,
			`requal-rgb.qdc:4: code "Relatives in Russia": colour "rgb(255, 128, 0)" is not #RRGGBB; read as #FF8000`,
			`requal-rgb.qdc:5: code "Work": colour "rgba(0,0,255,0.5)" is not #RRGGBB; read as #0000FF (alpha dropped)`,
			`requal-rgb.qdc:8: code "Housing": isCodable="True" is not a boolean; read as true`,
			`requal-rgb.qdc:8: code "Housing": colour "red" is not a colour; left without one`,
			`requal-rgb.qdc:9: code "Bureaucracy": colour "#11223344" is not a colour; left without one`,
		}},
		{"no-namespace-odd-names.qdc", []string{
			"Politics - relatives f2000000-0000-4000-8000-000000000001  ",
			"Politics - relatives/Avoiding the topic f2000000-0000-4000-8000-000000000002  ",
			"Politics - relatives/avoiding the topic (2) f2000000-0000-4000-8000-000000000003  ",
			// Derived GUIDs: UUID v5 of the path in this package's
			// namespace (computed with Python's uuid.uuid5).
			"Volunteering 3f80535d-2d4f-5a78-bf1e-deaeb7d6c063  ",
			"Donations 5baffe4d-53cd-5eb8-871d-8bf35f6f6952  ",
		}, []string{
			`no-namespace-odd-names.qdc:1: no namespace; read as urn:QDA-XML:codebook:1.0`,
			`no-namespace-odd-names.qdc:3: code "Politics - relatives": name "Politics / relatives" read as "Politics - relatives": '/' (which separates a parent from a child in qcode) made ' - '`,
			`no-namespace-odd-names.qdc:3: code "Politics - relatives": GUID "f2000000000040008000000000000001" read as f2000000-0000-4000-8000-000000000001`,
			`no-namespace-odd-names.qdc:4: code "Politics - relatives/Avoiding the topic": name "  Avoiding   the topic " read as "Avoiding the topic": spaces tidied`,
			`no-namespace-odd-names.qdc:5: code "Politics - relatives/avoiding the topic (2)": name "avoiding the topic" read as "avoiding the topic (2)": a sibling has the same name, so it is called "avoiding the topic (2)"`,
			`no-namespace-odd-names.qdc:7: code "Volunteering": no GUID; given 3f80535d-2d4f-5a78-bf1e-deaeb7d6c063`,
			`no-namespace-odd-names.qdc:8: code "Donations": GUID "not-a-guid" is not a GUID; given 5baffe4d-53cd-5eb8-871d-8bf35f6f6952`,
			`no-namespace-odd-names.qdc:8: code "Donations": no isCodable; read as true`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "deviations", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			codes, warns, err := ReadCodebook(bytes.NewReader(data), tt.file)
			if err != nil {
				t.Fatalf("ReadCodebook = %v", err)
			}
			paths := map[string]string{}
			var got []string
			for _, c := range codes {
				p := c.Name
				if c.ParentGUID != "" {
					p = paths[c.ParentGUID] + "/" + c.Name
				}
				paths[c.GUID] = p
				got = append(got, strings.Join([]string{p, c.GUID, c.Color, c.Description}, " "))
			}
			if !reflect.DeepEqual(got, tt.codes) {
				t.Errorf("codes:\n got %q\nwant %q", got, tt.codes)
			}
			var gotWarns []string
			for _, w := range warns {
				gotWarns = append(gotWarns, w.String())
			}
			if !reflect.DeepEqual(gotWarns, tt.warns) {
				t.Errorf("warnings:\n got %s\nwant %s", strings.Join(gotWarns, "\n     "), strings.Join(tt.warns, "\n     "))
			}
			// What was read writes as a valid codebook.
			var buf bytes.Buffer
			if err := WriteCodebook(&buf, codes, "qcode"); err != nil {
				t.Fatal(err)
			}
			validate(t, buf.Bytes())
		})
	}
}

// TestReadCodebookRefuses checks the files ReadCodebook must refuse, each
// with an error naming the file and the reason.
func TestReadCodebookRefuses(t *testing.T) {
	deep := strings.Repeat(`<Code guid="f3000000-0000-4000-8000-000000000001" name="x" isCodable="true">`, maxDepth)
	tests := []struct {
		file string
		want string
		is   error
	}{
		{"doctype-entity.qdc", `doctype-entity.qdc: not a valid REFI-QDA codebook: line 2: XML with a DOCTYPE or other directive is refused`, ErrMalformed},
		{"billion-laughs.qdc", `billion-laughs.qdc: not a valid REFI-QDA codebook: line 2: XML with a DOCTYPE or other directive is refused`, ErrMalformed},
		{"truncated.qdc", `truncated.qdc: not a valid REFI-QDA codebook: unexpected end of XML inside <Description>`, ErrMalformed},
		{"duplicate-guid.qdc", `duplicate-guid.qdc:5: not a valid REFI-QDA codebook: code "Fear/Arrests" has the GUID a1000000-0000-4000-8000-000000000001 of code "Fear" (line 4)`, ErrMalformed},
		{"duplicate-guid-case.qdc", `duplicate-guid-case.qdc:5: not a valid REFI-QDA codebook: code "Donations" has the GUID a1000000-0000-4000-8000-00000000000a of code "Fear" (line 4)`, ErrMalformed},
		{"missing-name.qdc", `missing-name.qdc:5: not a valid REFI-QDA codebook: a code (GUID "a1000000-0000-4000-8000-000000000002") has no name`, ErrMalformed},
		{"blank-name.qdc", `blank-name.qdc:4: not a valid REFI-QDA codebook: a code (GUID "a1000000-0000-4000-8000-000000000001") has no name`, ErrMalformed},
		{"not-codebook.qdc", `not-codebook.qdc: not a valid REFI-QDA codebook: the root element is <html>, not <CodeBook>`, ErrMalformed},
		{"no-codes.qdc", `no-codes.qdc: not a valid REFI-QDA codebook: <CodeBook> has no <Codes>`, ErrMalformed},
		{"foreign-namespace.qdc", `foreign-namespace.qdc: not a valid REFI-QDA codebook: <CodeBook> is in namespace "http://example.org/other", not a REFI-QDA one`, ErrMalformed},
		{"latin1.qdc", `latin1.qdc: not a valid REFI-QDA codebook: not UTF-8 text (line 2, byte 153); save the codebook as UTF-8`, ErrMalformed},
		{"utf16.qdc", `utf16.qdc: not a valid REFI-QDA codebook: UTF-16 text; save the codebook as UTF-8`, ErrMalformed},
		{"empty.qdc", `empty.qdc: not a valid REFI-QDA codebook: the file is empty`, ErrMalformed},
		{"photo.qdc", `photo.qdc: not a valid REFI-QDA codebook: a binary file, not XML`, ErrMalformed},
		{"../atlas.qdpx", `../atlas.qdpx: not a valid REFI-QDA codebook: a zip archive (a .qdpx project, a Word file...), not XML; 'qcode import-project' or 'qcode merge' reads a .qdpx`, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "bad", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			codes, _, err := ReadCodebook(bytes.NewReader(data), tt.file)
			if err == nil || err.Error() != tt.want || !errors.Is(err, tt.is) {
				t.Errorf("ReadCodebook = %d codes, %v\nwant error %s", len(codes), err, tt.want)
			}
		})
	}
	t.Run("deep", func(t *testing.T) {
		data := `<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>` + deep
		_, _, err := ReadCodebook(strings.NewReader(data), "deep.qdc")
		want := `deep.qdc: not a valid REFI-QDA codebook: line 1: XML nested deeper than 1000 elements`
		if err == nil || err.Error() != want {
			t.Errorf("ReadCodebook(deep) = %v, want %s", err, want)
		}
	})
	t.Run("huge", func(t *testing.T) {
		r := io.MultiReader(strings.NewReader(`<CodeBook><Codes><Code guid="f3000000-0000-4000-8000-000000000001" name="x" isCodable="true"><Description>`),
			io.LimitReader(zeros{}, MaxCodebookSize))
		_, _, err := ReadCodebook(r, "huge.qdc")
		if !errors.Is(err, ErrTooLarge) || !strings.HasPrefix(err.Error(), "huge.qdc: ") {
			t.Errorf("ReadCodebook(huge) = %v, want ErrTooLarge naming the file", err)
		}
	})
}

// zeros reads as an endless run of 'a'.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a'
	}
	return len(p), nil
}

// FuzzReadCodebook checks that ReadCodebook never panics, and that what
// it accepts is a clean codebook: unique, well-formed GUIDs, names qcode
// can hold, parents before children, #RRGGBB colours, which write as a
// codebook that reads back the same without a warning.
func FuzzReadCodebook(f *testing.F) {
	for _, dir := range []string{"deviations", "bad"} {
		files, _ := filepath.Glob(filepath.Join("testdata", dir, "*.qdc"))
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	if data, err := os.ReadFile(filepath.Join("testdata", "demo.qdc")); err == nil {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		codes, _, err := ReadCodebook(bytes.NewReader(data), "fuzz.qdc")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.qdc") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		seen := map[string]bool{}
		names := map[string]bool{}
		for _, c := range codes {
			if g, ok, _ := NormalizeGUID(c.GUID); !ok || g != c.GUID {
				t.Fatalf("GUID %q is not normalised", c.GUID)
			}
			if seen[c.GUID] {
				t.Fatalf("GUID %s twice", c.GUID)
			}
			if c.ParentGUID != "" && !seen[c.ParentGUID] {
				t.Fatalf("code %q comes before its parent", c.Name)
			}
			seen[c.GUID] = true
			if c.Name == "" || strings.Contains(c.Name, "/") || c.Name != strings.Join(strings.Fields(c.Name), " ") {
				t.Fatalf("name %q cannot be a qcode code name", c.Name)
			}
			if strings.ContainsFunc(c.Name, coding.IsHiddenControl) {
				t.Fatalf("name %q holds a control character", c.Name)
			}
			key := c.ParentGUID + "/" + strings.ToLower(c.Name)
			if names[key] {
				t.Fatalf("two siblings called %q", c.Name)
			}
			names[key] = true
			if c.Color != "" && !hex6RE.MatchString(c.Color) {
				t.Fatalf("colour %q is not #RRGGBB", c.Color)
			}
		}
		if len(codes) == 0 {
			return
		}
		var buf bytes.Buffer
		if err := WriteCodebook(&buf, codes, "qcode"); err != nil {
			t.Fatal(err)
		}
		again, warns, err := ReadCodebook(bytes.NewReader(buf.Bytes()), "fuzz.qdc")
		if err != nil || len(warns) != 0 {
			t.Fatalf("our own writing reads with %v, %v:\n%s", err, warns, buf.Bytes())
		}
		var second bytes.Buffer
		if err := WriteCodebook(&second, again, "qcode"); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), second.Bytes()) {
			t.Fatalf("write → read → write changed the bytes:\n%s\n%s", buf.Bytes(), second.Bytes())
		}
	})
}
