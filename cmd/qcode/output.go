package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// checkOutput refuses, before any work, an -o path that qcode must not
// write: a folder, a file in a folder that does not exist, or anything
// inside the project folder, where a file could take the place of the
// project's own database. An empty path (standard output) is fine.
func (a *app) checkOutput(path string) error {
	if path == "" || path == "-" {
		return nil
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return fmt.Errorf("-o %s is a folder; give a file name", path)
	}
	folder := filepath.Dir(path)
	if st, err := os.Stat(folder); err != nil || !st.IsDir() {
		return fmt.Errorf("-o %s: folder %s does not exist", path, folder)
	}
	project, err := a.projectDir()
	if err != nil {
		return nil // the command fails opening the project, and says why
	}
	if inside(resolve(path), resolve(project)) {
		return fmt.Errorf("-o %s is inside the project folder %s, where qcode keeps its own files; write it elsewhere", path, project)
	}
	return nil
}

// resolve is path made absolute with its symbolic links followed, as far
// as it exists.
func resolve(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.Clean(path)
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		return real
	}
	if real, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		return filepath.Join(real, filepath.Base(abs))
	}
	return abs
}

// inside reports whether path is dir or lies under it.
func inside(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// writeFileAtomic writes data to path through a private temporary file
// in the same folder, so a failure leaves no half-written file behind.
// A symbolic link is followed: the file it points to gets the data. A
// path that is not a regular file (a named pipe, /dev/stdout) is written
// to directly.
func writeFileAtomic(path string, data []byte) error {
	target := path
	if real, err := filepath.EvalSymlinks(path); err == nil {
		target = real
	}
	if st, err := os.Stat(target); err == nil && !st.Mode().IsRegular() {
		f, err := os.OpenFile(target, os.O_WRONLY|os.O_TRUNC, 0)
		if err == nil {
			_, err = f.Write(data)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			return fmt.Errorf("write %s: %w", path, plainErr(err))
		}
		return nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, plainErr(err))
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), target)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, plainErr(err))
	}
	return nil
}

// plainErr is the reason of a file system error without the path it
// names, which may be the temporary file's rather than the user's.
func plainErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
