#!/usr/bin/env bash
# reliability-badinput tier: bad input everywhere, to the real limberd.
#
# 1. The control API: dbus_garbage.py makes LIMBER_GARBAGE_CALLS (default
#    3000) random bad calls - wrong types, empty and huge strings, unknown
#    ids, negative and overflowing durations - each must be an error, none
#    may hang, limberd must live and its state must not change.
# 2. Bad files on reload: the program in use (then limber.toml) becomes a
#    directory, a symlink loop, a FIFO, binary noise, 10 MB, '[' (a file saved
#    mid-edit), unreadable; after each SIGHUP and each D-Bus Reload limberd
#    runs on, keeps its configuration, says what is wrong as file:line:column,
#    and nothing in its history or state changes. Restored, it reloads fine.
# 3. Exec plugins that flood: one writes binary noise as fast as it can, one
#    an endless line with no newline, one floods stderr. limberd stays
#    responsive (the API answers within 2 s) and its memory bounded.
set -uo pipefail
HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
if [[ -z ${LIMBER_TEST_NOTIFY_LOG:-} ]]; then
  exec "$REPO/scripts/with-system-bus" --logind -- "$REPO/scripts/with-notify-mock" -- "$0" "$@"
fi
T_NAME=reliability-badinput
source "$HERE/lib.sh"
bin=${LIMBER_BIN_DIR:-$(cd "$REPO" && swift build --show-bin-path)}
limberd=$bin/limberd
[[ -x $limberd ]] || { echo "FAIL - no limberd at $limberd (swift build first)"; echo "$T_NAME: 0 passed, 1 failed"; exit 1; }
work=$(mktemp -d /tmp/limber-badinput.XXXXXX)
limberd_pid=''
cleanup() {
  [[ -n $limberd_pid ]] && lh_stop_pid "$limberd_pid" limberd
  chmod -R u+rwX "$work" 2>/dev/null
  if (( T_FAIL )); then echo "(kept $work for a look)"; else rm -rf -- "$work"; fi
}
trap cleanup EXIT
cfg=$work/config/limber
mkdir -p "$cfg/programs" "$work/state" "$work/share/limber"
cp -r "$REPO/config/programs" "$work/share/limber/"
cp "$REPO/config/programs/desk-basics.toml" "$cfg/programs/desk-basics.toml"
echo 'programs = ["desk-basics"]' > "$cfg/limber.toml"
export XDG_CONFIG_HOME=$work/config XDG_STATE_HOME=$work/state XDG_CONFIG_DIRS=$work/none XDG_DATA_DIRS=$work/share
export SWIFT_BACKTRACE=enable=no
state=$work/state/limber

api() {  # api METHOD [ARGS...]: a call on limberd's API (gdbus)
  local m=$1; shift
  timeout 10 gdbus call --session --dest org.limber.Limber1 --object-path /org/limber/Limber1 \
    --method "org.limber.Limber1.$m" "$@"
}
prop() {
  timeout 10 gdbus call --session --dest org.limber.Limber1 --object-path /org/limber/Limber1 \
    --method org.freedesktop.DBus.Properties.Get org.limber.Limber1 "$1"
}
fingerprint() {  # what must not change: the history's rows, state.json, the running configuration
  { sqlite3 "$state/history.sqlite" 'SELECT count(*), coalesce(max(id), 0) FROM outcome' 2>/dev/null
    sha256sum < "$state/state.json" 2>/dev/null
    prop EnabledPrograms; prop NextReminder; prop Paused; prop Showing; } | tr '\n' ' '
}

"$limberd" > "$work/limberd.log" 2>&1 &
limberd_pid=$!
wait_for 20 "limberd is on the bus" api Status

# ---------------------------------------------------------------- 1. the API
out=$(/usr/bin/python3 "$HERE/reliability/dbus_garbage.py" --calls "${LIMBER_GARBAGE_CALLS:-3000}" \
      --seed "${LIMBER_GARBAGE_SEED:-$RANDOM}" --pid "$limberd_pid")
rc=$?
check_eq "bad D-Bus calls: all errors, no hang, no state change: $(cut -c1-400 <<<"$out")" 0 "$rc"
echo "FIGURES dbus_garbage=$out"

# ---------------------------------------------------------------- 2. bad files
before=$(fingerprint)
prog=$cfg/programs/desk-basics.toml
cp "$prog" "$work/good-program.toml"; cp "$cfg/limber.toml" "$work/good-settings.toml"
make_bad() {  # make_bad KIND PATH
  rm -rf -- "$2"
  case $1 in
    directory) mkdir -p "$2/sub" ;;
    symlink-loop) ln -s "$2.loop" "$2"; ln -s "$2" "$2.loop" ;;
    fifo) mkfifo "$2" ;;
    binary) head -c 65536 /dev/urandom > "$2" ;;
    10mb) { echo '# a comment'; head -c 10485760 /dev/zero | tr '\0' 'x'; echo; } > "$2" ;;
    mid-edit) printf '[' > "$2" ;;
    unreadable) cp "$work/good-program.toml" "$2"; chmod 000 "$2" ;;
  esac
}
restore() { rm -rf -- "$prog" "$prog.loop" "$cfg/limber.toml" "$cfg/limber.toml.loop"
  cp "$work/good-program.toml" "$prog"; cp "$work/good-settings.toml" "$cfg/limber.toml"; }
