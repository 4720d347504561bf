package ui

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/workspace"
)

// The flows Exchange's buttons run, each through the workspace off the UI
// goroutine, with its answer applied through do. One runs at a time for a
// profile: the picker is locked to it meanwhile (form.lock), and the
// answer is shown only if that profile is still the one chosen.

// onRefresh sends the request through the workspace: it holds the
// profile's lock (shared with the command line and any other window),
// reads the refresh token again under it, and stores a rotated one before
// anything else.
func (s *exchangeScreen) onRefresh() {
	if s.current != nil && s.loaded.EndpointErr != nil && !s.form.locked() {
		s.load(*s.current) // discovery again
		return
	}
	if _, err := s.request(); err != nil {
		s.bar.setStatus(err.Error()+".", widget.DangerImportance)
		return
	}
	o, _ := s.form.overrides()
	name := s.current.Name
	s.form.lock(name)
	ctx, cancel := context.WithCancel(context.Background())
	s.bar.running(cancel)
	s.bar.setStatus("Refreshing "+name+" at "+s.loaded.TokenURL+"…", widget.MediumImportance)
	s.busy.Add(1)
	go func() {
		defer s.busy.Done()
		defer cancel()
		res := s.svc.Refresh(ctx, name, workspace.RefreshOptions{Overrides: o, OnWait: func() {
			s.do(func() {
				s.bar.setStatus("Another refresh of "+name+" is running (the command line or another window): waiting for it to store its new refresh token…", widget.WarningImportance)
			})
		}})
		l, _ := s.svc.Load(context.Background(), name) // the rotated token, for the next preview
		s.do(func() {
			s.form.unlock()
			s.bar.done()
			s.reloadHistory()
			if s.current == nil || s.current.Name != name {
				return
			}
			if l.Profile.Name == name {
				s.loaded = l
			}
			s.showResult(name, res)
		})
	}()
}

// showResult shows an answer on the cards and says on the status line
// what happened.
func (s *exchangeScreen) showResult(name string, res workspace.RefreshResult) {
	memory, demo := s.inMemory()
	s.bar.setStatus(s.cards.show(name, res, memory, demo))
	if res.Err != nil {
		return
	}
	if s.cards.token("access_token") != "" {
		s.more.userinfoReady(true)
	}
	s.updatePreview()
}

// onSignIn signs in with the selected profile and shows the tokens as a
// refresh's are shown.
func (s *exchangeScreen) onSignIn(device bool) {
	if s.current == nil || s.form.locked() {
		return
	}
	name := s.current.Name
	s.form.lock(name)
	s.bar.setStatus("Signing in with "+name+"…", widget.MediumImportance)
	s.more.signIn(name, device, func(res workspace.LoginResult) {
		s.form.unlock()
		s.reloadHistory()
		if s.current == nil || s.current.Name != name {
			return
		}
		memory, demo := s.inMemory()
		if res.Response != nil {
			s.showResult(name, workspace.RefreshResult{Profile: res.Profile, Response: res.Response, Err: res.Err})
			s.cards.afterSignIn(name, res.Response, memory, demo)
		}
		s.bar.setStatus(loginResultText(name, res, memory, demo))
		if res.Err == nil {
			s.reloadQuietly(name) // the new refresh token, for the next preview
		}
	})
}

// onClientCredentials runs the client credentials grant for a confidential
// profile, with the Audience and Scope typed above (the profile's audience
// otherwise), and shows the token as a refresh's are shown.
func (s *exchangeScreen) onClientCredentials() {
	if s.current == nil || s.form.locked() {
		return
	}
	name := s.current.Name
	aud, scope := s.form.audienceAndScope()
	s.form.lock(name)
	s.more.askingForClientCredentials(true)
	s.bar.setStatus("Asking for a client credentials token for "+name+"…", widget.MediumImportance)
	s.busy.Add(1)
	go func() {
		defer s.busy.Done()
		res := s.svc.ClientCredentials(context.Background(), name, aud, scope)
		s.do(func() {
			s.form.unlock()
			s.more.askingForClientCredentials(false)
			s.reloadHistory()
			if !res.Sent {
				s.bar.setStatus(res.Err.Error()+".", widget.DangerImportance)
				return
			}
			s.showResult(name, res)
			if res.Err == nil {
				s.bar.setStatus(fmt.Sprintf("Client credentials token for %s: HTTP %d.", name, res.Response.Status), widget.SuccessImportance)
			}
		})
	}()
}

// onUserinfo calls /userinfo with the access token on the cards and shows
// its claims beside the ID token's.
func (s *exchangeScreen) onUserinfo() {
	at, name := s.cards.token("access_token"), ""
	if s.current != nil {
		name = s.current.Name
	}
	if at == "" || name == "" {
		return
	}
	idToken := s.cards.token("id_token")
	s.more.userinfoReady(false)
	s.bar.setStatus("Calling /userinfo…", widget.MediumImportance)
	s.busy.Add(1)
	go func() {
		defer s.busy.Done()
		res := s.svc.Userinfo(context.Background(), name, at)
		s.do(func() {
			s.more.userinfoReady(true)
			if res.Err != nil {
				s.bar.setStatus(res.Err.Error()+".", widget.DangerImportance)
				return
			}
			s.bar.setStatus(fmt.Sprintf("/userinfo answered HTTP %d.", res.Status), widget.SuccessImportance)
			s.cards.addUserinfo(res.Claims, idToken)
		})
	}()
}

// onRevoke revokes the profile's stored refresh token, after a confirmation.
func (s *exchangeScreen) onRevoke() {
	if s.current == nil {
		return
	}
	name := s.current.Name
	dialog.ShowConfirm("Revoke the refresh token of "+name+"?", "The server revokes it; the keyring entry is removed only after it accepted. Sign in again to get a new one.", func(ok bool) {
		if ok {
			s.revoke(name)
		}
	}, s.win)
}

func (s *exchangeScreen) revoke(name string) {
	s.more.revoking(true)
	s.bar.setStatus("Revoking the refresh token of "+name+"…", widget.MediumImportance)
	s.busy.Add(1)
	go func() {
		defer s.busy.Done()
		endpoint, err := s.svc.Revoke(context.Background(), name)
		s.do(func() {
			s.more.revoking(false)
			if err != nil {
				s.bar.setStatus(err.Error()+".", widget.DangerImportance)
				return
			}
			s.bar.setStatus("Revoked at "+endpoint+"; the keyring entry of "+name+" is removed.", widget.SuccessImportance)
			s.reloadQuietly(name)
		})
	}()
}

// reloadQuietly reads the profile's stored secrets again for the preview,
// leaving the status line as it is.
func (s *exchangeScreen) reloadQuietly(name string) {
	s.busy.Add(1)
	go func() {
		defer s.busy.Done()
		l, err := s.svc.Load(context.Background(), name)
		s.do(func() {
			if err == nil && s.current != nil && s.current.Name == name {
				s.current, s.loaded = &l.Profile, l
				r, rerr := s.request()
				if rerr == nil {
					_ = s.preview.show(r) // a request that cannot be previewed keeps the old text
				}
				s.setButtons(rerr == nil)
			}
		})
	}()
}
