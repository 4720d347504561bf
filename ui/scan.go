package ui

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/iox"
	"github.com/tokenscope/tokenscope/scan"
)

// scanScreen finds the legacy Auth0 calls in a folder and says what
// replaces each; a hand-built request opens in Migrate, rewritten.
type scanScreen struct {
	svc Services
	win fyne.Window
	do  uiDo
	// migrate opens a legacy request in the Migrate screen.
	migrate func(request string)
	// prefs keep the folder scanned last (nil: nothing is kept).
	prefs fyne.Preferences
	// run is scan.Run (tests hold a scan open with their own).
	run func(ctx context.Context, roots []string, o scan.Options) (*scan.Report, error)

	chooseBtn     *widget.Button
	rescanBtn     *widget.Button
	cancelBtn     *widget.Button
	includeVendor *widget.Check
	exclude       *widget.Entry
	progress      *widget.ProgressBarInfinite
	status        *widget.Label
	endpoint      *widget.Select
	severity      *widget.Select
	rows          *widget.List
	detail        *fyne.Container
	exportJSON    *widget.Button
	exportSARIF   *widget.Button
	hint          *widget.Label

	// UI-goroutine state.
	root     string
	report   *scan.Report
	shown    []scanRow
	selected int
	gen      int
	cancel   context.CancelFunc
	busy     sync.WaitGroup
}

// scanRow is one line of the results: a file's heading, a finding or a
// manifest pin.
type scanRow struct {
	file     string
	count    int
	finding  *scan.Finding
	manifest *scan.Manifest
}

const allChoices = "All"

func newScanScreen(svc Services, win fyne.Window, do uiDo) *scanScreen {
	s := &scanScreen{svc: svc, win: win, do: do, selected: -1, run: scan.Run}
	s.chooseBtn = widget.NewButtonWithIcon("Scan a folder…", theme.FolderOpenIcon(), s.onChoose)
	s.chooseBtn.Importance = widget.HighImportance
	s.rescanBtn = widget.NewButtonWithIcon("Scan again", theme.ViewRefreshIcon(), func() { s.scanFolder(s.root) })
	s.rescanBtn.Disable()
	s.cancelBtn = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), s.onCancel)
	s.cancelBtn.Hide()
	s.includeVendor = widget.NewCheck("Include vendored folders (node_modules, vendor, Pods…)", nil)
	s.exclude = widget.NewEntry()
	s.exclude.SetPlaceHolder("skip: **/test/**, *.spec.js (comma-separated globs; Enter scans again)")
	s.exclude.OnSubmitted = func(string) { s.scanFolder(s.root) }
	s.progress = widget.NewProgressBarInfinite()
	s.progress.Stop()
	s.progress.Hide()
	s.status = wrapLabel("")
	s.hint = wrapLabel("Choose a folder to find the calls it makes to Auth0's legacy endpoints (/delegation, /oauth/ro, /tokeninfo, /oauth/access_token, /user/ssodata): SDK methods in JavaScript, Java, Kotlin, Swift, C#, Python, PHP and Ruby, requests built by hand, curl scripts, Postman collections, config files, and manifests pinning a legacy SDK. .gitignore is honoured.")
	s.endpoint = widget.NewSelect(append([]string{allChoices}, scan.Endpoints...), func(string) { s.filter() })
	s.severity = widget.NewSelect([]string{allChoices, "error", "warning", "info"}, func(string) { s.filter() })
	s.rows = widget.NewList(func() int { return len(s.shown) },
		func() fyne.CanvasObject {
			return container.NewHBox(widget.NewIcon(theme.FileIcon()), widget.NewLabel("00000:000  /oauth/access_token  template row"))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			box := o.(*fyne.Container)
			icon, label := box.Objects[0].(*widget.Icon), box.Objects[1].(*widget.Label)
			r := s.shown[i]
			switch {
			case r.finding != nil:
				icon.SetResource(severityIcon(string(r.finding.Severity)))
				label.TextStyle = fyne.TextStyle{}
				label.SetText(fmt.Sprintf("    %d:%d  %s  %s", r.finding.Line, r.finding.Column, r.finding.Endpoint, truncate(r.finding.Call, 70)))
			case r.manifest != nil:
				icon.SetResource(severityIcon(string(r.manifest.Severity)))
				label.TextStyle = fyne.TextStyle{}
				label.SetText(fmt.Sprintf("    %d  %s %s (fixed in %s)", r.manifest.Line, r.manifest.Package, r.manifest.Version, r.manifest.FixedIn))
			default:
				icon.SetResource(theme.FileIcon())
				label.TextStyle = fyne.TextStyle{Bold: true}
				label.SetText(fmt.Sprintf("%s (%d)", r.file, r.count))
			}
		})
	s.rows.OnSelected = func(i widget.ListItemID) { s.selected = i; s.showDetail() }
	s.detail = container.NewVBox()
	s.exportJSON = widget.NewButtonWithIcon("Export JSON…", theme.DocumentSaveIcon(), func() { s.onExport("json") })
	s.exportSARIF = widget.NewButtonWithIcon("Export SARIF…", theme.DocumentSaveIcon(), func() { s.onExport("sarif") })
	s.exportJSON.Disable()
	s.exportSARIF.Disable()
	s.endpoint.SetSelected(allChoices)
	s.severity.SetSelected(allChoices)
	return s
}

