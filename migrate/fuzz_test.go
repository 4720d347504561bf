package migrate

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tokenscope/tokenscope/internal/oauth"
)

// Every parser entry point: Parse detects the form, so one target per form
// seeds it with that form and lets the fuzzer wander.
func fuzzParse(f *testing.F, seeds ...string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		b, err := Parse(in)
		if err != nil {
			if _, ok := err.(*ParseError); !ok {
				t.Fatalf("error %T is not a ParseError: %v", err, err)
			}
			return
		}
		for _, r := range RewriteAll(b, Options{Auth: oauth.AuthBasic, Audience: "a"}) {
			if r.Migratable != (r.Request != nil) {
				t.Fatal("Migratable and Request disagree")
			}
			// A /delegation call has exactly one kind and one finding
			// saying it; only a token for another API has an alternative.
			kinds := 0
			for _, f := range r.Findings {
				switch f.Code {
				case CodeDelegationRenew, CodeDelegationOtherAPI, CodeDelegationAddon:
					kinds++
				}
			}
			if (r.Delegation != nil) != (kinds == 1) || kinds > 1 {
				t.Fatalf("%d classification findings for %+v", kinds, r.Delegation)
			}
			if r.Alternative != nil && (r.Delegation == nil || r.Delegation.Kind != DelegationOtherAPI) {
				t.Fatalf("an alternative for %+v", r.Delegation)
			}
			for _, req := range []*Request{r.Request, r.Alternative} {
				if req == nil {
					continue
				}
				for _, f := range Formats {
					if _, err := Render(req, f, false); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
	})
}

func FuzzParseJSON(f *testing.F) {
	fuzzParse(f, legacyJSON, "["+legacyJSON+"]", `{"a":{"b":[1,2]}}`, `[]`)
}

func FuzzParseForm(f *testing.F) {
	fuzzParse(f, "grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&client_id=a&refresh_token=r", "a=%zz", "=&=",
		"grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&client_id=a&target=b&api_type=auth0&id_token=x&scope=openid+name",
		"grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&client_id=a&api_type=aws&id_token=x&role=r&principal=p")
}

// FuzzCheckSubjectTokenType: any string is either accepted as a URI
// outside Auth0's reserved namespaces or refused with one sentence, and
// nothing the check accepts is in a reserved namespace.
func FuzzCheckSubjectTokenType(f *testing.F) {
	for _, s := range []string{DefaultSubjectTokenType, "urn:ietf:params:oauth:token-type:id_token", "https://tenant.auth0.com/x", "URN:AUTH0:x", "http://okta.com.", "urn:", "https://", "%zz", "urn:okta"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := CheckSubjectTokenType(s)
		if err == nil && reservedNamespace(s) != "" {
			t.Fatalf("%q accepted in %s", s, reservedNamespace(s))
		}
		if err != nil && strings.ContainsAny(strings.TrimSuffix(err.Error(), "."), "\n") {
			t.Fatalf("not one line: %v", err)
		}
	})
}

func FuzzParseHTTP(f *testing.F) {
	fuzzParse(f, "POST /delegation HTTP/1.1\r\nHost: t.auth0.com\r\nContent-Type: application/json\r\n\r\n"+legacyJSON, "POST https://t/delegation HTTP/1.1\n\na=b", "GET /\n")
}

func FuzzParseCurl(f *testing.F) {
	fuzzParse(f, `curl -X POST https://t/delegation -H 'Content-Type: application/json' --data-raw '{"client_id":"a"}'`,
		"curl $'x\\ty' \"a\\\"b\" \\\n -u u:p --json '{}'", `curl 'unterminated`)
}

func FuzzParseHAR(f *testing.F) {
	fuzzParse(f, `{"log":{"entries":[{"request":{"method":"POST","url":"https://t/delegation","headers":[{"name":"Authorization","value":"Basic YTpi"}],"postData":{"mimeType":"application/x-www-form-urlencoded","params":[{"name":"grant_type","value":"urn:ietf:params:oauth:grant-type:jwt-bearer"}]}}}]}}`,
		`{"log":{"entries":[{"request":{"url":"::"}}]}}`)
}

// corpusSeeds are the corpus files whose names match any of the patterns.
func corpusSeeds(f *testing.F, patterns ...string) []string {
	var out []string
	for _, p := range patterns {
		files, _ := filepath.Glob(filepath.Join("testdata", "corpus", p))
		for _, file := range files {
			b, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			out = append(out, string(b))
		}
	}
	if len(out) == 0 {
		f.Fatalf("no corpus file matches %v", patterns)
	}
	return out
}

func FuzzParseCmdCurl(f *testing.F) {
	fuzzParse(f, append(corpusSeeds(f, "*cmd*"), "curl ^\"a^\" ^\n --data-raw ^\"x^%^3D^\"", "curl ^")...)
}

func FuzzParseFetch(f *testing.F) {
	fuzzParse(f, append(corpusSeeds(f, "*fetch*"), `fetch("u", {"body": null})`, `fetch("u"`, `await fetch("https://t/delegation", {"method":"POST","body":"{}"});`)...)
}

