# Tokenscope. `make run` opens the app; `make test` runs every test.
# Both install the Debian packages they need first (apt-get, with sudo when
# not root). Go 1.26 or newer must be on PATH.

SHELL := /bin/bash
GO ?= go
# migrated_fynedo: Fyne's fyne.Do threading. no_emoji: Fyne leaves out its
# 4 MB colour emoji font, which it parsed once per text style on screen
# (27 MB of the window's resident size); an emoji in a claim is drawn with
# the system's emoji font when there is one.
TAGS := migrated_fynedo,no_emoji
BIN := tokenscope
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
# errorlint: an error formatted into another is wrapped with %w (so errors.Is
# and errors.As see it), and errors are matched with errors.Is/As, not ==.
ERRORLINT := codeberg.org/polyfloyd/go-errorlint@v1.9.1
GOBIN := $(shell $(GO) env GOPATH 2>/dev/null)/bin

# Fyne's cgo build (GLFW, OpenGL, X11).
BUILD_PKGS := gcc pkg-config libc6-dev libgl1-mesa-dev libx11-dev libxcursor-dev \
	libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev
# The smoke test (a real window under Xvfb and a screenshot), the keyring
# tests (gnome-keyring's Secret Service on a private D-Bus session) and the
# sign-in tests (a real headless Chromium driven over CDP), and the package
# test (the .desktop and AppStream validators, dpkg-shlibdeps).
TEST_PKGS := $(BUILD_PKGS) xvfb x11-utils xdotool imagemagick gnome-keyring dbus-x11 libsecret-tools chromium \
	desktop-file-utils appstream dpkg-dev

export LANG := C
export CGO_ENABLED := 1

.PHONY: docs run build test deps-run deps-test check-go lint unit test-peers smoke screenshots bench bench-window fuzz clean

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

test: deps-test check-go lint unit smoke package-test

lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change:" $$unformatted >&2; exit 1; fi
	$(GO) vet -tags $(TAGS) ./...
	CGO_ENABLED=0 $(GO) vet -tags headless . ./app
	@test -x $(GOBIN)/staticcheck || GOFLAGS= $(GO) install $(STATICCHECK)
	$(GOBIN)/staticcheck -tags $(TAGS) ./...
	@test -x $(GOBIN)/go-errorlint || GOFLAGS= $(GO) install $(ERRORLINT)
	GOFLAGS=-tags=$(TAGS) $(GOBIN)/go-errorlint -errorf -test=false ./...
	CGO_ENABLED=0 GOFLAGS=-tags=headless $(GOBIN)/go-errorlint -errorf -test=false . ./app

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

# The SARIF 2.1.0 JSON schema the scanner's output is validated against,
# from Microsoft's @microsoft/jest-sarif package (MIT) on npm, unpacked into
# a cache outside the tree: make test leaves the working tree unchanged.
SARIF_SCHEMA_PKG := @microsoft/jest-sarif@1.0.0-beta.0
SARIF_SCHEMA := $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/tokenscope/sarif-schema/sarif-2.1.0-rtm.5.json
$(SARIF_SCHEMA):
	@command -v npm >/dev/null || scripts/install-deps.sh npm
	@tmp=$$(mktemp -d) && (cd $$tmp && npm pack --silent $(SARIF_SCHEMA_PKG) >/dev/null && \
		tar xzf *.tgz package/lib/schemas/sarif-2.1.0-rtm.5.json) && \
		mkdir -p $(dir $(SARIF_SCHEMA)) && mv $$tmp/package/lib/schemas/sarif-2.1.0-rtm.5.json $(SARIF_SCHEMA) && rm -rf $$tmp

# Every Go test, with the race detector; the keyring tests run against a
# real gnome-keyring on a private D-Bus session (scripts/with-keyring.sh).
unit: export TOKENSCOPE_OIDC_PROVIDER_DIR := $(OIDC_PROVIDER_DIR)
unit: export TOKENSCOPE_SARIF_SCHEMA := $(SARIF_SCHEMA)
unit: test-peers $(SARIF_SCHEMA)
	scripts/with-keyring.sh $(GO) test -race -tags $(TAGS) -count=1 ./...
	# The command line again as the headless build (no Fyne, CGO_ENABLED=0),
	# against the same demo tenant and keyring.
	scripts/with-keyring.sh env CGO_ENABLED=0 $(GO) test -tags headless -count=1 ./app
	@$(GO) test -tags $(TAGS) -count=1 -run '^TestCorpusRecallAndFalseReports$$' ./scan -v | grep '^scan corpus:'

# The smoke test's screenshot goes to a temporary file: make test leaves the
# working tree as it found it. `make screenshots` refreshes the README's
# image, by hand, when the UI changes.
smoke: build
	@shot=$$(mktemp -d)/screenshot.png; scripts/smoke.sh ./$(BIN) $$shot; rm -rf $$(dirname $$shot)

screenshots: deps-test build
	scripts/smoke.sh ./$(BIN) docs/screenshot.png
	@mkdir -p docs/screens
	@for s in Clients Exchange Inspect Migrate Scan Readiness; do for t in light dark; do \
		typ=0; [ $$s = Inspect ] && typ=1; \
		scan=; [ $$s = Scan ] && scan=scan/testdata/corpus; \
		SMOKE_TYPE=$$typ TOKENSCOPE_SCREEN=$$s TOKENSCOPE_SCAN=$$scan FYNE_THEME=$$t scripts/smoke.sh ./$(BIN) docs/screens/$$s-$$t.png || exit 1; \
	done; done

