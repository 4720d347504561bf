// Package tokens decodes, explains, verifies and validates tokens: signed
// JWTs (JWS compact), encrypted JWTs (JWE compact) and opaque strings.
//
// Decoding never touches the network and never fails because a token is
// expired or badly signed: it reports such things as findings, so a person
// can look at a token that fails every check. Verification (verify.go) is a
// separate, explicit step.
package tokens

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tokenscope/tokenscope/internal/finding"
)

// Kind is what sort of token a string is.
type Kind string

const (
	KindJWS    Kind = "jws"
	KindJWE    Kind = "jwe"
	KindOpaque Kind = "opaque"
)

// Finding codes. They are part of the --json contract: never rename one.
const (
	CodeAlgNone           = "alg_none"
	CodeAlgMissing        = "alg_missing"
	CodeAlgUnknown        = "alg_unknown"
	CodeExpired           = "expired"
	CodeNotYetValid       = "not_yet_valid"
	CodeIssuedInFuture    = "issued_in_future"
	CodeNoExpiry          = "no_expiry"
	CodeTimeNotNumeric    = "time_not_numeric"
	CodeTimeOutOfRange    = "time_out_of_range"
	CodeOpaqueToken       = "opaque_token"
	CodeEncryptedToken    = "encrypted_token"
	CodeAuth0OpaqueToken  = "auth0_opaque_token"
	CodeNestedJWT         = "nested_jwt"
	CodePayloadNotJSON    = "payload_not_json"
	CodeClaimsNotObject   = "claims_not_object"
	CodeDuplicateClaim    = "duplicate_claim"
	CodeDuplicateHeader   = "duplicate_header"
	CodeEmptySignature    = "empty_signature"
	CodePrefixStripped    = "prefix_stripped"
	CodeQuotesStripped    = "quotes_stripped"
	CodeWhitespaceRemoved = "whitespace_removed"
	CodeCritHeader        = "crit_header"
	CodeDeepNesting       = "deep_nesting"
)

// DecodeError says which part of the input could not be decoded.
type DecodeError struct {
	Part string // "input", "header (segment 1)", "payload (segment 2)", ...
	Msg  string
}

func (e *DecodeError) Error() string {
	if e.Part == "input" {
		return e.Msg
	}
	return "the " + e.Part + " " + e.Msg
}

// Token is a decoded token. Header and Claims keep document order.
type Token struct {
	Raw      string // the normalized token
	Kind     Kind
	Segments []string

	Header     []Field
	HeaderJSON []byte

	// Claims are the payload members when the payload is a JSON object.
	// For a JWE they stay empty until the token is decrypted.
	Claims []Field
	// PayloadJSON is the payload when it is a JSON object, exactly as
	// decoded. It is a string because the claims' values share its memory.
	PayloadJSON string
	// PayloadText is the payload when it is not a JSON object.
	PayloadText string

	Findings []finding.Finding
}

// MaxTokenSize bounds what Decode accepts; no real token comes close.
const MaxTokenSize = 16 << 20

// Decode normalizes input and decodes it. now is used only to phrase
// time findings (expired, not yet valid); pass time.Now() outside tests.
// It returns an error only when the input is malformed; a token that is
// expired, unsigned or strange is decoded and described by findings.
func Decode(input string, now time.Time) (*Token, error) {
	if len(input) > MaxTokenSize {
		return nil, &DecodeError{"input", fmt.Sprintf("input is %d MB; tokens are at most %d MB here: check that you pasted a token", len(input)>>20, MaxTokenSize>>20)}
	}
	raw, notes, ascii := normalize(input)
	return decode(raw, notes, ascii, now)
}

// DecodeStrict decodes raw exactly as given, without Normalize: for test
// vectors and places where the input is already a bare token.
func DecodeStrict(raw string, now time.Time) (*Token, error) {
	if len(raw) > MaxTokenSize {
		return nil, &DecodeError{"input", "input is too large to be a token"}
	}
	return decode(raw, nil, false, now)
}

