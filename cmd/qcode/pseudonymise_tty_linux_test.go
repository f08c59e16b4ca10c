package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"filippo.io/age"
)

// TestEncryptToNotOnTerminal: encrypted bytes are refused on a terminal;
// with -o they go to the file.
func TestEncryptToNotOnTerminal(t *testing.T) {
	t.Parallel()
	dir, _ := pxProject(t)
	tty := openTTY(t)
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	rcpt := id.Recipient().String()
	for _, args := range [][]string{
		{"quotes", "Leaving"},
		{"export", "codebook"},
		{"export", "project", "-o", "-"},
		{"search", "уехали"},
		{"show", "R01 Анна"},
	} {
		var errOut bytes.Buffer
		full := append([]string{"-p", dir}, append(args, "--encrypt-to", rcpt)...)
		err := run(context.Background(), full, strings.NewReader(""), tty, &errOut)
		if err == nil || !strings.Contains(err.Error(), "not for a terminal") {
			t.Errorf("%v --encrypt-to on a terminal = %v, want a refusal", args, err)
		}
	}
	file := t.TempDir() + "/q.md"
	var errOut bytes.Buffer
	if err := run(context.Background(), []string{"-p", dir, "quotes", "Leaving", "-o", file, "--encrypt-to", rcpt}, strings.NewReader(""), tty, &errOut); err != nil {
		t.Fatalf("quotes -o --encrypt-to on a terminal = %v", err)
	}
}
