package tokens

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// Key-management and content-encryption algorithms accepted for JWE.
// RSA1_5 is left out: it is broken (Bleichenbacher) and nobody should need it.
var (
	KeyAlgorithms = []jose.KeyAlgorithm{
		jose.RSA_OAEP, jose.RSA_OAEP_256,
		jose.ECDH_ES, jose.ECDH_ES_A128KW, jose.ECDH_ES_A192KW, jose.ECDH_ES_A256KW,
		jose.A128KW, jose.A192KW, jose.A256KW,
		jose.A128GCMKW, jose.A192GCMKW, jose.A256GCMKW,
		jose.DIRECT,
	}
	ContentEncryptions = []jose.ContentEncryption{
		jose.A128CBC_HS256, jose.A192CBC_HS384, jose.A256CBC_HS512,
		jose.A128GCM, jose.A192GCM, jose.A256GCM,
	}
)

// Decrypt opens a JWE with one of keys and returns its plaintext decoded
// as a token of its own: the nested JWT when cty is JWT, otherwise a token
// whose payload is the plaintext (claims when it is a JSON object).
func Decrypt(t *Token, keys []Key, now time.Time) (*Token, error) {
	if t.Kind != KindJWE {
		return nil, errors.New("only an encrypted token (JWE) can be decrypted")
	}
	if len(keys) == 0 {
		return nil, errors.New("give a decryption key first")
	}
	jwe, err := jose.ParseEncryptedCompact(t.Raw, KeyAlgorithms, ContentEncryptions)
	if err != nil {
		return nil, fmt.Errorf("the token cannot be decrypted: %s", strings.TrimPrefix(err.Error(), "go-jose/go-jose: "))
	}
	kid, _ := t.HeaderString("kid")
	var lastErr error
	for _, k := range SelectByKID(keys, kid) {
		plain, err := jwe.Decrypt(k.Key)
		if err != nil {
			lastErr = err
			continue
		}
		if cty, _ := t.HeaderString("cty"); strings.EqualFold(cty, "JWT") {
			inner, err := Decode(string(plain), now)
			if err != nil {
				return nil, fmt.Errorf("decrypted, but the nested JWT is malformed: %w", err)
			}
			return inner, nil
		}
		inner := &Token{Raw: t.Raw, Kind: KindJWE, Header: t.Header, HeaderJSON: t.HeaderJSON, Segments: t.Segments}
		inner.setPayload(plain, now) // go-jose hands back a new plaintext: ours to keep
		return inner, nil
	}
	return nil, fmt.Errorf("no key decrypts this token (%s): check it is the recipient's private key or the shared key", strings.TrimPrefix(lastErr.Error(), "go-jose/go-jose: "))
}
