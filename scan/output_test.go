package scan

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// hostileName holds ESC[2J (clears a terminal), U+202E (reverses what
// follows), a newline (forges a report line), a byte that is not UTF-8
// and the characters a URI gives a meaning to.
const hostileName = "a b%20#x?\x1b[2J\u202e\nsj.\xff.js"

// hostileTree is a tree whose file names and lines attack a terminal and
// a URI.
func hostileTree(t *testing.T) string {
	t.Helper()
	root := writeTree(t, map[string]string{
		"ok/plain.js":     legacyJS,
		"ok/tab\tbell.js": "\x1b[31m\u200bfetch('https://acme.auth0.com/tokeninfo');\n",
	})
	if err := os.WriteFile(filepath.Join(root, hostileName), []byte("// auth0 \x1b]52;c;ZXZpbA==\x07\u202e\n"+legacyJS), 0o644); err != nil {
		t.Skipf("this file system refuses the name %q: %v", hostileName, err)
	}
	return root
}

// TestTheTextReportShowsHostileNamesAndLinesEscaped: no control, BiDi or
// zero-width character from a scanned file reaches the terminal; each is
// shown as an escape, and the caret still points at the call.
func TestTheTextReportShowsHostileNamesAndLinesEscaped(t *testing.T) {
	t.Parallel()
	r, err := Run(context.Background(), []string{hostileTree(t)}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := r.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for i, c := range out {
		if c < 0x20 && c != '\n' || c == 0x7f || c == 0x202e || c == 0x200b || c == utf8.RuneError {
			t.Fatalf("character %U at %d reaches the terminal:\n%s", c, i, out)
		}
	}
	for _, want := range []string{
		`a b%20#x?\x1b[2J\u202e\x0asj.\xff.js` + "\n  2:7  error  /delegation",
		"ok/tab\\x09bell.js\n  1:13  error  /tokeninfo",
		"    \\x1b[31m\\u200bfetch('https://acme.auth0.com/tokeninfo');\n    " + strings.Repeat(" ", 20) + "^\n",
	} {
		if !strings.Contains(out, want) {
			t.Fatalf("the report lacks %q:\n%s", want, out)
		}
	}
}

// TestANameThatIsNotUTF8RoundTripsThroughJSONAndSARIF: --json keeps the
// name's bytes in file_bytes (and a line's in source_bytes); SARIF's uri
// percent-decodes to them.
func TestANameThatIsNotUTF8RoundTripsThroughJSONAndSARIF(t *testing.T) {
	t.Parallel()
	r, err := Run(context.Background(), []string{hostileTree(t)}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var js bytes.Buffer
	if err := r.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Findings []struct {
			File        string `json:"file"`
			FileBytes   string `json:"file_bytes"`
			SourceBytes []byte `json:"source_bytes"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	name, _ := base64.StdEncoding.DecodeString(doc.Findings[0].FileBytes)
	if string(name) != hostileName || doc.Findings[1].FileBytes != "" {
		t.Fatalf("file_bytes %q (%q), then %q", name, doc.Findings[0].File, doc.Findings[1].FileBytes)
	}
	r.Findings[0].Source = "fetch('https://acme.auth0.com/delegation') // caf\xe9"
	js.Reset()
	if err := r.WriteJSON(&js); err != nil || json.Unmarshal(js.Bytes(), &doc) != nil || string(doc.Findings[0].SourceBytes) != r.Findings[0].Source || doc.Findings[1].SourceBytes != nil {
		t.Fatalf("source_bytes %q, %v", doc.Findings[0].SourceBytes, err)
	}
	var sb bytes.Buffer
	if err := r.WriteSARIF(&sb, "1.0.0"); err != nil {
		t.Fatal(err)
	}
	uris := sarifURIs(t, sb.Bytes())
	if uris[0] != "a%20b%2520%23x%3F%1B%5B2J%E2%80%AE%0Asj.%FF.js" {
		t.Fatalf("uri %q", uris[0])
	}
	if got, err := url.PathUnescape(uris[0]); err != nil || got != hostileName {
		t.Fatalf("the uri decodes to %q, %v", got, err)
	}
}

type sarifDoc struct {
	Runs []struct {
		OriginalURIBaseIDs map[string]struct {
			URI       string `json:"uri"`
			URIBaseID string `json:"uriBaseId"`
		} `json:"originalUriBaseIds"`
		Results []struct {
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI       string `json:"uri"`
						URIBaseID string `json:"uriBaseId"`
					} `json:"artifactLocation"`
				} `json:"physicalLocation"`
			} `json:"locations"`
		} `json:"results"`
	} `json:"runs"`
}

func sarifURIs(t *testing.T, b []byte) []string {
	t.Helper()
	var d sarifDoc
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range d.Runs[0].Results {
		l := r.Locations[0].PhysicalLocation.ArtifactLocation
		out = append(out, l.URI)
	}
	return out
}

// TestSeveralRootsEachHaveAnOriginalURIBase: each finding's uri is
// relative to its own root's base, defined once in originalUriBaseIds (a
// root below the working folder relative to %SRCROOT%, another by its
// absolute file URI); no absolute path is under %SRCROOT%.
func TestSeveralRootsEachHaveAnOriginalURIBase(t *testing.T) {
	t.Parallel()
	abs := writeTree(t, map[string]string{"src/app.js": legacyJS})
	rel := filepath.Join("testdata", "corpus", "scripts")
	r, err := Run(context.Background(), []string{abs, rel}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var sb bytes.Buffer
	if err := r.WriteSARIF(&sb, "1.0.0"); err != nil {
		t.Fatal(err)
	}
	var d sarifDoc
	if err := json.Unmarshal(sb.Bytes(), &d); err != nil {
		t.Fatal(err)
	}
	run := d.Runs[0]
	b1, b2 := run.OriginalURIBaseIDs["ROOT1"], run.OriginalURIBaseIDs["ROOT2"]
	if len(run.OriginalURIBaseIDs) != 2 || b1.URI != "file://"+URIPath(filepath.ToSlash(abs))+"/" || b1.URIBaseID != "" || b2.URI != "testdata/corpus/scripts/" || b2.URIBaseID != "%SRCROOT%" {
		t.Fatalf("originalUriBaseIds %+v", run.OriginalURIBaseIDs)
	}
	bases := map[string]int{}
	for _, res := range run.Results {
		l := res.Locations[0].PhysicalLocation.ArtifactLocation
		bases[l.URIBaseID]++
		if strings.HasPrefix(l.URI, "/") || strings.Contains(l.URI, ":") || strings.HasPrefix(l.URI, "testdata") {
			t.Errorf("uri %q under %s", l.URI, l.URIBaseID)
		}
		if l.URIBaseID == "ROOT1" && l.URI != "src/app.js" {
			t.Errorf("uri %q under ROOT1", l.URI)
		}
	}
	if bases["ROOT1"] != 1 || bases["ROOT2"] < 2 || bases["%SRCROOT%"] != 0 {
		t.Fatalf("results by base %v", bases)
	}
}

// TestSARIFIsValidAgainstTheSARIF210Schema validates logs (the corpus,
// hostile names, several roots, an empty scan) with the SARIF 2.1.0 JSON
// schema (rtm.5, as Microsoft's @microsoft/jest-sarif ships it, MIT; `make
// test` installs it from npm into a cache outside the tree and names it in
// TOKENSCOPE_SARIF_SCHEMA), formats asserted; a log the schema forbids
// fails, so the check is real.
func TestSARIFIsValidAgainstTheSARIF210Schema(t *testing.T) {
	t.Parallel()
	path := os.Getenv("TOKENSCOPE_SARIF_SCHEMA")
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("CI must validate SARIF against its schema: run make test (it installs the schema and sets TOKENSCOPE_SARIF_SCHEMA)")
		}
		t.Skip("TOKENSCOPE_SARIF_SCHEMA is not set: make test installs the SARIF 2.1.0 schema from npm and sets it")
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	schemaDoc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	const id = "https://raw.githubusercontent.com/schemastore/schemastore/master/src/schemas/json/sarif-2.1.0-rtm.5.json"
	if err := c.AddResource(id, schemaDoc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile(id)
	if err != nil {
		t.Fatal(err)
	}
	validate := func(b []byte) error {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			return err
		}
		return schema.Validate(doc)
	}
	abs := writeTree(t, map[string]string{"src/app.js": legacyJS, "bin.js": "\x00", "gen.js": "import Auth0 from 'auth0-js';\nconst a0 = new Auth0({});\n" + strings.Repeat("a0.refreshToken(rt, cb);\n", 1001)})
	os.Symlink("/dev/urandom", filepath.Join(abs, ".gitignore"))
	for _, roots := range [][]string{{filepath.Join("testdata", "corpus")}, {hostileTree(t)}, {abs}, {abs, filepath.Join("testdata", "corpus", "web-v7"), filepath.Join(abs, "src", "app.js")}} {
		r, err := Run(context.Background(), roots, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := r.WriteSARIF(&b, "1.2.3"); err != nil {
			t.Fatal(err)
		}
		if err := validate(b.Bytes()); err != nil {
			t.Fatalf("%v: %v", roots, err)
		}
		if roots[0] == abs && (!strings.Contains(b.String(), `"text": "Not read: binary (a NUL byte in its first 8 KB)."`) ||
			!strings.Contains(b.String(), `"text": "Only the first 1000 /delegation findings (legacy_delegation_call) are listed; 1 more is not."`)) {
			t.Fatalf("the notifications do not say what was not read:\n%s", b.String())
		}
	}
	var b bytes.Buffer
	if err := (&Report{}).WriteSARIF(&b, "1.2.3"); err != nil || validate(b.Bytes()) != nil {
		t.Fatalf("an empty scan: %v, %v", err, validate(b.Bytes()))
	}
	bad := bytes.Replace(b.Bytes(), []byte(`"results": []`), []byte(`"results": [{"level": "fatal"}]`), 1)
	if err := validate(bad); err == nil {
		t.Fatal("the schema accepted a result with level fatal and no message")
	}
}

// TestTheTextReportSaysWhatWasNotRead: a count, the reason, the first
// three paths of each reason and how many more; the summary says it too.
func TestTheTextReportSaysWhatWasNotRead(t *testing.T) {
	t.Parallel()
	files := map[string]string{"a.js": legacyJS, "sub/.gitignore": "x\n"}
	for _, n := range []string{"b0.js", "b1.js", "b2.js", "b3.js", "b4.js"} {
		files["bin/"+n] = "\x00" + legacyJS
	}
	root := writeTree(t, files)
	os.Remove(filepath.Join(root, "sub", ".gitignore"))
	if err := os.Symlink("/dev/urandom", filepath.Join(root, "sub", ".gitignore")); err != nil {
		t.Fatal(err)
	}
	r, err := Run(context.Background(), []string{root}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := r.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	want := "\nNot read: 5 files (--json lists every one under not_read)\n" +
		".gitignore not applied: sub/.gitignore (a symbolic link, not followed: its patterns were not applied)\n" +
		"  5 binary (a NUL byte in its first 8 KB): bin/b0.js, bin/b1.js, bin/b2.js, and 2 more\n" +
		"\n1 finding and 0 legacy SDK pins (1 error) in 1 file (64 bytes): /delegation 1. 5 files were not read and 1 .gitignore was not applied.\n"
	if !strings.HasSuffix(buf.String(), want) {
		t.Fatalf("text report:\n%s\nwant it to end with:\n%s", buf.String(), want)
	}
}

// TestTheTextReportSaysWhereACapDroppedFindings.
func TestTheTextReportSaysWhereACapDroppedFindings(t *testing.T) {
	t.Parallel()
	src := "import Auth0 from 'auth0-js';\nconst a0 = new Auth0({});\n" + strings.Repeat("a0.refreshToken(rt, cb);\n", 1200)
	r, err := Run(context.Background(), []string{writeTree(t, map[string]string{"gen\u202e.js": src})}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	r.WriteText(&buf)
	if want := "\ngen\\u202e.js: only the first 1000 /delegation findings are listed (legacy_delegation_call); 200 more are not.\n"; !strings.Contains(buf.String(), want) {
		t.Fatalf("the report does not say %q:\n%s", want, buf.String()[max(0, buf.Len()-600):])
	}
}
