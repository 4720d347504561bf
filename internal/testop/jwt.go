package testop

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"sync"
	"testing"

	"github.com/go-jose/go-jose/v4"
)

// Sign returns claims as a compact JWS signed with key under alg, the way
// a provider signs a JWT: "typ": "JWT" in the header, and "kid" unless kid
// is "". key is what go-jose takes for alg (an *rsa.PrivateKey,
// *ecdsa.PrivateKey or ed25519.PrivateKey, a []byte for HS*, or a
// jose.JSONWebKey). A key that does not fit alg fails the test.
func Sign(t testing.TB, alg jose.SignatureAlgorithm, key any, kid string, claims any) string {
	t.Helper()
	opts := (&jose.SignerOptions{}).WithType("JWT")
	if kid != "" {
		opts = opts.WithHeader("kid", kid)
	}
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, opts)
	if err != nil {
		t.Fatalf("testop.Sign: %s with a %T: %v", alg, key, err)
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		t.Fatalf("testop.Sign: the claims: %v", err)
	}
	obj, err := s.Sign(payload)
	if err != nil {
		t.Fatalf("testop.Sign: %v", err)
	}
	out, err := obj.CompactSerialize()
	if err != nil {
		t.Fatalf("testop.Sign: %v", err)
	}
	return out
}

var (
	keysOnce sync.Once
	rsaKey   *rsa.PrivateKey
	ecKey    *ecdsa.PrivateKey
)

func makeKeys() {
	var err error
	if rsaKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		panic(err)
	}
	if ecKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		panic(err)
	}
}

// RSAKey is one 2048-bit RSA key for the whole test binary: making one
// takes a noticeable part of a second under -race. A test that needs a key
// nobody else holds (a stranger's signature) makes its own.
func RSAKey() *rsa.PrivateKey {
	keysOnce.Do(makeKeys)
	return rsaKey
}

// ECKey is one P-256 key for the whole test binary, as RSAKey.
func ECKey() *ecdsa.PrivateKey {
	keysOnce.Do(makeKeys)
	return ecKey
}
