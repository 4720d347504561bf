package migrate

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/tokenscope/tokenscope/internal/iox"
)

// ParseReader is Parse for a file or standard input. A HAR (a JSON object
// whose first member is "log", as browsers write them) is read as a
// stream, one entry at a time, so a 50 MB export never sits in memory
// whole; anything else is read (up to MaxInput) and given to Parse.
func ParseReader(r io.Reader) (*Batch, error) {
	counted := &iox.CountingReader{R: r}
	br := bufio.NewReaderSize(counted, 64<<10)
	first, err := firstNonSpace(br)
	if err != nil {
		return nil, &ParseError{Msg: "reading the input: " + err.Error()}
	}
	if first != '{' {
		return parseAll(br)
	}
	// Record what the decoder reads until the first member's name says
	// whether this is a HAR: if not, Parse gets those bytes back.
	rec := &recordingReader{r: br}
	dec := json.NewDecoder(rec)
	if _, err := dec.Token(); err != nil { // '{'
		return parseAll(io.MultiReader(bytes.NewReader(rec.buf), br))
	}
	key, err := dec.Token()
	if name, ok := key.(string); err != nil || !ok || !strings.EqualFold(name, "log") {
		return parseAll(io.MultiReader(bytes.NewReader(rec.buf), br))
	}
	rec.buf, rec.off = nil, true
	b, err := streamHAR(dec, counted)
	if err != nil {
		return nil, err
	}
	return b, nil
}

func parseAll(r io.Reader) (*Batch, error) {
	in, err := io.ReadAll(io.LimitReader(r, MaxInput+1))
	if err != nil {
		return nil, &ParseError{Msg: "reading the input: " + err.Error()}
	}
	return Parse(in)
}

// streamHAR reads the value of "log" and the rest of the file.
func streamHAR(dec *json.Decoder, counted *iox.CountingReader) (*Batch, error) {
	b := &Batch{Form: FormHAR}
	fail := func(err error) (*Batch, error) {
		if counted.N > MaxInput {
			return nil, &ParseError{Msg: fmt.Sprintf("the input is larger than %d MB", MaxInput>>20)}
		}
		var pe *ParseError
		if errors.As(err, &pe) {
			return nil, pe
		}
		return nil, &ParseError{Msg: fmt.Sprintf("this looks like a HAR file but its log cannot be read (near byte %d): %v", dec.InputOffset(), err)}
	}
	if err := expectDelim(dec, '{'); err != nil {
		return fail(err)
	}
	entries := -1
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return fail(err)
		}
		if name, _ := key.(string); !strings.EqualFold(name, "entries") {
			if err := skipValue(dec); err != nil {
				return fail(err)
			}
			continue
		}
		if err := expectDelim(dec, '['); err != nil {
			return fail(err)
		}
		// A second "entries" replaces the first, as encoding/json (and so
		// Parse) would have it.
		b, entries = &Batch{Form: FormHAR}, 0
		for dec.More() {
			var e harEntry
			if err := dec.Decode(&e); err != nil {
				return fail(err)
			}
			entries++
			if err := b.addHAREntry(entries, &e); err != nil {
				return fail(err)
			}
			if counted.N > MaxInput {
				return fail(nil)
			}
		}
		if err := expectDelim(dec, ']'); err != nil {
			return fail(err)
		}
	}
	if err := expectDelim(dec, '}'); err != nil { // the end of "log"
		return fail(err)
	}
	for dec.More() { // members after "log" (none in browsers' exports)
		if _, err := dec.Token(); err != nil {
			return fail(err)
		}
		if err := skipValue(dec); err != nil {
			return fail(err)
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return fail(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fail(errors.New("there is more after the end of the HAR's JSON"))
	}
	if entries <= 0 {
		return nil, errNoHAREntries
	}
	return b, nil
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("expected %q, found %v", string(want), tok)
	}
	return nil
}

// skipValue reads one value without keeping it.
func skipValue(dec *json.Decoder) error {
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}

func firstNonSpace(br *bufio.Reader) (byte, error) {
	for i := 1; ; i++ {
		b, err := br.Peek(i)
		if len(b) < i {
			if err == io.EOF {
				return 0, nil
			}
			return 0, err
		}
		switch b[i-1] {
		case ' ', '\t', '\r', '\n':
			if i >= br.Size() {
				return 0, nil
			}
			continue
		}
		return b[i-1], nil
	}
}

// recordingReader keeps a copy of what it reads until off is set.
type recordingReader struct {
	r   io.Reader
	buf []byte
	off bool
}

func (r *recordingReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if !r.off {
		r.buf = append(r.buf, p[:n]...)
	}
	return n, err
}
