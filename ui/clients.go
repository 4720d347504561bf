package ui

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/discovery"
	"github.com/tokenscope/tokenscope/internal/oauth"
	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/safetext"
	"github.com/tokenscope/tokenscope/internal/workspace"
)

var authChoices = []string{string(oauth.AuthNone), string(oauth.AuthPost), string(oauth.AuthBasic)}

// clientsScreen edits client profiles; their secrets go to the keyring.
type clientsScreen struct {
	svc *Services
	win fyne.Window
	do  uiDo
	// onProfilesChanged tells the other screens the list changed.
	onProfilesChanged func()

	list      *widget.List
	profiles  []profiles.Profile
	selected  int // index in profiles, -1 for a new profile
	name      *widget.Entry
	issuer    *widget.Entry
	clientID  *widget.Entry
	auth      *widget.RadioGroup
	audience  *widget.Entry
	scope     *widget.Entry
	params    *widget.Entry
	secret    *widget.Entry
	refresh   *widget.Entry
	storage   *widget.Label
	endpoints *widget.Label
	status    *widget.Label
	newBtn    *widget.Button
	saveBtn   *widget.Button
	discover  *widget.Button
	dupBtn    *widget.Button
	deleteBtn *widget.Button
	signInBtn *widget.Button
	signIn    *signInFlow

	// The selected profile's secrets as read from the keyring: Save is
	// disabled until they are in, and a field left as loaded is kept.
	loaded                 bool
	loadedSecret, loadedRT string
	loadErr                error
	// dupFrom is the profile a Duplicate copied its secrets from.
	dupFrom *profiles.Profile

	busy sync.WaitGroup
}

func newClientsScreen(svc *Services, win fyne.Window, do uiDo) *clientsScreen {
	s := &clientsScreen{svc: svc, win: win, do: do, selected: -1}
	s.buildUI()
	s.reload("")
	return s
}

func (s *clientsScreen) buildUI() {
	s.list = widget.NewList(
		func() int { return len(s.profiles) },
		func() fyne.CanvasObject { return widget.NewLabel("profile name") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			o.(*widget.Label).SetText(safetext.Line(s.profiles[i].Name))
		})
	s.list.OnSelected = s.onSelected
	s.name = widget.NewEntry()
	s.name.SetPlaceHolder("a short name, e.g. prod-eu")
	s.issuer = widget.NewEntry()
	s.issuer.SetPlaceHolder("tenant.eu.auth0.com or https://issuer.example.com/")
	s.clientID = widget.NewEntry()
	s.auth = widget.NewRadioGroup(authChoices, nil)
	s.auth.Horizontal = true
	s.auth.SetSelected(string(oauth.AuthNone))
	s.audience = widget.NewEntry()
	s.audience.SetPlaceHolder("optional API identifier")
	s.scope = widget.NewEntry()
	s.scope.SetPlaceHolder("e.g. openid profile offline_access")
	s.params = widget.NewMultiLineEntry()
	s.params.SetPlaceHolder("extra parameters, one KEY=VALUE a line (e.g. resource=https://api)")
	s.params.SetMinRowsVisible(2)
	s.secret = widget.NewPasswordEntry()
	s.secret.SetPlaceHolder("client secret (post and basic)")
	s.refresh = widget.NewPasswordEntry()
	s.refresh.SetPlaceHolder("a refresh token to start from")
	s.storage = wrapLabel("")
	s.endpoints = wrapLabel("")
	s.status = wrapLabel("")
	s.newBtn = widget.NewButtonWithIcon("New", theme.ContentAddIcon(), s.onNew)
	s.saveBtn = widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), s.onSave)
	s.saveBtn.Importance = widget.HighImportance
	s.discover = widget.NewButtonWithIcon("Discover", theme.SearchIcon(), s.onDiscover)
	s.dupBtn = widget.NewButtonWithIcon("Duplicate", theme.ContentCopyIcon(), s.onDuplicate)
	s.deleteBtn = widget.NewButtonWithIcon("Delete", theme.DeleteIcon(), s.onDelete)
	s.signIn = &signInFlow{svc: s.svc, win: s.win, do: s.do, busy: &s.busy}
	s.signInBtn = widget.NewButtonWithIcon("Sign in…", theme.LoginIcon(), s.onSignIn)
	s.dupBtn.Disable()
	s.deleteBtn.Disable()
	s.signInBtn.Disable()
	s.updateStorageLine()
}

