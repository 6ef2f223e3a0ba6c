#!/usr/bin/env bash
# Two builds of one commit in different directories give byte-identical
# .deb files. CI's time is short, so this test rebuilds only the packages of
# MYNACARD_REPRO_COMPONENTS (default: the PKCS#11 module, what browsers load) in a
# fresh directory, with the options of the build the packages came from and
# without ccache, and compares them with those in MYNACARD_PACKAGES.
# `scripts/package --check-reproducible` compares every package. Both builds
# must be made without ccache's base_dir (it makes the compiler see relative
# source paths, which end up in the debug information the build ID hashes);
# scripts/test's build has none.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../integration/need.sh"
src=$(cd "$here/../.." && pwd)
packages=${MYNACARD_PACKAGES:-$src/build/packages}
: "${MYNACARD_BUILD_DIR:?run through ctest}"
need cmake cpack cmp
compgen -G "$packages/*.deb" >/dev/null || { echo "FAIL: no .deb in $packages" >&2; exit 1; }
launcher=$(sed -n 's/^CMAKE_CXX_COMPILER_LAUNCHER:[A-Z]*=//p' "$MYNACARD_BUILD_DIR/CMakeCache.txt")
if [[ -n $launcher ]]; then
  echo "SKIP: the packages' build compiled through $launcher, whose base_dir changes the"
  echo "      paths in the debug information; compare two builds with"
  echo "      scripts/package --check-reproducible instead"
  exit 77
fi
second=$(mktemp -d /tmp/mynacard-repro-XXXXXX)
trap 'rm -rf "$second"' EXIT
# No compiler launcher from the environment: the second build compiles.
unset CMAKE_CXX_COMPILER_LAUNCHER CCACHE_BASEDIR
"$src/scripts/package" --build-dir "$second/build" --out "$second/packages" \
  --components "${MYNACARD_REPRO_COMPONENTS:-pkcs11}" \
  --same-options-as "$MYNACARD_BUILD_DIR" --compare-with "$packages"
