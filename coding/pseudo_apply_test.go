package coding

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/qcode-dev/qcode/transcripts"
)

// wordReplacer replaces whole words (or runs of words) of pairs, the
// longest first, exactly as written: what the store does with runs does
// not depend on how they are found (coding/pseudo finds them by stem).
func wordReplacer(pairs map[string]string) Replacer {
	reals := make([]string, 0, len(pairs))
	for r := range pairs {
		reals = append(reals, r)
	}
	sort.Slice(reals, func(i, j int) bool {
		if len([]rune(reals[i])) != len([]rune(reals[j])) {
			return len([]rune(reals[i])) > len([]rune(reals[j]))
		}
		return reals[i] < reals[j]
	})
	isWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	return func(doc, text string) []Replacement {
		rs := []rune(text)
		taken := make([]bool, len(rs))
		var out []Replacement
		for _, real := range reals {
			want := []rune(real)
			for i := 0; i+len(want) <= len(rs); i++ {
				if string(rs[i:i+len(want)]) != real {
					continue
				}
				if (i > 0 && isWord(rs[i-1])) || (i+len(want) < len(rs) && isWord(rs[i+len(want)])) {
					continue
				}
				free := true
				for k := i; k < i+len(want); k++ {
					free = free && !taken[k]
				}
				if !free {
					continue
				}
				for k := i; k < i+len(want); k++ {
					taken[k] = true
				}
				out = append(out, Replacement{Start: i, End: i + len(want), With: pairs[real], Entry: "e-" + real})
			}
		}
		sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
		return out
	}
}

// pseudoPairs are the real values the tests replace, in the case forms
// the texts use.
var pseudoPairs = map[string]string{
	"Анна Петрова": "[Участница 1]",
	"Анна":         "[Участница 1]",
	"Анны":         "[Участница 1]",
	"Анной":        "[Участница 1]",
	"Воронеже":     "[город]",
	"Воронежа":     "[город]",
	"Sasha":        "[Participant 2]",
	"Мемориал":     "[организация]",
}

const pseudoText = `Анна: Я жила в Воронеже до марта. Анна Петрова — это я.
Интервьюер: А Sasha?
Анна: Sasha ел sashimi и Sashimi, он из Воронежа. Мы с Анной работали в Мемориал.
`