// decode decodes raw; ascii says it is already known to be ASCII.
func decode(raw string, notes []finding.Finding, ascii bool, now time.Time) (*Token, error) {
	if raw == "" {
		return nil, &DecodeError{"input", "input is empty: paste a JWT, a JWE or an opaque token"}
	}
	if !ascii && !utf8.ValidString(raw) {
		return nil, &DecodeError{"input", "input is not text (it holds bytes that are not UTF-8): paste the token itself, not a binary file"}
	}
	segs := strings.Split(raw, ".")
	t := &Token{Raw: raw, Segments: segs, Findings: notes}
	var err error
	switch len(segs) {
	case 1:
		err = t.decodeOpaque()
	case 3:
		err = t.decodeJWS(now)
	case 5:
		err = t.decodeJWE()
	default:
		if looksOpaque(raw) && !strings.HasPrefix(raw, "eyJ") {
			err = t.decodeOpaque()
		} else {
			err = &DecodeError{"input", fmt.Sprintf("has %d dot-separated segments; a signed JWT has 3 and an encrypted one 5: check that the whole token was copied", len(segs))}
		}
	}
	if err != nil {
		return nil, err
	}
	return t, nil
}

func segmentName(i int, kind Kind) string {
	names := []string{"header", "payload", "signature"}
	if kind == KindJWE {
		names = []string{"protected header", "encrypted key", "initialization vector", "ciphertext", "authentication tag"}
	}
	return fmt.Sprintf("%s (segment %d)", names[i], i+1)
}

// strictB64 is strict base64url: no padding, no stray characters, and unused
// trailing bits must be zero (RFC 7515 §2), so one token has one encoding.
var strictB64 = base64.RawURLEncoding.Strict()

func decodeSegment(s string, i int, kind Kind) ([]byte, error) {
	if strings.HasSuffix(s, "=") {
		return nil, &DecodeError{segmentName(i, kind), "ends with '=' padding, which JWTs never use: the token was re-encoded or altered"}
	}
	b, err := strictB64.DecodeString(s)
	if err != nil {
		return nil, &DecodeError{segmentName(i, kind), "is not base64url: " + base64Problem(s, err)}
	}
	return b, nil
}

// checkSegment is decodeSegment for a segment only checked, not kept (a
// signature): small ones are decoded on the stack.
func checkSegment(s string, i int, kind Kind) error {
	var buf [1024]byte
	if strings.HasSuffix(s, "=") || strictB64.DecodedLen(len(s)) > len(buf) {
		_, err := decodeSegment(s, i, kind)
		return err
	}
	if _, err := strictB64.Decode(buf[:], []byte(s)); err != nil {
		_, err := decodeSegment(s, i, kind) // for its message
		return err
	}
	return nil
}

func base64Problem(s string, err error) string {
	if ce := base64.CorruptInputError(0); errors.As(err, &ce) && int(ce) < len(s) {
		c := s[ce]
		if c == '+' || c == '/' {
			return fmt.Sprintf("character %d is %q, which is standard base64; JWTs use the URL-safe alphabet (- and _)", int(ce)+1, c)
		}
		return fmt.Sprintf("character %d (%q) is not allowed", int(ce)+1, c)
	}
	return "its length is not possible for base64url"
}

func (t *Token) decodeHeader(kind Kind) error {
	b, err := decodeSegment(t.Segments[0], 0, kind)
	if err != nil {
		return err
	}
	fields, err := parseObject(b)
	switch {
	case errors.Is(err, errNotJSON):
		return &DecodeError{segmentName(0, kind), "is not JSON: a JOSE header must be a JSON object like {\"alg\":\"RS256\"}"}
	case errors.Is(err, errNotObject):
		return &DecodeError{segmentName(0, kind), "is JSON but not an object: a JOSE header must be a JSON object"}
	case errors.Is(err, errTooDeep):
		return &DecodeError{segmentName(0, kind), fmt.Sprintf("nests arrays or objects deeper than %d levels: no real JOSE header does, so it is not expanded", MaxNesting)}
	}
	t.HeaderJSON = b
	t.Header = fields
	if dup := duplicates(fields); dup != "" {
		t.add(finding.SeverityError, CodeDuplicateHeader, fmt.Sprintf("The header has %q more than once; libraries disagree on which one counts, so treat this token as hostile.", dup))
	}
	if crit, ok := t.HeaderValue("crit"); ok {
		t.add(finding.SeverityWarning, CodeCritHeader, fmt.Sprintf("The header marks %v as critical: a verifier that does not understand them must reject the token.", crit))
	}
	return nil
}

