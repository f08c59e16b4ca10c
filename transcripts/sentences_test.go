package transcripts

import (
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// sentencesOf returns the text of each sentence.
func sentencesOf(text string, turns TurnList) []string {
	rs := []rune(text)
	var out []string
	EachSentence(rs, turns, func(s, e int) { out = append(out, string(rs[s:e])) })
	return out
}

// parsedTurns parses text as a transcript, so that the turns in a case are
// the ones an import would find.
func parsedTurns(t *testing.T, text string) TurnSpans {
	t.Helper()
	doc, err := Parse("case.txt", []byte(text))
	if err != nil {
		t.Fatalf("parse %q: %v", text, err)
	}
	return TurnSpansOf(doc.Turns)
}

func TestSentences(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		text  string
		turns bool // parse speaker turns from the text
		want  []string
	}{
		{"plain", "I left. Then I came back! Why? Nobody knows.",
			false, []string{"I left.", "Then I came back!", "Why?", "Nobody knows."}},
		{"no full stop", "we just packed and went", false, []string{"we just packed and went"}},
		{"no full stop, two turns", "Q: we just packed\nA: and went\n",
			true, []string{"we just packed", "and went"}},
		{"empty", "", false, nil},
		{"white space only", " \n\t \n", false, nil},
		{"english abbreviations", "I saw Dr. Smith and Mr. Jones, e.g. at work. Then we left.",
			false, []string{"I saw Dr. Smith and Mr. Jones, e.g. at work.", "Then we left."}},
		{"i.e. before a capital", "One city, i.e. Tbilisi. Yes.", false, []string{"One city, i.e. Tbilisi.", "Yes."}},
		{"т. е. with a space", "Мы уехали, т. е. Москва осталась позади. Да.",
			false, []string{"Мы уехали, т. е. Москва осталась позади.", "Да."}},
		{"т.е. without a space", "Мы уехали, т.е. Москва осталась позади. Да.",
			false, []string{"Мы уехали, т.е. Москва осталась позади.", "Да."}},
		{"т.д. before a capital ends", "Хлеб, молоко и т.д. Потом мы ушли.",
			false, []string{"Хлеб, молоко и т.д.", "Потом мы ушли."}},
		{"т. д. before a small letter goes on", "Хлеб, молоко и т. д. и т. п. всё взяли.",
			false, []string{"Хлеб, молоко и т. д. и т. п. всё взяли."}},
		{"г. before a city", "Я жила в г. Москва. Теперь в Тбилиси.",
			false, []string{"Я жила в г. Москва.", "Теперь в Тбилиси."}},
		{"г. after a year ends", "Мы уехали в 2022 г. Потом было трудно.",
			false, []string{"Мы уехали в 2022 г.", "Потом было трудно."}},
		{"etc. before a capital ends", "Bread, milk etc. Then we left.", false, []string{"Bread, milk etc.", "Then we left."}},
		{"three dots before a small letter", "Well... no, not really. OK.", false, []string{"Well... no, not really.", "OK."}},
		{"three dots before a capital", "I don't know... Then we left.", false, []string{"I don't know...", "Then we left."}},
		{"ellipsis character", "Ну… я не знаю. Потом… Мы уехали.", false, []string{"Ну… я не знаю.", "Потом…", "Мы уехали."}},
		{"closing quote after the stop", `He said "go." Then he left.`, false, []string{`He said "go."`, "Then he left."}},
		{"guillemets after the stop", "Он сказал: «Уезжай.» Мы уехали.", false, []string{"Он сказал: «Уезжай.»", "Мы уехали."}},
		{"closing bracket after the stop", "We left (it was March.) Then we waited.",
			false, []string{"We left (it was March.)", "Then we waited."}},
		{"quote inside before the stop", "It was «страшно». Да!", false, []string{"It was «страшно».", "Да!"}},
		{"question and exclamation", "Правда?! Да! А ты? Нет.", false, []string{"Правда?!", "Да!", "А ты?", "Нет."}},
		{"question before a small letter ends", "Why? because.", false, []string{"Why?", "because."}},
		{"decimals", "It cost 3.5 million, or 2.75. Not 1.", false, []string{"It cost 3.5 million, or 2.75.", "Not 1."}},
		{"number after a stop ends", "We left in 2022. 5 of us.", false, []string{"We left in 2022.", "5 of us."}},
		{"latin initials", "I read A. S. Pushkin. Then Tolstoy.", false, []string{"I read A. S. Pushkin.", "Then Tolstoy."}},
		{"cyrillic initials", "Я читала А. С. Пушкина. Потом Толстого.", false, []string{"Я читала А. С. Пушкина.", "Потом Толстого."}},
		{"I and Я are words, not initials", "Who did? I. Then you. Кто? Я. Потом ты.",
			false, []string{"Who did?", "I.", "Then you.", "Кто?", "Я.", "Потом ты."}},
		{"a dash opens the next sentence", "— Да. — Нет.", false, []string{"— Да.", "— Нет."}},
		{"a line break inside a turn is a space", "Q: I went to the\nstation. Then home.\nA: Good.\n",
			true, []string{"I went to the\nstation.", "Then home.", "Good."}},
		{"a blank line ends a sentence", "Q: I went to the\n\nstation\nA: Yes.\n", true, []string{"I went to the", "station", "Yes."}},
		{"a blank line with spaces", "one two\n  \t\nthree", false, []string{"one two", "three"}},
		{"a turn boundary ends a sentence", "Q: I went to the\nA: station?\n",
			true, []string{"I went to the", "station?"}},
		{"labels are not speech", "Interviewer: Why? Really?\nRespondent: Well… I left.\n",
			true, []string{"Why?", "Really?", "Well…", "I left."}},
		{"a stop in a word", "See example.com and v1.2.3. Fine.", false, []string{"See example.com and v1.2.3.", "Fine."}},
		{"cyrillic", "Мы уехали в марте. Было страшно! Почему? Не знаю.",
			false, []string{"Мы уехали в марте.", "Было страшно!", "Почему?", "Не знаю."}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var turns TurnList
			if tc.turns {
				turns = parsedTurns(t, tc.text)
			}
			got := sentencesOf(tc.text, turns)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("sentences of %q = %q, want %q", tc.text, got, tc.want)
			}
			checkAgree(t, []rune(tc.text), turns)
		})
	}
}

