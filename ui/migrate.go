package ui

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/demotenant"
	"github.com/tokenscope/tokenscope/internal/httpx"
	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/secrets"
	"github.com/tokenscope/tokenscope/internal/tokens"
	"github.com/tokenscope/tokenscope/internal/workspace"
	"github.com/tokenscope/tokenscope/migrate"
)

// sampleDelegation is a typical legacy call, for people trying the screen.
const sampleDelegation = `curl --request POST \
  --url https://tenant.eu.auth0.com/delegation \
  --header 'Content-Type: application/json' \
  --data '{
    "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer",
    "client_id": "mY8tQj2ZpWk1Lx0c",
    "refresh_token": "v1.MRrT3gL0b_Zqk9xY2wV4uT6sR8q",
    "api_type": "app",
    "scope": "openid profile nickname",
    "device": "my-phone"
  }'`

var formLabels = map[migrate.Form]string{
	migrate.FormJSON: "JSON body", migrate.FormForm: "form body", migrate.FormHTTP: "raw HTTP request",
	migrate.FormCurl: "curl command", migrate.FormHAR: "HAR file", migrate.FormAuthorize: "/authorize URL",
	migrate.FormURL: "URL", migrate.FormFetch: "fetch() call (Copy as fetch)", migrate.FormPowerShell: "PowerShell command (Copy as PowerShell)",
}

// The first choice infers the client authentication from the legacy call.
var authLabels = []string{"as the call did", "none (native app)", "post (client_secret in body)", "basic (Authorization header)"}
var authMethods = []migrate.AuthMethod{"", migrate.AuthNone, migrate.AuthPost, migrate.AuthBasic}

// migrateScreen rewrites legacy /delegation calls into /oauth/token requests.
type migrateScreen struct {
	// onProfilesChanged tells the other screens a profile was saved.
	onProfilesChanged func()
	// inspect opens a token in the inspector.
	inspect func(token string)
	svc     Services
	win     fyne.Window
	do      uiDo

	input    *widget.Entry
	pasteBtn *widget.Button
	openBtn  *widget.Button
	sample   *widget.Button
	clearBtn *widget.Button
	detected *widget.Label

	domain   *widget.Entry
	auth     *widget.Select
	audience *widget.Entry
	format   *widget.Select
	reveal   *widget.Check

	requests   *widget.List
	listBox    *fyne.Container // the list's column, hidden for a single request
	output     *widget.Label
	copyBtn    *widget.Button
	copySecBtn *widget.Button
	saveBtn    *widget.Button
	saveName   *widget.Entry
	compareBtn *widget.Button
	sendBtn    *widget.Button
	compare    *fyne.Container // the side-by-side result
	compared   *workspace.Comparison
	status     *widget.Label
	findings   *fyne.Container

	// UI-goroutine state.
	batch    *migrate.Batch
	results  []migrate.Result
	selected int
	parses   latest
	busy     sync.WaitGroup
	// Send and Compare in flight: cancelled, and their answers dropped,
	// when the request they were sent for changes (see render).
	netGen    int
	netCancel context.CancelFunc
}

func newMigrateScreen(svc Services, win fyne.Window, do uiDo) *migrateScreen {
	s := &migrateScreen{svc: svc, win: win, do: do}
	s.parses.busy = &s.busy
	s.buildUI()
	return s
}

