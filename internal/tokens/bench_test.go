package tokens

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/tokenscope/tokenscope/internal/testop"
)

// auth0Claims is a typical Auth0 access token payload (about 1 KB encoded).
func auth0Claims(n time.Time) map[string]any {
	return map[string]any{
		"https://example.com/roles": []string{"admin", "support"},
		"https://example.com/email": "jane.doe@example.com",
		"iss":                       "https://tenant.eu.auth0.com/",
		"sub":                       "auth0|6543210fedcba9876543210f",
		"aud":                       []string{"https://api.example.com", "https://tenant.eu.auth0.com/userinfo"},
		"iat":                       n.Unix(),
		"exp":                       n.Add(24 * time.Hour).Unix(),
		"scope":                     "openid profile email offline_access read:orders write:orders",
		"azp":                       "Xk2pL9qR7sT1uV3wY5zA8bC0dE2fG4hJ",
		"gty":                       "refresh_token",
		"org_id":                    "org_a1B2c3D4e5F6g7H8",
		"permissions":               []string{"read:orders", "write:orders", "read:customers"},
	}
}

func BenchmarkDecodeTypicalAuth0Token(b *testing.B) {
	rk := testop.RSAKey()
	tok := testop.Sign(b, jose.RS256, rk, "key-2024-01", auth0Claims(now))
	b.SetBytes(int64(len(tok)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(tok, now); err != nil {
			b.Fatal(err)
		}
	}
}

func benchVerify(b *testing.B, alg jose.SignatureAlgorithm, key, pub any) {
	tok := testop.Sign(b, alg, key, "k1", auth0Claims(now))
	keys := StaticKeys{{JSONWebKey: jose.JSONWebKey{Key: pub, KeyID: "k1"}, Source: "bench"}}
	b.ReportAllocs()
	for b.Loop() {
		t, err := DecodeStrict(tok, now)
		if err != nil {
			b.Fatal(err)
		}
		if r := Verify(context.Background(), t, Options{Keys: keys, Now: now}); !r.Valid {
			b.Fatal(r.Checks[0].Detail)
		}
	}
}

func BenchmarkVerifyRS256CachedKey(b *testing.B) {
	rk := testop.RSAKey()
	benchVerify(b, jose.RS256, rk, &rk.PublicKey)
}

func BenchmarkVerifyES256CachedKey(b *testing.B) {
	ek := testop.ECKey()
	benchVerify(b, jose.ES256, ek, &ek.PublicKey)
}

func oneMBToken(b *testing.B) string {
	c := auth0Claims(now)
	c["blob"] = strings.Repeat("x", 760<<10)
	rk := testop.RSAKey()
	return testop.Sign(b, jose.RS256, rk, "k1", c)
}

func BenchmarkDecode1MBToken(b *testing.B) {
	tok := oneMBToken(b)
	b.SetBytes(int64(len(tok)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(tok, now); err != nil {
			b.Fatal(err)
		}
	}
}

// The floors: what verifying costs with nothing around it, the hash and
// the public-key operation on the same token, and the two base64url
// decodes of a bare decode. make bench prints each figure over its floor.
func benchFloorVerify(b *testing.B, alg jose.SignatureAlgorithm, key any, check func(digest, sig []byte) bool) {
	tok := testop.Sign(b, alg, key, "k1", auth0Claims(now))
	i := strings.LastIndexByte(tok, '.')
	sig, err := strictB64.DecodeString(tok[i+1:])
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		d := sha256.Sum256([]byte(tok[:i]))
		if !check(d[:], sig) {
			b.Fatal("floor: the signature does not verify")
		}
	}
}

func BenchmarkFloorVerifyRS256(b *testing.B) {
	rk := testop.RSAKey()
	benchFloorVerify(b, jose.RS256, rk, func(d, sig []byte) bool {
		return rsa.VerifyPKCS1v15(&rk.PublicKey, crypto.SHA256, d, sig) == nil
	})
}

func BenchmarkFloorVerifyES256(b *testing.B) {
	ek := testop.ECKey()
	benchFloorVerify(b, jose.ES256, ek, func(d, sig []byte) bool {
		return ecdsa.Verify(&ek.PublicKey, d, new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:]))
	})
}

func BenchmarkFloorDecodeTypicalAuth0Token(b *testing.B) {
	rk := testop.RSAKey()
	benchFloorDecode(b, testop.Sign(b, jose.RS256, rk, "key-2024-01", auth0Claims(now)))
}

func BenchmarkFloorDecode1MBToken(b *testing.B) { benchFloorDecode(b, oneMBToken(b)) }

// benchFloorDecode is the two base64url decodes a decode cannot avoid.
func benchFloorDecode(b *testing.B, tok string) {
	parts := strings.Split(tok, ".")
	b.SetBytes(int64(len(tok)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := strictB64.DecodeString(parts[0]); err != nil {
			b.Fatal(err)
		}
		if _, err := strictB64.DecodeString(parts[1]); err != nil {
			b.Fatal(err)
		}
	}
}
