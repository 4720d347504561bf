// Package secrets keeps client secrets and refresh tokens in the OS
// keyring (service "tokenscope", account "PROFILE/client_secret" or
// "PROFILE/refresh_token"), never in a file, and masks them for display.
package secrets

import (
	"errors"
	"strings"
	"sync"

	"github.com/zalando/go-keyring"
)

// Service is the keyring service name for every Tokenscope secret.
const Service = "tokenscope"

// Kinds of secret a profile has. AccessToken is the cached access token
// `tokenscope access-token` hands out (an access token is a secret too).
const (
	ClientSecret = "client_secret"
	RefreshToken = "refresh_token"
	AccessToken  = "access_token"
)

// kinds is every kind, for moving and deleting a profile's entries.
var kinds = []string{ClientSecret, RefreshToken, AccessToken}

// ErrNotFound means the keyring has no such entry.
var ErrNotFound = errors.New("not in the keyring")

// UnavailableError says the keyring cannot be reached, and why, in words a
// user can act on.
type UnavailableError struct{ Cause error }

func (e *UnavailableError) Error() string {
	return "the OS keyring is not available: " + e.Reason() + "; " + e.Remedy()
}

func (e *UnavailableError) Unwrap() error { return e.Cause }

// Reason says in plain words why the keyring cannot be used, instead of
// D-Bus's object paths.
func (e *UnavailableError) Reason() string {
	msg := ""
	if e.Cause != nil {
		msg = e.Cause.Error()
	}
	switch {
	case errors.Is(e.Cause, ErrNoSessionBus):
		return ErrNoSessionBus.Error()
	case strings.Contains(msg, "ServiceUnknown"), strings.Contains(msg, "not provided by any .service files"):
		return "no Secret Service (such as gnome-keyring) runs on the session bus"
	case strings.Contains(msg, "unlock"), strings.Contains(msg, "IsLocked"), strings.Contains(msg, "ismissed"):
		return "the keyring is locked, or has no login collection yet"
	case msg == "":
		return "the Secret Service did not answer"
	}
	return "the Secret Service said: " + msg
}

// Remedy says what to install, start or unlock.
func (e *UnavailableError) Remedy() string {
	switch r := e.Reason(); {
	case errors.Is(e.Cause, ErrNoSessionBus), strings.HasPrefix(r, "no Secret Service"):
		return "run Tokenscope in a desktop session with a Secret Service (on Debian or Ubuntu: sudo apt install gnome-keyring, then log in again)"
	case strings.HasPrefix(r, "the keyring is locked"):
		return "unlock it (Passwords and Keys, or log in to the desktop again) and try again"
	}
	return "check that gnome-keyring (or another Secret Service) runs and is unlocked"
}

// Store keeps secrets. Implementations are safe for concurrent use.
type Store interface {
	Get(profile, kind string) (string, error)
	Set(profile, kind, value string) error
	Delete(profile, kind string) error
}

// Account is the keyring account of a profile's secret.
func Account(profile, kind string) string { return profile + "/" + kind }

// Keyring is the OS keyring through zalando/go-keyring.
type Keyring struct {
	// mock says go-keyring's mock provider is in use (this package's
	// tests): it needs no session bus.
	mock bool
}

// Every call first checks that a session bus is already running: godbus
// would otherwise start one with dbus-launch (and, through it, a
// gnome-keyring-daemon) that outlives Tokenscope.

func (k Keyring) Get(profile, kind string) (string, error) {
	if err := k.busCheck(); err != nil {
		return "", err
	}
	v, err := keyring.Get(Service, Account(profile, kind))
	return v, classify(err)
}

func (k Keyring) Set(profile, kind, value string) error {
	if err := k.busCheck(); err != nil {
		return err
	}
	return classify(keyring.Set(Service, Account(profile, kind), value))
}

func (k Keyring) Delete(profile, kind string) error {
	if err := k.busCheck(); err != nil {
		return err
	}
	return classify(keyring.Delete(Service, Account(profile, kind)))
}

// busCheck is UnavailableError{ErrNoSessionBus} when no session bus runs.
func (k Keyring) busCheck() error {
	if k.mock {
		return nil
	}
	if _, ok := SessionBusAddress(); !ok {
		return &UnavailableError{Cause: ErrNoSessionBus}
	}
	return nil
}

func classify(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, keyring.ErrNotFound):
		return ErrNotFound
	}
	return &UnavailableError{Cause: err}
}

// Move renames a profile's entries (every kind), as renaming a profile does.
func Move(s Store, from, to string) error {
	for _, kind := range kinds {
		v, err := s.Get(from, kind)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if err := s.Set(to, kind, v); err != nil {
			return err
		}
		if err := s.Delete(from, kind); err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
	}
	return nil
}

// DeleteProfile removes every entry of a profile.
func DeleteProfile(s Store, profile string) error {
	for _, kind := range kinds {
		if err := s.Delete(profile, kind); err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
	}
	return nil
}

// Memory keeps secrets in memory for this run only: the fallback when no
// keyring is reachable. Nothing is ever written anywhere.
type Memory struct {
	mu sync.Mutex
	m  map[string]string
}

func (s *Memory) Get(profile, kind string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[Account(profile, kind)]
	if !ok {
		return "", ErrNotFound
	}
	return v, nil
}

func (s *Memory) Set(profile, kind, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]string{}
	}
	s.m[Account(profile, kind)] = value
	return nil
}

func (s *Memory) Delete(profile, kind string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.m[Account(profile, kind)]; !ok {
		return ErrNotFound
	}
	delete(s.m, Account(profile, kind))
	return nil
}
