package tui

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// tmuxTerm drives the built binary in a real terminal: tmux on a private
// socket, a fixed size, and capture-pane polled until the screen shows
// what is expected.
type tmuxTerm struct {
	t      *testing.T
	socket string
}

func (tt *tmuxTerm) tmux(args ...string) (string, error) {
	all := append([]string{"-L", tt.socket, "-f", "/dev/null"}, args...)
	out, err := exec.Command("tmux", all...).CombinedOutput()
	return string(out), err
}

func (tt *tmuxTerm) start(name string, w, h int, command string) {
	tt.t.Helper()
	if out, err := tt.tmux("new-session", "-d", "-s", name, "-x", fmt.Sprint(w), "-y", fmt.Sprint(h), command); err != nil {
		tt.t.Fatalf("tmux new-session: %v\n%s", err, out)
	}
}

func (tt *tmuxTerm) screen(name string) string {
	out, _ := tt.tmux("capture-pane", "-p", "-t", name)
	return out
}

// waitFor polls the screen until it contains want, and fails showing
// the screen when it does not within the deadline.
func (tt *tmuxTerm) waitFor(name, want string) {
	tt.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		s := tt.screen(name)
		if strings.Contains(s, want) {
			return
		}
		if time.Now().After(deadline) {
			tt.t.Fatalf("screen never showed %q; it shows:\n%s", want, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (tt *tmuxTerm) send(name string, keys ...string) {
	tt.t.Helper()
	for _, k := range keys {
		if out, err := tt.tmux("send-keys", "-t", name, k); err != nil {
			tt.t.Fatalf("send-keys %q: %v\n%s", k, err, out)
		}
	}
}

func (tt *tmuxTerm) typeText(name, text string) {
	tt.t.Helper()
	if out, err := tt.tmux("send-keys", "-t", name, "-l", text); err != nil {
		tt.t.Fatalf("send-keys -l: %v\n%s", err, out)
	}
}

// TestEndToEndTmux builds qcode, opens the demo in tmux, codes a sentence
// with a new code, quits, checks the coding is stored, and reopens to see
// its stripe.
func TestEndToEndTmux(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed (apt-get install -y tmux); skipping the end-to-end test")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "qcode")
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if out, err := exec.Command(gobin, "build", "-o", bin, "github.com/qcode-dev/qcode/cmd/qcode").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	project := filepath.Join(dir, "demo.qcode")
	tt := &tmuxTerm{t: t, socket: fmt.Sprintf("qcode-e2e-%d", os.Getpid())}
	t.Cleanup(func() { tt.tmux("kill-server") })
	env := fmt.Sprintf("env QCODE_CODER=e2e TERM=xterm-256color HOME=%s ", dir)

	tt.start("first", 100, 30, env+bin+" demo "+project+"; echo QCODE-EXIT=$?; sleep 60")
	tt.waitFor("first", "Respondent: Yes, yes")
	tt.send("first", "}", "}", "}", "s", "c")
	tt.waitFor("first", "new code")
	tt.typeText("first", "E2E code")
	tt.waitFor("first", "new code «E2E code»")
	tt.send("first", "Enter")
	tt.waitFor("first", "┃ E2E code")
	tt.send("first", "q")
	tt.waitFor("first", "QCODE-EXIT=0")

	out, err := exec.Command(bin, "-p", project, "quotes", "E2E code", "--json").CombinedOutput()
	if err != nil {
		t.Fatalf("qcode quotes: %v\n%s", err, out)
	}
	var res struct {
		Quotes []struct {
			Text, Document, Coder string
		}
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("quotes --json: %v\n%s", err, out)
	}
	if len(res.Quotes) != 1 || res.Quotes[0].Text != "Okay." || res.Quotes[0].Coder != "e2e" {
		t.Fatalf("quotes = %+v, want the one sentence “Okay.” by e2e", res.Quotes)
	}

	tt.start("again", 100, 30, env+bin+" -p "+project+"; echo QCODE-EXIT=$?; sleep 60")
	tt.waitFor("again", "Respondent: Yes, yes")
	tt.send("again", "}", "}", "}")
	tt.waitFor("again", "┃ E2E code")
	// R01 is coded by nino and pavel too, so e2e's stripe carries e2e's
	// letter.
	if g, ok := gutterAt(tt.screen("again"), "Okay. So, I'm thirty"); !ok || g != 'e' {
		t.Fatalf("the stripe beside the coded line is %q, want e2e's letter e:\n%s", g, tt.screen("again"))
	}
	// The analysis screen: the new code has its bar; the matrix's first
	// cell lists its quotes; the disagreements step on.
	tt.send("again", "A")
	tt.waitFor("again", "[1 Frequencies]")
	tt.waitFor("again", "E2E code")
	tt.send("again", "2")
	tt.waitFor("again", "R07")
	tt.waitFor("again", "Σ")
	tt.send("again", "Enter")
	tt.waitFor("again", "Quotes · Contact with those who stayed × R01")
	tt.send("again", "Escape")
	tt.waitFor("again", "[2 Codes × documents]")
	// An escape followed at once by a key reads as alt+key: wait for
	// the transcript before the next key.
	tt.send("again", "Escape")
	tt.waitFor("again", "e e2e · n nino · p pavel")
	tt.send("again", "D")
	tt.waitFor("again", "Disagreements · unit char · e2e, nino, pavel")
	tt.waitFor("again", "coded by")
	tt.send("again", "n")
	tt.waitFor("again", "2 of ")
	tt.send("again", "Escape")
	tt.send("again", "C-c")
	tt.waitFor("again", "QCODE-EXIT=0")
}
