package refiqda

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/qcode-dev/qcode/coding"
)

// peopleOf lists a snapshot's cases, speakers and document attributes as
// text, without GUIDs.
func peopleOf(snap *coding.Snapshot) []string {
	var out []string
	cases := map[string]string{}
	for _, c := range snap.Cases {
		cases[c.GUID] = c.Name
		line := "case " + c.Name
		for _, a := range c.Attributes {
			line += " " + a.Key + ":" + a.Type + "=" + a.Value
		}
		out = append(out, line)
	}
	for _, d := range snap.Documents {
		for _, sp := range d.Speakers {
			out = append(out, "speaker "+d.Name+" "+sp.Name+" "+sp.Role+" "+cases[sp.CaseGUID])
		}
		for _, a := range sorted(d.Attributes) {
			out = append(out, "attribute "+d.Name+" "+a)
		}
	}
	return out
}

func hasWarning(rep Report, parts ...string) bool {
	for _, w := range rep.Warnings {
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(w, p)
		}
		if ok {
			return true
		}
	}
	return false
}

// TestReadCases reads cases as QualCoder and others write them: over a
// whole source (document attributes, as before), over speakers' turns (a
// case tied to the speaker), over nothing (a case, reported).
func TestReadCases(t *testing.T) {
	snap, rep, err := ReadProject(filepath.Join("testdata", "cases.qdpx"))
	if err != nil {
		t.Fatal(err)
	}
	checkSnapshot(t, snap)
	want := []string{
		"case Marina age:float=29",
		"case Oleg age:float=34 gender:text=male city:text=Perm",
		"case Zaira age:float=45 gender:text=female city:text=Kazan",
		"speaker Focus group Marina  Marina",
		"speaker Focus group Oleg  Oleg",
		"attribute Interview 1 age:float=31",
		"attribute Interview 1 gender:text=female",
		"attribute Interview 1 participant:text=Maria",
	}
	if got := peopleOf(snap); !reflect.DeepEqual(got, want) {
		t.Errorf("read:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !hasWarning(rep, "case Zaira", "3 values", "no document") {
		t.Errorf("the case referring to nothing was not reported: %q", rep.Warnings)
	}
	if !hasWarning(rep, "case Marina", "description") {
		t.Errorf("Marina's description was dropped without a word: %q", rep.Warnings)
	}
	if len(rep.Mismatches)+len(rep.Skipped) != 0 || len(snap.Codings) != 1 {
		t.Errorf("report %+v, %d codings; want none and 1", rep, len(snap.Codings))
	}

	// Into a project: the speakers of the focus group are tied to their
	// cases, the others get the roles an import gives.
	got, res := importInto(t, filepath.Join("testdata", "cases.qdpx"), t.TempDir())
	if res.Merge.Cases != 3 || res.Merge.CaseAttributes != 7 {
		t.Errorf("merge summary %+v; want 3 cases, 7 case attributes", res.Merge)
	}
	want = []string{
		"case Marina age:float=29",
		"case Oleg age:float=34 gender:text=male city:text=Perm",
		"case Zaira age:float=45 gender:text=female city:text=Kazan",
		"speaker Focus group Marina participant Marina",
		"speaker Focus group Moderator interviewer ",
		"speaker Focus group Oleg participant Oleg",
		"speaker Interview 1 Interviewer interviewer ",
		"speaker Interview 1 Maria participant ",
		"attribute Interview 1 age:float=31",
		"attribute Interview 1 gender:text=female",
		"attribute Interview 1 participant:text=Maria",
	}
	if g := peopleOf(got); !reflect.DeepEqual(g, want) {
		t.Errorf("imported:\n%s\nwant:\n%s", strings.Join(g, "\n"), strings.Join(want, "\n"))
	}
}

// TestCaseRoles reads back every Description roleDescription writes, and
// nothing else.
func TestCaseRoles(t *testing.T) {
	doc := func(name string) coding.SnapshotDocument {
		return coding.SnapshotDocument{Name: name, Latest: true}
	}
	ties := []caseTie{
		{doc("R07"), coding.SnapshotSpeaker{Name: "Nino", Role: coding.RoleInterviewer}},
		{doc(`A "quoted": doc`), coding.SnapshotSpeaker{Name: "Nino K.", Role: coding.RoleParticipant}},
		{doc("R09"), coding.SnapshotSpeaker{Name: "Nino", Role: coding.RoleParticipant}},
	}
	d := roleDescription(ties)
	main, others, ok := caseRoles(d)
	if !ok || main != coding.RoleParticipant || !reflect.DeepEqual(others, map[[2]string]string{{"R07", "Nino"}: coding.RoleInterviewer}) {
		t.Errorf("caseRoles(%q) = %q, %v, %v", d, main, others, ok)
	}
	for _, s := range []string{"", "Met twice.", "qcode role: boss", "qcode role: other\nand more", `qcode role: other` + "\n" + `qcode role of "x" in "y" interviewer`} {
		if _, _, ok := caseRoles(s); ok {
			t.Errorf("caseRoles(%q) read roles", s)
		}
	}
}

// peopleStore builds a project with speakers in every role: a focus group
// (a moderator and three participants, each their own case, one of them
// Other), an interview with an interviewer called by name (the document
// says so) whose one respondent has a case too, and a participant
// attribute.
func peopleStore(t *testing.T) *coding.Store {
	t.Helper()
	ctx := context.Background()
	s, err := coding.Create(ctx, filepath.Join(t.TempDir(), "people.qcode"), coding.Options{Coder: "nino"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	for _, f := range []coding.ImportFile{
		{Path: "FG1.txt", Data: []byte("Moderator: Why did you leave?\nOleg: The draft.\nMarina: My work moved to Tbilisi.\nTimur: I followed my sister.\nModerator: And now?\nOleg: We stay, for now. 😀\n")},
		{Path: "R07.txt", Data: []byte("---\ninterviewer: Nino\nparticipant: P07\n---\nNino: When did you come?\nAnna: In March.\nNino: Why Tbilisi?\nAnna: Friends were here.\n")},
	} {
		if _, err := s.Import(ctx, f); err != nil {
			t.Fatalf("import %s: %v", f.Path, err)
		}
	}
	set := func(doc, speaker string, ch coding.SpeakerChange) {
		t.Helper()
		if _, err := s.SetSpeaker(ctx, doc, speaker, ch); err != nil {
			t.Fatalf("SetSpeaker(%s, %s): %v", doc, speaker, err)
		}
	}
	set("FG1", "Oleg", coding.SpeakerChange{Case: "P11", Attributes: []coding.Attribute{
		{Key: "gender", Type: coding.TypeText, Value: "male"}, {Key: "age", Type: coding.TypeInteger, Value: "34"}}})
	set("FG1", "Marina", coding.SpeakerChange{Case: "P12", Attributes: []coding.Attribute{
		{Key: "gender", Type: coding.TypeText, Value: "female"}, {Key: "age", Type: coding.TypeInteger, Value: "29"}, {Key: "left", Type: coding.TypeDate, Value: "2022-09-23"}}})
	set("FG1", "Timur", coding.SpeakerChange{Role: "other", Case: "P13", Attributes: []coding.Attribute{
		{Key: "age", Type: coding.TypeInteger, Value: "41"}, {Key: "city", Type: coding.TypeText, Value: "Kutaisi"}}})
	set("R07", "Anna", coding.SpeakerChange{Case: "Anna K.", Attributes: []coding.Attribute{{Key: "occupation", Type: coding.TypeText, Value: "designer"}}})
	if _, err := s.SetAttributes(ctx, "R07", []coding.Attribute{{Key: "city", Value: "Tbilisi"}}); err != nil {
		t.Fatal(err)
	}
	// A case nobody speaks as (yet).
	if _, err := s.SetSpeaker(ctx, "FG1", "Moderator", coding.SpeakerChange{Case: "Spare", Attributes: []coding.Attribute{{Key: "note", Type: coding.TypeText, Value: "kept"}}}); err != nil {
		t.Fatal(err)
	}
	set("FG1", "Moderator", coding.SpeakerChange{Case: "-"})
	d, err := s.Document(ctx, "FG1", true)
	if err != nil {
		t.Fatal(err)
	}
	spans := coding.MatchSpans(d.Text, "My work moved")
	if _, _, err := s.Tag(ctx, coding.TagRequest{Doc: "FG1", Code: "Work", Spans: spans, Create: true}); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestRoundTripPeople exports a project with speakers and cases, imports
// the export into a new project and exports that: the two exports are
// byte-identical, valid, and the speakers, roles, cases and attributes
// are those of the first project.
func TestRoundTripPeople(t *testing.T) {
	ctx := context.Background()
	s := peopleStore(t)
	snap, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	first := export(t, snap)
	p, err := decodeProject(bytes.NewReader(qdeOf(t, first)))
	if err != nil {
		t.Fatal(err)
	}
	var cases []string
	for _, c := range p.Cases.Cases {
		cases = append(cases, c.Name+" "+strconv.Itoa(len(c.Values))+" values "+strconv.Itoa(len(c.SourceRefs))+" sources "+
			strconv.Itoa(len(c.SelectionRefs))+" selections "+strings.ReplaceAll(c.Description, "\n", " / "))
	}
	wantCases := []string{
		"P07 3 values 1 sources 0 selections ",
		"Anna K. 1 values 0 sources 2 selections qcode role: participant",
		"P11 2 values 0 sources 2 selections qcode role: participant",
		"P12 3 values 0 sources 1 selections qcode role: participant",
		"P13 2 values 0 sources 1 selections qcode role: other",
		"Spare 1 values 0 sources 0 selections ",
	}
	if !reflect.DeepEqual(cases, wantCases) {
		t.Errorf("cases in the export:\n%s\nwant:\n%s", strings.Join(cases, "\n"), strings.Join(wantCases, "\n"))
	}

	file := filepath.Join(t.TempDir(), "people.qdpx")
	if err := os.WriteFile(file, first, 0o600); err != nil {
		t.Fatal(err)
	}
	back, res := importInto(t, file, t.TempDir())
	if len(res.Report.Mismatches)+len(res.Report.Skipped) != 0 || len(res.Merge.Conflicts) != 0 {
		t.Errorf("importing our export reported %+v, conflicts %v", res.Report, res.Merge.Conflicts)
	}
	if want := []string{"case Spare (1 value) refers to no document imported; kept as a case tied to no speaker"}; !reflect.DeepEqual(res.Report.Warnings, want) {
		t.Errorf("warnings %q; want %q", res.Report.Warnings, want)
	}
	if got, want := peopleOf(back), peopleOf(snap); !reflect.DeepEqual(got, want) {
		t.Errorf("after the round trip:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	guids := func(s *coding.Snapshot) []string {
		var out []string
		for _, c := range s.Cases {
			out = append(out, c.GUID)
		}
		return out
	}
	if got, want := guids(back), guids(snap); !reflect.DeepEqual(got, want) {
		t.Errorf("case GUIDs %q; want %q", got, want)
	}
	if second := export(t, back); !bytes.Equal(first, second) {
		t.Errorf("the second export differs from the first:\n%s\n---\n%s", qdeOf(t, first), qdeOf(t, second))
	}

	// Merging the export into the project it came from adds nothing.
	read, _, err := ReadProject(file)
	if err != nil {
		t.Fatal(err)
	}
	sum, _, err := s.Merge(ctx, read, coding.MergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Added() || len(sum.Conflicts) != 0 {
		t.Errorf("merging the export back = %+v; want nothing", sum)
	}
}

// qdeOf returns the project.qde of a .qdpx.
func qdeOf(t *testing.T, data []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := zr.File[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
