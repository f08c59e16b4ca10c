package coding

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// sentence returns the i-th sentence of a generated transcript: unique
// (it holds its number), in Russian or English, some with emoji.
func sentence(i int) string {
	switch i % 4 {
	case 0:
		return fmt.Sprintf("Мы уехали в марте, сказала она (%d). ", i)
	case 1:
		return fmt.Sprintf("I was afraid of the mobilisation 🙂 number %d. ", i)
	case 2:
		return fmt.Sprintf("Родители остались в Москве 👨‍👩‍👧 и звонят каждый день, раз %d. ", i)
	}
	return fmt.Sprintf("We talk about flowers and never about the war, time %d. ", i)
}

// genText builds a transcript of n sentences, a paragraph of three each.
func genText(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i%3 == 0 {
			if i > 0 {
				b.WriteString("\n")
			}
			if i%2 == 0 {
				b.WriteString("Интервьюер: ")
			} else {
				b.WriteString("A: ")
			}
		}
		b.WriteString(sentence(i))
	}
	b.WriteString("\n")
	return b.String()
}

// edit is one change to a text in code points: old[at:at+del] becomes ins.
type edit struct {
	at, del int
	ins     string
}

func applyEdits(text string, es []edit) string {
	rs := []rune(text)
	// Apply from the end so positions stay valid.
	for i := len(es) - 1; i >= 0; i-- {
		e := es[i]
		rs = append(rs[:e.at], append([]rune(e.ins), rs[e.at+e.del:]...)...)
	}
	return string(rs)
}

// checkCarry checks the invariants of carrying spans across old → new:
// every span is moved (same text), changed (an edit inside, reported
// with both texts) or orphaned (none of its text left); and a span far
// from every edit point is moved, to where the edits put it.
func checkCarry(t *testing.T, old, new string, spans []Span, es []edit) {
	t.Helper()
	al := align(old, new)
	oldRs, newRs := []rune(old), []rune(new)
	for _, sp := range spans {
		c := al.carrySpan(sp.Start, sp.End)
		oldText := string(oldRs[sp.Start:sp.End])
		if c.old != oldText {
			t.Fatalf("span %s: old text %q, want %q", sp, c.old, oldText)
		}
		switch c.status {
		case CarryMoved, CarryChanged:
			if c.to.Start < 0 || c.to.End > len(newRs) || c.to.Start >= c.to.End {
				t.Fatalf("span %s carried to %s, outside the new text (0:%d)", sp, c.to, len(newRs))
			}
			got := string(newRs[c.to.Start:c.to.End])
			if got != c.new {
				t.Fatalf("span %s: reported new text %q, but %s holds %q", sp, c.new, c.to, got)
			}
			if c.status == CarryMoved && got != oldText {
				t.Fatalf("span %s moved to %s: text %q, was %q", sp, c.to, got, oldText)
			}
			if c.status == CarryChanged && got == oldText {
				t.Fatalf("span %s marked changed but its text %q is the same", sp, got)
			}
		case CarryOrphaned:
			if al.survives(sp.Start, sp.End) {
				t.Fatalf("span %s orphaned though some of its text is left", sp)
			}
		default:
			t.Fatalf("span %s: status %q", sp, c.status)
		}
		if es == nil {
			continue
		}
		// Far from every edit: moved by the edits before it.
		far, shift := true, 0
		for _, e := range es {
			if sp.End+20 > e.at && sp.Start < e.at+e.del+20 {
				far = false
			}
			if e.at+e.del <= sp.Start {
				shift += len([]rune(e.ins)) - e.del
			}
		}
		if far && (c.status != CarryMoved || c.to != (Span{sp.Start + shift, sp.End + shift})) {
			t.Errorf("span %s %q far from the edits: %s to %s, want moved to %d:%d", sp, oldText, c.status, c.to, sp.Start+shift, sp.End+shift)
		}
	}
}

// everySpan returns spans of many lengths all over a text of n code points.
func everySpan(n int, r *rand.Rand, k int) []Span {
	var out []Span
	for range k {
		s := r.IntN(n - 1)
		e := s + 1 + r.IntN(min(120, n-s-1)+1)
		out = append(out, Span{s, min(e, n)})
	}
	return out
}

