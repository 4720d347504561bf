package oauth

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"
)

// Param is one body parameter of a token request.
type Param struct{ Name, Value string }

// WireRequest is a POST to a token endpoint as it goes on the wire: a
// body of parameters in order, JSON or form-encoded, and the client's
// credentials in an Authorization: Basic header when BasicUser is set.
// The migration assistant produces one from a legacy call and from its
// rewrite (migrate's Legacy.Wire and Request.Wire), and the workspace
// sends it, so the core needs nothing from migrate.
type WireRequest struct {
	URL string
	// JSON sends the body as a JSON object of strings; otherwise it is
	// form-encoded.
	JSON   bool
	Params []Param
	// BasicUser and BasicPassword, when BasicUser is set, are sent as
	// they are in Authorization: Basic.
	BasicUser, BasicPassword string
	// ClientID is the client the request speaks for.
	ClientID string
	// Auth is how the request authenticates the client, for explaining
	// an error answer.
	Auth AuthMethod
}

// ContentType is the body's media type.
func (r WireRequest) ContentType() string {
	if r.JSON {
		return "application/json"
	}
	return "application/x-www-form-urlencoded"
}

// Body is the body as sent: compact JSON or form-encoded, in order.
func (r WireRequest) Body() string {
	if r.JSON {
		return string(JSONBody(r.Params, false))
	}
	return FormBody(r.Params)
}

// JSONBody is ps as a JSON object of strings, keys in order (a repeated
// name is written each time); indent puts each member on its own line.
func JSONBody(ps []Param, indent bool) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, p := range ps {
		if i > 0 {
			b.WriteByte(',')
		}
		if indent {
			b.WriteString("\n  ")
		}
		k, _ := json.Marshal(p.Name)
		v, _ := json.Marshal(p.Value)
		b.Write(k)
		b.WriteByte(':')
		if indent {
			b.WriteByte(' ')
		}
		b.Write(v)
	}
	if indent {
		b.WriteByte('\n')
	}
	b.WriteByte('}')
	return b.Bytes()
}

// FormBody is ps form-encoded, in order.
func FormBody(ps []Param) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = url.QueryEscape(p.Name) + "=" + url.QueryEscape(p.Value)
	}
	return strings.Join(parts, "&")
}