// TestSentencesOutsideTurns checks text before the first turn, between
// turns and after the last: each is a stretch of its own.
func TestSentencesOutsideTurns(t *testing.T) {
	t.Parallel()
	text := "Notes. Tbilisi\nA: Yes. No\nmore\nB: Ok"
	turns := TurnSpans{{Start: 15, Body: 18, End: 25}, {Start: 31, Body: 34, End: 36}}
	got := sentencesOf(text, turns)
	want := []string{"Notes.", "Tbilisi", "Yes.", "No", "more", "Ok"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("sentences = %q, want %q", got, want)
	}
	checkAgree(t, []rune(text), turns)
	// A position in a label stands for the turn's first sentence.
	if s, e := SentenceAt([]rune(text), turns, 16); string([]rune(text)[s:e]) != "Yes." {
		t.Errorf("SentenceAt in a label = %q, want %q", string([]rune(text)[s:e]), "Yes.")
	}
}

// checkAgree checks that SentenceAt gives, at every position of every
// sentence, that sentence, and that sentences are ordered, trimmed and
// cover every character outside labels that is not white space.
func checkAgree(t *testing.T, rs []rune, turns TurnList) {
	t.Helper()
	inLabel := make([]bool, len(rs))
	if turns != nil {
		for i := 0; i < turns.Len(); i++ {
			s, b, _ := turns.Bounds(i)
			for j := max(s, 0); j < min(b, len(rs)); j++ {
				inLabel[j] = true
			}
		}
	}
	covered := make([]bool, len(rs))
	prev := 0
	EachSentence(rs, turns, func(s, e int) {
		if s < prev || e <= s || e > len(rs) {
			t.Fatalf("%q: bad sentence [%d,%d) after %d", string(rs), s, e, prev)
		}
		if unicode.IsSpace(rs[s]) || unicode.IsSpace(rs[e-1]) {
			t.Fatalf("%q: sentence %q is not trimmed", string(rs), string(rs[s:e]))
		}
		if strings.Contains(string(rs[s:e]), "\n\n") {
			t.Fatalf("%q: sentence %q crosses a blank line", string(rs), string(rs[s:e]))
		}
		for i := s; i < e; i++ {
			if inLabel[i] {
				t.Fatalf("%q: sentence %q holds a label", string(rs), string(rs[s:e]))
			}
			covered[i] = true
			if unicode.IsSpace(rs[i]) {
				continue
			}
			if gs, ge := SentenceAt(rs, turns, i); gs != s || ge != e {
				t.Fatalf("%q: SentenceAt(%d) = [%d,%d) %q, EachSentence has [%d,%d) %q",
					string(rs), i, gs, ge, string(rs[gs:ge]), s, e, string(rs[s:e]))
			}
		}
		prev = e
	})
	for i, r := range rs {
		if !unicode.IsSpace(r) && !inLabel[i] && !covered[i] {
			t.Fatalf("%q: character %d %q is in no sentence", string(rs), i, r)
		}
	}
	// From white space, SentenceAt lands on a sentence or on nothing.
	for i, r := range rs {
		if unicode.IsSpace(r) {
			if s, e := SentenceAt(rs, turns, i); s < 0 || e > len(rs) || s > e {
				t.Fatalf("%q: SentenceAt(%d) = [%d,%d)", string(rs), i, s, e)
			}
		}
	}
}

// FuzzSentences checks the sentence rule's promises on any text, with
// turns from the label grammar and with none: sentences are ordered,
// trimmed, cover every spoken character, cross no blank line and no
// label, and SentenceAt agrees with EachSentence at every position.
func FuzzSentences(f *testing.F) {
	for _, s := range []string{
		"", ".", "...", "A. B.", "Dr. Who? yes… No.", "т. е. Москва", "в 2022 г. Мы",
		"Anna: Hi. There!\nBoris: Yes… no? ok", "Я. Ты.\n\nОн", "«Да.» — Нет.)", "3.5. 4",
		"Q: \nA:   .  \n\n B", " . . .\n\n\n.\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) || len(s) > 4000 {
			return
		}
		rs := []rune(s)
		checkAgree(t, rs, nil)
		doc, err := Parse("fuzz.txt", []byte(s))
		if err != nil {
			return
		}
		checkAgree(t, []rune(doc.Text), TurnSpansOf(doc.Turns))
	})
}

// BenchmarkSentences splits a long transcript into sentences.
func BenchmarkSentences(b *testing.B) {
	var sb strings.Builder
	for i := 0; i < 5000; i++ {
		sb.WriteString("Anna: Мы уехали в 2022 г. Потом, т. е. в марте… было страшно. Dr. Smith said 3.5!\n")
		sb.WriteString("Boris: Why? I don't know... no, really. A. S. Pushkin wrote it.\n")
	}
	text := sb.String()
	doc, err := Parse("bench.txt", []byte(text))
	if err != nil {
		b.Fatal(err)
	}
	rs := []rune(doc.Text)
	turns := TurnSpansOf(doc.Turns)
	b.SetBytes(int64(len(doc.Text)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := 0
		EachSentence(rs, turns, func(s, e int) { n++ })
		if n == 0 {
			b.Fatal("no sentences")
		}
	}
}
