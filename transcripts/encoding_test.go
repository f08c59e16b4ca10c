package transcripts

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// Interview snippets written for these tests, in the languages of the
// corpus and of the Western files that reach it.
const (
	sampleRU = `И: Расскажите, пожалуйста, как вы оказались в Тбилиси.
Р: Мы уехали в конце сентября, сразу после объявления мобилизации. Муж боялся, что его заберут, а я не хотела оставаться одна с ребёнком.
И: Что было самым трудным в первые месяцы?
Р: Наверное, ощущение, что ты никому не нужен. Дома у меня была работа, друзья, любимая квартира. Здесь пришлось начинать с нуля. Я долго не могла привыкнуть к тому, что на улице говорят на языке, которого я не понимаю.
И: Вы общаетесь с родственниками, которые остались?
Р: С мамой — каждый день. Но о политике мы стараемся не говорить: она смотрит телевизор и считает, что мы «предатели».
`
	sampleEN = `Interviewer: When did you first think about leaving?
Respondent: Honestly, it was the week after the protests — my flatmate’s café was raided, and we realised nobody was safe. I packed one suitcase.
Interviewer: What did you bring?
Respondent: My grandmother’s recipe book, a laptop, and “too many” sweaters.
`
	sampleFR = `Enquêtrice : Pouvez-vous décrire votre arrivée à Tbilissi ?
Participant : C’était en octobre. J’ai trouvé un appartement près de la gare, très cher, mais je n’avais pas le choix. Les premières semaines, j’étais épuisé.
Enquêtrice : Et le travail ?
Participant : Je travaille à distance pour une société française ; ça m’a sauvé.
`
	sampleDE = `Interviewerin: Wie haben Sie die ersten Wochen erlebt?
Teilnehmer: Ehrlich gesagt war es schwierig. Ich hatte Angst, dass meine Familie Ärger bekommt. Wir haben über Politik kaum gesprochen, höchstens über das Wetter und die Kinder.
Interviewerin: Gab es auch schöne Momente?
Teilnehmer: Ja, natürlich. Die Nachbarn haben uns Brot und Käse gebracht, ohne ein Wort Russisch zu sprechen. Das werde ich nie vergessen - großartige Menschen.
`
	sampleSRT = "1\n00:00:01,000 --> 00:00:04,000\nИнтервьюер: Когда вы решили уехать?\n\n2\n00:00:04,500 --> 00:00:09,000\nАнна: Почти сразу, через неделю после начала войны.\n"
)

// sampleRUPlain is sampleRU with the punctuation of koi8-r and cp866,
// which have no dashes or guillemets.
var sampleRUPlain = strings.NewReplacer("—", "-", "«", `"`, "»", `"`).Replace(sampleRU)

// encode returns s in the single-byte encoding cm, failing the test when a
// character has no byte there.
func encode(t testing.TB, cm *charmap.Charmap, s string) []byte {
	t.Helper()
	b, err := cm.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encoding %q: %v", s, err)
	}
	return b
}

// encodingSamples are the files of testdata/encodings: a name, the text and
// the encoding it is written in.
var encodingSamples = []struct {
	file, text string
	cm         *charmap.Charmap
}{
	{"ru-windows-1251.txt", sampleRU, charmap.Windows1251},
	{"ru-koi8-r.txt", sampleRUPlain, charmap.KOI8R},
	{"en-windows-1252.txt", sampleEN, charmap.Windows1252},
	{"fr-windows-1252.md", sampleFR, charmap.Windows1252},
	{"de-iso-8859-1.txt", sampleDE, charmap.ISO8859_1},
	{"ru-windows-1251.srt", sampleSRT, charmap.Windows1251},
	{"ru-cp866.txt", sampleRUPlain, charmap.CodePage866},
}

// TestEncodingSampleFiles checks that the files of testdata/encodings hold
// the samples (run with -update to write them).
func TestEncodingSampleFiles(t *testing.T) {
	for _, s := range encodingSamples {
		want := encode(t, s.cm, s.text)
		path := filepath.Join("testdata", "encodings", s.file)
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s does not hold its sample (run with -update)", path)
		}
	}
}

