// Package ui holds Tokenscope's Fyne screens, one file per screen, plus the
// theme and shared widgets. It holds no business logic: that lives in
// internal/ and migrate/.
package ui

import (
	"context"
	"fmt"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/internal/workspace"
)

// Services are what the screens need from the composition root. The
// workspace (profiles, secrets, discovery, refresh) is the core the
// command line uses too; the screens never re-implement its flows.
type Services struct {
	*workspace.Workspace
	// Demo is the embedded demo tenant, when the app started it; DemoNote
	// says which demo profiles took another name.
	Demo     workspace.Demo
	DemoNote string
	// Open opens a sign-in URL; nil means the system browser (tests
	// follow the demo tenant's login page instead).
	Open    func(url string) error
	Now     func() time.Time
	Version string
	Icon    fyne.Resource
	// StartScreen names the screen to open on ("Clients", "Exchange",
	// "Inspect", "Migrate" or "Scan"), over the one saved last time; empty keeps
	// the saved one.
	StartScreen string
	// StartScan, when set, opens the Scan screen scanning that folder.
	StartScan string
	// ScanForReadiness scans a folder for the Readiness report (the
	// composition root hands in the scanner; nil: no code is joined).
	ScanForReadiness func(ctx context.Context, root string) ([]workspace.CodeFinding, error)
	// TypingPause is how long typing must pause before Inspect decodes and
	// Migrate parses what was typed, so a burst of keystrokes is one piece
	// of work (the app uses DefaultTypingPause); zero works at every
	// keystroke, which tests use so that they never wait.
	TypingPause time.Duration
}

// Preference keys (UI state only: never a secret).
const (
	prefWidth    = "window.width"
	prefHeight   = "window.height"
	prefScreen   = "window.screen"
	prefScanRoot = "scan.root" // the folder scanned last
)

// screen is one entry of the navigation, as in fyne_demo's table. view
// holds the screen's layout, which build makes on the screen's first show:
// only the screen in front is laid out (and themed) before the first frame.
type screen struct {
	title string
	icon  fyne.Resource
	view  *fyne.Container
	build func() fyne.CanvasObject
	focus func()
}

// mainWindow is the one window: navigation between the screens.
type mainWindow struct {
	app      fyne.App
	win      fyne.Window
	svc      *Services
	do       uiDo
	clients  *clientsScreen
	exchange *exchangeScreen
	inspect  *inspectScreen
	migrate  *migrateScreen
	scan     *scanScreen
	ready    *readinessScreen
	screens  []screen
	tabs     *container.AppTabs
	top      *fyne.Container // above the screens: the start-up line, then the demo banner
	stop     chan struct{}
	start    startState
}

// startState is the start-up's progress, as the window follows it.
type startState struct {
	// line is the progress line while Startup runs (nil after); done is
	// set once Startup's result is in.
	line fyne.CanvasObject
	bar  *widget.ProgressBarInfinite
	done bool
	busy sync.WaitGroup
	// firstRun: no screen was saved and none was asked for; restored is
	// the screen restoreState chose, so the end of the startup can tell
	// whether the user has moved on meanwhile.
	firstRun bool
	restored int
}

// Startup is what runs behind the first frame: loading profiles and, on a
// fresh machine, starting the demo tenant (whose seeding writes to the
// keyring, which may wait on an unlock prompt). It returns the demo tenant
// (nil when not needed) and the banner's note.
type Startup func() (demo workspace.Demo, note string, err error)

