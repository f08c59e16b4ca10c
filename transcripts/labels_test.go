package transcripts

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseLabelShapes(t *testing.T) {
	sec := time.Second
	day := 24 * time.Hour
	type want struct {
		speaker string
		kind    labelKind
		body    string // the line from the body on
		time    time.Duration
		hasTime bool
	}
	tests := []struct {
		shape string
		lines map[string]want
	}{
		{"names with initials, titles and periods", map[string]want{
			"Anna K. Petrova: I left.":  {"Anna K. Petrova", kindColon, "I left.", 0, false},
			"Dr. Ko: Yes.":              {"Dr. Ko", kindColon, "Yes.", 0, false},
			"Mr. O'Neil: The taxi.":     {"Mr. O'Neil", kindColon, "The taxi.", 0, false},
			"Е. В. Смирнова: Да.":       {"Е. В. Смирнова", kindColon, "Да.", 0, false},
			"Смирнова Е.В.: Нет.":       {"Смирнова Е.В.", kindColon, "Нет.", 0, false},
			"Анна-Мария: Да.":           {"Анна-Мария", kindColon, "Да.", 0, false},
			"Ludwig van Beethoven: Ja.": {"Ludwig van Beethoven", kindColon, "Ja.", 0, false},
		}},
		{"digits and qualifiers", map[string]want{
			"Speaker 2: Hello.":              {"Speaker 2", kindColon, "Hello.", 0, false},
			"Respondent 3 (mother): Yes.":    {"Respondent 3 (mother)", kindColon, "Yes.", 0, false},
			"Берег 2 (Соколов): Приём.":      {"Берег 2 (Соколов)", kindColon, "Приём.", 0, false},
			"Station 1 (Sokolov): Over.":     {"Station 1 (Sokolov)", kindColon, "Over.", 0, false},
			"Участник 4 (учитель): Думаю...": {"Участник 4 (учитель)", kindColon, "Думаю...", 0, false},
		}},
		{"call signs and abbreviations", map[string]want{
			"PLT: Roll program.": {"PLT", kindColon, "Roll program.", 0, false},
			"INT: Здравствуйте.": {"INT", kindColon, "Здравствуйте.", 0, false},
			"RESP: Добрый день.": {"RESP", kindColon, "Добрый день.", 0, false},
			"CDR: Liftoff.":      {"CDR", kindColon, "Liftoff.", 0, false},
			"Инт.: Почему?":      {"Инт.", kindColon, "Почему?", 0, false},
		}},
		{"bracketed ids", map[string]want{
			"[id1] I have been a nurse.": {"id1", kindBracket, "I have been a nurse.", 0, false},
			"[P03]: Yes.":                {"P03", kindBracket, "Yes.", 0, false},
			"[SPEAKER_00] Hello.":        {"SPEAKER_00", kindBracket, "Hello.", 0, false},
			"[Анна]: Да.":                {"Анна", kindBracket, "Да.", 0, false},
		}},
		{"Markdown bold", map[string]want{
			"**Maya:** Two years.":      {"Maya", kindBold, "Two years.", 0, false},
			"**Maya**: Two years.":      {"Maya", kindBold, "Two years.", 0, false},
			"**Интервьюер:** Когда?":    {"Интервьюер", kindBold, "Когда?", 0, false},
			"**Anna K. Petrova:** Yes.": {"Anna K. Petrova", kindBold, "Yes.", 0, false},
		}},
		{"names alone and with a time", map[string]want{
			"Anna Petrova":         {"Anna Petrova", kindAlone, "", 0, false},
			"Анна Петрова  ":       {"Анна Петрова", kindAlone, "", 0, false},
			"Speaker 1  0:03":      {"Speaker 1", kindNameTime, "", 3 * sec, true},
			"Anna Petrova (01:02)": {"Anna Petrova", kindNameTime, "", 62 * sec, true},
		}},
		{"timestamps before and after the label", map[string]want{
			"[01:02:03] Q: a":                {"Q", kindColon, "a", time.Hour + 2*time.Minute + 3*sec, true},
			"[00:00:01.250] A: b":            {"A", kindColon, "b", 1250 * time.Millisecond, true},
			"(02:03) И: в":                   {"И", kindColon, "в", 2*time.Minute + 3*sec, true},
			"[01:02:03:04] PLT: text":        {"PLT", kindColon, "text", day + 2*time.Hour + 3*time.Minute + 4*sec, true},
			"[-00:01:57:00] CDR: Guidance.":  {"CDR", kindColon, "Guidance.", -(time.Hour + 57*time.Minute), true},
			"#00:01:23-4# Р: Квартира.":      {"Р", kindColon, "Квартира.", time.Minute + 23*sec + 400*time.Millisecond, true},
			"Anna (01:02): Hello.":           {"Anna", kindColon, "Hello.", 62 * sec, true},
			"Anna [00:01:02]: Hello.":        {"Anna", kindColon, "Hello.", 62 * sec, true},
			"PLT: [00:01:02] Cabin pressure": {"PLT", kindColon, "Cabin pressure", 62 * sec, true},
			"00:00:03 Interviewer: Hi.":      {"Interviewer", kindColon, "Hi.", 3 * sec, true},
			"[00:00:05]":                     {"", kindNone, "", 5 * sec, true},
			"[00:01:30.5] Our paper closed.": {"", kindNone, "Our paper closed.", 90*sec + 500*time.Millisecond, true},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.shape, func(t *testing.T) {
			for line, w := range tt.lines {
				l, ok := parseLabel(line)
				if !ok {
					t.Errorf("parseLabel(%q) found nothing", line)
					continue
				}
				if l.speaker != w.speaker || l.kind != w.kind || line[l.body:] != w.body || l.time != w.time || l.hasTime != w.hasTime {
					t.Errorf("parseLabel(%q) = %q kind %d body %q time %v %v, want %q kind %d body %q time %v %v",
						line, l.speaker, l.kind, line[l.body:], l.time, l.hasTime, w.speaker, w.kind, w.body, w.time, w.hasTime)
				}
			}
		})
	}
}

func TestParseLabelRejects(t *testing.T) {
	for _, line := range []string{
		"we left in March: it was cold.",
		"Then she told me: go.",
		"Мы уехали в марте: было холодно.",
		"It was cold. Then: silence.",
		"Anna:nothing after the colon",
		"anna: lower case",
		"One Two Three Four Five Six: too many words",
		"Hello, Smith: a comma",
		"http://example.org",
		"[laughs] and then",
		"[A door opens.]",
		"**Anna**said so",
		"**Anna**",
		"**the end** of it",
		"(APPLAUSE)",
		"(laughs) and then",
		"[APPLAUSE] and then: more",
		"Well, Anna: yes",
		"Hello, smith and co: lower case title",
		"?? what:",
		"\\[0:00:43.4] Anna: unclosed escape",
		"10:30: A: d",
		"[00:61] A: b",
		"Dr.: only a title",
		"Anna K: initial without period is fine but — no",
	} {
		if l, ok := parseLabel(line); ok && l.speaker != "" && line != "Anna K: initial without period is fine but — no" {
			t.Errorf("parseLabel(%q) = speaker %q, want none", line, l.speaker)
		}
	}
}

func TestParseTimestamp(t *testing.T) {
	sec := time.Second
	tests := []struct {
		in   string
		want time.Duration
		n    int
		ok   bool
	}{
		{"[00:01:02]", 62 * sec, 10, true},
		{"[00:00:01.250]", 1250 * time.Millisecond, 14, true},
		{"(01:02) x", 62 * sec, 7, true},
		{"[01:02:03:04]", 24*time.Hour + 2*time.Hour + 3*time.Minute + 4*sec, 13, true},
		{"[-00:01:57:00]", -(time.Hour + 57*time.Minute), 14, true},
		{"#00:01:23-4#", time.Minute + 23*sec + 400*time.Millisecond, 12, true},
		{"#00:01:23#", time.Minute + 23*sec, 10, true},
		{"01:02:03:04 PLT", 24*time.Hour + 2*time.Hour + 3*time.Minute + 4*sec, 11, true},
		{"[00:24:00:00]", 0, 0, false}, // hours below 24 in a day clock
		{"#00:01:23-4", 0, 0, false},
		{"[00:01:02", 0, 0, false},
		{"00:01:02:", 0, 0, false},
		{"(mother)", 0, 0, false},
	}
	for _, tt := range tests {
		d, n, ok := parseTimestamp(tt.in)
		if d != tt.want || n != tt.n || ok != tt.ok {
			t.Errorf("parseTimestamp(%q) = %v, %d, %v, want %v, %d, %v", tt.in, d, n, ok, tt.want, tt.n, tt.ok)
		}
	}
}

func TestIsInterviewerLabel(t *testing.T) {
	for _, name := range []string{"Interviewer", "INTERVIEWER", "I", "Q", "Int.", "INT", "Moderator", "Moderator 2",
		"Interviewer (Sarah)", "Интервьюер", "И", "В", "Вопрос", "Инт.", "Модератор", "ИНТЕРВЬЮЕР"} {
		if !IsInterviewerLabel(name) {
			t.Errorf("IsInterviewerLabel(%q) = false, want true", name)
		}
	}
	for _, name := range []string{"Respondent", "A", "R", "Р", "Anna", "Interviewed", "Ответ", "RESP", "Intern", ""} {
		if IsInterviewerLabel(name) {
			t.Errorf("IsInterviewerLabel(%q) = true, want false", name)
		}
	}
}

// turnsOf parses in as a .txt (or the name given) and returns its spans.
func turnsOf(t *testing.T, name, in string, opt Options) []span {
	t.Helper()
	doc, err := ParseWith(name, []byte(in), opt)
	if err != nil {
		t.Fatalf("Parse(%q) error: %v", in, err)
	}
	checkInvariants(t, doc)
	return spans(doc)
}

func TestDocumentRules(t *testing.T) {
	tests := []struct {
		name, in string
		want     []span
	}{
		{
			"a label used once counts in a labelled document",
			"HELENA: Late.\nMARKUS: Roads.\nSERVANT: Ready.\nHELENA: Go.\nMARKUS: Yes.\n",
			[]span{sp("HELENA", "HELENA: Late.", "Late."), sp("MARKUS", "MARKUS: Roads.", "Roads."),
				sp("SERVANT", "SERVANT: Ready.", "Ready."), sp("HELENA", "HELENA: Go.", "Go."), sp("MARKUS", "MARKUS: Yes.", "Yes.")},
		},
		{
			"a label used once in another shape does not",
			"Anna: One.\nBoris: Two.\nWARNING: loud.\nAnna: Three.\nBoris: Four.\n",
			[]span{sp("Anna", "Anna: One.", "One."), sp("Boris", "Boris: Two.\nWARNING: loud.", "Two.\nWARNING: loud."),
				sp("Anna", "Anna: Three.", "Three."), sp("Boris", "Boris: Four.", "Four.")},
		},
		{
			"section words used once are not speakers",
			"Anna: One.\nBoris: Two.\nPause: ten minutes.\nПримечание: плохая связь.\nAnna: Three.\nBoris: Four.\n",
			[]span{sp("Anna", "Anna: One.", "One."), sp("Boris", "Boris: Two.\nPause: ten minutes.\nПримечание: плохая связь.", "Two.\nPause: ten minutes.\nПримечание: плохая связь."),
				sp("Anna", "Anna: Three.", "Three."), sp("Boris", "Boris: Four.", "Four.")},
		},
		{
			"a lone Note in an unlabelled memo",
			"We met at the café.\n\nNote: she was late.\n",
			[]span{sp("", "We met at the café.", "We met at the café."), sp("", "Note: she was late.", "Note: she was late.")},
		},
		{
			"a lone name-shaped label in an unlabelled memo",
			"We met at the café.\n\nTbilisi: rain again.\n",
			[]span{sp("", "We met at the café.", "We met at the café."), sp("", "Tbilisi: rain again.", "Tbilisi: rain again.")},
		},
		{
			"a header block",
			"Interview 4\nInterviewer: M. Ivanova\nDate: 2 March 2023\nPlace: Yerevan\n\nInterviewer: Hello.\nAnna: Hi.\nInterviewer: Bye.\nAnna: Bye.\n",
			[]span{sp("Interviewer", "Interviewer: Hello.", "Hello."), sp("Anna", "Anna: Hi.", "Hi."),
				sp("Interviewer", "Interviewer: Bye.", "Bye."), sp("Anna", "Anna: Bye.", "Bye.")},
		},
		{
			"a Russian header block",
			"Интервьюер: Е. В. Смирнова\nМесто: Ереван\n\nИнтервьюер: Здравствуйте.\nРеспондент: Добрый день.\n",
			[]span{sp("Интервьюер", "Интервьюер: Здравствуйте.", "Здравствуйте."), sp("Респондент", "Респондент: Добрый день.", "Добрый день.")},
		},
		{
			"an interviewer greeting is not a header",
			"Interviewer: Hello\nAnna: Hi.\nInterviewer: So.\nAnna: Yes.\n",
			[]span{sp("Interviewer", "Interviewer: Hello", "Hello"), sp("Anna", "Anna: Hi.", "Hi."),
				sp("Interviewer", "Interviewer: So.", "So."), sp("Anna", "Anna: Yes.", "Yes.")},
		},
		{
			"names alone need to recur",
			"Introduction\nThis is a memo.\n\nBackground\nWe met twice.\n",
			[]span{sp("", "Introduction\nThis is a memo.", "Introduction\nThis is a memo."), sp("", "Background\nWe met twice.", "Background\nWe met twice.")},
		},
		{
			"a script without case needs two lines",
			"Q: a\nნინო: b\nA: c\n",
			[]span{sp("Q", "Q: a\nნინო: b", "a\nნინო: b"), sp("A", "A: c", "c")},
		},
		{
			"f4 stamps end turns and start the next",
			"И: Как? #00:00:05-2#\n\nР: Так. #00:00:31-7#\n",
			[]span{sp("И", "И: Как? #00:00:05-2#", "Как? #00:00:05-2#"), spt("Р", "Р: Так. #00:00:31-7#", "Так. #00:00:31-7#", 5200*time.Millisecond)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := turnsOf(t, "t.txt", tt.in, Options{}); !slices.Equal(got, tt.want) {
				t.Errorf("Parse(%q) turns =\n%v\nwant\n%v", tt.in, got, tt.want)
			}
		})
	}
}

func TestGivenSpeakers(t *testing.T) {
	in := "Intro.\nnino: Hello.\n[00:01] ANNA K. PETROVA: Hi.\nAnna: not given.\nNino\nA line.\nNote: text.\n"
	got := turnsOf(t, "t.txt", in, Options{Speakers: []string{"Nino", " Anna K. Petrova "}})
	want := []span{
		sp("Nino", "nino: Hello.", "Hello."),
		spt("Anna K. Petrova", "[00:01] ANNA K. PETROVA: Hi.\nAnna: not given.", "Hi.\nAnna: not given.", time.Second),
		sp("Nino", "Nino\nA line.\nNote: text.", "A line.\nNote: text."),
	}
	if !slices.Equal(got, want) {
		t.Errorf("given speakers: turns =\n%v\nwant\n%v", got, want)
	}

	re := regexp.MustCompile(`^<(?P<speaker>[^>]+)>`)
	got = turnsOf(t, "t.txt", "<anna> hi\n<boris> ho\nmore\n", Options{SpeakerPattern: re})
	want = []span{sp("anna", "<anna> hi", "hi"), sp("boris", "<boris> ho\nmore", "ho\nmore")}
	if !slices.Equal(got, want) {
		t.Errorf("pattern: turns =\n%v\nwant\n%v", got, want)
	}
	re = regexp.MustCompile(`(?P<time>\d+:\d\d) (?P<speaker>\w+) says`)
	got = turnsOf(t, "t.txt", "1:05 anna says hi\n", Options{SpeakerPattern: re})
	want = []span{spt("anna", "1:05 anna says hi", "hi", 65*time.Second)}
	if !slices.Equal(got, want) {
		t.Errorf("pattern with time: turns =\n%v\nwant\n%v", got, want)
	}
}

func TestReviewTurns(t *testing.T) {
	long := strings.Repeat("word ", 120)
	tests := []struct {
		name, in string
		want     []string
	}{
		{"no labels", "Just a memo.\n\nAnother paragraph.\n", []string{"No speaker labels found: each paragraph is a turn without a speaker."}},
		{"one speaker holds the words", "Q: Why?\nA: " + long + "\nQ: And?\nA: " + long + "\n", nil},
		{"one speaker holds the words and the turns", "Q: Why?\nA: " + long + "\nA: " + long + "\nA: " + long + "\nA: " + long + "\n",
			[]string{"One speaker (A) holds 99% of the words: other speakers' labels may have been missed."}},
		{"one speaker alone", "Anna: " + long + "\n\nAnna: " + long + "\n",
			[]string{"One speaker (Anna) holds 100% of the words: other speakers' labels may have been missed."}},
		{"a label seen once", "Anna: Hi.\nBoris: Ho.\nCarla: Hey.\nAnna: Bye.\nBoris: Bye.\n",
			[]string{`The label "Carla" (written "Carla:") is seen only once: check that it is a speaker.`}},
		{"a known label once is fine", "Interviewer: Hi.\nAnna: Ho.\nAnna: Hey.\n", nil},
	}
	for _, tt := range tests {
		doc, err := Parse("t.txt", []byte(tt.in))
		if err != nil {
			t.Fatal(err)
		}
		if got := reviewTurns(doc.Text, doc.Turns); !slices.Equal(got, tt.want) {
			t.Errorf("%s: reviewTurns = %q, want %q", tt.name, got, tt.want)
		}
		if !slices.Equal(doc.Warnings, tt.want) {
			t.Errorf("%s: Parse warnings = %q, want %q", tt.name, doc.Warnings, tt.want)
		}
	}
}

// docTest is one text and the turns expected in it.
type docTest struct {
	name, in string
	want     []span
}

// runDocTests checks the turns of each test's text, read as a .txt.
func runDocTests(t *testing.T, tests []docTest) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := turnsOf(t, "t.txt", tt.in, Options{}); !slices.Equal(got, tt.want) {
				t.Errorf("Parse(%q) turns =\n%v\nwant\n%v", tt.in, got, tt.want)
			}
		})
	}
}

