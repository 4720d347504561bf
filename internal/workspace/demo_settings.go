package workspace

import (
	"errors"
	"fmt"
	"time"

	"github.com/tokenscope/tokenscope/internal/demotenant"
)

// The demo tenant's rotation types and APIs, as Auth0 names them.
const (
	RotationRotating    = demotenant.RotationRotating
	RotationNonRotating = demotenant.RotationNonRotating
	// DemoAudience and DemoBillingAudience are the demo tenant's APIs.
	DemoAudience        = demotenant.APIAudience
	DemoBillingAudience = demotenant.BillingAudience
)

// DemoSettings are a throwaway demo tenant's refresh-token settings, named
// as Auth0's tenant settings name them: rotation_type, leeway,
// token_lifetime, idle_token_lifetime and their infinite_ switches. The
// zero value is Auth0's defaults.
type DemoSettings struct {
	Rotation         string // "" is RotationRotating
	ReuseInterval    time.Duration
	AbsoluteLifetime time.Duration // 0 with InfiniteAbsolute false: Auth0's default
	IdleLifetime     time.Duration
	InfiniteAbsolute bool
	InfiniteIdle     bool
	// MRRT gives the demo clients Multi-Resource Refresh Token policies
	// (write:orders on DemoAudience, read:billing on DemoBillingAudience).
	MRRT bool
	// Logf, when set, receives the tenant's log lines.
	Logf func(format string, a ...any)
}

// ErrDemoSettings is a setting the demo tenant cannot take.
var ErrDemoSettings = errors.New("not a demo tenant setting")

// Validate says which setting is wrong, in the tenant settings' names.
func (s DemoSettings) Validate() error {
	switch s.Rotation {
	case "", RotationRotating, RotationNonRotating:
	default:
		return fmt.Errorf("rotation %q is %w: say %s or %s", s.Rotation, ErrDemoSettings, RotationRotating, RotationNonRotating)
	}
	if s.ReuseInterval < 0 || s.AbsoluteLifetime < 0 || s.IdleLifetime < 0 {
		return fmt.Errorf("a negative reuse interval or lifetime is %w", ErrDemoSettings)
	}
	return nil
}

func (s DemoSettings) config() demotenant.Config {
	cfg := demotenant.Config{Rotation: s.Rotation, ReuseInterval: s.ReuseInterval, AbsoluteLifetime: s.AbsoluteLifetime, IdleLifetime: s.IdleLifetime,
		InfiniteLifetime: s.InfiniteAbsolute, InfiniteIdleLifetime: s.InfiniteIdle, Logf: s.Logf}
	if cfg.Rotation == "" {
		cfg.Rotation = RotationRotating
	}
	if s.InfiniteAbsolute {
		cfg.AbsoluteLifetime = demotenant.MaxLifetime
	}
	if s.InfiniteIdle {
		cfg.IdleLifetime = demotenant.MaxLifetime
	}
	if s.MRRT {
		cfg.Policies = demotenant.DemoPolicies()
	}
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	return cfg
}

// ServeDemo starts a demo tenant with these settings on addr (a free
// loopback port when ""), for the demo-server command: a non-loopback
// address is refused unless allowRemote. It returns the server (Close
// stops it) and each client with a fresh refresh token.
func ServeDemo(s DemoSettings, addr string, allowRemote bool) (*demotenant.Server, []demotenant.ClientGrant, error) {
	if err := s.Validate(); err != nil {
		return nil, nil, err
	}
	ten, err := demotenant.New(s.config())
	if err != nil {
		return nil, nil, err
	}
	srv, err := demotenant.Start(ten, addr, allowRemote)
	if err != nil {
		return nil, nil, err
	}
	grants, err := ten.Grants()
	if err != nil {
		srv.Close()
		return nil, nil, err
	}
	return srv, grants, nil
}
