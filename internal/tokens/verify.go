package tokens

import (
	"context"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"slices"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// KeyProvider returns the keys that may have signed a token with the given
// kid ("" when the token names none). Implementations must be safe for
// concurrent use.
type KeyProvider interface {
	Keys(ctx context.Context, kid string) ([]Key, error)
}

// StaticKeys is a KeyProvider over a fixed set of keys.
type StaticKeys []Key

// Keys returns the keys whose kid matches, or all of them when none does
// (a pasted key often has no kid at all).
func (s StaticKeys) Keys(_ context.Context, kid string) ([]Key, error) {
	return SelectByKID(s, kid), nil
}

// SelectByKID returns the keys with the given kid, or every key when kid is
// empty or no key carries it.
func SelectByKID(keys []Key, kid string) []Key {
	if kid == "" {
		return keys
	}
	var out []Key
	for _, k := range keys {
		if k.KeyID == kid {
			out = append(out, k)
		}
	}
	if len(out) == 0 {
		return keys
	}
	return out
}

// DefaultLeeway is the clock skew allowed on exp, nbf and iat.
const DefaultLeeway = 60 * time.Second

// Options are what a verification checks against. Empty expectations are
// reported as "not checked", never as passed silently.
type Options struct {
	Keys        KeyProvider               // nil: the signature is not checked
	Algorithms  []jose.SignatureAlgorithm // allow-list; nil means SignatureAlgorithms
	Now         time.Time                 // zero means time.Now()
	Leeway      time.Duration             // applied to exp, nbf and iat
	Issuer      string                    // expected iss
	Audience    string                    // expected value in aud
	ClientID    string                    // expected azp
	Nonce       string                    // expected nonce
	AccessToken string                    // checks at_hash when set
	// UntrustedKeys, when set, says why Keys cannot make the token valid
	// (they came from the token's own iss): a signature they verify fails
	// with this sentence.
	UntrustedKeys string
}

// Status of one check.
type Status string

const (
	Pass Status = "pass"
	Fail Status = "fail"
	Skip Status = "skipped"
)

// Check is the result of one verification step.
type Check struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Status Status `json:"status"`
	Detail string `json:"detail"`
	// SelfVouched marks a signature that matches keys the caller marked
	// untrusted (Options.UntrustedKeys): it failed for that reason only.
	SelfVouched bool `json:"-"`
}

// Report is every check's result. Valid needs a verified signature and no
// failed check.
type Report struct {
	Valid  bool    `json:"valid"`
	Checks []Check `json:"checks"`
}

// Check returns the named check.
func (r Report) Check(name string) (Check, bool) {
	for _, c := range r.Checks {
		if c.Name == name {
			return c, true
		}
	}
	return Check{}, false
}

// Verify runs every check on a signed token and reports each one, instead
// of stopping at the first failure, so the inspector can show them all.
func Verify(ctx context.Context, t *Token, o Options) Report {
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	checks := []Check{
		checkSignature(ctx, t, o),
		checkStructure(t),
		checkExp(t, o),
		checkNbf(t, o),
		checkIat(t, o),
		checkIss(t, o),
		checkAud(t, o),
		checkAzp(t, o),
	}
	if o.Nonce != "" {
		checks = append(checks, checkNonce(t, o))
	}
	if o.AccessToken != "" {
		checks = append(checks, checkAtHash(t, o))
	}
	valid := checks[0].Status == Pass
	for _, c := range checks {
		if c.Status == Fail {
			valid = false
		}
	}
	return Report{Valid: valid, Checks: checks}
}

func pass(name, format string, a ...any) Check {
	return Check{Name: name, OK: true, Status: Pass, Detail: fmt.Sprintf(format, a...)}
}
func fail(name, format string, a ...any) Check {
	return Check{Name: name, Status: Fail, Detail: fmt.Sprintf(format, a...)}
}
func skip(name, format string, a ...any) Check {
	return Check{Name: name, OK: true, Status: Skip, Detail: fmt.Sprintf(format, a...)}
}