// A bracketed word at the start of a line without a colon is a stage
// direction, not a [Name] label; the name alone above it labels the speech,
// which starts at the direction.
func TestBracketedDirections(t *testing.T) {
	for _, tt := range []struct {
		line    string
		speaker string // "" for no label
	}{
		{"[Within] My lord!", ""},
		{"[Beneath] Swear.", ""},
		{"[Drawing] How now!", ""},
		{"[Sings] In youth when I did love.", ""},
		{"[Aside] A little more than kin.", ""},
		{"[To KING] Not so, my lord.", ""},
		{"[Exit]", ""},
		{"[Anna Petrova] Hello.", ""},
		{"[id1] I have been a nurse.", "id1"},
		{"[P03] Yes.", "P03"},
		{"[S2] Yes.", "S2"},
		{"[SPEAKER_00] Hello.", "SPEAKER_00"},
		{"[Interviewer] Hello.", "Interviewer"},
		{"[Q] Why?", "Q"},
		{"[Anna]: Yes.", "Anna"},
		{"[Within]: a colon makes it a label", "Within"},
	} {
		l, ok := parseLabel(tt.line)
		if got := map[bool]string{true: l.speaker}[ok]; got != tt.speaker {
			t.Errorf("parseLabel(%q) speaker = %q, want %q", tt.line, got, tt.speaker)
		}
	}
	runDocTests(t, []docTest{
		{
			"a name alone, then speech opening with a direction",
			"HAMLET\nSpeak, I am bound to hear.\nGHOST\n[Beneath] Swear.\nHAMLET\n[Drawing] How now! A rat?\nGHOST\n[Within] Swear.\n",
			[]span{sp("HAMLET", "HAMLET\nSpeak, I am bound to hear.", "Speak, I am bound to hear."),
				sp("GHOST", "GHOST\n[Beneath] Swear.", "[Beneath] Swear."),
				sp("HAMLET", "HAMLET\n[Drawing] How now! A rat?", "[Drawing] How now! A rat?"),
				sp("GHOST", "GHOST\n[Within] Swear.", "[Within] Swear.")},
		},
		{
			"directions inside a speech and in mixed-case names",
			"First Clown\n[Sings] In youth, when I did love.\n[Aside] He knows not.\nSecond Clown\n[To First Clown] Go, get thee in.\nFirst Clown\nI go.\nSecond Clown\n[Exit] Farewell.\n",
			[]span{sp("First Clown", "First Clown\n[Sings] In youth, when I did love.\n[Aside] He knows not.", "[Sings] In youth, when I did love.\n[Aside] He knows not."),
				sp("Second Clown", "Second Clown\n[To First Clown] Go, get thee in.", "[To First Clown] Go, get thee in."),
				sp("First Clown", "First Clown\nI go.", "I go."),
				sp("Second Clown", "Second Clown\n[Exit] Farewell.", "[Exit] Farewell.")},
		},
		{
			"QualCoder ids still label",
			"[id1] One.\n[id2] Two.\n[id1] Three.\n",
			[]span{sp("id1", "[id1] One.", "One."), sp("id2", "[id2] Two.", "Two."), sp("id1", "[id1] Three.", "Three.")},
		},
	})
}

