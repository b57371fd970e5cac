#!/usr/bin/env bash
# sandbox-selftest: scripts/systemd-user-sandbox runs a real systemd --user
# manager (units start, show active, stop; Type=notify works from a shell with
# NotifyAccess=all and from python's own sd_notify; journald and the user bus
# answer), and its teardown leaves nothing behind: no process of the uid, no
# cgroup dir, no user, no temp dir, no mount.
# Needs root; prints a SKIP line and exits 0 otherwise.
set -uo pipefail
T_NAME=sandbox-selftest
source "$(dirname "$(readlink -f "$0")")/lib.sh"

if [[ $(id -u) -ne 0 ]]; then
  echo "SKIP $T_NAME: needs root (creates a throwaway user, cgroups, a mount namespace)"
  exit 0
fi

work=$(mktemp -d /tmp/limber-sbtest.XXXXXX)
trap 'rm -rf -- "$work"' EXIT
chmod 0755 "$work"
info=$work/info
mounts_before=$(grep -c limber-sandbox /proc/self/mountinfo || true)
run_systemd_before=$([[ -e /run/systemd/system ]] && echo yes || echo no)

# Units handed to the user with --copy.
mkdir -p "$work/units"
cat > "$work/units/sleeper.service" <<'EOF'
[Unit]
Description=limber sandbox self-test: a plain long-running unit
[Service]
ExecStart=/bin/sleep infinity
EOF
cat > "$work/units/notify-shell.service" <<'EOF'
[Unit]
Description=limber sandbox self-test: Type=notify from a shell
[Service]
Type=notify
# systemd-notify runs as a child of the shell, not as the main process:
# the manager only takes its READY=1 with NotifyAccess=all.
NotifyAccess=all
TimeoutStartSec=20
ExecStart=/bin/sh -c 'echo notify-shell-starting; systemd-notify --ready --status="shell ready"; exec sleep infinity'
EOF
cat > "$work/units/notify-py.service" <<'EOF'
[Unit]
Description=limber sandbox self-test: Type=notify from the main process (as limberd does)
[Service]
Type=notify
TimeoutStartSec=20
ExecStart=/usr/bin/python3 %h/bin/notify-ready.py
EOF
mkdir -p "$work/bin"
cat > "$work/bin/notify-ready.py" <<'EOF'
# sd_notify by hand, from the service's main process: NotifyAccess=main is enough.
import os, socket, time
addr = os.environ["NOTIFY_SOCKET"]
if addr.startswith("@"):
    addr = "\0" + addr[1:]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.sendto(b"READY=1\nSTATUS=py ready", addr)
print("notify-py-ready", flush=True)
time.sleep(3600)
EOF
cat > "$work/units/leftover.service" <<'EOF'
[Unit]
Description=limber sandbox self-test: left running on purpose, for the teardown
[Service]
ExecStart=/bin/sh -c 'trap "" TERM; exec sleep infinity'
EOF

# The checks that run inside, as the sandbox user. They print ok/FAIL lines
# and a summary line the outer part counts.
cat > "$work/inside.sh" <<'EOF'
#!/usr/bin/env bash
set -uo pipefail
T_NAME=inside
source "$LIMBER_SCRIPTS/../tests-integration/lib.sh"
check_eq "runs as the sandbox user" "$LIMBER_SANDBOX_USER" "$(id -un)"
check "XDG_RUNTIME_DIR is 0700 and ours" bash -c '[[ $(stat -c %a:%U "$XDG_RUNTIME_DIR") == 700:$(id -un) ]]'
check "socket paths fit (XDG_RUNTIME_DIR is short)" bash -c '(( ${#XDG_RUNTIME_DIR} < 40 ))'
check "systemctl --user is-system-running" bash -c '[[ $(systemctl --user is-system-running) =~ ^(running|degraded)$ ]]'
check "user bus (dbus.socket) answers" gdbus call --session --dest org.freedesktop.DBus \
  --object-path /org/freedesktop/DBus --method org.freedesktop.DBus.GetId
check "systemd1 is on the user bus" busctl --user status org.freedesktop.systemd1
check "units were copied to ~/.config/systemd/user" test -f ~/.config/systemd/user/sleeper.service
check "systemd-analyze --user verify" systemd-analyze --user verify ~/.config/systemd/user/sleeper.service

check "start sleeper.service" systemctl --user start sleeper.service
check_eq "sleeper.service is active" active "$(systemctl --user is-active sleeper.service)"
check "status shows it running in our cgroup" bash -c \
  'systemctl --user status sleeper.service --no-pager | grep -q "$LIMBER_SANDBOX_CGROUP/app.slice/sleeper.service"'
check "stop sleeper.service" systemctl --user stop sleeper.service
check_eq "sleeper.service is inactive" inactive "$(systemctl --user is-active sleeper.service)"

