#!/usr/bin/env bash
# Decision 7: every mynacard::Errc has its own CK_RV in pkcs11/errors.cpp,
# and a new Errc must be a compile error there (a switch without a default,
# -Wswitch), never a silent CKR_GENERAL_ERROR. Compiles errors.cpp twice:
# as it is (must succeed), and against a copy of core/error.h with one more
# enumerator (must fail, naming the unhandled value).
#   errc_exhaustive.sh CXX SOURCE_ROOT PKCS11_HEADER_DIRS (colon-separated)
set -euo pipefail
cxx=$1 root=$2
system_includes=()
IFS=: read -ra dirs <<<"$3"
for d in "${dirs[@]}"; do system_includes+=(-isystem "$d"); done
tmp=$(mktemp -d)
# Kept when the run keeps test output for the secrets scan (scripts/test).
trap '[[ ${MYNACARD_KEEP_TEST_OUTPUT:-} == 1 ]] || rm -rf "$tmp"' EXIT
mkdir -p "$tmp/core"
sed 's|^\(    internal,.*\)$|\1\n    added_by_test,|' "$root/middleware/core/error.h" >"$tmp/core/error.h"
grep -q added_by_test "$tmp/core/error.h" || { echo "FAIL: could not add an enumerator to Errc"; exit 1; }
compile() {
  "$cxx" -std=c++20 -fsyntax-only -Wall -Werror -I"$1" -I"$root/middleware" -I"$root" \
    "${system_includes[@]}" "$root/pkcs11/errors.cpp"
}
compile "$root/middleware" || { echo "FAIL: errors.cpp does not compile as it is"; exit 1; }
if compile "$tmp" 2>"$tmp/log"; then
  echo "FAIL: a new Errc compiled without a CK_RV: the mapping is not exhaustive"
  exit 1
fi
grep -q "added_by_test" "$tmp/log" || { cat "$tmp/log"; echo "FAIL: failed for another reason"; exit 1; }
echo "ok: a new Errc is a compile error in pkcs11/errors.cpp"
