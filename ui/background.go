package ui

import (
	"io"
	"sync"
	"time"

	"fyne.io/fyne/v2/widget"
)

// latest runs background work whose result only counts while it is the
// newest: a burst of keystrokes becomes one decode, and a slow result for
// old input never overwrites a newer one. Its methods are called on the UI
// goroutine. busy counts work in flight (tests wait on it).
type latest struct {
	busy  *sync.WaitGroup
	gen   int
	timer *time.Timer
}

// cancel drops pending work and makes in-flight work's result stale.
func (l *latest) cancel() {
	l.gen++
	if l.timer != nil && l.timer.Stop() {
		l.busy.Done() // it will never run
	}
	l.timer = nil
}

// DefaultTypingPause is how long typing must pause before the window
// decodes or parses what was typed (Services.TypingPause).
const DefaultTypingPause = 250 * time.Millisecond

// after cancels earlier work, runs work after delay off the UI goroutine,
// then the func it returns through do, unless newer work came meanwhile.
func (l *latest) after(delay time.Duration, do uiDo, work func() (apply func())) {
	l.cancel()
	gen := l.gen
	l.busy.Add(1)
	l.timer = time.AfterFunc(delay, func() {
		defer l.busy.Done()
		apply := work()
		do(func() {
			if gen == l.gen {
				apply()
			}
		})
	})
}

// readInBackground reads at most limit+1 bytes of r off the UI goroutine
// (so the caller can tell "too large") and hands them to done through do.
func readInBackground(busy *sync.WaitGroup, do uiDo, r io.ReadCloser, limit int64, done func([]byte, error)) {
	busy.Add(1)
	go func() {
		defer busy.Done()
		defer r.Close()
		b, err := io.ReadAll(io.LimitReader(r, limit+1))
		do(func() { done(b, err) })
	}()
}

// holdLargeText shows "[5.0 MB pasted: …]" in a disabled entry instead of
// text too large to lay out, without firing the entry's OnChanged.
func holdLargeText(e *widget.Entry, size int, verb string) {
	onChanged := e.OnChanged
	e.OnChanged = nil
	e.SetText("[" + humanBytes(size) + " " + verb + ": too large to edit here. Clear to start again.]")
	e.OnChanged = onChanged
	e.Disable()
}
