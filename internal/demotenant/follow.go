package demotenant

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
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
		return fmt.Errorf("opening the login page: %v", err)
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
		return fmt.Errorf("pressing %s: %v", decision, err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if loc == "" {
		return fmt.Errorf("the login page did not redirect (HTTP %d)", resp.StatusCode)
	}
	resp, err = hc.Get(loc)
	if err != nil {
		return fmt.Errorf("following the redirect to %s: %v", loc, err)
	}
	resp.Body.Close()
	return nil
}