func (s *migrateScreen) buildUI() {
	s.input = widget.NewMultiLineEntry()
	s.input.SetPlaceHolder("Paste a legacy /delegation call: a JSON or form body, a raw HTTP request, a curl command, or open a HAR file.")
	s.input.TextStyle = fyne.TextStyle{Monospace: true}
	s.input.SetMinRowsVisible(12)
	s.input.OnChanged = s.onInputChanged
	s.pasteBtn = widget.NewButtonWithIcon("Paste", theme.ContentPasteIcon(), func() {
		s.setInput(fyne.CurrentApp().Clipboard().Content())
	})
	s.openBtn = widget.NewButtonWithIcon("Open…", theme.FolderOpenIcon(), s.onOpen)
	s.sample = widget.NewButtonWithIcon("Sample", theme.DocumentIcon(), s.onSample)
	s.clearBtn = widget.NewButtonWithIcon("Clear", theme.ContentClearIcon(), func() {
		s.input.Enable()
		s.input.SetText("")
		s.compare.RemoveAll() // Send's and Compare's results belong to the old input
		s.compared = nil
	})
	s.detected = wrapLabel("")

	s.domain = widget.NewEntry()
	s.domain.SetPlaceHolder("tenant.eu.auth0.com (default: the input's host)")
	s.domain.OnChanged = func(string) { s.rewrite() }
	s.auth = widget.NewSelect(authLabels, func(string) { s.rewrite() })
	s.audience = widget.NewEntry()
	s.audience.SetPlaceHolder("optional API identifier")
	s.audience.OnChanged = func(string) { s.rewrite() }
	var names []string
	for _, f := range migrate.Formats {
		names = append(names, string(f))
	}
	s.format = widget.NewSelect(names, func(string) { s.render() })
	s.reveal = widget.NewCheck("Show secrets in the output", func(bool) { s.render() })

	s.requests = widget.NewList(
		func() int { return len(s.results) },
		func() fyne.CanvasObject {
			return container.NewHBox(widget.NewIcon(theme.ConfirmIcon()), widget.NewLabel("HAR entry 0000"))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			box := o.(*fyne.Container)
			r := s.results[i]
			var icon fyne.Resource = theme.NewSuccessThemedResource(theme.ConfirmIcon())
			if !r.Migratable {
				icon = theme.NewErrorThemedResource(theme.CancelIcon())
			}
			box.Objects[0].(*widget.Icon).SetResource(icon)
			box.Objects[1].(*widget.Label).SetText(r.Source.Location)
		})
	s.requests.OnSelected = func(i widget.ListItemID) {
		s.selected = i
		s.stopNet()
		s.render()
	}
	s.output = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	s.output.Selectable = true
	s.copyBtn = copyButton("Copy", s.do, func() fyne.Clipboard { return fyne.CurrentApp().Clipboard() }, func() string { return s.output.Text })
	s.copySecBtn = widget.NewButtonWithIcon("Copy with secrets", theme.VisibilityIcon(), s.onCopyWithSecrets)
	s.saveBtn = widget.NewButtonWithIcon("Save as profile…", theme.DocumentSaveIcon(), s.onSaveProfile)
	s.saveName = widget.NewEntry()
	s.compareBtn = widget.NewButtonWithIcon("Compare", theme.ViewRefreshIcon(), s.onCompare)
	s.compareBtn.Disable()
	if s.svc.Demo == nil {
		s.compareBtn.Hide() // it only talks to the embedded demo tenant
	}
	s.compare = container.NewVBox()
	s.sendBtn = widget.NewButtonWithIcon("Send", theme.MailSendIcon(), s.onSend)
	s.sendBtn.Disable()
	s.copyBtn.Disable()
	s.copySecBtn.Disable()
	s.saveBtn.Disable()
	s.status = wrapLabel("")
	s.findings = container.NewVBox()
	// Last: these fire callbacks that touch the widgets above.
	s.auth.SetSelected(authLabels[0])
	s.format.SetSelected(string(migrate.RenderCurl))
}

