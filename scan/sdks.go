package scan

// The legacy surface of each Auth0 SDK, read from its tagged sources
// (versions and paths in testdata/corpus/README.md). A method is reported
// only on a receiver the scanner traced to that SDK in the same file.

// condition says when a method reaches a legacy endpoint.
type condition uint8

const (
	always         condition = iota
	unlessOIDC               // unless the SDK instance is configured OIDC-conformant
	belowMajor               // only while the pinned package's major version is below fixedMajor
	belowVersion             // only while the pinned package's version is below the method's fixedIn
	onCustomDomain           // a URL on a host the tree configures as its Auth0 custom domain
)

type method struct {
	name     string
	endpoint string
	// via, when set, is the property the method must be called on
	// (node-auth0's auth0.tokens.getDelegationToken).
	via []string
	// on, when set, names the classes the method belongs to (auth0-python's
	// Database.login is /oauth/ro, Social.login /oauth/access_token).
	on []string
	// args decides from the call's arguments whether this overload is the
	// legacy one (Swift's login(usernameOrEmail:password:connection:) is,
	// login(usernameOrEmail:password:realm:) is not).
	args        func(callArgs) bool
	cond        condition
	fixedIn     string // for belowVersion: the first version that no longer calls it
	versions    string // the SDK versions this is legacy in, for the report
	replacement string
}

type sdk struct {
	name  string // the report's SDK name
	langs []string
	// imports are module names whose import makes a file use this SDK:
	// a prefix of a dotted import path, or a string a require/import names.
	imports []string
	// ctors build an SDK object; a call of one implies the SDK is in use
	// when strong is set (a name nobody else uses), else only with an import.
	ctors  []string
	strong []string
	types  []string // type names whose variables and parameters are SDK objects
	// provider, when named before a "." in a file, configures the SDK
	// there (auth0-angular's authProvider.init); service is the name its
	// object is injected under, app-wide (Angular's auth).
	provider, service string
	// flag is how code makes the SDK OIDC-conformant (for unlessOIDC methods).
	flag       []string
	pkg        string // manifest package name, for version conditions
	fixedMajor int
	methods    []method
}

const (
	replaceWebRenew    = "auth0.js 9+ webAuth.checkSession(), or auth0-spa-js getTokenSilently() with useRefreshTokens: true; a refresh token is renewed with POST /oauth/token grant_type=refresh_token (tokenscope migrate rewrites a captured request)"
	replaceUserinfo    = "GET /userinfo with the access token (the ID token's claims are already verified at sign-in)"
	replacePassword    = "the password-realm grant: POST /oauth/token with grant_type=http://auth0.com/oauth/grant-type/password-realm and realm=CONNECTION"
	replaceSocialToken = "Native Social Login: POST /oauth/token with a subject_token (token exchange) — see Auth0's \"Native Social Login\" docs"
	replaceSSOData     = "auth0.js 9+ webAuth.checkSession() or auth0-spa-js getTokenSilently() (silent authentication with prompt=none)"
)

func argCount(n int) func(callArgs) bool { return func(a callArgs) bool { return a.count == n } }
func hasLabel(l string) func(callArgs) bool {
	return func(a callArgs) bool {
		for _, x := range a.labels {
			if x == l {
				return true
			}
		}
		return false
	}
}

// lockSDK is Lock for the web, whose getClient() is the way to its auth0.js.
func lockSDK() *sdk {
	for _, s := range sdks {
		if s.name == "auth0-lock@10" {
			return s
		}
	}
	panic("scan: no Lock in the SDK table")
}

// lockClient names the way to Lock's own auth0.js client.
var lockClient = []string{"getClient", "$auth0"}

// swiftTokenInfo is Auth0.swift's tokenInfo(token:), or tokenInfo(idToken)
// in Swift 2, which drops the first argument's label.
func swiftTokenInfo(a callArgs) bool {
	return hasLabel("token")(a) || a.count == 1 && len(a.labels) == 0
}

