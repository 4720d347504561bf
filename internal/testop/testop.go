// Package testop holds what the tests of several packages share, and only
// tests import it: the peers they talk to — zitadel/oidc's example OpenID
// provider (Start), panva's oidc-provider (StartPanva), a scripted Auth0
// Management API (StartManagementAPI), a headless Chromium (Chromium), a
// token endpoint that rotates refresh tokens (NewRotatingTokens) — and a
// JWT signer (Sign) with one RSA and one EC key per test binary (RSAKey,
// ECKey). What a Fyne window under test shows is found with the
// subpackage onscreen.
package testop

import (
	"io"
	"log/slog"
	"net"
	"net/http/httptest"
	"testing"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
)

// Start starts zitadel/oidc's example OpenID provider (in-memory storage)
// on loopback, the real third-party provider the exchange and sign-in
// tests run against, with clients registered; it stops when the test
// ends. It returns the issuer, http://127.0.0.1:PORT/ (the issuer must be
// known before the server is built, so the listener comes first).
// zitadel's example keeps clients in a package-level map, unlocked: a test
// that calls Start must not run in parallel with another that does.
func Start(t testing.TB, clients ...*storage.Client) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	issuer := "http://" + l.Addr().String() + "/"
	storage.RegisterClients(clients...)
	st := storage.NewStorage(storage.NewUserStore(issuer))
	router := exampleop.SetupServer(issuer, st, slog.New(slog.NewTextHandler(io.Discard, nil)), false)
	srv := httptest.NewUnstartedServer(router)
	srv.Listener.Close()
	srv.Listener = l
	srv.Start()
	t.Cleanup(srv.Close)
	return issuer
}
