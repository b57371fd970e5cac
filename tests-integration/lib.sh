# shellcheck shell=bash
# lib.sh: tiny assertion helpers for the harness self-tests. Source it.
#   check "what is true" CMD [ARGS...]   passes when CMD exits 0
#   check_eq "what" EXPECTED ACTUAL
#   wait_for SECONDS "what" CMD...       bounded poll, then a check
#   finish                               prints "NAME: N passed, N failed" and exits 1 on failures
T_PASS=0 T_FAIL=0
T_NAME=${T_NAME:-$(basename "$0" .sh)}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SCRIPTS=$REPO/scripts
source "$SCRIPTS/lib/common.sh"
# limberd reads the shipped programs from the checkout (it never looks near
# its own binary; an installed one has its data dir built in).
export LIMBER_DATA_DIR=${LIMBER_DATA_DIR:-$REPO/config}

t_ok()   { T_PASS=$((T_PASS + 1)); echo "ok   - $1"; }
t_fail() { T_FAIL=$((T_FAIL + 1)); echo "FAIL - $1${2:+: $2}"; }
check() {
  local what=$1; shift
  local out
  if out=$("$@" 2>&1); then t_ok "$what"; else t_fail "$what" "$(printf '%s' "$out" | tail -n 5)"; fi
}
check_eq() {
  if [[ $2 == "$3" ]]; then t_ok "$1"; else t_fail "$1" "expected '$2', got '$3'"; fi
}
wait_for() {
  local timeout=$1 what=$2; shift 2
  if lh_wait_until "$timeout" "$what" "$@"; then t_ok "$what"; else t_fail "$what" "not within ${timeout}s"; fi
}
finish() {
  echo "$T_NAME: $T_PASS passed, $T_FAIL failed"
  (( T_FAIL == 0 ))
}
