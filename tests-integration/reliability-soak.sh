#!/usr/bin/env bash
# reliability-soak tier: limberd sped up over LIMBER_SOAK_DAYS simulated days
# (default 7; the month in docs/reliability.md is LIMBER_SOAK_DAYS=30) at
# --time-scale LIMBER_SOAK_SCALE (default 20000: a week in about 30 s), against
# the notification mock and a logind mock, with a scripted user who answers at
# random (answerer.py) and goes idle, comes back, locks and sleeps at random.
# Checks: limberd never exits on its own and stops cleanly; its RSS does not
# grow (the median of the last quarter of the samples against the second
# quarter: at most LIMBER_SOAK_RSS_SLACK_KB, default 2048, more); every
# notification shown is accounted for by a shown outcome; no two reminders
# first shown closer than the coalescing window (5 min) in simulated time;
# the history passes check_history.py. Prints a FIGURES line.
set -uo pipefail
HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
if [[ -z ${LIMBER_TEST_NOTIFY_LOG:-} ]]; then
  exec "$REPO/scripts/with-system-bus" --logind -- "$REPO/scripts/with-notify-mock" -- "$0" "$@"
fi
T_NAME=reliability-soak
source "$HERE/lib.sh"
DAYS=${LIMBER_SOAK_DAYS:-7}
SCALE=${LIMBER_SOAK_SCALE:-20000}
SLACK_KB=${LIMBER_SOAK_RSS_SLACK_KB:-2048}
SEED=${LIMBER_SOAK_SEED:-$RANDOM}
RANDOM=$SEED
bin=${LIMBER_BIN_DIR:-$(cd "$REPO" && swift build --show-bin-path)}
limberd=$bin/limberd
[[ -x $limberd ]] || { echo "FAIL - no limberd at $limberd (swift build first)"; echo "$T_NAME: 0 passed, 1 failed"; exit 1; }
real_seconds=$(( DAYS * 86400 / SCALE ))
(( real_seconds >= 5 )) || real_seconds=5

work=$(mktemp -d /tmp/limber-soak.XXXXXX)
answerer_pid='' limberd_pid=''
cleanup() {
  [[ -n $limberd_pid ]] && { kill -KILL "$limberd_pid" 2>/dev/null; wait "$limberd_pid" 2>/dev/null; }
  [[ -n $answerer_pid ]] && lh_stop_pid "$answerer_pid" answerer
  if (( T_FAIL )); then echo "(kept $work for a look)"; else rm -rf -- "$work"; fi
}
trap cleanup EXIT
mkdir -p "$work/config/limber" "$work/state"
cat > "$work/config/limber/limber.toml" <<'TOML'
programs = ["desk-basics", "sciatica-relief"]
TOML
export XDG_CONFIG_HOME=$work/config XDG_STATE_HOME=$work/state
export XDG_CONFIG_DIRS=$work/none XDG_DATA_DIRS=$REPO/config-not-here
export SWIFT_BACKTRACE=enable=no
# the shipped programs, as an install's share/limber would have them
mkdir -p "$work/share/limber"; cp -r "$REPO/config/programs" "$work/share/limber/"
export XDG_DATA_DIRS=$work/share
state=$work/state/limber

# reminders stay up 15 simulated minutes: answer within 0-13 of them
delay_ms=$(( 13 * 60 * 1000 / SCALE )); (( delay_ms >= 5 )) || delay_ms=5
/usr/bin/python3 "$HERE/reliability/answerer.py" --answers "$work/answers.txt" --seed "$SEED" \
  --delay-ms "$delay_ms" --poll-ms 2 2>"$work/answerer.err" &
answerer_pid=$!

"$limberd" --time-scale "$SCALE" --state-dir "$XDG_STATE_HOME/limber" > "$work/limberd.log" 2>&1 &
limberd_pid=$!
wait_for 20 "limberd ready" grep -q 'limberd ready' "$work/limberd.log"

