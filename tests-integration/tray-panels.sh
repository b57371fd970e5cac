#!/usr/bin/env bash
# tray-panels: limber's tray icon in real panels under Xvfb: lxqt-panel's
# statusnotifier on a dark and on a light panel, and xfce4-panel's systray.
# Each run: a private display and session bus, the panel (it owns
# org.kde.StatusNotifierWatcher), limberd (the debug build); the item must
# register, the menu must open on a click on the icon (xdotool), and
# "Pause 30 min" picked from it with the keyboard must pause the daemon.
# Screenshots (icon, open menu) are kept in $LIMBER_TRAY_SHOTS (default: a
# directory printed at the end) for a person to look at.
set -uo pipefail
source "$(dirname "$(readlink -f "$0")")/lib.sh"
cd "$REPO"
bin=$(swift build --show-bin-path)
SHOTS=${LIMBER_TRAY_SHOTS:-$(mktemp -d /tmp/limber-tray-shots.XXXXXX)}
mkdir -p "$SHOTS"

for tool in Xvfb xdotool import lxqt-panel xfce4-panel dbus-daemon; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIP - tray-panels: $tool is not installed (scripts/ci-deps.sh --install)"
    finish
    exit $?
  fi
done

PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
  PIDS=()
}
trap cleanup EXIT

# start_session NAME: Xvfb + a session bus + a limber config in $RUN.
start_session() {
  RUN=$(mktemp -d "/tmp/ltp-$1.XXXXXX")
  mkdir -p "$RUN/cfg/limber/programs" "$RUN/state" "$RUN/rt" "$RUN/home"
  chmod 700 "$RUN/rt"
  cp config/programs/*.toml "$RUN/cfg/limber/programs/"
  printf 'programs = ["desk-basics"]\nworking_hours = "00:00-24:00"\nactive_days = "daily"\n' >"$RUN/cfg/limber/limber.toml"
  # The panel's helpers (xfconfd) are started by the bus: it passes them
  # its environment, so set it before the bus starts.
  export XDG_CONFIG_HOME=$RUN/cfg XDG_STATE_HOME=$RUN/state XDG_RUNTIME_DIR=$RUN/rt HOME=$RUN/home
  export XDG_CONFIG_DIRS=$RUN/no-etc XDG_DATA_HOME=$RUN/home/.local/share NO_AT_BRIDGE=1 GTK_A11Y=none
  local line
  exec {xfd}< <(Xvfb -displayfd 1 -nolisten tcp -screen 0 640x240x24 2>/dev/null & echo "pid $!")
  read -r line <&$xfd; PIDS+=("${line#pid }")
  read -r line <&$xfd; export DISPLAY=":$line"
  exec {bfd}< <(dbus-daemon --session --address="unix:path=$RUN/bus" --nofork --print-address=1 --print-pid=1 2>/dev/null)
  read -r line <&$bfd; export DBUS_SESSION_BUS_ADDRESS=$line
  read -r line <&$bfd; PIDS+=("$line")
}

watcher_items() {
  gdbus call --session -d org.kde.StatusNotifierWatcher -o /StatusNotifierWatcher \
    -m org.freedesktop.DBus.Properties.Get org.kde.StatusNotifierWatcher RegisteredStatusNotifierItems 2>/dev/null
}

# run_panel NAME X Y: the panel is up; start limberd, check, click the icon at X,Y.
run_panel() {
  local name=$1 x=$2 y=$3
  wait_for 20 "$name: the panel owns the StatusNotifierWatcher" \
    gdbus call --session -d org.freedesktop.DBus -o /org/freedesktop/DBus -m org.freedesktop.DBus.GetNameOwner org.kde.StatusNotifierWatcher
  "$bin/limberd" >"$RUN/limberd.log" 2>&1 &
  PIDS+=($!)
  wait_for 20 "$name: limber's item is registered with the panel" sh -c "$(declare -f watcher_items); watcher_items | grep -q StatusNotifierItem-"
  check "$name: limberctl plugins shows the tray registered" sh -c "'$bin/limberctl' plugins | grep -q 'tray  running  built-in  registered'"
  # The icon is drawn: the 24x24 square around it is more than the panel's one colour.
  wait_for 10 "$name: the icon is drawn in the panel" \
    sh -c "[ \"\$(import -window root -crop 24x24+$((x - 12))+$((y - 12)) -format %k info:)\" -gt 8 ]"
  import -window root "$SHOTS/$name-icon.png"
  local before
  before=$(xwininfo -root -children | grep -c '^ *0x')
  # A right click opens the menu in both hosts (a left click is Activate in LXQt).
  xdotool mousemove "$x" "$y" click 3
  wait_for 10 "$name: a click on the icon opens the menu (a popup window appears)" \
    sh -c "[ \"\$(xwininfo -root -children | grep -c '^ *0x')\" -gt $before ]"
  import -window root "$SHOTS/$name-menu.png"
  # Take a break now, I just moved, (separator), Pause 30 min.
  xdotool key Down Down Down Return
  wait_for 10 "$name: Pause 30 min from the tray paused limberd" \
    sh -c "'$bin/limberctl' status --json | grep -q '\"paused\":true'"
  import -window root "$SHOTS/$name-paused.png"
  cleanup
  rm -rf "$RUN"
}

# lxqt-panel, dark and light.
for shade in dark light; do
  start_session "lxqt-$shade"
  colour=$([[ $shade == dark ]] && echo '#202124' || echo '#f2f2f2')
  mkdir -p "$RUN/cfg/lxqt"
  cat >"$RUN/cfg/lxqt/panel.conf" <<EOF
[General]
__userfile__=true
panels=panel1

[panel1]
plugins=statusnotifier
position=Top
desktop=0
panelSize=32
iconSize=22
alignment=-1
width=100
width-percent=true
background-color=$colour
opacity=100

[statusnotifier]
alignment=Left
type=statusnotifier
EOF
  lxqt-panel >"$RUN/panel.log" 2>&1 &
  PIDS+=($!)
  run_panel "lxqt-$shade" 16 16
done

# xfce4-panel: one panel at the top with the systray plugin (it shows
# StatusNotifierItems), configured through xfconf (started on the bus).
start_session xfce
mkdir -p "$RUN/cfg/xfce4/xfconf/xfce-perchannel-xml"
cat >"$RUN/cfg/xfce4/xfconf/xfce-perchannel-xml/xfce4-panel.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<channel name="xfce4-panel" version="1.0">
  <property name="configver" type="int" value="2"/>
  <property name="panels" type="array">
    <value type="int" value="1"/>
    <property name="panel-1" type="empty">
      <property name="position" type="string" value="p=6;x=0;y=0"/>
      <property name="length" type="uint" value="100"/>
      <property name="position-locked" type="bool" value="true"/>
      <property name="size" type="uint" value="32"/>
      <property name="plugin-ids" type="array">
        <value type="int" value="1"/>
      </property>
    </property>
  </property>
  <property name="plugins" type="empty">
    <property name="plugin-1" type="string" value="systray"/>
  </property>
</channel>
EOF
xfce4-panel --disable-wm-check >"$RUN/panel.log" 2>&1 &
PIDS+=($!)
run_panel xfce 12 16

echo "screenshots: $SHOTS"
finish