// Create builds the main window on a, ready to show. start runs in the
// background once the app runs (started is called first, when not nil),
// so its work never competes with building the first frame; meanwhile the
// window shows a progress line, and the screens take its result when it
// is done.
func Create(a fyne.App, svc *Services, start Startup, started func()) fyne.Window {
	a.Settings().SetTheme(newTheme())
	fonts := loadFonts()
	w := a.NewWindow("Tokenscope")
	// The app's icon is the window's unless the window has its own: set
	// again here, it would be decoded and sent to the X server twice.
	if svc.Icon != nil && a.Icon() == nil {
		w.SetIcon(svc.Icon)
	}
	m := makeMainWindow(a, w, svc, fyneDo)
	<-fonts // before any text is measured
	if start != nil {
		m.showStartup() // before place: it changes the height left for the screens
	}
	m.place(menuBarHeight())
	m.restoreState()
	m.startScan()
	w.SetCloseIntercept(m.onClose)
	w.SetOnDropped(m.onDropped)
	m.startClock()
	a.Lifecycle().SetOnStarted(func() {
		if started != nil {
			started()
		}
		m.beginStartup(start)
	})
	return w
}

// runStartup runs start off the UI goroutine with a progress line on top
// of the window, then hands the demo tenant to the screens.
func (m *mainWindow) runStartup(start Startup) {
	if start == nil {
		return
	}
	m.showStartup()
	m.beginStartup(start)
}

// showStartup puts the progress line on top of the window.
func (m *mainWindow) showStartup() {
	line := widget.NewLabel("Starting: loading profiles and the demo tenant…")
	m.start.bar = widget.NewProgressBarInfinite()
	m.start.line = border(nil, widget.NewSeparator(), nil, nil, container.NewHBox(line, m.start.bar))
	m.top.Objects = []fyne.CanvasObject{m.start.line}
	m.top.Refresh()
}

// beginStartup runs start off the UI goroutine, then hands the demo
// tenant to the screens.
func (m *mainWindow) beginStartup(start Startup) {
	if start == nil {
		return
	}
	m.start.busy.Add(1)
	go func() {
		defer m.start.busy.Done()
		demo, note, err := start()
		m.do(func() { m.started(demo, note, err) })
	}()
}

// started takes the startup's result: the demo banner, the profiles on
// every screen, and the first screen.
func (m *mainWindow) started(demo workspace.Demo, note string, err error) {
	m.start.line = nil
	m.start.done = true
	m.setDemo(demo, note)
	// Screens made already take the profiles and the demo now; the others
	// read them when they are made (see the screen makers).
	if m.clients != nil {
		m.clients.reload("")
		m.clients.updateStorageLine() // the demo's seeding has tried the keyring by now
	}
	if m.exchange != nil {
		m.exchange.reloadProfiles()
	}
	if m.ready != nil {
		m.ready.demoStarted(demo != nil)
	}
	if err != nil {
		m.clientsScreen().setStatus("The demo tenant did not start: "+err.Error()+".", widget.DangerImportance)
	}
	// A first run lands on Exchange with a demo profile chosen: one click
	// on Refresh shows tokens. (The preference cannot tell: selecting the
	// first screen already saved it.)
	if demo != nil && m.start.firstRun && m.tabs.SelectedIndex() == m.start.restored {
		m.selectScreen(int(screenExchange))
	}
	// The profile picked before the demo tenant was known (it could not
	// tell which demo client signs in) gives way to the one that can do
	// most; a profile the user chose stays.
	if demo != nil && m.exchange != nil {
		m.exchange.demoStarted()
	}
}

// setDemo gives every screen the demo tenant and shows or hides its banner.
func (m *mainWindow) setDemo(demo workspace.Demo, note string) {
	m.svc.Demo, m.svc.DemoNote = demo, note
	if m.start.bar != nil {
		m.start.bar.Stop()
	}
	// The content stays: only what is above the screens changes, so a
	// field being typed in keeps its focus and its caret.
	m.top.Objects = nil
	if demo != nil {
		m.top.Objects = []fyne.CanvasObject{m.demoBanner()}
	}
	m.top.Refresh()
	if m.migrate != nil {
		m.migrate.onDemoChanged()
	}
}

// newMainWindow is the window with every screen built (tests use it; they
// read any screen at any time).
func newMainWindow(a fyne.App, w fyne.Window, svc *Services, do uiDo) *mainWindow {
	m := newLazyMainWindow(a, w, svc, do)
	for i := range m.screens {
		m.build(i)
	}
	return m
}