// A line whose first word is a stage direction is never a speaker, and a
// name alone mixing a word in capitals with words in lower case is not a
// name; a direction alone between a name and its speech is part of the
// speech.
func TestStageDirectionLines(t *testing.T) {
	for _, name := range []string{
		"Exeunt", "Exit", "Exit ANNA", "Exit Polonius", "Reads", "Enter Boris", "Re-enter", "Re-enter Ghost", "Flourish",
		"Dies", "Sings", "Aside", "Within", "Manet", "Manet ANNA", "Alarum", "EXEUNT",
		"Уходит", "Входит", "Уходят", "Входят", "Поёт", "В сторону", "Занавес", "Пауза", "Смеётся", "Уходит Анна",
		"ACT II", "SCENE 3", "Chapter 2", "Dramatis Personae", "Явление 3", "Действие 2",
	} {
		if !isNonSpeakerWord(name) {
			t.Errorf("isNonSpeakerWord(%q) = false, want true", name)
		}
	}
	for _, name := range []string{"Anna", "Hamlet", "First Clown", "Old Tomas", "Will Exton", "Prologue", "Partington"} {
		if isNonSpeakerWord(name) {
			t.Errorf("isNonSpeakerWord(%q) = true, want false", name)
		}
	}
	for _, tt := range []struct {
		line string
		name bool // a name alone
	}{
		{"Exit ANNA", false}, {"Manet BORIS", false}, {"Enter ANNA and BORIS", false}, {"Kneels BORIS", false},
		{"HAMLET", true}, {"First Clown", true}, {"Dr. KO", true}, {"Anna K. PETROVA", false}, {"ANNA K.", true},
	} {
		l, ok := parseLabel(tt.line)
		if got := ok && l.kind == kindAlone; got != tt.name {
			t.Errorf("parseLabel(%q) is a name alone: %v, want %v", tt.line, got, tt.name)
		}
	}
	runDocTests(t, []docTest{
		{
			"a play in mixed case",
			"Ghost\nSwear.\nHamlet\nRest, perturbed spirit.\nExeunt\nFlourish\nEnter King and Queen\nKing\nWelcome.\nExit Hamlet\nRe-enter Ghost\n" +
				"Ghost\nWithin\nSwear.\nKing\nDies\nO, I am slain.\nManet Hamlet\nAlarum\nHamlet\nReads\nDoubt thou the stars are fire.\n",
			[]span{sp("Ghost", "Ghost\nSwear.", "Swear."),
				sp("Hamlet", "Hamlet\nRest, perturbed spirit.\nExeunt\nFlourish\nEnter King and Queen", "Rest, perturbed spirit.\nExeunt\nFlourish\nEnter King and Queen"),
				sp("King", "King\nWelcome.\nExit Hamlet\nRe-enter Ghost", "Welcome.\nExit Hamlet\nRe-enter Ghost"),
				sp("Ghost", "Ghost\nWithin\nSwear.", "Within\nSwear."),
				sp("King", "King\nDies\nO, I am slain.\nManet Hamlet\nAlarum", "Dies\nO, I am slain.\nManet Hamlet\nAlarum"),
				sp("Hamlet", "Hamlet\nReads\nDoubt thou the stars are fire.", "Reads\nDoubt thou the stars are fire.")},
		},
		{
			"a play in capitals",
			"ANNA\nYou are late.\nBORIS\nThe roads.\nExit ANNA\nSings\nANNA\nAgain?\nExit BORIS\nBORIS\nAside\nAlways.\n",
			[]span{sp("ANNA", "ANNA\nYou are late.", "You are late."),
				sp("BORIS", "BORIS\nThe roads.\nExit ANNA\nSings", "The roads.\nExit ANNA\nSings"),
				sp("ANNA", "ANNA\nAgain?\nExit BORIS", "Again?\nExit BORIS"),
				sp("BORIS", "BORIS\nAside\nAlways.", "Aside\nAlways.")},
		},
		{
			"a Russian play",
			"АННА\nТы опять опоздал.\nБОРИС\nПауза\nДороги закрыты.\nУходит\nАННА\nПоёт\nОй, то не вечер.\nВходят БОРИС и КЕДР\n" +
				"БОРИС\nСмеётся\nВот и мы.\nВходит\nАННА\nВ сторону\nТолько их и ждали.\nУходят\nЗанавес\n",
			[]span{sp("АННА", "АННА\nТы опять опоздал.", "Ты опять опоздал."),
				sp("БОРИС", "БОРИС\nПауза\nДороги закрыты.\nУходит", "Пауза\nДороги закрыты.\nУходит"),
				sp("АННА", "АННА\nПоёт\nОй, то не вечер.\nВходят БОРИС и КЕДР", "Поёт\nОй, то не вечер.\nВходят БОРИС и КЕДР"),
				sp("БОРИС", "БОРИС\nСмеётся\nВот и мы.\nВходит", "Смеётся\nВот и мы.\nВходит"),
				sp("АННА", "АННА\nВ сторону\nТолько их и ждали.\nУходят\nЗанавес", "В сторону\nТолько их и ждали.\nУходят\nЗанавес")},
		},
		{
			"directions with a colon are not speakers",
			"Anna: Hi.\nBoris: Ho.\nExit Anna: quickly.\nAnna: Back.\nBoris: Good.\n",
			[]span{sp("Anna", "Anna: Hi.", "Hi."), sp("Boris", "Boris: Ho.\nExit Anna: quickly.", "Ho.\nExit Anna: quickly."),
				sp("Anna", "Anna: Back.", "Back."), sp("Boris", "Boris: Good.", "Good.")},
		},
	})
}