func (s *clientsScreen) view() fyne.CanvasObject {
	form := widget.NewForm(
		widget.NewFormItem("Name", s.name),
		widget.NewFormItem("Domain or issuer", s.issuer),
		widget.NewFormItem("Client ID", s.clientID),
		widget.NewFormItem("Client auth", s.auth),
		widget.NewFormItem("Audience", s.audience),
		widget.NewFormItem("Scope", s.scope),
		widget.NewFormItem("Parameters", s.params),
		widget.NewFormItem("Client secret", s.secret),
		widget.NewFormItem("Refresh token", s.refresh),
	)
	right := container.NewVScroll(container.NewVBox(
		form,
		s.storage,
		container.NewHBox(s.saveBtn, s.discover, s.signInBtn, s.dupBtn, s.deleteBtn),
		s.status,
		widget.NewCard("", "Endpoints", s.endpoints),
	))
	left := border(container.NewHBox(s.newBtn), nil, nil, nil, s.list)
	split := container.NewHSplit(left, right)
	split.Offset = 0.22
	return split
}

func (s *clientsScreen) focus() { s.win.Canvas().Focus(s.name) }

// updateStorageLine says where secrets are kept, for the profile shown
// (a new one is a real one).
func (s *clientsScreen) updateStorageLine() {
	demo := s.selected >= 0 && s.selected < len(s.profiles) && s.profiles[s.selected].Demo
	msg, imp := keyringNote(s.svc.Unavailable(), demo)
	s.storage.Importance = imp
	s.storage.SetText(msg)
}

// reload reads the profiles file and selects the named profile, if any.
func (s *clientsScreen) reload(selectName string) {
	ps, err := s.svc.Profiles.Load()
	if c := s.svc.Profiles.Corruption(); err == nil && c != nil {
		err = c // moved aside earlier in this run: still worth saying
	}
	if err != nil {
		s.status.Importance = widget.DangerImportance
		s.status.SetText(safetext.Block(err.Error()))
	}
	s.profiles = ps
	s.list.UnselectAll()
	s.list.Refresh()
	for i, p := range ps {
		if p.Name == selectName {
			s.list.Select(i)
			return
		}
	}
	if selectName == "" && len(ps) == 0 {
		s.onNew()
	}
}

func (s *clientsScreen) onNew() {
	s.selected = -1
	s.list.UnselectAll()
	for _, e := range []*widget.Entry{s.name, s.issuer, s.clientID, s.audience, s.scope, s.params, s.secret, s.refresh} {
		e.SetText("")
	}
	s.auth.SetSelected(string(oauth.AuthNone))
	s.endpoints.SetText("Not discovered yet: press Discover.")
	s.deleteBtn.Disable()
	s.dupBtn.Disable()
	s.signInBtn.Disable()
	s.loaded, s.loadedSecret, s.loadedRT, s.loadErr = true, "", "", nil
	s.dupFrom = nil
	s.saveBtn.Enable()
	s.signInBtn.Show()
	s.updateStorageLine()
}

