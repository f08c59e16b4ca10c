//go:build !unix

package coding

const openNonblock = 0
