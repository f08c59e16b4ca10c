package index

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qcode-dev/qcode/coding"
)

var updateGolden = flag.Bool("update-golden", false, "rewrite testdata/golden_hits.json from the engine as it is")

// goldenSentences are the corpus's sentences, English and Russian, with
// inflected forms, ё, typographic apostrophes and phrases the golden
// queries look for.
var goldenSentences = map[string][]string{
	"en": {
		"I was afraid of the police, the fear never left me.",
		"We smelled smoke in the morning and the smell stayed.",
		"After the mobilization was announced my brother left.",
		"I donated to legal aid twice, and my donations still go there.",
		"We crossed the border at Upper Lars after four days.",
		"My mother didn’t want to leave Moscow.",
		"My father didn't leave either, he stayed with the dog.",
		"I don’t think the police knew about the protest.",
		"The lawyer said I could be called a foreign agent.",
		"In Tbilisi I volunteered with a group helping families.",
		"Everyone feared the mobilisation more than the war itself.",
		"Our family lost its jobs, then the visa was refused.",
		"The policeman stopped us and checked every passport.",
		"Smoke from the fires, fear of arrest: that was the summer.",
		"I volunteer twice a week now, it is my work.",
		"Fearing a call-up, he left before the border closed.",
	},
	"ru": {
		"Я боялась полиции, этот страх со мной до сих пор.",
		"После объявления мобилизации брат уехал.",
		"Мобилизацию он не ждал, всё случилось за день.",
		"Мы переходили границу на Верхнем Ларсе четыре дня.",
		"Мама ещё в Москве, а папа уехал в Тбилиси.",
		"Полицейский проверял паспорта у всех в автобусе.",
		"Я волонтёрила в Тбилиси, помогала семьям.",
		"Юрист сказал, что меня могут признать иноагентом.",
		"Страшно было всем, еще страшнее стало после протеста.",
		"Семья потеряла работу, визу не дали.",
		"Донаты я отправляю каждый месяц на юридическую помощь.",
		"Полиция задержала друга на протесте.",
		"Все боялись мобилизации больше войны.",
		"Мы уехали через Верхний Ларс, потом в Ереван.",
		"Брат волонтёр, он помогает мобилизованным уехать.",
		"Я не боюсь, но страх остался.",
	},
}

