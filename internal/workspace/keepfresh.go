package workspace

import (
	"context"
	"errors"
	"time"
)

// DefaultKeepFreshMargin is how long before the access token expires
// keep-fresh refreshes it.
const DefaultKeepFreshMargin = 2 * time.Minute

// keepFreshCheck bounds how long keep-fresh sleeps between looks at the
// wall clock: a machine that slept past the refresh time is noticed within
// this of waking (Go's timers follow the monotonic clock, which stands
// still while the machine sleeps).
const keepFreshCheck = 15 * time.Second

// KeepFreshOptions tune KeepFresh. Now and Sleep are the clock; tests
// inject both.
type KeepFreshOptions struct {
	Margin time.Duration // DefaultKeepFreshMargin when 0
	Now    func() time.Time
	// Sleep waits d or until ctx ends (nil: a timer).
	Sleep func(ctx context.Context, d time.Duration) error
}

// KeepFreshEvent is one step of keep-fresh, for the window to show.
type KeepFreshEvent struct {
	Profile string
	// Next is when the next refresh is due (set while running).
	Next time.Time
	// Expiry is the access token's expiry; Refreshed is set when this
	// step refreshed it (not when a cached token was still good).
	Expiry    time.Time
	Refreshed bool
	// Err is why keep-fresh stopped: it stops on the first error.
	Err error
}

// KeepFresh keeps the profile's access token fresh until ctx ends or a
// refresh fails: it refreshes at expiry − margin through AccessToken, so
// the window, the command line and other processes refresh one at a time
// (the profile's lock) and share the cached token. Each step is reported
// through onEvent; the last event carries the error, if any. After the
// machine sleeps past the refresh time it refreshes once on waking, never
// a backlog.
func (w *Workspace) KeepFresh(ctx context.Context, profile string, o KeepFreshOptions, onEvent func(KeepFreshEvent)) error {
	if o.Margin <= 0 {
		o.Margin = DefaultKeepFreshMargin
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Sleep == nil {
		o.Sleep = sleepCtx
	}
	for {
		// A token with just the margin left is due: ask for a little more.
		t, err := w.AccessToken(ctx, profile, AccessTokenOptions{MinValid: o.Margin + time.Second, Now: o.Now})
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			onEvent(KeepFreshEvent{Profile: profile, Err: err})
			return err
		}
		if t.Expiry.IsZero() {
			err := errors.New("the provider says nothing of when the access token expires (no expires_in, no exp): keep-fresh has no time to refresh at")
			onEvent(KeepFreshEvent{Profile: profile, Err: err})
			return err
		}
		next := t.Expiry.Add(-o.Margin)
		onEvent(KeepFreshEvent{Profile: profile, Next: next, Expiry: t.Expiry, Refreshed: !t.Cached})
		// Wait on the wall clock, in steps, so a sleep of the machine is
		// noticed on waking; then one refresh, whatever time was missed.
		for {
			left := next.Sub(o.Now().Round(0))
			if left <= 0 {
				break
			}
			if err := o.Sleep(ctx, min(left, keepFreshCheck)); err != nil {
				return nil // stopped by the caller
			}
		}
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
