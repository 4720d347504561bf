package discovery

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/tokenscope/tokenscope/internal/httpx"
)

func TestKeySetCachesByKidRefetchesOnAMissAndCollapsesConcurrentFetches(t *testing.T) {
	t.Parallel()
	k1, _ := rsa.GenerateKey(rand.Reader, 2048)
	k2, _ := rsa.GenerateKey(rand.Reader, 2048)
	var fetches atomic.Int32
	var rotated atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fetches.Add(1)
		time.Sleep(50 * time.Millisecond) // long enough for concurrent callers to pile up
		keys := []jose.JSONWebKey{{Key: &k1.PublicKey, KeyID: "one"}}
		if rotated.Load() {
			keys = append(keys, jose.JSONWebKey{Key: &k2.PublicKey, KeyID: "two"})
		}
		json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: keys})
	}))
	defer srv.Close()
	ks := NewKeySet(httpx.NewClient(time.Second), srv.URL)
	ks.MinRefresh = 0

	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if keys, err := ks.Keys(context.Background(), "one"); err != nil || len(keys) != 1 {
				t.Errorf("keys %v err %v", keys, err)
			}
		}()
	}
	wg.Wait()
	if n := fetches.Load(); n != 1 {
		t.Fatalf("10 concurrent lookups made %d fetches, want 1", n)
	}
	if _, err := ks.Keys(context.Background(), "one"); err != nil || fetches.Load() != 1 {
		t.Fatalf("a known kid must come from the cache (fetches %d)", fetches.Load())
	}
	rotated.Store(true)
	keys, err := ks.Keys(context.Background(), "two")
	if err != nil || len(keys) != 1 || keys[0].KeyID != "two" || fetches.Load() != 2 {
		t.Fatalf("an unknown kid must refetch once: keys %v, fetches %d, err %v", keys, fetches.Load(), err)
	}
}

func TestDiscoverRefusesAMismatchedIssuerAndPlainHTTPElsewhere(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]string{"issuer": "https://evil.example.com/", "token_endpoint": "x", "jwks_uri": "y"})
	}))
	defer srv.Close()
	_, err := Discover(context.Background(), httpx.NewClient(time.Second), srv.URL+"/")
	if err == nil || !strings.Contains(err.Error(), "names issuer") {
		t.Fatalf("err = %v", err)
	}
	_, err = Discover(context.Background(), httpx.NewClient(time.Second), "http://tenant.example.com/")
	if err == nil || !strings.Contains(err.Error(), "plain http") {
		t.Fatalf("err = %v", err)
	}
}

func TestIssuerURLFromAnAuth0Domain(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"tenant.eu.auth0.com":           "https://tenant.eu.auth0.com/",
		"https://tenant.eu.auth0.com":   "https://tenant.eu.auth0.com/",
		"https://tenant.eu.auth0.com/":  "https://tenant.eu.auth0.com/",
		"https://idp.example.com/realm": "https://idp.example.com/realm",
	} {
		if got := IssuerURL(in); got != want {
			t.Errorf("IssuerURL(%q) = %q, want %q", in, got, want)
		}
	}
}
