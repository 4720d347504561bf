package migrate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/tokenscope/tokenscope/internal/bytecount"
	"github.com/tokenscope/tokenscope/internal/jsonx"
)

// ParseReader is Parse for a file or standard input. A HAR (a JSON object
// whose first member is "log", as browsers write them) is read as a
// stream, one entry at a time, so a 50 MB export never sits in memory
// whole; anything else is read (up to MaxInput) and given to Parse.
//
// Each value's bytes are found and validated by internal/jsonx (what
// json.Valid accepts, nothing else), and only an entry that may call a
// legacy endpoint is decoded: one pass over most of the file, not
// encoding/json's two (FuzzParseReaderAgreesWithParse holds it to Parse).
func ParseReader(r io.Reader) (*Batch, error) {
	w, counted, har, err := openHAR(r)
	if err != nil {
		return nil, err
	}
	if !har {
		return parseAll(w.replay())
	}
	return streamHAR(w, counted)
}

// openHAR reads up to the first member's name: a HAR is a JSON object
// whose first member is "log" (as browsers write them). Until then every
// byte is kept, so that anything else can be read again from the start
// (w.replay).
func openHAR(r io.Reader) (w *window, counted *bytecount.CountingReader, har bool, err error) {
	counted = &bytecount.CountingReader{R: r}
	w = &window{r: counted, keep: true}
	if err := w.skipSpace(); err != nil {
		return nil, nil, false, &ParseError{Msg: "reading the input: " + err.Error()}
	}
	if c, ok := w.peek(); !ok || c != '{' {
		return w, counted, false, nil
	}
	w.off++
	if err := w.skipSpace(); err != nil {
		return nil, nil, false, &ParseError{Msg: "reading the input: " + err.Error()}
	}
	name, err := w.key()
	if err != nil || !strings.EqualFold(name, "log") {
		return w, counted, false, nil
	}
	w.keep = false
	return w, counted, true, nil
}

func parseAll(r io.Reader) (*Batch, error) {
	in, err := io.ReadAll(io.LimitReader(r, MaxInput+1))
	if err != nil {
		return nil, &ParseError{Msg: "reading the input: " + err.Error()}
	}
	return Parse(in)
}

// streamHAR reads the value of "log" and the rest of the file.
func streamHAR(w *window, counted *bytecount.CountingReader) (*Batch, error) {
	b := &Batch{Form: FormHAR}
	fail := func(err error) (*Batch, error) {
		if counted.N > MaxInput {
			return nil, &ParseError{Msg: fmt.Sprintf("the input is larger than %d MB", MaxInput>>20)}
		}
		var pe *ParseError
		if errors.As(err, &pe) {
			return nil, pe
		}
		return nil, &ParseError{Msg: fmt.Sprintf("this looks like a HAR file but its log cannot be read (near byte %d): %v", w.offset(), err)}
	}
	if err := w.expect(':'); err != nil {
		return fail(err)
	}
	if err := w.expect('{'); err != nil {
		return fail(err)
	}
	entries := -1
	err := w.members(false, func(name string) error {
		if !strings.EqualFold(name, "entries") {
			_, err := w.value(3)
			return err
		}
		if err := w.expect('['); err != nil {
			return err
		}
		// A second "entries" replaces the first, as encoding/json (and so
		// Parse) would have it.
		b, entries = &Batch{Form: FormHAR}, 0
		return w.elements(func() error {
			raw, err := w.value(4)
			if err != nil {
				return err
			}
			var e harEntry
			if err := e.UnmarshalJSON(raw); err != nil {
				return err
			}
			entries++
			if err := b.addHAREntry(entries, &e); err != nil {
				return err
			}
			if counted.N > MaxInput {
				return errTooLarge
			}
			return nil
		})
	})
	if err != nil {
		return fail(err)
	}
	// Members after "log" (none in browsers' exports). A second log would
	// leave which one counts to the reader (encoding/json takes the last,
	// a stream the first), so it is refused.
	if err := w.members(true, func(name string) error {
		if strings.EqualFold(name, "log") {
			return &ParseError{Msg: fmt.Sprintf("this HAR file has a second %q member (near byte %d): export it again from the browser", name, w.offset())}
		}
		_, err := w.value(2)
		return err
	}); err != nil {
		return fail(err)
	}
	if err := w.skipSpace(); err != nil {
		return fail(err)
	}
	if _, more := w.peek(); more {
		return fail(errors.New("there is more after the end of the HAR's JSON"))
	}
	if entries <= 0 {
		return nil, errNoHAREntries
	}
	return b, nil
}

var errTooLarge = errors.New("too large")

// window is the part of the input being read: buf[off:] is unread. Reads
// come in chunks; a value is only ever looked at whole, so a value that
// runs past the end of buf is read again once more bytes are in.
type window struct {
	r    io.Reader
	buf  []byte
	off  int
	base int64 // the input offset of buf[0]
	eof  bool
	err  error
	keep bool // keep every byte from the start (for replay)
}

const windowChunk = 256 << 10

