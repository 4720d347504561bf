package safetext

import (
	"strings"
	"testing"
)

func TestMaskShowsNothingUsable(t *testing.T) {
	t.Parallel()
	if got := Mask("v1.MRrT3gL0b_Zqk9xY2wV4uT6sR8q"); got != "v1.M…(30 chars)" {
		t.Fatalf("Mask = %q", got)
	}
	if got := Mask("short"); strings.Contains(got, "short") {
		t.Fatalf("Mask = %q", got)
	}
}

func TestRedactURLHidesThePasswordOnly(t *testing.T) {
	t.Parallel()
	if got := RedactURL("https://user:hunter2@tenant.example.com/oauth/token?x=1"); strings.Contains(got, "hunter2") || !strings.HasSuffix(got, "@tenant.example.com/oauth/token?x=1") {
		t.Fatalf("RedactURL = %q", got)
	}
	if got := RedactURL("https://tenant.example.com/oauth/token"); got != "https://tenant.example.com/oauth/token" {
		t.Fatalf("RedactURL changed a URL with no user: %q", got)
	}
}
