#!/usr/bin/env bash
# notify-servers tier: the real limberd against real notification servers
# under Xvfb (issue 12): dunst, notification-daemon, xfce4-notifyd,
# mate-notification-daemon and lxqt-notificationd.
#
# For each server, on a private session bus and display of its own:
#   shown      the reminder's notification appears (its "Done" button is on
#              screen; for dunst: `dunstctl count displayed`);
#   answered   a real click on "Done" (xdotool moves the X pointer there and
#              clicks; the button is found through AT-SPI by its label) -
#              dunst: Done picked from its own menu (`dunstctl context`);
#              LXQt: its "Actions:" list opened, Done typed, OK clicked;
#              the history records done and the notification goes away;
#   restart    limberd stopped and started with a reminder on screen: the
#              new limberd replaces that notification (one "Done" button,
#              not two) and its Done reaches the new limberd;
#   swapped    (once, dunst -> xfce4-notifyd) the server is replaced
#              with a reminder on screen: the reminder appears on the new
#              server and is answered there.
# A screenshot of the display is kept for every failed check
# ($LIMBER_TEST_ARTIFACTS/notify-servers, default .build/test-artifacts).
# Usage: tests-integration/notify-servers.sh [SERVER...]   (default: all installed)
set -uo pipefail
HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
T_NAME=notify-servers
source "$HERE/lib.sh"
bin=${LIMBER_BIN_DIR:-$(cd "$REPO" && swift build --show-bin-path)}
[[ -x $bin/limberd ]] || { echo "FAIL - no limberd at $bin/limberd (swift build first)"; echo "$T_NAME: 0 passed, 1 failed"; exit 1; }
BUTTON=$SCRIPTS/lib/notify-button
shots=${LIMBER_TEST_ARTIFACTS:-$REPO/.build/test-artifacts}/notify-servers
work=$(lh_mktemp_dir limber-nsrv)
pids=()             # peers of the current server run, stopped by PID
limberd_pid=''
cleanup() {
  [[ -n $limberd_pid ]] && lh_stop_pid "$limberd_pid" limberd
  stop_peers
  if (( T_FAIL )); then echo "(kept $work for a look)"; else rm -rf -- "$work"; fi
}
trap cleanup EXIT
stop_peers() {  # newest first: the server before the display and the bus
  local i
  for (( i=${#pids[@]}-1; i>=0; i-- )); do lh_stop_pid "${pids[i]}" peer; done
  pids=()
}

declare -A EXEC=(
  [dunst]=/usr/bin/dunst
  [notification-daemon]=/usr/lib/notification-daemon/notification-daemon
  [xfce4-notifyd]=/usr/lib/x86_64-linux-gnu/xfce4/notifyd/xfce4-notifyd
  [mate-notification-daemon]=/usr/lib/mate-notification-daemon/mate-notification-daemon
  [lxqt-notificationd]=/usr/bin/lxqt-notificationd
)
ORDER=(dunst notification-daemon xfce4-notifyd mate-notification-daemon lxqt-notificationd)
(( $# )) && ORDER=("$@")

# The program: one rule, shown when the test says (`limberctl trigger`), up for hours.
mkdir -p "$work/config/limber/programs" "$work/share"
cat > "$work/config/limber/programs/matrix.toml" <<'EOF'
schema = 1
id = "matrix"
name = "Server matrix"
disclaimer = "A test program."

[exercises.stand]
name = "Stand up"
category = "cardio"
position = "standing"
steps = ["Stand up."]

[reminders.stand-up]
cadence = "interval"
title = "Stand up (matrix)"
every = "8h"
exercises = ["stand"]
EOF
cat > "$work/config/limber/limber.toml" <<'EOF'
programs = ["matrix"]
working_hours = "00:00-23:59"
stays_up = "4h"

# Nobody types on this display: its idle time is no person's.
[plugins.x11-idle]
enabled = false
EOF
chmod -R go-w "$work"
export XDG_CONFIG_HOME=$work/config XDG_CONFIG_DIRS=$work/none SWIFT_BACKTRACE=enable=no
# at-spi keeps its bus socket under XDG_RUNTIME_DIR: a private one.
export XDG_RUNTIME_DIR=$work/run NO_AT_BRIDGE=0
mkdir -m 0700 -p "$XDG_RUNTIME_DIR"

# ---------------------------------------------------------------- peers
start_bus() {  # a private session bus; sets SBUS
  local d=$work/bus-$1
  mkdir -p "$d"
  cat > "$d/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:path=$d/bus</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>
CONF
  setpriv --pdeathsig TERM -- dbus-daemon --nofork --nopidfile --config-file="$d/bus.conf" </dev/null >"$d/daemon.log" 2>&1 &
  pids+=($!)
  SBUS=unix:path=$d/bus
  export DBUS_SESSION_BUS_ADDRESS=$SBUS
  lh_wait_until 20 "the session bus" lh_bus_ping "$SBUS"
}
start_display() {  # Xvfb on a free display (it says which once it accepts clients); sets DISPLAY
  local f=$work/display-$1
  setpriv --pdeathsig TERM -- Xvfb -displayfd 3 -nolisten tcp -screen 0 1280x800x24 3>"$f" </dev/null >"$work/xvfb-$1.log" 2>&1 &
  pids+=($!)
  lh_wait_until 20 "Xvfb to report its display" test -s "$f" || return 1
  export DISPLAY=":$(tr -dc '0-9' < "$f")"
  lh_wait_until 20 "display $DISPLAY" xdpyinfo -display "$DISPLAY"
}
start_a11y() {  # the accessibility bus, so notify-button finds buttons by label
  setpriv --pdeathsig TERM -- /usr/libexec/at-spi-bus-launcher </dev/null >"$work/a11y-$1.log" 2>&1 &
  pids+=($!)
  lh_wait_until 20 "the accessibility bus" lh_bus_has_name "$SBUS" org.a11y.Bus
}
write_dunstrc() {
  cat > "$work/dunstrc" <<EOF
[global]
    dmenu = $SCRIPTS/lib/dunst-picker
    browser = /bin/true
    notification_limit = 0
    idle_threshold = 0
    show_indicators = no
[urgency_low]
    timeout = 0
[urgency_normal]
    timeout = 0
[urgency_critical]
    timeout = 0
EOF
}
start_monitor() {  # what the server signals, for closed_seen
  setpriv --pdeathsig TERM -- dbus-monitor --address "$SBUS" "type='signal',interface='org.freedesktop.Notifications'" \
    </dev/null >"$work/signals-$1.log" 2>&1 &
  pids+=($!)
  lh_wait_until 20 "dbus-monitor listening" grep -q 'NameAcquired\|member=' "$work/signals-$1.log"
}
closed_count() { grep -c 'member=NotificationClosed' "$work/signals-$run.log"; }
closed_beyond() { (( $(closed_count) > $1 )); }
start_server() {  # start_server NAME: on the current bus and display
  local name=$1 args=()
  [[ $name == dunst ]] && { write_dunstrc; args=(-config "$work/dunstrc"); }
  export LIMBER_TEST_DUNST_PICK_FILE=$work/pick LIMBER_TEST_DUNST_PICKER_LOG=$work/picker.log
  QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1 setpriv --pdeathsig TERM -- "${EXEC[$name]}" "${args[@]}" </dev/null \
    >"$work/server-$name.log" 2>&1 &
  server_pid=$!
  pids+=($server_pid)
  lh_wait_until 20 "$name to own org.freedesktop.Notifications" lh_bus_has_name "$SBUS" org.freedesktop.Notifications
}
stop_server() {
  lh_stop_pid "$server_pid" server
  local p keep=()
  for p in "${pids[@]}"; do [[ $p == "$server_pid" ]] || keep+=("$p"); done
  pids=("${keep[@]}")
}

# ---------------------------------------------------------------- limberd
state=''
start_limberd() {
  : > "$work/limberd-$run.log"
  setpriv --pdeathsig TERM -- "$bin/limberd" --state-dir "$state" \
    </dev/null >>"$work/limberd-$run.log" 2>&1 &
  limberd_pid=$!
  lh_wait_until 30 "limberd ready" grep -aq 'limberd ready' "$work/limberd-$run.log"
}
trigger() { "$bin/limberctl" trigger matrix/stand-up >/dev/null; }
stop_limberd() { lh_stop_pid "$limberd_pid" limberd; limberd_pid=''; }
log_has() { grep -aq -- "$1" "$work/limberd-$run.log"; }
done_count() { sqlite3 "file:$state/history.sqlite?mode=ro" "SELECT count(*) FROM outcome WHERE kind = 'done'" 2>/dev/null || echo 0; }
done_reaches() { [[ $(done_count) -ge $1 ]]; }

# ---------------------------------------------------------------- the server's screen
# What is on screen, and a person's click, per server.
showing() {  # showing SERVER N: exactly N reminders on screen
  case $1 in
    dunst) [[ $(dunstctl count displayed 2>/dev/null) == "$2" ]] ;;
    lxqt-notificationd) [[ $(xdotool search --onlyvisible --class '^lxqt-notificationd$' 2>/dev/null | wc -l) == "$2" ]] ;;
    *) [[ $("$BUTTON" count Done 2>/dev/null) == "$2" ]] ;;
  esac
}
click_done() {
  case $1 in
    dunst) echo done > "$LIMBER_TEST_DUNST_PICK_FILE"; dunstctl context ;;
    lxqt-notificationd) lxqt_click_done ;;
    *) "$BUTTON" click Done ;;
  esac
}
lxqt_windows() { xdotool search --onlyvisible --class '^lxqt-notificationd$' 2>/dev/null | wc -l; }
lxqt_click_done() {  # LXQt: "Actions:" combo box, then OK (not in the a11y tree: by place, bottom right)
  local w X Y WIDTH HEIGHT SCREEN WINDOW before
  w=$(xdotool search --onlyvisible --class '^lxqt-notificationd$' | head -1)
  [[ -n $w ]] || return 1
  eval "$(xdotool getwindowgeometry --shell "$w")"
  before=$(lxqt_windows)
  xdotool mousemove --sync $((X + WIDTH - 167)) $((Y + HEIGHT - 35)) click 1
  lh_wait_until 10 "LXQt's list of actions" bash -c "(( \$(xdotool search --onlyvisible --class '^lxqt-notificationd\$' | wc -l) > $before ))" \
    || return 1
  xdotool type --delay 30 Done   # the list's own search: the item labelled Done
  xdotool key Return
  lh_wait_until 10 "the list closed" bash -c "(( \$(xdotool search --onlyvisible --class '^lxqt-notificationd\$' | wc -l) <= $before ))" \
    || return 1
  xdotool mousemove --sync $((X + WIDTH - 89)) $((Y + HEIGHT - 35)) click 1
  xdotool mousemove 0 0
}
answerable() { true; }
answer_done() {  # answer_done SERVER N WHAT: click Done until N done outcomes (a person clicks again if nothing happened)
  local attempt
  for attempt in 1 2 3; do
    click_done "$1" >/dev/null 2>&1
    if lh_wait_until 15 "$3 (click $attempt)" done_reaches "$2"; then t_ok "$3"; return 0; fi
  done
  t_fail "$3" "no done outcome after 3 clicks"
  screenshot "$3"
}

