package migrate

import (
	"io"
	"strings"
	"testing"
)

// endless is a HAR whose one entry never ends.
type endless struct {
	head string
	n    int
}

func (e *endless) Read(p []byte) (int, error) {
	if e.head != "" {
		n := copy(p, e.head)
		e.head = e.head[n:]
		return n, nil
	}
	for i := range p {
		p[i] = 'a'
	}
	e.n += len(p)
	return len(p), nil
}

var _ io.Reader = (*endless)(nil)

// TestAHARValueLargerThanTheInputLimitIsRefused: one entry that never
// ends stops the stream at the input limit, with the limit in the message,
// instead of filling memory.
func TestAHARValueLargerThanTheInputLimitIsRefused(t *testing.T) {
	t.Parallel()
	_, err := ParseReader(&endless{head: `{"log":{"entries":[{"request":{"url":"`})
	if err == nil || !strings.Contains(err.Error(), "larger than 64 MB") {
		t.Fatalf("%v", err)
	}
}

// A HAR with a second top-level log is refused, pasted or opened:
// encoding/json would keep the last and a stream the first, so which
// requests it holds depends on the reader.
func TestAHARWithTwoLogsIsRefused(t *testing.T) {
	t.Parallel()
	in := `{"log":{"entries":[{"request":{"method":"POST","url":"https://t.example.com/delegation"}}]},"LOG":{"entries":[]}}`
	_, perr := Parse([]byte(in))
	_, rerr := ParseReader(strings.NewReader(in))
	for _, err := range []error{perr, rerr} {
		if err == nil || !strings.Contains(err.Error(), `second "LOG" member`) || !strings.Contains(err.Error(), "export it again") {
			t.Fatalf("Parse: %v; ParseReader: %v", perr, rerr)
		}
	}
}
