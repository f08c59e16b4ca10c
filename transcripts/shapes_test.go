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
	// A play with names alone, no blank lines, stage directions alone on
	// their lines (Exit BORIS, Exeunt, Sings, Reads) and at the start of
	// speech ([Within] ...), headings, names used once (Servant,
	// Messenger), two names joined by a no-break space, and a voice
	// labelled "Radio:..." without a blank after the colon.
	{"play_directions.txt", []string{"Anna", "Boris", "Old Tomas", "Radio", "Servant", "Anna Boris", "Messenger"}, []lineSpeaker{
		{13, "Anna"}, {15, "Boris"}, {17, "Anna"}, {19, "Boris"}, {21, "Old Tomas"}, {23, "Anna"},
		{28, "Old Tomas"}, {30, "Radio"}, {31, "Boris"}, {33, "Old Tomas"}, {37, "Anna"}, {39, "Servant"},
		{41, "Anna Boris"}, {47, "Radio"}, {48, "Old Tomas"}, {51, "Anna"}, {53, "Messenger"}, {55, "Boris"},
		{58, "Old Tomas"}, {63, "Anna"}, {67, "Anna"},
	}},
	// A podcast: a timestamp, then a bold name without a colon; a
	// paragraph with only a timestamp continues the speaker; a guest
	// speaks once; bold at the start of speech is not a label.
	{"podcast_bold.txt", []string{"Adam Garrett-Harris", "Jen Luker", "Mariko Ito"}, []lineSpeaker{
		{4, "Adam Garrett-Harris"}, {6, "Jen Luker"}, {8, "Adam Garrett-Harris"}, {10, "Jen Luker"},
		{14, "Adam Garrett-Harris"}, {16, "Jen Luker"}, {18, "Mariko Ito"}, {20, "Adam Garrett-Harris"},
	}},
	// The same in Markdown, with front matter (lines count from after it),
	// the times in escaped brackets, and a bold "**Note**" that is not a
	// speaker.
	{"podcast_bold.md", []string{"Safia Abdalla", "Dmitri Volkov"}, []lineSpeaker{
		{3, "Safia Abdalla"}, {5, "Dmitri Volkov"}, {7, "Safia Abdalla"}, {11, "Dmitri Volkov"}, {15, "Safia Abdalla"},
	}},
	// A debate: a "FULL TRANSCRIPT:" header, a name with a title after a
	// comma, noise annotations before labels and alone, (NAME): labels,
	// "?:", an unidentified speaker, and a label with a typo in its case.
	{"debate.txt", []string{"MARTHA RAINES", "RAINES", "OKAFOR", "LINDQVIST", "CROSSTALK", "UNKNOWN", "?", "UNIDENTIFIED MALE"}, []lineSpeaker{
		{3, "MARTHA RAINES"}, {7, "RAINES"}, {9, "OKAFOR"}, {11, "LINDQVIST"}, {15, "RAINES"}, {17, "LINDQVIST"},
		{19, "OKAFOR"}, {21, "LINDQVIST"}, {23, "CROSSTALK"}, {25, "RAINES"}, {27, "LINDQVIST"}, {29, "UNKNOWN"},
		{31, "RAINES"}, {33, "?"}, {35, "UNIDENTIFIED MALE"}, {37, "RAINES"}, {39, "OKAFOR"},
	}},
	// A play in verse with "Name:" alone on its line: verse lines "Here:
	// what's the matter?" and "Come:" are not speakers; two characters
	// speak once.
	{"verse_play.txt", []string{"First Citizen", "Second Citizen", "Old Warden", "A Boy"}, []lineSpeaker{
		{13, "First Citizen"}, {18, "Second Citizen"}, {22, "First Citizen"}, {27, "Old Warden"},
		{32, "A Boy"}, {35, "Second Citizen"}, {38, "First Citizen"},
	}},
}

