package migrate

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/tokenscope/tokenscope/internal/finding"
	"github.com/tokenscope/tokenscope/internal/oauth"
)

// The three uses of /delegation are Auth0's
// (https://auth0.com/docs/authenticate/login/oidc-conformant-authentication/oidc-adoption-delegation:
// "get a fresh ID token using a refresh token", "exchange an ID token
// issued to one application for a new one issued to a different
// application", "exchange an ID token for a third-party (e.g., Firebase,
// AWS) API token"). Each row is a body a real client sent, and asserts
// what the user reads: the kind, the one delegation_* finding and its
// words, whether a request and an alternative come out.
func TestEachDelegationCallIsClassifiedFromWhatItCarries(t *testing.T) {
	t.Parallel()
	const idToken = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhdXRoMHwxMjMifQ.c2ln"
	jwt := "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer"
	cases := []struct {
		name, source, input string
		opts                Options
		kind                DelegationKind
		subject             string
		migratable          bool
		alternative         bool
		words               []string // in the delegation_* finding
		absent              []string // finding codes that must not appear
	}{
		{
			name:   "auth0.js 7 refreshToken renews the caller's tokens",
			source: "auth0.js v7.6.1 index.js refreshToken: getDelegationToken({refresh_token, scope: 'passthrough', api: 'auth0'}), target defaulting to this._clientID",
			input:  jwt + "&client_id=demo-native-app&target=demo-native-app&api_type=auth0&refresh_token=v1.rt&scope=passthrough",
			kind:   DelegationRenew, subject: "refresh_token", migratable: true,
			words: []string{"Renewing tokens", "target is the caller's own client ID", "api_type auth0", "passthrough", "refresh-token grant"},
		},
		{
			name:   "auth0.js 7 renewIdToken renews with an ID token, which nothing exchanges any more",
			source: "auth0.js v7.6.1 index.js renewIdToken: getDelegationToken({id_token, scope: 'passthrough', api: 'auth0'})",
			input:  jwt + "&client_id=demo-native-app&target=demo-native-app&api_type=auth0&id_token=" + idToken + "&scope=passthrough",
			kind:   DelegationRenew, subject: "id_token",
			words: []string{"Renewing tokens", "id_token", "silent authentication (prompt=none)"},
		},
		{
			name:   "Auth0.Android delegationWithRefreshToken (api_type app, no target) renews",
			source: "Auth0.Android 1.30.0 AuthenticationAPIClient.delegationWithRefreshToken: DEFAULT_API_TYPE = \"app\"",
			input:  `{"client_id":"demo-native-app","grant_type":"urn:ietf:params:oauth:grant-type:jwt-bearer","refresh_token":"v1.rt","api_type":"app"}`,
			kind:   DelegationRenew, subject: "refresh_token", migratable: true,
			words: []string{"there is no target", "api_type app means the calling application"},
		},
		{
			name:   "auth0.js 7 getDelegationToken for another app asks for a token for another API",
			source: "auth0.js v7.6.1 README, Delegation Token Request: {id_token, api: 'auth0', targetClientId: 'The other client id'} (\"If you want to get the token for another API or App\")",
			input:  jwt + "&client_id=demo-native-app&target=demo-backend&api_type=auth0&id_token=" + idToken,
			kind:   DelegationOtherAPI, subject: "id_token", alternative: true,
			words: []string{"A token for another API", "target demo-backend is another application than the caller demo-native-app", "Multi-Resource Refresh Token", "Custom Token Exchange (RFC 8693)"},
		},
		{
			name:   "node-auth0 2 tokens.getDelegationToken with api_type app and a target is another API",
			source: "node-auth0 v2.44.1 src/auth/TokensManager.js getDelegationToken: {client_id, ...data} with data {id_token, api_type: 'app', target: '{TARGET}', grant_type}, posted as JSON",
			input:  `{"client_id":"demo-native-app","id_token":"` + idToken + `","api_type":"app","target":"demo-backend","grant_type":"urn:ietf:params:oauth:grant-type:jwt-bearer"}`,
			kind:   DelegationOtherAPI, subject: "id_token", alternative: true,
			words: []string{"target demo-backend"},
		},
		{
			name:   "a refresh token for another API becomes a refresh with that audience, and the exchange is the alternative",
			source: "the corpus's target-another-client.json; https://auth0.com/docs/secure/tokens/refresh-tokens/multi-resource-refresh-token",
			input:  `{"grant_type":"urn:ietf:params:oauth:grant-type:jwt-bearer","client_id":"demo-native-app","target":"orders-api-client","api_type":"app","refresh_token":"v1.rt","scope":"openid read:orders"}`,
			opts:   Options{Audience: "https://orders.example.com"},
			kind:   DelegationOtherAPI, subject: "refresh_token", migratable: true, alternative: true,
			words: []string{"target orders-api-client"},
		},
		{
			name:   "Lock 9's client asks the Firebase add-on with target = its own client ID",
			source: "public code: MetaMap.Auth0.lock.getClient().getDelegationToken({target: profile.clientID, id_token, api_type: 'firebase'}); Lock 9.2.3 bundles auth0.js 7's getDelegationToken",
			input:  jwt + "&client_id=demo-native-app&target=demo-native-app&api_type=firebase&id_token=" + idToken,
			kind:   DelegationAddon, subject: "id_token",
			words: []string{"third-party add-on token (Firebase)", "no OIDC-compliant mechanism exists", "createCustomToken"},
		},
		{
			name:   "auth0.js 7's AWS sample carries role and principal, which belong to the add-on",
			source: "public code: auth0.getDelegationToken({id_token, api: 'aws', role: 'arn:aws:iam::…:role/…', principal: 'arn:aws:iam::…:saml-provider/auth0-provider'})",
			input:  jwt + "&client_id=demo-native-app&target=demo-native-app&api_type=aws&id_token=" + idToken + "&role=arn%3Aaws%3Aiam%3A%3A141612999557%3Arole%2Faccess-to-lambda-per-user&principal=arn%3Aaws%3Aiam%3A%3A141612999557%3Asaml-provider%2Fauth0-provider",
			kind:   DelegationAddon, subject: "id_token",
			words:  []string{"Amazon Web Services", "AssumeRoleWithWebIdentity", "role becomes the RoleArn"},
			absent: []string{CodeDroppedParameter},
		},
		{
			name:   "Auth0's Azure Blob Storage sample asks the add-on for a SAS",
			source: "auth0/docs articles/addons/client-addons/azure-blob-storage/authenticate.md: api_type azure_blob, target = the client ID, scope openid",
			input:  `{"client_id":"demo-native-app","grant_type":"urn:ietf:params:oauth:grant-type:jwt-bearer","id_token":"` + idToken + `","target":"demo-native-app","api_type":"azure_blob","scope":"openid"}`,
			kind:   DelegationAddon, subject: "id_token",
			words: []string{"Azure Blob Storage", "Shared Access Signature"},
		},
		{
			name:   "an add-on enabled on another application is still an add-on, not another API",
			source: "public code: getDelegationToken({target: config.site.auth0.api, id_token, api_type: 'firebase'})",
			input:  jwt + "&client_id=demo-native-app&target=firebase-app-client&api_type=firebase&id_token=" + idToken,
			kind:   DelegationAddon, subject: "id_token",
			words:  []string{"Firebase"},
			absent: []string{CodeTargetClient, CodeTokenExchange},
		},
		{
			name:   "an api_type Tokenscope does not know is an add-on all the same",
			source: "Lock's Delegation API page: api_type values other than app are add-ons (https://auth0.com/docs/libraries/lock-android/v2/delegation-api)",
			input:  jwt + "&client_id=demo-native-app&api_type=box&refresh_token=v1.rt",
			kind:   DelegationAddon, subject: "refresh_token",
			words: []string{"api_type box", "does not know", "unknown add-on"},
		},
		{
			name:   "the client ID of a Basic header is the caller a target is compared with",
			source: "curl -u CLIENT:SECRET of a confidential client",
			input:  "curl https://t.auth0.com/delegation -u 'demo-web-app:s3cret' -d '" + jwt + "&target=demo-web-app&refresh_token=v1.rt'",
			kind:   DelegationRenew, subject: "refresh_token", migratable: true,
			words: []string{"target is the caller's own client ID"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := rewriteOne(t, c.input, c.opts)
			if r.Delegation == nil {
				t.Fatalf("no classification (%s)", c.source)
			}
			if r.Delegation.Kind != c.kind || r.Delegation.Subject != c.subject || r.Migratable != c.migratable || (r.Alternative != nil) != c.alternative {
				t.Fatalf("%s: kind %s subject %q migratable %v alternative %v; want %s %q %v %v\n%+v",
					c.source, r.Delegation.Kind, r.Delegation.Subject, r.Migratable, r.Alternative != nil, c.kind, c.subject, c.migratable, c.alternative, r.Findings)
			}
			var msg string
			n := 0
			for _, f := range r.Findings {
				switch f.Code {
				case CodeDelegationRenew, CodeDelegationOtherAPI, CodeDelegationAddon:
					n++
					msg = f.Message
					if f.Code != r.Delegation.code() || f.Severity != finding.SeverityInfo {
						t.Errorf("finding %s/%s for kind %s", f.Severity, f.Code, r.Delegation.Kind)
					}
				}
			}
			if n != 1 {
				t.Fatalf("%d classification findings, want exactly one: %+v", n, r.Findings)
			}
			for _, w := range c.words {
				if !strings.Contains(msg, w) {
					t.Errorf("the finding does not say %q:\n%s", w, msg)
				}
			}
			for _, code := range c.absent {
				if _, ok := codes(r)[code]; ok {
					t.Errorf("finding %s should not be there: %+v", code, r.Findings)
				}
			}
			if msg != r.Delegation.finding().Message || !strings.Contains(msg, r.Delegation.Reason) || !strings.Contains(msg, r.Delegation.Replacement) {
				t.Errorf("the finding and the result's reason and replacement disagree")
			}
		})
	}
}

