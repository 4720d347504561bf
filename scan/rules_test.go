package scan

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tokenscope/tokenscope/internal/finding"
)

// keys names each finding as "line:column code" for the table below.
func keys(fs []Finding) string {
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%d:%d %s", f.Line, f.Column, f.Code))
	}
	return strings.Join(out, ", ")
}

// TestEachLanguageTellsAnSDKCallFromALookAlike pins the precision rules one
// at a time: what must be reported, and the traps that must not be, in
// each language. Signatures are the SDKs' own (testdata/corpus/README.md).
func TestEachLanguageTellsAnSDKCallFromALookAlike(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ name, file, src, want string }{
		// JavaScript and TypeScript.
		{"a call in a comment is not a call", "a.js", "import Auth0 from 'auth0-js';\nconst a0 = new Auth0({});\n// a0.getDelegationToken({}, cb)\n/* a0.refreshToken(rt) */\n", ""},
		{"a method name in a string is not a call", "a.js", "import Auth0 from 'auth0-js';\nconst a0 = new Auth0({});\nconst doc = 'a0.getDelegationToken(opts)';\n", ""},
		{"a class of our own with the same method", "a.js", "import Auth0 from 'auth0-js';\nclass Tokens { getDelegationToken(id) { return id; } }\nconst svc = new Tokens();\nsvc.getDelegationToken('x');\n", ""},
		{"the SDK's own prototype is a definition", "a.js", "import Auth0 from 'auth0-js';\nAuth0.prototype.getDelegationToken = function (o, cb) {};\n", ""},
		{"aliases of aliases", "a.js", "import Auth0 from 'auth0-js';\nconst a = new Auth0({});\nlet b = a;\nvar c = b;\nc.refreshToken(rt, cb);\n", "5:1 legacy_delegation_call"},
		{"destructured from the SDK object", "a.js", "import auth0 from 'auth0-js';\nconst webAuth = new auth0.WebAuth({});\nconst { client } = webAuth;\nclient.delegation({}, cb);\n", "4:1 legacy_delegation_call"},
		{"a typed constructor parameter", "a.ts", "import { AuthenticationClient } from 'auth0';\nclass S {\n  constructor(private auth: AuthenticationClient) {}\n  go() { return this.auth.tokens.getDelegationToken({}); }\n}\n", "4:17 legacy_delegation_call"},
		{"node-auth0's getInfo only on tokens", "a.js", "const { AuthenticationClient } = require('auth0');\nconst auth0 = new AuthenticationClient({});\nauth0.users.getInfo(at);\nauth0.tokens.getInfo(it);\n", "4:1 legacy_tokeninfo_call"},
		{"a generic constructor without the SDK's import", "a.js", "const a0 = new AuthenticationClient({});\na0.getDelegationToken({});\n", ""},
		{"auth0.js 7 from a script tag", "a.js", "var auth0 = new Auth0({ domain: 'acme.auth0.com' });\nauth0.getDelegationToken({}, cb);\n", "2:1 legacy_delegation_call"},
		{"auth0.js 9 checkSession is the replacement", "a.js", "import auth0 from 'auth0-js';\nconst w = new auth0.WebAuth({});\nw.checkSession({}, cb);\nw.client.userInfo(at, cb);\n", ""},
		{"Lock 10 with oidcConformant is migrated", "a.js", "import Auth0Lock from 'auth0-lock';\nconst lock = new Auth0Lock('id', 'acme.auth0.com', { oidcConformant: true });\nlock.getProfile(at, cb);\n", ""},
		// Java and Kotlin (Auth0.Android 1.30.0).
		{"Android login with two arguments is the password grant", "A.java", "import com.auth0.android.authentication.AuthenticationAPIClient;\nclass A { void f(AuthenticationAPIClient c) { c.login(e, p).start(null); } }\n", ""},
		{"Android login with a connection without OIDC", "A.java", "import com.auth0.android.authentication.AuthenticationAPIClient;\nclass A { void f(AuthenticationAPIClient c) { c.login(e, p, \"db\").start(null); } }\n", "2:47 legacy_ro_call"},
		{"Kotlin renewAuth with the flag in the same file", "A.kt", "import com.auth0.android.authentication.AuthenticationAPIClient\nfun f(account: Auth0) {\n  account.isOIDCConformant = true\n  val c = AuthenticationAPIClient(account)\n  c.renewAuth(rt)\n}\n", ""},
		{"Java setOIDCConformant(true) in the same file", "A.java", "import com.auth0.android.Auth0;\nimport com.auth0.android.authentication.AuthenticationAPIClient;\nclass A { void f(Auth0 a) { a.setOIDCConformant(true); AuthenticationAPIClient c = new AuthenticationAPIClient(a); c.renewAuth(rt); } }\n", ""},
		{"Kotlin delegation() takes no arguments on the SDK", "A.kt", "import com.auth0.android.authentication.AuthenticationAPIClient\nval c = AuthenticationAPIClient(account)\nval r = c.delegation()\nval s = c.delegation(x)\n", "3:9 legacy_delegation_call"},
		// Swift (Auth0.swift 1.39.1).
		{"Swift login with realm is migrated, with connection is not", "A.swift", "import Auth0\nlet auth = Auth0.authentication()\nauth.login(usernameOrEmail: e, password: p, realm: \"db\")\nauth.login(usernameOrEmail: e, password: p, connection: \"db\")\n", "4:1 legacy_ro_call"},
		{"a Swift multi-line string is not code", "A.swift", "import Auth0\nlet auth = Auth0.authentication()\nlet s = \"\"\"\nauth.tokenInfo(token: t)\n\"\"\"\n", ""},
		// C#, Python, PHP, Ruby.
		{"C# through the interface", "A.cs", "using Auth0.AuthenticationApi;\nclass A { IAuthenticationApiClient client; void F() { client.GetDelegationTokenAsync(r); } }\n", "2:55 legacy_delegation_call"},
		{"Python Social.login is /oauth/access_token, Database.login /oauth/ro", "a.py", "from auth0.v3.authentication import Database, Social\ns = Social('acme.auth0.com')\ns.login('id', 'token', 'facebook', 'openid')\nd = Database('acme.auth0.com')\nd.login('id', 'u', 'p', 'db')\n", "3:1 legacy_access_token_call, 5:1 legacy_ro_call"},
		{"Python GetToken is the replacement", "a.py", "from auth0.v3.authentication import GetToken\nGetToken('acme.auth0.com').refresh_token('id', None, rt)\n", ""},
		{"a Python docstring is not code", "a.py", "from auth0.v3.authentication import Delegated\nd = Delegated('acme.auth0.com')\n\"\"\"d.get_token(client_id=x)\"\"\"\n", ""},
		{"PHP typed parameter", "a.php", "<?php\nuse Auth0\\SDK\\API\\Authentication;\nfunction f(Authentication $auth) { return $auth->tokeninfo($t); }\n", "3:43 legacy_tokeninfo_call"},
		{"Ruby without parentheses", "a.rb", "require 'auth0'\nclient = Auth0Client.new(domain: 'acme.auth0.com')\nclient.token_info id_token\n", "3:1 legacy_tokeninfo_call"},
		{"Ruby =begin block is a comment", "a.rb", "require 'auth0'\nclient = Auth0Client.new(domain: 'acme.auth0.com')\n=begin\nclient.token_info id_token\n=end\n", ""},
		// Requests built by hand.
		{"a route this server defines", "a.js", "// proxy in front of auth0\nrouter.post('/delegation', handler);\napp.get('/tokeninfo', handler);\n", ""},
		{"a relative path in an Auth0 file", "a.js", "// talks to auth0\nfetch(base + '/delegation', { method: 'POST' });\n", "2:14 legacy_delegation_request"},
		{"a relative path with no Auth0 around", "a.js", "fetch(base + '/tokeninfo');\n", ""},
		{"Google's tokeninfo even in an Auth0 file", "a.js", "// auth0 and google\nfetch('https://oauth2.googleapis.com/tokeninfo?id_token=' + t);\n", ""},
		{"an Auth0 tenant's tokeninfo anywhere", "a.js", "fetch('https://acme.eu.auth0.com/tokeninfo?id_token=' + t);\n", "1:7 legacy_tokeninfo_request"},
		{"a templated host and Auth0's own path", "a.go", "package x\nvar u = fmt.Sprintf(\"https://%s/oauth/ro\", domain)\n", "2:21 legacy_ro_request"},
		{"a templated host and a shared path without Auth0", "a.js", "fetch(`${FB_GRAPH}/oauth/access_token`);\n", ""},
		{"a custom domain in an Auth0 file", "a.py", "AUTH0_DOMAIN = 'login.example.com'\nrequests.post('https://login.example.com/delegation', data=d)\n", "2:15 legacy_delegation_request"},
		{"a custom domain's URL is left to the tree, which knows its settings", "a.js", "fetch('https://login.example.com/tokeninfo');\n", ""},
		{"a custom domain with no Auth0 around", "a.py", "requests.post('https://login.example.com/tokeninfo', data=d)\n", ""},
		{"a longer path is somebody else's API", "a.js", "// auth0\nfetch('https://acme.auth0.com/api/v2/delegation/settings');\n", ""},
		{"a Go raw string", "a.go", "package x\n// AUTH0\nconst u = `https://acme.auth0.com/delegation`\n", "3:11 legacy_delegation_request"},
		// Requests that join a legacy path to a base URL (issue 19).
		{"a PHP base URL joined to oauth/ro", "a.php", "<?php\n// auth0\n$endpoint = \"https://$domain/\";\nwp_remote_post($endpoint . 'oauth/ro', []);\n", "4:28 legacy_ro_request"},
		{"a C# Uri built from the Auth0 domain", "A.cs", "// Auth0 by hand\nvar u = new Uri(auth0Domain, \"tokeninfo\");\n", "2:30 legacy_tokeninfo_request"},
		{"a template string on a base URL", "a.js", "// auth0\nfetch(`${AUTH0_URL}delegation`);\n", "2:7 legacy_delegation_request"},
		{"a bare word in a log line is not a request", "a.js", "// auth0\nconsole.log('delegation');\n", ""},
		{"a settings key is not a request", "a.js", "// auth0\nconst f = { 'delegation': true };\n", ""},
		{"an Angular route named like an endpoint", "a.ts", "// auth0 callback routes\nconst routes = [{ path: 'delegation', component: DelegationComponent }];\n", ""},
		{"a Redux action named like an endpoint", "a.js", "// auth0\ndispatch({ type: 'delegation', baseUrl });\n", ""},
		{"a joined path in a file that never names Auth0", "a.js", "fetch(urljoin(baseUrl, 'delegation'));\n", ""},
		{"ruby-auth0's own post('/tokeninfo') is a request", "a.rb", "# auth0\npost('/tokeninfo', id_token: t)\n", "2:6 legacy_tokeninfo_request"},
		{"a Sinatra route with a block is not a request", "a.rb", "# auth0 proxy\npost '/delegation' do\nend\npost('/delegation') do\nend\n", ""},
		{"a Retrofit call on the Auth0 base URL", "A.java", "// Auth0 API\ninterface Legacy { @POST(\"oauth/ro\") Call<Token> login(@Body Map<String, String> body); }\n", "2:26 legacy_ro_request"},
		{"a JAX-RS route this server defines", "A.java", "// auth0 proxy\n@Path(\"/delegation\")\nclass Proxy {}\n", ""},
		{"a Spring route this server defines", "A.java", "// auth0 proxy\n@PostMapping(\"/tokeninfo\")\nvoid f() {}\n", ""},
		{"an axios instance named api posts a request", "a.js", "// auth0\nconst api = axios.create({ baseURL: AUTH0_URL });\napi.post('/delegation', body);\n", "3:10 legacy_delegation_request"},
		{"a Swift interpolated host", "A.swift", "// auth0\nlet url = URL(string: \"https://\\(domain)/tokeninfo\")\n", "2:23 legacy_tokeninfo_request"},
		// Receivers that are not a literal constructor in the same file.
		{"a factory's object", "a.js", "import auth0 from 'auth0-js';\nfunction initAuth0() { return new auth0.WebAuth({}); }\nconst w = initAuth0();\nw.client.delegation({}, cb);\n", "4:1 legacy_delegation_call"},
		{"a getter's object", "a.py", "from auth0.v3.authentication import Delegated\nclass Jobs:\n    def client(self):\n        return Delegated('acme.auth0.com')\n    def run(self):\n        self.client.get_token('id', 't', 'app', 'g')\n", "6:9 legacy_delegation_call"},
		{"Lock 9's own auth0.js client", "a.js", "var lock = new Auth0Lock('id', 'acme.auth0.com');\nlock.getClient().getDelegationToken({}, cb);\n", "2:1 legacy_delegation_call"},
		{"an Objective-C message to Lock's API client", "A.m", "#import <Lock/Lock.h>\nA0Lock *lock = [A0Lock sharedLock];\n[lock.apiClient fetchUserProfileWithIdToken:t success:nil failure:nil];\n", "3:2 legacy_tokeninfo_call"},
		{"an SDK object from a DI container", "a.ts", "import { WebAuth } from 'auth0-js';\nconst webAuth = container.get<WebAuth>(TYPES.WebAuth);\nwebAuth.client.delegation({}, cb);\n", "3:1 legacy_delegation_call"},
		{"a C# client from the service provider", "A.cs", "using Auth0.AuthenticationApi;\nvar client = provider.GetRequiredService<IAuthenticationApiClient>();\nclient.GetDelegationTokenAsync(r);\n", "3:1 legacy_delegation_call"},
		{"ruby-auth0's Auth0::Client from Bundler", "a.rb", "client = Auth0::Client.new(domain: 'acme.auth0.com')\nclient.token_info(id_token)\n", "2:1 legacy_tokeninfo_call"},
		{"Lock's client held by another object", "a.js", "// Auth0 session\nMetaMap.Auth0.lock.getClient().getDelegationToken({ api_type: 'firebase' }, cb);\n", "2:1 legacy_delegation_call"},
		{"a Hadoop client's getDelegationToken", "a.js", "fs.getClient().getDelegationToken(renewer);\n", ""},
		{"a tenant host built by concatenation", "a.php", "<?php\n$url = \"https://\" . $tenant . \".auth0.com/tokeninfo?id_token=\" . $t;\n", "2:31 legacy_tokeninfo_request"},
		// Any text file, prose and pages.
		{"a Perl script's Auth0 URL", "a.pl", "$ua->post('https://acme.auth0.com/oauth/ro');\n", "1:12 legacy_ro_request"},
		{"a Lua script's URL on another host", "a.lua", "http.request('https://api.example.com/delegation')\n", ""},
		{"a Markdown code block is info", "a.md", "```\ncurl https://acme.auth0.com/delegation\n```\n", "2:6 legacy_endpoint_mention"},
		{"a page's text is not code", "a.html", "<p>We used to call `/delegation` on auth0.</p>\n", ""},
		// Scripts and configuration.
		{"a URL in a YAML comment is info", "c.yml", "# was: https://acme.auth0.com/delegation\nurl: https://acme.auth0.com/oauth/token\n", "1:8 legacy_endpoint_mention"},
		{"a path in a config file's sentence", "app.toml", "Comment = \"Migrate Auth0 /delegation calls\"\n", ""},
		{"a path as a config file's value", "app.toml", "# auth0\nrefresh_path = \"/delegation\"\n", "2:17 legacy_delegation_request"},
		{"a map's key and index are paths, not requests", "a.go", "package x\n// auth0 demo\nvar calls = map[string]int{\"/delegation\": 1}\nvar n = calls[\"/oauth/ro\"]\n", ""},
		{"an .env value", ".env", "AUTH0_RO_URL=https://acme.auth0.com/oauth/ro\n", "1:14 legacy_ro_request"},
		{"Kubernetes' auth-delegator", "rbac.yaml", "roleRef:\n  name: system:auth-delegator\n", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			fs, _ := File(c.file, []byte(c.src))
			if got := keys(fs); got != c.want {
				t.Errorf("%s:\n%s\ngot  %q\nwant %q", c.file, c.src, got, c.want)
			}
		})
	}
}