kinds=(directory symlink-loop fifo binary 10mb mid-edit)
(( $(id -u) != 0 )) && kinds+=(unreadable)   # root reads a 000 file; see below
for target in program settings; do
  path=$prog; [[ $target == settings ]] && path=$cfg/limber.toml
  for kind in "${kinds[@]}"; do
    make_bad "$kind" "$path"
    kill -HUP "$limberd_pid"
    wait_for 10 "$target as $kind: limberd reports it after SIGHUP" \
      bash -c "gdbus call --session --dest org.limber.Limber1 --object-path /org/limber/Limber1 --method org.freedesktop.DBus.Properties.Get org.limber.Limber1 ConfigErrors | grep -q '$path'"
    errs=$(prop ConfigErrors)
    if [[ $errs =~ $path:[0-9]+:[0-9]+:\ [^\'\"]+ ]]; then t_ok "$target as $kind: positioned: ${BASH_REMATCH[0]:0:160}"
    else t_fail "$target as $kind: a file:line:column error" "$errs"; fi
    reply=$(api Reload 2>&1)
    [[ $reply == *ConfigInvalid* ]] && t_ok "$target as $kind: D-Bus Reload is refused (ConfigInvalid)" \
      || t_fail "$target as $kind: D-Bus Reload is refused" "$reply"
    check "$target as $kind: limberd lives" kill -0 "$limberd_pid"
    check_eq "$target as $kind: nothing changed" "$before" "$(fingerprint)"
    restore
  done
done
if (( $(id -u) == 0 )); then
  # As root a mode-000 file is readable: check the unreadable case as nobody.
  cp "$work/good-program.toml" "$work/unreadable.toml"; chmod 000 "$work/unreadable.toml"; chmod o+x "$work"
  out=$(setpriv --reuid 65534 --regid 65534 --clear-groups "$limberd" --check "$work/unreadable.toml" 2>&1); rc=$?
  [[ $rc == 1 && $out == "$work/unreadable.toml:1:1: "* ]] && t_ok "unreadable program (as nobody): $out" \
    || t_fail "unreadable program (as nobody)" "exit $rc: $out"
fi
reply=$(api Reload 2>&1)
check_eq "restored: D-Bus Reload succeeds" "()" "$reply"
check_eq "restored: no configuration errors left" "(<@as []>,)" "$(prop ConfigErrors)"

# ---------------------------------------------------------------- 3. flooding exec plugins
mkdir -p "$cfg/plugins"
flood() {  # flood ID SHELL-BODY
  printf '#!/bin/sh\nread -r line\nprintf %s\n%s\n' "'{\"type\":\"hello\",\"protocol\":1}\\n'" "$2" > "$cfg/plugins/$1.sh"
  chmod +x "$cfg/plugins/$1.sh"
  printf 'id = "%s"\nname = "%s"\nexec = ["%s.sh"]\ncapabilities = ["observer"]\n' "$1" "$1" "$1" > "$cfg/plugins/$1.toml"
}
flood noise 'exec cat /dev/urandom'
flood endless 'exec tr -d "\n" < /dev/urandom'
flood stderr-flood 'yes "stderr noise" | head -c 20000000 >&2; exec sleep 600'
rss0=$(awk '/^VmRSS:/ {print $2}' "/proc/$limberd_pid/status")
check_eq "the flooding plugins load on Reload" "()" "$(api Reload 2>&1)"
worst_ms=0 rss_max=$rss0
deadline=$(( $(date +%s) + ${LIMBER_FLOOD_SECONDS:-8} ))
while (( $(date +%s) < deadline )); do
  t=$(date +%s%N); api Status >/dev/null 2>&1 || { t_fail "the API answers during the flood"; break; }
  ms=$(( ($(date +%s%N) - t) / 1000000 )); (( ms > worst_ms )) && worst_ms=$ms
  r=$(awk '/^VmRSS:/ {print $2}' "/proc/$limberd_pid/status"); (( r > rss_max )) && rss_max=$r
done
(( worst_ms < 2000 )) && t_ok "responsive during the flood: slowest Status ${worst_ms} ms" \
  || t_fail "responsive during the flood" "slowest Status ${worst_ms} ms"
(( rss_max - rss0 < 65536 )) && t_ok "memory bounded during the flood: RSS ${rss0} -> max ${rss_max} kB" \
  || t_fail "memory bounded during the flood" "RSS ${rss0} -> max ${rss_max} kB"
plugins=$(timeout 10 gdbus call --session --dest org.limber.Limber1 --object-path /org/limber/Limber1 --method org.limber.Limber1.ListPlugins)
[[ $plugins == *"'notify', 'running', 'built-in'"* && $plugins == *"('noise', 'running', 'exec'"* && $plugins == *"'endless'"* ]] \
  && t_ok "ListPlugins lists the built-ins and the flooding exec plugins, running" \
  || t_fail "ListPlugins lists the built-ins and the exec plugins" "${plugins:0:400}"
grep -aE 'noise|endless|stderr-flood' "$work/limberd.log" | LC_ALL=C tr -c '[:print:]\n' '?' | cut -c1-160 | sort | uniq -c | sort -rn | head -n 6
rm -f "$cfg/plugins/"*
check_eq "the flooding plugins go on Reload" "()" "$(api Reload 2>&1)"
check "limberd lives after the flood" kill -0 "$limberd_pid"
echo "FIGURES flood_worst_status_ms=$worst_ms flood_rss_kb=$rss0..$rss_max log_bytes=$(stat -c %s "$work/limberd.log")"

kill -TERM "$limberd_pid"; wait "$limberd_pid"; rc=$?; limberd_pid=''
check_eq "limberd stops cleanly on SIGTERM after all that" 0 "$rc"
finish
