# Tokenscope. `make run` opens the app; `make test` runs every test.
# Both install the Debian packages they need first (apt-get, with sudo when
# not root). Go 1.26 or newer must be on PATH.

SHELL := /bin/bash
GO ?= go
TAGS := migrated_fynedo
BIN := tokenscope
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
GOBIN := $(shell $(GO) env GOPATH 2>/dev/null)/bin

# Fyne's cgo build (GLFW, OpenGL, X11).
BUILD_PKGS := gcc pkg-config libc6-dev libgl1-mesa-dev libx11-dev libxcursor-dev \
	libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev
# The smoke test (a real window under Xvfb and a screenshot), the keyring
# tests (gnome-keyring's Secret Service on a private D-Bus session) and the
# sign-in tests (a real headless Chromium driven over CDP).
TEST_PKGS := $(BUILD_PKGS) xvfb x11-utils xdotool imagemagick gnome-keyring dbus-x11 libsecret-tools chromium

export LANG := C
export CGO_ENABLED := 1

.PHONY: run build test deps-run deps-test check-go lint unit test-peers smoke screenshots bench bench-window fuzz clean

run: deps-run build
	./$(BIN)

build: check-go
	$(GO) build -tags $(TAGS) -o $(BIN) .

deps-run:
	@scripts/install-deps.sh $(BUILD_PKGS)

deps-test:
	@scripts/install-deps.sh $(TEST_PKGS)

check-go:
	@command -v $(GO) >/dev/null || { echo "Go is not on PATH: install Go 1.26 or newer from go.dev/dl and add it to PATH" >&2; exit 1; }

test: deps-test check-go lint unit smoke

lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change:" $$unformatted >&2; exit 1; fi
	$(GO) vet -tags $(TAGS) ./...
	@test -x $(GOBIN)/staticcheck || GOFLAGS= $(GO) install $(STATICCHECK)
	$(GOBIN)/staticcheck -tags $(TAGS) ./...

# The second OpenID provider the sign-in tests run against (issue 18):
# panva's oidc-provider, a Node program. npm ci installs the committed lock
# file into a cache outside the work tree, keyed on the lock file's hash;
# the tests find it through TOKENSCOPE_OIDC_PROVIDER_DIR.
PEER_SRC := internal/testop/panva
OIDC_PROVIDER_DIR := $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/tokenscope/oidc-provider/$(shell sha256sum $(PEER_SRC)/package-lock.json | cut -c1-16)

test-peers:
	@command -v node >/dev/null && command -v npm >/dev/null || scripts/install-deps.sh nodejs npm
	@[ "$$(node -p 'process.versions.node.split(".")[0]')" -ge 20 ] || { echo "test-peers: oidc-provider 9 needs Node.js 20 or newer (22 LTS supported), and this node is $$(node --version): install a newer nodejs (Debian 13's, or NodeSource's for Debian 12)" >&2; exit 1; }
	@test -f $(OIDC_PROVIDER_DIR)/node_modules/oidc-provider/package.json || { \
		tmp=$(OIDC_PROVIDER_DIR).tmp.$$$$; rm -rf $$tmp && mkdir -p $$tmp && \
		cp $(PEER_SRC)/package.json $(PEER_SRC)/package-lock.json $$tmp/ && \
		echo "test-peers: npm ci oidc-provider into $(OIDC_PROVIDER_DIR)" && \
		(cd $$tmp && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) && \
		rm -rf $(OIDC_PROVIDER_DIR) && mv $$tmp $(OIDC_PROVIDER_DIR); }

# Every Go test, with the race detector; the keyring tests run against a
# real gnome-keyring on a private D-Bus session (scripts/with-keyring.sh).
unit: export TOKENSCOPE_OIDC_PROVIDER_DIR := $(OIDC_PROVIDER_DIR)
unit: test-peers
	scripts/with-keyring.sh $(GO) test -race -tags $(TAGS) -count=1 ./...
	@$(GO) test -tags $(TAGS) -count=1 -run '^TestCorpusRecallAndFalseReports$$' ./scan -v | grep '^scan corpus:'

# The smoke test's screenshot goes to a temporary file: make test leaves the
# working tree as it found it. `make screenshots` refreshes the README's
# image, by hand, when the UI changes.
smoke: build
	@shot=$$(mktemp -d)/screenshot.png; scripts/smoke.sh ./$(BIN) $$shot; rm -rf $$(dirname $$shot)

screenshots: deps-test build
	scripts/smoke.sh ./$(BIN) docs/screenshot.png
	@mkdir -p docs/screens
	@for s in Clients Exchange Inspect Migrate Scan; do for t in light dark; do \
		typ=0; [ $$s = Inspect ] && typ=1; \
		scan=; [ $$s = Scan ] && scan=scan/testdata/corpus; \
		SMOKE_TYPE=$$typ TOKENSCOPE_SCREEN=$$s TOKENSCOPE_SCAN=$$scan FYNE_THEME=$$t scripts/smoke.sh ./$(BIN) docs/screens/$$s-$$t.png || exit 1; \
	done; done

# ripgrep is the scanner's floor: the same tree searched for the endpoint names.
bench: check-go
	@scripts/install-deps.sh ripgrep
	scripts/bench.sh $(GO) $(TAGS)

# The window's memory over a three-minute session of pasted tokens (Xvfb).
bench-window: deps-test build
	scripts/window-session.sh ./$(BIN)

# A short run of every fuzz target (go test -fuzz takes one at a time).
fuzz:
	@for pkg in $$($(GO) list ./...); do \
		for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
			echo "fuzz $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime 20s $$pkg || exit 1; \
		done; \
	done

clean:
	rm -f $(BIN)
