package migrate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Format is an output format for the new request.
type Format string

const (
	RenderJSON Format = "json"
	RenderForm Format = "form"
	RenderCurl Format = "curl"
	RenderHTTP Format = "http"
	RenderGo   Format = "go"
)

// Formats lists the output formats in menu order.
var Formats = []Format{RenderCurl, RenderJSON, RenderForm, RenderHTTP, RenderGo}

// Environment placeholders for the secrets, used unless reveal is asked.
const (
	EnvRefreshToken = "REFRESH_TOKEN"
	EnvClientSecret = "CLIENT_SECRET"
)

// secretParams are the body parameters that are masked.
var secretParams = map[string]string{"refresh_token": EnvRefreshToken, "client_secret": EnvClientSecret}

// Masked returns the request with its secrets replaced by "$NAME" placeholders.
func (r *Request) Masked() *Request {
	m := *r
	m.Body = make(Params, len(r.Body))
	for i, p := range r.Body {
		if env, ok := secretParams[p.Name]; ok {
			p.Value = "$" + env
		}
		m.Body[i] = p
	}
	if r.Auth == AuthBasic {
		m.ClientSecret = "$" + EnvClientSecret
	}
	return &m
}

// ContentType is the body's media type.
func (r *Request) ContentType() string {
	if r.Encoding == EncodingForm {
		return "application/x-www-form-urlencoded"
	}
	return "application/json"
}

// Headers are the request's headers in order.
func (r *Request) Headers() []Header {
	h := []Header{{"Content-Type", r.ContentType()}}
	if r.Auth == AuthBasic {
		h = append(h, Header{"Authorization", r.authorization()})
	}
	return h
}

func (r *Request) authorization() string {
	if strings.HasPrefix(r.ClientSecret, "$") {
		// A shell placeholder cannot be base64-encoded ahead of time.
		return "Basic <base64 of " + r.ClientID + ":" + r.ClientSecret + ">"
	}
	return basicHeader(r.ClientID, r.ClientSecret)
}

