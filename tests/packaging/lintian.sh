#!/usr/bin/env bash
# lintian on the built .deb packages: no error, and every warning is one
# packaging/README.md lists with its reason (section "Lintian"; its table's
# first column is the tag). A warning nobody explained fails the test.
# MYNACARD_PACKAGES: the directory of the .deb files (scripts/package).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../integration/need.sh"
src=$(cd "$here/../.." && pwd)
packages=${MYNACARD_PACKAGES:-$src/build/packages}
need lintian
compgen -G "$packages/*.deb" >/dev/null || { echo "FAIL: no .deb in $packages" >&2; exit 1; }

allowed=$(sed -n '/^## Lintian/,/^## /p' "$src/packaging/README.md" |
  sed -n 's/^| `\([a-z0-9-]*\)` |.*/\1/p' | sort -u)
out=$(lintian --allow-root --no-tag-display-limit "$packages"/*.deb 2>&1)
rc=$?
echo "$out"
# lintian exits 2 when it could not run at all (1: it found errors).
((rc == 0 || rc == 1)) || { echo "FAIL: lintian did not run (exit $rc)" >&2; exit 1; }
bad=0
while read -r level package tag _; do
  [[ -n $level ]] || continue
  case $level in
    E:) echo "FAIL: lintian error: $package $tag" >&2; bad=1 ;;
    W:)
      if ! grep -qx -- "$tag" <<<"$allowed"; then
        echo "FAIL: lintian warning not listed in packaging/README.md: $package $tag" >&2
        bad=1
      fi
      ;;
  esac
done <<<"$(grep -E '^[EW]: ' <<<"$out")"
((bad == 0)) || exit 1
echo "ok: lintian: no error, every warning listed ($(echo $allowed))"