# docs/cli/: every command's flags, generated from the command definitions
# (a test fails when it is out of date).
docs: check-go
	@rm -f docs/cli/*.md
	CGO_ENABLED=0 $(GO) run -tags headless . gen-docs --markdown docs/cli

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

# Packages (issue 22). The app ID and version come from FyneApp.toml. Every
# output goes under build/ (the headless build, man pages, icons, the staged
# and built .deb) or dist/ (make release), both git-ignored.
APP_ID := $(shell sed -n 's/^ID *= *"\(.*\)"$$/\1/p' FyneApp.toml)
VERSION := $(shell sed -n 's/^Version *= *"\(.*\)"$$/\1/p' FyneApp.toml)
PREFIX ?= /usr/local
HEADLESS := build/tokenscope-headless
ICON_SIZES := 16 22 24 32 48 64 128 256 512
ICONS := $(foreach s,$(ICON_SIZES),build/icons/$(s)x$(s)/apps/$(APP_ID).png)
# make deb and make tarball package ./tokenscope (make build) unless
# DESKTOP_BIN names another desktop build (make release makes one).
DESKTOP_BIN ?= $(BIN)
DESKTOP_DEP := $(if $(filter $(BIN),$(DESKTOP_BIN)),build)
DEB_DIR ?= build
DEB_COMPRESS ?= xz
TARBALL_DIR ?= build
FYNE_TOOL := fyne.io/tools/cmd/fyne@v1.7.4
PKG_ENV = APP_ID=$(APP_ID) VERSION=$(VERSION) ICON_SIZES="$(ICON_SIZES)" HEADLESS=$(HEADLESS)

.PHONY: headless man install uninstall deb tarball release package-test

# The command-line build: every subcommand, no Fyne, no cgo: a static binary.
headless: check-go
	CGO_ENABLED=0 $(GO) build -tags headless -trimpath -o $(HEADLESS) .

# tokenscope.1 and a page per subcommand, from the command definitions.
man: headless
	@rm -rf build/man && mkdir -p build/man
	$(HEADLESS) gen-docs --man build/man

# The icon in the hicolor sizes, resized from assets/icon.png (no dates
# written into the PNGs).
build/icons/%/apps/$(APP_ID).png: assets/icon.png
	@command -v convert >/dev/null || scripts/install-deps.sh imagemagick
	@mkdir -p $(@D)
	convert $< -resize $* -strip -define png:exclude-chunks=date,time PNG32:$@

# make install [PREFIX=/usr/local] [DESTDIR=...]: the desktop build, its
# .desktop file, hicolor icons, AppStream metainfo, man pages and shell
# completions (packaging/install.sh lists them). make uninstall removes them.
install: build man $(ICONS)
	@$(PKG_ENV) BIN=$(BIN) DESTDIR="$(DESTDIR)" PREFIX="$(PREFIX)" packaging/install.sh install

uninstall:
	@$(PKG_ENV) DESTDIR="$(DESTDIR)" PREFIX="$(PREFIX)" packaging/install.sh uninstall

# The desktop build's .deb, by dpkg-deb from a make-install tree staged with
# PREFIX=/usr (packaging/build-deb.sh), into $(DEB_DIR).
deb: $(DESKTOP_DEP) man $(ICONS)
	@scripts/install-deps.sh dpkg-dev
	@rm -rf build/deb
	@$(PKG_ENV) BIN=$(DESKTOP_BIN) DESTDIR=$(CURDIR)/build/deb PREFIX=/usr STRIP=1 packaging/install.sh install >/dev/null
	@VERSION=$(VERSION) DEB_COMPRESS=$(DEB_COMPRESS) packaging/build-deb.sh build/deb $(DEB_DIR)

# The Linux tarball, by fyne package from the desktop build, into $(TARBALL_DIR).
tarball: $(DESKTOP_DEP)
	@GO=$(GO) FYNE_TOOL=$(FYNE_TOOL) VERSION=$(VERSION) packaging/build-tarball.sh $(DESKTOP_BIN) $(TARBALL_DIR)

# dist/: the .deb, the tarball, the headless build for linux, darwin and
# windows on amd64 and arm64, and SHA256SUMS (scripts/release.sh).
release: check-go
	@GO=$(GO) TAGS=$(TAGS) MAKE="$(MAKE)" VERSION=$(VERSION) scripts/release.sh

# The packages as a user gets them (scripts/package-test.sh): the headless
# build static, Depends against ldd, the validators, make install/uninstall,
# the .deb installed, run and removed. Reuses make build's ./tokenscope; the
# .deb it tests is gzip-compressed (xz takes 14 s of a 2-core machine).
package-test: DEB_COMPRESS := gzip
package-test: build headless deb
	@$(PKG_ENV) BIN=$(BIN) MAKE="$(MAKE)" scripts/package-test.sh build/tokenscope_$(VERSION)_$$(dpkg --print-architecture).deb

clean:
	rm -f $(BIN)
