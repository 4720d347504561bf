package workspace

import (
	"context"
	"strings"
	"testing"

	"github.com/tokenscope/tokenscope/internal/demotenant"
	"github.com/tokenscope/tokenscope/internal/exchange"
)

// pageMRRT is Auth0's Multi-Resource Refresh Token page: "Invalid or
// unauthorized scopes requested are silently ignored", and an audience a
// policy names gets a token for it. auth0/auth0-server-python#58 adds
// that "Tokens requested for audiences outside your configured policies
// will be ignored by Auth0, which will return a token for the default
// audience instead".
const pageMRRT = "https://auth0.com/docs/secure/tokens/refresh-tokens/multi-resource-refresh-token/configure-and-implement-multi-resource-refresh-token"

// A refresh of the demo profile, on a demo tenant with the demo's MRRT
// policies, compared with what it asked for: each sentence names what was
// ignored, what came back instead, and why; what was granted says nothing.
func TestAskedAndGotSaysWhichAudienceOrScopeAuth0Ignored(t *testing.T) {
	t.Parallel()
	ws, _ := newWorkspace(t)
	ten, err := demotenant.New(demotenant.Config{Policies: demotenant.DemoPolicies()})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := demotenant.Start(ten, "", false)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if _, err := ws.SeedDemo(ten); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, audience, scope string
		want                  []string // in the sentence, in this order; none: nothing ignored
	}{
		{"the profile's own audience", "", "", nil},
		{"an audience a policy names", demotenant.BillingAudience, "", nil},
		{"an audience outside the policies", "https://reports.example", "",
			[]string{"The audience https://reports.example was ignored", "(the access token is for " + demotenant.APIAudience, "returns a token for the default audience", "with no error."}},
		{"a scope the policy does not allow", demotenant.BillingAudience, "read:billing write:billing",
			[]string{"The scope write:billing was ignored", "(granted: read:billing)", "silently drops scopes", "with no error."}},
		{"both", "https://reports.example", "read:orders delete:everything",
			[]string{"The audience https://reports.example and the scope delete:everything were ignored", "with scope read:orders)", "Multi-Resource Refresh Token"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := ws.Refresh(context.Background(), "demo-web", RefreshOptions{Overrides: Overrides{Audience: c.audience, Scope: c.scope}})
			if r.Err != nil {
				t.Fatalf("Auth0 answers no error here (%s): %v", pageMRRT, r.Err)
			}
			ig := r.Ignored()
			if c.want == nil {
				if ig != nil {
					t.Fatalf("nothing was ignored, yet: %s", ig.Explanation)
				}
				return
			}
			if ig == nil {
				t.Fatalf("nothing said; the answer's scope is %q", r.Response.Scope)
			}
			rest := ig.Explanation
			for _, w := range c.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("%q lacks %q (in order)", ig.Explanation, w)
				}
				rest = rest[i+len(w):]
			}
			if strings.Count(ig.Explanation, ". ") > 0 || !strings.HasSuffix(ig.Explanation, ".") {
				t.Fatalf("not one sentence: %q", ig.Explanation)
			}
		})
	}
}

// An opaque access token cannot show its audience: asking for one and
// getting an opaque token is said plainly (Auth0 issues one only for no
// API); an answer without scope granted what was asked (RFC 6749 §5.1); a
// --param audience= is what was sent, so it is what is compared.
func TestAskedAndGotReadsOpaqueTokensParamsAndAMissingScope(t *testing.T) {
	t.Parallel()
	opaque := &exchange.Response{AccessToken: "demo-opaque.abc", Scope: "openid"}
	ig := AskedAndGot(exchange.Request{Audience: demotenant.APIAudience}, opaque)
	if ig == nil || ig.Audience != demotenant.APIAudience || !strings.HasPrefix(ig.Explanation, "The access token is opaque, so it cannot show the audience "+demotenant.APIAudience) {
		t.Fatalf("opaque: %+v", ig)
	}
	if ig := AskedAndGot(exchange.Request{Scope: "openid email"}, &exchange.Response{AccessToken: "demo-opaque.abc"}); ig != nil {
		t.Fatalf("no scope in the answer means the scope asked for: %+v", ig)
	}
	if ig := AskedAndGot(exchange.Request{Audience: "https://a", Params: map[string]string{"audience": "https://b"}}, opaque); ig == nil || ig.Audience != "https://b" {
		t.Fatalf("--param audience= is what was sent: %+v", ig)
	}
	if ig := (RefreshResult{Request: exchange.Request{Audience: "https://a"}, Response: opaque, Err: &exchange.Error{Code: exchange.CodeInvalidResponse}}).Ignored(); ig != nil {
		t.Fatalf("a failed refresh ignored nothing: %+v", ig)
	}
}
