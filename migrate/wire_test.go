package migrate

import (
	"testing"

	"github.com/tokenscope/tokenscope/internal/oauth"
)

// Wire is what Send puts on the wire: the body exactly as rendered (JSON
// stays JSON, form stays form) and the client's credentials as Basic only
// for basic.
func TestTheWireRequestIsTheRenderedOne(t *testing.T) {
	t.Parallel()
	for _, enc := range []Encoding{EncodingJSON, EncodingForm} {
		for _, auth := range []oauth.AuthMethod{oauth.AuthNone, oauth.AuthPost, oauth.AuthBasic} {
			r := goldenRequest(t, enc, auth)
			w := r.Wire()
			body := r.BodyForm()
			if enc == EncodingJSON {
				body = string(r.BodyJSON(false))
			}
			if w.URL != r.URL || w.Body() != body || w.ContentType() != r.ContentType() || w.Auth != auth || w.ClientID != r.ClientID {
				t.Fatalf("%s/%s: %+v\nbody %s, want %s", enc, auth, w, w.Body(), body)
			}
			if basic := w.BasicUser != ""; basic != (auth == oauth.AuthBasic) || basic && (w.BasicUser != r.ClientID || w.BasicPassword != r.ClientSecret) {
				t.Fatalf("%s/%s: Basic %q:%q", enc, auth, w.BasicUser, w.BasicPassword)
			}
		}
	}
}

// A legacy call goes out again in its own encoding with its own Basic
// credentials, and says how it authenticated the client.
func TestTheLegacyWireRequestIsTheCallAsMade(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]struct {
		json bool
		auth oauth.AuthMethod
		user string
	}{
		`{"grant_type":"urn:ietf:params:oauth:grant-type:jwt-bearer","client_id":"abc","refresh_token":"r"}`:                          {true, oauth.AuthNone, ""},
		"grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&client_id=abc&client_secret=s%27%24&refresh_token=r":        {false, oauth.AuthPost, ""},
		"curl https://t.auth0.com/delegation -u 'abc:s3' -d 'grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&refresh_token=r'": {false, oauth.AuthBasic, "abc"},
	} {
		b, err := Parse([]byte(in))
		if err != nil {
			t.Fatal(err)
		}
		l := b.Requests[0]
		w := l.Wire()
		if w.JSON != want.json || w.Auth != want.auth || w.BasicUser != want.user || w.ClientID != "abc" || w.URL != l.URL {
			t.Fatalf("%s: %+v", in, w)
		}
		body := (&Request{Body: l.Params, Encoding: l.Encoding}).BodyForm()
		if want.json {
			body = string((&Request{Body: l.Params}).BodyJSON(false))
		}
		if w.Body() != body {
			t.Fatalf("%s: body %s, want %s", in, w.Body(), body)
		}
	}
}
