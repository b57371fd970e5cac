#!/usr/bin/env bash
# peers-selftest: each D-Bus peer wrapper starts its peer, exports where it
# is, passes CMD's exit status through, and leaves no process or temp dir.
#   with-session-bus, with-system-bus --logind, with-notify-mock, with-dunst
# Runs as any user (no root needed).
set -uo pipefail
T_NAME=peers-selftest
source "$(dirname "$(readlink -f "$0")")/lib.sh"

work=$(mktemp -d /tmp/limber-peertest.XXXXXX)
trap 'rm -rf -- "$work"' EXIT

# pids_of_env FILE: the *_PID values a wrapper exported (recorded by CMD).
pids_gone() { local p; for p in $(grep -E '^LIMBER_TEST_[A-Z_]*PID=' "$1" | cut -d= -f2); do kill -0 "$p" 2>/dev/null && return 1; done; return 0; }
dirs_gone() { local d; for d in $(grep -E '^LIMBER_TEST_[A-Z_]*(DIR|LOG|FILE)=' "$1" | cut -d= -f2); do [[ -e $d ]] && return 1; done; return 0; }

# ---------------------------------------------------------------- session bus
"$SCRIPTS/with-session-bus" -- bash -c '
  env | grep -E "^(LIMBER_|DBUS_)" > "$1"
  gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
    --method org.freedesktop.DBus.GetId >/dev/null || exit 9
  exit 4' _ "$work/sbus.env"
check_eq "with-session-bus: CMD ran on the bus; its exit status (4) comes through" 4 "$?"
check "with-session-bus: exported DBUS_SESSION_BUS_ADDRESS = LIMBER_TEST_SESSION_BUS" bash -c \
  "source '$work/sbus.env' 2>/dev/null; [[ -n \$DBUS_SESSION_BUS_ADDRESS && \$DBUS_SESSION_BUS_ADDRESS == \$LIMBER_TEST_SESSION_BUS ]]"
check "with-session-bus: daemon stopped" pids_gone "$work/sbus.env"
check "with-session-bus: temp dir removed" dirs_gone "$work/sbus.env"
out=$("$SCRIPTS/with-session-bus" -- gdbus call --session --dest org.freedesktop.Notifications \
        --object-path /org/freedesktop/Notifications --method org.freedesktop.Notifications.GetCapabilities 2>&1)
check "with-session-bus: no notification server is activatable (ServiceUnknown)" \
  grep -q 'ServiceUnknown' <<<"$out"

# ---------------------------------------------------------------- system bus + logind
cat > "$work/logind.sh" <<'EOF'
set -u
env | grep -E "^(LIMBER_|DBUS_)" > "$1"
fail=0
say() { echo "$*"; }
gdbus call --system --dest org.freedesktop.login1 --object-path /org/freedesktop/login1 \
  --method org.freedesktop.login1.Manager.ListSessions | grep -q "'auto'" || { say "no auto session"; fail=1; }
[[ $LIMBER_TEST_LOGIND_SESSION == /org/freedesktop/login1/session/auto ]] || { say "session path"; fail=1; }
busctl --system get-property org.freedesktop.login1 /org/freedesktop/login1/session/auto \
  org.freedesktop.login1.Session IdleHint | grep -qx 'b false' || { say "IdleHint not false"; fail=1; }
# a test sets idle through the mock interface; PropertiesChanged is emitted
gdbus call --system --dest org.freedesktop.login1 --object-path /org/freedesktop/login1/session/auto \
  --method org.freedesktop.DBus.Mock.UpdateProperties org.freedesktop.login1.Session \
  "{'IdleHint': <true>, 'IdleSinceHintMonotonic': <uint64 12345>}" >/dev/null || fail=1
busctl --system get-property org.freedesktop.login1 /org/freedesktop/login1/session/auto \
  org.freedesktop.login1.Session IdleHint | grep -qx 'b true' || { say "IdleHint not true"; fail=1; }
gdbus call --system --dest org.freedesktop.login1 --object-path /org/freedesktop/login1 \
  --method org.freedesktop.DBus.Mock.EmitSignal org.freedesktop.login1.Manager PrepareForSleep b "[<true>]" >/dev/null || fail=1
# Inhibit returns an fd (busctl prints it as "h N")
busctl --system call org.freedesktop.login1 /org/freedesktop/login1 org.freedesktop.login1.Manager \
  Inhibit ssss sleep limber "test" delay | grep -q '^h ' || { say "Inhibit gave no fd"; fail=1; }
