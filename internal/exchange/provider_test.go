package exchange_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/zitadel/oidc/v3/example/server/storage"
	"golang.org/x/oauth2"

	"github.com/tokenscope/tokenscope/internal/demotenant"
	"github.com/tokenscope/tokenscope/internal/discovery"
	"github.com/tokenscope/tokenscope/internal/exchange"
	"github.com/tokenscope/tokenscope/internal/httpx"
	"github.com/tokenscope/tokenscope/internal/oauth"
	"github.com/tokenscope/tokenscope/internal/testop"
)

// suiteClient is a client registered at the server under test, and a way
// to get it a fresh refresh token.
type suiteClient struct {
	name, id, secret string
	auth             oauth.AuthMethod
	signIn           func(t *testing.T) string
}

// suiteServer is what the exchange suite runs against: any OpenID
// provider that issues rotating refresh tokens.
type suiteServer struct {
	issuer  string
	clients []suiteClient
}

// runExchangeSuite checks discovery, a refresh with each client (and so
// each auth method), rotation with the old token refused, scope narrowing
// and extra parameters.
func runExchangeSuite(t *testing.T, s suiteServer) {
	hc := httpx.NewClient(10 * time.Second)
	meta, err := discovery.Discover(context.Background(), hc, s.issuer)
	if err != nil {
		t.Fatalf("discovery: %v", err)
	}
	for _, c := range s.clients {
		t.Run(c.name, func(t *testing.T) {
			rt := c.signIn(t)
			x := exchange.NewClient()
			r := exchange.Request{TokenURL: meta.TokenEndpoint, ClientID: c.id, ClientSecret: c.secret, Auth: c.auth, RefreshToken: rt, Scope: "openid offline_access"}
			var stored string
			resp, err := x.Refresh(context.Background(), c.name, r, func(tok string) error { stored = tok; return nil })
			if err != nil {
				t.Fatalf("refresh: %v", err)
			}
			if resp.AccessToken == "" || resp.Status != 200 || !resp.Rotated || stored != resp.RefreshToken || stored == rt {
				t.Fatalf("resp %+v, stored %q", resp, stored)
			}
			// The new token works, with a narrower scope and an extra parameter.
			spent := r.RefreshToken
			r.RefreshToken, r.Scope, r.Params = stored, "openid", map[string]string{"ui_locales": "en"}
			if _, err := x.Refresh(context.Background(), c.name, r, nil); err != nil {
				t.Fatalf("refresh with the rotated token: %v", err)
			}
			// Rotation: the spent token is refused. (Servers differ on what
			// reuse does to the newer tokens: Auth0 revokes the family.)
			r.RefreshToken = spent
			_, err = x.Refresh(context.Background(), c.name, r, nil)
			var xe *exchange.Error
			if !errors.As(err, &xe) || xe.Code != "invalid_grant" || !strings.Contains(err.Error(), "sign in again") {
				t.Fatalf("reusing the rotated-out token: %v", err)
			}
		})
	}
}

const (
	nativeRedirect = "http://localhost/auth/callback"
	webRedirect    = "http://localhost:9999/auth/callback"
)

// TestExchangeAgainstZitadelOIDCProvider runs the suite against zitadel's
// OpenID provider (github.com/zitadel/oidc, its example server and
// in-memory storage) on loopback.
func TestExchangeAgainstZitadelOIDCProvider(t *testing.T) {
	t.Parallel()
	issuer := testop.Start(t, storage.NativeClient("ts-native", nativeRedirect), storage.WebClient("ts-web", "ts-web-secret", webRedirect))

	signIn := func(clientID, secret, redirect string, style oauth2.AuthStyle) func(t *testing.T) string {
		return func(t *testing.T) string { return zitadelSignIn(t, issuer, clientID, secret, redirect, style) }
	}
	runExchangeSuite(t, suiteServer{issuer: issuer, clients: []suiteClient{
		{"native app, auth none", "ts-native", "", oauth.AuthNone, signIn("ts-native", "", nativeRedirect, oauth2.AuthStyleInParams)},
		{"web app, auth basic", "ts-web", "ts-web-secret", oauth.AuthBasic, signIn("ts-web", "ts-web-secret", webRedirect, oauth2.AuthStyleInHeader)},
		{"web app, auth post", "ts-web", "ts-web-secret", oauth.AuthPost, signIn("ts-web", "ts-web-secret", webRedirect, oauth2.AuthStyleInParams)},
	}})
}

