package transcripts

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// span is a Turn seen through the text it covers, for readable tests.
type span struct {
	Speaker     string
	Whole, Body string
	Time        time.Duration
	HasTime     bool
}

func (s span) String() string {
	t := ""
	if s.HasTime {
		t = " @" + s.Time.String()
	}
	return fmt.Sprintf("{%q%s %q body %q}", s.Speaker, t, s.Whole, s.Body)
}

// spans renders the turns of doc as the text they cover.
func spans(doc *Document) []span {
	r := []rune(doc.Text)
	var out []span
	for _, t := range doc.Turns {
		out = append(out, span{
			Speaker: t.Speaker,
			Whole:   string(r[t.Start:t.End]),
			Body:    string(r[t.Body:t.End]),
			Time:    t.Time,
			HasTime: t.HasTime,
		})
	}
	return out
}

// sp is a span without a time.
func sp(speaker, whole, body string) span { return span{Speaker: speaker, Whole: whole, Body: body} }

// spt is a span with a time.
func spt(speaker, whole, body string, d time.Duration) span {
	return span{Speaker: speaker, Whole: whole, Body: body, Time: d, HasTime: true}
}

func TestTurnsPlainText(t *testing.T) {
	sec := time.Second
	tests := []struct {
		name, in string
		want     []span
	}{
		{
			"known labels Q and A",
			"Q: How old are you?\nA: Thirty.\n",
			[]span{sp("Q", "Q: How old are you?", "How old are you?"), sp("A", "A: Thirty.", "Thirty.")},
		},
		{
			"a known label counts once",
			"Intro text.\nInterviewer: Hello.\n",
			[]span{sp("Interviewer", "Interviewer: Hello.", "Hello.")},
		},
		{
			"known labels in capitals",
			"INTERVIEWER: Hi.\nРЕСПОНДЕНТ: Привет.\n",
			[]span{sp("INTERVIEWER", "INTERVIEWER: Hi.", "Hi."), sp("РЕСПОНДЕНТ", "РЕСПОНДЕНТ: Привет.", "Привет.")},
		},
		{
			"I and R",
			"I: Start.\nR: Fine.",
			[]span{sp("I", "I: Start.", "Start."), sp("R", "R: Fine.", "Fine.")},
		},
		{
			"Russian labels",
			"И: Вы уехали?\nР: Да.\nВопрос: Когда?\nОтвет: В марте.\nИнтервьюер: Почему?\nРеспондент: Страшно.\n",
			[]span{
				sp("И", "И: Вы уехали?", "Вы уехали?"),
				sp("Р", "Р: Да.", "Да."),
				sp("Вопрос", "Вопрос: Когда?", "Когда?"),
				sp("Ответ", "Ответ: В марте.", "В марте."),
				sp("Интервьюер", "Интервьюер: Почему?", "Почему?"),
				sp("Респондент", "Респондент: Страшно.", "Страшно."),
			},
		},
		{
			"diarisation labels",
			"[SPEAKER_00]: One.\n[SPEAKER_01] Two.\nSPEAKER_00: Three.\n",
			[]span{
				sp("SPEAKER_00", "[SPEAKER_00]: One.", "One."),
				sp("SPEAKER_01", "[SPEAKER_01] Two.", "Two."),
				sp("SPEAKER_00", "SPEAKER_00: Three.", "Three."),
			},
		},
		{
			"markdown bold labels",
			"**Q:** Where?\n**Anna**: Here.\n**Anna:** There.\n",
			[]span{
				sp("Q", "**Q:** Where?", "Where?"),
				sp("Anna", "**Anna**: Here.", "Here."),
				sp("Anna", "**Anna:** There.", "There."),
			},
		},
		{
			"generic names count from two lines",
			"Anna Petrova: Hello.\nBoris: Hi.\nAnna Petrova: Bye.\nBoris: Bye.\n",
			[]span{
				sp("Anna Petrova", "Anna Petrova: Hello.", "Hello."),
				sp("Boris", "Boris: Hi.", "Hi."),
				sp("Anna Petrova", "Anna Petrova: Bye.", "Bye."),
				sp("Boris", "Boris: Bye.", "Bye."),
			},
		},
		{
			"a lone generic label stays text",
			"Q: What happened?\nA: We left.\nNote: the line was bad.\nQ: Go on.\n",
			[]span{
				sp("Q", "Q: What happened?", "What happened?"),
				sp("A", "A: We left.\nNote: the line was bad.", "We left.\nNote: the line was bad."),
				sp("Q", "Q: Go on.", "Go on."),
			},
		},
		{
			"names in any script, hyphens and apostrophes",
			"Анна-Мария: Да.\nO'Brien: Yes.\nАнна-Мария: Нет.\nO'Brien: No.\nნინო: კი.\n",
			[]span{
				sp("Анна-Мария", "Анна-Мария: Да.", "Да."),
				sp("O'Brien", "O'Brien: Yes.", "Yes."),
				sp("Анна-Мария", "Анна-Мария: Нет.", "Нет."),
				sp("O'Brien", "O'Brien: No.\nნინო: კი.", "No.\nნინო: კი."),
			},
		},
		{
			"not labels: sentence punctuation, six words, lower case, no space after colon, long name",
			"Q: Start.\nHello, Smith: a\nHello, Smith: b\nOne Two Three Four Five Six: c\nOne Two Three Four Five Six: d\nanna: e\nanna: f\nAnna:g\nAnna:h\n" +
				strings.Repeat("X", 41) + ": i\n" + strings.Repeat("X", 41) + ": j\nhttp://example.org\n",
			[]span{sp("Q", "Q: Start.\nHello, Smith: a\nHello, Smith: b\nOne Two Three Four Five Six: c\nOne Two Three Four Five Six: d\nanna: e\nanna: f\nAnna:g\nAnna:h\n"+
				strings.Repeat("X", 41)+": i\n"+strings.Repeat("X", 41)+": j\nhttp://example.org",
				"Start.\nHello, Smith: a\nHello, Smith: b\nOne Two Three Four Five Six: c\nOne Two Three Four Five Six: d\nanna: e\nanna: f\nAnna:g\nAnna:h\n"+
					strings.Repeat("X", 41)+": i\n"+strings.Repeat("X", 41)+": j\nhttp://example.org")},
		},
		{
			"a 40-character name is accepted",
			strings.Repeat("Y", 40) + ": a\n" + strings.Repeat("Y", 40) + ": b",
			[]span{sp(strings.Repeat("Y", 40), strings.Repeat("Y", 40)+": a", "a"), sp(strings.Repeat("Y", 40), strings.Repeat("Y", 40)+": b", "b")},
		},
		{
			"timestamp forms",
			"[01:02:03] Q: a\n[02:03] A: b\n01:02:04 Q: c\n(01:02:05) A: d\n[00:00:01.250] Q: e\n[00:00:01,5] A: f\n1:02:03.004 Q: g\n",
			[]span{
				spt("Q", "[01:02:03] Q: a", "a", time.Hour+2*time.Minute+3*sec),
				spt("A", "[02:03] A: b", "b", 2*time.Minute+3*sec),
				spt("Q", "01:02:04 Q: c", "c", time.Hour+2*time.Minute+4*sec),
				spt("A", "(01:02:05) A: d", "d", time.Hour+2*time.Minute+5*sec),
				spt("Q", "[00:00:01.250] Q: e", "e", 1250*time.Millisecond),
				spt("A", "[00:00:01,5] A: f", "f", 1500*time.Millisecond),
				spt("Q", "1:02:03.004 Q: g", "g", time.Hour+2*time.Minute+3*sec+4*time.Millisecond),
			},
		},
		{
			"not timestamps: seconds over 59, four digits, trailing colon",
			"Q: a\n[00:61] A: b\n1234:00 A: c\n10:30: A: d\n",
			[]span{sp("Q", "Q: a\n[00:61] A: b\n1234:00 A: c\n10:30: A: d", "a\n[00:61] A: b\n1234:00 A: c\n10:30: A: d")},
		},
		{
			"time after the name",
			"Anna (00:01:02): Hello.\nBoris [00:01:05]: Hi.\nInterviewer (1:07): Bye.\n",
			[]span{
				spt("Anna", "Anna (00:01:02): Hello.", "Hello.", time.Minute+2*sec),
				spt("Boris", "Boris [00:01:05]: Hi.", "Hi.", time.Minute+5*sec),
				spt("Interviewer", "Interviewer (1:07): Bye.", "Bye.", time.Minute+7*sec),
			},
		},
		{
			"a timestamp without a label continues the turn",
			"[00:01] Q: Tell me.\n[00:05] A: Well.\n[00:09] Then we left.\n",
			[]span{
				spt("Q", "[00:01] Q: Tell me.", "Tell me.", sec),
				spt("A", "[00:05] A: Well.\n[00:09] Then we left.", "Well.\n[00:09] Then we left.", 5*sec),
			},
		},
		{
			"a timestamp line before a label starts the turn",
			"00:00:03\nInterviewer: Hi.\n\n00:00:07\nRespondent: Hello.\n",
			[]span{
				spt("Interviewer", "00:00:03\nInterviewer: Hi.", "Hi.", 3*sec),
				spt("Respondent", "00:00:07\nRespondent: Hello.", "Hello.", 7*sec),
			},
		},
		{
			"continuation over blank lines, trailing white space trimmed",
			"Title line\n\nQ: First line   \n\n  second paragraph \t\n\n\nA: Answer.  \n\n",
			[]span{
				sp("Q", "Q: First line   \n\n  second paragraph", "First line   \n\n  second paragraph"),
				sp("A", "A: Answer.", "Answer."),
			},
		},
		{
			"speech on the line after the label",
			"Q:\nWhat now?\nA:   \n\n   Nothing.\n",
			[]span{sp("Q", "Q:\nWhat now?", "What now?"), sp("A", "A:   \n\n   Nothing.", "Nothing.")},
		},
		{
			"a label without speech",
			"Q: Anything else?\nA:\nQ: Thanks.",
			[]span{sp("Q", "Q: Anything else?", "Anything else?"), sp("A", "A:", ""), sp("Q", "Q: Thanks.", "Thanks.")},
		},
		{
			"a no-break space after the colon",
			"Q:\u00a0Where?\nA:\u00a0\u00a0Here.",
			[]span{sp("Q", "Q:\u00a0Where?", "Where?"), sp("A", "A:\u00a0\u00a0Here.", "Here.")},
		},
		{
			"indented labels start at the label",
			"  Q: a\n\tA: b\n",
			[]span{sp("Q", "Q: a", "a"), sp("A", "A: b", "b")},
		},
		{
			"Otter export",
			"Speaker 1  0:03\nHello there.\n\nSpeaker 2  0:07\nHi.\n",
			[]span{
				spt("Speaker 1", "Speaker 1  0:03\nHello there.", "Hello there.", 3*sec),
				spt("Speaker 2", "Speaker 2  0:07\nHi.", "Hi.", 7*sec),
			},
		},
		{
			"timestamped generic labels count from two of them",
			"[00:01] Anna: Hi.\n[00:04] Translator: Привет.\n[00:06] Anna: Bye.\n",
			[]span{
				spt("Anna", "[00:01] Anna: Hi.", "Hi.", sec),
				spt("Translator", "[00:04] Translator: Привет.", "Привет.", 4*sec),
				spt("Anna", "[00:06] Anna: Bye.", "Bye.", 6*sec),
			},
		},
		{
			"no labels: one turn per paragraph",
			"First paragraph\nstill first.\n\n\nSecond.\n   \nThird.",
			[]span{
				sp("", "First paragraph\nstill first.", "First paragraph\nstill first."),
				sp("", "Second.", "Second."),
				sp("", "Third.", "Third."),
			},
		},
		{
			"no labels: a timestamp starts a turn",
			"[00:00:01] We came in March.\n[00:00:09] It was cold.\nVery cold.\n\n00:00:20\nThen spring.\n",
			[]span{
				spt("", "[00:00:01] We came in March.", "We came in March.", sec),
				spt("", "[00:00:09] It was cold.\nVery cold.", "It was cold.\nVery cold.", 9*sec),
				spt("", "00:00:20\nThen spring.", "Then spring.", 20*sec),
			},
		},
		{
			"no labels: a lone generic label is a paragraph",
			"Note: one.\nmore\n\nOther.",
			[]span{sp("", "Note: one.\nmore", "Note: one.\nmore"), sp("", "Other.", "Other.")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Parse("t.txt", []byte(tt.in))
			if err != nil {
				t.Fatalf("Parse(%q) error: %v", tt.in, err)
			}
			checkInvariants(t, doc)
			if got := spans(doc); !slices.Equal(got, tt.want) {
				t.Errorf("Parse(%q) turns =\n%v\nwant\n%v", tt.in, got, tt.want)
			}
		})
	}
}

