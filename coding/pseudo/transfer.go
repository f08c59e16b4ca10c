package pseudo

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"filippo.io/age"
	"filippo.io/age/armor"
)

// Encrypt returns the key file's content encrypted to the age recipient
// (a public key "age1…"), ASCII-armored when armored is set.
func (k *Key) Encrypt(recipient string, armored bool) ([]byte, error) {
	rs, err := age.ParseRecipients(strings.NewReader(strings.TrimSpace(recipient)))
	if err != nil {
		return nil, fmt.Errorf("recipient %q: %w (want an age public key, age1…)", recipient, err)
	}
	if len(rs) == 0 {
		return nil, fmt.Errorf("recipient %q: no age public key in it", recipient)
	}
	plain, err := k.Marshal()
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	var out io.Writer = &buf
	var aw io.WriteCloser
	if armored {
		aw = armor.NewWriter(&buf)
		out = aw
	}
	w, err := age.Encrypt(out, rs...)
	if err != nil {
		return nil, fmt.Errorf("encrypt the key: %w", err)
	}
	if _, err := w.Write(plain); err != nil {
		return nil, fmt.Errorf("encrypt the key: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("encrypt the key: %w", err)
	}
	if aw != nil {
		if err := aw.Close(); err != nil {
			return nil, fmt.Errorf("encrypt the key: %w", err)
		}
	}
	return buf.Bytes(), nil
}

// Decrypt reads a key encrypted by Encrypt (armored or not) with the age
// identities in identity (the content of an age identity file), for the
// project projectGUID, to be saved at path.
func Decrypt(data, identity []byte, path, projectGUID string) (*Key, error) {
	ids, err := age.ParseIdentities(bytes.NewReader(identity))
	if err != nil {
		return nil, fmt.Errorf("identity: %w", err)
	}
	var src io.Reader = bytes.NewReader(data)
	if bytes.HasPrefix(bytes.TrimSpace(data), []byte("-----BEGIN AGE ENCRYPTED FILE-----")) {
		src = armor.NewReader(bytes.NewReader(bytes.TrimSpace(data)))
	}
	r, err := age.Decrypt(src, ids...)
	if err != nil {
		var nm *age.NoIdentityMatchError
		if errors.As(err, &nm) {
			return nil, errors.New("the identity does not open this file: it was encrypted to someone else")
		}
		return nil, fmt.Errorf("not an age-encrypted key: %w", err)
	}
	plain, err := io.ReadAll(io.LimitReader(r, maxKeySize+1))
	if err != nil {
		return nil, fmt.Errorf("decrypt: %w", err)
	}
	if len(plain) > maxKeySize {
		return nil, fmt.Errorf("decrypted content larger than %d MiB, not a key", maxKeySize>>20)
	}
	return Unmarshal(plain, path, projectGUID)
}

// Merge adds to k the entries of other it lacks. An entry of both with
// the same id must be the same pair; it returns how many were added.
func (k *Key) Merge(other *Key) (int, error) {
	n := 0
	for _, e := range other.All() {
		if have, ok := k.Lookup(e.ID); ok {
			if have != e {
				return n, fmt.Errorf("entry %s differs between the two keys (%q → %s here, %q → %s imported); remove one first", e.ID, have.Real, have.Pseudonym, e.Real, e.Pseudonym)
			}
			continue
		}
		if _, err := k.Put(e); err != nil {
			return n, fmt.Errorf("entry %s: %w", e.ID, err)
		}
		n++
	}
	return n, nil
}

// WritePrivate writes b to path atomically, mode 0600, creating its
// folder 0700 when it does not exist.
func WritePrivate(path string, b []byte) error { return writePrivate(path, b) }