func (s *migrateScreen) view() fyne.CanvasObject {
	options := widget.NewForm(
		widget.NewFormItem("Domain", s.domain),
		widget.NewFormItem("Client auth", s.auth),
		widget.NewFormItem("Audience", s.audience),
		widget.NewFormItem("Output", container.NewVBox(container.NewHBox(s.format), s.reveal)),
	)
	left := border(
		container.NewVBox(container.NewHBox(s.pasteBtn, s.openBtn, s.sample, s.clearBtn), s.detected),
		options, nil, nil, s.input)
	out := border(
		// Two rows: the whole bar stays in a 900 px window.
		container.NewVBox(s.status, container.NewHBox(s.copyBtn, s.copySecBtn), container.NewHBox(s.saveBtn, s.sendBtn, s.compareBtn)),
		nil, nil, nil,
		container.NewVSplit(
			container.NewScroll(s.output),
			container.NewVScroll(container.NewVBox(s.findings, s.compare))),
	)
	s.listBox = container.NewGridWrap(fyne.NewSize(170, 10), s.requests)
	s.listBox.Hide()
	right := border(nil, nil, s.listBox, nil, out)
	split := container.NewHSplit(left, right)
	split.Offset = 0.42
	return split
}

func (s *migrateScreen) focus() { s.win.Canvas().Focus(s.input) }

func (s *migrateScreen) onOpen() { showOpenFile(s.win, s.loadFile) }

// loadFile reads a file (a HAR can be large) off the UI goroutine.
func (s *migrateScreen) loadFile(r io.ReadCloser) {
	s.status.SetText("Reading the file…")
	readInBackground(&s.busy, s.do, r, migrate.MaxInput, func(b []byte, err error) {
		if err != nil {
			s.status.SetText("Could not read the file: " + err.Error())
			return
		}
		s.setInput(string(b)) // Parse reports a file over MaxInput
	})
}

// setInput replaces the input. Text too large to lay out (a big HAR) is
// kept out of the field, which shows its size instead, and parsed off the
// UI goroutine, so the window never freezes.
func (s *migrateScreen) setInput(text string) {
	if len(text) <= largeInput {
		s.input.Enable()
		s.input.SetText(text)
		return
	}
	holdLargeText(s.input, len(text), "loaded")
	s.parseLater(text, 0)
}

func (s *migrateScreen) onInputChanged(text string) {
	s.parseLater(text, decodeDelay)
}

// parseLater parses text after delay (a burst of keystrokes becomes one
// parse) off the UI goroutine; only the newest input's result is shown.
func (s *migrateScreen) parseLater(text string, delay time.Duration) {
	if delay == 0 {
		s.detected.SetText(fmt.Sprintf("Reading %s…", humanBytes(len(text))))
	}
	s.parses.after(delay, s.do, func() func() {
		batch, err := migrate.Parse([]byte(text))
		return func() { s.parsed(text, batch, err) }
	})
}

func (s *migrateScreen) parsed(text string, batch *migrate.Batch, err error) {
	s.batch, s.results, s.selected = nil, nil, 0
	switch {
	case strings.TrimSpace(text) == "":
		s.detected.SetText("")
	case err != nil:
		s.detected.Importance = widget.DangerImportance
		s.detected.SetText("Cannot read this input: " + err.Error() + ".")
	default:
		s.batch = batch
		s.detected.Importance = widget.MediumImportance
		s.detected.SetText("Detected a " + formLabels[batch.Form] + ".")
	}
	s.rewrite()
}

func (s *migrateScreen) options() migrate.Options {
	o := migrate.Options{Domain: strings.TrimSpace(s.domain.Text), Audience: strings.TrimSpace(s.audience.Text)}
	for i, l := range authLabels {
		if s.auth.Selected == l {
			o.Auth = authMethods[i]
		}
	}
	return o
}

func (s *migrateScreen) rewrite() {
	s.stopNet() // whatever was sent answers a request no longer shown
	if s.batch == nil {
		s.results = nil
	} else {
		s.results = migrate.RewriteAll(s.batch, s.options())
		s.detected.SetText("Detected a " + formLabels[s.batch.Form] + ": " + migrate.Summarize(s.batch, s.results).String())
	}
	if s.selected >= len(s.results) {
		s.selected = 0
	}
	if s.listBox != nil {
		if len(s.results) > 1 {
			s.listBox.Show()
		} else {
			s.listBox.Hide()
		}
	}
	s.requests.Refresh()
	s.render()
}