// TestAFindingSaysWhereWhatAndWhatReplacesIt reads one finding whole.
func TestAFindingSaysWhereWhatAndWhatReplacesIt(t *testing.T) {
	t.Parallel()
	src := "import Auth0 from 'auth0-js';\nconst a0 = new Auth0({ domain: 'acme.auth0.com' });\n\tfunction go(idToken) {\n\t\ta0.getDelegationToken({\n\t\t\tid_token: idToken,\n\t\t}, cb);\n\t}\n"
	fs, _ := File("web/src/auth.js", []byte(src))
	if len(fs) != 1 {
		t.Fatalf("findings: %+v", fs)
	}
	f := fs[0]
	want := Finding{File: "web/src/auth.js", Line: 4, Column: 3, Endpoint: "/delegation", SDK: "auth0.js@7", Call: "a0.getDelegationToken({ id_token: idToken, }, cb)",
		Severity: finding.SeverityError, Code: "legacy_delegation_call", Source: "\t\ta0.getDelegationToken({"}
	f.Message, f.Replacement, f.sdk = "", "", nil
	if f != want {
		t.Fatalf("got  %+v\nwant %+v", f, want)
	}
	if !strings.Contains(fs[0].Message, "getDelegationToken() calls /delegation") || !strings.Contains(fs[0].Replacement, "checkSession") {
		t.Fatalf("message %q, replacement %q", fs[0].Message, fs[0].Replacement)
	}
}

