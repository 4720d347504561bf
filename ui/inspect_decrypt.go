// The Inspect screen's decrypt card: a JWE opened with its key, and the
// nested JWT inside shown.

package ui

import (
	"fyne.io/fyne/v2/widget"
	"github.com/tokenscope/tokenscope/internal/safetext"
	"github.com/tokenscope/tokenscope/internal/tokens"
)

func (s *inspectScreen) onDecrypt() {
	if s.outer == nil || s.outer.Kind != tokens.KindJWE {
		return
	}
	keys, err := tokens.ParseKeys([]byte(s.decryptKey.Text))
	if err != nil {
		s.decryptMsg.Importance = widget.DangerImportance
		s.decryptMsg.SetText("Key: " + err.Error() + ".")
		return
	}
	inner, err := tokens.Decrypt(s.outer, keys, s.svc.Now())
	if err != nil {
		s.decryptMsg.Importance = widget.DangerImportance
		s.decryptMsg.SetText(safetext.Block(err.Error()) + ".")
		return
	}
	s.show(s.outer, inner)
}
