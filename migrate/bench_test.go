package migrate

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
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

// har50MB writes a HAR like the (about 12,000 entries, 50 MB, one
// in ten a legacy call) to a file, as a browser would have saved it.
func har50MB(b *testing.B) string {
	b.Helper()
	type kv struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	}
	pad := strings.Repeat("x", 3900)
	path := filepath.Join(b.TempDir(), "session.har")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	w.WriteString(`{"log":{"version":"1.2","creator":{"name":"bench"},"entries":[`)
	for i := range 12000 {
		req := map[string]any{"method": "GET", "url": fmt.Sprintf("https://tenant.auth0.com/api/v2/users/%d", i), "headers": []kv{{"Accept", "application/json"}, {"User-Agent", "Mozilla/5.0 (X11; Linux x86_64)"}}}
		if i%10 == 0 {
			req["method"] = "POST"
			req["url"] = "https://tenant.auth0.com/delegation"
			req["postData"] = map[string]any{"mimeType": "application/json", "text": legacyJSON}
		}
		e, _ := json.Marshal(map[string]any{"startedDateTime": "2026-11-26T12:00:00Z", "time": 42, "request": req,
			"response": map[string]any{"status": 200, "content": map[string]any{"size": len(pad), "mimeType": "text/plain", "text": pad}}})
		if i > 0 {
			w.WriteByte(',')
		}
		w.Write(e)
	}
	w.WriteString(`]}}`)
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	return path
}

// peakHeap samples the heap in use while fn runs, above where it started.
func peakHeap(fn func()) uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	base, peak := m.HeapInuse, m.HeapInuse
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				peak = max(peak, m.HeapInuse)
			}
		}
	}()
	fn()
	close(stop)
	<-done
	return peak - base
}

// bench50MB runs read on the 50 MB HAR's path and reports its heap peak.
func bench50MB(b *testing.B, read func(path string)) {
	path := har50MB(b)
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	var peak uint64
	for b.Loop() {
		peak = max(peak, peakHeap(func() { read(path) }))
	}
	b.ReportMetric(float64(st.Size())/(1<<20), "MB-input")
	b.ReportMetric(float64(peak)/(1<<20), "MB-heap-peak")
}

func BenchmarkParseReader50MBHAR(b *testing.B) {
	bench50MB(b, func(path string) {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		batch, err := ParseReader(f)
		if err != nil {
			b.Fatal(err)
		}
		if len(batch.Requests) != 1200 {
			b.Fatalf("%d requests, want 1200", len(batch.Requests))
		}
	})
}

// BenchmarkFloorUnmarshal50MBHAR: the same file read whole and decoded by
// encoding/json into generic values.
func BenchmarkFloorUnmarshal50MBHAR(b *testing.B) {
	bench50MB(b, func(path string) {
		data, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			b.Fatal(err)
		}
	})
}
