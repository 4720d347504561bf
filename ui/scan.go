package ui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/bytecount"
	"github.com/tokenscope/tokenscope/internal/safetext"
	"github.com/tokenscope/tokenscope/scan"
)

// scanScreen finds the legacy Auth0 calls in a folder and says what
// replaces each; a hand-built request opens in Migrate, rewritten.
type scanScreen struct {
	svc *Services
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
	shownText     *fyne.Container // a file shown as text in the detail pane

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

func newScanScreen(svc *Services, win fyne.Window, do uiDo) *scanScreen {
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
				label.SetText(fmt.Sprintf("    %d:%d  %s  %s", r.finding.Line, r.finding.Column, r.finding.Endpoint, safetext.Line(truncate(r.finding.Call, 70))))
			case r.manifest != nil:
				icon.SetResource(severityIcon(string(r.manifest.Severity)))
				label.TextStyle = fyne.TextStyle{}
				label.SetText(safetext.Line(fmt.Sprintf("    %d  %s %s (fixed in %s)", r.manifest.Line, r.manifest.Package, r.manifest.Version, r.manifest.FixedIn)))
			default:
				icon.SetResource(theme.FileIcon())
				label.TextStyle = fyne.TextStyle{Bold: true}
				label.SetText(fmt.Sprintf("%s (%d)", safetext.Line(r.file), r.count))
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

// onCancel stops a running scan and says so at once: the scan's own
// result, whenever it comes (a read can block in the kernel), is dropped.
func (s *scanScreen) onCancel() {
	if s.cancel == nil {
		return
	}
	s.cancel()
	s.cancel = nil
	s.gen++
	s.scanned(nil, context.Canceled)
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
	if s.cancel != nil { // a newer scan replaces a running one
		s.cancel()
	}
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
					s.status.SetText(fmt.Sprintf("Scanning %s… %d files, %s read", root, files, bytecount.Size(n)))
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
		if errors.Is(err, context.Canceled) {
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
	if nr := r.NotReadText(); nr != "" {
		msg += "\n" + strings.TrimSuffix(nr, "\n")
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
	s.shownText = nil
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

// caretBlock shows a source line with the caret under its column: one
// monospace block that never wraps (a wrap would put the caret under
// another column, as at 900×600 it did), scrolling sideways when the line
// is wider than the pane.
func caretBlock(src, caret string) fyne.CanvasObject {
	l := widget.NewLabelWithStyle(src+"\n"+caret, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	l.Wrapping = fyne.TextWrapOff
	return container.NewHScroll(l)
}

// showDetail shows the selected finding: where, the line with a caret,
// what it is, what replaces it, and Open in Migrate for a request built by
// hand.
func (s *scanScreen) showDetail() {
	s.detail.RemoveAll()
	s.shownText = nil
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
		s.detail.Add(boldLabel(safetext.Line(where)))
		s.detail.Add(wrapLabel(fmt.Sprintf("%s · %s · %s · %s", f.Severity, f.Endpoint, sdk, f.Code)))
		s.detail.Add(caretBlock(src, caret))
		s.detail.Add(wrapLabel(safetext.Line(f.Message)))
		if f.Replacement != "" {
			s.detail.Add(boldLabel("Replace with"))
			s.detail.Add(wrapLabel(safetext.Line(f.Replacement)))
		}
		if f.MigrateCode != "" {
			s.detail.Add(wrapLabel("Migrate explains the same endpoint under the finding \"" + f.MigrateCode + "\"."))
		}
		file := filepath.Join(s.root, filepath.FromSlash(f.File))
		line := f.Line
		buttons := container.NewHBox(
			widget.NewButtonWithIcon("Open file", theme.FileTextIcon(), func() { s.openFile(file, line) }),
			widget.NewButtonWithIcon("Open folder", theme.FolderOpenIcon(), func() { s.openFolder(filepath.Dir(file)) }),
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
		s.detail.Add(boldLabel(safetext.Line(fmt.Sprintf("%s:%d", m.File, m.Line))))
		s.detail.Add(monoLabel(safetext.Line(strings.TrimSpace(m.Source))))
		s.detail.Add(wrapLabel(safetext.Line(fmt.Sprintf("%s %s is a legacy SDK version. %s", m.Package, m.Version, m.Message))))
		s.detail.Add(boldLabel("Upgrade to " + m.FixedIn + " or later"))
	default:
		s.detail.Add(boldLabel(safetext.Line(r.file)))
		s.detail.Add(wrapLabel(fmt.Sprintf("%d findings in this file.", r.count)))
	}
}

// documentExts are the kinds of file Open file hands to the system's
// opener: data and source formats no common system runs when opened. A
// script or program (.sh, .bat, .cmd, .ps1, .js, .py, .exe, …), a
// launcher (.desktop), a page or template, a spreadsheet's CSV (formulas
// run on open), a file with no extension and anything marked executable is
// shown as text in the window instead.
var documentExts = map[string]bool{
	".txt": true, ".md": true, ".json": true, ".yaml": true, ".yml": true, ".xml": true, ".toml": true, ".ini": true,
	".cfg": true, ".conf": true, ".properties": true, ".plist": true, ".gradle": true,
	".java": true, ".kt": true, ".swift": true, ".cs": true, ".go": true, ".m": true,
}

// bundleExts are folders macOS opens by running them.
var bundleExts = map[string]bool{".app": true, ".command": true, ".workflow": true, ".bundle": true, ".framework": true, ".plugin": true, ".prefpane": true, ".appex": true, ".xpc": true, ".kext": true}

// asDocument says whether name may go to the system's opener, and why
// not: it must be a regular file (no link), not executable, of a document
// kind.
func asDocument(name string) (bool, string) {
	st, err := os.Lstat(name)
	switch {
	case err != nil:
		return false, "it cannot be read: " + err.Error()
	case !st.Mode().IsRegular():
		return false, "it is not a regular file"
	case st.Mode()&0o111 != 0:
		return false, "it is marked executable, and the system could run it"
	case strings.EqualFold(filepath.Ext(name), ".desktop"):
		return false, "it is a launcher, and the system would run what it names"
	case !documentExts[strings.ToLower(filepath.Ext(name))]:
		return false, "it is a script, page or program the system could run when opened"
	}
	return true, ""
}

// maxShown is the most of a file the window shows as text.
const maxShown = 1 << 20

// openFile opens a scanned document in the system's application for it;
// anything the system could run is shown as text in the window instead.
func (s *scanScreen) openFile(name string, line int) {
	abs, err := filepath.Abs(name)
	if err != nil {
		abs = name
	}
	if ok, why := asDocument(abs); !ok {
		s.showText(abs, line, why)
		return
	}
	s.openURI(abs)
}

// openFolder opens the folder holding a scanned file in the file manager,
// unless macOS would run it (an .app bundle and its kind).
func (s *scanScreen) openFolder(dir string) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	if st, err := os.Lstat(abs); err != nil || !st.IsDir() || bundleExts[strings.ToLower(filepath.Ext(abs))] {
		s.setStatus("Not opening "+safetext.Line(abs)+": it is not a plain folder. Copy the location and open it in your editor.", widget.WarningImportance)
		return
	}
	s.openURI(abs)
}

func (s *scanScreen) openURI(abs string) {
	var err error
	u := storage.NewFileURI(abs).String()
	if s.svc.Open != nil {
		err = s.svc.Open(u)
	} else if parsed, perr := url.Parse(u); perr == nil {
		err = fyne.CurrentApp().OpenURL(parsed)
	}
	if err != nil {
		s.setStatus("Could not open "+safetext.Line(abs)+": "+err.Error()+". Copy the location and open it in your editor.", widget.DangerImportance)
	}
}

// showText shows a file the system could run as text in the detail pane,
// numbered, with hidden characters escaped, centred on line.
func (s *scanScreen) showText(abs string, line int, why string) {
	if s.shownText != nil {
		s.detail.Remove(s.shownText)
		s.shownText = nil
	}
	data, err := scan.ReadText(abs, maxShown)
	if err != nil {
		s.setStatus("Could not show "+safetext.Line(abs)+": "+err.Error()+".", widget.DangerImportance)
		return
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	from := max(0, line-1-textContext)
	to := min(len(lines), from+2*textContext+1)
	var b strings.Builder
	for i := from; i < to; i++ {
		mark := "  "
		if i == line-1 {
			mark = "> "
		}
		fmt.Fprintf(&b, "%s%5d  %s\n", mark, i+1, safetext.Line(truncate(lines[i], 400)))
	}
	title := fmt.Sprintf("%s, lines %d–%d of %d, as text: not opened, because %s.", safetext.Line(filepath.Base(abs)), from+1, to, len(lines), why)
	s.shownText = container.NewVBox(boldLabel(title), monoLabel(strings.TrimSuffix(b.String(), "\n")))
	s.detail.Add(s.shownText)
	s.setStatus(safetext.Line(filepath.Base(abs))+" is shown below as text and was not opened: "+why+". Open folder shows where it is.", widget.WarningImportance)
}

// textContext is how many lines around a finding the text view shows.
const textContext = 30

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
