package refiqda

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/qcode-dev/qcode/coding"
)

// A Zoom-like VTT: three speakers, two of them over several cues each
// (one turn, with an anchor at each later cue's start), an hour past the
// start at the end, an emoji before a coding.
const timesVTT = `WEBVTT

00:00:01.000 --> 00:00:04.000
Interviewer: Why did you leave Moscow?

00:00:04.500 --> 00:00:07.250
Lena: In September, after the call-up. 😀

00:00:07.300 --> 00:00:10.000
Lena: My brother was of age.

00:00:10.100 --> 00:00:12.000
Timur: I left a week before her.

00:00:12.500 --> 00:00:15.000
Timur: By car, through Verkhny Lars.

00:00:15.500 --> 00:00:18.000
Interviewer: And now?

01:02:03.004 --> 01:02:09.999
Lena: We stay, for now.
`

// An SRT with two speakers over merged cues and a cue of no speaker
// between them (a turn of its own, which reading the text back as a
// plain transcript would give to the speaker before it).
const timesSRT = `1
00:00:00,000 --> 00:00:02,500
Anna: Where were you born?

2
00:00:03,000 --> 00:00:05,000
Boris: In Perm.

3
00:00:05,200 --> 00:00:08,000
Boris: We moved when I was ten.

4
00:00:08,500 --> 00:00:09,000
[laughs]

5
00:00:09,500 --> 00:00:12,000
Anna: And your parents?
`

