package ui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/exchange"
	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/safetext"
	"github.com/tokenscope/tokenscope/internal/workspace"
)

// requestForm is the top of Exchange's left pane: the profile picker and
// this run's changes to the profile's request (audience, scope, extra
// parameters, a client secret or refresh token for this run only). While
// a request runs for a profile the picker is locked to it.
type requestForm struct {
	profile    *widget.Select
	audience   *widget.Entry
	scope      *widget.Entry
	params     *widget.Entry
	runSecret  *widget.Entry
	runRefresh *widget.Entry
	form       *widget.Form

	// autoPick is the profile chosen when nobody had (autoChoose).
	autoPick string
	// lockedTo is the profile a request runs for, or "".
	lockedTo string
}

// newRequestForm builds the form; onProfile gets each profile chosen
// (never another one while the picker is locked), onChanged each edit of
// this run's changes.
func newRequestForm(onProfile func(name string), onChanged func()) *requestForm {
	f := &requestForm{}
	f.profile = widget.NewSelect(nil, func(name string) {
		if f.lockedTo != "" && name != f.lockedTo {
			// The picker is disabled while a request runs; never switch under it.
			f.profile.SetSelected(f.lockedTo)
			return
		}
		onProfile(name)
	})
	f.profile.PlaceHolder = "choose a client profile"
	f.audience = widget.NewEntry()
	f.scope = widget.NewEntry()
	f.params = widget.NewMultiLineEntry()
	f.params.SetMinRowsVisible(2)
	f.params.SetPlaceHolder("extra parameters for this run, KEY=VALUE a line")
	f.runSecret = widget.NewPasswordEntry()
	f.runSecret.SetPlaceHolder("client secret for this run only (default: the keyring's)")
	f.runRefresh = widget.NewPasswordEntry()
	f.runRefresh.SetPlaceHolder("refresh token for this run only (default: the keyring's)")
	for _, e := range []*widget.Entry{f.audience, f.scope, f.params, f.runSecret, f.runRefresh} {
		e.OnChanged = func(string) { onChanged() }
	}
	f.form = widget.NewForm(
		widget.NewFormItem("Profile", f.profile),
		widget.NewFormItem("Audience", f.audience),
		widget.NewFormItem("Scope", f.scope),
		widget.NewFormItem("Parameters", f.params),
		widget.NewFormItem("Client secret", f.runSecret),
		widget.NewFormItem("Refresh token", f.runRefresh),
	)
	return f
}

func (f *requestForm) view() fyne.CanvasObject { return f.form }

// setProfiles offers names in the picker.
func (f *requestForm) setProfiles(names []string) {
	f.profile.Options = names
	f.profile.Refresh()
}

// choose selects name, as a click would.
func (f *requestForm) choose(name string) { f.profile.SetSelected(name) }

// autoChoose selects name for a user who has not chosen yet.
func (f *requestForm) autoChoose(name string) {
	f.autoPick = name
	f.profile.SetSelected(name)
}

// autoChosen reports whether the profile shown is the one autoChoose
// picked (nobody has chosen another since).
func (f *requestForm) autoChosen() bool {
	return f.autoPick != "" && f.profile.Selected == f.autoPick
}

func (f *requestForm) clear() { f.profile.ClearSelected() }

// lock keeps the picker on name while a request runs for it; unlock frees it.
func (f *requestForm) lock(name string) {
	f.lockedTo = name
	f.profile.Disable()
}

func (f *requestForm) unlock() {
	f.lockedTo = ""
	f.profile.Enable()
}

// locked reports whether a request runs (the picker is locked).
func (f *requestForm) locked() bool { return f.lockedTo != "" }

// showDefaults says in the empty fields what the profile sends.
func (f *requestForm) showDefaults(p profiles.Profile) {
	f.audience.SetPlaceHolder(orNone(p.Audience, "profile: none"))
	f.scope.SetPlaceHolder(orNone(p.Scope, "profile: none"))
}

func orNone(v, fallback string) string {
	if v == "" {
		return fallback
	}
	return "profile: " + v
}

// overrides are this run's changes to the profile's request.
func (f *requestForm) overrides() (workspace.Overrides, error) {
	extra, err := workspace.ParseParams(f.params.Text)
	if err != nil {
		return workspace.Overrides{}, err
	}
	return workspace.Overrides{Audience: strings.TrimSpace(f.audience.Text), Scope: strings.TrimSpace(f.scope.Text), Params: extra,
		ClientSecret: f.runSecret.Text, RefreshToken: strings.TrimSpace(f.runRefresh.Text)}, nil
}

// audienceAndScope are the Audience and Scope typed for this run.
func (f *requestForm) audienceAndScope() (string, string) {
	return strings.TrimSpace(f.audience.Text), strings.TrimSpace(f.scope.Text)
}

// requestPreview is the "Request (secrets masked)" card: the request
// Refresh sends, as curl, with Copy and Copy with secrets.
type requestPreview struct {
	do         uiDo
	text       *widget.Label
	copyBtn    *widget.Button
	copySecBtn *widget.Button
	card       *widget.Card
	// req is the request shown (ok: there is one).
	req exchange.Request
	ok  bool
}