// build makes screen i's layout, once. A screen whose place has no size
// yet is laid out when it gets one, not here at size zero.
func (m *mainWindow) build(i int) {
	if s := &m.screens[i]; len(s.view.Objects) == 0 {
		s.view.Objects = []fyne.CanvasObject{s.build()}
		if !s.view.Size().IsZero() {
			layOut(s.view)
		}
	}
}

// newLazyMainWindow is the window with only the screen in front made (see
// firstScreen); the others are made on first use.
func newLazyMainWindow(a fyne.App, w fyne.Window, svc *Services, do uiDo) *mainWindow {
	m := makeMainWindow(a, w, svc, do)
	m.place(0) // a test window draws no menu bar
	return m
}

// makeMainWindow makes the window's parts at its saved size, with the
// screen it opens on chosen, and lays nothing out: place does, once.
func makeMainWindow(a fyne.App, w fyne.Window, svc *Services, do uiDo) *mainWindow {
	m := &mainWindow{app: a, win: w, svc: svc, do: do, stop: make(chan struct{})}
	// Each screen is made on first use (screenOf): its widgets cost
	// text measuring and theming, which only the screen in front pays for
	// before the first frame.
	m.screens = []screen{ // in screenID order
		{"Clients", theme.AccountIcon(), container.NewStack(), func() fyne.CanvasObject { return m.clientsScreen().view() }, func() { m.clientsScreen().focus() }},
		{"Exchange", theme.ViewRefreshIcon(), container.NewStack(), func() fyne.CanvasObject { return m.exchangeScreen().view() }, func() { m.exchangeScreen().focus() }},
		{"Inspect", theme.SearchIcon(), container.NewStack(), func() fyne.CanvasObject { return m.inspectScreen().view() }, func() { m.inspectScreen().focus() }},
		{"Migrate", theme.MediaReplayIcon(), container.NewStack(), func() fyne.CanvasObject { return m.migrateScreen().view() }, func() { m.migrateScreen().focus() }},
		{"Scan", theme.SearchReplaceIcon(), container.NewStack(), func() fyne.CanvasObject { return m.scanScreen().view() }, func() { m.scanScreen().focus() }},
		{"Readiness", theme.ConfirmIcon(), container.NewStack(), func() fyne.CanvasObject { return m.readinessScreen().view() }, func() { m.readinessScreen().focus() }},
	}
	items := make([]*container.TabItem, len(m.screens))
	for i, s := range m.screens {
		items[i] = container.NewTabItemWithIcon(s.title, s.icon, s.view)
	}
	// The window's size first, then its content with nothing in it yet:
	// Fyne lays a new content out at its minimum size first, which for the
	// tabs and a screen full of wrapping text costs as much as the real
	// layout. What is above the screens (the start-up's progress line,
	// then the demo banner) changes inside m.top; the content is set once.
	m.restoreSize()
	w.SetMainMenu(m.menu())
	m.top = container.NewVBox()
	w.SetContent(border(m.top, nil, nil, nil)) // place adds the screens
	if svc.Demo != nil {
		m.top.Objects = []fyne.CanvasObject{m.demoBanner()}
	}
	first, _ := m.firstScreen()
	// Tabs not yet extended (NewAppTabs would) have no renderer to refresh:
	// their side and their first screen are only recorded, and the tab bar
	// is built once, when place lays it out. Extended first, each call
	// would rebuild the tab buttons (their icons' SVG parsed again), 21 of
	// them for SetTabLocation alone, fitting six tabs into a bar of height
	// zero.
	m.tabs = &container.AppTabs{Items: items}
	m.tabs.SetTabLocation(container.TabLocationLeading)
	m.tabs.SelectIndex(first)
	m.tabs.BaseWidget.ExtendBaseWidget(m.tabs) // as NewAppTabs does
	m.tabs.OnSelected = m.onScreenSelected
	m.addShortcuts()
	return m
}

