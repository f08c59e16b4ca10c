package capped

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestReadAll(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		in    string
		limit int64
		want  string
		over  bool
	}{
		{"empty", "", 0, "", false},
		{"under", "abc", 5, "abc", false},
		{"exactly at the limit", "abcde", 5, "abcde", false},
		{"one byte over", "abcdef", 5, "", true},
		{"far over", strings.Repeat("x", 1<<16), 100, "", true},
		{"nothing allowed", "a", 0, "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// iotest-like: a source that gives one byte per Read.
			got, err := ReadAll(&oneByte{strings.NewReader(tc.in)}, tc.limit)
			if tc.over {
				if !errors.Is(err, ErrOverCap) {
					t.Fatalf("ReadAll(%d bytes, %d) = %d bytes, %v; want ErrOverCap", len(tc.in), tc.limit, len(got), err)
				}
				return
			}
			if err != nil || string(got) != tc.want {
				t.Fatalf("ReadAll = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

type oneByte struct{ r io.Reader }

func (o *oneByte) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	return o.r.Read(p[:1])
}

// TestCountingSharesABudget checks that readers counting into one budget
// add up what they really read, over limit or not.
func TestCountingSharesABudget(t *testing.T) {
	t.Parallel()
	var spent int64
	if _, err := io.Copy(io.Discard, NewReader(strings.NewReader("hello"), 10).Counting(&spent)); err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(io.Discard, NewReader(strings.NewReader("world!"), 10).Counting(&spent)); err != nil {
		t.Fatal(err)
	}
	if spent != 11 {
		t.Errorf("spent = %d, want 11", spent)
	}
	_, err := io.Copy(io.Discard, NewReader(strings.NewReader(strings.Repeat("z", 50)), 10).Counting(&spent))
	if !errors.Is(err, ErrOverCap) {
		t.Fatalf("over the limit: %v, want ErrOverCap", err)
	}
	if spent <= 11 || spent > 11+11 {
		t.Errorf("spent = %d after a capped read: want at most the limit and one byte more", spent)
	}
}

// TestZipBomb inflates a highly compressed entry that claims to be small:
// the cap counts what is inflated, not what the archive says.
func TestZipBomb(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("bomb.xml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(bytes.Repeat([]byte{'0'}, 8<<20)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := zr.File[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if _, err := ReadAll(rc, 1<<20); !errors.Is(err, ErrOverCap) {
		t.Fatalf("8 MiB entry under a 1 MiB cap: %v, want ErrOverCap", err)
	}
}