// ErrNoKey is reported when a signature cannot be checked for want of a key.
var ErrNoKey = errors.New("no key given")

func checkSignature(ctx context.Context, t *Token, o Options) Check {
	const name = "signature"
	if t.Kind != KindJWS {
		return fail(name, "the token is %s, not a signed JWT", t.Kind)
	}
	alg, _ := t.HeaderString("alg")
	if strings.EqualFold(alg, "none") {
		return fail(name, `"alg": "none" means unsigned; an unsigned token is never accepted`)
	}
	allowed := o.Algorithms
	if allowed == nil {
		allowed = SignatureAlgorithms
	}
	if !algAllowed(allowed, alg) {
		return fail(name, "the algorithm %q is not on the allow-list (%s)", alg, joinAlgs(allowed))
	}
	if crit, ok := t.HeaderValue("crit"); ok {
		return fail(name, "not checked: the header marks %v as critical, and Tokenscope implements no critical header parameters, so RFC 7515 §4.1.11 requires rejecting the token (this says nothing about the signature itself)", crit)
	}
	if o.Keys == nil {
		return skip(name, "not checked: give a key (issuer discovery, JWKS, JWK, PEM or HMAC secret)")
	}
	kid, _ := t.HeaderString("kid")
	keys, err := o.Keys.Keys(ctx, kid)
	if err != nil {
		return fail(name, "could not get the keys: %v", err)
	}
	if len(keys) == 0 {
		return fail(name, "the key set has no keys")
	}
	input, sig, direct := signedParts(t)
	var jws *jose.JSONWebSignature // parsed only when a key needs go-jose
	var misfit error
	tried := 0
	for _, k := range keys {
		if err := k.fits(alg); err != nil {
			if misfit == nil {
				misfit = err
			}
			continue
		}
		tried++
		pub := k.publicKey()
		handled, err := false, error(nil)
		if direct {
			handled, err = verifyDirect(input, sig, alg, pub)
		}
		if !handled {
			if jws == nil {
				parsed, perr := jose.ParseSignedCompact(t.Raw, []jose.SignatureAlgorithm{jose.SignatureAlgorithm(alg)})
				if perr != nil {
					return fail(name, "the token cannot be checked: %s", strings.TrimPrefix(perr.Error(), "go-jose/go-jose: "))
				}
				jws = parsed
			}
			_, err = jws.Verify(pub)
		}
		if err == nil {
			if err := checkPSSSaltLength(t, alg, k); err != nil {
				return fail(name, "%v", err)
			}
			if o.UntrustedKeys != "" {
				c := fail(name, "%s signature matches, but %s", alg, o.UntrustedKeys)
				c.SelfVouched = true
				return c
			}
			return pass(name, "%s signature verified with %s (%s)", alg, k.Source, k.Describe())
		}
	}
	if tried == 0 {
		return fail(name, "no key fits: %v", misfit)
	}
	if tried == 1 {
		return fail(name, "the %s signature does not match the key: the token was altered or signed with another key", alg)
	}
	return fail(name, "the %s signature matches none of the %d keys that fit", alg, tried)
}

// checkStructure fails a token whose header or claims name a member twice:
// libraries disagree on which one counts, so no verdict is safe.
func checkStructure(t *Token) Check {
	const name = "structure"
	for _, f := range t.Findings {
		if f.Code == CodeDuplicateClaim || f.Code == CodeDuplicateHeader {
			return fail(name, "%s", f.Message)
		}
	}
	return pass(name, "no duplicate header parameters or claims")
}

func algAllowed(list []jose.SignatureAlgorithm, alg string) bool {
	for _, a := range list {
		if string(a) == alg {
			return true
		}
	}
	return false
}

func joinAlgs(list []jose.SignatureAlgorithm) string {
	s := make([]string, len(list))
	for i, a := range list {
		s[i] = string(a)
	}
	return strings.Join(s, ", ")
}