func TestEncodingDetection(t *testing.T) {
	const (
		sure   = "; use --encoding to choose another"
		unsure = " (not UTF-8, and too little text to be sure of the encoding)" + sure
	)
	tests := []struct {
		file     string // testdata/encodings/FILE, or "" for in
		in       []byte
		want     string // the text, "" for the sample of file
		encoding string
		warning  string
	}{
		{file: "ru-windows-1251.txt", encoding: "windows-1251", warning: "read as windows-1251 (not UTF-8)" + sure},
		{file: "ru-koi8-r.txt", encoding: "koi8-r", warning: "read as koi8-r (not UTF-8)" + sure},
		{file: "en-windows-1252.txt", encoding: "windows-1252", warning: "read as windows-1252 (not UTF-8)" + sure},
		{file: "fr-windows-1252.md", encoding: "windows-1252", warning: "read as windows-1252 (not UTF-8)" + sure},
		// Latin-1 without bytes in 0x80-0x9F is the same text in windows-1252.
		{file: "de-iso-8859-1.txt", encoding: "windows-1252", warning: "read as windows-1252 (not UTF-8)" + sure},
		{file: "ru-windows-1251.srt", want: "Интервьюер: Когда вы решили уехать?\nАнна: Почти сразу, через неделю после начала войны.", encoding: "windows-1251", warning: "read as windows-1251 (not UTF-8)" + sure},
		{in: []byte("Q: caf\xe9"), want: "Q: café", encoding: "windows-1252", warning: "read as windows-1252 (not UTF-8)" + sure},
		{in: []byte("Gr\xf6\xdfe"), want: "Größe", encoding: "windows-1252", warning: "read as windows-1252 (not UTF-8)" + sure},
		{in: []byte("\xcf\xf0\xe8\xe2\xe5\xf2"), want: "Привет", encoding: "windows-1251", warning: "read as windows-1251 (not UTF-8)" + sure},
		{in: []byte("\xef\xf0\xe8\xe2\xe5\xf2"), want: "привет", encoding: "windows-1251", warning: "read as windows-1251" + unsure},
		{in: []byte("\xcf\xd0\xc8\xc2\xc5\xd2!"), want: "ПРИВЕТ!", encoding: "windows-1251", warning: "read as windows-1251" + unsure},
		{in: []byte("\xe4\xe0"), want: "да", encoding: "windows-1251", warning: "read as windows-1251" + unsure},
		// koi8-r "Привет": capitalised, so windows-1251 would read "пРИВЕТ".
		{in: []byte("\xf0\xd2\xc9\xd7\xc5\xd4"), want: "Привет", encoding: "koi8-r", warning: "read as koi8-r (not UTF-8)" + sure},
		// koi8-r "привет": all capitals in windows-1251, which is plausible
		// (an acronym), and a short text falls to the rule of thumb. The
		// warning says it was not sure.
		{in: []byte("\xd0\xd2\xc9\xd7\xc5\xd4"), want: "РТЙЧЕФ", encoding: "windows-1251", warning: "read as windows-1251" + unsure},
		// A lone letter: the rule of thumb, by the byte's range.
		{in: []byte("\xe9"), want: "й", encoding: "windows-1251", warning: "read as windows-1251" + unsure},
		// Curly quotes only: the same in windows-1251 and windows-1252.
		{in: []byte("She said \x93no\x94 \x96 twice."), want: "She said “no” – twice.", encoding: "windows-1252", warning: "read as windows-1252" + unsure},
		// Bytes windows-1252 leaves undefined: only iso-8859-1 keeps them.
		{in: []byte(strings.Repeat(string(encode(t, charmap.ISO8859_1, sampleDE)), 2) + "\x81"), want: strings.Repeat(sampleDE, 2) + "\uFFFD", encoding: "iso-8859-1", warning: "read as iso-8859-1 (not UTF-8)" + sure},
		// UTF-8 is never reinterpreted, even when it looks like mojibake.
		{in: []byte("Q: Ã©tÃ© Ð¿Ñ€Ð¸"), want: "Q: Ã©tÃ© Ð¿Ñ€Ð¸", encoding: "utf-8"},
		{in: []byte(sampleRU), want: sampleRU, encoding: "utf-8"},
		{in: []byte("\xEF\xBB\xBF" + sampleFR), want: sampleFR, encoding: "utf-8"},
		{in: utf16Bytes("Q: Привет", false), want: "Q: Привет", encoding: "utf-16le"},
		{in: utf16Bytes("Q: Привет", true), want: "Q: Привет", encoding: "utf-16be"},
		// CRLF and NFC as for UTF-8.
		{in: []byte("\xc8: \xc4\xe0\r\n\xd0: \xcd\xe5\xf2\r\n"), want: "И: Да\nР: Нет\n", encoding: "windows-1251", warning: "read as windows-1251 (not UTF-8)" + sure},
	}
	for _, tt := range tests {
		name := tt.file
		if name == "" {
			name = string(tt.in)
		}
		t.Run(name, func(t *testing.T) {
			data, file := tt.in, "f.txt"
			want := tt.want
			if tt.file != "" {
				var err error
				if data, err = os.ReadFile(filepath.Join("testdata", "encodings", tt.file)); err != nil {
					t.Fatal(err)
				}
				file = tt.file
				if want == "" {
					for _, s := range encodingSamples {
						if s.file == tt.file {
							want = s.text
						}
					}
				}
			}
			doc, err := Parse(file, data)
			if err != nil {
				t.Fatalf("Parse(%q) error: %v", data, err)
			}
			checkInvariants(t, doc)
			if doc.Text != want {
				t.Errorf("Parse(%q).Text = %q, want %q", data, doc.Text, want)
			}
			if doc.Encoding != tt.encoding {
				t.Errorf("Parse(%q).Encoding = %q, want %q", data, doc.Encoding, tt.encoding)
			}
			var warnings []string
			if tt.warning != "" {
				warnings = []string{tt.warning}
			}
			if got := encodingWarnings(doc); !equalStrings(got, warnings) {
				t.Errorf("Parse(%q) warnings about the encoding = %q, want %q", data, got, warnings)
			}
		})
	}
}

