// The Clients screen's endpoints card: what discovery found for the
// profile's issuer, and Discover, which asks the issuer again.

package ui

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/safetext"
	"github.com/tokenscope/tokenscope/internal/workspace"
)

// clientsEndpoints shows a profile's endpoints and discovers them.
type clientsEndpoints struct {
	svc       *Services
	do        uiDo
	busy      *sync.WaitGroup
	endpoints *widget.Label
	discover  *widget.Button
	card      *widget.Card
}

func newClientsEndpoints(svc *Services, do uiDo, busy *sync.WaitGroup, onDiscover func()) *clientsEndpoints {
	p := &clientsEndpoints{svc: svc, do: do, busy: busy}
	p.endpoints = wrapLabel("")
	p.discover = widget.NewButtonWithIcon("Discover", theme.SearchIcon(), onDiscover)
	p.card = widget.NewCard("", "Endpoints", p.endpoints)
	return p
}

// view is the card; button is Discover, for the screen's bar of actions.
func (p *clientsEndpoints) view() fyne.CanvasObject   { return p.card }
func (p *clientsEndpoints) button() fyne.CanvasObject { return p.discover }

// show shows e (nil: not discovered yet) and when the profile last signed
// in (nil: never).
func (p *clientsEndpoints) show(e *profiles.Endpoints, lastSignIn *time.Time) {
	text := "Not discovered yet: press Discover."
	if e != nil {
		text = safetext.Block(fmt.Sprintf("Token endpoint: %s\nJWKS: %s\nUserinfo: %s\nDiscovered %s", e.Token, e.JWKS, e.Userinfo, e.DiscoveredAt.Local().Format("2006-01-02 15:04")))
	}
	if lastSignIn != nil {
		text += "\nLast signed in " + lastSignIn.Local().Format("2006-01-02 15:04")
	}
	p.endpoints.SetText(text)
}

// fetch asks issuer for its discovery document off the UI goroutine and
// shows the endpoints found; done gets them and a sentence of what the
// issuer offers, or why discovery failed.
func (p *clientsEndpoints) fetch(issuer string, done func(e *profiles.Endpoints, found string, err error)) {
	p.discover.Disable()
	p.busy.Add(1)
	go func() {
		defer p.busy.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		m, err := p.svc.Rediscover(ctx, issuer)
		var e *profiles.Endpoints
		var found string
		if err == nil {
			e = workspace.EndpointsOf(m)
			found = fmt.Sprintf("Found %s. Grant types: %s. Client auth methods: %s.", m.Issuer, listOrUnknown(m.GrantTypesSupported), listOrUnknown(m.TokenEndpointAuthMethodsSupported))
		}
		p.do(func() {
			p.discover.Enable()
			if err == nil {
				p.show(e, nil)
			}
			done(e, found, err)
		})
	}()
}

func listOrUnknown(l []string) string {
	if len(l) == 0 {
		return "not listed"
	}
	return strings.Join(l, ", ")
}