func (s *clientsScreen) onSelected(i widget.ListItemID) {
	if i < 0 || i >= len(s.profiles) {
		return
	}
	s.selected = i
	p := s.profiles[i]
	s.setStatus("", widget.MediumImportance) // the last status was about another profile
	s.name.SetText(p.Name)
	s.issuer.SetText(p.Issuer)
	s.clientID.SetText(p.ClientID)
	s.auth.SetSelected(p.Auth)
	s.audience.SetText(p.Audience)
	s.scope.SetText(p.Scope)
	s.params.SetText(formatParams(p.Params))
	s.secret.SetText("")
	s.refresh.SetText("")
	s.showEndpoints(p.Endpoints)
	if p.LastSignIn != nil {
		s.endpoints.SetText(s.endpoints.Text + "\nLast signed in " + p.LastSignIn.Local().Format("2006-01-02 15:04"))
	}
	s.deleteBtn.Enable()
	s.dupBtn.Enable()
	// Sign in… only where a user can sign in through the browser.
	if s.svc.grantsOf(p).code {
		s.signInBtn.Show()
		s.signInBtn.Enable()
	} else {
		s.signInBtn.Hide()
	}
	// The keyring can wait on an unlock prompt: read it off the UI
	// goroutine, and keep Save off until it has answered, so an empty
	// field never stands for "delete".
	s.loaded, s.loadedSecret, s.loadedRT, s.loadErr = false, "", "", nil
	s.saveBtn.Disable()
	s.secret.SetPlaceHolder("reading the keyring…")
	s.refresh.SetPlaceHolder("reading the keyring…")
	s.busy.Add(1)
	go func() {
		defer s.busy.Done()
		l, err := s.svc.Load(context.Background(), p.Name)
		if err == nil {
			err = l.SecretsErr
		}
		s.do(func() {
			if s.selected != i || s.name.Text != p.Name {
				return
			}
			s.loaded, s.loadedSecret, s.loadedRT, s.loadErr = true, l.ClientSecret, l.RefreshToken, err
			s.secret.SetText(l.ClientSecret)
			s.refresh.SetText(l.RefreshToken)
			s.secret.SetPlaceHolder("client secret (post and basic)")
			s.refresh.SetPlaceHolder("a refresh token to start from")
			s.saveBtn.Enable()
			s.updateStorageLine()
			if err != nil {
				s.setStatus("The stored secrets could not be read: "+err.Error()+". Save keeps them unless you type new ones.", widget.WarningImportance)
			}
		})
	}()
}

func (s *clientsScreen) showEndpoints(e *profiles.Endpoints) {
	if e == nil {
		s.endpoints.SetText("Not discovered yet: press Discover.")
		return
	}
	s.endpoints.SetText(safetext.Block(fmt.Sprintf("Token endpoint: %s\nJWKS: %s\nUserinfo: %s\nDiscovered %s", e.Token, e.JWKS, e.Userinfo, e.DiscoveredAt.Local().Format("2006-01-02 15:04"))))
}

func formatParams(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	lines := make([]string, len(keys))
	for i, k := range keys {
		lines[i] = k + "=" + m[k]
	}
	return strings.Join(lines, "\n")
}

