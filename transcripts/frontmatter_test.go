package transcripts

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestFrontMatter(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		text  string
		attrs []Attribute
		lang  string
		// warnings are those about the front matter; speakers, the names
		// it declares.
		warnings []string
		speakers []string
	}{
		{
			"order kept, values as written",
			"---\nzeta: 1\nalpha: two\ndate: 2022-11-14\nflag: True\nfloat: 1.50\nquoted: \"a: b\"\n---\nQ: hi\n",
			"Q: hi\n",
			[]Attribute{{"zeta", "1"}, {"alpha", "two"}, {"date", "2022-11-14"}, {"flag", "true"}, {"float", "1.50"}, {"quoted", "a: b"}},
			"",
			nil,
			nil,
		},
		{
			"lists joined, a map flattened, deeper maps skipped, nulls dropped",
			"---\nthemes: [identity, fear]\nlist:\n  - a\n  - ~\n  - c\nparticipant:\n  age: 30\n  place:\n    city: Tbilisi\nempty:\nblank: \"\"\n---\nText.",
			"Text.",
			[]Attribute{{"themes", "identity, fear"}, {"list", "a, c"}, {"participant.age", "30"}, {"blank", ""}},
			"",
			[]string{"front matter: skipped participant.place (a map)"},
			nil,
		},
		{
			"lists of maps and of lists skipped",
			"---\ntitle: x\nresources:\n  - src: a.m4a\n    title: Audio\ngrid: [[1, 2], [3]]\nmixed: [a, {b: c}]\ntags:\n  nested:\n    deep: 1\n  flat: yes\nafter: y\n---\nText.",
			"Text.",
			[]Attribute{{"title", "x"}, {"tags.flat", "yes"}, {"after", "y"}},
			"",
			[]string{
				"front matter: skipped resources (a list of maps)",
				"front matter: skipped grid (a list of lists)",
				"front matter: skipped mixed (a list of maps)",
				"front matter: skipped tags.nested (a map)",
			},
			nil,
		},
		{
			"a key with control characters quoted in the warning",
			"---\n\"a\\e[31mb\":\n  - x: 1\n---\nText.",
			"Text.",
			nil,
			"",
			[]string{`front matter: skipped "a\x1b[31mb" (a list of maps)`},
			nil,
		},
		{
			"a key that is not a plain value skipped",
			"---\n? [a, b]\n: 1\nc: 2\n---\nText.",
			"Text.",
			[]Attribute{{"c", "2"}},
			"",
			[]string{"front matter: skipped a key that is not a plain value (line 2)"},
			nil,
		},
		{
			"speakers as a list of names, kept as an attribute",
			"---\nspeakers: [Interviewer, \" Anna\\tPetrova \", ~, Interviewer]\n---\nText.",
			"Text.",
			[]Attribute{{"speakers", "Interviewer,  Anna\tPetrova , Interviewer"}},
			"",
			nil,
			[]string{"Interviewer", "Anna Petrova"},
		},
		{
			"speakers as maps with name and role",
			"---\nSpeakers:\n  - name: Интервьюер\n    role: interviewer\n  - {name: Анна, role: participant}\n  - role: other\n  - name: [x]\n  - [y]\n---\nText.",
			"Text.",
			nil,
			"",
			[]string{"front matter: skipped Speakers[3] (no name)", "front matter: skipped Speakers[4] (no name)", "front matter: skipped Speakers[5] (a list)"},
			[]string{"Интервьюер", "Анна"},
		},
		{
			"speakers as one line, control characters removed",
			"---\nspeakers: \"Q, A\\u202e, \\x07B\"\n---\nText.",
			"Text.",
			[]Attribute{{"speakers", "Q, A\u202e, \x07B"}},
			"",
			nil,
			[]string{"Q", "A", "B"},
		},
		{
			"speakers as a map: attributes",
			"---\nspeakers:\n  I: Interviewer\n  R: Anna\n---\nText.",
			"Text.",
			[]Attribute{{"speakers.I", "Interviewer"}, {"speakers.R", "Anna"}},
			"",
			nil,
			nil,
		},
		{
			"nested speakers are not the document's",
			"---\nmeta:\n  speakers: [A, B]\n---\nText.",
			"Text.",
			[]Attribute{{"meta.speakers", "A, B"}},
			"",
			nil,
			nil,
		},
		{
			"warnings capped",
			"---\n" + strings.Repeat("", 0) + manyNested(12) + "---\nText.",
			"Text.",
			nil,
			"",
			[]string{
				"front matter: skipped k0 (a list of maps)", "front matter: skipped k1 (a list of maps)",
				"front matter: skipped k2 (a list of maps)", "front matter: skipped k3 (a list of maps)",
				"front matter: skipped k4 (a list of maps)", "front matter: skipped k5 (a list of maps)",
				"front matter: skipped k6 (a list of maps)", "front matter: skipped k7 (a list of maps)",
				"front matter: skipped k8 (a list of maps)", "front matter: skipped 3 more nested values",
			},
			nil,
		},
		{
			"TOML front matter stays in the text",
			"+++\ntitle = \"x\"\n+++\nQ: hi\n",
			"+++\ntitle = \"x\"\n+++\nQ: hi\n",
			nil,
			"",
			[]string{"front matter in TOML (between +++ lines) is not read: it stays in the text"},
			nil,
		},
		{
			"lang sets Lang, lower-cased, first of a list",
			"---\nlang: RU, en\n---\nText.",
			"Text.",
			[]Attribute{{"lang", "RU, en"}},
			"ru",
			nil,
			nil,
		},
		{
			"language as a YAML list",
			"---\nLanguage: [en, ru]\n---\nText.",
			"Text.",
			[]Attribute{{"Language", "en, ru"}},
			"en",
			nil,
			nil,
		},
		{
			"the first of lang and language wins",
			"---\nlanguage: en\nlang: ru\n---\nText.",
			"Text.",
			[]Attribute{{"language", "en"}, {"lang", "ru"}},
			"en",
			nil,
			nil,
		},
		{
			"closing with ..., leading blank lines dropped",
			"---\ntitle: x\n...\n\n  \n\n  Indented first line.\n\nNext.",
			"  Indented first line.\n\nNext.",
			[]Attribute{{"title", "x"}},
			"",
			nil,
			nil,
		},
		{
			"delimiters may have trailing blanks",
			"--- \ntitle: x\n---\t\nText.",
			"Text.",
			[]Attribute{{"title", "x"}},
			"",
			nil,
			nil,
		},
		{
			"empty front matter",
			"---\n---\nText.",
			"Text.",
			nil,
			"",
			nil,
			nil,
		},
		{
			"comments only",
			"---\n# nothing\n---\nText.",
			"Text.",
			nil,
			"",
			nil,
			nil,
		},
		{
			"no closing delimiter: a Markdown rule, kept",
			"---\nQ: hi\nA: ho\n",
			"---\nQ: hi\nA: ho\n",
			nil,
			"",
			nil,
			nil,
		},
		{
			"not on the first line: text",
			"Intro\n---\ntitle: x\n---\n",
			"Intro\n---\ntitle: x\n---\n",
			nil,
			"",
			nil,
			nil,
		},
		{
			"after a BOM and with CRLF",
			"\ufeff---\r\ntitle: x\r\n---\r\nQ: hi\r\n",
			"Q: hi\n",
			[]Attribute{{"title", "x"}},
			"",
			nil,
			nil,
		},
		{
			"multi-line block scalar",
			"---\nnote: |\n  line one\n  line two\n---\nText.",
			"Text.",
			[]Attribute{{"note", "line one\nline two\n"}},
			"",
			nil,
			nil,
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
			if got := frontMatterWarnings(doc); !slices.Equal(got, tt.warnings) {
				t.Errorf("Parse(%q) warnings about the front matter = %q, want %q", tt.in, got, tt.warnings)
			}
			if !slices.Equal(doc.Speakers, tt.speakers) {
				t.Errorf("Parse(%q).Speakers = %q, want %q", tt.in, doc.Speakers, tt.speakers)
			}
		})
	}
}

