package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// mainArgsEnv, when set in the environment, makes the test binary run
// main with the JSON-encoded arguments it holds instead of the tests, so
// that a test can watch the real process: its exit status, what main
// prints, and the environment variables run reads through os.Getenv.
const mainArgsEnv = "QCODE_TEST_MAIN_ARGS"

func TestMain(m *testing.M) {
	if js := os.Getenv(mainArgsEnv); js != "" {
		var args []string
		if err := json.Unmarshal([]byte(js), &args); err != nil {
			panic(err)
		}
		os.Args = append([]string{"qcode"}, args...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// qcodeProcess runs qcode as its own process with args and the given
// QCODE_* variables (and no others), and returns its output and exit
// status.
func qcodeProcess(t *testing.T, env map[string]string, args ...string) (stdout, stderr string, status int) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(args)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "QCODE_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, mainArgsEnv+"="+string(js))
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		status = exit.ExitCode()
	default:
		t.Fatalf("running %v: %v", args, err)
	}
	return out.String(), errOut.String(), status
}

// TestProcess checks what only the real process shows: the environment
// variables, the exit status, and that each error is printed once.
func TestProcess(t *testing.T) {
	t.Parallel()
	dir := newProject(t)
	mustQC(t, dir, "import", testdata(t, "good", "R02.txt"))
	other := newProject(t)

	t.Run("QCODE_PROJECT and QCODE_CODER", func(t *testing.T) {
		env := map[string]string{"QCODE_PROJECT": dir, "QCODE_CODER": "zoe"}
		_, stderr, status := qcodeProcess(t, env, "tag", "R02", "Work", "--turn", "2", "--create")
		if status != 0 {
			t.Fatalf("tag with QCODE_PROJECT set: exit status %d, stderr %q", status, stderr)
		}
		// --coder wins over QCODE_CODER.
		_, stderr, status = qcodeProcess(t, env, "--coder", "max", "tag", "R02", "Work", "--turn", "4")
		if status != 0 {
			t.Fatalf("tag --coder max: exit status %d, stderr %q", status, stderr)
		}
		var got []string
		for _, c := range show(t, dir, "R02").Codings {
			got = append(got, c.Coder)
		}
		if strings.Join(got, ",") != "zoe,max" {
			t.Errorf("coders of the codings = %q, want zoe (from QCODE_CODER) and max (from --coder)", got)
		}
		// -p wins over QCODE_PROJECT.
		stdout, stderr, status := qcodeProcess(t, env, "-p", other, "docs", "--json")
		var v docsJSON
		decodeOne(t, stdout, &v, []string{"-p", other, "docs", "--json"})
		if status != 0 || len(v.Documents) != 0 {
			t.Errorf("docs -p OTHER with QCODE_PROJECT set: status %d, %d documents, stderr %q; want the empty project named by -p", status, len(v.Documents), stderr)
		}
	})

	t.Run("failure", func(t *testing.T) {
		stdout, stderr, status := qcodeProcess(t, map[string]string{"QCODE_PROJECT": dir}, "show", "R99", "--json")
		if status == 0 {
			t.Errorf("show R99: exit status 0, want non-zero")
		}
		if stdout != "" {
			t.Errorf("show R99 --json wrote %q to stdout, want nothing", stdout)
		}
		if want := "qcode: document \"R99\""; !strings.HasPrefix(stderr, want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("show R99: stderr %q, want one line starting %q", stderr, want)
		}
	})

	t.Run("failed import", func(t *testing.T) {
		bad := testdata(t, "bad", "blank.txt")
		stdout, stderr, status := qcodeProcess(t, map[string]string{"QCODE_PROJECT": dir}, "import", bad)
		if status == 0 {
			t.Errorf("import of an empty file: exit status 0, want non-zero")
		}
		if !strings.Contains(stderr, "qcode: import "+bad+": empty file\n") {
			t.Errorf("import of an empty file: stderr %q, want the file and the reason on a line", stderr)
		}
		if !strings.HasPrefix(stdout, "imported 0, 1 failed") {
			t.Errorf("import of an empty file: stdout %q", stdout)
		}
	})

	// With --json the failure is reported in the JSON; run returns an
	// error only to set the exit status, and main must not print it.
	t.Run("failed import --json", func(t *testing.T) {
		bad := testdata(t, "bad", "blank.txt")
		stdout, stderr, status := qcodeProcess(t, map[string]string{"QCODE_PROJECT": dir}, "import", bad, "--json")
		if status == 0 {
			t.Errorf("import --json of an empty file: exit status 0, want non-zero")
		}
		var res importJSON
		decodeOne(t, stdout, &res, []string{"import", bad, "--json"})
		if len(res.Files) != 1 || res.Files[0].Status != "failed" {
			t.Errorf("import --json of an empty file = %+v, want it failed", res)
		}
		if stderr != "" {
			t.Errorf("import --json of an empty file: stderr %q, want nothing (the JSON says it all)", stderr)
		}
	})
}
