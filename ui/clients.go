package ui

import (
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/safetext"
	"github.com/tokenscope/tokenscope/internal/workspace"
)

// The Clients screen is made of panels, each owning its widgets and state:
//
//	clientsList       the saved profiles, New (clients_list.go)
//	clientsForm       the profile's fields (clients_form.go)
//	clientsSecrets    its client secret and refresh token, from the keyring (clients_secrets.go)
//	clientsEndpoints  its endpoints, Discover (clients_endpoints.go)
//	clientsActions    Save, Sign in…, Duplicate, Delete (clients_list.go)
//
// The screen runs what the buttons do, through the workspace, and says
// what happened on its status line.

// clientsScreen edits client profiles; their secrets go to the keyring.
type clientsScreen struct {
	svc *Services
	win fyne.Window
	do  uiDo
	// onProfilesChanged tells the other screens the list changed.
	onProfilesChanged func()

	status    *widget.Label
	list      *clientsList
	form      *clientsForm
	secrets   *clientsSecrets
	endpoints *clientsEndpoints
	actions   *clientsActions
	signIn    *signInFlow
	obj       fyne.CanvasObject

	// dupFrom is the profile a Duplicate copied its secrets from.
	dupFrom *profiles.Profile
	busy    sync.WaitGroup
}

func newClientsScreen(svc *Services, win fyne.Window, do uiDo) *clientsScreen {
	s := &clientsScreen{svc: svc, win: win, do: do}
	s.status = wrapLabel("")
	s.list = newClientsList(s.onSelected, s.onNew)
	s.secrets = newClientsSecrets(svc, do, &s.busy)
	s.form = newClientsForm(s.secrets.items()...)
	s.endpoints = newClientsEndpoints(svc, do, &s.busy, s.onDiscover)
	s.actions = newClientsActions(s.endpoints.button(), s.onSave, s.onSignIn, s.onDuplicate, s.onDelete)
	s.signIn = &signInFlow{svc: svc, win: win, do: do, busy: &s.busy}
	s.updateStorageLine()
	right := container.NewVScroll(container.NewVBox(
		s.form.view(),
		s.secrets.storageLine(),
		s.actions.view(),
		s.status,
		s.endpoints.view(),
	))
	split := container.NewHSplit(s.list.view(), right)
	split.Offset = 0.22
	s.obj = split
	s.reload("")
	return s
}

// view is the screen's layout, the same one every time.
func (s *clientsScreen) view() fyne.CanvasObject { return s.obj }

func (s *clientsScreen) focus() { s.form.focus(s.win.Canvas()) }

// updateStorageLine says where secrets are kept, for the profile shown
// (a new one is a real one).
func (s *clientsScreen) updateStorageLine() {
	p, ok := s.list.current()
	s.secrets.showStorage(ok && p.Demo)
}

// reload reads the profiles file and selects the named profile, if any.
func (s *clientsScreen) reload(selectName string) {
	ps, err := s.svc.Profiles.Load()
	if c := s.svc.Profiles.Corruption(); err == nil && c != nil {
		err = c // moved aside earlier in this run: still worth saying
	}
	if err != nil {
		s.setStatus(err.Error(), widget.DangerImportance)
	}
	s.list.set(ps)
	if s.list.choose(selectName) {
		return
	}
	if selectName == "" && len(ps) == 0 {
		s.onNew()
	}
}

func (s *clientsScreen) onNew() {
	s.list.forNew()
	s.form.clear()
	s.secrets.forNew()
	s.endpoints.show(nil, nil)
	s.actions.forNew()
	s.dupFrom = nil
	s.updateStorageLine()
}

func (s *clientsScreen) onSelected(i int, p profiles.Profile) {
	s.setStatus("", widget.MediumImportance) // the last status was about another profile
	s.form.fill(p)
	s.endpoints.show(p.Endpoints, p.LastSignIn)
	// Sign in… only where a user can sign in through the browser.
	s.actions.forProfile(s.svc.grantsOf(p).code)
	// Save stays off until the secrets are in, so an empty field never
	// stands for "delete".
	s.actions.saving(true)
	s.secrets.load(p.Name, func() bool {
		return s.list.index() == i && s.form.shownName() == p.Name
	}, func(err error) {
		s.actions.saving(false)
		s.updateStorageLine()
		if err != nil {
			s.setStatus("The stored secrets could not be read: "+err.Error()+". Save keeps them unless you type new ones.", widget.WarningImportance)
		}
	})
}

// formProfile reads the form into a profile, keeping the endpoints
// discovered while the issuer stays the same.
func (s *clientsScreen) formProfile() (profiles.Profile, error) {
	p, err := s.form.profile()
	if err != nil {
		return profiles.Profile{}, err
	}
	if cur, ok := s.list.current(); ok && cur.Issuer == p.Issuer {
		p.Endpoints = cur.Endpoints
	}
	return p, p.Validate()
}

func (s *clientsScreen) setStatus(msg string, imp widget.Importance) {
	s.status.Importance = imp
	s.status.SetText(safetext.Block(msg)) // it may quote a server, a file or a token
}

