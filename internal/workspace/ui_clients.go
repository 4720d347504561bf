package workspace

import (
	"context"

	"github.com/tokenscope/tokenscope/internal/discovery"
)

// Rediscover fetches an issuer's discovery document now, whatever this
// run fetched before (Discover keeps the first answer for the run): the
// Clients screen's Discover shows what the issuer says today. issuer is
// read as IssuerURL reads it.
func (w *Workspace) Rediscover(ctx context.Context, issuer string) (*discovery.Metadata, error) {
	return discovery.Discover(ctx, w.HTTP, IssuerURL(issuer))
}
