package transcripts

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden/")

// goldenInputs are the representative samples whose parse is pinned by a
// golden file.
var goldenInputs = []string{
	"interview.md",
	"notes.txt",
	"crlf.txt",
	"timestamps.txt",
	"otter.txt",
	"interview.docx",
	"interview.odt",
	"zoom.vtt",
	"teams.vtt",
	"whisper.srt",
}

func TestGolden(t *testing.T) {
	for _, name := range goldenInputs {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", name))
			if err != nil {
				t.Fatal(err)
			}
			doc, err := Parse(name, data)
			if err != nil {
				t.Fatalf("Parse(%q) error: %v", name, err)
			}
			checkInvariants(t, doc)
			got, err := json.MarshalIndent(doc, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := filepath.Join("testdata", "golden", name+".json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Parse(%q) differs from %s (run with -update if the change is intended)\ngot:\n%s", name, golden, got)
			}
		})
	}
}