screenshot() {  # screenshot WHAT: the display as it is, kept for a failed check
  mkdir -p "$shots"
  local f
  f="$shots/$run-$(tr -c 'A-Za-z0-9_-' '_' <<<"$1" | cut -c1-60).png"
  import -display "$DISPLAY" -window root "$f" 2>/dev/null && echo "     screenshot: $f"
}
expect() {  # expect SECONDS WHAT CMD...: wait_for, with a screenshot when it fails
  local before=$T_FAIL
  wait_for "$@"
  (( T_FAIL > before )) && screenshot "$2"
  return 0
}

# ---------------------------------------------------------------- one server
matrix_run() {
  local name=$1
  run=$name
  state=$work/state-$name
  echo "# $name"
  start_bus "$name" && start_display "$name" && start_a11y "$name" && start_monitor "$name" && start_server "$name" \
    || { t_fail "$name: peers up" "see $work"; stop_peers; return; }
  start_limberd || { t_fail "$name: limberd starts" "$(tail -5 "$work/limberd-$run.log")"; stop_peers; return; }

  check "$name: limberctl trigger" trigger
  expect 30 "$name: the reminder is shown" showing "$name" 1

  # limberd restarts with the reminder on screen: the new one takes it over.
  stop_limberd
  start_limberd || { t_fail "$name: limberd starts again" "$(tail -5 "$work/limberd-$run.log")"; stop_peers; return; }
  expect 30 "$name: after a restart, limberd replaces the notification on screen" \
    log_has 'left by the last run replaced'
  expect 10 "$name: still one notification on screen, not two" showing "$name" 1
  if answerable "$name"; then
    local closed
    closed=$(closed_count)
    answer_done "$name" 1 "$name: Done, clicked, reaches the restarted limberd"
    expect 20 "$name: the answered notification is closed (NotificationClosed)" closed_beyond "$closed"
    # notification-daemon 3.20 on Xvfb sends NotificationClosed for
    # CloseNotification but leaves the bubble drawn (a server bug).
    [[ $name == notification-daemon ]] || expect 20 "$name: and gone from the screen" showing "$name" 0
  fi
  check "$name: limberd logged no error" bash -c "! grep -a ' error' '$work/limberd-$run.log' | grep -q ."
  stop_limberd
  stop_peers
}

