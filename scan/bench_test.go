package scan

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// benchTreeMB is the generated tree's size: 300 MB as the issue measures,
// or TOKENSCOPE_SCAN_BENCH_MB.
func benchTreeMB() int {
	if n, err := strconv.Atoi(os.Getenv("TOKENSCOPE_SCAN_BENCH_MB")); err == nil && n > 0 {
		return n
	}
	return 300
}

var (
	benchOnce sync.Once
	benchDir  string
	benchErr  error
)

// benchFiles are the kinds of file a large monorepo holds; one in a
// hundred also calls a legacy endpoint.
var benchFiles = []struct{ ext, body, legacy string }{
	{".ts", "export function handler%d(req: Request, res: Response) {\n  const user = await db.users.findOne({ id: req.params.id, tenant: req.tenant });\n  if (!user) { return res.status(404).json({ error: 'not found' }); }\n  return res.json({ id: user.id, name: user.name, roles: user.roles.map((r) => r.name) });\n}\n",
		"import Auth0 from 'auth0-js';\nconst a0 = new Auth0({ domain: 'acme.auth0.com', clientID: 'x' });\na0.getDelegationToken({ id_token: t, api: 'firebase' }, cb);\n"},
	{".java", "public final class Service%d {\n    private final Repository repository;\n    public List<Order> ordersFor(String customerId) {\n        return repository.findByCustomer(customerId).stream().filter(Order::isOpen).collect(Collectors.toList());\n    }\n}\n",
		"import com.auth0.android.authentication.AuthenticationAPIClient;\nclass L { void f(AuthenticationAPIClient c) { c.delegationWithRefreshToken(rt).start(null); } }\n"},
	{".py", "def compute_%d(rows, *, limit=100):\n    totals = {}\n    for row in rows[:limit]:\n        totals[row.key] = totals.get(row.key, 0) + row.value * row.weight\n    return sorted(totals.items(), key=lambda kv: kv[1], reverse=True)\n\n",
		"import requests\nrequests.post('https://acme.auth0.com/oauth/ro', data={'username': u, 'password': p})\n"},
	{".go", "func process%d(ctx context.Context, in <-chan Event) error {\n\tfor ev := range in {\n\t\tif err := store.Save(ctx, ev.ID, ev.Payload); err != nil {\n\t\t\treturn fmt.Errorf(\"saving %%s: %%w\", ev.ID, err)\n\t\t}\n\t}\n\treturn nil\n}\n",
		"var tokeninfo = \"https://acme.auth0.com/tokeninfo\"\n"},
}

