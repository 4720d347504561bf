package httpx

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestCheckURLAllowsHTTPOnlyForLoopback(t *testing.T) {
	t.Parallel()
	ok := []string{"https://tenant.auth0.com/", "http://127.0.0.1:8080/", "http://localhost/x", "http://[::1]:9/"}
	bad := map[string]string{
		"http://tenant.auth0.com/": "plain http",
		"ftp://x/":                 "must start with https://",
		"tenant.auth0.com":         "no host",
		"http://10.0.0.1/":         "plain http",
	}
	for _, u := range ok {
		if _, err := CheckURL(u); err != nil {
			t.Errorf("%s: %v", u, err)
		}
	}
	for u, want := range bad {
		if _, err := CheckURL(u); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err %v, want %q", u, err, want)
		}
	}
}

func TestClientDoesNotFollowRedirectsAndBodiesAreCapped(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/redirect" {
			http.Redirect(w, r, "/elsewhere", http.StatusFound)
			return
		}
		w.Write([]byte(strings.Repeat("x", 2<<20)))
	}))
	defer srv.Close()
	c := NewClient(time.Second)
	resp, err := c.Get(srv.URL + "/redirect")
	if err != nil || resp.StatusCode != http.StatusFound {
		t.Fatalf("status %v err %v", resp, err)
	}
	resp.Body.Close()
	resp, err = c.Get(srv.URL + "/big")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if _, err := ReadBody(resp.Body, MaxBody); err != ErrBodyTooLarge {
		t.Fatalf("err = %v", err)
	}
}

// Network failures read as sentences, not as Go's wrapped errors.
func TestDescribeSaysWhatWentWrongInWords(t *testing.T) {
	t.Parallel()
	c := NewClient(5 * time.Second)
	_, err := c.Get("http://does-not-exist.invalid/.well-known/openid-configuration")
	if got := Describe(err); !strings.Contains(got, "the host does-not-exist.invalid was not found") || strings.Contains(got, "dial tcp") {
		t.Errorf("DNS: %q", got)
	}
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := l.Addr().String()
	l.Close()
	_, err = c.Get("http://" + addr + "/")
	if got := Describe(err); !strings.Contains(got, "nothing answers at "+addr+" (connection refused)") {
		t.Errorf("refused: %q", got)
	}
}

// RFC 6749 §3.2 (https://www.rfc-editor.org/rfc/rfc6749#section-3.2): "The
// endpoint URI MAY include an application/x-www-form-urlencoded formatted
// query component ..., which MUST be retained ... The endpoint URI MUST NOT
// include a fragment component." An issuer takes neither (OpenID Connect
// Discovery 1.0 §2).
func TestEndpointURLsMayHaveAQueryButNoFragmentOrSecret(t *testing.T) {
	t.Parallel()
	b2c := "https://contoso.b2clogin.com/contoso.onmicrosoft.com/oauth2/v2.0/token?p=b2c_1_susi"
	if u, err := CheckEndpointURL(b2c); err != nil || u.Query().Get("p") != "b2c_1_susi" {
		t.Fatalf("%s: %v", b2c, err)
	}
	if _, err := CheckIssuerURL(b2c); err == nil || !strings.Contains(err.Error(), "query") {
		t.Fatalf("an issuer with a query: %v", err)
	}
	for raw, want := range map[string]string{
		"https://t.example.com/oauth/token#x":                 "fragment",
		"https://t.example.com/oauth/token?client_secret=abc": "client_secret",
		"https://t.example.com/oauth/token?Refresh_Token=abc": "Refresh_Token",
		"https://user:pw@t.example.com/oauth/token":           "user name or password",
		"http://t.example.com/oauth/token?p=x":                "plain http",
	} {
		_, err := CheckEndpointURL(raw)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want it refused for %q", raw, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "abc") || err != nil && strings.Contains(err.Error(), ":pw@") {
			t.Errorf("%s: the error repeats the secret: %v", raw, err)
		}
	}
}
