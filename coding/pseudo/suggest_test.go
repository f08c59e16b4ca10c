package pseudo

import (
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"
)

func suggestFixture(t *testing.T) []SuggestDoc {
	t.Helper()
	b, err := os.ReadFile("testdata/suggest_ru_en.txt")
	if err != nil {
		t.Fatal(err)
	}
	return []SuggestDoc{{Name: "int01", Text: string(b)}}
}

func TestSuggest(t *testing.T) {
	docs := suggestFixture(t)
	got := Suggest(docs, SuggestOptions{Speakers: []string{"Интервьюер", "Олег", "Interviewer", "Oleg"}})
	byValue := map[string]Candidate{}
	for _, c := range got {
		byValue[c.Type+" "+c.Value] = c
	}
	tests := []struct {
		key   string
		count int
		forms []string
		inKey string
	}{
		{"speaker Олег", 7, nil, ""},
		{"speaker Oleg", 3, nil, ""},
		{"name Анна", 5, []string{"Анна", "Анной", "Анну"}, ""},
		{"name Анной Петровой", 1, nil, ""},
		{"name Тбилиси", 2, nil, ""},
		{"name Твери", 2, nil, ""},
		{"name Мемориале", 1, nil, ""},
		{"name Игорь", 1, nil, ""},
		{"name Sasha", 2, nil, ""},
		{"name Berlin", 2, nil, ""},
		{"name Google", 1, nil, ""},
		{"name Moscow", 1, nil, ""},
		{"email oleg.k@mail.ru", 1, nil, ""},
		{"phone +7 916 123-45-67", 1, nil, ""},
		{"phone 8 (903) 555-12-34", 1, nil, ""},
		{"phone +995 555 12 34 56", 1, nil, ""},
		{"url https://example.org/news/123", 1, nil, ""},
		{"birth-date 12.03.1988", 1, nil, ""},
		{"address ул. Руставели, д. 12", 1, nil, ""},
		{"address кв. 5", 1, nil, ""},
		{"address 14 Baker Street", 1, nil, ""},
		{"address apt. 3", 1, nil, ""},
	}
	// A speaker's name is one candidate, not a speaker and a name too.
	for _, n := range []string{"Олег", "Oleg"} {
		if c, ok := byValue["name "+n]; ok {
			t.Errorf("%s is listed as a speaker and again as a name (%d)", n, c.Count)
		}
	}
	for _, tc := range tests {
		c, ok := byValue[tc.key]
		if !ok {
			t.Errorf("no candidate %q", tc.key)
			continue
		}
		if c.Count != tc.count {
			t.Errorf("%s: count %d, want %d", tc.key, c.Count, tc.count)
		}
		if tc.forms != nil && !reflect.DeepEqual(sorted(c.Forms), tc.forms) {
			t.Errorf("%s: forms %v, want %v", tc.key, c.Forms, tc.forms)
		}
		if c.Doc != "int01" || c.Line < 1 || c.Context == "" {
			t.Errorf("%s: no place: %+v", tc.key, c)
		}
	}
	// Not names: sentence starts, stop words, words seen in lower case
	// more often, generic speaker labels.
	for _, v := range []string{"name Мы", "name Потом", "name Мама", "name Интервьюер", "speaker Интервьюер", "speaker Interviewer",
		"name Мир", "name Вера", "name April", "name Fridays", "name Я", "name I", "name My", "name Расскажите"} {
		if _, ok := byValue[v]; ok {
			t.Errorf("candidate %q should not be suggested", v)
		}
	}
	// Sorted by count, then value.
	for i := 1; i < len(got); i++ {
		a, b := got[i-1], got[i]
		if a.Count < b.Count || a.Count == b.Count && a.Value > b.Value {
			t.Errorf("not sorted: %v before %v", a, b)
		}
	}
	// --min
	for _, c := range Suggest(docs, SuggestOptions{Min: 2}) {
		if c.Count < 2 {
			t.Errorf("Min 2 gave %+v", c)
		}
	}
}

func TestSuggestMarksKnown(t *testing.T) {
	docs := []SuggestDoc{{Name: "d", Text: "Мы были в Берлине. Потом в Берлин приехала Анна, и Анна осталась."}}
	// Short names group too.
	short := Suggest([]SuggestDoc{{Name: "d", Text: "Мы звали Олю. Потом у Оли и Оли мамы, с Олей."}}, SuggestOptions{})
	if len(short) != 1 || short[0].Value != "Оли" || short[0].Count != 4 || len(short[0].Forms) != 3 {
		t.Errorf("short name: %+v, want one candidate with Олю, Оли, Олей", short)
	}
	known := NewMatcher([]Entry{{ID: "kb1", Real: "Берлин", Pseudonym: "[город]", Kind: Place}})
	var marked, unmarked []string
	for _, c := range Suggest(docs, SuggestOptions{Known: known}) {
		if c.InKey != "" {
			marked = append(marked, c.Value+"="+c.InKey)
		} else {
			unmarked = append(unmarked, c.Value)
		}
	}
	if strings.Join(marked, ",") != "Берлин=kb1" || strings.Join(unmarked, ",") != "Анна" {
		t.Errorf("marked %v, unmarked %v; want Берлин=kb1 and Анна", marked, unmarked)
	}
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func FuzzSuggest(f *testing.F) {
	for _, s := range []string{"Олег: Мы с Анной. Анну", "+7 916 123-45-67 ул. Ленина д. 5", "родился 1.1.1990", "a@b.cc http://x", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, c := range Suggest([]SuggestDoc{{Name: "d", Text: text}}, SuggestOptions{Speakers: []string{"Олег", "a"}}) {
			if c.Count < 1 && c.Type != TypeSpeaker || c.Value == "" {
				t.Fatalf("bad candidate %+v", c)
			}
		}
	})
}

// BenchmarkSuggest runs Suggest on a generated corpus of 1M words with
// Russian names in several cases.
func BenchmarkSuggest(b *testing.B) {
	text := corpus(1_000_000, 7)
	docs := []SuggestDoc{}
	// 100 interviews of 10k words.
	for i, part := range strings.SplitAfter(text, ". ") {
		if i%2000 == 0 {
			docs = append(docs, SuggestDoc{Name: "int" + string(rune('a'+len(docs)%26))})
		}
		docs[len(docs)-1].Text += part
	}
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cs := Suggest(docs, SuggestOptions{Speakers: []string{"Интервьюер", "Анна"}})
		if len(cs) == 0 {
			b.Fatal("nothing suggested")
		}
	}
}

// A speaker named in the text too is one candidate, a speaker, counted
// wherever the name is written.
func TestSuggestSpeakerOnce(t *testing.T) {
	text := "Nino: Olga, thank you for inviting me. Did you meet Olga's friends?\nOlga: Yes, and Nino came too, with Olga's sister.\n"
	var got []string
	for _, c := range Suggest([]SuggestDoc{{Name: "R03", Text: text}}, SuggestOptions{Speakers: []string{"Olga", "Nino"}}) {
		if c.Value == "Olga" || c.Value == "Nino" {
			got = append(got, c.Type+" "+c.Value)
		}
	}
	sort.Strings(got)
	if want := []string{"speaker Nino", "speaker Olga"}; !reflect.DeepEqual(got, want) {
		t.Errorf("candidates for the speakers: %q, want %q", got, want)
	}
}
