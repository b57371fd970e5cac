#!/usr/bin/env bash
# status-bars: limberctl's status-bar line read by waybar's own parser
# (waybar 0.9, Debian 12) on a headless sway, as docs/api.md's snippet
# configures it (`"return-type": "json"`).
#
# limberd (the debug build) runs on a private bus with desk-basics, its sit
# break retitled "Stand & stretch <now>" (markup a bar must not take as
# markup). The lines a bar reads are taken in four states: counting (the
# first line of `watch --status --json`), paused, due, and off (no limberd).
# Each is then fed to one custom module of a real waybar (as root: sway
# refuses root, so sway and waybar run as a throwaway user). waybar's style
# gives each `class` its own colour, and the due module's format picks a
# wide icon only at a high `percentage`; a screenshot (grim) shows what
# waybar made of each line. waybar must log no JSON or Pango markup error.
# polybar and i3status-rust take plain lines (`watch --status`): nothing to
# parse there.
set -uo pipefail
source "$(dirname "$(readlink -f "$0")")/lib.sh"
cd "$REPO"
bin=$(swift build --show-bin-path)

if [[ $(id -u) -ne 0 ]]; then
  echo "SKIP - status-bars: needs root (sway runs as a throwaway user)"
  finish; exit $?
fi
for tool in sway waybar grim setpriv useradd dbus-daemon; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIP - status-bars: $tool is not installed (scripts/ci-deps.sh --install)"
    finish; exit $?
  fi
done

RUN=$(lh_mktemp_dir lsb)
USER_NAME=limberbar$$
WL=/tmp/lsbw-$$
PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
  PIDS=()
  id "$USER_NAME" >/dev/null 2>&1 && { userdel "$USER_NAME" >/dev/null 2>&1 || echo "status-bars: userdel $USER_NAME failed" >&2; }
  rm -rf "$RUN" "$WL"
}
trap cleanup EXIT

# ---- the lines, from a real limberd
mkdir -p "$RUN/cfg/limber/programs/desk-basics.toml.d" "$RUN/state" "$RUN/home" "$RUN/lines"
printf 'programs = ["desk-basics"]\nworking_hours = "00:00-24:00"\nactive_days = "daily"\n' >"$RUN/cfg/limber/limber.toml"
printf '[reminders.sit-break]\ntitle = "Stand & stretch <now>"\n' >"$RUN/cfg/limber/programs/desk-basics.toml.d/50-title.toml"
export XDG_CONFIG_HOME=$RUN/cfg XDG_CONFIG_DIRS=$RUN/no-etc XDG_STATE_HOME=$RUN/state HOME=$RUN/home
export DBUS_SYSTEM_BUS_ADDRESS=unix:path=$RUN/no-system-bus
export DBUS_SESSION_BUS_ADDRESS=unix:path=$RUN/no-bus-yet
"$bin/limberctl" status --json >"$RUN/lines/off.line" 2>/dev/null
check_eq "without limberd, status --json exits 3" 3 "$?"
exec {bfd}< <(dbus-daemon --session --address="unix:path=$RUN/bus" --nofork --print-address=1 --print-pid=1 2>/dev/null)
read -r line <&$bfd; export DBUS_SESSION_BUS_ADDRESS=$line
read -r line <&$bfd; PIDS+=("$line")
"$bin/limberd" >"$RUN/limberd.log" 2>&1 &
PIDS+=($!)
wait_for 30 "limberd answers on the bus" "$bin/limberctl" status
"$bin/limberctl" watch --status --json >"$RUN/watch.out" 2>&1 &
watch_pid=$!
wait_for 20 "watch --status --json prints the status at start" grep -q '}$' "$RUN/watch.out"
kill "$watch_pid"; wait "$watch_pid" 2>/dev/null
head -n 1 "$RUN/watch.out" >"$RUN/lines/counting.line"
"$bin/limberctl" pause 30m >/dev/null
"$bin/limberctl" status --json >"$RUN/lines/paused.line"
"$bin/limberctl" resume >/dev/null
"$bin/limberctl" trigger desk-basics/sit-break >/dev/null
wait_for 20 "the sit break is on screen" sh -c "'$bin/limberctl' status --json | grep -q '\"class\":\"due\"'"
"$bin/limberctl" status --json >"$RUN/lines/due.line"
for state in counting paused due off; do
  check "the $state line is one JSON object of class $state" /usr/bin/python3 -c '
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 1, lines
assert json.loads(lines[0])["class"] == sys.argv[2], lines[0]' "$RUN/lines/$state.line" "$state"
done
check "the due line carries the title escaped for Pango" grep -q 'Stand &amp; stretch &lt;now&gt;' "$RUN/lines/due.line"