// Only /delegation calls are classified; the other legacy endpoints and
// bodies that are no delegation request have no Delegation.
func TestOnlyDelegationRequestsAreClassified(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		"grant_type=refresh_token&client_id=abc&refresh_token=r",
		`{"grant_type":"password","username":"a","password":"b","client_id":"c"}`,
		"curl https://t.auth0.com/tokeninfo -d 'id_token=x'",
		"https://t.auth0.com/authorize?response_type=code&client_id=abc",
	} {
		if r := rewriteOne(t, in, Options{}); r.Delegation != nil || r.Alternative != nil {
			t.Errorf("%s: classified as %+v", in, r.Delegation)
		}
	}
}

// Auth0's Custom Token Exchange reserves some subject_token_type
// namespaces
// (https://auth0.com/docs/get-started/authentication-and-authorization-flow/token-exchange-flow/call-your-api-using-the-custom-token-exchange-flow:
// "The following namespaces are reserved and cannot be used: http://auth0.com,
// https://auth0.com, http://okta.com, https://okta.com, urn:ietf, urn:auth0,
// urn:okta"); the type must be "any URI scoped under your own ownership,
// such as http://acme.com/legacy-token or urn:acme:legacy-token".
func TestSubjectTokenTypesInAReservedNamespaceAreRefusedByName(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, names string }{
		{"urn:ietf:params:oauth:token-type:id_token", "urn:ietf"},
		{"urn:ietf:params:oauth:token-type:refresh_token", "urn:ietf"},
		{"urn:auth0:legacy-delegation", "urn:auth0"},
		{"URN:Okta:legacy", "urn:okta"},
		{"https://auth0.com/legacy-token", "https://auth0.com"},
		{"http://okta.com", "http://okta.com"},
		{"https://tenant.eu.auth0.com/legacy", "https://auth0.com"},
		{"https://AUTH0.com./x", "https://auth0.com"},
		{"legacy-delegation", "not a URI"},
		{"urn:", "not a URN"},
		{"https:///path-only", "not a URL with a host"},
	}
	for _, c := range cases {
		err := CheckSubjectTokenType(c.in)
		if err == nil || !strings.Contains(err.Error(), c.names) || strings.Count(err.Error(), ". ") > 0 {
			t.Errorf("%s: %v; want one sentence naming %s", c.in, err, c.names)
		}
	}
	for _, ok := range []string{DefaultSubjectTokenType, "urn:acme:legacy-token", "http://acme.com/legacy-token", "https://api.acme.com/token-type/v1", "urn:oktane:x", "https://auth0.company.example/x", "https://notauth0.com/x"} {
		if err := CheckSubjectTokenType(ok); err != nil {
			t.Errorf("%s refused: %v", ok, err)
		}
	}

	in := `{"grant_type":"urn:ietf:params:oauth:grant-type:jwt-bearer","client_id":"a","target":"b","refresh_token":"r"}`
	r := rewriteOne(t, in, Options{SubjectTokenType: "urn:auth0:legacy"})
	if sev := codes(r)[CodeSubjectTokenType]; sev != finding.SeverityError || r.Alternative != nil {
		t.Fatalf("a reserved type gave %+v and alternative %v", r.Findings, r.Alternative != nil)
	}
	r = rewriteOne(t, in, Options{SubjectTokenType: "https://acme.com/legacy-delegation", Audience: "https://b.example.com"})
	if r.Alternative == nil {
		t.Fatalf("no alternative: %+v", r.Findings)
	}
	if v, _ := r.Alternative.Body.Get("subject_token_type"); v != "https://acme.com/legacy-delegation" {
		t.Fatalf("subject_token_type %q", v)
	}
	for _, f := range r.Findings {
		if f.Code == CodeTokenExchange && (strings.Contains(f.Message, "replace acme") || strings.Contains(f.Message, PlaceholderAudience)) {
			t.Errorf("asks to replace what the user gave: %s", f.Message)
		}
	}
}

