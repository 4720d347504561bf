package workspace

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/zitadel/oidc/v3/example/server/storage"

	"github.com/tokenscope/tokenscope/internal/demotenant"
	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/secrets"
	"github.com/tokenscope/tokenscope/internal/testop"
)

// browser is a headless Chromium driven over CDP, or nil where none can
// run (the tests then follow the same forms with an HTTP client and say
// so). In CI it must run.
func browser(t *testing.T) context.Context {
	t.Helper()
	ctx := testop.Chromium(t)
	if ctx == nil {
		t.Log("following the login forms with an HTTP client instead of a real browser")
	}
	return ctx
}

// browserOpener opens the authorization URL in the browser and lets steps
// act on the login page; it checks the callback page Tokenscope serves.
func browserOpener(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) (func(string) error, chan string) {
	titles := make(chan string, 1)
	return func(u string) error {
		go func() {
			tctx, cancel := context.WithTimeout(ctx, 60*time.Second)
			defer cancel()
			actions := append([]chromedp.Action[chromedp.Void]{chromedp.Navigate(u)}, steps...)
			actions = append(actions, chromedp.WaitVisible(chromedp.ID("title")))
			if err := chromedp.Do(tctx, actions...); err != nil {
				t.Errorf("the browser: %v", err)
			}
			title, _ := chromedp.Run(tctx, chromedp.Text(chromedp.ID("title")))
			titles <- title
		}()
		return nil
	}, titles
}

// TestSignInThroughARealBrowser: the redirect really goes through a
// browser to the loopback listener, on the demo tenant and on zitadel's
// OpenID provider, and the refresh token each issues is stored and works.
func TestSignInThroughARealBrowser(t *testing.T) {
	bctx := browser(t)
	ws, mem, _ := demoWorkspace(t)

	t.Run("demo tenant", func(t *testing.T) {
		open, titles := func(u string) error {
			go func() { _ = demotenant.FollowLogin(u, "allow") }()
			return nil
		}, chan string(nil)
		if bctx != nil {
			open, titles = browserOpener(t, bctx, chromedp.WaitVisible(chromedp.ID("continue")), chromedp.Click(chromedp.ID("continue")))
		}
		res := ws.Login(context.Background(), "demo-native", LoginOptions{Open: open, Timeout: time.Minute})
		if res.Err != nil {
			t.Fatal(res.Err)
		}
		if titles != nil {
			if title := <-titles; title != "Signed in" {
				t.Fatalf("the browser shows %q", title)
			}
		}
		if rt, _ := mem.Get("demo-native", secrets.RefreshToken); rt != res.Response.RefreshToken {
			t.Fatal("not stored")
		}
	})

	t.Run("zitadel OpenID provider", func(t *testing.T) {
		issuer := zitadelProvider(t)
		if _, err := ws.Save(SaveRequest{Profile: profiles.Profile{Name: "zitadel", Issuer: issuer, ClientID: "ts-browser-native", Auth: "none", Scope: "openid profile offline_access"}}); err != nil {
			t.Fatal(err)
		}
		open := func(u string) error { go zitadelFormLogin(t, u); return nil }
		var titles chan string
		if bctx != nil {
			open, titles = browserOpener(t, bctx,
				chromedp.WaitVisible(chromedp.ID("username")),
				chromedp.SendKeys(chromedp.ID("username"), "test-user@127.0.0.1"),
				chromedp.SendKeys(chromedp.ID("password"), "verysecure"),
				chromedp.Submit(chromedp.ID("password")))
		}
		res := ws.Login(context.Background(), "zitadel", LoginOptions{Open: open, Timeout: time.Minute})
		if res.Err != nil {
			t.Fatal(res.Err)
		}
		if titles != nil {
			if title := <-titles; title != "Signed in" {
				t.Fatalf("the browser shows %q", title)
			}
		}
		if rt, _ := mem.Get("zitadel", secrets.RefreshToken); rt == "" || rt != res.Response.RefreshToken {
			t.Fatal("not stored")
		}
		if r := ws.Refresh(context.Background(), "zitadel", RefreshOptions{}); r.Err != nil {
			t.Fatalf("refreshing with the signed-in token: %v", r.Err)
		}
	})
}

// zitadelProvider runs zitadel's example OpenID provider on loopback with a
// native client whose loopback callback takes any port.
func zitadelProvider(t *testing.T) string {
	return testop.Start(t, storage.NativeClient("ts-browser-native", "http://127.0.0.1/callback"))
}

// zitadelFormLogin follows zitadel's example login form with an HTTP
// client: where no browser can run.
func zitadelFormLogin(t *testing.T, authURL string) {
	loc, err := hopURL(authURL, nil)
	if err != nil {
		t.Error(err)
		return
	}
	id := loc.Query().Get("authRequestID")
	au, _ := url.Parse(authURL)
	base := au.Scheme + "://" + au.Host
	if loc, err = hopURL(base+"/login/username", url.Values{"username": {"test-user@127.0.0.1"}, "password": {"verysecure"}, "id": {id}}); err != nil {
		t.Error(err)
		return
	}
	if !loc.IsAbs() {
		loc, _ = loc.Parse(base + loc.String())
	}
	for loc.Query().Get("code") == "" && loc.Query().Get("error") == "" {
		if loc, err = hopURL(loc.String(), nil); err != nil {
			t.Error(err)
			return
		}
		if !loc.IsAbs() {
			loc, _ = loc.Parse(base + loc.String())
		}
	}
	if _, err := hopURL(loc.String(), nil); err != nil && !strings.Contains(err.Error(), "not a redirect") {
		t.Error(err)
	}
}

// hopURL makes one request (a POST when form is set) and returns where its
// redirect points.
func hopURL(u string, form url.Values) (*url.URL, error) {
	var resp *http.Response
	var err error
	if form != nil {
		resp, err = noRedirectClient.PostForm(u, form)
	} else {
		resp, err = noRedirectClient.Get(u)
	}
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 3 {
		return nil, fmt.Errorf("%s: %s is not a redirect", u, resp.Status)
	}
	return url.Parse(resp.Header.Get("Location"))
}

var noRedirectClient = &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