// TimeClaim reads a NumericDate claim: its time, whether the claim is
// there, and an error when it is there but not a NumericDate.
func (t *Token) TimeClaim(name string) (time.Time, bool, error) { return timeClaim(t, name) }

func timeClaim(t *Token, name string) (time.Time, bool, error) {
	f, ok := lookupField(t.Claims, name)
	if !ok {
		return time.Time{}, false, nil
	}
	if f.kind == kindNumber {
		if tm, ok := numberDate(f.str); ok {
			return tm, true, nil
		}
	}
	return time.Time{}, true, fmt.Errorf("%s is %s, not a NumericDate", name, describeJSON(f.Value()))
}

func leewayNote(o Options) string {
	return fmt.Sprintf("leeway %s", Duration(o.Leeway))
}

func checkExp(t *Token, o Options) Check {
	exp, ok, err := timeClaim(t, "exp")
	switch {
	case err != nil:
		return fail("exp", "%v", err)
	case !ok:
		return skip("exp", "no exp claim: the token never expires by itself")
	case !o.Now.Before(exp.Add(o.Leeway)):
		return fail("exp", "expired %s ago at %s (%s)", Duration(o.Now.Sub(exp)), exp.Format(time.RFC3339), leewayNote(o))
	case !o.Now.Before(exp):
		return pass("exp", "expired %s ago but within the %s", Duration(o.Now.Sub(exp)), leewayNote(o))
	}
	return pass("exp", "expires in %s at %s", Duration(exp.Sub(o.Now)), exp.Format(time.RFC3339))
}

func checkNbf(t *Token, o Options) Check {
	nbf, ok, err := timeClaim(t, "nbf")
	switch {
	case err != nil:
		return fail("nbf", "%v", err)
	case !ok:
		return skip("nbf", "no nbf claim")
	case o.Now.Add(o.Leeway).Before(nbf):
		return fail("nbf", "not valid until %s, %s (%s)", nbf.Format(time.RFC3339), Relative(nbf, o.Now), leewayNote(o))
	}
	return pass("nbf", "valid since %s", nbf.Format(time.RFC3339))
}

func checkIat(t *Token, o Options) Check {
	iat, ok, err := timeClaim(t, "iat")
	switch {
	case err != nil:
		return fail("iat", "%v", err)
	case !ok:
		return skip("iat", "no iat claim")
	case o.Now.Add(o.Leeway).Before(iat):
		return fail("iat", "issued in the future, %s (%s): a clock is wrong", Relative(iat, o.Now), leewayNote(o))
	}
	return pass("iat", "issued %s at %s", Relative(iat, o.Now), iat.Format(time.RFC3339))
}

func checkIss(t *Token, o Options) Check {
	iss, has := t.ClaimString("iss")
	switch {
	case o.Issuer == "" && has:
		return skip("iss", "not checked: issuer is %q; give the expected issuer to check it", iss)
	case o.Issuer == "":
		return skip("iss", "not checked: no iss claim and no expected issuer")
	case !has:
		return fail("iss", "no iss claim; expected %q", o.Issuer)
	case iss == o.Issuer:
		return pass("iss", "issuer is %q", iss)
	case strings.TrimSuffix(iss, "/") == strings.TrimSuffix(o.Issuer, "/"):
		return fail("iss", "issuer is %q but %q was expected: they differ only by the trailing slash, which Auth0 issuers always have", iss, o.Issuer)
	}
	return fail("iss", "issuer is %q but %q was expected", iss, o.Issuer)
}

// Audiences returns the aud claim as a list (it may be a string or an array).
func (t *Token) Audiences() []string {
	f, _ := lookupField(t.Claims, "aud")
	switch f.kind {
	case kindString:
		return []string{f.str}
	case kindArray:
		return f.texts()
	}
	return nil
}

