package exchange

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/tokenscope/tokenscope/internal/httpx"
)

const tokenResponse = `{"access_token":"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhdXRoMHw0MiJ9.c2ln","refresh_token":"v1.same","id_token":"x.y.z","token_type":"Bearer","expires_in":86400,"scope":"openid offline_access"}`

// loopbackTokenServer answers every refresh and counts new connections.
func loopbackTokenServer(tb testing.TB) (*httptest.Server, *atomic.Int32) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, tokenResponse)
	}))
	srv.Config.ConnState = func(c net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	tb.Cleanup(srv.Close)
	return srv, &conns
}

func TestConnectionsAreReusedAcrossRefreshes(t *testing.T) {
	t.Parallel()
	srv, conns := loopbackTokenServer(t)
	c := NewClient()
	r := req(srv.URL)
	r.RefreshToken = "v1.same"
	for range 20 {
		if _, err := c.Refresh(context.Background(), "p", r, nil); err != nil {
			t.Fatal(err)
		}
	}
	if n := conns.Load(); n != 1 {
		t.Fatalf("20 refreshes opened %d connections, want 1", n)
	}
}

func BenchmarkRefreshThroughExchange(b *testing.B) {
	srv, _ := loopbackTokenServer(b)
	c := NewClient()
	r := req(srv.URL)
	r.RefreshToken, r.Scope = "v1.same", "openid offline_access"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Refresh(context.Background(), "p", r, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSameRequestWithNetHTTP is the floor: the same form POST and a
// read of the same body, with nothing else.
func BenchmarkSameRequestWithNetHTTP(b *testing.B) {
	srv, _ := loopbackTokenServer(b)
	hc := httpx.NewClient(httpx.DefaultTimeout)
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"v1.same"}, "client_id": {"client-1"}, "client_secret": {"s3cret-s3cret"}, "scope": {"openid offline_access"}}.Encode()
	b.ReportAllocs()
	for b.Loop() {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/oauth/token", strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}
