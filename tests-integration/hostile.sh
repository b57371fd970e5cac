#!/usr/bin/env bash
# hostile tier: another local user attacks limberd (issue 12), and each
# attack must be refused or neutralised. Root runs limberd (the victim; its
# files are trusted as root's); a throwaway second user, removed afterwards,
# is the attacker.
#
# 1. A planted checkout: the binary under a folder with a world-writable
#    parent; the attacker plants Package.swift, config/programs and a plugin
#    there. limberd must not read it (no walking up from the binary), and
#    with LIMBER_DATA_DIR pointed at it must skip every file with a warning.
# 2. A world-writable plugin program and a manifest others may write: not run,
#    said in --check and in `limberctl plugins` with where and why.
# 3. A state folder of another owner: not used; the status says so.
# 4. history.sqlite as a link to another application's database: moved
#    aside, the other database untouched; a history swapped while limberd
#    runs gets nothing more.
# 5. Escapes in a program title (OSC 52, OSC 0, CSI 2J, C1 CSI, BEL): none
#    reaches any text output (status, status --short, next, watch, programs
#    show, plugins, limberd --check, the foreground mode); waybar's JSON is
#    Pango-escaped.
# 6. A check-in note that is a formula: neutralised in the CSV export.
# And, with no notification server on the bus, status and plugins say where
# reminders went instead of "notify running".
set -uo pipefail
HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
T_NAME=hostile
if [[ $(id -u) -ne 0 ]]; then
  echo "SKIP $T_NAME: needs root (a throwaway second user plays the attacker)"
  exit 0
fi
if [[ -z ${LIMBER_TEST_SESSION_BUS:-} ]]; then
  exec "$REPO/scripts/with-session-bus" -- "$0" "$@"
fi
source "$HERE/lib.sh"
bin=${LIMBER_BIN_DIR:-$(cd "$REPO" && swift build --show-bin-path)}
for b in limberd limberctl; do
  [[ -x $bin/$b ]] || { echo "FAIL - no $b in $bin (swift build first)"; echo "$T_NAME: 0 passed, 1 failed"; exit 1; }
done

work=$(mktemp -d /tmp/limber-hostile.XXXXXX)
chmod 0755 "$work"
attacker=limberhostile-$$
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do lh_stop_pid "$p" limberd; done
  if getent passwd "$attacker" >/dev/null; then
    pkill_list=$(ps -o pid= -U "$attacker" 2>/dev/null)
    for p in $pkill_list; do kill -KILL "$p" 2>/dev/null; done
    userdel "$attacker" 2>/dev/null
    getent group "$attacker" >/dev/null && groupdel "$attacker" 2>/dev/null
  fi
  if (( T_FAIL )); then echo "(kept $work for a look)"; else rm -rf -- "$work"; fi
}
trap cleanup EXIT
useradd --no-create-home --user-group --shell /usr/sbin/nologin --comment "limber hostile tier $work" "$attacker" \
  || { t_fail "useradd $attacker"; finish; exit 1; }
auid=$(id -u "$attacker")
as_attacker() { setpriv --reuid="$auid" --regid="$auid" --clear-groups -- "$@"; }
mkdir -p "$work/markers"; chmod 0777 "$work/markers"

export NO_COLOR=1 TZ=UTC SWIFT_BACKTRACE=enable=no
home=$work/home
cfg=$home/.config/limber
mkdir -p "$cfg/programs" "$cfg/plugins" "$home/state"
export HOME=$home XDG_CONFIG_HOME=$home/.config XDG_STATE_HOME=$home/state XDG_CONFIG_DIRS=$work/no-etc
esc=$'\e'; bel=$'\a'; c1=$'\xc2\x9b'
# The victim's own program: its title carries escapes, as a hostile file would.
cat > "$cfg/programs/victim.toml" <<'EOF'
schema = 1
id = "victim"
name = "Victim \u001b]0;pwned-title\u0007program"
disclaimer = "A test program."

[exercises.stand]
name = "Stand\u001b[2J up"
category = "cardio"
position = "standing"
steps = ["Stand up."]

[reminders.stand-up]
cadence = "interval"
title = "Stand & stretch\u001b]52;c;cHduZWQ=\u0007\u009b31m\u001b[2J now"
every = "2h"
exercises = ["stand"]
EOF
cat > "$cfg/limber.toml" <<'EOF'
programs = ["victim"]
working_hours = "00:00-23:59"
EOF
chmod -R go-w "$home"

has_escape() { LC_ALL=C grep -q "[$esc$bel]" <<<"$1" || grep -qF "$c1" <<<"$1"; }
clean_output() {  # clean_output WHAT CMD...: CMD's stdout and stderr carry no escape
  local out
  out=$("${@:2}" 2>&1)
  if has_escape "$out"; then t_fail "$1 carries no escape" "$(printf '%q' "$out" | cut -c1-300)"; else t_ok "$1 carries no escape"; fi
}
start_limberd() {  # start_limberd LOG [ENV...]: limberd --foreground; waits for its API
  local log=$1; shift
  # umask 000: limberd makes its files private whatever it is started with.
  (umask 000; exec env "$@" "$bin/limberd" --foreground > "$log" 2>&1) &
  pids+=("$!")
  lh_wait_until 30 "limberd on the bus" "$bin/limberctl" status >/dev/null 2>&1
}
stop_limberd() { lh_stop_pid "${pids[-1]}" limberd; unset 'pids[-1]'; }

