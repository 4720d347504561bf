// The Migrate screen's options panel: what the rewrite assumes (domain,
// client authentication, audience) and how the new request is shown.

package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/oauth"
	"github.com/tokenscope/tokenscope/migrate"
)

// The first choice infers the client authentication from the legacy call.
var authLabels = []string{"as the call did", "none (native app)", "post (client_secret in body)", "basic (Authorization header)"}
var authMethods = []oauth.AuthMethod{"", oauth.AuthNone, oauth.AuthPost, oauth.AuthBasic}

// migrateOptions are the rewrite's options (a change calls onRewrite) and
// the output's form (a change calls onRender).
type migrateOptions struct {
	domain   *widget.Entry
	auth     *widget.Select
	audience *widget.Entry
	format   *widget.Select
	reveal   *widget.Check
	obj      *widget.Form
}

func newMigrateOptions(onRewrite, onRender func()) *migrateOptions {
	p := &migrateOptions{}
	p.domain = widget.NewEntry()
	p.domain.SetPlaceHolder("tenant.eu.auth0.com (default: the input's host)")
	p.domain.OnChanged = func(string) { onRewrite() }
	p.auth = widget.NewSelect(authLabels, func(string) { onRewrite() })
	p.audience = widget.NewEntry()
	p.audience.SetPlaceHolder("optional API identifier")
	p.audience.OnChanged = func(string) { onRewrite() }
	var names []string
	for _, f := range migrate.Formats {
		names = append(names, string(f))
	}
	p.format = widget.NewSelect(names, func(string) { onRender() })
	p.reveal = widget.NewCheck("Show secrets in the output", func(bool) { onRender() })
	p.obj = widget.NewForm(
		widget.NewFormItem("Domain", p.domain),
		widget.NewFormItem("Client auth", p.auth),
		widget.NewFormItem("Audience", p.audience),
		widget.NewFormItem("Output", container.NewVBox(container.NewHBox(p.format), p.reveal)),
	)
	return p
}

// start chooses the defaults; their callbacks run, so every panel they
// reach must exist by now.
func (p *migrateOptions) start() {
	p.auth.SetSelected(authLabels[0])
	p.format.SetSelected(string(migrate.RenderCurl))
}

func (p *migrateOptions) view() fyne.CanvasObject { return p.obj }

// options are the rewrite's options as the fields say.
func (p *migrateOptions) options() migrate.Options {
	o := migrate.Options{Domain: strings.TrimSpace(p.domain.Text), Audience: p.audienceText()}
	for i, l := range authLabels {
		if p.auth.Selected == l {
			o.Auth = authMethods[i]
		}
	}
	return o
}

func (p *migrateOptions) audienceText() string { return strings.TrimSpace(p.audience.Text) }

// render is the output's form, and whether it shows the secrets.
func (p *migrateOptions) render() (migrate.Format, bool) {
	return migrate.Format(p.format.Selected), p.reveal.Checked
}
