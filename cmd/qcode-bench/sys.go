package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// machine describes where the benchmark ran.
type machine struct {
	CPUs       int    `json:"cpus"`
	GOMAXPROCS int    `json:"gomaxprocs"`
	CPU        string `json:"cpu"`
	MemoryMB   int64  `json:"memory_mb"`
	Go         string `json:"go"`
	OS         string `json:"os"`
	Kernel     string `json:"kernel"`
}

func thisMachine() machine {
	m := machine{CPUs: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0), Go: runtime.Version(),
		OS: runtime.GOOS + "/" + runtime.GOARCH}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
		f.Close()
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	if kb := procField("/proc/meminfo", "MemTotal"); kb > 0 {
		m.MemoryMB = kb / 1024
	}
	return m
}

// procField reads a "Key:   123 kB" line of a /proc file, in kB.
func procField(path, key string) int64 {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok || k != key {
			continue
		}
		f := strings.Fields(v)
		if len(f) == 0 {
			return 0
		}
		n, _ := strconv.ParseInt(f[0], 10, 64)
		return n
	}
	return 0
}

// peakRSS is the process's peak resident set (VmHWM) in MB since start or
// since the last resetPeak.
func peakRSS() float64 { return float64(procField("/proc/self/status", "VmHWM")) / 1024 }

// freshPeak collects garbage, returns the freed memory to the system and
// restarts the peak, so that the next phase's peak is its own and not
// what the Go heap kept from the one before.
func freshPeak() bool {
	runtime.GC()
	debug.FreeOSMemory()
	return resetPeak()
}

// resetPeak restarts the peak resident set from the current one (Linux:
// writing 5 to clear_refs), so that a phase's peak is its own, not the
// corpus generator's. It reports whether it could.
func resetPeak() bool {
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

// rssSampler follows the anonymous and file-backed parts of the resident
// set while a phase runs, so that a peak can be explained: Go heap and
// SQLite cache are anonymous; bleve's mmapped segments are file-backed.
type rssSampler struct {
	stop chan struct{}
	done chan struct{}
	// AnonMB and FileMB are the largest values seen.
	AnonMB, FileMB float64
}

func sampleRSS() *rssSampler {
	s := &rssSampler{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			s.AnonMB = max(s.AnonMB, float64(procField("/proc/self/status", "RssAnon"))/1024)
			s.FileMB = max(s.FileMB, float64(procField("/proc/self/status", "RssFile"))/1024)
			select {
			case <-s.stop:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

// end stops sampling and returns the peaks.
func (s *rssSampler) end() (anonMB, fileMB float64) {
	close(s.stop)
	<-s.done
	return s.AnonMB, s.FileMB
}

// rssHelperEnv, when set in the environment, makes this program run its
// arguments as a command and write the command's peak resident set (kB)
// to the file the variable names. The benchmark starts children through
// it because Go starts a child with vfork: the child then inherits the
// parent's high-water mark in its rusage, and a 300 MB benchmark would
// make every child look 300 MB big. The helper is small, so its children
// report their own peak.
const rssHelperEnv = "QCODE_BENCH_RSS_HELPER"

// rssHelper is main when rssHelperEnv is set; it returns the exit code.
func rssHelper(out string, args []string) int {
	if len(args) == 0 {
		return 2
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	if cmd.ProcessState == nil {
		fmt.Fprintln(os.Stderr, "qcode-bench helper:", err)
		return 2
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		os.WriteFile(out, []byte(strconv.FormatInt(ru.Maxrss, 10)), 0o600)
	}
	return cmd.ProcessState.ExitCode()
}

// underHelper rewrites cmd to run through rssHelper and returns a
// function that reads the child's peak resident set in kB after it ran
// (0 if unknown).
func underHelper(cmd *exec.Cmd) (func() int64, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	f, err := os.CreateTemp("", "qcode-bench-rss-")
	if err != nil {
		return nil, err
	}
	f.Close()
	cmd.Args = append([]string{self, cmd.Path}, cmd.Args[1:]...)
	cmd.Path = self
	cmd.Env = append(os.Environ(), rssHelperEnv+"="+f.Name())
	return func() int64 {
		defer os.Remove(f.Name())
		b, err := os.ReadFile(f.Name())
		if err != nil {
			return 0
		}
		n, _ := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
		return n
	}, nil
}
