package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/exchange"
	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/safetext"
	"github.com/tokenscope/tokenscope/internal/secrets"
	"github.com/tokenscope/tokenscope/internal/tokens"
	"github.com/tokenscope/tokenscope/internal/workspace"
)

// exchangeScreen runs the refresh grant for a profile and shows the result.
type exchangeScreen struct {
	svc *Services
	win fyne.Window
	do  uiDo
	// inspect opens a token in the inspector.
	inspect func(token string)

	profile     *widget.Select
	audience    *widget.Entry
	scope       *widget.Entry
	params      *widget.Entry
	runSecret   *widget.Entry
	runRefresh  *widget.Entry
	preview     *widget.Label
	copyBtn     *widget.Button
	copySecBtn  *widget.Button
	refreshBtn  *widget.Button
	cancelBtn   *widget.Button
	signInBtn   *widget.Button
	deviceBtn   *widget.Button
	userinfoBtn *widget.Button
	revokeBtn   *widget.Button
	ccBtn       *widget.Button
	// What the "Sign in and more" card offers depends on the profile's
	// grants: the sign-in buttons, or a sentence naming a profile that can
	// sign in with a button to switch to it; client credentials only for
	// a client that has them.
	signInRow *fyne.Container
	switchMsg *widget.Label
	switchBtn *widget.Button
	switchRow *fyne.Container
	ccRow     *fyne.Container
	switchTo  string
	// autoPick is the profile reloadProfiles chose when nobody had.
	autoPick string
	signIn   *signInFlow
	progress *widget.ProgressBarInfinite
	status   *widget.Label
	notice   *widget.Label
	cards    *fyne.Container
	history  *widget.List
	chart    *historyChart
	// The access token's expiry on the cards, ticking.
	expiry      time.Time
	expiryLabel *widget.Label
	// Keep fresh and the refresh-token family (a panel of its own).
	fresh *freshPanel

	// UI-goroutine state.
	current *profiles.Profile
	loaded  workspace.Loaded // the selected profile as last read (secrets, endpoint)
	running string           // the profile a refresh is running for, or ""
	// keyringSaid: the status line has said once that the demo keeps its
	// secrets in memory (no OS keyring here).
	keyringSaid bool
	entries     []exchange.Entry
	cancel      context.CancelFunc
	shown       map[string]string // the tokens on the cards, by name
	// The "only copy" dialog and its buttons, for tests.
	onlyCopy                   dialog.Dialog
	onlyCopyCopy, onlyCopyDone *widget.Button
	busy                       sync.WaitGroup
	loadings                   latest
}

func newExchangeScreen(svc *Services, win fyne.Window, do uiDo, inspect func(string)) *exchangeScreen {
	s := &exchangeScreen{svc: svc, win: win, do: do, inspect: inspect, shown: map[string]string{}}
	s.loadings.busy = &s.busy
	s.buildUI()
	s.reloadProfiles()
	s.reloadHistory()
	return s
}

