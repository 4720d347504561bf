package tokens

import (
	"context"
	"testing"
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
