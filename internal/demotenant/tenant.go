// Package demotenant is an embedded authorization server that behaves
// like Auth0 wherever Auth0's behaviour is documented: discovery, JWKS,
// the refresh-token grant with rotation and reuse detection, the legacy
// /delegation, /oauth/ro and /tokeninfo endpoints (with the tenant's legacy
// flags and the depnote entries their use leaves in the tenant log),
// /userinfo, /oauth/revoke, and the Management API calls a readiness
// report makes (tenant settings, applications, logs). It runs on loopback
// so every Tokenscope flow works with no account anywhere.
//
// Its signing key is generated per run and kept only in memory, so tokens
// and refresh tokens from an earlier run are not valid in the next one:
// the app recreates the demo profiles at each start.
package demotenant

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"log"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// Client is an application registered at the tenant.
type Client struct {
	ID     string
	Secret string
	// Auth is none, post or basic: how the client authenticates at
	// /oauth/token (Auth0's "Token Endpoint Authentication Method").
	Auth string
	Name string
	// RefreshGrant: the refresh_token grant is enabled.
	RefreshGrant bool
	// Rotate: refresh tokens rotate (each is single-use).
	Rotate bool
	// Addons are the /delegation api_types enabled for this client.
	Addons map[string]bool
	// The sign-in grants enabled for this client.
	CodeGrant, DeviceGrant, ClientCredentialsGrant bool
	// Callbacks are the Allowed Callback URLs. A native (none) client's
	// loopback callback matches any port (RFC 8252 §7.3); a confidential
	// client's must match exactly.
	Callbacks []string
	// Policies are the client's Multi-Resource Refresh Token policies
	// (nil: Config.Policies).
	Policies []Policy
	// OIDCConformant is Auth0's "OIDC Conformant" toggle: such a client
	// has no legacy grant types, so the legacy endpoints refuse it. The
	// seeded applications predate it (a legacy tenant's), so they are not.
	OIDCConformant bool
	// ManagementScopes are the client's grant for the tenant's Management
	// API (ManagementAudience); none means it has no access to it.
	ManagementScopes []string
}

// User is the demo user every token is about.
type User struct {
	ID, Name, Nickname, Email string
	// Picture and UpdatedAt are the rest of what Auth0's profile scope
	// returns for a database user (name, nickname, picture, updated_at).
	Picture   string
	UpdatedAt time.Time
}

