#!/usr/bin/env bash
# The softcard tests load the PKI and profiles the build generated once and
# generate no RSA keys of their own (each key pair costs seconds, and ctest
# runs every test in a process of its own). Runs the whole program once with
# its scratch directory kept and checks that no PKI and no card profile was
# created there: the former fixture made both, lazily, per process.
set -euo pipefail
program=${1:?usage: no_key_generation.sh SOFTCARD_TEST}
tmp=$(mktemp -d)
# Kept when the run keeps test output for the secrets scan (scripts/test).
trap '[[ ${MYNACARD_KEEP_TEST_OUTPUT:-} == 1 ]] || rm -rf "$tmp"' EXIT
TMPDIR=$tmp SOFTCARD_TEST_KEEP=1 "$program" --gtest_brief=1 >"$tmp/log" 2>&1 ||
  { cat "$tmp/log"; echo "FAIL: softcard_test failed"; exit 1; }
scratch=$(find "$tmp" -mindepth 1 -maxdepth 1 -type d -name 'softcard-test-*')
[[ -n $scratch ]] || { echo "FAIL: no kept scratch directory"; exit 1; }
generated=$(find "$scratch" -name ap_ca_pub.der -o -type d \
  \( -name pki -o -name default -o -name minor -o -name sign-blocked -o -name contactless \
     -o -name expired \) | sort)
if [[ -n $generated ]]; then
  echo "FAIL: the tests generated keys of their own:"
  echo "$generated"
  exit 1
fi
echo "ok: softcard_test generated no PKI and no profile"
