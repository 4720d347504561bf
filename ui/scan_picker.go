// The Scan screen's top: which folder to scan and what to skip (the
// picker), and the scan running with its progress on the status line.

package ui

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/bytecount"
	"github.com/tokenscope/tokenscope/scan"
)

// scanPicker chooses the folder and the options of a scan: scan starts
// one, cancel stops it.
type scanPicker struct {
	win           fyne.Window
	chooseBtn     *widget.Button
	rescanBtn     *widget.Button
	cancelBtn     *widget.Button
	includeVendor *widget.Check
	exclude       *widget.Entry
	obj           fyne.CanvasObject
	folder        string // the folder scanned (or being scanned) last
	scan          func(root string)
}

func newScanPicker(win fyne.Window, scan func(root string), cancel func()) *scanPicker {
	p := &scanPicker{win: win, scan: scan}
	p.chooseBtn = widget.NewButtonWithIcon("Scan a folder…", theme.FolderOpenIcon(), p.onChoose)
	p.chooseBtn.Importance = widget.HighImportance
	p.rescanBtn = widget.NewButtonWithIcon("Scan again", theme.ViewRefreshIcon(), func() { p.scan(p.folder) })
	p.rescanBtn.Disable()
	p.cancelBtn = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), cancel)
	p.cancelBtn.Hide()
	p.includeVendor = widget.NewCheck("Include vendored folders (node_modules, vendor, Pods…)", nil)
	p.exclude = widget.NewEntry()
	p.exclude.SetPlaceHolder("skip: **/test/**, *.spec.js (comma-separated globs; Enter scans again)")
	p.exclude.OnSubmitted = func(string) { p.scan(p.folder) }
	p.obj = container.NewVBox(
		container.NewHBox(p.chooseBtn, p.rescanBtn, p.cancelBtn),
		border(nil, nil, widget.NewLabel("Exclude"), nil, p.exclude),
		p.includeVendor,
	)
	return p
}

func (p *scanPicker) view() fyne.CanvasObject { return p.obj }

func (p *scanPicker) focus() { p.win.Canvas().Focus(p.exclude) }

// root is the folder scanned last, or being scanned.
func (p *scanPicker) root() string { return p.folder }

func (p *scanPicker) onChoose() {
	dialog.ShowFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil {
			dialog.ShowError(err, p.win)
			return
		}
		if u != nil {
			p.scan(u.Path())
		}
	}, p.win)
}

// offer makes root the folder Scan again scans.
func (p *scanPicker) offer(root string) {
	p.folder = root
	p.rescanBtn.Enable()
}

// running: root is being scanned; only Cancel is offered.
func (p *scanPicker) running(root string) {
	p.folder = root
	p.cancelBtn.Show()
	p.chooseBtn.Disable()
	p.rescanBtn.Disable()
}

// idle: no scan runs; a folder can be chosen or scanned again.
func (p *scanPicker) idle() {
	p.cancelBtn.Hide()
	p.chooseBtn.Enable()
	p.rescanBtn.Enable()
}

// options are the scan's options as the fields say.
func (p *scanPicker) options() scan.Options {
	return scan.Options{IncludeVendor: p.includeVendor.Checked, Exclude: p.globs()}
}

// globs reads the Exclude field.
func (p *scanPicker) globs() []string {
	var out []string
	for _, g := range strings.Split(p.exclude.Text, ",") {
		if g = strings.TrimSpace(g); g != "" {
			out = append(out, g)
		}
	}
	return out
}

// scanProgress runs one scan at a time off the UI goroutine, with the
// files and bytes read so far on the status line, which the other panels
// write to as well.
type scanProgress struct {
	do   uiDo
	busy *sync.WaitGroup
	// run is scan.Run (tests hold a scan open with their own).
	run    func(ctx context.Context, roots []string, o scan.Options) (*scan.Report, error)
	bar    *widget.ProgressBarInfinite
	status *widget.Label
	obj    fyne.CanvasObject
	gen    int
	cancel context.CancelFunc
}

func newScanProgress(do uiDo, busy *sync.WaitGroup) *scanProgress {
	p := &scanProgress{do: do, busy: busy, run: scan.Run}
	p.bar = widget.NewProgressBarInfinite()
	p.bar.Stop()
	p.bar.Hide()
	p.status = wrapLabel("")
	p.obj = container.NewVBox(p.bar, p.status)
	return p
}

func (p *scanProgress) view() fyne.CanvasObject { return p.obj }

func (p *scanProgress) setStatus(text string, importance widget.Importance) {
	p.status.Importance = importance
	p.status.SetText(text)
}

// start scans root with o; done gets the result of the newest scan only.
// A newer scan replaces a running one.
func (p *scanProgress) start(root string, o scan.Options, done func(*scan.Report, error)) {
	if p.cancel != nil {
		p.cancel()
	}
	p.gen++
	gen := p.gen
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel = cancel
	p.status.SetText("Scanning " + root + "…")
	p.status.Importance = widget.MediumImportance
	p.bar.Show()
	p.bar.Start()
	o.Progress = func(files int, n int64) {
		p.do(func() {
			if gen == p.gen && p.cancel != nil {
				p.status.SetText(fmt.Sprintf("Scanning %s… %d files, %s read", root, files, bytecount.Size(n)))
			}
		})
	}
	p.busy.Add(1)
	go func() {
		defer p.busy.Done()
		r, err := p.run(ctx, []string{root}, o)
		p.do(func() {
			if gen != p.gen {
				return
			}
			cancel()
			p.cancel = nil
			done(r, err)
		})
	}()
}

// stop cancels the running scan, if any, and drops its result; it
// reports whether one ran.
func (p *scanProgress) stop() bool {
	if p.cancel == nil {
		return false
	}
	p.cancel()
	p.cancel = nil
	p.gen++
	return true
}

// idle takes the progress bar away.
func (p *scanProgress) idle() {
	p.bar.Stop()
	p.bar.Hide()
}
