#!/usr/bin/env bash
# The benchmark's smoke pass (issue 7): it runs and prints numbers. No figure
# is compared with a target (those are in docs/benchmarks.md, from a full
# `make bench`). Uses the debug binaries the build tier made.
set -uo pipefail
source "$(dirname "$(readlink -f "$0")")/lib.sh"
cd "$REPO"
bin=$(swift build --show-bin-path)
out=$(mktemp)
if scripts/bench --quick --bin-dir "$bin" >"$out" 2>&1; then
  t_ok "scripts/bench --quick runs"
else
  t_fail "scripts/bench --quick runs" "$(tail -n 20 "$out")"
fi
cat "$out"
for part in "READY=1" "RSS" "anonymous" "a reminder on screen" "per event"; do
  if grep -q "$part" "$out"; then t_ok "it prints $part figures"; else t_fail "it prints $part figures"; fi
done
rm -f "$out"
finish bench