logind() {  # logind METHOD-ARGS... on the mock (best effort: the logind plugin may not listen yet)
  gdbus call --system --dest org.freedesktop.login1 "$@" >/dev/null 2>&1 || true
}
session=${LIMBER_TEST_LOGIND_SESSION:-/org/freedesktop/login1/session/auto}
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$limberd_pid/status" 2>/dev/null; }
samples=()
events=0 exited_early=0
t0=$(date +%s%N)
end=$(( t0 + real_seconds * 1000000000 ))
next_event=$(( t0 + 1000000000 ))
while (( $(date +%s%N) < end )); do
  if ! kill -0 "$limberd_pid" 2>/dev/null; then exited_early=1; break; fi
  samples+=("$(rss_kb)")
  now=$(date +%s%N)
  if (( now >= next_event )); then
    # the user: idle a while, back; locked; a suspend (PrepareForSleep true, then false)
    case $(( RANDOM % 4 )) in
      0) logind --object-path "$session" --method org.freedesktop.DBus.Mock.UpdateProperties \
           org.freedesktop.login1.Session "{'IdleHint': <true>}" ;;
      1) logind --object-path "$session" --method org.freedesktop.DBus.Mock.UpdateProperties \
           org.freedesktop.login1.Session "{'IdleHint': <false>, 'LockedHint': <false>}" ;;
      2) logind --object-path "$session" --method org.freedesktop.DBus.Mock.UpdateProperties \
           org.freedesktop.login1.Session "{'LockedHint': <true>}" ;;
      3) logind --object-path /org/freedesktop/login1 --method org.freedesktop.DBus.Mock.EmitSignal \
           org.freedesktop.login1.Manager PrepareForSleep b "[<true>]"
         logind --object-path /org/freedesktop/login1 --method org.freedesktop.DBus.Mock.EmitSignal \
           org.freedesktop.login1.Manager PrepareForSleep b "[<false>]" ;;
    esac
    events=$((events + 1))
    next_event=$(( now + (500 + RANDOM % 2500) * 1000000 ))
  fi
  sleep 0.25   # the RSS sampling period
done
check_eq "limberd ran the whole soak without exiting" 0 "$exited_early"
kill -TERM "$limberd_pid"; wait "$limberd_pid"; rc=$?; limberd_pid=''
check_eq "limberd stops cleanly on SIGTERM" 0 "$rc"
lh_stop_pid "$answerer_pid" answerer; answerer_pid=''

# RSS: second quarter (after start-up) against the last quarter, medians.
read -r n q2 q4 first last <<<"$(printf '%s\n' "${samples[@]}" | grep -E '^[0-9]+$' | /usr/bin/python3 -c '
import sys, statistics
s = [int(x) for x in sys.stdin.read().split()]
n = len(s)
if n < 8:
    print(n, 0, 0, 0, 0)
else:
    print(n, int(statistics.median(s[n//4:n//2])), int(statistics.median(s[3*n//4:])), s[0], s[-1])
')"
growth=$(( q4 - q2 ))
if (( n >= 8 && growth <= SLACK_KB )); then
  t_ok "RSS steady: median ${q2} kB (2nd quarter) -> ${q4} kB (last quarter), growth ${growth} kB <= ${SLACK_KB} kB, $n samples"
else
  t_fail "RSS steady" "median ${q2} kB -> ${q4} kB (growth ${growth} kB > ${SLACK_KB} kB), $n samples"
fi
out=$("$HERE/reliability/check_history.py" --state "$state" --notify-log "$LIMBER_TEST_NOTIFY_LOG" --coalesce-seconds 300)
rc=$?
check_eq "the history accounts for every notification and keeps the coalescing window: $out" 0 "$rc"
answers=$(wc -l < "$work/answers.txt" 2>/dev/null || echo 0)
echo "FIGURES days=$DAYS scale=$SCALE real_seconds=$real_seconds rss_kb_first=$first rss_kb_q2=$q2 rss_kb_q4=$q4 rss_kb_last=$last samples=$n answers=$answers user_events=$events seed=$SEED history=$out"
finish
