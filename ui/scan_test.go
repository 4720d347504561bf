package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tokenscope/tokenscope/internal/testop/onscreen"
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

// rowTexts is what a list shows, one string a row, each row drawn as the
// list draws it (its labels' text), rows scrolled out of sight too.
func rowTexts(l *widget.List) []string {
	var out []string
	for i := 0; i < l.Length(); i++ {
		o := l.CreateItem()
		l.UpdateItem(i, o)
		var parts []string
		for _, x := range append([]fyne.CanvasObject{o}, containerObjects(o)...) {
			if label, ok := x.(*widget.Label); ok {
				parts = append(parts, label.Text)
			}
		}
		out = append(out, strings.Join(parts, " "))
	}
	return out
}

func containerObjects(o fyne.CanvasObject) []fyne.CanvasObject {
	if c, ok := o.(*fyne.Container); ok {
		return c.Objects
	}
	return nil
}

// statusSays is the visible label that starts with prefix (the status
// line), or nil.
func statusSays(w fyne.Window, prefix string) *widget.Label {
	for _, l := range onscreen.All(w, func(l *widget.Label) bool { return strings.HasPrefix(l.Text, prefix) }) {
		return l
	}
	return nil
}

// buttonShown reports whether a button labelled text is on screen.
func buttonShown(w fyne.Window, text string) bool {
	return len(onscreen.All(w, func(b *widget.Button) bool { return b.Text == text })) > 0
}

// TestScanGroupsFindingsByFileFiltersAndOpensARequestInMigrate scans the
// scanner's corpus as a user would: the summary, findings grouped under
// their files, the endpoint and severity filters, a finding's detail with
// its caret and replacement, and Open in Migrate showing the hand-written
// curl command already rewritten to /oauth/token.
func TestScanGroupsFindingsByFileFiltersAndOpensARequestInMigrate(t *testing.T) {
	m, b := newScanWindow(t)
	w := m.win
	m.scan.scanFolder(filepath.Join("..", "scan", "testdata", "corpus"))
	if !onscreen.Shows(w, "Scanning") || !buttonShown(w, "Cancel") {
		t.Fatalf("while scanning:\n%s", onscreen.Texts(w))
	}
	settleWindow(m, b)
	if l := onscreen.Label(w, "45 findings and 11 legacy SDK pins"); l == nil || l.Importance != widget.WarningImportance {
		t.Fatalf("the summary is missing or not a warning:\n%s", onscreen.Texts(w))
	}
	if buttonShown(w, "Cancel") || onscreen.Button(t, w, "Export JSON…").Disabled() || onscreen.Button(t, w, "Export SARIF…").Disabled() {
		t.Fatal("after the scan: Cancel still shown or export disabled")
	}
	list := onscreen.List(t, w)
	rows := rowTexts(list)
	if rows[0] != "android/app/src/main/java/com/example/legacy/LegacyAuth.java (4)" || !strings.Contains(rows[1], "15:9  /delegation  client.delegationWithRefreshToken(refreshToken)") {
		t.Fatalf("first rows: %q", rows[:3])
	}

	if !onscreen.Shows(w, "android/app/src/main/java/com/example/legacy/LegacyAuth.java:15:9") || !onscreen.Shows(w, "Replace with") {
		t.Fatalf("the first finding is not shown at once:\n%s", onscreen.Texts(w))
	}
	var opened string
	m.svc.Open = func(u string) error { opened = u; return nil }
	test.Tap(onscreen.Button(t, w, "Open file"))
	if !strings.HasPrefix(opened, "file:///") || !strings.HasSuffix(opened, "/scan/testdata/corpus/android/app/src/main/java/com/example/legacy/LegacyAuth.java") {
		t.Fatalf("Open file opened %q", opened)
	}

	endpoint, severity := onscreen.Select(t, w, "/user/ssodata"), onscreen.Select(t, w, "warning")
	endpoint.SetSelected("/user/ssodata")
	rows = rowTexts(list)
	want := []string{"scripts/renew.sh (1)", "    9:9  /user/ssodata  curl -s https://acme.auth0.com/user/ssodata", "web-v7/src/auth.js (1)", "    39:3  /user/ssodata  a0.getSSOData(true, cb)"}
	if strings.Join(rows, "|") != strings.Join(want, "|") {
		t.Fatalf("filtered to /user/ssodata:\n%q\nwant\n%q", rows, want)
	}
	severity.SetSelected("info")
	if rows = rowTexts(list); len(rows) != 0 {
		t.Fatalf("no /user/ssodata finding is info, got %q", rows)
	}
	endpoint.SetSelected("/delegation")
	if rows = rowTexts(list); strings.Join(rows, "|") != "docs/notes.js (1)|    4:20  /delegation  https://acme.auth0.com/delegation" {
		t.Fatalf("info on /delegation: %q", rows)
	}

	severity.SetSelected(allChoices)
	rows = rowTexts(list)
	at := -1
	for i, r := range rows {
		if strings.Contains(r, "5:10  /delegation  curl --request POST") {
			at = i
		}
	}
	if at < 0 {
		t.Fatalf("no curl finding in %q", rows)
	}
	list.Select(at)
	for _, want := range []string{"scripts/renew.sh:5:10", "error · /delegation · raw HTTP · legacy_delegation_request", "  --url \"https://${AUTH0_DOMAIN}/delegation\" \\\n         ^", "Replace with", "grant_type=refresh_token"} {
		if !onscreen.Shows(w, want) {
			t.Fatalf("the detail lacks %q:\n%s", want, onscreen.Texts(w))
		}
	}
	test.Tap(onscreen.Button(t, w, "Open in Migrate"))
	settleWindow(m, b)
	if !m.showing(screenMigrate) || !onscreen.Shows(w, "curl --request POST") {
		t.Fatalf("Migrate does not show the request:\n%s", onscreen.Texts(w))
	}
	if !onscreen.Shows(w, "/oauth/token") || !onscreen.Shows(w, `"grant_type": "refresh_token"`) {
		t.Fatalf("Migrate's output:\n%s", onscreen.Texts(w))
	}
}

