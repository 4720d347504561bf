package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tokenscope/tokenscope/scan"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

func newScanWindow(t *testing.T) (*mainWindow, *testBridge) {
	t.Helper()
	m, b := newTestWindow(t)
	m.win.Resize(fyne.NewSize(1200, 800))
	m.showScreen(screenScan)
	return m, b
}

// rowTexts is what the results list shows, one string per row.
func rowTexts(s *scanScreen) []string {
	var out []string
	for i := range s.shown {
		o := s.rows.CreateItem()
		s.rows.UpdateItem(i, o)
		out = append(out, o.(*fyne.Container).Objects[1].(*widget.Label).Text)
	}
	return out
}

// detailButton finds a button of the detail pane by its label.
func detailButton(t *testing.T, s *scanScreen, label string) *widget.Button {
	t.Helper()
	for _, o := range test.LaidOutObjects(s.detail) {
		if btn, ok := o.(*widget.Button); ok && btn.Text == label {
			return btn
		}
	}
	t.Fatalf("the detail has no %q button", label)
	return nil
}

func detailText(s *scanScreen) string {
	var parts []string
	for _, o := range test.LaidOutObjects(s.detail) {
		if txt := textOf(o); txt != "" {
			parts = append(parts, txt)
		}
	}
	return strings.Join(parts, "\n")
}

// TestScanGroupsFindingsByFileFiltersAndOpensARequestInMigrate scans the
// scanner's corpus as a user would: the summary, findings grouped under
// their files, the endpoint and severity filters, a finding's detail with
// its caret and replacement, and Open in Migrate showing the hand-written
// curl command already rewritten to /oauth/token.
func TestScanGroupsFindingsByFileFiltersAndOpensARequestInMigrate(t *testing.T) {
	m, b := newScanWindow(t)
	s := m.scan
	s.scanFolder(filepath.Join("..", "scan", "testdata", "corpus"))
	if !strings.HasPrefix(s.status.Text, "Scanning") || s.cancelBtn.Hidden {
		t.Fatalf("while scanning: status %q, cancel hidden %v", s.status.Text, s.cancelBtn.Hidden)
	}
	settleWindow(m, b)
	if !strings.Contains(s.status.Text, "45 findings and 11 legacy SDK pins") || s.status.Importance != widget.WarningImportance {
		t.Fatalf("status %q (%v)", s.status.Text, s.status.Importance)
	}
	if !s.cancelBtn.Hidden || s.exportJSON.Disabled() || s.exportSARIF.Disabled() {
		t.Fatal("after the scan: Cancel still shown or export disabled")
	}
	rows := rowTexts(s)
	if rows[0] != "android/app/src/main/java/com/example/legacy/LegacyAuth.java (4)" || !strings.Contains(rows[1], "15:9  /delegation  client.delegationWithRefreshToken(refreshToken)") {
		t.Fatalf("first rows: %q", rows[:3])
	}

	if d := detailText(s); !strings.HasPrefix(d, "android/app/src/main/java/com/example/legacy/LegacyAuth.java:15:9") || !strings.Contains(d, "Replace with") {
		t.Fatalf("the first finding is not shown at once:\n%s", d)
	}
	var opened string
	s.svc.Open = func(u string) error { opened = u; return nil }
	test.Tap(detailButton(t, s, "Open file"))
	if !strings.HasPrefix(opened, "file:///") || !strings.HasSuffix(opened, "/scan/testdata/corpus/android/app/src/main/java/com/example/legacy/LegacyAuth.java") {
		t.Fatalf("Open file opened %q", opened)
	}

	s.endpoint.SetSelected("/user/ssodata")
	rows = rowTexts(s)
	want := []string{"scripts/renew.sh (1)", "    9:9  /user/ssodata  curl -s https://acme.auth0.com/user/ssodata", "web-v7/src/auth.js (1)", "    39:3  /user/ssodata  a0.getSSOData(true, cb)"}
	if strings.Join(rows, "|") != strings.Join(want, "|") {
		t.Fatalf("filtered to /user/ssodata:\n%q\nwant\n%q", rows, want)
	}
	s.severity.SetSelected("info")
	if rows = rowTexts(s); len(rows) != 0 {
		t.Fatalf("no /user/ssodata finding is info, got %q", rows)
	}
	s.endpoint.SetSelected("/delegation")
	if rows = rowTexts(s); strings.Join(rows, "|") != "docs/notes.js (1)|    4:20  /delegation  https://acme.auth0.com/delegation" {
		t.Fatalf("info on /delegation: %q", rows)
	}

	s.severity.SetSelected(allChoices)
	rows = rowTexts(s)
	at := -1
	for i, r := range rows {
		if strings.Contains(r, "5:10  /delegation  curl --request POST") {
			at = i
		}
	}
	if at < 0 {
		t.Fatalf("no curl finding in %q", rows)
	}
	s.rows.Select(at)
	detail := detailText(s)
	for _, w := range []string{"scripts/renew.sh:5:10", "error · /delegation · raw HTTP · legacy_delegation_request", "  --url \"https://${AUTH0_DOMAIN}/delegation\" \\\n         ^", "Replace with", "grant_type=refresh_token"} {
		if !strings.Contains(detail, w) {
			t.Fatalf("detail lacks %q:\n%s", w, detail)
		}
	}
	test.Tap(detailButton(t, s, "Open in Migrate"))
	settleWindow(m, b)
	if !m.showing(screenMigrate) || !strings.HasPrefix(m.migrate.input.Text, "curl --request POST") {
		t.Fatalf("Migrate shows %v with input %q", m.showing(screenMigrate), m.migrate.input.Text)
	}
	if out := m.migrate.output.Text; !strings.Contains(out, "/oauth/token") || !strings.Contains(out, `"grant_type": "refresh_token"`) {
		t.Fatalf("Migrate output:\n%s", out)
	}
}