// TestARequestBuiltByHandBecomesOneMigrateReads: the body parameters next
// to the URL go into the request Open in Migrate hands over.
func TestARequestBuiltByHandBecomesOneMigrateReads(t *testing.T) {
	t.Parallel()
	src := "// auth0\nfetch(`https://${domain}/delegation`, { method: 'POST', body: new URLSearchParams({ client_id: 'abc', refresh_token: refreshToken, api_type: 'app' }) });\n"
	fs, _ := File("a.js", []byte(src))
	if len(fs) != 1 {
		t.Fatalf("findings: %+v", fs)
	}
	want := "POST https://YOUR_DOMAIN/delegation HTTP/1.1\r\nHost: YOUR_DOMAIN\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\n" +
		"grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&client_id=abc&refresh_token=REFRESH_TOKEN&api_type=app\r\n"
	if fs[0].Request != want {
		t.Fatalf("request:\n%q\nwant\n%q", fs[0].Request, want)
	}
}

// TestAGeneratedFileIsCappedNotStalled: a file with tens of thousands of
// legacy calls on one long line (generated or hostile) gives the first
// 1000 findings, each quoting at most 1000 bytes of the line.
func TestAGeneratedFileIsCappedNotStalled(t *testing.T) {
	t.Parallel()
	src := "import Auth0 from 'auth0-js';\nconst a0 = new Auth0({});\n" + strings.Repeat("a0.refreshToken(rt, cb); ", 50000) + strings.Repeat("a0.getDelegationToken(", 20000)
	fs, _ := File("gen.js", []byte(src))
	if len(fs) != maxPerKind || fs[999].Column != 1+999*25 || len(fs[0].Source) != maxSource {
		t.Fatalf("%d findings, last at column %d, source %d bytes", len(fs), fs[len(fs)-1].Column, len(fs[0].Source))
	}
}