var sdks = []*sdk{
	{
		name: "auth0.js@7", langs: []string{"js"},
		imports: []string{"auth0-js"},
		ctors:   []string{"Auth0"}, strong: []string{"Auth0"},
		pkg: "auth0-js", fixedMajor: 8,
		methods: []method{
			{name: "getDelegationToken", endpoint: "/delegation", versions: "auth0.js 7", replacement: replaceWebRenew},
			{name: "refreshToken", endpoint: "/delegation", versions: "auth0.js 7", replacement: replaceWebRenew},
			{name: "renewIdToken", endpoint: "/delegation", versions: "auth0.js 7", replacement: replaceWebRenew},
			{name: "getProfile", endpoint: "/tokeninfo", versions: "auth0.js 7", replacement: "auth0.js 9+ client.userInfo(accessToken) — " + replaceUserinfo},
			{name: "getSSOData", endpoint: "/user/ssodata", versions: "auth0.js 7", replacement: replaceSSOData},
			{name: "loginWithResourceOwner", endpoint: "/oauth/ro", versions: "auth0.js 7", replacement: "auth0.js 9+ webAuth.client.login({realm, username, password}) — " + replacePassword},
			{name: "loginWithSocialAccessToken", endpoint: "/oauth/access_token", versions: "auth0.js 7", replacement: replaceSocialToken},
		},
	},
	{
		name: "auth0.js@8+", langs: []string{"js"},
		imports: []string{"auth0-js"},
		ctors:   []string{"WebAuth", "Authentication"}, strong: []string{"WebAuth"},
		types: []string{"WebAuth", "Authentication"},
		methods: []method{
			{name: "delegation", endpoint: "/delegation", versions: "auth0.js 8–10", replacement: replaceWebRenew},
			{name: "loginWithResourceOwner", endpoint: "/oauth/ro", versions: "auth0.js 8–10", replacement: "webAuth.client.login({realm, username, password}) — " + replacePassword},
			{name: "getSSOData", endpoint: "/user/ssodata", versions: "auth0.js 8–10", replacement: replaceSSOData},
		},
	},
	{
		name: "auth0-lock@10", langs: []string{"js"},
		imports: []string{"auth0-lock"},
		ctors:   []string{"Auth0Lock", "Auth0LockPasswordless"}, strong: []string{"Auth0Lock", "Auth0LockPasswordless"},
		types: []string{"Auth0LockStatic"},
		flag:  []string{"oidcConformant"},
		pkg:   "auth0-lock", fixedMajor: 11,
		methods: []method{
			{name: "getProfile", endpoint: "/tokeninfo", cond: belowMajor, versions: "Lock 10 (not OIDC-conformant)", replacement: "Lock 11 lock.getUserInfo(accessToken, cb) — " + replaceUserinfo},
			// Lock 7–9: getClient() (and $auth0) is its auth0.js 6 client.
			{name: "getDelegationToken", via: lockClient, endpoint: "/delegation", cond: belowMajor, versions: "Lock 7–9 getClient() (auth0.js 6)", replacement: replaceWebRenew},
			{name: "refreshToken", via: lockClient, endpoint: "/delegation", cond: belowMajor, versions: "Lock 7–9 getClient() (auth0.js 6)", replacement: replaceWebRenew},
			{name: "renewIdToken", via: lockClient, endpoint: "/delegation", cond: belowMajor, versions: "Lock 7–9 getClient() (auth0.js 6)", replacement: replaceWebRenew},
			{name: "getSSOData", via: lockClient, endpoint: "/user/ssodata", cond: belowMajor, versions: "Lock 7–9 getClient() (auth0.js 6)", replacement: replaceSSOData},
			{name: "loginWithResourceOwner", via: lockClient, endpoint: "/oauth/ro", cond: belowMajor, versions: "Lock 7–9 getClient() (auth0.js 6)", replacement: replacePassword},
		},
	},
	{
		// auth0-angular 4 (AngularJS): the auth service wraps auth0.js 7 / Lock.
		name: "auth0-angular@4", langs: []string{"js"},
		imports:  []string{"auth0-angular"},
		provider: "authProvider", service: "auth",
		methods: []method{
			{name: "getToken", endpoint: "/delegation", versions: "auth0-angular 4 (getDelegationToken)", replacement: "auth0-angular-v2 / angular-auth0 with auth0.js 9 checkSession() — " + replaceWebRenew},
			{name: "refreshIdToken", endpoint: "/delegation", versions: "auth0-angular 4 (refreshToken)", replacement: replaceWebRenew},
			{name: "renewIdToken", endpoint: "/delegation", versions: "auth0-angular 4 (renewIdToken)", replacement: replaceWebRenew},
			{name: "getProfile", endpoint: "/tokeninfo", versions: "auth0-angular 4 (auth0.js 7 / Lock getProfile)", replacement: "auth0.js 9 client.userInfo(accessToken) — " + replaceUserinfo},
		},
	},
	{
		name: "node-auth0@2-3", langs: []string{"js"},
		imports: []string{"auth0"},
		ctors:   []string{"AuthenticationClient"},
		types:   []string{"AuthenticationClient"},
		pkg:     "auth0", fixedMajor: 4,
		methods: []method{
			{name: "getDelegationToken", endpoint: "/delegation", versions: "node-auth0 2–3", replacement: "node-auth0 4+ auth0.oauth.refreshTokenGrant({ refresh_token })"},
			{name: "getInfo", via: []string{"tokens"}, endpoint: "/tokeninfo", versions: "node-auth0 2–3", replacement: "node-auth0 4+ auth0.userInfo.getUserInfo(accessToken) — " + replaceUserinfo},
			{name: "signIn", via: []string{"oauth"}, endpoint: "/oauth/ro", versions: "node-auth0 2–3", replacement: "node-auth0 4+ auth0.oauth.passwordGrant({ username, password, realm }) — " + replacePassword},
			{name: "socialSignIn", via: []string{"oauth"}, endpoint: "/oauth/access_token", versions: "node-auth0 2–3", replacement: replaceSocialToken},
		},
	},
	{
		name: "Auth0.Android@1", langs: []string{"java", "kotlin"},
		imports: []string{"com.auth0.android"},
		ctors:   []string{"AuthenticationAPIClient"},
		types:   []string{"AuthenticationAPIClient"},
		flag:    []string{"setOIDCConformant", "isOIDCConformant"},
		methods: []method{
			{name: "delegationWithRefreshToken", endpoint: "/delegation", versions: "Auth0.Android 1.x", replacement: "Auth0.Android 2+ renewAuth(refreshToken) (POST /oauth/token), kept by CredentialsManager or SecureCredentialsManager"},
			{name: "delegationWithIdToken", endpoint: "/delegation", versions: "Auth0.Android 1.x", replacement: "Auth0.Android 2+ renewAuth(refreshToken) with CredentialsManager; an ID token cannot be renewed"},
			{name: "delegation", endpoint: "/delegation", args: argCount(0), versions: "Auth0.Android 1.x", replacement: "Auth0.Android 2+ renewAuth(refreshToken)"},
			{name: "renewAuth", endpoint: "/delegation", cond: unlessOIDC, versions: "Auth0.Android 1.x without setOIDCConformant(true)", replacement: "call setOIDCConformant(true) on the Auth0 account (renewAuth then uses POST /oauth/token), or move to Auth0.Android 2+"},
			{name: "tokenInfo", endpoint: "/tokeninfo", versions: "Auth0.Android 1.x", replacement: "userInfo(accessToken) — " + replaceUserinfo},
			{name: "login", endpoint: "/oauth/ro", args: argCount(3), cond: unlessOIDC, versions: "Auth0.Android 1.x without setOIDCConformant(true)", replacement: "setOIDCConformant(true), so login(usernameOrEmail, password, realm) uses the password-realm grant; or Auth0.Android 2+"},
			{name: "loginWithOAuthAccessToken", endpoint: "/oauth/access_token", versions: "Auth0.Android 1.x", replacement: "loginWithNativeSocialToken(token, tokenType) — " + replaceSocialToken},
		},
	},
	{
		name: "Auth0.swift@1", langs: []string{"swift"},
		imports: []string{"Auth0"},
		ctors:   []string{"Auth0.authentication"},
		types:   []string{"Authentication"},
		methods: []method{
			{name: "delegation", endpoint: "/delegation", args: hasLabel("withParameters"), versions: "Auth0.swift 1.x", replacement: "Auth0.swift 2+ renew(withRefreshToken:), kept by CredentialsManager"},
			{name: "tokenInfo", endpoint: "/tokeninfo", args: swiftTokenInfo, versions: "Auth0.swift 1.x", replacement: "userInfo(withAccessToken:) — " + replaceUserinfo},
			{name: "login", endpoint: "/oauth/ro", args: hasLabel("connection"), versions: "Auth0.swift 1.x", replacement: "login(usernameOrEmail:password:realm:audience:scope:) — " + replacePassword},
			{name: "loginSocial", endpoint: "/oauth/access_token", versions: "Auth0.swift 1.x", replacement: "login(appleAuthorizationCode:) or login(facebookSessionAccessToken:profile:) — " + replaceSocialToken},
		},
	},
	{
		// Lock for Android 1.x (com.auth0.api, com.auth0.lock): its own
		// AuthenticationAPIClient, whose every login goes to /oauth/ro.
		name: "Lock.Android@1", langs: []string{"java", "kotlin"},
		imports: []string{"com.auth0.api", "com.auth0.lock", "com.auth0.core"},
		ctors:   []string{"AuthenticationAPIClient", "getAuthenticationAPIClient"},
		types:   []string{"AuthenticationAPIClient"},
		pkg:     "com.auth0.android:lock", fixedMajor: 2,
		methods: []method{
			{name: "login", endpoint: "/oauth/ro", versions: "Lock.Android 1.x", replacement: "Auth0.Android 2+ login(usernameOrEmail, password, realm) — " + replacePassword},
			{name: "loginWithResourceOwner", endpoint: "/oauth/ro", versions: "Lock.Android 1.x", replacement: replacePassword},
			{name: "loginWithPhoneNumber", endpoint: "/oauth/ro", versions: "Lock.Android 1.x", replacement: "Auth0.Android 2+ loginWithPhoneNumber (passwordless /oauth/token)"},
			{name: "loginWithEmail", endpoint: "/oauth/ro", versions: "Lock.Android 1.x", replacement: "Auth0.Android 2+ loginWithEmail (passwordless /oauth/token)"},
			{name: "loginWithOAuthAccessToken", endpoint: "/oauth/access_token", versions: "Lock.Android 1.x", replacement: replaceSocialToken},
			{name: "tokenInfo", endpoint: "/tokeninfo", versions: "Lock.Android 1.x", replacement: "userInfo(accessToken) — " + replaceUserinfo},
			{name: "delegation", endpoint: "/delegation", versions: "Lock.Android 1.x", replacement: "Auth0.Android 2+ renewAuth(refreshToken)"},
			{name: "delegationWithIdToken", endpoint: "/delegation", versions: "Lock.Android 1.x", replacement: "Auth0.Android 2+ renewAuth(refreshToken); an ID token cannot be renewed"},
			{name: "delegationWithRefreshToken", endpoint: "/delegation", versions: "Lock.Android 1.x", replacement: "Auth0.Android 2+ renewAuth(refreshToken) (POST /oauth/token)"},
		},
	},
	{
		// Lock for iOS 1.x: A0Lock and its A0APIClient, from Objective-C and Swift.
		name: "Lock.iOS@1", langs: []string{"objc", "swift"},
		imports: []string{"Lock"},
		ctors:   []string{"A0Lock.sharedLock", "A0Lock.newLock", "A0APIClient.init"}, strong: []string{"A0Lock", "A0APIClient"},
		types: []string{"A0Lock", "A0APIClient"},
		pkg:   "Lock", fixedMajor: 2,
		methods: []method{
			{name: "fetchUserProfileWithIdToken", endpoint: "/tokeninfo", versions: "Lock for iOS 1.x", replacement: "Auth0.swift userInfo(withAccessToken:) — " + replaceUserinfo},
			{name: "fetchNewIdTokenWithRefreshToken", endpoint: "/delegation", versions: "Lock for iOS 1.x", replacement: "Auth0.swift renew(withRefreshToken:) (POST /oauth/token)"},
			{name: "fetchNewIdTokenWithIdToken", endpoint: "/delegation", versions: "Lock for iOS 1.x", replacement: "Auth0.swift renew(withRefreshToken:); an ID token cannot be renewed"},
			{name: "fetchDelegationTokenWithParameters", endpoint: "/delegation", versions: "Lock for iOS 1.x", replacement: "Auth0.swift renew(withRefreshToken:) (POST /oauth/token)"},
			{name: "delegationWithRefreshToken", endpoint: "/delegation", versions: "Lock for iOS 1.x", replacement: "Auth0.swift renew(withRefreshToken:) (POST /oauth/token)"},
			{name: "delegationWithIdToken", endpoint: "/delegation", versions: "Lock for iOS 1.x", replacement: "Auth0.swift renew(withRefreshToken:); an ID token cannot be renewed"},
			{name: "loginWithUsername", endpoint: "/oauth/ro", versions: "Lock for iOS 1.x", replacement: "Auth0.swift login(usernameOrEmail:password:realm:) — " + replacePassword},
			{name: "authenticateWithSocialConnectionName", endpoint: "/oauth/access_token", versions: "Lock for iOS 1.x", replacement: replaceSocialToken},
		},
	},
	{
		name: "Auth0.AuthenticationApi@3", langs: []string{"csharp"},
		imports: []string{"Auth0.AuthenticationApi"},
		ctors:   []string{"AuthenticationApiClient"},
		types:   []string{"AuthenticationApiClient", "IAuthenticationApiClient"},
		pkg:     "Auth0.AuthenticationApi", fixedMajor: 4,
		methods: []method{
			{name: "GetDelegationTokenAsync", endpoint: "/delegation", versions: "Auth0.AuthenticationApi ≤ 3.7", replacement: "Auth0.AuthenticationApi 4+ GetTokenAsync(new RefreshTokenRequest { ... })"},
			{name: "GetAccessTokenAsync", endpoint: "/oauth/access_token", versions: "Auth0.AuthenticationApi ≤ 4", replacement: replaceSocialToken},
			{name: "GetTokenInfoAsync", endpoint: "/tokeninfo", versions: "Auth0.AuthenticationApi ≤ 4", replacement: "GetUserInfoAsync(accessToken) — " + replaceUserinfo},
			{name: "AuthenticateAsync", endpoint: "/oauth/ro", cond: belowMajor, versions: "Auth0.AuthenticationApi ≤ 3.x", replacement: "Auth0.AuthenticationApi 4+ GetTokenAsync(new ResourceOwnerTokenRequest { Realm = ... }) — " + replacePassword},
		},
	},
	{
		// Xamarin.Auth0Client (namespace Auth0.SDK): Auth0Constants holds
		// https://{0}/oauth/ro and https://{0}/delegation.
		name: "Xamarin.Auth0Client", langs: []string{"csharp"},
		imports: []string{"Auth0.SDK"},
		ctors:   []string{"Auth0Client"},
		types:   []string{"Auth0Client"},
		methods: []method{
			// LoginAsync(connection, userName, password, …); the other overloads open a login widget on a view.
			{name: "LoginAsync", endpoint: "/oauth/ro", args: func(a callArgs) bool { return a.count >= 3 && a.first != "this" }, versions: "Xamarin.Auth0Client (all versions)", replacement: "Auth0.OidcClient (Xamarin) LoginAsync with Universal Login, or " + replacePassword},
			{name: "GetDelegationToken", endpoint: "/delegation", versions: "Xamarin.Auth0Client (all versions)", replacement: "Auth0.OidcClient RefreshTokenAsync(refreshToken) (POST /oauth/token)"},
			{name: "RenewIdToken", endpoint: "/delegation", versions: "Xamarin.Auth0Client (all versions)", replacement: "Auth0.OidcClient RefreshTokenAsync(refreshToken) (POST /oauth/token)"},
			{name: "RefreshToken", endpoint: "/delegation", versions: "Xamarin.Auth0Client (all versions)", replacement: "Auth0.OidcClient RefreshTokenAsync(refreshToken) (POST /oauth/token)"},
		},
	},
	{
		name: "auth0-python", langs: []string{"python"},
		imports: []string{"auth0.v3.authentication", "auth0.v2.authentication", "auth0.authentication"},
		ctors:   []string{"Delegated", "Users", "Database", "Social"},
		methods: []method{
			{name: "get_token", on: []string{"Delegated"}, endpoint: "/delegation", versions: "auth0-python 2–5 (Delegated)", replacement: "GetToken(domain, client_id).refresh_token(refresh_token)"},
			{name: "tokeninfo", on: []string{"Users"}, endpoint: "/tokeninfo", versions: "auth0-python ≤ 3", replacement: "Users(domain).userinfo(access_token) — " + replaceUserinfo},
			{name: "login", on: []string{"Database"}, endpoint: "/oauth/ro", versions: "auth0-python ≤ 3", replacement: "GetToken(domain, client_id).login(username, password, realm=CONNECTION) — " + replacePassword},
			{name: "login", on: []string{"Social"}, endpoint: "/oauth/access_token", versions: "auth0-python ≤ 3", replacement: replaceSocialToken},
		},
	},
	{
		name: "auth0-php@4", langs: []string{"php"},
		imports: []string{"Auth0.SDK"},
		ctors:   []string{"Authentication"},
		types:   []string{"Authentication"},
		methods: []method{
			{name: "delegation", endpoint: "/delegation", versions: "auth0-php ≤ 4", replacement: "auth0-php 5+ Authentication::refresh_token($refresh_token) (POST /oauth/token)"},
			{name: "tokeninfo", endpoint: "/tokeninfo", versions: "auth0-php ≤ 4", replacement: "Authentication::userinfo($access_token) — " + replaceUserinfo},
			{name: "authorize_with_ro", endpoint: "/oauth/ro", versions: "auth0-php ≤ 5", replacement: "Authentication::login($username, $password, $realm) — " + replacePassword},
			{name: "authorize_with_accesstoken", endpoint: "/oauth/access_token", versions: "auth0-php ≤ 5", replacement: replaceSocialToken},
		},
	},
	{
		name: "ruby-auth0@4", langs: []string{"ruby"},
		imports: []string{"auth0"},
		ctors:   []string{"Auth0Client", "Auth0.Client"}, strong: []string{"Auth0Client"},
		pkg: "auth0",
		methods: []method{
			{name: "login", endpoint: "/oauth/ro", cond: belowVersion, fixedIn: "4.3.0", versions: "ruby-auth0 4.0–4.2", replacement: "ruby-auth0 4.3+ login(…) posts /oauth/token — " + replacePassword},
			{name: "refresh_delegation", endpoint: "/delegation", versions: "ruby-auth0 ≤ 4", replacement: "ruby-auth0 5+ exchange_refresh_token(refresh_token)"},
			{name: "delegation", endpoint: "/delegation", versions: "ruby-auth0 ≤ 4", replacement: "ruby-auth0 5+ exchange_refresh_token(refresh_token)"},
			{name: "token_info", endpoint: "/tokeninfo", versions: "ruby-auth0 ≤ 4", replacement: "userinfo(access_token) — " + replaceUserinfo},
			// Without a social access token it is the client-credentials grant (/oauth/token).
			{name: "obtain_access_token", endpoint: "/oauth/access_token", args: func(a callArgs) bool { return a.count >= 1 }, versions: "ruby-auth0 ≤ 4", replacement: replaceSocialToken},
			{name: "phone_login", endpoint: "/oauth/ro", versions: "ruby-auth0 ≤ 4", replacement: "login_with_resource_owner(...) or passwordless /oauth/token — " + replacePassword},
		},
	},
}