grep -q 'PrepareForSleep True' "$LIMBER_TEST_LOGIND_LOG" || { say "log lacks PrepareForSleep"; fail=1; }
grep -q '^[0-9.]* Inhibit "sleep" "limber"' "$LIMBER_TEST_LOGIND_LOG" || { say "log lacks Inhibit"; fail=1; }
exit $fail
EOF
"$SCRIPTS/with-system-bus" --logind -- bash "$work/logind.sh" "$work/ybus.env"
check_eq "with-system-bus --logind: session auto, IdleHint, PrepareForSleep, Inhibit fd, call log" 0 "$?"
check "with-system-bus: DBUS_SYSTEM_BUS_ADDRESS was private" bash -c \
  "source '$work/ybus.env'; [[ \$DBUS_SYSTEM_BUS_ADDRESS == unix:path=/tmp/limber-ybus.* ]]"
check "with-system-bus: bus and mock stopped" pids_gone "$work/ybus.env"
check "with-system-bus: temp dir removed" bash -c "source '$work/ybus.env'; [[ ! -e \${LIMBER_TEST_LOGIND_LOG%/*} ]]"

# ---------------------------------------------------------------- notification mock
cat > "$work/notify.sh" <<'EOF'
set -u
env | grep -E "^(LIMBER_|DBUS_)" > "$1"
fail=0
say() { echo "$*"; }
gdbus call --session --dest org.freedesktop.Notifications --object-path /org/freedesktop/Notifications \
  --method org.freedesktop.Notifications.GetCapabilities | grep -q "'actions'" || { say "no actions cap"; fail=1; }
id=$(gdbus call --session --dest org.freedesktop.Notifications --object-path /org/freedesktop/Notifications \
  --method org.freedesktop.Notifications.Notify -- limber 0 "" "Stand up" "Time for a break" \
  "['done', 'Done', 'snooze', 'Snooze']" "{'urgency': <byte 1>}" -1)
[[ $id == "(uint32 1,)" ]] || { say "Notify returned $id"; fail=1; }
grep -q '^[0-9.]* Notify "limber" 0 "" "Stand up" "Time for a break" \["done", "Done", "snooze", "Snooze"\]' \
  "$LIMBER_TEST_NOTIFY_LOG" || { say "log lacks Notify"; fail=1; }
# A listener sees the injected ActionInvoked.
mon=$(mktemp)
dbus-monitor --session "type='signal',interface='org.freedesktop.Notifications'" > "$mon" 2>&1 &
mpid=$!
ready() { gdbus emit --session --object-path /x --signal org.freedesktop.Notifications.Ping >/dev/null 2>&1; grep -q Ping "$mon"; }
source "$LIMBER_SCRIPTS/lib/common.sh"
lh_wait_until 10 "dbus-monitor to listen" ready || fail=1
gdbus call --session --dest org.freedesktop.Notifications --object-path /org/freedesktop/Notifications \
  --method org.freedesktop.DBus.Mock.EmitSignal org.freedesktop.Notifications ActionInvoked us \
  "[<uint32 1>, <'done'>]" >/dev/null || fail=1
lh_wait_until 10 "ActionInvoked on the bus" grep -q 'member=ActionInvoked' "$mon" || fail=1
grep -A2 'member=ActionInvoked' "$mon" | grep -q 'string "done"' || { say "ActionInvoked args"; fail=1; }
kill "$mpid"; wait "$mpid" 2>/dev/null; rm -f "$mon"
# GetCalls reads the call history too.
gdbus call --session --dest org.freedesktop.Notifications --object-path /org/freedesktop/Notifications \
  --method org.freedesktop.DBus.Mock.GetCalls | grep -q "'Notify'" || { say "GetCalls lacks Notify"; fail=1; }
exit $fail
EOF
"$SCRIPTS/with-notify-mock" -- bash "$work/notify.sh" "$work/notify.env"
check_eq "with-notify-mock: caps, Notify logged, ActionInvoked injected via Mock.EmitSignal, GetCalls" 0 "$?"
check "with-notify-mock: made its own private session bus" bash -c \
  "source '$work/notify.env'; [[ \$DBUS_SESSION_BUS_ADDRESS == \$LIMBER_TEST_SESSION_BUS ]]"
check "with-notify-mock: mock and bus stopped" pids_gone "$work/notify.env"
check "with-notify-mock: log dir removed" dirs_gone "$work/notify.env"

# ---------------------------------------------------------------- dunst
cat > "$work/dunst.sh" <<'EOF'
set -u
env | grep -E "^(LIMBER_|DBUS_|DISPLAY)" > "$1"
source "$LIMBER_SCRIPTS/lib/common.sh"
fail=0
say() { echo "$*"; }
displayed() { [[ $(dunstctl count displayed) == "$1" ]]; }
gdbus call --session --dest org.freedesktop.Notifications --object-path /org/freedesktop/Notifications \
  --method org.freedesktop.Notifications.GetServerInformation | grep -q "'dunst'" || { say "not dunst"; fail=1; }