// Two names joined by a no-break space (U+00A0 or U+202F) are a label;
// the speaker is named with a plain space.
func TestNoBreakSpaceLabels(t *testing.T) {
	for _, tt := range []struct {
		line, speaker string
		kind          labelKind
	}{
		{"ANNA\u00a0BORIS", "ANNA\u00a0BORIS", kindAlone},
		{"ANNA\u202fBORIS", "ANNA\u202fBORIS", kindAlone},
		{"Anna\u00a0Petrova: Hello.", "Anna\u00a0Petrova", kindColon},
		{"Dr.\u00a0Ko: Yes.", "Dr.\u00a0Ko", kindColon},
		{"Interviewer\u00a02: Hello.", "Interviewer\u00a02", kindColon},
	} {
		l, ok := parseLabel(tt.line)
		if !ok || l.speaker != tt.speaker || l.kind != tt.kind {
			t.Errorf("parseLabel(%q) = %q kind %d (%v), want %q kind %d", tt.line, l.speaker, l.kind, ok, tt.speaker, tt.kind)
		}
	}
	if l, _ := parseLabel("Interviewer\u00a02: Hello."); !l.known {
		t.Errorf("Interviewer\\u00a02 is not a known label")
	}
	for _, line := range []string{"ANNA\u00a0\u00a0BORIS", "\u00a0ANNA", "ANNA\u00a0 BORIS", "Anna\u00a0petrova: no"} {
		if l, ok := parseLabel(line); ok && l.speaker != "" && l.speaker != "ANNA" {
			t.Errorf("parseLabel(%q) = %q, want no label", line, l.speaker)
		}
	}
	runDocTests(t, []docTest{
		{
			"a joint label alone, once",
			"ANNA\nRun!\nBORIS\nWhere?\nANNA\u00a0BORIS\nAway!\nANNA\nNow.\nBORIS\nYes.\n",
			[]span{sp("ANNA", "ANNA\nRun!", "Run!"), sp("BORIS", "BORIS\nWhere?", "Where?"),
				sp("ANNA BORIS", "ANNA\u00a0BORIS\nAway!", "Away!"), sp("ANNA", "ANNA\nNow.", "Now."), sp("BORIS", "BORIS\nYes.", "Yes.")},
		},
		{
			"both spellings are one speaker",
			"Anna\u00a0Petrova: One.\nBoris: Two.\nAnna Petrova: Three.\nBoris: Four.\nAnna\u202fPetrova: Five.\n",
			[]span{sp("Anna Petrova", "Anna\u00a0Petrova: One.", "One."), sp("Boris", "Boris: Two.", "Two."),
				sp("Anna Petrova", "Anna Petrova: Three.", "Three."), sp("Boris", "Boris: Four.", "Four."),
				sp("Anna Petrova", "Anna\u202fPetrova: Five.", "Five.")},
		},
	})
}

