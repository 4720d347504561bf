package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

type migrateHarness struct {
	s      *migrateScreen
	bridge *testBridge
}

func newTestMigrate(t *testing.T) *migrateHarness {
	t.Helper()
	test.NewTempApp(t).Settings().SetTheme(newTheme())
	w := test.NewTempWindow(t, nil)
	h := &migrateHarness{bridge: &testBridge{}}
	h.s = newMigrateScreen(w, h.bridge.Do)
	w.SetContent(h.s.view())
	w.Resize(fyne.NewSize(1200, 800))
	return h
}

func (h *migrateHarness) settle() {
	for {
		h.s.busy.Wait()
		if !h.bridge.drain() {
			return
		}
	}
}

func TestTheSampleBecomesACurlRefreshRequestWithFindings(t *testing.T) {
	h := newTestMigrate(t)
	test.Tap(h.s.sample)
	h.settle()
	s := h.s
	if !strings.Contains(s.detected.Text, "curl command") {
		t.Fatalf("detected %q", s.detected.Text)
	}
	out := s.output.Text
	if !strings.Contains(out, "https://tenant.eu.auth0.com/oauth/token") || !strings.Contains(out, `\"refresh_token\":\"$REFRESH_TOKEN\"`) || strings.Contains(out, "v1.MRrT3gL0b") {
		t.Fatalf("output:\n%s", out)
	}
	var msgs []string
	for _, o := range s.findings.Objects {
		for _, l := range test.LaidOutObjects(o) {
			if txt := textOf(l); txt != "" {
				msgs = append(msgs, txt)
			}
		}
	}
	joined := strings.Join(msgs, "\n")
	if !strings.Contains(joined, "nickname") || !strings.Contains(joined, "device") {
		t.Fatalf("findings:\n%s", joined)
	}

	s.format.SetSelected("form")
	if !strings.HasPrefix(s.output.Text, "grant_type=refresh_token&client_id=mY8tQj2ZpWk1Lx0c&refresh_token=%24REFRESH_TOKEN") {
		t.Fatalf("form output %q", s.output.Text)
	}
	s.auth.SetSelected(authLabels[2]) // basic
	s.format.SetSelected("http")
	if !strings.Contains(s.output.Text, "Authorization: Basic <base64 of mY8tQj2ZpWk1Lx0c:$CLIENT_SECRET>") {
		t.Fatalf("http output %q", s.output.Text)
	}
	test.Tap(s.reveal)
	if !strings.Contains(s.output.Text, "v1.MRrT3gL0b_Zqk9xY2wV4uT6sR8q") {
		t.Fatal("Show secrets did not reveal the refresh token")
	}
	test.Tap(s.copyBtn)
	if got := fyne.CurrentApp().Clipboard().Content(); got != s.output.Text {
		t.Fatal("Copy did not copy the output")
	}
}

func TestAHARShowsEachDelegationCallWithItsStatus(t *testing.T) {
	h := newTestMigrate(t)
	h.s.input.SetText(`{"log":{"entries":[
	{"request":{"method":"POST","url":"https://t.auth0.com/delegation","postData":{"mimeType":"application/x-www-form-urlencoded","text":"grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&client_id=a&refresh_token=r"}}},
	{"request":{"method":"GET","url":"https://t.auth0.com/userinfo"}},
	{"request":{"method":"POST","url":"https://t.auth0.com/delegation","postData":{"mimeType":"application/x-www-form-urlencoded","text":"grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&client_id=a&id_token=x"}}}]}}`)
	h.settle()
	s := h.s
	if s.listBox.Hidden || s.requests.Length() != 2 || !strings.Contains(s.detected.Text, "2 /delegation calls (1 other entries skipped)") {
		t.Fatalf("detected %q, %d in the list", s.detected.Text, s.requests.Length())
	}
	if !strings.Contains(s.status.Text, "HAR entry 1: migrated") {
		t.Fatalf("status %q", s.status.Text)
	}
	s.requests.Select(1)
	if !strings.Contains(s.status.Text, "HAR entry 3: cannot be migrated") || s.output.Text != "" || !s.copyBtn.Disabled() {
		t.Fatalf("status %q output %q", s.status.Text, s.output.Text)
	}
}

func TestUnreadableInputSaysWhere(t *testing.T) {
	h := newTestMigrate(t)
	h.s.input.SetText("{\n \"client_id\": \"a\",\n oops }")
	h.settle()
	if !strings.Contains(h.s.detected.Text, "line 3") {
		t.Fatalf("detected %q", h.s.detected.Text)
	}
}