// The alternative is an RFC 8693 request as Auth0's Custom Token Exchange
// takes it: grant_type, client authentication as inferred, subject_token
// (the legacy id_token; never the refresh token), subject_token_type,
// audience and scope.
func TestTheTokenExchangeCarriesTheLegacyCallsIdentityAndNeverItsRefreshToken(t *testing.T) {
	t.Parallel()
	const idToken = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhdXRoMHwxMjMifQ.c2ln"
	withID := rewriteOne(t, `{"grant_type":"urn:ietf:params:oauth:grant-type:jwt-bearer","client_id":"app","client_secret":"s3cret","target":"backend","api_type":"app","id_token":"`+idToken+`","scope":"openid name read:orders"}`, Options{Domain: "tenant.eu.auth0.com"})
	alt := withID.Alternative
	if alt == nil {
		t.Fatal(withID.Findings)
	}
	want := `{"grant_type":"urn:ietf:params:oauth:grant-type:token-exchange","client_id":"app","client_secret":"s3cret","subject_token":"` + idToken + `","subject_token_type":"urn:acme:legacy-delegation","audience":"YOUR_API_IDENTIFIER","scope":"openid profile read:orders"}`
	if got := string(alt.BodyJSON(false)); got != want || alt.URL != "https://tenant.eu.auth0.com/oauth/token" || alt.Auth != oauth.AuthPost {
		t.Fatalf("got %s at %s (%s)\nwant %s", got, alt.URL, alt.Auth, want)
	}

	withRefresh := rewriteOne(t, `{"grant_type":"urn:ietf:params:oauth:grant-type:jwt-bearer","client_id":"app","target":"backend","refresh_token":"v1.secret-rt"}`, Options{})
	if v, _ := withRefresh.Alternative.Body.Get("subject_token"); v != "$"+EnvSubjectToken {
		t.Fatalf("subject_token %q", v)
	}
	for _, f := range Formats {
		text, _ := Render(withRefresh.Alternative, f, true)
		if strings.Contains(text, "v1.secret-rt") {
			t.Errorf("%s: the refresh token became a subject token:\n%s", f, text)
		}
	}
}