// goldenCorpus makes the same project every time: twelve interviews,
// six English and six Russian, of sentences drawn from a seeded source,
// with speakers, attributes and codings.
func goldenCorpus(t testing.TB) *coding.Store {
	t.Helper()
	ctx := context.Background()
	s, err := coding.Create(ctx, filepath.Join(t.TempDir(), "g.qcode"), coding.Options{Coder: "anna"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	rnd := rand.New(rand.NewSource(13))
	speakers := map[string][2]string{
		"en": {"Interviewer", "Anna K. Petrova"},
		"ru": {"Интервьюер", "Борис"},
	}
	for i := 0; i < 12; i++ {
		lang := "en"
		name := fmt.Sprintf("E%02d.txt", i/2+1)
		if i%2 == 1 {
			lang = "ru"
			name = fmt.Sprintf("R%02d.txt", i/2+1)
		}
		resp := speakers[lang][1]
		if i == 4 {
			resp = "Boris"
		}
		var b strings.Builder
		for turn := 0; turn < 8; turn++ {
			who := speakers[lang][0]
			if turn%2 == 1 {
				who = resp
			}
			b.WriteString(who + ": ")
			n := 1 + rnd.Intn(3)
			for k := 0; k < n; k++ {
				if k > 0 {
					b.WriteString(" ")
				}
				ss := goldenSentences[lang]
				b.WriteString(ss[rnd.Intn(len(ss))])
			}
			b.WriteString("\n")
		}
		wave := "February"
		if i%3 == 0 {
			wave = "September"
		}
		if _, err := s.Import(ctx, coding.ImportFile{Path: name, Data: []byte(b.String()), Lang: lang,
			Attributes: []coding.Attribute{{Key: "wave", Type: coding.TypeText, Value: wave}}}); err != nil {
			t.Fatal(err)
		}
	}
	// Code the respondents' first and third answers.
	docs, err := s.Documents(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range docs {
		turns, err := s.Turns(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		code := "Fear/Police"
		if i%2 == 1 {
			code = "Reasons/Mobilization"
		}
		for k, tn := range turns {
			if k != 1 && k != 5 {
				continue
			}
			if _, _, err := s.Tag(ctx, coding.TagRequest{Doc: d.Name, Code: code, Create: true,
				Spans: []coding.Span{{Start: tn.Body, End: tn.End}}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return s
}

// goldenQuery is one query of the golden list: its text and the
// filters given beside it.
type goldenQuery struct {
	Name  string
	Query Query
}

// goldenQueries are 50 queries whose meaning is the same in bleve's
// query string and in the query language: single words, phrases,
// prefixes, fuzzy terms, +must and -not, fields, and struct filters.
func goldenQueries() []goldenQuery {
	txt := func(s string) goldenQuery { return goldenQuery{Name: s, Query: Query{Text: s}} }
	return []goldenQuery{
		txt("fear"), txt("police"), txt("smoke"), txt("smell"), txt("mobilization"),
		txt("donate"), txt("border"), txt("lawyer"), txt("family"), txt("volunteer"),
		txt("didn't"), txt("didn’t"), txt("don't"), txt("Tbilisi"), txt("MOTHER"),
		txt("страх"), txt("полиция"), txt("мобилизация"), txt("граница"), txt("еще"),
		txt("ещё"), txt("уехать"), txt("семья"), txt("волонтер"), txt("боюсь"),
		txt(`"upper lars"`), txt(`"верхний ларс"`), txt(`"foreign agent"`), txt(`"legal aid"`), txt(`"didn’t want"`),
		txt("mobiliz*"), txt("мобилиз*"), txt("donat*"), txt("Полиц*"), txt("mobilisation~1"),
		txt("polise~1"), txt("мобилизацыи~1"), txt("+fear +police"), txt("fear -police"), txt("мобилизация -брат"),
		txt("speaker:Boris"), txt("lang:ru"),
		{"fear speaker=Anna K. Petrova", Query{Text: "fear", Speaker: "Anna K. Petrova"}},
		{"code=Fear", Query{Codes: []string{"Fear"}}},
		{"страх not-code=Fear", Query{Text: "страх", NotCodes: []string{"Fear"}}},
		{"police uncoded", Query{Text: "police", Uncoded: true}},
		{"smoke doc=E03", Query{Text: "smoke", Docs: []string{"E03"}}},
		{"брат attr=wave=September", Query{Text: "брат", Attrs: []string{"wave=September"}}},
		{"coder=anna code=Reasons", Query{Coder: "anna", Codes: []string{"Reasons"}}},
		{"the limit 5", Query{Text: "the", Limit: 5}},
	}
}

type goldenHit struct {
	Doc        string        `json:"doc"`
	Passage    coding.Span   `json:"passage"`
	Matches    []coding.Span `json:"matches"`
	Highlights []coding.Span `json:"highlights"`
}

type goldenAnswer struct {
	Query string      `json:"query"`
	Total uint64      `json:"total"`
	Hits  []goldenHit `json:"hits"`
}

// TestGoldenHits checks that 50 queries find the same passages, with the
// same matches, as the engine did before the query language replaced
// bleve's query string.
func TestGoldenHits(t *testing.T) {
	s := goldenCorpus(t)
	ix := openIndex(t, s)
	qs := goldenQueries()
	if len(qs) != 50 {
		t.Fatalf("%d golden queries, want 50", len(qs))
	}
	var got []goldenAnswer
	for _, q := range qs {
		res := find(t, ix, q.Query)
		a := goldenAnswer{Query: q.Name, Total: res.Total, Hits: []goldenHit{}}
		for _, h := range res.Hits {
			a.Hits = append(a.Hits, goldenHit{Doc: h.Document, Passage: h.Passage, Matches: h.Matches, Highlights: h.Highlights})
		}
		got = append(got, a)
	}
	data, err := json.MarshalIndent(got, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	data = append(data, '\n')
	path := filepath.Join("testdata", "golden_hits.json")
	if *updateGolden {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update-golden to write it)", err)
	}
	if bytes.Equal(want, data) {
		return
	}
	var old []goldenAnswer
	if err := json.Unmarshal(want, &old); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	for i := range got {
		if i >= len(old) {
			break
		}
		g, _ := json.Marshal(got[i])
		w, _ := json.Marshal(old[i])
		if !bytes.Equal(g, w) {
			t.Errorf("query %q:\n got %s\nwant %s", got[i].Query, g, w)
		}
	}
	if len(old) != len(got) {
		t.Errorf("%d answers, the golden file has %d", len(got), len(old))
	}
}
