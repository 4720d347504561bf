package demotenant

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/tokenscope/tokenscope/internal/httpx"
)

// Server is a tenant listening on an address.
type Server struct {
	*Tenant
	Addr string
	srv  *http.Server
	ln   net.Listener
}

// Start listens on addr (default 127.0.0.1 on a free port) and serves the
// tenant. A non-loopback address is refused unless allowRemote: the demo
// tenant mints tokens for anyone who asks and must not be reachable.
func Start(t *Tenant, addr string, allowRemote bool) (*Server, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("%q is not HOST:PORT", addr)
	}
	if !allowRemote && !httpx.IsLoopback(host) {
		return nil, fmt.Errorf("%s is not a loopback address: the demo tenant hands out tokens to anyone who asks, so it only listens on loopback (127.0.0.1, ::1); pass --allow-remote if you really mean it", host)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("cannot listen on %s: %w", addr, err)
	}
	s := &Server{Tenant: t, Addr: ln.Addr().String(), ln: ln}
	t.SetIssuer("http://" + advertised(s.Addr) + "/")
	// A slow or silent client must not hold a connection open forever.
	s.srv = &http.Server{Handler: t.Handler(), ReadHeaderTimeout: t.cfg.HeaderTimeout, ReadTimeout: bodyTimeout,
		WriteTimeout: bodyTimeout, IdleTimeout: 2 * bodyTimeout, MaxHeaderBytes: 64 << 10}
	go func() {
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Println("demo tenant stopped:", err)
		}
	}()
	return s, nil
}

// bodyTimeout bounds reading a request and writing its answer.
const bodyTimeout = 30 * time.Second

// advertised is the host:port clients should use for a listener's
// address: an unspecified host (0.0.0.0, ::) is no address a client can
// reach, so the first non-loopback address of this machine stands in.
func advertised(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsUnspecified() {
		return addr
	}
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil && !n.IP.IsLinkLocalUnicast() {
			return net.JoinHostPort(n.IP.String(), port)
		}
	}
	return net.JoinHostPort("127.0.0.1", port)
}

// Close stops the server.
func (s *Server) Close() error { return s.srv.Close() }

// StartDemo starts the tenant the window offers: the demo applications
// with Multi-Resource Refresh Token policies (so asking another API's
// audience on refresh shows what Auth0 does), on a free loopback port.
func StartDemo() (*Server, error) { return Config{}.StartDemo() }

// StartDemo starts the tenant the window offers with these settings (a
// test's one-second device polling, say); the demo's policies are used
// unless cfg names its own.
func (cfg Config) StartDemo() (*Server, error) {
	if cfg.Policies == nil {
		cfg.Policies = DemoPolicies()
	}
	ten, err := New(cfg)
	if err != nil {
		return nil, err
	}
	return Start(ten, "", false)
}
