package ui

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/bytecount"
	"github.com/tokenscope/tokenscope/internal/httpx"
	"github.com/tokenscope/tokenscope/internal/oauth"
	"github.com/tokenscope/tokenscope/internal/safetext"
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
var authMethods = []oauth.AuthMethod{"", oauth.AuthNone, oauth.AuthPost, oauth.AuthBasic}

// migrateScreen rewrites legacy /delegation calls into /oauth/token requests.
type migrateScreen struct {
	// onProfilesChanged tells the other screens a profile was saved.
	onProfilesChanged func()
	// inspect opens a token in the inspector.
	inspect func(token string)
	// scanFolder shows the Scan screen's folder chooser.
	scanFolder func()
	svc        *Services
	win        fyne.Window
	do         uiDo

	input    *widget.Entry
	pasteBtn *widget.Button
	openBtn  *widget.Button
	sample   *widget.Button
	clearBtn *widget.Button
	scanBtn  *widget.Button
	detected *widget.Label

	domain   *widget.Entry
	auth     *widget.Select
	audience *widget.Entry
	format   *widget.Select
	reveal   *widget.Check

	requests *widget.List
	// answers scrolls the findings and what Send or Compare answered.
	answers    *container.Scroll
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

func newMigrateScreen(svc *Services, win fyne.Window, do uiDo) *migrateScreen {
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
	s.scanBtn = widget.NewButtonWithIcon("Scan…", theme.SearchReplaceIcon(), func() {
		if s.scanFolder != nil {
			s.scanFolder()
		}
	})
	s.clearBtn = widget.NewButtonWithIcon("Clear", theme.ContentClearIcon(), func() {
		s.input.Enable()
		s.input.SetText("")
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
	s.answers = container.NewVScroll(container.NewVBox(s.findings, s.compare))
	options := widget.NewForm(
		widget.NewFormItem("Domain", s.domain),
		widget.NewFormItem("Client auth", s.auth),
		widget.NewFormItem("Audience", s.audience),
		widget.NewFormItem("Output", container.NewVBox(container.NewHBox(s.format), s.reveal)),
	)
	left := border(
		container.NewVBox(container.NewHBox(s.pasteBtn, s.openBtn, s.sample, s.clearBtn, s.scanBtn), s.detected),
		options, nil, nil, s.input)
	out := border(
		// Two rows: the whole bar stays in a 900 px window.
		container.NewVBox(s.status, container.NewHBox(s.copyBtn, s.copySecBtn), container.NewHBox(s.saveBtn, s.sendBtn, s.compareBtn)),
		nil, nil, nil,
		container.NewVSplit(
			container.NewScroll(s.output),
			s.answers),
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

// loadFile reads a file off the UI goroutine. A small one goes into the
// field to be edited; a large one (a HAR export) is parsed as a stream,
// one entry at a time, and the field says how large it was.
func (s *migrateScreen) loadFile(r io.ReadCloser) {
	s.status.SetText("Reading the file…")
	s.detected.SetText("Reading the file…")
	s.parses.after(0, s.do, func() func() {
		defer r.Close()
		head, err := io.ReadAll(io.LimitReader(r, largeInput+1))
		if err != nil {
			return func() { s.status.SetText("Could not read the file: " + safetext.Line(err.Error())) }
		}
		if len(head) <= largeInput {
			return func() { s.setInput(string(head)) }
		}
		counted := &bytecount.CountingReader{R: io.MultiReader(bytes.NewReader(head), r)}
		batch, err := migrate.ParseReader(counted)
		return func() {
			holdLargeText(s.input, int(counted.N), "loaded")
			s.parsed(s.input.Text, batch, err)
		}
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
		s.detected.SetText("Cannot read this input: " + safetext.Line(err.Error()) + ".")
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
	// Whatever was sent answers a request no longer shown: cancel it, and
	// take its answer (tokens, Inspect buttons, a refresh token) away.
	s.stopNet()
	s.compare.RemoveAll()
	s.compared = nil
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
