package tokens

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"errors"
	"math/big"
	"strings"
)

// The signature check for the algorithms real tokens use (RS256/384/512,
// ES256/384/512) runs crypto/* on the bytes Decode already checked, instead
// of letting go-jose parse the token a second time: the same hash, the same
// PKCS #1 v1.5 check and the same fixed-size R||S rule as go-jose's
// verifiers (asymmetric.go, verifyPayload), on strictly decoded base64url.
// Anything else (PS*, HS*, EdDSA, a header with parameters beyond alg,
// typ, kid and cty, a key of another type) is left to go-jose, so the
// allow-list, the key-type binding and the Wycheproof results are unchanged
// (TestWycheproofJWSVectors runs every vector through this path).

var errDirectMismatch = errors.New("signature does not match")

// directHeader lists the header parameters the direct path understands;
// any other one (jwk, x5c, b64, crit, …) sends the token to go-jose, which
// knows what each means.
var directHeader = map[string]bool{"alg": true, "typ": true, "kid": true, "cty": true}

// signedParts returns the JWS signing input and the signature bytes, or
// ok false when the token is not one the direct path takes.
func signedParts(t *Token) (input string, sig []byte, ok bool) {
	if t.Kind != KindJWS || len(t.Segments) != 3 {
		return "", nil, false
	}
	for _, f := range t.Header {
		if !directHeader[f.Name] {
			return "", nil, false
		}
		if _, isStr := f.Text(); !isStr {
			return "", nil, false
		}
	}
	i := strings.LastIndexByte(t.Raw, '.')
	if i < 0 {
		return "", nil, false
	}
	sig, err := strictB64.DecodeString(t.Segments[2])
	if err != nil {
		return "", nil, false
	}
	return t.Raw[:i], sig, true
}

// verifyDirect checks one key. handled is false when the algorithm or the
// key is not one the direct path takes; then err means nothing.
func verifyDirect(input string, sig []byte, alg string, pub any) (handled bool, err error) {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		h, ok := hashOf(alg)
		if !ok || !strings.HasPrefix(alg, "RS") {
			return false, nil
		}
		return true, rsa.VerifyPKCS1v15(k, h, digest(h, input), sig)
	case *ecdsa.PublicKey:
		var h crypto.Hash
		var curve elliptic.Curve
		var size int
		switch alg {
		case "ES256":
			h, curve, size = crypto.SHA256, elliptic.P256(), 32
		case "ES384":
			h, curve, size = crypto.SHA384, elliptic.P384(), 48
		case "ES512":
			h, curve, size = crypto.SHA512, elliptic.P521(), 66
		default:
			return false, nil
		}
		if k.Curve != curve || len(sig) != 2*size {
			return true, errDirectMismatch
		}
		r := new(big.Int).SetBytes(sig[:size])
		s := new(big.Int).SetBytes(sig[size:])
		if !ecdsa.Verify(k, digest(h, input), r, s) {
			return true, errDirectMismatch
		}
		return true, nil
	}
	return false, nil
}

// hashOf is the hash a JWS algorithm's name ends in: SHA-256 for RS256,
// PS256, ES256 and HS256, and so on.
func hashOf(alg string) (crypto.Hash, bool) {
	switch {
	case len(alg) != 5:
		return 0, false
	case strings.HasSuffix(alg, "256"):
		return crypto.SHA256, true
	case strings.HasSuffix(alg, "384"):
		return crypto.SHA384, true
	case strings.HasSuffix(alg, "512"):
		return crypto.SHA512, true
	}
	return 0, false
}

func digest(h crypto.Hash, input string) []byte {
	w := h.New()
	w.Write([]byte(input))
	return w.Sum(nil)
}
