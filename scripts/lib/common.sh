# shellcheck shell=bash
# common.sh: shared pieces of limber's test-peer wrappers. Source it; do not run it.
#
# Every wrapper has the shape `WRAPPER [OPTIONS] -- CMD [ARGS...]`: start a
# peer, export where it is, run CMD, and tear the peer down by PID on any exit.
# Waits are bounded polls (lh_wait_until), never fixed sleeps.

LH_NAME=${LH_NAME:-$(basename "$0")}
LH_SCRIPTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Default bound for "is the peer up yet" polls, seconds.
LH_TIMEOUT=${LIMBER_TEST_PEER_TIMEOUT:-20}
# dbusmock must run with Debian's python (python3-dbusmock, python3-dbus,
# python3-gi live there), not a pyenv python3 that may be first on PATH.
LH_PY=/usr/bin/python3

lh_log() { echo "$LH_NAME: $*" >&2; }
lh_die() { echo "$LH_NAME: error: $*" >&2; exit 1; }
lh_verbose() { [[ -n ${LIMBER_TEST_VERBOSE:-} ]] && echo "$LH_NAME: $*" >&2; return 0; }

# lh_wait_until TIMEOUT_SECONDS DESCRIPTION CMD [ARGS...]
# Polls CMD every 0.05 s (backing off to 0.2 s) until it succeeds or the
# deadline passes. Returns 1 with a clear message on timeout.
lh_wait_until() {
  local timeout=$1 what=$2; shift 2
  local deadline=$(( $(date +%s%N) + timeout * 1000000000 )) delay=0.05
  while true; do
    if "$@" >/dev/null 2>&1; then return 0; fi
    if (( $(date +%s%N) >= deadline )); then
      lh_log "timed out after ${timeout}s waiting for: $what"
      return 1
    fi
    sleep "$delay"   # one short poll interval, not a wait for the peer
    [[ $delay == 0.05 ]] && delay=0.1 || delay=0.2
  done
}

# lh_alive PID: true while PID exists and is not a zombie.
lh_alive() {
  local state
  state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  [[ -n $state && $state != Z* ]]
}

# lh_stop_pid PID [NAME]: SIGTERM, wait up to 5 s, then SIGKILL; reap it.
lh_stop_pid() {
  local pid=$1 name=${2:-process}
  [[ -n $pid ]] || return 0
  if lh_alive "$pid"; then
    lh_verbose "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    if ! lh_wait_until 5 "$name (pid $pid) to exit after SIGTERM" bash -c "! kill -0 $pid 2>/dev/null || [[ \$(ps -o stat= -p $pid) == Z* ]]"; then
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  wait "$pid" 2>/dev/null || true
}

# lh_mktemp_dir PREFIX: a short private temp dir (unix socket paths must stay
# under 108 bytes, so it lives in /tmp, not under a deep $TMPDIR).
lh_mktemp_dir() { mktemp -d "/tmp/$1.XXXXXX"; }

# lh_bus_has_name ADDRESS NAME: is NAME owned on the bus at ADDRESS?
lh_bus_has_name() {
  dbus-send --bus="$1" --print-reply=literal --dest=org.freedesktop.DBus \
    /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner "string:$2" 2>/dev/null \
    | grep -q true
}

# lh_bus_pid_of ADDRESS NAME: print the PID of NAME's owner.
lh_bus_pid_of() {
  dbus-send --bus="$1" --print-reply=literal --dest=org.freedesktop.DBus \
    /org/freedesktop/DBus org.freedesktop.DBus.GetConnectionUnixProcessID "string:$2" 2>/dev/null \
    | awk '{print $2}'
}

# lh_bus_ping ADDRESS: does a bus answer at ADDRESS?
lh_bus_ping() {
  dbus-send --bus="$1" --print-reply --dest=org.freedesktop.DBus \
    /org/freedesktop/DBus org.freedesktop.DBus.GetId >/dev/null 2>&1
}

