package demotenant

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/tokenscope/tokenscope/internal/tokens"
)

func (t *Tenant) sign(claims map[string]any) (string, error) {
	b, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	obj, err := t.signer.Sign(b)
	if err != nil {
		return "", err
	}
	return obj.CompactSerialize()
}

// accessToken is an RS256 JWT for an audience, or an opaque token that
// only /userinfo accepts when there is none (as Auth0 does).
func (t *Tenant) accessToken(c *Client, scope []string, audience string, now time.Time) (string, error) {
	exp := now.Add(t.cfg.AccessTokenLifetime)
	if audience == "" {
		v := "demo-opaque." + randomString(32)
		t.opaque[v] = opaqueToken{sub: t.user.ID, expires: exp, scope: scope}
		return v, nil
	}
	var aud any = audience
	if slices.Contains(scope, "openid") {
		aud = []string{audience, t.issuer + "userinfo"}
	}
	return t.sign(map[string]any{
		"iss": t.issuer, "sub": t.user.ID, "aud": aud, "iat": now.Unix(), "exp": exp.Unix(),
		"azp": c.ID, "scope": strings.Join(scope, " "), "jti": randomHex(8),
	})
}

// idToken mints the ID token of a sign-in or a refresh with the claims
// Auth0 puts in its own (see TestTheCodeGrantIDTokenCarriesAuth0sClaims
// for the sources): iss, sub, aud (the client ID alone, so no azp), iat,
// exp, at_hash, sid; nonce when the request had one; auth_time only when
// it asked for max_age or prompt=login; and the profile and email claims
// of those scopes.
func (t *Tenant) idToken(clientID string, scope []string, sid, access, nonce string, authTime, now time.Time) (string, error) {
	atHash, err := tokens.AtHash("RS256", access)
	if err != nil {
		return "", err
	}
	claims := map[string]any{
		"iss": t.issuer, "sub": t.user.ID, "aud": clientID, "iat": now.Unix(),
		"exp": now.Add(t.cfg.IDTokenLifetime).Unix(), "at_hash": atHash, "sid": sid,
	}
	if nonce != "" {
		claims["nonce"] = nonce
	}
	if !authTime.IsZero() {
		claims["auth_time"] = authTime.Unix()
	}
	t.profileClaims(claims, scope)
	return t.sign(claims)
}

// profileClaims adds what the profile and email scopes return for the
// demo user, in an ID token and from /userinfo alike.
func (t *Tenant) profileClaims(claims map[string]any, scope []string) {
	if slices.Contains(scope, "profile") {
		claims["name"], claims["nickname"], claims["picture"] = t.user.Name, t.user.Nickname, t.user.Picture
		claims["updated_at"] = t.user.UpdatedAt.UTC().Format("2006-01-02T15:04:05.000Z")
	}
	if slices.Contains(scope, "email") {
		claims["email"], claims["email_verified"] = t.user.Email, true
	}
}

// verify checks a token this tenant signed and returns its claims.
func (t *Tenant) verify(raw string) (map[string]any, error) {
	tok, err := jwt.ParseSigned(raw, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		return nil, err
	}
	var std jwt.Claims
	claims := map[string]any{}
	if err := tok.Claims(&t.key.PublicKey, &std, &claims); err != nil {
		return nil, err
	}
	if err := std.ValidateWithLeeway(jwt.Expected{Issuer: t.Issuer(), Time: t.cfg.Now()}, time.Minute); err != nil {
		return nil, err
	}
	return claims, nil
}