// TestShapesGivenFrontMatter reads the samples whose front matter lists
// the speakers again with those speakers given, as qcode does: the turns
// are the same.
func TestShapesGivenFrontMatter(t *testing.T) {
	for _, s := range shapeSamples {
		data, err := os.ReadFile(filepath.Join("testdata", "shapes", s.file))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := Parse(s.file, data)
		if err != nil || len(doc.Speakers) == 0 {
			continue
		}
		given, err := ParseWith(s.file, data, Options{Speakers: doc.Speakers})
		if err != nil {
			t.Fatal(err)
		}
		checkInvariants(t, given)
		if got := turnLines(given); !slices.Equal(got, s.turns) {
			t.Errorf("%s with the speakers %q given: turns\n%v\nwant\n%v", s.file, doc.Speakers, got, s.turns)
		}
	}
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

// boldDocx builds a .docx of a sample, one paragraph per non-blank line,
// with the label of each expected turn in a bold run: "Name:" when colon
// is true, else "Name" alone (the colon dropped, so that only the bold
// says it is a label). Bold is written <w:b/> or <w:b w:val="1"/> in turn.
// It returns the file and the expected turns, renumbered to the lines of
// the .docx text.
func boldDocx(t *testing.T, text string, want []lineSpeaker, colon bool) ([]byte, []lineSpeaker) {
	t.Helper()
	var body strings.Builder
	var renumbered []lineSpeaker
	esc := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	out := 0
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		out++
		k := slices.IndexFunc(want, func(w lineSpeaker) bool { return w.line == i+1 })
		if k < 0 || !strings.HasPrefix(line, want[k].speaker+":") {
			body.WriteString(`<w:p><w:r><w:rPr><w:b w:val="0"/></w:rPr><w:t xml:space="preserve">` + esc.Replace(line) + `</w:t></w:r></w:p>`)
			if k >= 0 {
				t.Fatalf("line %d %q does not start with %q", i+1, line, want[k].speaker+":")
			}
			continue
		}
		renumbered = append(renumbered, lineSpeaker{out, want[k].speaker})
		name, rest := want[k].speaker, line[len(want[k].speaker)+1:]
		if colon {
			name += ":"
		}
		b := `<w:b/>`
		if out%2 == 0 {
			b = `<w:b w:val="1"/>`
		}
		body.WriteString(`<w:p><w:pPr><w:rPr><w:i/></w:rPr></w:pPr><w:r><w:rPr>` + b + `</w:rPr><w:t>` + esc.Replace(name) + `</w:t></w:r>` +
			`<w:r><w:t xml:space="preserve">` + esc.Replace(rest) + `</w:t></w:r></w:p>`)
	}
	return docxWith(t, map[string]string{"word/document.xml": wordXML(body.String())}), renumbered
}

func TestShapesDocxBold(t *testing.T) {
	for _, tt := range []struct {
		file  string
		colon bool
	}{{"oral_history.txt", true}, {"play.txt", false}, {"int_resp_ru.txt", false}} {
		k := slices.IndexFunc(shapeSamples, func(s struct {
			file     string
			speakers []string
			turns    []lineSpeaker
		}) bool {
			return s.file == tt.file
		})
		s := shapeSamples[k]
		data, err := os.ReadFile(filepath.Join("testdata", "shapes", s.file))
		if err != nil {
			t.Fatal(err)
		}
		docx, want := boldDocx(t, string(data), s.turns, tt.colon)
		doc, err := Parse("x.docx", docx)
		if err != nil {
			t.Fatal(err)
		}
		checkInvariants(t, doc)
		got := turnLines(doc)
		if !slices.Equal(got, want) {
			t.Errorf("%s as .docx with bold names (colon %v): turns\n%v\nwant\n%v", s.file, tt.colon, got, want)
		}
		if !tt.colon && strings.Contains(doc.Text, s.speakers[0]+":") {
			t.Errorf("%s as .docx: the text gained a colon: %q", s.file, doc.Text)
		}
		// The text alone, without the bold, finds none of the colonless labels.
		if !tt.colon {
			turns, err := DetectTurns(doc.Text, "docx", Options{})
			if err != nil {
				t.Fatal(err)
			}
			if firstSpeakers(turns) != nil {
				t.Errorf("%s as .docx: the text alone gives speakers %q", s.file, firstSpeakers(turns))
			}
		}
	}
}

