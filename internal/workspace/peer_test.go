package workspace

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tokenscope/tokenscope/internal/exchange"
	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/secrets"
	"github.com/tokenscope/tokenscope/internal/testop"
)

// The second, independent OpenID provider of issue 18: panva's
// oidc-provider (OpenID Certified), started from internal/testop/panva
// with its default claims and only the features a sign-in needs turned on.
// It differs from zitadel's OP and from our demo tenant where it matters:
// its token-endpoint ID tokens carry no at_hash, its issuer has no
// trailing slash, it grants offline_access only with prompt=consent, it
// rotates a public client's refresh token on every use and keeps a
// confidential client's, and its access tokens are opaque.
//
// Its documentation: https://github.com/panva/node-oidc-provider/blob/main/docs/README.md
// (the "features" section for devInteractions, deviceFlow, revocation,
// clientCredentials and userinfo; rotateRefreshToken; issueRefreshToken).

const (
	peerConfidential = "ts-peer-confidential"
	peerPublic       = "ts-peer-public"
	peerDeviceGrant  = "urn:ietf:params:oauth:grant-type:device_code"
	// peerUser is what the person types into the login page; oidc-provider's
	// development login takes any login and password and makes the login
	// the subject.
	peerUser = "ada@peer.test"
)

// peerProvider starts oidc-provider with a confidential client_secret_post
// client and a public one, both native apps on a loopback redirect with
// any port (RFC 8252 §7.3), and saves a profile for each.
func peerProvider(t *testing.T) (*Workspace, *secrets.Memory) {
	t.Helper()
	secret := randomToken()
	redirect := []string{"http://127.0.0.1/callback"}
	issuer := testop.StartPanva(t,
		testop.PanvaClient{ClientID: peerConfidential, ClientSecret: secret, TokenEndpointAuthMethod: "client_secret_post", ApplicationType: "native",
			RedirectURIs: redirect, ResponseTypes: []string{"code"}, GrantTypes: []string{"authorization_code", "refresh_token", "client_credentials", peerDeviceGrant}},
		testop.PanvaClient{ClientID: peerPublic, TokenEndpointAuthMethod: "none", ApplicationType: "native",
			RedirectURIs: redirect, ResponseTypes: []string{"code"}, GrantTypes: []string{"authorization_code", "refresh_token", peerDeviceGrant}})
	ws, mem := newWorkspace(t)
	// openid and offline_access are the scopes oidc-provider knows by default
	// (its scopes_supported); it ignores others.
	for _, r := range []SaveRequest{
		{Profile: profiles.Profile{Name: peerConfidential, Issuer: issuer, ClientID: peerConfidential, Auth: string(exchange.AuthPost), Scope: "openid offline_access"}, ClientSecret: Store(secret)},
		{Profile: profiles.Profile{Name: peerPublic, Issuer: issuer, ClientID: peerPublic, Auth: string(exchange.AuthNone), Scope: "openid offline_access"}},
	} {
		if _, err := ws.Save(r); err != nil {
			t.Fatal(err)
		}
	}
	return ws, mem
}

// peerBrowser is a fresh browser profile (its own cookies: no session left
// at the provider by another subtest), or a skip where no browser runs
// (browser fails the test in CI instead).
func peerBrowser(t *testing.T, bctx context.Context) context.Context {
	t.Helper()
	if bctx == nil {
		t.Skip("no browser: oidc-provider's login and consent pages are followed only through a real one")
	}
	ctx, cancel := chromedp.NewContext(bctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	return ctx
}

// peerLoginSteps are a person on oidc-provider's development interaction
// pages: the login form (any login, any password), then the consent page.
// The consent page's Continue button is the one with autofocus; the login
// page has none, so the wait cannot match the page being left.
func peerLoginSteps() []chromedp.Action[chromedp.Void] {
	return []chromedp.Action[chromedp.Void]{
		chromedp.WaitVisible(chromedp.CSS(`input[name="login"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="login"]`), peerUser),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), "any password"),
		chromedp.Click(chromedp.CSS(`button.login-submit`)),
		chromedp.WaitVisible(chromedp.CSS(`button[autofocus]`)),
		chromedp.Click(chromedp.CSS(`button[autofocus]`)),
	}
}

