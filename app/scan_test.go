package app

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tokenscope/tokenscope/scan"
)

var corpus = filepath.Join("..", "scan", "testdata", "corpus")

// TestScanExitCodes: 0 when nothing at warning or above is found (a
// comment is info), 1 when something is, 2 for usage errors and an
// unreadable path — each with one sentence on stderr.
func TestScanExitCodes(t *testing.T) {
	t.Parallel()
	clean := t.TempDir()
	os.WriteFile(filepath.Join(clean, "app.js"), []byte("// auth0: we used https://acme.auth0.com/delegation until 2019\nexport const x = 1;\n"), 0o644)
	code, out, _ := run(t, "", nil, "scan", clean)
	if code != ExitOK || !strings.Contains(out, "1:19  info  /delegation  comment  [legacy_endpoint_mention]") || !strings.HasSuffix(out, "1 finding and 0 legacy SDK pins (1 info) in 1 file (83 bytes): /delegation 1.\n") {
		t.Fatalf("info only: exit %d\n%s", code, out)
	}
	code, out, _ = run(t, "", nil, "scan", corpus)
	if code != ExitNegative || !strings.Contains(out, "45 findings and 11 legacy SDK pins (42 errors, 13 warnings, 1 info)") {
		t.Fatalf("corpus: exit %d\n%s", code, out)
	}
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"scan", filepath.Join(clean, "missing")}, "tokenscope scan: cannot scan " + filepath.Join(clean, "missing") + ": no such file or directory\n"},
		{[]string{"scan", "--json", "--sarif", clean}, "tokenscope scan: --json and --sarif cannot be given together: choose one\n"},
		{[]string{"scan", "--exclude", "[", clean}, "tokenscope scan: the exclude glob \"[\" is not valid: use *, ** and {a,b} as in .gitignore\n"},
	} {
		code, out, errOut := run(t, "", nil, c.args...)
		if code != ExitUsage || out != "" || errOut != c.msg {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", c.args, code, out, errOut)
		}
	}
}

// TestScanJSONAndSARIFAreMachineReadable, with --exclude and
// --include-vendor reaching the walk.
func TestScanJSONAndSARIFAreMachineReadable(t *testing.T) {
	t.Parallel()
	code, out, _ := run(t, "", nil, "scan", "--json", "--exclude", "web-v7/**", "--include-vendor", corpus)
	var doc struct {
		Findings []struct{ File, Code string } `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || code != ExitNegative {
		t.Fatalf("exit %d, %v:\n%s", code, err, out)
	}
	for _, f := range doc.Findings {
		if strings.HasPrefix(f.File, "web-v7/") {
			t.Fatalf("--exclude web-v7/** still reported %s", f.File)
		}
	}
	code, out, _ = run(t, "", nil, "scan", "--json", "--include-vendor", filepath.Join(corpus, "web-v7"))
	if code != ExitNegative || !strings.Contains(out, `"file": "node_modules/auth0-js/index.js"`) {
		t.Fatalf("--include-vendor: exit %d\n%s", code, out)
	}
	code, out, _ = run(t, "", nil, "scan", "--sarif", corpus)
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Results []any `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil || code != ExitNegative || log.Version != "2.1.0" || len(log.Runs[0].Results) != 56 {
		t.Fatalf("sarif: exit %d, %v, %+v", code, err, log)
	}
}

// TestScanStopsWithinASecondOfCtrlCOrSIGTERMWhateverItIsReading: with a
// scan that ignores its cancellation (as a read blocked in the kernel
// does), Ctrl+C or SIGTERM still ends the command within a second, exit 2,
// one sentence, no report.
func TestScanStopsWithinASecondOfCtrlCOrSIGTERMWhateverItIsReading(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	started := make(chan struct{}, 2)
	deaf := func(ctx context.Context, roots []string, o scan.Options) (*scan.Report, error) {
		started <- struct{}{}
		<-release // deaf to ctx
		return nil, ctx.Err()
	}
	for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM} {
		signals := make(chan os.Signal, 1)
		var out, errb bytes.Buffer
		e := Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }, Signals: signals, Scan: deaf}
		done := make(chan int, 1)
		go func() { done <- RunCommand(e, []string{"scan", t.TempDir()}) }()
		<-started
		at := time.Now()
		signals <- sig
		select {
		case code := <-done:
			if took := time.Since(at); code != ExitUsage || took > time.Second || out.Len() != 0 || errb.String() != "tokenscope scan: interrupted; nothing was reported\n" {
				t.Fatalf("%v: exit %d after %v, stdout %q, stderr %q", sig, code, took, out.String(), errb.String())
			}
		case <-time.After(3 * time.Second):
			t.Fatalf("%v: the scan was still running 3 s after the signal", sig)
		}
	}
}
