package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qcode-dev/qcode/coding"
)

// TestErrors gives commands what a hurried user gives them: names that do
// not exist, passages that are not there, flags that clash. Each must fail
// with a message that says what is wrong, and change nothing.
func TestErrors(t *testing.T) {
	t.Parallel()
	dir := seededProject(t)
	mustQC(t, dir, "code", "add", "Discrimination/Experienced")
	mustQC(t, dir, "code", "add", "Solidarity/Experienced")
	r01 := show(t, dir, "R01")
	length := len([]rune(r01.Text))

	// "With my" occurs twice in R01; the message lists both, as a user
	// would count them.
	var occurrences []string
	runes := []rune(r01.Text)
	for i := 0; i+7 <= len(runes); i++ {
		if string(runes[i:i+7]) == "With my" {
			line := strings.Count(string(runes[:i]), "\n") + 1
			occurrences = append(occurrences, fmt.Sprintf("%d:%d (line %d)", i, i+7, line))
		}
	}
	if len(occurrences) != 2 {
		t.Fatalf("testdata: \"With my\" occurs %d times in R01, want 2", len(occurrences))
	}

	tests := []struct {
		name string
		args []string
		want []string // each must be in the error
	}{
		{"unknown document", []string{"tag", "R99", "Fear of repression", "--span", "0:5"}, []string{`"R99"`, "not found"}},
		{"unknown document in show", []string{"show", "R99"}, []string{`"R99"`, "not found"}},
		{"unknown version", []string{"show", "R01@7"}, []string{`"R01@7"`, "not found"}},
		{"unknown document in attr", []string{"attr", "set", "R99", "age=30"}, []string{`"R99"`, "not found"}},
		{"unknown code", []string{"tag", "R01", "Fear of repressoin", "--span", "0:5"}, []string{`"Fear of repressoin"`, "not found"}},
		{"unknown code in quotes", []string{"quotes", "Fear", "--format", "json"}, []string{`"Fear"`, "not found"}},
		{"unknown code in rm", []string{"code", "rm", "Nope"}, []string{`"Nope"`, "not found"}},
		{"ambiguous code", []string{"tag", "R01", "Experienced", "--span", "0:5"}, []string{"ambiguous", "Discrimination/Experienced", "Solidarity/Experienced"}},
		{"ambiguous match", []string{"tag", "R01", "Fear of repression", "--match", "With my"},
			append([]string{"occurs 2 times", "--all"}, occurrences...)},
		{"match not found", []string{"tag", "R01", "Fear of repression", "--match", "they will come for us FIRST"}, []string{"does not occur", "R01"}},
		{"span out of range", []string{"tag", "R01", "Fear of repression", "--span", fmt.Sprintf("%d:%d", length-3, length+1)},
			[]string{fmt.Sprintf("%d:%d", length-3, length+1), fmt.Sprintf("0:%d", length)}},
		{"span backwards", []string{"tag", "R01", "Fear of repression", "--span", "9:3"}, []string{`"9:3"`, "START < END"}},
		{"span not numbers", []string{"tag", "R01", "Fear of repression", "--span", "ten:twenty"}, []string{`"ten:twenty"`, "START:END"}},
		{"empty match", []string{"tag", "R01", "Fear of repression", "--match", ""}, []string{"--match"}},
		{"empty span", []string{"tag", "R01", "Fear of repression", "--span", ""}, []string{"--span"}},
		{"turn out of range", []string{"tag", "R01", "Fear of repression", "--turn", "99"}, []string{"turns 1 to 6", "99"}},
		{"two ways to say the passage", []string{"tag", "R01", "Fear of repression", "--turn", "2", "--span", "0:5"}, []string{"exactly one of"}},
		{"no passage", []string{"tag", "R01", "Fear of repression"}, []string{"exactly one of"}},
		{"coded twice", []string{"tag", "R01", "Fear of repression", "--match", "they will come for us first"}, []string{"already coded"}},
		{"untag what is not there", []string{"untag", "R01", "Fear of repression", "--span", "0:5"}, []string{"no coding", "0:5"}},
		{"untag by a bad id", []string{"untag", "--id", "seven"}, []string{`"seven"`}},
		{"bad colour", []string{"code", "add", "Trust", "--color", "blue"}, []string{`"blue"`, "#RRGGBB"}},
		{"code name with a terminal escape", []string{"code", "add", "Fear\x1b[31m red"}, []string{"U+001B", "control character"}},
		{"code name with a bidi override", []string{"code", "rename", "Language learning", "\u202egninrael"}, []string{"U+202E", "control character"}},
		{"code name with a C1 control", []string{"code", "add", "Parent/Child\u009b"}, []string{"U+009B", "control character"}},
		{"coder name with a terminal escape", []string{"--coder", "ana\x1b[2J", "tag", "R01", "Fear of repression", "--span", "0:5"}, []string{"U+001B", "control character"}},
		{"code name with a slash", []string{"code", "rename", "Language learning", "Georgian/Russian"}, []string{"'/'"}},
		{"nothing to redo", []string{"redo"}, []string{"nothing to redo"}},
		{"import a missing file", []string{"import", filepath.Join(dir, "missing.txt")}, []string{"missing.txt"}},
		{"import an unsupported file", []string{"import", filepath.Join(testdata(t), "..", "main.go")}, []string{"main.go", "unsupported"}},
		{"unknown command", []string{"tga", "R01"}, []string{"tga"}},
	}
	before := snapshot(t, dir)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg, stdout, stderr := wantErr(t, dir, tt.args...)
			said := msg + "\n" + stderr
			for _, w := range tt.want {
				if !strings.Contains(said, w) {
					t.Errorf("run(%q) = %q (stderr %q), want it to contain %q", tt.args, msg, stderr, w)
				}
			}
			if strings.HasPrefix(msg, "qcode:") {
				t.Errorf("run(%q) = %q: main adds the \"qcode:\" prefix", tt.args, msg)
			}
			// A failed import still prints its tally; nothing else
			// that fails prints anything.
			if stdout != "" && !(tt.args[0] == "import" && strings.HasPrefix(stdout, "imported 0, 1 failed")) {
				t.Errorf("run(%q) failed but printed %q", tt.args, stdout)
			}
		})
	}
	diffSnapshots(t, "failed commands", before, snapshot(t, dir))
}

