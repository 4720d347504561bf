//go:build race

package demotenant

// raceEnabled: the race detector's own memory (several hundred KB for
// each goroutine that ever ran) dwarfs the tenant's in RSS.
const raceEnabled = true
