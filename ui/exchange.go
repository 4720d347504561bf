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
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/discovery"
	"github.com/tokenscope/tokenscope/internal/exchange"
	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/secrets"
	"github.com/tokenscope/tokenscope/internal/tokens"
)

// exchangeScreen runs the refresh grant for a profile and shows the result.
type exchangeScreen struct {
	svc Services
	win fyne.Window
	do  uiDo
	// inspect opens a token in the inspector.
	inspect func(token string)

	profile    *widget.Select
	audience   *widget.Entry
	scope      *widget.Entry
	params     *widget.Entry
	runSecret  *widget.Entry
	runRefresh *widget.Entry
	preview    *widget.Label
	copyBtn    *widget.Button
	copySecBtn *widget.Button
	refreshBtn *widget.Button
	cancelBtn  *widget.Button
	progress   *widget.ProgressBarInfinite
	status     *widget.Label
	notice     *widget.Label
	cards      *fyne.Container
	history    *widget.List

	// UI-goroutine state.
	current  *profiles.Profile
	secret   string // from the keyring, for the selected profile
	rt       string
	entries  []exchange.Entry
	cancel   context.CancelFunc
	shown    map[string]string // the tokens on the cards, by name
	busy     sync.WaitGroup
	loadings latest
}

func newExchangeScreen(svc Services, win fyne.Window, do uiDo, inspect func(string)) *exchangeScreen {
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
	s.progress = widget.NewProgressBarInfinite()
	s.progress.Stop()
	s.progress.Hide()
	s.status = wrapLabel("Choose a profile, then Refresh.")
	s.notice = wrapLabel("")
	s.notice.Hide()
	s.cards = container.NewVBox(wrapLabel("The response appears here after Refresh: each token with Inspect and Copy."))
	s.history = widget.NewList(
		func() int { return len(s.entries) },
		func() fyne.CanvasObject { return widget.NewLabel("2026-01-01 00:00:00  profile  200  100 ms") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(historyLine(s.entries[i])) })
	s.setButtons(false)
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
	previewBox.SetMinSize(fyne.NewSize(0, 190))
	left := container.NewVScroll(container.NewVBox(
		form,
		widget.NewCard("", "Request (secrets masked)", container.NewBorder(nil, container.NewHBox(s.copyBtn, s.copySecBtn), nil, nil, previewBox)),
		container.NewHBox(s.refreshBtn, s.cancelBtn), s.progress, s.status,
	))
	right := container.NewVSplit(
		container.NewVScroll(container.NewVBox(s.notice, s.cards)),
		widget.NewCard("", "History", s.history),
	)
	right.Offset = 0.7
	split := container.NewHSplit(left, right)
	split.Offset = 0.45
	return split
}

func (s *exchangeScreen) clipboard() fyne.Clipboard { return fyne.CurrentApp().Clipboard() }

func (s *exchangeScreen) focus() { s.win.Canvas().Focus(s.profile) }

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
		s.profile.SetSelected(names[0])
	}
}

func (s *exchangeScreen) reloadHistory() {
	if s.svc.History == nil {
		return
	}
	s.entries, _ = s.svc.History.Load()
	s.history.Refresh()
}

