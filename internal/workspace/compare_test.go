package workspace_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tokenscope/tokenscope/internal/demotenant"
	"github.com/tokenscope/tokenscope/internal/httpx"
	"github.com/tokenscope/tokenscope/internal/oauth"
	"github.com/tokenscope/tokenscope/internal/tokens"
	"github.com/tokenscope/tokenscope/internal/workspace"
	"github.com/tokenscope/tokenscope/migrate"
)

func TestCompareSendsTheLegacyCallAndItsTwinAndListsTheClaims(t *testing.T) {
	t.Parallel()
	ten, _ := demotenant.New(demotenant.Config{})
	srv, err := demotenant.Start(ten, "", false)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	sample, _ := ten.SampleDelegation()
	b, err := migrate.Parse([]byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	r := migrate.Rewrite(b.Requests[0], migrate.Options{Auth: oauth.AuthNone})
	if !r.Migratable {
		t.Fatal(r.Findings)
	}
	c, err := workspace.CompareLegacy(context.Background(), httpx.NewClient(0), b.Requests[0].Wire(), r.Request.Wire(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Legacy.Status != 200 || c.New.Status != 200 || c.Legacy.Err != "" || c.New.Err != "" {
		t.Fatalf("legacy %+v\nnew %+v", c.Legacy, c.New)
	}
	states := map[string]tokens.ClaimState{}
	for _, d := range c.Claims {
		states[d.Name] = d.State
	}
	if states["sub"] != tokens.ClaimSame || states["aud"] != tokens.ClaimSame || states["at_hash"] != tokens.ClaimOnlyRight || states["email_verified"] != tokens.ClaimOnlyRight {
		t.Fatalf("%v", states)
	}
}

// TestEveryMigratedCorpusRefreshWorksOnTheDemoTenant: the request the
// migration assistant produces must work where the README says it would.
// Every corpus entry that becomes a refresh request is sent to the demo
// tenant, with a fresh refresh token for its client and the tenant's real
// client secret in place of the corpus placeholders, and must succeed.
func TestEveryMigratedCorpusRefreshWorksOnTheDemoTenant(t *testing.T) {
	t.Parallel()
	ten, _ := demotenant.New(demotenant.Config{})
	srv, err := demotenant.Start(ten, "", false)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	secrets := map[string]string{}
	for _, c := range ten.Clients() {
		secrets[c.ID] = c.Secret
	}
	host := strings.TrimSuffix(strings.TrimPrefix(ten.Issuer(), "http://"), "/")
	files, _ := filepath.Glob(filepath.Join("..", "..", "migrate", "testdata", "corpus", "*"))
	sent := 0
	for _, f := range files {
		in, _ := os.ReadFile(f)
		b, err := migrate.Parse(in)
		if err != nil {
			continue // expected.json and the README
		}
		for _, r := range migrate.RewriteAll(b, migrate.Options{Domain: "http://" + host}) {
			if r.Request == nil {
				continue
			}
			if g, _ := r.Request.Body.Get("grant_type"); g != "refresh_token" {
				continue
			}
			req := *r.Request
			req.Body = append(migrate.Params{}, req.Body...)
			aud := ""
			if req.ClientID != "demo-native-app" {
				aud = demotenant.APIAudience
			}
			rt, err := ten.MintRefreshToken(req.ClientID, demotenant.DemoScope, aud)
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			for i, p := range req.Body {
				switch p.Name {
				case "refresh_token":
					req.Body[i].Value = rt
				case "client_secret":
					req.Body[i].Value = secrets[req.ClientID]
				}
			}
			if req.Auth == oauth.AuthBasic {
				req.ClientSecret = secrets[req.ClientID]
			}
			got := workspace.Send(context.Background(), httpx.NewClient(0), req.Wire())
			if got.Status != 200 || got.Err != "" {
				t.Errorf("%s (%s, auth %s): HTTP %d %s", filepath.Base(f), r.Source.Location, req.Auth, got.Status, got.Err)
			}
			sent++
		}
	}
	if sent < 15 {
		t.Fatalf("only %d corpus requests were sent", sent)
	}
}

// TestTheGeneratedGoProgramKeepsTheRotatedRefreshToken builds the Go
// program the migration assistant writes and runs it twice against the
// demo tenant, which rotates refresh tokens: the second run must use the
// token the first one stored (it once printed "store the new one now"
// and then failed with invalid_grant).
func TestTheGeneratedGoProgramKeepsTheRotatedRefreshToken(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds a program")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	ten, _ := demotenant.New(demotenant.Config{})
	srv, err := demotenant.Start(ten, "", false)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	rt, err := ten.MintRefreshToken("demo-native-app", demotenant.DemoScope, "")
	if err != nil {
		t.Fatal(err)
	}
	in := `{"grant_type":"urn:ietf:params:oauth:grant-type:jwt-bearer","client_id":"demo-native-app","refresh_token":"x","scope":"passthrough","api_type":"auth0"}`
	b, _ := migrate.Parse([]byte(in))
	r := migrate.Rewrite(b.Requests[0], migrate.Options{Domain: strings.TrimSuffix(ten.Issuer(), "/")})
	src, err := migrate.Render(r.Request, migrate.RenderGo, false)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	sum, _ := os.ReadFile(filepath.Join("..", "..", "go.sum"))
	var lines []string
	for _, l := range strings.Split(string(sum), "\n") {
		if strings.HasPrefix(l, "golang.org/x/oauth2 ") {
			lines = append(lines, l)
		}
	}
	mod := "module refresh\n\ngo 1.26\n\nrequire golang.org/x/oauth2 " + strings.Fields(lines[0])[1] + "\n"
	for name, content := range map[string]string{"main.go": src, "go.mod": mod, "go.sum": strings.Join(lines, "\n") + "\n"} {
		os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644)
	}
	build := exec.Command(goBin, "build", "-o", "refresh", ".")
	build.Dir = dir
	build.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("the generated program does not build: %v\n%s\n%s", err, out, src)
	}
	tokenFile := filepath.Join(dir, "rt.txt")
	for run := 1; run <= 2; run++ {
		cmd := exec.Command(filepath.Join(dir, "refresh"))
		cmd.Env = append(os.Environ(), "REFRESH_TOKEN="+rt, "REFRESH_TOKEN_FILE="+tokenFile)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("run %d: %v\n%s", run, err, out)
		}
		if !strings.Contains(string(out), "new refresh token stored in "+tokenFile) {
			t.Fatalf("run %d: %s", run, out)
		}
	}
	if fi, err := os.Stat(tokenFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the token file: %v %v", fi, err)
	}
}
