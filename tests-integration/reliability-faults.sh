#!/usr/bin/env bash
# reliability-faults tier: the real limberd, sped up (--time-scale 3000),
# through faults of its peers and its machine, one after the other:
#   A. the notification server killed (SIGKILL) while a reminder is shown,
#      then a new one started;
#   B. the session bus restarted (a new dbus-daemon on the same address);
#   C. logind gone (its mock on the private system bus killed), then back;
#   D. an 8-hour suspend over several due times (logind PrepareForSleep
#      true, 8 simulated hours, false);
#   E. the disk full while the history is written (root: the state directory
#      is a 2 MB tmpfs in limberd's own mount namespace), then space again;
#   F. a time-zone change across a restart (TZ differs).
# After each: limberd lives (or restarts cleanly for F), reminders flow again,
# and check_history.py passes (integrity, nothing lost, every notification a
# shown outcome). The peers are this script's own, stopped by PID.
# Wall-clock jumps and DST are covered at the core (Tests/LimberCoreTests)
# and on the loop (Tests/SystemdTests), not here: setting the clock needs
# CAP_SYS_TIME and disturbs the machine (docs/reliability.md).
set -uo pipefail
HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
T_NAME=reliability-faults
source "$HERE/lib.sh"
SCALE=${LIMBER_FAULT_TIME_SCALE:-3000}
PY=/usr/bin/python3
bin=${LIMBER_BIN_DIR:-$(cd "$REPO" && swift build --show-bin-path)}
limberd=$bin/limberd
[[ -x $limberd ]] || { echo "FAIL - no limberd at $limberd (swift build first)"; echo "$T_NAME: 0 passed, 1 failed"; exit 1; }

work=$(mktemp -d /tmp/limber-faults.XXXXXX)
pids=()          # every peer this script started
limberd_pid=''
cleanup() {
  [[ -n $limberd_pid ]] && lh_stop_pid "$limberd_pid" limberd
  local p; for p in "${pids[@]}"; do lh_stop_pid "$p" peer; done
  if (( T_FAIL )); then echo "(kept $work for a look)"; else rm -rf -- "$work"; fi
}
trap cleanup EXIT

# ---------------------------------------------------------------- peers
bus_conf() {  # bus_conf DIR: a session-type bus config listening in DIR
  cat > "$1/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:path=$1/bus</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>
CONF
}
start_bus() {  # start_bus DIR VAR: a dbus-daemon at unix:path=DIR/bus; its PID in VAR
  rm -f "$1/bus"
  setpriv --pdeathsig TERM -- dbus-daemon --nofork --nopidfile --config-file="$1/bus.conf" </dev/null >>"$1/daemon.log" 2>&1 &
  printf -v "$2" %s $!; pids+=($!)
  lh_wait_until 20 "bus at $1/bus" lh_bus_ping "unix:path=$1/bus"
}
start_notify() {  # start_notify LOG VAR
  : > "$1"
  DBUS_SESSION_BUS_ADDRESS=$SBUS setpriv --pdeathsig TERM -- $PY -m dbusmock --session --template notification_daemon \
    --parameters '{"capabilities": "actions body body-markup persistence icon-static"}' -l "$1" </dev/null >>"$work/mocks.out" 2>&1 &
  printf -v "$2" %s $!; pids+=($!)
  lh_wait_until 20 "notification mock" lh_bus_has_name "$SBUS" org.freedesktop.Notifications
}
start_logind() {  # start_logind VAR
  DBUS_SYSTEM_BUS_ADDRESS=$YBUS setpriv --pdeathsig TERM -- $PY -m dbusmock --system --template logind \
    </dev/null >>"$work/mocks.out" 2>&1 &
  printf -v "$1" %s $!; pids+=($!)
  lh_wait_until 20 "logind mock" lh_bus_has_name "$YBUS" org.freedesktop.login1 || return 1
  DBUS_SYSTEM_BUS_ADDRESS=$YBUS gdbus call --system --dest org.freedesktop.login1 --object-path /org/freedesktop/login1 \
    --method org.freedesktop.DBus.Mock.AddSession auto seat0 "$(id -u)" "$(id -un)" true >/dev/null
}
sleep_signal() {  # sleep_signal true|false
  DBUS_SYSTEM_BUS_ADDRESS=$YBUS gdbus call --system --dest org.freedesktop.login1 --object-path /org/freedesktop/login1 \
    --method org.freedesktop.DBus.Mock.EmitSignal org.freedesktop.login1.Manager PrepareForSleep b "[<$1>]" >/dev/null
}
kill_peer() { kill "-$1" "$2" 2>/dev/null; wait "$2" 2>/dev/null; }

