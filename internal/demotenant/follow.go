package demotenant

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// FollowLogin does what a person does on the demo tenant's login page: it
// opens authURL, presses "Continue as the demo user" (decision "allow") or
// Cancel ("deny"), and follows the redirect to the application's callback.
// Tests and unattended demos use it where a browser would be.
func FollowLogin(authURL, decision string) error {
	hc := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Get(authURL)
	if err != nil {
		return fmt.Errorf("opening the login page: %w", err)
	}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	const marker = `name="request" value="`
	i := strings.Index(string(b), marker)
	if i < 0 {
		return fmt.Errorf("the login page has no form (HTTP %d): %.200s", resp.StatusCode, b)
	}
	id := string(b)[i+len(marker):]
	id = id[:strings.IndexByte(id, '"')]
	u, err := url.Parse(authURL)
	if err != nil {
		return err
	}
	resp, err = hc.PostForm(u.Scheme+"://"+u.Host+"/authorize/decide", url.Values{"request": {id}, "decision": {decision}})
	if err != nil {
		return fmt.Errorf("pressing %s: %w", decision, err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if loc == "" {
		return fmt.Errorf("the login page did not redirect (HTTP %d)", resp.StatusCode)
	}
	resp, err = hc.Get(loc)
	if err != nil {
		return &RedirectError{URL: loc, Err: err}
	}
	resp.Body.Close()
	return nil
}

// A RedirectError is FollowLogin's last step failing: the redirect back to
// the application's loopback listener. An application that already has
// its answer (or refused a forged one) may close the listener before it
// replies, so a caller that checks the application's result can ignore it.
type RedirectError struct {
	URL string
	Err error
}

func (e *RedirectError) Error() string {
	return fmt.Sprintf("following the redirect to %s: %v", e.URL, e.Err)
}

func (e *RedirectError) Unwrap() error { return e.Err }

// A Browser follows login pages in the background, as the browser an
// application opens would: Open returns at once. Decision is "allow" or
// "deny"; Edit, when set, changes the authorization URL first (a tampered
// browser).
type Browser struct {
	Decision string
	Edit     func(*url.URL)

	wg  sync.WaitGroup
	mu  sync.Mutex
	err error
}

// Open follows authURL in the background.
func (b *Browser) Open(authURL string) error {
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		u, err := url.Parse(authURL)
		if err == nil {
			if b.Edit != nil {
				b.Edit(u)
			}
			err = FollowLogin(u.String(), b.Decision)
		}
		var re *RedirectError
		if err != nil && !errors.As(err, &re) {
			b.mu.Lock()
			if b.err == nil {
				b.err = err
			}
			b.mu.Unlock()
		}
	}()
	return nil
}

// Wait waits for every page Open followed and returns the first failure
// before the redirect back (see RedirectError).
func (b *Browser) Wait() error {
	b.wg.Wait()
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.err
}
