package refiqda

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain lets the test binary act as a qcode process importing a
// project, to be killed (QCODE_TEST_IMPORT_PROJECT_CHILD).
func TestMain(m *testing.M) {
	if dir := os.Getenv("QCODE_TEST_IMPORT_PROJECT_CHILD"); dir != "" {
		testHookStaged = func(staged string) error {
			fmt.Printf("staged %s\n", staged)
			select {} // until killed
		}
		_, err := ImportProject(context.Background(), os.Getenv("QCODE_TEST_IMPORT_PROJECT_FILE"), dir, importer)
		fmt.Fprintln(os.Stderr, "import-project returned:", err)
		os.Exit(3)
	}
	os.Exit(m.Run())
}

// TestKilledImportProjectLeavesNoDebris kills import-project once it has
// built the project in its hidden staging folder: the next import-project
// into the same folder removes that staging folder (it holds the
// interviews' text), and leaves alone what is not stale debris of qcode's.
func TestKilledImportProjectLeavesNoDebris(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	if runtime.GOOS == "windows" {
		t.Skip("SIGKILL")
	}
	file, err := filepath.Abs(filepath.Join("testdata", "tolerant.qdpx"))
	if err != nil {
		t.Fatal(err)
	}
	parent := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "QCODE_TEST_IMPORT_PROJECT_CHILD="+filepath.Join(parent, "killed.qcode"),
		"QCODE_TEST_IMPORT_PROJECT_FILE="+file)
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
	if !lines.Scan() || !strings.HasPrefix(lines.Text(), "staged ") {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("child said %q, stderr %q; want the staged project", lines.Text(), stderr.String())
	}
	staging := filepath.Dir(strings.TrimPrefix(lines.Text(), "staged "))
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if _, err := os.Stat(staging); err != nil {
		t.Fatalf("the killed import's staging folder: %v; the test expects it left behind", err)
	}

	// What must stay: a staging folder of a process still running (this
	// test's parent), a fresh one without a process id, and folders
	// that only look alike.
	keep := []string{
		fmt.Sprintf(".qcode-import-%d-123", os.Getppid()),
		".qcode-import-4242",
		".qcode-import-notes",
		"qcode-import-1-2",
	}
	for _, k := range keep {
		if err := os.Mkdir(filepath.Join(parent, k), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	// What must go besides: an old staging folder without a process id.
	old := filepath.Join(parent, ".qcode-import-777")
	if err := os.Mkdir(old, 0o700); err != nil {
		t.Fatal(err)
	}
	long := time.Now().Add(-48 * time.Hour)
	if err := os.Chtimes(old, long, long); err != nil {
		t.Fatal(err)
	}

	if _, err := ImportProject(context.Background(), file, filepath.Join(parent, "study.qcode"), importer); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(parent)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	want := append(slices.Clone(keep), "study.qcode")
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("after the next import-project %s holds %q; want %q (the killed import's %s and the old %s removed)",
			parent, got, want, filepath.Base(staging), filepath.Base(old))
	}
}
