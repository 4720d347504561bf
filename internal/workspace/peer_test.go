package workspace

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"github.com/tokenscope/tokenscope/internal/exchange"
	"github.com/tokenscope/tokenscope/internal/oauth"
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
// confidential client's, its access tokens are opaque, and it
// authenticates a confidential client at the device authorization
// endpoint.
//
// Its documentation: https://github.com/panva/node-oidc-provider/blob/main/docs/README.md
// (the "features" section for devInteractions, deviceFlow, revocation,
// clientCredentials and userinfo; rotateRefreshToken; issueRefreshToken).

const (
	peerConfidential = "ts-peer-confidential"
	peerPublic       = "ts-peer-public"
	// peerBasic authenticates with client_secret_basic, and its ID and
	// secret hold characters RFC 6749 §2.3.1 form-encodes before Basic.
	peerBasic       = "ts-peer-basic"
	peerBasicID     = "ts peer:basic+client"
	peerBasicSecret = "a secret/with:colons&plus+signs="
	peerDeviceGrant = "urn:ietf:params:oauth:grant-type:device_code"
	// peerUser is what the person types into the login page; oidc-provider's
	// development login takes any login and password and makes the login
	// the subject.
	peerUser = "ada@peer.test"
)

// peerProvider starts oidc-provider with a confidential client_secret_post
// client and a public one, both native apps on a loopback redirect with
// any port (RFC 8252 §7.3), and a client_secret_basic one for client
// credentials, and saves a profile for each; it returns the issuer too.
func peerProvider(t *testing.T) (*Workspace, *secrets.Memory, string) {
	t.Helper()
	secret := randomToken()
	redirect := []string{"http://127.0.0.1/callback"}
	issuer := testop.StartPanva(t,
		testop.PanvaClient{ClientID: peerConfidential, ClientSecret: secret, TokenEndpointAuthMethod: "client_secret_post", ApplicationType: "native",
			RedirectURIs: redirect, ResponseTypes: []string{"code"}, GrantTypes: []string{"authorization_code", "refresh_token", "client_credentials", peerDeviceGrant}},
		testop.PanvaClient{ClientID: peerPublic, TokenEndpointAuthMethod: "none", ApplicationType: "native",
			RedirectURIs: redirect, ResponseTypes: []string{"code"}, GrantTypes: []string{"authorization_code", "refresh_token", peerDeviceGrant}},
		testop.PanvaClient{ClientID: peerBasicID, ClientSecret: peerBasicSecret, TokenEndpointAuthMethod: "client_secret_basic",
			ResponseTypes: []string{}, GrantTypes: []string{"client_credentials"}})
	ws, mem := newWorkspace(t)
	// openid and offline_access are the scopes oidc-provider knows by default
	// (its scopes_supported); it ignores others.
	for _, r := range []SaveRequest{
		{Profile: profiles.Profile{Name: peerConfidential, Issuer: issuer, ClientID: peerConfidential, Auth: string(oauth.AuthPost), Scope: "openid offline_access"}, ClientSecret: Store(secret)},
		{Profile: profiles.Profile{Name: peerPublic, Issuer: issuer, ClientID: peerPublic, Auth: string(oauth.AuthNone), Scope: "openid offline_access"}},
		{Profile: profiles.Profile{Name: peerBasic, Issuer: issuer, ClientID: peerBasicID, Auth: string(oauth.AuthBasic)}, ClientSecret: Store(peerBasicSecret)},
	} {
		if _, err := ws.Save(r); err != nil {
			t.Fatal(err)
		}
	}
	return ws, mem, issuer
}

