package workspace

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/tokenscope/tokenscope/internal/httpx"
)

// DefaultReadinessPeriod is how far back readiness reads the logs.
const DefaultReadinessPeriod = 30 * 24 * time.Hour

// MgmtScopes are what readiness asks the Management API for.
const MgmtScopes = "read:logs read:tenant_settings read:clients"

// CodeFinding is one legacy call a code scan found (the composition root
// runs the scanner and hands these in: workspace imports no scanner).
type CodeFinding struct {
	Root     string `json:"root"`
	File     string `json:"file"` // relative to Root
	Line     int    `json:"line"`
	Endpoint string `json:"endpoint"`
	Code     string `json:"code"`
	Message  string `json:"message"`
	// ClientID is the application the call belongs to, when a client ID
	// was found beside it (the same file, or a config file in its folder
	// or above it under Root); "" when none was.
	ClientID string `json:"client_id,omitempty"`
}

// ReadinessOptions tune Readiness.
type ReadinessOptions struct {
	Since time.Duration // DefaultReadinessPeriod when 0
	// Scan, when set, scans one root for legacy calls.
	Scan      func(ctx context.Context, root string) ([]CodeFinding, error)
	ScanRoots []string
	Now       func() time.Time
	// Sleep waits out a rate limit (nil: a timer); tests inject it.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Light is an application's readiness at a glance.
type Light string

const (
	LightLegacy Light = "legacy" // still calling legacy endpoints
	LightFlag   Light = "flag"   // no calls seen, but a legacy flag or setting still allows them
	LightReady  Light = "ready"
)

// LegacyUse is one legacy endpoint an application called in the period.
type LegacyUse struct {
	Endpoint string    `json:"endpoint"`
	Feature  string    `json:"feature"` // the deprecation note's words
	Count    int       `json:"count"`   // deprecation notes (Auth0 writes at most one an hour)
	Last     time.Time `json:"last"`
	// Flag is the tenant flag that still lets the call through ("" when
	// none does, or none governs it).
	Flag string `json:"flag,omitempty"`
}

// AppReadiness is one application's evidence and steps.
type AppReadiness struct {
	Name           string        `json:"name"`
	ClientID       string        `json:"client_id"`
	AppType        string        `json:"app_type,omitempty"`
	OIDCConformant bool          `json:"oidc_conformant"`
	GrantTypes     []string      `json:"grant_types"`
	Light          Light         `json:"light"`
	Why            string        `json:"why"`
	LegacyUse      []LegacyUse   `json:"legacy_use"`
	Code           []CodeFinding `json:"code"`
	Steps          []string      `json:"steps"`
}

// ReadinessReport is the whole report: `tokenscope readiness --json`.
type ReadinessReport struct {
	Tenant       string          `json:"tenant"`
	GeneratedAt  time.Time       `json:"generated_at"`
	Since        time.Time       `json:"since"`
	Flags        map[string]bool `json:"flags"`
	Applications []AppReadiness  `json:"applications"`
	// Unattributed are code findings no application's client ID was found
	// beside.
	Unattributed []CodeFinding `json:"unattributed"`
	// ScanErrors say which roots could not be scanned.
	ScanErrors []string `json:"scan_errors,omitempty"`
	// UnknownClients are client IDs in the logs that match no application
	// (deleted since, or another tenant's).
	UnknownClients []string `json:"unknown_clients,omitempty"`
	// Rehearsal is the demo's replay of legacy calls with the flags on and
	// off next to their twins (readiness --demo only).
	Rehearsal []LegacyReplay `json:"rehearsal,omitempty"`
}

// Legacy flags, by their Management API names.
const (
	FlagDelegation = "allow_legacy_delegation_grant_types"
	FlagRO         = "allow_legacy_ro_grant_types"
	FlagTokeninfo  = "allow_legacy_tokeninfo_endpoint"
)

// LegacyFlags are the tenant's legacy flags, in the order reports show them.
var LegacyFlags = []string{FlagDelegation, FlagRO, FlagTokeninfo}

// FlagsSentence says each legacy flag's state: "allow_… on, allow_… off, …".
func (r ReadinessReport) FlagsSentence() string {
	parts := make([]string, len(LegacyFlags))
	for i, f := range LegacyFlags {
		state := "off"
		if r.Flags[f] {
			state = "on"
		}
		parts[i] = f + " " + state
	}
	return strings.Join(parts, ", ")
}

// flagFor is the tenant flag that governs each legacy endpoint.
var flagFor = map[string]string{"/delegation": FlagDelegation, "/oauth/ro": FlagRO, "/tokeninfo": FlagTokeninfo}

// migrateCodeFor is the `tokenscope migrate` finding that explains what
// replaces each legacy endpoint (migrate's codes, spelled out here:
// internal/ does not import migrate/).
var migrateCodeFor = map[string]string{"/delegation": "delegation_renew", "/oauth/ro": "resource_owner", "/tokeninfo": "tokeninfo",
	"/oauth/access_token": "social_access_token", "/user/ssodata": "ssodata"}

// legacyGrantTypes are an application's grant types that only the legacy
// pipeline serves.
var legacyGrantTypes = map[string]string{
	"urn:ietf:params:oauth:grant-type:jwt-bearer":                       "/delegation",
	"http://auth0.com/oauth/legacy/grant-type/delegation/refresh_token": "/delegation",
	"http://auth0.com/oauth/legacy/grant-type/delegation/id_token":      "/delegation",
	"http://auth0.com/oauth/legacy/grant-type/ro":                       "/oauth/ro",
	"http://auth0.com/oauth/legacy/grant-type/ro/jwt-bearer":            "/oauth/ro",
	"http://auth0.com/oauth/legacy/grant-type/access_token":             "/oauth/access_token",
}

// endpointOfNote names the legacy endpoint a deprecation note is about,
// from its words.
func endpointOfNote(description string) string {
	d := strings.ToLower(description)
	switch {
	case strings.Contains(d, "delegation"):
		return "/delegation"
	case strings.Contains(d, "/oauth/ro"), strings.Contains(d, "resource owner"), strings.Contains(d, "oauth/ro"):
		return "/oauth/ro"
	case strings.Contains(d, "tokeninfo"):
		return "/tokeninfo"
	case strings.Contains(d, "ssodata"):
		return "/user/ssodata"
	case strings.Contains(d, "access_token"), strings.Contains(d, "social access token"):
		return "/oauth/access_token"
	}
	return description
}

// Readiness reads the tenant behind a Management API profile — its legacy
// flags, every application and the deprecation notes of the period —
// joins them per application with the code findings of a scan, and says
// what is left to do, in order.
func (w *Workspace) Readiness(ctx context.Context, profile string, o ReadinessOptions) (ReadinessReport, error) {
	if o.Since <= 0 {
		o.Since = DefaultReadinessPeriod
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Sleep == nil {
		o.Sleep = sleepCtx
	}
	p, err := w.Profiles.Get(profile)
	if err != nil {
		return ReadinessReport{}, err
	}
	m, err := w.Discover(ctx, p.Issuer)
	if err != nil {
		return ReadinessReport{}, fmt.Errorf("discovering %s: %w", p.Issuer, err)
	}
	base := strings.TrimSuffix(m.Issuer, "/") + "/api/v2/"
	if _, err := httpx.CheckEndpointURL(base); err != nil {
		return ReadinessReport{}, err
	}
	aud := firstNonEmpty(p.Audience, base)
	cc := w.ClientCredentials(ctx, profile, aud, MgmtScopes)
	if cc.Err != nil {
		return ReadinessReport{}, fmt.Errorf("%w: getting a Management API token with profile %s (audience %s, scopes %s): %w", ErrManagementAPI, profile, aud, MgmtScopes, cc.Err)
	}
	c := &mgmtClient{http: w.HTTP, base: base, token: cc.Response.AccessToken, sleep: o.Sleep, now: o.Now, tries: 3}
	now := o.Now()
	rep := ReadinessReport{Tenant: m.Issuer, GeneratedAt: now.UTC(), Since: now.Add(-o.Since).UTC(), Flags: map[string]bool{}, Unattributed: []CodeFinding{}}
	flags, err := c.flags(ctx)
	if err != nil {
		return rep, err
	}
	for name, v := range map[string]*bool{FlagDelegation: flags.AllowLegacyDelegationGrantTypes, FlagRO: flags.AllowLegacyROGrantTypes, FlagTokeninfo: flags.AllowLegacyTokeninfoEndpoint} {
		rep.Flags[name] = v != nil && *v
	}
	apps, err := c.clients(ctx)
	if err != nil {
		return rep, err
	}
	notes, err := c.depnotes(ctx, rep.Since)
	if err != nil {
		return rep, err
	}
	var code []CodeFinding
	for _, root := range o.ScanRoots {
		if o.Scan == nil {
			break
		}
		fs, err := o.Scan(ctx, root)
		if err != nil {
			rep.ScanErrors = append(rep.ScanErrors, err.Error())
			continue
		}
		code = append(code, AttributeFindings(root, fs, clientIDs(apps))...)
	}
	rep.Applications, rep.Unattributed, rep.UnknownClients = joinReadiness(apps, notes, code, rep.Flags)
	return rep, nil
}

func clientIDs(apps []MgmtClient) []string {
	ids := make([]string, 0, len(apps))
	for _, a := range apps {
		ids = append(ids, a.ClientID)
	}
	return ids
}

// joinReadiness joins the applications, their deprecation notes and the
// code findings, and lights each application.
func joinReadiness(apps []MgmtClient, notes []MgmtLog, code []CodeFinding, flags map[string]bool) ([]AppReadiness, []CodeFinding, []string) {
	byID := map[string]*AppReadiness{}
	out := make([]AppReadiness, len(apps))
	for i, a := range apps {
		out[i] = AppReadiness{Name: a.Name, ClientID: a.ClientID, AppType: a.AppType, OIDCConformant: a.OIDCConformant, GrantTypes: a.GrantTypes,
			LegacyUse: []LegacyUse{}, Code: []CodeFinding{}, Steps: []string{}}
		if out[i].GrantTypes == nil {
			out[i].GrantTypes = []string{}
		}
		byID[a.ClientID] = &out[i]
	}
	unknown := map[string]bool{}
	for _, n := range notes {
		app := byID[n.ClientID]
		if app == nil {
			unknown[n.ClientID] = true
			continue
		}
		ep := endpointOfNote(n.Description)
		i := slices.IndexFunc(app.LegacyUse, func(u LegacyUse) bool { return u.Endpoint == ep })
		if i < 0 {
			app.LegacyUse = append(app.LegacyUse, LegacyUse{Endpoint: ep, Feature: n.Description, Flag: flagFor[ep]})
			i = len(app.LegacyUse) - 1
		}
		app.LegacyUse[i].Count++
		if n.Date.After(app.LegacyUse[i].Last) {
			app.LegacyUse[i].Last = n.Date.UTC()
		}
	}
	unattributed := []CodeFinding{}
	for _, f := range code {
		if app := byID[f.ClientID]; app != nil {
			app.Code = append(app.Code, f)
		} else {
			unattributed = append(unattributed, f)
		}
	}
	for i := range out {
		lightApp(&out[i], flags)
	}
	sort.SliceStable(out, func(i, j int) bool { return lightOrder[out[i].Light] < lightOrder[out[j].Light] })
	var ids []string
	for id := range unknown {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return out, unattributed, ids
}

var lightOrder = map[Light]int{LightLegacy: 0, LightFlag: 1, LightReady: 2}

// lightApp sets an application's light, why, and the steps left in order:
// move the calls (code first, then what the logs show that no code
// explains), make the application OIDC-conformant, drop its legacy grant
// types, then switch the tenant's flags off.
func lightApp(a *AppReadiness, flags map[string]bool) {
	var legacyGrants []string
	for _, g := range a.GrantTypes {
		if _, ok := legacyGrantTypes[g]; ok {
			legacyGrants = append(legacyGrants, g)
		}
	}
	for _, f := range a.Code {
		a.Steps = append(a.Steps, fmt.Sprintf("%s:%d calls %s: move it to its replacement (%s)", f.File, f.Line, f.Endpoint, f.Code))
	}
	for _, u := range a.LegacyUse {
		if !slices.ContainsFunc(a.Code, func(f CodeFinding) bool { return f.Endpoint == u.Endpoint }) {
			step := fmt.Sprintf("find what still calls %s (%d deprecation notes, the last %s): scan the application's code for it", u.Endpoint, u.Count, u.Last.Format("2006-01-02 15:04 MST"))
			if code := migrateCodeFor[u.Endpoint]; code != "" {
				step += " (" + code + ")"
			}
			a.Steps = append(a.Steps, step)
		}
	}
	if !a.OIDCConformant {
		a.Steps = append(a.Steps, "turn on OIDC Conformant (Application → Advanced Settings → OAuth) once no call needs the legacy pipeline")
	}
	if len(legacyGrants) > 0 {
		a.Steps = append(a.Steps, "remove the legacy grant types "+strings.Join(legacyGrants, ", ")+" (Application → Advanced Settings → Grant Types)")
	}
	var allowing []string
	for _, u := range a.LegacyUse {
		if u.Flag != "" && flags[u.Flag] {
			allowing = append(allowing, u.Flag)
		}
	}
	switch {
	case len(a.LegacyUse) > 0 || len(a.Code) > 0:
		a.Light = LightLegacy
		var eps []string
		for _, u := range a.LegacyUse {
			eps = append(eps, fmt.Sprintf("%s ×%d", u.Endpoint, u.Count))
		}
		switch {
		case len(eps) > 0 && len(a.Code) > 0:
			a.Why = fmt.Sprintf("still calls %s in the period, and the code has %d legacy calls", strings.Join(eps, ", "), len(a.Code))
		case len(eps) > 0:
			a.Why = "still calls " + strings.Join(eps, ", ") + " in the period"
		default:
			a.Why = fmt.Sprintf("no call in the logs, but the code has %d legacy calls", len(a.Code))
		}
	case !a.OIDCConformant || len(legacyGrants) > 0:
		a.Light = LightFlag
		a.Why = "no legacy call seen, but the application still allows the legacy pipeline"
		if !a.OIDCConformant {
			a.Why += " (not OIDC Conformant)"
		}
		if len(legacyGrants) > 0 {
			a.Why += " (legacy grant types)"
		}
	default:
		a.Light = LightReady
		a.Why = "no legacy call seen in the period, OIDC Conformant, no legacy grant types"
	}
	if len(allowing) > 0 {
		slices.Sort(allowing)
		allowing = slices.Compact(allowing)
		a.Steps = append(a.Steps, "then switch off the tenant flags "+strings.Join(allowing, ", ")+" (rehearse it first on the demo tenant)")
	}
}

// configNames are the files beside code where applications keep their
// client ID.
var configNames = []string{".env", "auth0.json", "auth_config.json", "appsettings.json", "config.json", "settings.py", "application.properties",
	"application.yml", "Auth0.plist", "auth0.plist", "strings.xml", "environment.ts", "config.js"}

// maxConfigRead caps how much of a file is read to look for a client ID.
const maxConfigRead = 1 << 20

// AttributeFindings sets each finding's ClientID when one of the known
// client IDs appears in its file, or in a config file in its folder or a
// folder above it (up to root). Files are read once each.
func AttributeFindings(root string, fs []CodeFinding, ids []string) []CodeFinding {
	cache := map[string]string{}
	idIn := func(path string) string {
		if v, ok := cache[path]; ok {
			return v
		}
		v := ""
		if fi, err := os.Lstat(path); err == nil && fi.Mode().IsRegular() && fi.Size() <= maxConfigRead {
			if b, err := os.ReadFile(path); err == nil {
				for _, id := range ids {
					if id != "" && strings.Contains(string(b), id) {
						v = id
						break
					}
				}
			}
		}
		cache[path] = v
		return v
	}
	out := make([]CodeFinding, len(fs))
	for i, f := range fs {
		f.Root = root
		if f.ClientID == "" {
			f.ClientID = idIn(filepath.Join(root, f.File))
		}
		for dir := filepath.Dir(f.File); f.ClientID == ""; dir = filepath.Dir(dir) {
			for _, name := range configNames {
				if id := idIn(filepath.Join(root, dir, name)); id != "" {
					f.ClientID = id
					break
				}
			}
			if dir == "." || dir == "/" || dir == filepath.Dir(dir) {
				break
			}
		}
		out[i] = f
	}
	return out
}
