package tokens

import (
	"context"
	"encoding/json"
	"os"
	"testing"
	"time"
)

// The Wycheproof JWS vectors (testdata/wycheproof, Apache-2.0): every valid
// case must verify and every invalid one must be rejected.
//
// Policy for the JSON-serialization cases: Tokenscope handles tokens, which
// are always in compact serialization, so a JWS in JSON serialization is
// rejected at decoding ("not a token"), never verified.
//
// Where the suite contradicts itself, Tokenscope takes the stricter side,
// and policyRejects pins each such case:
//   - rfc7520 groups: their JWKs carry "alg" PS256 (and the non-existent
//     ES521) yet sign PS384 and ES512 tokens. The same suite's WrongPrimitive
//     cases require that a key's alg binds it (RFC 7517 §4.4), so these are
//     rejected.
//   - InvalidCharacterInserted*: a '?' inside a segment is not base64url
//     (RFC 7515 §2); a decoder that skips it would give one token two
//     encodings, so these are rejected.
var policyRejects = map[int]string{
	346: "key alg PS256, token PS384",
	347: "key alg ES521, token ES512",
	350: "key alg PS256, token PS384",
	351: "key alg ES521, token ES512",
	372: "'?' inserted in the header",
	373: "'?' inserted in the payload",
}

// policyAccepts are cases marked invalid whose token is byte for byte the
// one tcId 357 marks valid: no verifier can satisfy both, and 357 is right
// (its padding-free encoding is the only valid one).
var policyAccepts = map[int]string{
	367: "identical to tcId 357",
	370: "identical to tcId 357",
}

func TestWycheproofJWSVectors(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("testdata/wycheproof/json_web_signature_test.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		TestGroups []struct {
			Comment string          `json:"comment"`
			Public  json.RawMessage `json:"public"`
			Private json.RawMessage `json:"private"`
			Tests   []struct {
				TcID    int      `json:"tcId"`
				Comment string   `json:"comment"`
				JWS     string   `json:"jws"`
				Result  string   `json:"result"`
				Flags   []string `json:"flags"`
			} `json:"tests"`
		} `json:"testGroups"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	counted := map[string]int{}
	for _, g := range file.TestGroups {
		keyJSON := g.Public
		if keyJSON == nil {
			keyJSON = g.Private // HMAC groups have only the shared key
		}
		keys, err := ParseKeys(keyJSON)
		if err != nil {
			t.Fatalf("group %s: key: %v", g.Comment, err)
		}
		for _, tc := range g.Tests {
			ok := false
			tok, err := DecodeStrict(tc.JWS, now)
			if err == nil {
				r := Verify(context.Background(), tok, Options{Keys: StaticKeys(keys), Now: now})
				sig, _ := r.Check("signature")
				ok = sig.Status == Pass
			}
			counted[tc.Result]++
			want := tc.Result == "valid"
			if _, strict := policyRejects[tc.TcID]; strict {
				want = false
			}
			if _, same := policyAccepts[tc.TcID]; same {
				want = true
			}
			if ok != want {
				t.Errorf("tcId %d (%s, %s %v): verified=%v, want %v (decode error: %v)", tc.TcID, g.Comment, tc.Comment, tc.Flags, ok, want, err)
			}
		}
	}
	if counted["valid"] == 0 || counted["invalid"] == 0 {
		t.Fatalf("ran no vectors: %v", counted)
	}
	t.Logf("vectors: %v", counted)
}
