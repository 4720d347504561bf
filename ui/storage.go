package ui

import (
	"io"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
)

func storageReader(u fyne.URI) (io.ReadCloser, error) { return storage.Reader(u) }
