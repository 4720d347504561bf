package workspace

import (
	"errors"
	"fmt"
	"strings"

	"github.com/tokenscope/tokenscope/internal/oauth"
)

// ErrNotKeyValue is a parameter that is not KEY=VALUE.
var ErrNotKeyValue = errors.New("not KEY=VALUE")

// ParseParam reads one extra token-request parameter, KEY=VALUE, as both
// front ends take it (a --param flag, a line of the Clients screen's
// Parameters field): white space around the key and the value is dropped.
func ParseParam(s string) (key, value string, err error) {
	k, v, ok := strings.Cut(s, "=")
	k, v = strings.TrimSpace(k), strings.TrimSpace(v)
	if !ok || k == "" {
		return "", "", fmt.Errorf("%q is %w (a name, =, then its value: resource=https://api.example.com)", s, ErrNotKeyValue)
	}
	if oauth.Reserved(k) {
		return "", "", fmt.Errorf("the parameter %q is %w and cannot be given as an extra parameter", k, oauth.ErrReservedParam)
	}
	return k, v, nil
}

// ParseParams reads one KEY=VALUE parameter a line, skipping blank lines;
// an error names the line. No parameter at all is a nil map.
func ParseParams(text string) (map[string]string, error) {
	var out map[string]string
	for n, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		k, v, err := ParseParam(line)
		if err != nil {
			return nil, fmt.Errorf("parameter line %d: %w", n+1, err)
		}
		if out == nil {
			out = map[string]string{}
		}
		out[k] = v
	}
	return out, nil
}
