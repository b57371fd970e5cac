#!/usr/bin/env bash
# install-layout: scripts/install (make install / make uninstall) puts every
# file where it belongs, with @bindir@ substituted, prints the systemctl line
# to run next, stages under DESTDIR for packagers, and --uninstall removes all
# of it (and the dirs it created; nothing else). The installed unit passes
# `systemd-analyze --user verify`.
# Any user; installs only into temp dirs (prebuilt debug binaries, --bin-dir).
set -uo pipefail
# shellcheck disable=SC2034  # read by lib.sh
T_NAME=install-layout
source "$(dirname "$(readlink -f "$0")")/lib.sh"
cd "$REPO" || exit 2

echo "# building limberd (debug; limberctl is a symlink to it)"
if ! swift build --product limberd >/dev/null; then
  t_fail "swift build of limberd"; finish; exit 1
fi
bin=$(swift build --show-bin-path)

work=$(mktemp -d /tmp/limber-install.XXXXXX)
trap 'rm -rf -- "$work"' EXIT
mkdir -p "$work/home" "$work/run"
chmod 0700 "$work/run"

# What an install must hold, relative to PREFIX, from the checkout itself.
expected_files() {  # expected_files UNITDIR(relative)
  local f p sec
  echo bin/limberd; echo bin/limberctl
  echo "$1/limberd.service"
  echo share/dbus-1/services/org.limber.Limber1.service
  echo share/applications/limber.desktop
  echo share/limber/limber.toml
  echo share/limber/install-manifest
  for p in config/programs/*.toml; do echo "share/limber/programs/$(basename "$p")"; done
  for f in README.md docs/*.md; do echo "share/doc/limber/$(basename "$f")"; done
  [[ -f docs/org.limber.Limber1.xml ]] && echo share/dbus-1/interfaces/org.limber.Limber1.xml
  # Message catalogs compiled from po/ (docs/translating.md).
  for f in po/*.po; do [[ -e $f ]] && echo "share/locale/$(basename "$f" .po)/LC_MESSAGES/limber.mo"; done
  for f in docs/man/*.[158]; do
    [[ -e $f ]] || continue
    sec=${f##*.}; echo "share/man/man$sec/$(basename "$f")"
  done
  for tool in limberctl limberd; do
    echo "share/bash-completion/completions/$tool"
    echo "share/zsh/site-functions/_$tool"
    echo "share/fish/vendor_completions.d/$tool.fish"
  done
}
files_under() { (cd "$1" && find . -type f -o -type l | sed 's|^\./||' | sort); }

# verify_unit UNIT PREFIX: systemd-analyze --user verify, with the man pages
# checked when they are installed (MANPATH to PREFIX/share/man).
verify_unit() {
  local man=--man=no
  if [[ -f $2/share/man/man8/limberd.8 && -f $2/share/man/man1/limberctl.1 && -f $2/share/man/man5/limber.toml.5 ]]; then
    man=--man=yes
  fi
  echo "# systemd-analyze --user verify $man $1"
  XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$work/run} MANPATH="$2/share/man:" PATH="$2/bin:$PATH" \
    systemd-analyze --user verify "$man" "$1"
}

# ---------------------------------------------------------------- --prefix
prefix=$work/prefix
mkdir -p "$prefix/share/applications"
echo "not ours" > "$prefix/share/applications/other.desktop"   # must survive uninstall
out=$(HOME=$work/home "$SCRIPTS/install" --bin-dir "$bin" --prefix "$prefix" 2>&1)
check_eq "install --prefix succeeds" 0 "$?"
check "it prints the line to run next" \
  grep -qxF '  systemctl --user daemon-reload && systemctl --user enable --now limberd' <<<"$out"
expected=$(expected_files lib/systemd/user; echo share/applications/other.desktop)
check_eq "exactly the expected files are installed (a PREFIX other than ~/.local: lib/systemd/user)" \
  "$(sort <<<"$expected")" "$(files_under "$prefix")"
check "binaries are mode 755, the rest 644" bash -c "
  [[ \$(stat -L -c %a '$prefix/bin/limberd' '$prefix/bin/limberctl' | sort -u) == 755 ]] &&
  [[ -z \$(find '$prefix' -type f -not -path '*/bin/*' -not -name other.desktop -not -perm 644) ]]"
check_eq "one executable: bin/limberctl is a relative symlink to limberd" limberd "$(readlink "$prefix/bin/limberctl")"
check "the installed limberctl runs as limberctl (its --help)" bash -c "'$prefix/bin/limberctl' --help | grep -q '^USAGE: limberctl '"
check "the installed limberd runs as limberd (its --help)" bash -c "'$prefix/bin/limberd' --help | grep -q '^USAGE: limberd '"
unit=$prefix/lib/systemd/user/limberd.service
check "the unit's ExecStart= is PREFIX/bin/limberd" grep -qxF "ExecStart=$prefix/bin/limberd" "$unit"
check "the unit's ExecReload= is PREFIX/bin/limberctl reload" grep -qxF "ExecReload=$prefix/bin/limberctl reload" "$unit"
check "the D-Bus activation file's Exec= is PREFIX/bin/limberd" \
  grep -qxF "Exec=$prefix/bin/limberd" "$prefix/share/dbus-1/services/org.limber.Limber1.service"
check "no @bindir@ is left in the unit or the D-Bus file" bash -c "! grep -l '@bindir@' '$unit' '$prefix/share/dbus-1/services/org.limber.Limber1.service'"
check "the shipped settings and programs are the checkout's" bash -c "
  cmp -s config/limber.toml '$prefix/share/limber/limber.toml' &&
  for p in config/programs/*.toml; do cmp -s \"\$p\" '$prefix/share/limber/programs/'\$(basename \"\$p\") || exit 1; done"
check "install warns that the debug limberd was built for another data dir" \
  grep -qF "was built to read its data from $(env -u LIMBER_DATA_DIR "$bin/limberd" --print-data-dir), not $prefix/share/limber" <<<"$out"
check "the installed shipped programs pass limberd --check (LIMBER_DATA_DIR=PREFIX/share/limber)" \
  env HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_CONFIG_DIRS=/nonexistent \
    LIMBER_DATA_DIR="$prefix/share/limber" "$prefix/bin/limberd" --check
check "without LIMBER_DATA_DIR it does not take PREFIX/share/limber from beside itself" bash -c "
  out=\$(env -u LIMBER_DATA_DIR HOME='$work/home' XDG_CONFIG_HOME='$work/home/.config' XDG_CONFIG_DIRS=/nonexistent \
        '$prefix/bin/limberd' --check 2>&1); rc=\$?
  [[ \$rc != 0 ]] && grep -qF 'is not installed' <<<\"\$out\""
check "systemd-analyze --user verify passes on the installed unit" verify_unit "$unit" "$prefix"
score=$(XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$work/run} systemd-analyze --user security --offline=yes "$unit" 2>/dev/null \
          | grep -oE 'Overall exposure level for limberd.service: [0-9.]+' | grep -oE '[0-9.]+$')
echo "# systemd-analyze --user security --offline=yes: $score"
check "README.md and docs/service.md give this exposure score ($score)" bash -c "
  grep -qF 'exposure level: **$score**' README.md && grep -qF 'exposure level: **$score**' docs/service.md"

out=$(HOME=$work/home "$SCRIPTS/install" --bin-dir "$bin" --prefix "$prefix" 2>&1)
check_eq "a second install over the first succeeds" 0 "$?"
out=$(HOME=$work/home "$SCRIPTS/install" --uninstall --prefix "$prefix" 2>&1)
check_eq "install --uninstall succeeds" 0 "$?"
check_eq "uninstall leaves only what was there before" "share/applications/other.desktop" "$(files_under "$prefix")"
check_eq "and removes the dirs it created (only share/applications, which was there, is left)" \
  "$(printf '%s\n' . ./share ./share/applications)" "$(cd "$prefix" && find . -type d | sort)"
out=$(HOME=$work/home "$SCRIPTS/install" --uninstall --prefix "$prefix" 2>&1)
check "a second uninstall says nothing is installed (exit 1)" bash -c "[[ $? == 1 ]] && grep -q 'nothing installed' <<<'$out'"

# ---------------------------------------------------------------- ~/.local
home=$work/user
mkdir -p "$home"
out=$(HOME=$home "$SCRIPTS/install" --bin-dir "$bin" --prefix "$home/.local" 2>&1)
check_eq "install into ~/.local succeeds" 0 "$?"
check "a ~/.local install puts the unit in ~/.local/share/systemd/user (searched by systemd --user)" \
  grep -qxF "ExecStart=$home/.local/bin/limberd" "$home/.local/share/systemd/user/limberd.service"
check_eq "exactly the expected files (~/.local layout)" \
  "$(expected_files share/systemd/user | sort)" "$(files_under "$home/.local")"
if [[ $(id -u) -ne 0 ]]; then
  out=$(HOME=$home "$SCRIPTS/install" --uninstall 2>&1)
  check_eq "the default PREFIX for a user is ~/.local (uninstall without --prefix)" 0 "$?"
else
  out=$(HOME=$home "$SCRIPTS/install" --uninstall --prefix "$home/.local" 2>&1)
  check_eq "uninstall from ~/.local succeeds" 0 "$?"
fi
check_eq "nothing is left in ~/.local" "" "$(cd "$home" && find . -mindepth 1)"

# ---------------------------------------------------------------- DESTDIR
stage=$work/stage
out=$(HOME=$work/home "$SCRIPTS/install" --bin-dir "$bin" --prefix /usr --destdir "$stage" 2>&1)
check_eq "install --prefix /usr --destdir STAGE succeeds" 0 "$?"
check_eq "everything lands under STAGE/usr" \
  "$(expected_files lib/systemd/user | sed 's|^|usr/|' | sort)" "$(files_under "$stage")"
check "the staged unit runs /usr/bin/limberd (no STAGE in it)" \
  grep -qxF "ExecStart=/usr/bin/limberd" "$stage/usr/lib/systemd/user/limberd.service"
check "no STAGE path in any staged text file" bash -c "! grep -rlI --exclude-dir=bin '$stage' '$stage'"
check "a staged install prints no systemctl line (that is the package's job)" bash -c "! grep -q 'systemctl --user' <<<'$out'"
out=$(HOME=$work/home "$SCRIPTS/install" --uninstall --prefix /usr --destdir "$stage" 2>&1)
check_eq "uninstall --destdir succeeds" 0 "$?"
check_eq "and leaves STAGE empty" "" "$(cd "$stage" && find . -mindepth 1)"

# ---------------------------------------------------------------- make
out=$(HOME=$work/home make -s -C "$REPO" uninstall PREFIX="$work/none" 2>&1)
check "make uninstall passes PREFIX (nothing installed there: exit non-zero, says so)" \
  bash -c "[[ $? != 0 ]] && grep -q 'nothing installed under $work/none' <<<'$out'"

check "scripts/install rejects a relative --prefix" bash -c "! '$SCRIPTS/install' --prefix rel --bin-dir '$bin' 2>/dev/null"
finish
