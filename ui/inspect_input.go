// The Inspect screen's input panel: the token field, Paste, Open… and
// Clear, the progress bar and the status line. It decodes what is typed,
// pasted, dropped or opened (off the UI goroutine) and hands the token on.

package ui

import (
	"fmt"
	"io"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/safetext"
	"github.com/tokenscope/tokenscope/internal/tokens"
)

// emptyInputStatus is the status line with no token.
const emptyInputStatus = "Paste a token to decode it. Decoding never uses the network."

type inputPanel struct {
	svc  *Services
	win  fyne.Window
	do   uiDo
	busy *sync.WaitGroup // the screen's: background work in flight

	entry                       *tokenEntry
	pasteBtn, openBtn, clearBtn *widget.Button
	status                      *widget.Label
	progress                    *widget.ProgressBarInfinite
	obj                         fyne.CanvasObject

	// onToken takes each decoded token, or nil when the field is empty or
	// does not decode (the status line says why).
	onToken func(*tokens.Token)

	// State below is touched only on the UI goroutine.
	large   string // a large paste, kept out of the text field
	decodes latest
}

func newInputPanel(svc *Services, win fyne.Window, do uiDo, busy *sync.WaitGroup, onToken func(*tokens.Token)) *inputPanel {
	p := &inputPanel{svc: svc, win: win, do: do, busy: busy, onToken: onToken}
	p.decodes.busy = busy
	p.entry = newTokenEntry(p.onLargePaste)
	// Short lines: the field breaks its text anywhere (a token has no
	// spaces), so a long hint would break inside words.
	p.entry.SetPlaceHolder("Paste a token: JWT, JWE or opaque.\nA Bearer prefix, quotes and\nline breaks are fine.\nOr drop a file here.")
	p.entry.OnChanged = p.onInputChanged
	p.pasteBtn = widget.NewButtonWithIcon("Paste", theme.ContentPasteIcon(), p.onPaste)
	p.openBtn = widget.NewButtonWithIcon("Open…", theme.FolderOpenIcon(), p.onOpen)
	p.clearBtn = widget.NewButtonWithIcon("Clear", theme.ContentClearIcon(), p.onClear)
	p.status = wrapLabel(emptyInputStatus)
	p.progress = widget.NewProgressBarInfinite()
	p.progress.Hide()
	p.progress.Stop()
	p.obj = container.NewVBox(container.NewHBox(p.pasteBtn, p.openBtn, p.clearBtn), p.entry, p.progress, p.status)
	return p
}

// view is the field with its buttons above and the status line below.
func (p *inputPanel) view() fyne.CanvasObject { return p.obj }

// focus puts the cursor in the token field (Ctrl+L).
func (p *inputPanel) focus() { p.win.Canvas().Focus(p.entry) }

func (p *inputPanel) onPaste() {
	text := fyne.CurrentApp().Clipboard().Content()
	if strings.TrimSpace(text) == "" {
		p.setStatus("The clipboard is empty: copy a token first.", widget.WarningImportance)
		return
	}
	p.setToken(text)
}

// setToken replaces the field's text, as a paste or a drop does, and
// decodes it.
func (p *inputPanel) setToken(text string) {
	if len(text) > largeInput {
		p.onLargePaste(text)
		return
	}
	p.large = ""
	p.entry.Enable()
	p.entry.SetText(text) // fires onInputChanged
}

func (p *inputPanel) onOpen() { showOpenFile(p.win, p.loadFile) }

// loadFile reads a token from a file (Open… or a drop) off the UI goroutine.
func (p *inputPanel) loadFile(r io.ReadCloser) {
	p.startBusy("Reading the file…")
	readInBackground(p.busy, p.do, r, tokens.MaxTokenSize, func(b []byte, err error) {
		p.stopBusy()
		switch {
		case err != nil:
			p.setStatus("Could not read the file: "+err.Error(), widget.DangerImportance)
		case len(b) > tokens.MaxTokenSize:
			p.setStatus(fmt.Sprintf("The file is larger than %d MB, so it is not a token: open the file that holds just the token.", tokens.MaxTokenSize>>20), widget.DangerImportance)
		default:
			p.setToken(string(b))
		}
	})
}

func (p *inputPanel) onClear() {
	p.large = ""
	p.entry.Enable()
	p.entry.SetText("")
	p.focus()
}

func (p *inputPanel) onLargePaste(text string) {
	p.large = text
	holdLargeText(&p.entry.Entry, len(text), "pasted")
	p.decodeNow(text)
}

func (p *inputPanel) onInputChanged(text string) {
	if p.large != "" {
		return
	}
	if strings.TrimSpace(text) == "" {
		p.decodes.cancel()
		p.onToken(nil)
		p.setStatus(emptyInputStatus, widget.MediumImportance)
		return
	}
	p.decodes.after(p.svc.TypingPause, p.do, func() func() { return p.decode(text) })
}

// decodeNow decodes at once (a paste, a file), still off the UI goroutine.
func (p *inputPanel) decodeNow(text string) {
	p.startBusy(fmt.Sprintf("Decoding %s…", humanBytes(len(text))))
	p.decodes.after(0, p.do, func() func() { return p.decode(text) })
}

// decode runs off the UI goroutine and returns what hands the result on.
func (p *inputPanel) decode(text string) func() {
	tok, err := tokens.Decode(text, p.svc.Now())
	return func() {
		p.stopBusy()
		if err != nil {
			p.onToken(nil)
			p.setStatus("Cannot decode: "+err.Error()+".", widget.DangerImportance)
			return
		}
		p.onToken(tok)
	}
}

func (p *inputPanel) startBusy(msg string) {
	p.progress.Show()
	p.progress.Start()
	p.setStatus(msg, widget.MediumImportance)
}

func (p *inputPanel) stopBusy() {
	p.progress.Stop()
	p.progress.Hide()
}

func (p *inputPanel) setStatus(msg string, imp widget.Importance) {
	p.status.Importance = imp
	p.status.SetText(safetext.Block(msg)) // it may quote a server, a file or a token
}