func checkAud(t *Token, o Options) Check {
	auds := t.Audiences()
	switch {
	case o.Audience == "" && len(auds) > 0:
		return skip("aud", "not checked: audience is %s; give the expected audience to check it", strings.Join(auds, ", "))
	case o.Audience == "":
		return skip("aud", "not checked: no aud claim and no expected audience")
	case len(auds) == 0:
		return fail("aud", "no aud claim; expected %q", o.Audience)
	case slices.Contains(auds, o.Audience):
		return pass("aud", "audience includes %q", o.Audience)
	}
	return fail("aud", "audience is %s, which does not include %q", strings.Join(auds, ", "), o.Audience)
}

func checkAzp(t *Token, o Options) Check {
	azp, has := t.ClaimString("azp")
	auds := t.Audiences()
	switch {
	case !has && len(auds) > 1:
		return fail("azp", "the token has %d audiences but no azp claim naming the party it was issued to", len(auds))
	case !has:
		return skip("azp", "no azp claim (not needed with a single audience)")
	case o.ClientID == "":
		return skip("azp", "not checked: authorized party is %q", azp)
	case azp == o.ClientID:
		return pass("azp", "authorized party is %q", azp)
	}
	return fail("azp", "authorized party is %q but the client is %q", azp, o.ClientID)
}

func checkNonce(t *Token, o Options) Check {
	nonce, has := t.ClaimString("nonce")
	switch {
	case !has:
		return fail("nonce", "no nonce claim; expected %q", o.Nonce)
	case nonce != o.Nonce:
		return fail("nonce", "nonce is %q but %q was expected", nonce, o.Nonce)
	}
	return pass("nonce", "nonce matches")
}

// AtHash computes OpenID Connect's at_hash of an access token for a JWS
// alg: the left half of the hash named by the alg, base64url-encoded.
func AtHash(alg, accessToken string) (string, error) {
	var h hash.Hash
	switch {
	case strings.HasSuffix(alg, "256"):
		h = sha256.New()
	case strings.HasSuffix(alg, "384"):
		h = sha512.New384()
	case strings.HasSuffix(alg, "512"), alg == "EdDSA":
		h = sha512.New()
	default:
		return "", fmt.Errorf("no hash is defined for alg %q", alg)
	}
	h.Write([]byte(accessToken))
	sum := h.Sum(nil)
	return base64.RawURLEncoding.EncodeToString(sum[:len(sum)/2]), nil
}

func checkAtHash(t *Token, o Options) Check {
	claim, has := t.ClaimString("at_hash")
	if !has {
		// OpenID Connect Core 1.0 §3.1.3.6: at_hash is OPTIONAL in an ID
		// token from the token endpoint; only the implicit and hybrid
		// flows' authorization-endpoint ID tokens must carry it.
		return skip("at_hash", "no at_hash claim (optional for an ID token from the token endpoint): not bound to the access token")
	}
	alg, _ := t.HeaderString("alg")
	want, err := AtHash(alg, o.AccessToken)
	if err != nil {
		return fail("at_hash", "%v", err)
	}
	if claim != want {
		return fail("at_hash", "at_hash is %q but the access token hashes to %q: they were not issued together", claim, want)
	}
	return pass("at_hash", "the ID token was issued with this access token")
}

// checkPSSSaltLength enforces RFC 7518 §3.5: a PS* signature's salt is as
// long as the hash. go-jose accepts any salt length, so check again.
func checkPSSSaltLength(t *Token, alg string, k Key) error {
	if !strings.HasPrefix(alg, "PS") {
		return nil
	}
	h, ok := hashOf(alg)
	if !ok {
		return nil
	}
	pub, ok := k.publicKey().(*rsa.PublicKey)
	if !ok {
		return nil
	}
	sig, err := strictB64.DecodeString(t.Segments[2])
	if err != nil {
		return err
	}
	d := h.New()
	d.Write([]byte(t.Segments[0] + "." + t.Segments[1]))
	if err := rsa.VerifyPSS(pub, h, d.Sum(nil), sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash, Hash: h}); err != nil {
		return fmt.Errorf("the %s signature uses a salt whose length is not the hash length (RFC 7518 §3.5): refused", alg)
	}
	return nil
}
