package secrets

import (
	"fmt"
	"time"
)

// DefaultTimeout bounds one keyring call. A Secret Service waiting on an
// unlock prompt, or stopped, would otherwise hold a rotated refresh token
// hostage for as long as it likes.
const DefaultTimeout = 10 * time.Second

// TimeoutError says the keyring did not answer in time. It is not an
// UnavailableError on purpose: a stalled keyring may still complete the
// write later, so nothing falls back to memory silently.
type TimeoutError struct {
	Op      string // "read", "write" or "delete"
	Account string
	After   time.Duration
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("the OS keyring did not answer the %s of %s within %s: it may be locked or stuck; unlock it (or restart gnome-keyring) and try again", e.Op, e.Account, e.After)
}

// WithTimeout gives every call to Store at most Timeout (DefaultTimeout
// when zero). A call that runs out of time goes on in the background;
// its result is dropped.
type WithTimeout struct {
	Store   Store
	Timeout time.Duration
}

func (w WithTimeout) run(op, profile, kind string, f func() (string, error)) (string, error) {
	d := w.Timeout
	if d <= 0 {
		d = DefaultTimeout
	}
	type result struct {
		v   string
		err error
	}
	ch := make(chan result, 1)
	go func() {
		v, err := f()
		ch <- result{v, err}
	}()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-t.C:
		return "", &TimeoutError{Op: op, Account: Account(profile, kind), After: d}
	}
}

func (w WithTimeout) Get(profile, kind string) (string, error) {
	return w.run("read", profile, kind, func() (string, error) { return w.Store.Get(profile, kind) })
}

func (w WithTimeout) Set(profile, kind, value string) error {
	_, err := w.run("write", profile, kind, func() (string, error) { return "", w.Store.Set(profile, kind, value) })
	return err
}

func (w WithTimeout) Delete(profile, kind string) error {
	_, err := w.run("delete", profile, kind, func() (string, error) { return "", w.Store.Delete(profile, kind) })
	return err
}

// Unavailable passes on the wrapped store's reason, when it has one
// (WithFallback), so screens can still say where secrets are kept.
func (w WithTimeout) Unavailable() error {
	if u, ok := w.Store.(interface{ Unavailable() error }); ok {
		return u.Unavailable()
	}
	return nil
}