// fill reads more input, at least as much as buf holds (so rereading a
// long value costs a bounded multiple of its size); false at the end.
func (w *window) fill() bool {
	if w.eof || w.err != nil {
		return false
	}
	if w.base+int64(len(w.buf)) > MaxInput { // one huge value cannot hold the whole input in memory
		w.err = errTooLarge
		return false
	}
	if !w.keep && w.off > 0 {
		n := copy(w.buf, w.buf[w.off:])
		w.base += int64(w.off)
		w.buf, w.off = w.buf[:n], 0
	}
	want := max(windowChunk, len(w.buf))
	if cap(w.buf)-len(w.buf) < want {
		nb := make([]byte, len(w.buf), len(w.buf)+want)
		copy(nb, w.buf)
		w.buf = nb
	}
	n, err := io.ReadAtLeast(w.r, w.buf[len(w.buf):cap(w.buf)], 1)
	w.buf = w.buf[:len(w.buf)+n]
	switch {
	case err == io.EOF || err == io.ErrUnexpectedEOF:
		w.eof = true
	case err != nil:
		w.err = err
	}
	return n > 0
}

// replay is the whole input again, from its first byte.
func (w *window) replay() io.Reader {
	return io.MultiReader(bytes.NewReader(w.buf), w.r)
}

func (w *window) offset() int64 { return w.base + int64(w.off) }

func (w *window) skipSpace() error {
	for {
		for w.off < len(w.buf) {
			switch w.buf[w.off] {
			case ' ', '\t', '\r', '\n':
				w.off++
				continue
			}
			return nil
		}
		if !w.fill() {
			return w.err
		}
	}
}

// peek is the next byte after white space; ok is false at the end.
func (w *window) peek() (byte, bool) {
	if w.off < len(w.buf) {
		return w.buf[w.off], true
	}
	return 0, false
}

func (w *window) expect(c byte) error {
	if err := w.skipSpace(); err != nil {
		return err
	}
	if got, ok := w.peek(); !ok || got != c {
		return fmt.Errorf("expected %q", string(c))
	}
	w.off++
	return nil
}

// scan runs f on the unread bytes until it succeeds with bytes to spare
// (a number at the end of buf may go on) or the input ends.
func (w *window) scan(f func(*jsonx.Scanner) error) ([]byte, error) {
	if err := w.skipSpace(); err != nil {
		return nil, err
	}
	for {
		s := jsonx.Scanner{B: w.buf, I: w.off}
		err := f(&s)
		if err == nil && (s.I < len(w.buf) || w.eof) {
			raw := w.buf[w.off:s.I]
			w.off = s.I
			return raw, nil
		}
		if !w.fill() {
			if w.err != nil {
				return nil, w.err
			}
			if err == nil {
				raw := w.buf[w.off:s.I]
				w.off = s.I
				return raw, nil
			}
			return nil, err
		}
	}
}

// value reads one value at depth (the top-level object is 1); its bytes
// are valid until the next read.
func (w *window) value(depth int) ([]byte, error) {
	return w.scan(func(s *jsonx.Scanner) error { return s.Skip(depth) })
}

// key reads a member name, decoded as encoding/json decodes it.
func (w *window) key() (string, error) {
	raw, err := w.scan(func(s *jsonx.Scanner) error { return s.SkipString() })
	if err != nil {
		return "", err
	}
	return memberName(raw)
}

// memberName decodes a member name's string literal as encoding/json does.
func memberName(raw []byte) (string, error) {
	if !jsonx.HasEscape(raw) {
		return string(raw[1 : len(raw)-1]), nil // invalid UTF-8 is compared as is: it never folds to "log"
	}
	var name string
	if err := json.Unmarshal(raw, &name); err != nil {
		return "", err
	}
	return name, nil
}

// firstMemberIsLog is openHAR's test on bytes already in memory, without
// the stream's buffer: a pasted body is not a HAR most of the time.
func firstMemberIsLog(b []byte) bool {
	s := jsonx.Scanner{B: b}
	s.SkipSpace()
	if s.I >= len(b) || b[s.I] != '{' {
		return false
	}
	s.I++
	s.SkipSpace()
	start, _, err := s.ScanString()
	if err != nil {
		return false
	}
	name, err := memberName(b[start:s.I])
	return err == nil && strings.EqualFold(name, "log")
}

// members reads an object's members up to its closing brace, handing
// each name to f with the value unread; started says members were read
// already (the next one needs a comma before it).
func (w *window) members(started bool, f func(name string) error) error {
	for first := !started; ; first = false {
		if err := w.skipSpace(); err != nil {
			return err
		}
		if c, ok := w.peek(); ok && c == '}' {
			w.off++
			return nil
		}
		if !first {
			if err := w.expect(','); err != nil {
				return err
			}
		}
		name, err := w.key()
		if err != nil {
			return err
		}
		if err := w.expect(':'); err != nil {
			return err
		}
		if err := f(name); err != nil {
			return err
		}
	}
}

// elements reads an array's elements up to its closing bracket (the
// opening one already read), calling f with each element unread.
func (w *window) elements(f func() error) error {
	for first := true; ; first = false {
		if err := w.skipSpace(); err != nil {
			return err
		}
		if c, ok := w.peek(); ok && c == ']' && first {
			w.off++
			return nil
		}
		if !first {
			c, ok := w.peek()
			if ok && c == ']' {
				w.off++
				return nil
			}
			if err := w.expect(','); err != nil {
				return err
			}
		}
		if err := f(); err != nil {
			return err
		}
	}
}