// BodyJSON is the body as a JSON object, keys in request order.
func (r *Request) BodyJSON(indent bool) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, p := range r.Body {
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

// BodyForm is the body form-encoded, in request order.
func (r *Request) BodyForm() string {
	parts := make([]string, len(r.Body))
	for i, p := range r.Body {
		parts[i] = url.QueryEscape(p.Name) + "=" + url.QueryEscape(p.Value)
	}
	return strings.Join(parts, "&")
}

// Render writes the request in format f. Without reveal, the refresh token
// and client secret appear as $REFRESH_TOKEN and $CLIENT_SECRET (os.Getenv
// in Go), so the text can be shared or committed.
func Render(r *Request, f Format, reveal bool) (string, error) {
	if !reveal {
		r = r.Masked()
	}
	switch f {
	case RenderJSON:
		return string(r.BodyJSON(true)) + "\n", nil
	case RenderForm:
		return r.BodyForm() + "\n", nil
	case RenderHTTP:
		return renderHTTP(r), nil
	case RenderCurl:
		return renderCurl(r), nil
	case RenderGo:
		return renderGo(r, reveal), nil
	}
	return "", fmt.Errorf("format %q is not one of json, form, curl, http, go", f)
}

func renderHTTP(r *Request) string {
	u, _ := url.Parse(r.URL)
	var b strings.Builder
	path := u.RequestURI()
	fmt.Fprintf(&b, "POST %s HTTP/1.1\r\nHost: %s\r\n", path, u.Host)
	for _, h := range r.Headers() {
		fmt.Fprintf(&b, "%s: %s\r\n", h.Name, h.Value)
	}
	body := r.BodyForm()
	if r.Encoding != EncodingForm {
		body = string(r.BodyJSON(false))
	}
	fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n%s\n", len(body), body)
	return b.String()
}

// shellQuote quotes s for a POSIX shell: single quotes when it holds no
// placeholder, double quotes (which expand $VAR) when it does.
func shellQuote(s string) string {
	if strings.Contains(s, "$"+EnvRefreshToken) || strings.Contains(s, "$"+EnvClientSecret) {
		var b strings.Builder
		b.WriteByte('"')
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c == '"' || c == '\\' || c == '`' {
				b.WriteByte('\\')
			}
			if c == '$' && !strings.HasPrefix(s[i:], "$"+EnvRefreshToken) && !strings.HasPrefix(s[i:], "$"+EnvClientSecret) {
				b.WriteByte('\\')
			}
			b.WriteByte(c)
		}
		b.WriteByte('"')
		return b.String()
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func renderCurl(r *Request) string {
	var b strings.Builder
	fmt.Fprintf(&b, "curl --request POST \\\n  --url %s \\\n  --header %s", shellQuote(r.URL), shellQuote("Content-Type: "+r.ContentType()))
	if r.Auth == AuthBasic {
		fmt.Fprintf(&b, " \\\n  --user %s", shellQuote(r.ClientID+":"+r.ClientSecret))
	}
	if r.Encoding == EncodingForm {
		for _, p := range r.Body {
			fmt.Fprintf(&b, " \\\n  --data-urlencode %s", shellQuote(p.Name+"="+p.Value))
		}
	} else {
		fmt.Fprintf(&b, " \\\n  --data %s", shellQuote(string(r.BodyJSON(false))))
	}
	b.WriteByte('\n')
	return b.String()
}

func goString(s string, reveal bool) string {
	if !reveal {
		for _, env := range []string{EnvRefreshToken, EnvClientSecret} {
			if s == "$"+env {
				return fmt.Sprintf("os.Getenv(%q)", env)
			}
		}
	}
	return strconv.Quote(s)
}

func renderGo(r *Request, reveal bool) string {
	style := "oauth2.AuthStyleInParams"
	if r.Auth == AuthBasic {
		style = "oauth2.AuthStyleInHeader"
	}
	secret := `""`
	if r.Auth != AuthNone {
		secret = goString(r.ClientSecret, reveal)
		if v, ok := r.Body.Get("client_secret"); ok {
			secret = goString(v, reveal)
		}
	}
	var params strings.Builder
	for _, p := range r.Body {
		switch p.Name {
		case "client_id", "client_secret":
			continue // x/oauth2 sends these per AuthStyle
		}
		fmt.Fprintf(&params, "\t\t\t%q: {%s},\n", p.Name, goString(p.Value, reveal))
	}
	env := "REFRESH_TOKEN"
	if r.Auth != AuthNone {
		env += " and CLIENT_SECRET"
	}
	return fmt.Sprintf(`// Command refresh renews tokens at %s with the refresh_token grant.
// Generated by Tokenscope from a legacy /delegation call. Run it with %s
// in the environment.
package main

import (
	"context"
	"fmt"
	"log"
	"net/url"
	"os"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

func main() {
	_ = os.Getenv // the secrets come from the environment
	// x/oauth2's refresh path cannot send scope or audience; the
	// client-credentials config sends EndpointParams exactly as given,
	// grant_type included. The body is form-encoded, which Auth0 accepts.
	cfg := clientcredentials.Config{
		ClientID:     %q,
		ClientSecret: %s,
		TokenURL:     %q,
		// Never AuthStyleAutoDetect: it retries a failed request the other
		// way, which sends a rotating refresh token twice.
		AuthStyle: %s,
		EndpointParams: url.Values{
%s		},
	}
	tok, err := cfg.Token(context.Background())
	if err != nil {
		log.Fatalf("refresh failed: %%v", err)
	}
	fmt.Println("access token expires at", tok.Expiry)
	if tok.RefreshToken != "" {
		fmt.Fprintln(os.Stderr, "the refresh token rotated: store the new one now, the old one no longer works")
	}
	if id, ok := tok.Extra("id_token").(string); ok {
		fmt.Println("id_token received,", len(id), "bytes")
	}
}
`, r.URL, env, r.ClientID, secret, r.URL, style, params.String())
}
