package refiqda

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A warning about a code names the line its <Code> tag is on in a
// project.qde written over many lines, as NVivo writes it, and a code's
// description keeps its trailing spaces and line break on the way in
// and out.
func TestProjectCodeLinesAndDescriptions(t *testing.T) {
	body := "\n<CodeBook>\n<Codes>\n" +
		`<Code guid="c0de0000-0000-4000-8000-000000000001" name="Attitude" isCodable="true">` + "\n" +
		"<Description>Roots of an attitude.  \n</Description>\n" +
		`<Code guid="c0de0000-0000-4000-8000-000000000002" name="Attituderoots" isCodable="true"` + "\n" +
		`  color="#GG0000"/>` + "\n" +
		"</Code>\n</Codes>\n</CodeBook>\n"
	data := makeZip(t, entry{"project.qde", qde("NVivo 14", body)})
	path := filepath.Join(t.TempDir(), "lines.qdpx")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	snap, rep, err := ReadProject(path)
	if err != nil {
		t.Fatal(err)
	}
	// Line 1 is the XML declaration, 2 <Project>, 3 <CodeBook>, 4 <Codes>,
	// 5 Attitude, 8 Attituderoots (its tag begins there).
	want := `project.qde:8: code "Attitude/Attituderoots": colour "#GG0000"`
	warnings := strings.Join(rep.Warnings, "\n")
	if !strings.Contains(warnings, want) {
		t.Errorf("warnings:\n%s\nwant one starting %q", warnings, want)
	}
	var desc string
	for _, c := range snap.Codes {
		if c.Name == "Attitude" {
			desc = c.Description
		}
	}
	if desc != "Roots of an attitude.  \n" {
		t.Errorf("description read = %q, want the trailing spaces and line break kept", desc)
	}
	var buf bytes.Buffer
	if err := WriteProject(&buf, snap, ProjectOptions{Origin: "qcode"}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "again.qdpx")
	if err := os.WriteFile(out, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	again, _, err := ReadProject(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range again.Codes {
		if c.Name == "Attitude" && c.Description != desc {
			t.Errorf("description after export and import = %q, want %q", c.Description, desc)
		}
	}
}