// Config holds the tenant's policies; zero values take Auth0's defaults.
//
// The refresh-token settings are those of an Auth0 application's
// refresh_token object (Management API), applied to every client:
// Rotation is rotation_type, ReuseInterval is leeway, AbsoluteLifetime and
// IdleLifetime are token_lifetime and idle_token_lifetime,
// InfiniteLifetime and InfiniteIdleLifetime are infinite_token_lifetime and
// infinite_idle_token_lifetime, and Policies are the Multi-Resource Refresh
// Token policies (https://auth0.com/docs/secure/tokens/refresh-tokens/configure-refresh-token-rotation,
// https://auth0.com/docs/secure/tokens/refresh-tokens/configure-refresh-token-expiration,
// https://auth0.com/docs/secure/tokens/refresh-tokens/multi-resource-refresh-token/configure-and-implement-multi-resource-refresh-token).
type Config struct {
	// Rotation is RotationRotating or RotationNonRotating for every
	// client; "" keeps each client's own Rotate (the seeded ones rotate).
	Rotation string
	// ReuseInterval: a rotated-out refresh token is still accepted this
	// long after its first use (Auth0's "Reuse Interval", leeway);
	// default 0, no reuse at all.
	ReuseInterval time.Duration
	// AbsoluteLifetime and IdleLifetime expire refresh tokens (Auth0's
	// documented defaults: 30 days each). The absolute lifetime counts
	// from the family's first token and does not extend on rotation; the
	// idle lifetime counts from a token's issue or last exchange.
	AbsoluteLifetime time.Duration
	IdleLifetime     time.Duration
	// InfiniteLifetime and InfiniteIdleLifetime turn those lifetimes off
	// (they take precedence over AbsoluteLifetime and IdleLifetime).
	InfiniteLifetime     bool
	InfiniteIdleLifetime bool
	// Policies are the Multi-Resource Refresh Token policies of every
	// client that has none of its own (Client.Policies); none leaves MRRT
	// off, and an audience on a refresh is then ignored.
	Policies []Policy
	// AccessTokenLifetime (default 24 h) and IDTokenLifetime (default 10 h).
	AccessTokenLifetime time.Duration
	IDTokenLifetime     time.Duration
	// DelegationRate and UserinfoRate are the rate-limit buckets of those
	// endpoints (defaults: Auth0's documented DelegationRate, UserinfoRate).
	DelegationRate Rate
	UserinfoRate   Rate
	// AuthorizeRate and DeviceCodeRate limit /authorize and
	// /oauth/device/code per client (default AuthorizeRate, DeviceCodeRate).
	AuthorizeRate  Rate
	DeviceCodeRate Rate
	// PendingLifetime is how long a sign-in started at /authorize may wait
	// on the login page (default PendingLifetime, Auth0's one hour);
	// CodeLifetime is an unredeemed authorization code's (default
	// CodeLifetime); DeviceCodeLifetime is a device_code's and its
	// user_code's (default DeviceCodeLifetime, Auth0's 15 minutes).
	PendingLifetime    time.Duration
	CodeLifetime       time.Duration
	DeviceCodeLifetime time.Duration
	// DeviceInterval is the polling interval a device is told (default
	// DeviceInterval, Auth0's 5 s).
	DeviceInterval time.Duration
	// MaxPending caps the sign-ins waiting on the login page and, apart,
	// the codes waiting to be redeemed; MaxDeviceCodes caps the device codes
	// waiting for a user. Past a cap the tenant answers 429 (defaults
	// MaxPending, MaxDeviceCodes).
	MaxPending     int
	MaxDeviceCodes int
	// SweepEvery is how often expired sign-ins, codes and device codes are
	// removed, at the latest (default one minute); a full table is swept at once.
	SweepEvery time.Duration
	// HeaderTimeout is how long Start's server waits for a request's
	// headers (default 10 s).
	HeaderTimeout time.Duration
	// Flags are the tenant settings' legacy flags at start; nil is a legacy
	// tenant, every flag on (LegacyFlags). SetFlags and the Management
	// API's PATCH /api/v2/tenants/settings change them later.
	Flags *TenantFlags
	// ManagementRate is the Management API's bucket, one per access token
	// (default: Auth0's free tenants, 2 requests a second with bursts of 10).
	ManagementRate Rate
	// MaxLogs caps the tenant log; the oldest entries go first (default 10,000).
	MaxLogs int
	// Logf is the tenant's log (default log.Printf): it says when a cap or
	// a rate limit turns requests away.
	Logf func(format string, args ...any)
	// Now is the clock (default time.Now); tests inject one.
	Now func() time.Time
}

// API is the one API (resource server) the tenant knows.
const (
	APIAudience = "https://api.demo.tokenscope.dev"
	KeyID       = "demo-key-1"
)

// APIScopes are the API's permissions.
var APIScopes = []string{"read:orders", "write:orders"}

// Tenant is the authorization server's state. It is safe for concurrent use.
type Tenant struct {
	cfg    Config
	key    *rsa.PrivateKey
	signer jose.Signer
	user   User

	mu       sync.Mutex
	issuer   string // set by Start or SetIssuer: http://127.0.0.1:PORT/
	clients  map[string]*Client
	tokens   map[string]*refreshToken // by token value
	families map[string]*family
	opaque   map[string]opaqueToken // opaque access tokens, for /userinfo
	buckets  map[string]*bucket     // rate limits, by endpoint and key
	authz    map[string]*authzRequest
	codes    map[string]*authCode
	devices  map[string]*deviceRequest // by device_code

	issuerHost string               // the issuer's host:port, lower case, for the Host check
	lastSweep  time.Time            // when expired entries were last removed
	lastLogged map[string]time.Time // when each kind of refusal was last logged

	flags    TenantFlags
	logs     []LogEntry           // the tenant log, oldest first
	logSeq   int64                // the last log_id's sequence number
	depnoted map[string]time.Time // feature|client → the hour its last depnote was written in
	seeded   bool                 // SeedLegacyHistory ran
}

