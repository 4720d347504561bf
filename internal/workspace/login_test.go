package workspace

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/testlock"

	"github.com/tokenscope/tokenscope/internal/demotenant"
	"github.com/tokenscope/tokenscope/internal/secrets"
)

// demoWorkspace is a workspace seeded with a running demo tenant, which
// lets a device poll every second (not Auth0's 5 s).
func demoWorkspace(t *testing.T) (*Workspace, *secrets.Memory, *demotenant.Tenant) {
	t.Helper()
	ws, mem := newWorkspace(t)
	srv, _, err := ws.StartDemo(demotenant.Config{DeviceInterval: time.Second}.StartDemo)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return ws, mem, srv.Tenant
}

// FollowDemoLogin opens the login page the way a browser would, in the
// background (as the real opener returns at once); edit may change the
// authorization URL first (a tampered browser).
func FollowDemoLogin(t *testing.T, decision string, edit func(*url.URL)) func(string) error {
	b := &demotenant.Browser{Decision: decision, Edit: edit}
	t.Cleanup(func() {
		if err := b.Wait(); err != nil {
			t.Errorf("the browser: %v", err)
		}
	})
	return b.Open
}

func TestSignInStoresAVerifiedRefreshToken(t *testing.T) {
	t.Parallel()
	ws, mem, _ := demoWorkspace(t)
	var shown string
	res := ws.Login(context.Background(), "demo-native", LoginOptions{Open: FollowDemoLogin(t, "allow", nil), OnURL: func(u string) { shown = u }})
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	u, _ := url.Parse(shown)
	q := u.Query()
	if q.Get("code_challenge_method") != "S256" || q.Get("state") == "" || q.Get("nonce") == "" || q.Get("scope") != "openid profile email offline_access" ||
		!strings.HasPrefix(q.Get("redirect_uri"), "http://127.0.0.1:") {
		t.Fatalf("authorization URL %s", shown)
	}
	rt, _ := mem.Get("demo-native", secrets.RefreshToken)
	if rt == "" || rt != res.Response.RefreshToken || !res.Response.Stored || res.Response.IDToken == "" {
		t.Fatalf("stored %q; response %+v", rt, res.Response)
	}
	p, _ := ws.Profiles.Get("demo-native")
	if p.LastSignIn == nil || time.Since(*p.LastSignIn) > time.Minute {
		t.Fatalf("last sign-in %v", p.LastSignIn)
	}
	// The stored token works for a refresh.
	if r := ws.Refresh(context.Background(), "demo-native", RefreshOptions{}); r.Err != nil {
		t.Fatalf("refresh after sign-in: %v", r.Err)
	}
	// A confidential client signs in on its registered, exact redirect URI.
	testlock.Hold(t, testlock.WebCallbackPort)
	if res := ws.Login(context.Background(), "demo-web", LoginOptions{Open: FollowDemoLogin(t, "allow", nil)}); res.Err != nil || !res.Response.Stored {
		t.Fatalf("demo-web: %v", res.Err)
	}
}

// What must never store anything: a cancelled sign-in, a redirect with
// another state, and an ID token whose nonce is not this sign-in's.
func TestSignInRefusesWhatItMust(t *testing.T) {
	t.Parallel()
	ws, mem, _ := demoWorkspace(t)
	before, _ := mem.Get("demo-native", secrets.RefreshToken)
	unchanged := func(t *testing.T) {
		t.Helper()
		if now, _ := mem.Get("demo-native", secrets.RefreshToken); now != before {
			t.Fatal("the stored refresh token changed")
		}
	}
	t.Run("cancel", func(t *testing.T) {
		res := ws.Login(context.Background(), "demo-native", LoginOptions{Open: FollowDemoLogin(t, "deny", nil)})
		var le *LoginError
		if !errors.As(res.Err, &le) || le.Code != "access_denied" || !strings.Contains(res.Err.Error(), "nothing was stored") {
			t.Fatalf("%v", res.Err)
		}
		unchanged(t)
	})
	// An answer with another state is not this sign-in's: it is ignored
	// (see TestForgedCallbacksDoNotEndASignInInProgress) and the sign-in
	// keeps waiting for its own, here until its timeout.
	t.Run("wrong state", func(t *testing.T) {
		res := ws.Login(context.Background(), "demo-native", LoginOptions{Timeout: 3 * time.Second, Open: FollowDemoLogin(t, "allow", func(u *url.URL) {
			q := u.Query()
			q.Set("state", "forged")
			u.RawQuery = q.Encode()
		})})
		var le *LoginError
		if !errors.As(res.Err, &le) || !strings.Contains(le.Hint, "no answer from the browser") {
			t.Fatalf("%v", res.Err)
		}
		unchanged(t)
	})
	t.Run("wrong nonce", func(t *testing.T) {
		res := ws.Login(context.Background(), "demo-native", LoginOptions{Open: FollowDemoLogin(t, "allow", func(u *url.URL) {
			q := u.Query()
			q.Set("nonce", "an-attackers-nonce")
			u.RawQuery = q.Encode()
		})})
		var le *LoginError
		if !errors.As(res.Err, &le) || le.Code != "invalid_id_token" || !strings.Contains(res.Err.Error(), "nonce") {
			t.Fatalf("%v", res.Err)
		}
		unchanged(t)
	})
}

