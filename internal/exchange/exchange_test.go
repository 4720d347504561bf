package exchange

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tokenscope/tokenscope/internal/oauth"
)

// tokenServer answers every request with handler and counts requests.
func tokenServer(t *testing.T, handler http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		handler(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func jsonReply(status int, body string, headers ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

func req(u string) Request {
	return Request{TokenURL: u + "/oauth/token", ClientID: "client-1", ClientSecret: "s3cret-s3cret", Auth: oauth.AuthPost, RefreshToken: "v1.old-refresh-token"}
}

func TestErrorsAreExplainedAndNeverRetried(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		handler http.HandlerFunc
		code    string
		hint    string
	}{
		{"invalid_grant", jsonReply(403, `{"error":"invalid_grant","error_description":"Unknown or invalid refresh token."}`), "invalid_grant", "sign in again"},
		{"access_denied", jsonReply(403, `{"error":"access_denied","error_description":"Unknown or invalid refresh token."}`), "access_denied", "revokes its whole family"},
		{"invalid_client", jsonReply(401, `{"error":"invalid_client","error_description":"Client authentication failed"}`), "invalid_client", "wrong client secret or wrong authentication method"},
		{"unauthorized_client", jsonReply(403, `{"error":"unauthorized_client","error_description":"Grant type 'refresh_token' not allowed for the client."}`), "unauthorized_client", "not enabled"},
		{"invalid_scope", jsonReply(400, `{"error":"invalid_scope","error_description":"scope exceeds"}`), "invalid_scope", "narrow"},
		{"429 Retry-After", jsonReply(429, `{"error":"too_many_requests"}`, "Retry-After", "7"), "too_many_requests", "wait 7s"},
		{"5xx", jsonReply(503, `{"error":"temporarily_unavailable"}`), "temporarily_unavailable", "may already have rotated"},
		{"non-JSON error", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(502)
			io.WriteString(w, "<html>Bad gateway</html>")
		}, "", "Bad gateway"},
		{"redirect", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "https://elsewhere.example.com/oauth/token", http.StatusTemporaryRedirect)
		}, "", "does not follow redirects"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv, n := tokenServer(t, c.handler)
			_, err := NewClient().Refresh(context.Background(), "p", req(srv.URL), nil)
			var xe *Error
			if !errors.As(err, &xe) || xe.Code != c.code || !strings.Contains(err.Error(), c.hint) || !xe.OAuth() {
				t.Fatalf("err = %v (%+v)", err, xe)
			}
			if got := n.Load(); got != 1 {
				t.Fatalf("%d requests sent: a failed refresh must not be retried", got)
			}
		})
	}
}

func TestRateLimitResetHeaderGivesTheWait(t *testing.T) {
	t.Parallel()
	reset := time.Now().Add(42 * time.Second).Unix()
	srv, _ := tokenServer(t, jsonReply(429, `{"error":"too_many_requests"}`, "X-RateLimit-Reset", strconv.FormatInt(reset, 10)))
	_, err := NewClient().Refresh(context.Background(), "p", req(srv.URL), nil)
	var xe *Error
	if !errors.As(err, &xe) || xe.RetryAfter < 30*time.Second || xe.RetryAfter > 43*time.Second {
		t.Fatalf("err = %v, retry after %v", err, xe.RetryAfter)
	}
}

func TestTimeoutOversizedBodyAndUnreachable(t *testing.T) {
	t.Parallel()
	slow, _ := tokenServer(t, func(w http.ResponseWriter, r *http.Request) { time.Sleep(500 * time.Millisecond) })
	c := NewClient()
	c.Timeout = 100 * time.Millisecond
	_, err := c.Refresh(context.Background(), "p", req(slow.URL), nil)
	var xe *Error
	if !errors.As(err, &xe) || xe.OAuth() || !strings.Contains(err.Error(), "did not answer in time") {
		t.Fatalf("timeout: %v", err)
	}
	big, _ := tokenServer(t, jsonReply(200, `{"access_token":"`+strings.Repeat("a", 2<<20)+`"}`))
	if _, err := NewClient().Refresh(context.Background(), "p", req(big.URL), nil); err == nil || !strings.Contains(err.Error(), "1 MiB") {
		t.Fatalf("oversized: %v", err)
	}
	if _, err := NewClient().Refresh(context.Background(), "p", req("http://127.0.0.1:1"), nil); !errors.As(err, &xe) || !strings.Contains(err.Error(), "could not be reached") {
		t.Fatalf("unreachable: %v", err)
	}
	if _, err := NewClient().Refresh(context.Background(), "p", req("http://tenant.example.com"), nil); err == nil || !strings.Contains(err.Error(), "plain http") {
		t.Fatalf("plain http to a remote host must be refused before sending: %v", err)
	}
}

