package tokens

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/go-jose/go-jose/v4"
)

// Key is a key from a JWK, a JWKS, a PEM block or an HMAC secret, with
// the JWK members go-jose does not keep.
type Key struct {
	jose.JSONWebKey
	KeyOps []string
	Source string // where it came from, for messages: "JWKS key 2", "PEM certificate"
}

// ParseKeys reads keys from a JWK, a JWKS ({"keys": [...]}) or PEM text
// (public keys, certificates and private keys, PKIX, PKCS#1, PKCS#8, SEC 1).
// Private keys are kept (they can decrypt a JWE); for verification only
// their public half is used.
func ParseKeys(data []byte) ([]Key, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return nil, errors.New("the key is empty: paste a JWK, a JWKS or a PEM public key or certificate")
	}
	if data[0] == '{' {
		return parseJWKOrSet(data)
	}
	if bytes.HasPrefix(data, []byte("-----BEGIN")) {
		return parsePEM(data)
	}
	return nil, errors.New("the key is neither JSON (a JWK or JWKS) nor PEM (-----BEGIN ...): paste the whole key")
}

type rawJWK struct {
	KeyOps []string `json:"key_ops"`
}

func parseJWKOrSet(data []byte) ([]Key, error) {
	var probe struct {
		Keys []json.RawMessage `json:"keys"`
		Kty  string            `json:"kty"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("the key is not valid JSON: %w", err)
	}
	if probe.Keys == nil {
		if probe.Kty == "" {
			return nil, errors.New(`the JSON is neither a JWK (it has no "kty") nor a JWKS (it has no "keys")`)
		}
		k, err := parseJWK(data, "JWK")
		if err != nil {
			return nil, err
		}
		return []Key{k}, nil
	}
	if len(probe.Keys) == 0 {
		return nil, errors.New(`the JWKS has an empty "keys" array`)
	}
	keys := make([]Key, 0, len(probe.Keys))
	var skipped []string
	for i, raw := range probe.Keys {
		k, err := parseJWK(raw, fmt.Sprintf("JWKS key %d", i+1))
		if err != nil {
			// One key of an unsupported type must not hide the others.
			skipped = append(skipped, err.Error())
			continue
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("no key in the JWKS could be read: %s", strings.Join(skipped, "; "))
	}
	return keys, nil
}

func parseJWK(data []byte, source string) (Key, error) {
	var jwk jose.JSONWebKey
	if err := jwk.UnmarshalJSON(data); err != nil {
		return Key{}, fmt.Errorf("%s could not be read: %v", source, strings.TrimPrefix(err.Error(), "go-jose/go-jose: "))
	}
	var extra rawJWK
	_ = json.Unmarshal(data, &extra)
	if jwk.KeyID != "" {
		source += fmt.Sprintf(" (kid %q)", jwk.KeyID)
	}
	return Key{JSONWebKey: jwk, KeyOps: extra.KeyOps, Source: source}, nil
}

func parsePEM(data []byte) ([]Key, error) {
	var keys []Key
	rest := data
	for n := 1; ; n++ {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		k, err := parsePEMBlock(block)
		if err != nil {
			return nil, fmt.Errorf("PEM block %d (%s): %w", n, block.Type, err)
		}
		keys = append(keys, Key{JSONWebKey: jose.JSONWebKey{Key: k}, Source: fmt.Sprintf("PEM %s", strings.ToLower(block.Type))})
	}
	if len(keys) == 0 {
		return nil, errors.New("no PEM block could be read: check the BEGIN and END lines are intact")
	}
	return keys, nil
}

func parsePEMBlock(b *pem.Block) (any, error) {
	switch b.Type {
	case "CERTIFICATE":
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, err
		}
		return c.PublicKey, nil
	case "PUBLIC KEY":
		return x509.ParsePKIXPublicKey(b.Bytes)
	case "RSA PUBLIC KEY":
		return x509.ParsePKCS1PublicKey(b.Bytes)
	case "RSA PRIVATE KEY":
		return x509.ParsePKCS1PrivateKey(b.Bytes)
	case "EC PRIVATE KEY":
		return x509.ParseECPrivateKey(b.Bytes)
	case "PRIVATE KEY":
		return x509.ParsePKCS8PrivateKey(b.Bytes)
	default:
		return nil, fmt.Errorf("a %q block is not a key Tokenscope reads (use PUBLIC KEY, CERTIFICATE or a private key)", b.Type)
	}
}

// HMACKey wraps a shared secret as a key.
func HMACKey(secret []byte) Key {
	return Key{JSONWebKey: jose.JSONWebKey{Key: secret}, Source: "HMAC secret"}
}

// publicKey returns the key to verify with: the public half of a private
// key, the key itself otherwise.
func (k Key) publicKey() any {
	switch p := k.Key.(type) {
	case *rsa.PrivateKey:
		return &p.PublicKey
	case *ecdsa.PrivateKey:
		return &p.PublicKey
	case ed25519.PrivateKey:
		return p.Public()
	}
	return k.Key
}

// Describe names a key's type for people: "RSA 2048-bit", "EC P-256".
func (k Key) Describe() string {
	switch p := k.publicKey().(type) {
	case *rsa.PublicKey:
		return fmt.Sprintf("RSA %d-bit", p.N.BitLen())
	case *ecdsa.PublicKey:
		return "EC " + p.Curve.Params().Name
	case ed25519.PublicKey:
		return "Ed25519"
	case []byte:
		return fmt.Sprintf("HMAC secret (%d bytes)", len(p))
	}
	return fmt.Sprintf("%T", k.Key)
}

// SignatureAlgorithms is the default allow-list: every asymmetric and HMAC
// JWS algorithm, and never "none".
var SignatureAlgorithms = []jose.SignatureAlgorithm{
	jose.RS256, jose.RS384, jose.RS512,
	jose.PS256, jose.PS384, jose.PS512,
	jose.ES256, jose.ES384, jose.ES512,
	jose.EdDSA,
	jose.HS256, jose.HS384, jose.HS512,
}

// KnownSignatureAlg reports whether alg is a JWS algorithm on the list.
func KnownSignatureAlg(alg string) bool {
	for _, a := range SignatureAlgorithms {
		if string(a) == alg {
			return true
		}
	}
	return false
}

// kind is the key for a sentence: "an HMAC secret (6 bytes)", "an RSA
// 2048-bit key", "an EC P-256 key".
func (k Key) kind() string {
	d := k.Describe()
	if strings.HasPrefix(d, "HMAC") {
		return "an " + d
	}
	article := "a"
	if strings.HasPrefix(d, "RSA") || strings.HasPrefix(d, "EC") || strings.HasPrefix(d, "Ed") {
		article = "an"
	}
	return article + " " + d + " key"
}

// isA says what k is, for a sentence, naming it once: "the HMAC secret
// (6 bytes) is a shared secret", "PEM public key is an EC P-256 key".
func (k Key) isA() string {
	if _, ok := k.publicKey().([]byte); ok {
		return "the " + k.Describe() + " is a shared secret"
	}
	return k.Source + " is " + k.kind()
}

// fits says why key k cannot verify a signature made with alg, or nil.
// The key type must match the algorithm family: a public key is never
// used as an HMAC secret (the classic RS256→HS256 key-confusion attack).
func (k Key) fits(alg string) error {
	if k.Use != "" && k.Use != "sig" {
		return fmt.Errorf("%s is marked \"use\": %q, not for signatures", k.Source, k.Use)
	}
	if len(k.KeyOps) > 0 && !slices.Contains(k.KeyOps, "verify") {
		return fmt.Errorf("%s has key_ops %v, which do not include verify", k.Source, k.KeyOps)
	}
	if k.Algorithm != "" && k.Algorithm != alg {
		return fmt.Errorf("%s is for %s, but the token says %s", k.Source, k.Algorithm, alg)
	}
	pub := k.publicKey()
	switch {
	case strings.HasPrefix(alg, "HS"):
		if _, ok := pub.([]byte); !ok {
			return fmt.Errorf("the token says %s (HMAC) but %s (public): treating a public key as an HMAC secret is the key-confusion attack, so it is refused", alg, k.isA())
		}
	case strings.HasPrefix(alg, "RS"), strings.HasPrefix(alg, "PS"):
		if _, ok := pub.(*rsa.PublicKey); !ok {
			return fmt.Errorf("the token says %s but %s, not an RSA key", alg, k.isA())
		}
	case strings.HasPrefix(alg, "ES"):
		ec, ok := pub.(*ecdsa.PublicKey)
		want := map[string]string{"ES256": "P-256", "ES384": "P-384", "ES512": "P-521"}[alg]
		if !ok || ec.Curve.Params().Name != want {
			return fmt.Errorf("the token says %s, which needs an EC %s key, but %s", alg, want, k.isA())
		}
	case alg == "EdDSA":
		if _, ok := pub.(ed25519.PublicKey); !ok {
			return fmt.Errorf("the token says EdDSA but %s, not an Ed25519 key", k.isA())
		}
	default:
		return fmt.Errorf("the algorithm %q is not supported", alg)
	}
	return nil
}