func (t *Token) decodeJWS(now time.Time) error {
	t.Kind = KindJWS
	if err := t.decodeHeader(KindJWS); err != nil {
		return err
	}
	payload, err := decodeSegment(t.Segments[1], 1, KindJWS)
	if err != nil {
		return err
	}
	if err := checkSegment(t.Segments[2], 2, KindJWS); err != nil {
		return err
	}
	alg, _ := t.HeaderString("alg")
	switch {
	case alg == "":
		t.add(finding.SeverityError, CodeAlgMissing, "The header has no \"alg\": no verifier can check this token.")
	case strings.EqualFold(alg, "none"):
		t.add(finding.SeverityError, CodeAlgNone, "The header says \"alg\": \"none\": the token is unsigned and anybody could have written it. Never accept it.")
	case !KnownSignatureAlg(alg):
		t.add(finding.SeverityWarning, CodeAlgUnknown, fmt.Sprintf("The header's \"alg\" %q is not a JWS signature algorithm Tokenscope knows.", alg))
	}
	if t.Segments[2] == "" && !strings.EqualFold(alg, "none") {
		t.add(finding.SeverityError, CodeEmptySignature, "The signature segment is empty: the token is not signed.")
	}
	t.setPayload(payload, now)
	return nil
}

func (t *Token) setPayload(payload []byte, now time.Time) {
	doc, fields, err := parseOwned(payload) // payload is not used below: PayloadText copies it
	switch {
	case errors.Is(err, errNotJSON):
		t.PayloadText = printable(payload)
		t.add(finding.SeverityInfo, CodePayloadNotJSON, "The payload is not JSON, so it has no claims; it is shown as text.")
		return
	case errors.Is(err, errNotObject):
		t.PayloadText = string(payload)
		t.add(finding.SeverityWarning, CodeClaimsNotObject, "The payload is JSON but not an object, so it has no claims; it is shown as text.")
		return
	case errors.Is(err, errTooDeep):
		t.PayloadText = printable(payload)
		t.add(finding.SeverityError, CodeDeepNesting, fmt.Sprintf("The payload nests arrays or objects deeper than %d levels. No real token does: it is not expanded into claims and is shown as text (treat it as hostile).", MaxNesting))
		return
	}
	t.PayloadJSON = doc
	t.Claims = fields
	if dup := duplicates(fields); dup != "" {
		t.add(finding.SeverityError, CodeDuplicateClaim, fmt.Sprintf("The claim %q appears more than once; libraries disagree on which one counts, so treat this token as hostile.", dup))
	}
	t.timeFindings(now)
}

func (t *Token) decodeJWE() error {
	t.Kind = KindJWE
	if err := t.decodeHeader(KindJWE); err != nil {
		return err
	}
	for i := 1; i < 5; i++ {
		if _, err := decodeSegment(t.Segments[i], i, KindJWE); err != nil {
			return err
		}
	}
	alg, _ := t.HeaderString("alg")
	enc, _ := t.HeaderString("enc")
	iss, _ := t.HeaderString("iss")
	if alg == "dir" && iss != "" {
		t.add(finding.SeverityInfo, CodeAuth0OpaqueToken, fmt.Sprintf("This is an opaque access token encrypted by %s for itself (alg dir, enc %s). Only that server can read it: send it to its /userinfo endpoint. To get a JWT access token you can inspect, request one with an audience (an API identifier).", iss, enc))
		return nil
	}
	t.add(finding.SeverityInfo, CodeEncryptedToken, fmt.Sprintf("The token is encrypted (alg %s, enc %s): %s Give that key under Decrypt to see the claims.", alg, enc, DecryptionKeyHint(alg)))
	if cty, _ := t.HeaderString("cty"); strings.EqualFold(cty, "JWT") {
		t.add(finding.SeverityInfo, CodeNestedJWT, "The header says cty JWT: a signed JWT is inside; decrypting shows it and its claims.")
	}
	return nil
}