// manyNested returns n top-level keys k0, k1... holding lists of maps.
func manyNested(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "k%d:\n  - a: 1\n", i)
	}
	return b.String()
}

// frontMatterWarnings returns the warnings of doc about its front matter.
func frontMatterWarnings(doc *Document) []string {
	var out []string
	for _, w := range doc.Warnings {
		if strings.HasPrefix(w, "front matter") {
			out = append(out, w)
		}
	}
	return out
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
		{"alias", "---\na: &x 1\nb: *x\n---\nText", ErrMalformed, "front matter: aliases are not supported (line 3)"},
		{"alias in a list", "---\na: &x [1, 2]\nb: [*x, *x]\n---\nText", ErrMalformed, "front matter: aliases are not supported (line 3)"},
		{"alias in a map", "---\na: &x 1\nm:\n  b: *x\n---\nText", ErrMalformed, "front matter: aliases are not supported (line 4)"},
		{"alias in speakers", "---\na: &x Anna\nspeakers: [*x]\n---\nText", ErrMalformed, "front matter: aliases are not supported (line 3)"},
		{"alias as a speaker's name", "---\na: &x Anna\nspeakers:\n  - name: *x\n---\nText", ErrMalformed, "front matter: aliases are not supported (line 4)"},
		{"invalid YAML in a nested value", "---\nresources:\n  - src: a\n   title: b\n---\nText", ErrMalformed, "front matter: did not find expected '-' indicator (line 3)"},
		{"billion laughs", yamlLaughs, ErrMalformed, "front matter: aliases are not supported (line 3)"},
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

// yamlLaughs is front matter whose aliases, expanded, would make 10^9
// strings.
var yamlLaughs = func() string {
	var b strings.Builder
	b.WriteString("---\nl0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&b, "l%d: &l%d [", i, i)
		for j := range 10 {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*l%d", i-1)
		}
		b.WriteString("]\n")
	}
	b.WriteString("---\nText")
	return b.String()
}()

// TestFrontMatterBombsAreCheap checks that YAML written to blow up (aliases
// of aliases, the same hidden in a value that is skipped, deep nesting)
// costs little: aliases are never expanded.
func TestFrontMatterBombsAreCheap(t *testing.T) {
	hidden := strings.Replace(yamlLaughs, "---\nl0:", "---\ntitle: x\nconfig:\n  inner:\n    l0:", 1)
	hidden = strings.ReplaceAll(hidden, "\nl", "\n    l")
	deep := "---\nk: " + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + "\n---\nText"
	wide := "---\na: &a [x]\nb: " + strings.Repeat("*a ", 1) + "\n---\nText"
	for name, in := range map[string]string{"billion laughs": yamlLaughs, "hidden in a skipped map": hidden, "deep": deep, "alias": wide} {
		start := time.Now()
		doc, err := Parse("f.md", []byte(in))
		// Not a speed test: an alias expanded would take minutes and
		// gigabytes; anything short of that passes, and the time is
		// logged.
		d := time.Since(start)
		t.Logf("%s: Parse took %v", name, d)
		if d > 30*time.Second {
			t.Errorf("%s: Parse took %v: the aliases were expanded", name, d)
		}
		if err == nil {
			for _, a := range doc.Attributes {
				if len(a.Value) > len(in) {
					t.Errorf("%s: attribute %s is %d bytes long", name, a.Key, len(a.Value))
				}
			}
		} else if !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: Parse = %v, want success or ErrMalformed", name, err)
		}
	}
}

// TestFrontMatterRich pins what the front matter of a transcript written
// by tools yields (run with -update to rewrite the golden file).
func TestFrontMatterRich(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "frontmatter", "rich.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := Parse("rich.md", data)
	if err != nil {
		t.Fatalf("Parse(rich.md) error: %v", err)
	}
	checkInvariants(t, doc)
	first, _, _ := strings.Cut(doc.Text, "\n")
	got, err := json.MarshalIndent(struct {
		FirstLine  string
		Encoding   string
		Lang       string
		Attributes []Attribute
		Speakers   []string
		Roles      map[string]string
		Warnings   []string
	}{first, doc.Encoding, doc.Lang, doc.Attributes, doc.Speakers, doc.SpeakerRoles, frontMatterWarnings(doc)}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	golden := filepath.Join("testdata", "frontmatter", "rich.md.json")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("Parse(rich.md) differs from %s (run with -update if the change is intended)\ngot:\n%s", golden, got)
	}
}