func TestTurnsEachLine(t *testing.T) {
	// docx and odt paragraphs are lines: without labels each is a turn.
	turns, err := detectTurns("One.\nTwo.\n00:05 Three.", eachLine, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := spans(&Document{Text: "One.\nTwo.\n00:05 Three.", Turns: turns})
	want := []span{sp("", "One.", "One."), sp("", "Two.", "Two."), spt("", "00:05 Three.", "Three.", 5*time.Second)}
	if !slices.Equal(got, want) {
		t.Errorf("detectTurns(eachLine) =\n%v\nwant\n%v", got, want)
	}
}

func TestSpansInCodePoints(t *testing.T) {
	tests := []struct {
		name, in string
		text     string
		want     []Turn
	}{
		{
			"cyrillic",
			"Вступление\nИ: Привет\nР: Да",
			"Вступление\nИ: Привет\nР: Да",
			[]Turn{{Speaker: "И", Start: 11, Body: 14, End: 20}, {Speaker: "Р", Start: 21, Body: 24, End: 26}},
		},
		{
			"emoji count as one code point",
			"Q: 👋🏽 hi\nA: 🐈",
			"Q: 👋🏽 hi\nA: 🐈",
			[]Turn{{Speaker: "Q", Start: 0, Body: 3, End: 8}, {Speaker: "A", Start: 9, Body: 12, End: 13}},
		},
		{
			"decomposed input becomes NFC and spans follow it",
			"Q: Cafe\u0301 e\u0308\nA: й", // й as и + U+0306
			"Q: Café ë\nA: й",
			[]Turn{{Speaker: "Q", Start: 0, Body: 3, End: 9}, {Speaker: "A", Start: 10, Body: 13, End: 14}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Parse("x.txt", []byte(tt.in))
			if err != nil {
				t.Fatalf("Parse(%q) error: %v", tt.in, err)
			}
			if doc.Text != tt.text {
				t.Errorf("Parse(%q).Text = %q, want %q", tt.in, doc.Text, tt.text)
			}
			if !reflect.DeepEqual(doc.Turns, tt.want) {
				t.Errorf("Parse(%q).Turns = %+v, want %+v", tt.in, doc.Turns, tt.want)
			}
		})
	}
}

func TestParseClock(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		n    int
		ok   bool
	}{
		{"01:02:03", time.Hour + 2*time.Minute + 3*time.Second, 8, true},
		{"1:02:03 rest", time.Hour + 2*time.Minute + 3*time.Second, 7, true},
		{"02:03", 2*time.Minute + 3*time.Second, 5, true},
		{"75:00", 75 * time.Minute, 5, true},
		{"00:00:01.5", 1500 * time.Millisecond, 10, true},
		{"00:00:01,123456789", time.Second + 123456789, 18, true},
		{"00:01.000", time.Second, 9, true},
		{"00:01, then", time.Second, 5, true},
		{"00:60", 0, 0, false},
		{"00:60:00", 0, 0, false},
		{"1:2:3", 0, 0, false},
		{"1234:00", 0, 0, false},
		{"00:00:00:00", 0, 0, false},
		{"00:001", 0, 0, false},
		{"00:00:01.1234567890", 0, 0, false},
		{":00", 0, 0, false},
		{"", 0, 0, false},
	}
	for _, tt := range tests {
		d, n, ok := parseClock(tt.in)
		if d != tt.want || n != tt.n || ok != tt.ok {
			t.Errorf("parseClock(%q) = %v, %d, %v, want %v, %d, %v", tt.in, d, n, ok, tt.want, tt.n, tt.ok)
		}
	}
}
