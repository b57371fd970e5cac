#!/usr/bin/env bash
# ci-deps.sh: the Debian packages that limber's build and every test tier need.
#
# Usage: scripts/ci-deps.sh [--check | --install | --apt-line] [--with-chromium]
#   --check          (default) list what is missing; exit 1 if anything is.
#   --install        install what is missing (root; apt-get update at most once).
#   --apt-line       print the one `apt-get install ...` line for what is missing
#                    (nothing when nothing is); scripts/test shows it to a user.
#   --with-chromium  also check/install chromium (about 80 MB download,
#                    290 MB installed; only the HTML-report screenshot test
#                    needs it, and that test skips without it).
# Env: LIMBER_WITH_CHROMIUM=1 is the same as --with-chromium.
#      LIMBER_CI_DEPS_EXTRA="PKG ..." requires more packages (the test of
#      scripts/test's fail-fast path names one that does not exist).
#
# Idempotent: when everything is present it runs no apt command at all
# (the fast path is one dpkg-query).
set -euo pipefail

# package            why
PACKAGES=(
  libsystemd-dev     # CSystemd: sd-bus, sd-event, sd-daemon, sd-journal headers
  pkg-config         # SwiftPM resolves CSystemd through pkg-config libsystemd
  libsqlite3-dev     # LimberHistory (GRDB links the system SQLite)
  sqlite3            # tests and humans inspect the history database
  systemd            # /lib/systemd/systemd --user, systemctl, systemd-analyze, journald
  dbus               # dbus-daemon for private session/system buses
  dbus-user-session  # dbus.socket/dbus.service for the sandboxed systemd --user
  python3-dbusmock   # notification_daemon and logind mock peers
  python3-dbus       # dbusmock's binding (and test helpers)
  python3-gi         # dbusmock imports gi for its main loop
  libglib2.0-bin     # gdbus: drive the buses from shell tests
  dunst              # a real notification server
  notification-daemon       # the notify-servers tier: GNOME's reference server
  xfce4-notifyd             # ... Xfce's
  mate-notification-daemon  # ... MATE's
  lxqt-notificationd        # ... LXQt's
  at-spi2-core       # at-spi-bus-launcher: the servers' buttons found by label (scripts/lib/notify-button)
  gir1.2-atspi-2.0   # notify-button reads the accessibility tree (python3-gi)
  dbus-bin           # dbus-monitor: the tier sees NotificationClosed
  xvfb               # a display for dunst
  x11-utils          # xdpyinfo: wait until Xvfb answers
  libnotify-bin      # notify-send: sanity checks against the servers
  util-linux         # unshare, setpriv, mount
  procps             # pgrep/ps for teardown checks
  passwd             # useradd/userdel for the sandbox user
  man-db             # man: systemd-analyze verify resolves the unit's Documentation=man: pages
  debhelper          # make deb: debian/rules is dh (tests-integration/deb.sh)
  dpkg-dev           # make deb: dpkg-buildpackage
  fakeroot           # make deb as a user
  lintian            # the deb tier checks the package (docs/packaging.md)
  libxcb-sync1       # x11-idle loads it at run time (SYNC IDLETIME alarms)
  libwayland-client0 # wayland-idle loads it at run time
  xdotool            # X11 input (XTEST) for the x11-idle tests
  sway               # a real Wayland compositor (headless) for wayland-idle
  wtype              # Wayland input through the virtual keyboard protocol
  waybar             # the status-bars tier: waybar's own parser reads limberctl's line
  grim               # the status-bars tier: a screenshot of waybar on the headless sway
  lxqt-panel         # a real StatusNotifierItem host for the tray tier
  xfce4-panel        # another (its systray plugin shows StatusNotifierItems)
  imagemagick        # import: the tray tier's screenshots and icon check
  gettext            # msgfmt/msgmerge: message catalogs (scripts/po-compile, po-extract, install)
  locales            # locale-gen: de_DE/es_ES.UTF-8 for the translated-output tests
)
# shellcheck disable=SC2206
PACKAGES+=(${LIMBER_CI_DEPS_EXTRA:-})
# Locales the l10n tests run limberd and limberctl under (generated when missing).
LOCALES=(de_DE.UTF-8 es_ES.UTF-8 en_US.UTF-8)
CHROMIUM_PACKAGES=(chromium)

