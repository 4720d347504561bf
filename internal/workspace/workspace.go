// Package workspace is the flows the command line and the window share:
// profiles with their secrets, the request for a profile, discovery with
// its cache, the key a token is verified with, and the refresh that
// rotates a refresh token under a per-profile lock. app/ and ui/ call it
// and never re-implement it. It has no Fyne and prints nothing.
package workspace

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/tokenscope/tokenscope/internal/discovery"
	"github.com/tokenscope/tokenscope/internal/exchange"
	"github.com/tokenscope/tokenscope/internal/httpx"
	"github.com/tokenscope/tokenscope/internal/oauth"
	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/secrets"
)

// Workspace is one user's profiles, secrets and history. It is safe for
// concurrent use, and safe beside other processes using the same files.
type Workspace struct {
	Profiles *profiles.Store
	Secrets  secrets.Store
	HTTP     *http.Client
	Exchange *exchange.Client
	History  *exchange.History // nil: no history kept
	// LockDir holds one lock file per profile (see LockProfile).
	LockDir string

	mu     sync.Mutex
	issuer map[string]*discovery.Metadata // discovery cache for this run
}

// DefaultTimeout bounds one network step of a flow (a request, a
// discovery, a key fetch): front ends use it for the contexts they pass.
const DefaultTimeout = httpx.DefaultTimeout

// New returns a workspace on the profiles file at profilesPath, with
// history and locks beside it. Every keyring call is bounded by
// secrets.DefaultTimeout.
func New(profilesPath string, sec secrets.Store) *Workspace {
	dir := filepath.Dir(profilesPath)
	if _, ok := sec.(secrets.WithTimeout); !ok {
		sec = secrets.WithTimeout{Store: sec, Timeout: keyringTimeout()}
	}
	return &Workspace{
		Profiles: &profiles.Store{Path: profilesPath},
		Secrets:  sec,
		HTTP:     httpx.NewClient(httpx.DefaultTimeout),
		Exchange: exchange.NewClient(),
		History:  &exchange.History{Path: filepath.Join(dir, "history.json")},
		LockDir:  filepath.Join(dir, "locks"),
	}
}

// keyringTimeout is secrets.DefaultTimeout, or TOKENSCOPE_KEYRING_TIMEOUT
// (a Go duration) when set: a slow unlock prompt may need longer, and the
// stalled-keyring tests need less.
func keyringTimeout() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("TOKENSCOPE_KEYRING_TIMEOUT")); err == nil && d > 0 {
		return d
	}
	return secrets.DefaultTimeout
}

// Unavailable says why secrets are not in the OS keyring (the memory
// fallback is in use), or nil.
func (w *Workspace) Unavailable() error {
	if u, ok := w.Secrets.(interface{ Unavailable() error }); ok {
		return u.Unavailable()
	}
	return nil
}

// Discover returns an issuer's metadata, fetched once per run.
func (w *Workspace) Discover(ctx context.Context, issuer string) (*discovery.Metadata, error) {
	issuer = discovery.IssuerURL(issuer)
	w.mu.Lock()
	m := w.issuer[issuer]
	w.mu.Unlock()
	if m != nil {
		return m, nil
	}
	m, err := discovery.Discover(ctx, w.HTTP, issuer)
	if err != nil {
		return nil, err
	}
	w.mu.Lock()
	if w.issuer == nil {
		w.issuer = map[string]*discovery.Metadata{}
	}
	w.issuer[issuer] = m
	w.mu.Unlock()
	return m, nil
}

// Endpoints returns a profile's endpoints: the cached ones, or discovered
// now and cached with the profile (only if its issuer has not changed
// meanwhile).
func (w *Workspace) Endpoints(ctx context.Context, p profiles.Profile) (*profiles.Endpoints, error) {
	if p.Endpoints != nil && p.Endpoints.Token != "" {
		return p.Endpoints, nil
	}
	m, err := w.Discover(ctx, p.Issuer)
	if err != nil {
		return nil, fmt.Errorf("discovering the endpoints of profile %s: %w", p.Name, err)
	}
	e := EndpointsOf(m)
	// A cache: failing to save it costs one more discovery next time.
	_ = w.Profiles.Update(p.Name, func(cur *profiles.Profile) error {
		if cur.Issuer == p.Issuer {
			cur.Endpoints = e
		}
		return nil
	})
	return e, nil
}

