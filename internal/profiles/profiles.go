// Package profiles keeps client profiles (never their secrets) in one JSON
// file, written atomically: temp file, fsync, rename.
package profiles

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/tokenscope/tokenscope/internal/atomicfile"
)

// Profile is one configured client. Its secrets live in the keyring
// (internal/secrets), keyed by Name.
type Profile struct {
	Name     string            `json:"name"`
	Issuer   string            `json:"issuer"` // https://tenant.eu.auth0.com/
	ClientID string            `json:"client_id"`
	Auth     string            `json:"auth"` // none, post or basic
	Audience string            `json:"audience,omitempty"`
	Scope    string            `json:"scope,omitempty"`
	Params   map[string]string `json:"params,omitempty"` // extra token-request parameters
	// Endpoints caches what discovery found (Discover on the Clients
	// screen, or the first refresh, fills it).
	Endpoints *Endpoints `json:"endpoints,omitempty"`
	// Demo marks a profile of the embedded demo tenant; the app recreates
	// these at each start (the tenant's keys live for one run).
	Demo bool `json:"demo,omitempty"`
}

// Endpoints are a profile's discovered endpoints.
type Endpoints struct {
	Token        string    `json:"token_endpoint"`
	JWKS         string    `json:"jwks_uri,omitempty"`
	Userinfo     string    `json:"userinfo_endpoint,omitempty"`
	DiscoveredAt time.Time `json:"discovered_at"`
}

// Validate says what is wrong with a profile, in a sentence.
func (p Profile) Validate() error {
	switch {
	case strings.TrimSpace(p.Name) == "":
		return errors.New("a profile needs a name")
	case strings.ContainsAny(p.Name, "/\\"):
		return fmt.Errorf("the profile name %q must not contain a slash", p.Name)
	case p.ClientID == "":
		return fmt.Errorf("profile %q needs a client ID", p.Name)
	case !strings.HasPrefix(p.Issuer, "https://") && !strings.HasPrefix(p.Issuer, "http://"):
		return fmt.Errorf("profile %q needs an issuer URL or domain", p.Name)
	}
	switch p.Auth {
	case "none", "post", "basic":
		return nil
	}
	return fmt.Errorf("profile %q: client authentication %q is not none, post or basic", p.Name, p.Auth)
}

type file struct {
	Version  int       `json:"version"`
	Profiles []Profile `json:"profiles"`
}

// CorruptError reports a profiles file that could not be read; it was
// moved aside to Backup, never silently emptied.
type CorruptError struct {
	Path, Backup string
	Cause        error
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("%s could not be read (%v); it was kept as %s and Tokenscope starts with no profiles: fix or delete that copy", e.Path, e.Cause, e.Backup)
}

// DefaultPath is $TOKENSCOPE_CONFIG_DIR/profiles.json, or profiles.json in
// the user's config directory under tokenscope/.
func DefaultPath() (string, error) {
	if d := os.Getenv("TOKENSCOPE_CONFIG_DIR"); d != "" {
		return filepath.Join(d, "profiles.json"), nil
	}
	d, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no config directory: set TOKENSCOPE_CONFIG_DIR (%v)", err)
	}
	return filepath.Join(d, "tokenscope", "profiles.json"), nil
}

// Store is the profiles file. It is safe for concurrent use.
type Store struct {
	Path string
	mu   sync.Mutex
}

// Load reads every profile; a missing file means none.
func (s *Store) Load() ([]Profile, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.load()
}

func (s *Store) load() ([]Profile, error) {
	b, err := os.ReadFile(s.Path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %v", s.Path, err)
	}
	var f file
	if err := json.Unmarshal(b, &f); err != nil {
		backup := fmt.Sprintf("%s.corrupt-%s", s.Path, time.Now().UTC().Format("20060102T150405Z"))
		if rerr := os.Rename(s.Path, backup); rerr != nil {
			return nil, fmt.Errorf("%s could not be read (%v) nor moved aside (%v)", s.Path, err, rerr)
		}
		return nil, &CorruptError{Path: s.Path, Backup: backup, Cause: err}
	}
	return f.Profiles, nil
}

// Put adds a profile or replaces the one with the same name.
func (s *Store) Put(p Profile) error {
	if err := p.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ps, err := s.load()
	if err != nil {
		return err
	}
	replaced := false
	for i := range ps {
		if ps[i].Name == p.Name {
			ps[i], replaced = p, true
		}
	}
	if !replaced {
		ps = append(ps, p)
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].Name < ps[j].Name })
	return s.save(ps)
}

// save writes the file atomically with mode 0600.
func (s *Store) save(ps []Profile) error {
	b, err := json.MarshalIndent(file{Version: 1, Profiles: ps}, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(s.Path, append(b, '\n'), 0o600)
}

// ErrNoProfile is returned for a name that has no profile.
var ErrNoProfile = errors.New("no such profile")

// Get returns the named profile.
func (s *Store) Get(name string) (Profile, error) {
	ps, err := s.Load()
	if err != nil {
		return Profile{}, err
	}
	for _, p := range ps {
		if p.Name == name {
			return p, nil
		}
	}
	return Profile{}, fmt.Errorf("%w %q: run 'tokenscope profile list' to see the names", ErrNoProfile, name)
}

// Remove deletes the named profile from the file (its keyring entries are
// the caller's to delete, with secrets.DeleteProfile).
func (s *Store) Remove(name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ps, err := s.load()
	if err != nil {
		return err
	}
	out := ps[:0]
	for _, p := range ps {
		if p.Name != name {
			out = append(out, p)
		}
	}
	if len(out) == len(ps) {
		return fmt.Errorf("%w %q", ErrNoProfile, name)
	}
	return s.save(out)
}

// Rename gives a profile a new name (its keyring entries move with
// secrets.Move).
func (s *Store) Rename(from, to string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ps, err := s.load()
	if err != nil {
		return err
	}
	idx := -1
	for i, p := range ps {
		switch p.Name {
		case to:
			return fmt.Errorf("a profile named %q already exists", to)
		case from:
			idx = i
		}
	}
	if idx < 0 {
		return fmt.Errorf("%w %q", ErrNoProfile, from)
	}
	ps[idx].Name = to
	if err := ps[idx].Validate(); err != nil {
		return err
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].Name < ps[j].Name })
	return s.save(ps)
}
