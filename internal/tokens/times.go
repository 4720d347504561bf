package tokens

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/tokenscope/tokenscope/internal/finding"
)

// TimeClaims are the claims whose value is a NumericDate (seconds since
// 1970 UTC): RFC 7519's exp, nbf, iat and OpenID Connect's auth_time and
// updated_at.
var TimeClaims = []string{"exp", "nbf", "iat", "auth_time", "updated_at"}

// maxNumericDate is 9999-12-31T23:59:59Z; later dates cannot be shown.
const maxNumericDate = 253402300799

// IsTimeClaim reports whether name holds a NumericDate.
func IsTimeClaim(name string) bool {
	for _, n := range TimeClaims {
		if n == name {
			return true
		}
	}
	return false
}

// NumericDate converts a claim value to a time. ok is false when the value
// is not a number or is outside years 0000–9999.
func NumericDate(v any) (t time.Time, ok bool) {
	var f float64
	switch n := v.(type) {
	case json.Number:
		return numberDate(string(n))
	case float64:
		f = n
	case int64:
		f = float64(n)
	case int:
		f = float64(n)
	default:
		return time.Time{}, false
	}
	return floatDate(f)
}

// numberDate is NumericDate of a JSON number's digits.
func numberDate(digits string) (time.Time, bool) {
	f, err := strconv.ParseFloat(digits, 64)
	if err != nil {
		return time.Time{}, false
	}
	return floatDate(f)
}

func floatDate(f float64) (time.Time, bool) {
	if math.IsNaN(f) || f > maxNumericDate || f < -62135596800 {
		return time.Time{}, false
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC(), true
}

// Times returns the token's NumericDate claims that could be read.
func (t *Token) Times() map[string]time.Time {
	out := map[string]time.Time{}
	for _, name := range TimeClaims {
		if v, ok := t.Claim(name); ok {
			if tm, ok := NumericDate(v); ok {
				out[name] = tm
			}
		}
	}
	return out
}

func (t *Token) timeFindings(now time.Time) {
	// One look-up a claim (this is on the decode path): no map of times.
	var exp, nbf, iat time.Time
	var hasExp, hasNbf, hasIat bool
	for _, name := range TimeClaims {
		f, ok := lookupField(t.Claims, name)
		if !ok {
			continue
		}
		if f.kind != kindNumber {
			t.add(finding.SeverityError, CodeTimeNotNumeric, fmt.Sprintf("The %q claim is %s, not a number of seconds since 1970: verifiers will reject it.", name, describeJSON(f.Value())))
			continue
		}
		tm, ok := numberDate(f.str)
		if !ok {
			t.add(finding.SeverityError, CodeTimeOutOfRange, fmt.Sprintf("The %q claim (%v) is not a date between years 0 and 9999.", name, f.str))
			continue
		}
		switch name {
		case "exp":
			exp, hasExp = tm, true
		case "nbf":
			nbf, hasNbf = tm, true
		case "iat":
			iat, hasIat = tm, true
		}
	}
	if hasExp && !now.Before(exp) {
		t.add(finding.SeverityWarning, CodeExpired, fmt.Sprintf("The token expired %s (%s).", Relative(exp, now), exp.Format(time.RFC3339)))
	}
	if hasNbf && now.Before(nbf) {
		t.add(finding.SeverityWarning, CodeNotYetValid, fmt.Sprintf("The token is not valid until %s (%s).", nbf.Format(time.RFC3339), Relative(nbf, now)))
	}
	if hasIat && iat.After(now.Add(time.Minute)) {
		t.add(finding.SeverityWarning, CodeIssuedInFuture, fmt.Sprintf("The token says it was issued %s, which is in the future: a clock is wrong, here or at the issuer.", Relative(iat, now)))
	}
	if _, ok := lookupField(t.Claims, "exp"); !ok && t.Kind == KindJWS {
		t.add(finding.SeverityInfo, CodeNoExpiry, "The token has no exp claim: it never expires by itself.")
	}
}

func describeJSON(v any) string {
	switch v.(type) {
	case string:
		return fmt.Sprintf("the string %q", v)
	case bool:
		return "a boolean"
	case nil:
		return "null"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprint(v)
}

// Relative phrases t against now: "in 4m 10s", "3h 2m ago".
// For an expiry the caller says "expires in" / "expired ... ago".
func Relative(t, now time.Time) string {
	d := t.Sub(now)
	if d >= 0 {
		return "in " + Duration(d)
	}
	return Duration(-d) + " ago"
}

// ExpiryPhrase says "expires in 4m 10s" or "expired 3h 2m ago".
func ExpiryPhrase(exp, now time.Time) string {
	if now.Before(exp) {
		return "expires in " + Duration(exp.Sub(now))
	}
	return "expired " + Duration(now.Sub(exp)) + " ago"
}

// Duration formats d with its two largest units: "4m 10s", "3h 2m",
// "12d 4h", "2y 30d". Under a second it says "0s".
func Duration(d time.Duration) string {
	s := int64(d / time.Second)
	units := []struct {
		n    int64
		name string
	}{{365 * 86400, "y"}, {86400, "d"}, {3600, "h"}, {60, "m"}, {1, "s"}}
	var parts []string
	for _, u := range units {
		if s >= u.n {
			parts = append(parts, fmt.Sprintf("%d%s", s/u.n, u.name))
			s %= u.n
		} else if len(parts) > 0 {
			break
		}
		if len(parts) == 2 {
			break
		}
	}
	if len(parts) == 0 {
		return "0s"
	}
	return strings.Join(parts, " ")
}

// FormatTime shows a NumericDate in UTC and local time with a relative
// phrase: "2026-11-26 12:04:10 UTC (2026-11-26 13:04:10 CET local), expires in 4m 10s".
func FormatTime(claim string, t, now time.Time) string {
	phrase := Relative(t, now)
	if claim == "exp" {
		phrase = ExpiryPhrase(t, now)
	}
	return fmt.Sprintf("%s (%s local), %s", t.UTC().Format("2006-01-02 15:04:05 UTC"), t.Local().Format("2006-01-02 15:04:05 MST"), phrase)
}