// TestScanSaysWhenThereIsNothingAndWhenTheFolderIsGone: an empty folder
// says there is nothing to migrate; a bad Exclude glob and a folder that
// disappeared say which and what to do, and keep the buttons usable.
func TestScanSaysWhenThereIsNothingAndWhenTheFolderIsGone(t *testing.T) {
	m, b := newScanWindow(t)
	w := m.win
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "app.js"), []byte("export const x = 1;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	m.scan.scanFolder(dir)
	settleWindow(m, b)
	if statusSays(w, "No legacy Auth0 calls found in 1 file") == nil || !onscreen.Shows(w, "Nothing to migrate here") || onscreen.Shows(w, "Choose a folder to find") {
		t.Fatalf("after scanning a folder with nothing:\n%s", onscreen.Texts(w))
	}
	exclude := onscreen.Entry(t, w, "skip:")
	test.Type(exclude, "[")
	exclude.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // Enter in the field scans the folder again
	settleWindow(m, b)
	if !onscreen.Shows(w, `the exclude glob "[" is not valid`) {
		t.Fatalf("bad glob:\n%s", onscreen.Texts(w))
	}
	exclude.SetText("")
	gone := filepath.Join(dir, "gone")
	m.scan.scanFolder(gone)
	settleWindow(m, b)
	l := onscreen.Label(w, "cannot scan "+gone+": no such file or directory")
	if l == nil || l.Importance != widget.DangerImportance || onscreen.Button(t, w, "Scan a folder…").Disabled() {
		t.Fatalf("a folder that is gone:\n%s", onscreen.Texts(w))
	}
}

// TestTheMigrateScreenOffersAScan: Migrate's Scan… button and File → Scan
// a Folder both bring the Scan screen forward.
func TestTheMigrateScreenOffersAScan(t *testing.T) {
	m, _ := newScanWindow(t)
	m.showScreen(screenMigrate)
	test.Tap(onscreen.Button(t, m.win, "Scan…"))
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
	m.win.Resize(fyne.NewSize(1200, 800))
	m.startScan()
	settleWindow(m, b)
	if !m.showing(screenScan) || statusSays(m.win, "9 findings and 1 legacy SDK pin (9 errors, 1 warning) in 3 files") == nil {
		t.Fatalf("showing Scan %v:\n%s", m.showing(screenScan), onscreen.Texts(m.win))
	}
}

