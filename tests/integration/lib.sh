# Sourced by every integration test. The environment comes from ctest
# (tests/integration/CMakeLists.txt): MYNACARD_BUILD_DIR, OPENSC_PKCS11.
set -euo pipefail

: "${MYNACARD_BUILD_DIR:?run through ctest}"
: "${OPENSC_PKCS11:?run through ctest}"
sim_bin=$MYNACARD_BUILD_DIR/bin/mynacard-sim
probe_bin=$MYNACARD_BUILD_DIR/bin/pcsc_probe
profiles=$MYNACARD_BUILD_DIR/share/mynacard/sim/profiles
pki=$MYNACARD_BUILD_DIR/share/mynacard/sim/pki

# The test's scratch directory (under $TMPDIR), removed on exit unless the
# run keeps test output for the secrets scan (scripts/test,
# MYNACARD_KEEP_TEST_OUTPUT=1).
work=$(mktemp -d)
remove_work() { [[ ${MYNACARD_KEEP_TEST_OUTPUT:-} == 1 ]] || rm -rf "$work"; }
trap remove_work EXIT

source "$(dirname "${BASH_SOURCE[0]}")/need.sh"

sim() { "$sim_bin" "$@"; }
probe() { "$probe_bin" "$@"; }
p11() { pkcs11-tool --module "$OPENSC_PKCS11" "$@"; }
# module_host CMD...: runs a program we do not build that loads our PKCS#11
# module (pkcs11-tool, p11tool, NSS's certutil and modutil). In a sanitizer
# build the module needs the ASan runtime in that process:
# MYNACARD_MODULE_PRELOAD names it, preloaded into CMD alone
# (docs/reliability.md, "Sanitizers").
module_host() { env ${MYNACARD_MODULE_PRELOAD:+LD_PRELOAD="$MYNACARD_MODULE_PRELOAD"} "$@"; }

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
pass() { echo "ok: $*"; }

expect_contains() {  # haystack needle what
  grep -qF -- "$2" <<<"$1" || fail "$3: expected to find '$2' in:"$'\n'"$1"
  pass "$3"
}
expect_not_contains() {
  if grep -qF -- "$2" <<<"$1"; then fail "$3: did not expect '$2' in:"$'\n'"$1"; fi
  pass "$3"
}
expect_eq() {  # actual expected what
  [[ "$1" == "$2" ]] || fail "$3: expected '$2', got '$1'"
  pass "$3"
}

# Every test starts from the same state: the default card, fresh counters,
# no faults, no latency, an empty trace; the other readers empty.
reset_readers() {
  local n removed
  n=$(sim list --json | jq '.readers | length')
  for ((i = 0; i < n; i++)); do
    sim fault --reader "$i" clear >/dev/null
    sim latency --reader "$i" --clear >/dev/null
    sim pinpad --reader "$i" clear >/dev/null 2>&1 || true  # only PIN-pad readers
    removed=$(sim remove --reader "$i" --json | jq -r .removed)
    # pcscd polls presence every 400 ms: wait until it has seen the removal,
    # or a client could meet the old card's state.
    if [[ $removed == true ]]; then probe wait-state "$i" empty 5 >/dev/null; fi
    sim trace --reader "$i" --clear >/dev/null
  done
  insert_card 0 "$profiles/default"
}

# insert_card READER PROFILE_DIR: a fresh card, and wait until PC/SC sees it.
insert_card() {
  sim insert --reader "$1" --fresh "$2" >/dev/null
  probe wait-state "$1" present 5 >/dev/null
}

# A second card with the same holder (a card is in one reader at a time).
second_card() {
  cp -r "$profiles/default" "$work/second-card"
  echo "$work/second-card"
}

# Token label → slot as OpenSC numbers it (pkcs11-tool --token-label works too).
der_to_pem() { openssl x509 -inform DER -in "$1" -out "$2"; }

# profile_file PROFILE KEY: a file of a card profile, by its profile.json key.
profile_file() {
  local dir=$profiles/$1
  local name
  name=$(jq -r --arg k "$2" '.files[$k] // empty' "$dir/profile.json")
  [[ -n $name ]] || fail "profile $1 has no file '$2'"
  echo "$dir/$name"
}

# The mynacard CLI with an audit log private to the test.
cli_bin=$MYNACARD_BUILD_DIR/bin/mynacard
export MYNACARD_AUDIT_LOG=$work/audit.jsonl
cli() { "$cli_bin" "$@"; }

# Runs the CLI expecting exit code $1; its stdout is left in $out, stderr in $err.
expect_exit() {
  local want=$1 rc=0
  shift
  out=$("$cli_bin" "$@" 2>"$work/stderr") || rc=$?
  err=$(<"$work/stderr")
  [[ $rc == "$want" ]] || fail "mynacard $*: exit $rc, expected $want; stderr: $err; stdout: $out"
  pass "mynacard $* → exit $want"
}

# Number of VERIFY commands carrying data (a PIN) in reader N's trace.
pin_verifies() {
  sim trace --reader "$1" | jq -c 'select(.redacted == true and (.command | ascii_upcase | startswith("002000")))' | wc -l
}
