package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const versionsR01 = `Интервьюер: Почему вы уехали? 🙂
Анна: Из-за мобилизации. Я боялась за брата, он мог попасть под призыв.
Интервьюер: А родители?
Анна: Родители остались в Москве. We talk about flowers, never about the war.
Интервьюер: Как вы помогаете?
Анна: Я перевожу деньги на фонды каждый месяц и волонтёрю в Тбилиси.
`

func versionsProject(t *testing.T) (dir, src string) {
	t.Helper()
	dir = newProject(t)
	src = t.TempDir()
	mustQC(t, dir, "import", writeFile(t, src, "R01.txt", versionsR01))
	mustQC(t, dir, "tag", "R01", "Fear", "--match", "Я боялась за брата", "--create")
	mustQC(t, dir, "tag", "R01", "Family", "--match", "Родители остались в Москве. We talk about flowers", "--create")
	mustQC(t, dir, "tag", "R01", "Help", "--match", "волонтёрю в Тбилиси", "--create")
	return dir, src
}

var versionsR01v2 = strings.NewReplacer(
	"Почему вы уехали?", "[пауза] Почему вы уехали из России?",
	"в Москве. We", "в Санкт-Петербурге. We",
	" и волонтёрю в Тбилиси", "",
).Replace(versionsR01)

// TestDocReplace replaces a coded document: the dry run, the report, the
// orphans, JSON, and undo.
func TestDocReplace(t *testing.T) {
	t.Parallel()
	dir, src := versionsProject(t)
	file := writeFile(t, src, "R01 fixed.txt", versionsR01v2)
	out := mustQC(t, dir, "doc", "replace", "R01", file, "--dry-run")
	if !strings.HasPrefix(out, "Dry run, nothing changed: R01 (version 2): 1 coding moved, 1 changed, 1 orphaned (qcode doc orphans R01)\n") {
		t.Errorf("dry run:\n%s", out)
	}
	if ds := docs(t, dir, "--all"); len(ds) != 1 {
		t.Fatalf("a dry run made a version: %+v", ds)
	}
	out = mustQC(t, dir, "doc", "replace", "R01", file)
	for _, want := range []string{
		"R01 (version 2): 1 coding moved, 1 changed, 1 orphaned (qcode doc orphans R01)\n",
		"changed #2 Family (ana)",
		"  - Родители остались в Москве. We talk about flowers\n  + Родители остались в Санкт-Петербурге. We talk about flowers\n",
		"orphaned #3 Help (ana) R01@1",
		": волонтёрю в Тбилиси (its text is gone)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("replace output lacks %q:\n%s", want, out)
		}
	}
	out = mustQC(t, dir, "doc", "orphans", "R01")
	if !strings.Contains(out, "#3 Help (ana) R01@1") || !strings.Contains(out, "волонтёрю в Тбилиси") {
		t.Errorf("doc orphans:\n%s", out)
	}
	var orphans []struct {
		ID      int64  `json:"id"`
		Version int    `json:"version"`
		Text    string `json:"text"`
	}
	qcJSON(t, dir, &orphans, "doc", "orphans", "R01", "--json")
	if len(orphans) != 1 || orphans[0].ID != 3 || orphans[0].Version != 1 || orphans[0].Text != "волонтёрю в Тбилиси" {
		t.Errorf("doc orphans --json = %+v", orphans)
	}
	if q := quotes(t, dir, "Fear"); len(q) != 1 || q[0].Version != 2 {
		t.Errorf("Fear after replace: %+v", q)
	}
	mustQC(t, dir, "undo")
	if ds := docs(t, dir, "--all"); len(ds) != 1 {
		t.Errorf("undo left %d versions", len(ds))
	}
	if out := mustQC(t, dir, "doc", "orphans", "R01"); !strings.HasPrefix(out, "No orphaned codings") {
		t.Errorf("orphans after undo:\n%s", out)
	}

	var rep struct {
		Status string `json:"status"`
		Carry  struct {
			Moved, Changed, Orphaned int
		} `json:"carry"`
	}
	qcJSON(t, dir, &rep, "doc", "replace", "R01", file, "--json")
	if rep.Status != "new version" || rep.Carry.Moved != 1 || rep.Carry.Changed != 1 || rep.Carry.Orphaned != 1 {
		t.Errorf("replace --json = %+v", rep)
	}
}

// TestImportNewVersionLine: importing a changed file over a document
// prints what was carried.
func TestImportNewVersionLine(t *testing.T) {
	t.Parallel()
	dir, src := versionsProject(t)
	out := mustQC(t, dir, "import", writeFile(t, src, "R01.txt", versionsR01v2))
	if !strings.Contains(out, "  R01 (version 2): 1 coding moved, 1 changed, 1 orphaned (qcode doc orphans R01)\n") {
		t.Errorf("import of a new version:\n%s", out)
	}
}

// TestDocEdit edits a document with an "editor" that is a sed script.
func TestDocEdit(t *testing.T) {
	dir, _ := versionsProject(t)
	bin := t.TempDir()
	seen := filepath.Join(bin, "seen")
	script := filepath.Join(bin, "ed.sh")
	if err := os.WriteFile(script, []byte("#!/bin/sh\nls -l \"$1\" > "+seen+"\nsed -i 's/Почему вы уехали/Скажите, почему вы уехали/' \"$1\"\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("VISUAL", "")
	t.Setenv("EDITOR", script)
	out := mustQC(t, dir, "doc", "edit", "R01")
	if !strings.HasPrefix(out, "R01 (version 2): 3 codings moved, 0 changed, 0 orphaned\n") {
		t.Errorf("doc edit:\n%s", out)
	}
	ls, _ := os.ReadFile(seen)
	if !strings.HasPrefix(string(ls), "-rw-------") {
		t.Errorf("the file given to the editor: %s", ls)
	}
	tmp := strings.Fields(string(ls))
	if _, err := os.Stat(tmp[len(tmp)-1]); err == nil {
		t.Errorf("the temporary file %s is still there", tmp[len(tmp)-1])
	}
	if sh := show(t, dir, "R01"); !strings.Contains(sh.Text, "Скажите, почему") {
		t.Errorf("R01 after edit: %q", sh.Text)
	}
	// An editor that changes nothing makes no version.
	t.Setenv("EDITOR", "true")
	if out := mustQC(t, dir, "doc", "edit", "R01"); !strings.HasPrefix(out, "Nothing changed") {
		t.Errorf("edit without change:\n%s", out)
	}
	if ds := docs(t, dir, "--all"); len(ds) != 2 {
		t.Errorf("%d versions, want 2", len(ds))
	}
}