type family struct {
	id       string
	clientID string
	scope    []string
	audience string
	created  time.Time
	revoked  bool
	// revokedBy says why: revokedByReuse (reuse detection) or
	// revokedByUser (/oauth/revoke).
	revokedBy string
	sid       string
	tokens    []*refreshToken // in the order they were issued
}

type refreshToken struct {
	value    string
	family   *family
	issued   time.Time
	lastUsed time.Time
	usedAt   time.Time // zero until rotated out
	next     string    // its successor, once rotated
}

type opaqueToken struct {
	sub     string
	expires time.Time
	scope   []string
}

// New builds a tenant with a fresh RSA key and the seeded clients.
func New(cfg Config) (*Tenant, error) {
	if cfg.AbsoluteLifetime == 0 {
		cfg.AbsoluteLifetime = 30 * 24 * time.Hour
	}
	if cfg.IdleLifetime == 0 {
		cfg.IdleLifetime = 30 * 24 * time.Hour
	}
	if err := checkRefreshSettings(cfg); err != nil {
		return nil, err
	}
	if cfg.AccessTokenLifetime == 0 {
		cfg.AccessTokenLifetime = 24 * time.Hour
	}
	if cfg.IDTokenLifetime == 0 {
		cfg.IDTokenLifetime = 10 * time.Hour
	}
	if cfg.DelegationRate.Burst == 0 {
		cfg.DelegationRate = DelegationRate
	}
	if cfg.UserinfoRate.Burst == 0 {
		cfg.UserinfoRate = UserinfoRate
	}
	if cfg.AuthorizeRate.Burst == 0 {
		cfg.AuthorizeRate = AuthorizeRate
	}
	if cfg.DeviceCodeRate.Burst == 0 {
		cfg.DeviceCodeRate = DeviceCodeRate
	}
	if cfg.PendingLifetime == 0 {
		cfg.PendingLifetime = PendingLifetime
	}
	if cfg.CodeLifetime == 0 {
		cfg.CodeLifetime = CodeLifetime
	}
	if cfg.DeviceCodeLifetime == 0 {
		cfg.DeviceCodeLifetime = DeviceCodeLifetime
	}
	if cfg.DeviceInterval == 0 {
		cfg.DeviceInterval = DeviceInterval
	}
	if cfg.MaxPending == 0 {
		cfg.MaxPending = MaxPending
	}
	if cfg.MaxDeviceCodes == 0 {
		cfg.MaxDeviceCodes = MaxDeviceCodes
	}
	if cfg.SweepEvery == 0 {
		cfg.SweepEvery = time.Minute
	}
	if cfg.HeaderTimeout == 0 {
		cfg.HeaderTimeout = 10 * time.Second
	}
	if cfg.ManagementRate.Burst == 0 {
		cfg.ManagementRate = defaultManagementRate
	}
	if cfg.MaxLogs == 0 {
		cfg.MaxLogs = 10000
	}
	if cfg.Logf == nil {
		cfg.Logf = log.Printf
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", KeyID))
	if err != nil {
		return nil, err
	}
	t := &Tenant{cfg: cfg, key: key, signer: signer,
		user: User{ID: "auth0|demo-user-1", Name: "Dana Demo", Nickname: "dana", Email: "dana@demo.tokenscope.dev",
			Picture: "https://s.gravatar.com/avatar/0?d=identicon", UpdatedAt: time.Date(2026, 1, 5, 9, 30, 0, 0, time.UTC)},
		clients:    map[string]*Client{},
		tokens:     map[string]*refreshToken{},
		families:   map[string]*family{},
		opaque:     map[string]opaqueToken{},
		buckets:    map[string]*bucket{},
		authz:      map[string]*authzRequest{},
		codes:      map[string]*authCode{},
		devices:    map[string]*deviceRequest{},
		lastLogged: map[string]time.Time{},
		flags:      LegacyFlags(),
		depnoted:   map[string]time.Time{},
	}
	if cfg.Flags != nil {
		t.flags = *cfg.Flags
	}
	for _, c := range SeedClients() {
		t.AddClient(c)
	}
	t.AddClient(managementClient())
	return t, nil
}

// SeedClients are the demo applications: a confidential web app (post), a
// native app (none) and one using basic. Their secrets are random per run.
func SeedClients() []Client {
	return []Client{
		{ID: "demo-web-app", Secret: randomString(32), Auth: "post", Name: "Demo Web App (client_secret_post)", RefreshGrant: true, Rotate: true,
			CodeGrant: true, Callbacks: []string{WebCallback}},
		{ID: "demo-native-app", Auth: "none", Name: "Demo Native App (none)", RefreshGrant: true, Rotate: true, Addons: map[string]bool{"firebase": false},
			CodeGrant: true, DeviceGrant: true, Callbacks: []string{"http://127.0.0.1/callback", "http://localhost/callback"}},
		{ID: "demo-backend", Secret: randomString(32), Auth: "basic", Name: "Demo Backend (client_secret_basic)", RefreshGrant: true, Rotate: true,
			ClientCredentialsGrant: true},
	}
}

// AddClient registers (or replaces) a client.
func (t *Tenant) AddClient(c Client) {
	t.mu.Lock()
	defer t.mu.Unlock()
	cc := c
	t.clients[c.ID] = &cc
}

// Clients returns the registered applications people sign in to, in ID
// order. An application granted the Management API (ManagementScopes) is
// not among them: it holds no user's refresh token (see ManagementClient).
func (t *Tenant) Clients() []Client {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]Client, 0, len(t.clients))
	for _, c := range t.clients {
		if len(c.ManagementScopes) == 0 {
			out = append(out, *c)
		}
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].ID < out[j-1].ID; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// Client finds any registered application by ID, the Management
// application (ManagementClientID) included.
func (t *Tenant) Client(id string) (Client, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	c, ok := t.clients[id]
	if !ok {
		return Client{}, false
	}
	return *c, true
}