# ---------------------------------------------------------------- 1. planted checkout
pub=$work/pub
mkdir -p "$pub/opt/bin"; chmod 0777 "$pub"
cp "$bin/limberd" "$pub/opt/bin/limberd"
as_attacker sh -c "
  echo '// swift-tools-version:6.1' > '$pub/Package.swift'
  mkdir -p '$pub/config/programs' '$pub/config/plugins'
  sed 's/id = \"victim\"/id = \"planted\"/' '$cfg/programs/victim.toml' > '$pub/config/programs/planted.toml'
  printf '#!/bin/sh\ntouch $work/markers/planted\nsleep 30\n' > '$pub/config/plugins/evil.sh'
  chmod 755 '$pub/config/plugins/evil.sh'
  printf 'exec = [\"evil.sh\"]\ncapabilities = [\"observer\"]\n' > '$pub/config/plugins/evil.toml'
  echo 'programs = [\"planted\"]' > '$pub/config/limber.toml'"
check "the attacker planted a checkout above the binary" test -f "$pub/config/plugins/evil.toml"
out=$(env -u LIMBER_DATA_DIR "$pub/opt/bin/limberd" --check 2>&1)
check "limberd --check does not read the planted checkout" bash -c "! grep -qF '$pub/config' <<<\"\$1\"" _ "$out"
out=$(LIMBER_DATA_DIR=$pub/config "$bin/limberd" --check 2>&1)
check "pointed at it, --check skips the attacker's folder with a positioned warning" \
  grep -qE "^$pub/config:1:1: warning: skipped: it is owned by $attacker \\(uid $auid\\), not by you or root" <<<"$out"
start_limberd "$work/planted.log" -u LIMBER_DATA_DIR XDG_STATE_HOME="$work/planted-state"
"$bin/limberctl" reload >/dev/null 2>&1
stop_limberd
start_limberd "$work/planted2.log" LIMBER_DATA_DIR="$pub/config" XDG_STATE_HOME="$work/planted-state"
plugins=$(XDG_STATE_HOME=$work/planted-state "$bin/limberctl" plugins 2>&1)
stop_limberd
check "the planted plugin never ran (no walking up, and skipped when named)" test ! -e "$work/markers/planted"
check "limberctl plugins lists the planted folder as skipped, with where and why" \
  grep -qF "skipped" <<<"$plugins"

# ---------------------------------------------------------------- 2. plugins others may write
printf '#!/bin/sh\ntouch %s/markers/world-writable\nsleep 30\n' "$work" > "$cfg/plugins/ww.sh"
chmod 0777 "$cfg/plugins/ww.sh"
printf 'exec = ["ww.sh"]\ncapabilities = ["observer"]\n' > "$cfg/plugins/ww.toml"
printf '#!/bin/sh\ntouch %s/markers/open-manifest\nsleep 30\n' "$work" > "$cfg/plugins/om.sh"
chmod 0755 "$cfg/plugins/om.sh"
printf 'exec = ["om.sh"]\ncapabilities = ["observer"]\n' > "$cfg/plugins/om.toml"
chmod 0666 "$cfg/plugins/om.toml"
out=$("$bin/limberd" --check 2>&1)
check "--check: a world-writable plugin program is not run, at its manifest's exec line" \
  grep -qF "$cfg/plugins/ww.toml:1:8: will not run 'ww.sh': $cfg/plugins/ww.sh: it is writable by anyone (mode 777)" <<<"$out"
check "--check: a manifest others may write is skipped" \
  grep -qF "$cfg/plugins/om.toml:1:1: warning: skipped: it is writable by anyone (mode 666)" <<<"$out"

# ---------------------------------------------------------------- 4a. a linked history
state=$home/state/limber
mkdir -p "$state"; chmod 0700 "$state"
sqlite3 "$work/other.sqlite" 'CREATE TABLE mail(id INTEGER PRIMARY KEY, body TEXT); INSERT INTO mail(body) VALUES ("secret");'
other_sum=$(sha256sum < "$work/other.sqlite")
ln -s "$work/other.sqlite" "$state/history.sqlite"

start_limberd "$work/limberd.log"
check "limberd runs (on the victim's own program)" "$bin/limberctl" status
check "the history is a fresh file of its own, not the link" test -f "$state/history.sqlite" -a ! -L "$state/history.sqlite"
check "the link was moved aside, not followed" bash -c "ls '$state'/history.sqlite.corrupt-* >/dev/null && [[ -L \$(ls '$state'/history.sqlite.corrupt-* | head -n1) ]]"
check_eq "the other application's database is untouched" "$other_sum" "$(sha256sum < "$work/other.sqlite")"
check "and got no -wal beside it" test ! -e "$work/other.sqlite-wal"
check_eq "the state folder is 0700" 700 "$(stat -c %a "$state")"
check_eq "the history is 0600" 600 "$(stat -c %a "$state/history.sqlite")"