// restore offers the folder scanned last time again.
func (s *scanScreen) restore() {
	if s.prefs == nil {
		return
	}
	if root := s.prefs.String(prefScanRoot); root != "" {
		s.root = root
		s.rescanBtn.Enable()
		s.setStatus("Last scanned: "+root+". Scan again to see what it holds now.", widget.MediumImportance)
	}
}

func (s *scanScreen) view() fyne.CanvasObject {
	top := container.NewVBox(
		container.NewHBox(s.chooseBtn, s.rescanBtn, s.cancelBtn),
		border(nil, nil, widget.NewLabel("Exclude"), nil, s.exclude),
		s.includeVendor,
		s.progress,
		s.status,
		container.NewHBox(widget.NewLabel("Endpoint"), s.endpoint, widget.NewLabel("Severity"), s.severity),
	)
	results := border(nil, container.NewHBox(s.exportJSON, s.exportSARIF), nil, nil, s.rows)
	split := container.NewHSplit(results, container.NewVScroll(container.NewVBox(s.hint, s.detail)))
	split.Offset = 0.5
	return border(top, nil, nil, nil, split)
}

func (s *scanScreen) focus() { s.win.Canvas().Focus(s.exclude) }

func (s *scanScreen) onChoose() {
	dialog.ShowFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil {
			dialog.ShowError(err, s.win)
			return
		}
		if u != nil {
			s.scanFolder(u.Path())
		}
	}, s.win)
}

func (s *scanScreen) onCancel() {
	if s.cancel != nil {
		s.cancel()
	}
}

// globs reads the Exclude field.
func (s *scanScreen) globs() []string {
	var out []string
	for _, g := range strings.Split(s.exclude.Text, ",") {
		if g = strings.TrimSpace(g); g != "" {
			out = append(out, g)
		}
	}
	return out
}

// scanFolder scans root off the UI goroutine, with the files and bytes
// read so far on the progress line; a newer scan drops an older one's
// result.
func (s *scanScreen) scanFolder(root string) {
	if root == "" {
		return
	}
	s.onCancel()
	s.gen++
	gen := s.gen
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	s.root = root
	s.status.SetText("Scanning " + root + "…")
	s.status.Importance = widget.MediumImportance
	s.progress.Show()
	s.progress.Start()
	s.cancelBtn.Show()
	s.chooseBtn.Disable()
	s.rescanBtn.Disable()
	opts := scan.Options{IncludeVendor: s.includeVendor.Checked, Exclude: s.globs(),
		Progress: func(files int, n int64) {
			s.do(func() {
				if gen == s.gen && s.cancel != nil {
					s.status.SetText(fmt.Sprintf("Scanning %s… %d files, %s read", root, files, iox.Size(n)))
				}
			})
		}}
	s.busy.Add(1)
	go func() {
		defer s.busy.Done()
		r, err := s.run(ctx, []string{root}, opts)
		s.do(func() {
			if gen != s.gen {
				return
			}
			cancel()
			s.cancel = nil
			s.scanned(r, err)
		})
	}()
}