xdpyinfo -display "$DISPLAY" >/dev/null || { say "no display"; fail=1; }
# 1. shows: a notify-send appears in dunstctl count
notify-send -a limber "Plain" "no actions"
lh_wait_until 10 "1 displayed" displayed 1 || fail=1
dunstctl close-all
lh_wait_until 10 "0 displayed" displayed 0 || fail=1
# 2. dunstctl action 0: the default action of the first displayed notification
notify-send --wait -a limber -A default=Open -A done=Done "Break" "move" > "$2/a0.out" &
p=$!
lh_wait_until 10 "1 displayed" displayed 1 || fail=1
dunstctl action 0
wait "$p"
[[ $(cat "$2/a0.out") == default ]] || { say "action 0 gave '$(cat "$2/a0.out")'"; fail=1; }
# 3. dunstctl context + the scripted picker: a named action
notify-send --wait -a limber -A done=Done -A snooze=Snooze "Break 2" "move" > "$2/ctx.out" &
p=$!
lh_wait_until 10 "1 displayed" displayed 1 || fail=1
echo snooze > "$LIMBER_TEST_DUNST_PICK_FILE"
dunstctl context
wait "$p"
[[ $(cat "$2/ctx.out") == snooze ]] || { say "context gave '$(cat "$2/ctx.out")'"; fail=1; }
grep -q '\[[0-9]*,snooze\]' "$LIMBER_TEST_DUNST_PICKER_LOG" || { say "picker log"; fail=1; }
# 4. history keeps what was shown
dunstctl history | grep -q '"Break 2"' || { say "history lacks Break 2"; fail=1; }
exit $fail
EOF
"$SCRIPTS/with-dunst" -- bash "$work/dunst.sh" "$work/dunst.env" "$work"
check_eq "with-dunst: shows notify-send, dunstctl action 0 and context (picker) invoke actions, history" 0 "$?"
check "with-dunst: Xvfb, dunst and bus stopped" pids_gone "$work/dunst.env"
check "with-dunst: temp dirs removed" dirs_gone "$work/dunst.env"
check "with-dunst: the X display is free again" bash -c \
  "source '$work/dunst.env'; n=\${DISPLAY#:}; [[ ! -e /tmp/.X11-unix/X\$n && ! -e /tmp/.X\$n-lock ]]"

# ---------------------------------------------------------------- parallel mocks, --current-bus
"$SCRIPTS/with-session-bus" -- bash -c '
  "$1/with-notify-mock" -- true & a=$!
  "$1/with-notify-mock" -- true & b=$!
  wait $a && wait $b' _ "$SCRIPTS"
check_eq "two with-notify-mock at once under one with-session-bus: each gets its own bus" 0 "$?"
"$SCRIPTS/with-session-bus" -- "$SCRIPTS/with-notify-mock" --current-bus -- bash -c \
  '[[ $DBUS_SESSION_BUS_ADDRESS == "$LIMBER_TEST_SESSION_BUS" ]] && [[ -n $LIMBER_TEST_NOTIFY_LOG ]]'
check_eq "with-notify-mock --current-bus uses the enclosing with-session-bus bus" 0 "$?"
DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent "$SCRIPTS/with-notify-mock" --current-bus -- true 2>/dev/null
check_eq "with-notify-mock --current-bus refuses a bus that is not a test bus" 1 "$?"

# ---------------------------------------------------------------- nesting and signals
"$SCRIPTS/with-system-bus" --logind -- "$SCRIPTS/with-notify-mock" -- bash -c \
  '[[ -n $DBUS_SYSTEM_BUS_ADDRESS && -n $LIMBER_TEST_NOTIFY_LOG && -n $LIMBER_TEST_LOGIND_LOG ]]'
check_eq "wrappers nest: system bus + logind + notification mock together" 0 "$?"

"$SCRIPTS/with-notify-mock" -- bash -c 'env | grep -E "^LIMBER_TEST_[A-Z_]*(PID|DIR|LOG)=" > "$1"; exec sleep 300' _ "$work/sig.env" &
wpid=$!
lh_wait_until 10 "the wrapped sleep to start" test -s "$work/sig.env" || true
kill -TERM "$wpid"; wait "$wpid"; src=$?
check_eq "SIGTERM to a wrapper ends CMD (143)" 143 "$src"
check "SIGTERM to a wrapper still tears down the peers" pids_gone "$work/sig.env"
finish