func (s *migrateScreen) current() *migrate.Result {
	if s.selected < len(s.results) {
		return &s.results[s.selected]
	}
	return nil
}

// startNet cancels any Send or Compare in flight and returns the context
// and generation of a new one.
func (s *migrateScreen) startNet() (context.Context, int) {
	s.stopNet()
	ctx, cancel := context.WithTimeout(context.Background(), 2*httpx.DefaultTimeout)
	s.netCancel = cancel
	return ctx, s.netGen
}

// stopNet cancels a Send or Compare in flight; its answer will be dropped.
func (s *migrateScreen) stopNet() {
	s.netGen++
	if s.netCancel != nil {
		s.netCancel()
		s.netCancel = nil
	}
}

func (s *migrateScreen) render() {
	s.findings.RemoveAll()
	r := s.current()
	s.copyBtn.Disable()
	s.copySecBtn.Disable()
	s.saveBtn.Disable()
	s.compareBtn.Disable()
	s.sendBtn.Disable()
	if r == nil {
		s.output.SetText("")
		s.status.Importance = widget.MediumImportance
		s.status.SetText("Paste a legacy call (a body, raw HTTP, curl, fetch or PowerShell from DevTools), open a HAR with Open…, or press Sample: the new request appears here.")
		if s.batch != nil && len(s.batch.Requests) == 0 {
			s.status.Importance = widget.WarningImportance
			s.status.SetText("No legacy Auth0 call (/delegation, /oauth/ro, /tokeninfo, /oauth/access_token, /user/ssodata) found in this input.")
		}
		return
	}
	for _, f := range r.Findings {
		s.findings.Add(border(nil, nil, widget.NewIcon(severityIcon(string(f.Severity))), nil, wrapLabel(f.Message)))
	}
	if !r.Migratable {
		s.output.SetText("")
		s.status.Importance = widget.DangerImportance
		s.status.SetText(r.Source.Location + ": cannot be migrated one to one. The findings below say why and what to do instead.")
		return
	}
	text, err := migrate.Render(r.Request, migrate.Format(s.format.Selected), s.reveal.Checked)
	if err != nil {
		s.output.SetText(err.Error())
		return
	}
	s.output.SetText(text)
	s.status.Importance = widget.SuccessImportance
	s.status.SetText(r.Source.Location + ": migrated to " + r.Request.Method + " " + r.Request.URL)
	s.copyBtn.Enable()
	s.copySecBtn.Enable()
	if !strings.Contains(r.Request.URL, migrate.PlaceholderDomain) {
		s.saveBtn.Enable()
	}
	if s.onDemoTenant(r) {
		s.compareBtn.Enable()
	}
	if sendable(r.Request) {
		s.sendBtn.Enable()
	}
}

// onDemoChanged shows Compare only while the demo tenant runs (it talks
// to nothing else), and rewrites the current input against it.
func (s *migrateScreen) onDemoChanged() {
	if s.svc.Demo == nil {
		s.compareBtn.Hide()
	} else {
		s.compareBtn.Show()
	}
	s.rewrite()
}

// mintForCompare gives each leg of a Compare a fresh refresh token of the
// demo tenant, so the one in the input stays good for Send.
func (s *migrateScreen) mintForCompare(clientID string) (string, error) {
	return s.svc.Demo.MintRefreshToken(clientID, demotenant.DemoScope, "")
}

