package exchange

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// Error is a failed refresh, explained.
type Error struct {
	Status      int    // 0 when no response came back
	Code        string // RFC 6749 error code, when the server sent one
	Description string
	Hint        string        // what it means and what to do
	Body        string        // the response body, when it is not JSON
	RetryAfter  time.Duration // for 429, when the server said
	Cause       error         // a network error, a timeout
}

func (e *Error) Error() string {
	var b strings.Builder
	switch {
	case e.Code != "":
		fmt.Fprintf(&b, "%s", e.Code)
		if e.Description != "" {
			fmt.Fprintf(&b, " (%s)", e.Description)
		}
	case e.Status != 0:
		fmt.Fprintf(&b, "HTTP %d", e.Status)
		if e.Body != "" {
			fmt.Fprintf(&b, ": %s", truncate(e.Body, 200))
		}
	case e.Cause != nil:
		b.WriteString(e.Cause.Error())
	}
	if e.Hint != "" {
		fmt.Fprintf(&b, ": %s", e.Hint)
	}
	return b.String()
}

func truncate(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// Unwrap returns the network error or timeout behind e, if any.
func (e *Error) Unwrap() error { return e.Cause }

// CodeInvalidResponse is the Code of a 2xx answer that is not a usable
// token response.
const CodeInvalidResponse = "invalid_response"

// invalidResponse explains why a 2xx answer could not be used, in one line.
func invalidResponse(err error, rec *recorder) *Error {
	e := &Error{Status: rec.status, Code: CodeInvalidResponse, Cause: err}
	ct := rec.header.Get("Content-Type")
	switch {
	case rec.readErr != nil:
		e.Description = fmt.Sprintf("the answer could not be read: %v", rec.readErr)
	case strings.Contains(ct, "html"):
		e.Description = "the answer is an HTML page, not a token response"
	case strings.Contains(err.Error(), "missing access_token"):
		e.Description = "the answer has no access_token"
	case strings.Contains(err.Error(), "cannot parse json"), strings.Contains(err.Error(), "cannot unmarshal"):
		e.Description = "the answer is not a valid token response: " + strings.TrimPrefix(err.Error(), "oauth2: ")
	default:
		e.Description = strings.TrimPrefix(err.Error(), "oauth2: ")
	}
	e.Hint = fmt.Sprintf("the token endpoint said HTTP %d but its answer is not an OAuth token response (RFC 6749 §5.1); if it carried a new refresh token, that one is kept (stored, or shown once)", rec.status)
	return e
}

// OAuth reports whether the server answered with an error (as opposed to
// no answer at all).
func (e *Error) OAuth() bool { return e.Status != 0 }

func classify(err error, rec *recorder, ctx context.Context) *Error {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.Response == nil {
		e := &Error{Cause: err}
		switch {
		case errors.Is(ctx.Err(), context.DeadlineExceeded) || isTimeout(err):
			e.Hint = "the token endpoint did not answer in time; nothing is known about the refresh token's state, so check before trying again"
		case errors.Is(ctx.Err(), context.Canceled):
			e.Hint = "cancelled; if the request had already reached the server, the refresh token may have rotated"
		default:
			e.Hint = "the token endpoint could not be reached: check the URL and your network"
		}
		return e
	}
	e := &Error{Status: re.Response.StatusCode, Code: re.ErrorCode, Description: re.ErrorDescription}
	if e.Code == "" && !json.Valid(re.Body) {
		e.Body = string(re.Body)
	}
	switch {
	case e.Status >= 300 && e.Status < 400:
		e.Hint = fmt.Sprintf("the token endpoint redirects to %s; Tokenscope does not follow redirects there (it would forward the refresh token): use the final URL", re.Response.Header.Get("Location"))
	case e.Code == "invalid_grant" || e.Code == "access_denied" && strings.Contains(strings.ToLower(e.Description), "refresh token"):
		e.Hint = "the refresh token is expired, revoked, or was already used after rotation, which revokes its whole family: sign in again to get a new one"
	case e.Code == "invalid_client":
		e.Hint = "wrong client secret or wrong authentication method: check the secret and that the application's token endpoint authentication method is the one chosen (none, post, basic)"
	case e.Code == "unauthorized_client":
		e.Hint = "the refresh token grant is not enabled for this application: enable it in the application's grant types"
	case e.Code == "invalid_scope":
		e.Hint = "a refresh can only keep or narrow the scope of the original grant: ask for a subset"
	case e.Status == http.StatusTooManyRequests:
		e.RetryAfter = retryAfter(re.Response.Header, time.Now())
		if e.RetryAfter > 0 {
			e.Hint = fmt.Sprintf("rate limited: wait %s before trying again", e.RetryAfter.Round(time.Second))
		} else {
			e.Hint = "rate limited: wait before trying again"
		}
	case e.Status >= 500:
		e.Hint = "the server failed: try later. It may already have rotated the refresh token; if the next attempt says invalid_grant, sign in again"
	case e.Code == "":
		e.Hint = "the token endpoint answered with an error that is not an OAuth error response"
	}
	return e
}

func isTimeout(err error) bool {
	var ue *url.Error
	return errors.As(err, &ue) && ue.Timeout()
}

// retryAfter reads Retry-After (seconds or an HTTP date) or Auth0's
// X-RateLimit-Reset (a Unix time).
func retryAfter(h http.Header, now time.Time) time.Duration {
	if v := h.Get("Retry-After"); v != "" {
		if s, err := strconv.Atoi(v); err == nil {
			return time.Duration(s) * time.Second
		}
		if t, err := http.ParseTime(v); err == nil {
			return t.Sub(now)
		}
	}
	if v := h.Get("X-RateLimit-Reset"); v != "" {
		if s, err := strconv.ParseInt(v, 10, 64); err == nil {
			if d := time.Unix(s, 0).Sub(now); d > 0 {
				return d
			}
		}
	}
	return 0
}