// newRequestPreview builds the card; copied is told when the request was
// copied with its secrets.
func newRequestPreview(do uiDo, copied func()) *requestPreview {
	p := &requestPreview{do: do}
	p.text = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	p.copyBtn = copyButton("Copy", do, systemClipboard, func() string { return p.text.Text })
	p.copySecBtn = widget.NewButtonWithIcon("Copy with secrets", theme.VisibilityIcon(), func() {
		if !p.ok {
			return
		}
		curl, err := p.req.Curl(true)
		if err != nil {
			return
		}
		copySecret(p.do, systemClipboard(), curl)
		copied()
	})
	// A fixed height: the preview's text changes after layout.
	box := container.NewScroll(p.text)
	box.SetMinSize(fyne.NewSize(0, 140))
	p.card = widget.NewCard("", "Request (secrets masked)", border(nil, container.NewHBox(p.copyBtn, p.copySecBtn), nil, nil, box))
	return p
}

func (p *requestPreview) view() fyne.CanvasObject { return p.card }

// show shows r as curl with its secrets masked; an error says why r
// cannot be sent (the text is left as it was, and there is nothing to
// copy with secrets).
func (p *requestPreview) show(r exchange.Request) error {
	curl, err := r.Curl(false)
	if err != nil {
		p.ok = false
		return err
	}
	p.req, p.ok = r, true
	p.text.SetText(curl)
	return nil
}

// say shows a sentence instead of a request.
func (p *requestPreview) say(msg string) {
	p.req, p.ok = exchange.Request{}, false
	p.text.SetText(msg)
}

// setReady turns the copy buttons on or off.
func (p *requestPreview) setReady(ready bool) {
	enableIf(p.copyBtn, ready)
	enableIf(p.copySecBtn, ready)
}

func enableIf(w fyne.Disableable, on bool) {
	if on {
		w.Enable()
	} else {
		w.Disable()
	}
}

func systemClipboard() fyne.Clipboard { return fyne.CurrentApp().Clipboard() }

// refreshBar is the bottom of Exchange's left pane, always in view:
// Refresh, Cancel, a progress bar while a refresh runs, and the status
// line that says what happened and what to do next.
type refreshBar struct {
	refreshBtn *widget.Button
	cancelBtn  *widget.Button
	progress   *widget.ProgressBarInfinite
	status     *widget.Label
	box        *fyne.Container
	// cancel ends the refresh running, when one is.
	cancel context.CancelFunc
	// keyringSaid: the status line has said once that the demo keeps its
	// secrets in memory (no OS keyring here).
	keyringSaid bool
}

func newRefreshBar(onRefresh func()) *refreshBar {
	b := &refreshBar{}
	b.refreshBtn = widget.NewButtonWithIcon("Refresh", theme.ViewRefreshIcon(), onRefresh)
	b.refreshBtn.Importance = widget.HighImportance
	b.cancelBtn = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), b.cancelRun)
	b.cancelBtn.Disable()
	b.progress = widget.NewProgressBarInfinite()
	b.progress.Stop()
	b.progress.Hide()
	b.status = wrapLabel("Choose a profile, then Refresh.")
	b.box = container.NewVBox(widget.NewSeparator(), container.NewHBox(b.refreshBtn, b.cancelBtn), b.progress, b.status)
	return b
}

func (b *refreshBar) view() fyne.CanvasObject { return b.box }

// setStatus says msg on the status line; it may quote a server, a file or
// a token, so it is made safe to show.
func (b *refreshBar) setStatus(msg string, imp widget.Importance) {
	b.status.Importance = imp
	b.status.SetText(safetext.Block(msg))
}

// sayCopied says the request went to the clipboard with its secrets.
func (b *refreshBar) sayCopied() {
	b.setStatus(fmt.Sprintf("Copied with secrets; the clipboard is cleared in %d s.", int(secretClipboardTTL.Seconds())), widget.MediumImportance)
}

// sayReady says Refresh is ready; once, calmly, that a demo keeps its
// secrets in memory when there is no OS keyring (inMemoryDemo).
func (b *refreshBar) sayReady(inMemoryDemo bool) {
	msg := "Ready: Refresh sends the request shown (Ctrl+R)."
	if inMemoryDemo && !b.keyringSaid {
		b.keyringSaid = true
		msg += " No OS keyring here: the demo keeps its secrets in memory for this run."
	}
	b.setStatus(msg, widget.MediumImportance)
}

// setReady turns Refresh on or off.
func (b *refreshBar) setReady(ready bool) { enableIf(b.refreshBtn, ready) }

// ready reports whether Refresh may be pressed.
func (b *refreshBar) ready() bool { return !b.refreshBtn.Disabled() }

// running shows a refresh running until done; cancel ends it.
func (b *refreshBar) running(cancel context.CancelFunc) {
	b.cancel = cancel
	b.refreshBtn.Disable()
	b.cancelBtn.Enable()
	b.progress.Show()
	b.progress.Start()
}

// done shows the refresh finished.
func (b *refreshBar) done() {
	b.cancel = nil
	b.cancelBtn.Disable()
	b.refreshBtn.Enable()
	b.progress.Stop()
	b.progress.Hide()
}

// cancelRun cancels the refresh running, if any (Cancel, Escape).
func (b *refreshBar) cancelRun() {
	if b.cancel != nil {
		b.cancel()
	}
}