MODE=check
WITH_CHROMIUM="${LIMBER_WITH_CHROMIUM:-0}"
for arg in "$@"; do
  case "$arg" in
    --check) MODE=check ;;
    --install) MODE=install ;;
    --apt-line) MODE=apt-line ;;
    --with-chromium) WITH_CHROMIUM=1 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "ci-deps.sh: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

# missing PKG...: print the packages that are not fully installed.
missing() {
  local p status
  for p in "$@"; do
    status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
    [[ "$status" == ii* ]] || echo "$p"
  done
}

APT_UPDATED=0
apt_install() {
  (( $# )) || return 0
  if [[ $(id -u) -ne 0 ]]; then
    echo "ci-deps.sh: installing needs root: apt-get install $*" >&2
    return 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  local apt=(apt-get -o DPkg::Lock::Timeout=300 -o Dpkg::Options::=--force-confdef
             -o Dpkg::Options::=--force-confold)
  if (( ! APT_UPDATED )); then
    echo "ci-deps.sh: apt-get update"
    "${apt[@]}" update -qq </dev/null
    APT_UPDATED=1
  fi
  echo "ci-deps.sh: apt-get install $*"
  "${apt[@]}" install -y -qq --no-install-recommends "$@" </dev/null
}

install_base() {
  mapfile -t need < <(missing "${PACKAGES[@]}")
  apt_install "${need[@]}"
}

# Optional: chromium for the HTML report screenshot test. Large, so apart.
install_chromium() {
  mapfile -t need < <(missing "${CHROMIUM_PACKAGES[@]}")
  apt_install "${need[@]}"
}

# missing_locales: the LOCALES not generated yet (locale -a spells them de_DE.utf8).
missing_locales() {
  local have l
  have=$(locale -a 2>/dev/null | tr '[:upper:]' '[:lower:]' | sed 's/utf-8/utf8/')
  for l in "${LOCALES[@]}"; do
    grep -qx "$(echo "$l" | tr '[:upper:]' '[:lower:]' | sed 's/utf-8/utf8/')" <<<"$have" || echo "$l"
  done
}

# gen_locales: enable the missing LOCALES in /etc/locale.gen and run locale-gen (root).
gen_locales() {
  mapfile -t nl < <(missing_locales)
  (( ${#nl[@]} )) || return 0
  if [[ $(id -u) -ne 0 ]]; then
    echo "ci-deps.sh: generating locales needs root: ${nl[*]}" >&2
    return 1
  fi
  local l
  for l in "${nl[@]}"; do
    if grep -q "^# *$l UTF-8" /etc/locale.gen 2>/dev/null; then
      sed -i "s/^# *$l UTF-8/$l UTF-8/" /etc/locale.gen
    elif ! grep -q "^$l UTF-8" /etc/locale.gen 2>/dev/null; then
      echo "$l UTF-8" >> /etc/locale.gen
    fi
  done
  echo "ci-deps.sh: locale-gen ${nl[*]}"
  locale-gen >/dev/null
}

want=("${PACKAGES[@]}")
(( WITH_CHROMIUM )) && want+=("${CHROMIUM_PACKAGES[@]}")
mapfile -t need < <(missing "${want[@]}")

if [[ $MODE == apt-line ]]; then
  (( ${#need[@]} )) && echo "apt-get install -y --no-install-recommends ${need[*]}"
  exit 0
fi

if [[ $MODE == check ]]; then
  mapfile -t nl < <(missing_locales)
  if (( ${#need[@]} || ${#nl[@]} )); then
    (( ${#need[@]} )) && echo "ci-deps.sh: missing Debian packages: ${need[*]}"
    (( ${#nl[@]} )) && echo "ci-deps.sh: missing locales: ${nl[*]}"
    echo "ci-deps.sh: install them with: sudo scripts/ci-deps.sh --install$( (( WITH_CHROMIUM )) && echo ' --with-chromium')"
    exit 1
  fi
  echo "ci-deps.sh: all ${#want[@]} packages present"
  exit 0
fi

if (( ${#need[@]} == 0 )); then
  gen_locales
  echo "ci-deps.sh: all ${#want[@]} packages present (nothing to do)"
  exit 0
fi
install_base
(( WITH_CHROMIUM )) && install_chromium
mapfile -t still < <(missing "${want[@]}")
if (( ${#still[@]} )); then
  echo "ci-deps.sh: still missing after install: ${still[*]}" >&2
  exit 1
fi
gen_locales
echo "ci-deps.sh: installed; all ${#want[@]} packages present"