// Issuer is the tenant's issuer URL, with Auth0's trailing slash.
func (t *Tenant) Issuer() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.issuer
}

// SetIssuer sets the issuer (Start does it for a listener).
func (t *Tenant) SetIssuer(issuer string) {
	if !strings.HasSuffix(issuer, "/") {
		issuer += "/"
	}
	hostport := ""
	if u, err := url.Parse(issuer); err == nil {
		hostport = withPort(u.Host)
	}
	t.mu.Lock()
	t.issuer = issuer
	t.issuerHost = hostport
	t.mu.Unlock()
}

// User is the demo user.
func (t *Tenant) User() User { return t.user }

// PublicJWKS is the tenant's key set.
func (t *Tenant) PublicJWKS() jose.JSONWebKeySet {
	return jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &t.key.PublicKey, KeyID: KeyID, Algorithm: "RS256", Use: "sig"}}}
}

// MintRefreshToken starts a new refresh-token family for a client, as a
// sign-in with offline_access would. The tenant is ours, so it can.
func (t *Tenant) MintRefreshToken(clientID, scope, audience string) (string, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.clients[clientID]; !ok {
		return "", fmt.Errorf("no client %q", clientID)
	}
	now := t.cfg.Now()
	f := &family{id: randomString(12), clientID: clientID, scope: strings.Fields(scope), audience: audience, created: now, sid: randomString(16)}
	t.families[f.id] = f
	return t.newRefreshToken(f, now), nil
}

func (t *Tenant) newRefreshToken(f *family, now time.Time) string {
	v := "v1.demo." + randomString(48)
	rt := &refreshToken{value: v, family: f, issued: now, lastUsed: now}
	t.tokens[v] = rt
	f.tokens = append(f.tokens, rt)
	return v
}

func randomString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	s := base64.RawURLEncoding.EncodeToString(b)
	return s[:n]
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
