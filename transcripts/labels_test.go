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
		"**Anna** said so",
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
