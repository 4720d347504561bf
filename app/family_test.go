package app

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/tokenscope/tokenscope/internal/testop"
	"github.com/tokenscope/tokenscope/internal/workspace"
)

// `family` lists the lineage a user built with `refresh`: a fingerprint
// per token (never the token), where it came from, and what it is now.
func TestFamilyListsTheLineageByFingerprint(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	srv := testop.NewRotatingTokens(t, "v1.first-token")
	w.addBareProfile(t, "api", srv.URL, "v1.first-token")
	for range 2 {
		if code, out, stderr := w.run(t, "", "refresh", "--profile", "api"); code != 0 {
			t.Fatalf("%s %s", out, stderr)
		}
	}
	code, out, _ := w.run(t, "", "family", "--profile", "api")
	if code != 0 || strings.Contains(out, "v1.") {
		t.Fatalf("exit %d, or a token in the output:\n%s", code, out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 5 || !strings.Contains(lines[2], workspace.Fingerprint("v1.first-token")) || !strings.Contains(lines[2], "stored") ||
		!strings.Contains(lines[3], "↳") || !strings.Contains(lines[3], "used") || !strings.Contains(lines[4], "current") {
		t.Fatalf("the chain:\n%s", out)
	}
	_, out, _ = w.run(t, "", "family", "--profile", "api", "--json")
	var f workspace.Family
	if err := json.Unmarshal([]byte(out), &f); err != nil || f.Profile != "api" || len(f.Tokens) != 3 || f.Tokens[2].State != workspace.StateCurrent || f.Tokens[1].Uses != 1 {
		t.Fatalf("--json: %v\n%s", err, out)
	}
	if code, _, stderr := w.run(t, "", "family", "--profile", "nope"); code != ExitUsage || !strings.Contains(stderr, "nope") {
		t.Fatalf("unknown profile: exit %d %q", code, stderr)
	}
}