// A name alone used once counts in a play labelled by names alone when it
// is written like the names that recur, comes after the first of them and
// its speech is on the next line; a heading never does.
func TestNameAloneOnce(t *testing.T) {
	runDocTests(t, []docTest{
		{
			"mixed case: Servant and Prologue once",
			"First Clown\nIs she to be buried?\nSecond Clown\nI tell thee she is.\nServant\nMy lord, the players are come.\n" +
				"First Clown\nLet them in.\nPrologue\nFor us and for our tragedy.\nSecond Clown\nAye.\n",
			[]span{sp("First Clown", "First Clown\nIs she to be buried?", "Is she to be buried?"),
				sp("Second Clown", "Second Clown\nI tell thee she is.", "I tell thee she is."),
				sp("Servant", "Servant\nMy lord, the players are come.", "My lord, the players are come."),
				sp("First Clown", "First Clown\nLet them in.", "Let them in."),
				sp("Prologue", "Prologue\nFor us and for our tragedy.", "For us and for our tragedy."),
				sp("Second Clown", "Second Clown\nAye.", "Aye.")},
		},
		{
			"capitals: LUCIANUS once, its speech opening with a direction; Servant in another case is text",
			"HAMLET\nSpeak.\nGHOST\nMark me.\nLUCIANUS\n[Pours the poison] Thoughts black, hands apt.\nGHOST\nRemember me.\nServant\nMy lord.\nHAMLET\nGo.\n",
			[]span{sp("HAMLET", "HAMLET\nSpeak.", "Speak."), sp("GHOST", "GHOST\nMark me.", "Mark me."),
				sp("LUCIANUS", "LUCIANUS\n[Pours the poison] Thoughts black, hands apt.", "[Pours the poison] Thoughts black, hands apt."),
				sp("GHOST", "GHOST\nRemember me.\nServant\nMy lord.", "Remember me.\nServant\nMy lord."),
				sp("HAMLET", "HAMLET\nGo.", "Go.")},
		},
		{
			"headings, a title and a list of characters are not speakers",
			"THE LAST TRAIN\nA play in one act\nDramatis Personae\nHAMLET\nGHOST\nACT I\nThe ramparts.\nHAMLET\nSpeak.\nGHOST\nMark me.\n" +
				"ACT II\nThe same room, later.\nHAMLET\nWhere?\nSCENE 3\nA room in the castle.\nGHOST\nAdieu.\nChapter 2\nIt was late.\n" +
				"Явление 3\nТам же.\nДействие второе\nКомната.\nHAMLET\nGone.\n",
			[]span{sp("HAMLET", "HAMLET\nSpeak.", "Speak."),
				sp("GHOST", "GHOST\nMark me.\nACT II\nThe same room, later.", "Mark me.\nACT II\nThe same room, later."),
				sp("HAMLET", "HAMLET\nWhere?\nSCENE 3\nA room in the castle.", "Where?\nSCENE 3\nA room in the castle."),
				sp("GHOST", "GHOST\nAdieu.\nChapter 2\nIt was late.\nЯвление 3\nТам же.\nДействие второе\nКомната.", "Adieu.\nChapter 2\nIt was late.\nЯвление 3\nТам же.\nДействие второе\nКомната."),
				sp("HAMLET", "HAMLET\nGone.", "Gone.")},
		},
		{
			"a list of names is not a name once",
			"Anna\nWe went to\nParis\nLondon\nBerlin\nand then home.\nBoris\nWhy?\nAnna\nWork.\nBoris\nI see.\n",
			[]span{sp("Anna", "Anna\nWe went to\nParis\nLondon\nBerlin\nand then home.", "We went to\nParis\nLondon\nBerlin\nand then home."),
				sp("Boris", "Boris\nWhy?", "Why?"), sp("Anna", "Anna\nWork.", "Work."), sp("Boris", "Boris\nI see.", "I see.")},
		},
		{
			"a name once after a heading or a direction",
			"ANNA\nOne.\nBORIS\nTwo.\nSCENE 2\nMESSENGER\nNews!\nExeunt\nENTER SERVANT\nSERVANT\nReady.\nANNA\nThree.\nBORIS\nFour.\n",
			[]span{sp("ANNA", "ANNA\nOne.", "One."), sp("BORIS", "BORIS\nTwo.\nSCENE 2", "Two.\nSCENE 2"),
				sp("MESSENGER", "MESSENGER\nNews!\nExeunt\nENTER SERVANT", "News!\nExeunt\nENTER SERVANT"),
				sp("SERVANT", "SERVANT\nReady.", "Ready."),
				sp("ANNA", "ANNA\nThree.", "Three."), sp("BORIS", "BORIS\nFour.", "Four.")},
		},
		{
			"a name once with a blank line before its speech stays text",
			"ANNA\nOne.\nBORIS\nTwo.\nPROLOGUE\n\nThe scene is a station.\nANNA\nThree.\nBORIS\nFour.\n",
			[]span{sp("ANNA", "ANNA\nOne.", "One."), sp("BORIS", "BORIS\nTwo.\nPROLOGUE\n\nThe scene is a station.", "Two.\nPROLOGUE\n\nThe scene is a station."),
				sp("ANNA", "ANNA\nThree.", "Three."), sp("BORIS", "BORIS\nFour.", "Four.")},
		},
		{
			"names alone with blank lines: once-used names alone still need recurring ones",
			"Introduction\nThis is a memo.\n\nBackground\nWe met twice.\n",
			[]span{sp("", "Introduction\nThis is a memo.", "Introduction\nThis is a memo."), sp("", "Background\nWe met twice.", "Background\nWe met twice.")},
		},
	})
}

// A colon followed at once by an ellipsis or a dash ends a label.
func TestColonThenEllipsis(t *testing.T) {
	for _, tt := range []struct {
		line, speaker, body string
	}{
		{"Кедр:… огни горят", "Кедр", "… огни горят"},
		{"Кедр:…огни горят", "Кедр", "…огни горят"},
		{"Anna:... well.", "Anna", "... well."},
		{"Anna:—and then?", "Anna", "—and then?"},
		{"Anna:– no.", "Anna", "– no."},
		{"**Anna:**… yes", "Anna", "… yes"},
		{"[P03]:— yes", "P03", "— yes"},
		{"Anna (01:02):… yes", "Anna", "… yes"},
	} {
		l, ok := parseLabel(tt.line)
		if !ok || l.speaker != tt.speaker || tt.line[l.body:] != tt.body {
			t.Errorf("parseLabel(%q) = %q body %q (%v), want %q body %q", tt.line, l.speaker, tt.line[l.body:], ok, tt.speaker, tt.body)
		}
	}
	for _, line := range []string{"Anna:nothing", "Anna:.", "Anna:-", "Anna:..", "[Within]… no colon", "10:30:… no"} {
		if l, ok := parseLabel(line); ok && l.speaker != "" {
			t.Errorf("parseLabel(%q) = %q, want no label", line, l.speaker)
		}
	}
	runDocTests(t, []docTest{
		{
			"a Russian radio log",
			"Кедр:… огни горят.\nБереза:— Вижу.\nКедр:... Иду на посадку.\nБереза: Принято.\n",
			[]span{sp("Кедр", "Кедр:… огни горят.", "… огни горят."), sp("Береза", "Береза:— Вижу.", "— Вижу."),
				sp("Кедр", "Кедр:... Иду на посадку.", "... Иду на посадку."), sp("Береза", "Береза: Принято.", "Принято.")},
		},
	})
}

