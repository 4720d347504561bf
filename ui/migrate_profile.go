// The Migrate screen's Save as profile: the client of a migrated call kept
// as a profile, its secrets in the keyring.

package ui

import (
	"fmt"
	"net"
	"net/url"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/workspace"
	"github.com/tokenscope/tokenscope/migrate"
)

// migrateSave is the Save as profile button and its dialog.
type migrateSave struct {
	svc      *Services
	win      fyne.Window
	do       uiDo
	busy     *sync.WaitGroup
	status   *widget.Label
	audience func() string // the Audience option, kept with the profile
	saved    func()        // a profile was saved
	saveBtn  *widget.Button
	saveName *widget.Entry // the dialog's Profile name
	offered  *migrate.Result
}

func newMigrateSave(svc *Services, win fyne.Window, do uiDo, busy *sync.WaitGroup, status *widget.Label, audience func() string, saved func()) *migrateSave {
	p := &migrateSave{svc: svc, win: win, do: do, busy: busy, status: status, audience: audience, saved: saved}
	p.saveBtn = widget.NewButtonWithIcon("Save as profile…", theme.DocumentSaveIcon(), p.onSaveProfile)
	p.saveBtn.Disable()
	p.saveName = widget.NewEntry()
	return p
}

func (p *migrateSave) button() fyne.CanvasObject { return p.saveBtn }

// offer makes r the request to save (nil: none); one that still names the
// placeholder domain cannot become a profile.
func (p *migrateSave) offer(r *migrate.Result) {
	p.offered = r
	if r != nil && r.Request != nil && !strings.Contains(r.Request.URL, migrate.PlaceholderDomain) {
		p.saveBtn.Enable()
	} else {
		p.saveBtn.Disable()
	}
}

// onSaveProfile asks for a profile name, then saves the client and stores
// its refresh token (and secret, when the legacy call had one) in the keyring.
func (p *migrateSave) onSaveProfile() {
	r := p.offered
	if r == nil || r.Request == nil {
		return
	}
	u, _ := url.Parse(r.Request.URL)
	p.saveName.SetText(suggestProfileName(u.Hostname(), r.Request.ClientID, p.existingNames()))
	form := widget.NewForm(
		widget.NewFormItem("Profile name", p.saveName),
		widget.NewFormItem("Issuer", widget.NewLabel(u.Scheme+"://"+u.Host+"/")),
		widget.NewFormItem("Client ID", widget.NewLabel(r.Request.ClientID)),
		widget.NewFormItem("Secrets", wrapLabel("The refresh token and client secret go to the OS keyring, never to a file.")),
	)
	dialog.ShowCustomConfirm("Save as profile", "Save", "Cancel", form, func(ok bool) {
		if ok {
			p.saveProfile(p.saveName.Text)
		}
	}, p.win)
}

// existingNames are the profile names taken now.
func (p *migrateSave) existingNames() map[string]bool {
	out := map[string]bool{}
	if p.svc.Workspace != nil {
		ps, _ := p.svc.Profiles.Load()
		for _, prof := range ps {
			out[prof.Name] = true
		}
	}
	return out
}

// suggestProfileName proposes a free, valid name: the tenant from an Auth0
// domain (tenant.eu.auth0.com → tenant), the host's first label otherwise,
// or the client ID when the host is an IP address.
func suggestProfileName(host, clientID string, taken map[string]bool) string {
	base := strings.Split(host, ".")[0]
	if net.ParseIP(host) != nil || base == "" || base == "localhost" {
		base = clientID
	}
	clean := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' {
			return r
		}
		return '-'
	}, base)
	if clean == "" {
		clean = "profile"
	}
	if len(clean) > 60 {
		clean = clean[:60]
	}
	name := clean
	for n := 2; taken[name]; n++ {
		name = fmt.Sprintf("%s-%d", clean, n)
	}
	return name
}

// saveProfile stores the current request's client as a profile. The file
// and keyring writes run off the UI goroutine: a keyring may wait for an
// unlock prompt.
func (p *migrateSave) saveProfile(name string) {
	r := p.offered
	if r == nil || r.Request == nil || p.svc.Workspace == nil {
		return
	}
	req := *r.Request
	u, _ := url.Parse(req.URL)
	scope, _ := req.Body.Get("scope")
	prof := profiles.Profile{Name: strings.TrimSpace(name), Issuer: u.Scheme + "://" + u.Host + "/", ClientID: req.ClientID,
		Auth: string(req.Auth), Audience: p.audience(), Scope: scope}
	refresh, _ := req.Body.Get("refresh_token")
	secret := req.ClientSecret
	p.status.SetText("Saving profile " + prof.Name + "…")
	p.busy.Add(1)
	go func() {
		defer p.busy.Done()
		msg, imp := p.storeProfile(prof, refresh, secret)
		p.do(func() {
			p.status.Importance = imp
			p.status.SetText(msg)
			if imp != widget.DangerImportance {
				p.saved()
			}
		})
	}()
}

func (p *migrateSave) storeProfile(prof profiles.Profile, refresh, secret string) (string, widget.Importance) {
	req := workspace.SaveRequest{Profile: prof, RefreshToken: workspace.Keep(), ClientSecret: workspace.Keep()}
	if refresh != "" {
		req.RefreshToken = workspace.Store(refresh)
	}
	if secret != "" && !strings.HasPrefix(secret, "$") {
		req.ClientSecret = workspace.Store(secret)
	}
	// A new profile only: an existing one of the same name is never replaced from here.
	if _, err := p.svc.Save(req); err != nil {
		return "The profile was not saved: " + err.Error() + ".", widget.DangerImportance
	}
	var stored []string
	if req.RefreshToken.Set {
		stored = append(stored, "refresh token")
	}
	if req.ClientSecret.Set {
		stored = append(stored, "client secret")
	}
	msg := fmt.Sprintf("Saved profile %s in %s.", prof.Name, p.svc.Profiles.Path)
	if len(stored) > 0 {
		msg += " Its " + strings.Join(stored, " and ") + " are in the OS keyring."
	}
	return msg, widget.SuccessImportance
}