func FuzzParsePowerShell(f *testing.F) {
	fuzzParse(f, append(corpusSeeds(f, "*.ps1"), "Invoke-WebRequest -Uri \"x\" -Headers @{", "Invoke-RestMethod -Body ([Text.Encoding]::UTF8.GetBytes(\"a=b\")) -Uri 'https://t/oauth/ro'")...)
}

func FuzzParseHTTP2AndChunked(f *testing.F) {
	fuzzParse(f, append(corpusSeeds(f, "*http2*", "chunked.http"), ":method: POST\n:path: /delegation\n\n", "POST / HTTP/1.1\nTransfer-Encoding: chunked\n\nffffffffff\nx")...)
}

func FuzzParseURLAndJSONP(f *testing.F) {
	fuzzParse(f, append(corpusSeeds(f, "*.url"), "https://t/delegation?cbx=1&%zz")...)
}

// harWithEncodingJSON is how HARs were read before the stream reader
// (encoding/json into harFile, then the same entries): the oracle for it.
// ok is false when encoding/json's reading is not a HAR, or when the input
// has other than one "log" member (the stream refuses a second one, where
// encoding/json would keep the last).
func harWithEncodingJSON(in []byte) (b *Batch, err error, ok bool) {
	d := json.NewDecoder(bytes.NewReader(in))
	if tok, err := d.Token(); err != nil || tok != json.Delim('{') {
		return nil, nil, false
	}
	logs := 0
	for d.More() {
		tok, err := d.Token()
		if err != nil {
			return nil, nil, false
		}
		if name, _ := tok.(string); strings.EqualFold(name, "log") {
			logs++
		}
		var skip json.RawMessage
		if d.Decode(&skip) != nil {
			return nil, nil, false
		}
	}
	if logs != 1 {
		return nil, nil, false
	}
	var h harFile
	if err := json.Unmarshal(in, &h); err != nil {
		return nil, err, true
	}
	if h.Log == nil {
		return nil, nil, false
	}
	b, err = parseHAR(&h)
	return b, err, true
}

// FuzzParseReaderAgreesWithParse: the streaming reader finds in any input
// what Parse finds in it, or both refuse it; and in a HAR what
// encoding/json's reading of it finds.
func FuzzParseReaderAgreesWithParse(f *testing.F) {
	for _, s := range corpusSeeds(f, "*.har", "*.json") {
		f.Add(s)
	}
	f.Add(`{"log":{"version":"1.2","entries":[{"request":{"method":"OPTIONS","url":"https://t/delegation"}},{"request":{"method":"GET","url":"https://t/x"}}],"pages":[{"id":"p"}]}}`)
	f.Add(`{"log":{"entries":[]}}`)
	f.Add(`{"log":{"entries":[{"request":{"method":"POST","url":"https://t/delegation"}}],"entries":[{"request":{"method":"GET","url":"https://t/x"}}]}}`)
	f.Add(`{"log":{"entries":[{"request":{"method":"POST","url":"https://t/delegation"}}]}} x`)
	f.Add(`{"grant_type":"urn:ietf:params:oauth:grant-type:jwt-bearer","log":{}}`)
	f.Add(`{"log":{"entries":[{"request":{"method":"POST","url":"https://t/delegation"}}]},"LOG":{"entries":[]}}`)
	f.Add(`{"Log":{"Entries":[{"request":{"method":"POST","url":"https://t/delegation"}}]}}`)
	f.Fuzz(func(t *testing.T, in string) {
		got, gerr := ParseReader(strings.NewReader(in))
		if want, werr, ok := harWithEncodingJSON([]byte(in)); ok {
			agree(t, "encoding/json", want, werr, got, gerr)
		}
		want, werr := Parse([]byte(in))
		agree(t, "Parse", want, werr, got, gerr)
	})
}

// agree fails t unless the stream's batch (got) is the one the other
// reading (want, by name) made, or both refused the input.
func agree(t *testing.T, name string, want *Batch, werr error, got *Batch, gerr error) {
	t.Helper()
	if (werr == nil) != (gerr == nil) {
		t.Fatalf("%s: %v; ParseReader: %v", name, werr, gerr)
	}
	if werr != nil {
		return
	}
	if got.Form != want.Form || got.Skipped != want.Skipped || got.Preflights != want.Preflights || len(got.Requests) != len(want.Requests) {
		t.Fatalf("%s: %s, %d requests, %d skipped, %d preflights; ParseReader: %s, %d, %d, %d",
			name, want.Form, len(want.Requests), want.Skipped, want.Preflights, got.Form, len(got.Requests), got.Skipped, got.Preflights)
	}
	for i := range want.Requests {
		w, g := want.Requests[i], got.Requests[i]
		if w.Source != g.Source || w.URL != g.URL || w.Method != g.Method || len(w.Params) != len(g.Params) {
			t.Fatalf("request %d: %s %+v; ParseReader %+v", i, name, w, g)
		}
	}
}
