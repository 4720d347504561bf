package secrets

import (
	"errors"
	"sync"
)

// WithFallback uses Primary (the OS keyring) until it reports that it is
// unavailable, then keeps secrets in memory for the rest of the run.
// Unavailable says why, so a screen can tell the user.
type WithFallback struct {
	Primary Store

	mu     sync.Mutex
	memory *Memory
	cause  error
}

// Unavailable returns why the keyring is not used, or nil while it is.
func (f *WithFallback) Unavailable() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.cause
}

func (f *WithFallback) store() Store {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.memory != nil {
		return f.memory
	}
	return f.Primary
}

// try runs op on the current store and, when the keyring turns out to be
// unavailable, switches to memory and runs it again there.
func (f *WithFallback) try(op func(Store) error) error {
	err := op(f.store())
	var ue *UnavailableError
	if !errors.As(err, &ue) {
		return err
	}
	f.mu.Lock()
	if f.memory == nil {
		f.memory, f.cause = &Memory{}, err
	}
	m := f.memory
	f.mu.Unlock()
	return op(m)
}

func (f *WithFallback) Get(profile, kind string) (v string, err error) {
	err = f.try(func(s Store) error { v, err = s.Get(profile, kind); return err })
	return v, err
}

func (f *WithFallback) Set(profile, kind, value string) error {
	return f.try(func(s Store) error { return s.Set(profile, kind, value) })
}

func (f *WithFallback) Delete(profile, kind string) error {
	return f.try(func(s Store) error { return s.Delete(profile, kind) })
}
