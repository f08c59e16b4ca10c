//go:build !linux && !darwin

package coding

// freeSpace cannot be told here.
func freeSpace(dir string) (uint64, bool) { return 0, false }
