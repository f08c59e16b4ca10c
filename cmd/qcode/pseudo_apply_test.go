package main

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/coding/pseudo"
)

// qcApply runs 'qcode pseudo apply ARGS' on the project dir as
// defaultCoder.
func qcApply(t *testing.T, dir string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = qcApplyIO(dir, strings.NewReader(""), &out, &errOut, args...)
	return out.String(), errOut.String(), err
}

// qcApplyIO is qcApply reading and writing the files given.
func qcApplyIO(dir string, stdin io.Reader, stdout, stderr io.Writer, args ...string) error {
	full := append([]string{"-p", dir, "pseudo", "apply"}, args...)
	getenv := func(k string) string {
		if k == "QCODE_CODER" {
			return defaultCoder
		}
		return os.Getenv(k)
	}
	return runEnv(context.Background(), full, getenv, stdin, stdout, stderr)
}

func mustApply(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, errOut, err := qcApply(t, dir, args...)
	if err != nil {
		t.Fatalf("pseudo apply %q = %v; stderr:\n%s", args, err, errOut)
	}
	return out
}

// pseudoEntries are the key of the bilingual project: a first name and
// the full name as overlapping entries, a home town, an organisation,
// and a name that is the start of another word (Sasha, Sashimi).
var pseudoEntries = []pseudo.Entry{
	{Real: "Анна Петрова", Pseudonym: "[Участница 1]", Kind: pseudo.Person},
	{Real: "Анна", Pseudonym: "[Участница 1]", Kind: pseudo.Person},
	{Real: "Anna Petrova", Pseudonym: "[Участница 1]", Kind: pseudo.Person},
	{Real: "Воронеж", Pseudonym: "[город]", Kind: pseudo.Place},
	{Real: "Voronezh", Pseudonym: "[город]", Kind: pseudo.Place},
	{Real: "Мемориал", Pseudonym: "[организация]", Kind: pseudo.Org},
	{Real: "Memorial", Pseudonym: "[организация]", Kind: pseudo.Org},
	{Real: "Sasha", Pseudonym: "[Participant 2]", Kind: pseudo.Person},
}

// realForms are the real values in every form the project's texts,
// names, memos and attributes use.
var realForms = []string{
	"Анна", "Анны", "Анне", "Анну", "Анной", "Петрова", "Петровой", "Петрову",
	"Воронеж", "Воронежа", "Воронеже", "Мемориал", "Мемориале",
	"Anna Petrova", "Voronezh", "Memorial", "Sasha",
}

