// Package secrets keeps client secrets and refresh tokens in the OS
// keyring (service "tokenscope", account "PROFILE/client_secret" or
// "PROFILE/refresh_token"), never in a file, and masks them for display.
package secrets

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/zalando/go-keyring"
)

// Service is the keyring service name for every Tokenscope secret.
const Service = "tokenscope"

// Kinds of secret a profile has.
const (
	ClientSecret = "client_secret"
	RefreshToken = "refresh_token"
)

// ErrNotFound means the keyring has no such entry.
var ErrNotFound = errors.New("not in the keyring")

// UnavailableError says the keyring cannot be reached, and why, in words a
// user can act on.
type UnavailableError struct{ Cause error }

func (e *UnavailableError) Error() string {
	return fmt.Sprintf("the OS keyring is not available (%v): start a Secret Service such as gnome-keyring, or unlock it; until then secrets are kept in memory for this run only", e.Cause)
}

func (e *UnavailableError) Unwrap() error { return e.Cause }

// Store keeps secrets. Implementations are safe for concurrent use.
type Store interface {
	Get(profile, kind string) (string, error)
	Set(profile, kind, value string) error
	Delete(profile, kind string) error
}

// Account is the keyring account of a profile's secret.
func Account(profile, kind string) string { return profile + "/" + kind }

// Keyring is the OS keyring through zalando/go-keyring.
type Keyring struct{}

func (Keyring) Get(profile, kind string) (string, error) {
	v, err := keyring.Get(Service, Account(profile, kind))
	return v, classify(err)
}

func (Keyring) Set(profile, kind, value string) error {
	return classify(keyring.Set(Service, Account(profile, kind), value))
}

func (Keyring) Delete(profile, kind string) error {
	return classify(keyring.Delete(Service, Account(profile, kind)))
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

// Move renames a profile's entries (both kinds), as renaming a profile does.
func Move(s Store, from, to string) error {
	for _, kind := range []string{ClientSecret, RefreshToken} {
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

// DeleteProfile removes both of a profile's entries.
func DeleteProfile(s Store, profile string) error {
	for _, kind := range []string{ClientSecret, RefreshToken} {
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

// Mask shows enough of a secret to recognise it and nothing to use:
// "v1.M…(43 chars)". Short secrets are masked entirely.
func Mask(s string) string {
	if s == "" {
		return ""
	}
	if len(s) < 16 {
		return strings.Repeat("•", 8)
	}
	return fmt.Sprintf("%s…(%d chars)", s[:4], len(s))
}