func (s *exchangeScreen) buildUI() {
	s.profile = widget.NewSelect(nil, s.onProfile)
	s.profile.PlaceHolder = "choose a client profile"
	s.audience = widget.NewEntry()
	s.scope = widget.NewEntry()
	s.params = widget.NewMultiLineEntry()
	s.params.SetMinRowsVisible(2)
	s.params.SetPlaceHolder("extra parameters for this run, KEY=VALUE a line")
	s.runSecret = widget.NewPasswordEntry()
	s.runSecret.SetPlaceHolder("client secret for this run only (default: the keyring's)")
	s.runRefresh = widget.NewPasswordEntry()
	s.runRefresh.SetPlaceHolder("refresh token for this run only (default: the keyring's)")
	for _, e := range []*widget.Entry{s.audience, s.scope, s.params, s.runSecret, s.runRefresh} {
		e.OnChanged = func(string) { s.updatePreview() }
	}
	s.preview = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	s.copyBtn = copyButton("Copy", s.do, s.clipboard, func() string { return s.preview.Text })
	s.copySecBtn = widget.NewButtonWithIcon("Copy with secrets", theme.VisibilityIcon(), s.onCopyWithSecrets)
	s.refreshBtn = widget.NewButtonWithIcon("Refresh", theme.ViewRefreshIcon(), s.onRefresh)
	s.refreshBtn.Importance = widget.HighImportance
	s.cancelBtn = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), s.onCancel)
	s.cancelBtn.Disable()
	s.signIn = &signInFlow{svc: s.svc, win: s.win, do: s.do, busy: &s.busy}
	s.signInBtn = widget.NewButtonWithIcon("Sign in…", theme.LoginIcon(), func() { s.onSignIn(false) })
	s.deviceBtn = widget.NewButtonWithIcon("Sign in with a code…", theme.ComputerIcon(), func() { s.onSignIn(true) })
	s.userinfoBtn = widget.NewButtonWithIcon("Call /userinfo", theme.AccountIcon(), s.onUserinfo)
	s.userinfoBtn.Disable()
	s.revokeBtn = widget.NewButtonWithIcon("Revoke refresh token…", theme.DeleteIcon(), s.onRevoke)
	s.ccBtn = widget.NewButtonWithIcon("Client credentials token", theme.ComputerIcon(), s.onClientCredentials)
	s.signInRow = container.NewHBox(s.signInBtn, s.deviceBtn)
	s.switchMsg = wrapLabel("")
	s.switchBtn = widget.NewButtonWithIcon("Switch", theme.NavigateNextIcon(), s.onSwitchToSignIn)
	s.switchRow = border(nil, nil, nil, s.switchBtn, s.switchMsg)
	s.switchRow.Hide()
	s.ccRow = border(nil, nil, s.ccBtn, nil, wrapLabel("A token for the Audience above, with no user (machine to machine)."))
	s.progress = widget.NewProgressBarInfinite()
	s.progress.Stop()
	s.progress.Hide()
	s.status = wrapLabel("Choose a profile, then Refresh.")
	s.notice = wrapLabel("")
	s.notice.Hide()
	s.cards = container.NewVBox(wrapLabel("The response appears here after Refresh: each token with Inspect and Copy."))
	s.chart = newHistoryChart()
	s.history = widget.NewList(
		func() int { return len(s.entries) },
		func() fyne.CanvasObject { return widget.NewLabel("2026-01-01 00:00:00  profile  200  100 ms") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(historyLine(s.entries[i])) })
	s.fresh = newFreshPanel(s.svc, s.win, s.do, &s.busy, notifyDesktop)
	s.fresh.onRefreshed = s.reloadHistory
	s.setButtons(false)
}

// notifyDesktop raises a desktop notification.
func notifyDesktop(title, body string) {
	if a := fyne.CurrentApp(); a != nil {
		a.SendNotification(fyne.NewNotification(title, body))
	}
}

func historyLine(e exchange.Entry) string {
	status := fmt.Sprint(e.Status)
	if e.Status == 0 {
		status = "—"
	}
	line := fmt.Sprintf("%s  %s  %s  %d ms", e.Time.Local().Format("2006-01-02 15:04:05"), e.Profile, status, e.DurationMS)
	if e.Error != "" {
		line += "  " + e.Error
	}
	if e.Rotated {
		line += "  rotated"
	}
	return line
}

// view: what the request is made of on the left (the profile, this run's
// changes, the ways to get a first refresh token) with Refresh at the
// bottom; the request and its answer on the right, above the history.
func (s *exchangeScreen) view() fyne.CanvasObject {
	form := widget.NewForm(
		widget.NewFormItem("Profile", s.profile),
		widget.NewFormItem("Audience", s.audience),
		widget.NewFormItem("Scope", s.scope),
		widget.NewFormItem("Parameters", s.params),
		widget.NewFormItem("Client secret", s.runSecret),
		widget.NewFormItem("Refresh token", s.runRefresh),
	)
	// A fixed height: the preview's text changes after layout.
	previewBox := container.NewScroll(s.preview)
	previewBox.SetMinSize(fyne.NewSize(0, 140))
	// The action bar stays at the bottom of the pane, whatever the height:
	// Refresh is never below the fold.
	actions := container.NewVBox(widget.NewSeparator(), container.NewHBox(s.refreshBtn, s.cancelBtn), s.progress, s.status)
	left := border(nil, actions, nil, nil, container.NewVScroll(container.NewVBox(
		form,
		widget.NewCard("", "Sign in and more", container.NewVBox(
			s.signInRow, s.switchRow,
			container.NewHBox(s.userinfoBtn, s.revokeBtn),
			s.ccRow)),
		widget.NewCard("", "Keep fresh", s.fresh.view()),
	)))
	request := widget.NewCard("", "Request (secrets masked)", border(nil, container.NewHBox(s.copyBtn, s.copySecBtn), nil, nil, previewBox))
	right := container.NewVSplit(
		container.NewVScroll(container.NewVBox(request, s.notice, s.cards)),
		widget.NewCard("", "History", border(s.chart, nil, nil, nil, s.history)),
	)
	right.Offset = 0.7
	split := container.NewHSplit(left, right)
	split.Offset = 0.45
	return split
}

