// Package fixlocale runs before Fyne's lang package initializes (it imports
// only os, so Go's init order reaches it first) and rewrites a "C.UTF-8"
// locale, which Fyne cannot parse and logs an error about at start-up, to
// the equivalent "C". Without it every subcommand printed three lines of
// noise on stderr on Debian's default locale.
package fixlocale

import "os"

func init() {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		val := os.Getenv(v)
		if val == "" {
			continue
		}
		if val == "C.UTF-8" || val == "C.utf8" {
			os.Setenv(v, "C")
		}
		return
	}
}