// TestJSONErrors checks that a --json command that fails writes nothing
// to stdout, so a script never parses half an answer.
func TestJSONErrors(t *testing.T) {
	t.Parallel()
	dir := seededProject(t)
	notProject := t.TempDir()
	tests := []struct {
		dir  string
		args []string
	}{
		{notProject, []string{"docs", "--json"}},
		{notProject, []string{"codes", "--json"}},
		{notProject, []string{"history", "--json"}},
		{dir, []string{"show", "R99", "--json"}},
		{dir, []string{"attr", "list", "R99", "--json"}},
		{dir, []string{"quotes", "Nope", "--json"}},
		{dir, []string{"quotes", "Nope", "--format", "json"}},
		{dir, []string{"memo", "--doc", "R99", "--json"}},
		{dir, []string{"memo", "--code", "Nope", "--json"}},
		{dir, []string{"tag", "R01", "Nope", "--span", "0:5", "--json"}},
		{dir, []string{"tag", "R01", "Fear of repression", "--span", "0:99999", "--json"}},
		{dir, []string{"import", filepath.Join(dir, "missing.txt"), "--json"}},
	}
	for _, tt := range tests {
		out, _, err := qc(t, tt.dir, tt.args...)
		if err == nil {
			t.Errorf("run(%q) = nil, want an error", tt.args)
			continue
		}
		if out != "" {
			t.Errorf("run(%q) = %v and wrote %q to stdout, want nothing", tt.args, err, out)
		}
	}
}