func (s *scanScreen) scanned(r *scan.Report, err error) {
	s.progress.Stop()
	s.progress.Hide()
	s.cancelBtn.Hide()
	s.chooseBtn.Enable()
	s.rescanBtn.Enable()
	if err != nil {
		if err == context.Canceled {
			s.setStatus("Scan cancelled; the results below are from before it.", widget.WarningImportance)
		} else {
			s.setStatus(err.Error()+". Choose another folder, or fix the Exclude field.", widget.DangerImportance)
		}
		return
	}
	s.report = r
	if s.prefs != nil {
		s.prefs.SetString(prefScanRoot, s.root)
	}
	s.exportJSON.Enable()
	s.exportSARIF.Enable()
	msg := r.SummaryLine()
	if len(r.Problems) > 0 {
		msg += fmt.Sprintf(" %d files could not be read (first: %s).", len(r.Problems), r.Problems[0])
	}
	importance := widget.SuccessImportance
	if r.Failing() {
		importance = widget.WarningImportance
	}
	s.setStatus(msg, importance)
	s.filter()
}

func (s *scanScreen) setStatus(text string, importance widget.Importance) {
	s.status.Importance = importance
	s.status.SetText(text)
}

// filter rebuilds the rows from the report and the two filters, grouped by
// file, and clears a selection the filter hid.
func (s *scanScreen) filter() {
	if s.rows == nil {
		return
	}
	s.shown = s.shown[:0]
	s.selected = -1
	s.rows.UnselectAll()
	s.detail.RemoveAll()
	if s.report == nil {
		s.rows.Refresh()
		return
	}
	ep, sev := s.endpoint.Selected, s.severity.Selected
	byFile := map[string][]scanRow{}
	var files []string
	add := func(file string, r scanRow) {
		if _, ok := byFile[file]; !ok {
			files = append(files, file)
		}
		byFile[file] = append(byFile[file], r)
	}
	for i := range s.report.Findings {
		f := &s.report.Findings[i]
		if (ep == allChoices || f.Endpoint == ep) && (sev == allChoices || string(f.Severity) == sev) {
			add(f.File, scanRow{finding: f})
		}
	}
	if ep == allChoices {
		for i := range s.report.Manifests {
			m := &s.report.Manifests[i]
			if sev == allChoices || string(m.Severity) == sev {
				add(m.File, scanRow{manifest: m})
			}
		}
	}
	for _, f := range files {
		s.shown = append(s.shown, scanRow{file: f, count: len(byFile[f])})
		s.shown = append(s.shown, byFile[f]...)
	}
	s.hint.Hidden = len(s.report.Findings)+len(s.report.Manifests) > 0
	if s.hint.Hidden {
		s.hint.Hide()
	} else {
		s.hint.SetText("Nothing to migrate here: no legacy Auth0 call or legacy SDK pin was found.")
		s.hint.Show()
	}
	s.rows.Refresh()
	if len(s.shown) > 1 {
		s.rows.Select(1) // the first finding, so its detail shows at once
	}
}

