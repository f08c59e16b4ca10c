package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

// These tests cover how import reads who speaks (--speakers,
// --speaker-pattern), the encoding (--encoding), which document a file
// becomes (folders, --new-version), and what the summary says of each.

// importOut is the JSON import prints, with the fields these tests read.
type importOut struct {
	Files []struct {
		File     string `json:"file"`
		Status   string `json:"status"`
		Document string `json:"document"`
		Version  int    `json:"version"`
		Renamed  bool   `json:"renamed"`
		Speakers []struct {
			Name  string `json:"name"`
			Role  string `json:"role"`
			Turns int    `json:"turns"`
			Words int    `json:"words"`
		} `json:"speakers"`
		Warnings []string `json:"warnings"`
		Error    string   `json:"error"`
	} `json:"files"`
	Skipped []struct {
		File   string `json:"file"`
		Reason string `json:"reason"`
	} `json:"skipped"`
	SkippedOtherFormats int `json:"skipped_other_formats"`
}

// speakerLine is a document's speakers as "Name role turns", for
// comparing.
func (o importOut) speakers(i int) []string {
	var out []string
	for _, s := range o.Files[i].Speakers {
		out = append(out, s.Name+" "+s.Role+" "+strings.Repeat("|", s.Turns))
	}
	return out
}

// r07 is an interview in which Nino asks and Anna K. Petrova answers,
// with a transcriber's note that detection might take for a speaker.
const r07 = `Nino: Where did you live before you left?

Anna K. Petrova: In Kazan, near the river, for twenty years, with my family and our two cats.

Nino: Why did you leave?

Anna K. Petrova: My brother got a call-up paper at his office, and we did not wait for ours.

Note: the recording was interrupted here.

Nino: And what do you do now?

Anna K. Petrova: Now I teach Russian to Georgian children and translate for a small NGO.
`

// r07Cyrillic is a Russian interview; its windows-1251 bytes are what an
// old Word "Save as text" gives.
const r07Cyrillic = `Интервьюер: Где вы жили до отъезда?

Респондент: В Казани, у реки, двадцать лет, с семьёй и двумя кошками.

Интервьюер: Почему вы уехали?

Респондент: Брату пришла повестка, и мы не стали ждать своих. Уехали через Верхний Ларс.
`

// writeTree writes files (slash-separated paths relative to a new
// temporary folder) and returns the folder.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func importJSONOut(t *testing.T, dir string, args ...string) importOut {
	t.Helper()
	var out importOut
	qcJSON(t, dir, &out, append(append([]string{"import"}, args...), "--json")...)
	return out
}

func docNames(t *testing.T, dir string) []string {
	t.Helper()
	var names []string
	for _, d := range docs(t, dir, "--all") {
		names = append(names, d.Name)
	}
	return names
}

// TestImportOptionsRefused gives import options it cannot use: each is
// refused before anything is read, naming the option and the reason,
// and the project is exactly as it was.
func TestImportOptionsRefused(t *testing.T) {
	t.Parallel()
	dir := seededProject(t)
	folder := writeTree(t, map[string]string{"R07.txt": r07})
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"unknown encoding", []string{"--encoding", "utf9"}, []string{"--encoding", `"utf9"`, "windows-1251", "koi8-r"}},
		{"pattern that does not compile", []string{"--speaker-pattern", `^(?P<speaker>[A-Z]+:`}, []string{"--speaker-pattern", "missing closing )"}},
		{"pattern without the speaker group", []string{"--speaker-pattern", `^([A-Z]+):`}, []string{"--speaker-pattern", `named group "speaker"`, "(?P<speaker>"}},
		{"pattern with another group's name", []string{"--speaker-pattern", `^(?P<who>[A-Z]+):`}, []string{"--speaker-pattern", `named group "speaker"`}},
		{"empty pattern", []string{"--speaker-pattern", ""}, []string{"--speaker-pattern", "empty"}},
		{"no speaker names", []string{"--speakers", " , ,"}, []string{"--speakers", "no names"}},
		{"empty speakers", []string{"--speakers", ""}, []string{"--speakers", "no names"}},
		{"speakers and a pattern", []string{"--speakers", "Nino", "--speaker-pattern", `^(?P<speaker>\w+):`}, []string{"--speakers", "--speaker-pattern", "one or the other"}},
		{"a speaker name with a terminal escape", []string{"--speakers", "Nino,An\x1b[2Jna"}, []string{"--speakers", "control character", "U+001B"}},
		{"a speaker name with a bidi override", []string{"--speakers", "Nino,\u202eanna"}, []string{"--speakers", "U+202E"}},
	}
	before := snapshot(t, dir)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, asJSON := range []bool{false, true} {
				args := append([]string{"import", folder}, tt.args...)
				if asJSON {
					args = append(args, "--json")
				}
				stdout, stderr, err := qc(t, dir, args...)
				if err == nil {
					t.Fatalf("run(%q) = nil, want an error; stdout %q", args, stdout)
				}
				for _, w := range tt.want {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("run(%q) = %q, want it to contain %q", args, err, w)
					}
				}
				if stdout != "" || stderr != "" {
					t.Errorf("run(%q) printed %q / %q, want nothing: nothing was imported", args, stdout, stderr)
				}
			}
		})
	}
	diffSnapshots(t, "refused import options", before, snapshot(t, dir))
}

