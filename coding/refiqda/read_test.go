package refiqda

import (
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/qcode-dev/qcode/coding"
)

var samples = filepath.Join(sharedDir(), "refi-qda", "samples")

// sample returns the path of a shared sample, skipping the test when the
// samples are not on this machine.
func sample(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join(samples, name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("sample %s not available: %v", p, err)
	}
	return p
}

// spanText returns the text of coding c in snap.
func spanText(t *testing.T, snap *coding.Snapshot, c coding.SnapshotCoding) string {
	t.Helper()
	for _, d := range snap.Documents {
		if d.GUID == c.DocGUID {
			r := []rune(d.Text)
			if c.Start < 0 || c.End > len(r) || c.Start >= c.End {
				t.Fatalf("coding %s: span %d:%d outside %s (%d)", c.GUID, c.Start, c.End, d.Name, len(r))
			}
			return string(r[c.Start:c.End])
		}
	}
	t.Fatalf("coding %s: no document %s", c.GUID, c.DocGUID)
	return ""
}

// codingsOf lists "document code coder start:end text" for every coding,
// with code paths, so tests can compare whole imports at a glance.
func codingsOf(t *testing.T, snap *coding.Snapshot) []string {
	t.Helper()
	paths := map[string]string{}
	for _, c := range snap.Codes {
		p := c.Name
		if c.ParentGUID != "" {
			p = paths[c.ParentGUID] + "/" + p
		}
		paths[c.GUID] = p
	}
	docs := map[string]string{}
	for _, d := range snap.Documents {
		docs[d.GUID] = d.Name
	}
	var out []string
	for _, c := range snap.Codings {
		out = append(out, docs[c.DocGUID]+" | "+paths[c.CodeGUID]+" | "+c.Coder+" | "+strconv.Itoa(c.Start)+":"+strconv.Itoa(c.End)+" | "+spanText(t, snap, c))
	}
	return out
}

// checkSnapshot asserts what every import must give: NFC texts with LF
// line endings, spans inside them, references that resolve, unique GUIDs.
func checkSnapshot(t *testing.T, snap *coding.Snapshot) {
	t.Helper()
	guids := map[string]bool{}
	unique := func(kind, g string) {
		if normGUID(g) != g {
			t.Errorf("%s GUID %q is not a lower-case GUID", kind, g)
		}
		if guids[kind+g] {
			t.Errorf("%s GUID %s used twice", kind, g)
		}
		guids[kind+g] = true
	}
	for _, c := range snap.Coders {
		unique("coder", c.GUID)
	}
	for _, c := range snap.Codes {
		unique("code", c.GUID)
		if c.ParentGUID != "" && !guids["code"+c.ParentGUID] {
			t.Errorf("code %s comes before its parent", c.Name)
		}
		if strings.Contains(c.Name, "/") || c.Name == "" {
			t.Errorf("code name %q", c.Name)
		}
	}
	length := map[string]int{}
	for _, d := range snap.Documents {
		unique("doc", d.GUID)
		length[d.GUID] = utf8.RuneCountInString(d.Text)
		if strings.Contains(d.Text, "\r") || strings.HasPrefix(d.Text, "\uFEFF") || strings.TrimSpace(d.Text) == "" {
			t.Errorf("document %s: text %q not stored form", d.Name, d.Text)
		}
	}
	coders := map[string]bool{}
	for _, c := range snap.Coders {
		coders[c.Name] = true
	}
	for _, c := range snap.Codings {
		unique("coding", c.GUID)
		n, ok := length[c.DocGUID]
		if !ok || !guids["code"+c.CodeGUID] || !coders[c.Coder] {
			t.Errorf("coding %+v refers to what the snapshot lacks", c)
		}
		if c.Start < 0 || c.End > n || c.Start >= c.End {
			t.Errorf("coding %s: span %d:%d outside 0:%d", c.GUID, c.Start, c.End, n)
		}
	}
	for _, m := range snap.Memos {
		unique("memo", m.GUID)
	}
}

