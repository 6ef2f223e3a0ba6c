#!/usr/bin/env bash
# The installed metadata is valid: the AppStream metainfo (appstreamcli),
# the desktop entry (desktop-file-validate, where installed) and every man
# page, English and Japanese (man --warnings: no groff complaint).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../integration/need.sh"
pkg=$(cd "$here/../../packaging" && pwd)
fail() { echo "FAIL: $*" >&2; exit 1; }
need appstreamcli man
appstreamcli validate --no-net "$pkg"/appstream/*.metainfo.xml || fail "appstreamcli validate"
if command -v desktop-file-validate >/dev/null 2>&1; then
  desktop-file-validate "$pkg"/desktop/*.desktop || fail "desktop-file-validate"
fi
for page in "$pkg"/man/*.1 "$pkg"/man/ja/*.1; do
  [[ -s $page ]] || fail "$page is empty"
  # Complaints about characters the terminal device cannot show are not the
  # page's, nor, for the Japanese pages, groff's lack of line breaking
  # between Japanese characters (it breaks at spaces only).
  ignore="can't find special character|can't set the locale"
  [[ $page != */ja/* ]] || ignore+="|can't break line|cannot adjust line"
  warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings=w -l "$page" 2>&1 >/dev/null |
    grep -Ev "$ignore" || true)
  [[ -z $warnings ]] || fail "$page: $warnings"
  # Every program's page names its --help and --version.
  grep -q 'help' "$page" && grep -q 'version' "$page" || fail "$page lacks --help/--version"
done
echo "ok: metainfo, desktop entry, $(ls "$pkg"/man/*.1 "$pkg"/man/ja/*.1 | wc -l) man pages"