func TestCarrySpans(t *testing.T) {
	old := genText(60)
	n := len([]rune(old))
	r := rand.New(rand.NewPCG(1, 2))
	spans := everySpan(n, r, 400)
	para := strings.Index(old, "\n") + 1 // the second paragraph, in bytes
	paraEnd := para + strings.Index(old[para:], "\n") + 1
	pStart, pEnd := RuneOffset(old, para), RuneOffset(old, paraEnd)
	moved := old[:para] + old[paraEnd:] + old[para:paraEnd]
	for _, tc := range []struct {
		name string
		es   []edit
	}{
		{"insert word", []edit{{300, 0, "очень "}}},
		{"insert emoji", []edit{{301, 0, "🇬🇪"}}},
		{"delete word", []edit{{500, 7, ""}}},
		{"replace Cyrillic", []edit{{700, 5, "Тбилиси"}}},
		{"replace with emoji", []edit{{900, 3, "😢😢"}}},
		{"scattered", []edit{{10, 0, "[inaudible] "}, {400, 4, ""}, {800, 2, "ё"}, {1500, 10, "—"}, {2500, 0, "\n"}}},
		{"delete sentence", []edit{{1200, 60, ""}}},
		{"at start", []edit{{0, 3, "Q: "}}},
		{"at end", []edit{{n - 1, 1, " конец.\n"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkCarry(t, old, applyEdits(old, tc.es), spans, tc.es)
		})
	}
	t.Run("moved paragraph", func(t *testing.T) {
		checkCarry(t, old, moved, spans, nil)
		al := align(old, moved)
		for _, sp := range []Span{{pStart, pEnd}, {pStart + 12, pEnd - 2}} {
			c := al.carrySpan(sp.Start, sp.End)
			if c.status != CarryMoved {
				t.Errorf("span %s in the moved paragraph: %s, want moved", sp, c.status)
			}
		}
	})
}

// TestCarryTimeout forces the line-then-character fallback and checks it
// gives the same invariants.
func TestCarryTimeout(t *testing.T) {
	was := AlignTimeout
	defer func() { AlignTimeout = was }()
	AlignTimeout = 1 // a nanosecond: always runs out
	old := genText(90)
	es := []edit{{50, 0, "очень "}, {700, 5, "Тбилиси"}, {1600, 30, ""}, {2600, 1, "🙂"}}
	new := applyEdits(old, es)
	if al := align(old, new); al.method != AlignLines {
		t.Fatalf("aligned by %s, want %s", al.method, AlignLines)
	}
	checkCarry(t, old, new, everySpan(len([]rune(old)), rand.New(rand.NewPCG(3, 4)), 300), es)
}

// FuzzCarry makes random edits to a transcript and checks the carry
// invariants for spans all over it.
func FuzzCarry(f *testing.F) {
	f.Add(uint64(1), 3, "очень ", 5)
	f.Add(uint64(2), 0, "🙂", 0)
	f.Add(uint64(3), 10, "", 40)
	f.Add(uint64(4), 1, "\n", 1)
	f.Fuzz(func(t *testing.T, seed uint64, k int, ins string, del int) {
		if !utfValid(ins) || len(ins) > 200 {
			return
		}
		r := rand.New(rand.NewPCG(seed, 7))
		old := genText(12 + int(seed%20))
		n := len([]rune(old))
		k = 1 + max(k, -k, 0)%6
		var es []edit
		at := 0
		for i := 0; i < k && at < n; i++ {
			at += r.IntN(max(1, n/k))
			if at > n {
				break
			}
			d := min(max(del+i, -(del+i), 0)%50, n-at)
			s := ins
			if i%2 == 1 {
				s = string([]rune(sentence(r.IntN(100)))[:r.IntN(10)])
			}
			es = append(es, edit{at, d, s})
			at += d
		}
		new := applyEdits(old, es)
		checkCarry(t, old, new, everySpan(n, r, 60), nil)
	})
}

func utfValid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

// dumpVersions returns every table a replacement touches, for comparing
// states before and after undo.
func dumpVersions(t *testing.T, s *Store) string {
	t.Helper()
	var b strings.Builder
	for _, tbl := range []string{"documents", "turns", "anchors", "speakers", "attributes", "cases", "case_attributes",
		"codes", "codings", "memos", "carried", "document_origins", "coders"} {
		rows, err := s.db.Query("SELECT * FROM " + tbl + " ORDER BY 1, 2")
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%s %v\n", tbl, vals)
		}
		rows.Close()
	}
	return b.String()
}

const r01 = `Интервьюер: Почему вы уехали? 🙂
Анна: Из-за мобилизации. Я боялась за брата, он мог попасть под призыв.
Интервьюер: А родители?
Анна: Родители остались в Москве. We talk about flowers, never about the war.
Интервьюер: Как вы помогаете?
Анна: Я перевожу деньги на фонды каждый месяц и волонтёрю в Тбилиси.
`

