package transcripts

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// officeSamples are copies of samples of testdata/shapes made by a word
// processor (LibreOffice 7.4), as researchers get them: a .txt opened and
// saved as .docx or .odt (one paragraph a line, a blank line an empty
// paragraph), and an HTML page with the names in bold at the start of
// each paragraph (without their colon in focus_group_bold.docx, with it in
// int_resp_ru_bold.odt) saved as .docx or .odt. Each is read as the .txt
// it was made from: the same turns, by the same speakers, in the same
// order, saying the same.
var officeSamples = []struct {
	file, from string
}{
	{"oral_history.docx", "oral_history.txt"},
	{"radio_log.odt", "radio_log.txt"},
	{"focus_group_bold.docx", "focus_group.txt"}, // only the bold says who speaks
	{"int_resp_ru_bold.odt", "int_resp_ru.txt"},
}

// speech is what a turn says, its white space collapsed: the word
// processor drops the blank lines inside a turn.
func speech(doc *Document, t Turn) string {
	return strings.Join(strings.Fields(string([]rune(doc.Text)[t.Body:t.End])), " ")
}

func TestShapesOffice(t *testing.T) {
	read := func(t *testing.T, name string) *Document {
		t.Helper()
		data, err := os.ReadFile(filepath.Join("testdata", "shapes", name))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := Parse(name, data)
		if err != nil {
			t.Fatalf("Parse(%s): %v", name, err)
		}
		checkInvariants(t, doc)
		return doc
	}
	for _, s := range officeSamples {
		t.Run(s.file, func(t *testing.T) {
			k := slices.IndexFunc(shapeSamples, func(x struct {
				file     string
				speakers []string
				turns    []lineSpeaker
			}) bool {
				return x.file == s.from
			})
			if k < 0 {
				t.Fatalf("no sample %s", s.from)
			}
			want := read(t, s.from)
			doc := read(t, s.file)
			var got, wantSpeakers []string
			for _, x := range doc.Turns {
				got = append(got, x.Speaker)
			}
			for _, x := range want.Turns {
				wantSpeakers = append(wantSpeakers, x.Speaker)
			}
			if !slices.Equal(got, wantSpeakers) {
				t.Fatalf("speakers of the %d turns %q, want those of the %d of %s %q\ntext:\n%s", len(got), got, len(wantSpeakers), s.from, wantSpeakers, doc.Text)
			}
			if f := firstSpeakers(doc.Turns); !slices.Equal(f, shapeSamples[k].speakers) {
				t.Errorf("speakers %q, want %q", f, shapeSamples[k].speakers)
			}
			for i, x := range doc.Turns {
				w := want.Turns[i]
				if a, b := speech(doc, x), speech(want, w); a != b {
					t.Errorf("turn %d (%s) says\n%q\nwant\n%q", i+1, x.Speaker, a, b)
				}
				if x.HasTime != w.HasTime || x.Time != w.Time {
					t.Errorf("turn %d (%s) at %v (%v), want %v (%v)", i+1, x.Speaker, x.Time, x.HasTime, w.Time, w.HasTime)
				}
			}
			t.Logf("%d turns, speakers %q", len(doc.Turns), firstSpeakers(doc.Turns))
			// Without a colon, the names are labels only for their bold.
			if s.file == "focus_group_bold.docx" {
				turns, err := DetectTurns(doc.Text, "docx", Options{})
				if err != nil {
					t.Fatal(err)
				}
				if f := firstSpeakers(turns); f != nil {
					t.Errorf("the text alone gives speakers %q", f)
				}
			}
		})
	}
}
