package main

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionOf(t *testing.T) {
	setting := func(kv ...string) []debug.BuildSetting {
		var out []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			out = append(out, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return out
	}
	cases := []struct {
		name string
		bi   debug.BuildInfo
		want string
	}{
		{"release", debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.0"}}, "v1.2.0 (go1.26.8)"},
		{"no version at all", debug.BuildInfo{}, "(devel)"},
		{"devel from a clean checkout", debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"},
			Settings: setting("vcs.revision", "6639dbfcd52a0123456789", "vcs.time", "2026-12-06T03:00:33Z", "vcs.modified", "false")},
			"(devel) (commit 6639dbfcd52a, 2026-12-06T03:00:33Z, go1.26.8)"},
		{"devel with changes", debug.BuildInfo{Main: debug.Module{Version: "(devel)"},
			Settings: setting("vcs.revision", "6639dbfcd52a0123456789", "vcs.modified", "true")},
			"(devel) (commit 6639dbfcd52a with uncommitted changes)"},
		{"pseudo-version names the commit once", debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.0.0-20261206030033-6639dbfcd52a+dirty"},
			Settings: setting("vcs.revision", "6639dbfcd52a0123456789", "vcs.time", "2026-12-06T03:00:33Z", "vcs.modified", "true")},
			"v0.0.0-20261206030033-6639dbfcd52a+dirty (2026-12-06T03:00:33Z, go1.26.8)"},
	}
	for _, c := range cases {
		if got := versionOf(&c.bi); got != c.want {
			t.Errorf("%s: versionOf = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestVersionCommand(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"version"}} {
		out := mustQC(t, "", args...)
		if !strings.HasPrefix(out, "qcode ") || strings.Count(out, "\n") != 1 {
			t.Errorf("qcode %s printed %q, want one line starting with \"qcode \"", args[0], out)
		}
	}
}

// A word that names no command is an error with a suggestion, in every
// command group, never a help page with exit 0.
func TestUnknownSubcommand(t *testing.T) {
	dir := newProject(t)
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"attr", "bogus"}, []string{`unknown command "bogus" for "qcode attr"`, "list, set"}},
		{[]string{"attr", "lst"}, []string{`did you mean "list"`}},
		{[]string{"code", "renam", "a", "b"}, []string{`unknown command "renam" for "qcode code"`, `did you mean "rename"`}},
		{[]string{"doc", "rn"}, []string{`"qcode doc"`, `did you mean "rm"`}},
		{[]string{"export", "codbook"}, []string{`did you mean "codebook"`}},
		{[]string{"serch", "fear"}, []string{`unknown command "serch" for "qcode"`, `did you mean "search"`}},
		{[]string{"frobnicate"}, []string{`unknown command "frobnicate" for "qcode"`, "import", "search"}},
	}
	for _, c := range cases {
		msg, _, _ := wantErr(t, dir, c.args...)
		for _, w := range c.want {
			if !strings.Contains(msg, w) {
				t.Errorf("qcode %s: error %q does not say %q", strings.Join(c.args, " "), msg, w)
			}
		}
	}
	// A group given no word still shows its help.
	if out := mustQC(t, dir, "attr"); !strings.Contains(out, "Available Commands") {
		t.Errorf("qcode attr printed %q, want its help", out)
	}
}
