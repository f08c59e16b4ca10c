package main

import (
	"strings"
	"testing"
)

type speakerJSON struct {
	Document   string     `json:"document"`
	Name       string     `json:"name"`
	Role       string     `json:"role"`
	Case       string     `json:"case"`
	Attributes []attrJSON `json:"attributes"`
	Turns      int        `json:"turns"`
	Words      int        `json:"words"`
}

func speakersOf(t *testing.T, dir string, args ...string) []speakerJSON {
	t.Helper()
	var out struct {
		Speakers []speakerJSON `json:"speakers"`
	}
	qcJSON(t, dir, &out, append([]string{"speakers", "--json"}, args...)...)
	return out.Speakers
}

// The researcher's path: a focus group is imported, its speakers are
// listed, the moderator's words are cited as the interviewer's, each
// member gets attributes of their own, a mislabelled name is merged, and
// every step is undone as one action.
func TestSpeakersPath(t *testing.T) {
	dir := newProject(t)
	src := t.TempDir()
	writeFile(t, src, "FG1.txt", `---
wave: September
---
Модератор: Расскажите, почему вы уехали?
Олег: Из-за мобилизации. Я уехал через Верхний Ларс на автобусе.
Марина: Я уехала раньше, в марте, после обысков в нашем офисе.
Олег: А брат остался, мы об этом не говорим.
Модератор: Марина, а родители?
Марина П.: Они пересказывают мне новости из телевизора.
`)
	mustQC(t, dir, "import", src)

	sp := speakersOf(t, dir, "FG1")
	var got []string
	for _, x := range sp {
		got = append(got, x.Name+"/"+x.Role)
	}
	if strings.Join(got, " ") != "Модератор/interviewer Олег/participant Марина/participant Марина П./participant" {
		t.Fatalf("speakers FG1 = %v", got)
	}
	table := mustQC(t, dir, "speakers")
	for _, w := range []string{"DOCUMENT", "Модератор", "interviewer", "Олег"} {
		if !strings.Contains(table, w) {
			t.Errorf("speakers table lacks %q:\n%s", w, table)
		}
	}

	mustQC(t, dir, "tag", "FG1", "Страх", "--create", "--match", "после обысков в нашем офисе")
	mustQC(t, dir, "tag", "FG1", "Вопросы", "--create", "--match", "почему вы уехали?")
	mustQC(t, dir, "tag", "FG1", "Семья", "--create", "--match", "Они пересказывают мне новости")
	attribution := func(code string) (string, string) {
		t.Helper()
		qs := quotes(t, dir, code)
		if len(qs) != 1 {
			t.Fatalf("quotes %s = %+v, want one", code, qs)
		}
		return qs[0].Speaker, qs[0].Attribution
	}
	if who, at := attribution("Вопросы"); who != "Модератор" || at != "interviewer" {
		t.Errorf("the moderator's question is cited %q by %q, want interviewer", at, who)
	}
	if who, at := attribution("Страх"); who != "Марина" || at != "Марина" {
		t.Errorf("a member with no attributes is cited %q by %q, want her name", at, who)
	}

	out := mustQC(t, dir, "speakers", "set", "FG1", "марина", "--attr", "gender=female", "--attr", "age=29", "--attr", "occupation=journalist")
	if !strings.Contains(out, "case FG1: Марина") {
		t.Errorf("speakers set printed %q, want the case it made", out)
	}
	if _, at := attribution("Страх"); at != "female, 29, journalist" {
		t.Errorf("with attributes Марина is cited %q", at)
	}
	// The same person labelled two ways: merge, then her line is hers.
	out = mustQC(t, dir, "speakers", "merge", "--doc", "FG1", "Марина П.", "Марина")
	if !strings.Contains(out, "1 turn is now Марина") {
		t.Errorf("merge printed %q", out)
	}
	if who, at := attribution("Семья"); who != "Марина" || at != "female, 29, journalist" {
		t.Errorf("after merge the line is cited %q by %q", at, who)
	}
	mustQC(t, dir, "config", "cite-interviewer", "{role} ({speaker})")
	if _, at := attribution("Вопросы"); at != "interviewer (Модератор)" {
		t.Errorf("with cite-interviewer set the question is cited %q", at)
	}
	// Search follows the renamed speaker.
	var hits struct {
		Hits []struct {
			Speaker string `json:"speaker"`
		} `json:"hits"`
	}
	qcJSON(t, dir, &hits, "search", "телевизора", "--json")
	if len(hits.Hits) != 1 || hits.Hits[0].Speaker != "Марина" {
		t.Errorf("search after merge = %+v, want one hit said by Марина", hits.Hits)
	}
	mustQC(t, dir, "undo")
	if who, _ := attribution("Семья"); who != "Марина П." {
		t.Errorf("after undo of the merge the line is said by %q, want Марина П.", who)
	}

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"speakers", "set", "FG1", "Олег", "--role", "boss"}, "interviewer, participant or other"},
		{[]string{"speakers", "set", "FG1", "Пётр", "--role", "other"}, "Модератор, Олег, Марина"},
		{[]string{"speakers", "set", "FG1", "Олег"}, "nothing to set"},
		{[]string{"speakers", "merge", "Олег", "Никто"}, "merge needs both speakers"},
		{[]string{"turns", "FG1", "--redetect", "--speaker-pattern", "^[A-Z]+:"}, "no named group"},
		{[]string{"turns", "FG1", "--redetect", "--speaker-pattern", "(?P<speaker>["}, "--speaker-pattern"},
		{[]string{"turns", "FG1", "--speakers", "A,B"}, "go with --redetect"},
	} {
		msg, _, _ := wantErr(t, dir, tt.args...)
		if !strings.Contains(msg, tt.want) {
			t.Errorf("%q: error %q, want it to say %q", tt.args, msg, tt.want)
		}
	}
}

// Turns derived again from the stored text keep every coding where it
// was, and the speakers the user named.
func TestTurnsRedetect(t *testing.T) {
	dir := newProject(t)
	src := t.TempDir()
	writeFile(t, src, "R09.txt", "Anna Petrova\nI left in March, after the searches.\n\nnino\nWhy then?\n\nAnna Petrova\nBecause my brother got the summons.\n")
	mustQC(t, dir, "import", src)
	mustQC(t, dir, "tag", "R09", "Mobilization", "--create", "--match", "my brother got the summons")
	before := quotes(t, dir, "Mobilization")

	out := mustQC(t, dir, "turns", "R09", "--redetect", "--speakers", "Anna Petrova, nino", "--dry-run")
	if !strings.Contains(out, "would have 3 turns") || !strings.Contains(out, "Anna Petrova (participant): 2 turns") {
		t.Errorf("dry run printed:\n%s", out)
	}
	out = mustQC(t, dir, "turns", "R09", "--redetect", "--speakers", "Anna Petrova, nino")
	if !strings.Contains(out, "now has 3 turns") || !strings.Contains(out, "Codings are unchanged") {
		t.Errorf("redetect printed:\n%s", out)
	}
	after := quotes(t, dir, "Mobilization")
	if len(after) != 1 || after[0].Start != before[0].Start || after[0].End != before[0].End || after[0].Speaker != "Anna Petrova" {
		t.Errorf("after redetect the quote is %+v, want the same span said by Anna Petrova", after)
	}
	list := mustQC(t, dir, "turns", "R09")
	if !strings.Contains(list, "nino") || !strings.Contains(list, "Because my brother") {
		t.Errorf("turns R09 printed:\n%s", list)
	}
}
