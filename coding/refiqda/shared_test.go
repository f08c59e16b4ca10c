package refiqda

import (
	"os"
	"path/filepath"
)

// sharedDir finds the material the developers and CI keep beside the
// repository (the REFI-QDA schemas and samples): $QCODE_SHARED, else
// ../shared next to the module root, else /work/shared. Tests that need it
// skip with a message when it is not there.
func sharedDir() string {
	if d := os.Getenv("QCODE_SHARED"); d != "" {
		return d
	}
	if wd, err := os.Getwd(); err == nil {
		for d := wd; ; d = filepath.Dir(d) {
			if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
				s := filepath.Join(filepath.Dir(d), "shared")
				if _, err := os.Stat(s); err == nil {
					return s
				}
				break
			}
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	return "/work/shared"
}
