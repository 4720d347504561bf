package ui

import (
	"sync"
	"testing"
	"time"
)

// A burst of input becomes one piece of work with the app's real delay,
// and only the newest result is applied.
func TestABurstOfInputIsDebouncedIntoOneRun(t *testing.T) {
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