// TestReadSamples imports the two real exports in the shared samples and
// checks their counts (from SOURCES.md) and a few spans against the text
// files as qc wrote them.
func TestReadSamples(t *testing.T) {
	t.Run("qc", func(t *testing.T) {
		snap, rep, err := ReadProject(sample(t, "qc1.3.2_demo.qdpx"))
		if err != nil {
			t.Fatal(err)
		}
		checkSnapshot(t, snap)
		if len(snap.Documents) != 2 || len(snap.Codes) != 262 || len(snap.Codings) != 205 || len(snap.Coders) != 1 {
			t.Fatalf("qc sample: %d documents, %d codes, %d codings, %d coders; want 2, 262, 205, 1",
				len(snap.Documents), len(snap.Codes), len(snap.Codings), len(snap.Coders))
		}
		if len(rep.Skipped) != 0 || len(rep.Mismatches) != 0 || len(rep.Converted) != 0 || len(rep.Warnings) != 0 {
			t.Errorf("qc sample report: %+v; want nothing to report", rep)
		}
		if snap.Documents[0].Name != "admin-1" || snap.Documents[1].Name != "board_2017" || snap.Coders[0].Name != "cp" {
			t.Errorf("names: %q, %q, coder %q", snap.Documents[0].Name, snap.Documents[1].Name, snap.Coders[0].Name)
		}
		if n := utf8.RuneCountInString(snap.Documents[1].Text); n != 52543 {
			t.Errorf("board_2017 has %d characters; want 52543 (ASCII file of 52543 bytes)", n)
		}
		depth := map[string]int{}
		deepest := 0
		for _, c := range snap.Codes {
			if c.ParentGUID != "" {
				depth[c.GUID] = depth[c.ParentGUID] + 1
			}
			deepest = max(deepest, depth[c.GUID])
		}
		if deepest != 6 {
			t.Errorf("deepest code at depth %d; want 6 (7 levels)", deepest)
		}
		// Selections "line:6" and "line:8" of board_2017.txt, each a
		// whole line with its LF (read from the file with a text editor).
		var found []string
		for _, line := range codingsOf(t, snap) {
			if strings.HasPrefix(line, "board_2017 | ") && (strings.Contains(line, " | 320:400 | ") || strings.Contains(line, " | 474:552 | ")) {
				found = append(found, line[strings.Index(line, " | cp | "):])
			}
		}
		wantFound := []string{
			" | cp | 320:400 | This district goal is engage every student in joyful, purposeful learning that \n",
			" | cp | 474:552 | maximizes each student's opportunity to excel academically. Action step five \n",
		}
		if !reflect.DeepEqual(found, wantFound) {
			t.Errorf("spans 320:400 and 474:552 of board_2017 = %q; want %q", found, wantFound)
		}
	})
	t.Run("nvivo", func(t *testing.T) {
		snap, rep, err := ReadProject(sample(t, "nvivo15.0-mac_nvivo_project.qdpx"))
		if err != nil {
			t.Fatal(err)
		}
		checkSnapshot(t, snap)
		// NVivo imported qc's documents empty: each .txt is one LF.
		if len(snap.Documents) != 0 || len(snap.Codes) != 262 || len(snap.Codings) != 0 || len(snap.Coders) != 2 {
			t.Fatalf("nvivo sample: %d documents, %d codes, %d codings, %d coders; want 0, 262, 0, 2",
				len(snap.Documents), len(snap.Codes), len(snap.Codings), len(snap.Coders))
		}
		if got := rep.SkippedByKind(); !reflect.DeepEqual(got, []KindCount{{"text", 2}}) {
			t.Errorf("skipped by kind = %+v; want 2 text (empty)", got)
		}
		for _, s := range rep.Skipped {
			if s.Reason != "its text is empty" {
				t.Errorf("skipped %s: %s", s.Name, s.Reason)
			}
		}
		if snap.Coders[0].Name != "chrisp" || snap.Coders[1].Name != "cp" || snap.Coders[1].GUID != "39633935-3331-3962-6632-373436373264" {
			t.Errorf("coders = %+v", snap.Coders)
		}
		if rep.Origin != "NVivo for Mac 15.0.0" || !snap.CreatedAt.Equal(parseTime("2024-09-15T15:36:45Z")) || snap.Name != "qc project" {
			t.Errorf("origin %q, created %v, name %q", rep.Origin, snap.CreatedAt, snap.Name)
		}
	})
}

