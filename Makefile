# limber: entry points. The test harness lives in scripts/ (docs/testing.md).
.PHONY: all build deb test deps check-deps test-peers test-sandbox help run install uninstall bench

all: build

help:
	@echo "make build         swift build (limberd; limberctl is a symlink to it)"
	@echo "make test          scripts/test: deps check, build, swift test on a private bus, peer and sandbox tiers"
	@echo "make deps          install the Debian packages (root): scripts/ci-deps.sh --install"
	@echo "make check-deps    list missing Debian packages"
	@echo "make test-peers    only the D-Bus peer wrapper self-test"
	@echo "make test-sandbox  only the systemd --user sandbox self-test (root)"
	@echo "make run           build and run limberd in the foreground (ARGS=\"--time-scale 600\")"
	@echo "make install       release build, install under PREFIX (~/.local, or /usr/local as root), DESTDIR for packagers"
	@echo "make uninstall     remove what make install put under PREFIX"
	@echo "make deb           the Debian package in dist/ (dpkg-buildpackage -us -uc -b; docs/packaging.md)"
	@echo "make bench         benchmarks (docs/benchmarks.md)"

build:
	swift build
	scripts/lib/link-limberctl

test:
	scripts/test

deps:
	scripts/ci-deps.sh --install

check-deps:
	scripts/ci-deps.sh --check

test-peers:
	scripts/test --only peers

test-sandbox:
	scripts/test --only sandbox

run:
	scripts/run $(ARGS)

install:
	scripts/install $(if $(PREFIX),--prefix $(PREFIX)) $(if $(DESTDIR),--destdir $(DESTDIR))

uninstall:
	scripts/install --uninstall $(if $(PREFIX),--prefix $(PREFIX)) $(if $(DESTDIR),--destdir $(DESTDIR))

bench:
	scripts/bench $(ARGS)

deb:
	scripts/deb