// onSave writes the profile and its secrets, off the UI goroutine.
func (s *clientsScreen) onSave() {
	if !s.secrets.ready() {
		return // Save is disabled until the secrets are in
	}
	p, err := s.formProfile()
	if err != nil {
		s.setStatus(err.Error()+".", widget.DangerImportance)
		return
	}
	req := workspace.SaveRequest{Profile: p}
	req.ClientSecret, req.RefreshToken = s.secrets.changes()
	cur, saved := s.list.current()
	if saved {
		req.OldName = cur.Name
	}
	note := ""
	if d := s.dupFrom; d != nil && !saved && !profiles.SameClient(*d, p) {
		// Secrets belong to an issuer and client: never carried to another.
		req.ClientSecret, req.RefreshToken = workspace.Keep(), workspace.Keep()
		note = " The copied secrets belong to " + workspace.Binding(*d) + " and were not stored with it."
	}
	s.actions.saving(true)
	s.setStatus("Saving…", widget.MediumImportance)
	s.busy.Add(1)
	go func() {
		defer s.busy.Done()
		res, err := s.svc.Save(req)
		s.do(func() {
			s.actions.saving(false)
			s.updateStorageLine()
			if err != nil {
				s.setStatus(err.Error()+".", widget.DangerImportance)
				return
			}
			s.reload(p.Name)
			s.dupFrom = nil
			if res.Dropped != "" || note != "" {
				s.setStatus(strings.TrimSpace("Saved "+p.Name+". "+res.Dropped+note), widget.WarningImportance)
			} else {
				s.setStatus("Saved "+p.Name+".", widget.SuccessImportance)
			}
			s.profilesChanged()
		})
	}()
}

func (s *clientsScreen) profilesChanged() {
	if s.onProfilesChanged != nil {
		s.onProfilesChanged()
	}
}

// onDiscover fetches the issuer's discovery document and shows what it
// says; for the saved profile shown, the endpoints are kept with it.
func (s *clientsScreen) onDiscover() {
	issuer := s.form.issuerURL()
	if issuer == "" {
		s.setStatus("Type the domain or issuer first.", widget.WarningImportance)
		return
	}
	sel := s.list.index()
	s.setStatus("Fetching "+issuer+".well-known/openid-configuration…", widget.MediumImportance)
	s.endpoints.fetch(issuer, func(e *profiles.Endpoints, found string, err error) {
		if err != nil {
			s.setStatus("Discovery failed: "+err.Error(), widget.DangerImportance)
			return
		}
		if cur, ok := s.list.current(); ok && s.list.index() == sel && cur.Issuer == issuer {
			s.list.setEndpoints(sel, e)
			if s.svc.Profiles.Update(cur.Name, func(p *profiles.Profile) error {
				if p.Issuer == issuer {
					p.Endpoints = e
				}
				return nil
			}) == nil {
				found += " Saved with the profile."
			}
		}
		s.setStatus(found, widget.SuccessImportance)
	})
}

// onSignIn signs in with the selected (saved) profile through the browser.
func (s *clientsScreen) onSignIn() {
	cur, ok := s.list.current()
	if !ok {
		return
	}
	name := cur.Name
	s.setStatus("Signing in with "+name+"…", widget.MediumImportance)
	s.signIn.start(name, false, func(res workspace.LoginResult) {
		memory, demo := s.svc.Unavailable() != nil, res.Profile.Demo
		if r := res.Response; r != nil && needsOnlyCopy(r, memory, demo) {
			showOnlyCopy(s.win, s.do, fyne.CurrentApp().Clipboard(), name, r)
		}
		msg, imp := loginResultText(name, res, memory, demo)
		s.setStatus(msg, imp)
		if res.Err == nil {
			s.reload(name)
			s.setStatus(msg, imp)
			s.profilesChanged()
		}
	})
}

func (s *clientsScreen) onDuplicate() {
	src, ok := s.list.current()
	if !ok {
		return
	}
	s.list.forNew()
	s.form.nameCopy()
	// A new profile: the copied secrets are stored with it on Save, but
	// only while it names the same issuer and client (see onSave).
	s.dupFrom = &src
	s.actions.forCopy()
	s.setStatus("A copy: change what differs and Save.", widget.MediumImportance)
}

func (s *clientsScreen) onDelete() {
	cur, ok := s.list.current()
	if !ok {
		return
	}
	name := cur.Name
	dialog.ShowConfirm("Delete "+name+"?", "The profile and its keyring entries (client secret, refresh token) are deleted.", func(ok bool) {
		if ok {
			s.deleteProfile(name)
		}
	}, s.win)
}

func (s *clientsScreen) deleteProfile(name string) {
	s.busy.Add(1)
	go func() {
		defer s.busy.Done()
		err := s.svc.Remove(name)
		s.do(func() {
			if err != nil {
				s.setStatus(err.Error()+".", widget.DangerImportance)
				return
			}
			s.setStatus("Deleted "+name+" and its keyring entries.", widget.SuccessImportance)
			s.reload("")
			if s.list.count() > 0 {
				s.onNew()
			}
			s.profilesChanged()
		})
	}()
}
