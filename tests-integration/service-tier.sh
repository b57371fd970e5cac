#!/usr/bin/env bash
# service-tier: limberd as a real systemd user service, in a real
# `systemd --user` manager (scripts/systemd-user-sandbox: a throwaway user,
# its own cgroup, a private mount namespace, full teardown).
#   scripts/install into the user's ~/.local; systemd-analyze --user verify;
#   start reaches active with the STATUS text; the sandboxing really applies
#   (namespaces, seccomp, read-only home but for the state and settings dirs);
#   a reminder reaches a notification server and its Done button is acted on;
#   reload with a broken program fails and says file:line:column while the
#   unit keeps running; reload with a fixed one applies it; a hung loop
#   (SIGSTOP past WatchdogSec) is restarted; stop is clean and quick; D-Bus
#   activation starts the unit; uninstall removes it.
# Needs root (prints a SKIP line otherwise). The part that runs as the
# sandbox user is this script with --inside.
set -uo pipefail
T_NAME=service-tier
source "$(dirname "$(readlink -f "$0")")/lib.sh"

# ================================================================ inside
if [[ ${1:-} == --inside ]]; then
  T_NAME=service-inside
  BIN=$LIMBER_BIN_DIR WORK=$SVC_WORK
  UNIT_DIR=$HOME/.local/share/systemd/user
  DROPINS=$HOME/.config/systemd/user/limberd.service.d
  LOCAL_BIN=$HOME/.local/bin
  note() { echo "note - $*"; }
  prop() { systemctl --user show -P "$1" limberd.service; }
  status_matches() { [[ $(prop StatusText) =~ $1 ]]; }
  journal_has() { journalctl --user -u limberd.service --no-pager -q -o cat | grep -qE -- "$1"; }
  ms_now() { echo $(( $(date +%s%N) / 1000000 )); }

  # The manager's own messages (watchdog timeouts, start/stop) into the
  # journal, as user@.service has them on a desktop.
  systemd-analyze --user log-target journal

  # ---------------------------------------------------------- install
  out=$("$LIMBER_REPO/scripts/install" --bin-dir "$BIN" 2>&1)
  check_eq "scripts/install (default PREFIX ~/.local, as the user) succeeds" 0 "$?"
  check "install prints the systemctl line to run next" \
    grep -qxF '  systemctl --user daemon-reload && systemctl --user enable --now limberd' <<<"$out"
  check "the unit is in ~/.local/share/systemd/user" test -f "$UNIT_DIR/limberd.service"
  check "its ExecStart= is the installed limberd" \
    grep -qxF "ExecStart=$LOCAL_BIN/limberd" "$UNIT_DIR/limberd.service"
  check "its ExecReload= is the installed limberctl reload" \
    grep -qxF "ExecReload=$LOCAL_BIN/limberctl reload" "$UNIT_DIR/limberd.service"
  check "the D-Bus activation file names limberd.service" \
    grep -qxF "SystemdService=limberd.service" "$HOME/.local/share/dbus-1/services/org.limber.Limber1.service"

  # systemd-analyze verify; the Documentation= man pages are checked once
  # they are installed (MANPATH for ~/.local/share/man).
  man_opt=--man=no
  if [[ -f $HOME/.local/share/man/man8/limberd.8 && -f $HOME/.local/share/man/man1/limberctl.1 \
        && -f $HOME/.local/share/man/man5/limber.toml.5 ]]; then
    man_opt=--man=yes
  else
    note "man pages not installed yet: verify with --man=no"
  fi
  check "systemd-analyze --user verify $man_opt limberd.service" \
    env MANPATH="$HOME/.local/share/man:" PATH="$LOCAL_BIN:$PATH" \
      systemd-analyze --user verify "$man_opt" "$UNIT_DIR/limberd.service"

  # ---------------------------------------------------------- the test program
  # 600x speed through a drop-in (the installed unit is used as is
  # otherwise): the 2-hourly reminder comes after 12 s, and stays up 6 s.
  mkdir -p "$HOME/.config/limber/programs" "$DROPINS"
  cp "$WORK/limber.toml" "$HOME/.config/limber/limber.toml"
  cp "$WORK/svc-test.toml" "$HOME/.config/limber/programs/svc-test.toml"
  # The test's limberd is the debug build (--bin-dir), whose compiled-in data
  # dir is not ~/.local/share/limber: name the installed one, as for limberctl.
  export LIMBER_DATA_DIR=$HOME/.local/share/limber
  printf '[Service]\nEnvironment=LIMBER_DATA_DIR=%%h/.local/share/limber\nExecStart=\nExecStart=%s/limberd --time-scale 600 --state-dir %%h/.local/state/limber\n' "$LOCAL_BIN" > "$DROPINS/50-test-speed.conf"
  # Nothing but our mock may own org.freedesktop.Notifications.
  systemctl --user mask --quiet dunst.service 2>/dev/null || true

  # ---------------------------------------------------------- start
  check "systemctl --user daemon-reload" systemctl --user daemon-reload
  t0=$(ms_now)
  check "systemctl --user start limberd (Type=notify: returns after READY=1)" timeout 40 systemctl --user start limberd
  note "start took $(( $(ms_now) - t0 )) ms"
  check_eq "limberd is active" active "$(systemctl --user is-active limberd)"
  check "StatusText is the daemon's STATUS= ('next: ...; N of M done today' or 'no reminders yet today')" \
    status_matches '^(next: .+|showing: .+|nothing scheduled); ([0-9]+ of [0-9]+ done today|no reminders yet today)(; .+)?$'
  echo "     StatusText=$(prop StatusText)"
  pid=$(prop MainPID)
  check "MainPID is limberd" bash -c "[[ \$(cat /proc/$pid/comm) == limberd ]]"

  # ---------------------------------------------------------- sandboxing in effect
  st=/proc/$pid/status
  check_eq "NoNewPrivileges= in effect (NoNewPrivs: 1)" 1 "$(awk '/^NoNewPrivs:/ {print $2}' "$st")"
  check_eq "seccomp filter in effect (Seccomp: 2)" 2 "$(awk '/^Seccomp:/ {print $2}' "$st")"
  check_eq "CapabilityBoundingSet= empty (CapBnd: 0)" 0000000000000000 "$(awk '/^CapBnd:/ {print $2}' "$st")"
  for ns in user mnt net uts; do
    check "its own $ns namespace (PrivateUsers/ProtectSystem/PrivateNetwork/ProtectHostname)" \
      bash -c "[[ \$(readlink /proc/$pid/ns/$ns) != \$(readlink /proc/self/ns/$ns) ]]"
  done
  mi=$(awk '{print $5, $6}' "/proc/$pid/mountinfo")
  mount_opts() { awk -v p="$1" '$1 == p {o=$2} END {print o}' <<<"$mi"; }
  check "/ is read-only (ProtectSystem=strict)" bash -c "[[ '$(mount_opts /)' == ro,* ]]"
  check "the home is read-only (ProtectHome=read-only)" bash -c "[[ '$(mount_opts "$HOME")$(mount_opts /home)' == ro,* ]]"
  check "the state dir ~/.local/state/limber is writable" bash -c "[[ '$(mount_opts "$HOME/.local/state/limber")' == rw,* ]]"
  check "the settings dir ~/.config/limber is writable (limber.toml.d)" bash -c "[[ '$(mount_opts "$HOME/.config/limber")' == rw,* ]]"
  check "/tmp is private (PrivateTmp=)" bash -c "awk '\$5 == \"/tmp\" {f=1} END {exit !f}' /proc/$pid/mountinfo"
  check "/dev is private (PrivateDevices=)" bash -c "awk '\$5 == \"/dev\" && \$9 == \"tmpfs\" {f=1} END {exit !f}' /proc/$pid/mountinfo"
  check "/proc/sys is read-only (ProtectKernelTunables=)" bash -c "[[ '$(mount_opts /proc/sys)' == ro,* ]]"
  check "/sys/fs/cgroup is read-only (ProtectControlGroups=)" bash -c "[[ '$(mount_opts /sys/fs/cgroup)' == ro,* ]]"
  check "/proc/kmsg is hidden (ProtectKernelLogs=)" bash -c "[[ -n '$(mount_opts /proc/kmsg)' ]]"
  note "running unit: $(systemd-analyze --user security limberd.service 2>/dev/null | grep -o 'Overall exposure level.*')"
  wait_for 10 "limberd wrote its history in ~/.local/state/limber" test -s "$HOME/.local/state/limber/history.sqlite"

  # ---------------------------------------------------------- a reminder, and Done
  log=$LIMBER_TEST_NOTIFY_LOG
  wait_for 30 "a reminder reaches the notification server (Notify)" \
    grep -q 'Notify "limber" 0 .*"Stand up (service test)"' "$log"
  check "the reminder offers Done" grep -q 'Notify "limber" .*"done", "Done"' "$log"
  # The mock numbers notifications 1, 2, ... in the order of the Notify calls.
  nid=$(( $(grep ' Notify ' "$log" | grep -n 'Stand up (service test)' | head -n1 | cut -d: -f1) ))
  wait_for 10 "StatusText says it is showing" status_matches '^showing: Stand up \(service test\)'
  check "ActionInvoked($nid, done) injected" gdbus call --session --dest org.freedesktop.Notifications \
    --object-path /org/freedesktop/Notifications --method org.freedesktop.DBus.Mock.EmitSignal \
    org.freedesktop.Notifications ActionInvoked us "[<uint32 $nid>, <'done'>]"
  wait_for 10 "Done is acted on: StatusText counts 1 done today" status_matches '; 1 of [0-9]+ done today(; .+)?$'
  wait_for 10 "and limberd closes the notification (CloseNotification $nid)" grep -q "CloseNotification $nid\$" "$log"

  # ---------------------------------------------------------- reload
  real_ctl=0
  "$BIN/limberctl" --help 2>/dev/null | grep -qw reload && real_ctl=1
  cp "$WORK/svc-test-broken.toml" "$HOME/.config/limber/programs/svc-test.toml"
  if (( real_ctl )); then
    out=$(timeout 60 systemctl --user reload limberd 2>&1)
    rc=$?
    check "reload with a broken program fails (systemctl --user reload exit $rc)" test "$rc" -ne 0
    # ExecReload= (limberctl reload) returned when the reload was done:
    # the daemon's verdict is there already, no wait.
    check "when it returns, StatusText already says reload failed with file:line:column" \
      status_matches 'reload failed: .*svc-test\.toml:[0-9]+:[0-9]+: '
  else
    note "limberctl has no 'reload' yet (the control API is not merged): reloading with SIGHUP"
    check "SIGHUP to limberd (systemctl --user kill -s HUP)" systemctl --user kill -s HUP --kill-who=main limberd
  fi
  wait_for 10 "the broken reload is reported in StatusText with file:line:column" \
    status_matches 'reload failed: .*svc-test\.toml:[0-9]+:[0-9]+: '
  echo "     StatusText=$(prop StatusText)"
  check_eq "limberd is still active (on its previous programs)" active "$(systemctl --user is-active limberd)"
  check_eq "same process (MainPID $pid)" "$pid" "$(prop MainPID)"
  wait_for 10 "the journal names file:line:column" journal_has 'svc-test\.toml:[0-9]+:[0-9]+: '

  cp "$WORK/svc-test-fixed.toml" "$HOME/.config/limber/programs/svc-test.toml"
  if (( real_ctl )); then
    check "reload with the fixed program succeeds (systemctl --user reload)" timeout 60 systemctl --user reload limberd
    check "when it returns, the reload error is gone from StatusText (no wait)" \
      bash -c "! systemctl --user show -P StatusText limberd | grep -q 'reload failed'"
    check_eq "and the unit is active again (not reloading)" active "$(systemctl --user is-active limberd)"
  else
    check "SIGHUP to limberd (systemctl --user kill -s HUP)" systemctl --user kill -s HUP --kill-who=main limberd
    wait_for 10 "the reload error is gone from StatusText" \
      bash -c "! systemctl --user show -P StatusText limberd | grep -q 'reload failed'"
  fi
  # (a Stand up reminder may still be showing: the new title comes next)
  wait_for 30 "the fixed program is applied (StatusText names its new title)" status_matches 'Walk about \(service test\)'
  wait_for 30 "the fixed program's reminder is shown (Notify)" grep -q 'Notify "limber" .*"Walk about (service test)"' "$log"

  # limberctl enable/disable write ~/.config/limber/limber.toml.d from the daemon.
  if (( real_ctl )) && "$BIN/limberctl" programs --help 2>/dev/null | grep -qw enable; then
    check "limberctl programs enable desk-basics (the sandboxed daemon writes limber.toml.d)" \
      timeout 30 "$LOCAL_BIN/limberctl" programs enable desk-basics
    check "limber.toml.d/50-limberctl.toml was written" test -s "$HOME/.config/limber/limber.toml.d/50-limberctl.toml"
  fi

  # ---------------------------------------------------------- watchdog
  # WatchdogSec=3s for the test; limberd pings at half of it from its loop.
  printf '[Service]\nWatchdogSec=3s\nRestartSec=1s\n' > "$DROPINS/60-test-watchdog.conf"
  check "daemon-reload, restart with WatchdogSec=3s" \
    bash -c 'systemctl --user daemon-reload && timeout 40 systemctl --user restart limberd'
  check_eq "WatchdogUSec=3s" 3s "$(prop WatchdogUSec)"
  pid=$(prop MainPID)
  restarts=$(prop NRestarts)
  # A healthy loop is not restarted: the same MainPID for 4.5 s (> WatchdogSec).
  same_pid_for() { local end=$(( $(ms_now) + $1 )); while (( $(ms_now) < end )); do
                     [[ $(prop MainPID) == "$pid" ]] || return 1; sleep 0.2; done; }
  check "a healthy loop survives past WatchdogSec (same MainPID for 4.5 s)" same_pid_for 4500
  check "SIGSTOP the main process (a hung loop)" kill -STOP "$pid"
  t0=$(ms_now)
  # (each poll also notes the unit's state: the RestartSec=1s pause between
  # the kill and the restart shows Result=watchdog)
  restarted() {
    local p; p=$(prop MainPID)
    systemctl --user show -P SubState,Result limberd | paste -sd' ' >> "$HOME/watchdog-states"
    [[ $p != 0 && $p != "$pid" && $(systemctl --user is-active limberd) == active ]]
  }
  wait_for 20 "systemd kills it at the watchdog timeout and restarts it (new MainPID, active)" restarted
  took=$(( $(ms_now) - t0 ))
  check "restarted within WatchdogSec + RestartSec + 3 s (${took} ms < 7000 ms): SIGABRT ends it at once" test "$took" -lt 7000
  check "NRestarts went up" test "$(prop NRestarts)" -gt "$restarts"
  note "states seen: $(uniq "$HOME/watchdog-states" | paste -sd, -)"
  check "it was the watchdog (Result=watchdog seen while waiting to restart)" \
    grep -qwE 'watchdog' "$HOME/watchdog-states"
  check "the restarted limberd has the STATUS text again" \
    status_matches '^(next: .+|showing: .+|nothing scheduled); ([0-9]+ of [0-9]+ done today|no reminders yet today)(; .+)?$'
  rm -f "$DROPINS/60-test-watchdog.conf"
  systemctl --user daemon-reload

  # ---------------------------------------------------------- name on the bus
  has_name=0
  if busctl --user status org.limber.Limber1 >/dev/null 2>&1; then has_name=1; fi

  # ---------------------------------------------------------- stop
  pid=$(prop MainPID)
  t0=$(ms_now)
  check "systemctl --user stop limberd" timeout 30 systemctl --user stop limberd
  took=$(( $(ms_now) - t0 ))
  check "stop is quick (${took} ms < 2000 ms)" test "$took" -lt 2000
  check_eq "inactive after stop (not failed)" inactive "$(systemctl --user is-active limberd)"
  check_eq "Result=success" success "$(prop Result)"
  check "the process is gone" bash -c "! kill -0 $pid 2>/dev/null"
  wait_for 10 "the journal has limberd's 'stopping'" journal_has '^stopping$'

  # ---------------------------------------------------------- D-Bus activation
  if (( has_name )); then
    busctl --user call org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus ReloadConfig >/dev/null 2>&1
    check "org.limber.Limber1 is activatable on the user bus" bash -c \
      'busctl --user list --activatable --no-legend | grep -q "^org.limber.Limber1 "'
    check "a call to org.limber.Limber1 (Peer.Ping) succeeds with limberd stopped" \
      timeout 40 busctl --user call org.limber.Limber1 /org/limber/Limber1 org.freedesktop.DBus.Peer Ping
    check_eq "and started limberd.service through systemd (SystemdService=)" active "$(systemctl --user is-active limberd)"
    check "systemctl --user stop limberd" timeout 30 systemctl --user stop limberd
    if (( real_ctl )); then
      check "limberctl status with limberd stopped succeeds (activation)" timeout 40 "$LOCAL_BIN/limberctl" status
      check_eq "and limberd.service is active again" active "$(systemctl --user is-active limberd)"
      check "systemctl --user stop limberd" timeout 30 systemctl --user stop limberd
    fi
  else
    note "limberd does not own org.limber.Limber1 yet (the control API is not merged): D-Bus activation not tested"
  fi

  # ---------------------------------------------------------- uninstall
  rm -rf "$DROPINS"
  out=$("$LIMBER_REPO/scripts/install" --uninstall 2>&1)
  check_eq "scripts/install --uninstall succeeds" 0 "$?"
  check "the unit file is gone" test ! -e "$UNIT_DIR/limberd.service"
  check "nothing is left under ~/.local but empty dirs" \
    bash -c '[[ -z $(find ~/.local -type f -not -path "*/.local/state/*") ]]'
  systemctl --user daemon-reload
  # The user's unit, that is: on a shared machine a package test may have
  # put a system-wide limberd.service under /usr/lib for a moment.
  check "systemd no longer knows the user's limberd.service" bash -c \
    '! systemctl --user cat limberd.service 2>/dev/null | grep -qF "$1"' _ "$UNIT_DIR/limberd.service"
  finish
  exit