// manifestPackages are the packages whose pinned version the scanner
// reports: the first version without the legacy methods, and what it drops.
var manifestPackages = []struct {
	ecosystem, name string
	fixed           string
	message         string
}{
	{"npm", "auth0-js", "8.0.0", "auth0.js 7 calls /delegation (getDelegationToken, refreshToken, renewIdToken), /tokeninfo, /oauth/ro and /user/ssodata; 8.0.0 drops that API (8–10 still ship client.delegation and loginWithResourceOwner)"},
	{"npm", "auth0-lock", "11.0.0", "Lock 10 calls /tokeninfo from getProfile unless oidcConformant is set; Lock 11 uses only OIDC endpoints"},
	{"npm", "auth0", "4.0.0", "node-auth0 2–3 ship tokens.getDelegationToken, tokens.getInfo (/tokeninfo) and oauth.signIn (/oauth/ro); 4.0.0 drops them"},
	{"maven", "com.auth0.android:lock", "2.0.0", "Lock.Android 1.x ships its own AuthenticationAPIClient (login and every passwordless login on /oauth/ro, tokenInfo, delegation*, loginWithOAuthAccessToken); Lock.Android 2 uses Auth0.Android"},
	{"maven", "com.auth0.android:auth0", "2.0.0", "Auth0.Android 1.x ships delegation*, tokenInfo and non-OIDC renewAuth/login; 2.0.0 removes the legacy endpoints"},
	{"cocoapods", "Auth0", "2.0.0", "Auth0.swift 1.x ships delegation(withParameters:), tokenInfo(token:) and login(…connection:) (/oauth/ro); 2.0.0 removes them"},
	{"nuget", "Auth0.AuthenticationApi", "4.0.0", "Auth0.AuthenticationApi 3.x ships GetDelegationTokenAsync and an AuthenticateAsync that calls /oauth/ro; 4.0.0 is for OIDC-conformant clients"},
	{"pypi", "auth0-python", "4.0.0", "auth0-python 3 ships Users.tokeninfo and /oauth/ro logins; 4.0.0 drops them (Delegated.get_token remains in 4 and 5)"},
	{"composer", "auth0/auth0-php", "5.0.0", "auth0-php 4 ships delegation() and tokeninfo(); 5.0.0 drops them"},
	{"rubygems", "auth0", "5.0.0", "ruby-auth0 4 ships refresh_delegation, delegation and token_info; 5.0.0 drops them"},
	{"cocoapods", "Lock", "2.0.0", "Lock for iOS 1.x (A0Lock, A0APIClient) calls /oauth/ro, /oauth/access_token, /tokeninfo and /delegation; Lock.swift 2 with Auth0.swift does not"},
}
