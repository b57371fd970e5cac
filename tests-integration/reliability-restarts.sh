#!/usr/bin/env bash
# reliability-restarts tier: SIGKILL the real limberd at random moments,
# LIMBER_RESTARTS times (default 100), and check the history after each.
#
# limberd runs sped up (--time-scale, default 3000: a 50-minute sit break
# every second or so) against the notification mock on a private session bus
# and a logind mock on a private system bus; tests-integration/reliability/
# answerer.py answers its notifications at random (done, snooze, skip,
# dismiss, or nothing). Each round starts limberd, waits for it to be ready,
# then kills it with SIGKILL either at a random moment (0-1 s) or right after
# a notification reaches the server (the show/record window), alternately.
# After each kill, check_history.py: integrity_check ok, nothing set aside as
# corrupt, every earlier outcome still there unchanged, ids without holes,
# per reminder at most one shown and one ending, state.json never ahead of
# the history, every notification shown accounted for by a shown outcome
# (except one whose reminder the state file did not know yet as shown: the
# writer commits a step while its Notify is on the way, so a kill in that
# window cuts short what was never acknowledged; see docs/reliability.md).
# Last, limberd runs once more and stops cleanly on SIGTERM.
# Prints "reliability-restarts: N passed, N failed" and a FIGURES line.
set -uo pipefail
HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
if [[ -z ${LIMBER_TEST_NOTIFY_LOG:-} ]]; then
  exec "$REPO/scripts/with-system-bus" --logind -- "$REPO/scripts/with-notify-mock" -- "$0" "$@"
fi
T_NAME=reliability-restarts
source "$HERE/lib.sh"
RESTARTS=${LIMBER_RESTARTS:-100}
SCALE=${LIMBER_RESTART_TIME_SCALE:-3000}
SEED=${LIMBER_RESTART_SEED:-$RANDOM}
RANDOM=$SEED
bin=${LIMBER_BIN_DIR:-$(cd "$REPO" && swift build --show-bin-path)}
limberd=$bin/limberd
[[ -x $limberd ]] || { echo "FAIL - no limberd at $limberd (swift build first)"; echo "$T_NAME: 0 passed, 1 failed"; exit 1; }

work=$(mktemp -d /tmp/limber-restarts.XXXXXX)
answerer_pid='' limberd_pid=''
cleanup() {
  [[ -n $limberd_pid ]] && { kill -KILL "$limberd_pid" 2>/dev/null; wait "$limberd_pid" 2>/dev/null; }
  [[ -n $answerer_pid ]] && lh_stop_pid "$answerer_pid" answerer
  if (( T_FAIL )); then cp "$LIMBER_TEST_NOTIFY_LOG" "$work/notify.log" 2>/dev/null; echo "(kept $work for a look)"; else rm -rf -- "$work"; fi
}
trap cleanup EXIT
mkdir -p "$work/config/limber" "$work/state"
cat > "$work/config/limber/limber.toml" <<'TOML'
programs = ["desk-basics"]
working_hours = "00:00-23:59"
active_days = "daily"
stays_up = "30m"
TOML
export XDG_CONFIG_HOME=$work/config XDG_STATE_HOME=$work/state
export XDG_CONFIG_DIRS=$work/none XDG_DATA_DIRS=$work/none
export SWIFT_BACKTRACE=enable=no
state=$work/state/limber

/usr/bin/python3 "$HERE/reliability/answerer.py" --answers "$work/answers.txt" --seed "$SEED" --delay-ms 400 \
  2>"$work/answerer.err" &
answerer_pid=$!

# grep -c prints 0 and exits 1 when nothing matches: one number either way.
notifies() { local c; c=$(grep -c ' Notify ' "$LIMBER_TEST_NOTIFY_LOG" 2>/dev/null); echo "${c:-0}"; }
start_limberd() {  # start_limberd ROUND
  : > "$work/limberd.log"
  "$limberd" --time-scale "$SCALE" --state-dir "$XDG_STATE_HOME/limber" >>"$work/limberd.log" 2>&1 &
  limberd_pid=$!
  lh_wait_until 20 "limberd ready (round $1)" grep -q 'limberd ready' "$work/limberd.log"
}

