package ui

import (
	"context"
	"fmt"
	"image/color"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/safetext"
	"github.com/tokenscope/tokenscope/internal/workspace"
)

// readinessScreen answers "is my tenant ready to switch the legacy
// endpoints off?": one row per application with a traffic light, the
// evidence behind it and the steps left, for a Management API profile or a
// fresh demo tenant (with the rehearsal of its flags switched off).
type readinessScreen struct {
	svc *Services
	win fyne.Window
	do  uiDo

	source   *widget.Select
	scanDirs *widget.Entry
	run      *widget.Button
	progress *widget.ProgressBarInfinite
	status   *widget.Label
	results  *fyne.Container

	busy sync.WaitGroup
	// UI-goroutine state: the run whose answer is awaited (a newer run
	// makes an older answer stale).
	generation int
}

// demoSource is the source entry for a fresh demo tenant.
const demoSource = "Demo tenant (a fresh one, with a week of legacy calls)"

func newReadinessScreen(svc *Services, win fyne.Window, do uiDo) *readinessScreen {
	s := &readinessScreen{svc: svc, win: win, do: do}
	s.source = widget.NewSelect(nil, nil)
	s.source.PlaceHolder = "a profile with Management API client credentials"
	s.scanDirs = widget.NewEntry()
	s.scanDirs.SetPlaceHolder("folders to scan and join by client ID, comma-separated (optional)")
	s.run = widget.NewButtonWithIcon("Run report", theme.MediaPlayIcon(), s.onRun)
	s.run.Importance = widget.HighImportance
	s.progress = widget.NewProgressBarInfinite()
	s.progress.Stop()
	s.progress.Hide()
	s.status = wrapLabel("Reads the tenant's legacy flags, its applications and their deprecation notes (Management API), joins them with your code, and says what is left.")
	s.results = container.NewVBox()
	s.reloadSources()
	s.demoStarted(svc.Demo != nil)
	return s
}

// demoStarted is told whether the demo is in use once the startup knows:
// then the screen opens on the demo tenant's report, unless a source was
// chosen meanwhile.
func (s *readinessScreen) demoStarted(inUse bool) {
	s.reloadSources()
	if inUse && s.source.Selected == "" {
		s.source.SetSelected(demoSource)
		s.onRun()
	}
}

// reloadSources offers the demo tenant and every profile.
func (s *readinessScreen) reloadSources() {
	opts := []string{demoSource}
	if s.svc.Workspace != nil && s.svc.Profiles != nil {
		if ps, err := s.svc.Profiles.Load(); err == nil {
			for _, p := range ps {
				opts = append(opts, p.Name)
			}
		}
	}
	s.source.Options = opts
	s.source.Refresh()
}

func (s *readinessScreen) view() fyne.CanvasObject {
	form := widget.NewForm(widget.NewFormItem("Tenant", s.source), widget.NewFormItem("Code", s.scanDirs))
	top := container.NewVBox(form, container.NewHBox(s.run), s.progress, s.status, widget.NewSeparator())
	return border(top, nil, nil, nil, container.NewVScroll(s.results))
}

func (s *readinessScreen) focus() { s.win.Canvas().Focus(s.scanDirs) }

func (s *readinessScreen) onRun() {
	src := s.source.Selected
	if src == "" {
		s.setStatus("Choose the tenant: the demo, or a profile with Management API client credentials.", widget.WarningImportance)
		return
	}
	var roots []string
	for _, r := range strings.Split(s.scanDirs.Text, ",") {
		if r = strings.TrimSpace(r); r != "" {
			roots = append(roots, r)
		}
	}
	s.generation++
	gen := s.generation
	s.run.Disable()
	s.progress.Show()
	s.progress.Start()
	s.setStatus("Reading the tenant…", widget.MediumImportance)
	s.busy.Add(1)
	go func() {
		defer s.busy.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		o := workspace.ReadinessOptions{ScanRoots: roots, Scan: s.svc.ScanForReadiness}
		var rep workspace.ReadinessReport
		var err error
		if src == demoSource {
			rep, err = workspace.ReadinessOnDemo(ctx, o)
		} else {
			rep, err = s.svc.Workspace.Readiness(ctx, src, o)
		}
		s.do(func() {
			if gen != s.generation {
				return // a newer run answers
			}
			s.run.Enable()
			s.progress.Stop()
			s.progress.Hide()
			if err != nil {
				s.setStatus("The report could not be made: "+safetext.Line(err.Error()), widget.DangerImportance)
				return
			}
			s.show(rep)
		})
	}()
}

