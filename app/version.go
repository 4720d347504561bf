package app

import (
	_ "embed"
	"runtime/debug"
	"strings"

	"github.com/BurntSushi/toml"
)

// The app metadata lives in FyneApp.toml at the module root; main embeds
// it and passes it here so the CLI and the About dialog agree with the
// packaged app.
var metadataTOML []byte

// Metadata is the [Details] table of FyneApp.toml.
type Metadata struct {
	Icon    string
	Name    string
	ID      string
	Version string
	Build   int
}

// SetMetadataTOML records FyneApp.toml's contents (called by main).
func SetMetadataTOML(b []byte) { metadataTOML = b }

// LoadMetadata parses FyneApp.toml.
func LoadMetadata() Metadata {
	var f struct{ Details Metadata }
	if _, err := toml.Decode(string(metadataTOML), &f); err != nil || f.Details.Name == "" {
		return Metadata{Name: "Tokenscope", ID: "io.github.tokenscope", Version: "dev"}
	}
	return f.Details
}

// Version is the app version, with the VCS revision when the binary has one.
func Version() string {
	v := LoadMetadata().Version
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 7 {
				return v + " (" + strings.TrimSpace(s.Value[:7]) + ")"
			}
		}
	}
	return v
}
