#!/usr/bin/env bash
# deb: the Debian package, built, checked, installed, used and purged.
#   scripts/deb (debian/rules through dpkg-buildpackage -us -uc -b) packages
#   the build tier's limberd (LIMBER_DEB_RELEASE=1: the release build that
#   `make deb` makes, a few minutes more; the debug limberd, built for
#   /usr/local/share/limber, is given LIMBER_DATA_DIR=/usr/share/limber); lintian passes with no error or
#   warning beyond the overrides debian/ explains; apt-get installs it;
#   then in a real systemd --user manager (scripts/systemd-user-sandbox) the
#   unit as packaged starts limberd (Type=notify), a reminder reaches a
#   notification server, and D-Bus activation as packaged starts it again
#   from limberctl; nothing is enabled for the user until they say so;
#   apt-get remove and purge take away every file and directory it brought.
# Needs root (prints a SKIP line otherwise) and no limber package installed.
set -uo pipefail
T_NAME=deb
source "$(dirname "$(readlink -f "$0")")/lib.sh"

# ================================================================ inside
if [[ ${1:-} == --inside ]]; then
  T_NAME=deb-inside
  prop() { systemctl --user show -P "$1" limberd.service; }
  log=$LIMBER_TEST_NOTIFY_LOG
  # The build tier's debug limberd was built for /usr/local/share/limber:
  # point it (and what D-Bus activation starts) at the packaged data.
  if [[ -n ${DEB_DATA_DIR:-} ]]; then
    systemctl --user set-environment LIMBER_DATA_DIR="$DEB_DATA_DIR"
    export LIMBER_DATA_DIR=$DEB_DATA_DIR
  fi
  check_eq "the packaged unit is /usr/lib/systemd/user/limberd.service" \
    /usr/lib/systemd/user/limberd.service "$(prop FragmentPath)"
  check_eq "it is not enabled for this user (each user enables it)" disabled "$(systemctl --user is-enabled limberd 2>&1)"
  check "systemctl --user start limberd (Type=notify: returns after READY=1)" timeout 40 systemctl --user start limberd
  check_eq "limberd is active" active "$(systemctl --user is-active limberd)"
  [[ $(systemctl --user is-active limberd) == active ]] || journalctl --user -u limberd.service --no-pager -q -o cat | tail -n 20 | sed 's/^/journal: /' 
  check_eq "its MainPID runs /usr/bin/limberd" /usr/bin/limberd "$(readlink "/proc/$(prop MainPID)/exe")"
  check "limberctl (the packaged symlink) answers: status" timeout 30 /usr/bin/limberctl status
  check "limberctl trigger desk-basics/sit-break shows a reminder" bash -c \
    'timeout 30 limberctl programs enable desk-basics >/dev/null && id=$(timeout 30 limberctl next --json | grep -o "\"rule\":\"[^\"]*\"" | head -n1 | cut -d\" -f4) && timeout 30 limberctl trigger "$id"'
  wait_for 20 "the reminder reaches the notification server (Notify)" grep -q 'Notify "limber"' "$log"
  check "systemctl --user reload limberd (ExecReload= is the packaged limberctl reload)" timeout 60 systemctl --user reload limberd
  check "systemctl --user stop limberd" timeout 30 systemctl --user stop limberd
  check_eq "inactive after stop" inactive "$(systemctl --user is-active limberd)"
  busctl --user call org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus ReloadConfig >/dev/null 2>&1
  check "org.limber.Limber1 is activatable (the packaged D-Bus service file)" bash -c \
    'busctl --user list --activatable --no-legend | grep -q "^org.limber.Limber1 "'
  check "limberctl status with limberd stopped succeeds (D-Bus activation)" timeout 40 limberctl status
  check_eq "and systemd started limberd.service for it (SystemdService=)" active "$(systemctl --user is-active limberd)"
  check "systemctl --user enable limberd (the user's own choice)" systemctl --user enable limberd
  check "which links it in the user's own config" test -L "$HOME/.config/systemd/user/default.target.wants/limberd.service"
  check "systemctl --user disable --now limberd" timeout 30 systemctl --user disable --now limberd
  check "man limberctl finds the packaged page" bash -c 'man -w limberctl | grep -q "^/usr/share/man/man1/limberctl.1.gz$"'
  finish
  exit
