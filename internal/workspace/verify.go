package workspace

import (
	"context"
	"errors"
	"fmt"

	"github.com/tokenscope/tokenscope/internal/discovery"
	"github.com/tokenscope/tokenscope/internal/httpx"
	"github.com/tokenscope/tokenscope/internal/tokens"
)

// KeySpec is where a token's verification keys come from, as the user
// gave it. At most one of Secret, Key and JWKS is set; with none of them
// Issuer's discovery document gives the keys, and with no Issuer either
// the token's own iss is looked up (keys that can never make it valid).
type KeySpec struct {
	Secret  []byte // an HMAC secret
	Key     []byte // a JWK, JWKS or PEM public key or certificate, as text
	KeyFrom string // where Key was read from (a file name) for error sentences; "" when pasted
	JWKS    string // the https URL of a JWKS (http on loopback)
	Issuer  string // the issuer the user trusts
}

// ErrOneKeySource is a KeySpec with more than one key source.
var ErrOneKeySource = errors.New("give only one key source: a key, a JWKS or an HMAC secret")

// ErrNotSigned is a token with no signature to verify (opaque, or JWE).
var ErrNotSigned = errors.New("not a signed JWT: there is no signature to verify")

// Local reports whether the keys need no network, so a check can follow
// every keystroke.
func (k KeySpec) Local() bool { return len(k.Secret) > 0 || len(k.Key) > 0 }

// Keys returns the keys a spec names. Only JWKS and issuer keys use the
// network; a JWKS URL must pass httpx.CheckEndpointURL.
func (w *Workspace) Keys(ctx context.Context, tok *tokens.Token, spec KeySpec) (KeySource, error) {
	given := 0
	for _, set := range []bool{len(spec.Secret) > 0, len(spec.Key) > 0, spec.JWKS != ""} {
		if set {
			given++
		}
	}
	switch {
	case given > 1:
		return KeySource{}, ErrOneKeySource
	case len(spec.Secret) > 0:
		return KeySource{Keys: tokens.StaticKeys{tokens.HMACKey(spec.Secret)}}, nil
	case len(spec.Key) > 0:
		keys, err := tokens.ParseKeys(spec.Key)
		if err != nil {
			if spec.KeyFrom != "" {
				return KeySource{}, fmt.Errorf("%s: %w", spec.KeyFrom, err)
			}
			return KeySource{}, fmt.Errorf("the key: %w", err)
		}
		return KeySource{Keys: tokens.StaticKeys(keys)}, nil
	case spec.JWKS != "":
		if _, err := httpx.CheckEndpointURL(spec.JWKS); err != nil {
			return KeySource{}, fmt.Errorf("the JWKS URL: %w", err)
		}
		return KeySource{Keys: discovery.NewKeySet(w.HTTP, spec.JWKS)}, nil
	case spec.Issuer != "":
		return w.IssuerKeys(ctx, spec.Issuer)
	default:
		return w.SelfNamedKeys(ctx, tok)
	}
}

// Check runs every check on a signed token with keys already found (see
// Keys): the claims against opts, the signature against ks. It uses the
// network only when ks is a JWKS not fetched yet.
func Check(ctx context.Context, tok *tokens.Token, ks KeySource, opts tokens.Options) tokens.Report {
	opts.Keys, opts.UntrustedKeys = ks.Keys, ks.Untrusted
	return tokens.Verify(ctx, tok, opts)
}

// Verify finds the keys spec names and checks tok with them and opts. The
// expected issuer is spec.Issuer unless opts names one.
func (w *Workspace) Verify(ctx context.Context, tok *tokens.Token, spec KeySpec, opts tokens.Options) (tokens.Report, error) {
	if tok.Kind != tokens.KindJWS {
		return tokens.Report{}, ErrNotSigned
	}
	if opts.Issuer == "" {
		opts.Issuer = spec.Issuer
	}
	ks, err := w.Keys(ctx, tok, spec)
	if err != nil {
		return tokens.Report{}, err
	}
	return Check(ctx, tok, ks, opts), nil
}

// Outcome is what a verification report comes to, for the sentence and
// the colour under it.
type Outcome int

const (
	// Valid: the signature is verified and no check failed.
	Valid Outcome = iota
	// SelfVouched: the only failure is a signature that matches keys
	// found through the token's own iss.
	SelfVouched
	// Unsigned: the claims were checked, the signature was not (no key).
	Unsigned
	// Invalid: a check failed.
	Invalid
)

// Verdict is a report's outcome and the one sentence both front ends
// show under the checks.
func Verdict(r tokens.Report) (Outcome, string) {
	sig, _ := r.Check("signature")
	switch {
	case r.Valid:
		return Valid, "Valid: the signature is verified and no check failed."
	case onlySelfVouched(r):
		return SelfVouched, "The signature matches the keys of the issuer the token names itself, which proves nothing: name the issuer you trust, then verify."
	case sig.Status == tokens.Skip:
		return Unsigned, "Claims checked, signature not verified: give a key."
	default:
		return Invalid, "Not valid: see the failed checks."
	}
}

// onlySelfVouched reports whether the one failed check is a signature
// that matches keys found through the token's own iss.
func onlySelfVouched(r tokens.Report) bool {
	found := false
	for _, c := range r.Checks {
		if c.Status != tokens.Fail {
			continue
		}
		if c.Name != "signature" || !c.SelfVouched {
			return false
		}
		found = true
	}
	return found
}
