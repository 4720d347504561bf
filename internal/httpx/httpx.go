// Package httpx holds the network rules every outgoing request follows:
// TLS verified, plain http only to loopback, a timeout on every request,
// no redirects where a redirect could leak a credential, and capped bodies.
package httpx

import (
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// DefaultTimeout bounds every request that does not set its own.
const DefaultTimeout = 30 * time.Second

// MaxBody caps how much of a response body is read (discovery documents,
// key sets and token responses are all far smaller).
const MaxBody = 1 << 20

// ErrBodyTooLarge is returned by ReadBody when a response exceeds its cap.
var ErrBodyTooLarge = errors.New("response body is larger than the 1 MiB limit")

// NewClient returns a client with a timeout that never follows redirects:
// the token endpoint must not forward a refresh token or client secret to
// wherever a redirect points, and discovery should not silently move either.
func NewClient(timeout time.Duration) *http.Client {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.ResponseHeaderTimeout = timeout
	return &http.Client{
		Timeout:   timeout,
		Transport: tr,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// ErrRefusedURL is what every URL check's error matches (errors.Is): the
// URL breaks the network rules, and nothing was sent to it or opened.
var ErrRefusedURL = errors.New("URL refused by the network rules")

type refusedError struct{ msg string }

func (e *refusedError) Error() string        { return e.msg }
func (e *refusedError) Is(target error) bool { return target == ErrRefusedURL }

func refused(format string, a ...any) error { return &refusedError{fmt.Sprintf(format, a...)} }

// CheckURL accepts https URLs, and http URLs only when the host is a
// loopback address (the demo tenant, local test servers).
func CheckURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, refused("%q is not a valid URL: %v", raw, err)
	}
	if u.Host == "" && (u.Scheme == "" || u.Scheme == "http" || u.Scheme == "https") {
		return nil, refused("%q has no host: give a full URL such as https://tenant.auth0.com/", raw)
	}
	switch u.Scheme {
	case "https":
		return u, nil
	case "http":
		if IsLoopback(u.Hostname()) {
			return u, nil
		}
		return nil, refused("%s uses plain http to a host that is not loopback: tokens and secrets must travel over https", u.Redacted())
	default:
		return nil, refused("%q must start with https:// (or http:// for a loopback address)", raw)
	}
}

// CheckBrowserURL is the rule for a URL handed to the system opener (an
// authorization URL, a device grant's verification_uri): CheckURL's https
// or loopback http, and never a value that starts with "-", which an
// opener could read as an option. javascript:, file: and every other
// scheme are refused.
func CheckBrowserURL(raw string) (*url.URL, error) {
	if strings.HasPrefix(strings.TrimSpace(raw), "-") {
		return nil, refused("%q starts with \"-\": it is not opened", raw)
	}
	u, err := CheckURL(raw)
	if err != nil {
		return nil, err
	}
	if u.User != nil {
		return nil, refused("%s carries a user name or password: it is not opened", u.Redacted())
	}
	return u, nil
}

// CheckRedirectURI is the rule for a sign-in's redirect URI (a flag or a
// profile's): http://127.0.0.1:PORT/PATH, http://[::1]:PORT/PATH or
// http://localhost:PORT/PATH (RFC 8252 §7.3), no fragment (RFC 6749
// §3.1.2) and no user info.
func CheckRedirectURI(redirect string) (*url.URL, error) {
	u, err := url.Parse(redirect)
	bad := func(why string) error {
		return fmt.Errorf("the redirect URI %q %s: use http://127.0.0.1:PORT/PATH (RFC 8252 §7.3), where Tokenscope listens: %w", redirect, why, ErrRefusedURL)
	}
	switch {
	case err != nil:
		return nil, bad("is not a URL")
	case u.Scheme != "http":
		return nil, bad("is not http on a loopback address")
	case u.Hostname() == "":
		return nil, bad("has no host")
	case !strings.EqualFold(u.Hostname(), "localhost") && !isLoopbackIP(u.Hostname()):
		return nil, bad("is not on a loopback address (0.0.0.0, [::] and other hosts would listen on the network)")
	case u.Port() == "" || u.Port() == "0":
		return nil, bad("has no port")
	case u.User != nil:
		return nil, bad("carries user info")
	case u.Fragment != "" || strings.Contains(redirect, "#"):
		return nil, bad("has a fragment, which a redirect URI must not (RFC 6749 §3.1.2)")
	}
	return u, nil
}

func isLoopbackIP(h string) bool {
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// IsLoopback reports whether host (a name or an IP, no port) is loopback.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// ReadBody reads at most limit bytes of r and reports ErrBodyTooLarge past it.
func ReadBody(r io.Reader, limit int64) ([]byte, error) {
	if limit <= 0 {
		limit = MaxBody
	}
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, ErrBodyTooLarge
	}
	return b, nil
}

// CheckEndpointURL is CheckURL plus what a token, userinfo, revocation or
// JWKS endpoint must not carry: user info (a password in a URL ends up in
// history and logs), a fragment, or a secret in its query. A query is
// allowed: RFC 6749 §3.1 and §3.2 let an endpoint URI have one (Azure AD
// B2C's older token URLs name their policy in ?p=), and it is kept as is.
func CheckEndpointURL(raw string) (*url.URL, error) {
	u, err := CheckURL(raw)
	if err != nil {
		return nil, err
	}
	switch {
	case u.User != nil:
		return nil, refused("%s carries a user name or password: remove it (credentials never belong in a URL)", u.Redacted())
	case u.Fragment != "":
		return nil, refused("%s has a fragment (#…): an issuer or endpoint URL takes none", u.Redacted())
	}
	for name := range u.Query() {
		switch strings.ToLower(name) {
		case "client_secret", "refresh_token", "access_token", "id_token", "code", "password", "code_verifier":
			return nil, refused("the endpoint URL's query carries %s: secrets go in the request body, never in a URL (it ends up in logs); remove it", name)
		}
	}
	return u, nil
}

// CheckIssuerURL is CheckEndpointURL for an issuer, which takes no query
// either (OpenID Connect Discovery 1.0 §2 forbids a query and a fragment).
func CheckIssuerURL(raw string) (*url.URL, error) {
	u, err := CheckEndpointURL(raw)
	if err != nil {
		return nil, err
	}
	if u.RawQuery != "" || u.ForceQuery {
		return nil, refused("%s has a query string: an issuer takes none", u.Redacted())
	}
	return u, nil
}

// Describe says in words why a request got no answer, without Go's
// "Post \"…\": dial tcp: lookup …" wrapping.
func Describe(err error) string {
	var dns *net.DNSError
	var opErr *net.OpError
	var ue *url.Error
	var unknownCA x509.UnknownAuthorityError
	var badHost x509.HostnameError
	var invalid x509.CertificateInvalidError
	switch {
	case errors.As(err, &dns) && dns.IsNotFound:
		return fmt.Sprintf("the host %s was not found (DNS): check the domain", dns.Name)
	case errors.As(err, &dns):
		return fmt.Sprintf("the host %s could not be looked up (DNS: %s): check your network", dns.Name, dns.Err)
	case errors.As(err, &unknownCA):
		return "its TLS certificate is signed by an authority this machine does not trust (a proxy or a self-signed certificate?)"
	case errors.As(err, &badHost):
		return fmt.Sprintf("its TLS certificate is for another host (%v)", badHost.Error())
	case errors.As(err, &invalid):
		return "its TLS certificate is not valid: " + invalid.Error()
	case errors.Is(err, syscall.ECONNREFUSED):
		host := ""
		if errors.As(err, &opErr) && opErr.Addr != nil {
			host = " at " + opErr.Addr.String()
		}
		return "nothing answers" + host + " (connection refused): is the server running, on that port?"
	case errors.As(err, &ue) && ue.Timeout():
		return "no answer in time"
	case errors.As(err, &ue):
		return ue.Err.Error()
	}
	return err.Error()
}
