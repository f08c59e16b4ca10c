package coding

import (
	"context"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/qcode-dev/qcode/transcripts/synth"
)

// benchVersion builds a 50,000-word transcript and a copy of it with 100
// edits scattered over it (insertions, deletions, replacements, Cyrillic
// and emoji).
func benchVersion() (old, new string) {
	files := synth.Generate(synth.Options{Docs: 1, Words: 50000, Seed: 11})
	old = string(files[0].Data)
	rs := []rune(old)
	r := rand.New(rand.NewPCG(5, 6))
	ins := []string{"очень ", "[inaudible] ", "🙂", "", "ну, ", "really "}
	var es []edit
	step := len(rs) / 100
	for i := range 100 {
		at := i*step + r.IntN(step-20)
		es = append(es, edit{at, r.IntN(12), ins[i%len(ins)]})
	}
	return old, applyEdits(old, es)
}

// BenchmarkCarry replaces a 50,000-word transcript with 500 codings by a
// version with 100 scattered edits: the alignment, the carry and the
// commit, as 'qcode doc replace' does.
//
//	go test ./coding -run '^$' -bench BenchmarkCarry -benchtime 5x
func BenchmarkCarry(b *testing.B) {
	ctx := context.Background()
	old, new := benchVersion()
	n := len([]rune(old))
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s, err := Create(ctx, filepath.Join(b.TempDir(), "bench.qcode"), Options{Coder: "anna"})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.Import(ctx, ImportFile{Path: "R01.txt", Data: []byte(old)}); err != nil {
			b.Fatal(err)
		}
		r := rand.New(rand.NewPCG(8, 9))
		var spans []Span
		for range 500 {
			st := r.IntN(n - 400)
			spans = append(spans, Span{st, st + 20 + r.IntN(300)})
		}
		if _, _, err := s.Tag(ctx, TagRequest{Doc: "R01", Code: "Fear", Spans: spans, Create: true}); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res, err := s.ReplaceDocument(ctx, "R01", ImportFile{Path: "R01.txt", Data: []byte(new)}, false)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		c := res.Carry
		if c.Moved+c.Changed+c.Orphaned != 500 || c.Aligned != AlignChars {
			b.Fatalf("report %s, aligned by %s", c.Summary(), c.Aligned)
		}
		if i == 0 {
			b.Logf("%d code points, %s (aligned by %s)", n, c.Summary(), c.Aligned)
		}
		s.Close()
	}
}

// TestCarryLarge is the benchmark's case as a test: every moved coding
// of a 50,000-word transcript with 100 scattered edits keeps its text.
func TestCarryLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 50,000-word transcript")
	}
	ctx := context.Background()
	old, new := benchVersion()
	s := newProject(t, "anna")
	importText(t, s, "R01.txt", old)
	n := len([]rune(old))
	r := rand.New(rand.NewPCG(8, 9))
	var spans []Span
	for range 500 {
		st := r.IntN(n - 400)
		spans = append(spans, Span{st, st + 20 + r.IntN(300)})
	}
	if _, _, err := s.Tag(ctx, TagRequest{Doc: "R01", Code: "Fear", Spans: spans, Create: true}); err != nil {
		t.Fatal(err)
	}
	if len(cs0(t, s)) != 500 {
		t.Fatal("not 500 codings")
	}
	began := time.Now()
	res, err := s.ReplaceDocument(ctx, "R01", ImportFile{Path: "R01.txt", Data: []byte(new)}, false)
	took := time.Since(began)
	if err != nil {
		t.Fatal(err)
	}
	// The time is reported, never judged here: BenchmarkCarry measures it.
	t.Logf("%d code points, 500 codings, 100 edits: %s in %v", n, res.Carry.Summary(), took)
	d1, _ := s.Document(ctx, "R01@1", true)
	d2, _ := s.Document(ctx, "R01", true)
	cs, _ := s.Codings(ctx, CodingFilter{DocID: d2.ID})
	oldRs := []rune(d1.Text)
	changed := map[int64]bool{}
	for _, c := range res.Carry.ChangedSpans {
		changed[c.CodingID] = true
	}
	byStart := map[Span]bool{}
	for _, sp := range spans {
		byStart[sp] = true
	}
	var carried []carriedRow
	rows, _ := s.db.Query("SELECT coding_id, from_start, from_end FROM carried")
	for rows.Next() {
		var c carriedRow
		rows.Scan(&c.id, &c.from.Start, &c.from.End)
		carried = append(carried, c)
	}
	rows.Close()
	from := map[int64]Span{}
	for _, c := range carried {
		from[c.id] = c.from
	}
	for _, c := range cs {
		if changed[c.ID] {
			continue
		}
		f := from[c.ID]
		if got, want := Slice(d2.Text, c.Start, c.End), string(oldRs[f.Start:f.End]); got != want {
			t.Fatalf("coding %d moved but its text is %q, was %q", c.ID, got, want)
		}
	}
}