// Every format renders the alternative, secrets masked unless revealed,
// and curl parses back to the same parameters.
func TestTheTokenExchangeRendersInEveryFormatWithSecretsMasked(t *testing.T) {
	t.Parallel()
	const idToken = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhdXRoMHwxMjMifQ.c2ln"
	for _, auth := range []oauth.AuthMethod{oauth.AuthNone, oauth.AuthPost, oauth.AuthBasic} {
		for _, in := range []string{
			`{"grant_type":"urn:ietf:params:oauth:grant-type:jwt-bearer","client_id":"app","client_secret":"s3cr'et","target":"backend","api_type":"auth0","id_token":"` + idToken + `"}`,
			"grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&client_id=app&client_secret=s3cr%27et&target=backend&api_type=auth0&id_token=" + idToken,
		} {
			r := rewriteOne(t, in, Options{Domain: "tenant.eu.auth0.com", Auth: auth, Audience: "https://backend.example.com"})
			if r.Alternative == nil {
				t.Fatal(r.Findings)
			}
			for _, f := range Formats {
				masked, err := Render(r.Alternative, f, false)
				if err != nil {
					t.Fatal(err)
				}
				if strings.Contains(masked, idToken) || strings.Contains(masked, "s3cr'et") {
					t.Errorf("%s/%s: a secret shows:\n%s", auth, f, masked)
				}
				if f != RenderGo && !strings.Contains(masked, "token-exchange") {
					t.Errorf("%s/%s: no token-exchange grant:\n%s", auth, f, masked)
				}
				revealed, _ := Render(r.Alternative, f, true)
				if f != RenderGo && f != RenderForm && !strings.Contains(revealed, idToken) {
					t.Errorf("%s/%s: --reveal hides the subject token:\n%s", auth, f, revealed)
				}
			}
			text, _ := Render(r.Alternative, RenderCurl, false)
			b, err := Parse([]byte(text))
			if err != nil {
				t.Fatalf("%v\n%s", err, text)
			}
			want := r.Alternative.Masked()
			if got := b.Requests[0].Params; len(got) != len(want.Body) {
				t.Fatalf("curl parsed back to %+v, want %+v", got, want.Body)
			}
			for i, p := range want.Body {
				if b.Requests[0].Params[i] != p {
					t.Errorf("%s param %d: %+v, want %+v", auth, i, b.Requests[0].Params[i], p)
				}
			}
			goSrc, _ := Render(r.Alternative, RenderGo, false)
			if !strings.Contains(goSrc, `"subject_token":      {os.Getenv("SUBJECT_TOKEN")}`) || !strings.Contains(goSrc, "token-exchange grant") || strings.Contains(goSrc, "readRefreshToken()\n\tif") {
				t.Errorf("%s: the Go program:\n%s", auth, goSrc)
			}
		}
	}
}