// sendable: the request names a real domain and carries its secrets (a
// $CLIENT_SECRET placeholder cannot be sent, nor a /userinfo call whose
// access token the legacy call never had).
func sendable(r *migrate.Request) bool {
	if strings.Contains(r.URL, migrate.PlaceholderDomain) || strings.HasPrefix(r.ClientSecret, "$") || r.Method == "GET" {
		return false
	}
	for _, p := range r.Body {
		if strings.HasPrefix(p.Value, "$"+migrate.EnvRefreshToken) || strings.HasPrefix(p.Value, "$"+migrate.EnvClientSecret) {
			return false
		}
	}
	return true
}

// onSend runs the new request and offers its tokens to the inspector. A
// refresh token that comes back is shown once: sending may have rotated
// the one in the input, and this is then the only copy.
func (s *migrateScreen) onSend() {
	r := s.current()
	if r == nil || r.Request == nil || !sendable(r.Request) {
		return
	}
	req := r.Request
	s.sendBtn.Disable()
	s.status.Importance = widget.MediumImportance
	s.status.SetText("Sending POST " + req.URL + "…")
	ctx, gen := s.startNet()
	s.busy.Add(1)
	go func() {
		defer s.busy.Done()
		sent := workspace.Send(ctx, s.svc.HTTP, req)
		s.do(func() {
			if gen != s.netGen {
				return // the input changed: render reset the buttons
			}
			s.sendBtn.Enable()
			s.showSent(sent)
		})
	}()
}

func (s *migrateScreen) showSent(sent workspace.Sent) {
	s.compare.RemoveAll()
	if sent.Err != "" {
		s.status.Importance = widget.DangerImportance
		s.status.SetText(fmt.Sprintf("The new request failed (HTTP %d): %s", sent.Status, sent.Err))
		return
	}
	s.status.Importance = widget.SuccessImportance
	s.status.SetText(fmt.Sprintf("The new request succeeded (HTTP %d). Open its tokens in the inspector below.", sent.Status))
	for _, name := range []string{"access_token", "id_token"} {
		if tok, _ := sent.Fields[name].(string); tok != "" {
			s.compare.Add(widget.NewButtonWithIcon("Inspect "+map[string]string{"access_token": "access token", "id_token": "ID token"}[name], theme.SearchIcon(), func() {
				if s.inspect != nil {
					s.inspect(tok)
				}
			}))
		}
	}
	if rt, _ := sent.Fields["refresh_token"].(string); rt != "" {
		warn := wrapLabel("The response carries a refresh token. If the server rotates tokens, the one you sent no longer works and this is the only copy: copy it now, or save the client as a profile first next time.")
		warn.Importance = widget.WarningImportance
		s.compare.Add(warn)
		copyRT := widget.NewButtonWithIcon("Copy refresh token", theme.ContentCopyIcon(), func() { copySecret(s.do, fyne.CurrentApp().Clipboard(), rt) })
		s.compare.Add(border(nil, nil, nil, copyRT, monoLabel(secrets.Mask(rt))))
	}
}

// onDemoTenant: Compare sends requests, so it is offered only for the
// embedded demo tenant, where nothing real is spent.
func (s *migrateScreen) onDemoTenant(r *migrate.Result) bool {
	if s.svc.Demo == nil || r == nil || r.Request == nil || s.selected >= len(s.batch.Requests) {
		return false
	}
	iss := s.svc.Demo.Issuer()
	return strings.HasPrefix(r.Request.URL, iss) && strings.HasPrefix(s.batch.Requests[s.selected].URL, iss)
}

// onSample loads a legacy call: for the demo tenant, with a fresh refresh
// token so Compare works; otherwise a typical one.
func (s *migrateScreen) onSample() {
	if s.svc.Demo != nil {
		if text, err := s.svc.Demo.SampleDelegation(); err == nil {
			s.input.SetText(text)
			return
		}
	}
	s.input.SetText(sampleDelegation)
}