func cs0(t *testing.T, s *Store) []Coding {
	cs, err := s.Codings(context.Background(), CodingFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

type carriedRow struct {
	id   int64
	from Span
}

// childReplaceLoop replaces document R01 again and again with texts that
// alternate, printing "done N" after each commit; n = 0 loops until killed.
func childReplaceLoop(dir string, n int) int {
	ctx := context.Background()
	s, err := Open(ctx, dir, Options{Coder: "child"})
	if err != nil {
		return 2
	}
	base, err := s.Document(ctx, "R01", true)
	if err != nil {
		return 2
	}
	for i := 0; n == 0 || i < n; i++ {
		text := strings.Replace(base.Text, "Почему", "Почему "+strconv.Itoa(i), 1)
		if _, err := s.EditDocument(ctx, "R01", text, false); err != nil {
			os.Stderr.WriteString("edit: " + err.Error() + "\n")
			return 3
		}
		os.Stdout.WriteString("done " + strconv.Itoa(i) + "\n")
	}
	return 0
}

// TestKilledMidReplace kills a process that makes new versions as fast as
// it can, and checks that the project holds whole versions: every
// version's codings sit inside its text, each coding is on exactly one
// version, and the history can undo the last replacement.
func TestKilledMidReplace(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	dir := projectForChild(t)
	ctx := context.Background()
	s, err := Open(ctx, dir, Options{Coder: "anna"})
	if err != nil {
		t.Fatal(err)
	}
	text, _ := s.Document(ctx, "R01", true)
	var spans []Span
	for i := 0; i+30 < text.Length; i += 97 {
		spans = append(spans, Span{i, i + 30})
	}
	if _, _, err := s.Tag(ctx, TagRequest{Doc: "R01", Code: "Fear", Spans: spans}); err != nil {
		t.Fatal(err)
	}
	s.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "QCODE_TEST_REPLACE_CHILD="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 4096)
	var seen strings.Builder
	for strings.Count(seen.String(), "done") < 15 {
		k, err := out.Read(buf)
		if err != nil {
			t.Fatalf("child stopped early: %v (%s)", err, seen.String())
		}
		seen.Write(buf[:k])
	}
	time.Sleep(time.Duration(rand.IntN(20)) * time.Millisecond)
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()

	s, err = Open(ctx, dir, Options{Coder: "child"})
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer s.Close()
	var check string
	if err := s.db.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v", check, err)
	}
	docs, _ := s.Documents(ctx, true)
	if len(docs) < 16 {
		t.Fatalf("%d versions after %d reported replacements", len(docs), strings.Count(seen.String(), "done"))
	}
	latest := docs[len(docs)-1]
	cs, _ := s.Codings(ctx, CodingFilter{})
	if len(cs) != len(spans) {
		t.Fatalf("%d codings after the kill, want %d", len(cs), len(spans))
	}
	for _, c := range cs {
		if c.DocID != latest.ID || c.End > latest.Length {
			t.Fatalf("coding %+v is not on the latest version %d (length %d)", c, latest.ID, latest.Length)
		}
	}
	var turns, speakers int
	s.db.QueryRow("SELECT count(*) FROM turns WHERE doc_id = ?", latest.ID).Scan(&turns)
	s.db.QueryRow("SELECT count(*) FROM speakers WHERE doc_id = ?", latest.ID).Scan(&speakers)
	if turns == 0 || speakers == 0 {
		t.Fatalf("the latest version has %d turns and %d speakers", turns, speakers)
	}
	if _, err := s.Undo(ctx); err != nil {
		t.Fatalf("undo of the last replacement after the kill: %v", err)
	}
	cs, _ = s.Codings(ctx, CodingFilter{})
	for _, c := range cs {
		if c.DocID != docs[len(docs)-2].ID {
			t.Fatalf("after undo, coding %+v is not on version %d", c, docs[len(docs)-2].Version)
		}
	}
}