// pseudoProject makes a project with pseudoText coded in the ways that
// matter: spans that begin or end inside a real value, one that is a
// real value, one far from any; memos, attributes, a case, a speaker and
// a code that hold real values.
func pseudoProject(t *testing.T) (*Store, map[int64]string) {
	t.Helper()
	ctx := context.Background()
	s, err := Create(ctx, filepath.Join(t.TempDir(), "p.qcode"), Options{Coder: "ana"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Import(ctx, ImportFile{Path: "Анна интервью.txt", Data: []byte("---\ncity: Воронеж\nname: Анна Петрова\n---\n" + pseudoText)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(ctx, ImportFile{Path: "clean.txt", Data: []byte("Interviewer: Nothing to hide here.\nR: Nothing at all.\n")}); err != nil {
		t.Fatal(err)
	}
	// A second version, so that an earlier one is there to purge.
	if _, err := s.EditDocument(ctx, "Анна интервью", pseudoText+"Интервьюер: Спасибо.\n", false); err != nil {
		t.Fatal(err)
	}
	text := pseudoText + "Интервьюер: Спасибо.\n"
	at := func(sub string, from int) int {
		i := strings.Index(text, sub)
		if i < 0 {
			t.Fatalf("%q not in the text", sub)
		}
		return len([]rune(text[:i])) + from
	}
	spans := map[string]Span{
		"inside start": {at("нна Петрова", 0), at("нна Петрова", 0) + len([]rune("нна Петрова — это я"))},
		"inside end":   {at("Я жила", 0), at("Я жила", 0) + len([]rune("Я жила в Вороне"))},
		"a name":       {at("Sasha?", 0), at("Sasha?", 5)},
		"within name":  {at("Sasha ел", 1), at("Sasha ел", 3)},
		"far":          {at("sashimi и", 0), at("sashimi и", 7)},
		"both ends":    {at("Анной", 2), at("Мемориал", 3)},
	}
	names := make([]string, 0, len(spans))
	for n := range spans {
		names = append(names, n)
	}
	sort.Strings(names)
	texts := map[int64]string{}
	for _, n := range names {
		cs, _, err := s.Tag(ctx, TagRequest{Doc: "Анна интервью", Code: "Воронеж/" + n, Spans: []Span{spans[n]}, Create: true, Memo: "Анна said so"})
		if err != nil {
			t.Fatalf("tag %s: %v", n, err)
		}
		texts[cs[0].ID] = n
	}
	if _, _, err := s.AddCode(ctx, NewCode{Path: "Работа", Description: "Где работала Анна: Мемориал"}); err != nil {
		t.Fatal(err)
	}
	for _, m := range [][2]string{{"project", ""}, {"document", "Анна интервью"}, {"code", "Работа"}} {
		if _, _, err := s.AddMemo(ctx, m[0], m[1], "Анна из Воронежа"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.SetSpeaker(ctx, "Анна интервью", "Анна", SpeakerChange{Case: "Анна Петрова", Attributes: []Attribute{{Key: "born", Value: "Воронеж", Type: TypeText}}}); err != nil {
		t.Fatal(err)
	}
	return s, texts
}

func currentText(t *testing.T, s *Store, name string) string {
	t.Helper()
	d, err := s.Document(context.Background(), name, true)
	if err != nil {
		t.Fatal(err)
	}
	return d.Text
}

func TestPseudonymiseCarriesEveryCoding(t *testing.T) {
	ctx := context.Background()
	s, _ := pseudoProject(t)
	pairs := map[string]string{}
	for k, v := range pseudoPairs {
		pairs[k] = v
	}
	pairs["Воронеж"] = "[город]"
	before, err := s.Codings(ctx, CodingFilter{Current: true})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := s.Pseudonymise(ctx, wordReplacer(pairs), false)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Documents) != 1 || rep.Documents[0].Document != "[Участница 1] интервью" || rep.Documents[0].Orphaned != 0 {
		t.Fatalf("documents in the report = %+v, want the one with names, renamed, nothing orphaned", rep.Documents)
	}
	after, err := s.Codings(ctx, CodingFilter{Current: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before) {
		t.Fatalf("%d codings on current versions after, %d before", len(after), len(before))
	}
	text := currentText(t, s, "[Участница 1] интервью")
	codes, err := s.Codes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	path := map[int64]string{}
	for _, c := range codes {
		path[c.ID] = c.Path
	}
	want := map[string]string{
		"[город]/inside start": "[Участница 1] — это я",
		"[город]/inside end":   "Я жила в [город]",
		"[город]/a name":       "[Participant 2]",
		"[город]/within name":  "[Participant 2]",
		"[город]/far":          "sashimi",
		"[город]/both ends":    "[Участница 1] работали в [организация]",
	}
	for _, c := range after {
		got := Slice(text, c.Start, c.End)
		if w, ok := want[path[c.CodeID]]; !ok || got != w {
			t.Errorf("coding of %s covers %q, want %q", path[c.CodeID], got, w)
		}
	}
	for real := range pairs {
		if strings.Contains(text, real) {
			t.Errorf("the new version still holds %q:\n%s", real, text)
		}
	}
	if !strings.Contains(text, "Sashimi") {
		t.Errorf("Sashimi is not Sasha, but it was replaced:\n%s", text)
	}
	sps, err := s.Speakers(ctx, "[Участница 1] интервью")
	if err != nil {
		t.Fatal(err)
	}
	var spNames []string
	for _, sp := range sps {
		spNames = append(spNames, sp.Name+"/"+sp.Case)
	}
	// The speaker is named as the label grammar reads "[Участница 1]:".
	if got := strings.Join(spNames, ","); !strings.Contains(got, "Участница 1/[Участница 1]") || strings.Contains(got, "Анна") {
		t.Errorf("speakers/cases = %s, want the participant and her case pseudonymised", got)
	}
	turns, _ := s.Turns(ctx, after[0].DocID)
	for _, tn := range turns {
		if got := Slice(text, tn.Start, tn.End); tn.Speaker != "" && !strings.HasPrefix(strings.TrimPrefix(got, "["), tn.Speaker) {
			t.Errorf("turn %d of %q starts %q", tn.N, tn.Speaker, got)
		}
	}
	// Turns derived again from the pseudonymised text name the same
	// speakers.
	re, _, err := s.RedetectTurns(ctx, "[Участница 1] интервью", transcripts.Options{}, true)
	if err != nil {
		t.Fatal(err)
	}
	var stored, derived []string
	for _, sp := range sps {
		stored = append(stored, sp.Name)
	}
	for _, sp := range re.Speakers {
		derived = append(derived, sp.Name)
	}
	sort.Strings(stored)
	sort.Strings(derived)
	if strings.Join(derived, ",") != strings.Join(stored, ",") || re.After != len(turns) {
		t.Errorf("turns derived again: %d turns of %v, want %d of %v", re.After, derived, len(turns), stored)
	}
	memos, err := s.Memos(ctx, "", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range memos {
		if strings.Contains(m.Text, "Анна") || strings.Contains(m.Text, "Воронеж") {
			t.Errorf("memo %d still reads %q", m.ID, m.Text)
		}
	}
	fields := map[string]int{}
	for _, f := range rep.Fields {
		fields[f.Field]++
		if strings.Contains(f.Where+f.Now, "Анна") {
			t.Errorf("the report names a real value: %+v", f)
		}
	}
	for _, k := range []string{FieldDocumentName, FieldSpeaker, FieldDocumentAttribute, FieldCase, FieldCaseAttribute, FieldMemo, FieldCodeName, FieldCodeDescription} {
		if fields[k] == 0 {
			t.Errorf("the report lists no %s; fields: %v", k, fields)
		}
	}

	// One action: undo brings back the earlier version and every value.
	op, err := s.Undo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(op.Label, "pseudonymise") {
		t.Fatalf("undo undid %q", op.Label)
	}
	if got := currentText(t, s, "Анна интервью"); got != pseudoText+"Интервьюер: Спасибо.\n" {
		t.Fatalf("after undo the current text is\n%s", got)
	}
	back, _ := s.Codings(ctx, CodingFilter{Current: true})
	if len(back) != len(before) {
		t.Fatalf("after undo %d codings, want %d", len(back), len(before))
	}
	for i := range back {
		if back[i].Start != before[i].Start || back[i].End != before[i].End || back[i].DocID != before[i].DocID {
			t.Errorf("after undo coding %d is %d:%d on %d, was %d:%d on %d", back[i].ID, back[i].Start, back[i].End, back[i].DocID, before[i].Start, before[i].End, before[i].DocID)
		}
	}
}

func TestPseudonymiseDryRunWritesNothing(t *testing.T) {
	ctx := context.Background()
	s, _ := pseudoProject(t)
	gen, _ := s.Generation(ctx)
	files := func() []string {
		var out []string
		filepath.WalkDir(s.Dir(), func(p string, e fs.DirEntry, err error) error {
			if err == nil && !e.IsDir() && !strings.HasPrefix(e.Name(), DBFile) {
				out = append(out, p)
			}
			return nil
		})
		return out
	}
	was := files()
	rep, err := s.Pseudonymise(ctx, wordReplacer(pseudoPairs), true)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.DryRun || len(rep.Documents) != 1 || rep.Replacements == 0 {
		t.Fatalf("dry run report = %+v, want one document with replacements", rep)
	}
	if g, _ := s.Generation(ctx); g != gen {
		t.Errorf("a dry run changed the generation from %d to %d", gen, g)
	}
	if now := files(); strings.Join(now, "\n") != strings.Join(was, "\n") {
		t.Errorf("a dry run left files: %v, was %v", now, was)
	}
	if got := currentText(t, s, "Анна интервью"); !strings.Contains(got, "Анна") {
		t.Errorf("a dry run changed the text")
	}
}

// projectHolds returns the files under dir whose bytes hold any of
// values.
func projectHolds(t *testing.T, dir string, values []string) []string {
	t.Helper()
	var found []string
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		for _, v := range values {
			if strings.Contains(e.Name(), v) {
				found = append(found, p+" (its name holds "+v+")")
			}
		}
		if e.IsDir() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, v := range values {
			if bytes.Contains(data, []byte(v)) {
				found = append(found, p+" holds "+v)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

func TestPurgeOriginalsLeavesNoRealValue(t *testing.T) {
	ctx := context.Background()
	s, _ := pseudoProject(t)
	pairs := map[string]string{"Воронеж": "[город]"}
	for k, v := range pseudoPairs {
		pairs[k] = v
	}
	dir := s.Dir()
	if _, err := s.Backup(ctx); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(dir, "index", "old"), 0o700)
	os.WriteFile(filepath.Join(dir, "index", "old", "store"), []byte("Анна"), 0o600)
	if _, err := s.Pseudonymise(ctx, wordReplacer(pairs), false); err != nil {
		t.Fatal(err)
	}
	values := []string{"Анна", "Анны", "Анной", "Воронеж", "Sasha", "Мемориал", "Петрова"}
	if found := projectHolds(t, dir, values); len(found) == 0 {
		t.Fatal("before the purge no file holds a real value: the test proves nothing")
	}
	codings, _ := s.Codings(ctx, CodingFilter{Current: true})
	rep, err := s.PurgeOriginals(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Versions != 2 || rep.Actions == 0 || rep.Backups != 1 || !rep.Index || rep.Sources == 0 {
		t.Errorf("purge report = %+v, want the two earlier versions, the history, the backup, the index and sources", rep)
	}
	after, _ := s.Codings(ctx, CodingFilter{Current: true})
	if len(after) != len(codings) {
		t.Errorf("the purge left %d codings of %d", len(after), len(codings))
	}
	if _, err := s.Undo(ctx); !errors.Is(err, ErrNothing) {
		t.Errorf("undo after a purge = %v, want nothing to undo", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if found := projectHolds(t, dir, values); len(found) > 0 {
		t.Errorf("after the purge real values are in the project folder:\n%s", strings.Join(found, "\n"))
	}
	s2, err := Open(ctx, dir, Options{Coder: "ana"})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	docs, err := s2.Documents(ctx, true)
	if err != nil || len(docs) != 2 {
		t.Fatalf("documents after the purge = %v, %v; want the two current versions", docs, err)
	}
	for _, d := range docs {
		if !d.Latest {
			t.Errorf("%s@%d is an earlier version, left by the purge", d.Name, d.Version)
		}
		if data, err := os.ReadFile(filepath.Join(dir, SourcesDir, d.Source)); err != nil || string(data) != currentText(t, s2, d.Name) {
			t.Errorf("sources/%s of %s does not hold its text: %v", d.Source, d.Name, err)
		}
	}
}

func TestReplacementsRefused(t *testing.T) {
	text := []rune("Анна и Sasha")
	for _, tc := range []struct {
		name string
		reps []Replacement
	}{
		{"overlap", []Replacement{{0, 4, "[a]", "x"}, {3, 6, "[b]", "y"}}},
		{"out of order", []Replacement{{7, 12, "[b]", "y"}, {0, 4, "[a]", "x"}}},
		{"empty run", []Replacement{{2, 2, "[a]", "x"}}},
		{"past the end", []Replacement{{7, 13, "[b]", "y"}}},
		{"nothing instead", []Replacement{{0, 4, "", "x"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := replaceRunes(text, tc.reps); err == nil {
				t.Errorf("replacements %v accepted", tc.reps)
			}
		})
	}
	a, err := replaceRunes(text, []Replacement{{0, 4, "[a]", "x"}, {7, 12, "[b]", "y"}})
	if err != nil || string(a.newRs) != "[a] и [b]" {
		t.Fatalf("replaced = %q, %v", string(a.newRs), err)
	}
}

// TestPseudonymiseKeepsTimesAndDocumentContext: a subtitle's times stay
// on its cues, an entry limited to a document is found only there (and
// follows the document's new name), and text of no one document is
// matched with no document named.
func TestPseudonymiseKeepsTimesAndDocumentContext(t *testing.T) {
	ctx := context.Background()
	s, err := Create(ctx, filepath.Join(t.TempDir(), "p.qcode"), Options{Coder: "ana"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	vtt := "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Анна>Я из Воронежа.\n\n00:00:05.500 --> 00:00:08.000\n<v Интервьюер>А потом, Анна?\n\n00:00:09.000 --> 00:00:10.000\n<v Анна>Потом Тбилиси.\n\n00:00:11.000 --> 00:00:12.000\n<v Анна>Анна — это я.\n"
	if _, err := s.Import(ctx, ImportFile{Path: "Анна.vtt", Data: []byte(vtt)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(ctx, ImportFile{Path: "other.txt", Data: []byte("Интервьюер: Анна?\nР: Нет, Тбилиси.\n")}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddPseudonymEntry(ctx, PseudonymEntry{EntryID: "k1", Pseudonym: "[город]", Kind: "place", Doc: "Анна"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.AddCode(ctx, NewCode{Path: "Тбилиси"}); err != nil {
		t.Fatal(err)
	}
	old, _ := s.Document(ctx, "Анна", true)
	oldAnchors, _ := anchorsOf(ctx, s.db, old.ID)
	oldTurns, _ := turnsOf(ctx, s.db, old.ID)
	if len(oldAnchors) == 0 || len(oldTurns) == 0 || oldTurns[0].Time == nil {
		t.Fatal("the subtitle has no times: the test proves nothing")
	}
	var docsSeen []string
	anna := wordReplacer(map[string]string{"Анна": "[Участница 1]"})
	tbilisi := wordReplacer(map[string]string{"Тбилиси": "[город]"})
	replace := func(doc, text string) []Replacement {
		docsSeen = append(docsSeen, doc)
		if doc == "Анна" {
			// Both entries apply, and they never overlap here.
			reps := append(anna(doc, text), tbilisi(doc, text)...)
			sort.Slice(reps, func(i, j int) bool { return reps[i].Start < reps[j].Start })
			return reps
		}
		return anna(doc, text)
	}
	if _, err := s.Pseudonymise(ctx, replace, false); err != nil {
		t.Fatal(err)
	}
	cur, err := s.Document(ctx, "[Участница 1]", true)
	if err != nil {
		t.Fatalf("the document was not renamed: %v", err)
	}
	if strings.Contains(cur.Text, "Тбилиси") || strings.Contains(cur.Text, "Анна") {
		t.Errorf("the subtitle still holds a real value:\n%s", cur.Text)
	}
	if other := currentText(t, s, "other"); !strings.Contains(other, "Тбилиси") || strings.Contains(other, "Анна") {
		t.Errorf("other.txt (where the place is limited away) reads:\n%s", other)
	}
	codes, _ := s.Codes(ctx)
	if codes[0].Name != "Тбилиси" {
		t.Errorf("a code was matched with an entry limited to a document: %q", codes[0].Name)
	}
	newAnchors, _ := anchorsOf(ctx, s.db, cur.ID)
	newTurns, _ := turnsOf(ctx, s.db, cur.ID)
	if len(newAnchors) != len(oldAnchors) || len(newTurns) != len(oldTurns) {
		t.Fatalf("%d anchors and %d turns, were %d and %d", len(newAnchors), len(newTurns), len(oldAnchors), len(oldTurns))
	}
	for i, tn := range newTurns {
		o := oldTurns[i]
		if (tn.Time == nil) != (o.Time == nil) || (tn.Time != nil && *tn.Time != *o.Time) {
			t.Errorf("turn %d's time is %v, was %v", tn.N, tn.Time, o.Time)
		}
		if got := Slice(cur.Text, tn.Start, tn.End); !strings.HasPrefix(strings.TrimPrefix(got, "["), tn.Speaker) {
			t.Errorf("turn %d of %q reads %q", tn.N, tn.Speaker, got)
		}
	}
	for i, a := range newAnchors {
		if a.t != oldAnchors[i].t {
			t.Errorf("anchor %d at %v, was %v", i, a.t, oldAnchors[i].t)
		}
		// The last cue begins with the name, so its anchor goes to the
		// start of the pseudonym.
		was := Slice(old.Text, oldAnchors[i].pos, old.Length)
		if got := Slice(cur.Text, a.pos, cur.Length); !strings.HasPrefix(was, "Анна — это я") || !strings.HasPrefix(got, "[Участница 1] — это я") {
			t.Errorf("anchor %d (%v) is before %q, was before %q", i, a.t, got, was)
		}
	}
	es, _ := s.PseudonymEntries(ctx)
	if len(es) != 1 || es[0].Doc != "[Участница 1]" {
		t.Errorf("the entry limited to the document is now limited to %+v, want its new name", es)
	}
	sort.Strings(docsSeen)
	if docsSeen[0] != "" {
		t.Errorf("no text was matched as belonging to no document: %q", docsSeen)
	}
}

// FuzzPseudonymAlignment: whatever the text and wherever the runs
// replaced, every span of the old text is carried (never orphaned) to a
// span of the new one that does not begin or end inside a pseudonym, and
// text outside the runs keeps its place.
func FuzzPseudonymAlignment(f *testing.F) {
	f.Add("Анна: Я из Воронежа.", uint64(0x0405_0b13))
	f.Add("Sasha ate Sashimi", uint64(0x0005))
	f.Add("ab", uint64(0x0102))
	f.Fuzz(func(t *testing.T, text string, cuts uint64) {
		old := []rune(text)
		if len(old) == 0 || len(old) > 200 {
			return
		}
		// cuts gives up to four runs, as (start, length) bytes.
		var reps []Replacement
		at := 0
		for k := 0; k < 4; k++ {
			st := at + int(cuts>>(16*k)&0xff)%(len(old)+1)
			n := 1 + int(cuts>>(16*k+8)&0xff)%4
			if st+n > len(old) || st < at {
				break
			}
			reps = append(reps, Replacement{Start: st, End: st + n, With: "[p" + string(rune('a'+k)) + "]", Entry: "e"})
			at = st + n
		}
		a, err := replaceRunes(old, reps)
		if err != nil {
			t.Fatalf("replacements %v of %q refused: %v", reps, text, err)
		}
		// Where the pseudonyms are in the new text.
		type region struct{ s, e int }
		var regions []region
		shift := 0
		for _, r := range reps {
			l := len([]rune(r.With))
			regions = append(regions, region{r.Start + shift, r.Start + shift + l})
			shift += l - (r.End - r.Start)
		}
		for _, sg := range a.segs {
			if string(a.oldRs[sg.o:sg.o+sg.l]) != string(a.newRs[sg.n:sg.n+sg.l]) {
				t.Fatalf("segment %v is not the same text in both", sg)
			}
		}
		for s := 0; s < len(old); s++ {
			for e := s + 1; e <= len(old); e++ {
				c := a.carrySpan(s, e)
				if c.status == CarryOrphaned {
					t.Fatalf("span %d:%d of %q orphaned (runs %v)", s, e, text, reps)
				}
				if c.to.Start < 0 || c.to.End > a.newN || c.to.Start >= c.to.End {
					t.Fatalf("span %d:%d carried to %v, outside %d", s, e, c.to, a.newN)
				}
				for _, r := range regions {
					if (r.s < c.to.Start && c.to.Start < r.e) || (r.s < c.to.End && c.to.End < r.e) {
						t.Fatalf("span %d:%d of %q carried to %v, cutting the pseudonym at %d:%d (new text %q)", s, e, text, c.to, r.s, r.e, string(a.newRs))
					}
				}
			}
		}
	})
}
