package workspace

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/tokenscope/tokenscope/internal/profiles"
	"github.com/tokenscope/tokenscope/internal/secrets"
)

// ErrKeyringAfterSave matches (errors.Is) an error from Save, Rename or
// Remove when the profiles file changed but the keyring did not follow:
// the command line exits 1 for it (the request was processed), not 2.
var ErrKeyringAfterSave = errors.New("the profile changed but the keyring did not follow")

// keyringAfterSave wraps a keyring failure that followed a profile change.
type keyringAfterSave struct {
	msg string
	err error
}

func (e *keyringAfterSave) Error() string   { return e.msg }
func (e *keyringAfterSave) Unwrap() []error { return []error{ErrKeyringAfterSave, e.err} }

func afterSave(err error, format string, a ...any) error {
	return &keyringAfterSave{msg: fmt.Sprintf(format, a...) + ": " + err.Error(), err: err}
}

// SecretChange says what Save does with one stored secret.
type SecretChange struct {
	Value string
	// Set stores Value; Clear deletes the entry; neither keeps it as it is.
	Set, Clear bool
}

// Keep, Store and Forget build the three changes.
func Keep() SecretChange             { return SecretChange{} }
func Store(v string) SecretChange    { return SecretChange{Value: v, Set: v != "", Clear: v == ""} }
func Forget() SecretChange           { return SecretChange{Clear: true} }
func (c SecretChange) changes() bool { return c.Set || c.Clear }
func (c SecretChange) stores() bool  { return c.Set && c.Value != "" }

// SaveRequest is a profile to write with its secrets.
type SaveRequest struct {
	// OldName is the profile being edited ("" for a new one); a different
	// Profile.Name renames it, keyring entries included.
	OldName string
	Profile profiles.Profile
	// Replace allows overwriting another profile of the same name (the
	// command line's --replace); without it a taken name is refused.
	Replace      bool
	ClientSecret SecretChange
	RefreshToken SecretChange
}

// SaveResult says what Save did beyond writing the profile.
type SaveResult struct {
	Replaced bool
	// Dropped is set when the profile now names another issuer or client
	// ID and the old one's stored secrets were deleted; it says which.
	Dropped string
}

// Save writes a profile and applies the secret changes. Secrets belong to
// an issuer and a client ID: when a save changes either, the stored ones
// are deleted (unless replaced in the same save) and never sent to the new
// issuer. If deleting them fails, the profile keeps naming their old
// binding, so Load refuses to use them.
func (w *Workspace) Save(req SaveRequest) (SaveResult, error) {
	p := req.Profile
	if err := p.Validate(); err != nil {
		return SaveResult{}, err
	}
	if req.OldName != "" && req.OldName != p.Name {
		if err := w.Rename(req.OldName, p.Name); err != nil {
			return SaveResult{}, err
		}
	}
	edited := req.OldName != "" || req.Replace
	prev, err := w.Profiles.Get(p.Name)
	exists := err == nil
	switch {
	case err != nil && !errors.Is(err, profiles.ErrNoProfile):
		return SaveResult{}, err
	case exists && !edited:
		return SaveResult{}, fmt.Errorf("%w: %s (replace it with --replace, or choose another name)", profiles.ErrExists, p.Name)
	}
	if exists && prev.Issuer != p.Issuer {
		p.Endpoints = nil // discovered for the old issuer
	}
	// Rebind when the client changes, or when an earlier rebind could not
	// delete the old entries: every entry not replaced now is deleted.
	stale := exists && prev.SecretsBoundTo != "" && prev.SecretsBoundTo != Binding(prev)
	rebind := exists && (!profiles.SameClient(prev, p) || stale)
	p.SecretsBoundTo = Binding(p)
	if rebind {
		// Until the old entries are gone, they stay bound to what they were.
		p.SecretsBoundTo = prev.SecretsBoundTo
		if p.SecretsBoundTo == "" {
			p.SecretsBoundTo = Binding(prev)
		}
	}
	if _, err := w.Profiles.Put(p); err != nil {
		return SaveResult{}, err
	}
	res := SaveResult{Replaced: exists && req.Replace}
	changes := map[string]SecretChange{secrets.ClientSecret: req.ClientSecret, secrets.RefreshToken: req.RefreshToken}
	for _, kind := range []string{secrets.ClientSecret, secrets.RefreshToken} {
		c := changes[kind]
		if rebind && !c.changes() {
			c = Forget()
		}
		var err error
		switch {
		case c.stores():
			if err = w.Secrets.Set(p.Name, kind, c.Value); err == nil && kind == secrets.RefreshToken {
				w.noteFamily(p.Name, func(f *Family, now time.Time) { f.begin(c.Value, "stored", now) })
			}
		case c.changes():
			if err = w.Secrets.Delete(p.Name, kind); errors.Is(err, secrets.ErrNotFound) {
				err = nil
			}
		}
		if err != nil && rebind {
			return res, &keyringAfterSave{msg: fmt.Sprintf("profile %s now names %s, but the old keyring entries could not be replaced (%v); they stay bound to %s and are never sent: store this client's secrets again to replace them", p.Name, Binding(p), err, p.SecretsBoundTo), err: err}
		}
		if err != nil {
			return res, afterSave(err, "profile %s is saved, but its %s could not be changed in the keyring", p.Name, secretName(kind))
		}
	}
	if rebind {
		if err := w.Profiles.Update(p.Name, func(cur *profiles.Profile) error { cur.SecretsBoundTo = Binding(*cur); return nil }); err != nil {
			return res, err
		}
		if !profiles.SameClient(prev, p) {
			res.Dropped = fmt.Sprintf("profile %s now names %s: the secrets stored for %s were deleted and will not be sent to it", p.Name, Binding(p), Binding(prev))
		}
	}
	return res, nil
}

func secretName(kind string) string {
	if kind == secrets.ClientSecret {
		return "client secret"
	}
	return "refresh token"
}

// Rename gives a profile a new name; its keyring entries move with it.
func (w *Workspace) Rename(from, to string) error {
	if err := profiles.ValidateName(to); err != nil {
		return err
	}
	// Under the source profile's lock: a refresh must not store a rotated
	// token under the old name while its entries move.
	unlock, err := w.LockProfile(context.Background(), from, DefaultWait, nil)
	if err != nil {
		return err
	}
	defer unlock()
	if err := w.Profiles.Rename(from, to); err != nil {
		return err
	}
	_ = os.Rename(w.familyPath(from), w.familyPath(to)) // the lineage is a record: losing it loses no token
	if err := secrets.Move(w.Secrets, from, to); err != nil {
		return afterSave(err, "renamed %s to %s, but its keyring entries did not move", from, to)
	}
	return nil
}

// Remove deletes a profile and its keyring entries.
func (w *Workspace) Remove(name string) error {
	unlock, err := w.LockProfile(context.Background(), name, DefaultWait, nil)
	if err != nil {
		return err
	}
	defer unlock()
	if err := w.Profiles.Remove(name); err != nil {
		return err
	}
	_ = os.Remove(w.familyPath(name))
	if err := secrets.DeleteProfile(w.Secrets, name); err != nil {
		return afterSave(err, "removed %s, but its keyring entries are still there", name)
	}
	return nil
}
