package coding

import (
	"bufio"
	"context"
	"errors"
	"fmt"
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

// TestMain lets the test binary act as a second qcode process: with
// QCODE_TEST_CHILD set it tags in a loop and reports each committed
// coding on stdout.
func TestMain(m *testing.M) {
	if dir := os.Getenv("QCODE_TEST_CHILD"); dir != "" {
		n, _ := strconv.Atoi(os.Getenv("QCODE_TEST_CHILD_N"))
		os.Exit(childTagLoop(dir, n))
	}
	if dir := os.Getenv("QCODE_TEST_IMPORT_CHILD"); dir != "" {
		os.Exit(childImportKilled(dir))
	}
	if dir := os.Getenv("QCODE_TEST_MERGE_CHILD"); dir != "" {
		os.Exit(childMergeLoop(dir, os.Getenv("QCODE_TEST_MERGE_FROM")))
	}
	if dir := os.Getenv("QCODE_TEST_REPLACE_CHILD"); dir != "" {
		os.Exit(childReplaceLoop(dir, 0))
	}
	os.Exit(m.Run())
}

// childTagLoop tags one-character spans of document R01 with code Fear,
// printing "done START" after each commit; n = 0 loops until killed.
func childTagLoop(dir string, n int) int {
	ctx := context.Background()
	s, err := Open(ctx, dir, Options{Coder: "child"})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	d, err := s.Document(ctx, "R01", false)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	w := bufio.NewWriter(os.Stdout)
	for i := 0; n == 0 || i < n; i++ {
		start := i % (d.Length - 1)
		if _, _, err := s.Tag(ctx, TagRequest{Doc: "R01", Code: "Fear", Spans: []Span{{start, start + 1 + i/(d.Length-1)}}}); err != nil {
			fmt.Fprintln(os.Stderr, "tag:", err)
			return 3
		}
		fmt.Fprintf(w, "done %d\n", i)
		w.Flush()
	}
	return 0
}

func startChild(t *testing.T, dir string, n int) (*exec.Cmd, *bufio.Scanner) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "QCODE_TEST_CHILD="+dir, "QCODE_TEST_CHILD_N="+strconv.Itoa(n))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	t.Cleanup(func() {
		if t.Failed() && stderr.Len() > 0 {
			t.Logf("child stderr: %s", stderr.String())
		}
	})
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, bufio.NewScanner(out)
}

func projectForChild(t *testing.T) string {
	t.Helper()
	s := newProject(t, "anna")
	importText(t, s, "R01.txt", strings.Repeat("Q: Почему вы уехали? 🙂\nA: Because of the mobilization, and fear.\n", 50))
	if _, _, err := s.AddCode(context.Background(), NewCode{Path: "Fear"}); err != nil {
		t.Fatal(err)
	}
	dir := s.Dir()
	s.Close()
	return dir
}

// TestKilledMidWrite kills a process that is tagging as fast as it can and
// checks that the project is intact and holds every coding the process
// reported done.
func TestKilledMidWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	dir := projectForChild(t)
	cmd, lines := startChild(t, dir, 0)
	reported := 0
	for lines.Scan() {
		if strings.HasPrefix(lines.Text(), "done ") {
			reported++
		}
		if reported == 300 {
			break
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	// Lines written before the kill landed are also reports of commits.
	for lines.Scan() {
		if strings.HasPrefix(lines.Text(), "done ") {
			reported++
		}
	}
	cmd.Wait()
	if reported < 300 {
		t.Fatalf("child reported only %d codings before dying", reported)
	}

	ctx := context.Background()
	s, err := Open(ctx, dir, Options{Coder: "anna"})
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer s.Close()
	var check string
	if err := s.db.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v", check, err)
	}
	cs, err := s.Codings(ctx, CodingFilter{Coder: "child"})
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) < reported {
		t.Fatalf("%d codings stored, but the child reported %d done", len(cs), reported)
	}
	// And the history is whole: every stored coding can be undone.
	var ops int
	s.db.QueryRow("SELECT count(*) FROM ops o JOIN coders c ON c.id = o.coder_id WHERE c.name = 'child'").Scan(&ops)
	if ops != len(cs) {
		t.Errorf("%d ops recorded for %d codings", ops, len(cs))
	}
}

// TestTwoProcesses runs an import of many files here while another process
// tags: both finish, neither corrupts the other's work.
func TestTwoProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	dir := projectForChild(t)
	cmd, lines := startChild(t, dir, 400)
	ctx := context.Background()
	s, err := Open(ctx, dir, Options{Coder: "anna"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	files := synth.Generate(synth.Options{Docs: 40, Words: 200000, Seed: 7})
	for _, f := range files {
		if _, err := s.Import(ctx, ImportFile{Path: f.Name, Data: f.Data}); err != nil {
			t.Fatalf("import while another process tags: %v", err)
		}
	}
	done := 0
	for lines.Scan() {
		done++
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("tagging process failed: %v", err)
	}
	if done != 400 {
		t.Fatalf("tagging process reported %d codings, want 400", done)
	}
	docs, _ := s.Documents(ctx, false)
	cs, _ := s.Codings(ctx, CodingFilter{})
	if len(docs) != 41 || len(cs) != 400 {
		t.Errorf("after both: %d documents, %d codings; want 41 and 400", len(docs), len(cs))
	}
}

// TestBusy holds the write lock in one connection and checks that a second
// writer waits for it when it is released in time, and fails with a clear
// ErrBusy when it is not.
func TestBusy(t *testing.T) {
	ctx := context.Background()
	dir := projectForChild(t)
	holder, err := Open(ctx, dir, Options{Coder: "holder"})
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	impatient, err := Open(ctx, dir, Options{Coder: "anna", BusyTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer impatient.Close()
	patient, err := Open(ctx, dir, Options{Coder: "boris"})
	if err != nil {
		t.Fatal(err)
	}
	defer patient.Close()

	tx, err := holder.db.BeginTx(ctx, nil) // immediate: takes the write lock
	if err != nil {
		t.Fatal(err)
	}
	before := dump(t, patient)
	_, _, err = impatient.Tag(ctx, TagRequest{Doc: "R01", Code: "Fear", Spans: []Span{{0, 3}}})
	if !errors.Is(err, ErrBusy) || !strings.Contains(err.Error(), "busy") {
		t.Fatalf("Tag while another holds the lock = %v, want ErrBusy", err)
	}
	if dump(t, patient) != before {
		t.Fatal("a busy failure changed the project")
	}
	release := make(chan struct{})
	go func() {
		<-release
		time.Sleep(50 * time.Millisecond)
		tx.Rollback()
	}()
	close(release)
	if _, _, err := patient.Tag(ctx, TagRequest{Doc: "R01", Code: "Fear", Spans: []Span{{0, 3}}}); err != nil {
		t.Fatalf("Tag waiting for the lock = %v, want success", err)
	}
	if _, err := os.Stat(filepath.Join(dir, DBFile)); err != nil {
		t.Fatal(err)
	}
}
