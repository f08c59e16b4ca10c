package index

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/coding/demo"
)

// demoProject builds the demo project in a temp dir and opens it.
func demoProject(t *testing.T) *coding.Store {
	t.Helper()
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "demo.qcode")
	if err := demo.Build(ctx, dir); err != nil {
		t.Fatal(err)
	}
	s, err := coding.Open(ctx, dir, coding.Options{Coder: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// newProject makes an empty project with the given files imported.
func newProject(t *testing.T, files map[string]string) *coding.Store {
	t.Helper()
	ctx := context.Background()
	s, err := coding.Create(ctx, filepath.Join(t.TempDir(), "p.qcode"), coding.Options{Coder: "anna"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	for name, text := range files {
		if _, err := s.Import(ctx, coding.ImportFile{Path: name, Data: []byte(text)}); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func openIndex(t *testing.T, s *coding.Store) *Index {
	t.Helper()
	ix, _, err := Open(context.Background(), s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

func find(t *testing.T, ix *Index, q Query) Result {
	t.Helper()
	res, err := ix.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("Search(%+v): %v", q, err)
	}
	return res
}

// matched returns the text of every match of every hit, lower-cased.
func matched(t *testing.T, s *coding.Store, res Result) []string {
	t.Helper()
	var out []string
	for _, h := range res.Hits {
		text, err := s.DocumentText(context.Background(), h.DocID)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range h.Matches {
			out = append(out, strings.ToLower(coding.Slice(text, m.Start, m.End)))
		}
	}
	return out
}

func contains(list []string, want string) bool {
	for _, x := range list {
		if x == want {
			return true
		}
	}
	return false
}

func TestStemmingBothLanguages(t *testing.T) {
	s := newProject(t, map[string]string{
		"ru.txt":  "И: Как это было?\nР: После объявления мобилизации брат уехал. Мобилизацию он не ждал. Всё ещё страшно.\n",
		"en.txt":  "Q: Do you give money?\nA: I donated twice, and my donations go to legal aid. I donate monthly.\n",
		"mix.txt": "Interviewer: And then?\nKatya: Я начала donating, а потом мобилизация. Ещё I volunteered after the mobilization.\nInterviewer: Ok.\nKatya: Ok.\n",
	})
	ix := openIndex(t, s)
	tests := []struct {
		query string
		want  []string
	}{
		{"мобилизация", []string{"мобилизации", "мобилизацию", "мобилизация"}},
		{"donate", []string{"donated", "donations", "donate", "donating"}},
		{"еще", []string{"ещё"}},
		{"ещё", []string{"ещё"}},
		{"volunteer", []string{"volunteered"}},
		{"volonteered~1", []string{"volunteered"}},
		{`"legal aid"`, []string{"legal aid"}},
		{"мобилиз*", []string{"мобилизации", "мобилизацию", "мобилизация"}},
		{"Мобилиз*", []string{"мобилизации", "мобилизацию", "мобилизация"}},
		{"mobilisation~1", []string{"mobilization"}},
		{"donat*", []string{"donated", "donations", "donate", "donating"}},
		{"donatoins~2", []string{"donations"}},
	}
	for _, tc := range tests {
		got := matched(t, s, find(t, ix, Query{Text: tc.query}))
		for _, w := range tc.want {
			if !contains(got, w) {
				t.Errorf("search %q matched %q, want it to include %q", tc.query, got, w)
			}
		}
	}
}

func TestHighlightSpansInCodePoints(t *testing.T) {
	// Emoji (several code points each), Cyrillic and a combining mark
	// before the hit: byte and code-point offsets differ a lot.
	text := "И: 👩🏽‍💻🇬🇪 Привет, ёлки!\nР: Я́ боялась, что придут за мной. Потом — Upper Lars.\n"
	s := newProject(t, map[string]string{"e.txt": text})
	ix := openIndex(t, s)
	stored, _ := s.DocumentText(context.Background(), 1)
	for _, q := range []string{"придут", `"upper lars"`, "боялась"} {
		res := find(t, ix, Query{Text: q})
		if len(res.Hits) != 1 {
			t.Fatalf("search %q: %d hits, want 1", q, len(res.Hits))
		}
		h := res.Hits[0]
		got := coding.Slice(stored, h.Start, h.End)
		want := strings.Trim(q, `"`)
		if !strings.EqualFold(got, want) {
			t.Errorf("search %q: span %d:%d is %q, want %q", q, h.Start, h.End, got, want)
		}
		frag := []rune(h.Fragment)
		hl := h.Highlights[0]
		if f := string(frag[hl.Start:hl.End]); !strings.EqualFold(f, want) {
			t.Errorf("search %q: fragment highlight is %q, want %q (fragment %q)", q, f, want, h.Fragment)
		}
		if h.Line != 2 {
			t.Errorf("search %q: line %d, want 2", q, h.Line)
		}
	}
}

func TestFilters(t *testing.T) {
	ctx := context.Background()
	s := demoProject(t)
	ix := openIndex(t, s)
	all := find(t, ix, Query{Text: "мобилизация"})
	if all.Total < 5 {
		t.Fatalf("мобилизация: %d hits in the demo, want several", all.Total)
	}
	// Document order by default.
	for i := 1; i < len(all.Hits); i++ {
		a, b := all.Hits[i-1], all.Hits[i]
		if a.Document > b.Document || a.Document == b.Document && a.Start > b.Start {
			t.Fatalf("hits not in document order: %s %d before %s %d", a.Document, a.Start, b.Document, b.Start)
		}
	}
	sept := find(t, ix, Query{Text: "мобилизация", Attrs: []string{"wave=September"}})
	for _, h := range sept.Hits {
		if h.Document != "R06" {
			t.Errorf("--attr wave=September found %s, want only the September leavers' R06", h.Document)
		}
	}
	if len(sept.Hits) == 0 || len(sept.Hits) >= len(all.Hits) {
		t.Errorf("--attr wave=September: %d of %d hits", len(sept.Hits), len(all.Hits))
	}

	// --code with a parent code finds passages coded with its sub-codes.
	parent := find(t, ix, Query{Codes: []string{"Reasons for leaving"}})
	child := find(t, ix, Query{Codes: []string{"Mobilization"}})
	if child.Total == 0 || parent.Total < child.Total {
		t.Fatalf("--code parent %d hits, --code child %d: want the parent to include the child's", parent.Total, child.Total)
	}
	for _, h := range child.Hits {
		if !contains(h.Codes, "Reasons for leaving/Mobilization") {
			t.Errorf("--code Mobilization hit %s %d has codes %v", h.Document, h.Start, h.Codes)
		}
	}
	not := find(t, ix, Query{Text: "мобилизация", NotCodes: []string{"Reasons for leaving"}})
	for _, h := range not.Hits {
		for _, c := range h.Codes {
			if strings.HasPrefix(c, "Reasons for leaving") {
				t.Errorf("--not-code hit %s %d is coded %s", h.Document, h.Start, c)
			}
		}
	}
	unc := find(t, ix, Query{Text: "мобилизация", Uncoded: true})
	for _, h := range unc.Hits {
		if len(h.Codes) != 0 {
			t.Errorf("--uncoded hit %s %d has codes %v", h.Document, h.Start, h.Codes)
		}
	}
	sp := find(t, ix, Query{Speaker: "katya"})
	if sp.Total == 0 {
		t.Fatal("--speaker katya found nothing in R07")
	}
	for _, h := range sp.Hits {
		if h.Speaker != "Katya" {
			t.Errorf("--speaker katya hit has speaker %q", h.Speaker)
		}
	}
	qs := find(t, ix, Query{Text: "speaker:Katya"})
	if qs.Total != sp.Total {
		t.Errorf("speaker:Katya in the query gave %d hits, --speaker %d", qs.Total, sp.Total)
	}
	doc := find(t, ix, Query{Text: "tbilisi", Docs: []string{"R03"}})
	for _, h := range doc.Hits {
		if h.Document != "R03" {
			t.Errorf("--doc R03 hit in %s", h.Document)
		}
	}
	coder := find(t, ix, Query{Coder: "pavel", Codes: []string{"Donations"}})
	if coder.Total == 0 {
		t.Error("--coder pavel --code Donations found nothing")
	}
	ranked := find(t, ix, Query{Text: "мобилизация", Rank: true})
	for i := 1; i < len(ranked.Hits); i++ {
		if ranked.Hits[i].Score > ranked.Hits[i-1].Score {
			t.Fatalf("--rank: scores not descending at %d", i)
		}
	}
	lim := find(t, ix, Query{Text: "мобилизация", Limit: 2})
	if len(lim.Hits) != 2 || lim.Total != all.Total {
		t.Errorf("Limit 2: %d hits of %d, want 2 of %d", len(lim.Hits), lim.Total, all.Total)
	}
	_ = ctx
}

func TestBadQueries(t *testing.T) {
	s := newProject(t, map[string]string{"a.txt": "Q: hi\nA: hello there\n"})
	ix := openIndex(t, s)
	for _, q := range []string{`"unbalanced`, `speaker:`, strings.Repeat("слово ", 2000)} {
		_, err := ix.Search(context.Background(), Query{Text: q})
		if !errors.Is(err, ErrQuery) {
			t.Errorf("Search(%.30q) = %v, want ErrQuery", q, err)
		}
	}
}

func TestFollowsTheStore(t *testing.T) {
	ctx := context.Background()
	s := newProject(t, map[string]string{"R1.txt": "Q: Why?\nA: Because of the mobilization. And fear.\n"})
	ix := openIndex(t, s)
	if _, _, err := s.AddCode(ctx, coding.NewCode{Path: "Fear"}); err != nil {
		t.Fatal(err)
	}
	text, _ := s.DocumentText(ctx, 1)
	if _, _, err := s.Tag(ctx, coding.TagRequest{Doc: "R1", Code: "Fear", Spans: coding.MatchSpans(text, "And fear.")}); err != nil {
		t.Fatal(err)
	}
	if got := find(t, ix, Query{Codes: []string{"Fear"}}); got.Total != 1 {
		t.Fatalf("after tagging, --code Fear: %d hits, want 1", got.Total)
	}
	if _, err := s.Undo(ctx); err != nil {
		t.Fatal(err)
	}
	if got := find(t, ix, Query{Codes: []string{"Fear"}}); got.Total != 0 {
		t.Fatalf("after undo, --code Fear: %d hits, want 0", got.Total)
	}
	// Re-import a changed file: the new version replaces the old in the
	// index.
	if _, err := s.Import(ctx, coding.ImportFile{Path: "R1.txt", Data: []byte("Q: Why?\nA: Because of the war.\n")}); err != nil {
		t.Fatal(err)
	}
	if got := find(t, ix, Query{Text: "mobilization"}); got.Total != 0 {
		t.Errorf("the old version is still found: %+v", got.Hits)
	}
	if got := find(t, ix, Query{Text: "war"}); got.Total != 1 {
		t.Errorf("the new version: %d hits for war, want 1", got.Total)
	}
}

func TestRebuildsWhenMissingOrCorrupt(t *testing.T) {
	ctx := context.Background()
	s := newProject(t, map[string]string{"R1.txt": "Q: Why?\nA: Because of the mobilization.\n"})
	ix, st, err := Open(ctx, s, Options{})
	if err != nil || !st.Rebuilt {
		t.Fatalf("first Open = %+v, %v; want a build", st, err)
	}
	ix.Close()
	dir := filepath.Join(s.Dir(), Dir)
	ix, st, err = Open(ctx, s, Options{})
	if err != nil || st.Rebuilt {
		t.Fatalf("second Open = %+v, %v; want the index reused", st, err)
	}
	ix.Close()

	corrupt := func(name string) {
		t.Helper()
		err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
			if err == nil && !info.IsDir() && (name == "" || info.Name() == name) {
				return os.WriteFile(p, []byte("garbage, not an index"), 0o600)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name  string
		spoil func()
	}{
		{"deleted", func() { os.RemoveAll(dir) }},
		{"corrupt meta", func() { corrupt("index_meta.json") }},
		{"corrupt everything", func() { corrupt("") }},
	} {
		tc.spoil()
		ix, st, err := Open(ctx, s, Options{})
		if err != nil {
			t.Fatalf("%s: Open = %v, want a rebuild", tc.name, err)
		}
		if !st.Rebuilt || st.Reason == "" {
			t.Errorf("%s: status %+v, want rebuilt with a reason", tc.name, st)
		}
		if res, err := ix.Search(ctx, Query{Text: "mobilization"}); err != nil || res.Total != 1 {
			t.Errorf("%s: search after rebuild = %d hits, %v", tc.name, res.Total, err)
		}
		ix.Close()
	}
}

// TestReadersDoNotWaitForTheWriter holds the writer's lock, as another
// process updating the index would, and changes the store: a second Open
// and its searches answer at once, and as of the store.
func TestReadersDoNotWaitForTheWriter(t *testing.T) {
	ctx := context.Background()
	s := newProject(t, map[string]string{"R1.txt": "Q: Why?\nA: Because of the mobilization. And fear.\n"})
	openIndex(t, s)
	lock, err := lockDir(filepath.Join(s.Dir(), lockFile), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	if _, _, err := s.AddCode(ctx, coding.NewCode{Path: "Fear"}); err != nil {
		t.Fatal(err)
	}
	text, _ := s.DocumentText(ctx, 1)
	if _, _, err := s.Tag(ctx, coding.TagRequest{Doc: "R1", Code: "Fear", Spans: coding.MatchSpans(text, "And fear.")}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(ctx, coding.ImportFile{Path: "R2.txt", Data: []byte("Q: And?\nB: Fear of the war.\n")}); err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	// Wait so long that an Open waiting for the writer would not return
	// before the guard below.
	ix, _, err := Open(ctx, s, Options{Wait: 10 * time.Minute})
	if err != nil {
		t.Fatalf("second Open = %v, want it to read the last snapshot", err)
	}
	defer ix.Close()
	if got := find(t, ix, Query{Codes: []string{"Fear"}}); got.Total != 1 {
		t.Errorf("--code Fear: %d hits, want 1 (tagged before the search)", got.Total)
	}
	if got := find(t, ix, Query{Text: "fear"}); got.Total != 2 {
		t.Errorf("fear: %d hits, want 2 (one in a document imported before the search)", got.Total)
	}
	// The writer holds the lock for the whole test: an Open that waited
	// for it would never return. The guard is that, not a speed test.
	d := time.Since(t0)
	t.Logf("Open and searches took %v beside a writer", d)
	if d > 30*time.Second {
		t.Errorf("Open and searches took %v: they waited for the writer", d)
	}
	if ix.ov == nil || ix.ov.mem == nil {
		t.Errorf("the searches did not use the overlay")
	}
}

func TestAutocodeScopes(t *testing.T) {
	text := "Q: Why?\nA: First I was scared. Then the mobilization came, and I left! My brother stayed.\n\nHe is still there.\n"
	s := newProject(t, map[string]string{"R1.txt": text})
	ix := openIndex(t, s)
	stored, _ := s.DocumentText(context.Background(), 1)
	turns, _ := s.Turns(context.Background(), 1)
	res := find(t, ix, Query{Text: "mobilization"})
	if len(res.Hits) != 1 {
		t.Fatalf("%d hits", len(res.Hits))
	}
	tests := []struct{ scope, want string }{
		{ScopeMatch, "mobilization"},
		{ScopeSentence, "Then the mobilization came, and I left!"},
		{ScopeTurn, "First I was scared. Then the mobilization came, and I left! My brother stayed.\n\nHe is still there."},
	}
	for _, tc := range tests {
		sp := Spans(stored, turns, res.Hits[0], tc.scope)
		if len(sp) != 1 || coding.Slice(stored, sp[0].Start, sp[0].End) != tc.want {
			var got []string
			for _, x := range sp {
				got = append(got, coding.Slice(stored, x.Start, x.End))
			}
			t.Errorf("Spans(%s) = %q, want %q", tc.scope, got, tc.want)
		}
	}
}

func TestIndexIsPrivate(t *testing.T) {
	s := newProject(t, map[string]string{"R1.txt": "Q: Why?\nA: Because.\n"})
	openIndex(t, s)
	err := filepath.Walk(filepath.Join(s.Dir(), Dir), func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if info.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %o: readable by others", p, info.Mode().Perm())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestConcurrentOpens opens a fresh project's index from several
// goroutines at once, as the workbench's background update and a search
// may: they take turns, and only one of them builds it.
func TestConcurrentOpens(t *testing.T) {
	ctx := context.Background()
	s := newProject(t, map[string]string{"R1.txt": "Q: Why?\nA: Because of the mobilization.\n"})
	type result struct {
		st  Status
		err error
	}
	results := make(chan result, 4)
	for i := 0; i < 4; i++ {
		go func() {
			ix, st, err := Open(ctx, s, Options{Wait: 10 * time.Second})
			if err == nil {
				_, err = ix.Search(ctx, Query{Text: "mobilization"})
				ix.Close()
			}
			results <- result{st, err}
		}()
	}
	built := 0
	for i := 0; i < 4; i++ {
		r := <-results
		if r.err != nil {
			t.Fatalf("concurrent Open: %v", r.err)
		}
		if r.st.Rebuilt {
			built++
		}
	}
	if built != 1 {
		t.Errorf("the index was built %d times, want once", built)
	}
}

// TestCoderNarrowsCodeFilters checks that a coder with a code filter means
// that coder's codings of the code, not any passage with the code that the
// coder coded with something else. In the demo, pavel coded Donations four
// times and nino never did.
func TestCoderNarrowsCodeFilters(t *testing.T) {
	ctx := context.Background()
	s := demoProject(t)
	ix := openIndex(t, s)
	donations, err := s.Code(ctx, "Donations")
	if err != nil {
		t.Fatal(err)
	}
	// coded reports whether coder coded the hit's passage with Donations.
	coded := func(h Hit, coder string) bool {
		cs, err := s.Codings(ctx, coding.CodingFilter{DocID: h.DocID, CodeIDs: []int64{donations.ID}, Coder: coder})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			if c.Start < h.End && c.End > h.Start {
				return true
			}
		}
		return false
	}
	if r := find(t, ix, Query{Coder: "nino", Codes: []string{"Donations"}}); r.Total != 0 {
		t.Errorf("--coder nino --code Donations found %d passages; nino never coded Donations", r.Total)
	}
	pavel := find(t, ix, Query{Coder: "pavel", Codes: []string{"Donations"}})
	if pavel.Total == 0 {
		t.Fatal("--coder pavel --code Donations found nothing")
	}
	for _, h := range pavel.Hits {
		if !coded(h, "pavel") {
			t.Errorf("hit %s %d:%d has no Donations coding by pavel", h.Document, h.Start, h.End)
		}
	}
	notNino := find(t, ix, Query{Coder: "nino", NotCodes: []string{"Donations"}})
	for _, h := range notNino.Hits {
		if coded(h, "nino") {
			t.Errorf("--coder nino --not-code Donations kept %s %d", h.Document, h.Start)
		}
	}
	unc := find(t, ix, Query{Coder: "nino", Uncoded: true})
	if unc.Total == 0 {
		t.Fatal("--coder nino --uncoded found nothing")
	}
	codedByPavelOnly := 0
	for _, h := range unc.Hits {
		cs, err := s.Codings(ctx, coding.CodingFilter{DocID: h.DocID, Coder: "nino"})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			if c.Start < h.End && c.End > h.Start {
				t.Errorf("--coder nino --uncoded kept %s %d, which nino coded", h.Document, h.Start)
			}
		}
		if len(h.Codes) > 0 {
			codedByPavelOnly++
		}
	}
	if codedByPavelOnly == 0 {
		t.Error("--coder nino --uncoded should keep passages only pavel coded")
	}
}