func (s *readinessScreen) setStatus(text string, imp widget.Importance) {
	s.status.Importance = imp
	s.status.SetText(text)
}

var readinessWords = map[workspace.Light]string{
	workspace.LightLegacy: "Still calling legacy endpoints",
	workspace.LightFlag:   "Only allowed by a setting",
	workspace.LightReady:  "Ready",
}

// lightColour is the traffic light's colour (with its words beside it:
// colour is never the only sign).
func lightColour(l workspace.Light) color.Color {
	switch l {
	case workspace.LightLegacy:
		return theme.Color(theme.ColorNameError)
	case workspace.LightFlag:
		return theme.Color(theme.ColorNameWarning)
	}
	return theme.Color(theme.ColorNameSuccess)
}

// show lays the report out: a summary, one card per application, the
// rehearsal, and the code no application claims.
func (s *readinessScreen) show(rep workspace.ReadinessReport) {
	counts := map[workspace.Light]int{}
	for _, a := range rep.Applications {
		counts[a.Light]++
	}
	s.setStatus(fmt.Sprintf("%s, deprecation notes since %s: %d still calling legacy endpoints, %d only allowed by a setting, %d ready.",
		safetext.Line(rep.Tenant), rep.Since.Format("2006-01-02"), counts[workspace.LightLegacy], counts[workspace.LightFlag], counts[workspace.LightReady]),
		map[bool]widget.Importance{true: widget.DangerImportance, false: widget.SuccessImportance}[counts[workspace.LightLegacy] > 0])
	var rows []fyne.CanvasObject
	rows = append(rows, wrapLabel("Tenant flags: "+rep.FlagsSentence()+"."))
	for _, a := range rep.Applications {
		dot := canvas.NewCircle(lightColour(a.Light))
		light := container.NewGridWrap(fyne.NewSquareSize(14), dot)
		head := container.NewHBox(container.NewCenter(light), widget.NewLabelWithStyle(readinessWords[a.Light], fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		body := []fyne.CanvasObject{head, wrapLabel(safetext.Line(a.Why))}
		for _, u := range a.LegacyUse {
			line := fmt.Sprintf("Logs: %s ×%d, last %s", u.Endpoint, u.Count, u.Last.Local().Format("2006-01-02 15:04"))
			if u.Flag != "" && rep.Flags[u.Flag] {
				line += " (allowed by " + u.Flag + ")"
			}
			body = append(body, wrapLabel(line))
		}
		for _, c := range a.Code {
			body = append(body, wrapLabel(safetext.Line(fmt.Sprintf("Code: %s:%d calls %s (%s)", c.File, c.Line, c.Endpoint, c.Code))))
		}
		for i, step := range a.Steps {
			body = append(body, wrapLabel(fmt.Sprintf("%d. %s", i+1, safetext.Line(step))))
		}
		rows = append(rows, widget.NewCard(safetext.Line(a.Name), safetext.Line(a.ClientID+" · "+a.AppType), container.NewVBox(body...)))
	}
	if len(rep.Rehearsal) > 0 {
		var lines []fyne.CanvasObject
		for _, r := range rep.Rehearsal {
			twin := "not served by the demo tenant"
			if r.TwinStatus != 0 {
				twin = fmt.Sprint(r.TwinStatus)
			}
			lines = append(lines, wrapLabel(fmt.Sprintf("%s (%s): flags on %d, flags off %d %s; twin %s: %s. %s.",
				r.Endpoint, r.ClientID, r.FlagsOn, r.FlagsOff, safetext.Line(r.FlagsOffError), r.Twin, twin, r.Verdict)))
		}
		rows = append(rows, widget.NewCard("Rehearsal", "The demo tenant's legacy flags switched off, each call replayed next to its twin", container.NewVBox(lines...)))
	}
	if len(rep.Unattributed) > 0 {
		var lines []fyne.CanvasObject
		for _, c := range rep.Unattributed {
			lines = append(lines, wrapLabel(safetext.Line(fmt.Sprintf("%s:%d calls %s (%s)", c.File, c.Line, c.Endpoint, c.Code))))
		}
		rows = append(rows, widget.NewCard("Code no application claims", "no client ID was found beside these calls", container.NewVBox(lines...)))
	}
	for _, e := range rep.ScanErrors {
		rows = append(rows, wrapLabel(safetext.Line(e)))
	}
	s.results.Objects = rows
	s.results.Refresh()
}
