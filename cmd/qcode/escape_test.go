package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/qcode-dev/qcode/coding"
)

// openPTY opens a pseudo-terminal and returns both ends, or skips.
func openPTY(t *testing.T) (master, tty *os.File) {
	t.Helper()
	ptmx, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { ptmx.Close() })
	if err := unix.IoctlSetPointerInt(int(ptmx.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Skipf("unlock pseudo-terminal: %v", err)
	}
	n, err := unix.IoctlGetInt(int(ptmx.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Skipf("pseudo-terminal number: %v", err)
	}
	tty, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("open pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { tty.Close() })
	return ptmx, tty
}

// plant writes what an older qcode let in straight into the database.
func plant(t *testing.T, dir, query string, args ...any) {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(dir, coding.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(query, args...); err != nil {
		t.Fatal(err)
	}
}

// TestTerminalOutputEscaped: names an older qcode let in are printed to
// a terminal escaped, so they cannot act on it; qcode's own colours
// still work, and output to a pipe stays byte for byte.
func TestTerminalOutputEscaped(t *testing.T) {
	dir := newProject(t)
	mustQC(t, dir, "import", writeFile(t, t.TempDir(), "R01.txt", "Interviewer: Why?\nRespondent: Because.\n"))
	evil := "R01\x1b]0;pwned\x07\u202e"
	plant(t, dir, "UPDATE documents SET name = ?", evil)
	plant(t, dir, "INSERT INTO codes (guid, name, color, description, created_at) VALUES ('c0de0000-0000-4000-8000-0000000000ee', ?, '#4E79A7', '', '2024-01-01T00:00:00Z')", "Fear\x1b[2J")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"docs"}, `R01\x1b]0;pwned\x07\u202e`},
		{[]string{"show", "#1"}, `R01\x1b]0;pwned\x07\u202e`},
		{[]string{"codes"}, `Fear\x1b[2J`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			master, tty := openPTY(t)
			var errOut bytes.Buffer
			err := run(context.Background(), append([]string{"-p", dir}, tt.args...), strings.NewReader(""), tty, &errOut)
			if err != nil {
				t.Fatalf("%v; %s", err, errOut.String())
			}
			// A terminal hands output over in pieces: read until the
			// name has come or the deadline passes.
			master.SetReadDeadline(time.Now().Add(3 * time.Second))
			var all []byte
			buf := make([]byte, 1<<16)
			for !bytes.Contains(all, []byte(tt.want)) {
				n, err := master.Read(buf)
				all = append(all, buf[:n]...)
				if err != nil {
					break
				}
			}
			got := string(all)
			if strings.Contains(got, "\x1b]") || strings.Contains(got, "\x1b[2J") || strings.Contains(got, "\x07") || strings.Contains(got, "\u202e") {
				t.Errorf("the terminal got a raw control sequence:\n%q", got)
			}
			if !strings.Contains(got, tt.want) {
				t.Errorf("output %q; want the name escaped as %s", got, tt.want)
			}
		})
	}
	// Into a pipe, the JSON is data: decoded, it gives the name back.
	var ds struct{ Documents []docJSON }
	qcJSON(t, dir, &ds, "docs", "--json")
	if len(ds.Documents) != 1 || ds.Documents[0].Name != evil {
		t.Errorf("docs --json = %+v; want the stored name", ds)
	}
}

// TestErrorsEscaped: an error naming a file whose name holds a terminal
// command prints it escaped, as the real process does.
func TestErrorsEscaped(t *testing.T) {
	dir := newProject(t)
	name := filepath.Join(t.TempDir(), "R\x1b]0;pwned\x07.txt")
	_, stderr, status := qcodeProcess(t, nil, "-p", dir, "import", name)
	if status == 0 {
		t.Fatal("importing a missing file succeeded")
	}
	if strings.ContainsAny(stderr, "\x1b\x07") {
		t.Errorf("stderr holds a raw control character: %q", stderr)
	}
	if !strings.Contains(stderr, `R\x1b]0;pwned\x07.txt`) {
		t.Errorf("stderr %q; want the file's name escaped", stderr)
	}
}

// TestNamesRefusedOnTheWayIn: the command line refuses a blank coder, a
// language that is not a language code and names with invisible
// characters, and warns when it removes controls from a memo.
func TestNamesRefusedOnTheWayIn(t *testing.T) {
	dir := newProject(t)
	file := writeFile(t, t.TempDir(), "R01.txt", "Interviewer: Why?\nRespondent: Because.\n")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--coder", "   ", "code", "add", "Fear"}, "blank coder name"},
		{[]string{"--coder", "an\u200bna", "docs"}, "U+200B"},
		{[]string{"import", "--lang", "../../etc", file}, "language code"},
		{[]string{"code", "add", "Fear\u200b"}, "U+200B"},
		{[]string{"code", "add", strings.Repeat("x", 201)}, "at most 200"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			msg, _, _ := wantErr(t, dir, tt.args...)
			if !strings.Contains(msg, tt.want) {
				t.Errorf("= %q, want %q", msg, tt.want)
			}
		})
	}
	_, stderr, err := qc(t, dir, "memo", "add", "line one\n\tline two\x1b[31m")
	if err != nil || !strings.Contains(stderr, "control characters removed") {
		t.Errorf("memo add = %v, stderr %q; want a warning that controls were removed", err, stderr)
	}
}