// TestReadNVivo reads a Windows NVivo export: BOM, CRLF counted, UTF-16
// code units (each emoji counts 2). The expected spans were counted by
// hand on the fixture's text (see gen_test.go); read as code points they
// would drift right by one per emoji and by one per line.
func TestReadNVivo(t *testing.T) {
	snap, rep, err := ReadProject(filepath.Join("testdata", "nvivo-windows.qdpx"))
	if err != nil {
		t.Fatal(err)
	}
	checkSnapshot(t, snap)
	wantText := "I: Why did you leave?\nR: 😀 Fear. 🇬🇪 Tbilisi was open.\nR: Мобилизация 😢 пугала.\n"
	if len(snap.Documents) != 1 || snap.Documents[0].Text != wantText {
		t.Fatalf("documents = %+v; want R01 with %q", snap.Documents, wantText)
	}
	want := []string{
		"R01 | Place | Anna N | 22:53 | R: 😀 Fear. 🇬🇪 Tbilisi was open.",
		"R01 | Fear | Anna N | 27:32 | Fear.",
		"R01 | Place | Anna N | 36:43 | Tbilisi",
		"R01 | Fear | Anna N | 57:78 | Мобилизация 😢 пугала.",
	}
	if got := codingsOf(t, snap); !reflect.DeepEqual(got, want) {
		t.Errorf("codings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	wantMis := []Mismatch{{Source: "R01", Selection: "11111111-0000-4000-8000-000000000005", Start: 10, End: 20,
		Name: "Tbilisi was open", Text: " you leave", Codings: 1}}
	if !reflect.DeepEqual(rep.Mismatches, wantMis) {
		t.Errorf("mismatches = %+v; want %+v", rep.Mismatches, wantMis)
	}
	if want := []Converted{{"R01", "UTF-16 code units"}}; !reflect.DeepEqual(rep.Converted, want) {
		t.Errorf("converted = %+v; want %+v", rep.Converted, want)
	}
	if c := snap.Codes[0]; c.Color != "#E15759" || c.Description != "" {
		t.Errorf("code Fear = %+v", c)
	}
}