// The warning about a label seen once quotes the label line, not a time
// alone on the line before it.
func TestReviewOnceLabelLine(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"a time alone before the label", "[00:00:01:10]\nAnna: Hi.\n[00:00:02:24]\nCarla: Hey.\nAnna: Bye.\nBoris: Ho.\nBoris: Ho.\n",
			[]string{`The label "Carla" (written "Carla:") is seen only once: check that it is a speaker.`}},
		{"a bare time alone and a blank line", "Anna: Hi.\nBoris: Ho.\n00:00:07\n\nCarla: Hey.\nAnna: Bye.\nBoris: Bye.\n",
			[]string{`The label "Carla" (written "Carla:") is seen only once: check that it is a speaker.`}},
		{"a name alone", "ANNA\nHi.\nBORIS\nHo.\n[00:01:02]\nCARLA\nHey.\nANNA\nBye.\nBORIS\nBye.\n",
			[]string{`The label "CARLA" (written "CARLA") is seen only once: check that it is a speaker.`}},
		{"time and label on one line", "[00:00:01] Anna: Hi.\n[00:00:03] Boris: Ho.\n[00:00:05] Carla: Hey.\n[00:00:07] Anna: Bye.\n[00:00:09] Boris: Bye.\n",
			[]string{`The label "Carla" (written "[00:00:05] Carla:") is seen only once: check that it is a speaker.`}},
	}
	for _, tt := range tests {
		doc, err := Parse("t.txt", []byte(tt.in))
		if err != nil {
			t.Fatal(err)
		}
		checkInvariants(t, doc)
		if !slices.Equal(doc.Warnings, tt.want) {
			t.Errorf("%s: warnings = %q, want %q\nturns %v", tt.name, doc.Warnings, tt.want, spans(doc))
		}
	}
}

// The shapes of labels added for podcasts, debates and plays in verse, one
// line each.
func TestParseLabelNewShapes(t *testing.T) {
	sec := time.Second
	tests := []struct {
		line, speaker string
		kind          labelKind
		body          string
		time          time.Duration
		hasTime       bool
		start         int // where the label (or its annotation) starts
	}{
		{"0:00:12.9 **Adam Garrett-Harris** Hello and welcome.", "Adam Garrett-Harris", kindBoldBare, "Hello and welcome.", 12900 * time.Millisecond, true, 0},
		{`\[0:00:43.4\] **Safia Abdalla** I am Safia.`, "Safia Abdalla", kindBoldBare, "I am Safia.", 43400 * time.Millisecond, true, 0},
		{`\[0:01:02\] **Анна Петрова** Здравствуйте.`, "Анна Петрова", kindBoldBare, "Здравствуйте.", 62 * sec, true, 0},
		{`\[0:00:05\] just a time`, "", kindNone, "just a time", 5 * sec, true, 0},
		{"ANDERSON COOPER, CNN ANCHOR: And good evening.", "ANDERSON COOPER", kindColon, "And good evening.", 0, false, 0},
		{"Ruth Okafor, Member of the Council: Thank you.", "Ruth Okafor", kindColon, "Thank you.", 0, false, 0},
		{"SEN. RAND PAUL (R), KENTUCKY: Well.", "SEN. RAND PAUL (R)", kindColon, "Well.", 0, false, 0},
		{"ИВАН ПЕТРОВ, ВЕДУЩИЙ НТВ: Добрый вечер.", "ИВАН ПЕТРОВ", kindColon, "Добрый вечер.", 0, false, 0},
		{"(UNKNOWN): You're at work.", "UNKNOWN", kindParen, "You're at work.", 0, false, 0},
		{"(CROSSTALK):", "CROSSTALK", kindParen, "", 0, false, 0},
		{"(НЕИЗВЕСТНЫЙ): Вы на работе.", "НЕИЗВЕСТНЫЙ", kindParen, "Вы на работе.", 0, false, 0},
		{"?: . . .", "?", kindUnknown, ". . .", 0, false, 0},
		{"(APPLAUSE) TRUMP: And George Bush.", "TRUMP", kindColon, "And George Bush.", 0, false, 0},
		{"[BELL RINGS] Anna: Class is over.", "Anna", kindColon, "Class is over.", 0, false, 0},
		{"(аплодисменты) ИВАНОВ: Спасибо.", "ИВАНОВ", kindColon, "Спасибо.", 0, false, 0},
		{"[смех] Анна: Ну да.", "Анна", kindColon, "Ну да.", 0, false, 0},
		{"  [00:01:02] (LAUGHTER) Q: Really?", "Q", kindColon, "Really?", 62 * sec, true, 2},
	}
	for _, tt := range tests {
		l, ok := parseLabel(tt.line)
		if !ok {
			t.Errorf("parseLabel(%q) found nothing", tt.line)
			continue
		}
		if l.speaker != tt.speaker || l.kind != tt.kind || tt.line[l.body:] != tt.body || l.time != tt.time || l.hasTime != tt.hasTime || l.start != tt.start {
			t.Errorf("parseLabel(%q) = %q kind %d body %q time %v %v start %d, want %q kind %d body %q time %v %v start %d",
				tt.line, l.speaker, l.kind, tt.line[l.body:], l.time, l.hasTime, l.start, tt.speaker, tt.kind, tt.body, tt.time, tt.hasTime, tt.start)
		}
	}
}

// 1. A timestamp, then a bold name without a colon: a label when the shape
// recurs (or the name is known); a paragraph with a timestamp alone
// continues the speaker.
func TestBoldNameWithoutColon(t *testing.T) {
	runDocTests(t, []docTest{
		{"podcast .txt",
			"0:00:12.9 **Adam** Hello and welcome.\n\n0:00:15.0 **Jen** Hi.\n\n0:00:17.2 And more from Jen.\n\n0:00:20.0 **Adam** Right.\n",
			[]span{
				spt("Adam", "0:00:12.9 **Adam** Hello and welcome.", "Hello and welcome.", 12900*time.Millisecond),
				spt("Jen", "0:00:15.0 **Jen** Hi.\n\n0:00:17.2 And more from Jen.", "Hi.\n\n0:00:17.2 And more from Jen.", 15*time.Second),
				spt("Adam", "0:00:20.0 **Adam** Right.", "Right.", 20*time.Second),
			}},
		{"Markdown escaped brackets, Russian",
			`\[0:00:01\] **Анна** Здравствуйте.` + "\n\n" + `\[0:00:04\] **Борис** Добрый день.` + "\n",
			[]span{
				spt("Анна", `\[0:00:01\] **Анна** Здравствуйте.`, "Здравствуйте.", time.Second),
				spt("Борис", `\[0:00:04\] **Борис** Добрый день.`, "Добрый день.", 4*time.Second),
			}},
		{"without times, at the start of paragraphs",
			"**Anna** Hello.\n\n**Boris** Hi.\n",
			[]span{sp("Anna", "**Anna** Hello.", "Hello."), sp("Boris", "**Boris** Hi.", "Hi.")}},
		{"once is emphasis, not a label",
			"We met at the café.\n\n**Really** good coffee there.\n",
			[]span{sp("", "We met at the café.", "We met at the café."), sp("", "**Really** good coffee there.", "**Really** good coffee there.")}},
		{"a known name counts once",
			"Intro.\n\n**Interviewer** Hello.\n",
			[]span{sp("Interviewer", "**Interviewer** Hello.", "Hello.")}},
		{"bold inside a paragraph is not a label",
			"**Anna** Hello,\n**Really** nice.\n\n**Boris** Hi.\n",
			[]span{sp("Anna", "**Anna** Hello,\n**Really** nice.", "Hello,\n**Really** nice."), sp("Boris", "**Boris** Hi.", "Hi.")}},
	})
}