func (s *exchangeScreen) clipboard() fyne.Clipboard { return fyne.CurrentApp().Clipboard() }

func (s *exchangeScreen) focus() { s.win.Canvas().Focus(s.profile) }

// applyGrants shows the sign-in actions p's client has: a demo profile
// that signs in no user gets one sentence naming a demo profile that can,
// and a button to switch to it.
func (s *exchangeScreen) applyGrants(p profiles.Profile) {
	g := s.svc.grantsOf(p)
	showIf(s.signInBtn, g.code)
	showIf(s.deviceBtn, g.device)
	showIf(s.ccRow, g.clientCredentials)
	s.switchTo = ""
	if g.signsIn() {
		s.signInRow.Show()
		s.switchRow.Hide()
		return
	}
	s.signInRow.Hide()
	msg := p.Name + " is a client for machines: no user signs in with it."
	if other := s.svc.demoSignInProfile(); other != "" {
		s.switchTo = other
		msg += " To sign in, use " + other + "."
		s.switchBtn.SetText("Switch to " + other)
		s.switchBtn.Show()
	} else {
		s.switchBtn.Hide()
	}
	s.switchMsg.SetText(msg)
	s.switchRow.Show()
}

func showIf(o fyne.CanvasObject, show bool) {
	if show {
		o.Show()
	} else {
		o.Hide()
	}
}

// onSwitchToSignIn chooses the profile the sentence names.
func (s *exchangeScreen) onSwitchToSignIn() {
	if s.switchTo != "" && s.running == "" {
		s.profile.SetSelected(s.switchTo)
	}
}

