// The Inspect screen's decrypt panel: a JWE opened with its key, and the
// nested JWT inside handed to the screen to show.

package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/safetext"
	"github.com/tokenscope/tokenscope/internal/tokens"
)

type decryptPanel struct {
	svc  *Services
	key  *widget.Entry
	btn  *widget.Button
	msg  *widget.Label
	card *widget.Card
	// onDecrypted takes the token inside the JWE.
	onDecrypted func(inner *tokens.Token)
	outer       *tokens.Token // the JWE as pasted; UI goroutine only
}

func newDecryptPanel(svc *Services, onDecrypted func(inner *tokens.Token)) *decryptPanel {
	p := &decryptPanel{svc: svc, onDecrypted: onDecrypted}
	p.key = widget.NewMultiLineEntry()
	p.key.SetPlaceHolder("recipient's private key (JWK or PEM), or the shared key as a JWK")
	p.key.SetMinRowsVisible(3)
	p.btn = widget.NewButtonWithIcon("Decrypt", theme.VisibilityIcon(), p.onDecrypt)
	p.msg = wrapLabel("")
	p.card = widget.NewCard("Encrypted token", "Decrypt with a key to see the claims", container.NewVBox(p.key, p.btn, p.msg))
	p.card.Hide()
	return p
}

// view is the card, shown only while an encrypted token waits for its key.
func (p *decryptPanel) view() fyne.CanvasObject { return p.card }

// show offers decryption when outer (as pasted) is a JWE not opened yet.
func (p *decryptPanel) show(outer, shown *tokens.Token) {
	p.outer = outer
	if outer == nil || outer.Kind != tokens.KindJWE || shown != outer {
		p.card.Hide()
		return
	}
	p.card.Show()
	alg, _ := outer.HeaderString("alg")
	p.msg.Importance = widget.MediumImportance
	p.msg.SetText("This token " + strings.TrimSuffix(tokens.DecryptionKeyHint(alg), "."))
}

func (p *decryptPanel) onDecrypt() {
	if p.outer == nil || p.outer.Kind != tokens.KindJWE {
		return
	}
	keys, err := tokens.ParseKeys([]byte(p.key.Text))
	if err != nil {
		p.msg.Importance = widget.DangerImportance
		p.msg.SetText("Key: " + err.Error() + ".")
		return
	}
	inner, err := tokens.Decrypt(p.outer, keys, p.svc.Now())
	if err != nil {
		p.msg.Importance = widget.DangerImportance
		p.msg.SetText(safetext.Block(err.Error()) + ".")
		return
	}
	p.onDecrypted(inner)
}