// 2. Given speakers match **Name**, **Name:** and [Name]; when none of
// them occurs, each paragraph is a turn without a speaker, with a
// warning.
func TestGivenSpeakersShapes(t *testing.T) {
	tests := []struct {
		name, in string
		speakers []string
		want     []span
		warnings []string
	}{
		{"bold without a colon after a time",
			"0:00:12.9 **Adam Garrett-Harris** Hello.\n\n0:00:15.0 **Jen Luker** Hi.\n",
			[]string{"Adam Garrett-Harris", "Jen Luker"},
			[]span{
				spt("Adam Garrett-Harris", "0:00:12.9 **Adam Garrett-Harris** Hello.", "Hello.", 12900*time.Millisecond),
				spt("Jen Luker", "0:00:15.0 **Jen Luker** Hi.", "Hi.", 15*time.Second),
			}, nil},
		{"bold with a colon, brackets, escaped time, Russian",
			"**Анна:** Да.\n[Борис] Нет.\n[Анна]: Может.\n" + `\[0:00:05\] **Борис**: Ну.` + "\n",
			[]string{"Анна", "Борис"},
			[]span{sp("Анна", "**Анна:** Да.", "Да."), sp("Борис", "[Борис] Нет.", "Нет."), sp("Анна", "[Анна]: Может.", "Может."),
				spt("Борис", `\[0:00:05\] **Борис**: Ну.`, "Ну.", 5*time.Second)}, nil},
		{"none found",
			"First paragraph.\n\nSecond one.\n",
			[]string{"Anna", "Boris"},
			[]span{sp("", "First paragraph.", "First paragraph."), sp("", "Second one.", "Second one.")},
			[]string{"None of the speakers given (Anna, Boris) was found at the start of a line: each paragraph is a turn without a speaker."}},
		{"none found, Russian",
			"Первый абзац.\n\nВторой.\n",
			[]string{"Анна"},
			[]span{sp("", "Первый абзац.", "Первый абзац."), sp("", "Второй.", "Второй.")},
			[]string{"None of the speakers given (Анна) was found at the start of a line: each paragraph is a turn without a speaker."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opt := Options{Speakers: tt.speakers}
			got := turnsOf(t, "t.txt", tt.in, opt)
			if !slices.Equal(got, tt.want) {
				t.Errorf("turns =\n%v\nwant\n%v", got, tt.want)
			}
			turns, err := DetectTurns(tt.in, "txt", opt)
			if err != nil {
				t.Fatal(err)
			}
			if w := reviewTurnsWith(tt.in, turns, opt); tt.warnings != nil && !slices.Equal(w, tt.warnings) {
				t.Errorf("warnings = %q, want %q", w, tt.warnings)
			}
		})
	}
	re := regexp.MustCompile(`^<(?P<speaker>[^>]+)>`)
	opt := Options{SpeakerPattern: re}
	turns, err := DetectTurns("no match here\n\nnor here\n", "txt", opt)
	if err != nil || len(turns) != 2 || turns[0].Speaker != "" {
		t.Fatalf("pattern matching nothing: %v, %v", turns, err)
	}
	if w := reviewTurnsWith("no match here\n\nnor here\n", turns, opt); len(w) != 1 || !strings.Contains(w[0], "matches at the start of no line") {
		t.Errorf("pattern matching nothing: warnings %q", w)
	}
}

// 3. A name, a comma and a title or an affiliation before the colon: the
// speaker is the name.
func TestNameWithTitle(t *testing.T) {
	runDocTests(t, []docTest{
		{"English",
			"ANDERSON COOPER, CNN ANCHOR: And good evening.\nCOOPER: Welcome.\nSMITH: Thanks.\nCOOPER: So.\nSMITH: Yes.\n",
			[]span{sp("ANDERSON COOPER", "ANDERSON COOPER, CNN ANCHOR: And good evening.", "And good evening."),
				sp("COOPER", "COOPER: Welcome.", "Welcome."), sp("SMITH", "SMITH: Thanks.", "Thanks."),
				sp("COOPER", "COOPER: So.", "So."), sp("SMITH", "SMITH: Yes.", "Yes.")}},
		{"Russian, recurring with the title",
			"ИВАН ПЕТРОВ, ВЕДУЩИЙ: Добрый вечер.\nАННА: Здравствуйте.\nИВАН ПЕТРОВ, ВЕДУЩИЙ: Начнём.\nАННА: Да.\n",
			[]span{sp("ИВАН ПЕТРОВ", "ИВАН ПЕТРОВ, ВЕДУЩИЙ: Добрый вечер.", "Добрый вечер."), sp("АННА", "АННА: Здравствуйте.", "Здравствуйте."),
				sp("ИВАН ПЕТРОВ", "ИВАН ПЕТРОВ, ВЕДУЩИЙ: Начнём.", "Начнём."), sp("АННА", "АННА: Да.", "Да.")}},
		{"a sentence with a comma is not a label",
			"Anna: One.\nBoris: Two.\nWell, Carla: she said no.\nAnna: Three.\n",
			[]span{sp("Anna", "Anna: One.", "One."), sp("Boris", "Boris: Two.\nWell, Carla: she said no.", "Two.\nWell, Carla: she said no."),
				sp("Anna", "Anna: Three.", "Three.")}},
	})
}

// 4. A transcript header at the top is not a speaker.
func TestTranscriptHeader(t *testing.T) {
	for _, header := range []string{"FULL TRANSCRIPT:", "TRANSCRIPT:", "ТРАНСКРИПТ:", "РАСШИФРОВКА:", "Полная расшифровка:", "СТЕНОГРАММА:"} {
		in := header + "\n\nANNA: One.\nBORIS: Two.\nANNA: Three.\nBORIS: Four.\n"
		got := turnsOf(t, "t.txt", in, Options{})
		if len(got) != 4 || got[0].Speaker != "ANNA" {
			t.Errorf("%q: turns %v", header, got)
		}
	}
	// Its value on the same line is not speech either.
	got := turnsOf(t, "t.txt", "TRANSCRIPT: Town meeting\n\nANNA: One.\nBORIS: Two.\nANNA: Three.\n", Options{})
	if len(got) != 3 || got[0].Speaker != "ANNA" {
		t.Errorf("TRANSCRIPT: Town meeting: turns %v", got)
	}
}