# A server swapped with a reminder on screen: dunst, then xfce4-notifyd.
swap_run() {
  run=swap
  state=$work/state-swap
  echo "# swap: dunst -> xfce4-notifyd"
  start_bus swap && start_display swap && start_a11y swap && start_server dunst \
    || { t_fail "swap: peers up" "see $work"; stop_peers; return; }
  start_limberd || { t_fail "swap: limberd starts" "$(tail -5 "$work/limberd-$run.log")"; stop_peers; return; }
  check "swap: limberctl trigger" trigger
  expect 30 "swap: the reminder is shown on dunst" showing dunst 1
  stop_server
  start_server xfce4-notifyd || { t_fail "swap: xfce4-notifyd up"; stop_peers; return; }
  expect 30 "swap: the reminder is shown on the new server" showing xfce4-notifyd 1
  answer_done xfce4-notifyd 1 "swap: Done on the new server is recorded"
  expect 20 "swap: the answered notification is gone" showing xfce4-notifyd 0
  stop_limberd
  stop_peers
}

for name in "${ORDER[@]}"; do
  if [[ ! -x ${EXEC[$name]:-/nonexistent} ]]; then
    t_fail "$name installed" "${EXEC[$name]:-unknown server} missing (scripts/ci-deps.sh --install)"
    continue
  fi
  matrix_run "$name"
done
if (( $# == 0 )); then swap_run; fi
finish