// generateBenchTree writes the tree once per process into a temporary
// directory (removed by TestMain).
func generateBenchTree() (string, error) {
	benchOnce.Do(func() {
		benchDir, benchErr = os.MkdirTemp("", "tokenscope-scan-bench-")
		if benchErr != nil {
			return
		}
		target := int64(benchTreeMB()) << 20
		var written int64
		for i := 0; written < target; i++ {
			kind := benchFiles[i%len(benchFiles)]
			var b strings.Builder
			for j := 0; b.Len() < 20<<10; j++ {
				fmt.Fprintf(&b, kind.body, j)
			}
			if i%100 == 7 {
				b.WriteString(kind.legacy)
			}
			dir := filepath.Join(benchDir, fmt.Sprintf("pkg%03d", i/25), fmt.Sprintf("mod%d", i%5))
			if benchErr = os.MkdirAll(dir, 0o755); benchErr != nil {
				return
			}
			if benchErr = os.WriteFile(filepath.Join(dir, fmt.Sprintf("file%d%s", i, kind.ext)), []byte(b.String()), 0o644); benchErr != nil {
				return
			}
			written += int64(b.Len())
		}
	})
	return benchDir, benchErr
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

// BenchmarkScanLargeTree scans the generated tree (files read once, the
// byte-level prefilter first, one worker per CPU).
func BenchmarkScanLargeTree(b *testing.B) {
	dir, err := generateBenchTree()
	if err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	var peak atomic.Uint64
	stop := make(chan struct{})
	go func() { // the heap's high-water mark, sampled
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
				runtime.ReadMemStats(&ms)
				if ms.HeapInuse > peak.Load() {
					peak.Store(ms.HeapInuse)
				}
			}
		}
	}()
	var r *Report
	for b.Loop() {
		if r, err = Run(context.Background(), []string{dir}, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	close(stop)
	b.SetBytes(r.Summary.Bytes)
	b.ReportMetric(float64(len(r.Findings)), "findings")
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
}

// BenchmarkRipgrepSameTree is the floor: ripgrep searching the same tree
// for the endpoint names (make bench installs it; skipped without it).
func BenchmarkRipgrepSameTree(b *testing.B) {
	rg, err := exec.LookPath("rg")
	if err != nil {
		b.Skip("ripgrep is not installed (make bench installs it)")
	}
	dir, err := generateBenchTree()
	if err != nil {
		b.Fatal(err)
	}
	args := []string{"-F", "-c"}
	for _, ep := range Endpoints {
		args = append(args, "-e", ep)
	}
	args = append(args, dir)
	for b.Loop() {
		out, err := exec.Command(rg, args...).Output()
		if err != nil || len(out) == 0 {
			b.Fatalf("rg: %v", err)
		}
	}
}

// writeMonorepo writes a generated monorepo of n apps under dir: in each,
// a module that exports an Auth0 client, one that imports it (and names
// no SDK), and ten ordinary JavaScript files, as the issue measures.
func writeMonorepo(dir string, n int) error {
	for a := 0; a < n; a++ {
		app := filepath.Join(dir, "apps", fmt.Sprintf("app%03d", a))
		files := map[string]string{
			"lib/auth0.js": "const auth0 = require('auth0-js');\nmodule.exports = new auth0.WebAuth({ domain: 'acme.auth0.com', clientID: 'x' });\n",
			"src/renew.js": "const webAuth = require('../lib/auth0');\nexport function renew(idToken, cb) {\n  webAuth.client.delegation({ id_token: idToken, api_type: 'app' }, cb);\n}\n",
		}
		for k := 0; k < 10; k++ {
			var b strings.Builder
			if k > 0 {
				fmt.Fprintf(&b, "import { helper%d } from './util%d';\n", k-1, k-1)
			}
			for j := 0; j < 40; j++ {
				fmt.Fprintf(&b, "export function helper%d_%d(rows) {\n  return rows.filter((r) => r.active).map((r) => ({ id: r.id, total: r.qty * r.price }));\n}\n", k, j)
			}
			fmt.Fprintf(&b, "export const helper%d = helper%d_0;\n", k, k)
			files[fmt.Sprintf("src/util%d.js", k)] = b.String()
		}
		for name, body := range files {
			p := filepath.Join(app, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}

// BenchmarkScanMonorepo follows 100, 200 and 400 apps' Auth0 clients from
// the module that exports each into the one that imports it: the time per
// app must stay flat (cross-module resolution is O(files + imports)).
func BenchmarkScanMonorepo(b *testing.B) {
	for _, n := range []int{100, 200, 400} {
		b.Run(fmt.Sprintf("apps=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			if err := writeMonorepo(dir, n); err != nil {
				b.Fatal(err)
			}
			var r *Report
			var err error
			for b.Loop() {
				if r, err = Run(context.Background(), []string{dir}, Options{}); err != nil {
					b.Fatal(err)
				}
			}
			if len(r.Findings) != n {
				b.Fatalf("%d findings for %d apps", len(r.Findings), n)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/app")
		})
	}
}

// BenchmarkRipgrepMonorepo is the floor for the 400-app monorepo: ripgrep
// searching it for the words the scanner starts from (skipped without rg).
func BenchmarkRipgrepMonorepo(b *testing.B) {
	rg, err := exec.LookPath("rg")
	if err != nil {
		b.Skip("ripgrep is not installed (make bench installs it)")
	}
	dir := b.TempDir()
	if err := writeMonorepo(dir, 400); err != nil {
		b.Fatal(err)
	}
	args := []string{"-F", "-c", "-i", "-e", "auth0", "-e", "./"}
	for _, ep := range Endpoints {
		args = append(args, "-e", ep)
	}
	args = append(args, dir)
	for b.Loop() {
		if out, err := exec.Command(rg, args...).Output(); err != nil || len(out) == 0 {
			b.Fatalf("rg: %v", err)
		}
	}
}