// onProfile loads the profile's secrets and endpoint off the UI goroutine.
func (s *exchangeScreen) onProfile(name string) {
	p, err := s.svc.Profiles.Get(name)
	if err != nil {
		s.setStatus(err.Error(), widget.DangerImportance)
		return
	}
	s.current = &p
	s.secret, s.rt = "", ""
	s.audience.SetPlaceHolder(orNone(p.Audience, "profile: none"))
	s.scope.SetPlaceHolder(orNone(p.Scope, "profile: none"))
	s.setButtons(false)
	s.setStatus("Loading "+name+"…", widget.MediumImportance)
	s.loadings.after(0, s.do, func() func() {
		secret, _ := s.svc.Secrets.Get(p.Name, secrets.ClientSecret)
		rt, rtErr := s.svc.Secrets.Get(p.Name, secrets.RefreshToken)
		var discErr error
		if p.Endpoints == nil {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if m, err := discovery.Discover(ctx, s.svc.HTTP, p.Issuer); err == nil {
				p.Endpoints = &profiles.Endpoints{Token: m.TokenEndpoint, JWKS: m.JWKSURI, Userinfo: m.UserinfoEndpoint, DiscoveredAt: time.Now().UTC()}
				_ = s.svc.Profiles.Put(p)
			} else {
				discErr = err
			}
		}
		return func() {
			s.current = &p
			s.secret, s.rt = secret, rt
			s.updatePreview()
			switch {
			case discErr != nil:
				s.setStatus("Cannot find the token endpoint: "+discErr.Error(), widget.DangerImportance)
			case rt == "" && errors.Is(rtErr, secrets.ErrNotFound):
				s.setStatus("Profile "+p.Name+" has no refresh token yet: add one on the Clients screen, or type one above for this run.", widget.WarningImportance)
			default:
				if !s.refreshBtn.Disabled() {
					s.setStatus("Ready: Refresh sends the request shown.", widget.MediumImportance)
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

// request builds the refresh request from the profile and this run's
// overrides.
func (s *exchangeScreen) request() (exchange.Request, error) {
	p := s.current
	if p == nil {
		return exchange.Request{}, errors.New("choose a profile first")
	}
	if p.Endpoints == nil {
		return exchange.Request{}, errors.New("the token endpoint is not known yet: discover it on the Clients screen")
	}
	r := exchange.Request{TokenURL: p.Endpoints.Token, ClientID: p.ClientID, Auth: exchange.Auth(p.Auth), Audience: p.Audience, Scope: p.Scope,
		ClientSecret: s.secret, RefreshToken: s.rt, Params: map[string]string{}}
	for k, v := range p.Params {
		r.Params[k] = v
	}
	if v := strings.TrimSpace(s.audience.Text); v != "" {
		r.Audience = v
	}
	if v := strings.TrimSpace(s.scope.Text); v != "" {
		r.Scope = v
	}
	extra, err := parseParams(s.params.Text)
	if err != nil {
		return r, err
	}
	for k, v := range extra {
		r.Params[k] = v
	}
	if s.runSecret.Text != "" {
		r.ClientSecret = s.runSecret.Text
	}
	if s.runRefresh.Text != "" {
		r.RefreshToken = strings.TrimSpace(s.runRefresh.Text)
	}
	return r, r.Validate()
}

func (s *exchangeScreen) updatePreview() {
	r, err := s.request()
	if err != nil {
		s.preview.SetText("")
		s.setButtons(false)
		if s.current != nil && s.current.Endpoints != nil {
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
	s.status.SetText(msg)
}

// onRefresh sends the request off the UI goroutine. The button stays
// disabled until it is done, and the exchange client refuses a second
// refresh of the same profile, so a double click sends one request.
func (s *exchangeScreen) onRefresh() {
	r, err := s.request()
	if err != nil {
		s.setStatus(err.Error()+".", widget.DangerImportance)
		return
	}
	name := s.current.Name
	s.refreshBtn.Disable()
	s.cancelBtn.Enable()
	s.progress.Show()
	s.progress.Start()
	s.setStatus("Refreshing at "+r.TokenURL+"…", widget.MediumImportance)
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	// The new refresh token goes to the keyring before anything else,
	// unless this run used a typed token (then the user keeps it).
	var store func(string) error
	if s.runRefresh.Text == "" {
		store = func(tok string) error { return s.svc.Secrets.Set(name, secrets.RefreshToken, tok) }
	}
	s.busy.Add(1)
	go func() {
		defer s.busy.Done()
		defer cancel()
		start := time.Now()
		resp, err := s.svc.Exchange.Refresh(ctx, name, r, store)
		if s.svc.History != nil {
			_ = s.svc.History.Add(exchange.EntryFor(name, r.TokenURL, start, resp, err))
		}
		s.do(func() {
			s.cancel = nil
			s.cancelBtn.Disable()
			s.refreshBtn.Enable()
			s.progress.Stop()
			s.progress.Hide()
			s.reloadHistory()
			s.showResult(name, resp, err)
		})
	}()
}

func (s *exchangeScreen) onCancel() {
	if s.cancel != nil {
		s.cancel()
	}
}

func (s *exchangeScreen) showResult(profile string, resp *exchange.Response, err error) {
	s.cards.RemoveAll()
	s.shown = map[string]string{}
	s.notice.Hide()
	if err != nil {
		var xe *exchange.Error
		title := "Refresh failed"
		if errors.As(err, &xe) && xe.Status != 0 {
			title = fmt.Sprintf("Refresh failed: HTTP %d %s", xe.Status, xe.Code)
		}
		s.setStatus(title+".", widget.DangerImportance)
		body := wrapLabel(err.Error() + ".")
		body.Importance = widget.DangerImportance
		s.cards.Add(widget.NewCard(title, "", body))
		return
	}
	s.setStatus(fmt.Sprintf("Refreshed: HTTP %d in %d ms.", resp.Status, resp.Duration.Milliseconds()), widget.SuccessImportance)
	switch {
	case resp.Rotated && resp.Stored:
		where := "the OS keyring"
		if f, ok := s.svc.Secrets.(interface{ Unavailable() error }); ok && f.Unavailable() != nil {
			where = "memory for this run (the OS keyring is not available; the Clients screen says why)"
		}
		s.notice.Importance = widget.SuccessImportance
		s.notice.SetText("The refresh token rotated. The new one replaced the old in " + where + " for profile " + profile + "; the old one no longer works.")
		s.notice.Show()
		s.rt = resp.RefreshToken
	case resp.Rotated:
		why := "this run used a typed refresh token"
		if resp.StoreErr != nil {
			why = "it could not be stored: " + resp.StoreErr.Error()
		}
		s.notice.Importance = widget.DangerImportance
		s.notice.SetText("The refresh token rotated and the new one was not saved (" + why + "). It is below, and it is the only copy: copy it now.")
		s.notice.Show()
	}
	s.addTokenCard("Access token", "access_token", resp.AccessToken, true)
	s.addTokenCard("ID token", "id_token", resp.IDToken, true)
	s.addTokenCard("Refresh token", "refresh_token", resp.RefreshToken, false)
	if !resp.Expiry.IsZero() {
		s.cards.Add(widget.NewCard("Expiry", "", widget.NewLabel(tokens.ExpiryPhrase(resp.Expiry, time.Now())+" ("+resp.Expiry.Local().Format("2006-01-02 15:04:05")+")")))
	}
	if resp.Scope != "" {
		s.cards.Add(widget.NewCard("Scope", "", wrapLabel(resp.Scope)))
	}
	s.updatePreview()
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
	s.cards.Add(widget.NewCard(title, "", container.NewVBox(monoLabel(shown), container.NewHBox(actions...))))
}
