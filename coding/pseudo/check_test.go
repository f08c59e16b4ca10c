package pseudo

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"
)

func checkEntries() []Entry {
	return []Entry{
		{ID: "k1", Real: "Анна", Pseudonym: "[P1]", Kind: Person},
		{ID: "k2", Real: "Анна Петрова", Pseudonym: "[P2]", Kind: Person},
		{ID: "k3", Real: "Sasha", Pseudonym: "[P3]", Kind: Person, Doc: "only-this-doc"},
		{ID: "k4", Real: "Тбилиси", Pseudonym: "[город]", Kind: Place},
	}
}

// makeZip builds a zip archive of the named entries.
func makeZip(t testing.TB, files ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(files); i += 2 {
		w, err := zw.Create(files[i])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(files[i+1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const docxBody = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:r><w:t>Quotes on fear</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">[P2] said she left with </w:t></w:r><w:r><w:t>%s</w:t></w:r></w:p>
</w:body></w:document>`

func docx(t testing.TB, body, comments string) []byte {
	files := []string{"[Content_Types].xml", "<Types/>", "word/document.xml", strings.Replace(docxBody, "%s", body, 1)}
	if comments != "" {
		files = append(files, "word/comments.xml", `<w:comments xmlns:w="x"><w:comment><w:p><w:r><w:t>`+comments+`</w:t></w:r></w:p></w:comment></w:comments>`)
	}
	return makeZip(t, files...)
}

func qdpx(t testing.TB, qde, source string) []byte {
	return makeZip(t, "project.qde", qde, "sources/0A1B.txt", source, "sources/pic.png", "\x89PNG\x00\x00Анна")
}

const qdeClean = `<?xml version="1.0" encoding="utf-8"?>
<Project name="study" xmlns="urn:QDA-XML:project:1.0">
  <Sources><TextSource guid="0A1B" name="R07" plainTextPath="internal://0A1B.txt"/></Sources>
</Project>`

func utf16le(s string) []byte {
	u := utf16.Encode([]rune(s))
	b := []byte{0xFF, 0xFE}
	for _, c := range u {
		b = append(b, byte(c), byte(c>>8))
	}
	return b
}

func TestCheck(t *testing.T) {
	m := CheckMatcher(checkEntries())
	tests := []struct {
		name string
		data []byte
		want []string // Where: "text" id
	}{
		{"quotes.md", []byte("# Fear\n\n> [P2] left in March.\n> She met Анну Петрову there.\n"), []string{`quotes.md:4: "Анну Петрову" k2`}},
		{"clean.md", []byte("# Fear\n\n> [P2] left in March. Ганна stayed; Sashimi.\n"), nil},
		{"quotes.tex", []byte("\\begin{quote}\nМы приехали в Тбилиси.\n\\end{quote}\n"), []string{`quotes.tex:2: "Тбилиси" k4`}},
		{"quotes.csv", []byte("doc,text\nR07,\"Sasha's friend, Анной\"\n"), []string{`quotes.csv:2: "Sasha" k3`, `quotes.csv:2: "Анной" k1`}},
		{"quotes.json", []byte("{\n \"text\": \"\\u0410\\u043d\\u043d\\u0430 left\"\n}\n"), []string{`quotes.json:2: "Анна" k1`}},
		{"quotes.json", []byte("{\n \"text\": \"[P1] left\"\n}\n"), nil},
		{"notes.txt", append([]byte{0xEF, 0xBB, 0xBF}, "Анне\r\nпривет"...), []string{`notes.txt:1: "Анне" k1`}},
		{"utf16.txt", utf16le("line\nАнна"), []string{`utf16.txt:2: "Анна" k1`}},
		{"export.unknown", []byte("Анна"), []string{`export.unknown:1: "Анна" k1`}},
		{"book.docx", docx(t, "Анной Петровой", ""), []string{`book.docx:word/document.xml:2: "Анной Петровой" k2`}},
		{"clean.docx", docx(t, "[P1]", ""), nil},
		{"comment.docx", docx(t, "[P1]", "ask Анну"), []string{`comment.docx:word/comments.xml:1: "Анну" k1`}},
		{"p.qdpx", qdpx(t, qdeClean, "Она жила в Тбилиси\nи Анна тоже"), []string{`p.qdpx:sources/0A1B.txt:1: "Тбилиси" k4`, `p.qdpx:sources/0A1B.txt:2: "Анна" k1`}},
		{"name.qdpx", qdpx(t, strings.Replace(qdeClean, `name="R07"`, `name="&#1040;&#1085;&#1085;&#1072; interview"`, 1), "clean"), []string{`name.qdpx:project.qde:3: "Анна" k1`}},
		{"clean.qdpx", qdpx(t, qdeClean, "[P1] жила в [город]"), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tc.name)
			if err := os.WriteFile(path, tc.data, 0o600); err != nil {
				t.Fatal(err)
			}
			fs, err := Check(path, m)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range fs {
				got = append(got, strings.TrimPrefix(f.Where(), filepath.Dir(path)+"/")+`: "`+f.Text+`" `+f.Entry.ID)
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("Check(%s)\n got %q\nwant %q", tc.name, got, tc.want)
			}
		})
	}
}

func TestCheckRefused(t *testing.T) {
	m := CheckMatcher(checkEntries())
	oldPart := maxCheckPart
	maxCheckPart = 1 << 20
	defer func() { maxCheckPart = oldPart }()
	bomb := makeZip(t, "project.qde", qdeClean, "sources/big.txt", strings.Repeat("a", 2<<20))
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"binary.bin", []byte("\x00\x01\x02\xff"), "not UTF-8"},
		{"nul.txt", []byte("abc\x00def"), "NUL"},
		{"cp1251.txt", []byte{0xc0, 0xed, 0xed, 0xe0}, "not UTF-8"},
		{"broken.docx", []byte("PK not a zip"), "not a valid .docx"},
		{"empty.docx", nil, "empty file"},
		{"nobody.docx", makeZip(t, "word/styles.xml", "<x/>"), "no word/document.xml"},
		{"badxml.docx", makeZip(t, "word/document.xml", "<w:p><w:t>Анна</w:p"), "bad XML"},
		{"noqde.qdpx", makeZip(t, "sources/a.txt", "x"), "no project.qde"},
		{"bomb.qdpx", bomb, "zip bomb"},
		{"slip.qdpx", makeZip(t, "project.qde", qdeClean, "../../etc/x.txt", "x"), "outside the archive"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tc.name)
			if err := os.WriteFile(path, tc.data, 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Check(path, m)
			if err == nil || !errors.Is(err, ErrUnreadable) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
				t.Errorf("Check(%s) = %v, want an error naming the file and %q", tc.name, err, tc.want)
			}
		})
	}
}

func FuzzCheckBytes(f *testing.F) {
	f.Add("a.docx", docx(f, "Анной Петровой", "Анну"))
	f.Add("a.qdpx", qdpx(f, qdeClean, "Тбилиси"))
	f.Add("a.json", []byte(`{"a":"\u0410\ud83d\ude00\u043d"}`))
	f.Add("a.txt", utf16le("Анна"))
	m := CheckMatcher(checkEntries())
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		exts := []string{".docx", ".qdpx", ".json", ".txt"}
		name = "f" + exts[len(name)%len(exts)]
		fs, err := CheckBytes(name, data, m)
		if err != nil && !errors.Is(err, ErrUnreadable) {
			t.Fatalf("an error that is not ErrUnreadable: %v", err)
		}
		for _, x := range fs {
			if x.Line < 1 || x.Text == "" {
				t.Fatalf("bad finding %+v", x)
			}
		}
	})
}
