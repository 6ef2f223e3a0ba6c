#!/usr/bin/env bash
# Sixteen virtual readers (indexes 0..15, pcsc-lite's PCSCLITE_MAX_READERS_CONTEXTS),
# each with its own card from share/mynacard/sim/load-profiles, then
# load_pkcs11_test's Load.SixteenReadersSignInParallel against them.
#
# They get a pcscd of their own in a private mount namespace of this test
# (its own tmpfs on /run/pcscd, as scripts/lib/private-run makes), so the
# fixture's three-reader pcscd, which every other integration test keeps,
# is neither stopped nor slowed. Needs root for the namespace: exits 77
# (skipped) without it.
#   readers.sh LOAD_PKCS11_TEST
set -euo pipefail
test_bin=${1:?usage: readers.sh LOAD_PKCS11_TEST}
: "${MYNACARD_BUILD_DIR:?run through ctest}"
: "${LOAD_PROFILES:?run through ctest}"
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
readers=16

if [[ ${2:-} != --inside ]]; then
  if [[ $(id -u) -ne 0 ]] || ! command -v unshare >/dev/null; then
    echo "SKIP: a private mount namespace (unshare -m) needs root"
    exit 77
  fi
  mkdir -p /run/pcscd
  exec unshare -m --propagation private "$root/scripts/lib/private-run" \
    bash "${BASH_SOURCE[0]}" "$test_bin" --inside
fi

sim=$MYNACARD_BUILD_DIR/bin/mynacard-sim
probe=$MYNACARD_BUILD_DIR/bin/pcsc_probe
spec=contact
for ((i = 1; i < readers; i++)); do spec+=,contact; done
trap '"$root/scripts/virtual-pcscd" stop >/dev/null' EXIT
"$root/scripts/virtual-pcscd" start --readers "$spec" --profile none --build-dir "$MYNACARD_BUILD_DIR"
for ((i = 0; i < readers; i++)); do
  "$sim" insert --reader "$i" --fresh "$LOAD_PROFILES/$(printf 'card-%02d' "$i")" >/dev/null
done
# pcscd polls presence every 400 ms: wait until it has seen every card.
for ((i = 0; i < readers; i++)); do "$probe" wait-state "$i" present 5 >/dev/null; done
"$test_bin" --gtest_filter=Load.SixteenReadersSignInParallel