// onCompare sends the legacy call and the migrated one to the demo tenant
// and shows their ID tokens' claims side by side.
func (s *migrateScreen) onCompare() {
	r := s.current()
	if !s.onDemoTenant(r) {
		return
	}
	legacy, req := s.batch.Requests[s.selected], r.Request
	s.compareBtn.Disable()
	s.status.SetText("Sending both requests to the demo tenant…")
	ctx, gen := s.startNet()
	s.busy.Add(1)
	go func() {
		defer s.busy.Done()
		c, err := workspace.CompareLegacy(ctx, s.svc.HTTP, legacy, req, s.mintForCompare)
		s.do(func() {
			if gen != s.netGen {
				return // the input changed: render reset the buttons
			}
			s.compareBtn.Enable()
			if err != nil {
				s.status.Importance = widget.DangerImportance
				s.status.SetText("Compare failed: " + err.Error())
				return
			}
			s.showComparison(c)
		})
	}()
}

var claimStateText = map[tokens.ClaimState]string{
	tokens.ClaimSame: "same", tokens.ClaimDiffers: "differs", tokens.ClaimOnlyLeft: "legacy only", tokens.ClaimOnlyRight: "new only",
}

func (s *migrateScreen) showComparison(c *workspace.Comparison) {
	s.compared = c
	s.compare.RemoveAll()
	head := func(name string, sent workspace.Sent) string {
		if sent.Err != "" {
			return fmt.Sprintf("%s: HTTP %d, %s", name, sent.Status, sent.Err)
		}
		return fmt.Sprintf("%s: HTTP %d", name, sent.Status)
	}
	s.compare.Add(widget.NewLabelWithStyle("Side by side: the ID tokens of both requests", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	s.compare.Add(wrapLabel(head("POST /delegation", c.Legacy) + "\n" + head("POST /oauth/token", c.New)))
	grid := container.NewGridWithColumns(4, boldLabel("claim"), boldLabel("/delegation"), boldLabel("/oauth/token"), boldLabel(""))
	for _, d := range c.Claims {
		state := widget.NewLabel(claimStateText[d.State])
		if d.State != tokens.ClaimSame {
			state.Importance = widget.WarningImportance
		}
		grid.Add(widget.NewLabel(d.Name))
		// Word wrap: values break between words, not mid-word.
		grid.Add(wrapLabel(truncate(d.Left, 200)))
		grid.Add(wrapLabel(truncate(d.Right, 200)))
		grid.Add(state)
	}
	s.compare.Add(grid)
	if c.Legacy.Err == "" && c.New.Err == "" {
		s.status.Importance = widget.SuccessImportance
		s.status.SetText("Both requests succeeded; compare their claims below. The refresh token has rotated: press Sample for a fresh one.")
	} else {
		s.status.Importance = widget.WarningImportance
		s.status.SetText("A request failed: see below. A refresh token is single-use here: press Sample for a fresh one.")
	}
}

// onCopyWithSecrets copies the literal request; the clipboard is cleared
// again after secretClipboardTTL.
func (s *migrateScreen) onCopyWithSecrets() {
	r := s.current()
	if r == nil || r.Request == nil {
		return
	}
	text, err := migrate.Render(r.Request, migrate.Format(s.format.Selected), true)
	if err != nil {
		return
	}
	copySecret(s.do, fyne.CurrentApp().Clipboard(), text)
	s.status.SetText(fmt.Sprintf("Copied with secrets; the clipboard is cleared in %d s.", int(secretClipboardTTL.Seconds())))
}

// onSaveProfile asks for a profile name, then saves the client and stores
// its refresh token (and secret, when the legacy call had one) in the keyring.
func (s *migrateScreen) onSaveProfile() {
	r := s.current()
	if r == nil || r.Request == nil {
		return
	}
	u, _ := url.Parse(r.Request.URL)
	s.saveName.SetText(suggestProfileName(u.Hostname(), r.Request.ClientID, s.existingNames()))
	form := widget.NewForm(
		widget.NewFormItem("Profile name", s.saveName),
		widget.NewFormItem("Issuer", widget.NewLabel(u.Scheme+"://"+u.Host+"/")),
		widget.NewFormItem("Client ID", widget.NewLabel(r.Request.ClientID)),
		widget.NewFormItem("Secrets", wrapLabel("The refresh token and client secret go to the OS keyring, never to a file.")),
	)
	dialog.ShowCustomConfirm("Save as profile", "Save", "Cancel", form, func(ok bool) {
		if ok {
			s.saveProfile(s.saveName.Text)
		}
	}, s.win)
}

// existingNames are the profile names taken now.
func (s *migrateScreen) existingNames() map[string]bool {
	out := map[string]bool{}
	if s.svc.Workspace != nil {
		ps, _ := s.svc.Profiles.Load()
		for _, p := range ps {
			out[p.Name] = true
		}
	}
	return out
}

// suggestProfileName proposes a free, valid name: the tenant from an Auth0
// domain (tenant.eu.auth0.com → tenant), the host's first label otherwise,
// or the client ID when the host is an IP address.
func suggestProfileName(host, clientID string, taken map[string]bool) string {
	base := strings.Split(host, ".")[0]
	if net.ParseIP(host) != nil || base == "" || base == "localhost" {
		base = clientID
	}
	clean := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' {
			return r
		}
		return '-'
	}, base)
	if clean == "" {
		clean = "profile"
	}
	if len(clean) > 60 {
		clean = clean[:60]
	}
	name := clean
	for n := 2; taken[name]; n++ {
		name = fmt.Sprintf("%s-%d", clean, n)
	}
	return name
}

