// Package capped reads at most a given number of bytes and says so when
// there were more: the one guard every reader of an archive uses against
// zip bombs, counting the bytes really inflated rather than trusting the
// archive's claims.
package capped

import (
	"errors"
	"io"
)

// ErrOverCap is what a Reader returns once its source has more bytes
// than its limit.
var ErrOverCap = errors.New("over the size cap")

// Reader reads at most a limit of bytes from its source, failing with
// ErrOverCap as soon as the source holds more.
type Reader struct {
	r     io.Reader
	left  int64
	spent *int64
}

// NewReader returns a Reader of at most limit bytes of r.
func NewReader(r io.Reader, limit int64) *Reader {
	return &Reader{r: r, left: limit}
}

// Counting makes the Reader add every byte it reads to *spent, a budget
// shared by several readers, and returns it.
func (c *Reader) Counting(spent *int64) *Reader {
	c.spent = spent
	return c
}

// Read reads from the source; past the limit it returns ErrOverCap.
func (c *Reader) Read(p []byte) (int, error) {
	if c.left < 0 {
		return 0, ErrOverCap
	}
	// One byte more than is left tells a source that has more from one
	// that ends exactly at the limit.
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	if c.spent != nil {
		*c.spent += int64(n)
	}
	if c.left < 0 {
		return 0, ErrOverCap
	}
	return n, err
}

// ReadAll reads r to its end, at most limit bytes; it fails with
// ErrOverCap when r holds more.
func ReadAll(r io.Reader, limit int64) ([]byte, error) {
	return io.ReadAll(NewReader(r, limit))
}
