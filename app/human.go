package app

import (
	"fmt"
	"io"
	"reflect"

	"github.com/tokenscope/tokenscope/internal/safetext"
)

// say writes human output: the format is ours, every argument is data
// (a claim, a file name, a server's message, a profile's field) and is
// shown with control, BiDi and zero-width characters made visible, so a
// value can neither drive the terminal nor forge a line. --json output
// never goes through it: it is exact.
func say(w io.Writer, format string, a ...any) {
	args := make([]any, len(a))
	for i, v := range a {
		args[i] = visible(v)
	}
	fmt.Fprintf(w, format, args...)
}

func visible(v any) any {
	switch x := v.(type) {
	case nil:
		return v
	case string:
		return safetext.Line(x)
	case error:
		return safetext.Line(x.Error())
	case fmt.Stringer:
		return safetext.Line(x.String())
	}
	switch reflect.TypeOf(v).Kind() {
	case reflect.Map, reflect.Slice, reflect.Array, reflect.Struct, reflect.Pointer, reflect.Interface, reflect.String:
		return safetext.Line(fmt.Sprint(v))
	}
	return v // numbers and booleans
}
