package workspace

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/tokenscope/tokenscope/internal/discovery"
	"github.com/tokenscope/tokenscope/internal/exchange"
	"github.com/tokenscope/tokenscope/internal/oauth"
	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/safetext"
	"github.com/tokenscope/tokenscope/internal/secrets"
)

// The errors profile flows wrap, for errors.Is in the front ends.
var (
	// ErrNoProfile: no profile has that name.
	ErrNoProfile = profiles.ErrNoProfile
	// ErrProfileExists: a new profile's name is taken.
	ErrProfileExists = profiles.ErrExists
)

// Open is the user's workspace: the profiles file in the config directory
// (TOKENSCOPE_CONFIG_DIR overrides it; profiles.json here when there is
// none) and secrets in the OS keyring, each call bounded. With
// memoryFallback (the window), a keyring that cannot be reached gives way
// to memory for this run and Unavailable says why; without it (the
// command line) every keyring error is reported.
func Open(memoryFallback bool) *Workspace {
	var sec secrets.Store = secrets.WithTimeout{Store: secrets.Keyring{}, Timeout: keyringTimeout()}
	if memoryFallback {
		sec = &secrets.WithFallback{Primary: sec}
	}
	return New(ProfilesPath(), sec)
}

// ProfilesPath is where the user's profiles are kept: profiles.DefaultPath,
// or profiles.json in the working directory when there is no config
// directory.
func ProfilesPath() string {
	p, err := profiles.DefaultPath()
	if err != nil {
		return "profiles.json"
	}
	return p
}

// IssuerURL reads what a user types as an issuer (a URL, or an Auth0
// domain such as tenant.eu.auth0.com) as the issuer URL.
func IssuerURL(s string) string { return discovery.IssuerURL(s) }

// KeyringProblem says in words why the keyring could not be used and what
// to install or unlock; remedy is "" when there is nothing to suggest.
func KeyringProblem(err error) (reason, remedy string) {
	var ue *secrets.UnavailableError
	if errors.As(err, &ue) {
		return ue.Reason(), ue.Remedy()
	}
	return err.Error(), ""
}

// SecretState is where one of a profile's secrets is, never the secret.
type SecretState struct {
	Stored bool
	Masked string // safetext.Mask of the value when stored
	Err    error  // the keyring could not be read
}

// String is the state in a sentence: "not stored", "in the OS keyring
// (v1.M…(43 chars))", or why it is unknown.
func (s SecretState) String() string {
	switch {
	case s.Err != nil:
		return "unknown: " + s.Err.Error()
	case !s.Stored:
		return "not stored"
	}
	return "in the OS keyring (" + s.Masked + ")"
}

// SecretStates says where a profile's client secret and refresh token are.
func (w *Workspace) SecretStates(name string) (clientSecret, refreshToken SecretState) {
	get := func(kind string) SecretState {
		v, err := w.Secrets.Get(name, kind)
		switch {
		case errors.Is(err, secrets.ErrNotFound):
			return SecretState{}
		case err != nil:
			return SecretState{Err: err}
		}
		return SecretState{Stored: true, Masked: safetext.Mask(v)}
	}
	return get(secrets.ClientSecret), get(secrets.RefreshToken)
}

// Target is a token endpoint without a profile: the issuer whose
// discovery document names it, or the endpoint itself.
type Target struct {
	Issuer   string
	TokenURL string
}

// RefreshTarget runs one refresh against a target with no profile: the
// overrides are the whole request (client authentication none unless
// given), and the rotated refresh token is returned, never stored. Sent
// is false when the request never left (discovery failed, or the request
// is incomplete: Err says what to give).
func (w *Workspace) RefreshTarget(ctx context.Context, t Target, o Overrides) RefreshResult {
	r := exchange.Request{TokenURL: t.TokenURL, ClientID: o.ClientID, Auth: o.Auth, Audience: o.Audience, Scope: o.Scope, Params: o.Params,
		ClientSecret: o.ClientSecret, RefreshToken: strings.TrimSpace(o.RefreshToken)}
	if r.Auth == "" {
		r.Auth = oauth.AuthNone
	}
	if t.Issuer != "" {
		m, err := w.Discover(ctx, t.Issuer)
		if err != nil {
			return RefreshResult{Request: r, Err: fmt.Errorf("discovering %s: %w", t.Issuer, err)}
		}
		r.TokenURL = m.TokenEndpoint
	}
	if err := r.Validate(); err != nil {
		return RefreshResult{Request: r, Err: err}
	}
	res := RefreshResult{Request: r, Sent: true}
	res.Response, res.Err = w.RefreshAdHoc(ctx, r)
	return res
}
