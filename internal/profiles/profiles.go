// Package profiles keeps client profiles (never their secrets) in one JSON
// file, written atomically: temp file, fsync, rename.
package profiles

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gofrs/flock"

	"github.com/tokenscope/tokenscope/internal/atomicfile"
	"github.com/tokenscope/tokenscope/internal/httpx"
	"github.com/tokenscope/tokenscope/internal/oauth"
	"github.com/tokenscope/tokenscope/internal/safetext"
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
	// RedirectURI is the sign-in callback when the tenant needs an exact
	// match (a confidential client); "" means a loopback URL on a free port.
	RedirectURI string `json:"redirect_uri,omitempty"`
	// LastSignIn is when Tokenscope last signed in with this profile.
	LastSignIn *time.Time `json:"last_sign_in,omitempty"`
	// Endpoints caches what discovery found (Discover on the Clients
	// screen, or the first refresh, fills it).
	Endpoints *Endpoints `json:"endpoints,omitempty"`
	// SecretsBoundTo names the issuer and client ID the keyring entries
	// were stored for (workspace.Binding); they are never used for another.
	SecretsBoundTo string `json:"secrets_bound_to,omitempty"`
	// Demo marks a profile of the embedded demo tenant; the app recreates
	// these at each start (the tenant's keys live for one run).
	Demo bool `json:"demo,omitempty"`
}

// Endpoints are a profile's discovered endpoints.
type Endpoints struct {
	Token         string    `json:"token_endpoint"`
	JWKS          string    `json:"jwks_uri,omitempty"`
	Userinfo      string    `json:"userinfo_endpoint,omitempty"`
	Authorization string    `json:"authorization_endpoint,omitempty"`
	Device        string    `json:"device_authorization_endpoint,omitempty"`
	Revocation    string    `json:"revocation_endpoint,omitempty"`
	DiscoveredAt  time.Time `json:"discovered_at"`
}

// MaxNameLength bounds a profile name (it names keyring accounts and lock files).
const MaxNameLength = 64

// ValidateName says what is wrong with a profile name: letters, digits,
// '-', '_' and '.', at most MaxNameLength, not "." or "..".
func ValidateName(name string) error {
	if name == "" {
		return errors.New("a profile needs a name")
	}
	if len(name) > MaxNameLength {
		return fmt.Errorf("the profile name %q is longer than %d characters", name[:MaxNameLength]+"…", MaxNameLength)
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return fmt.Errorf("the profile name %q has %q: use letters, digits, '-', '_' and '.' only", name, r)
		}
	}
	if name == "." || name == ".." {
		return fmt.Errorf("the profile name %q is not allowed: use letters or digits too", name)
	}
	return nil
}

// Validate says what is wrong with a profile, in a sentence.
func (p Profile) Validate() error {
	if err := ValidateName(p.Name); err != nil {
		return err
	}
	if p.ClientID == "" {
		return fmt.Errorf("profile %s needs a client ID", p.Name)
	}
	if p.Issuer == "" {
		return fmt.Errorf("profile %s needs an issuer URL or domain", p.Name)
	}
	if _, err := httpx.CheckIssuerURL(p.Issuer); err != nil {
		return fmt.Errorf("profile %s, issuer: %w", p.Name, err)
	}
	if _, err := oauth.ParseAuthMethod(p.Auth); err != nil || p.Auth == "" {
		return fmt.Errorf("profile %s: client authentication %q is not none, post or basic", p.Name, p.Auth)
	}
	if p.RedirectURI != "" {
		if _, err := httpx.CheckRedirectURI(p.RedirectURI); err != nil {
			return fmt.Errorf("profile %s: %w", p.Name, err)
		}
	}
	// What is stored is shown later, in a terminal and on the Clients
	// screen: no field may carry a character that acts instead of showing.
	fields := [][2]string{{"client ID", p.ClientID}, {"issuer", p.Issuer}, {"audience", p.Audience}, {"scope", p.Scope}}
	for k, v := range p.Params {
		fields = append(fields, [2]string{"parameter name", k}, [2]string{"parameter " + safetext.Line(k), v})
	}
	for _, f := range fields {
		if safetext.Has(f[1]) {
			return fmt.Errorf("profile %s: the %s \"%s\" has a control, BiDi or zero-width character (shown escaped): retype it without one", p.Name, f[0], safetext.Line(f[1]))
		}
	}
	for k := range p.Params {
		if oauth.Reserved(k) {
			return fmt.Errorf("profile %s: the parameter %q is %w and cannot be given as an extra parameter", p.Name, k, oauth.ErrReservedParam)
		}
		if strings.TrimSpace(k) == "" {
			return fmt.Errorf("profile %s: an extra parameter has no name", p.Name)
		}
	}
	return nil
}

// SameClient reports whether two profiles are the same client at the same
// issuer: secrets stored for one may be sent for the other.
func SameClient(a, b Profile) bool {
	return strings.TrimSuffix(a.Issuer, "/") == strings.TrimSuffix(b.Issuer, "/") && a.ClientID == b.ClientID
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
		return "", fmt.Errorf("no config directory: set TOKENSCOPE_CONFIG_DIR (%w)", err)
	}
	return filepath.Join(d, "tokenscope", "profiles.json"), nil
}

