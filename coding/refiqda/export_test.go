package refiqda

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/coding/demo"
)

var projectXSD = filepath.Join(sharedDir(), "refi-qda", "Project.xsd")

// export writes snap and returns the .qdpx.
func export(t *testing.T, snap *coding.Snapshot) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteProject(&buf, snap, ProjectOptions{}); err != nil {
		t.Fatalf("WriteProject: %v", err)
	}
	checkExport(t, buf.Bytes())
	return buf.Bytes()
}

// readBytes reads a .qdpx held in memory.
func readBytes(t *testing.T, data []byte) (*coding.Snapshot, Report) {
	t.Helper()
	snap, rep, err := readProject("export.qdpx", bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("reading the export back: %v", err)
	}
	checkSnapshot(t, snap)
	return snap, rep
}

// checkExport validates an export: project.qde against Project.xsd with
// xmllint (skipped when xmllint or the schema is missing), and the checks
// the schema cannot make (NOTES.md §8): unique GUIDs, references that
// resolve, internal files present, positions inside their texts.
func checkExport(t *testing.T, data []byte) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	var names []string
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		files[f.Name] = string(b)
		names = append(names, f.Name)
		if f.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v; want 0600", f.Name, f.Mode())
		}
	}
	if len(names) == 0 || names[0] != "project.qde" || !sort.StringsAreSorted(names[1:]) {
		t.Errorf("entries %q; want project.qde, then sources/ sorted", names)
	}
	xmlText := files["project.qde"]
	validateXSD(t, xmlText)

	p, err := decodeProject(strings.NewReader(xmlText))
	if err != nil {
		t.Fatalf("decode project.qde: %v", err)
	}
	guids := map[string]string{}
	def := func(kind, g string) {
		if normGUID(g) != g {
			t.Errorf("%s GUID %q is not lower-case 8-4-4-4-12", kind, g)
		}
		if old, dup := guids[g]; dup {
			t.Errorf("GUID %s used by a %s and a %s", g, old, kind)
		}
		guids[g] = kind
	}
	var refs [][2]string // kind, target
	// Selections a case refers to are a speaker's turns and carry no
	// coding; every other selection carries one.
	caseSels := map[string]bool{}
	if p.Cases != nil {
		for _, c := range p.Cases.Cases {
			for _, s := range c.SelectionRefs {
				caseSels[s.Target] = true
			}
		}
	}
	if p.Users != nil {
		for _, u := range p.Users.Users {
			def("user", u.GUID)
		}
	}
	var codes func([]Code)
	codes = func(cs []Code) {
		for _, c := range cs {
			def("code", c.GUID)
			for _, n := range c.NoteRefs {
				refs = append(refs, [2]string{"note", n.TargetGUID})
			}
			codes(c.Codes)
		}
	}
	if p.CodeBook != nil {
		codes(p.CodeBook.Codes.Codes)
	}
	if p.Variables != nil {
		for _, v := range p.Variables.Variables {
			def("variable", v.GUID)
		}
	}
	values := func(vs []xVariableValue) {
		for _, v := range vs {
			refs = append(refs, [2]string{"variable", v.Variable.Target})
		}
	}
	if p.Cases != nil {
		for _, c := range p.Cases.Cases {
			def("case", c.GUID)
			values(c.Values)
			for _, s := range c.SourceRefs {
				refs = append(refs, [2]string{"source", s.Target})
			}
			for _, s := range c.SelectionRefs {
				refs = append(refs, [2]string{"selection", s.Target})
			}
		}
	}
	user := func(g string) {
		if g != "" {
			refs = append(refs, [2]string{"user", g})
		}
	}
	if p.Sources != nil {
		for _, s := range p.Sources.Text {
			def("source", s.GUID)
			user(s.CreatingUser)
			values(s.Values)
			if s.PlainTextContent != nil {
				t.Errorf("source %s: text written inline; want a file", s.Name)
			}
			file := strings.TrimPrefix(s.PlainTextPath, "internal://")
			text, ok := files["sources/"+file]
			if !ok || file != s.GUID+".txt" {
				t.Errorf("source %s: %s missing or not named by its GUID", s.Name, s.PlainTextPath)
			}
			if strings.Contains(text, "\r") || strings.HasPrefix(text, "\uFEFF") || !utf8.ValidString(text) {
				t.Errorf("source %s: text is not UTF-8 with LF and no BOM", s.Name)
			}
			n := utf8.RuneCountInString(text)
			for _, sel := range s.Selections {
				def("selection", sel.GUID)
				user(sel.CreatingUser)
				a, _ := strconv.Atoi(sel.Start)
				b, _ := strconv.Atoi(sel.End)
				if a < 0 || b > n || a >= b {
					t.Errorf("selection %s: %d:%d outside 0:%d", sel.GUID, a, b, n)
					continue
				}
				if got := string([]rune(text)[a:b]); !strings.HasPrefix(got, sel.Name) || sel.Name == "" {
					t.Errorf("selection %s is named %q but holds %q", sel.GUID, sel.Name, got)
				}
				if want := 1; caseSels[sel.GUID] {
					if len(sel.Codings) != 0 {
						t.Errorf("selection %s of a case has %d codings; want none", sel.GUID, len(sel.Codings))
					}
				} else if len(sel.Codings) != want {
					t.Errorf("selection %s has %d codings; want 1", sel.GUID, len(sel.Codings))
				}
				for _, c := range sel.Codings {
					def("coding", c.GUID)
					user(c.CreatingUser)
					refs = append(refs, [2]string{"code", c.CodeRef.Target})
					for _, n := range c.NoteRefs {
						refs = append(refs, [2]string{"note", n.Target})
					}
				}
			}
			for _, n := range s.NoteRefs {
				refs = append(refs, [2]string{"note", n.Target})
			}
		}
	}
	if p.Notes != nil {
		for _, n := range p.Notes.Notes {
			def("note", n.GUID)
			user(n.CreatingUser)
		}
	}
	for _, n := range p.NoteRefs {
		refs = append(refs, [2]string{"note", n.Target})
	}
	for _, r := range refs {
		if guids[r[1]] != r[0] {
			t.Errorf("reference to %s %s: it is a %q", r[0], r[1], guids[r[1]])
		}
	}
	if len(files) != 1+countSources(p) {
		t.Errorf("%d files in the archive; want project.qde and one per source", len(files))
	}
}

