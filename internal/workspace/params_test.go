package workspace

import (
	"errors"
	"strings"
	"testing"

	"github.com/tokenscope/tokenscope/internal/oauth"
)

// Both front ends read KEY=VALUE here: the --param flag one at a time, the
// Clients screen's Parameters field a line each. White space around the
// key and value is dropped on both (the window trimmed, the flag did not).
func TestParametersAreReadTheSameWayByBothFrontEnds(t *testing.T) {
	t.Parallel()
	k, v, err := ParseParam("  resource = https://api.example.com  ")
	if err != nil || k != "resource" || v != "https://api.example.com" {
		t.Fatalf("ParseParam = %q %q %v", k, v, err)
	}
	if k, v, err := ParseParam("organization="); err != nil || k != "organization" || v != "" {
		t.Fatalf("an empty value is a value: %q %q %v", k, v, err)
	}
	for _, bad := range []string{"resource", "=x", "  = x"} {
		if _, _, err := ParseParam(bad); !errors.Is(err, ErrNotKeyValue) {
			t.Errorf("ParseParam(%q) = %v, want ErrNotKeyValue", bad, err)
		}
	}
	if _, _, err := ParseParam(" client_secret =x"); !errors.Is(err, oauth.ErrReservedParam) {
		t.Errorf("a reserved name with spaces around it: %v", err)
	}
	m, err := ParseParams("resource=https://a\n\n  ui_locales = fr \n")
	if err != nil || len(m) != 2 || m["ui_locales"] != "fr" {
		t.Fatalf("ParseParams = %v %v", m, err)
	}
	if _, err := ParseParams("a=1\nbroken"); err == nil || !errors.Is(err, ErrNotKeyValue) || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("the error names the line: %v", err)
	}
	if m, err := ParseParams(" \n"); m != nil || err != nil {
		t.Fatalf("no parameters are a nil map: %v %v", m, err)
	}
}
