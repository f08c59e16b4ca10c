package transcripts

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// lineSpeaker is a turn seen as the line it starts on (1-based) and its
// speaker.
type lineSpeaker struct {
	line    int
	speaker string
}

// shapeSamples are the real-shaped transcripts of testdata/shapes with the
// turns a person reads in them, written by hand.
var shapeSamples = []struct {
	file     string
	speakers []string // in order of first appearance
	turns    []lineSpeaker
}{
	{"oral_history.txt", []string{"Interviewer", "Anna K. Petrova", "Mr. O'Neil"}, []lineSpeaker{
		{9, "Interviewer"}, {11, "Anna K. Petrova"}, {15, "Interviewer"}, {17, "Anna K. Petrova"},
		{23, "Interviewer"}, {25, "Anna K. Petrova"}, {28, "Mr. O'Neil"}, {30, "Anna K. Petrova"},
		{32, "Interviewer"}, {34, "Anna K. Petrova"},
	}},
	{"radio_log.txt", []string{"Берег 2 (Соколов)", "Борт 17", "Station 1 (Sokolov)", "Marta", "Берег 1 (Ильина)"}, []lineSpeaker{
		{4, "Берег 2 (Соколов)"}, {5, "Борт 17"}, {6, "Берег 2 (Соколов)"}, {8, "Борт 17"},
		{10, "Station 1 (Sokolov)"}, {11, "Marta"}, {12, "Station 1 (Sokolov)"}, {14, "Marta"},
		{15, "Берег 1 (Ильина)"}, {16, "Берег 2 (Соколов)"},
	}},
	{"mission.txt", []string{"CDR", "CAPCOM", "PLT", "FD"}, []lineSpeaker{
		{4, "CDR"}, {5, "CAPCOM"}, {6, "PLT"}, {7, "CDR"}, {8, "CAPCOM"}, {9, "PLT"},
		{10, "FD"}, {11, "CAPCOM"}, {12, "PLT"}, {14, "CDR"}, {15, "CAPCOM"},
	}},
	{"play.txt", []string{"HELENA", "MARKUS", "SERVANT"}, []lineSpeaker{
		{13, "HELENA"}, {15, "MARKUS"}, {17, "HELENA"}, {22, "SERVANT"}, {24, "MARKUS"},
		{26, "HELENA"}, {28, "MARKUS"}, {30, "HELENA"},
	}},
	{"qualcoder.txt", []string{"id1", "id2", "id3"}, []lineSpeaker{
		{1, "id1"}, {4, "id2"}, {6, "id1"}, {9, "id2"}, {11, "id1"}, {14, "id3"}, {16, "id2"}, {18, "id3"},
	}},
	{"f4_interview_ru.txt", []string{"И", "Р"}, []lineSpeaker{
		{1, "И"}, {3, "Р"}, {6, "И"}, {8, "Р"}, {11, "И"}, {13, "Р"}, {16, "И"}, {18, "Р"},
	}},
	{"interview.md", []string{"Interviewer", "Maya"}, []lineSpeaker{
		{3, "Interviewer"}, {5, "Maya"}, {7, "Interviewer"}, {9, "Maya"}, {14, "Interviewer"},
		{16, "Maya"}, {19, "Interviewer"}, {21, "Maya"},
	}},
	{"focus_group.txt", []string{"Moderator", "Anna", "Boris", "Chen", "Dilnoza"}, []lineSpeaker{
		{3, "Moderator"}, {5, "Anna"}, {7, "Boris"}, {9, "Chen"}, {11, "Moderator"}, {13, "Anna"},
		{15, "Boris"}, {17, "Dilnoza"}, {19, "Moderator"}, {21, "Chen"},
	}},
	{"time_alone.txt", []string{"Interviewer", "Respondent"}, []lineSpeaker{
		{1, "Interviewer"}, {5, "Respondent"}, {7, "Interviewer"}, {11, "Respondent"}, {14, "Interviewer"}, {17, "Respondent"},
	}},
	{"int_resp_ru.txt", []string{"INT", "RESP", "ДОЧЬ"}, []lineSpeaker{
		{1, "INT"}, {3, "RESP"}, {5, "INT"}, {7, "RESP"}, {10, "INT"}, {12, "RESP"}, {14, "ДОЧЬ"},
		{16, "RESP"}, {18, "INT"},
	}},
	{"name_alone.txt", []string{"Interviewer", "Anna Petrova"}, []lineSpeaker{
		{3, "Interviewer"}, {6, "Anna Petrova"}, {10, "Interviewer"}, {13, "Anna Petrova"}, {18, "Interviewer"},
	}},
}

// turnLines returns the turns of doc as the line each starts on and its
// speaker.
func turnLines(doc *Document) []lineSpeaker {
	r := []rune(doc.Text)
	var out []lineSpeaker
	line, at := 1, 0
	for _, t := range doc.Turns {
		for ; at < t.Start; at++ {
			if r[at] == '\n' {
				line++
			}
		}
		out = append(out, lineSpeaker{line, t.Speaker})
	}
	return out
}

// firstSpeakers lists the speakers of turns in order of first appearance.
func firstSpeakers(turns []Turn) []string {
	var out []string
	for _, t := range turns {
		if t.Speaker != "" && !slices.Contains(out, t.Speaker) {
			out = append(out, t.Speaker)
		}
	}
	return out
}

// score counts the found turns that are expected.
func score(got, want []lineSpeaker) (hits int) {
	for _, g := range got {
		if slices.Contains(want, g) {
			hits++
		}
	}
	return hits
}

func TestShapes(t *testing.T) {
	var hits, found, expected int
	check := func(t *testing.T, name string, doc *Document, speakers []string, want []lineSpeaker) {
		t.Helper()
		checkInvariants(t, doc)
		got := turnLines(doc)
		h := score(got, want)
		hits, found, expected = hits+h, found+len(got), expected+len(want)
		recall, precision := ratio(h, len(want)), ratio(h, len(got))
		if recall < 0.99 || precision < 0.99 {
			t.Errorf("%s: recall %.2f, precision %.2f\ngot  %v\nwant %v", name, recall, precision, got, want)
		}
		if s := firstSpeakers(doc.Turns); !slices.Equal(s, speakers) {
			t.Errorf("%s: speakers %q, want %q", name, s, speakers)
		}
		if len(doc.Turns) != len(want) {
			t.Errorf("%s: %d turns, want %d", name, len(doc.Turns), len(want))
		}
	}
	for _, s := range shapeSamples {
		data, err := os.ReadFile(filepath.Join("testdata", "shapes", s.file))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := Parse(s.file, data)
		if err != nil {
			t.Fatalf("Parse(%s): %v", s.file, err)
		}
		check(t, s.file, doc, s.speakers, s.turns)
	}
	t.Logf("shapes: %d turns expected, %d found, %d right: recall %.4f, precision %.4f",
		expected, found, hits, ratio(hits, expected), ratio(hits, found))
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// keep strings imported for helpers added below.
var _ = strings.TrimSpace