fi

# ================================================================ outside (root)
if [[ $(id -u) -ne 0 ]]; then
  echo "SKIP $T_NAME: needs root (a throwaway user in a real systemd --user manager)"
  exit 0
fi

cd "$REPO" || exit 2
echo "# building limberd (debug; limberctl is a symlink to it)"
if ! swift build --product limberd >/dev/null || ! scripts/lib/link-limberctl; then
  t_fail "swift build of limberd"
  finish; exit 1
fi
bin=$(swift build --show-bin-path)

work=$(mktemp -d /tmp/limber-svc.XXXXXX)
trap 'rm -rf -- "$work"' EXIT
chmod 0755 "$work"
# What the sandbox user runs, copied where it can read it whatever the
# checkout's permissions: the binaries, and the parts of the checkout that
# scripts/install and the harness use.
mkdir -p "$work/bin" "$work/src"
cp -P "$bin/limberd" "$bin/limberctl" "$work/bin/"
cp -r scripts tests-integration units config docs completions README.md "$work/src/"
src=$work/src

# The test settings: every hour of the day, one program, reminders that stay
# up long enough (at 600x) to be answered.
cat > "$work/limber.toml" <<'EOF'
programs = ["svc-test"]
working_hours = "00:00-23:59"
coalesce_window = "0s"
stays_up = "1h"
EOF
program() {  # program TITLE [EVERY]
  cat <<EOF
schema = 1
id = "svc-test"
name = "Service test"
disclaimer = "A test program."

[exercises.stand]
name = "Stand up"
category = "cardio"
position = "standing"
steps = ["Stand up."]

[reminders.stand-up]
cadence = "interval"
title = "$1"
every = ${2:-\"2h\"}
exercises = ["stand"]
EOF
}
program "Stand up (service test)" > "$work/svc-test.toml"
program "Stand up (service test)" 45 > "$work/svc-test-broken.toml"   # a number without a unit
program "Walk about (service test)" > "$work/svc-test-fixed.toml"
chmod -R a+rX "$work"
check "the broken test program is rejected by limberd --check" \
  bash -c "! '$bin/limberd' --check '$work/svc-test-broken.toml' >/dev/null"

out=$("$src/scripts/systemd-user-sandbox" --info-file "$work/info" \
        --env LIMBER_BIN_DIR="$work/bin" --env LIMBER_REPO="$src" --env SVC_WORK="$work" \
        -- "$src/scripts/with-notify-mock" -- "$src/tests-integration/service-tier.sh" --inside 2>&1)
rc=$?
# The inside's own lines count as ours.
printf '%s\n' "$out" | grep -vE '^service-inside: [0-9]+ passed'
line=$(printf '%s\n' "$out" | grep -E '^service-inside: [0-9]+ passed, [0-9]+ failed$' | tail -n1)
if [[ $line =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
  T_PASS=$((T_PASS + BASH_REMATCH[1])) T_FAIL=$((T_FAIL + BASH_REMATCH[2]))
  check_eq "the sandbox run exits with the inside's status" "$(( BASH_REMATCH[2] > 0 ))" "$(( rc != 0 ))"
else
  t_fail "the checks inside the sandbox ran" "exit $rc, no summary line"
fi
if [[ -s $work/info ]]; then
  # shellcheck disable=SC1091
  source "$work/info"
  check "teardown: user $SANDBOX_USER is gone" bash -c "! getent passwd '$SANDBOX_USER'"
  check "teardown: no live process of uid $SANDBOX_UID" \
    bash -c "[[ -z \$(ps -o pid=,stat= -U '$SANDBOX_UID' | awk '\$2 !~ /^Z/') ]]"
fi
finish
