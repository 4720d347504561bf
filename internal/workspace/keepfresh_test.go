package workspace

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/tokenscope/tokenscope/internal/testop"
)

// fakeClock is a wall clock that sleeping moves forward; jump, when set,
// is added once on the next sleep (the machine suspended).
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps int
	jump   time.Duration
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps++
	c.now = c.now.Add(d + c.jump)
	c.jump = 0
	return nil
}

// Keep-fresh refreshes at expiry − margin, on the wall clock, and reports
// each step with the next refresh time.
func TestKeepFreshRefreshesAtExpiryMinusTheMargin(t *testing.T) {
	t.Parallel()
	srv := newCountingTokenServer(t, 600)
	ws, _ := accessTokenWorkspace(t, srv)
	clock := &fakeClock{now: time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)}
	start := clock.Now()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var events []KeepFreshEvent
	err := ws.KeepFresh(ctx, "api", KeepFreshOptions{Margin: 2 * time.Minute, Now: clock.Now, Sleep: clock.Sleep}, func(e KeepFreshEvent) {
		events = append(events, e)
		if len(events) == 3 {
			cancel()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if srv.refreshes() != 3 || len(events) != 3 {
		t.Fatalf("%d refreshes, events %+v", srv.refreshes(), events)
	}
	for i, e := range events {
		wantNext := start.Add(time.Duration(i)*8*time.Minute + 8*time.Minute) // 10 min tokens, 2 min margin
		if !e.Refreshed || !e.Next.Equal(wantNext) || !e.Expiry.Equal(wantNext.Add(2*time.Minute)) {
			t.Errorf("event %d: %+v, want next %s", i, e, wantNext)
		}
	}
	// It looked at the clock at least every 15 s, not once per 8 minutes.
	if clock.sleeps < 2*(8*60/15) {
		t.Fatalf("only %d looks at the clock", clock.sleeps)
	}
}

// A machine that slept three hours past the refresh time refreshes once
// on waking, not once for every missed interval.
func TestKeepFreshAfterTheMachineSleptRefreshesOnceNotABacklog(t *testing.T) {
	t.Parallel()
	srv := newCountingTokenServer(t, 600)
	ws, _ := accessTokenWorkspace(t, srv)
	clock := &fakeClock{now: time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var events []KeepFreshEvent
	_ = ws.KeepFresh(ctx, "api", KeepFreshOptions{Margin: 2 * time.Minute, Now: clock.Now, Sleep: clock.Sleep}, func(e KeepFreshEvent) {
		events = append(events, e)
		if len(events) == 1 {
			clock.mu.Lock()
			clock.jump = 3 * time.Hour
			clock.mu.Unlock()
		}
		if len(events) == 2 {
			cancel()
		}
	})
	if srv.refreshes() != 2 {
		t.Fatalf("%d refreshes after a three-hour sleep, want 2 (the first and one on waking)", srv.refreshes())
	}
	if woke := events[1]; !woke.Next.After(events[0].Next.Add(3 * time.Hour)) {
		t.Fatalf("after waking the next refresh is at %s", woke.Next)
	}
}

// The first failed refresh stops keep-fresh with the explanation.
func TestKeepFreshStopsOnTheFirstError(t *testing.T) {
	t.Parallel()
	srv := testop.NewRotatingTokens(t, "v1.first")
	ws, mem := newWorkspace(t)
	saveRotatingProfile(t, ws, srv.URL)
	clock := &fakeClock{now: time.Now()}
	var last KeepFreshEvent
	n := 0
	err := ws.KeepFresh(context.Background(), "api", KeepFreshOptions{Margin: 30 * time.Second, Now: clock.Now, Sleep: clock.Sleep}, func(e KeepFreshEvent) {
		n++
		last = e
		if n == 1 { // someone else spends the stored token
			_ = mem.Set("api", "refresh_token", "v1.first")
		}
	})
	if !errors.Is(err, ErrNoAccessToken) || last.Err == nil || n != 2 {
		t.Fatalf("err %v, %d events, last %+v", err, n, last)
	}
}
