package workspace

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/secrets"
	"github.com/tokenscope/tokenscope/internal/testop"
)

// The lineage follows what Tokenscope saw: a token stored by hand, two
// rotations, a refusal; fingerprints only, never a token, in the file.
func TestTheFamilyFollowsRotationsAndRefusalsWithoutSecrets(t *testing.T) {
	t.Parallel()
	ws, mem := newWorkspace(t)
	srv := testop.NewRotatingTokens(t, "v1.first")
	saveRotatingProfile(t, ws, srv.URL)
	ctx := context.Background()
	for range 2 {
		if r := ws.Refresh(ctx, "api", RefreshOptions{}); r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	// Someone else spent the current token: the next refresh is refused.
	_ = mem.Set("api", secrets.RefreshToken, "v1.first")
	if r := ws.Refresh(ctx, "api", RefreshOptions{}); r.Err == nil {
		t.Fatal("a spent token was accepted")
	}
	f, err := ws.Family("api")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tok := range f.Tokens {
		got = append(got, tok.Origin+":"+string(tok.State))
	}
	want := "stored:rejected rotation:used rotation:current"
	if strings.Join(got, " ") != want {
		t.Fatalf("family %v, want %s", got, want)
	}
	if f.Tokens[0].Fingerprint != Fingerprint("v1.first") || f.Tokens[0].Uses != 2 || !strings.Contains(f.Tokens[0].Reason, "invalid_grant") {
		t.Fatalf("first token %+v", f.Tokens[0])
	}
	b, _ := os.ReadFile(ws.familyPath("api"))
	if strings.Contains(string(b), "v1.") {
		t.Fatalf("the family file holds a token:\n%s", b)
	}
	var back Family
	if json.Unmarshal(b, &back) != nil || len(back.Tokens) != 3 {
		t.Fatalf("the file is not the family: %s", b)
	}
	// Removing the profile removes its lineage.
	if err := ws.Remove("api"); err != nil {
		t.Fatal(err)
	}
	if f, _ := ws.Family("api"); len(f.Tokens) != 0 {
		t.Fatalf("lineage kept after remove: %+v", f)
	}
}

// saveRotatingProfile saves profile "api" on a token endpoint that rotates
// refresh tokens, starting with v1.first.
func saveRotatingProfile(t *testing.T, ws *Workspace, url string) {
	t.Helper()
	p := profiles.Profile{Name: "api", Issuer: url + "/", ClientID: "c", Auth: "none", Endpoints: &profiles.Endpoints{Token: url + "/oauth/token"}}
	if _, err := ws.Save(SaveRequest{Profile: p, RefreshToken: Store("v1.first")}); err != nil {
		t.Fatal(err)
	}
}
