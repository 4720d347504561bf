package ui

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/scan"
)

// The Scan screen is made of panels, each owning its widgets and state:
//
//	scanPicker    which folder, what to skip; Scan, Scan again, Cancel (scan_picker.go)
//	scanProgress  the scan running off the UI goroutine, and the status line (scan_picker.go)
//	scanList      the findings grouped by file, the filters, Export (scan_list.go)
//	scanDetail    the finding chosen: where, what, what replaces it (scan_detail.go)

// scanScreen finds the legacy Auth0 calls in a folder and says what
// replaces each; a hand-built request opens in Migrate, rewritten.
type scanScreen struct {
	svc *Services
	win fyne.Window
	// migrate opens a legacy request in the Migrate screen.
	migrate func(request string)
	// prefs keep the folder scanned last (nil: nothing is kept).
	prefs fyne.Preferences

	picker   *scanPicker
	progress *scanProgress
	list     *scanList
	detail   *scanDetail
	obj      fyne.CanvasObject
	busy     sync.WaitGroup
}

func newScanScreen(svc *Services, win fyne.Window, do uiDo) *scanScreen {
	s := &scanScreen{svc: svc, win: win}
	s.picker = newScanPicker(win, s.scanFolder, s.onCancel)
	s.progress = newScanProgress(do, &s.busy)
	s.detail = newScanDetail(svc, do, s.progress.setStatus)
	s.list = newScanList(func(r *scanRow) {
		if r == nil {
			s.detail.clear()
			return
		}
		s.detail.show(*r, s.picker.root(), s.migrate)
	}, s.onExport)
	results := border(nil, s.list.bar(), nil, nil, s.list.view())
	split := container.NewHSplit(results, s.detail.view())
	split.Offset = 0.5
	top := container.NewVBox(s.picker.view(), s.progress.view(), s.list.filters())
	s.obj = border(top, nil, nil, nil, split)
	return s
}

// restore offers the folder scanned last time again.
func (s *scanScreen) restore() {
	if s.prefs == nil {
		return
	}
	if root := s.prefs.String(prefScanRoot); root != "" {
		s.picker.offer(root)
		s.progress.setStatus("Last scanned: "+root+". Scan again to see what it holds now.", widget.MediumImportance)
	}
}

// view is the screen's layout, the same one every time.
func (s *scanScreen) view() fyne.CanvasObject { return s.obj }

func (s *scanScreen) focus() { s.picker.focus() }

// onChoose asks for a folder and scans it.
func (s *scanScreen) onChoose() { s.picker.onChoose() }

// onCancel stops a running scan and says so at once: the scan's own
// result, whenever it comes (a read can block in the kernel), is dropped.
func (s *scanScreen) onCancel() {
	if s.progress.stop() {
		s.scanned(nil, context.Canceled)
	}
}

// scanFolder scans root off the UI goroutine; a newer scan drops an
// older one's result.
func (s *scanScreen) scanFolder(root string) {
	if root == "" {
		return
	}
	s.picker.running(root)
	s.progress.start(root, s.picker.options(), s.scanned)
}

func (s *scanScreen) scanned(r *scan.Report, err error) {
	s.progress.idle()
	s.picker.idle()
	if err != nil {
		if errors.Is(err, context.Canceled) {
			s.progress.setStatus("Scan cancelled; the results below are from before it.", widget.WarningImportance)
		} else {
			s.progress.setStatus(err.Error()+". Choose another folder, or fix the Exclude field.", widget.DangerImportance)
		}
		return
	}
	if s.prefs != nil {
		s.prefs.SetString(prefScanRoot, s.picker.root())
	}
	msg := r.SummaryLine()
	if nr := r.NotReadText(); nr != "" {
		msg += "\n" + strings.TrimSuffix(nr, "\n")
	}
	importance := widget.SuccessImportance
	if r.Failing() {
		importance = widget.WarningImportance
	}
	s.progress.setStatus(msg, importance)
	s.detail.showHint(len(r.Findings)+len(r.Manifests) == 0)
	s.list.show(r)
}

// onExport saves the report as JSON or SARIF.
func (s *scanScreen) onExport(format string) {
	report := s.list.current()
	if report == nil {
		return
	}
	var buf bytes.Buffer
	var err error
	if format == "sarif" {
		err = report.WriteSARIF(&buf, s.svc.Version)
	} else {
		err = report.WriteJSON(&buf)
	}
	if err != nil {
		s.progress.setStatus("Could not write the report: "+err.Error(), widget.DangerImportance)
		return
	}
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			dialog.ShowError(err, s.win)
			return
		}
		if w == nil {
			return
		}
		defer w.Close()
		if _, err := w.Write(buf.Bytes()); err != nil {
			s.progress.setStatus("Could not save "+w.URI().Name()+": "+err.Error(), widget.DangerImportance)
			return
		}
		s.progress.setStatus("Saved "+w.URI().Path()+".", widget.SuccessImportance)
	}, s.win)
	d.SetFileName("tokenscope-scan." + map[string]string{"json": "json", "sarif": "sarif"}[format])
	if root := s.picker.root(); root != "" {
		if l, err := storage.ListerForURI(storage.NewFileURI(root)); err == nil {
			d.SetLocation(l)
		}
	}
	d.Show()
}
