package transcripts

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// shapeSeeds adds the shape samples and a few label lines to f's corpus.
func shapeSeeds(f *testing.F) {
	names, _ := filepath.Glob(filepath.Join("testdata", "shapes", "*.txt"))
	md, _ := filepath.Glob(filepath.Join("testdata", "shapes", "*.md"))
	names = append(names, md...)
	for _, name := range names {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(string(data))
		}
	}
	for _, s := range []string{
		"Anna K. Petrova: x", "Dr. Ko: y", "Respondent 3 (mother): z", "[id1] a", "[P03]: b",
		"[-00:01:57:00] CDR: c", "#00:01:23-4# Р: d", "**Break:** e", "Name (01:02): f",
		"Anna Petrova\nWell.\n\nBoris\nYes.\n\nAnna Petrova\nNo.\n\nBoris\nHm.", "Интервьюер: Е. В. Смирнова\nДата: 1 мая\n\nИнтервьюер: Да?",
		"00:00:03\n\nQ: a\n00:00:05\nA: b #00:00:09-1#\nB: c",
	} {
		f.Add(s)
	}
}

func FuzzDetectTurns(f *testing.F) {
	shapeSeeds(f)
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) || strings.ContainsRune(text, '\r') {
			return
		}
		for _, mode := range []lineMode{paragraphs, eachLine} {
			turns, err := detectTurns(text, mode, Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkTurns(t, text, turns)
		}
	})
}

// FuzzGivenSpeakers checks the turns found from speakers the user names
// (--speakers) and from a pattern (--speaker-pattern) on any text.
func FuzzGivenSpeakers(f *testing.F) {
	for _, s := range []string{
		"Nino: Why?\nAnna K. Petrova: Because.", "Nino\nWhy?\n\nAnna K. Petrova\nBecause.",
		"[00:00:05] NK> hi\n[00:00:09] AP> hello", "nino: a\nNINO: b\n Nino : c",
	} {
		f.Add(s, "Nino,Anna K. Petrova")
	}
	f.Add("Ольга: да\nИ.: нет", "Ольга, И.")
	f.Add("a: b", ",,,")
	pattern := regexp.MustCompile(`^\[(?P<time>[0-9:]+)\] (?P<speaker>[A-Z]{2,4})> `)
	f.Fuzz(func(t *testing.T, text, names string) {
		if !utf8.ValidString(text) || strings.ContainsRune(text, '\r') || !utf8.ValidString(names) {
			return
		}
		var given []string
		for _, n := range strings.Split(names, ",") {
			if n = strings.TrimSpace(n); n != "" {
				given = append(given, n)
			}
		}
		for _, opt := range []Options{{Speakers: given}, {SpeakerPattern: pattern}} {
			for _, mode := range []lineMode{paragraphs, eachLine} {
				turns, err := detectTurns(text, mode, opt)
				if err != nil {
					t.Fatal(err)
				}
				checkTurns(t, text, turns)
				for _, tr := range turns {
					if len(opt.Speakers) > 0 && tr.Speaker != "" && !slices.Contains(opt.Speakers, tr.Speaker) {
						t.Fatalf("turn said by %q, not one of the speakers given %q", tr.Speaker, opt.Speakers)
					}
				}
			}
		}
	})
}

// checkTurns fails t unless turns are in order, not empty, inside text,
// with Body within the turn and anchors in order within the speech.
func checkTurns(t *testing.T, text string, turns []Turn) {
	t.Helper()
	n := utf8.RuneCountInString(text)
	{
		{
			prev := 0
			for i, tr := range turns {
				if !(prev <= tr.Start && tr.Start <= tr.Body && tr.Body <= tr.End && tr.End <= n) {
					t.Fatalf("turn %d = %+v: want %d ≤ Start ≤ Body ≤ End ≤ %d", i, tr, prev, n)
				}
				if tr.Start == tr.End {
					t.Fatalf("turn %d = %+v is empty", i, tr)
				}
				last := tr.Body
				for _, a := range tr.Anchors {
					if a.Pos < last || a.Pos > tr.End {
						t.Fatalf("turn %d = %+v: anchor out of order or outside [Body, End]", i, tr)
					}
					last = a.Pos
				}
				prev = tr.End
			}
			_ = reviewTurns(text, turns)
		}
	}
}

func FuzzParseLabel(f *testing.F) {
	shapeSeeds(f)
	f.Fuzz(func(t *testing.T, line string) {
		if i := strings.IndexByte(line, '\n'); i >= 0 {
			line = line[:i]
		}
		l, ok := parseLabel(line)
		if !ok {
			return
		}
		if !(0 <= l.start && l.start <= l.afterTime && l.afterTime <= l.body && l.body <= len(line)) {
			t.Fatalf("parseLabel(%q) offsets %d %d %d out of order", line, l.start, l.afterTime, l.body)
		}
		if l.speaker != "" {
			if !strings.Contains(line[l.start:l.body], l.speaker) {
				t.Fatalf("parseLabel(%q): speaker %q not in the label %q", line, l.speaker, line[l.start:l.body])
			}
			if utf8.ValidString(line) && utf8.RuneCountInString(l.speaker) > 2*maxNameRunes+maxQualifierRunes+4 {
				t.Fatalf("parseLabel(%q): speaker %q too long", line, l.speaker)
			}
		}
	})
}

func BenchmarkDetectTurns300k(b *testing.B) {
	text, words := benchTranscript(300_000)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		turns, err := detectTurns(text, paragraphs, Options{})
		if err != nil || len(turns) == 0 {
			b.Fatalf("detectTurns = %d turns, %v", len(turns), err)
		}
	}
	b.ReportMetric(float64(words)*float64(b.N)/b.Elapsed().Seconds(), "words/s")
}