// showDetail shows the selected finding: where, the line with a caret,
// what it is, what replaces it, and Open in Migrate for a request built by
// hand.
func (s *scanScreen) showDetail() {
	s.detail.RemoveAll()
	if s.selected < 0 || s.selected >= len(s.shown) {
		return
	}
	r := s.shown[s.selected]
	clip := func() fyne.Clipboard { return fyne.CurrentApp().Clipboard() }
	switch {
	case r.finding != nil:
		f := r.finding
		where := fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Column)
		src, caret := scan.Caret(f.Source, f.Column)
		sdk := f.SDK
		if sdk == "" {
			sdk = "a comment"
		}
		s.detail.Add(boldLabel(where))
		s.detail.Add(wrapLabel(fmt.Sprintf("%s · %s · %s · %s", f.Severity, f.Endpoint, sdk, f.Code)))
		s.detail.Add(monoLabel(src + "\n" + caret))
		s.detail.Add(wrapLabel(f.Message))
		if f.Replacement != "" {
			s.detail.Add(boldLabel("Replace with"))
			s.detail.Add(wrapLabel(f.Replacement))
		}
		if f.MigrateCode != "" {
			s.detail.Add(wrapLabel("Migrate explains the same endpoint under the finding \"" + f.MigrateCode + "\"."))
		}
		file := filepath.Join(s.root, filepath.FromSlash(f.File))
		buttons := container.NewHBox(
			widget.NewButtonWithIcon("Open file", theme.FileTextIcon(), func() { s.openFile(file) }),
			copyButton("Copy location", s.do, clip, func() string { return file + fmt.Sprintf(":%d:%d", f.Line, f.Column) }))
		if f.Request != "" && s.migrate != nil {
			req := f.Request
			open := widget.NewButtonWithIcon("Open in Migrate", theme.NavigateNextIcon(), func() { s.migrate(req) })
			open.Importance = widget.HighImportance
			buttons.Add(open)
		}
		s.detail.Add(buttons)
	case r.manifest != nil:
		m := r.manifest
		s.detail.Add(boldLabel(fmt.Sprintf("%s:%d", m.File, m.Line)))
		s.detail.Add(monoLabel(strings.TrimSpace(m.Source)))
		s.detail.Add(wrapLabel(fmt.Sprintf("%s %s is a legacy SDK version. %s", m.Package, m.Version, m.Message)))
		s.detail.Add(boldLabel("Upgrade to " + m.FixedIn + " or later"))
	default:
		s.detail.Add(boldLabel(r.file))
		s.detail.Add(wrapLabel(fmt.Sprintf("%d findings in this file.", r.count)))
	}
}

// openFile opens a scanned file in the system's application for it.
func (s *scanScreen) openFile(name string) {
	abs, err := filepath.Abs(name)
	if err != nil {
		abs = name
	}
	u := storage.NewFileURI(abs).String()
	if s.svc.Open != nil {
		err = s.svc.Open(u)
	} else if parsed, perr := url.Parse(u); perr == nil {
		err = fyne.CurrentApp().OpenURL(parsed)
	}
	if err != nil {
		s.setStatus("Could not open "+abs+": "+err.Error()+". Copy the location and open it in your editor.", widget.DangerImportance)
	}
}

// onExport saves the report as JSON or SARIF.
func (s *scanScreen) onExport(format string) {
	if s.report == nil {
		return
	}
	var buf bytes.Buffer
	var err error
	if format == "sarif" {
		err = s.report.WriteSARIF(&buf, s.svc.Version)
	} else {
		err = s.report.WriteJSON(&buf)
	}
	if err != nil {
		s.setStatus("Could not write the report: "+err.Error(), widget.DangerImportance)
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
			s.setStatus("Could not save "+w.URI().Name()+": "+err.Error(), widget.DangerImportance)
			return
		}
		s.setStatus("Saved "+w.URI().Path()+".", widget.SuccessImportance)
	}, s.win)
	d.SetFileName("tokenscope-scan." + map[string]string{"json": "json", "sarif": "sarif"}[format])
	if s.root != "" {
		if l, err := storage.ListerForURI(storage.NewFileURI(s.root)); err == nil {
			d.SetLocation(l)
		}
	}
	d.Show()
}