// TestEscapeCancelsARunningScanAndKeepsTheLastResults: the scan stops,
// the line says so at once — even when the scan is deaf to cancellation,
// as a read blocked in the kernel is — and the results of the scan before
// stay; the stopped scan's late result is dropped.
func TestEscapeCancelsARunningScanAndKeepsTheLastResults(t *testing.T) {
	m, b := newScanWindow(t)
	w := m.win
	m.scan.scanFolder(filepath.Join("..", "scan", "testdata", "corpus", "web-v7"))
	settleWindow(m, b)
	before := rowTexts(onscreen.List(t, w))
	started, release := make(chan struct{}), make(chan struct{})
	m.scan.progress.run = func(ctx context.Context, roots []string, o scan.Options) (*scan.Report, error) {
		close(started)
		<-release // deaf to ctx
		return &scan.Report{}, nil
	}
	m.scan.scanFolder(t.TempDir())
	<-started
	if !buttonShown(w, "Cancel") || !onscreen.Button(t, w, "Scan a folder…").Disabled() {
		t.Fatal("while scanning, Cancel is hidden or Scan a folder… enabled")
	}
	w.Canvas().(interface{ OnTypedKey() func(*fyne.KeyEvent) }).OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	rows := rowTexts(onscreen.List(t, w))
	if statusSays(w, "Scan cancelled") == nil || buttonShown(w, "Cancel") || onscreen.Button(t, w, "Scan a folder…").Disabled() || len(before) == 0 || strings.Join(rows, "|") != strings.Join(before, "|") {
		t.Fatalf("after Escape (%d rows, %d before):\n%s", len(rows), len(before), onscreen.Texts(w))
	}
	close(release)
	settleWindow(m, b)
	if rows = rowTexts(onscreen.List(t, w)); statusSays(w, "Scan cancelled") == nil || strings.Join(rows, "|") != strings.Join(before, "|") {
		t.Fatalf("the cancelled scan's late result landed (%d rows, %d before):\n%s", len(rows), len(before), onscreen.Texts(w))
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
	w := again.win
	w.Resize(fyne.NewSize(1200, 800))
	again.showScreen(screenScan)
	rescan := onscreen.Button(t, w, "Scan again")
	if rescan.Disabled() || !onscreen.Shows(w, "Last scanned: "+dir+". Scan again to see what it holds now.") {
		t.Fatalf("after a restart: Scan again disabled %v:\n%s", rescan.Disabled(), onscreen.Texts(w))
	}
	test.Tap(rescan)
	settle(b, &again.scan.busy)
	if statusSays(w, "9 findings") == nil {
		t.Fatalf("Scan again:\n%s", onscreen.Texts(w))
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

// selectFinding selects the first finding in file, under its heading.
func selectFinding(t *testing.T, w fyne.Window, file string) {
	t.Helper()
	list := onscreen.List(t, w)
	rows := rowTexts(list)
	for i, r := range rows {
		if strings.HasPrefix(r, file+" (") && i+1 < len(rows) {
			list.Select(i + 1)
			return
		}
	}
	t.Fatalf("no finding in %s among %q", file, rows)
}

// TestOpenFileOpensOnlyDocumentsAndShowsTheRestAsText: a YAML file goes
// to the system's opener; a shell script, a batch file and a YAML file
// marked executable never do — each is shown as text on the window, its
// escape sequences visible, and Open folder opens the folder holding it.
// Copy location stays.
func TestOpenFileOpensOnlyDocumentsAndShowsTheRestAsText(t *testing.T) {
	m, b := newScanWindow(t)
	w := m.win
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
	m.scan.scanFolder(dir)
	settleWindow(m, b)
	var opened []string
	m.svc.Open = func(u string) error { opened = append(opened, u); return nil }

	selectFinding(t, w, "config.yaml")
	onscreen.Button(t, w, "Copy location")
	test.Tap(onscreen.Button(t, w, "Open file"))
	if len(opened) != 1 || opened[0] != "file://"+filepath.ToSlash(filepath.Join(dir, "config.yaml")) {
		t.Fatalf("Open file on a YAML file opened %q", opened)
	}

	for _, c := range []struct{ file, why string }{
		{"deploy.sh", "it is a script, page or program the system could run when opened"},
		{"run.bat", "it is a script, page or program the system could run when opened"},
		{"tool.yaml", "it is marked executable, and the system could run it"},
	} {
		opened = nil
		selectFinding(t, w, c.file)
		onscreen.Button(t, w, "Copy location")
		test.Tap(onscreen.Button(t, w, "Open file"))
		if len(opened) != 0 {
			t.Fatalf("Open file on %s handed %q to the system", c.file, opened)
		}
		if !onscreen.Shows(w, c.file+", lines 1–") || !onscreen.Shows(w, "as text: not opened, because "+c.why+".") {
			t.Fatalf("%s is not shown as text on the window:\n%s", c.file, onscreen.Texts(w))
		}
		if statusSays(w, c.file+" is shown below as text and was not opened") == nil {
			t.Fatalf("the status line:\n%s", onscreen.Texts(w))
		}
		test.Tap(onscreen.Button(t, w, "Open folder"))
		if len(opened) != 1 || opened[0] != "file://"+filepath.ToSlash(dir) {
			t.Fatalf("Open folder opened %q", opened)
		}
	}

	selectFinding(t, w, "deploy.sh")
	test.Tap(onscreen.Button(t, w, "Open file"))
	if !onscreen.Shows(w, `      2  # \x1b]0;pwned\x07 \u202eevil`) || !onscreen.Shows(w, ">     3  curl https://acme.auth0.com/delegation") {
		t.Fatalf("the script's text:\n%s", onscreen.Texts(w))
	}
	if text := canvasText(m); strings.ContainsAny(text, "\x1b\x07\u202e") {
		t.Fatalf("a control or BiDi character reached the window:\n%q", text)
	}
}

// At 900×600 the caret stays under the call's column: the source line and
// the caret are one block that never wraps (it scrolls sideways), so the
// two lines drawn are the line and its caret, aligned.
func TestTheCaretPointsAtTheCallAtTheSmallestWindow(t *testing.T) {
	m, b := newScanWindow(t)
	w := m.win
	w.Resize(fyne.NewSize(900, 600))
	m.scan.scanFolder(filepath.Join("..", "scan", "testdata", "corpus"))
	settleWindow(m, b)
	// The finding on the longest line, where a wrap would show: each
	// finding's row names its call, and the detail shows its line.
	list := onscreen.List(t, w)
	longest, widest := -1, 0
	for i, r := range rowTexts(list) {
		if !strings.HasPrefix(r, "    ") || strings.Contains(r, "(fixed in") {
			continue // a file's heading, or a manifest pin
		}
		list.Select(i)
		for _, l := range onscreen.All(w, func(l *widget.Label) bool { return strings.Contains(l.Text, "^") && l.TextStyle.Monospace }) {
			if n := len(strings.SplitN(l.Text, "\n", 2)[0]); n > widest {
				longest, widest = i, n
			}
		}
	}
	list.Select(longest)
	settleWindow(m, b)
	row := rowTexts(list)[longest]
	call := strings.TrimSpace(row[strings.Index(row, "  /")+2:])
	call = strings.TrimSpace(call[strings.Index(call, "  ")+2:]) // after the endpoint
	if cut := strings.Index(call, "…"); cut >= 0 {
		call = call[:cut] // the call's arguments, abbreviated
	}
	if len(call) > 20 {
		call = call[:20]
	}
	block := onscreen.Only(t, w, "source lines with a caret", func(l *widget.Label) bool { return strings.Contains(l.Text, "^") && l.TextStyle.Monospace })
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
		t.Fatalf("the caret is under %q, not %q", lines[0][max(col, 0):], call)
	}
}
