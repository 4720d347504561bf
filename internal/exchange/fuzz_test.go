package exchange

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tokenscope/tokenscope/internal/oauth"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// canned answers every request with one response, without a network.
type canned struct {
	status int
	ct     string
	body   []byte
}

func (c canned) RoundTrip(*http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: c.status, Status: http.StatusText(c.status), Header: http.Header{"Content-Type": {c.ct}},
		Body: io.NopCloser(bytes.NewReader(c.body))}, nil
}

// xoauth2Token is what golang.org/x/oauth2 makes of an answer: the library
// whose reading Response.fill mirrors (it still runs sign-in).
func xoauth2Token(c canned) (*oauth2.Token, error) {
	conf := clientcredentials.Config{ClientID: "c", TokenURL: "http://127.0.0.1/oauth/token", AuthStyle: oauth2.AuthStyleInParams}
	return conf.Token(context.WithValue(context.Background(), oauth2.HTTPClient, &http.Client{Transport: c}))
}

// members x/oauth2 reads into its tokenJSON struct. encoding/json matches a
// struct's names case-insensitively; RFC 6749's names are case-sensitive
// (§5.1 and §8.2 register them exactly), as they are here, so answers that
// spell one in another case are where the two differ on purpose.
var tokenJSONMembers = []string{"access_token", "token_type", "refresh_token", "expires_in", "error", "error_description", "error_uri"}

func caseVariantOfAMember(body []byte) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return false
	}
	for k := range m {
		for _, name := range tokenJSONMembers {
			if k != name && strings.EqualFold(k, name) {
				return true
			}
		}
	}
	return false
}

var fuzzStatuses = []int{200, 201, 299, 400, 401, 403, 429, 500, 302}
var fuzzTypes = []string{"application/json", "application/json; charset=utf-8", "application/x-www-form-urlencoded", "text/plain", "text/html", ""}

// Reading an answer once (here) and through x/oauth2 (twice, there) gives
// the same verdict: a usable token or not, the same access token, refresh
// token, type and expiry, and for an error status the same error code.
func FuzzAnswersAgreeWithXOAuth2(f *testing.F) {
	for _, seed := range []string{
		tokenResponse,
		`{"access_token":"at","expires_in":"3600"}`,
		`{"access_token":"at","expires_in":3600.5}`,
		`{"access_token":"at","expires_in":" 3600"}`,
		`{"access_token":"at","expires_in":99999999999}`,
		`{"access_token":"at","expires_in":null,"refresh_token":null}`,
		`{"access_token":5}`,
		`{"access_token":"at","error":"invalid_grant"}`,
		`{"error":"invalid_grant","error_description":"Unknown or invalid refresh token."}`,
		`{"access_token":"at","scope":["a"],"id_token":7}`,
		`access_token=at&expires_in=abc&token_type=bearer`,
		`error=invalid_client&error_description=no`,
		`<html>proxy</html>`,
		`null`, `[]`, ``, `{"access_token":"a","access_token":"b"}`,
	} {
		for i := range fuzzStatuses {
			f.Add(uint8(i), uint8(i), []byte(seed))
		}
	}
	f.Fuzz(func(t *testing.T, st, ct uint8, body []byte) {
		c := canned{status: fuzzStatuses[int(st)%len(fuzzStatuses)], ct: fuzzTypes[int(ct)%len(fuzzTypes)], body: body}
		if caseVariantOfAMember(body) {
			t.Skip()
		}
		tok, xerr := xoauth2Token(c)
		a := answer{status: c.status, header: http.Header{"Content-Type": {c.ct}}, body: body}
		resp, err := a.response(oauth.AuthNone, "", nil)
		if (xerr == nil) != (err == nil) {
			t.Fatalf("%d %q %q: x/oauth2 says %v, here %v", c.status, c.ct, body, xerr, err)
		}
		if err == nil {
			if tok.AccessToken != resp.AccessToken || tok.RefreshToken != resp.RefreshToken || tok.TokenType != resp.TokenType {
				t.Fatalf("%q: x/oauth2 %+v, here %+v", body, tok, resp)
			}
			if d := tok.Expiry.Sub(resp.Expiry).Abs(); tok.Expiry.IsZero() != resp.Expiry.IsZero() || d > time.Minute {
				t.Fatalf("%q: x/oauth2 expires %v, here %v", body, tok.Expiry, resp.Expiry)
			}
			return
		}
		var re *oauth2.RetrieveError
		var xe *Error
		if !errors.As(err, &xe) {
			t.Fatalf("%q: %T %v", body, err, err)
		}
		if errors.As(xerr, &re) && (c.status < 200 || c.status > 299) && re.ErrorCode != xe.Code {
			t.Fatalf("%d %q %q: x/oauth2 reads error %q, here %q", c.status, c.ct, body, re.ErrorCode, xe.Code)
		}
	})
}
