// The Migrate screen's input panel: a legacy call pasted, typed, opened
// from a file or handed over by Scan, parsed off the UI goroutine, and the
// line that says what was detected.

package ui

import (
	"bytes"
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
	"github.com/tokenscope/tokenscope/internal/safetext"
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

// migrateInput is the legacy call to migrate: the field, its buttons, and
// the line saying what it is. Each parse that is still the newest goes to
// onParsed (nil: nothing to migrate).
type migrateInput struct {
	svc    *Services
	win    fyne.Window
	do     uiDo
	status *widget.Label

	input    *widget.Entry
	pasteBtn *widget.Button
	openBtn  *widget.Button
	sample   *widget.Button
	clearBtn *widget.Button
	scanBtn  *widget.Button
	detected *widget.Label
	obj      fyne.CanvasObject

	parses   latest
	onParsed func(*migrate.Batch)
}

func newMigrateInput(svc *Services, win fyne.Window, do uiDo, busy *sync.WaitGroup, status *widget.Label, scan func(), onParsed func(*migrate.Batch)) *migrateInput {
	p := &migrateInput{svc: svc, win: win, do: do, status: status, onParsed: onParsed}
	p.parses.busy = busy
	p.input = widget.NewMultiLineEntry()
	p.input.SetPlaceHolder("Paste a legacy /delegation call: a JSON or form body, a raw HTTP request, a curl command, or open a HAR file.")
	p.input.TextStyle = fyne.TextStyle{Monospace: true}
	p.input.SetMinRowsVisible(12)
	p.input.OnChanged = func(text string) { p.parseLater(text, p.svc.TypingPause) }
	p.pasteBtn = widget.NewButtonWithIcon("Paste", theme.ContentPasteIcon(), func() {
		p.setInput(fyne.CurrentApp().Clipboard().Content())
	})
	p.openBtn = widget.NewButtonWithIcon("Open…", theme.FolderOpenIcon(), p.onOpen)
	p.sample = widget.NewButtonWithIcon("Sample", theme.DocumentIcon(), p.onSample)
	p.scanBtn = widget.NewButtonWithIcon("Scan…", theme.SearchReplaceIcon(), scan)
	p.clearBtn = widget.NewButtonWithIcon("Clear", theme.ContentClearIcon(), func() {
		p.input.Enable()
		p.input.SetText("")
	})
	p.detected = wrapLabel("")
	p.obj = border(
		container.NewVBox(container.NewHBox(p.pasteBtn, p.openBtn, p.sample, p.clearBtn, p.scanBtn), p.detected),
		nil, nil, nil, p.input)
	return p
}

func (p *migrateInput) view() fyne.CanvasObject { return p.obj }

func (p *migrateInput) focus() { p.win.Canvas().Focus(p.input) }

func (p *migrateInput) onOpen() { showOpenFile(p.win, p.loadFile) }

// loadFile reads a file off the UI goroutine. A small one goes into the
// field to be edited; a large one (a HAR export) is parsed as a stream,
// one entry at a time, and the field says how large it was.
func (p *migrateInput) loadFile(r io.ReadCloser) {
	p.status.SetText("Reading the file…")
	p.detected.SetText("Reading the file…")
	p.parses.after(0, p.do, func() func() {
		defer r.Close()
		head, err := io.ReadAll(io.LimitReader(r, largeInput+1))
		if err != nil {
			return func() { p.status.SetText("Could not read the file: " + safetext.Line(err.Error())) }
		}
		if len(head) <= largeInput {
			return func() { p.setInput(string(head)) }
		}
		counted := &bytecount.CountingReader{R: io.MultiReader(bytes.NewReader(head), r)}
		batch, err := migrate.ParseReader(counted)
		return func() {
			holdLargeText(p.input, int(counted.N), "loaded")
			p.parsed(p.input.Text, batch, err)
		}
	})
}

// setInput replaces the input. Text too large to lay out (a big HAR) is
// kept out of the field, which shows its size instead, and parsed off the
// UI goroutine, so the window never freezes. The same text again is read
// again: whoever hands it over expects the screen to start from it.
func (p *migrateInput) setInput(text string) {
	if len(text) > largeInput {
		holdLargeText(p.input, len(text), "loaded")
		p.parseLater(text, 0)
		return
	}
	p.input.Enable()
	if p.input.Text == text {
		p.parseLater(text, 0)
		return
	}
	p.input.SetText(text)
}

// onSample loads a legacy call: for the demo tenant, with a fresh refresh
// token so Compare works; otherwise a typical one.
func (p *migrateInput) onSample() {
	if p.svc.Demo != nil {
		if text, err := p.svc.Demo.SampleDelegation(); err == nil {
			p.input.SetText(text)
			return
		}
	}
	p.input.SetText(sampleDelegation)
}

// parseLater parses text after delay (a burst of keystrokes becomes one
// parse) off the UI goroutine; only the newest input's result is shown.
func (p *migrateInput) parseLater(text string, delay time.Duration) {
	if delay == 0 {
		p.detected.SetText(fmt.Sprintf("Reading %s…", humanBytes(len(text))))
	}
	p.parses.after(delay, p.do, func() func() {
		batch, err := migrate.Parse([]byte(text))
		return func() { p.parsed(text, batch, err) }
	})
}

// parsed says what the input is and hands its requests on.
func (p *migrateInput) parsed(text string, batch *migrate.Batch, err error) {
	switch {
	case strings.TrimSpace(text) == "":
		p.detected.SetText("")
		batch = nil
	case err != nil:
		p.detected.Importance = widget.DangerImportance
		p.detected.SetText("Cannot read this input: " + safetext.Line(err.Error()) + ".")
		batch = nil
	default:
		p.detected.Importance = widget.MediumImportance
		p.detected.SetText("Detected a " + formLabels[batch.Form] + ".")
	}
	p.onParsed(batch)
}

// summarize adds how many calls the input holds, and how many migrate.
func (p *migrateInput) summarize(batch *migrate.Batch, results []migrate.Result) {
	p.detected.SetText("Detected a " + formLabels[batch.Form] + ": " + migrate.Summarize(batch, results).String())
}