// 5. (NAME): and ?: are labels in a document labelled otherwise.
func TestParenAndUnknownLabels(t *testing.T) {
	runDocTests(t, []docTest{
		{"English",
			"ANNA: One.\n(UNKNOWN): You're at work!\nBORIS: Two.\n(CROSSTALK):\nANNA: Three.\n?: . . .\nUNIDENTIFIED MALE: Answer!\nBORIS: Four.\n",
			[]span{sp("ANNA", "ANNA: One.", "One."), sp("UNKNOWN", "(UNKNOWN): You're at work!", "You're at work!"),
				sp("BORIS", "BORIS: Two.", "Two."), sp("CROSSTALK", "(CROSSTALK):", ""),
				sp("ANNA", "ANNA: Three.", "Three."), sp("?", "?: . . .", ". . ."),
				sp("UNIDENTIFIED MALE", "UNIDENTIFIED MALE: Answer!", "Answer!"), sp("BORIS", "BORIS: Four.", "Four.")}},
		{"Russian",
			"Анна: Раз.\n(НЕИЗВЕСТНЫЙ): Громче!\nБорис: Два.\n?: ...\nНеизвестный: Кто там?\nАнна: Три.\nБорис: Четыре.\n",
			[]span{sp("Анна", "Анна: Раз.", "Раз."), sp("НЕИЗВЕСТНЫЙ", "(НЕИЗВЕСТНЫЙ): Громче!", "Громче!"),
				sp("Борис", "Борис: Два.", "Два."), sp("?", "?: ...", "..."), sp("Неизвестный", "Неизвестный: Кто там?", "Кто там?"),
				sp("Анна", "Анна: Три.", "Три."), sp("Борис", "Борис: Четыре.", "Четыре.")}},
		{"not in an unlabelled document",
			"We met.\n\n(UNKNOWN): a note.\n\n?: a question.\n",
			[]span{sp("", "We met.", "We met."), sp("", "(UNKNOWN): a note.", "(UNKNOWN): a note."), sp("", "?: a question.", "?: a question.")}},
	})
}

// 6. A label used once that differs only in case from one that recurs
// counts as the recurring spelling.
func TestLabelCaseTypo(t *testing.T) {
	runDocTests(t, []docTest{
		{"English",
			"CLINTON: One.\nTRUMP: Two.\nClINTON: Three.\nTRUMP: Four.\nCLINTON: Five.\n",
			[]span{sp("CLINTON", "CLINTON: One.", "One."), sp("TRUMP", "TRUMP: Two.", "Two."), sp("CLINTON", "ClINTON: Three.", "Three."),
				sp("TRUMP", "TRUMP: Four.", "Four."), sp("CLINTON", "CLINTON: Five.", "Five.")}},
		{"Russian",
			"ИВАНОВ: Раз.\nПЕТРОВ: Два.\nИваНОВ: Три.\nПЕТРОВ: Четыре.\nИВАНОВ: Пять.\n",
			[]span{sp("ИВАНОВ", "ИВАНОВ: Раз.", "Раз."), sp("ПЕТРОВ", "ПЕТРОВ: Два.", "Два."), sp("ИВАНОВ", "ИваНОВ: Три.", "Три."),
				sp("ПЕТРОВ", "ПЕТРОВ: Четыре.", "Четыре."), sp("ИВАНОВ", "ИВАНОВ: Пять.", "Пять.")}},
	})
}

// 7. A noise annotation before a label: the label counts, and the turn
// starts at the annotation; an annotation alone on its line is text.
func TestNoiseBeforeLabel(t *testing.T) {
	runDocTests(t, []docTest{
		{"English",
			"CLINTON: One.\n(APPLAUSE)\nTRUMP: Two.\n(APPLAUSE) TRUMP: And George Bush.\n[BELL RINGS] CLINTON: Three.\n(laughter) TRUMP: Four.\n",
			[]span{sp("CLINTON", "CLINTON: One.\n(APPLAUSE)", "One.\n(APPLAUSE)"), sp("TRUMP", "TRUMP: Two.", "Two."),
				sp("TRUMP", "(APPLAUSE) TRUMP: And George Bush.", "And George Bush."), sp("CLINTON", "[BELL RINGS] CLINTON: Three.", "Three."),
				sp("TRUMP", "(laughter) TRUMP: Four.", "Four.")}},
		{"Russian",
			"ИВАНОВ: Раз.\n(аплодисменты) ПЕТРОВ: Два.\n[смех] ИВАНОВ: Три.\nПЕТРОВ: Четыре.\n",
			[]span{sp("ИВАНОВ", "ИВАНОВ: Раз.", "Раз."), sp("ПЕТРОВ", "(аплодисменты) ПЕТРОВ: Два.", "Два."),
				sp("ИВАНОВ", "[смех] ИВАНОВ: Три.", "Три."), sp("ПЕТРОВ", "ПЕТРОВ: Четыре.", "Четыре.")}},
		{"a note in lower case that is not noise is text",
			"Anna: One.\n(quietly) Boris: not a label.\nAnna: Two.\nBoris: Three.\n",
			[]span{sp("Anna", "Anna: One.\n(quietly) Boris: not a label.", "One.\n(quietly) Boris: not a label."),
				sp("Anna", "Anna: Two.", "Two."), sp("Boris", "Boris: Three.", "Three.")}},
	})
}

// 8. A label used once counts only in the layout of those that recur: in a
// play whose labels stand alone at the start of paragraphs, verse lines
// with a colon are speech.
func TestOnceLabelLayout(t *testing.T) {
	runDocTests(t, []docTest{
		{"English",
			"First Citizen:\nBefore we proceed.\n\nSecond Citizen:\nHere: what's the matter?\nCome:\nLet us go.\n\nFirst Citizen:\nWe go.\n\nMessenger:\nNews!\n\nSecond Citizen:\nWhat news?\n",
			[]span{sp("First Citizen", "First Citizen:\nBefore we proceed.", "Before we proceed."),
				sp("Second Citizen", "Second Citizen:\nHere: what's the matter?\nCome:\nLet us go.", "Here: what's the matter?\nCome:\nLet us go."),
				sp("First Citizen", "First Citizen:\nWe go.", "We go."), sp("Messenger", "Messenger:\nNews!", "News!"),
				sp("Second Citizen", "Second Citizen:\nWhat news?", "What news?")}},
		{"Russian",
			"ПЕРВЫЙ ГОРОЖАНИН:\nПостойте, слушайте.\n\nВТОРОЙ ГОРОЖАНИН:\nВОТ: что случилось?\nИДЁМ:\nК нему.\n\nПЕРВЫЙ ГОРОЖАНИН:\nИдём.\n\nГОНЕЦ:\nВести!\n\nВТОРОЙ ГОРОЖАНИН:\nКакие?\n",
			[]span{sp("ПЕРВЫЙ ГОРОЖАНИН", "ПЕРВЫЙ ГОРОЖАНИН:\nПостойте, слушайте.", "Постойте, слушайте."),
				sp("ВТОРОЙ ГОРОЖАНИН", "ВТОРОЙ ГОРОЖАНИН:\nВОТ: что случилось?\nИДЁМ:\nК нему.", "ВОТ: что случилось?\nИДЁМ:\nК нему."),
				sp("ПЕРВЫЙ ГОРОЖАНИН", "ПЕРВЫЙ ГОРОЖАНИН:\nИдём.", "Идём."), sp("ГОНЕЦ", "ГОНЕЦ:\nВести!", "Вести!"),
				sp("ВТОРОЙ ГОРОЖАНИН", "ВТОРОЙ ГОРОЖАНИН:\nКакие?", "Какие?")}},
		{"speech on the same line: a once label alone does not count",
			"Anna: One.\nBoris: Two.\nDora:\nAnna: Three.\nBoris: Four.\nCarla: Five.\n",
			[]span{sp("Anna", "Anna: One.", "One."), sp("Boris", "Boris: Two.\nDora:", "Two.\nDora:"),
				sp("Anna", "Anna: Three.", "Three."), sp("Boris", "Boris: Four.", "Four."), sp("Carla", "Carla: Five.", "Five.")}},
	})
}
