package migrate

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/tokenscope/tokenscope/internal/oauth"
)

// corpusCase is what one corpus file must turn into (testdata/corpus/README.md
// says where each shape comes from).
type corpusCase struct {
	Form       Form             `json:"form"`
	Skipped    int              `json:"skipped,omitempty"`
	Preflights int              `json:"preflights,omitempty"`
	Requests   []corpusExpected `json:"requests"`
}

type corpusExpected struct {
	Endpoint   Endpoint          `json:"endpoint"`
	Migratable bool              `json:"migratable"`
	Method     string            `json:"method,omitempty"`
	URL        string            `json:"url,omitempty"`
	Auth       oauth.AuthMethod  `json:"auth,omitempty"`
	Body       map[string]string `json:"body,omitempty"`
	Findings   []string          `json:"findings"`
	// Delegation is the kind of a /delegation call; Alternative the body
	// of the token exchange rendered for a token for another API.
	Delegation  DelegationKind    `json:"delegation,omitempty"`
	Alternative map[string]string `json:"alternative,omitempty"`
}

// corpusActual runs one corpus file through Parse and Rewrite.
func corpusActual(t *testing.T, path string) (corpusCase, *Batch, []Result) {
	t.Helper()
	in, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Parse(in)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	results := RewriteAll(b, Options{})
	got := corpusCase{Form: b.Form, Skipped: b.Skipped, Preflights: b.Preflights, Requests: []corpusExpected{}}
	for i, r := range results {
		e := corpusExpected{Endpoint: EndpointOf(b.Requests[i].URL), Migratable: r.Migratable, Findings: []string{}}
		if e.Endpoint == "" && b.Requests[i].URL == "" {
			e.Endpoint = guessEndpoint(b.Requests[i])
		}
		for _, f := range r.Findings {
			e.Findings = append(e.Findings, f.Code)
		}
		sort.Strings(e.Findings)
		if r.Request != nil {
			e.Method, e.URL, e.Auth = r.Request.Method, r.Request.URL, r.Request.Auth
			if len(r.Request.Body) > 0 {
				e.Body = map[string]string{}
				for _, p := range r.Request.Body {
					e.Body[p.Name] = p.Value
				}
			}
		}
		if r.Delegation != nil {
			e.Delegation = r.Delegation.Kind
		}
		if r.Alternative != nil {
			e.Alternative = map[string]string{}
			for _, p := range r.Alternative.Body {
				e.Alternative[p.Name] = p.Value
			}
		}
		got.Requests = append(got.Requests, e)
	}
	return got, b, results
}

// TestTheLegacyCorpusMigratesAsExpected: every shape real legacy clients
// and browsers produce parses, and rewrites to the expected request with
// the expected findings.
func TestTheLegacyCorpusMigratesAsExpected(t *testing.T) {
	t.Parallel()
	expPath := filepath.Join("testdata", "corpus", "expected.json")
	want := map[string]corpusCase{}
	if b, err := os.ReadFile(expPath); err == nil {
		if err := json.Unmarshal(b, &want); err != nil {
			t.Fatal(err)
		}
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "corpus", "*"))
	got := map[string]corpusCase{}
	for _, f := range files {
		name := filepath.Base(f)
		if name == "expected.json" || name == "README.md" {
			continue
		}
		got[name], _, _ = corpusActual(t, f)
	}
	if *update {
		b, _ := json.MarshalIndent(got, "", "  ")
		os.WriteFile(expPath, append(b, '\n'), 0o644)
		return
	}
	for name, g := range got {
		w, ok := want[name]
		if !ok {
			t.Errorf("%s has no expectation in expected.json (go test ./migrate -run Corpus -update, then review it)", name)
			continue
		}
		if !reflect.DeepEqual(g, w) {
			gb, _ := json.MarshalIndent(g, "", "  ")
			wb, _ := json.MarshalIndent(w, "", "  ")
			t.Errorf("%s:\ngot  %s\nwant %s", name, gb, wb)
		}
	}
	for name := range want {
		if _, ok := got[name]; !ok {
			t.Errorf("expected.json names %s, which is not in the corpus", name)
		}
	}
	if len(got) < 20 {
		t.Fatalf("the corpus has %d files", len(got))
	}
}

// The secrets in the corpus never reach a masked rendering.
func TestCorpusRenderingsMaskEverySecret(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob(filepath.Join("testdata", "corpus", "*"))
	for _, f := range files {
		if strings.HasSuffix(f, ".json") && filepath.Base(f) == "expected.json" || strings.HasSuffix(f, ".md") {
			continue
		}
		_, _, results := corpusActual(t, f)
		for _, r := range results {
			for _, req := range []*Request{r.Request, r.Alternative} {
				if req == nil {
					continue
				}
				for _, format := range Formats {
					text, err := Render(req, format, false)
					if err != nil {
						t.Fatalf("%s %s: %v", f, format, err)
					}
					// The ID token is a secret too once it is a token exchange's subject_token.
					for _, secret := range []string{"v1.MRrT3gL0b_Zqk9Xc2rA4nW7yP", "correct-horse", "DEMO_WEB_SECRET", "DEMO_BACKEND_SECRET", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhdXRoMHwxMjMifQ.c2ln"} {
						if strings.Contains(text, secret) {
							t.Errorf("%s rendered as %s shows %s", filepath.Base(f), format, secret)
						}
					}
				}
			}
		}
	}
}
