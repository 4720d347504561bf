package app

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/tokenscope/tokenscope/internal/demotenant"
	"github.com/tokenscope/tokenscope/internal/workspace"
)

// `tokenscope refresh` with an audience the demo's Multi-Resource Refresh
// Token policies do not name: Auth0 answers 200 with a token for the
// default audience (auth0/auth0-server-python#58), and the output says so
// in one line; --json carries the same in "ignored", null when nothing was.
func TestRefreshSaysWhichAudienceWasIgnored(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	ten, err := demotenant.New(demotenant.Config{Policies: demotenant.DemoPolicies()})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := demotenant.Start(ten, "", false)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ws := workspace.New(w.profiles.Path, w.secrets)
	ws.Profiles = w.profiles
	if _, err := ws.SeedDemo(ten); err != nil {
		t.Fatal(err)
	}

	code, out, stderr := w.run(t, "", "refresh", "--profile", "demo-web", "--audience", "https://reports.example")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want := "The audience https://reports.example was ignored (the access token is for " + demotenant.APIAudience
	var line string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "The audience ") {
			line = l
		}
	}
	if !strings.HasPrefix(line, want) || !strings.Contains(line, "returns a token for the default audience, with no error.") {
		t.Fatalf("no line says the audience was ignored:\n%s", out)
	}

	code, out, stderr = w.run(t, "", "refresh", "--profile", "demo-web", "--audience", demotenant.BillingAudience, "--scope", "openid write:billing", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got struct {
		Ignored *struct {
			Audience    *string  `json:"audience"`
			Scopes      []string `json:"scopes"`
			GotScope    string   `json:"got_scope"`
			Explanation string   `json:"explanation"`
		} `json:"ignored"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err, out)
	}
	if got.Ignored == nil || got.Ignored.Audience != nil || strings.Join(got.Ignored.Scopes, " ") != "write:billing" || got.Ignored.GotScope != "openid" ||
		!strings.HasPrefix(got.Ignored.Explanation, "The scope write:billing was ignored (granted: openid)") {
		t.Fatalf("ignored: %s", out)
	}

	code, out, _ = w.run(t, "", "refresh", "--profile", "demo-web", "--json")
	if code != 0 || !strings.Contains(out, `"ignored": null`) {
		t.Fatalf("nothing ignored must be null: %s", out)
	}
}
