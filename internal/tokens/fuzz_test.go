package tokens

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
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
