package coding

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// childMergeLoop merges the project at from into dir, undoes the merge,
// and again, printing "merged N" after each committed merge, until it is
// killed.
func childMergeLoop(dir, from string) int {
	ctx := context.Background()
	s, err := Open(ctx, dir, Options{Coder: "child"})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	snap, err := ReadSnapshot(ctx, from)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	w := bufio.NewWriter(os.Stdout)
	for i := 0; ; i++ {
		if _, _, err := s.Merge(ctx, snap, MergeOptions{}); err != nil {
			fmt.Fprintln(os.Stderr, "merge:", err)
			return 3
		}
		fmt.Fprintf(w, "merged %d\n", i)
		w.Flush()
		if _, err := s.Undo(ctx); err != nil {
			fmt.Fprintln(os.Stderr, "undo:", err)
			return 3
		}
	}
}

// TestKilledMidMerge kills a process that merges a project of 30
// transcripts and undoes the merge, over and over, at a random moment,
// and checks that the project holds either all of the merge or none of
// it, and that the next merge works.
func TestKilledMidMerge(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	ctx := context.Background()
	other := newProject(t, "pavel")
	for i := range 30 {
		importText(t, other, fmt.Sprintf("P%02d.txt", i), strings.Repeat(fmt.Sprintf("Q: Вопрос %d?\nA: Ответ про отъезд, номер %d.\n", i, i), 200))
	}
	if _, _, err := other.AddCode(ctx, NewCode{Path: "Fear"}); err != nil {
		t.Fatal(err)
	}
	for i := range 30 {
		if _, _, err := other.Tag(ctx, TagRequest{Doc: fmt.Sprintf("P%02d", i), Code: "Fear", Spans: []Span{{3, 12}}}); err != nil {
			t.Fatal(err)
		}
	}
	from := other.Dir()
	other.Close()
	dir := projectForChild(t)

	for round, wait := range []time.Duration{30 * time.Millisecond, 170 * time.Millisecond, 400 * time.Millisecond} {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "QCODE_TEST_MERGE_CHILD="+dir, "QCODE_TEST_MERGE_FROM="+from)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := bufio.NewScanner(out)
		// Let it merge once, then kill it a little later: in the middle
		// of a merge or an undo.
		if !lines.Scan() {
			cmd.Wait()
			t.Fatalf("round %d: the child merged nothing: %s", round, stderr.String())
		}
		time.Sleep(wait)
		cmd.Process.Signal(syscall.SIGKILL)
		for lines.Scan() {
		}
		cmd.Wait()

		s, err := Open(ctx, dir, Options{Coder: "child"})
		if err != nil {
			t.Fatalf("round %d: reopen after kill: %v", round, err)
		}
		var check string
		if err := s.db.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
			t.Fatalf("round %d: integrity_check = %q, %v", round, check, err)
		}
		docs, err := s.Documents(ctx, true)
		if err != nil {
			t.Fatal(err)
		}
		var codings int
		s.db.QueryRow("SELECT count(*) FROM codings c JOIN documents d ON d.id = c.doc_id WHERE d.name LIKE 'P%'").Scan(&codings)
		switch {
		case len(docs) == 1 && codings == 0: // none of the merge
		case len(docs) == 31 && codings == 30: // all of it
		default:
			t.Fatalf("round %d: after the kill %d documents and %d merged codings: half a merge", round, len(docs), codings)
		}
		// Every original the project names is there.
		for _, d := range docs {
			if _, err := os.Stat(filepath.Join(dir, SourcesDir, d.Source)); err != nil {
				t.Errorf("round %d: %s: its original %s is missing: %v", round, d.Name, d.Source, err)
			}
		}
		// Take the merge back if it is there, so the next round starts
		// from the same project.
		if len(docs) == 31 {
			if _, err := s.Undo(ctx); err != nil {
				t.Fatalf("round %d: undo of the merge the kill left: %v", round, err)
			}
		}
		s.Close()
	}
}
