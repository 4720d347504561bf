package profiles

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPutWritesA0600FileWithoutSecretsAndReplacesByName(t *testing.T) {
	t.Parallel()
	s := &Store{Path: filepath.Join(t.TempDir(), "cfg", "profiles.json")}
	p := Profile{Name: "tenant", Issuer: "https://tenant.eu.auth0.com/", ClientID: "abc", Auth: "post", Scope: "openid"}
	if _, err := s.Put(p); err != nil {
		t.Fatal(err)
	}
	p.Scope = "openid offline_access"
	if _, err := s.Put(p); err != nil {
		t.Fatal(err)
	}
	s.Put(Profile{Name: "another", Issuer: "https://x.auth0.com/", ClientID: "def", Auth: "none"})
	ps, err := s.Load()
	if err != nil || len(ps) != 2 || ps[1].Name != "tenant" || ps[1].Scope != "openid offline_access" {
		t.Fatalf("%+v %v", ps, err)
	}
	info, _ := os.Stat(s.Path)
	if info.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", info.Mode().Perm())
	}
	b, _ := os.ReadFile(s.Path)
	if strings.Contains(string(b), "secret") || strings.Contains(string(b), "refresh") {
		t.Fatalf("the profiles file mentions a secret:\n%s", b)
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(s.Path), ".profiles.json-*"))
	if len(left) != 0 {
		t.Fatalf("temp files left behind: %v", left)
	}
}

func TestACorruptFileIsKeptAsideNotEmptied(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := &Store{Path: filepath.Join(dir, "profiles.json")}
	os.WriteFile(s.Path, []byte(`{"version":1,"profiles":[{"name":`), 0o600)
	_, err := s.Load()
	var ce *CorruptError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v", err)
	}
	if b, _ := os.ReadFile(ce.Backup); !strings.Contains(string(b), `"profiles"`) {
		t.Fatal("the backup does not hold the old content")
	}
	if ps, err := s.Load(); err != nil || len(ps) != 0 {
		t.Fatalf("after the backup: %v %v", ps, err)
	}
}

func TestValidateSaysWhatIsWrong(t *testing.T) {
	t.Parallel()
	cases := map[string]Profile{
		"needs a name":        {Issuer: "https://t/", ClientID: "a", Auth: "none"},
		"letters, digits":     {Name: "a/b", Issuer: "https://t/", ClientID: "a", Auth: "none"},
		"needs a client ID":   {Name: "a", Issuer: "https://t/", Auth: "none"},
		"needs an issuer":     {Name: "a", ClientID: "a", Auth: "none"},
		"not none, post or b": {Name: "a", Issuer: "https://t/", ClientID: "a", Auth: "jwt"},
	}
	for want, p := range cases {
		if err := p.Validate(); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%+v: %v, want %q", p, err, want)
		}
	}
}

func TestDefaultPathHonoursTheEnvironment(t *testing.T) {
	t.Setenv("TOKENSCOPE_CONFIG_DIR", "/tmp/ts-cfg")
	if p, _ := DefaultPath(); p != "/tmp/ts-cfg/profiles.json" {
		t.Fatal(p)
	}
}

func TestGetRenameAndRemove(t *testing.T) {
	t.Parallel()
	s := &Store{Path: filepath.Join(t.TempDir(), "profiles.json")}
	s.Put(Profile{Name: "a", Issuer: "https://t/", ClientID: "x", Auth: "none"})
	s.Put(Profile{Name: "b", Issuer: "https://t/", ClientID: "y", Auth: "none"})
	if err := s.Rename("a", "b"); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("rename onto an existing name: %v", err)
	}
	if err := s.Rename("a", "c"); err != nil {
		t.Fatal(err)
	}
	if p, err := s.Get("c"); err != nil || p.ClientID != "x" {
		t.Fatalf("%+v %v", p, err)
	}
	if _, err := s.Get("a"); !errors.Is(err, ErrNoProfile) {
		t.Fatalf("old name: %v", err)
	}
	if err := s.Remove("c"); err != nil {
		t.Fatal(err)
	}
	if err := s.Remove("c"); !errors.Is(err, ErrNoProfile) {
		t.Fatalf("second remove: %v", err)
	}
	if ps, _ := s.Load(); len(ps) != 1 || ps[0].Name != "b" {
		t.Fatalf("%+v", ps)
	}
}

// Two processes find the file unreadable at once: the one that takes the
// lock second must not move aside the good file the first one wrote after
// moving the bad one aside (it would hide every profile just saved).
func TestAnUnreadableFileMovedAsideByAnotherProcessLeavesItsNewFileAlone(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "profiles.json")
	os.WriteFile(path, []byte(`{"version":1,"profiles":[{"name":`), 0o600)
	writer := &Store{Path: path}
	saved := Profile{Name: "saved-meanwhile", Issuer: "https://t.example.com/", ClientID: "c", Auth: "none"}
	reader := &Store{Path: path, beforeMoveAside: func() {
		// The other process: its first change moves the bad file aside and
		// says so; its next one writes a good file.
		var ce *CorruptError
		if err := writer.Add(saved); !errors.As(err, &ce) {
			t.Errorf("the first Add: %v, want the file moved aside", err)
		}
		if err := writer.Add(saved); err != nil {
			t.Error(err)
		}
	}}
	ps, err := reader.Load()
	if err != nil || len(ps) != 1 || ps[0].Name != saved.Name {
		t.Fatalf("Load = %v, %v; want the profile the other process saved", ps, err)
	}
	if ps, err := (&Store{Path: path}).Load(); err != nil || len(ps) != 1 {
		t.Fatalf("the file now holds %v (%v): the good file was moved aside", ps, err)
	}
	backups, _ := filepath.Glob(path + ".corrupt-*")
	if len(backups) != 1 || writer.Corruption() == nil || reader.Corruption() != nil {
		t.Fatalf("backups %v; writer saw %v, reader %v: only the writer moved the bad file aside", backups, writer.Corruption(), reader.Corruption())
	}
}