// TestNoProject runs qcode where there is no project: it must say how to
// start one.
func TestNoProject(t *testing.T) {
	// Not parallel: it changes the working directory.
	wd := projectFreeDir(t)
	t.Chdir(wd)
	t.Setenv("QCODE_PROJECT", "")
	for _, args := range [][]string{nil, {"docs"}, {"codes", "--json"}, {"tag", "R01", "Trust", "--span", "0:5"}} {
		out, _, err := qcAs(t, "", defaultCoder, args...)
		if err == nil {
			t.Errorf("run(%q) outside a project = nil, want an error; stdout %q", args, out)
			continue
		}
		for _, w := range []string{"qcode init", "qcode demo"} {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("run(%q) outside a project = %q, want it to suggest %q", args, err, w)
			}
		}
		if out != "" {
			t.Errorf("run(%q) outside a project printed %q", args, out)
		}
	}

	// -p naming a folder that is not a project.
	empty := filepath.Join(wd, "empty")
	if err := os.Mkdir(empty, 0o700); err != nil {
		t.Fatal(err)
	}
	if _, _, err := qc(t, empty, "docs"); err == nil || !strings.Contains(err.Error(), "not a qcode project") {
		t.Errorf("run(-p %s docs) = %v, want \"not a qcode project\"", empty, err)
	}

	// Found by walking up from a folder inside the project.
	mustQC(t, "", "init", "study.qcode")
	sub := filepath.Join(wd, "study.qcode", "sources")
	t.Chdir(sub)
	out, _, err := qcAs(t, "", defaultCoder, "codes")
	if err != nil || !strings.Contains(out, "codebook is empty") {
		t.Errorf("run(codes) inside the project's sources/ = %q, %v; want the project found", out, err)
	}
	t.Chdir(wd)
	out, _, err = qcAs(t, "", defaultCoder)
	if err != nil || !strings.Contains(out, "study.qcode") {
		t.Errorf("run() next to study.qcode = %q, %v; want it to name the project", out, err)
	}
}

// TestHelp checks that help lists the commands a researcher needs.
func TestHelp(t *testing.T) {
	t.Parallel()
	out, _, err := qcAs(t, "", "", "--help")
	if err != nil {
		t.Fatalf("run(--help) = %v", err)
	}
	for _, cmd := range []string{"init", "import", "docs", "show", "codes", "code", "tag", "untag", "quotes", "undo", "redo", "demo"} {
		if !strings.Contains(out, "\n  "+cmd+" ") {
			t.Errorf("run(--help) does not list %s:\n%s", cmd, out)
		}
	}
	out, _, err = qcAs(t, "", "", "tag", "--help")
	if err != nil || !strings.Contains(out, "--match") || !strings.Contains(out, "--span") || !strings.Contains(out, "--turn") {
		t.Errorf("run(tag --help) = %q, %v; want the three ways to give a passage", out, err)
	}
}

// projectFreeDir makes a temporary folder with no qcode project in it or
// above it, where qcode cannot find one by walking up. Others may have
// left projects in the system's temporary folder, so it tries a few
// places.
func projectFreeDir(t *testing.T) string {
	t.Helper()
	bases := []string{os.TempDir(), "/var/tmp", "/dev/shm"}
	if c, err := os.UserCacheDir(); err == nil {
		bases = append(bases, c)
	}
	var found []string
	for _, base := range bases {
		if _, err := os.Stat(base); err != nil {
			continue
		}
		if _, err := coding.Find(base); !errors.Is(err, coding.ErrNotProject) {
			found = append(found, fmt.Sprintf("%s: %v", base, err))
			continue
		}
		dir, err := os.MkdirTemp(base, "qcode-noproject-")
		if err != nil {
			found = append(found, fmt.Sprintf("%s: %v", base, err))
			continue
		}
		t.Cleanup(func() { os.RemoveAll(dir) })
		return dir
	}
	t.Skipf("every temporary folder has a qcode project above it: %s", strings.Join(found, "; "))
	return ""
}