// TestScanSaysWhenThereIsNothingAndWhenTheFolderIsGone: an empty folder
// says there is nothing to migrate; a folder that disappeared says which
// and what to do, and keeps the buttons usable.
func TestScanSaysWhenThereIsNothingAndWhenTheFolderIsGone(t *testing.T) {
	m, b := newScanWindow(t)
	s := m.scan
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "app.js"), []byte("export const x = 1;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s.scanFolder(dir)
	settleWindow(m, b)
	if !strings.HasPrefix(s.status.Text, "No legacy Auth0 calls found in 1 file") || s.hint.Hidden || !strings.Contains(s.hint.Text, "Nothing to migrate here") {
		t.Fatalf("status %q, hint %q (hidden %v)", s.status.Text, s.hint.Text, s.hint.Hidden)
	}
	gone := filepath.Join(dir, "gone")
	s.scanFolder(gone)
	settleWindow(m, b)
	if !strings.Contains(s.status.Text, "cannot scan "+gone+": no such file or directory") || s.status.Importance != widget.DangerImportance || s.chooseBtn.Disabled() {
		t.Fatalf("status %q (%v), choose disabled %v", s.status.Text, s.status.Importance, s.chooseBtn.Disabled())
	}
	s.root = dir
	test.Type(s.exclude, "[")
	s.exclude.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // Enter in the field scans the folder again
	settleWindow(m, b)
	if !strings.Contains(s.status.Text, `the exclude glob "[" is not valid`) {
		t.Fatalf("bad glob: %q", s.status.Text)
	}
}

// TestTheMigrateScreenOffersAScan: Migrate's Scan… button and File → Scan
// a Folder both bring the Scan screen forward.
func TestTheMigrateScreenOffersAScan(t *testing.T) {
	m, _ := newScanWindow(t)
	m.showScreen(screenMigrate)
	test.Tap(m.migrate.scanBtn)
	if !m.showing(screenScan) {
		t.Fatal("Scan… on Migrate did not show the Scan screen")
	}
}

// TestStartScanOpensTheScanScreenScanning: TOKENSCOPE_SCAN (Services.StartScan)
// shows the Scan screen with the folder's results, as a demo starts.
func TestStartScanOpensTheScanScreenScanning(t *testing.T) {
	a := test.NewTempApp(t)
	b := &testBridge{}
	svc := testServices(t)
	svc.StartScan = filepath.Join("..", "scan", "testdata", "corpus", "web-v7")
	m := newMainWindow(a, test.NewTempWindow(t, nil), svc, b.Do)
	m.startScan()
	settleWindow(m, b)
	if !m.showing(screenScan) || !strings.HasPrefix(m.scan.status.Text, "9 findings and 1 legacy SDK pin (9 errors, 1 warning) in 3 files") {
		t.Fatalf("showing Scan %v, status %q", m.showing(screenScan), m.scan.status.Text)
	}
}

