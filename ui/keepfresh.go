package ui

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/safetext"
	"github.com/tokenscope/tokenscope/internal/tokens"
	"github.com/tokenscope/tokenscope/internal/workspace"
)

// freshPanel is Exchange's "Keep fresh" card: a per-profile toggle that
// refreshes the access token at expiry − margin (one at a time with the
// command line: the profile's lock), the countdown to the next refresh,
// and the profile's refresh-token family drawn as a chain. It owns its
// widgets; Exchange tells it the profile and when a refresh happened.
type freshPanel struct {
	svc    *Services
	do     uiDo
	notify func(title, body string)
	// onRefreshed tells Exchange that keep-fresh refreshed (its history).
	onRefreshed func()

	toggle    *widget.Check
	countdown *widget.Label
	chain     *fyne.Container
	rehearse  *widget.Button
	box       *fyne.Container
	// win shows the rehearsal's timeline; busy counts the rehearsal.
	win  fyne.Window
	busy *sync.WaitGroup

	// UI-goroutine state.
	profile string
	runs    map[string]*freshRun
	ticking bool
}

// freshRun is keep-fresh running for one profile.
type freshRun struct {
	cancel       context.CancelFunc
	next, expiry time.Time
}

func newFreshPanel(svc *Services, win fyne.Window, do uiDo, busy *sync.WaitGroup, notify func(title, body string)) *freshPanel {
	p := &freshPanel{svc: svc, win: win, do: do, busy: busy, notify: notify, runs: map[string]*freshRun{}}
	p.toggle = widget.NewCheck("Keep the access token fresh", p.onToggle)
	p.countdown = wrapLabel("Refreshes before the access token expires, until an error, one at a time with the command line.")
	p.chain = container.NewVBox()
	p.rehearse = widget.NewButtonWithIcon("Rehearse rotation races…", theme.MediaPlayIcon(), p.onRehearse)
	p.box = container.NewVBox(p.toggle, p.countdown, widget.NewLabelWithStyle("Refresh-token family", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), p.chain,
		widget.NewSeparator(),
		wrapLabel("What happens to a family when two tabs refresh at once, a retry follows a timeout, an old token is replayed, or it sits idle: each race on a fresh demo tenant, with Auth0's default rotation settings."),
		container.NewHBox(p.rehearse))
	p.setProfile("")
	return p
}

func (p *freshPanel) view() fyne.CanvasObject { return p.box }

func (p *freshPanel) now() time.Time {
	if p.svc.Now != nil {
		return p.svc.Now()
	}
	return time.Now()
}

// setProfile shows the profile's toggle, countdown and family.
func (p *freshPanel) setProfile(name string) {
	p.profile = name
	run := p.runs[name]
	p.toggle.OnChanged = nil // showing the state is not a tap
	p.toggle.SetChecked(run != nil)
	p.toggle.OnChanged = p.onToggle
	if name == "" {
		p.toggle.Disable()
	} else {
		p.toggle.Enable()
	}
	p.showCountdown()
	p.reloadFamily()
}

func (p *freshPanel) onToggle(on bool) {
	name := p.profile
	if name == "" {
		return
	}
	if !on {
		if run := p.runs[name]; run != nil {
			run.cancel()
			delete(p.runs, name)
		}
		p.countdown.SetText("Keep-fresh is off for " + safetext.Line(name) + ".")
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	run := &freshRun{cancel: cancel}
	p.runs[name] = run
	p.countdown.SetText("Getting an access token for " + safetext.Line(name) + "…")
	go func() {
		_ = p.svc.Workspace.KeepFresh(ctx, name, workspace.KeepFreshOptions{Now: p.svc.Now}, func(e workspace.KeepFreshEvent) {
			p.do(func() { p.onEvent(run, e) })
		})
	}()
	p.startTicking()
}

// onEvent applies one keep-fresh step (UI goroutine).
func (p *freshPanel) onEvent(run *freshRun, e workspace.KeepFreshEvent) {
	if p.runs[e.Profile] != run {
		return // a stale event: keep-fresh was turned off or restarted
	}
	if e.Err != nil {
		delete(p.runs, e.Profile)
		msg := fmt.Sprintf("Keep-fresh stopped for %s: %s", safetext.Line(e.Profile), safetext.Line(e.Err.Error()))
		if p.profile == e.Profile {
			p.toggle.OnChanged = nil
			p.toggle.SetChecked(false)
			p.toggle.OnChanged = p.onToggle
			p.countdown.SetText(msg)
		}
		if p.notify != nil {
			p.notify("Keep-fresh stopped", msg)
		}
		p.reloadFamily()
		return
	}
	run.next, run.expiry = e.Next, e.Expiry
	if e.Refreshed && p.onRefreshed != nil {
		p.onRefreshed()
	}
	if p.profile == e.Profile {
		p.showCountdown()
		p.reloadFamily()
	}
}

// showCountdown says when the selected profile's next refresh is.
func (p *freshPanel) showCountdown() {
	run := p.runs[p.profile]
	switch {
	case p.profile == "":
		p.countdown.SetText("Choose a profile to keep its access token fresh.")
	case run == nil:
		p.countdown.SetText("Off: turn it on to refresh " + safetext.Line(p.profile) + "'s access token before it expires, until an error.")
	case run.next.IsZero():
		p.countdown.SetText("Getting an access token for " + safetext.Line(p.profile) + "…")
	default:
		left := run.next.Sub(p.now())
		when := "now"
		if left > 0 {
			when = "in " + tokens.Duration(left.Truncate(time.Second))
		}
		p.countdown.SetText(fmt.Sprintf("Next refresh %s, at %s; the access token expires at %s.", when,
			run.next.Local().Format("15:04:05"), run.expiry.Local().Format("15:04:05")))
	}
}

// startTicking updates the countdown every second while keep-fresh runs.
func (p *freshPanel) startTicking() {
	if p.ticking {
		return
	}
	p.ticking = true
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for range t.C {
			stop := make(chan bool, 1)
			p.do(func() {
				if len(p.runs) == 0 {
					p.ticking = false
					stop <- true
					return
				}
				p.showCountdown()
				stop <- false
			})
			if <-stop {
				return
			}
		}
	}()
}

