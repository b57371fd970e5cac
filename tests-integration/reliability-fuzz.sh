#!/usr/bin/env bash
# reliability-fuzz tier: a short libFuzzer pass over every fuzz target
# (scripts/fuzz, fuzz/): LIMBER_FUZZ_SECONDS per target (default 20).
# No crash, no hang, and every rejection a positioned error. The longer runs
# and their figures are in docs/reliability.md.
set -uo pipefail
REPO=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
exec "$REPO/scripts/fuzz" --time "${LIMBER_FUZZ_SECONDS:-20}"
