package demotenant

import (
	"math"
	"net/http"
	"strconv"
	"time"
)

// Rate is one of Auth0's rate-limit buckets: up to Burst requests at once,
// refilled at PerMinute ("each bucket defines the request limit and rate
// limit window ... for each 60/y seconds, one additional request is added
// to the bucket", https://auth0.com/docs/support/policies/rate-limit-policy/authentication-api-endpoint-rate-limits).
type Rate struct {
	Burst     int
	PerMinute float64
}

// Auth0's documented limits for the endpoints the demo serves (same page):
// /delegation by user ID and IP address, 1 a minute with bursts up to 10;
// /userinfo by user ID, 5 a minute with bursts up to 10.
var (
	DelegationRate = Rate{Burst: 10, PerMinute: 1}
	UserinfoRate   = Rate{Burst: 10, PerMinute: 5}
)

type bucket struct {
	tokens           float64
	at               time.Time
	burst, perSecond float64 // its Rate, so a sweep can tell when it is full again
}

// limit takes one request from the bucket named key and sets Auth0's
// X-RateLimit-Limit, -Remaining and -Reset (UTC epoch seconds) on every
// answer. Past the limit it answers 429 too_many_requests with Retry-After.
func (t *Tenant) limit(w http.ResponseWriter, key string, r Rate) *apiError {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.cfg.Now()
	b := t.buckets[key]
	if b == nil {
		b = &bucket{tokens: float64(r.Burst), at: now, burst: float64(r.Burst), perSecond: r.PerMinute / 60}
		t.buckets[key] = b
	}
	perSecond := r.PerMinute / 60
	b.tokens = math.Min(float64(r.Burst), b.tokens+now.Sub(b.at).Seconds()*perSecond)
	b.at = now
	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(r.Burst))
	if b.tokens < 1 {
		wait := time.Duration((1 - b.tokens) / perSecond * float64(time.Second))
		h.Set("X-RateLimit-Remaining", "0")
		h.Set("X-RateLimit-Reset", strconv.FormatInt(now.Add(wait).Unix(), 10))
		h.Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		t.logOnceAMinuteLocked("limit|"+key, now, "rate limit %s reached (%d at once, %g a minute): answering 429 too_many_requests", key, r.Burst, r.PerMinute)
		return errorf(429, "too_many_requests", "Global limit has been reached")
	}
	b.tokens--
	full := time.Duration((float64(r.Burst) - b.tokens) / perSecond * float64(time.Second))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(int(b.tokens)))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(now.Add(full).Unix(), 10))
	return nil
}