// peerBrowser is a fresh browser profile (its own cookies: no session left
// at the provider by another subtest), or a skip where no browser runs
// (browser fails the test in CI instead). oidc-provider's pages import a
// web font from fonts.googleapis.com: every host but loopback goes to a
// proxy that hangs up at once, so a page never waits on the network.
func peerBrowser(t *testing.T, bctx context.Context) context.Context {
	t.Helper()
	if bctx == nil {
		t.Skip("no browser: oidc-provider's login and consent pages are followed only through a real one")
	}
	dead, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dead.Close() })
	go func() {
		for {
			c, err := dead.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	ctx, cancel := chromedp.NewContext(bctx, chromedp.WithNewBrowserContext(func(p *target.CreateBrowserContextParams) {
		p.ProxyServer = "http://" + dead.Addr().String() // loopback itself is never proxied
	}))
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

// peerSignIn runs Login for profile while a person plays steps on the
// provider's pages in a fresh browser profile, and returns the result and
// the title of the page Tokenscope's callback showed the browser. The
// browser is done before it returns, whatever happened.
func peerSignIn(t *testing.T, bctx context.Context, ws *Workspace, profile string, o LoginOptions, steps ...chromedp.Action[chromedp.Void]) (LoginResult, string) {
	t.Helper()
	ctx, cancel := context.WithCancel(peerBrowser(t, bctx))
	defer cancel()
	type outcome struct {
		title string
		err   error
	}
	done := make(chan outcome, 1)
	var opened atomic.Bool
	o.Open = func(u string) error {
		opened.Store(true)
		go func() {
			tctx, stop := context.WithTimeout(ctx, time.Minute)
			defer stop()
			all := append([]chromedp.Action[chromedp.Void]{chromedp.Navigate(u)}, steps...)
			all = append(all, chromedp.WaitVisible(chromedp.ID("title")))
			if err := chromedp.Do(tctx, all...); err != nil {
				done <- outcome{err: err}
				return
			}
			title, err := chromedp.Run(tctx, chromedp.Text(chromedp.ID("title")))
			done <- outcome{title, err}
		}()
		return nil
	}
	o.Timeout = time.Minute
	res := ws.Login(context.Background(), profile, o)
	if !opened.Load() {
		return res, ""
	}
	var out outcome
	select {
	case out = <-done:
	case <-time.After(15 * time.Second): // the browser waits for a page that will not come
		cancel()
		out = <-done
	}
	if out.err != nil && res.Err == nil {
		t.Fatalf("signed in, but the browser: %v", out.err)
	}
	return res, out.title
}

// peerDevice runs LoginDevice for profile while a person plays steps on
// the provider's pages, from verification_uri_complete, in a fresh
// browser profile; it returns the result and the browser's error.
func peerDevice(t *testing.T, bctx context.Context, ws *Workspace, profile string, steps ...chromedp.Action[chromedp.Void]) (LoginResult, error) {
	t.Helper()
	ctx := peerBrowser(t, bctx)
	done := make(chan error, 1)
	var once sync.Once
	res := ws.LoginDevice(context.Background(), profile, LoginOptions{Timeout: time.Minute}, func(c DeviceCode) {
		once.Do(func() {
			if c.UserCode == "" || !strings.Contains(c.VerificationURIComplete, "user_code=") {
				done <- fmt.Errorf("the device code %+v has no user code or verification_uri_complete", c)
				return
			}
			go func() {
				tctx, cancel := context.WithTimeout(ctx, time.Minute)
				defer cancel()
				done <- chromedp.Do(tctx, append([]chromedp.Action[chromedp.Void]{chromedp.Navigate(c.VerificationURIComplete)}, steps...)...)
			}()
		})
	})
	select {
	case err := <-done:
		return res, err
	default: // no code was shown
		return res, nil
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
// credentials and the device grant; and it cancels and denies, as people
// do. One provider and one browser serve every subtest.
func TestPeerOIDCProviderEveryGrantWorks(t *testing.T) {
	t.Parallel()
	ws, mem, issuer := peerProvider(t)
	bctx := browser(t)

	for _, profile := range []string{peerConfidential, peerPublic} {
		// Code + PKCE (RFC 7636 §4; RFC 8252 §7.3 for the loopback redirect
		// on any port). oidc-provider grants offline_access, and so a refresh
		// token, only when prompt contains consent, as OpenID Connect Core
		// §11 says it MUST ("the prompt parameter MUST contain consent");
		// docs: issueRefreshToken. Its ID token from the token endpoint has
		// no at_hash, which OpenID Connect Core §3.1.3.6 makes OPTIONAL
		// there: we must verify it without one (§3.1.3.7).
		t.Run(profile+" signs in with code and PKCE and the refresh token it stores works", func(t *testing.T) {
			res, title := peerSignIn(t, bctx, ws, profile, LoginOptions{Prompt: "consent"}, peerLoginSteps()...)
			if res.Err != nil {
				t.Fatalf("sign-in: %v", res.Err)
			}
			if title != "Signed in" {
				t.Fatalf("the browser shows %q", title)
			}
			// What "Signed in as SUB at ISSUER" shows: the verified ID token's
			// sub and iss, the issuer as oidc-provider names itself (no slash).
			if res.Subject != peerUser || res.Issuer != issuer {
				t.Fatalf("signed in as %q at %q, want %q at %q", res.Subject, res.Issuer, peerUser, issuer)
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
			if profile == peerConfidential && next != rt {
				t.Fatal("the confidential client's refresh token, which oidc-provider keeps, is no longer the stored one")
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

	// Cancel on the provider's page: it redirects back with
	// error=access_denied and our state (RFC 6749 §4.1.2.1); the browser is
	// told, and nothing is stored.
	t.Run("cancelling on the provider's login page stores nothing and says so", func(t *testing.T) {
		before, _ := mem.Get(peerPublic, secrets.RefreshToken)
		res, title := peerSignIn(t, bctx, ws, peerPublic, LoginOptions{Prompt: "consent"},
			chromedp.WaitVisible(chromedp.CSS(`input[name="login"]`)),
			chromedp.Click(chromedp.CSS(`.login-help a`))) // "[ Cancel ]"
		var le *LoginError
		if !errors.As(res.Err, &le) || le.Code != "access_denied" || !strings.Contains(res.Err.Error(), "nothing was stored") {
			t.Fatalf("%v", res.Err)
		}
		if title != "Sign-in failed" {
			t.Fatalf("the browser shows %q", title)
		}
		if after, _ := mem.Get(peerPublic, secrets.RefreshToken); after != before {
			t.Fatal("the stored refresh token changed")
		}
	})

	// Client credentials (RFC 6749 §4.4), oidc-provider's
	// features.clientCredentials. Tokenscope asks for an audience (Auth0
	// needs one); oidc-provider does not know the parameter and ignores it,
	// as RFC 6749 §3.2 says ("MUST ignore unrecognized request parameters").
	// A wrong secret is invalid_client (RFC 6749 §5.2); a public client is
	// refused before anything is sent.
	t.Run("a confidential client gets an access token with client credentials", func(t *testing.T) {
		cc := ws.ClientCredentials(context.Background(), peerConfidential, "https://api.peer.test", "")
		if cc.Err != nil || cc.Response.AccessToken == "" || !strings.EqualFold(cc.Response.TokenType, "Bearer") {
			t.Fatalf("client credentials: %v", cc.Err)
		}
		if cc.Response.RefreshToken != "" {
			t.Fatal("a refresh token for client credentials (RFC 6749 §4.4.3: SHOULD NOT be included)")
		}
		p, _ := ws.Profiles.Get(peerConfidential)
		p.Name = "peer-wrong-secret"
		if _, err := ws.Save(SaveRequest{Profile: p, ClientSecret: Store("not-the-secret")}); err != nil {
			t.Fatal(err)
		}
		var e *exchange.Error
		if cc := ws.ClientCredentials(context.Background(), p.Name, "https://api.peer.test", ""); !errors.As(cc.Err, &e) || e.Code != "invalid_client" || e.Status != 401 {
			t.Fatalf("a wrong client secret: %v", cc.Err)
		}
		if cc := ws.ClientCredentials(context.Background(), peerPublic, "https://api.peer.test", ""); cc.Sent || cc.Err == nil {
			t.Fatalf("a public client: sent %t, %v", cc.Sent, cc.Err)
		}
	})

	// client_secret_basic (RFC 6749 §2.3.1): the client ID and secret are
	// form-encoded, then Basic-encoded; oidc-provider decodes them the same
	// way, so a space, colon, plus or slash in either survives the trip.
	t.Run("a client_secret_basic client with form-encoded characters gets client credentials", func(t *testing.T) {
		cc := ws.ClientCredentials(context.Background(), peerBasic, "https://api.peer.test", "")
		if cc.Err != nil || cc.Response.AccessToken == "" {
			t.Fatalf("client credentials: %v", cc.Err)
		}
	})

	// The device grant (RFC 8628 §3.1–§3.5), oidc-provider's
	// features.deviceFlow: the person opens verification_uri_complete in a
	// browser, confirms the code, signs in and consents; Tokenscope polls at
	// the provider's interval (5 s by default) and stores the refresh token.
	t.Run("the device grant approved in a browser stores a refresh token that works", func(t *testing.T) {
		steps := append([]chromedp.Action[chromedp.Void]{
			// The confirmation page shows the code; Continue carries autofocus.
			chromedp.WaitVisible(chromedp.CSS(`button[autofocus]`)),
			chromedp.Click(chromedp.CSS(`button[autofocus]`)),
		}, peerLoginSteps()...)
		steps = append(steps, chromedp.WaitVisible(chromedp.Search(`//h1[text()="Sign-in Success"]`)))
		res, berr := peerDevice(t, bctx, ws, peerPublic, steps...)
		if berr != nil {
			t.Fatalf("the browser: %v", berr)
		}
		if res.Err != nil {
			t.Fatalf("device sign-in: %v", res.Err)
		}
		rt, _ := mem.Get(peerPublic, secrets.RefreshToken)
		if rt == "" || rt != res.Response.RefreshToken {
			t.Fatal("the device sign-in stored no refresh token")
		}
		if res.Subject != peerUser || res.Issuer != issuer {
			t.Fatalf("signed in as %q at %q, want %q at %q", res.Subject, res.Issuer, peerUser, issuer)
		}
		if r := ws.Refresh(context.Background(), peerPublic, RefreshOptions{}); r.Err != nil {
			t.Fatalf("refreshing with the device grant's token: %v", r.Err)
		}
	})

	// Abort on the confirmation page: the next poll is answered
	// access_denied (RFC 8628 §3.5), which ends the sign-in with nothing
	// stored.
	t.Run("the device grant aborted in the browser stores nothing and says so", func(t *testing.T) {
		before, _ := mem.Get(peerPublic, secrets.RefreshToken)
		res, berr := peerDevice(t, bctx, ws, peerPublic,
			chromedp.WaitVisible(chromedp.CSS(`button[name="abort"]`)),
			chromedp.Click(chromedp.CSS(`button[name="abort"]`)),
			chromedp.WaitVisible(chromedp.Search(`//p[contains(., "interrupted")]`)))
		if berr != nil {
			t.Fatalf("the browser: %v", berr)
		}
		var le *LoginError
		if !errors.As(res.Err, &le) || le.Code != "access_denied" || !strings.Contains(res.Err.Error(), "nothing was stored") {
			t.Fatalf("%v", res.Err)
		}
		if after, _ := mem.Get(peerPublic, secrets.RefreshToken); after != before {
			t.Fatal("the stored refresh token changed")
		}
	})

	// A confidential client authenticates at the device authorization
	// endpoint too: RFC 8628 §3.1, "The client authentication requirements
	// of Section 3.2.1 of [RFC6749] apply to requests on this endpoint",
	// and oidc-provider enforces it (401 invalid_client without the secret).
	t.Run("a confidential client's device sign-in authenticates the client", func(t *testing.T) {
		steps := append([]chromedp.Action[chromedp.Void]{
			chromedp.WaitVisible(chromedp.CSS(`button[autofocus]`)),
			chromedp.Click(chromedp.CSS(`button[autofocus]`)),
		}, peerLoginSteps()...)
		steps = append(steps, chromedp.WaitVisible(chromedp.Search(`//h1[text()="Sign-in Success"]`)))
		res, berr := peerDevice(t, bctx, ws, peerConfidential, steps...)
		if berr != nil {
			t.Fatalf("the browser: %v", berr)
		}
		if res.Err != nil {
			t.Fatalf("device sign-in: %v", res.Err)
		}
		if rt, _ := mem.Get(peerConfidential, secrets.RefreshToken); rt == "" || rt != res.Response.RefreshToken {
			t.Fatal("the device sign-in stored no refresh token")
		}
	})
}