func TestDocxBoldRuns(t *testing.T) {
	run := func(props, text string) string {
		return `<w:r><w:rPr>` + props + `</w:rPr><w:t xml:space="preserve">` + text + `</w:t></w:r>`
	}
	tests := []struct {
		name, body string
		want       []span
	}{
		{"bold with colon, bold without, plain, not bold",
			`<w:p>` + run(`<w:b/>`, "Anna Petrova:") + run(``, " I left.") + `</w:p>` +
				`<w:p>` + run(`<w:b w:val="true"/>`, "Boris") + run(``, " Me too.") + `</w:p>` +
				`<w:p>` + run(`<w:b w:val="0"/>`, "Anna Petrova") + run(``, " not bold, so text.") + `</w:p>` +
				`<w:p>` + run(`<w:b/>`, "Anna Petrova") + run(``, ": colon after the run.") + `</w:p>` +
				`<w:p>` + run(`<w:b/>`, "Boris ") + run(`<w:b/>`, "Ivanov") + run(``, " in two runs.") + `</w:p>` +
				`<w:p>` + run(`<w:b/>`, "Boris") + run(``, " again.") + `</w:p>`,
			[]span{
				sp("Anna Petrova", "Anna Petrova: I left.", "I left."),
				sp("Boris", "Boris Me too.\nAnna Petrova not bold, so text.", "Me too.\nAnna Petrova not bold, so text."),
				sp("Anna Petrova", "Anna Petrova: colon after the run.", "colon after the run."),
				sp("Boris Ivanov", "Boris Ivanov in two runs.", "in two runs."),
				sp("Boris", "Boris again.", "again."),
			}},
		{"bold in a sentence is not a label",
			`<w:p>` + run(``, "Q: Where? ") + run(`<w:b/>`, "Here") + `</w:p>` + `<w:p>` + run(``, "A: ") + run(`<w:b/>`, "There.") + `</w:p>`,
			[]span{sp("Q", "Q: Where? Here", "Where? Here"), sp("A", "A: There.", "There.")}},
	}
	for _, tt := range tests {
		doc, err := Parse("x.docx", docxWith(t, map[string]string{"word/document.xml": wordXML(tt.body)}))
		if err != nil {
			t.Fatal(err)
		}
		checkInvariants(t, doc)
		if got := spans(doc); !slices.Equal(got, tt.want) {
			t.Errorf("%s: turns =\n%v\nwant\n%v", tt.name, got, tt.want)
		}
	}
}

func TestODTBoldSpans(t *testing.T) {
	content := `<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0">` +
		`<office:automatic-styles><style:style style:name="T1" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>` +
		`<style:style style:name="T2" style:family="text"><style:text-properties fo:font-weight="normal"/></style:style></office:automatic-styles>` +
		`<office:body><office:text>` +
		`<text:p><text:span text:style-name="T1">Анна Петрова</text:span> Мы уехали в марте.</text:p>` +
		`<text:p><text:span text:style-name="T1">Борис:</text:span> Я тоже.</text:p>` +
		`<text:p><text:span text:style-name="T2">Анна Петрова</text:span> не жирный, это текст.</text:p>` +
		`<text:p><text:span text:style-name="T1">Анна Петрова</text:span> Да.</text:p>` +
		`<text:p><text:span text:style-name="T1">Борис</text:span> Нет.</text:p>` +
		`</office:text></office:body></office:document-content>`
	doc, err := Parse("x.odt", odtWith(t, map[string]string{"content.xml": content}))
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, doc)
	want := []span{
		sp("Анна Петрова", "Анна Петрова Мы уехали в марте.", "Мы уехали в марте."),
		sp("Борис", "Борис: Я тоже.\nАнна Петрова не жирный, это текст.", "Я тоже.\nАнна Петрова не жирный, это текст."),
		sp("Анна Петрова", "Анна Петрова Да.", "Да."),
		sp("Борис", "Борис Нет.", "Нет."),
	}
	if got := spans(doc); !slices.Equal(got, want) {
		t.Errorf("odt with bold spans: turns =\n%v\nwant\n%v", got, want)
	}
}
