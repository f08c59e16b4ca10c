package coding

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// ErrNotRegular is wrapped by OpenRegular's refusal of anything that is
// not a regular file: a named pipe, a device, a socket or a folder.
var ErrNotRegular = errors.New("not a regular file")

// OpenRegular opens the file at path for reading, for every command that
// reads a file the user names (a transcript, a codebook, a .qdpx, a CSV).
// Nothing special is opened blindly: a named pipe would wait for a writer
// forever (ignoring Ctrl-C), a device may never end, a socket cannot be
// opened, so each is refused at once with an error naming the file and
// what it is; a folder is refused as "PATH: a folder, not WANT" (want
// says what was expected: "a CSV file"). A file over max bytes (max > 0)
// is refused too. The file is opened without blocking and checked again
// once open, so a file swapped for a pipe between the check and the open
// is refused as well. Every error names path.
func OpenRegular(path string, max int64, want string) (*os.File, fs.FileInfo, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	if err := checkRegular(path, st, max, want); err != nil {
		return nil, nil, err
	}
	// O_NONBLOCK (on Unix) makes opening a pipe return at once instead
	// of waiting for a writer; it changes nothing for a regular file.
	f, err := os.OpenFile(path, os.O_RDONLY|openNonblock, 0)
	if err != nil {
		return nil, nil, err
	}
	now, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if err := checkRegular(path, now, max, want); err != nil {
		f.Close()
		return nil, nil, err
	}
	if !os.SameFile(st, now) {
		f.Close()
		return nil, nil, fmt.Errorf("%s: the file changed while it was being opened; try again", path)
	}
	return f, now, nil
}

// ReadRegular reads the whole regular file at path, as OpenRegular opens
// it, refusing one larger than max bytes.
func ReadRegular(path string, max int64, want string) ([]byte, error) {
	f, st, err := OpenRegular(path, max, want)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// A file that grows while it is read is read up to the cap, and
	// refused beyond it.
	limit := st.Size()
	if max > 0 {
		limit = max
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if max > 0 && int64(len(data)) > max {
		return nil, tooLarge(path, int64(len(data)), max)
	}
	return data, nil
}

// checkRegular refuses what st describes unless it is a regular file of
// at most max bytes.
func checkRegular(path string, st fs.FileInfo, max int64, want string) error {
	m := st.Mode()
	if m.IsDir() {
		return fmt.Errorf("%s: a folder, not %s", path, want)
	}
	if !m.IsRegular() {
		return fmt.Errorf("%s: %s, %w; give the file itself", path, fileKind(m), ErrNotRegular)
	}
	if max > 0 && st.Size() > max {
		return tooLarge(path, st.Size(), max)
	}
	return nil
}

func tooLarge(path string, size, max int64) error {
	return fmt.Errorf("%s: the file is %s; the limit is %s", path, mib(size), mib(max))
}

// mib writes a size in MiB, rounded up so that a file just over the
// limit never reads as the limit itself.
func mib(n int64) string {
	return fmt.Sprintf("%d MiB", (n+(1<<20)-1)>>20)
}

// fileKind names what a file that is not a regular file is.
func fileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "a special file"
}