// TestImportSummary imports two interviews: the summary line of each
// names its speakers with their roles and turns, and --json carries the
// same, with the warnings.
func TestImportSummary(t *testing.T) {
	t.Parallel()
	dir := newProject(t)
	folder := writeTree(t, map[string]string{
		"R07.txt": r07,
		"R08.txt": "Interviewer: How did you come to Tbilisi?\n\nRespondent: By bus, through Upper Lars, in September.\n\nInterviewer: Alone?\n\nRespondent: With my son.\n",
	})
	stdout := mustQC(t, dir, "import", folder)
	top := filepath.Base(folder)
	want := []string{
		"imported 2; ",
		"\n" + filepath.Join(top, "R07.txt") + " → R07: Nino (interviewer) 3 turns, Anna K. Petrova 3 turns\n",
		"\n" + filepath.Join(top, "R08.txt") + " → R08: Interviewer (interviewer) 2 turns, Respondent 2 turns\n",
	}
	for _, w := range want {
		if !strings.Contains(stdout, w) {
			t.Errorf("import printed:\n%s\nwant it to contain %q", stdout, w)
		}
	}
	if !strings.HasPrefix(stdout, "imported 2; ") {
		t.Errorf("import printed:\n%s\nwant the tally on the first line", stdout)
	}

	// Imported again: nothing new, and the summary says so in one line,
	// not a line per file.
	stdout, stderr, err := qc(t, dir, "import", folder)
	if err != nil || stdout != "imported 0, 2 unchanged; 0 words.\n" || stderr != "" {
		t.Errorf("import again = %v, printed %q / %q; want the one line \"imported 0, 2 unchanged; 0 words.\"", err, stdout, stderr)
	}
	// One file imported again is named.
	stdout, stderr, err = qc(t, dir, "import", filepath.Join(folder, "R07.txt"))
	if err != nil || stdout != "imported 0, 1 unchanged; 0 words.\n" || !strings.Contains(stderr, "R07.txt: unchanged, already imported as R07") {
		t.Errorf("import R07.txt again = %v, printed %q / %q; want it named as unchanged", err, stdout, stderr)
	}
	// Options that would read a folder's files again are said to be
	// unused once.
	_, stderr, err = qc(t, dir, "import", folder, "--speakers", "Interviewer,Respondent")
	if err != nil || strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "2 files unchanged: --speakers not applied") {
		t.Errorf("import --speakers again = %v, stderr %q; want one line saying --speakers was not applied", err, stderr)
	}

	// --json: each file carries speakers (name, role, turns, words) and
	// warnings, as arrays even when empty.
	dir = newProject(t)
	out := importJSONOut(t, dir, filepath.Join(folder, "R07.txt"))
	if len(out.Files) != 1 {
		t.Fatalf("import --json = %+v, want one file", out)
	}
	if got, want := out.speakers(0), []string{"Nino interviewer |||", "Anna K. Petrova participant |||"}; !slices.Equal(got, want) {
		t.Errorf("import --json speakers = %q, want %q", got, want)
	}
	for _, s := range out.Files[0].Speakers {
		if s.Words == 0 {
			t.Errorf("import --json: speaker %s has no words", s.Name)
		}
	}
	stdout = mustQC(t, newProject(t), "import", filepath.Join(folder, "R07.txt"), "--json")
	var raw struct {
		Files []map[string]json.RawMessage `json:"files"`
	}
	decodeOne(t, stdout, &raw, []string{"import", "--json"})
	for _, key := range []string{"file", "status", "document", "version", "renamed", "speakers", "warnings"} {
		if _, ok := raw.Files[0][key]; !ok {
			t.Errorf("import --json: a file has no %q field:\n%s", key, stdout)
		}
	}
	if w := string(raw.Files[0]["warnings"]); w == "null" {
		t.Errorf("import --json: warnings is null, want an array")
	}
}