// TestAPostmanRequestCarriesItsMethodHeadersAndBody into the request Open
// in Migrate hands over (the corpus collection is Postman v2.1).
func TestAPostmanRequestCarriesItsMethodHeadersAndBody(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(filepath.Join("testdata", "corpus", "postman", "legacy.postman_collection.json"))
	if err != nil {
		t.Fatal(err)
	}
	fs, _ := File("legacy.postman_collection.json", b)
	if len(fs) != 2 {
		t.Fatalf("findings: %+v", fs)
	}
	want := "POST https://YOUR_DOMAIN/delegation HTTP/1.1\r\nHost: YOUR_DOMAIN\r\nContent-Type: application/json\r\n\r\n" +
		`{"client_id":"{{client_id}}","grant_type":"urn:ietf:params:oauth:grant-type:jwt-bearer","refresh_token":"{{refresh_token}}","api_type":"app"}`
	if fs[0].Request != want {
		t.Fatalf("request:\n%q\nwant\n%q", fs[0].Request, want)
	}
}

// TestHostileInputStaysLinear: generated or hostile files — unclosed calls
// nested without end, returns with no function around them, script tags
// that never close —
// cost time in proportion to their size.
// Each input is timed at two sizes, sixteen times apart, beside lexing the
// same bytes (a linear floor timed under the same load): the scan's share
// of the time wobbles with the machine's load (up to 3× here), but a
// quadratic rule multiplies it by sixteen.
func TestHostileInputStaysLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("times each input at two sizes")
	}
	best := func(f func()) time.Duration {
		d := time.Duration(1 << 62)
		for range 5 {
			start := time.Now()
			f()
			d = min(d, time.Since(start))
		}
		return d
	}
	for _, c := range []struct {
		name, file, unit string
		n                int // the smaller size
	}{
		{"unclosed calls nested without end", "a.js", "// auth0\nget('/delegation', get('/delegation', ", 2000},
		{"returns of an SDK object outside any function", "a.js", "return new Auth0({});\n", 2000},
		{"script tags that never close", "a.html", "<scRipt x>lock.getProfile(t);", 2000},
		{"globals on window", "a.js", "window.lock = new window.Auth0Lock('a','b.auth0.com'); lock.getProfile(x);\n", 2000},
		{"joined base URLs", "a.js", "// auth0\nfetch(`${AUTH0_URL}delegation`);", 2000},
		{"re-exports", "a.js", "export { a as b } from './x';\n", 2000},
	} {
		t.Run(c.name, func(t *testing.T) {
			share := func(n int) float64 {
				src := []byte(strings.Repeat(c.unit, n))
				scan := best(func() { File(c.file, src) })
				floor := best(func() { lex(string(src), jsLike) })
				return float64(scan) / float64(floor)
			}
			small, large := share(c.n), share(16*c.n)
			if large > 6*small {
				t.Errorf("the scan's time over lexing grew from %.1f× to %.1f× for 16× the input", small, large)
			}
		})
	}
}