# ---------------------------------------------------------------- 2b. limberctl plugins
plugins=$("$bin/limberctl" plugins 2>&1)
check "limberctl plugins: the world-writable one failed, with file:line:column" \
  grep -qF "$cfg/plugins/ww.toml:1:8: will not run 'ww.sh'" <<<"$plugins"
check "limberctl plugins: the open manifest is skipped" grep -qE "^om +skipped" <<<"$plugins"
check "neither plugin ran" bash -c "[[ ! -e '$work/markers/world-writable' && ! -e '$work/markers/open-manifest' ]]"

# ---------------------------------------------------------------- 5. escapes everywhere
"$bin/limberctl" trigger victim/stand-up >/dev/null 2>&1
lh_wait_until 10 "the reminder showing" bash -c "'$bin/limberctl' status --short | grep -q 'Stand'"
clean_output "limberctl status" "$bin/limberctl" status
clean_output "limberctl status --short" "$bin/limberctl" status --short
clean_output "limberctl next" "$bin/limberctl" next
clean_output "limberctl programs show victim" "$bin/limberctl" programs show victim
clean_output "limberctl programs list" "$bin/limberctl" programs list
clean_output "limberctl plugins" "$bin/limberctl" plugins
clean_output "limberctl watch --status (first line)" timeout 5 bash -c "'$bin/limberctl' watch --status | head -n1"
clean_output "limberctl watch (first lines)" timeout 5 bash -c "'$bin/limberctl' watch | head -n1"
clean_output "limberd --check" "$bin/limberd" --check
json=$(timeout 5 bash -c "'$bin/limberctl' watch --status --json | head -n1")
check "watch --status --json: waybar's text is Pango-escaped" grep -qF '"text":"Stand &amp; stretch' <<<"$json"
json=$("$bin/limberctl" status --json)
check "the title limberd holds really carries the escapes (the JSON shows them as \\u001b)" grep -qF '\u001b]52;c;' <<<"$json"
check "status --json: the same for waybar's exec-on-interval" grep -qF '"text":"Stand &amp; stretch' <<<"$json"
check "the foreground mode printed the reminder without escapes" \
  bash -c "grep -q 'Stand' '$work/limberd.log' && ! LC_ALL=C grep -q \$'[\\e\\a]' '$work/limberd.log' && ! grep -qF \$'\\xc2\\x9b' '$work/limberd.log'"

# No notification server on this bus: say where reminders went, not "showing".
check "with no notification server, status says where reminders go" \
  bash -c "'$bin/limberctl' status | grep -qF 'no notification server: reminders go to the terminal'"
check "and limberctl plugins does not call notify running" \
  bash -c "'$bin/limberctl' plugins | grep -qE '^notify +absent +built-in +no notification server: reminders go to the terminal'"

# ---------------------------------------------------------------- 6. formula cells
"$bin/limberctl" checkin --pain 2 --note '=HYPERLINK("http://evil.example/","click")' >/dev/null 2>&1
"$bin/limberctl" checkin --pain 3 --note '@SUM(1+1)' >/dev/null 2>&1
csv=$("$bin/limberctl" export --csv 2>&1)
check "CSV export: a note starting with = is text ('=)" grep -qF "\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"click\"\")\"" <<<"$csv"
check "CSV export: a note starting with @ is text ('@)" grep -qF "'@SUM(1+1)" <<<"$csv"
check "CSV export: no raw formula cell at all" bash -c "! grep -qE '(^|,)[=+@]' <<<\"\$1\"" _ "$csv"

# ---------------------------------------------------------------- 4b. a history swapped while running
mv "$state/history.sqlite" "$work/history.orig"
: > "$work/decoy"
ln -s "$work/decoy" "$state/history.sqlite"
out=$("$bin/limberctl" checkin --pain 4 --note after-swap 2>&1)
check "a check-in after the swap is not written, and says why" grep -qi "replaced" <<<"$out"
check_eq "the decoy got nothing" 0 "$(stat -c %s "$work/decoy")"
stop_limberd

# ---------------------------------------------------------------- 3. state folder of another owner
other_state=$work/other-state
mkdir -p "$other_state/limber"; chown "$attacker:$attacker" "$other_state/limber"; chmod 0755 "$other_state/limber"
start_limberd "$work/limberd-other-state.log" XDG_STATE_HOME="$other_state"
status=$(XDG_STATE_HOME=$other_state "$bin/limberctl" status 2>&1)
stop_limberd
check "a state folder of another user is not used: the status says so" \
  grep -qF "state and history not kept: $other_state/limber belongs to $attacker (uid $auid), not to you" <<<"$status"
check_eq "and nothing was written into it" "" "$(ls -A "$other_state/limber")"

finish
