#!/usr/bin/env bash
# reliability-tsan tier: the Swift tests under ThreadSanitizer (the targets with threads),
# built in .build-tsan (scripts/sanitize --tsan; docs/reliability.md).
set -uo pipefail
REPO=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
exec "$REPO/scripts/sanitize" --tsan