// DecryptionKeyHint says which key decrypts a JWE with the given alg.
func DecryptionKeyHint(alg string) string {
	switch {
	case strings.HasPrefix(alg, "RSA"):
		return "it decrypts with the recipient's RSA private key (JWK or PEM)."
	case strings.HasPrefix(alg, "ECDH-ES"):
		return "it decrypts with the recipient's EC or X25519 private key (JWK or PEM)."
	case alg == "dir":
		return "it decrypts with the shared symmetric content key itself."
	case strings.HasSuffix(alg, "KW"):
		return "it decrypts with the shared symmetric key-wrapping key."
	case strings.HasPrefix(alg, "PBES2"):
		return "it decrypts with the password it was encrypted with."
	default:
		return "Tokenscope does not know this key-management algorithm."
	}
}

func (t *Token) decodeOpaque() error {
	if !looksOpaque(t.Raw) {
		i := strings.IndexFunc(t.Raw, func(r rune) bool { return !isTokenRune(r) })
		return &DecodeError{"input", fmt.Sprintf("is not a token: character %d (%q) cannot appear in a JWT or an opaque token", i+1, t.Raw[i:i+utf8.RuneLen(rune(t.Raw[i]))])}
	}
	t.Kind = KindOpaque
	t.add(finding.SeverityInfo, CodeOpaqueToken, "This is an opaque token: it carries no readable claims. Auth0 issues an opaque access token when the request has no audience; it is only good for /userinfo. Ask for one with an audience (your API's identifier) to get a JWT.")
	return nil
}

func looksOpaque(s string) bool {
	for _, r := range s {
		if !isTokenRune(r) {
			return false
		}
	}
	return true
}

// isTokenRune allows the characters of base64, base64url and RFC 6750's
// b64token, which covers every opaque token format in use.
func isTokenRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
		r == '-' || r == '_' || r == '.' || r == '~' || r == '+' || r == '/' || r == '='
}

func (t *Token) add(sev finding.Severity, code, msg string) {
	t.Findings = append(t.Findings, finding.Finding{Severity: sev, Code: code, Message: msg})
}

// HeaderValue returns the last value of a header parameter.
func (t *Token) HeaderValue(name string) (any, bool) { return lookup(t.Header, name) }

// HeaderString returns a header parameter when it is a string.
func (t *Token) HeaderString(name string) (string, bool) { return lookupText(t.Header, name) }

// Claim returns the last value of a claim.
func (t *Token) Claim(name string) (any, bool) { return lookup(t.Claims, name) }

// ClaimString returns a claim when it is a string.
func (t *Token) ClaimString(name string) (string, bool) { return lookupText(t.Claims, name) }

// ClaimsMap returns the claims as a map (the last duplicate wins, as in
// encoding/json).
func (t *Token) ClaimsMap() map[string]any { return fieldsMap(t.Claims) }

func fieldsMap(fs []Field) map[string]any {
	if fs == nil {
		return nil
	}
	m := make(map[string]any, len(fs))
	for _, f := range fs {
		m[f.Name] = f.Value()
	}
	return m
}

func lookup(fs []Field, name string) (any, bool) {
	f, ok := lookupField(fs, name)
	if !ok {
		return nil, false
	}
	return f.Value(), true
}

// lookupText is lookup for a string value, without boxing it.
func lookupText(fs []Field, name string) (string, bool) {
	if f, ok := lookupField(fs, name); ok {
		return f.Text()
	}
	return "", false
}

// lookupField finds the last member named name.
func lookupField(fs []Field, name string) (Field, bool) {
	for i := len(fs) - 1; i >= 0; i-- {
		if fs[i].Name == name {
			return fs[i], true
		}
	}
	return Field{}, false
}

func duplicates(fs []Field) string {
	if len(fs) <= 64 {
		for i := 1; i < len(fs); i++ {
			for j := 0; j < i; j++ {
				if fs[i].Name == fs[j].Name {
					return fs[i].Name
				}
			}
		}
		return ""
	}
	seen := make(map[string]struct{}, len(fs))
	for _, f := range fs {
		if _, ok := seen[f.Name]; ok {
			return f.Name
		}
		seen[f.Name] = struct{}{}
	}
	return ""
}

func printable(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return fmt.Sprintf("(%d bytes of binary data) %x", len(b), b[:min(len(b), 64)])
}