// jwtClaims reads a JWT's payload without verifying it: what the provider
// chose to put there.
func jwtClaims(t *testing.T, jwt string) map[string]any {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWS: %d parts", len(parts))
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var c map[string]any
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

// invalidGrant says whether err is the token endpoint's invalid_grant.
func invalidGrant(err error) bool {
	var e *exchange.Error
	return errors.As(err, &e) && e.Code == "invalid_grant"
}

// TestPeerOIDCProviderEveryGrantWorks signs in against panva's
// oidc-provider through a real browser, for a confidential
// (client_secret_post) and a public (none) client, then uses what a
// person got: the stored refresh token, userinfo, revocation, client
// credentials and the device grant. One provider and one browser serve
// every subtest.
func TestPeerOIDCProviderEveryGrantWorks(t *testing.T) {
	ws, mem := peerProvider(t)
	bctx := browser(t)

	for _, profile := range []string{peerConfidential, peerPublic} {
		// Code + PKCE (RFC 7636 §4; RFC 8252 §7.3 for the loopback redirect
		// on any port). oidc-provider grants offline_access, and so a refresh
		// token, only when prompt contains consent, as OpenID Connect Core
		// §11 says it MUST ("the prompt parameter MUST contain consent");
		// docs: features / issueRefreshToken. Its ID token from the token
		// endpoint has no at_hash, which OpenID Connect Core §3.1.3.6 makes
		// OPTIONAL there: we must verify it without one (§3.1.3.7).
		t.Run(profile+" signs in with code and PKCE and the refresh token it stores works", func(t *testing.T) {
			open, titles := browserOpener(t, peerBrowser(t, bctx), peerLoginSteps()...)
			res := ws.Login(context.Background(), profile, LoginOptions{Open: open, Prompt: "consent", Timeout: time.Minute})
			if res.Err != nil {
				t.Fatalf("sign-in: %v", res.Err)
			}
			if title := <-titles; title != "Signed in" {
				t.Fatalf("the browser shows %q", title)
			}
			id := jwtClaims(t, res.Response.IDToken)
			if _, ok := id["at_hash"]; ok {
				t.Fatal("oidc-provider now puts at_hash in its token-endpoint ID token: this test no longer covers a provider without one")
			}
			if id["sub"] != peerUser {
				t.Fatalf("ID token sub %v, want the login typed, %q", id["sub"], peerUser)
			}
			rt, _ := mem.Get(profile, secrets.RefreshToken)
			if rt == "" || rt != res.Response.RefreshToken || !res.Response.Stored {
				t.Fatalf("the refresh token is not stored (stored %t, %v)", res.Response.Stored, res.Response.StoreErr)
			}

			// The refresh (RFC 6749 §6). oidc-provider rotates a public
			// client's refresh token on every use and keeps a confidential
			// one's until 70% of its life (docs: rotateRefreshToken); either
			// way the token in the keyring afterwards is the one to use next.
			r := ws.Refresh(context.Background(), profile, RefreshOptions{})
			if r.Err != nil {
				t.Fatalf("refreshing with the signed-in token: %v", r.Err)
			}
			next, _ := mem.Get(profile, secrets.RefreshToken)
			if profile == peerPublic && (!r.Response.Rotated || next == rt || next != r.Response.RefreshToken) {
				t.Fatalf("the public client's rotated refresh token is not the stored one (rotated %t)", r.Response.Rotated)
			}
			if profile == peerConfidential && next != rt && next != r.Response.RefreshToken {
				t.Fatal("the stored refresh token is neither the old one nor the new one")
			}

			// userinfo (OpenID Connect Core §5.3.2: "The sub Claim MUST always
			// be returned"); the access token from the refresh is opaque.
			ui := ws.Userinfo(context.Background(), profile, r.Response.AccessToken)
			if ui.Err != nil || ui.Claims["sub"] != peerUser {
				t.Fatalf("userinfo: %v %v", ui.Claims, ui.Err)
			}

			// Revocation (RFC 7009 §2.1, §2.2): the server accepts it, the
			// keyring forgets the token, and the token endpoint refuses it
			// afterwards with invalid_grant (RFC 6749 §5.2).
			if _, err := ws.Revoke(context.Background(), profile); err != nil {
				t.Fatalf("revoke: %v", err)
			}
			if _, err := mem.Get(profile, secrets.RefreshToken); !errors.Is(err, secrets.ErrNotFound) {
				t.Fatal("the revoked refresh token is still in the keyring")
			}
			if r := ws.Refresh(context.Background(), profile, RefreshOptions{Overrides: Overrides{RefreshToken: next}}); !invalidGrant(r.Err) {
				t.Fatalf("the revoked refresh token: %v", r.Err)
			}
			// RFC 7009 §2.1: revoking a refresh token SHOULD also invalidate
			// the access tokens of the same grant, and oidc-provider does
			// (docs: revokeGrantPolicy). userinfo then answers 401 with
			// RFC 6750 §3.1's invalid_token, which the user is shown.
			if ui := ws.Userinfo(context.Background(), profile, r.Response.AccessToken); ui.Status != 401 || ui.Err == nil || !strings.Contains(ui.Err.Error(), "invalid_token") {
				t.Fatalf("userinfo with the revoked grant's access token: %d %v", ui.Status, ui.Err)
			}
		})
	}

	// Client credentials (RFC 6749 §4.4), oidc-provider's
	// features.clientCredentials. Tokenscope asks for an audience (Auth0
	// needs one); oidc-provider does not know the parameter and ignores it,
	// as RFC 6749 §3.2 says ("MUST ignore unrecognized request parameters").
	// A public client is refused before anything is sent.
	t.Run("a confidential client gets an access token with client credentials", func(t *testing.T) {
		cc := ws.ClientCredentials(context.Background(), peerConfidential, "https://api.peer.test", "")
		if cc.Err != nil || cc.Response.AccessToken == "" || !strings.EqualFold(cc.Response.TokenType, "Bearer") {
			t.Fatalf("client credentials: %v", cc.Err)
		}
		if cc.Response.RefreshToken != "" {
			t.Fatal("a refresh token for client credentials (RFC 6749 §4.4.3: SHOULD NOT be included)")
		}
		if cc := ws.ClientCredentials(context.Background(), peerPublic, "https://api.peer.test", ""); cc.Sent || cc.Err == nil {
			t.Fatalf("a public client: sent %t, %v", cc.Sent, cc.Err)
		}
	})

	// The device grant (RFC 8628 §3.1–§3.5), oidc-provider's
	// features.deviceFlow: the person opens verification_uri_complete in a
	// browser, confirms the code, signs in and consents; Tokenscope polls at
	// the provider's interval (5 s by default) and stores the refresh token.
	t.Run("the device grant approved in a browser stores a refresh token that works", func(t *testing.T) {
		ctx := peerBrowser(t, bctx)
		approved := make(chan error, 1)
		var once sync.Once
		res := ws.LoginDevice(context.Background(), peerPublic, LoginOptions{Timeout: time.Minute}, func(c DeviceCode) {
			once.Do(func() {
				if c.UserCode == "" || c.VerificationURIComplete == "" {
					approved <- errors.New("no user code or verification_uri_complete")
					return
				}
				go func() {
					tctx, cancel := context.WithTimeout(ctx, time.Minute)
					defer cancel()
					steps := append([]chromedp.Action[chromedp.Void]{
						chromedp.Navigate(c.VerificationURIComplete),
						// The confirmation page shows the code; Continue carries autofocus.
						chromedp.WaitVisible(chromedp.CSS(`button[autofocus]`)),
						chromedp.Click(chromedp.CSS(`button[autofocus]`)),
					}, peerLoginSteps()...)
					steps = append(steps, chromedp.WaitVisible(chromedp.Search(`//h1[text()="Sign-in Success"]`)))
					approved <- chromedp.Do(tctx, steps...)
				}()
			})
		})
		select {
		case err := <-approved:
			if err != nil {
				t.Fatalf("the browser: %v", err)
			}
		default: // the code never came
		}
		if res.Err != nil {
			t.Fatalf("device sign-in: %v", res.Err)
		}
		rt, _ := mem.Get(peerPublic, secrets.RefreshToken)
		if rt == "" || rt != res.Response.RefreshToken {
			t.Fatal("the device sign-in stored no refresh token")
		}
		if sub := jwtClaims(t, res.Response.IDToken)["sub"]; sub != peerUser {
			t.Fatalf("ID token sub %v", sub)
		}
		if r := ws.Refresh(context.Background(), peerPublic, RefreshOptions{}); r.Err != nil {
			t.Fatalf("refreshing with the device grant's token: %v", r.Err)
		}
	})
}
