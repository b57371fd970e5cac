#!/usr/bin/env bash
# l10n tier: the message catalog is current and every translation complete
# (scripts/po-extract --check: a marked text missing from po/limber.pot, an
# unmarked user-facing literal in a converted file, a po/LANG.po missing a
# text or failing msgfmt --check), and the catalogs compile (scripts/po-compile).
# See docs/translating.md.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests-integration/lib.sh
. "$here/lib.sh"
repo=$(cd "$here/.." && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

out=$("$repo/scripts/po-extract" --check 2>&1); rc=$?
check "catalog current, translations complete (po-extract --check)" test "$rc" = 0
[ "$rc" = 0 ] || printf '%s\n' "$out" | head -40 | sed 's/^/    /'

out=$("$repo/scripts/po-extract" --check --complete 2>&1); rc=$?
if [ "$rc" = 0 ]; then t_ok "every message translated in every po/LANG.po"
else echo "note - untranslated messages (shown in English; see docs/translating.md):"; printf '%s\n' "$out" | grep untranslated | head -20 | sed 's/^/    /'; fi

check "catalogs compile with msgfmt --check" "$repo/scripts/po-compile" "$tmp/locale"
for po in "$repo"/po/*.po; do
    [ -e "$po" ] || continue
    lang=$(basename "$po" .po)
    check "$lang catalog installed as $lang/LC_MESSAGES/limber.mo" test -s "$tmp/locale/$lang/LC_MESSAGES/limber.mo"
done

# The check itself fails on what it is meant to catch: a marked text that is
# not in the catalog (in a copy of the tree, so the checkout is untouched).
copy=$tmp/copy
mkdir -p "$copy"
cp -r "$repo/scripts" "$repo/po" "$copy/"
mkdir -p "$copy/Sources/X"
cp -r "$repo/Sources/." "$copy/Sources/"
printf 'let s = tr("a text no catalog has yet")\n' > "$copy/Sources/X/New.swift"
check "a new marked text missing from po/limber.pot fails the check" \
    sh -c "! '$copy/scripts/po-extract' --check >/dev/null 2>&1"
printf 'let s = tr("bad \\\\(x) interpolation")\n' > "$copy/Sources/X/New.swift"
check "interpolation inside a marked text fails the check" \
    sh -c "! '$copy/scripts/po-extract' --check >/dev/null 2>&1"
rm -f "$copy/Sources/X/New.swift"
printf 'let s = "an unmarked text a person reads"\n' >> "$copy/Sources/LimberConfig/Explain.swift"
check "an unmarked user-facing literal in a converted file fails the check" \
    sh -c "'$copy/scripts/po-extract' --check 2>&1 | grep -q 'Explain.swift:.*unmarked text'"
# A folder listed in po/CONVERTED covers a file added to it later.
printf 'let s = "a new file with an unmarked text"\n' > "$copy/Sources/LimberConfig/NewReader.swift"
check "an unmarked literal in a new file of a converted folder fails the check" \
    sh -c "'$copy/scripts/po-extract' --check 2>&1 | grep -q 'LimberConfig/NewReader.swift:1: unmarked text'"
finish l10n
