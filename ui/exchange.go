package ui

import (
	"context"
	"errors"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/exchange"
	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/workspace"
)

// exchangeScreen runs the refresh grant (and sign-in, client credentials,
// /userinfo, revoke) for a profile and shows the result. It is made of
// panels that own their widgets; the screen holds the profile chosen and
// wires the panels together:
//
//	form     the profile and this run's changes (exchange_request.go)
//	bar      Refresh, Cancel and the status line (exchange_request.go)
//	preview  the request as curl (exchange_request.go)
//	more     "Sign in and more" (exchange_signin.go)
//	cards    the answer's tokens (exchange_cards.go)
//	history  the last refreshes (exchange_history.go)
//	fresh    "Keep fresh" and the refresh-token family (keepfresh.go)
//
// The flows each button runs are in exchange_flows.go.
type exchangeScreen struct {
	svc *Services
	win fyne.Window
	do  uiDo

	form    *requestForm
	bar     *refreshBar
	preview *requestPreview
	more    *signInPanel
	cards   *responseCards
	history *historyPanel
	fresh   *freshPanel
	split   *container.Split

	// UI-goroutine state: the profile chosen, and as last read (its
	// secrets, its token endpoint).
	current *profiles.Profile
	loaded  workspace.Loaded

	busy     sync.WaitGroup
	loadings latest
}

func newExchangeScreen(svc *Services, win fyne.Window, do uiDo, inspect func(string)) *exchangeScreen {
	s := &exchangeScreen{svc: svc, win: win, do: do}
	s.loadings.busy = &s.busy
	s.form = newRequestForm(s.onProfile, s.updatePreview)
	s.bar = newRefreshBar(s.onRefresh)
	s.preview = newRequestPreview(do, s.bar.sayCopied)
	s.more = newSignInPanel(svc, &signInFlow{svc: svc, win: win, do: do, busy: &s.busy}, signInActions{
		signIn: s.onSignIn, userinfo: s.onUserinfo, revoke: s.onRevoke, clientCredentials: s.onClientCredentials,
		switchTo: func(name string) {
			if !s.form.locked() {
				s.form.choose(name)
			}
		},
	})
	s.cards = newResponseCards(svc, win, do, inspect)
	s.history = newHistoryPanel(svc)
	s.fresh = newFreshPanel(svc, win, do, &s.busy, notifyDesktop)
	s.fresh.onRefreshed = s.reloadHistory
	s.split = s.layout()
	s.setButtons(false)
	s.reloadProfiles()
	s.reloadHistory()
	return s
}

// issuer is the chosen profile's issuer ("" with none): a token it sent
// is inspected with that issuer expected.
func (s *exchangeScreen) issuer() string {
	if s.current == nil {
		return ""
	}
	return s.current.Issuer
}

// stop ends what runs on its own when the window closes: every
// keep-fresh loop.
func (s *exchangeScreen) stop() { s.fresh.stopAll() }

// notifyDesktop raises a desktop notification.
func notifyDesktop(title, body string) {
	if a := fyne.CurrentApp(); a != nil {
		a.SendNotification(fyne.NewNotification(title, body))
	}
}

// layout: what the request is made of on the left (the profile, this
// run's changes, the ways to get a first refresh token) with Refresh at
// the bottom; the request and its answer on the right, above the history.
func (s *exchangeScreen) layout() *container.Split {
	// The action bar stays at the bottom of the pane, whatever the height:
	// Refresh is never below the fold.
	left := border(nil, s.bar.view(), nil, nil, container.NewVScroll(container.NewVBox(
		s.form.view(),
		s.more.view(),
		widget.NewCard("", "Keep fresh", s.fresh.view()),
	)))
	right := container.NewVSplit(
		container.NewVScroll(container.NewVBox(s.preview.view(), s.cards.view())),
		s.history.view(),
	)
	right.Offset = 0.7
	split := container.NewHSplit(left, right)
	split.Offset = 0.45
	return split
}

// view is the screen's layout, the same every time.
func (s *exchangeScreen) view() fyne.CanvasObject { return s.split }

func (s *exchangeScreen) focus() { s.win.Canvas().Focus(s.form.profile) }

// chooseDemo chooses the demo profile that can do most (refresh, and sign
// in both ways): the first run's profile.
func (s *exchangeScreen) chooseDemo() {
	if name := s.svc.demoSignInProfile(); name != "" && !s.form.locked() {
		s.form.choose(name)
	}
}

// demoStarted gives way, once the demo tenant is known, to the demo
// profile that can do most, unless the user chose a profile meanwhile.
func (s *exchangeScreen) demoStarted() {
	if s.current != nil && s.form.autoChosen() {
		s.chooseDemo()
	}
}

// inMemory reports whether profile's secrets are in memory only (no OS
// keyring here), and whether it is a demo profile.
func (s *exchangeScreen) inMemory() (memory, demo bool) {
	return s.svc.Unavailable() != nil, s.current != nil && s.current.Demo
}