// saveProfile stores the current request's client as a profile. The file
// and keyring writes run off the UI goroutine: a keyring may wait for an
// unlock prompt.
func (s *migrateScreen) saveProfile(name string) {
	r := s.current()
	if r == nil || r.Request == nil || s.svc.Workspace == nil {
		return
	}
	req := *r.Request
	u, _ := url.Parse(req.URL)
	scope, _ := req.Body.Get("scope")
	p := profiles.Profile{Name: strings.TrimSpace(name), Issuer: u.Scheme + "://" + u.Host + "/", ClientID: req.ClientID,
		Auth: string(req.Auth), Audience: strings.TrimSpace(s.audience.Text), Scope: scope}
	refresh, _ := req.Body.Get("refresh_token")
	secret := req.ClientSecret
	s.status.SetText("Saving profile " + p.Name + "…")
	s.busy.Add(1)
	go func() {
		defer s.busy.Done()
		msg, imp := s.storeProfile(p, refresh, secret)
		s.do(func() {
			s.status.Importance = imp
			s.status.SetText(msg)
			if imp != widget.DangerImportance && s.onProfilesChanged != nil {
				s.onProfilesChanged()
			}
		})
	}()
}

func (s *migrateScreen) storeProfile(p profiles.Profile, refresh, secret string) (string, widget.Importance) {
	req := workspace.SaveRequest{Profile: p, RefreshToken: workspace.Keep(), ClientSecret: workspace.Keep()}
	if refresh != "" {
		req.RefreshToken = workspace.Store(refresh)
	}
	if secret != "" && !strings.HasPrefix(secret, "$") {
		req.ClientSecret = workspace.Store(secret)
	}
	// A new profile only: an existing one of the same name is never replaced from here.
	if _, err := s.svc.Save(req); err != nil {
		return "The profile was not saved: " + err.Error() + ".", widget.DangerImportance
	}
	var stored []string
	if req.RefreshToken.Set {
		stored = append(stored, "refresh token")
	}
	if req.ClientSecret.Set {
		stored = append(stored, "client secret")
	}
	msg := fmt.Sprintf("Saved profile %s in %s.", p.Name, s.svc.Profiles.Path)
	if len(stored) > 0 {
		msg += " Its " + strings.Join(stored, " and ") + " are in the OS keyring."
	}
	return msg, widget.SuccessImportance
}
