package safetext

import (
	"fmt"
	"net/url"
	"strings"
)

// Mask shows that a secret is there without showing anything usable: its
// first four characters and its length, or eight dots when it is short.
func Mask(s string) string {
	if s == "" {
		return ""
	}
	if len(s) < 16 {
		return strings.Repeat("•", 8)
	}
	return fmt.Sprintf("%s…(%d chars)", s[:4], len(s))
}

// RedactURL hides the user information (a password) in a URL before it is
// shown; any other URL is returned as it is.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	u.User = url.User("xxxxx")
	return u.String()
}
