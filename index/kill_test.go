package index

import (
	"context"
	"os"
	"os/exec"
	"reflect"
	"syscall"
	"testing"
	"time"

	"github.com/qcode-dev/qcode/coding"
	"github.com/qcode-dev/qcode/transcripts/synth"
)

// TestReindexChild rebuilds the index of the project named by
// QCODE_REINDEX_CHILD, over and over; TestKilledMidReindex kills it.
func TestReindexChild(t *testing.T) {
	dir := os.Getenv("QCODE_REINDEX_CHILD")
	if dir == "" {
		t.Skip("run by TestKilledMidReindex")
	}
	ctx := context.Background()
	s, err := coding.Open(ctx, dir, coding.Options{Coder: "child"})
	if err != nil {
		t.Fatal(err)
	}
	for {
		ix, _, err := Rebuild(ctx, s, Options{Wait: time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		ix.Close()
	}
}

// TestKilledMidReindex kills a process while it rebuilds the index and
// checks that the next process opens an index whose answers equal a
// fresh one's.
func TestKilledMidReindex(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	ctx := context.Background()
	s := demoProject(t)
	for _, f := range synth.Generate(synth.Options{Docs: 20, Words: 200_000, Seed: 3}) {
		if _, err := s.Import(ctx, coding.ImportFile{Path: f.Name, Data: f.Data}); err != nil {
			t.Fatal(err)
		}
	}
	ix, _, err := Open(ctx, s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	qs := probeQueries(t, ix)
	want := answers(t, ix, qs)
	ix.Close()

	for round, after := range []time.Duration{150 * time.Millisecond, 600 * time.Millisecond, 1500 * time.Millisecond} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestReindexChild$")
		cmd.Env = append(os.Environ(), "QCODE_REINDEX_CHILD="+s.Dir())
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(after)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()

		ix, _, err := Open(ctx, s, Options{})
		if err != nil {
			t.Fatalf("round %d: open after a kill mid-reindex: %v", round, err)
		}
		if got := answers(t, ix, qs); !reflect.DeepEqual(got, want) {
			t.Errorf("round %d: after a kill mid-reindex the answers differ from a fresh index's:\n%v\nwant\n%v", round, got, want)
		}
		ix.Close()
	}
}

// A document called "1" does not stand in for the document whose id is
// 1 when the index reads the store.
func TestDocumentNamedLikeAnID(t *testing.T) {
	ctx := context.Background()
	s, err := coding.Create(ctx, t.TempDir()+"/n.qcode", coding.Options{Coder: "anna"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, f := range []struct{ name, text string }{{"R01.txt", "Q: Alpha?\nA: Alpha indeed.\n"}, {"1.txt", "Q: Beta?\nA: Beta indeed.\n"}} {
		if _, err := s.Import(ctx, coding.ImportFile{Path: f.name, Data: []byte(f.text)}); err != nil {
			t.Fatal(err)
		}
	}
	ix, _, err := Open(ctx, s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for word, doc := range map[string]string{"alpha": "R01", "beta": "1"} {
		res, err := ix.Search(ctx, Query{Text: word})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) == 0 || res.Hits[0].Document != doc {
			t.Errorf("search %s = %+v, want hits in %s", word, res.Hits, doc)
		}
	}
}