// encodingWarnings returns the warnings of doc about its encoding.
func encodingWarnings(doc *Document) []string {
	var out []string
	for _, w := range doc.Warnings {
		if strings.HasPrefix(w, "read as ") {
			out = append(out, w)
		}
	}
	return out
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestEncodingForced(t *testing.T) {
	ru1251 := encode(t, charmap.Windows1251, sampleRU)
	tests := []struct {
		name, encoding string
		in             []byte
		want, recorded string
	}{
		{"cp1251 alias", "cp1251", ru1251, sampleRU, "windows-1251"},
		{"1251 alias, any case", " 1251 ", ru1251, sampleRU, "windows-1251"},
		{"koi8r alias", "KOI8R", encode(t, charmap.KOI8R, sampleRUPlain), sampleRUPlain, "koi8-r"},
		{"koi8-r forced on windows-1251", "koi8-r", []byte("\xcf\xf0\xe8\xe2\xe5\xf2"), "оПХБЕР", "koi8-r"},
		{"cp1252 alias", "cp1252", encode(t, charmap.Windows1252, sampleFR), sampleFR, "windows-1252"},
		// C1 controls decode, then are replaced: a terminal acts on them.
		{"latin1 alias", "latin1", []byte("caf\xe9 \x80"), "café \uFFFD", "iso-8859-1"},
		{"latin-1 alias", "Latin-1", []byte("caf\xe9"), "café", "iso-8859-1"},
		{"iso-8859-1", "iso-8859-1", encode(t, charmap.ISO8859_1, sampleDE), sampleDE, "iso-8859-1"},
		{"utf8 alias", "utf8", []byte("\xEF\xBB\xBFQ: Привет"), "Q: Привет", "utf-8"},
		{"legacy forced on valid UTF-8", "windows-1252", []byte("caf\xc3\xa9"), "cafÃ©", "windows-1252"},
		{"windows-1251 forced on a short Latin word", "windows-1251", []byte("caf\xe9"), "cafй", "windows-1251"},
		{"utf-16le without BOM", "utf-16le", []byte("Q\x00:\x00 \x00h\x00i\x00"), "Q: hi", "utf-16le"},
		{"utf-16be with BOM", "UTF-16BE", utf16Bytes("Q: hi", true), "Q: hi", "utf-16be"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, file := range []string{"f.txt", "f.md"} {
				doc, err := ParseWith(file, tt.in, Options{Encoding: tt.encoding})
				if err != nil {
					t.Fatalf("ParseWith(%q, %q) error: %v", file, tt.encoding, err)
				}
				if doc.Text != tt.want || doc.Encoding != tt.recorded {
					t.Errorf("ParseWith(%q, %q) = %q in %q, want %q in %q", file, tt.encoding, doc.Text, doc.Encoding, tt.want, tt.recorded)
				}
				if w := encodingWarnings(doc); len(w) > 0 {
					t.Errorf("ParseWith(%q, %q) warns %q about a forced encoding", file, tt.encoding, w)
				}
			}
		})
	}
	// Subtitles take the forced encoding too.
	srt := encode(t, charmap.KOI8R, sampleSRT)
	doc, err := ParseWith("f.srt", srt, Options{Encoding: "koi8-r"})
	if err != nil || doc.Encoding != "koi8-r" || !strings.HasPrefix(doc.Text, "Интервьюер: Когда") {
		t.Errorf("ParseWith(koi8-r .srt) = %+v, %v", doc, err)
	}
	vtt := encode(t, charmap.Windows1251, "WEBVTT\n\n00:01.000 --> 00:04.000\n<v Анна>Да, конечно.\n")
	doc, err = Parse("f.vtt", vtt)
	if err != nil || doc.Encoding != "windows-1251" || doc.Text != "Анна: Да, конечно." || len(encodingWarnings(doc)) != 1 {
		t.Errorf("Parse(windows-1251 .vtt) = %+v, %v", doc, err)
	}
	// Formats that carry their own encoding ignore the option.
	if doc, err := Parse("f.vtt", []byte("WEBVTT\n\n00:01.000 --> 00:04.000\nhi\n")); err != nil || doc.Encoding != "utf-8" {
		t.Errorf("Parse(UTF-8 .vtt) = %+v, %v, want utf-8", doc, err)
	}
}