// places is an interview in which a list of places, written like labels,
// makes detection take two towns for speakers (with a warning each).
const places = `Nino: Where did you live before you left?

Anna K. Petrova: In three towns. The list was:

Kazan: two years.

Samara: one year.

Nino: And then?

Anna K. Petrova: Then we left, through Upper Lars.
`

// TestImportSpeakersFlag: --speakers makes the names given the only
// labels, so a line that looks like a label is not a speaker, and a name
// with spaces and periods is one speaker.
func TestImportSpeakersFlag(t *testing.T) {
	t.Parallel()
	p := writeFile(t, t.TempDir(), "R11.txt", places)

	// Detection takes the towns for speakers, and warns: the summary
	// shows both.
	dir := newProject(t)
	stdout := mustQC(t, dir, "import", p)
	if !strings.Contains(stdout, "R11.txt → R11: Nino (interviewer) 2 turns, Anna K. Petrova 2 turns, Kazan 1 turn, Samara 1 turn\n  warning: ") ||
		!strings.Contains(stdout, "  warning: The label \"Kazan\"") {
		t.Errorf("import of R11 printed:\n%s\nwant the four labels detected and a warning under them naming Kazan", stdout)
	}

	dir = newProject(t)
	out := importJSONOut(t, dir, p, "--speakers", " Nino , Anna K. Petrova ")
	if got, want := out.speakers(0), []string{"Nino interviewer ||", "Anna K. Petrova participant ||"}; !slices.Equal(got, want) {
		t.Errorf("import --speakers \"Nino,Anna K. Petrova\" speakers = %q, want %q", got, want)
	}
	if len(out.Files[0].Warnings) != 0 {
		t.Errorf("import --speakers warnings = %q, want none", out.Files[0].Warnings)
	}
	// Imported again with the names given otherwise: unchanged, and the
	// warning says how to find the speakers again.
	again := importJSONOut(t, dir, p, "--speakers", "Nino")
	if len(again.Files) != 1 || again.Files[0].Status != "unchanged" || len(again.Files[0].Warnings) != 1 ||
		!strings.Contains(again.Files[0].Warnings[0], `qcode turns "R11" --redetect`) {
		t.Errorf("import of R11 again --speakers Nino --json = %+v, want unchanged with a warning naming qcode turns --redetect", again.Files)
	}
	var labels []string
	for _, tn := range show(t, dir, "R11").Turns {
		if tn.Speaker != "" {
			labels = append(labels, tn.Speaker)
		}
	}
	if want := []string{"Nino", "Anna K. Petrova", "Nino", "Anna K. Petrova"}; !slices.Equal(labels, want) {
		t.Errorf("show R11 --json turns' speakers = %q, want %q", labels, want)
	}
}

