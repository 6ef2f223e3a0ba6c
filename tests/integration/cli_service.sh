#!/usr/bin/env bash
# pcscd stopping in the middle of an operation, and a reader that is gone:
# clear errors, no crash, no hang, nothing half-written.
source "$(dirname "$0")/lib.sh"
vpcscd="$(dirname "$0")/../../scripts/virtual-pcscd"
reset_readers
# Whatever happens below, leave the fixture's pcscd as the other tests expect.
trap '"$vpcscd" start --build-dir "$MYNACARD_BUILD_DIR" >/dev/null 2>&1 || true; remove_work' EXIT

# Slow the card down (every APDU takes 400 ms, a certificate export needs
# several) and stop pcscd only once the trace shows the export has begun:
# then the CLI is provably inside the operation, not before or after it.
sim latency --reader 0 --per-apdu-ms 400 >/dev/null
sim trace --reader 0 --clear >/dev/null
start=$(date +%s)
"$cli_bin" cert export auth --out "$work/auth.der" >"$work/out" 2>"$work/err" &
pid=$!
apdus=0
for _ in $(seq 100); do  # at most 10 s
  apdus=$(sim trace --reader 0 | grep -c . || true)
  ((apdus >= 1)) && break
  sleep 0.1
done
((apdus >= 1)) || fail "the export sent no APDU within 10 s"
kill -0 "$pid" 2>/dev/null || fail "the export finished before pcscd could be stopped"
"$vpcscd" stop >/dev/null
pass "pcscd stopped after APDU $apdus of the export, while it was running"
rc=0
timeout 30 tail --pid=$pid -f /dev/null || fail "mynacard hangs after pcscd stopped"
wait $pid || rc=$?
err=$(<"$work/err")
[[ $rc == 3 ]] || fail "pcscd stopped mid-operation: exit $rc, expected 3 ($err)"
expect_contains "$err" "(pcscd) is not running" "pcscd stopped mid-operation: the message says pcscd went away"
pass "pcscd stopped mid-operation: exit $rc after $(( $(date +%s) - start )) s"
[[ ! -e $work/auth.der ]] || fail "a partial certificate was written"
pass "nothing half-written"
expect_exit 3 status
expect_contains "$err" "pcscd" "no pcscd: the message says so"

# A reader that is no longer there (pcscd back with two readers only).
"$vpcscd" start --build-dir "$MYNACARD_BUILD_DIR" --readers contact,contactless >/dev/null
expect_exit 3 --reader "PIN Pad" status
expect_contains "$err" "PIN Pad" "the message names the missing reader"
"$vpcscd" stop >/dev/null
"$vpcscd" start --build-dir "$MYNACARD_BUILD_DIR" >/dev/null
expect_exit 0 status
