package refiqda

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/qcode-dev/qcode/coding"
)

// ImportResult is what ImportProject did: what the file held that could
// not come over (Report) and what went into the new project (Merge).
type ImportResult struct {
	Dir    string              `json:"dir"`
	Report Report              `json:"report"`
	Merge  coding.MergeSummary `json:"merge"`
}

// ImportProject creates the project dir from the REFI-QDA project file:
// it reads the file (ReadProject), creates a fresh project in a temporary
// folder next to dir, merges the snapshot into it as one action, and only
// then renames it to dir. On any failure the temporary folder is removed,
// so there is either a whole new project or none. dir must not exist or
// be an empty folder. The project keeps the file's name and creation
// time, so that exporting it again gives the same project element; a file
// without a name gives the project dir's name, as 'qcode init' does. The
// temporary folder is named after the importing process, so that the
// next import into the same folder removes those a killed import left
// (sweepStaging).
func ImportProject(ctx context.Context, file, dir string, opt coding.Options) (ImportResult, error) {
	dir = filepath.Clean(dir) // "study.qcode/" names study.qcode, not a folder in it
	res := ImportResult{Dir: dir}
	fail := func(err error) (ImportResult, error) {
		return res, fmt.Errorf("import-project %s: %w", file, err)
	}
	if err := checkTarget(dir); err != nil {
		return fail(err)
	}
	snap, rep, err := ReadProject(file)
	res.Report = rep
	if err != nil {
		return res, err
	}
	if ctx.Err() != nil {
		return fail(ctx.Err())
	}

	sweepStaging(filepath.Dir(dir), time.Now())
	tmp, err := mkStaging(filepath.Dir(dir))
	if err != nil {
		return fail(err)
	}
	done := false
	defer func() {
		if !done {
			os.RemoveAll(tmp)
		}
	}()
	staged := filepath.Join(tmp, filepath.Base(dir))
	create := opt
	create.Name = snap.Name
	if !snap.CreatedAt.IsZero() {
		at := snap.CreatedAt
		create.Now = func() time.Time { return at }
	}
	s, err := coding.Create(ctx, staged, create)
	if err != nil {
		return fail(err)
	}
	if err := s.Close(); err != nil {
		return fail(err)
	}
	s, err = coding.Open(ctx, staged, opt)
	if err != nil {
		return fail(err)
	}
	sum, _, err := s.Merge(ctx, snap, coding.MergeOptions{Label: "import-project " + filepath.Base(file)})
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fail(err)
	}
	res.Merge = sum
	if testHookStaged != nil {
		if err := testHookStaged(staged); err != nil {
			return fail(err)
		}
	}

	if err := checkTarget(dir); err != nil {
		return fail(err)
	}
	if err := os.Remove(dir); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fail(err)
	}
	if err := os.Rename(staged, dir); err != nil {
		return fail(err)
	}
	done = true
	os.Remove(tmp)
	return res, nil
}

// testHookStaged, when set by a test, runs once the project is staged and
// can fail the import there.
var testHookStaged func(staged string) error

// checkTarget refuses a dir that exists and is not an empty folder.
func checkTarget(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if _, err := os.Stat(filepath.Dir(dir)); err != nil {
			return fmt.Errorf("no folder to create %s in: %w", dir, err)
		}
		return nil
	case err != nil:
		if st, serr := os.Stat(dir); serr == nil && !st.IsDir() {
			return fmt.Errorf("%s exists and is not a folder", dir)
		}
		return err
	case len(entries) > 0:
		return fmt.Errorf("%s exists and is not empty; give a new folder", dir)
	}
	return nil
}