func countSources(p *xProject) int {
	if p.Sources == nil {
		return 0
	}
	return len(p.Sources.Text)
}

// validateXSD runs xmllint on project XML.
func validateXSD(t *testing.T, xmlText string) {
	t.Helper()
	lint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Log("xmllint not installed (Debian libxml2-utils): schema validation skipped")
		return
	}
	if _, err := os.Stat(projectXSD); err != nil {
		t.Logf("%s not available: schema validation skipped", projectXSD)
		return
	}
	f := filepath.Join(t.TempDir(), "project.qde")
	if err := os.WriteFile(f, []byte(xmlText), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(lint, "--noout", "--schema", projectXSD, f).CombinedOutput()
	if err != nil {
		t.Errorf("project.qde is not valid against Project.xsd: %v\n%s", err, out)
	}
}

// demoSnapshot builds the demo project and reads it whole.
func demoSnapshot(t *testing.T) (*coding.Store, *coding.Snapshot) {
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
	snap, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return s, snap
}

// TestExportDemo exports the demo project: valid, deterministic, and
// read back with the same codings, attributes and memos.
func TestExportDemo(t *testing.T) {
	s, snap := demoSnapshot(t)
	first := export(t, snap)
	again, err := s.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if second := export(t, again); !bytes.Equal(first, second) {
		t.Fatal("two exports of the same project differ")
	}

	back, rep := readBytes(t, first)
	if len(rep.Skipped)+len(rep.Mismatches)+len(rep.Converted)+len(rep.Warnings) != 0 {
		t.Errorf("reading our own export reported %+v", rep)
	}
	if got, want := codingsOf(t, back), codingsOf(t, snap); !reflect.DeepEqual(got, want) {
		t.Errorf("codings read back differ:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(snap.Codings) != 65 {
		t.Errorf("demo has %d codings; want 65", len(snap.Codings))
	}
	attrs := func(s *coding.Snapshot) map[string][]string {
		out := map[string][]string{}
		for _, d := range s.Documents {
			for _, a := range d.Attributes {
				out[d.Name] = append(out[d.Name], a.Key+":"+a.Type+"="+a.Value)
			}
			sort.Strings(out[d.Name])
		}
		return out
	}
	if got, want := attrs(back), attrs(snap); !reflect.DeepEqual(got, want) {
		t.Errorf("attributes read back = %v; want %v", got, want)
	}
	memos := func(s *coding.Snapshot) []string {
		var out []string
		for _, m := range s.Memos {
			out = append(out, m.GUID+" "+m.Target+" "+m.TargetGUID+" "+m.Coder+" "+m.Text)
		}
		sort.Strings(out)
		return out
	}
	if got, want := memos(back), memos(snap); !reflect.DeepEqual(got, want) || len(want) < 2 {
		t.Errorf("memos read back = %q; want %q", got, want)
	}
	for i, d := range back.Documents {
		if d.GUID != snap.Documents[i].GUID || d.Text != snap.Documents[i].Text || d.Name != snap.Documents[i].Name {
			t.Errorf("document %d read back as %s (%s); want %s (%s)", i, d.Name, d.GUID, snap.Documents[i].Name, snap.Documents[i].GUID)
		}
	}
}

// tiny is a hand-made project whose export is pinned by a golden file:
// Cyrillic and an emoji before a coding (one code point each), a memo on
// everything that can have one, two participants (one interviewed twice,
// differing in wave), a document without one, an old version.
func tiny() *coding.Snapshot {
	at := func(m int) time.Time { return time.Date(2022, 12, 1, 10, m, 0, 0, time.UTC) }
	text1 := "И: Почему уехали? 😀\nР: Из-за мобилизации.\n"
	return &coding.Snapshot{
		GUID: "01900000-0000-7000-8000-000000000000", Name: "tiny", CreatedAt: at(0),
		Coders: []coding.SnapshotCoder{{GUID: "01900000-0000-7000-8000-0000000000c1", Name: "nino", CreatedAt: at(0)}},
		Codes: []coding.SnapshotCode{
			{GUID: "01900000-0000-7000-8000-00000000c0d1", Name: "Reasons", Color: "#4E79A7", Description: "Why they left & how", CreatedAt: at(1)},
			{GUID: "01900000-0000-7000-8000-00000000c0d2", ParentGUID: "01900000-0000-7000-8000-00000000c0d1", Name: "Mobilization", CreatedAt: at(1)},
		},
		Documents: []coding.SnapshotDocument{
			{GUID: "01900000-0000-7000-8000-0000000000d1", Name: "R01", Version: 1, Text: text1, ImportedAt: at(2), ImportedBy: "nino", Latest: true,
				Attributes: []coding.Attribute{{Key: "participant", Type: "text", Value: "P1"}, {Key: "age", Type: "integer", Value: "30"}, {Key: "wave", Type: "text", Value: "February"}}},
			{GUID: "01900000-0000-7000-8000-0000000000d2", Name: "R01b", Version: 1, Text: "Second talk.\n", ImportedAt: at(3), Latest: true,
				Attributes: []coding.Attribute{{Key: "participant", Type: "text", Value: "P1"}, {Key: "age", Type: "integer", Value: "30"}, {Key: "wave", Type: "text", Value: "September"}}},
			{GUID: "01900000-0000-7000-8000-0000000000d3", Name: "R02", Version: 1, Text: "Old text.\n", ImportedAt: at(4)},
			{GUID: "01900000-0000-7000-8000-0000000000d4", Name: "R02", Version: 2, Text: "New text.\n", ImportedAt: at(5), Latest: true,
				Attributes: []coding.Attribute{{Key: "height", Type: "float", Value: "1e+21"}, {Key: "age", Type: "text", Value: "about 40"}}},
		},
		Codings: []coding.SnapshotCoding{
			// "Из-за мобилизации." starts after 21 code points: "И: Почему уехали? 😀\nР: ".
			{GUID: "01900000-0000-7000-8000-00000000c001", DocGUID: "01900000-0000-7000-8000-0000000000d1", CodeGUID: "01900000-0000-7000-8000-00000000c0d2", Start: 23, End: 41, Coder: "nino", CreatedAt: at(6)},
		},
		Memos: []coding.SnapshotMemo{
			{GUID: "01900000-0000-7000-8000-0000000000e1", Target: coding.TargetProject, Text: "About the project.", Coder: "nino", CreatedAt: at(7), UpdatedAt: at(7)},
			{GUID: "01900000-0000-7000-8000-0000000000e2", Target: coding.TargetDocument, TargetGUID: "01900000-0000-7000-8000-0000000000d1", Text: "Talkative.", Coder: "nino", CreatedAt: at(8), UpdatedAt: at(9)},
			{GUID: "01900000-0000-7000-8000-0000000000e3", Target: coding.TargetCode, TargetGUID: "01900000-0000-7000-8000-00000000c0d1", Text: "Check with the team.", Coder: "nino", CreatedAt: at(8), UpdatedAt: at(8)},
			{GUID: "01900000-0000-7000-8000-0000000000e4", Target: coding.TargetCoding, TargetGUID: "01900000-0000-7000-8000-00000000c001", Text: "The call-up.", Coder: "pavel", CreatedAt: at(10), UpdatedAt: at(10)},
		},
	}
}

// TestExportGolden pins the whole project.qde of a small project.
func TestExportGolden(t *testing.T) {
	snap := tiny()
	if got := string([]rune(snap.Documents[0].Text)[23:41]); got != "Из-за мобилизации." {
		t.Fatalf("fixture span holds %q", got)
	}
	data := export(t, snap)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := zr.File[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	qde, _ := io.ReadAll(rc)
	rc.Close()
	golden := filepath.Join("testdata", "golden", "tiny.qde")
	if *update {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, qde, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -run TestExportGolden -update)", err)
	}
	if !bytes.Equal(qde, want) {
		t.Errorf("project.qde differs from %s (run with -update and review the diff):\n%s", golden, qde)
	}
	// The zip's times come from the store: project.qde carries the
	// latest time the file mentions, a source its import time.
	if m := zr.File[0].Modified.UTC(); !m.Equal(time.Date(2022, 12, 1, 10, 10, 0, 0, time.UTC)) {
		t.Errorf("project.qde dated %v; want the last memo's 10:10", m)
	}
	for _, f := range zr.File[1:] {
		if f.Modified.UTC().Before(time.Date(2022, 12, 1, 10, 2, 0, 0, time.UTC)) {
			t.Errorf("%s dated %v", f.Name, f.Modified)
		}
	}

	back, _ := readBytes(t, data)
	var names []string
	for _, d := range back.Documents {
		names = append(names, d.Name)
	}
	if want := []string{"R01", "R01b", "R02", "R02 (version 1)"}; !reflect.DeepEqual(names, want) {
		t.Errorf("documents read back: %q; want %q", names, want)
	}
	if got := codingsOf(t, back); !reflect.DeepEqual(got, []string{"R01 | Reasons/Mobilization | nino | 23:41 | Из-за мобилизации."}) {
		t.Errorf("coding read back: %q", got)
	}
}

// TestRoundTripFiles reads each sample and fixture, exports it, reads the
// export and exports again: the two exports are byte-identical and every
// span holds the same text.
func TestRoundTripFiles(t *testing.T) {
	files := []string{
		filepath.Join(samples, "qc1.3.2_demo.qdpx"),
		filepath.Join(samples, "nvivo15.0-mac_nvivo_project.qdpx"),
		filepath.Join("testdata", "nvivo-windows.qdpx"),
		filepath.Join("testdata", "tolerant.qdpx"),
		filepath.Join("testdata", "atlas.qdpx"),
		filepath.Join("testdata", "cases.qdpx"),
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			if _, err := os.Stat(f); err != nil {
				t.Skipf("%s not available", f)
			}
			snap, _, err := ReadProject(f)
			if err != nil {
				t.Fatal(err)
			}
			first := export(t, snap)
			back, rep := readBytes(t, first)
			if len(rep.Mismatches)+len(rep.Skipped) != 0 {
				t.Errorf("reading the export reported %+v", rep)
			}
			if got, want := codingsOf(t, back), codingsOf(t, snap); !reflect.DeepEqual(got, want) {
				t.Errorf("codings after the round trip:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if second := export(t, back); !bytes.Equal(first, second) {
				t.Errorf("second export differs from the first")
			}
		})
	}
}