// leaks returns where the files under dir (and their names) hold a
// real form as a word, in its case as written, lower or upper case:
// "анна" inside "Ганна" is not one.
func leaks(t *testing.T, dir string) []string {
	t.Helper()
	var forms []string
	for _, f := range realForms {
		forms = append(forms, f, strings.ToLower(f), strings.ToUpper(f))
	}
	var found []string
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		for _, f := range forms {
			if wordIn([]byte(e.Name()), f) {
				found = append(found, rel+": its name holds "+f)
			}
		}
		if !e.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, f := range forms {
			if wordIn(data, f) {
				found = append(found, rel+" holds "+f)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(found)
	return found
}

// wordIn reports whether data holds form with no letter right before or
// after it (bytes that are not UTF-8 count as no letter).
func wordIn(data []byte, form string) bool {
	f := []byte(form)
	for off := 0; ; {
		i := bytes.Index(data[off:], f)
		if i < 0 {
			return false
		}
		i += off
		before, _ := utf8.DecodeLastRune(data[:i])
		after, _ := utf8.DecodeRune(data[i+len(f):])
		if !unicode.IsLetter(before) && !unicode.IsLetter(after) {
			return true
		}
		off = i + 1
	}
}

// codingTexts maps every coding on the current versions to its text.
func codingTexts(t *testing.T, dir string) map[int64]string {
	t.Helper()
	out := map[int64]string{}
	for _, d := range docs(t, dir) {
		sh := show(t, dir, d.Name)
		for _, c := range sh.Codings {
			out[c.ID] = coding.Slice(sh.Text, c.Start, c.End)
		}
	}
	return out
}

// pseudoApplyProject builds the bilingual project, codes it with spans
// that begin or end inside names, writes memos, attributes, a case and a
// code named after the town, builds the search index, makes a backup
// and leaves an undone import in sources/.undone. It returns the
// project and the key file (outside the project).
func pseudoApplyProject(t *testing.T) (dir, keyPath string) {
	t.Helper()
	dir = newProject(t)
	for _, f := range []string{"interview_01.md", "interview_02.txt", "Анна повторно.txt", "interview_04.md"} {
		mustQC(t, dir, "import", testdata(t, "pseudo_apply", f))
	}
	for _, tag := range [][]string{
		{"interview_01", "Происхождение", "нна Петрова — так меня звали"}, // begins inside a name
		{"interview_01", "Город", "Я из Вороне"},                          // ends inside a name
		{"interview_01", "Имя", "Анной"},                                  // a name
		{"interview_01", "Семья", "А семья?"},                             // no name
		{"interview_02", "Family", "Sasha hates Sashimi"},
		{"interview_02", "Work", "Memorial in Voro"},
		{"Анна повторно", "Город", "Петрову знали все в Воронеже"},
	} {
		mustQC(t, dir, "tag", tag[0], tag[1], "--match", tag[2], "--create")
	}
	mustQC(t, dir, "code", "add", "Воронеж", "--desc", "Всё о жизни в Воронеже до отъезда")
	mustQC(t, dir, "memo", "add", "Анна из Воронежа: ключевое интервью")
	mustQC(t, dir, "memo", "add", "--doc", "interview_01", "Анну рекомендовал Мемориал")
	mustQC(t, dir, "memo", "add", "--code", "Город", "Воронеж и Voronezh")
	sh := show(t, dir, "interview_02")
	mustQC(t, dir, "memo", "add", "--coding", strconv.FormatInt(sh.Codings[0].ID, 10), "Sasha again")
	mustQC(t, dir, "attr", "set", "interview_02", "hometown=Voronezh")
	mustQC(t, dir, "speakers", "set", "interview_01", "Анна", "--case", "Анна Петрова", "--attr", "born=Воронеж")
	mustQC(t, dir, "search", "Анна")
	// An import taken back: its original waits in sources/.undone.
	extra := writeFile(t, t.TempDir(), "extra.txt", "Интервьюер: Кто это?\nР: Анна из Воронежа.\n")
	mustQC(t, dir, "import", extra)
	mustQC(t, dir, "undo")

	ctx := context.Background()
	s, err := coding.Open(ctx, dir, coding.Options{Coder: defaultCoder})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Backup(ctx)
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	keyPath = filepath.Join(t.TempDir(), "key.json")
	for _, e := range pseudoEntries {
		mustQC(t, dir, "pseudo", "add", e.Real, e.Pseudonym, "--kind", string(e.Kind), "--key", keyPath)
	}
	return dir, keyPath
}

// hasReal reports whether s holds a real form as a word, in any case.
func hasReal(s string) bool {
	for _, f := range realForms {
		if wordIn([]byte(strings.ToLower(s)), strings.ToLower(f)) {
			return true
		}
	}
	return false
}

func TestPseudoApplyBilingualProject(t *testing.T) {
	dir, key := pseudoApplyProject(t)
	before := codingTexts(t, dir)
	docsBefore := docs(t, dir, "--all")

	// A dry run changes nothing, and names no real value unless asked.
	out := mustApply(t, dir, "--dry-run", "--key", key)
	if !strings.Contains(out, "Would pseudonymise 3 documents") || !strings.Contains(out, "Dry run") {
		t.Errorf("dry run says:\n%s", out)
	}
	if hasReal(out) {
		t.Errorf("the report names a real value without --show-real:\n%s", out)
	}
	if got := docs(t, dir, "--all"); len(got) != len(docsBefore) {
		t.Errorf("a dry run made versions: %d documents, was %d", len(got), len(docsBefore))
	}
	if out := mustApply(t, dir, "--dry-run", "--show-real", "--key", key); !strings.Contains(out, "← Анна Петрова") {
		t.Errorf("--show-real does not name the real values:\n%s", out)
	}

	// Purging asks, and without a terminal refuses, before anything.
	if _, _, err := qcApply(t, dir, "--purge-originals", "--key", key); err == nil || !strings.Contains(err.Error(), "--yes") {
		t.Errorf("--purge-originals without a terminal or --yes = %v, want a refusal naming --yes", err)
	}
	if got := docs(t, dir, "--all"); len(got) != len(docsBefore) {
		t.Errorf("a refused purge changed the project")
	}

	// Apply, without purging: every coding carried, the names gone from
	// the current versions, but the project still holds them.
	var rep pseudoApplyOut
	decodeOne(t, mustApply(t, dir, "--json", "--key", key), &rep, []string{"pseudo", "apply"})
	if len(rep.Documents) != 3 || rep.Replacements == 0 {
		t.Fatalf("apply report: %+v", rep)
	}
	for _, d := range rep.Documents {
		if d.Orphaned != 0 {
			t.Errorf("%s: %d codings orphaned", d.Document, d.Orphaned)
		}
	}
	checkCarried(t, dir, before)
	if found := leaks(t, dir); !strings.Contains(strings.Join(found, "\n"), coding.DBFile+" holds Анна") {
		t.Fatalf("without --purge-originals the project should still hold the originals (the earlier versions); found only:\n%s", strings.Join(found, "\n"))
	}

	// One action: undo makes the earlier versions current again.
	mustQC(t, dir, "undo")
	if got := codingTexts(t, dir); !equalTexts(got, before) {
		t.Fatalf("after undo the codings cover\n%v\nwant\n%v", got, before)
	}

	// Apply and purge.
	out = mustApply(t, dir, "--purge-originals", "--yes", "--key", key)
	// interview_04's text holds no name, its original's front matter
	// does: the purge rewrites it as the text.
	if !strings.Contains(out, "Purged the originals") || !strings.Contains(out, "cannot go back") ||
		!strings.Contains(out, "1 current version's original rewritten") {
		t.Errorf("apply --purge-originals says:\n%s", out)
	}
	checkCarried(t, dir, before)
	if found := leaks(t, dir); len(found) > 0 {
		t.Errorf("after the purge real values are in the project folder:\n%s", strings.Join(found, "\n"))
	}
	// Names inside longer words are not names.
	if txt := show(t, dir, "interview_01").Text; !strings.Contains(txt, "Подруга Ганна.") || !strings.Contains(txt, "[Участница 1]: Подруга") {
		t.Errorf("interview_01 after the purge:\n%s", txt)
	}
	if txt := show(t, dir, "interview_02").Text; !strings.Contains(txt, "ate sashimi") {
		t.Errorf("interview_02 after the purge:\n%s", txt)
	}
	for _, d := range docs(t, dir, "--all") {
		if !d.Latest {
			t.Errorf("%s@%d, an earlier version, is left", d.Name, d.Version)
		}
	}
	if msg, _, _ := wantErr(t, dir, "undo"); !strings.Contains(msg, "nothing to undo") {
		t.Errorf("undo after the purge: %s", msg)
	}
	// The index was rebuilt from the pseudonymised texts: a search finds
	// the pseudonym, not the name.
	if out := mustQC(t, dir, "search", "город"); !strings.Contains(out, "[город]") {
		t.Errorf("search город after the purge:\n%s", out)
	}
	if out, _, _ := qc(t, dir, "search", "Анна"); hasReal(out) {
		t.Errorf("search Анна after the purge finds:\n%s", out)
	}
	if found := leaks(t, dir); len(found) > 0 {
		t.Errorf("after searching real values are in the project folder:\n%s", strings.Join(found, "\n"))
	}
}

// TestPseudoApplyPurgeAsks: on a terminal the purge asks, and anything
// but "purge" leaves the project as it was.
func TestPseudoApplyPurgeAsks(t *testing.T) {
	dir, key := pseudoApplyProject(t)
	master, tty := openPTY(t)
	go io.Copy(io.Discard, master) // the prompt and the echo
	was := docs(t, dir, "--all")
	for _, answer := range []string{"no\n", "purge\n"} {
		if _, err := master.WriteString(answer); err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		err := qcApplyIO(dir, tty, &out, tty, "--purge-originals", "--key", key)
		switch answer {
		case "no\n":
			if err == nil || !strings.Contains(err.Error(), "not confirmed") {
				t.Fatalf("answered no: %v, want a refusal", err)
			}
			if now := docs(t, dir, "--all"); len(now) != len(was) || now[0].Version != was[0].Version {
				t.Fatalf("answered no, and the project changed")
			}
		default:
			if err != nil {
				t.Fatalf("answered purge: %v", err)
			}
			if !strings.Contains(out.String(), "Purged the originals") {
				t.Errorf("answered purge, and apply says:\n%s", out.String())
			}
		}
	}
	if found := leaks(t, dir); len(found) > 0 {
		t.Errorf("after the confirmed purge real values are in the project folder:\n%s", strings.Join(found, "\n"))
	}
}

// checkCarried checks that every coding of before is on a current
// version still, covering the same text when it held no real value and
// a pseudonym in place of each one when it did.
func checkCarried(t *testing.T, dir string, before map[int64]string) {
	t.Helper()
	after := codingTexts(t, dir)
	if len(after) != len(before) {
		t.Errorf("%d codings on current versions, %d before", len(after), len(before))
	}
	want := map[string]string{
		"нна Петрова — так меня звали": "[Участница 1] — так меня звали",
		"Я из Вороне":                  "Я из [город]",
		"Анной":                        "[Участница 1]",
		"А семья?":                     "А семья?",
		"Sasha hates Sashimi":          "[Participant 2] hates Sashimi",
		"Memorial in Voro":             "[организация] in [город]",
		"Петрову знали все в Воронеже": "[Участница 1] знали все в [город]",
	}
	for id, old := range before {
		got, ok := after[id]
		switch {
		case !ok:
			t.Errorf("coding %d (%q) is not on a current version", id, old)
		case got != want[old]:
			t.Errorf("coding %d covered %q, now %q, want %q", id, old, got, want[old])
		case hasReal(got):
			t.Errorf("coding %d still covers a real value: %q", id, got)
		}
	}
}

func equalTexts(a, b map[int64]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// benchCorpus builds docs transcripts of about words words in all, in
// Russian and English, with one of names in a case form every 40 words
// or so, and the key entries for the names.
func benchCorpus(docs, words, names int) ([]string, []pseudo.Entry) {
	rng := uint64(12345)
	next := func(n int) int {
		rng ^= rng << 13
		rng ^= rng >> 7
		rng ^= rng << 17
		return int(rng % uint64(n))
	}
	cons := []string{"б", "в", "г", "д", "з", "к", "л", "м", "н", "р", "с", "т"}
	vows := []string{"а", "о", "и", "е", "у"}
	seen := map[string]bool{}
	var entries []pseudo.Entry
	var forms [][]string
	for len(entries) < names {
		var b strings.Builder
		for i := 0; i < 3; i++ {
			b.WriteString(cons[next(len(cons))])
			b.WriteString(vows[next(len(vows))])
		}
		base := []rune(b.String())
		base[0] = unicode.ToUpper(base[0])
		stem := string(base[:len(base)-1])
		real := stem + "а"
		if seen[real] {
			continue
		}
		seen[real] = true
		kind, pseud := pseudo.Person, "[Участник "+strconv.Itoa(len(entries)+1)+"]"
		if len(entries)%5 == 4 {
			kind, pseud = pseudo.Place, "[город "+strconv.Itoa(len(entries)+1)+"]"
		}
		entries = append(entries, pseudo.Entry{Real: real, Pseudonym: pseud, Kind: kind})
		forms = append(forms, []string{real, stem + "ы", stem + "е", stem + "у", stem + "ой"})
	}
	vocab := strings.Fields(`мы уехали в марте потому что боялись мобилизации и репрессий родители остались дома
		звонят каждый день говорим о цветах и никогда о войне работа волонтёрство пожертвования язык
		we left in march because we feared the draft my parents stayed we talk about flowers never about the war
		work volunteering donations learning georgian friends neighbours`)
	per := words / docs
	out := make([]string, docs)
	for d := range out {
		var b strings.Builder
		for w := 0; w < per; w++ {
			if w%60 == 0 {
				if w > 0 {
					b.WriteString("\n")
				}
				if (w/60)%2 == 0 {
					b.WriteString("Интервьюер: ")
				} else {
					b.WriteString("Р: ")
				}
			}
			if next(40) == 0 {
				f := forms[next(len(forms))]
				b.WriteString(f[next(len(f))])
			} else {
				b.WriteString(vocab[next(len(vocab))])
			}
			b.WriteString(" ")
		}
		b.WriteString("\n")
		out[d] = b.String()
	}
	return out, entries
}

// BenchmarkPseudoApply is 'pseudo apply' on a project of about 1M words
// in 100 documents, 20 codings each, with 500 key entries: the time to
// find every case form of every entry, make the new versions and carry
// the codings, as one action. purge-s reports the purge after it.
func BenchmarkPseudoApply(b *testing.B) {
	const docsN, words, names = 100, 1_000_000, 500
	texts, entries := benchCorpus(docsN, words, names)
	for i := range entries {
		entries[i].ID = "k" + strconv.Itoa(i)
	}
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s, err := coding.Create(ctx, filepath.Join(b.TempDir(), "bench.qcode"), coding.Options{Coder: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		for d, text := range texts {
			name := "interview_" + strconv.Itoa(d)
			if _, err := s.Import(ctx, coding.ImportFile{Path: name + ".txt", Data: []byte(text), Lang: "ru"}); err != nil {
				b.Fatal(err)
			}
			n := len([]rune(text))
			var spans []coding.Span
			for k := 0; k < 20; k++ {
				st := k * n / 20
				spans = append(spans, coding.Span{Start: st, End: st + 200})
			}
			if _, _, err := s.Tag(ctx, coding.TagRequest{Doc: name, Code: "theme", Spans: spans, Create: true}); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		rep, err := s.Pseudonymise(ctx, keyReplacer(entries), false)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if len(rep.Documents) != docsN {
			b.Fatalf("%d documents pseudonymised, want %d", len(rep.Documents), docsN)
		}
		for _, d := range rep.Documents {
			if d.Orphaned > 0 {
				b.Fatalf("%s: %d codings orphaned", d.Document, d.Orphaned)
			}
		}
		b.ReportMetric(float64(rep.Replacements), "replacements")
		start := time.Now()
		if _, err := s.PurgeOriginals(ctx); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(time.Since(start).Seconds(), "purge-s")
		s.Close()
		b.StartTimer()
	}
}

// TestPseudoApplyRefuses: what apply refuses, with a reason, leaving the
// project as it was.
func TestPseudoApplyRefuses(t *testing.T) {
	dir := newProject(t)
	mustQC(t, dir, "import", testdata(t, "pseudo_apply", "interview_02.txt"))
	empty := filepath.Join(t.TempDir(), "empty.json")
	other := filepath.Join(t.TempDir(), "other.json")
	for _, tc := range []struct {
		name  string
		setup func()
		args  []string
		want  string
	}{
		{"no entries", nil, []string{"--key", empty}, "no pseudonyms yet"},
		{"dry run and purge", nil, []string{"--dry-run", "--purge-originals", "--yes", "--key", empty}, "--dry-run"},
		{"key in the project", nil, []string{"--key", filepath.Join(dir, "key.json")}, "inside the project folder"},
		{"another key", func() {
			key := filepath.Join(t.TempDir(), "key.json")
			mustQC(t, dir, "pseudo", "add", "Sasha", "[Participant 2]", "--key", key)
		}, []string{"--key", other}, "the key lacks pseudonyms the project has in force"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.setup != nil {
				tc.setup()
			}
			was := show(t, dir, "interview_02")
			_, _, err := qcApply(t, dir, tc.args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("pseudo apply %q = %v, want an error saying %q", tc.args, err, tc.want)
			}
			if now := show(t, dir, "interview_02"); now.Text != was.Text || now.Document.Version != was.Document.Version {
				t.Errorf("a refused apply changed the document")
			}
		})
	}
}
