package exchange

import (
	"encoding/json"
	"errors"
	"os"
	"sync"
	"time"

	"github.com/tokenscope/tokenscope/internal/atomicfile"
)

// HistoryLimit is how many exchanges the history keeps.
const HistoryLimit = 100

// Entry is one exchange in the history. It never holds a token or secret.
type Entry struct {
	Time       time.Time `json:"time"`
	Profile    string    `json:"profile"`
	Endpoint   string    `json:"endpoint"`
	Status     int       `json:"status"` // 0: no response
	DurationMS int64     `json:"duration_ms"`
	Error      string    `json:"error,omitempty"` // the OAuth error code, or "network"
	Rotated    bool      `json:"rotated,omitempty"`
}

// History is history.json beside the profiles file.
type History struct {
	Path string
	mu   sync.Mutex
}

// Load returns the entries, newest first.
func (h *History) Load() ([]Entry, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.load()
}

func (h *History) load() ([]Entry, error) {
	b, err := os.ReadFile(h.Path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var es []Entry
	if err := json.Unmarshal(b, &es); err != nil {
		return nil, nil // history is a convenience: a damaged file starts over
	}
	return es, nil
}

// Add records an entry, keeping the newest HistoryLimit.
func (h *History) Add(e Entry) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	es, err := h.load()
	if err != nil {
		return err
	}
	es = append([]Entry{e}, es...)
	if len(es) > HistoryLimit {
		es = es[:HistoryLimit]
	}
	b, _ := json.MarshalIndent(es, "", "  ")
	return atomicfile.Write(h.Path, b, 0o600)
}

// EntryFor summarises a refresh for the history.
func EntryFor(profile, endpoint string, start time.Time, resp *Response, err error) Entry {
	e := Entry{Time: start.UTC(), Profile: profile, Endpoint: endpoint, DurationMS: time.Since(start).Milliseconds()}
	var xe *Error
	switch {
	case resp != nil:
		e.Status, e.Rotated = resp.Status, resp.Rotated
	case errors.As(err, &xe):
		e.Status, e.Error = xe.Status, xe.Code
		if xe.Status == 0 {
			e.Error = "network"
		} else if e.Error == "" {
			e.Error = "http_error"
		}
	case err != nil:
		e.Error = "not_sent"
	}
	return e
}
