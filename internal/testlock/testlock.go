// Package testlock gives tests a lock that every test process on the
// machine shares. Only tests import it.
package testlock

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gofrs/flock"
)

// Hold takes the lock called name until t ends. go test runs packages in
// parallel processes; a test that needs one fixed resource — the demo web
// app's one registered callback, 127.0.0.1:53682 — holds it first, or
// another package's test may have the port and its sign-in fail with
// "address already in use".
func Hold(t testing.TB, name string) {
	t.Helper()
	fl := flock.New(filepath.Join(os.TempDir(), "tokenscope-test-"+name+".lock"))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if ok, err := fl.TryLockContext(ctx, 20*time.Millisecond); err != nil || !ok {
		t.Fatalf("waiting for the test lock %s: %v", fl.Path(), err)
	}
	t.Cleanup(func() { fl.Unlock() })
}

// WebCallbackPort names the lock on the demo web app's callback port.
const WebCallbackPort = "port-53682"