fi

# ================================================================ outside (root)
if [[ $(id -u) -ne 0 ]]; then
  echo "SKIP $T_NAME: needs root (installs the package on this machine)"
  exit 0
fi
cd "$REPO" || exit 2
if dpkg-query -W -f='${db:Status-Abbrev}' limber 2>/dev/null | grep -q '^[ih]'; then
  echo "SKIP $T_NAME: a limber package is installed on this machine already (dpkg -P limber first)"
  exit 0
fi
work=$(mktemp -d /tmp/limber-deb.XXXXXX)
chmod 0755 "$work"
# apt-get waits for the dpkg lock (another install on the machine), dpkg does not.
apt=(apt-get -o DPkg::Lock::Timeout=300 -y -qq)
export DEBIAN_FRONTEND=noninteractive
cleanup() {
  # Never leave the package behind, whatever failed.
  dpkg-query -W limber >/dev/null 2>&1 && "${apt[@]}" purge limber >/dev/null 2>&1
  rm -rf -- "$work"
}
trap cleanup EXIT

# ---------------------------------------------------------------- build
if [[ ${LIMBER_DEB_RELEASE:-0} == 1 ]]; then
  bin_args=()
  echo "# building the package with its release build (make deb)"
else
  swift build --product limberd >/dev/null || { t_fail "swift build of limberd"; finish; exit 1; }
  bin_args=(--bin-dir "$(swift build --show-bin-path)")
  echo "# packaging the build tier's limberd (LIMBER_DEB_RELEASE=1 for the release build)"
fi
t0=$(date +%s)
deb=$(scripts/deb "${bin_args[@]}" --out "$work/dist" 2>"$work/build.log" | tail -n1)
rc=$?
check "scripts/deb (dpkg-buildpackage -us -uc -b) builds the package ($(( $(date +%s) - t0 )) s)" \
  bash -c "[[ $rc == 0 && -f '$deb' ]]"
if [[ ! -f $deb ]]; then tail -n 30 "$work/build.log"; finish; exit 1; fi
dpkg-deb -c "$deb" > "$work/contents"
has() { grep -qE " \./$1( ->.*)?\$" "$work/contents"; }
for path in usr/bin/limberd "usr/bin/limberctl -> limberd" usr/lib/systemd/user/limberd.service \
            usr/share/dbus-1/services/org.limber.Limber1.service usr/share/limber/limber.toml \
            usr/share/limber/programs/sciatica-relief.toml usr/share/man/man1/limberctl.1.gz \
            usr/share/man/man5/limber.toml.5.gz usr/share/man/man8/limberd.8.gz \
            usr/share/bash-completion/completions/limberctl usr/share/zsh/vendor-completions/_limberctl \
            usr/share/fish/vendor_completions.d/limberctl.fish usr/share/doc/limber/copyright \
            usr/share/doc/limber/README.Debian usr/share/doc/limber/changelog.gz; do
  check "the package holds /$path" has "$path"
done
check "no make-uninstall manifest in the package" bash -c "! grep -q install-manifest '$work/contents'"
check "nothing under /etc (no conffiles: the shipped settings are in /usr/share/limber)" bash -c "! grep -q ' \./etc/' '$work/contents'"
dpkg-deb -e "$deb" "$work/control"
# dh_installsystemduser --no-enable: postinst enables the unit only again
# after an upgrade when an administrator had enabled it (was-enabled).
check "no maintainer script enables the unit for every user (only re-enables what an admin enabled)" \
  bash -c "! grep -qs -- '--global' '$work/control/postinst' && { ! grep -qs -- '--user enable' '$work/control/postinst' || grep -B2 -- '--user enable' '$work/control/postinst' | grep -q was-enabled; }"

