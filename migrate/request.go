// Package migrate reads legacy Auth0 POST /delegation requests in whatever
// form a developer has them (a JSON or form body, raw HTTP, a curl command,
// a HAR export, an /authorize URL) and rewrites each into the equivalent
// OIDC-conformant POST /oauth/token refresh-token request, with findings
// for what cannot be carried over one to one. Each /delegation call is
// classified by what it was for (ClassifyDelegation: renewing tokens, a
// token for another API, an add-on's third-party token), and a token for
// another API also gets the RFC 8693 token exchange as an alternative. It
// is a pure library: no Fyne, no network.
package migrate

import "strings"

// Form names the kind of input a request came from.
type Form string

const (
	FormJSON       Form = "json"
	FormForm       Form = "form"
	FormHTTP       Form = "http"
	FormCurl       Form = "curl"
	FormHAR        Form = "har"
	FormAuthorize  Form = "authorize_url"
	FormURL        Form = "url"
	FormFetch      Form = "fetch"
	FormPowerShell Form = "powershell"
)

// Source says where a request came from, for messages.
type Source struct {
	Format   Form   `json:"format"`
	Location string `json:"location"` // "line 3", "HAR entry 12", "item 2 (line 7)"
}

// Param is one request parameter; order is kept so output reads like input.
type Param struct{ Name, Value string }

// Params is an ordered parameter list.
type Params []Param

// Get returns the last value of name.
func (ps Params) Get(name string) (string, bool) {
	for i := len(ps) - 1; i >= 0; i-- {
		if ps[i].Name == name {
			return ps[i].Value, true
		}
	}
	return "", false
}

// Header is one HTTP header.
type Header struct{ Name, Value string }

// Encoding is how a body is encoded.
type Encoding string

const (
	EncodingJSON Encoding = "json"
	EncodingForm Encoding = "form"
)

// Legacy is a request as read from the input.
type Legacy struct {
	Source   Source
	Method   string // "" when the input was only a body
	URL      string // "" when the input had none
	Headers  []Header
	Params   Params // body parameters (or query parameters of an /authorize URL)
	Encoding Encoding
	// BasicUser and BasicPassword come from an Authorization: Basic header
	// or curl's -u.
	BasicUser, BasicPassword string
}

// Header returns the value of a header, case-insensitively.
func (l *Legacy) Header(name string) string {
	for _, h := range l.Headers {
		if strings.EqualFold(h.Name, name) {
			return h.Value
		}
	}
	return ""
}
