package demotenant

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/tokenscope/tokenscope/internal/oauth"
)

// Handler serves the tenant's endpoints.
func (t *Tenant) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", t.discovery)
	mux.HandleFunc("GET /.well-known/jwks.json", t.jwks)
	mux.HandleFunc("POST /oauth/token", t.serve(t.token))
	mux.HandleFunc("POST /delegation", t.serve(t.delegation))
	mux.HandleFunc("POST /oauth/ro", t.serve(t.resourceOwner))
	mux.HandleFunc("POST /tokeninfo", t.serve(t.tokeninfo))
	mux.HandleFunc("GET /userinfo", t.serve(t.userinfo))
	mux.HandleFunc("POST /userinfo", t.serve(t.userinfo))
	mux.HandleFunc("POST /oauth/revoke", t.serve(t.revoke))
	mux.HandleFunc("GET /authorize", t.authorize)
	mux.HandleFunc("POST /authorize/decide", t.decide)
	mux.HandleFunc("POST /oauth/device/code", t.serve(t.deviceCode))
	mux.HandleFunc("GET /activate", t.activate)
	mux.HandleFunc("POST /activate", t.activate)
	t.managementRoutes(mux)
	return t.checkHost(mux)
}

// apiError is an error answer in Auth0's shape: a status, the OAuth error
// code and its description, and any headers it needs.
type apiError struct {
	status int
	code   string
	desc   string
	uri    string // error_uri, where Auth0 sends one
	header http.Header
}

func (e *apiError) Error() string { return e.code + ": " + e.desc }

func errorf(status int, code, format string, a ...any) *apiError {
	return &apiError{status: status, code: code, desc: fmt.Sprintf(format, a...)}
}

// Auth0's answers for the common failures.
var (
	// A wrong client secret, or a client authenticating with another method
	// than its Token Endpoint Authentication Method, gets 401 access_denied
	// "Unauthorized" from Auth0 (seen in auth0-samples/auth0-angular-samples#201,
	// fixed by setting the method to None).
	errUnauthorized = func() *apiError { return errorf(401, "access_denied", "Unauthorized") }
	errUnknownToken = "Unknown or invalid refresh token."
)

// missing is RFC 6749 §5.2's invalid_request, worded as Auth0 words it.
func missing(param string) *apiError {
	return errorf(400, "invalid_request", "Missing required parameter: %s", param)
}

// serve runs a handler that answers with JSON or an *apiError.
func (t *Tenant) serve(h func(w http.ResponseWriter, r *http.Request) (any, *apiError)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, err := h(w, r)
		if err != nil {
			writeAPIError(w, err)
			return
		}
		if v == nil {
			w.WriteHeader(200)
			return
		}
		writeJSON(w, 200, v)
	}
}

// writeAPIError answers with an error in Auth0's shape:
// {"error": ..., "error_description": ...}, and error_uri where Auth0 sends one.
func writeAPIError(w http.ResponseWriter, err *apiError) {
	for k, vs := range err.header {
		w.Header()[k] = vs
	}
	body := map[string]string{"error": err.code, "error_description": err.desc}
	if err.uri != "" {
		body["error_uri"] = err.uri
	}
	writeJSON(w, err.status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (t *Tenant) discovery(w http.ResponseWriter, r *http.Request) {
	iss := t.Issuer()
	writeJSON(w, 200, map[string]any{
		"issuer":                                     iss,
		"token_endpoint":                             iss + "oauth/token",
		"jwks_uri":                                   iss + ".well-known/jwks.json",
		"userinfo_endpoint":                          iss + "userinfo",
		"revocation_endpoint":                        iss + "oauth/revoke",
		"grant_types_supported":                      []string{"authorization_code", "refresh_token", "client_credentials", DeviceCodeGrant, oauth.GrantJWTBearer},
		"authorization_endpoint":                     iss + "authorize",
		"device_authorization_endpoint":              iss + "oauth/device/code",
		"code_challenge_methods_supported":           []string{"S256"},
		"response_modes_supported":                   []string{"query"},
		"response_types_supported":                   []string{"code"},
		"subject_types_supported":                    []string{"public"},
		"id_token_signing_alg_values_supported":      []string{"RS256"},
		"token_endpoint_auth_methods_supported":      []string{"none", "client_secret_post", "client_secret_basic"},
		"revocation_endpoint_auth_methods_supported": []string{"none", "client_secret_post", "client_secret_basic"},
		"scopes_supported":                           append([]string{"openid", "profile", "email", "offline_access"}, APIScopes...),
		"claims_supported":                           []string{"aud", "auth_time", "azp", "at_hash", "email", "email_verified", "exp", "iat", "iss", "name", "nickname", "picture", "sid", "sub", "updated_at"},
	})
}

func (t *Tenant) jwks(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, 200, t.PublicJWKS())
}

// params reads a JSON or form body, as Auth0 accepts both.
func params(r *http.Request) (url.Values, *apiError) {
	b, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	if err != nil {
		return nil, errorf(400, "invalid_request", "the body cannot be read: %v", err)
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, errorf(400, "invalid_request", "the JSON body cannot be read: %v", err)
		}
		v := url.Values{}
		for k, x := range m {
			switch s := x.(type) {
			case string:
				v.Set(k, s)
			default:
				v.Set(k, fmt.Sprint(s))
			}
		}
		return v, nil
	}
	v, err := url.ParseQuery(string(b))
	if err != nil {
		return nil, errorf(400, "invalid_request", "the form body cannot be read: %v", err)
	}
	return v, nil
}

// clientIP is the caller's address without the port, for the per-IP limits.
func clientIP(r *http.Request) string {
	host := r.RemoteAddr
	if i := strings.LastIndexByte(host, ':'); i > 0 {
		host = host[:i]
	}
	return host
}
