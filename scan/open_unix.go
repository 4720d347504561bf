//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package scan

import (
	"errors"
	"syscall"
)

// noFollow makes open fail on a symbolic link instead of following it;
// nonBlocking makes opening a FIFO return at once instead of waiting for a
// writer (the file is then refused for not being regular, never read).
const (
	noFollow    = syscall.O_NOFOLLOW
	nonBlocking = syscall.O_NONBLOCK
	dirOnly     = syscall.O_DIRECTORY
)

// isLinkErr reports whether open failed because the name is a symbolic
// link and noFollow was given.
func isLinkErr(err error) bool { return errors.Is(err, syscall.ELOOP) }
