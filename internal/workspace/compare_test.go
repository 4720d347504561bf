package workspace_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tokenscope/tokenscope/internal/demotenant"
	"github.com/tokenscope/tokenscope/internal/httpx"
	"github.com/tokenscope/tokenscope/internal/tokens"
	"github.com/tokenscope/tokenscope/internal/workspace"
	"github.com/tokenscope/tokenscope/migrate"
)

func TestCompareSendsTheLegacyCallAndItsTwinAndListsTheClaims(t *testing.T) {
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
	r := migrate.Rewrite(b.Requests[0], migrate.Options{Auth: migrate.AuthNone})
	if !r.Migratable {
		t.Fatal(r.Findings)
	}
	c, err := workspace.CompareLegacy(context.Background(), httpx.NewClient(0), b.Requests[0], r.Request)
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
			if req.Auth == migrate.AuthBasic {
				req.ClientSecret = secrets[req.ClientID]
			}
			got := workspace.Send(context.Background(), httpx.NewClient(0), &req)
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