// TestReadATLAS reads an ATLAS.ti export, whose .txt has CRLF but whose
// positions count a line break once.
func TestReadATLAS(t *testing.T) {
	snap, rep, err := ReadProject(filepath.Join("testdata", "atlas.qdpx"))
	if err != nil {
		t.Fatal(err)
	}
	checkSnapshot(t, snap)
	want := []string{
		"Doc A | Line | unknown | 15:26 | two is here",
		"Doc A | Line | unknown | 33:38 | three",
	}
	if got := codingsOf(t, snap); !reflect.DeepEqual(got, want) {
		t.Errorf("codings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(rep.Mismatches) != 0 || !reflect.DeepEqual(rep.Converted, []Converted{{"Doc A", "code points, CRLF counted once"}}) {
		t.Errorf("report = %+v", rep)
	}
}

// TestReadTolerant reads the fixture that gathers real producers'
// deviations; every expectation below was worked out by hand from
// tolerantQDE in gen_test.go.
func TestReadTolerant(t *testing.T) {
	snap, rep, err := ReadProject(filepath.Join("testdata", "tolerant.qdpx"))
	if err != nil {
		t.Fatal(err)
	}
	checkSnapshot(t, snap)
	var docs []string
	for _, d := range snap.Documents {
		docs = append(docs, d.Name+": "+d.Text)
	}
	wantDocs := []string{
		"Interview A: Café society. Next line.",
		"Interview A (2): Another text with the same name.",
		"Interview B: 😀😀 hello world\n",
		"c: Third text, from a case without a name.\n",
	}
	if !reflect.DeepEqual(docs, wantDocs) {
		t.Errorf("documents:\n%s\nwant:\n%s", strings.Join(docs, "\n"), strings.Join(wantDocs, "\n"))
	}
	var codes []string
	for _, c := range snap.Codes {
		codes = append(codes, c.Name+" "+c.Color+" "+c.Description)
	}
	wantCodes := []string{"Reasons #4E79A7 Why they left", "War - Mobilization #AABBCC ", "Fear  ", "fear (2)  "}
	if !reflect.DeepEqual(codes, wantCodes) {
		t.Errorf("codes = %q; want %q", codes, wantCodes)
	}
	if snap.Codes[0].GUID != "c0de0000-0000-4000-8000-000000000001" || snap.Codes[1].ParentGUID != snap.Codes[0].GUID {
		t.Errorf("code GUIDs and hierarchy: %+v", snap.Codes[:2])
	}
	want := []string{
		"Interview A | Reasons/War - Mobilization | Boris | 0:4 | Café",
		"Interview A | Reasons/fear (2) | Boris | 0:4 | Café",
		"Interview A | Reasons | Boris | 0:24 | Café society. Next line.",
		"Interview A | Reasons/Fear | VK | 5:12 | society",
		"Interview B | Reasons | VK | 3:8 | hello",
		"Interview B | Reasons/Fear | VK | 9:14 | world",
	}
	if got := codingsOf(t, snap); !reflect.DeepEqual(got, want) {
		t.Errorf("codings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var coders []string
	for _, c := range snap.Coders {
		coders = append(coders, c.Name+" "+c.GUID)
	}
	if want := []string{"Boris b1b1b1b1-0000-4000-8000-00000000000a", "VK b2b2b2b2-0000-4000-8000-00000000000b"}; !reflect.DeepEqual(coders, want) {
		t.Errorf("coders = %q; want %q", coders, want)
	}
	attrs := map[string]string{}
	for _, d := range snap.Documents {
		var kv []string
		for _, a := range d.Attributes {
			kv = append(kv, a.Key+":"+a.Type+"="+a.Value)
		}
		attrs[d.Name] = strings.Join(kv, " ")
	}
	wantAttrs := map[string]string{
		"Interview A":     "wave:text=February gender:text=female age:integer=30 height:float=1.7 consent:boolean=true interviewed:date=2022-11-14 stamp:text=2022-11-14T10:00:00Z participant:text=Anna",
		"Interview A (2)": "",
		"Interview B":     "gender:text=female age:integer=30 height:float=1.7 consent:boolean=true interviewed:date=2022-11-14 stamp:text=2022-11-14T10:00:00Z participant:text=Anna",
		"c":               "city:text=Tbilisi",
	}
	if !reflect.DeepEqual(attrs, wantAttrs) {
		t.Errorf("attributes = %q; want %q", attrs, wantAttrs)
	}
	names := map[string]string{}
	for _, d := range snap.Documents {
		names[d.GUID] = d.Name
	}
	for _, c := range snap.Codings {
		names[c.GUID] = "coding " + spanText(t, snap, c)
	}
	names["c0de0000-0000-4000-8000-000000000001"] = "Reasons"
	var memos []string
	for _, m := range snap.Memos {
		memos = append(memos, m.Target+" "+names[m.TargetGUID]+": "+m.Text+" ("+m.Coder+")")
	}
	wantMemos := []string{
		"document Interview A: Recorded in a café. (Boris)",
		"coding coding Café: first word (Boris)",
		"code Reasons: Codes for why people left. (Boris)",
		"document Interview A: A talkative participant. (Boris)",
		"coding coding society: Strong word. (Boris)",
		"project : Project-wide note. (Boris)",
		"project : Loose note. (Boris)",
	}
	if !reflect.DeepEqual(memos, wantMemos) {
		t.Errorf("memos:\n%s\nwant:\n%s", strings.Join(memos, "\n"), strings.Join(wantMemos, "\n"))
	}
	if got := rep.SkippedByKind(); !reflect.DeepEqual(got, []KindCount{{"PDF", 1}, {"audio", 1}, {"picture", 1}, {"text", 1}}) {
		t.Errorf("skipped by kind = %+v", got)
	}
	if len(rep.Mismatches) != 0 || !reflect.DeepEqual(rep.Converted, []Converted{{"Interview B", "UTF-16 code units"}}) {
		t.Errorf("mismatches %+v, converted %+v", rep.Mismatches, rep.Converted)
	}
	warnings := strings.Join(rep.Warnings, "\n")
	for _, w := range []string{
		`project.qde:2: code "Reasons/Fear": colour "#FF112233" is not a colour; left without one`,
		`code "Reasons/War - Mobilization": name "War/Mobilization" read as "War - Mobilization"`,
		`code "Reasons/fear (2)": name "fear" read as "fear (2)": a sibling has the same name`,
		`code "Reasons": isCodable="false" (a folder that cannot be applied): imported as an ordinary code`,
		"two sources are called Interview A; the second is Interview A (2)",
		"1 link not imported",
		"1 set not imported",
	} {
		if !strings.Contains(warnings, w) {
			t.Errorf("warnings lack %q:\n%s", w, warnings)
		}
	}
}
