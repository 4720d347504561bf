package ui

import (
	"io"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/tokenscope/tokenscope/migrate"
)

// The Migrate screen rewrites legacy /delegation calls into /oauth/token
// requests. It is made of panels, each owning its widgets and state:
//
//	migrateInput    the pasted or opened legacy call, parsed (migrate_input.go)
//	migrateOptions  domain, client auth, audience, output format (migrate_options.go)
//	migrateList     the calls a HAR holds, one selected (migrate_list.go)
//	migrateOutput   the selected call's new request and findings (migrate_output.go)
//	migrateAnswers  Send and Compare, and what they answered (migrate_send.go)
//	migrateSave     Save as profile (migrate_profile.go)
//
// The screen holds the parsed input and passes what changes from panel to
// panel; one status line under the output speaks for all of them.

// migrateScreen rewrites legacy /delegation calls into /oauth/token requests.
type migrateScreen struct {
	win fyne.Window
	// onProfilesChanged tells the other screens a profile was saved.
	onProfilesChanged func()
	// inspect opens a token in the inspector.
	inspect func(token string)
	// scanFolder shows the Scan screen's folder chooser.
	scanFolder func()

	status  *widget.Label // what happened last, on any panel
	in      *migrateInput
	opts    *migrateOptions
	list    *migrateList
	out     *migrateOutput
	answers *migrateAnswers
	save    *migrateSave
	obj     fyne.CanvasObject

	batch *migrate.Batch // the input as parsed (UI goroutine)
	busy  sync.WaitGroup
}

func newMigrateScreen(svc *Services, win fyne.Window, do uiDo) *migrateScreen {
	s := &migrateScreen{win: win}
	s.status = wrapLabel("")
	s.in = newMigrateInput(svc, win, do, &s.busy, s.status, func() {
		if s.scanFolder != nil {
			s.scanFolder()
		}
	}, s.parsed)
	s.opts = newMigrateOptions(s.rewrite, s.render)
	s.list = newMigrateList(func() {
		s.answers.stop()
		s.render()
	})
	s.out = newMigrateOutput(do, s.status)
	s.answers = newMigrateAnswers(svc, do, &s.busy, s.status, s.out.findingsBox(), func(tok string) {
		if s.inspect != nil {
			s.inspect(tok)
		}
	})
	s.save = newMigrateSave(svc, win, do, &s.busy, s.status, s.opts.audienceText, func() {
		if s.onProfilesChanged != nil {
			s.onProfilesChanged()
		}
	})
	// Last: the defaults fire callbacks that touch every panel.
	s.opts.start()
	s.obj = s.layout()
	return s
}

// layout places the panels: the input and its options on the left; the
// calls of a HAR, the new request, its findings and answers on the right.
func (s *migrateScreen) layout() fyne.CanvasObject {
	left := border(nil, s.opts.view(), nil, nil, s.in.view())
	out := border(
		// Two rows: the whole bar stays in a 900 px window.
		container.NewVBox(s.status, s.out.bar(), container.NewHBox(s.save.button(), s.answers.bar())),
		nil, nil, nil,
		container.NewVSplit(s.out.view(), s.answers.view()),
	)
	right := border(nil, nil, s.list.view(), nil, out)
	split := container.NewHSplit(left, right)
	split.Offset = 0.42
	return split
}

// view is the screen's layout, the same one every time.
func (s *migrateScreen) view() fyne.CanvasObject { return s.obj }

func (s *migrateScreen) focus() { s.in.focus() }

// onOpen asks for a file holding a legacy call or a HAR export.
func (s *migrateScreen) onOpen() { s.in.onOpen() }

// loadFile reads a legacy call or a HAR export into the input.
func (s *migrateScreen) loadFile(r io.ReadCloser) { s.in.loadFile(r) }

// setInput hands a legacy request to the screen (Scan's Open in Migrate).
// What Send or Compare answered belongs to the request shown before: it
// goes at once, even when the request handed over is the same text.
func (s *migrateScreen) setInput(text string) {
	s.answers.stop()
	s.answers.clear()
	s.in.setInput(text)
}

// parsed takes a new parse of the input (nil: nothing to migrate).
func (s *migrateScreen) parsed(batch *migrate.Batch) {
	s.batch = batch
	s.list.reset()
	s.rewrite()
}

// rewrite rewrites the input with the options, and shows the result.
func (s *migrateScreen) rewrite() {
	// Whatever was sent answers a request no longer shown: cancel it, and
	// take its answer (tokens, Inspect buttons, a refresh token) away.
	s.answers.stop()
	s.answers.clear()
	var results []migrate.Result
	if s.batch != nil {
		results = migrate.RewriteAll(s.batch, s.opts.options())
		s.in.summarize(s.batch, results)
	}
	s.list.set(results)
	s.render()
}

// render shows the selected request and offers what can be done with it.
func (s *migrateScreen) render() {
	r := s.list.current()
	s.save.offer(nil)
	s.answers.offer(nil, nil)
	noCalls := s.batch != nil && len(s.batch.Requests) == 0
	format, reveal := s.opts.render()
	if !s.out.show(r, noCalls, format, reveal) {
		return
	}
	s.save.offer(r)
	var legacy *migrate.Legacy
	if i := s.list.index(); s.batch != nil && i < len(s.batch.Requests) {
		legacy = &s.batch.Requests[i]
	}
	s.answers.offer(r, legacy)
}

// onDemoChanged shows Compare only while the demo tenant runs (it talks
// to nothing else), and rewrites the current input against it.
func (s *migrateScreen) onDemoChanged() {
	s.answers.demoChanged()
	s.rewrite()
}
