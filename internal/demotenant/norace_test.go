//go:build !race

package demotenant

const raceEnabled = false