// TestImportSpeakerPattern: --speaker-pattern finds labels no detection
// knows, here "[00:01:02] NK> ...".
func TestImportSpeakerPattern(t *testing.T) {
	t.Parallel()
	p := writeFile(t, t.TempDir(), "LOG3.txt",
		"[00:00:05] NK> Where did you live before?\n[00:00:09] AP> In Kazan, by the river.\n[00:01:02] NK> And now?\n[00:01:05] AP> In Tbilisi, in Vake, with my son.\n")
	dir := newProject(t)
	stdout := mustQC(t, dir, "import", p, "--speaker-pattern", `^\[[0-9:]+\] (?P<speaker>[A-Z]{2,4})>`)
	if !strings.Contains(stdout, "LOG3.txt → LOG3: NK (interviewer) 2 turns, AP 2 turns\n") {
		t.Errorf("import --speaker-pattern printed:\n%s\nwant NK (interviewer) 2 turns, AP 2 turns", stdout)
	}
	var labels []string
	for _, tn := range show(t, dir, "LOG3").Turns {
		labels = append(labels, tn.Speaker)
	}
	if want := []string{"NK", "AP", "NK", "AP"}; !slices.Equal(labels, want) {
		t.Errorf("show LOG3 --json turns' speakers = %q, want %q", labels, want)
	}
}

// TestImportFolderTree imports a folder as a research team keeps one: two
// waves with an R01.txt each, a README, a licence, Word's lock file and
// Windows' litter. The two R01s are two documents; the rest is listed as
// skipped, or counted as of other formats.
func TestImportFolderTree(t *testing.T) {
	t.Parallel()
	tree := writeTree(t, map[string]string{
		"a/R01.txt":          r07,
		"b/R01.txt":          strings.ReplaceAll(r07, "Kazan", "Samara"),
		"README.md":          "# Interviews\n\nWave a: September 2022. Wave b: March 2023.\n",
		"LICENSE":            "All rights reserved.\n",
		"a/readme.TXT":       "Nino: this wave was recorded in Tbilisi.\n",
		"b/Sources.txt":      "Interviewer: who recommended whom.\n",
		"b/INDEX.md":         "R01\n",
		"CHANGELOG.md":       "- R01 corrected\n",
		"~$R01.docx":         "\x05lock",
		"a/Thumbs.db":        "\x00\x01",
		"b/desktop.ini":      "[.ShellClassInfo]\n",
		".gitkeep":           "",
		"a/recording.m4a":    "\x00\x00\x00\x18ftypM4A ",
		"b/consent-form.pdf": "%PDF-1.7\n",
	})
	top := filepath.Base(tree)
	dir := newProject(t)
	stdout := mustQC(t, dir, "import", tree)
	if want := "imported 2, 10 skipped (not transcripts), 2 of other formats passed over; "; !strings.HasPrefix(stdout, want) {
		t.Errorf("import of the tree printed:\n%s\nwant it to start %q", stdout, want)
	}
	for _, w := range []string{
		filepath.Join(top, "a", "R01.txt") + " → R01: ",
		filepath.Join(top, "b", "R01.txt") + " → R01 (b): ",
		"\n  note: R01 came from another folder, so this file is R01 (b); import it with --new-version to make it R01's next version instead\n",
	} {
		if !strings.Contains(stdout, w) {
			t.Errorf("import of the tree printed:\n%s\nwant it to contain %q", stdout, w)
		}
	}
	for _, f := range []string{"README.md", "LICENSE", "CHANGELOG.md", "~$R01.docx", ".gitkeep", "a/readme.TXT", "a/Thumbs.db", "b/Sources.txt", "b/INDEX.md", "b/desktop.ini"} {
		if w := "skipped " + filepath.Join(top, filepath.FromSlash(f)) + ": not a transcript\n"; !strings.Contains(stdout, w) {
			t.Errorf("import of the tree printed:\n%s\nwant it to contain %q", stdout, w)
		}
	}
	if got, want := docNames(t, dir), []string{"R01", "R01 (b)"}; !slices.Equal(got, want) {
		t.Fatalf("docs --all --json names = %q, want %q: same names in two folders are two documents", got, want)
	}
	if got := show(t, dir, "R01 (b)").Text; !strings.Contains(got, "Samara") {
		t.Errorf("R01 (b) holds %q, want b/R01.txt's text", got)
	}

	// The same tree again: nothing changes, and neither R01 is taken for a
	// new version of the other.
	out := importJSONOut(t, dir, tree)
	var statuses []string
	for _, f := range out.Files {
		statuses = append(statuses, f.Document+" "+f.Status)
	}
	if want := []string{"R01 unchanged", "R01 (b) unchanged"}; !slices.Equal(statuses, want) {
		t.Errorf("import of the tree again --json = %q, want %q", statuses, want)
	}
	if len(out.Skipped) != 10 || out.Skipped[0].Reason != "not a transcript" || out.SkippedOtherFormats != 2 {
		t.Errorf("import of the tree again --json: skipped %+v, other formats %d; want 10 not transcripts and 2 of other formats", out.Skipped, out.SkippedOtherFormats)
	}
	if got, want := docNames(t, dir), []string{"R01", "R01 (b)"}; !slices.Equal(got, want) {
		t.Errorf("docs --all --json names after a second import = %q, want %q", got, want)
	}

	// A corrected b/R01.txt from the same path is the next version of
	// R01 (b), not of R01.
	writeFile(t, filepath.Join(tree, "b"), "R01.txt", strings.ReplaceAll(r07, "Kazan", "Saratov"))
	out = importJSONOut(t, dir, filepath.Join(tree, "b"))
	if len(out.Files) != 1 || out.Files[0].Document != "R01 (b)" || out.Files[0].Status != "new version" || out.Files[0].Version != 2 || !out.Files[0].Renamed {
		t.Errorf("import of a changed b/R01.txt --json = %+v, want R01 (b) version 2", out.Files)
	}

	// A README named on the command line is imported.
	out = importJSONOut(t, dir, filepath.Join(tree, "README.md"))
	if len(out.Files) != 1 || out.Files[0].Status != "imported" || out.Files[0].Document != "README" {
		t.Errorf("import README.md --json = %+v, want it imported as README", out.Files)
	}
}

