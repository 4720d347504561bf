package workspace

import (
	"context"
	"errors"
	"fmt"

	"github.com/tokenscope/tokenscope/internal/discovery"
	"github.com/tokenscope/tokenscope/internal/httpx"
	"github.com/tokenscope/tokenscope/internal/tokens"
)

// KeySource is where a token's verification keys come from.
type KeySource struct {
	Keys tokens.KeyProvider
	// Untrusted is set when the keys came from the issuer the token names
	// itself: a signature they verify proves nothing, since whoever made
	// the token can publish keys at any URL. It is the sentence the
	// signature check shows.
	Untrusted string
}

// IssuerKeys returns the key set an issuer publishes, through its
// discovery document (whose issuer must match) and that document's
// jwks_uri. The issuer is the user's choice: the keys are trusted.
func (w *Workspace) IssuerKeys(ctx context.Context, issuer string) (KeySource, error) {
	if _, err := httpx.CheckIssuerURL(discovery.IssuerURL(issuer)); err != nil {
		return KeySource{}, fmt.Errorf("issuer: %w", err)
	}
	m, err := w.Discover(ctx, issuer)
	if err != nil {
		return KeySource{}, fmt.Errorf("discovering the keys of %s: %w", issuer, err)
	}
	if _, err := httpx.CheckEndpointURL(m.JWKSURI); err != nil {
		return KeySource{}, fmt.Errorf("the jwks_uri of %s: %w", issuer, err)
	}
	return KeySource{Keys: discovery.NewKeySet(w.HTTP, m.JWKSURI)}, nil
}

// SelfNamedKeys returns the keys of the issuer the token names in its own
// iss claim, marked untrusted. Only an https iss (http to loopback) with no
// user info, query or fragment is fetched, and only its discovery document
// and that document's jwks_uri.
func (w *Workspace) SelfNamedKeys(ctx context.Context, tok *tokens.Token) (KeySource, error) {
	iss, _ := tok.ClaimString("iss")
	if iss == "" {
		return KeySource{}, errors.New("no key given and the token has no iss to look one up from: give a key, a JWKS or the expected issuer")
	}
	if _, err := httpx.CheckIssuerURL(iss); err != nil {
		return KeySource{}, fmt.Errorf("the token's iss is not fetched: %w", err)
	}
	ks, err := w.IssuerKeys(ctx, iss)
	if err != nil {
		return KeySource{}, err
	}
	m, _ := w.Discover(ctx, iss)
	ks.Untrusted = fmt.Sprintf("the key came from %s, the JWKS of the issuer the token names itself (%s): a token cannot vouch for itself, so this proves nothing; name the issuer you trust (--issuer %s, or the Issuer field) to make it count", m.JWKSURI, iss, iss)
	return ks, nil
}