// stopAll ends every keep-fresh run (the window closes).
func (p *freshPanel) stopAll() {
	for name, run := range p.runs {
		run.cancel()
		delete(p.runs, name)
	}
}

// reloadFamily draws the selected profile's refresh-token lineage: one
// line a token, oldest first, an arrow where one rotated into the next.
func (p *freshPanel) reloadFamily() {
	var rows []fyne.CanvasObject
	if p.profile != "" && p.svc.Workspace != nil && p.svc.Workspace.Profiles != nil {
		f, err := p.svc.Workspace.Family(p.profile)
		switch {
		case err != nil:
			rows = append(rows, wrapLabel(safetext.Line(err.Error())))
		case len(f.Tokens) == 0:
			rows = append(rows, wrapLabel("No refresh token seen yet: sign in or refresh, and its lineage starts here."))
		}
		for i, t := range f.Tokens {
			if i > 0 && t.Origin == "rotation" {
				rows = append(rows, widget.NewLabel("   ↓ rotated"))
			}
			line := wrapLabel(familyLine(t)) // wraps: the pane is narrow at 900×600
			line.TextStyle = fyne.TextStyle{Monospace: true}
			rows = append(rows, line)
		}
	}
	p.chain.Objects = rows
	p.chain.Refresh()
}

// familyLine is one token of the chain: fingerprint, origin, uses, state.
func familyLine(t workspace.FamilyToken) string {
	parts := []string{"● " + t.Fingerprint, "from " + t.Origin, "issued " + t.IssuedAt.Local().Format("01-02 15:04")}
	if t.Uses > 0 {
		parts = append(parts, fmt.Sprintf("used %d×", t.Uses))
	}
	state := string(t.State)
	if t.Reason != "" {
		state += " (" + safetext.Line(t.Reason) + ")"
	}
	return strings.Join(append(parts, state), " · ")
}

// onRehearse runs the rotation races on a fresh demo tenant off the UI
// goroutine and shows their timelines.
func (p *freshPanel) onRehearse() {
	p.rehearse.Disable()
	p.rehearse.SetText("Rehearsing…")
	p.busy.Add(1)
	go func() {
		defer p.busy.Done()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		rep, err := p.svc.Workspace.RehearseOnDemo(ctx, workspace.DemoSettings{Logf: func(string, ...any) {}}, workspace.DefaultRetryDelay)
		p.do(func() {
			p.rehearse.Enable()
			p.rehearse.SetText("Rehearse rotation races…")
			if err != nil {
				dialog.ShowError(fmt.Errorf("the rehearsal could not run: %w", err), p.win)
				return
			}
			p.showRehearsal(rep)
		})
	}()
}

// showRehearsal shows each race: its outcome, every request and answer
// with the family after it, the one-sentence summary and Auth0's page.
func (p *freshPanel) showRehearsal(rep workspace.RehearsalReport) {
	s := rep.Settings
	rows := []fyne.CanvasObject{wrapLabel(fmt.Sprintf("Demo tenant, client %s: %s, reuse interval %gs. Tokens are shown by label and fingerprint, never by value.",
		rep.ClientID, s.Rotation, s.ReuseIntervalSeconds))}
	for _, r := range rep.Races {
		rows = append(rows, widget.NewSeparator(), widget.NewLabelWithStyle(r.Title+": "+r.Outcome, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		for _, st := range r.Steps {
			rows = append(rows, wrapLabel(fmt.Sprintf("+%gs  %s  %s — %s", st.ElapsedSeconds, st.Actor, safetext.Line(st.Describe()), st.Family.Describe())))
		}
		rows = append(rows, wrapLabel(r.Summary))
		if u, err := url.Parse(r.Auth0Docs); err == nil && r.Auth0Docs != "" {
			rows = append(rows, widget.NewHyperlink("What Auth0 documents", u))
		}
	}
	scroll := container.NewVScroll(container.NewVBox(rows...))
	scroll.SetMinSize(fyne.NewSize(640, 460))
	dialog.ShowCustom("Rotation rehearsal", "Close", scroll, p.win)
}
