package workspace

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/tokenscope/tokenscope/internal/atomicfile"
	"github.com/tokenscope/tokenscope/internal/exchange"
)

// TokenState is what became of one refresh token of a family.
type TokenState string

const (
	// StateCurrent is the token the profile holds now.
	StateCurrent TokenState = "current"
	// StateUsed is a token spent on a refresh that rotated it.
	StateUsed TokenState = "used"
	// StateRejected is a token the provider refused (invalid_grant): revoked
	// by reuse detection, expired by its absolute or idle lifetime, or
	// revoked elsewhere; Reason carries the provider's words.
	StateRejected TokenState = "rejected"
	// StateRevoked is a token the user revoked with Tokenscope.
	StateRevoked TokenState = "revoked"
	// StateReplaced is a token set aside by a new sign-in or one stored by
	// hand, without being spent.
	StateReplaced TokenState = "replaced"
)

// FamilyToken is one refresh token of a profile's lineage. It holds a
// fingerprint, never the token.
type FamilyToken struct {
	Fingerprint string     `json:"fingerprint"`
	Origin      string     `json:"origin"` // "sign-in", "rotation" or "stored"
	IssuedAt    time.Time  `json:"issued_at"`
	LastUsedAt  *time.Time `json:"last_used_at,omitempty"`
	Uses        int        `json:"uses"`
	State       TokenState `json:"state"`
	Reason      string     `json:"reason,omitempty"`
}

// Family is a profile's refresh-token lineage, oldest first, as Tokenscope
// itself saw it: sign-ins, refreshes, rotations, refusals and revocations.
type Family struct {
	Profile string        `json:"profile"`
	Tokens  []FamilyToken `json:"tokens"`
}

// familyLimit bounds how many tokens a lineage keeps (the oldest go).
const familyLimit = 200

// Fingerprint names a refresh token without revealing it: the first 12
// hex digits of its SHA-256.
func Fingerprint(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:6])
}

func (w *Workspace) familyPath(profile string) string {
	return filepath.Join(filepath.Dir(w.Profiles.Path), "families", "p-"+url.PathEscape(profile)+".json")
}

// Family returns a profile's lineage (empty when Tokenscope saw none).
func (w *Workspace) Family(profile string) (Family, error) {
	f := Family{Profile: profile, Tokens: []FamilyToken{}}
	b, err := os.ReadFile(w.familyPath(profile))
	if errors.Is(err, os.ErrNotExist) {
		return f, nil
	}
	if err != nil {
		return f, fmt.Errorf("reading the refresh-token family of %s: %w", profile, err)
	}
	if err := json.Unmarshal(b, &f); err != nil {
		return Family{Profile: profile, Tokens: []FamilyToken{}}, nil // a record, not a source of truth: a damaged file starts over
	}
	f.Profile = profile
	return f, nil
}

// noteFamily applies one event to a profile's lineage. Callers hold the
// profile's lock, so writes of one profile never interleave; the record
// is a convenience and its failures never fail the flow.
func (w *Workspace) noteFamily(profile string, change func(f *Family, now time.Time)) {
	if w.Profiles == nil || profile == "" {
		return
	}
	f, _ := w.Family(profile)
	change(&f, time.Now().UTC())
	if len(f.Tokens) > familyLimit {
		f.Tokens = f.Tokens[len(f.Tokens)-familyLimit:]
	}
	b, _ := json.MarshalIndent(f, "", "  ")
	_ = atomicfile.Write(w.familyPath(profile), b, 0o600)
}

// find returns the token with fingerprint fp, or nil.
func (f *Family) find(fp string) *FamilyToken {
	for i := len(f.Tokens) - 1; i >= 0; i-- {
		if f.Tokens[i].Fingerprint == fp {
			return &f.Tokens[i]
		}
	}
	return nil
}

// begin records a token that did not come from a rotation (a sign-in, or
// one stored by hand): the current one, if any, is set aside.
func (f *Family) begin(token, origin string, now time.Time) {
	fp := Fingerprint(token)
	if t := f.find(fp); t != nil && t.State == StateCurrent {
		return
	}
	for i := range f.Tokens {
		if f.Tokens[i].State == StateCurrent {
			f.Tokens[i].State, f.Tokens[i].Reason = StateReplaced, "a new "+origin+" token took its place"
		}
	}
	f.Tokens = append(f.Tokens, FamilyToken{Fingerprint: fp, Origin: origin, IssuedAt: now, State: StateCurrent})
}

// used records a refresh that sent token: its answer, and the rotated
// token when the provider sent one.
func (f *Family) used(token string, resp *exchange.Response, err error, now time.Time) {
	fp := Fingerprint(token)
	t := f.find(fp)
	if t == nil { // a token Tokenscope did not see arrive: start its record here
		f.Tokens = append(f.Tokens, FamilyToken{Fingerprint: fp, Origin: "stored", IssuedAt: now, State: StateCurrent})
		t = &f.Tokens[len(f.Tokens)-1]
	}
	t.Uses++
	t.LastUsedAt = &now
	var xe *exchange.Error
	switch {
	case resp != nil && resp.Rotated && resp.RefreshToken != "" && resp.RefreshToken != token:
		t.State = StateUsed
		f.Tokens = append(f.Tokens, FamilyToken{Fingerprint: Fingerprint(resp.RefreshToken), Origin: "rotation", IssuedAt: now, State: StateCurrent})
	case resp != nil:
		// Not rotated: the same token stays current.
	case errors.As(err, &xe) && xe.Code == "invalid_grant":
		t.State, t.Reason = StateRejected, "invalid_grant"
		if xe.Description != "" {
			t.Reason += ": " + xe.Description
		}
	}
}

// revoked records that the user revoked token.
func (f *Family) revoked(token string, now time.Time) {
	if t := f.find(Fingerprint(token)); t != nil {
		t.State, t.Reason, t.LastUsedAt = StateRevoked, "revoked with Tokenscope", &now
	}
}
