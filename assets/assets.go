// Package assets holds Tokenscope's embedded resources.
package assets

import _ "embed"

// IconPNG is the app icon (512×512): three token segments under a lens.
//
//go:embed icon.png
var IconPNG []byte
