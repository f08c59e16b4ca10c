package coding

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// killedImportText is what the killed child imports as int_105.txt.
var killedImportText = strings.Repeat("I: Where did you go first?\nR: To Tbilisi, in September.\n", 30)

// childImportKilled imports int_105.txt into the project dir and, once
// its original is in sources/ but before the commit, says so and waits
// to be killed.
func childImportKilled(dir string) int {
	ctx := context.Background()
	s, err := Open(ctx, dir, Options{Coder: "child"})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	testHookSourceWritten = func(source string) {
		fmt.Printf("written %s\n", source)
		select {} // until killed
	}
	_, err = s.Import(ctx, ImportFile{Path: "int_105.txt", Data: []byte(killedImportText)})
	fmt.Fprintln(os.Stderr, "import returned:", err)
	return 3
}

func sourceFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dir, SourcesDir))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() {
			out = append(out, e.Name())
		}
	}
	return out
}

// TestKilledImportLeavesNoDebris kills an import after it wrote the
// original into sources/ and before it committed: the file no document
// names must be gone once the project is opened for writing again, and
// importing the file again must store it under its own name, not beside
// the debris as int_105.v1-2.txt.
func TestKilledImportLeavesNoDebris(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	ctx := context.Background()
	s := newProject(t, "anna")
	importText(t, s, "R01.txt", "I: Hello?\nR: Hi.\n")
	dir := s.Dir()
	s.Close()
	// An undone import's original, shelved by undo, is no debris.
	s, err := Open(ctx, dir, Options{Coder: "anna"})
	if err != nil {
		t.Fatal(err)
	}
	importText(t, s, "R02.txt", "I: And you?\nR: Yerevan.\n")
	if _, err := s.Undo(ctx); err != nil {
		t.Fatal(err)
	}
	s.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "QCODE_TEST_IMPORT_CHILD="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(out)
	if !lines.Scan() || !strings.HasPrefix(lines.Text(), "written ") {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("child said %q, stderr %q; want the source it wrote", lines.Text(), stderr.String())
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if got := sourceFiles(t, dir); !slices.Contains(got, "int_105.txt") {
		t.Fatalf("sources/ after the kill holds %q; the test expects the killed import's int_105.txt there", got)
	}

	s, err = Open(ctx, dir, Options{Coder: "anna"})
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer s.Close()
	if got, want := sourceFiles(t, dir), []string{"R01.txt"}; !slices.Equal(got, want) {
		t.Errorf("sources/ after reopening holds %q; want %q (the killed import's file removed)", got, want)
	}
	if _, err := os.Stat(filepath.Join(dir, SourcesDir, undoneDir, "R02.txt")); err != nil {
		t.Errorf("the undone import's original was not kept in sources/.undone: %v", err)
	}
	d := importText(t, s, "int_105.txt", killedImportText)
	if d.Source != "int_105.txt" || d.Version != 1 {
		t.Errorf("re-import stored %s version %d; want int_105.txt, version 1", d.Source, d.Version)
	}
	if got, want := sourceFiles(t, dir), []string{"R01.txt", "int_105.txt"}; !slices.Equal(got, want) {
		t.Errorf("sources/ at the end holds %q; want %q", got, want)
	}
}

// TestSweepKeepsHistory leaves in sources/ an original only the history
// names (an undo killed before it shelved it): opening moves it into
// sources/.undone, where redo finds it, rather than deleting it.
func TestSweepKeepsHistory(t *testing.T) {
	ctx := context.Background()
	s := newProject(t, "anna")
	importText(t, s, "R02.txt", "I: And you?\nR: Yerevan.\n")
	if _, err := s.Undo(ctx); err != nil {
		t.Fatal(err)
	}
	dir := s.Dir()
	src := filepath.Join(dir, SourcesDir)
	if err := os.Rename(filepath.Join(src, undoneDir, "R02.txt"), filepath.Join(src, "R02.txt")); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err := Open(ctx, dir, Options{Coder: "anna"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := sourceFiles(t, dir); len(got) != 0 {
		t.Errorf("sources/ holds %q; want the undone original shelved", got)
	}
	if _, err := s.Redo(ctx); err != nil {
		t.Fatal(err)
	}
	if got, want := sourceFiles(t, dir), []string{"R02.txt"}; !slices.Equal(got, want) {
		t.Errorf("sources/ after redo holds %q; want %q", got, want)
	}
}

// TestSweepSparesImportInFlight opens the project while another handle's
// import has written its original but not yet committed: the sweep must
// leave that file alone (it may not take the write lock, and does not
// wait for it), and the import must then commit with its original.
func TestSweepSparesImportInFlight(t *testing.T) {
	ctx := context.Background()
	s := newProject(t, "anna")
	// Opening waits for the write lock (it may migrate): open first,
	// sweep as opening does while the import holds the lock.
	other, err := Open(ctx, s.Dir(), Options{Coder: "boris"})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	written, release := make(chan string), make(chan struct{})
	testHookSourceWritten = func(source string) {
		written <- source
		<-release
	}
	defer func() { testHookSourceWritten = nil }()
	done := make(chan error, 1)
	go func() {
		_, err := s.Import(ctx, ImportFile{Path: "R07.txt", Data: []byte("I: Why?\nR: Because.\n")})
		done <- err
	}()
	src := <-written
	other.sweepSources(ctx)
	if _, err := os.Stat(filepath.Join(s.Dir(), SourcesDir, src)); err != nil {
		t.Errorf("the sweep removed the original of an import in flight: %v", err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := sourceFiles(t, s.Dir()); !slices.Equal(got, []string{src}) {
		t.Errorf("sources/ holds %q; want %q", got, []string{src})
	}
}

// TestSweepSkippedOnlyWhileSourcesUnchanged checks the record of a clean
// sweep: it is written when sources/ has not changed for a while, it
// spares later opens the sweep, and a file added since is swept all the
// same.
func TestSweepSkippedOnlyWhileSourcesUnchanged(t *testing.T) {
	ctx := context.Background()
	s := newProject(t, "anna")
	importText(t, s, "R01.txt", "I: Why?\nR: Because.\n")
	dir := s.Dir()
	s.Close()
	src := filepath.Join(dir, SourcesDir)
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(src, old, old); err != nil {
		t.Fatal(err)
	}
	reopen := func() {
		t.Helper()
		s, err := Open(ctx, dir, Options{Coder: "anna"})
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
	}
	reopen()
	raw, err := os.ReadFile(filepath.Join(dir, sweptFile))
	if err != nil {
		t.Fatalf("no record of the clean sweep: %v", err)
	}
	if want := strconv.FormatInt(old.UnixNano(), 10); string(raw) != want {
		t.Fatalf("record %q, want the folder's time %s", raw, want)
	}

	// Debris whose folder time is put back is not looked at: the record
	// is what spares the sweep.
	debris := filepath.Join(src, "int_9.txt")
	if err := os.WriteFile(debris, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(src, old, old); err != nil {
		t.Fatal(err)
	}
	reopen()
	if _, err := os.Stat(debris); err != nil {
		t.Fatalf("the sweep ran although sources/ kept its recorded time: %v", err)
	}

	// Debris left as a killed import leaves it changes the folder's time:
	// swept.
	debris2 := filepath.Join(src, "int_10.txt")
	if err := os.WriteFile(debris2, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	reopen()
	for _, f := range []string{debris, debris2} {
		if _, err := os.Stat(f); !os.IsNotExist(err) {
			t.Errorf("%s survived the sweep after sources/ changed: %v", filepath.Base(f), err)
		}
	}
}
