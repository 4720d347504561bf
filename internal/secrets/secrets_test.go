package secrets

import (
	"errors"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"
)

// mockKeyring is the Keyring on go-keyring's mock provider, which needs
// no session bus (keyring.MockInit and MockInitWithError choose what the
// mock answers, for the whole process: these tests run one at a time).
var mockKeyring = Keyring{mock: true}

func exercise(t *testing.T, s Store, profile string) {
	t.Helper()
	if err := s.Set(profile, RefreshToken, "v1.first-refresh-token-value"); err != nil {
		t.Fatal(err)
	}
	s.Set(profile, ClientSecret, "client-secret-value-0123456789")
	if v, err := s.Get(profile, RefreshToken); err != nil || v != "v1.first-refresh-token-value" {
		t.Fatalf("Get = %q, %v", v, err)
	}
	// A rotated token replaces the stored one.
	s.Set(profile, RefreshToken, "v1.rotated-refresh-token-value")
	if v, _ := s.Get(profile, RefreshToken); v != "v1.rotated-refresh-token-value" {
		t.Fatalf("after rotation Get = %q", v)
	}
	if err := Move(s, profile, profile+"-renamed"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(profile, ClientSecret); !errors.Is(err, ErrNotFound) {
		t.Fatalf("the old name still has a secret: %v", err)
	}
	if v, _ := s.Get(profile+"-renamed", ClientSecret); v != "client-secret-value-0123456789" {
		t.Fatalf("renamed Get = %q", v)
	}
	if err := DeleteProfile(s, profile+"-renamed"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(profile+"-renamed", RefreshToken); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after delete: %v", err)
	}
}

func TestKeyringStoreWithTheMockKeyring(t *testing.T) {
	keyring.MockInit()
	exercise(t, mockKeyring, "demo-web")
}

func TestMemoryStore(t *testing.T) {
	t.Parallel()
	exercise(t, &Memory{}, "demo-native")
}

// TestUnavailableKeyringSaysSoPlainly: D-Bus's own words (object paths,
// error names) become what is wrong and what to do about it.
func TestUnavailableKeyringSaysSoPlainly(t *testing.T) {
	for _, tc := range []struct{ cause, reason, remedy string }{
		{"failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'", "the keyring is locked", "unlock it"},
		{"The name org.freedesktop.secrets was not provided by any .service files", "no Secret Service", "apt install gnome-keyring"},
		{"org.freedesktop.DBus.Error.ServiceUnknown", "no Secret Service", "apt install gnome-keyring"},
		{"no Secret Service on the session bus", "the Secret Service said: no Secret Service on the session bus", "gnome-keyring"},
	} {
		keyring.MockInitWithError(errors.New(tc.cause))
		_, err := mockKeyring.Get("p", RefreshToken)
		var ue *UnavailableError
		if !errors.As(err, &ue) || !strings.Contains(ue.Reason(), tc.reason) || !strings.Contains(ue.Remedy(), tc.remedy) {
			t.Errorf("%s: err = %v", tc.cause, err)
		}
		if strings.Contains(ue.Reason(), "/org/freedesktop") {
			t.Errorf("%s: the reason shows a D-Bus path: %q", tc.cause, ue.Reason())
		}
	}
	if err := (&UnavailableError{Cause: ErrNoSessionBus}); !strings.Contains(err.Error(), "no D-Bus session bus") {
		t.Errorf("no bus: %v", err)
	}
}

func TestFallbackKeepsSecretsInMemoryWhenTheKeyringIsUnavailable(t *testing.T) {
	keyring.MockInitWithError(errors.New("no Secret Service on the session bus"))
	f := &WithFallback{Primary: mockKeyring}
	if err := f.Set("p", RefreshToken, "v1.token-for-this-run-only"); err != nil {
		t.Fatal(err)
	}
	if v, err := f.Get("p", RefreshToken); err != nil || v != "v1.token-for-this-run-only" {
		t.Fatalf("%q %v", v, err)
	}
	if err := f.Unavailable(); err == nil || !strings.Contains(err.Error(), "no Secret Service") {
		t.Fatalf("Unavailable = %v", err)
	}
	keyring.MockInit()
	g := &WithFallback{Primary: mockKeyring}
	g.Set("p", ClientSecret, "x")
	if g.Unavailable() != nil {
		t.Fatal("a working keyring must be used")
	}
}
