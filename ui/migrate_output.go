// The Migrate screen's output panel: the new request in the chosen form,
// secrets masked unless asked, its findings, Copy and Copy with secrets.

package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/safetext"
	"github.com/tokenscope/tokenscope/migrate"
)

// migrateOutput shows one rewritten call.
type migrateOutput struct {
	do         uiDo
	status     *widget.Label
	output     *widget.Label
	copyBtn    *widget.Button
	copySecBtn *widget.Button
	findings   *fyne.Container
	buttons    *fyne.Container
	pane       fyne.CanvasObject

	// shown is the call on screen, in format (Copy with secrets renders it).
	shown  *migrate.Result
	format migrate.Format
}

func newMigrateOutput(do uiDo, status *widget.Label) *migrateOutput {
	p := &migrateOutput{do: do, status: status}
	p.output = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	p.output.Selectable = true
	p.copyBtn = copyButton("Copy", do, func() fyne.Clipboard { return fyne.CurrentApp().Clipboard() }, func() string { return p.output.Text })
	p.copySecBtn = widget.NewButtonWithIcon("Copy with secrets", theme.VisibilityIcon(), p.onCopyWithSecrets)
	p.copyBtn.Disable()
	p.copySecBtn.Disable()
	p.findings = container.NewVBox()
	p.buttons = container.NewHBox(p.copyBtn, p.copySecBtn)
	p.pane = container.NewScroll(p.output)
	return p
}

// view is the new request; bar its buttons; findingsBox the findings,
// which the answers panel scrolls with what Send and Compare answer.
func (p *migrateOutput) view() fyne.CanvasObject        { return p.pane }
func (p *migrateOutput) bar() fyne.CanvasObject         { return p.buttons }
func (p *migrateOutput) findingsBox() fyne.CanvasObject { return p.findings }

// show renders r (nil: no call) and says so on the status line; it
// reports whether r became a request, which can then be saved or sent.
// noCalls: the input was read but holds no legacy call.
func (p *migrateOutput) show(r *migrate.Result, noCalls bool, format migrate.Format, reveal bool) bool {
	p.findings.RemoveAll()
	p.shown, p.format = nil, format
	p.copyBtn.Disable()
	p.copySecBtn.Disable()
	if r == nil {
		p.output.SetText("")
		p.status.Importance = widget.MediumImportance
		p.status.SetText("Paste a legacy call (a body, raw HTTP, curl, fetch or PowerShell from DevTools), open a HAR with Open…, or press Sample: the new request appears here.")
		if noCalls {
			p.status.Importance = widget.WarningImportance
			p.status.SetText("No legacy Auth0 call (/delegation, /oauth/ro, /tokeninfo, /oauth/access_token, /user/ssodata) found in this input.")
		}
		return false
	}
	for _, f := range r.Findings {
		p.findings.Add(border(nil, nil, widget.NewIcon(severityIcon(string(f.Severity))), nil, wrapLabel(windowWords(safetext.Block(f.Message)))))
	}
	if !r.Migratable {
		p.output.SetText("")
		p.status.Importance = widget.DangerImportance
		p.status.SetText(safetext.Line(r.Source.Location) + ": cannot be migrated one to one. The findings below say why and what to do instead.")
		return false
	}
	text, err := migrate.Render(r.Request, format, reveal)
	if err != nil {
		p.output.SetText(err.Error())
		return false
	}
	p.shown = r
	p.output.SetText(text)
	p.status.Importance = widget.SuccessImportance
	p.status.SetText(safetext.Line(r.Source.Location + ": migrated to " + r.Request.Method + " " + r.Request.URL))
	p.copyBtn.Enable()
	p.copySecBtn.Enable()
	return true
}

// onCopyWithSecrets copies the literal request; the clipboard is cleared
// again after secretClipboardTTL.
func (p *migrateOutput) onCopyWithSecrets() {
	if p.shown == nil || p.shown.Request == nil {
		return
	}
	text, err := migrate.Render(p.shown.Request, p.format, true)
	if err != nil {
		return
	}
	copySecret(p.do, fyne.CurrentApp().Clipboard(), text)
	p.status.SetText(fmt.Sprintf("Copied with secrets; the clipboard is cleared in %d s.", int(secretClipboardTTL.Seconds())))
}
