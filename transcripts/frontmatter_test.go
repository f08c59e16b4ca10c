package transcripts

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestFrontMatter(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		text  string
		attrs []Attribute
		lang  string
	}{
		{
			"order kept, values as written",
			"---\nzeta: 1\nalpha: two\ndate: 2022-11-14\nflag: True\nfloat: 1.50\nquoted: \"a: b\"\n---\nQ: hi\n",
			"Q: hi\n",
			[]Attribute{{"zeta", "1"}, {"alpha", "two"}, {"date", "2022-11-14"}, {"flag", "true"}, {"float", "1.50"}, {"quoted", "a: b"}},
			"",
		},
		{
			"lists joined, nested maps flattened, nulls dropped",
			"---\nthemes: [identity, fear]\nlist:\n  - a\n  - ~\n  - c\nparticipant:\n  age: 30\n  place:\n    city: Tbilisi\nempty:\nblank: \"\"\n---\nText.",
			"Text.",
			[]Attribute{{"themes", "identity, fear"}, {"list", "a, c"}, {"participant.age", "30"}, {"participant.place.city", "Tbilisi"}, {"blank", ""}},
			"",
		},
		{
			"lang sets Lang, lower-cased, first of a list",
			"---\nlang: RU, en\n---\nText.",
			"Text.",
			[]Attribute{{"lang", "RU, en"}},
			"ru",
		},
		{
			"language as a YAML list",
			"---\nLanguage: [en, ru]\n---\nText.",
			"Text.",
			[]Attribute{{"Language", "en, ru"}},
			"en",
		},
		{
			"the first of lang and language wins",
			"---\nlanguage: en\nlang: ru\n---\nText.",
			"Text.",
			[]Attribute{{"language", "en"}, {"lang", "ru"}},
			"en",
		},
		{
			"closing with ..., leading blank lines dropped",
			"---\ntitle: x\n...\n\n  \n\n  Indented first line.\n\nNext.",
			"  Indented first line.\n\nNext.",
			[]Attribute{{"title", "x"}},
			"",
		},
		{
			"delimiters may have trailing blanks",
			"--- \ntitle: x\n---\t\nText.",
			"Text.",
			[]Attribute{{"title", "x"}},
			"",
		},
		{
			"empty front matter",
			"---\n---\nText.",
			"Text.",
			nil,
			"",
		},
		{
			"comments only",
			"---\n# nothing\n---\nText.",
			"Text.",
			nil,
			"",
		},
		{
			"no closing delimiter: a Markdown rule, kept",
			"---\nQ: hi\nA: ho\n",
			"---\nQ: hi\nA: ho\n",
			nil,
			"",
		},
		{
			"not on the first line: text",
			"Intro\n---\ntitle: x\n---\n",
			"Intro\n---\ntitle: x\n---\n",
			nil,
			"",
		},
		{
			"after a BOM and with CRLF",
			"\ufeff---\r\ntitle: x\r\n---\r\nQ: hi\r\n",
			"Q: hi\n",
			[]Attribute{{"title", "x"}},
			"",
		},
		{
			"multi-line block scalar",
			"---\nnote: |\n  line one\n  line two\n---\nText.",
			"Text.",
			[]Attribute{{"note", "line one\nline two\n"}},
			"",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Parse("f.md", []byte(tt.in))
			if err != nil {
				t.Fatalf("Parse(%q) error: %v", tt.in, err)
			}
			checkInvariants(t, doc)
			if doc.Text != tt.text {
				t.Errorf("Parse(%q).Text = %q, want %q", tt.in, doc.Text, tt.text)
			}
			if !slices.Equal(doc.Attributes, tt.attrs) {
				t.Errorf("Parse(%q).Attributes = %v, want %v", tt.in, doc.Attributes, tt.attrs)
			}
			if doc.Lang != tt.lang {
				t.Errorf("Parse(%q).Lang = %q, want %q", tt.in, doc.Lang, tt.lang)
			}
		})
	}
}

func TestFrontMatterSpansAfterIt(t *testing.T) {
	doc, err := Parse("f.txt", []byte("---\ntitle: Интервью\n---\n\nИ: Да\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []Turn{{Speaker: "И", Start: 0, Body: 3, End: 5}}
	if !reflect.DeepEqual(doc.Turns, want) {
		t.Errorf("Parse().Turns = %+v, want %+v", doc.Turns, want)
	}
}

func TestFrontMatterErrors(t *testing.T) {
	tests := []struct {
		name, in string
		kind     error
		msg      string
	}{
		{"only front matter", "---\ntitle: x\n---\n\n \n", ErrEmpty, "no transcript text after the front matter"},
		{"only front matter, no final newline", "---\ntitle: x\n---", ErrEmpty, "no transcript text after the front matter"},
		{"invalid YAML", "---\ntitle: x\nbad: [1, 2\n---\nText", ErrMalformed, "front matter: did not find expected ',' or ']' (line 3)"},
		{"missing colon", "---\na: 1\nb\nc: 3\n---\nText", ErrMalformed, "front matter: could not find expected ':' (line 3)"},
		{"unclosed mapping", "---\na: 1\nb: {c: 2\n---\nText", ErrMalformed, "front matter: did not find expected ',' or '}' (line 3)"},
		{"bad indentation", "---\na: 1\n  b: 2\n---\nText", ErrMalformed, "front matter: mapping values are not allowed in this context (line 3)"},
		{"tab indentation", "---\na:\n\t- x\n---\nText", ErrMalformed, "front matter: found character that cannot start any token (line 3)"},
		{"not a mapping", "---\n- a\n- b\n---\nText", ErrMalformed, "front matter: not a mapping of keys to values (line 2)"},
		{"scalar", "---\njust text\n---\nText", ErrMalformed, "front matter: not a mapping of keys to values (line 2)"},
		{"nested list", "---\na: [[1, 2]]\n---\nText", ErrMalformed, `front matter: nested value for key "a" (line 2)`},
		{"list of maps", "---\npeople:\n  - name: A\n---\nText", ErrMalformed, `front matter: nested value for key "people" (line 3)`},
		{"alias", "---\na: &x 1\nb: *x\n---\nText", ErrMalformed, "front matter: aliases are not supported (line 3)"},
		{"alias in a list", "---\na: &x [1, 2]\nb: [*x, *x]\n---\nText", ErrMalformed, `front matter: nested value for key "b" (line 3)`},
		{"merge key", "---\nbase: &b {x: 1}\nother:\n  <<: *b\n---\nText", ErrMalformed, "front matter: aliases are not supported (line 4)"},
		{"duplicate key", "---\na: 1\na: 2\n---\nText", ErrMalformed, `front matter: duplicate key "a" (line 3)`},
		{"duplicate after flattening", "---\na.b: 1\na:\n  b: 2\n---\nText", ErrMalformed, `front matter: duplicate key "a.b" (line 4)`},
		{"too large", "---\nk: " + strings.Repeat("x", 70<<10) + "\n---\nText", ErrTooLarge, "front matter is larger than 64 KiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("f.md", []byte(tt.in))
			if !errors.Is(err, tt.kind) || err.Error() != tt.msg {
				t.Errorf("Parse(%q) = %v, want %q matching %v", tt.in, err, tt.msg, tt.kind)
			}
		})
	}
}