func TestEncodingErrors(t *testing.T) {
	const hint = "and not recognisable as windows-1251, koi8-r, windows-1252 or iso-8859-1; if you know its encoding, give it with --encoding"
	cp866, err := os.ReadFile(filepath.Join("testdata", "encodings", "ru-cp866.txt"))
	if err != nil {
		t.Fatal(err)
	}
	damaged := []byte(sampleRU)
	damaged = append(damaged[:40:40], damaged[41:]...)
	tests := []struct {
		name     string
		in       []byte
		encoding string
		kind     error
		msg      string
	}{
		{"unknown encoding", []byte("hi"), "ebcdic", ErrUnsupported, `unknown encoding "ebcdic": known are utf-8, utf-16le, utf-16be, windows-1251 (cp1251), koi8-r, windows-1252 (cp1252), iso-8859-1 (latin1)`},
		{"Russian in DOS cp866", cp866, "", ErrEncoding, "not UTF-8 (invalid at byte 0) " + hint},
		{"control characters", []byte("\x01\x02\x03\x81\x8d\x9d\x90"), "", ErrEncoding, "not UTF-8 (invalid at byte 3) " + hint},
		{"box drawing in every reading", []byte("\xa6\xa6 \xac\xac"), "", ErrEncoding, "not UTF-8 (invalid at byte 0) " + hint},
		{"truncated UTF-8 after ASCII", []byte("abc\xd0"), "", ErrEncoding, "not UTF-8 (invalid at byte 3) " + hint},
		{"damaged UTF-8", damaged, "", ErrEncoding, "invalid UTF-8 at byte 40 (the rest of the file is UTF-8: is it damaged?)"},
		{"UTF-8 BOM then invalid", []byte("\xEF\xBB\xBFab\xc3("), "", ErrEncoding, "invalid UTF-8 at byte 5"},
		{"forced UTF-8", []byte("Q: caf\xe9"), "utf-8", ErrEncoding, "invalid UTF-8 at byte 6"},
		{"NUL is binary, never legacy", []byte("\xcf\xf0\xe8\xe2\xe5\xf2\x00"), "", ErrBinary, "binary file (NUL byte at byte 6)"},
		{"NUL is binary even when forced", []byte("\xcf\xf0\x00"), "windows-1251", ErrBinary, "binary file (NUL byte at byte 2)"},
		{"signature before a forced encoding", []byte("%PDF-1.7\n\xe9"), "latin1", ErrBinary, "binary file (PDF document)"},
		{"forced UTF-16 with NUL", []byte("Q\x00\x00\x00"), "utf-16le", ErrBinary, "binary file (NUL character at byte 2)"},
		{"forced encoding, only blanks", []byte(" \xa0 "), "latin1", ErrEmpty, "empty file (only white space)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, file := range []string{"f.txt", "f.srt"} {
				_, err := ParseWith(file, tt.in, Options{Encoding: tt.encoding})
				if !errors.Is(err, tt.kind) || err.Error() != tt.msg {
					t.Errorf("ParseWith(%q, %q, %q) = %v, want %q matching %v", file, tt.in, tt.encoding, err, tt.msg, tt.kind)
				}
			}
		})
	}
}

func TestEncodingName(t *testing.T) {
	for name, want := range map[string]string{
		"UTF-8": "utf-8", "utf8": "utf-8", "cp1251": "windows-1251", "Windows-1251": "windows-1251",
		"koi8r": "koi8-r", "cp1252": "windows-1252", "latin1": "iso-8859-1", "ISO-8859-1": "iso-8859-1",
	} {
		if got, err := EncodingName(name); got != want || err != nil {
			t.Errorf("EncodingName(%q) = %q, %v, want %q", name, got, err, want)
		}
	}
	if _, err := EncodingName("utf-7"); !errors.Is(err, ErrUnsupported) {
		t.Errorf("EncodingName(utf-7) = %v, want ErrUnsupported", err)
	}
}