// A sign-in nobody finishes times out cleanly: the error says so and the
// loopback listener is closed.
func TestSignInTimesOutAndClosesTheListener(t *testing.T) {
	t.Parallel()
	ws, _, _ := demoWorkspace(t)
	var redirect string
	res := ws.Login(context.Background(), "demo-native", LoginOptions{Timeout: 300 * time.Millisecond, OnURL: func(u string) {
		p, _ := url.Parse(u)
		redirect = p.Query().Get("redirect_uri")
	}})
	if res.Err == nil || !strings.Contains(res.Err.Error(), "no answer from the browser") {
		t.Fatalf("%v", res.Err)
	}
	u, _ := url.Parse(redirect)
	if c, err := net.DialTimeout("tcp", u.Host, time.Second); err == nil {
		c.Close()
		t.Fatalf("the listener on %s is still open", u.Host)
	}
}

// The device grant: the code is shown, the person allows it on /activate,
// the refresh token is stored.
func TestDeviceSignIn(t *testing.T) {
	t.Parallel()
	ws, mem, _ := demoWorkspace(t)
	var once sync.Once
	res := ws.LoginDevice(context.Background(), "demo-native", LoginOptions{}, func(c DeviceCode) {
		once.Do(func() {
			if c.UserCode == "" || !strings.Contains(c.VerificationURIComplete, c.UserCode) {
				t.Errorf("code %+v", c)
			}
			go func() {
				resp, err := http.PostForm(c.VerificationURI, url.Values{"user_code": {c.UserCode}, "decision": {"allow"}})
				if err == nil {
					resp.Body.Close()
				}
			}()
		})
	})
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if rt, _ := mem.Get("demo-native", secrets.RefreshToken); rt == "" || rt != res.Response.RefreshToken {
		t.Fatal("the device sign-in stored no refresh token")
	}
}

func TestClientCredentialsUserinfoAndRevoke(t *testing.T) {
	t.Parallel()
	ws, mem, _ := demoWorkspace(t)
	cc := ws.ClientCredentials(context.Background(), "demo-backend", "", "")
	if cc.Err != nil || cc.Response.AccessToken == "" {
		t.Fatalf("client credentials: %v", cc.Err)
	}
	if cc := ws.ClientCredentials(context.Background(), "demo-native", "", ""); cc.Err == nil || !strings.Contains(cc.Err.Error(), "confidential") {
		t.Fatalf("a public client: %v", cc.Err)
	}
	res := ws.Login(context.Background(), "demo-native", LoginOptions{Open: FollowDemoLogin(t, "allow", nil)})
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	ui := ws.Userinfo(context.Background(), "demo-native", res.Response.AccessToken)
	if ui.Err != nil || ui.Claims["sub"] == nil || ui.Claims["email"] == nil {
		t.Fatalf("userinfo: %+v", ui)
	}
	if ui := ws.Userinfo(context.Background(), "demo-native", "not-a-token"); ui.Err == nil || ui.Status != 401 || !strings.Contains(ui.Err.Error(), "invalid_token") {
		t.Fatalf("bad token: %+v", ui)
	}
	if _, err := ws.Revoke(context.Background(), "demo-native"); err != nil {
		t.Fatal(err)
	}
	if _, err := mem.Get("demo-native", secrets.RefreshToken); !errors.Is(err, secrets.ErrNotFound) {
		t.Fatal("the revoked token is still in the keyring")
	}
	if r := ws.Refresh(context.Background(), "demo-native", RefreshOptions{Overrides: Overrides{RefreshToken: res.Response.RefreshToken}}); r.Err == nil {
		t.Fatal("the revoked token still refreshes")
	}
}

// slow_down is honoured (RFC 8628 §3.5: "the interval MUST be increased by
// 5 seconds for this and all subsequent requests"): after it, the next
// poll comes at least 5 s later than the interval alone would allow.
func TestDeviceSignInHonoursSlowDown(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("waits 6 s by design")
	}
	var mu sync.Mutex
	var polls []time.Time
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/.well-known/openid-configuration":
			fmt.Fprintf(w, `{"issuer":%q,"token_endpoint":%q,"jwks_uri":%q,"device_authorization_endpoint":%q}`, srv.URL+"/", srv.URL+"/token", srv.URL+"/jwks", srv.URL+"/device")
		case "/device":
			io.WriteString(w, `{"device_code":"dc","user_code":"ABCD-EFGH","verification_uri":"https://example.com/activate","expires_in":60,"interval":1}`)
		case "/token":
			mu.Lock()
			polls = append(polls, time.Now())
			n := len(polls)
			mu.Unlock()
			if n == 1 {
				w.WriteHeader(429)
				io.WriteString(w, `{"error":"slow_down","error_description":"You are polling faster than the specified interval of 1 seconds."}`)
				return
			}
			io.WriteString(w, `{"access_token":"at","token_type":"Bearer","expires_in":60,"refresh_token":"v1.device-refresh-token"}`)
		}
	}))
	defer srv.Close()
	ws, mem := newWorkspace(t)
	if _, err := ws.Save(SaveRequest{Profile: profiles.Profile{Name: "dev", Issuer: srv.URL + "/", ClientID: "c", Auth: "none", Scope: "offline_access"}}); err != nil {
		t.Fatal(err)
	}
	res := ws.LoginDevice(context.Background(), "dev", LoginOptions{}, nil)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(polls) != 2 || polls[1].Sub(polls[0]) < 5*time.Second {
		t.Fatalf("%d polls, %v apart", len(polls), polls[len(polls)-1].Sub(polls[0]))
	}
	if rt, _ := mem.Get("dev", secrets.RefreshToken); rt != "v1.device-refresh-token" {
		t.Fatalf("stored %q", rt)
	}
}