// reloadProfiles refreshes the picker (after the Clients screen changed).
func (s *exchangeScreen) reloadProfiles() {
	ps, _ := s.svc.Profiles.Load()
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name
	}
	s.form.setProfiles(names)
	if s.current != nil {
		for _, p := range ps {
			if p.Name == s.current.Name {
				s.form.choose(p.Name)
				return
			}
		}
		s.form.clear()
		s.current = nil
	}
	if s.current == nil && len(names) > 0 {
		// Nobody chose yet: the demo profile that can do most, else the first.
		pick := names[0]
		if name := s.svc.demoSignInProfile(); name != "" {
			pick = name
		}
		s.form.autoChoose(pick)
	}
}

// reloadHistory shows the history and the family again: a refresh, a
// sign-in or a revocation changed them.
func (s *exchangeScreen) reloadHistory() {
	if s.svc.History == nil {
		return
	}
	s.history.reload()
	s.fresh.reloadFamily()
}

// onProfile loads the profile's secrets and endpoint off the UI goroutine.
func (s *exchangeScreen) onProfile(name string) {
	p, err := s.svc.Profiles.Get(name)
	if err != nil {
		s.bar.setStatus(err.Error(), widget.DangerImportance)
		return
	}
	if s.current == nil || s.current.Name != name {
		// The cards and notices belong to the profile they were for.
		s.cards.clear()
		s.more.userinfoReady(false)
	}
	s.fresh.setProfile(name)
	s.load(p)
}

// load reads p's secrets and token endpoint (discovering it when it is not
// cached) off the UI goroutine, and says what is missing.
func (s *exchangeScreen) load(p profiles.Profile) {
	name := p.Name
	s.current = &p
	s.loaded = workspace.Loaded{Profile: p}
	s.more.showGrants(p)
	s.form.showDefaults(p)
	s.setButtons(false)
	s.bar.setStatus("Loading "+name+"…", widget.MediumImportance)
	s.loadings.after(0, s.do, func() func() {
		l, err := s.svc.Load(context.Background(), name)
		return func() {
			if s.current == nil || s.current.Name != name {
				return // another profile was chosen meanwhile
			}
			if err != nil {
				s.bar.setStatus(err.Error(), widget.DangerImportance)
				return
			}
			s.current, s.loaded = &l.Profile, l
			s.updatePreview()
			switch {
			case l.EndpointErr != nil:
				// Offline, or a tenant not reachable from here: a warning
				// with the way out, and Refresh stays on to try again.
				s.bar.setStatus("Cannot reach "+l.Profile.Issuer+" to find its token endpoint ("+l.EndpointErr.Error()+"). Check the domain on the Clients screen and the network, then press Refresh to try again.", widget.WarningImportance)
			case l.SecretsErr != nil:
				s.bar.setStatus(l.SecretsErr.Error(), widget.WarningImportance)
			case l.RefreshToken == "":
				how := "press Sign in… to get one"
				if !s.svc.grantsOf(l.Profile).signsIn() {
					how = "it signs in no user; use Client credentials token below"
				}
				s.bar.setStatus("Profile "+name+" has no refresh token yet: "+how+", or type one in Refresh token above for this run.", widget.WarningImportance)
			default:
				if s.bar.ready() {
					memory, demo := s.inMemory()
					s.bar.sayReady(memory && demo)
				}
			}
		}
	})
}

// request builds the refresh request from the profile and this run's
// overrides, as the workspace will send it.
func (s *exchangeScreen) request() (exchange.Request, error) {
	if s.current == nil {
		return exchange.Request{}, errors.New("choose a profile first")
	}
	if s.loaded.TokenURL == "" && s.loaded.EndpointErr == nil {
		return exchange.Request{}, errors.New("the token endpoint is not known yet: discover it on the Clients screen")
	}
	o, err := s.form.overrides()
	if err != nil {
		return exchange.Request{}, err
	}
	return workspace.Request(s.loaded, o)
}

// updatePreview shows the request Refresh would send, or why there is none.
func (s *exchangeScreen) updatePreview() {
	r, err := s.request()
	if err != nil && s.current != nil && s.loaded.EndpointErr != nil {
		s.preview.say("The request is shown once the token endpoint of " + s.current.Issuer + " is known.")
		s.setButtons(false)
		s.bar.setReady(true) // tries the discovery again
		return
	}
	if err != nil {
		s.preview.say("")
		s.setButtons(false)
		if s.current != nil && s.loaded.TokenURL != "" {
			s.bar.setStatus(err.Error()+".", widget.WarningImportance)
		}
		return
	}
	if err := s.preview.show(r); err != nil {
		s.preview.say(err.Error())
		s.setButtons(false)
		return
	}
	s.setButtons(true)
}

// setButtons turns Refresh and the preview's copy buttons on or off.
func (s *exchangeScreen) setButtons(ready bool) {
	s.bar.setReady(ready)
	s.preview.setReady(ready)
}

// refreshTimes keeps "expires in …" on the cards true as the clock runs.
func (s *exchangeScreen) refreshTimes() { s.cards.refreshTimes() }

// refreshIfReady is Ctrl+R: Refresh, unless a request runs or the request
// is not ready.
func (s *exchangeScreen) refreshIfReady() {
	if !s.form.locked() && s.bar.ready() {
		s.onRefresh()
	}
}

// cancelRunning cancels a running refresh or sign-in (Escape).
func (s *exchangeScreen) cancelRunning() {
	s.bar.cancelRun()
	s.more.cancelSignIn()
}