// TestEncodingRandomBytes checks that noise is refused, not read as text:
// bytes drawn from the whole range hold control characters and words in no
// case pattern in every candidate.
func TestEncodingRandomBytes(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	accepted := 0
	for k := range 200 {
		b := make([]byte, 200+r.IntN(2000))
		for i := range b {
			b[i] = byte(1 + r.IntN(255))
		}
		if k%2 == 1 { // letters of every candidate, and spaces
			for i := range b {
				b[i] = byte(0xC0 + r.IntN(64))
				if r.IntN(7) == 0 {
					b[i] = ' '
				}
			}
		}
		doc, err := Parse("f.txt", b)
		if err == nil {
			accepted++
			t.Logf("random bytes read as %s", doc.Encoding)
		} else if !errors.Is(err, ErrEncoding) && !errors.Is(err, ErrBinary) && !errors.Is(err, ErrUnsupported) {
			t.Fatalf("Parse(random) = %v", err)
		}
	}
	if accepted > 0 {
		t.Errorf("%d of 200 random byte strings were read as text", accepted)
	}
}

// TestEncodingGuessIsBounded checks that guessing reads a sample, not the
// whole of a large file.
func TestEncodingGuessIsBounded(t *testing.T) {
	data := bytes.Repeat(encode(t, charmap.Windows1251, sampleRU), (32<<20)/len(sampleRU))
	start := time.Now()
	g, _, err := guessLegacy(data)
	if err != nil || g != "windows-1251" {
		t.Fatalf("guessLegacy(32 MiB) = %q, %v", g, err)
	}
	// Not a speed test: the guess reads a bounded sample, so 32 MiB
	// takes milliseconds; only a guess that reads it all many times over
	// could reach the guard.
	d := time.Since(start)
	t.Logf("guessLegacy(32 MiB) took %v", d)
	if d > 30*time.Second {
		t.Errorf("guessLegacy(32 MiB) took %v: it is not bounded", d)
	}
}

func FuzzDecode(f *testing.F) {
	for _, s := range encodingSamples {
		f.Add(encode(f, s.cm, s.text), "")
	}
	f.Add([]byte("Q: caf\xe9"), "")
	f.Add([]byte("\xcf\xf0\xe8\xe2\xe5\xf2"), "koi8-r")
	f.Add([]byte("Q\x00:\x00"), "utf-16le")
	f.Add([]byte("e\xcc\x81\r\n"), "latin1")
	f.Fuzz(func(t *testing.T, data []byte, encoding string) {
		d, err := decode(data, encoding)
		if err != nil {
			if d != (decoded{}) {
				t.Fatalf("decode returned %+v and the error %v", d, err)
			}
			for _, s := range sentinels {
				if errors.Is(err, s) {
					return
				}
			}
			t.Fatalf("decode error %q matches no sentinel", err)
		}
		if !utf8.ValidString(d.text) {
			t.Fatalf("decode(%q) = %q: not UTF-8", data, d.text)
		}
		if !norm.NFC.IsNormalString(d.text) {
			t.Fatalf("decode(%q) = %q: not NFC", data, d.text)
		}
		if strings.ContainsRune(d.text, '\r') {
			t.Fatalf("decode(%q) = %q: a CR is left", data, d.text)
		}
		if _, ok := encodingNames[d.encoding]; !ok {
			t.Fatalf("decode(%q) records encoding %q", data, d.encoding)
		}
		if encoding == "" && utf8.Valid(data) && !bytes.HasPrefix(data, []byte{0xFE, 0xFF}) && !bytes.HasPrefix(data, []byte{0xFF, 0xFE}) && d.encoding != "utf-8" {
			t.Fatalf("decode(%q): valid UTF-8 read as %s", data, d.encoding)
		}
		if (d.warning != "") != (encoding == "" && !strings.HasPrefix(d.encoding, "utf-")) {
			t.Fatalf("decode(%q, %q) in %s warns %q", data, encoding, d.encoding, d.warning)
		}
		if encoding == "" {
			if again, err := decodeText(data); err != nil || again != d.text {
				t.Fatalf("decodeText(%q) = %q, %v, want %q", data, again, err, d.text)
			}
		}
	})
}
