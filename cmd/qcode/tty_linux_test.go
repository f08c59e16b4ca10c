package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// openTTY opens a pseudo-terminal and returns its terminal end, or skips
// the test when the system has none to give.
func openTTY(t *testing.T) *os.File {
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
	tty, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("open pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { tty.Close() })
	return tty
}

// TestQuotesDOCXNotOnTerminal: a Word document is refused on a terminal
// without -o, and written with it.
func TestQuotesDOCXNotOnTerminal(t *testing.T) {
	t.Parallel()
	dir := demoDir(t)
	tty := openTTY(t)
	var errOut bytes.Buffer
	err := run(context.Background(), []string{"-p", dir, "quotes", "Donations", "--format", "docx"}, strings.NewReader(""), tty, &errOut)
	if err == nil || !strings.Contains(err.Error(), "-o FILE.docx") {
		t.Errorf("quotes --format docx on a terminal = %v, want a refusal asking for -o", err)
	}
	file := t.TempDir() + "/q.docx"
	if err := run(context.Background(), []string{"-p", dir, "quotes", "Donations", "--format", "docx", "-o", file}, strings.NewReader(""), tty, &errOut); err != nil {
		t.Fatalf("quotes --format docx -o on a terminal = %v", err)
	}
	if b, err := os.ReadFile(file); err != nil || !bytes.HasPrefix(b, []byte("PK")) {
		t.Errorf("quotes -o %s wrote %d bytes, %v; want a zip", file, len(b), err)
	}
}
