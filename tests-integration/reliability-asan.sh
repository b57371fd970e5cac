#!/usr/bin/env bash
# reliability-asan tier: the Swift tests under AddressSanitizer (every target),
# built in .build-asan (scripts/sanitize --asan; docs/reliability.md).
# tier-timeout: 1500 (its own sanitizer build comes first: minutes on 2 cores)
set -uo pipefail
REPO=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
exec "$REPO/scripts/sanitize" --asan