# lh_parse_cmd "$@": sets LH_CMD to everything after the first `--`
# (or all args if there is none); sets LH_OPTS to what came before.
lh_split_args() {
  LH_OPTS=(); LH_CMD=()
  local seen=0
  for a in "$@"; do
    if (( !seen )) && [[ $a == -- ]]; then seen=1; continue; fi
    if (( seen )); then LH_CMD+=("$a"); else LH_OPTS+=("$a"); fi
  done
  if (( !seen )); then LH_CMD=("${LH_OPTS[@]}"); LH_OPTS=(); fi
}

# lh_run_cmd CMD...: run CMD as a child with our stdin; sets LH_RC to its
# exit status. TERM/INT/HUP to the wrapper are passed on to CMD. When stdin
# is not a terminal, CMD gets a process group of its own and the signal goes
# to that whole group, so a test's own children do not outlive the wrapper.
# (On a terminal CMD stays in our group so it can read the terminal; Ctrl-C
# reaches it directly.) The caller's EXIT trap does the teardown afterwards.
lh_run_cmd() {
  (( $# )) || { LH_RC=0; return 0; }
  local in group=0
  [[ -t 0 ]] || group=1
  exec {in}<&0
  (( group )) && set -m
  setpriv --pdeathsig TERM -- "$@" <&"$in" &
  LH_CMD_PID=$!
  (( group )) && set +m
  exec {in}<&-
  if (( group )); then LH_CMD_TARGET=-$LH_CMD_PID; else LH_CMD_TARGET=$LH_CMD_PID; fi
  trap 'kill -TERM -- "$LH_CMD_TARGET" 2>/dev/null' TERM HUP
  trap 'kill -INT -- "$LH_CMD_TARGET" 2>/dev/null' INT
  local r r2
  while true; do
    r=0; wait "$LH_CMD_PID" || r=$?
    # wait returns >128 when a trapped signal interrupted it: keep waiting
    # while the child lives; once it is gone, ask once more for its status
    # (127 = already collected, then r was the real one).
    if kill -0 "$LH_CMD_PID" 2>/dev/null; then continue; fi
    r2=0; wait "$LH_CMD_PID" 2>/dev/null || r2=$?
    (( r2 != 127 )) && r=$r2
    break
  done
  trap - TERM HUP INT
  LH_RC=$r
}

# lh_ensure_private_session_bus "$0" "$@": a notification peer gets a bus of
# its own, so parallel tests never meet each other's server and nothing lands
# on a developer's real desktop bus. The current session bus is used instead
# only when:
#   - this runs inside scripts/systemd-user-sandbox and the bus is the user's
#     ($XDG_RUNTIME_DIR/bus, LIMBER_SANDBOX_USER set), so units reach the peer;
#   - or the wrapper was given --current-bus (or LIMBER_TEST_USE_CURRENT_BUS=1),
#     and the bus is one that with-session-bus made (LIMBER_TEST_SESSION_BUS)
#     or LIMBER_TEST_USE_CURRENT_BUS=1 says it is a test bus.
lh_ensure_private_session_bus() {
  local a=${DBUS_SESSION_BUS_ADDRESS:-} want_current=${LIMBER_TEST_USE_CURRENT_BUS:-0} x
  for x in "${@:2}"; do
    [[ $x == -- ]] && break
    [[ $x == --current-bus ]] && want_current=1
  done
  if [[ -n $a ]]; then
    [[ -n ${LIMBER_SANDBOX_USER:-} && $a == "unix:path=${XDG_RUNTIME_DIR:-}/bus" ]] && return 0
    if [[ $want_current == 1 ]]; then
      [[ $a == "${LIMBER_TEST_SESSION_BUS:-}" || ${LIMBER_TEST_USE_CURRENT_BUS:-} == 1 ]] && return 0
      lh_die "--current-bus: $a is not a test bus (not made by with-session-bus); set LIMBER_TEST_USE_CURRENT_BUS=1 if it is"
    fi
  fi
  if [[ ${LH_FRESH_BUS:-} == 1 && -n $a && $a == "${LIMBER_TEST_SESSION_BUS:-}" ]]; then
    unset LH_FRESH_BUS   # we are the re-run below, on our fresh bus; CMD must not inherit this
    return 0
  fi
  LH_FRESH_BUS=1 exec "$LH_SCRIPTS_DIR/with-session-bus" -- "$@"
}
