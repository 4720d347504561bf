// The Migrate screen's output pane: the new request in the chosen form,
// secrets masked unless asked, and Copy with secrets.

package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
	"github.com/tokenscope/tokenscope/migrate"

	"github.com/tokenscope/tokenscope/internal/safetext"
)

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
		s.findings.Add(border(nil, nil, widget.NewIcon(severityIcon(string(f.Severity))), nil, wrapLabel(windowWords(safetext.Block(f.Message)))))
	}
	if !r.Migratable {
		s.output.SetText("")
		s.status.Importance = widget.DangerImportance
		s.status.SetText(safetext.Line(r.Source.Location) + ": cannot be migrated one to one. The findings below say why and what to do instead.")
		return
	}
	text, err := migrate.Render(r.Request, migrate.Format(s.format.Selected), s.reveal.Checked)
	if err != nil {
		s.output.SetText(err.Error())
		return
	}
	s.output.SetText(text)
	s.status.Importance = widget.SuccessImportance
	s.status.SetText(safetext.Line(r.Source.Location + ": migrated to " + r.Request.Method + " " + r.Request.URL))
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