echo "seed $SEED, $RESTARTS restarts, time scale $SCALE, in $work"
failures=0 crashed=0 kills_random=0 kills_after_notify=0 check_fail=0
start=$(date +%s)
for (( round = 1; round <= RESTARTS; round++ )); do
  if ! start_limberd "$round"; then
    failures=$((failures + 1)); t_fail "round $round: limberd did not get ready" "$(tail -n 5 "$work/limberd.log")"
    kill -KILL "$limberd_pid" 2>/dev/null; wait "$limberd_pid" 2>/dev/null; limberd_pid=''
    continue
  fi
  if (( round % 2 )); then
    # a random moment: 0 to 1 s after ready (0 to 50 simulated minutes)
    sleep "0.$(printf '%03d' $(( RANDOM % 1000 )))"   # the kill moment itself, not a wait
    kills_random=$((kills_random + 1))
  else
    # right after a notification reaches the server, plus 0-9 ms
    n=$(notifies)
    lh_wait_until 20 "a Notify (round $round)" bash -c "(( \$(grep -c ' Notify ' '$LIMBER_TEST_NOTIFY_LOG') > $n ))"
    sleep "0.00$(( RANDOM % 10 ))"
    kills_after_notify=$((kills_after_notify + 1))
  fi
  if ! kill -0 "$limberd_pid" 2>/dev/null; then
    crashed=$((crashed + 1)); t_fail "round $round: limberd had exited before the kill" "$(tail -n 5 "$work/limberd.log")"
  fi
  kill -KILL "$limberd_pid" 2>/dev/null; wait "$limberd_pid" 2>/dev/null; limberd_pid=''
  cat "$work/limberd.log" >> "$work/limberd-all.log"
  if ! out=$("$HERE/reliability/check_history.py" --state "$state" --previous "$work/dump.json" --dump "$work/dump.next.json" \
             --notify-log "$LIMBER_TEST_NOTIFY_LOG" --unacknowledged "$work/unacknowledged.json"); then
    check_fail=$((check_fail + 1)); t_fail "round $round: history after SIGKILL" "$out"
  fi
  [[ -f $work/dump.next.json ]] && mv "$work/dump.next.json" "$work/dump.json"

done
elapsed=$(( $(date +%s) - start ))
check_eq "limberd got ready after every one of $RESTARTS SIGKILLs" 0 "$failures"
check_eq "limberd was alive at every kill (no crash of its own)" 0 "$crashed"
check_eq "the history passed every check after every kill" 0 "$check_fail"

# Once more, to the end: it starts on what the kills left and stops cleanly.
if start_limberd final; then
  n=$(notifies)
  wait_for 20 "the restarted limberd shows a reminder" bash -c "(( \$(grep -c ' Notify ' '$LIMBER_TEST_NOTIFY_LOG') > $n ))"
  kill -TERM "$limberd_pid"; wait "$limberd_pid"; rc=$?; limberd_pid=''
  check_eq "limberd stops cleanly on SIGTERM after the kills" 0 "$rc"
else
  t_fail "limberd got ready after the last kill"
fi
final=$("$HERE/reliability/check_history.py" --state "$state" --previous "$work/dump.json" --notify-log "$LIMBER_TEST_NOTIFY_LOG" --unacknowledged "$work/unacknowledged.json")
check "the history is whole at the end: $final" true
[[ $final == *'"ok": true'* ]] || t_fail "final history check" "$final"
answers=$(wc -l < "$work/answers.txt" 2>/dev/null || echo 0)
echo "FIGURES restarts=$RESTARTS kills_random=$kills_random kills_after_notify=$kills_after_notify seconds=$elapsed answers_injected=$answers seed=$SEED final=$final"
finish
