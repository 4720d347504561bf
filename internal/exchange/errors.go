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

	"github.com/tokenscope/tokenscope/internal/httpx"
	"github.com/tokenscope/tokenscope/internal/oauth"
	"github.com/tokenscope/tokenscope/internal/safetext"
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
		// The server's words are untrusted: shown, never acted on by a terminal.
		b.WriteString(safetext.Line(e.Code))
		if e.Description != "" {
			fmt.Fprintf(&b, " (%s)", safetext.Line(e.Description))
		}
	case e.Status != 0:
		fmt.Fprintf(&b, "HTTP %d", e.Status)
		if e.Body != "" {
			fmt.Fprintf(&b, ": %s", safetext.Line(truncate(e.Body, 200)))
		}
	case e.Cause != nil:
		b.WriteString(httpx.Describe(e.Cause))
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

// invalidResponse is a 2xx answer that is not a token response, with the
// reason in one line.
func invalidResponse(reason string, a answer) *Error {
	return &Error{Status: a.status, Code: CodeInvalidResponse, Description: reason, Cause: a.readErr,
		Hint: fmt.Sprintf("the token endpoint said HTTP %d but its answer is not an OAuth token response (RFC 6749 §5.1); if it carried a new refresh token, that one is kept (stored, or shown once)", a.status)}
}

// OAuth reports whether the server answered with an error (as opposed to
// no answer at all).
func (e *Error) OAuth() bool { return e.Status != 0 }

// transportError is a request that got no answer.
func transportError(err error, ctx context.Context) *Error {
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

// oauthError is an error answer (RFC 6749 §5.2), JSON or form-encoded as
// x/oauth2 reads them; a body that is neither is kept to be shown.
func (a answer) oauthError(auth oauth.AuthMethod) *Error {
	e := &Error{Status: a.status, Cause: a.readErr}
	if a.readErr == nil {
		fields, _, err := parseFields(a.header.Get("Content-Type"), a.body)
		if err == nil {
			e.Code, _ = fields["error"].(string)
			e.Description, _ = fields["error_description"].(string)
		}
		if e.Code == "" && !json.Valid(a.body) {
			e.Body = string(a.body)
		}
	}
	e.Hint = explain(e, a.header, auth)
	return e
}

// Explain says what an OAuth error answer means and what to do, for a
// request that authenticated with auth. It is what Refresh puts in
// Error.Hint, for callers that send requests of their own.
func Explain(status int, code, description string, h http.Header, auth oauth.AuthMethod) string {
	return explain(&Error{Status: status, Code: code, Description: description}, h, auth)
}

// explain says what an error answer means and what to do, for the answers
// Auth0 really gives (the demo tenant's tests cite where each is seen).
func explain(e *Error, h http.Header, auth oauth.AuthMethod) string {
	desc := strings.ToLower(e.Description)
	switch {
	case e.Status >= 300 && e.Status < 400:
		return fmt.Sprintf("the token endpoint redirects to %s; Tokenscope does not follow redirects there (it would forward the refresh token): use the final URL", h.Get("Location"))
	case e.Code == "access_denied" && desc == "unauthorized":
		// Auth0's answer to any client-authentication mismatch.
		switch auth {
		case oauth.AuthNone:
			return "Auth0 did not accept the client: this request sends no secret (auth none), so the application's Token Endpoint Authentication Method must be None — a single-page or native app. For a Regular Web App, choose post or basic and give its client secret"
		case oauth.AuthPost:
			return "Auth0 did not accept the client secret sent in the body (auth post): check the secret, and that the application's Token Endpoint Authentication Method is Post (a method of Basic or None also answers this)"
		default:
			return "Auth0 did not accept the client credentials sent as Authorization: Basic (auth basic): check the secret, and that the application's Token Endpoint Authentication Method is Basic (a method of Post or None also answers this)"
		}
	case e.Code == "invalid_grant" && strings.Contains(desc, "unknown or invalid refresh token"):
		return "the refresh token is not valid any more: it expired (idle or absolute lifetime), was revoked, belongs to another application, or was already used after a rotation — which revokes its whole family: sign in again to get a new one"
	case e.Code == "invalid_grant" && strings.Contains(desc, "mfa"):
		return "the refresh needs multi-factor authentication: sign in again interactively"
	case e.Code == "invalid_grant":
		return "the grant was refused: the refresh token is expired, revoked, or was already used after rotation, which revokes its whole family: sign in again to get a new one"
	case e.Code == "access_denied" && strings.Contains(desc, "refresh token"):
		return "the refresh token was refused, as after a reuse that revokes its whole family: sign in again to get a new one"
	case e.Code == "access_denied":
		return "Auth0 refused the request (a rule, an Action or the API's settings denied it): the tenant logs say which"
	case e.Code == "invalid_client":
		return "wrong client secret or wrong authentication method, or an unknown client ID: check them against the application's Token Endpoint Authentication Method (none, post, basic)"
	case e.Code == "unauthorized_client":
		grant := "Refresh Token"
		if i := strings.Index(e.Description, "'"); i >= 0 {
			if j := strings.Index(e.Description[i+1:], "'"); j >= 0 && e.Description[i+1:i+1+j] != "refresh_token" {
				grant = e.Description[i+1 : i+1+j]
			}
		}
		return "the " + strings.ToLower(grant) + " grant is not enabled for this application: in the Auth0 Dashboard, Applications → the application → Advanced Settings → Grant Types, enable " + grant
	case e.Code == "invalid_scope":
		return "a refresh can only keep or narrow the scope of the original grant: ask for a subset, or leave scope out"
	case e.Code == "invalid_request":
		return "the request is missing a parameter or has a malformed one: the description names it"
	case e.Status == http.StatusTooManyRequests:
		e.RetryAfter = retryAfter(h, time.Now())
		if e.RetryAfter > 0 {
			reset := time.Now().Add(e.RetryAfter).Local().Format("15:04:05")
			return fmt.Sprintf("rate limited: wait %s (the limit resets at %s) before trying again", e.RetryAfter.Round(time.Second), reset)
		}
		return "rate limited: wait before trying again"
	case e.Status >= 500:
		return "the server failed: try later. It may already have rotated the refresh token; if the next attempt says invalid_grant, sign in again"
	case e.Code == "":
		return "the token endpoint answered with an error that is not an OAuth error response"
	}
	return ""
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
