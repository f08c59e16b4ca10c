package refiqda

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// TestTotalBudget: texts that each fit their own cap but together inflate
// past the archive's budget are refused with a message naming the total,
// before any of them is held in memory.
func TestTotalBudget(t *testing.T) {
	const each = 3 << 20
	tests := []struct {
		name   string
		texts  int
		total  int64
		err    string
		notErr string
	}{
		{name: "over the total", texts: 4, total: 8 << 20, err: "inflate beyond 8 MiB in all", notErr: "sources/t"},
		{name: "qde alone over the total", texts: 0, total: 1 << 10, err: "beyond 1 KiB in all"},
		{name: "within the total", texts: 2, total: 8 << 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var srcs strings.Builder
			entries := []entry{}
			for i := range tt.texts {
				fmt.Fprintf(&srcs, `<TextSource guid="0c000000-0000-4000-8000-0000000001%02d" name="t%d" plainTextPath="internal://t%d.txt"/>`, i, i, i)
				entries = append(entries, entry{fmt.Sprintf("sources/t%d.txt", i), strings.Repeat("word ", each/5)})
			}
			qde := withSources(srcs.String()) + strings.Repeat(" ", 2<<10)
			z := makeZip(t, append([]entry{{"project.qde", qde}, {"sources/ok.txt", "A fine text.\n"}}, entries...)...)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			snap, _, err := readProjectWithin("x.qdpx", bytes.NewReader(z), int64(len(z)), tt.total)
			runtime.ReadMemStats(&after)
			if tt.err == "" {
				if err != nil {
					t.Fatalf("read: %v", err)
				}
				if len(snap.Documents) != tt.texts+1 {
					t.Errorf("%d documents, want %d", len(snap.Documents), tt.texts+1)
				}
				return
			}
			if err == nil || !errors.Is(err, ErrHostile) || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("read = %v; want ErrHostile with %q", err, tt.err)
			}
			if tt.notErr != "" && strings.Contains(err.Error(), tt.notErr) {
				t.Errorf("read = %v; the message blames one file, want the total", err)
			}
			if got := after.TotalAlloc - before.TotalAlloc; got > each {
				t.Errorf("refusing allocated %d bytes; want less than one text (%d): nothing is held before the total is checked", got, each)
			}
		})
	}
}
