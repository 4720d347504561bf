package ui

import (
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/workspace"
)

// keyringNote says where secrets are kept. With no keyring (unavailable is
// why), a demo profile's secrets in memory are all a demo needs: said
// calmly. A real profile's are lost when Tokenscope closes: said with
// what to install or unlock.
func keyringNote(unavailable error, demo bool) (string, widget.Importance) {
	if unavailable == nil {
		return "Secrets are stored in the OS keyring (service tokenscope, accounts NAME/client_secret and NAME/refresh_token), never in a file.", widget.MediumImportance
	}
	reason, remedy := workspace.KeyringProblem(unavailable)
	if demo {
		return "No OS keyring here: " + reason + ". The demo profiles keep their secrets in memory for this run, which is all a demo needs.", widget.MediumImportance
	}
	msg := "No OS keyring here: " + reason + ". Secrets of this profile are kept in memory until Tokenscope closes"
	if remedy != "" {
		msg += "; to keep them, " + remedy
	}
	return msg + ".", widget.WarningImportance
}
