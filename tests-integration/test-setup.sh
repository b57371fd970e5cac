#!/usr/bin/env bash
# test-setup: `make test` (scripts/test) on a machine that lacks a Debian
# package. As a user it stops at once, before building, with the one
# `sudo apt-get install ...` line and a non-zero exit; as root it installs
# (CI=true or not). A package that does not exist stands in for the missing
# one (LIMBER_CI_DEPS_EXTRA), and as root a stub apt-get records what would
# be installed, so nothing on the machine changes.
set -uo pipefail
T_NAME=test-setup
source "$(dirname "$0")/lib.sh"

work=$(mktemp -d /tmp/limber-test-setup.XXXXXX)
chmod 755 "$work"
trap 'rm -rf -- "$work"' EXIT
fake=limber-test-no-such-package

# --- as a user (nobody when we are root)
as_user=()
(( $(id -u) == 0 )) && as_user=(setpriv --reuid nobody --regid nogroup --clear-groups)
start=$(date +%s)
(cd "$work" && env -u CI HOME="$work" LIMBER_CI_DEPS_EXTRA=$fake "${as_user[@]}" "$SCRIPTS/test" >"$work/user.out" 2>&1 </dev/null)
rc=$?
took=$(( $(date +%s) - start ))
check "as a user: exits non-zero" test "$rc" -ne 0
check "as a user: prints the one sudo apt-get line" \
  grep -qx "  sudo apt-get install -y --no-install-recommends $fake" "$work/user.out"
check "as a user: stops before building" bash -c "! grep -q '=== build' '$work/user.out'"
check "as a user: says why it stops" grep -q 'stopping before the build' "$work/user.out"
check "as a user: ends with a total line" grep -q '^total: 0 passed, 1 failed' "$work/user.out"
check "as a user: at once (${took}s)" test "$took" -le 10
# CI=true as a user changes nothing: it cannot install either.
(cd "$work" && env CI=true HOME="$work" LIMBER_CI_DEPS_EXTRA=$fake "${as_user[@]}" "$SCRIPTS/test" >"$work/ci-user.out" 2>&1 </dev/null)
rc=$?
check "as a user with CI=true: exits non-zero before building" \
  bash -c "[[ $rc -ne 0 ]] && ! grep -q '=== build' '$work/ci-user.out' && grep -q 'sudo apt-get install' '$work/ci-user.out'"

# --- as root: installs (here through a stub apt-get that logs its arguments)
if (( $(id -u) == 0 )); then
  mkdir -p "$work/bin"
  cat > "$work/bin/apt-get" <<STUB
#!/bin/sh
echo "\$*" >> "$work/apt.log"
STUB
  chmod 755 "$work/bin/apt-get"
  (cd "$work" && env -u CI PATH="$work/bin:$PATH" LIMBER_CI_DEPS_EXTRA=$fake "$SCRIPTS/test" --only deps >"$work/root.out" 2>&1 </dev/null)
  rc=$?
  check "as root without CI: runs apt-get install for the missing package" grep -q "install .*$fake" "$work/apt.log"
  check "as root: apt-get update first" grep -q "update" "$work/apt.log"
  # The stub installs nothing, so the package is still missing: a failure, before building.
  check "as root: a failed install stops the run" bash -c "[[ $rc -ne 0 ]] && ! grep -q '=== build' '$work/root.out'"
else
  echo "ok   - as root: not run (not root) # skip"
fi
finish