// timesStore is a project with the VTT, the SRT and a plain text without
// times, a coding and a memo on the VTT.
func timesStore(t *testing.T) *coding.Store {
	t.Helper()
	ctx := context.Background()
	s, err := coding.Create(ctx, filepath.Join(t.TempDir(), "times.qcode"), coding.Options{Coder: "nino"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	for _, f := range []coding.ImportFile{
		{Path: "zoom.vtt", Data: []byte(timesVTT)},
		{Path: "whisper.srt", Data: []byte(timesSRT)},
		{Path: "notes.txt", Data: []byte("Anna: No times here.\nBoris: None.\n")},
	} {
		if _, err := s.Import(ctx, f); err != nil {
			t.Fatalf("import %s: %v", f.Path, err)
		}
	}
	d, err := s.Document(ctx, "zoom", true)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Tag(ctx, coding.TagRequest{Doc: "zoom", Code: "Draft", Spans: coding.MatchSpans(d.Text, "My brother was of age."), Create: true}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.AddMemo(ctx, coding.TargetDocument, "zoom", "Recorded on Zoom."); err != nil {
		t.Fatal(err)
	}
	return s
}

// timesOf lists a document's turns, with their times, and its anchors.
func timesOf(d coding.SnapshotDocument) []string {
	dur := func(p *time.Duration) string {
		if p == nil {
			return "-"
		}
		return p.String()
	}
	var out []string
	for _, t := range d.Turns {
		out = append(out, fmt.Sprintf("turn %d %q %d:%d:%d %s %s", t.N, t.Speaker, t.Start, t.Body, t.End, dur(t.Time), dur(t.EndTime)))
	}
	for _, a := range d.Anchors {
		out = append(out, fmt.Sprintf("anchor %d %v", a.Pos, a.Time))
	}
	return out
}

// descriptions returns each source's Description in an export, by name.
func descriptions(t *testing.T, data []byte) map[string]string {
	t.Helper()
	p, err := decodeProject(bytes.NewReader(qdeOf(t, data)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, s := range p.Sources.Text {
		out[s.Name] = s.Description
	}
	return out
}

// TestRoundTripTimes exports a project with a VTT and an SRT, imports the
// export into a new project and exports that: the exports are valid and
// byte-identical, and the turns' times and the anchors are the first
// project's.
func TestRoundTripTimes(t *testing.T) {
	ctx := context.Background()
	s := timesStore(t)
	snap, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]coding.SnapshotDocument{}
	for _, d := range snap.Documents {
		byName[d.Name] = d
	}
	if len(byName["zoom"].Anchors) == 0 || len(byName["whisper"].Anchors) == 0 {
		t.Fatalf("fixture has no anchors:\n%s", strings.Join(append(timesOf(byName["zoom"]), timesOf(byName["whisper"])...), "\n"))
	}

	first := export(t, snap)
	desc := descriptions(t, first)
	// The block, pinned: what other programs show as the description.
	wantZoom := "qcode times:\n" +
		"0-38@00:00:01.000-00:00:04.000\n" +
		"39-102@00:00:04.500-00:00:10.000 80@00:00:07.300\n" +
		"103-165@00:00:10.100-00:00:15.000 136@00:00:12.500\n" +
		"166-187@00:00:15.500-00:00:18.000\n" +
		"188-211@01:02:03.004-01:02:09.999"
	if desc["zoom"] != wantZoom {
		t.Errorf("zoom's description:\n%s\nwant:\n%s\nturns:\n%s", desc["zoom"], wantZoom, strings.Join(timesOf(byName["zoom"]), "\n"))
	}
	wantWhisper := "qcode times:\n" +
		"0-26@00:00:00.000-00:00:02.500\n" +
		"27-67@00:00:03.000-00:00:08.000 43@00:00:05.200\n" +
		"68-76@00:00:08.500-00:00:09.000\n" +
		"77-100@00:00:09.500-00:00:12.000"
	if desc["whisper"] != wantWhisper {
		t.Errorf("whisper's description:\n%s\nwant:\n%s\nturns:\n%s", desc["whisper"], wantWhisper, strings.Join(timesOf(byName["whisper"]), "\n"))
	}
	// The anchors are where the merged cues start.
	for _, c := range []struct {
		doc  string
		pos  int
		text string
	}{{"zoom", 80, "My brother"}, {"zoom", 136, "By car"}, {"whisper", 43, "We moved"}, {"whisper", 68, "[laughs]"}} {
		if got := string([]rune(byName[c.doc].Text)[c.pos:]); !strings.HasPrefix(got, c.text) {
			t.Errorf("%s at %d reads %.20q; want %q", c.doc, c.pos, got, c.text)
		}
	}
	if desc["notes"] != "" {
		t.Errorf("a document without times has the description %q", desc["notes"])
	}

	file := filepath.Join(t.TempDir(), "times.qdpx")
	if err := os.WriteFile(file, first, 0o600); err != nil {
		t.Fatal(err)
	}
	back, res := importInto(t, file, t.TempDir())
	if len(res.Report.Mismatches)+len(res.Report.Skipped)+len(res.Report.Warnings) != 0 || len(res.Merge.Conflicts) != 0 {
		t.Errorf("importing our export reported %+v, conflicts %v", res.Report, res.Merge.Conflicts)
	}
	for _, d := range back.Documents {
		if got, want := timesOf(d), timesOf(byName[d.Name]); !reflect.DeepEqual(got, want) {
			t.Errorf("%s after the round trip:\n%s\nwant:\n%s", d.Name, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
	memos := func(s *coding.Snapshot) []string {
		var out []string
		for _, m := range s.Memos {
			out = append(out, m.Target+" "+m.Text)
		}
		return out
	}
	if got, want := memos(back), memos(snap); !reflect.DeepEqual(got, want) {
		t.Errorf("memos after the round trip %q; want %q (the block is no memo)", got, want)
	}
	if got, want := codingsOf(t, back), codingsOf(t, snap); !reflect.DeepEqual(got, want) {
		t.Errorf("codings after the round trip %q; want %q", got, want)
	}
	if second := export(t, back); !bytes.Equal(first, second) {
		t.Errorf("the second export differs from the first:\n%s\n---\n%s", qdeOf(t, first), qdeOf(t, second))
	}

	// Merging the export into the project it came from adds nothing.
	read, _, err := ReadProject(file)
	if err != nil {
		t.Fatal(err)
	}
	sum, _, err := s.Merge(ctx, read, coding.MergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Added() || len(sum.Conflicts) != 0 {
		t.Errorf("merging the export back = %+v; want nothing", sum)
	}
}

// timesSource is a project.qde whose one source is casesInterview
// (sources/i1.txt) with the given Description.
func timesSource(desc string) string {
	var b strings.Builder
	xmlEscape(&b, desc)
	return withSources(`<TextSource guid="0c000000-0000-4000-8000-000000000002" name="i1" plainTextPath="internal://i1.txt"><Description>` +
		b.String() + `</Description></TextSource>`)
}

func xmlEscape(b *strings.Builder, s string) {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	b.WriteString(r.Replace(s))
}

// TestReadTimes reads descriptions with good, garbled and hostile
// blocks: what can be used is, the rest gives one warning, the snapshot
// goes into a project and out again, and nothing panics.
func TestReadTimes(t *testing.T) {
	// casesInterview: turns at 0 (body 13), 33 (40), 51 (64), 73 (80).
	huge := "qcode times:\n" + strings.Repeat("1@00:00:01.000 ", 300000)
	tests := []struct {
		name, desc string
		times      []string // the turns and anchors of i1; nil: none set
		warn       string   // "" for none
		memo       string   // the memo on i1, "" for none
	}{
		{name: "good", desc: "qcode times:\n0-32@00:00:01.000-00:00:02.000 20@00:00:01.500\n33-50@00:00:03.000\n73-101@00:01:00.000-00:01:30.250",
			times: []string{`turn 1 "Interviewer" 0:13:32 1s 2s`, `turn 2 "Maria" 33:40:50 3s -`, `turn 3 "Interviewer" 51:64:72 - -`, `turn 4 "Maria" 73:80:101 1m0s 1m30.25s`, "anchor 20 1.5s"}},
		{name: "own text kept", desc: "Second interview.\r\n\r\nqcode times:\r\n33-50@00:00:03.000\r\n\r\nTranscribed by Otter.",
			times: []string{`turn 1 "Interviewer" 0:13:32 - -`, `turn 2 "Maria" 33:40:50 3s -`, `turn 3 "Interviewer" 51:64:72 - -`, `turn 4 "Maria" 73:80:101 - -`},
			memo:  "Second interview.\n\nTranscribed by Otter."},
		{name: "no block", desc: "Interview with Maria, 2023. qcode times: none.", memo: "Interview with Maria, 2023. qcode times: none."},
		{name: "header only", desc: "qcode times:"},
		{name: "garbled",
			desc: "qcode times:\n0-32@00:00:01.000 x@y 5@99:99:99.999 33-50@00:00:03.000-zz 7@-00:00:01.000 -3@00:00:01.000 1e3@00:00:01.000\n" +
				"99999999999999999999@00:00:01.000 500@00:00:01.000 10-5@00:00:01.000 60-999@00:00:01.000 0-32@00:00:09.000 ٣@00:00:01.000\n" +
				"5-20@00:00:02.000 20@1:02:03.4 20@00:60:00.000 20@9999999:00:00.000 20@00:00:00.000 20@00:00:05.000 @ - ",
			times: []string{`turn 1 "Interviewer" 0:13:32 1s -`, `turn 2 "Maria" 33:40:50 - -`, `turn 3 "Interviewer" 51:64:72 - -`, `turn 4 "Maria" 73:80:101 - -`, "anchor 20 0s"},
			warn:  "source i1: some of its qcode times were left out (14 not understood, 4 outside its text, 1 where none of its turns starts)"},
		{name: "nothing usable", desc: "qcode times:\n999-1000@00:00:01.000 3-10@00:00:01.000 zzz",
			warn: "source i1: some of its qcode times were left out (1 not understood, 1 outside its text, 1 where none of its turns starts)"},
		{name: "huge count", desc: huge, times: []string{`turn 1 "Interviewer" 0:13:32 - -`, `turn 2 "Maria" 33:40:50 - -`, `turn 3 "Interviewer" 51:64:72 - -`, `turn 4 "Maria" 73:80:101 - -`, "anchor 1 1s"},
			warn: "source i1: some of its qcode times were left out (205 not understood, and all past the first 206)"},
		{name: "cut turns", desc: "qcode times:\n40-44@00:00:01.000-00:00:02.000 45-50@00:00:03.000 64-67@00:00:04.000",
			times: []string{`turn 1 "Interviewer" 0:13:32 - -`, `turn 2 "Maria" 33:40:40 - -`, `turn 3 "" 40:40:44 1s 2s`, `turn 4 "" 45:45:50 3s -`,
				`turn 5 "Interviewer" 51:64:64 - -`, `turn 6 "" 64:64:67 4s -`, `turn 7 "" 68:68:72 - -`, `turn 8 "Maria" 73:80:101 - -`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			z := makeZip(t, entry{"project.qde", timesSource(tc.desc)}, entry{"sources/ok.txt", "A fine text.\n"}, entry{"sources/i1.txt", casesInterview})
			start := time.Now()
			snap, rep, err := readProject("times.qdpx", bytes.NewReader(z), int64(len(z)))
			if err != nil {
				t.Fatal(err)
			}
			// Not a speed test: a block of entries read badly (each
			// against all) would take minutes; the time is logged.
			if d := time.Since(start); d > 60*time.Second {
				t.Errorf("reading took %v: not linear in the entries", d)
			} else {
				t.Logf("reading took %v", d)
			}
			checkSnapshot(t, snap)
			var i1 coding.SnapshotDocument
			for _, d := range snap.Documents {
				if d.Name == "i1" {
					i1 = d
				}
			}
			if got := timesOf(i1); !reflect.DeepEqual(got, tc.times) {
				t.Errorf("times:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.times, "\n"))
			}
			var warns []string
			for _, w := range rep.Warnings {
				if strings.Contains(w, "qcode times") {
					warns = append(warns, w)
				}
			}
			if want := []string{tc.warn}; tc.warn == "" && len(warns) != 0 || tc.warn != "" && !reflect.DeepEqual(warns, want) {
				t.Errorf("warnings %q; want %q", warns, tc.warn)
			}
			memo := ""
			for _, m := range snap.Memos {
				if m.Target == coding.TargetDocument {
					memo = m.Text
				}
			}
			if memo != tc.memo {
				t.Errorf("memo %q; want %q", memo, tc.memo)
			}

			// The store takes it, and the project goes out and in again
			// with the same times.
			ctx := context.Background()
			s, err := coding.Create(ctx, filepath.Join(t.TempDir(), "p.qcode"), coding.Options{Coder: "nino"})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if _, _, err := s.Merge(ctx, snap, coding.MergeOptions{}); err != nil {
				t.Fatalf("Merge: %v", err)
			}
			stored, err := s.Snapshot(ctx)
			if err != nil {
				t.Fatal(err)
			}
			first := export(t, stored)
			back, rep := readBytes(t, first)
			if len(rep.Warnings) != 0 {
				t.Errorf("reading our export warned %q", rep.Warnings)
			}
			for i, d := range back.Documents {
				want := stored.Documents[i]
				if len(d.Turns) > 0 || len(d.Anchors) > 0 { // else Merge finds them
					if got, want := timesOf(d), timesOf(want); !reflect.DeepEqual(got, want) {
						t.Errorf("%s after the round trip:\n%s\nwant:\n%s", d.Name, strings.Join(got, "\n"), strings.Join(want, "\n"))
					}
				}
			}
			if second := export(t, back); !bytes.Equal(first, second) {
				t.Errorf("the second export differs from the first")
			}
		})
	}
}

// TestClock pins the time format and its reading.
func TestClock(t *testing.T) {
	for _, d := range []time.Duration{0, 999 * time.Millisecond, 62*time.Minute + 3004*time.Millisecond, 100*time.Hour + time.Millisecond, maxTimeHours*time.Hour + 59*time.Minute + 59999*time.Millisecond} {
		s := clock(d)
		back, ok := parseClock(s)
		if !ok || back != d {
			t.Errorf("clock(%v) = %q, read back as %v, %v", d, s, back, ok)
		}
	}
	if got := clock(62*time.Minute + 3004*time.Millisecond + 999*time.Microsecond); got != "01:02:03.004" {
		t.Errorf("clock = %q; want 01:02:03.004 (milliseconds, cut)", got)
	}
	for _, s := range []string{"", "1:2:3.4", "00:00:00.0000", "00:00:00,000", "+0:00:00.000", "00:00:60.000", "1000000:00:00.000", "00:00:00.00a", "00:00.000"} {
		if d, ok := parseClock(s); ok {
			t.Errorf("parseClock(%q) = %v; want refused", s, d)
		}
	}
}
