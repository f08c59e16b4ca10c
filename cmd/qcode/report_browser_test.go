package main

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The report as a browser shows it: headless Chromium (Debian's
// chromium package), with networking disabled, opens the demo's report
// from the disk, renders it at a desktop's and a phone's width, and
// dumps the DOM it built. A NetLog of the run tells whether the page
// asked the network for anything.

// chromium returns the browser, or skips the test saying how to get it.
func chromium(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium is not installed (Debian: apt-get install chromium); the report is not checked in a browser")
	}
	return p
}

// browse runs headless Chromium on the file with args added, offline:
// every connection goes to a closed port and no name resolves. It
// returns standard output and the requests the page made, from the
// NetLog (the browser's own background requests are left out: they are
// not the page's).
func browse(t *testing.T, browser, file string, args ...string) (string, []string) {
	t.Helper()
	profile := t.TempDir()
	netlog := filepath.Join(t.TempDir(), "netlog.json")
	full := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + profile, "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
		"--hide-scrollbars", "--log-net-log=" + netlog}, args...)
	full = append(full, "file://"+file)
	// Only a guard against a browser that hangs; the test judges no time.
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, browser, full...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String(), pageRequests(t, netlog)
}

// pageRequests reads a NetLog and returns the URLs of the requests a
// page opened from a file made.
func pageRequests(t *testing.T, netlog string) []string {
	t.Helper()
	b, err := os.ReadFile(netlog)
	if err != nil {
		t.Fatalf("no NetLog: %v", err)
	}
	var log struct {
		Events []struct {
			Params map[string]any `json:"params"`
		} `json:"events"`
	}
	if err := json.Unmarshal(b, &log); err != nil {
		// A NetLog cut short by the browser's exit lacks its closing
		// brackets.
		s := strings.TrimRight(string(b), " \n,") + "]}"
		if err := json.Unmarshal([]byte(s), &log); err != nil {
			t.Fatalf("NetLog %s: %v", netlog, err)
		}
	}
	var urls []string
	for _, e := range log.Events {
		url, _ := e.Params["url"].(string)
		site, _ := e.Params["site_for_cookies"].(string)
		if url != "" && strings.Contains(site, "site=file://") {
			urls = append(urls, url)
		}
	}
	return urls
}

// TestReportInBrowser renders the demo's report with its figures.
func TestReportInBrowser(t *testing.T) {
	browser := chromium(t)
	t.Parallel()
	dir := demoProject(t)
	file := filepath.Join(t.TempDir(), "report.html")
	mustQC(t, dir, "report", "-o", file)

	// The check of requests finds those of a page that makes some.
	control := filepath.Join(t.TempDir(), "control.html")
	if err := os.WriteFile(control, []byte(`<!DOCTYPE html><img src="https://example.org/x.png"><link rel="stylesheet" href="http://example.com/a.css">`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, reqs := browse(t, browser, control, "--dump-dom"); len(reqs) == 0 {
		t.Fatal("the NetLog shows no request of a page that makes two: the check cannot see requests")
	}

	dom, reqs := browse(t, browser, file, "--dump-dom")
	if len(reqs) > 0 {
		t.Errorf("the report asked the network for %s", strings.Join(reqs, ", "))
	}
	for _, id := range []string{"summary", "documents", "participants", "coders", "codebook", "figures", "tables", "quotes", "agreement"} {
		if !strings.Contains(dom, `<section id="`+id+`">`) {
			t.Errorf("the browser's DOM has no section %q", id)
		}
	}
	// Examples: up to 3 distinct passages of each code's own codings.
	examples := 0
	for _, c := range codes(t, dir) {
		ids := map[string]bool{}
		for _, q := range quotes(t, dir, c.Path, "--no-subcodes") {
			ids[q.ID] = true
		}
		examples += min(3, len(ids))
	}
	checks := []struct {
		what string
		n    int
	}{
		{"<svg", 7},              // the figures, drawn inline
		{`<li class="code `, 19}, // the codebook
		{`<figure class="quote">`, examples},
		{`<th scope="row">R07</th>`, 2},                         // the documents and participants tables
		{`<div class="table" id="`, 6},                          // frequencies, documents, 3 attributes, cooc
		{`<tr class="total"><th scope="row">All codes</th>`, 1}, // agreement overall
	}
	for _, c := range checks {
		if got := strings.Count(dom, c.what); got != c.n {
			t.Errorf("the browser's DOM holds %q %d times, want %d", c.what, got, c.n)
		}
	}
	if !strings.Contains(dom, "Agreement of nino and pavel") {
		t.Error("the browser's DOM lacks the agreement")
	}

	// Screenshots at a desktop's and a phone's width: the right size,
	// and something drawn (more than a blank page's few colours).
	shots := t.TempDir()
	for _, w := range []struct {
		name          string
		width, height int
	}{{"desktop", 1280, 2400}, {"phone", 390, 2400}} {
		png := filepath.Join(shots, w.name+".png")
		browse(t, browser, file, "--screenshot="+png, "--window-size="+strconv.Itoa(w.width)+","+strconv.Itoa(w.height))
		img := readPNG(t, png)
		if b := img.Bounds(); b.Dx() != w.width || b.Dy() != w.height {
			t.Errorf("%s screenshot is %dx%d, want %dx%d", w.name, b.Dx(), b.Dy(), w.width, w.height)
		}
		if n := colours(img); n < 50 {
			t.Errorf("%s screenshot has %d colours: nothing rendered?", w.name, n)
		}
		t.Logf("%s screenshot: %s", w.name, png)
	}
}

func readPNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot %s: %v", path, err)
	}
	return img
}

// colours counts the distinct colours of an image, up to 1,000.
func colours(img image.Image) int {
	seen := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[[4]uint32{r, g, bl, a}] = true
			if len(seen) >= 1000 {
				return len(seen)
			}
		}
	}
	return len(seen)
}
