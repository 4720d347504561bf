package migrate

import (
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"testing"
)

func BenchmarkRewriteOneJSONRequest(b *testing.B) {
	in := []byte(legacyJSON)
	b.ReportAllocs()
	for b.Loop() {
		batch, err := Parse(in)
		if err != nil {
			b.Fatal(err)
		}
		if r := Rewrite(batch.Requests[0], Options{Domain: "tenant.auth0.com"}); !r.Migratable {
			b.Fatal(r.Findings)
		}
	}
}

// harOf builds a HAR with n entries, every fourth a /delegation call.
func harOf(n int) []byte {
	type kv struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	}
	entries := make([]map[string]any, n)
	for i := range entries {
		url := fmt.Sprintf("https://tenant.auth0.com/api/v2/users/%d", i)
		req := map[string]any{"method": "GET", "url": url, "headers": []kv{{"Accept", "application/json"}, {"User-Agent", "Mozilla/5.0 (X11; Linux x86_64)"}}}
		if i%4 == 0 {
			req["method"] = "POST"
			req["url"] = "https://tenant.auth0.com/delegation"
			req["postData"] = map[string]any{"mimeType": "application/json", "text": legacyJSON}
		}
		entries[i] = map[string]any{"startedDateTime": "2026-11-26T12:00:00Z", "time": 42, "request": req,
			"response": map[string]any{"status": 200, "content": map[string]any{"size": 512, "mimeType": "application/json", "text": `{"ok":true,"padding":"` + fmt.Sprintf("%0400d", i) + `"}`}}}
	}
	b, _ := json.Marshal(map[string]any{"log": map[string]any{"version": "1.2", "creator": map[string]string{"name": "bench"}, "entries": entries}})
	return b
}

func BenchmarkParseAndRewrite10kEntryHAR(b *testing.B) {
	har := harOf(10000)
	b.SetBytes(int64(len(har)))
	b.ReportAllocs()
	var peak uint64
	for b.Loop() {
		batch, err := Parse(har)
		if err != nil {
			b.Fatal(err)
		}
		if rs := RewriteAll(batch, Options{}); len(rs) != 2500 {
			b.Fatalf("%d results", len(rs))
		}
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		peak = max(peak, m.HeapInuse)
	}
	b.ReportMetric(float64(len(har))/(1<<20), "MB-input")
	b.ReportMetric(float64(peak)/(1<<20), "MB-heap-peak")
}

// BenchmarkParseOneLineArray: one-line JSON arrays of legacy calls at two
// sizes; ns/op per MB should be the same for both (it was quadratic).
func BenchmarkParseOneLineArray(b *testing.B) {
	item := `{"grant_type":"urn:ietf:params:oauth:grant-type:jwt-bearer","client_id":"abc","refresh_token":"` + strings.Repeat("x", 40) + `","scope":"openid","api_type":"app"},`
	for _, n := range []int{5000, 20000} {
		in := []byte("[" + strings.TrimSuffix(strings.Repeat(item, n), ",") + "]")
		b.Run(fmt.Sprintf("%dKB", len(in)>>10), func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				if _, err := Parse(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkFloorUnmarshal10kEntryHAR is the floor of the HAR benchmark:
// encoding/json reading the same file into generic values, nothing else.
func BenchmarkFloorUnmarshal10kEntryHAR(b *testing.B) {
	har := harOf(10000)
	b.SetBytes(int64(len(har)))
	b.ReportAllocs()
	for b.Loop() {
		var v any
		if err := json.Unmarshal(har, &v); err != nil {
			b.Fatal(err)
		}
	}
}
