package ui

import "fyne.io/fyne/v2"

// uiDo is the one bridge from background work to widgets: every update a
// goroutine makes goes through it. The app passes fyne.Do; tests pass a
// queue they apply on their own goroutine, so widgets are only ever
// touched from one goroutine, as in the real driver.
type uiDo func(func())

func fyneDo(f func()) { fyne.Do(f) }
