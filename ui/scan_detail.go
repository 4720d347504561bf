// The Scan screen's detail pane: the finding chosen, where it is (the line
// with a caret under the call), what it is and what replaces it; Open file
// for a document, the text in the window for anything the system could run.

package ui

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/safetext"
	"github.com/tokenscope/tokenscope/scan"
)

// scanDetail shows one row of the results; what it cannot do it says on
// the screen's status line (setStatus).
type scanDetail struct {
	svc       *Services
	do        uiDo
	setStatus func(string, widget.Importance)
	hint      *widget.Label
	detail    *fyne.Container
	shownText *fyne.Container // a file shown as text in the detail pane
	obj       fyne.CanvasObject
}

func newScanDetail(svc *Services, do uiDo, setStatus func(string, widget.Importance)) *scanDetail {
	p := &scanDetail{svc: svc, do: do, setStatus: setStatus}
	p.hint = wrapLabel("Choose a folder to find the calls it makes to Auth0's legacy endpoints (/delegation, /oauth/ro, /tokeninfo, /oauth/access_token, /user/ssodata): SDK methods in JavaScript, Java, Kotlin, Swift, C#, Python, PHP and Ruby, requests built by hand, curl scripts, Postman collections, config files, and manifests pinning a legacy SDK. .gitignore is honoured.")
	p.detail = container.NewVBox()
	p.obj = container.NewVScroll(container.NewVBox(p.hint, p.detail))
	return p
}

func (p *scanDetail) view() fyne.CanvasObject { return p.obj }

// showHint says there is nothing to migrate (after a scan that found
// nothing), or takes the hint away.
func (p *scanDetail) showHint(nothing bool) {
	if !nothing {
		p.hint.Hide()
		return
	}
	p.hint.SetText("Nothing to migrate here: no legacy Auth0 call or legacy SDK pin was found.")
	p.hint.Show()
}

// clear empties the pane.
func (p *scanDetail) clear() {
	p.detail.RemoveAll()
	p.shownText = nil
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

// show shows a row of the results found under root: for a finding, where,
// the line with a caret, what it is, what replaces it, and Open in Migrate
// (when openInMigrate is not nil) for a request built by hand.
func (p *scanDetail) show(r scanRow, root string, openInMigrate func(request string)) {
	p.clear()
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
		p.detail.Add(boldLabel(safetext.Line(where)))
		p.detail.Add(wrapLabel(fmt.Sprintf("%s · %s · %s · %s", f.Severity, f.Endpoint, sdk, f.Code)))
		p.detail.Add(caretBlock(src, caret))
		p.detail.Add(wrapLabel(safetext.Line(f.Message)))
		if f.Replacement != "" {
			p.detail.Add(boldLabel("Replace with"))
			p.detail.Add(wrapLabel(safetext.Line(f.Replacement)))
		}
		if f.MigrateCode != "" {
			p.detail.Add(wrapLabel("Migrate explains the same endpoint under the finding \"" + f.MigrateCode + "\"."))
		}
		file := filepath.Join(root, filepath.FromSlash(f.File))
		line := f.Line
		buttons := container.NewHBox(
			widget.NewButtonWithIcon("Open file", theme.FileTextIcon(), func() { p.openFile(file, line) }),
			widget.NewButtonWithIcon("Open folder", theme.FolderOpenIcon(), func() { p.openFolder(filepath.Dir(file)) }),
			copyButton("Copy location", p.do, clip, func() string { return file + fmt.Sprintf(":%d:%d", f.Line, f.Column) }))
		if f.Request != "" && openInMigrate != nil {
			req := f.Request
			open := widget.NewButtonWithIcon("Open in Migrate", theme.NavigateNextIcon(), func() { openInMigrate(req) })
			open.Importance = widget.HighImportance
			buttons.Add(open)
		}
		p.detail.Add(buttons)
	case r.manifest != nil:
		m := r.manifest
		p.detail.Add(boldLabel(safetext.Line(fmt.Sprintf("%s:%d", m.File, m.Line))))
		p.detail.Add(monoLabel(safetext.Line(strings.TrimSpace(m.Source))))
		p.detail.Add(wrapLabel(safetext.Line(fmt.Sprintf("%s %s is a legacy SDK version. %s", m.Package, m.Version, m.Message))))
		p.detail.Add(boldLabel("Upgrade to " + m.FixedIn + " or later"))
	default:
		p.detail.Add(boldLabel(safetext.Line(r.file)))
		p.detail.Add(wrapLabel(fmt.Sprintf("%d findings in this file.", r.count)))
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
func (p *scanDetail) openFile(name string, line int) {
	abs, err := filepath.Abs(name)
	if err != nil {
		abs = name
	}
	if ok, why := asDocument(abs); !ok {
		p.showText(abs, line, why)
		return
	}
	p.openURI(abs)
}

// openFolder opens the folder holding a scanned file in the file manager,
// unless macOS would run it (an .app bundle and its kind).
func (p *scanDetail) openFolder(dir string) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	if st, err := os.Lstat(abs); err != nil || !st.IsDir() || bundleExts[strings.ToLower(filepath.Ext(abs))] {
		p.setStatus("Not opening "+safetext.Line(abs)+": it is not a plain folder. Copy the location and open it in your editor.", widget.WarningImportance)
		return
	}
	p.openURI(abs)
}

func (p *scanDetail) openURI(abs string) {
	var err error
	u := storage.NewFileURI(abs).String()
	if p.svc.Open != nil {
		err = p.svc.Open(u)
	} else if parsed, perr := url.Parse(u); perr == nil {
		err = fyne.CurrentApp().OpenURL(parsed)
	}
	if err != nil {
		p.setStatus("Could not open "+safetext.Line(abs)+": "+err.Error()+". Copy the location and open it in your editor.", widget.DangerImportance)
	}
}

// showText shows a file the system could run as text in the detail pane,
// numbered, with hidden characters escaped, centred on line.
func (p *scanDetail) showText(abs string, line int, why string) {
	if p.shownText != nil {
		p.detail.Remove(p.shownText)
		p.shownText = nil
	}
	data, err := scan.ReadText(abs, maxShown)
	if err != nil {
		p.setStatus("Could not show "+safetext.Line(abs)+": "+err.Error()+".", widget.DangerImportance)
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
	p.shownText = container.NewVBox(boldLabel(title), monoLabel(strings.TrimSuffix(b.String(), "\n")))
	p.detail.Add(p.shownText)
	p.setStatus(safetext.Line(filepath.Base(abs))+" is shown below as text and was not opened: "+why+". Open folder shows where it is.", widget.WarningImportance)
}

// textContext is how many lines around a finding the text view shows.
const textContext = 30
