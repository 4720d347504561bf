package workspace

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/gofrs/flock"

	"github.com/tokenscope/tokenscope/internal/exchange"
	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/safetext"
	"github.com/tokenscope/tokenscope/internal/secrets"
)

// DefaultWait is how long a refresh waits for another refresh of the same
// profile (in this process or another) to finish.
const DefaultWait = 30 * time.Second

// ErrLockTimeout is returned when another refresh of the profile held its
// lock for longer than the wait.
var ErrLockTimeout = errors.New("another refresh of this profile is still running")

// LockProfile takes the profile's lock: an OS file lock in LockDir, so
// the window, the command line and any other Tokenscope wait for each
// other. onWait (may be nil) is called once if the lock is held
// elsewhere. The returned function releases it.
func (w *Workspace) LockProfile(ctx context.Context, name string, wait time.Duration, onWait func()) (func(), error) {
	if name == "" {
		return nil, errors.New("no profile named")
	}
	if err := os.MkdirAll(w.LockDir, 0o700); err != nil {
		return nil, fmt.Errorf("creating the lock directory %s: %w", w.LockDir, err)
	}
	// Escaped, so that a profile saved before names were restricted
	// (spaces, slashes) still gets a file of its own inside LockDir.
	fl := flock.New(filepath.Join(w.LockDir, "p-"+url.PathEscape(name)+".lock"))
	ok, err := fl.TryLock()
	if err != nil {
		return nil, fmt.Errorf("locking profile %s: %w", name, err)
	}
	if !ok {
		if onWait != nil {
			onWait()
		}
		if wait <= 0 {
			wait = DefaultWait
		}
		wctx, cancel := context.WithTimeout(ctx, wait)
		defer cancel()
		ok, err = fl.TryLockContext(wctx, 25*time.Millisecond)
		if !ok || err != nil {
			if ctx.Err() != nil {
				return nil, fmt.Errorf("stopped while waiting for another refresh of profile %s: %w", name, ctx.Err())
			}
			return nil, fmt.Errorf("%w: profile %s was still being refreshed after %s; try again when it is done (or wait longer with --wait)", ErrLockTimeout, name, wait)
		}
	}
	return func() { _ = fl.Unlock() }, nil
}

// RefreshResult is one profile refresh: the request as sent and what came
// back. Response may be set together with Err (see exchange.Client.Refresh).
type RefreshResult struct {
	Profile  profiles.Profile
	Request  exchange.Request
	Response *exchange.Response
	Err      error
	// Sent is false when the request never left (a usage problem, the lock
	// wait ran out): then Err is the reason and nothing changed.
	Sent bool
}

// RefreshOptions tune one refresh.
type RefreshOptions struct {
	Overrides
	Wait   time.Duration // for another refresh of the profile; DefaultWait when 0
	OnWait func()        // called once when that other refresh is running
}

// Refresh runs the refresh grant for a profile. From reading the refresh
// token until the rotated one is stored it holds the profile's lock, so
// no two requests ever carry the same refresh token. The rotated token is
// written to the keyring before anything else; when that fails or stalls,
// Response.Stored is false and Response.RefreshToken is the only copy.
func (w *Workspace) Refresh(ctx context.Context, name string, o RefreshOptions) RefreshResult {
	unlock, err := w.LockProfile(ctx, name, o.Wait, o.OnWait)
	if err != nil {
		return RefreshResult{Err: err}
	}
	defer unlock()
	return w.refreshLocked(ctx, name, o)
}

// refreshLocked is Refresh once the profile's lock is held.
func (w *Workspace) refreshLocked(ctx context.Context, name string, o RefreshOptions) RefreshResult {
	// Read under the lock: another refresh may just have rotated it.
	l, err := w.Load(ctx, name)
	if err != nil {
		return RefreshResult{Err: err}
	}
	res := RefreshResult{Profile: l.Profile}
	if res.Request, res.Err = Request(l, o.Overrides); res.Err != nil {
		return res
	}
	var store func(string) error
	if o.RefreshToken == "" {
		store = func(tok string) error { return w.Secrets.Set(name, secrets.RefreshToken, tok) }
	}
	start := time.Now()
	res.Sent = true
	res.Response, res.Err = w.Exchange.Refresh(ctx, name, res.Request, store)
	w.record(name, res.Request.TokenURL, start, res.Response, res.Err)
	if store != nil {
		w.noteFamily(name, func(f *Family, now time.Time) { f.used(res.Request.RefreshToken, res.Response, res.Err, now) })
	}
	return res
}

// RefreshAdHoc runs a refresh that belongs to no profile (a token given
// for this run, an endpoint given by hand): nothing is stored.
func (w *Workspace) RefreshAdHoc(ctx context.Context, r exchange.Request) (*exchange.Response, error) {
	start := time.Now()
	resp, err := w.Exchange.Refresh(ctx, "", r, nil)
	w.record("", r.TokenURL, start, resp, err)
	return resp, err
}

func (w *Workspace) record(profile, endpoint string, start time.Time, resp *exchange.Response, err error) {
	if w.History != nil {
		_ = w.History.Add(exchange.EntryFor(profile, safetext.RedactURL(endpoint), start, resp, err))
	}
}
