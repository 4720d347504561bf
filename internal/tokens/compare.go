package tokens

import (
	"encoding/json"
	"sort"
)

// ClaimState says how a claim compares between two tokens.
type ClaimState string

const (
	ClaimSame      ClaimState = "same"
	ClaimDiffers   ClaimState = "differs"
	ClaimOnlyLeft  ClaimState = "only_left"
	ClaimOnlyRight ClaimState = "only_right"
)

// ClaimDiff is one claim of two tokens side by side; values are compact JSON.
type ClaimDiff struct {
	Name        string
	Left, Right string
	State       ClaimState
}

// volatile claims differ between any two tokens and say nothing.
var volatile = map[string]bool{"iat": true, "exp": true, "nbf": true, "jti": true, "at_hash": true, "c_hash": true, "auth_time": true}

// CompareClaims lists every claim of left and right: the same, different,
// or present in only one, in name order with the time-like claims last.
func CompareClaims(left, right map[string]any) []ClaimDiff {
	names := map[string]bool{}
	for k := range left {
		names[k] = true
	}
	for k := range right {
		names[k] = true
	}
	var out []ClaimDiff
	for n := range names {
		l, inL := left[n]
		r, inR := right[n]
		d := ClaimDiff{Name: n, Left: compactValue(l, inL), Right: compactValue(r, inR)}
		switch {
		case !inR:
			d.State = ClaimOnlyLeft
		case !inL:
			d.State = ClaimOnlyRight
		case d.Left == d.Right:
			d.State = ClaimSame
		default:
			d.State = ClaimDiffers
		}
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool {
		if volatile[out[i].Name] != volatile[out[j].Name] {
			return !volatile[out[i].Name]
		}
		return out[i].Name < out[j].Name
	})
	return out
}

func compactValue(v any, ok bool) string {
	if !ok {
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}