// chooseDemo chooses the demo profile that can do most (refresh, and sign
// in both ways): the first run's profile.
func (s *exchangeScreen) chooseDemo() {
	if name := s.svc.demoSignInProfile(); name != "" && s.running == "" {
		s.profile.SetSelected(name)
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
	s.profile.Options = names
	s.profile.Refresh()
	if s.current != nil {
		for _, p := range ps {
			if p.Name == s.current.Name {
				s.profile.SetSelected(p.Name)
				return
			}
		}
		s.profile.ClearSelected()
		s.current = nil
	}
	if s.current == nil && len(names) > 0 {
		// Nobody chose yet: the demo profile that can do most, else the first.
		s.autoPick = names[0]
		if name := s.svc.demoSignInProfile(); name != "" {
			s.autoPick = name
		}
		s.profile.SetSelected(s.autoPick)
	}
}

func (s *exchangeScreen) reloadHistory() {
	if s.svc.History == nil {
		return
	}
	s.entries, _ = s.svc.History.Load()
	s.history.Refresh()
	s.chart.setEntries(s.entries)
	s.fresh.reloadFamily() // a refresh, a sign-in or a revocation changed it
}

// onProfile loads the profile's secrets and endpoint off the UI goroutine.
func (s *exchangeScreen) onProfile(name string) {
	if s.running != "" && name != s.running {
		// The picker is disabled while a refresh runs; never switch under it.
		s.profile.SetSelected(s.running)
		return
	}
	p, err := s.svc.Profiles.Get(name)
	if err != nil {
		s.setStatus(err.Error(), widget.DangerImportance)
		return
	}
	if s.current == nil || s.current.Name != name {
		// The cards and notices belong to the profile they were for.
		s.cards.RemoveAll()
		s.cards.Add(wrapLabel("The response appears here after Refresh: each token with Inspect and Copy."))
		s.shown = map[string]string{}
		s.notice.Hide()
		s.userinfoBtn.Disable()
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
	s.applyGrants(p)
	s.audience.SetPlaceHolder(orNone(p.Audience, "profile: none"))
	s.scope.SetPlaceHolder(orNone(p.Scope, "profile: none"))
	s.setButtons(false)
	s.setStatus("Loading "+name+"…", widget.MediumImportance)
	s.loadings.after(0, s.do, func() func() {
		l, err := s.svc.Load(context.Background(), name)
		return func() {
			if s.current == nil || s.current.Name != name {
				return // another profile was chosen meanwhile
			}
			if err != nil {
				s.setStatus(err.Error(), widget.DangerImportance)
				return
			}
			s.current, s.loaded = &l.Profile, l
			s.updatePreview()
			switch {
			case l.EndpointErr != nil:
				// Offline, or a tenant not reachable from here: a warning
				// with the way out, and Refresh stays on to try again.
				s.setStatus("Cannot reach "+l.Profile.Issuer+" to find its token endpoint ("+l.EndpointErr.Error()+"). Check the domain on the Clients screen and the network, then press Refresh to try again.", widget.WarningImportance)
			case l.SecretsErr != nil:
				s.setStatus(l.SecretsErr.Error(), widget.WarningImportance)
			case l.RefreshToken == "":
				how := "press Sign in… to get one"
				if !s.svc.grantsOf(l.Profile).signsIn() {
					how = "it signs in no user; use Client credentials token below"
				}
				s.setStatus("Profile "+name+" has no refresh token yet: "+how+", or type one in Refresh token above for this run.", widget.WarningImportance)
			default:
				if !s.refreshBtn.Disabled() {
					msg := "Ready: Refresh sends the request shown (Ctrl+R)."
					if memory, demo := s.inMemory(); memory && demo && !s.keyringSaid {
						// Once, calmly: a demo needs no keyring.
						s.keyringSaid = true
						msg += " No OS keyring here: the demo keeps its secrets in memory for this run."
					}
					s.setStatus(msg, widget.MediumImportance)
				}
			}
		}
	})
}

func orNone(v, fallback string) string {
	if v == "" {
		return fallback
	}
	return "profile: " + v
}

// overrides are this run's changes to the profile's request.
func (s *exchangeScreen) overrides() (workspace.Overrides, error) {
	extra, err := parseParams(s.params.Text)
	if err != nil {
		return workspace.Overrides{}, err
	}
	return workspace.Overrides{Audience: strings.TrimSpace(s.audience.Text), Scope: strings.TrimSpace(s.scope.Text), Params: extra,
		ClientSecret: s.runSecret.Text, RefreshToken: strings.TrimSpace(s.runRefresh.Text)}, nil
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
	o, err := s.overrides()
	if err != nil {
		return exchange.Request{}, err
	}
	return workspace.Request(s.loaded, o)
}

func (s *exchangeScreen) updatePreview() {
	r, err := s.request()
	if err != nil && s.current != nil && s.loaded.EndpointErr != nil {
		s.preview.SetText("The request is shown once the token endpoint of " + s.current.Issuer + " is known.")
		s.setButtons(false)
		s.refreshBtn.Enable() // tries the discovery again
		return
	}
	if err != nil {
		s.preview.SetText("")
		s.setButtons(false)
		if s.current != nil && s.loaded.TokenURL != "" {
			s.setStatus(err.Error()+".", widget.WarningImportance)
		}
		return
	}
	req, body, err := exchange.Preview(r)
	if err != nil {
		s.preview.SetText(err.Error())
		s.setButtons(false)
		return
	}
	s.preview.SetText(exchange.MaskedCurl(req, body, false))
	s.setButtons(true)
}

func (s *exchangeScreen) setButtons(ready bool) {
	for _, b := range []*widget.Button{s.refreshBtn, s.copyBtn, s.copySecBtn} {
		if ready {
			b.Enable()
		} else {
			b.Disable()
		}
	}
}

func (s *exchangeScreen) onCopyWithSecrets() {
	r, err := s.request()
	if err != nil {
		return
	}
	req, body, err := exchange.Preview(r)
	if err != nil {
		return
	}
	copySecret(s.do, s.clipboard(), exchange.MaskedCurl(req, body, true))
	s.setStatus(fmt.Sprintf("Copied with secrets; the clipboard is cleared in %d s.", int(secretClipboardTTL.Seconds())), widget.MediumImportance)
}

func (s *exchangeScreen) setStatus(msg string, imp widget.Importance) {
	s.status.Importance = imp
	s.status.SetText(safetext.Block(msg)) // it may quote a server, a file or a token
}

// onRefresh sends the request off the UI goroutine, through the
// workspace: it holds the profile's lock (shared with the command line and
// any other window), reads the refresh token again under it, and stores a
// rotated one before anything else. The picker is disabled meanwhile and
// the result is bound to the profile it was for.
func (s *exchangeScreen) onRefresh() {
	if s.current != nil && s.loaded.EndpointErr != nil && s.running == "" {
		s.load(*s.current) // discovery again
		return
	}
	if _, err := s.request(); err != nil {
		s.setStatus(err.Error()+".", widget.DangerImportance)
		return
	}
	o, _ := s.overrides()
	name := s.current.Name
	s.running = name
	s.profile.Disable()
	s.refreshBtn.Disable()
	s.cancelBtn.Enable()
	s.progress.Show()
	s.progress.Start()
	s.setStatus("Refreshing "+name+" at "+s.loaded.TokenURL+"…", widget.MediumImportance)
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	s.busy.Add(1)
	go func() {
		defer s.busy.Done()
		defer cancel()
		res := s.svc.Refresh(ctx, name, workspace.RefreshOptions{Overrides: o, OnWait: func() {
			s.do(func() {
				s.setStatus("Another refresh of "+name+" is running (the command line or another window): waiting for it to store its new refresh token…", widget.WarningImportance)
			})
		}})
		l, _ := s.svc.Load(context.Background(), name) // the rotated token, for the next preview
		s.do(func() {
			s.running = ""
			s.cancel = nil
			s.profile.Enable()
			s.cancelBtn.Disable()
			s.refreshBtn.Enable()
			s.progress.Stop()
			s.progress.Hide()
			s.reloadHistory()
			if s.current == nil || s.current.Name != name {
				return
			}
			if l.Profile.Name == name {
				s.loaded = l
			}
			s.showResult(name, res)
		})
	}()
}

// onSignIn signs in with the selected profile and shows the tokens as a
// refresh's are shown.
func (s *exchangeScreen) onSignIn(device bool) {
	if s.current == nil || s.running != "" {
		return
	}
	name := s.current.Name
	s.running = name
	s.profile.Disable()
	s.setStatus("Signing in with "+name+"…", widget.MediumImportance)
	s.signIn.start(name, device, func(res workspace.LoginResult) {
		s.running = ""
		s.profile.Enable()
		s.reloadHistory()
		if s.current == nil || s.current.Name != name {
			return
		}
		if res.Response != nil {
			s.showResult(name, workspace.RefreshResult{Profile: res.Profile, Response: res.Response, Err: res.Err})
			if memory, demo := s.inMemory(); !res.Response.Rotated && needsOnlyCopy(res.Response, memory, demo) {
				s.showOnlyCopy(name, res.Response) // showResult shows it for a rotated one
			}
			if res.Response.Stored {
				s.notice.Hide() // "rotated" is a refresh's word; the status says what happened
			}
		}
		memory, demo := s.inMemory()
		msg, imp := loginResultText(name, res, memory, demo)
		s.setStatus(msg, imp)
		if res.Err == nil {
			s.reloadQuietly(name) // the new refresh token, for the next preview
		}
	})
}

// onClientCredentials runs the client credentials grant for a confidential
// profile, with the Audience and Scope typed above (the profile's audience
// otherwise), and shows the token as a refresh's are shown.
func (s *exchangeScreen) onClientCredentials() {
	if s.current == nil || s.running != "" {
		return
	}
	name, aud, scope := s.current.Name, strings.TrimSpace(s.audience.Text), strings.TrimSpace(s.scope.Text)
	s.running = name
	s.profile.Disable()
	s.ccBtn.Disable()
	s.setStatus("Asking for a client credentials token for "+name+"…", widget.MediumImportance)
	s.busy.Add(1)
	go func() {
		defer s.busy.Done()
		res := s.svc.ClientCredentials(context.Background(), name, aud, scope)
		s.do(func() {
			s.running = ""
			s.profile.Enable()
			s.ccBtn.Enable()
			s.reloadHistory()
			if !res.Sent {
				s.setStatus(res.Err.Error()+".", widget.DangerImportance)
				return
			}
			s.showResult(name, res)
			if res.Err == nil {
				s.setStatus(fmt.Sprintf("Client credentials token for %s: HTTP %d.", name, res.Response.Status), widget.SuccessImportance)
			}
		})
	}()
}

// onUserinfo calls /userinfo with the access token on the cards and shows
// its claims beside the ID token's.
func (s *exchangeScreen) onUserinfo() {
	at, name := s.shown["access_token"], ""
	if s.current != nil {
		name = s.current.Name
	}
	if at == "" || name == "" {
		return
	}
	idToken := s.shown["id_token"]
	s.userinfoBtn.Disable()
	s.setStatus("Calling /userinfo…", widget.MediumImportance)
	s.busy.Add(1)
	go func() {
		defer s.busy.Done()
		res := s.svc.Userinfo(context.Background(), name, at)
		s.do(func() {
			s.userinfoBtn.Enable()
			if res.Err != nil {
				s.setStatus(res.Err.Error()+".", widget.DangerImportance)
				return
			}
			s.setStatus(fmt.Sprintf("/userinfo answered HTTP %d.", res.Status), widget.SuccessImportance)
			var idClaims map[string]any
			if tok, err := tokens.Decode(idToken, time.Now()); err == nil && idToken != "" {
				idClaims = tok.ClaimsMap()
			}
			s.cards.Add(widget.NewCard("/userinfo", "claims beside the ID token's", userinfoTable(res.Claims, idClaims)))
		})
	}()
}

// userinfoTable lines up /userinfo's claims with the ID token's.
func userinfoTable(ui, id map[string]any) fyne.CanvasObject {
	grid := container.NewGridWithColumns(3, widget.NewLabelWithStyle("claim", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewLabelWithStyle("/userinfo", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewLabelWithStyle("ID token", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	for _, d := range tokens.CompareClaims(ui, id) {
		grid.Add(widget.NewLabel(safetext.Line(d.Name)))
		grid.Add(wrapLabel(safetext.Line(claimText(d.Left))))
		grid.Add(wrapLabel(safetext.Line(claimText(d.Right))))
	}
	return grid
}

func claimText(v any) string {
	if v == nil {
		return "—"
	}
	return fmt.Sprint(v)
}

// onRevoke revokes the profile's stored refresh token, after a confirmation.
func (s *exchangeScreen) onRevoke() {
	if s.current == nil {
		return
	}
	name := s.current.Name
	dialog.ShowConfirm("Revoke the refresh token of "+name+"?", "The server revokes it; the keyring entry is removed only after it accepted. Sign in again to get a new one.", func(ok bool) {
		if ok {
			s.revoke(name)
		}
	}, s.win)
}

func (s *exchangeScreen) revoke(name string) {
	s.revokeBtn.Disable()
	s.setStatus("Revoking the refresh token of "+name+"…", widget.MediumImportance)
	s.busy.Add(1)
	go func() {
		defer s.busy.Done()
		endpoint, err := s.svc.Revoke(context.Background(), name)
		s.do(func() {
			s.revokeBtn.Enable()
			if err != nil {
				s.setStatus(err.Error()+".", widget.DangerImportance)
				return
			}
			s.setStatus("Revoked at "+endpoint+"; the keyring entry of "+name+" is removed.", widget.SuccessImportance)
			s.reloadQuietly(name)
		})
	}()
}

// reloadQuietly reads the profile's stored secrets again for the preview,
// leaving the status line as it is.
func (s *exchangeScreen) reloadQuietly(name string) {
	s.busy.Add(1)
	go func() {
		defer s.busy.Done()
		l, err := s.svc.Load(context.Background(), name)
		s.do(func() {
			if err == nil && s.current != nil && s.current.Name == name {
				s.current, s.loaded = &l.Profile, l
				r, rerr := s.request()
				if rerr == nil {
					if req, body, perr := exchange.Preview(r); perr == nil {
						s.preview.SetText(exchange.MaskedCurl(req, body, false))
					}
				}
				s.setButtons(rerr == nil)
			}
		})
	}()
}

func (s *exchangeScreen) onCancel() {
	if s.cancel != nil {
		s.cancel()
	}
}

func (s *exchangeScreen) showResult(profile string, res workspace.RefreshResult) {
	resp, err := res.Response, res.Err
	s.cards.RemoveAll()
	s.shown = map[string]string{}
	s.notice.Hide()
	memory, demo := s.inMemory()
	if resp != nil && resp.Rotated && needsOnlyCopy(resp, memory, demo) {
		s.showOnlyCopy(profile, resp)
	}
	if err != nil {
		var xe *exchange.Error
		title := "Refresh failed"
		if errors.As(err, &xe) && xe.Status != 0 {
			title = fmt.Sprintf("Refresh failed: HTTP %d %s", xe.Status, xe.Code)
		}
		s.setStatus(title+".", widget.DangerImportance)
		body := wrapLabel(safetext.Block(err.Error()) + ".")
		body.Importance = widget.DangerImportance
		s.cards.Add(widget.NewCard(title, "", body))
		return
	}
	s.setStatus(fmt.Sprintf("Refreshed: HTTP %d in %d ms (profile %s).", resp.Status, resp.Duration.Milliseconds(), profile), widget.SuccessImportance)
	switch {
	case resp.Rotated && resp.Stored:
		where := " in the OS keyring"
		switch {
		case memory && demo:
			where = " (in memory for this run, as the demo's secrets are)"
		case memory:
			where = " in memory until Tokenscope closes (no OS keyring here; the Clients screen says what to install)"
		}
		s.notice.Importance = widget.SuccessImportance
		s.notice.SetText("The refresh token rotated: the new one replaced the old" + where + " for profile " + profile + "; the old one no longer works.")
		s.notice.Show()
	case resp.Rotated:
		why := "this run used a typed refresh token"
		if resp.StoreErr != nil {
			why = "it could not be stored: " + safetext.Line(resp.StoreErr.Error())
		}
		s.notice.Importance = widget.DangerImportance
		s.notice.SetText("The refresh token rotated and the new one was not saved (" + why + "). It is below, and it is the only copy: copy it now.")
		s.notice.Show()
	}
	if ig := res.Ignored(); ig != nil {
		// What was asked for and not granted: Auth0 ignores it silently.
		body := wrapLabel(safetext.Line(ig.Explanation))
		body.Importance = widget.WarningImportance
		s.cards.Add(widget.NewCard("Asked for, not granted", "", body))
	}
	if resp.AccessToken != "" {
		s.userinfoBtn.Enable()
	}
	s.addTokenCard("Access token", "access_token", resp.AccessToken, true)
	s.addTokenCard("ID token", "id_token", resp.IDToken, true)
	s.addTokenCard("Refresh token", "refresh_token", resp.RefreshToken, false)
	s.expiry, s.expiryLabel = resp.Expiry, nil
	if !resp.Expiry.IsZero() {
		s.expiryLabel = widget.NewLabel("")
		s.refreshTimes()
		s.cards.Add(widget.NewCard("Expiry", "", s.expiryLabel))
	}
	if resp.Scope != "" {
		s.cards.Add(widget.NewCard("Scope", "", wrapLabel(safetext.Line(resp.Scope))))
	}
	s.updatePreview()
}

// showOnlyCopy shows a rotated refresh token that is not safely stored in
// a dialog that only an explicit "I have saved it" closes: Escape and a
// click outside do nothing.
func (s *exchangeScreen) showOnlyCopy(profile string, resp *exchange.Response) {
	s.onlyCopy, s.onlyCopyCopy, s.onlyCopyDone = showOnlyCopy(s.win, s.do, s.clipboard(), profile, resp)
}

// refreshTimes keeps "expires in …" true as the clock runs.
func (s *exchangeScreen) refreshTimes() {
	if s.expiryLabel != nil {
		s.expiryLabel.SetText(tokens.ExpiryPhrase(s.expiry, s.svc.Now()) + " (" + s.expiry.Local().Format("2006-01-02 15:04:05") + ")")
	}
}

// addTokenCard shows one token with Inspect (for JWTs and opaque access
// tokens) and Copy. A refresh token is masked unless it is the only copy.
func (s *exchangeScreen) addTokenCard(title, name, tok string, inspectable bool) {
	if tok == "" {
		return
	}
	s.shown[name] = tok
	shown := truncate(tok, 300)
	var actions []fyne.CanvasObject
	if inspectable {
		actions = append(actions, widget.NewButtonWithIcon("Inspect", theme.SearchIcon(), func() { s.inspect(tok) }))
		actions = append(actions, copyButton("Copy", s.do, s.clipboard, func() string { return tok }))
	} else {
		if s.notice.Importance != widget.DangerImportance {
			shown = secrets.Mask(tok)
		}
		actions = append(actions, widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), func() { copySecret(s.do, s.clipboard(), tok) }))
	}
	s.cards.Add(widget.NewCard(title, "", container.NewVBox(monoLabel(safetext.Line(shown)), container.NewHBox(actions...))))
}
