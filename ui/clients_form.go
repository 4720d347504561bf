// The Clients screen's form: a profile's non-secret fields, read into a
// profiles.Profile and filled from one.

package ui

import (
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/oauth"
	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/workspace"
)

var authChoices = []string{string(oauth.AuthNone), string(oauth.AuthPost), string(oauth.AuthBasic)}

// clientsForm is the profile's fields; the secrets panel's fields follow
// them in the same form (extra).
type clientsForm struct {
	name     *widget.Entry
	issuer   *widget.Entry
	clientID *widget.Entry
	auth     *widget.RadioGroup
	audience *widget.Entry
	scope    *widget.Entry
	params   *widget.Entry
	obj      *widget.Form
}

func newClientsForm(extra ...*widget.FormItem) *clientsForm {
	p := &clientsForm{}
	p.name = widget.NewEntry()
	p.name.SetPlaceHolder("a short name, e.g. prod-eu")
	p.issuer = widget.NewEntry()
	p.issuer.SetPlaceHolder("tenant.eu.auth0.com or https://issuer.example.com/")
	p.clientID = widget.NewEntry()
	p.auth = widget.NewRadioGroup(authChoices, nil)
	p.auth.Horizontal = true
	p.auth.SetSelected(string(oauth.AuthNone))
	p.audience = widget.NewEntry()
	p.audience.SetPlaceHolder("optional API identifier")
	p.scope = widget.NewEntry()
	p.scope.SetPlaceHolder("e.g. openid profile offline_access")
	p.params = widget.NewMultiLineEntry()
	p.params.SetPlaceHolder("extra parameters, one KEY=VALUE a line (e.g. resource=https://api)")
	p.params.SetMinRowsVisible(2)
	p.obj = widget.NewForm(append([]*widget.FormItem{
		widget.NewFormItem("Name", p.name),
		widget.NewFormItem("Domain or issuer", p.issuer),
		widget.NewFormItem("Client ID", p.clientID),
		widget.NewFormItem("Client auth", p.auth),
		widget.NewFormItem("Audience", p.audience),
		widget.NewFormItem("Scope", p.scope),
		widget.NewFormItem("Parameters", p.params),
	}, extra...)...)
	return p
}

func (p *clientsForm) view() fyne.CanvasObject { return p.obj }

// clear empties the form for a new profile.
func (p *clientsForm) clear() {
	for _, e := range []*widget.Entry{p.name, p.issuer, p.clientID, p.audience, p.scope, p.params} {
		e.SetText("")
	}
	p.auth.SetSelected(string(oauth.AuthNone))
}

// fill shows profile pr.
func (p *clientsForm) fill(pr profiles.Profile) {
	p.name.SetText(pr.Name)
	p.issuer.SetText(pr.Issuer)
	p.clientID.SetText(pr.ClientID)
	p.auth.SetSelected(pr.Auth)
	p.audience.SetText(pr.Audience)
	p.scope.SetText(pr.Scope)
	p.params.SetText(formatParams(pr.Params))
}

// profile reads the form (no endpoints; not validated): an error says
// which parameter line is wrong.
func (p *clientsForm) profile() (profiles.Profile, error) {
	params, err := workspace.ParseParams(p.params.Text)
	if err != nil {
		return profiles.Profile{}, err
	}
	return profiles.Profile{
		Name: strings.TrimSpace(p.name.Text), Issuer: p.issuerURL(), ClientID: strings.TrimSpace(p.clientID.Text),
		Auth: p.auth.Selected, Audience: strings.TrimSpace(p.audience.Text), Scope: strings.TrimSpace(p.scope.Text), Params: params,
	}, nil
}

// issuerURL is the issuer the Domain or issuer field names.
func (p *clientsForm) issuerURL() string { return workspace.IssuerURL(p.issuer.Text) }

// shownName is the name in the Name field, as typed.
func (p *clientsForm) shownName() string { return p.name.Text }

// nameCopy names a duplicate: the name shown, with -copy.
func (p *clientsForm) nameCopy() { p.name.SetText(p.name.Text + "-copy") }

func (p *clientsForm) focus(c fyne.Canvas) { c.Focus(p.name) }

// formatParams shows extra parameters one KEY=VALUE a line, sorted, as
// workspace.ParseParams reads them back.
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