// zitadelSignIn runs the authorization code flow with PKCE headlessly:
// /auth, the example login form, the callback, and the code exchange.
func zitadelSignIn(t *testing.T, issuer, clientID, secret, redirect string, style oauth2.AuthStyle) string {
	t.Helper()
	hc := httpx.NewClient(10 * time.Second) // follows no redirects: each hop is read by hand
	meta, err := discovery.Discover(context.Background(), hc, issuer)
	if err != nil {
		t.Fatal(err)
	}
	cfg := oauth2.Config{ClientID: clientID, ClientSecret: secret, RedirectURL: redirect,
		Endpoint: oauth2.Endpoint{AuthURL: meta.AuthorizationEndpoint, TokenURL: meta.TokenEndpoint, AuthStyle: style},
		Scopes:   []string{"openid", "profile", "offline_access"}}
	verifier := oauth2.GenerateVerifier()
	loc := hop(t, hc, http.MethodGet, cfg.AuthCodeURL("state-1", oauth2.S256ChallengeOption(verifier)), nil)
	id := loc.Query().Get("authRequestID")
	if id == "" {
		t.Fatalf("no authRequestID in %s", loc)
	}
	host := "127.0.0.1"
	loc = hop(t, hc, http.MethodPost, strings.TrimSuffix(issuer, "/")+"/login/username", url.Values{"username": {"test-user@" + host}, "password": {"verysecure"}, "id": {id}})
	loc = hop(t, hc, http.MethodGet, resolve(issuer, loc), nil)
	code := loc.Query().Get("code")
	if code == "" {
		t.Fatalf("no code in %s", loc)
	}
	tok, err := cfg.Exchange(context.WithValue(context.Background(), oauth2.HTTPClient, hc), code, oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("code exchange: %v", err)
	}
	if tok.RefreshToken == "" {
		t.Fatal("the provider issued no refresh token")
	}
	return tok.RefreshToken
}

// hop makes one request that must answer with a redirect, and returns where to.
func hop(t *testing.T, hc *http.Client, method, u string, form url.Values) *url.URL {
	t.Helper()
	var resp *http.Response
	var err error
	if method == http.MethodPost {
		resp, err = hc.PostForm(u, form)
	} else {
		resp, err = hc.Get(u)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 3 {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("%s %s: %s\n%.500s", method, u, resp.Status, b)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func resolve(issuer string, loc *url.URL) string {
	base, _ := url.Parse(issuer)
	return base.ResolveReference(loc).String()
}

// TestExchangeAgainstTheDemoTenant runs the same suite against
// Tokenscope's own demo tenant: one suite, two servers.
func TestExchangeAgainstTheDemoTenant(t *testing.T) {
	t.Parallel()
	ten, err := demotenant.New(demotenant.Config{})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := demotenant.Start(ten, "127.0.0.1:0", false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	var clients []suiteClient
	for _, c := range ten.Clients() {
		id := c.ID
		clients = append(clients, suiteClient{name: c.Name, id: c.ID, secret: c.Secret, auth: oauth.AuthMethod(c.Auth), signIn: func(t *testing.T) string {
			rt, err := ten.MintRefreshToken(id, "openid profile offline_access", "")
			if err != nil {
				t.Fatal(err)
			}
			return rt
		}})
	}
	runExchangeSuite(t, suiteServer{issuer: srv.Issuer(), clients: clients})
}