// TestEscapeCancelsARunningScanAndKeepsTheLastResults: the scan stops,
// the line says so at once — even when the scan is deaf to cancellation,
// as a read blocked in the kernel is — and the results of the scan before
// stay; the stopped scan's late result is dropped.
func TestEscapeCancelsARunningScanAndKeepsTheLastResults(t *testing.T) {
	m, b := newScanWindow(t)
	s := m.scan
	s.scanFolder(filepath.Join("..", "scan", "testdata", "corpus", "web-v7"))
	settleWindow(m, b)
	before := len(s.shown)
	started, release := make(chan struct{}), make(chan struct{})
	s.run = func(ctx context.Context, roots []string, o scan.Options) (*scan.Report, error) {
		close(started)
		<-release // deaf to ctx
		return &scan.Report{}, nil
	}
	s.scanFolder(t.TempDir())
	<-started
	if s.cancelBtn.Hidden || !s.chooseBtn.Disabled() {
		t.Fatal("while scanning, Cancel is hidden or Scan a folder… enabled")
	}
	m.win.Canvas().(interface{ OnTypedKey() func(*fyne.KeyEvent) }).OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if !strings.HasPrefix(s.status.Text, "Scan cancelled") || !s.cancelBtn.Hidden || s.chooseBtn.Disabled() || len(s.shown) != before || before == 0 {
		t.Fatalf("after Escape: status %q, cancel hidden %v, rows %d (before %d)", s.status.Text, s.cancelBtn.Hidden, len(s.shown), before)
	}
	close(release)
	settleWindow(m, b)
	if !strings.HasPrefix(s.status.Text, "Scan cancelled") || len(s.shown) != before {
		t.Fatalf("the cancelled scan's late result landed: status %q, rows %d (before %d)", s.status.Text, len(s.shown), before)
	}
}

// TestTheFolderScannedLastIsOfferedAgain: after a restart, Scan again is
// ready for the folder scanned last, and says which.
func TestTheFolderScannedLastIsOfferedAgain(t *testing.T) {
	m, b := newScanWindow(t)
	dir := filepath.Join("..", "scan", "testdata", "corpus", "web-v7")
	m.scan.scanFolder(dir)
	settleWindow(m, b)
	again := newMainWindow(m.app, test.NewTempWindow(t, nil), testServices(t), b.Do)
	if s := again.scan; s.rescanBtn.Disabled() || s.status.Text != "Last scanned: "+dir+". Scan again to see what it holds now." {
		t.Fatalf("after a restart: Scan again disabled %v, status %q", s.rescanBtn.Disabled(), s.status.Text)
	}
	test.Tap(again.scan.rescanBtn)
	settle(b, &again.scan.busy)
	if !strings.HasPrefix(again.scan.status.Text, "9 findings") {
		t.Fatalf("Scan again: %q", again.scan.status.Text)
	}
}

// canvasText is every text laid out on the window's canvas, in order.
func canvasText(m *mainWindow) string {
	var parts []string
	for _, o := range test.LaidOutObjects(m.win.Canvas().Content()) {
		if txt := textOf(o); txt != "" {
			parts = append(parts, txt)
		}
	}
	return strings.Join(parts, "\n")
}

// selectFinding selects the first finding in file.
func selectFinding(t *testing.T, s *scanScreen, file string) {
	t.Helper()
	for i, r := range s.shown {
		if r.finding != nil && r.finding.File == file {
			s.rows.Select(i)
			return
		}
	}
	t.Fatalf("no finding in %s among %d rows", file, len(s.shown))
}