mkdir -p "$work/sbus" "$work/ybus" "$work/config/limber" "$work/state" "$work/share/limber"
bus_conf "$work/sbus"; bus_conf "$work/ybus"
SBUS=unix:path=$work/sbus/bus YBUS=unix:path=$work/ybus/bus
sbus_pid='' logind_pid='' notify_pid=''   # set by start_* (printf -v)
start_bus "$work/sbus" sbus_pid; start_bus "$work/ybus" _   # the system bus lives to the end (pids[])
start_logind logind_pid
notify_log=$work/notify-1.log
start_notify "$notify_log" notify_pid
cp -r "$REPO/config/programs" "$work/share/limber/"
cat > "$work/config/limber/limber.toml" <<'TOML'
programs = ["desk-basics"]
working_hours = "00:00-23:59"
stays_up = "30m"
TOML
export XDG_CONFIG_HOME=$work/config XDG_CONFIG_DIRS=$work/none XDG_DATA_DIRS=$work/share XDG_CACHE_HOME=$work/cache
export DBUS_SESSION_BUS_ADDRESS=$SBUS DBUS_SYSTEM_BUS_ADDRESS=$YBUS SWIFT_BACKTRACE=enable=no
state=$work/state/limber
notify_logs=("$notify_log")

# With root, limberd gets a mount namespace of its own with a 2 MB tmpfs as
# its state directory, so that E can fill it. Without, E is skipped.
as_root=0; (( $(id -u) == 0 )) && command -v unshare >/dev/null && as_root=1
start_limberd() {  # start_limberd [ENV=VALUE...]
  : > "$work/limberd.log"
  if (( as_root )); then
    env "$@" XDG_STATE_HOME="$work/state" unshare --mount --propagation private -- sh -c \
      'mount -t tmpfs -o size=2m,mode=0700 limber-state "$XDG_STATE_HOME" && exec "$0" --time-scale "$1" --state-dir "$XDG_STATE_HOME/limber"' \
      "$limberd" "$SCALE" >>"$work/limberd.log" 2>&1 &
  else
    env "$@" XDG_STATE_HOME="$work/state" "$limberd" --time-scale "$SCALE" --state-dir "$work/state/limber" >>"$work/limberd.log" 2>&1 &
  fi
  limberd_pid=$!
  lh_wait_until 20 "limberd ready" grep -q 'limberd ready' "$work/limberd.log"
}
in_ns() { if (( as_root )); then nsenter -t "$limberd_pid" -m -- "$@"; else "$@"; fi; }
history_ok() {  # history_ok WHAT: check_history.py over every notification log so far
  # The server logs a Notify when the call arrives; limberd writes its shown
  # row when the reply comes back. So the log is read once, first, and the
  # history is given up to 30 s to hold a shown row for each of those
  # notifications: a row that never comes still fails, a row in flight does not.
  local logs; logs=$(cat "${notify_logs[@]}")
  printf '%s\n' "$logs" > "$work/all-notify.log"
  local out rc deadline=$(( $(date +%s) + 30 ))
  while true; do
    out=$(in_ns $PY "$HERE/reliability/check_history.py" --state "$state" --notify-log "$work/all-notify.log")
    rc=$?
    (( rc == 0 || $(date +%s) >= deadline )) && break
    sleep 0.2   # a poll interval, not a wait for the event
  done
  check_eq "$1: the history checks out: $(cut -c1-300 <<<"$out")" 0 "$rc"
}
notifies() { cat "${notify_logs[@]}" 2>/dev/null | grep -c ' Notify ' || true; }
wait_notify() {  # wait_notify WHAT [TIMEOUT]: a new Notify on any server
  local n; n=$(notifies)
  wait_for "${2:-30}" "$1" bash -c "(( \$(cat ${notify_logs[*]} 2>/dev/null | grep -c ' Notify ') > $n ))"
}
api_ok() { DBUS_SESSION_BUS_ADDRESS=$SBUS timeout 5 gdbus call --session --dest org.limber.Limber1 \
  --object-path /org/limber/Limber1 --method org.limber.Limber1.Status >/dev/null 2>&1; }
log_has() { grep -aq "$1" "$work/limberd.log"; }

start_limberd
wait_notify "limberd shows reminders"

# ---------------------------------------------------------------- A
wait_notify "A: a reminder is shown"
kill_peer KILL "$notify_pid"
wait_for 30 "A: limberd notices the notification server is gone" log_has 'no notification server answers'
check "A: limberd lives without a notification server" kill -0 "$limberd_pid"
notify_log=$work/notify-2.log; notify_logs+=("$notify_log")
start_notify "$notify_log" notify_pid
wait_for 60 "A: limberd uses the new notification server" log_has 'notification server available again'
wait_notify "A: reminders reach the new server" 60
history_ok "A"

