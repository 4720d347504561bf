//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package scan

// Elsewhere the walk relies on the folder listing's file types alone: a
// symbolic link or special file is skipped by its type before any open.
const (
	noFollow    = 0
	nonBlocking = 0
	dirOnly     = 0
)

func isLinkErr(error) bool { return false }