check "start notify-shell.service (Type=notify, systemd-notify, NotifyAccess=all)" \
  systemctl --user start notify-shell.service
check_eq "notify-shell.service is active" active "$(systemctl --user is-active notify-shell.service)"
check_eq "notify-shell.service STATUS=" "shell ready" "$(systemctl --user show -P StatusText notify-shell.service)"

check "start notify-py.service (Type=notify, READY=1 from the main process)" \
  systemctl --user start notify-py.service
check_eq "notify-py.service is active" active "$(systemctl --user is-active notify-py.service)"
check_eq "notify-py.service STATUS=" "py ready" "$(systemctl --user show -P StatusText notify-py.service)"

if [[ $LIMBER_SANDBOX_JOURNAL == 1 ]]; then
  wait_for 10 "journalctl --user -u notify-py.service shows its output" \
    bash -c 'journalctl --user -u notify-py.service --no-pager -q | grep -q notify-py-ready'
  check "journalctl --user -u notify-shell.service shows its output" \
    bash -c 'journalctl --user -u notify-shell.service --no-pager -q | grep -q notify-shell-starting'
fi

# A peer wrapper inside the sandbox sits on the user's bus, so a unit reaches it.
check "with-notify-mock on the sandbox user bus: a user service's Notify reaches it" \
  "$LIMBER_SCRIPTS/with-notify-mock" -- bash -c '
    systemd-run --user --quiet --wait -p Type=oneshot -- gdbus call --session \
      --dest org.freedesktop.Notifications --object-path /org/freedesktop/Notifications \
      --method org.freedesktop.Notifications.Notify -- limber 0 "" "from a unit" "" "[]" "{}" -1 &&
    grep -q "Notify \"limber\" 0 \"\" \"from a unit\"" "$LIMBER_TEST_NOTIFY_LOG"'

# Left behind on purpose: a unit that ignores SIGTERM and a stray process.
check "start leftover.service" systemctl --user start leftover.service
setsid sleep 1000 </dev/null >/dev/null 2>&1 &
finish
EOF
chmod 0755 "$work/inside.sh"

echo "(leftover.service ignores SIGTERM on purpose: the teardown's 'timed out' notes below are expected)"
out=$("$SCRIPTS/systemd-user-sandbox" --info-file "$info" \
        --copy "$work/units:.config/systemd/user" --copy "$work/bin:bin" -- "$work/inside.sh" 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/  | /'
check_eq "sandbox exit status is the command's (0)" 0 "$rc"
inside=$(printf '%s\n' "$out" | grep -E '^inside: [0-9]+ passed, [0-9]+ failed$' || true)
check "checks inside the sandbox ran and passed" bash -c "[[ '$inside' =~ ^inside:\ [1-9][0-9]*\ passed,\ 0\ failed$ ]]"

# The teardown: nothing of the sandbox is left.
check_teardown() {  # check_teardown INFO-FILE LABEL
  local SANDBOX_USER SANDBOX_UID SANDBOX_DIR SANDBOX_CGROUPS cg cgs
  if [[ ! -s $1 ]]; then t_fail "$2: the sandbox wrote its --info-file"; return; fi
  # shellcheck disable=SC1090
  source "$1"
  check "$2: user $SANDBOX_USER is gone" bash -c "! getent passwd '$SANDBOX_USER'"
  check "$2: group $SANDBOX_USER is gone" bash -c "! getent group '$SANDBOX_USER'"
  # (a zombie is dead already; init reaps it in a moment)
  check "$2: no live process of uid $SANDBOX_UID is left" \
    bash -c "[[ -z \$(ps -o pid=,stat= -U '$SANDBOX_UID' | awk '\$2 !~ /^Z/') ]]"
  IFS=: read -r -a cgs <<<"$SANDBOX_CGROUPS"
  for cg in "${cgs[@]}"; do check "$2: cgroup $cg removed" test ! -e "$cg"; done
  check "$2: sandbox dir $SANDBOX_DIR removed" test ! -e "$SANDBOX_DIR"
}
check_teardown "$info" "full run"
check_eq "no limber-sandbox mount is left here" "$mounts_before" "$(grep -c limber-sandbox /proc/self/mountinfo || true)"
check_eq "/run/systemd/system on the host is as before" "$run_systemd_before" \
  "$([[ -e /run/systemd/system ]] && echo yes || echo no)"

# A short run: CMD's exit status comes through, and the teardown is as clean.
"$SCRIPTS/systemd-user-sandbox" --no-journal --info-file "$work/info2" -- sh -c 'exit 3'
check_eq "CMD's exit status (3) comes through, without journald too" 3 "$?"
check_teardown "$work/info2" "short run"
finish
