#!/usr/bin/env bash
# reliability-tsan tier: the Swift tests under ThreadSanitizer (the targets with threads),
# built in .build-tsan (scripts/sanitize --tsan; docs/reliability.md).
# tier-timeout: 1500 (its own sanitizer build comes first: minutes on 2 cores)
set -uo pipefail
REPO=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
exec "$REPO/scripts/sanitize" --tsan
