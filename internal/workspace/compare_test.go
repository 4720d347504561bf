package workspace_test

import (
	"context"
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