// scope never decides the kind: in /delegation it chose the claims of the
// token issued, not its recipient
// (https://auth0.com/docs/api/authentication/delegation-legacy/delegation:
// "The profile scope value requests access to the End-User's default
// profile Claims"). It is carried into the replacement, rewritten as the
// refresh rewrites it; passthrough leaves it out.
func TestScopeNeverChangesTheKindAndIsCarriedIntoTheExchange(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ scope, want string }{
		{"openid", "openid"},
		{"openid name email", "openid profile email"},
		{"openid read:orders", "openid read:orders"},
		{"passthrough", ""},
		{"", ""},
	} {
		for _, target := range []string{"app", "backend"} {
			in := `{"grant_type":"urn:ietf:params:oauth:grant-type:jwt-bearer","client_id":"app","target":"` + target + `","api_type":"app","refresh_token":"r","scope":"` + c.scope + `"}`
			r := rewriteOne(t, in, Options{})
			want := DelegationRenew
			if target != "app" {
				want = DelegationOtherAPI
			}
			if r.Delegation.Kind != want {
				t.Errorf("scope %q, target %s: %s, want %s", c.scope, target, r.Delegation.Kind, want)
			}
			if want == DelegationOtherAPI {
				if got, _ := r.Alternative.Body.Get("scope"); got != c.want {
					t.Errorf("scope %q: the exchange asks for %q, want %q", c.scope, got, c.want)
				}
			}
		}
	}
}