// place lays the window out, once, at its size: the tabs, the screen in
// front and what is above them. menuBar is the height of the menu bar the
// window adds above its content when it is shown (see menuBarHeight):
// laid out taller, everything would be laid out again then.
func (m *mainWindow) place(menuBar float32) {
	root := m.win.Content().(*fyne.Container)   // makeMainWindow's border
	root.Objects = append(root.Objects, m.tabs) // its centre
	if size := root.Size(); menuBar > 0 && size.Height > menuBar {
		root.Resize(fyne.NewSize(size.Width, size.Height-menuBar)) // lays it out
	} else {
		layOut(root)
	}
	// The screen in front is made once the tabs have given it its size:
	// made before, the tabs' first refresh would lay it out at size zero,
	// where every wrapping label breaks at each word.
	m.build(m.tabs.SelectedIndex())
}

// menuBarHeight is the height of the menu bar Fyne draws at the top of
// the window on Linux, the BSDs and Windows (macOS's is the system's): a
// line of text and the inner padding, as its menu bar lays itself out.
// The window adds it when it is shown, and lays its content out again
// then unless the content already has the height left below it.
func menuBarHeight() float32 {
	if runtime.GOOS == "darwin" {
		return 0
	}
	return fyne.MeasureText("File", theme.TextSize(), fyne.TextStyle{}).Height + theme.InnerPadding()
}

// layOut lays c out at its size and marks it for painting. Unlike
// c.Refresh, it does not also refresh every object under c, which would
// wrap each wrapping label once more: new widgets need no refresh.
func layOut(c *fyne.Container) {
	if c.Layout != nil {
		c.Layout.Layout(c.Objects, c.Size())
	}
	canvas.Refresh(c)
}

func (m *mainWindow) menu() *fyne.MainMenu {
	open := fyne.NewMenuItem("Open Token File…", func() { m.inspectScreen().onOpen() })
	open.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyO, Modifier: fyne.KeyModifierShortcutDefault}
	openLegacy := fyne.NewMenuItem("Open Legacy Request or HAR…", func() { m.showScreen(screenMigrate); m.migrateScreen().onOpen() })
	openLegacy.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyO, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
	refresh := fyne.NewMenuItem("Refresh Tokens", m.refreshTokens)
	refresh.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: fyne.KeyModifierShortcutDefault}
	scanFolder := fyne.NewMenuItem("Scan a Folder for Legacy Calls…", m.scanAFolder)
	scanFolder.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
	var views []*fyne.MenuItem
	for i, s := range m.screens {
		item := fyne.NewMenuItem(s.title, func() { m.selectScreen(i) })
		item.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyName(fmt.Sprint(i + 1)), Modifier: fyne.KeyModifierShortcutDefault}
		views = append(views, item)
	}
	quit := fyne.NewMenuItem("Quit", m.onClose)
	quit.IsQuit = true
	quit.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyQ, Modifier: fyne.KeyModifierShortcutDefault}
	return fyne.NewMainMenu(
		fyne.NewMenu("File", refresh, open, openLegacy, scanFolder, fyne.NewMenuItemSeparator(), quit),
		fyne.NewMenu("View", views...),
		fyne.NewMenu("Help",
			fyne.NewMenuItem("Keyboard Shortcuts", m.showShortcuts),
			fyne.NewMenuItem("About Tokenscope", m.showAbout)),
	)
}

// addShortcuts registers every menu item's shortcut on the window (so the
// menu shows exactly the keys that work), then the ones with no menu item.
func (m *mainWindow) addShortcuts() {
	c := m.win.Canvas()
	for _, menu := range m.menu().Items {
		for _, item := range menu.Items {
			if item.Shortcut != nil && item.Action != nil {
				c.AddShortcut(item.Shortcut, func(fyne.Shortcut) { item.Action() })
			}
		}
	}
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) {
		m.showScreen(screenInspect)
		m.inspectScreen().focus()
	})
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyV, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}, func(fyne.Shortcut) {
		m.showScreen(screenInspect)
		m.inspectScreen().onPaste()
	})
	// Escape cancels what is running on the Exchange screen.
	c.SetOnTypedKey(m.onTypedKey)
}

