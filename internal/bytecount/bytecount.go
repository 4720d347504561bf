// Package bytecount counts bytes: a reader that counts what passes through
// it, and the one wording of a byte count for people (512 bytes, 3.4 KB,
// 48.8 MB).
package bytecount

import (
	"fmt"
	"io"
)

// CountingReader counts the bytes read through it.
type CountingReader struct {
	R io.Reader
	N int64
}

func (c *CountingReader) Read(p []byte) (int, error) {
	n, err := c.R.Read(p)
	c.N += int64(n)
	return n, err
}

// Size writes a byte count for people: 512 bytes, 3.4 KB, 48.8 MB.
func Size(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
