package ui

import (
	"os"
	"sync"
	"testing"
	"time"
)

// TestMain runs the UI tests with no debounce: they type and read at once,
// instead of waiting for the delays a person needs.
func TestMain(m *testing.M) {
	debounce = func(time.Duration) time.Duration { return 0 }
	os.Exit(m.Run())
}

// A burst of input becomes one piece of work with the app's real delay,
// and only the newest result is applied.
func TestABurstOfInputIsDebouncedIntoOneRun(t *testing.T) {
	defer func(d func(time.Duration) time.Duration) { debounce = d }(debounce)
	debounce = func(d time.Duration) time.Duration { return d }
	var busy sync.WaitGroup
	l := latest{busy: &busy}
	b := &testBridge{}
	var mu sync.Mutex
	var ran, applied []int
	for i := range 3 {
		l.after(50*time.Millisecond, b.Do, func() func() {
			mu.Lock()
			ran = append(ran, i)
			mu.Unlock()
			return func() { applied = append(applied, i) }
		})
	}
	busy.Wait()
	b.drain()
	if len(ran) != 1 || ran[0] != 2 || len(applied) != 1 || applied[0] != 2 {
		t.Fatalf("ran %v, applied %v", ran, applied)
	}
}