// TestImportNewVersion: a file of a document's name from another folder is
// a document of its own unless --new-version says it is the next version.
func TestImportNewVersion(t *testing.T) {
	t.Parallel()
	tree := writeTree(t, map[string]string{
		"wave1/R01.txt":     r07,
		"wave2/R01.txt":     strings.ReplaceAll(r07, "Kazan", "Samara"),
		"corrected/R01.txt": strings.ReplaceAll(r07, "two cats", "three cats"),
	})
	dir := newProject(t)
	mustQC(t, dir, "import", filepath.Join(tree, "wave1", "R01.txt"))

	stdout := mustQC(t, dir, "import", filepath.Join(tree, "wave2"))
	if w := filepath.Join("wave2", "R01.txt") + " → R01 (wave2): "; !strings.Contains(stdout, w) {
		t.Errorf("import wave2 printed:\n%s\nwant it to contain %q", stdout, w)
	}
	out := importJSONOut(t, dir, filepath.Join(tree, "corrected", "R01.txt"), "--new-version")
	if len(out.Files) != 1 || out.Files[0].Document != "R01" || out.Files[0].Status != "new version" || out.Files[0].Version != 2 || out.Files[0].Renamed {
		t.Errorf("import corrected/R01.txt --new-version --json = %+v, want R01 version 2", out.Files)
	}
	if got := show(t, dir, "R01").Text; !strings.Contains(got, "three cats") {
		t.Errorf("R01's latest version holds %q, want the corrected text", got)
	}
	stdout = mustQC(t, dir, "import", filepath.Join(tree, "wave1", "R01.txt"))
	if !strings.HasPrefix(stdout, "imported 0, 1 unchanged;") {
		t.Errorf("import of wave1/R01.txt again printed %q, want it unchanged", stdout)
	}
	if got, want := docNames(t, dir), []string{"R01", "R01", "R01 (wave2)"}; !slices.Equal(got, want) {
		t.Errorf("docs --all --json names = %q, want %q", got, want)
	}
}