// onTypedKey handles keys no widget took: Escape cancels a running
// refresh or sign-in.
func (m *mainWindow) onTypedKey(e *fyne.KeyEvent) {
	if e.Name != fyne.KeyEscape {
		return
	}
	if m.exchange != nil {
		m.exchange.cancelRunning()
	}
	if m.clients != nil {
		m.clients.signIn.stop()
	}
	if m.scan != nil {
		m.scan.onCancel()
	}
}

var shortcutHelp = [][2]string{
	{"Ctrl+1 … Ctrl+6", "Switch to Clients, Exchange, Inspect, Migrate, Scan, Readiness"},
	{"Ctrl+R", "Refresh: run the refresh grant of the profile chosen on Exchange"},
	{"Ctrl+L", "Focus the token field"},
	{"Ctrl+Shift+V", "Paste a token from the clipboard and decode it"},
	{"Ctrl+O", "Open a file holding a token"},
	{"Ctrl+Shift+O", "Open a legacy request or a HAR export on Migrate"},
	{"Ctrl+Shift+F", "Scan a folder for legacy Auth0 calls"},
	{"Escape", "Cancel a running refresh, sign-in or scan"},
	{"Ctrl+Q", "Quit"},
}

func (m *mainWindow) showShortcuts() {
	var lines []string
	for _, s := range shortcutHelp {
		lines = append(lines, fmt.Sprintf("**%s** — %s", s[0], s[1]))
	}
	dialog.ShowCustom("Keyboard shortcuts", "Close", widget.NewRichTextFromMarkdown(strings.Join(lines, "\n\n")), m.win)
}

func (m *mainWindow) showAbout() {
	icon := canvas.NewImageFromResource(m.svc.Icon)
	icon.SetMinSize(fyne.NewSize(96, 96))
	icon.FillMode = canvas.ImageFillContain
	repo, _ := url.Parse("https://github.com/tokenscope/tokenscope")
	body := container.NewVBox(
		icon,
		widget.NewLabelWithStyle("Tokenscope "+m.svc.Version, fyne.TextAlignCenter, fyne.TextStyle{Bold: true}),
		widget.NewLabelWithStyle("Inspect, verify and refresh OAuth 2.0 and OpenID Connect tokens,\nand migrate Auth0 /delegation calls to /oauth/token.", fyne.TextAlignCenter, fyne.TextStyle{}),
		widget.NewHyperlinkWithStyle("Source and documentation", repo, fyne.TextAlignCenter, fyne.TextStyle{}),
	)
	dialog.ShowCustom("About Tokenscope", "Close", body, m.win)
}

// demoBanner says the profiles point at the embedded demo tenant.
func (m *mainWindow) demoBanner() fyne.CanvasObject {
	text := "Demo tenant at " + m.svc.Demo.Issuer() + ": the demo profiles and every token here are made on this machine, for trying things out."
	if m.svc.DemoNote != "" {
		text += " " + strings.ToUpper(m.svc.DemoNote[:1]) + m.svc.DemoNote[1:]
	}
	msg := widget.NewLabel(text)
	msg.Wrapping = fyne.TextWrapWord
	add := widget.NewButtonWithIcon("Add a real client", theme.ContentAddIcon(), func() {
		m.showScreen(screenClients)
		m.clientsScreen().onNew()
		m.clientsScreen().focus()
	})
	return border(nil, widget.NewSeparator(), widget.NewIcon(theme.InfoIcon()), add, msg)
}

// showScreen brings the named screen to the front.
// screenID names a screen by its place in the navigation, so code finds a
// screen by reference, never by its (translatable) title.
type screenID int