// TestOpenFileOpensOnlyDocumentsAndShowsTheRestAsText: a YAML file goes
// to the system's opener; a shell script, a batch file and a YAML file
// marked executable never do — each is shown as text on the window, its
// escape sequences visible, and Open folder opens the folder holding it.
// Copy location stays.
func TestOpenFileOpensOnlyDocumentsAndShowsTheRestAsText(t *testing.T) {
	m, b := newScanWindow(t)
	s := m.scan
	dir := t.TempDir()
	files := map[string]string{
		"config.yaml": "run: curl https://acme.auth0.com/oauth/ro\n",
		"tool.yaml":   "run: curl https://acme.auth0.com/oauth/ro\n",
		"deploy.sh":   "#!/bin/sh\n# \x1b]0;pwned\x07 \u202eevil\ncurl https://acme.auth0.com/delegation\n",
		"run.bat":     "curl https://acme.auth0.com/oauth/ro\r\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(filepath.Join(dir, "tool.yaml"), 0o755); err != nil {
		t.Fatal(err)
	}
	s.scanFolder(dir)
	settleWindow(m, b)
	var opened []string
	s.svc.Open = func(u string) error { opened = append(opened, u); return nil }

	selectFinding(t, s, "config.yaml")
	detailButton(t, s, "Copy location")
	test.Tap(detailButton(t, s, "Open file"))
	if len(opened) != 1 || opened[0] != "file://"+filepath.ToSlash(filepath.Join(dir, "config.yaml")) {
		t.Fatalf("Open file on a YAML file opened %q", opened)
	}

	for _, c := range []struct{ file, why string }{
		{"deploy.sh", "it is a script, page or program the system could run when opened"},
		{"run.bat", "it is a script, page or program the system could run when opened"},
		{"tool.yaml", "it is marked executable, and the system could run it"},
	} {
		opened = nil
		selectFinding(t, s, c.file)
		detailButton(t, s, "Copy location")
		test.Tap(detailButton(t, s, "Open file"))
		if len(opened) != 0 {
			t.Fatalf("Open file on %s handed %q to the system", c.file, opened)
		}
		text := canvasText(m)
		if !strings.Contains(text, c.file+", lines 1–") || !strings.Contains(text, "as text: not opened, because "+c.why+".") {
			t.Fatalf("%s is not shown as text on the window:\n%s", c.file, text)
		}
		if !strings.Contains(s.status.Text, c.file+" is shown below as text and was not opened") {
			t.Fatalf("status %q", s.status.Text)
		}
		test.Tap(detailButton(t, s, "Open folder"))
		if len(opened) != 1 || opened[0] != "file://"+filepath.ToSlash(dir) {
			t.Fatalf("Open folder opened %q", opened)
		}
	}

	selectFinding(t, s, "deploy.sh")
	test.Tap(detailButton(t, s, "Open file"))
	text := canvasText(m)
	if !strings.Contains(text, `      2  # \x1b]0;pwned\x07 \u202eevil`) || !strings.Contains(text, ">     3  curl https://acme.auth0.com/delegation") {
		t.Fatalf("the script's text:\n%s", text)
	}
	if strings.ContainsAny(text, "\x1b\x07\u202e") {
		t.Fatalf("a control or BiDi character reached the window:\n%q", text)
	}
}

// At 900×600 the caret stays under the call's column: the source line and
// the caret are one block that never wraps (it scrolls sideways), so the
// two lines drawn are the line and its caret, aligned.
func TestTheCaretPointsAtTheCallAtTheSmallestWindow(t *testing.T) {
	m, b := newScanWindow(t)
	m.win.Resize(fyne.NewSize(900, 600))
	s := m.scan
	s.scanFolder(filepath.Join("..", "scan", "testdata", "corpus"))
	settleWindow(m, b)
	// The finding on the longest line, where a wrap would show.
	longest, call := -1, ""
	for i, r := range s.shown {
		if r.finding != nil && (longest < 0 || len(r.finding.Source) > len(s.shown[longest].finding.Source)) {
			longest = i
		}
	}
	s.rows.Select(longest)
	settleWindow(m, b)
	call = s.shown[longest].finding.Call
	if len(call) > 20 {
		call = call[:20]
	}
	var block *widget.Label
	for _, o := range test.LaidOutObjects(s.detail) {
		if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, "^") {
			block = l
		}
	}
	if block == nil {
		t.Fatalf("no caret in the detail:\n%s", detailText(s))
	}
	var lines []string
	for _, o := range test.LaidOutObjects(block) {
		if txt, ok := o.(*canvas.Text); ok && txt.Visible() && strings.TrimSpace(txt.Text) != "" {
			lines = append(lines, txt.Text)
		}
	}
	if len(lines) != 2 {
		t.Fatalf("the source and caret are drawn as %d lines, not 2: %q", len(lines), lines)
	}
	col := strings.Index(lines[1], "^")
	if col < 0 || col >= len(lines[0]) || !strings.HasPrefix(lines[0][col:], call) {
		t.Fatalf("the caret is under %q", lines[0][max(col, 0):])
	}
}