# ---------------------------------------------------------------- lintian
if command -v lintian >/dev/null; then
  # The build tier's debug binary has a RUNPATH into the Swift toolchain
  # and its dependencies are not from Debian packages; the release build
  # has neither (make deb). Only those tags are set aside here.
  extra=()
  [[ ${LIMBER_DEB_RELEASE:-0} == 1 ]] || extra=(--suppress-tags custom-library-search-path)
  lintian --fail-on error,warning "${extra[@]}" "$deb" > "$work/lintian" 2>&1
  rc=$?
  cat "$work/lintian"
  check_eq "lintian: no error or warning (info tags are listed above; overrides: debian/limber.lintian-overrides)" 0 "$rc"
else
  t_fail "lintian is installed (scripts/ci-deps.sh)"
fi

# ---------------------------------------------------------------- install
check "apt-get install ./limber_*.deb installs it" "${apt[@]}" install --no-install-recommends "$deb"
check "dpkg -s: installed" bash -c "dpkg -s limber | grep -q '^Status: install ok installed'"
check_eq "/usr/bin/limberctl is a symlink to limberd" limberd "$(readlink /usr/bin/limberctl)"
data_env=()
[[ ${LIMBER_DEB_RELEASE:-0} == 1 ]] || data_env=(LIMBER_DATA_DIR=/usr/share/limber)
[[ ${LIMBER_DEB_RELEASE:-0} == 1 ]] && check_eq "the packaged limberd was built for /usr/share/limber" \
  /usr/share/limber "$(env -u LIMBER_DATA_DIR /usr/bin/limberd --print-data-dir)"
check "limberd --check finds the shipped programs in /usr/share/limber" \
  env "${data_env[@]}" HOME="$work" XDG_CONFIG_HOME="$work/none" XDG_CONFIG_DIRS=/nonexistent /usr/bin/limberd --check
check "systemd-analyze --user verify passes on the packaged unit" \
  env XDG_RUNTIME_DIR="$work" systemd-analyze --user verify /usr/lib/systemd/user/limberd.service
check "no unit is enabled globally (/etc/systemd/user)" bash -c "! find /etc/systemd/user -name 'limberd*' 2>/dev/null | grep -q ."

# ---------------------------------------------------------------- use, as a user
sandbox_env=()
[[ ${LIMBER_DEB_RELEASE:-0} == 1 ]] || sandbox_env=(--env DEB_DATA_DIR=/usr/share/limber)
out=$("$SCRIPTS/systemd-user-sandbox" "${sandbox_env[@]}" -- "$SCRIPTS/with-notify-mock" -- "$REPO/tests-integration/deb.sh" --inside 2>&1)
rc=$?
printf '%s\n' "$out" | grep -vE '^deb-inside: [0-9]+ passed'
line=$(printf '%s\n' "$out" | grep -E '^deb-inside: [0-9]+ passed, [0-9]+ failed$' | tail -n1)
if [[ $line =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
  T_PASS=$((T_PASS + BASH_REMATCH[1])) T_FAIL=$((T_FAIL + BASH_REMATCH[2]))
  check_eq "the sandbox run exits with the inside's status" "$(( BASH_REMATCH[2] > 0 ))" "$(( rc != 0 ))"
else
  t_fail "the checks inside the sandbox ran" "exit $rc, no summary line"
fi

# ---------------------------------------------------------------- remove, purge
check "apt-get remove removes it" "${apt[@]}" remove limber
check "apt-get purge purges it" "${apt[@]}" purge limber
check "dpkg no longer knows limber" bash -c "! dpkg-query -W limber 2>/dev/null | grep -q ."
left=()
while read -r path; do
  [[ -e /$path || -L /$path ]] || continue
  # Shared directories (/usr, /usr/share/man/man1, ...) belong to other packages too.
  if [[ -d /$path && ! -L /$path ]] && dpkg -S "/${path%/}" >/dev/null 2>&1; then continue; fi
  [[ -d /$path && ! -L /$path ]] && [[ -n $(ls -A "/$path") ]] && continue
  left+=("/$path")
done < <(awk '{ p = $6; sub(/^\.\//, "", p); if (p != "") print p }' "$work/contents")
check_eq "nothing the package brought is left (files, links, its own dirs)" "" "${left[*]}"
check "no /usr/share/limber, /usr/share/doc/limber, /etc/xdg/limber" \
  bash -c '[[ ! -e /usr/share/limber && ! -e /usr/share/doc/limber && ! -e /etc/xdg/limber ]]'
finish