const (
	screenClients screenID = iota
	screenExchange
	screenInspect
	screenMigrate
	screenScan
	screenReadiness
)

// refreshTokens is Ctrl+R: Exchange's Refresh, from any screen. While a
// refresh runs, or before the request is ready, it only shows Exchange.
func (m *mainWindow) refreshTokens() {
	m.showScreen(screenExchange)
	m.exchangeScreen().refreshIfReady()
}

// startScan scans Services.StartScan, if set, on the Scan screen.
func (m *mainWindow) startScan() {
	if m.svc.StartScan != "" {
		m.showScreen(screenScan)
		m.scanScreen().scanFolder(m.svc.StartScan)
	}
}

// scanAFolder shows the Scan screen and asks for a folder.
func (m *mainWindow) scanAFolder() {
	m.showScreen(screenScan)
	m.scanScreen().onChoose()
}

// showScreen brings a screen to the front.
func (m *mainWindow) showScreen(id screenID) { m.selectScreen(int(id)) }

// showing reports whether id is the screen in front.
func (m *mainWindow) showing(id screenID) bool { return m.tabs.SelectedIndex() == int(id) }

// openInInspector shows a token (from the Exchange screen) in the inspector.
func (m *mainWindow) openInInspector(token string) {
	m.showScreen(screenInspect)
	m.inspectScreen().SetToken(token)
}

// inspectFromExchange shows a token a profile's issuer just sent, with
// that issuer expected: Verify then uses keys the user has reason to trust.
func (m *mainWindow) inspectFromExchange(token string) {
	m.openInInspector(token)
	if iss := m.exchangeScreen().issuer(); iss != "" {
		m.inspectScreen().expectIssuer(iss)
	}
}

func (m *mainWindow) selectScreen(i int) {
	if i >= 0 && i < len(m.tabs.Items) {
		m.build(i)
		m.tabs.SelectIndex(i)
	}
}

func (m *mainWindow) onScreenSelected(item *container.TabItem) {
	m.app.Preferences().SetInt(prefScreen, m.tabs.SelectedIndex())
	if i := m.tabs.SelectedIndex(); i >= 0 {
		m.build(i) // a click on a tab not shown before
		if m.screens[i].focus != nil {
			m.screens[i].focus()
		}
	}
}

// restoreState brings the screen the window opens on to the front (the
// window has its saved size already) and notes whether this is a first run.
func (m *mainWindow) restoreState() {
	i, firstRun := m.firstScreen()
	m.selectScreen(i)
	m.start.restored, m.start.firstRun = i, firstRun
}

// restoreSize gives the window its saved size.
func (m *mainWindow) restoreSize() {
	p := m.app.Preferences()
	w := p.FloatWithFallback(prefWidth, 1180)
	h := p.FloatWithFallback(prefHeight, 760)
	m.win.Resize(fyne.NewSize(float32(max(w, 640)), float32(max(h, 420))))
}

// firstScreen is the screen the window opens on: the one asked for
// (Services.StartScreen), else the one saved, else (a first run) Exchange,
// where the demo tenant, or the user's first profile, is one Refresh away.
func (m *mainWindow) firstScreen() (i int, firstRun bool) {
	if i := m.startScreen(); i >= 0 {
		return i, false
	}
	saved := m.app.Preferences().IntWithFallback(prefScreen, -1)
	if saved < 0 || saved >= len(m.screens) {
		return int(screenExchange), true
	}
	return saved, false
}

// startScreen is the index of Services.StartScreen, or -1 when it names
// no screen.
func (m *mainWindow) startScreen() int {
	for i, s := range m.screens {
		if m.svc.StartScreen != "" && strings.EqualFold(s.title, m.svc.StartScreen) {
			return i
		}
	}
	return -1
}