func parseParams(text string) (map[string]string, error) {
	out := map[string]string{}
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, fmt.Errorf("parameter line %d, %q, is not KEY=VALUE", n+1, line)
		}
		out[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// formProfile reads the form into a profile.
func (s *clientsScreen) formProfile() (profiles.Profile, error) {
	params, err := parseParams(s.params.Text)
	if err != nil {
		return profiles.Profile{}, err
	}
	p := profiles.Profile{
		Name: strings.TrimSpace(s.name.Text), Issuer: discovery.IssuerURL(s.issuer.Text), ClientID: strings.TrimSpace(s.clientID.Text),
		Auth: s.auth.Selected, Audience: strings.TrimSpace(s.audience.Text), Scope: strings.TrimSpace(s.scope.Text), Params: params,
	}
	if s.selected >= 0 && s.profiles[s.selected].Issuer == p.Issuer {
		p.Endpoints = s.profiles[s.selected].Endpoints
	}
	return p, p.Validate()
}

func (s *clientsScreen) setStatus(msg string, imp widget.Importance) {
	s.status.Importance = imp
	s.status.SetText(safetext.Block(msg)) // it may quote a server, a file or a token
}

// secretChange turns what a secret field shows into what Save does: left
// as loaded, it is kept; emptied by the user, it is deleted; anything else
// is stored. When the keyring could not be read, an empty field keeps it.
func (s *clientsScreen) secretChange(text, loaded string) workspace.SecretChange {
	switch {
	case text == loaded:
		return workspace.Keep()
	case text == "" && s.loadErr != nil:
		return workspace.Keep()
	case text == "":
		return workspace.Forget()
	}
	return workspace.Store(text)
}

// onSave writes the profile and its secrets, off the UI goroutine.
func (s *clientsScreen) onSave() {
	if !s.loaded {
		return // Save is disabled until the secrets are in
	}
	p, err := s.formProfile()
	if err != nil {
		s.setStatus(err.Error()+".", widget.DangerImportance)
		return
	}
	req := workspace.SaveRequest{Profile: p,
		ClientSecret: s.secretChange(s.secret.Text, s.loadedSecret),
		RefreshToken: s.secretChange(strings.TrimSpace(s.refresh.Text), s.loadedRT)}
	if s.selected >= 0 {
		req.OldName = s.profiles[s.selected].Name
	}
	note := ""
	if d := s.dupFrom; d != nil && s.selected < 0 && !profiles.SameClient(*d, p) {
		// Secrets belong to an issuer and client: never carried to another.
		req.ClientSecret, req.RefreshToken = workspace.Keep(), workspace.Keep()
		note = " The copied secrets belong to " + workspace.Binding(*d) + " and were not stored with it."
	}
	s.saveBtn.Disable()
	s.setStatus("Saving…", widget.MediumImportance)
	s.busy.Add(1)
	go func() {
		defer s.busy.Done()
		res, err := s.svc.Save(req)
		s.do(func() {
			s.saveBtn.Enable()
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
			if s.onProfilesChanged != nil {
				s.onProfilesChanged()
			}
		})
	}()
}

// onDiscover fetches the issuer's discovery document and shows what it says.
func (s *clientsScreen) onDiscover() {
	issuer := discovery.IssuerURL(s.issuer.Text)
	if issuer == "" {
		s.setStatus("Type the domain or issuer first.", widget.WarningImportance)
		return
	}
	sel := s.selected
	s.discover.Disable()
	s.setStatus("Fetching "+issuer+".well-known/openid-configuration…", widget.MediumImportance)
	s.busy.Add(1)
	go func() {
		defer s.busy.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		m, err := discovery.Discover(ctx, s.svc.HTTP, issuer)
		var e *profiles.Endpoints
		if err == nil {
			e = workspace.EndpointsOf(m)
		}
		s.do(func() {
			s.discover.Enable()
			if err != nil {
				s.setStatus("Discovery failed: "+err.Error(), widget.DangerImportance)
				return
			}
			s.showEndpoints(e)
			msg := fmt.Sprintf("Found %s. Grant types: %s. Client auth methods: %s.", m.Issuer, listOrUnknown(m.GrantTypesSupported), listOrUnknown(m.TokenEndpointAuthMethodsSupported))
			if sel >= 0 && s.selected == sel && s.profiles[sel].Issuer == issuer {
				name := s.profiles[sel].Name
				s.profiles[sel].Endpoints = e
				if s.svc.Profiles.Update(name, func(p *profiles.Profile) error {
					if p.Issuer == issuer {
						p.Endpoints = e
					}
					return nil
				}) == nil {
					msg += " Saved with the profile."
				}
			}
			s.setStatus(msg, widget.SuccessImportance)
		})
	}()
}

func listOrUnknown(l []string) string {
	if len(l) == 0 {
		return "not listed"
	}
	return strings.Join(l, ", ")
}

// onSignIn signs in with the selected (saved) profile through the browser.
func (s *clientsScreen) onSignIn() {
	if s.selected < 0 {
		return
	}
	name := s.profiles[s.selected].Name
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
			if s.onProfilesChanged != nil {
				s.onProfilesChanged()
			}
		}
	})
}

func (s *clientsScreen) onDuplicate() {
	if s.selected < 0 {
		return
	}
	src := s.profiles[s.selected]
	s.selected = -1
	s.list.UnselectAll()
	s.name.SetText(s.name.Text + "-copy")
	// A new profile: the copied secrets are stored with it on Save, but
	// only while it names the same issuer and client (see onSave).
	s.dupFrom = &src
	s.deleteBtn.Disable()
	s.dupBtn.Disable()
	s.setStatus("A copy: change what differs and Save.", widget.MediumImportance)
}

func (s *clientsScreen) onDelete() {
	if s.selected < 0 {
		return
	}
	name := s.profiles[s.selected].Name
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
			if len(s.profiles) > 0 {
				s.onNew()
			}
			if s.onProfilesChanged != nil {
				s.onProfilesChanged()
			}
		})
	}()
}