// Store is the profiles file. It is safe for concurrent use, also across
// processes: every change takes an OS file lock beside the file and reads
// it again under that lock before writing, so concurrent writers never
// lose each other's profiles.
type Store struct {
	Path string
	mu   sync.Mutex

	corrupt *CorruptError // the last file this process moved aside
	// beforeMoveAside, when set, runs between Load finding the file
	// unreadable and taking the lock to move it aside (a test puts another
	// process's writes there).
	beforeMoveAside func()
}

// LockTimeout bounds how long a change waits for another process's.
const LockTimeout = 30 * time.Second

// change runs fn with the file locked against other processes and this one.
func (s *Store) change(fn func() error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.locked(fn)
}

// locked runs fn holding the OS file lock beside the file (s.mu held).
func (s *Store) locked(fn func() error) error {
	if err := os.MkdirAll(filepath.Dir(s.Path), 0o700); err != nil {
		return fmt.Errorf("creating %s: %w", filepath.Dir(s.Path), err)
	}
	fl := flock.New(s.Path + ".lock")
	ctx, cancel := context.WithTimeout(context.Background(), LockTimeout)
	defer cancel()
	ok, err := fl.TryLockContext(ctx, 10*time.Millisecond)
	if err != nil || !ok {
		return fmt.Errorf("%s is locked by another Tokenscope for more than %s (%w): close it and try again", s.Path, LockTimeout, err)
	}
	defer fl.Unlock()
	return fn()
}

// Load reads every profile; a missing file means none. Reading takes no
// lock (files are replaced whole, never seen half-written); moving an
// unreadable file aside is a change, so it takes the lock and reads the
// file again first: another process may have moved it aside and written
// a good one meanwhile, which must not be moved aside in its turn.
func (s *Store) Load() ([]Profile, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ps, err := s.read()
	var u *unreadable
	if !errors.As(err, &u) {
		return ps, err
	}
	if s.beforeMoveAside != nil {
		s.beforeMoveAside()
	}
	err = s.locked(func() error {
		ps, err = s.load()
		return err
	})
	return ps, err
}

// Corruption returns the profiles file this process found unreadable and
// moved aside, or nil: a window that opened after the move can still say
// what happened.
func (s *Store) Corruption() *CorruptError {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.corrupt
}

// unreadable is a file that is there but is not a profiles file.
type unreadable struct{ cause error }

func (u *unreadable) Error() string { return u.cause.Error() }

// read parses the file, leaving an unreadable one where it is.
func (s *Store) read() ([]Profile, error) {
	b, err := os.ReadFile(s.Path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", s.Path, err)
	}
	var f file
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, &unreadable{err}
	}
	return f.Profiles, nil
}

// load is read that moves an unreadable file aside; the file lock is held.
func (s *Store) load() ([]Profile, error) {
	ps, err := s.read()
	var u *unreadable
	if !errors.As(err, &u) {
		return ps, err
	}
	cause := u.cause
	backup := fmt.Sprintf("%s.corrupt-%s", s.Path, time.Now().UTC().Format("20060102T150405Z"))
	if rerr := os.Rename(s.Path, backup); rerr != nil {
		return nil, fmt.Errorf("%s could not be read (%w) nor moved aside (%w)", s.Path, cause, rerr)
	}
	s.corrupt = &CorruptError{Path: s.Path, Backup: backup, Cause: cause}
	return nil, s.corrupt
}

// ErrExists is returned by Add for a name that is taken.
var ErrExists = errors.New("a profile with that name already exists")

// Add adds a new profile; a taken name is refused with ErrExists.
func (s *Store) Add(p Profile) error {
	_, err := s.put(p, false)
	return err
}

// Put adds a profile or replaces the one with the same name, and returns
// the one it replaced (nil when it added).
func (s *Store) Put(p Profile) (*Profile, error) { return s.put(p, true) }

func (s *Store) put(p Profile, replace bool) (old *Profile, err error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	err = s.change(func() error {
		ps, err := s.load()
		if err != nil {
			return err
		}
		for i := range ps {
			if ps[i].Name == p.Name {
				if !replace {
					return fmt.Errorf("%w: %s (replace it with --replace, or choose another name)", ErrExists, p.Name)
				}
				prev := ps[i]
				old, ps[i] = &prev, p
				return s.save(ps)
			}
		}
		ps = append(ps, p)
		sort.Slice(ps, func(i, j int) bool { return ps[i].Name < ps[j].Name })
		return s.save(ps)
	})
	return old, err
}

// Update changes the named profile in place, under the lock, with the
// file as it is now: fn sees the current profile, not a stale copy.
func (s *Store) Update(name string, fn func(*Profile) error) error {
	return s.change(func() error {
		ps, err := s.load()
		if err != nil {
			return err
		}
		for i := range ps {
			if ps[i].Name == name {
				if err := fn(&ps[i]); err != nil {
					return err
				}
				if err := ps[i].Validate(); err != nil {
					return err
				}
				return s.save(ps)
			}
		}
		return fmt.Errorf("%w %q", ErrNoProfile, name)
	})
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
	return s.change(func() error {
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
	})
}

// Rename gives a profile a new name (its keyring entries move with
// secrets.Move).
func (s *Store) Rename(from, to string) error {
	return s.change(func() error {
		ps, err := s.load()
		if err != nil {
			return err
		}
		idx := -1
		for i, p := range ps {
			switch p.Name {
			case to:
				return fmt.Errorf("%w: %s", ErrExists, to)
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
	})
}