func TestTwoConcurrentRefreshesOfOneProfileSendOneRequest(t *testing.T) {
	release := make(chan struct{})
	srv, n := tokenServer(t, func(w http.ResponseWriter, r *http.Request) {
		<-release
		jsonReply(200, `{"access_token":"at","token_type":"Bearer","expires_in":60}`)(w, r)
	})
	c := NewClient()
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.Refresh(context.Background(), "profile-a", req(srv.URL), nil)
			errs <- err
		}()
	}
	time.Sleep(150 * time.Millisecond) // both have been called; one waits on the server
	close(release)
	wg.Wait()
	close(errs)
	var inFlight, ok int
	for err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, ErrInFlight):
			inFlight++
		default:
			t.Fatal(err)
		}
	}
	if ok != 1 || inFlight != 1 || n.Load() != 1 {
		t.Fatalf("ok=%d inFlight=%d requests=%d", ok, inFlight, n.Load())
	}
	// Another profile is not blocked by the first.
	if _, err := c.Refresh(context.Background(), "profile-b", req(srv.URL), nil); err != nil {
		t.Fatal(err)
	}
}

func TestARotatedTokenIsStoredBeforeTheResultIsReturned(t *testing.T) {
	t.Parallel()
	srv, _ := tokenServer(t, jsonReply(200, `{"access_token":"at","refresh_token":"v1.new-refresh-token","id_token":"x.y.z","scope":"openid","expires_in":86400,"token_type":"Bearer"}`))
	var order []string
	resp, err := NewClient().Refresh(context.Background(), "p", req(srv.URL), func(tok string) error {
		order = append(order, "stored "+tok)
		return nil
	})
	order = append(order, "returned")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(order, ",") != "stored v1.new-refresh-token,returned" || !resp.Rotated || !resp.Stored {
		t.Fatalf("order %v, resp %+v", order, resp)
	}
	if resp.IDToken != "x.y.z" || resp.Scope != "openid" || resp.ExpiresIn != 86400 || resp.Status != 200 {
		t.Fatalf("%+v", resp)
	}

	// When the keyring write fails the result says so and keeps the token.
	resp, err = NewClient().Refresh(context.Background(), "p", req(srv.URL), func(string) error { return errors.New("keyring locked") })
	if err != nil || resp.Stored || resp.StoreErr == nil || resp.RefreshToken != "v1.new-refresh-token" {
		t.Fatalf("%+v %v", resp, err)
	}
}

func TestTheRequestSentIsExactlyThePreviewForEachAuthMethod(t *testing.T) {
	t.Parallel()
	var gotBody, gotAuth string
	srv, _ := tokenServer(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		gotBody, gotAuth = string(b), r.Header.Get("Authorization")
		jsonReply(200, `{"access_token":"at"}`)(w, r)
	})
	for _, auth := range []oauth.AuthMethod{oauth.AuthNone, oauth.AuthPost, oauth.AuthBasic} {
		r := req(srv.URL)
		r.Auth, r.Scope, r.Audience, r.Params = auth, "openid profile", "https://api.example.com", map[string]string{"resource": "https://r.example.com"}
		preq, pbody, err := Preview(r)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := NewClient().Refresh(context.Background(), "p", r, nil); err != nil {
			t.Fatal(err)
		}
		if gotBody != string(pbody) || gotAuth != preq.Header.Get("Authorization") {
			t.Fatalf("%s: sent %q %q, preview %q %q", auth, gotBody, gotAuth, pbody, preq.Header.Get("Authorization"))
		}
		form, _ := url.ParseQuery(gotBody)
		if form.Get("grant_type") != "refresh_token" || form.Get("audience") != "https://api.example.com" || form.Get("resource") != "https://r.example.com" || form.Get("scope") != "openid profile" {
			t.Fatalf("%s: form %v", auth, form)
		}
		hasSecret, hasHeader := form.Has("client_secret"), gotAuth != ""
		if want := map[oauth.AuthMethod][2]bool{oauth.AuthNone: {false, false}, oauth.AuthPost: {true, false}, oauth.AuthBasic: {false, true}}[auth]; hasSecret != want[0] || hasHeader != want[1] {
			t.Fatalf("%s: secret in body %v, Authorization header %v", auth, hasSecret, hasHeader)
		}
		curl := MaskedCurl(preq, pbody, false)
		if strings.Contains(curl, "s3cret-s3cret") || strings.Contains(curl, "v1.old-refresh-token") {
			t.Fatalf("%s: the preview shows a secret:\n%s", auth, curl)
		}
	}
}

func TestValidateRefusesWhatCannotWork(t *testing.T) {
	t.Parallel()
	r := req("https://t.example.com")
	r.Params = map[string]string{"grant_type": "password"}
	if err := r.Validate(); err == nil || !strings.Contains(err.Error(), "cannot be overridden") {
		t.Fatal(err)
	}
	r = req("https://t.example.com")
	r.ClientSecret = ""
	if err := r.Validate(); err == nil || !strings.Contains(err.Error(), "needs the client secret") {
		t.Fatal(err)
	}
}

