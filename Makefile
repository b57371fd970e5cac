# limber: entry points. The test harness lives in scripts/ (docs/testing.md).
.PHONY: all build test deps check-deps test-peers test-sandbox help

all: build

help:
	@echo "make build         swift build"
	@echo "make test          scripts/test: deps check, build, swift test on a private bus, peer and sandbox tiers"
	@echo "make deps          install the Debian packages (root): scripts/ci-deps.sh --install"
	@echo "make check-deps    list missing Debian packages"
	@echo "make test-peers    only the D-Bus peer wrapper self-test"
	@echo "make test-sandbox  only the systemd --user sandbox self-test (root)"

build:
	swift build

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