// TestImportEncoding imports a Russian interview saved as windows-1251:
// it is read right, with a warning that the encoding was guessed; forced
// as koi8-r it gives other text, with no warning of a guess. A file in no encoding
// is refused with a hint to use --encoding.
func TestImportEncoding(t *testing.T) {
	t.Parallel()
	cp1251, err := charmap.Windows1251.NewEncoder().String(r07Cyrillic)
	if err != nil {
		t.Fatal(err)
	}
	p := writeFile(t, t.TempDir(), "R07.txt", cp1251)

	dir := newProject(t)
	stdout := mustQC(t, dir, "import", p)
	if !strings.Contains(stdout, "R07.txt → R07: Интервьюер (interviewer) 2 turns, Респондент 2 turns\n  warning: read as windows-1251") ||
		!strings.Contains(stdout, "--encoding") {
		t.Errorf("import of a windows-1251 file printed:\n%s\nwant its speakers and a warning that names windows-1251 and --encoding", stdout)
	}
	if got := show(t, dir, "R07").Text; got != r07Cyrillic {
		t.Errorf("R07 read as %q, want %q", got, r07Cyrillic)
	}
	// The same bytes again in the encoding they were read in: unchanged.
	stdout, stderr, err := qc(t, dir, "import", p, "--encoding", "windows-1251")
	if err != nil || !strings.HasPrefix(stdout, "imported 0, 1 unchanged;") {
		t.Errorf("import of the same file --encoding windows-1251 = %v, printed %q / %q; want it unchanged", err, stdout, stderr)
	}
	// Forced otherwise, they read otherwise: the next version (a wrong
	// guess is corrected this way).
	stdout, stderr, err = qc(t, dir, "import", p, "--encoding", "koi8-r")
	if err != nil || !strings.HasPrefix(stdout, "imported 0, 1 new version;") || !strings.Contains(stdout, "R07 (version 2)") {
		t.Errorf("import of the same file --encoding koi8-r = %v, printed %q / %q; want R07's version 2", err, stdout, stderr)
	}

	for _, enc := range []string{"koi8-r", "KOI8R"} {
		dir = newProject(t)
		out := importJSONOut(t, dir, p, "--encoding", enc)
		if len(out.Files) != 1 || out.Files[0].Status != "imported" {
			t.Fatalf("import --encoding %s --json = %+v, want it imported", enc, out.Files)
		}
		// A forced encoding is not guessed: no warning says so. (Read
		// wrongly, the labels are garbled and none is found.)
		for _, w := range out.Files[0].Warnings {
			if strings.Contains(w, "read as") {
				t.Errorf("import --encoding %s --json: warning %q, want none about the encoding", enc, w)
			}
		}
		koi, err := charmap.KOI8R.NewDecoder().String(cp1251)
		if err != nil {
			t.Fatal(err)
		}
		if got := show(t, dir, "R07").Text; got != koi || got == r07Cyrillic {
			t.Errorf("R07 forced as %s reads %q, want %q", enc, got, koi)
		}
	}

	// Forced as UTF-8 the same bytes are refused, naming the file.
	msg, _, _ := wantErr(t, newProject(t), "import", p, "--encoding", "utf-8")
	if !strings.Contains(msg, p) || !strings.Contains(msg, "UTF-8") {
		t.Errorf("import --encoding utf-8 of a windows-1251 file = %q, want the file and UTF-8", msg)
	}

	// Bytes undefined or control characters in every encoding.
	bad := writeFile(t, t.TempDir(), "R09.txt", "I: hello \x81\x8d\x8f\x90\x9d\x98\n")
	msg, _, _ = wantErr(t, newProject(t), "import", bad)
	if !strings.Contains(msg, bad) || !strings.Contains(msg, "--encoding") {
		t.Errorf("import of a file in no encoding = %q, want the file and a hint to use --encoding", msg)
	}
}

// TestImportSummaryEscapes: a file name holding a terminal escape is
// printed escaped in the summary and the notes, never sent to the
// terminal as it is.
func TestImportSummaryEscapes(t *testing.T) {
	t.Parallel()
	folder := writeTree(t, map[string]string{"R\x1b[2J07.txt": r07})
	dir := newProject(t)
	for i := 0; i < 2; i++ { // imported, then unchanged
		stdout, stderr, err := qc(t, dir, "import", folder)
		if err != nil {
			t.Fatalf("run(import) = %v", err)
		}
		if strings.ContainsRune(stdout+stderr, '\x1b') || !strings.Contains(stdout+stderr, `R\u001B[2J07`) {
			t.Errorf("import printed %q / %q, want the escape shown as \\u001B", stdout, stderr)
		}
	}
}