func TestAFormEncodedTokenResponseIsReadToo(t *testing.T) {
	t.Parallel()
	srv, _ := tokenServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-www-form-urlencoded")
		io.WriteString(w, "access_token=at-form&token_type=bearer&scope=openid&expires_in=3600")
	})
	resp, err := NewClient().Refresh(context.Background(), "p", req(srv.URL), nil)
	if err != nil || resp.AccessToken != "at-form" || resp.Scope != "openid" || resp.ExpiresIn != 3600 {
		t.Fatalf("%+v %v", resp, err)
	}
}

// A 2xx answer that x/oauth2 cannot use is invalid_response with its real
// status and a one-line reason, never "network"; a refresh token in it is
// still stored (it may be the only valid one now).
func TestASuccessStatusWithAnUnusableBodyIsInvalidResponseAndKeepsTheToken(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		reply  http.HandlerFunc
		reason string
		rt     string
	}{
		"no access_token": {jsonReply(200, `{"refresh_token":"v1.rotated-in-a-broken-answer","token_type":"Bearer"}`), "no access_token", "v1.rotated-in-a-broken-answer"},
		"expires_in text": {jsonReply(200, `{"access_token":"at","refresh_token":"v1.rotated-with-bad-expiry","expires_in":"abc"}`), "not a valid token response", "v1.rotated-with-bad-expiry"},
		"truncated JSON":  {jsonReply(200, `{"access_token":"at","refresh_token":"v1.rotated-then-cut"`), "unexpected end of JSON input", ""},
		"HTML": {func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, "<html><body>Welcome to the proxy</body></html>")
		}, "HTML page", ""},
		"over 1 MiB": {jsonReply(201, `{"access_token":"`+strings.Repeat("a", 2<<20)+`"}`), "1 MiB", ""},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			srv, _ := tokenServer(t, c.reply)
			var stored string
			resp, err := NewClient().Refresh(context.Background(), "p", req(srv.URL), func(tok string) error { stored = tok; return nil })
			var xe *Error
			if !errors.As(err, &xe) || xe.Code != CodeInvalidResponse || xe.Status < 200 || xe.Status > 299 || !strings.Contains(xe.Description, c.reason) {
				t.Fatalf("%#v", err)
			}
			if c.rt != "" && (resp == nil || !resp.Rotated || !resp.Stored || stored != c.rt) {
				t.Fatalf("the refresh token in the answer was not kept: %+v stored %q", resp, stored)
			}
		})
	}
}

// Auth0 answers any client-authentication mismatch with 401 access_denied
// "Unauthorized" (auth0-samples/auth0-angular-samples#201); the hint names
// the likely mismatch for the method this request used.
func TestAuth0sUnauthorizedIsExplainedForTheMethodUsed(t *testing.T) {
	t.Parallel()
	srv, _ := tokenServer(t, jsonReply(401, `{"error":"access_denied","error_description":"Unauthorized"}`))
	for auth, want := range map[oauth.AuthMethod]string{
		oauth.AuthNone:  "must be None — a single-page or native app",
		oauth.AuthPost:  "secret sent in the body",
		oauth.AuthBasic: "Authorization: Basic",
	} {
		r := req(srv.URL)
		r.Auth = auth
		_, err := NewClient().Refresh(context.Background(), "p", r, nil)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v", auth, err)
		}
	}
}

// A 429 with Auth0's X-RateLimit-Reset (epoch seconds) and no Retry-After
// says how long to wait and until when.
func TestA429SaysWhenTheLimitResets(t *testing.T) {
	t.Parallel()
	reset := strconv.FormatInt(time.Now().Add(42*time.Second).Unix(), 10)
	srv, _ := tokenServer(t, jsonReply(429, `{"error":"too_many_requests","error_description":"Global limit has been reached"}`, "X-RateLimit-Reset", reset))
	_, err := NewClient().Refresh(context.Background(), "p", req(srv.URL), nil)
	var xe *Error
	if !errors.As(err, &xe) || xe.RetryAfter < 40*time.Second || !strings.Contains(err.Error(), "the limit resets at") {
		t.Fatalf("%v", err)
	}
}

// A token endpoint with a query (Azure AD B2C's older URLs name the policy
// in ?p=) keeps it: RFC 6749 §3.2 says it MUST be retained.
func TestATokenURLWithAQueryIsSentWithIt(t *testing.T) {
	t.Parallel()
	var gotQuery string
	srv, _ := tokenServer(t, func(w http.ResponseWriter, r *http.Request) {
		gotQuery = r.URL.RawQuery
		jsonReply(200, `{"access_token":"at"}`)(w, r)
	})
	r := req(srv.URL)
	r.TokenURL += "?p=b2c_1_susi"
	if _, err := NewClient().Refresh(context.Background(), "p", r, nil); err != nil {
		t.Fatal(err)
	}
	preq, _, err := Preview(r)
	if err != nil || gotQuery != "p=b2c_1_susi" || preq.URL.RawQuery != gotQuery {
		t.Fatalf("sent ?%s, preview %v (%v)", gotQuery, preq, err)
	}
}
