package migrate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/format"
	"net/url"
	"strconv"
	"strings"

	"github.com/tokenscope/tokenscope/internal/curl"
	"github.com/tokenscope/tokenscope/internal/oauth"
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
	EnvPassword     = "PASSWORD"
	EnvAccessToken  = "ACCESS_TOKEN"
	// EnvSubjectToken is the subject token of a token exchange: the
	// legacy call's id_token, or the user's current token when it had a
	// refresh token (which is never a subject token).
	EnvSubjectToken = "SUBJECT_TOKEN"
)

// placeholderEnvs are the names every "$NAME" placeholder uses.
var placeholderEnvs = []string{EnvRefreshToken, EnvClientSecret, EnvPassword, EnvAccessToken, EnvSubjectToken}

// secretParams are the body parameters that are masked.
var secretParams = map[string]string{"refresh_token": EnvRefreshToken, "client_secret": EnvClientSecret, "password": EnvPassword, "subject_token": EnvSubjectToken}

// isPlaceholder reports whether s is one of the "$NAME" placeholders.
func isPlaceholder(s string) bool {
	for _, env := range placeholderEnvs {
		if s == "$"+env {
			return true
		}
	}
	return false
}

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
	if r.Auth == oauth.AuthBasic {
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
	if r.Method == "GET" {
		return []Header{{"Authorization", "Bearer " + r.Bearer}}
	}
	h := []Header{{"Content-Type", r.ContentType()}}
	if r.Auth == oauth.AuthBasic {
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

// Render writes the request in format f. Without reveal, the refresh token,
// client secret, password and a token exchange's subject token appear as
// $REFRESH_TOKEN, $CLIENT_SECRET, $PASSWORD and $SUBJECT_TOKEN (os.Getenv
// in Go), so the text can be shared or committed.
func Render(r *Request, f Format, reveal bool) (string, error) {
	if !reveal {
		r = r.Masked()
	}
	if r.Method == "GET" {
		return renderGet(r, f)
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
		return renderGo(r, reveal)
	}
	return "", fmt.Errorf("format %q is not one of json, form, curl, http, go", f)
}

// renderGet writes a GET with a bearer token (the /userinfo that replaces
// /tokeninfo) in each format.
func renderGet(r *Request, f Format) (string, error) {
	u, _ := url.Parse(r.URL)
	switch f {
	case RenderJSON:
		b, _ := json.MarshalIndent(map[string]any{"method": "GET", "url": r.URL, "headers": map[string]string{"Authorization": "Bearer " + r.Bearer}}, "", "  ")
		return string(b) + "\n", nil
	case RenderForm:
		return "", nil
	case RenderHTTP:
		return fmt.Sprintf("GET %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n\r\n", u.RequestURI(), u.Host, r.Bearer), nil
	case RenderCurl:
		return curl.Command{Method: "GET", URL: r.URL, Headers: []curl.Header{{Name: "Authorization", Value: "Bearer " + r.Bearer}}, Expand: placeholderEnvs}.String(), nil
	case RenderGo:
		return formatGo(fmt.Sprintf(goUserinfo, commentSafe(r.URL), r.URL))
	}
	return "", fmt.Errorf("format %q is not one of json, form, curl, http, go", f)
}

const goUserinfo = `// Command userinfo reads the user's profile from %s with the access
// token in ACCESS_TOKEN. Generated by Tokenscope from a legacy /tokeninfo call.
package main

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"time"
)

func main() {
	req, err := http.NewRequest(http.MethodGet, %q, nil)
	if err != nil {
		log.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+os.Getenv("ACCESS_TOKEN"))
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		log.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		log.Fatalf("userinfo: %%s: %%s", resp.Status, body)
	}
	fmt.Println(string(body))
}
`

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

// renderCurl writes the request as a curl command; the $NAME placeholders
// stay for the shell to expand, and every other character reaches curl as
// it is.
func renderCurl(r *Request) string {
	c := curl.Command{Method: "POST", URL: r.URL, Headers: []curl.Header{{Name: "Content-Type", Value: r.ContentType()}}, Expand: placeholderEnvs}
	if r.Auth == oauth.AuthBasic {
		c.User = r.ClientID + ":" + r.ClientSecret
	}
	if r.Encoding == EncodingForm {
		for _, p := range r.Body {
			c.Form = append(c.Form, curl.Param{Name: p.Name, Value: p.Value})
		}
	} else {
		c.Body = string(r.BodyJSON(true))
	}
	return c.String()
}

// goString is s as a Go expression: a "$NAME" placeholder reads the
// environment, revealed or not (with reveal, a placeholder is still one:
// the legacy call never had that value).
func goString(s string, reveal bool) string {
	if isPlaceholder(s) {
		return fmt.Sprintf("os.Getenv(%q)", s[1:])
	}
	return strconv.Quote(s)
}

// commentSafe makes s fit in a // comment of generated code: valid UTF-8
// and one line, so an input URL can never end the comment.
func commentSafe(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.NewReplacer("\n", " ", "\r", " ", "\u2028", " ", "\u2029", " ").Replace(s)
}

// formatGo runs the generated program through go/format, so what the user
// saves is gofmt-clean.
func formatGo(src string) (string, error) {
	b, err := format.Source([]byte(src))
	if err != nil {
		return "", fmt.Errorf("the generated Go program does not parse (a bug in Tokenscope): %v", err)
	}
	return string(b), nil
}

func renderGo(r *Request, reveal bool) (string, error) {
	style := "oauth2.AuthStyleInParams"
	if r.Auth == oauth.AuthBasic {
		style = "oauth2.AuthStyleInHeader"
	}
	secret := `""`
	if r.Auth != oauth.AuthNone {
		secret = goString(r.ClientSecret, reveal)
		if v, ok := r.Body.Get("client_secret"); ok {
			secret = goString(v, reveal)
		}
	}
	grant, _ := r.Body.Get("grant_type")
	refresh := grant == "refresh_token"
	var params strings.Builder
	for _, p := range r.Body {
		switch p.Name {
		case "client_id", "client_secret":
			continue // x/oauth2 sends these per AuthStyle
		case "refresh_token":
			params.WriteString("\t\t\t\"refresh_token\": {refreshToken},\n")
			continue
		}
		fmt.Fprintf(&params, "\t\t\t%q: {%s},\n", p.Name, goString(p.Value, reveal))
	}
	var env []string
	if refresh {
		env = append(env, "REFRESH_TOKEN (or a file named by REFRESH_TOKEN_FILE)")
	}
	if r.Auth != oauth.AuthNone && strings.HasPrefix(r.ClientSecret, "$") || !reveal && r.Auth != oauth.AuthNone {
		env = append(env, "CLIENT_SECRET")
	}
	if _, ok := r.Body.Get("password"); ok && !reveal {
		env = append(env, "PASSWORD")
	}
	if v, ok := r.Body.Get("subject_token"); ok && isPlaceholder(v) {
		env = append(env, EnvSubjectToken)
	}
	run := "Run it with " + strings.Join(env, " and ") + " in the environment."
	if len(env) == 0 {
		run = "It needs nothing from the environment."
	}
	rt, _ := r.Body.Get("refresh_token")
	src := fmt.Sprintf(goProgram, commentSafe(r.URL), run, goString(rt, reveal), r.ClientID, secret, r.URL, style, params.String())
	if !refresh {
		purpose := goGrantPurpose[grant]
		if purpose == "" {
			purpose = "asks for tokens at %s with the " + commentSafe(grant) + " grant"
		}
		src = strings.Replace(src, goRefreshRead, "", 1)
		src = strings.Replace(src, "renews tokens at "+commentSafe(r.URL)+" with the refresh_token grant", fmt.Sprintf(purpose, commentSafe(r.URL)), 1)
	}
	return formatGo(src)
}

// goGrantPurpose is the first line of the generated program's comment for
// the grants other than refresh_token.
var goGrantPurpose = map[string]string{
	passwordRealmGrant: "signs in at %s with Auth0's password-realm grant",
	TokenExchangeGrant: "exchanges a token at %s with the token-exchange grant\n// (RFC 8693; Auth0's Custom Token Exchange)",
}

// goRefreshRead is the part of goProgram that reads the refresh token; a
// password-realm login has none.
const goRefreshRead = `	refreshToken, err := readRefreshToken()
	if err != nil {
		log.Fatal(err)
	}
`

// goProgram renews tokens with x/oauth2 and keeps the rotated refresh
// token: with rotation on, the token it sent is spent, so it writes the new
// one to REFRESH_TOKEN_FILE (default refresh_token.txt, mode 0600) before
// anything else, and reads it from there next time.
const goProgram = `// Command refresh renews tokens at %s with the refresh_token grant.
// Generated by Tokenscope from a legacy Auth0 call. %s
//
// When Auth0 rotates the refresh token, the one sent is spent: the new one
// is written to REFRESH_TOKEN_FILE (default refresh_token.txt) before
// anything else, and read from there on the next run.
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

func tokenFile() string {
	if f := os.Getenv("REFRESH_TOKEN_FILE"); f != "" {
		return f
	}
	return "refresh_token.txt"
}

// readRefreshToken prefers the file (it holds the newest token), then the
// REFRESH_TOKEN environment variable.
func readRefreshToken() (string, error) {
	b, err := os.ReadFile(tokenFile())
	if err == nil && strings.TrimSpace(string(b)) != "" {
		return strings.TrimSpace(string(b)), nil
	}
	if !errors.Is(err, os.ErrNotExist) && err != nil {
		return "", err
	}
	if v := %s; v != "" {
		return v, nil
	}
	return "", fmt.Errorf("no refresh token: set REFRESH_TOKEN or write one to %%s", tokenFile())
}

// storeRefreshToken replaces the file atomically, readable by the owner only.
func storeRefreshToken(tok string) error {
	f := tokenFile()
	tmp, err := os.CreateTemp(filepath.Dir(f), ".refresh-token-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		return err
	}
	if _, err := tmp.WriteString(tok + "\n"); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), f)
}

func main() {
	refreshToken, err := readRefreshToken()
	if err != nil {
		log.Fatal(err)
	}
	// x/oauth2's refresh path cannot send scope or audience; the
	// client-credentials config sends EndpointParams exactly as given,
	// grant_type included. The body is form-encoded, which Auth0 accepts.
	cfg := clientcredentials.Config{
		ClientID:     %q,
		ClientSecret: %s,
		TokenURL:     %q,
		// Never AuthStyleAutoDetect: it retries a failed request the other
		// way, which would send a rotating refresh token twice.
		AuthStyle: %s,
		EndpointParams: url.Values{
%s		},
	}
	tok, err := cfg.Token(context.Background())
	if err != nil {
		log.Fatalf("the token request failed: %%v", err)
	}
	if tok.RefreshToken != "" {
		if err := storeRefreshToken(tok.RefreshToken); err != nil {
			// The old token is spent: this is the only copy.
			fmt.Fprintf(os.Stderr, "could not store the new refresh token (%%v); save it now: %%s\n", err, tok.RefreshToken)
			os.Exit(1)
		}
		fmt.Fprintln(os.Stderr, "new refresh token stored in", tokenFile())
	}
	fmt.Println("access token expires at", tok.Expiry)
	if id, ok := tok.Extra("id_token").(string); ok {
		fmt.Println("id_token received,", len(id), "bytes")
	}
}
`