// The token_exchange finding says what Auth0 requires before the exchange
// works (https://auth0.com/docs/authenticate/custom-token-exchange/configure-custom-token-exchange:
// "Is a first-party client", "Is OIDC-conformant", Early Access "for all
// Auth0 Enterprise and B2B Pro customers"; each subject_token_type maps to
// a Custom Token Exchange Profile and its Action). A public client sends
// no secret, as the endpoint allows when the application's token endpoint
// authentication method is none
// (https://auth0.com/docs/api/authentication/custom-token-exchange/get-token).
func TestTheTokenExchangeFindingSaysWhatTheTenantNeeds(t *testing.T) {
	t.Parallel()
	r := rewriteOne(t, `{"grant_type":"urn:ietf:params:oauth:grant-type:jwt-bearer","client_id":"app","target":"backend","api_type":"auth0","id_token":"x.y.z"}`, Options{})
	var msg string
	for _, f := range r.Findings {
		if f.Code == CodeTokenExchange {
			msg = f.Message
		}
	}
	for _, w := range []string{"Custom Token Exchange Profile", "Action validates the subject token", "first-party", "OIDC-conformant", "Early Access", "Enterprise", "replace acme", "--subject-token-type", "replace " + PlaceholderAudience, "--audience"} {
		if !strings.Contains(msg, w) {
			t.Errorf("the token_exchange finding does not say %q:\n%s", w, msg)
		}
	}
	if strings.Contains(msg, EnvSubjectToken) {
		t.Errorf("the legacy id_token is the subject token, yet the finding asks for one: %s", msg)
	}
	if _, ok := r.Alternative.Body.Get("client_secret"); ok || r.Alternative.Auth != oauth.AuthNone {
		t.Errorf("a public client's exchange sends a secret: %+v", r.Alternative.Body)
	}
}

// The --json contract's field names for "delegation" (DelegationUse's doc).
func TestTheDelegationJSONKeepsItsFieldNames(t *testing.T) {
	t.Parallel()
	r := rewriteOne(t, "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&client_id=a&target=a&api_type=firebase&id_token=x", Options{})
	b, err := json.Marshal(r.Delegation)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	json.Unmarshal(b, &m)
	want := map[string]any{"kind": "addon", "subject": "id_token", "api_type": "firebase", "add_on": "Firebase"}
	for k, v := range want {
		if m[k] != v {
			t.Errorf("%s = %v, want %v (%s)", k, m[k], v, b)
		}
	}
	for _, k := range []string{"reason", "replacement"} {
		if s, _ := m[k].(string); s == "" {
			t.Errorf("no %s: %s", k, b)
		}
	}
	if _, ok := m["target"]; ok {
		t.Errorf("target is the caller itself, yet shown: %s", b)
	}
	if len(m) != 6 {
		t.Errorf("fields %s", b)
	}

	// With no api_type the call alone cannot rule out an add-on.
	r = rewriteOne(t, `{"grant_type":"urn:ietf:params:oauth:grant-type:jwt-bearer","client_id":"a","id_token":"x"}`, Options{})
	if r.Delegation.Kind != DelegationRenew || !strings.Contains(r.Delegation.Reason, "first active") {
		t.Errorf("%+v", r.Delegation)
	}
}

// An api_type Tokenscope does not know shows no made-up name in --json.
func TestAnUnknownAddOnHasNoName(t *testing.T) {
	t.Parallel()
	r := rewriteOne(t, `{"grant_type":"urn:ietf:params:oauth:grant-type:jwt-bearer","client_id":"a","api_type":"box","id_token":"x"}`, Options{})
	if r.Delegation.Kind != DelegationAddon || r.Delegation.AddOn != "" || r.Delegation.APIType != "box" {
		t.Fatalf("%+v", r.Delegation)
	}
}