// EndpointsOf is what a profile keeps of a discovery document.
func EndpointsOf(m *discovery.Metadata) *profiles.Endpoints {
	return &profiles.Endpoints{Token: m.TokenEndpoint, JWKS: m.JWKSURI, Userinfo: m.UserinfoEndpoint, Authorization: m.AuthorizationEndpoint,
		Device: m.DeviceAuthorizationEndpoint, Revocation: m.RevocationEndpoint, DiscoveredAt: time.Now().UTC()}
}

// Loaded is a profile with what a request needs: its secrets (as stored
// now) and its token endpoint.
type Loaded struct {
	Profile      profiles.Profile
	ClientSecret string
	RefreshToken string
	TokenURL     string
	// SecretsErr says why the secrets could not be read (a locked or
	// stalled keyring); a missing entry is not an error.
	SecretsErr error
	// EndpointErr says why the token endpoint is not known.
	EndpointErr error
}

// Load reads a profile, its secrets and its token endpoint. Secrets stored
// for another issuer or client ID are never returned (see Save).
func (w *Workspace) Load(ctx context.Context, name string) (Loaded, error) {
	p, err := w.Profiles.Get(name)
	if err != nil {
		return Loaded{}, err
	}
	l := Loaded{Profile: p}
	if p.SecretsBoundTo != "" && p.SecretsBoundTo != Binding(p) {
		l.SecretsErr = fmt.Errorf("the keyring entries of profile %s were stored for %s and the profile now names %s: they are not used; store this client's secret and refresh token again", p.Name, p.SecretsBoundTo, Binding(p))
	} else {
		l.ClientSecret, l.RefreshToken, l.SecretsErr = w.readSecrets(p.Name)
	}
	if e, err := w.Endpoints(ctx, p); err != nil {
		l.EndpointErr = err
	} else {
		l.TokenURL = e.Token
	}
	return l, nil
}

func (w *Workspace) readSecrets(name string) (secret, rt string, err error) {
	secret, err1 := w.Secrets.Get(name, secrets.ClientSecret)
	rt, err2 := w.Secrets.Get(name, secrets.RefreshToken)
	for _, e := range []error{err1, err2} {
		if e != nil && !errors.Is(e, secrets.ErrNotFound) {
			return secret, rt, e
		}
	}
	return secret, rt, nil
}

// Binding names the issuer and client ID a profile's secrets belong to.
func Binding(p profiles.Profile) string {
	return strings.TrimSuffix(p.Issuer, "/") + "/ client " + p.ClientID
}

// Overrides are a run's changes to a profile's request. Empty fields keep
// the profile's value.
type Overrides struct {
	ClientID string
	Auth     oauth.AuthMethod
	Audience string
	Scope    string
	Params   map[string]string
	// ClientSecret and RefreshToken are for this run only. A run with its
	// own refresh token does not store the rotated one in the profile.
	ClientSecret string
	RefreshToken string
}

// Request builds the refresh request for a loaded profile and a run's
// overrides, and says what is missing in words a user can act on.
func Request(l Loaded, o Overrides) (exchange.Request, error) {
	p := l.Profile
	r := exchange.Request{TokenURL: l.TokenURL, ClientID: p.ClientID, Auth: oauth.AuthMethod(p.Auth), Audience: p.Audience, Scope: p.Scope,
		ClientSecret: l.ClientSecret, RefreshToken: l.RefreshToken, Params: map[string]string{}}
	for k, v := range p.Params {
		r.Params[k] = v
	}
	if o.ClientID != "" {
		r.ClientID = o.ClientID
	}
	if o.Auth != "" {
		r.Auth = o.Auth
	}
	if o.Audience != "" {
		r.Audience = o.Audience
	}
	if o.Scope != "" {
		r.Scope = o.Scope
	}
	for k, v := range o.Params {
		r.Params[k] = v
	}
	if o.ClientSecret != "" {
		r.ClientSecret = o.ClientSecret
	}
	if o.RefreshToken != "" {
		r.RefreshToken = strings.TrimSpace(o.RefreshToken)
	}
	switch {
	case l.EndpointErr != nil:
		return r, l.EndpointErr
	case l.SecretsErr != nil && (o.RefreshToken == "" || r.Auth.NeedsSecret() && o.ClientSecret == ""):
		return r, fmt.Errorf("the secrets of profile %s could not be read: %w", p.Name, l.SecretsErr)
	case r.RefreshToken == "":
		return r, fmt.Errorf("profile %s has no refresh token in the keyring: sign in, store one on the Clients screen or with 'tokenscope profile add %s --replace ... --refresh-token-env VAR', or give one for this run", p.Name, p.Name)
	}
	return r, r.Validate()
}