// onClose saves the window size and screen, then closes (Fyne's test
// window cannot trigger a close intercept, so tests call this directly).
func (m *mainWindow) onClose() {
	size := m.win.Canvas().Size()
	p := m.app.Preferences()
	p.SetFloat(prefWidth, float64(size.Width))
	p.SetFloat(prefHeight, float64(size.Height))
	p.SetInt(prefScreen, m.tabs.SelectedIndex())
	if m.exchange != nil {
		m.exchange.stop()
	}
	close(m.stop)
	m.win.Close()
}

func (m *mainWindow) onDropped(_ fyne.Position, uris []fyne.URI) {
	if len(uris) == 0 {
		return
	}
	r, err := storageReader(uris[0])
	if err != nil {
		m.showScreen(screenInspect)
		m.inspectScreen().setStatus(fmt.Sprintf("Cannot open %s: %v", uris[0].Name(), err), widget.DangerImportance)
		return
	}
	// A file dropped on the Migrate screen (or any .har) is a legacy request.
	if m.showing(screenMigrate) || strings.HasSuffix(strings.ToLower(uris[0].Name()), ".har") {
		m.showScreen(screenMigrate)
		m.migrateScreen().loadFile(r)
		return
	}
	m.showScreen(screenInspect)
	m.inspectScreen().loadFile(r)
}

// startClock refreshes relative times ("expires in …") every second while
// the inspector is the visible screen.
func (m *mainWindow) startClock() {
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-m.stop:
				return
			case <-t.C:
				m.do(func() {
					switch {
					case m.showing(screenInspect) && m.inspect != nil:
						m.inspect.refreshTimes()
					case m.showing(screenExchange) && m.exchange != nil:
						m.exchange.refreshTimes()
					}
				})
			}
		}
	}()
}

// The screen makers: each makes its screen on first use, wires it to the
// others (through these makers, so nothing is made before it is needed),
// and, when the start-up is already over, hands it what the start-up
// brought (the profiles are read by the screen itself).

func (m *mainWindow) clientsScreen() *clientsScreen {
	if m.clients == nil {
		m.clients = newClientsScreen(m.svc, m.win, m.do)
		m.clients.onProfilesChanged = func() {
			if m.exchange != nil {
				m.exchange.reloadProfiles()
			}
		}
		if m.start.done {
			m.clients.updateStorageLine()
		}
	}
	return m.clients
}

func (m *mainWindow) exchangeScreen() *exchangeScreen {
	if m.exchange == nil {
		m.exchange = newExchangeScreen(m.svc, m.win, m.do, m.inspectFromExchange)
		if m.start.done && m.svc.Demo != nil {
			m.exchange.demoStarted()
		}
	}
	return m.exchange
}

func (m *mainWindow) inspectScreen() *inspectScreen {
	if m.inspect == nil {
		m.inspect = newInspectScreen(m.svc, m.win, m.do)
	}
	return m.inspect
}

func (m *mainWindow) migrateScreen() *migrateScreen {
	if m.migrate == nil {
		m.migrate = newMigrateScreen(m.svc, m.win, m.do)
		m.migrate.inspect = m.openInInspector
		m.migrate.onProfilesChanged = func() {
			if m.exchange != nil {
				m.exchange.reloadProfiles()
			}
			if m.clients != nil {
				m.clients.reload("")
			}
		}
		m.migrate.scanFolder = m.scanAFolder
		if m.start.done && m.svc.Demo != nil {
			m.migrate.onDemoChanged()
		}
	}
	return m.migrate
}

func (m *mainWindow) scanScreen() *scanScreen {
	if m.scan == nil {
		m.scan = newScanScreen(m.svc, m.win, m.do)
		m.scan.prefs = m.app.Preferences()
		m.scan.restore()
		m.scan.migrate = func(request string) { m.showScreen(screenMigrate); m.migrateScreen().setInput(request) }
	}
	return m.scan
}

func (m *mainWindow) readinessScreen() *readinessScreen {
	if m.ready == nil {
		m.ready = newReadinessScreen(m.svc, m.win, m.do)
		if m.start.done {
			m.ready.demoStarted(m.svc.Demo != nil)
		}
	}
	return m.ready
}