# ---------------------------------------------------------------- B
kill_peer TERM "$notify_pid"
kill_peer TERM "$sbus_pid"
wait_for 30 "B: limberd notices the session bus is gone" log_has 'bus connection lost'
start_bus "$work/sbus" sbus_pid
notify_log=$work/notify-3.log; notify_logs+=("$notify_log")
start_notify "$notify_log" notify_pid
wait_for 60 "B: limberd is back on the new session bus (its API answers)" api_ok
wait_notify "B: reminders reach the server on the new bus" 60
check "B: limberd lives" kill -0 "$limberd_pid"
history_ok "B"

# ---------------------------------------------------------------- C
kill_peer TERM "$logind_pid"
check "C: limberd lives without logind" kill -0 "$limberd_pid"
wait_notify "C: reminders go on without logind" 60
check "C: its API answers without logind" api_ok
start_logind logind_pid
wait_for 30 "C: the logind plugin runs again when logind is back" bash -c \
  "DBUS_SESSION_BUS_ADDRESS=$SBUS gdbus call --session --dest org.limber.Limber1 --object-path /org/limber/Limber1 --method org.limber.Limber1.ListPlugins | grep -q \"'logind', 'running'\""
history_ok "C"

# ---------------------------------------------------------------- D
sleep_signal true
asleep_at=$(notifies)
suspend_real=$(( 8 * 3600 / SCALE ))
# 8 simulated hours pass while "asleep"; the sleep here *is* the suspend.
sleep "$suspend_real"
during=$(( $(notifies) - asleep_at ))
sleep_signal false
(( during <= 1 )) && t_ok "D: no reminder shown during an 8-hour suspend ($during in flight)" \
  || t_fail "D: no reminder shown during the suspend" "$during notifications while asleep"
wait_notify "D: reminders come again after the resume" 60
check "D: limberd lives" kill -0 "$limberd_pid"
history_ok "D"

# ---------------------------------------------------------------- E
if (( as_root )); then
  rows_before=$(in_ns sqlite3 "$state/history.sqlite" 'SELECT count(*) FROM outcome')
  in_ns sh -c "dd if=/dev/zero of='$state/filler' bs=64k 2>/dev/null; sync" || true
  wait_for 60 "E: limberd holds outcomes it cannot write (disk full)" log_has 'history not written'
  wait_notify "E: reminders go on with the disk full" 60
  check "E: limberd lives with the disk full" kill -0 "$limberd_pid"
  in_ns rm -f "$state/filler"
  wait_for 60 "E: the held outcomes are written when there is space again" log_has 'held outcome(s) saved'
  rows_after=$(in_ns sqlite3 "$state/history.sqlite" 'SELECT count(*) FROM outcome')
  (( rows_after > rows_before )) && t_ok "E: history grew $rows_before -> $rows_after rows across the full disk" \
    || t_fail "E: history grew across the full disk" "$rows_before -> $rows_after"
  history_ok "E"
else
  echo "skip - E: disk full needs root (a tmpfs in a mount namespace); Tests/LimberHistoryTests/DiskFullTests cover the store"
fi

# ---------------------------------------------------------------- F
if (( as_root )); then
  # carry the state over the restart: copy it out of the namespace's tmpfs
  mkdir -p "$work/carry"; in_ns sh -c "cp -a '$state/.' '$work/carry/'"
fi
kill -TERM "$limberd_pid"; wait "$limberd_pid"; rc=$?; limberd_pid=''
check_eq "F: limberd stops cleanly (TZ=${TZ:-unset})" 0 "$rc"
if (( as_root )); then
  as_root=0   # F runs on a plain state directory, with what E left
  mkdir -p "$state"; cp -a "$work/carry/." "$state/"
fi
start_limberd TZ=Asia/Kolkata
wait_notify "F: limberd in another time zone (Asia/Kolkata) shows reminders" 60
check "F: limberd lives after the time-zone change" kill -0 "$limberd_pid"
history_ok "F"
kill -TERM "$limberd_pid"; wait "$limberd_pid"; rc=$?; limberd_pid=''
check_eq "limberd stops cleanly at the end" 0 "$rc"
echo "FIGURES faults notifications=$(notifies) rows=$(sqlite3 "$state/history.sqlite" 'SELECT count(*) FROM outcome' 2>/dev/null)"
finish
