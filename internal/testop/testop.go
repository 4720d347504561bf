// Package testop runs zitadel/oidc's example OpenID provider (in-memory
// storage) on loopback: the real third-party provider the exchange and
// sign-in tests run against. Only tests import it.
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

// Start registers clients and starts the provider; it stops when the test
// ends. It returns the issuer, http://127.0.0.1:PORT/ (the issuer must be
// known before the server is built, so the listener comes first).
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
