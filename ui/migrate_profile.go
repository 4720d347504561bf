// The Migrate screen's Save as profile: the client of a migrated call kept
// as a profile, its secrets in the keyring.

package ui

import (
	"fmt"
	"net"
	"net/url"
	"strings"

	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/workspace"
)

// onSaveProfile asks for a profile name, then saves the client and stores
// its refresh token (and secret, when the legacy call had one) in the keyring.
func (s *migrateScreen) onSaveProfile() {
	r := s.current()
	if r == nil || r.Request == nil {
		return
	}
	u, _ := url.Parse(r.Request.URL)
	s.saveName.SetText(suggestProfileName(u.Hostname(), r.Request.ClientID, s.existingNames()))
	form := widget.NewForm(
		widget.NewFormItem("Profile name", s.saveName),
		widget.NewFormItem("Issuer", widget.NewLabel(u.Scheme+"://"+u.Host+"/")),
		widget.NewFormItem("Client ID", widget.NewLabel(r.Request.ClientID)),
		widget.NewFormItem("Secrets", wrapLabel("The refresh token and client secret go to the OS keyring, never to a file.")),
	)
	dialog.ShowCustomConfirm("Save as profile", "Save", "Cancel", form, func(ok bool) {
		if ok {
			s.saveProfile(s.saveName.Text)
		}
	}, s.win)
}

// existingNames are the profile names taken now.
func (s *migrateScreen) existingNames() map[string]bool {
	out := map[string]bool{}
	if s.svc.Workspace != nil {
		ps, _ := s.svc.Profiles.Load()
		for _, p := range ps {
			out[p.Name] = true
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
func (s *migrateScreen) saveProfile(name string) {
	r := s.current()
	if r == nil || r.Request == nil || s.svc.Workspace == nil {
		return
	}
	req := *r.Request
	u, _ := url.Parse(req.URL)
	scope, _ := req.Body.Get("scope")
	p := profiles.Profile{Name: strings.TrimSpace(name), Issuer: u.Scheme + "://" + u.Host + "/", ClientID: req.ClientID,
		Auth: string(req.Auth), Audience: strings.TrimSpace(s.audience.Text), Scope: scope}
	refresh, _ := req.Body.Get("refresh_token")
	secret := req.ClientSecret
	s.status.SetText("Saving profile " + p.Name + "…")
	s.busy.Add(1)
	go func() {
		defer s.busy.Done()
		msg, imp := s.storeProfile(p, refresh, secret)
		s.do(func() {
			s.status.Importance = imp
			s.status.SetText(msg)
			if imp != widget.DangerImportance && s.onProfilesChanged != nil {
				s.onProfilesChanged()
			}
		})
	}()
}

func (s *migrateScreen) storeProfile(p profiles.Profile, refresh, secret string) (string, widget.Importance) {
	req := workspace.SaveRequest{Profile: p, RefreshToken: workspace.Keep(), ClientSecret: workspace.Keep()}
	if refresh != "" {
		req.RefreshToken = workspace.Store(refresh)
	}
	if secret != "" && !strings.HasPrefix(secret, "$") {
		req.ClientSecret = workspace.Store(secret)
	}
	// A new profile only: an existing one of the same name is never replaced from here.
	if _, err := s.svc.Save(req); err != nil {
		return "The profile was not saved: " + err.Error() + ".", widget.DangerImportance
	}
	var stored []string
	if req.RefreshToken.Set {
		stored = append(stored, "refresh token")
	}
	if req.ClientSecret.Set {
		stored = append(stored, "client secret")
	}
	msg := fmt.Sprintf("Saved profile %s in %s.", p.Name, s.svc.Profiles.Path)
	if len(stored) > 0 {
		msg += " Its " + strings.Join(stored, " and ") + " are in the OS keyring."
	}
	return msg, widget.SuccessImportance
}