# ---- waybar reads them
useradd --system --user-group --no-create-home --shell /usr/sbin/nologin "$USER_NAME"
mkdir -m 700 "$WL"
cp "$RUN"/lines/*.line "$WL/"
mkfifo -m 600 "$WL/ready"
echo "exec sh -c 'echo \"\$WAYLAND_DISPLAY\" > $WL/ready'" >"$WL/sway.conf"
wide=WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW
cat >"$WL/waybar.json" <<EOF
{"layer": "top", "position": "top", "height": 30,
 "modules-left": ["custom/counting", "custom/paused", "custom/due", "custom/off"],
 "custom/counting": {"exec": "cat $WL/counting.line", "return-type": "json", "format": "{icon}{}", "format-icons": ["", "$wide"]},
 "custom/paused": {"exec": "cat $WL/paused.line", "return-type": "json", "format": "{icon}{}", "format-icons": ["", "$wide"]},
 "custom/due": {"exec": "cat $WL/due.line", "return-type": "json", "format": "{icon}{}", "format-icons": ["", "$wide"]},
 "custom/off": {"exec": "cat $WL/off.line", "return-type": "json", "format": "{icon}{}", "format-icons": ["", "$wide"]}}
EOF
# One colour per class, text in the same colour: a module's pixels are its width.
cat >"$WL/style.css" <<'EOF'
* { font-size: 12px; min-height: 0; border: none; }
window#waybar { background: #000000; }
label { padding: 0 4px; margin: 0 6px; }
.counting { background: #00ff00; color: #00ff00; }
.paused { background: #0000ff; color: #0000ff; }
.due { background: #ff8000; color: #ff8000; }
.off { background: #ff00ff; color: #ff00ff; }
EOF
chown -R "$USER_NAME:$USER_NAME" "$WL"
as_user() {
  setpriv --reuid "$USER_NAME" --regid "$USER_NAME" --clear-groups -- env -i XDG_RUNTIME_DIR="$WL" HOME="$WL" \
    PATH=/usr/bin:/bin "$@"
}
# start_as_user LOG CMD...: in the background; setpriv and env exec, so the
# PID kept for the cleanup is the program's own (not a subshell's).
start_as_user() {
  local log=$1; shift
  setpriv --reuid "$USER_NAME" --regid "$USER_NAME" --clear-groups -- env -i XDG_RUNTIME_DIR="$WL" HOME="$WL" \
    PATH=/usr/bin:/bin "$@" >"$log" 2>&1 &
  PIDS+=($!)
}
start_as_user "$RUN/sway.log" WLR_BACKENDS=headless WLR_LIBINPUT_NO_DEVICES=1 WLR_RENDERER=pixman sway -c "$WL/sway.conf"
if ! read -r -t 60 display <"$WL/ready"; then
  t_fail "sway started headless" "$(tail -n 5 "$RUN/sway.log")"
  finish; exit $?
fi
start_as_user "$RUN/waybar.log" WAYLAND_DISPLAY="$display" waybar -c "$WL/waybar.json" -s "$WL/style.css"
waybar_pid=${PIDS[-1]}

# counts: the bar's pixels of each class colour (top 30 rows of a grim screenshot).
counts() {
  as_user WAYLAND_DISPLAY="$display" grim -t ppm "$WL/shot.ppm" 2>/dev/null || return 1
  /usr/bin/python3 - "$WL/shot.ppm" <<'EOF'
import sys
data = open(sys.argv[1], "rb").read()
magic, size, _, pixels = data.split(b"\n", 3)
w, h = map(int, size.split())
colours = {"counting": b"\x00\xff\x00", "paused": b"\x00\x00\xff", "due": b"\xff\x80\x00", "off": b"\xff\x00\xff"}
n = {k: 0 for k in colours}
for i in range(0, min(30, h) * w * 3, 3):
    for k, c in colours.items():
        if pixels[i:i + 3] == c:
            n[k] += 1
print(" ".join(f"{k}={v}" for k, v in n.items()))
EOF
}
all_drawn() { local c; c=$(counts) || return 1; ! grep -q '=0\b' <<<"$c"; }
wait_for 60 "waybar draws each line with its class's colour (it parsed class and text)" all_drawn
c=$(counts)
echo "# pixels per class: $c"
px() { sed -n "s/.*\b$1=\([0-9]*\).*/\1/p" <<<"$c"; }
check "percentage 100 (due) picks waybar's last format icon: its module is the widest" \
  test "$(px due)" -gt $(( 2 * $(px counting) )) -a "$(px due)" -gt $(( 2 * $(px off) ))
check "waybar is still running" kill -0 "$waybar_pid"
# A line it cannot parse: "[error] custom/NAME: * Line 1, Column 1 / Syntax error";
# bad markup: GTK's "Failed to set text ... from markup".
check "waybar logged no JSON or markup error" sh -c "! grep -Ei 'failed to set text|syntax error|\\[(error|critical)\\]' '$RUN/waybar.log'"
finish
