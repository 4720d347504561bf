package tokens

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-jose/go-jose/v4"

	"github.com/tokenscope/tokenscope/internal/testop"
)

// FuzzDecode: any input either decodes or returns a DecodeError naming a
// part; it never panics, and a decoded token can always be verified.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{rfcA1, rfcA2, rfcA5, "opaque-token", "", "a.b.c.d.e", "Bearer \"x.y.z\"",
		b64(`{"alg":"HS256"}`) + "." + b64(`{"exp":1e400,"sub":"a","sub":"b"}`) + ".c2ln"} {
		f.Add(s)
	}
	keys := mustKeys(f, rfcA1Key)
	f.Fuzz(func(t *testing.T, in string) {
		tok, err := Decode(in, now)
		if err != nil {
			if _, ok := err.(*DecodeError); !ok {
				t.Fatalf("error %T is not a DecodeError", err)
			}
			return
		}
		_ = tok.Times()
		_ = tok.ClaimsMap()
		r := Verify(context.Background(), tok, Options{Keys: keys, Now: now})
		if len(r.Checks) < 7 {
			t.Fatalf("only %d checks", len(r.Checks))
		}
	})
}

// FuzzParseKeys: key text from users never panics the parser.
func FuzzParseKeys(f *testing.F) {
	for _, s := range []string{rfcA1Key, rfcA2Key, rfcA3Key, `{"keys":[` + rfcA4Key + `]}`, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", "{}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		keys, err := ParseKeys(in)
		if err == nil && len(keys) == 0 {
			t.Fatal("no error and no keys")
		}
		for _, k := range keys {
			_ = k.Describe()
			_ = k.fits("RS256")
		}
	})
}

// FuzzParseObjectAgreesWithEncodingJSON: the hand-written parser on the
// decode hot path accepts exactly what encoding/json accepts and yields the
// same values (with duplicates, the last member wins in both).
func FuzzParseObjectAgreesWithEncodingJSON(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":1}`, `{"a":"\u00e9\"x","b":[1,2.5e-3,{"c":null}],"a":true}`, `[1]`, `"x"`, `{"a":01}`, `{"a":"\x01"}`, "{\"a\":\"\xff\"}", `{"a":-0.0e+1}`, ` { "a" : [ ] } `} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		fields, err := parseObject(in)
		if valid := json.Valid(in); valid != (err != errNotJSON) {
			t.Fatalf("parseObject err=%v but json.Valid=%v for %q", err, valid, in)
		}
		if err != nil {
			return
		}
		d := json.NewDecoder(bytes.NewReader(in))
		d.UseNumber()
		var want map[string]any
		if err := d.Decode(&want); err != nil {
			t.Fatalf("encoding/json: %v", err)
		}
		if got := fieldsMap(fields); !reflect.DeepEqual(got, want) {
			t.Fatalf("got %#v\nwant %#v", got, want)
		}
	})
}

// FuzzDirectVerifyAgreesWithGoJose: for any token the direct path takes,
// its verdict with an RSA and an EC key is go-jose's verdict.
func FuzzDirectVerifyAgreesWithGoJose(f *testing.F) {
	rk, ek := testop.RSAKey(), testop.ECKey()
	n := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, alg := range []jose.SignatureAlgorithm{jose.RS256, jose.RS384, jose.RS512} {
		f.Add(testop.Sign(f, alg, rk, "k1", claimsAt(n)))
	}
	for _, alg := range []jose.SignatureAlgorithm{jose.ES256} {
		f.Add(testop.Sign(f, alg, ek, "", claimsAt(n)))
	}
	f.Add(alterPayload(testop.Sign(f, jose.RS256, rk, "k1", claimsAt(n))))
	f.Fuzz(func(t *testing.T, raw string) {
		tok, err := DecodeStrict(raw, n)
		if err != nil {
			return
		}
		input, sig, ok := signedParts(tok)
		if !ok {
			return
		}
		alg, _ := tok.HeaderString("alg")
		for _, pub := range []any{&rk.PublicKey, &ek.PublicKey} {
			handled, derr := verifyDirect(input, sig, alg, pub)
			if !handled {
				continue
			}
			jws, err := jose.ParseSignedCompact(raw, []jose.SignatureAlgorithm{jose.SignatureAlgorithm(alg)})
			joseOK := err == nil
			if joseOK {
				_, err = jws.Verify(pub)
				joseOK = err == nil
			}
			if (derr == nil) != joseOK {
				t.Fatalf("%s with %T: direct says %v, go-jose says %v (%v)", alg, pub, derr, joseOK, err)
			}
		}
	})
}

// FuzzHasSpaceAgreesWithUnicode: the word-at-a-time scan answers what
// strings.IndexFunc(s, unicode.IsSpace) answers, and when it finds no
// space it says ASCII exactly when every byte is below 0x80 (decode then
// skips its UTF-8 check).
func FuzzHasSpaceAgreesWithUnicode(f *testing.F) {
	for _, s := range []string{"", "eyJhbGciOiJSUzI1NiJ9.e30.sig", "eyJhbGciOiJSUz I1NiJ9", "abcdefgh\u00a0", "abcdefg\x7f", "\u2028abcdefghijk", "abcdefghijklmnop\n",
		strings.Repeat("eyJhbGciOiJSUzI1NiJ9", 5) + "\xff", strings.Repeat("a", 40) + "\x01b", strings.Repeat("a", 33) + " "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		space, ascii := scanSpace(s)
		if want := strings.IndexFunc(s, unicode.IsSpace) >= 0; space != want {
			t.Fatalf("scanSpace(%q) finds space %v, want %v", s, space, want)
		}
		if want := strings.IndexFunc(s, func(r rune) bool { return r >= utf8.RuneSelf }) < 0; !space && ascii != want {
			t.Fatalf("scanSpace(%q) says ASCII %v, want %v", s, ascii, want)
		}
	})
}