func codeText(t *testing.T, s *Store, doc, code, text string) Coding {
	t.Helper()
	d, err := s.Document(context.Background(), doc, true)
	if err != nil {
		t.Fatal(err)
	}
	spans := MatchSpans(d.Text, text)
	if len(spans) != 1 {
		t.Fatalf("%q occurs %d times in %s", text, len(spans), doc)
	}
	cs, _, err := s.Tag(context.Background(), TagRequest{Doc: doc, Code: code, Spans: spans, Create: true})
	if err != nil {
		t.Fatal(err)
	}
	return cs[0]
}

// TestReplaceCarries replaces a coded document and checks each kind of
// carry, the report, the store, quote ids, dry runs and undo.
func TestReplaceCarries(t *testing.T) {
	ctx := context.Background()
	s := newProject(t, "anna")
	importText(t, s, "R01.txt", r01)
	moved := codeText(t, s, "R01", "Fear", "Я боялась за брата")
	changed := codeText(t, s, "R01", "Family", "Родители остались в Москве. We talk about flowers")
	orphan := codeText(t, s, "R01", "Help", "волонтёрю в Тбилиси")
	memoed := codeText(t, s, "R01", "Reasons", "Из-за мобилизации")
	if _, _, err := s.AddMemo(ctx, TargetDocument, "R01", "Interview in a café"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.AddMemo(ctx, TargetCoding, fmt.Sprint(memoed.ID), "key reason"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetAttributes(ctx, "R01", []Attribute{{Key: "age", Value: "30"}}); err != nil {
		t.Fatal(err)
	}
	d1, _ := s.Document(ctx, "R01", true)
	oldQuote := QuoteID(d1.GUID, changed.Start, changed.End)
	movedQuote := QuoteID(d1.GUID, moved.Start, moved.End)

	newText := strings.NewReplacer(
		"Почему вы уехали?", "[пауза] Почему вы уехали из России?",
		"Родители остались в Москве. We", "Родители остались в Санкт-Петербурге. We",
		" и волонтёрю в Тбилиси", "",
	).Replace(r01)
	before := dumpVersions(t, s)

	dry, err := s.ReplaceDocument(ctx, "R01", ImportFile{Path: "fixed.txt", Data: []byte(newText)}, true)
	if err != nil {
		t.Fatal(err)
	}
	if dry.Carry == nil || !dry.Carry.DryRun || dry.Carry.Moved != 2 || dry.Carry.Changed != 1 || dry.Carry.Orphaned != 1 {
		t.Fatalf("dry run report = %+v", dry.Carry)
	}
	if dumpVersions(t, s) != before {
		t.Fatal("a dry run changed the store")
	}

	res, err := s.ReplaceDocument(ctx, "R01", ImportFile{Path: "fixed.txt", Data: []byte(newText)}, false)
	if err != nil {
		t.Fatal(err)
	}
	rep := res.Carry
	if res.Status != NewVersion || res.Document.Version != 2 || rep.Moved != 2 || rep.Changed != 1 || rep.Orphaned != 1 || rep.Memos != 1 {
		t.Fatalf("replace = %s v%d %+v", res.Status, res.Document.Version, rep)
	}
	if rep.Summary() != "2 codings moved, 1 changed, 1 orphaned" {
		t.Errorf("summary %q", rep.Summary())
	}
	if c := rep.ChangedSpans[0]; c.CodingID != changed.ID || c.OldText != "Родители остались в Москве. We talk about flowers" ||
		c.NewText != "Родители остались в Санкт-Петербурге. We talk about flowers" {
		t.Errorf("changed span %+v", c)
	}
	if o := rep.Orphans[0]; o.CodingID != orphan.ID || o.OldText != "волонтёрю в Тбилиси" {
		t.Errorf("orphan %+v", o)
	}
	d2, _ := s.Document(ctx, "R01", true)
	cs, _ := s.Codings(ctx, CodingFilter{DocID: d2.ID})
	if len(cs) != 3 {
		t.Fatalf("version 2 has %d codings, want 3", len(cs))
	}
	for _, c := range cs {
		if c.ID == moved.ID && Slice(d2.Text, c.Start, c.End) != "Я боялась за брата" || c.ID == moved.ID && c.GUID != moved.GUID {
			t.Errorf("moved coding %+v: %q", c, Slice(d2.Text, c.Start, c.End))
		}
	}
	var memoOn int64
	s.db.QueryRow("SELECT target_id FROM memos WHERE target = 'document'").Scan(&memoOn)
	if memoOn != d2.ID {
		t.Errorf("document memo on %d, want version 2 (%d)", memoOn, d2.ID)
	}
	if attrValue(d2.Attributes, "age") != "30" {
		t.Errorf("version 2 attributes %+v", d2.Attributes)
	}
	orphans, err := s.Orphans(ctx, "R01")
	if err != nil || len(orphans) != 1 || orphans[0].ID != orphan.ID || orphans[0].Version != 1 || orphans[0].Text != "волонтёрю в Тбилиси" {
		t.Fatalf("Orphans = %+v, %v", orphans, err)
	}

	// Quote ids of the old passages still find them.
	p, err := s.FindQuote(ctx, oldQuote, "")
	if err != nil || p.Document.Version != 2 || p.Text != "Родители остались в Санкт-Петербурге. We talk about flowers" || !strings.HasPrefix(p.Carried, "changed") {
		t.Errorf("FindQuote(old id of the changed span) = %+v, %v", p.Carried, err)
	}
	p, err = s.FindQuote(ctx, movedQuote, "")
	if err != nil || p.Document.Version != 2 || p.Text != "Я боялась за брата" || p.Carried != fmt.Sprintf("moved from R01@1 %d:%d", moved.Start, moved.End) {
		t.Errorf("FindQuote(old id of the moved span) = %q %q, %v", p.Carried, p.Text, err)
	}

	// One action; undo gives back exactly the state before, redo the one after.
	after := dumpVersions(t, s)
	op, err := s.Undo(ctx)
	if err != nil || !strings.Contains(op.Label, "R01 (version 2)") {
		t.Fatalf("undo = %+v, %v", op, err)
	}
	if got := dumpVersions(t, s); got != before {
		t.Fatalf("undo did not restore the state before the replacement:\n%s\nwant\n%s", got, before)
	}
	if _, err := s.Redo(ctx); err != nil {
		t.Fatal(err)
	}
	if got := dumpVersions(t, s); got != after {
		t.Fatalf("redo did not restore the replacement:\n%s\nwant\n%s", got, after)
	}

	// The same text again is nothing to do.
	again, err := s.ReplaceDocument(ctx, "R01", ImportFile{Path: "fixed.txt", Data: []byte(newText)}, false)
	if err != nil || again.Status != Unchanged {
		t.Errorf("replace with the same text = %s, %v", again.Status, err)
	}
}

// TestImportNewVersionCarries imports a changed file over a document and
// undoes it and the first import.
func TestImportNewVersionCarries(t *testing.T) {
	ctx := context.Background()
	s := newProject(t, "anna")
	empty := dumpVersions(t, s)
	importText(t, s, "R01.txt", r01)
	codeText(t, s, "R01", "Fear", "Я боялась за брата")
	before := dumpVersions(t, s)
	res, err := s.Import(ctx, ImportFile{Path: "R01.txt", Data: []byte(strings.Replace(r01, "брата", "младшего брата", 1))})
	if err != nil || res.Status != NewVersion || res.Carry == nil || res.Carry.Changed != 1 {
		t.Fatalf("import of a changed file = %+v, %v", res.Carry, err)
	}
	if _, err := s.Undo(ctx); err != nil {
		t.Fatal(err)
	}
	if dumpVersions(t, s) != before {
		t.Fatal("undo of a new version's import left a difference")
	}
	if _, err := s.Undo(ctx); err != nil { // the tag (and its new code)
		t.Fatal(err)
	}
	if _, err := s.Undo(ctx); err != nil { // the import
		t.Fatal(err)
	}
	var docs int
	s.db.QueryRow("SELECT count(*) FROM documents").Scan(&docs)
	got := dumpVersions(t, s)
	if docs != 0 || strings.Count(got, "\n") != strings.Count(empty, "\n")+1 { // + the coder
		t.Fatalf("undo of the import left:\n%s", got)
	}
}

// TestEditDocument edits a text as `doc edit` does.
func TestEditDocument(t *testing.T) {
	ctx := context.Background()
	s := newProject(t, "anna")
	importText(t, s, "R01.txt", r01)
	codeText(t, s, "R01", "Fear", "Я боялась за брата")
	d, _ := s.Document(ctx, "R01", true)
	res, err := s.EditDocument(ctx, "R01", d.Text, false)
	if err != nil || res.Status != Unchanged {
		t.Fatalf("edit without change = %s, %v", res.Status, err)
	}
	res, err = s.EditDocument(ctx, "R01", strings.Replace(d.Text, "Почему", "Скажите, почему", 1), false)
	if err != nil || res.Status != NewVersion || res.Carry.Moved != 1 || res.Document.Format != "txt" || res.Document.Turns != 6 {
		t.Fatalf("edit = %+v %+v, %v", res.Document, res.Carry, err)
	}
	sp, _ := s.Speakers(ctx, "R01")
	if len(sp) != 2 {
		t.Errorf("speakers after edit: %+v", sp)
	}
}
