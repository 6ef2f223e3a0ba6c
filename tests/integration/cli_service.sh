#!/usr/bin/env bash
# pcscd stopping in the middle of an operation, and a reader that is gone:
# clear errors, no crash, no hang, nothing half-written.
source "$(dirname "$0")/lib.sh"
vpcscd="$(dirname "$0")/../../scripts/virtual-pcscd"
reset_readers
# Whatever happens below, leave the fixture's pcscd as the other tests expect.
trap '"$vpcscd" start --build-dir "$MYNACARD_BUILD_DIR" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

# Slow the card down so the export is still running when pcscd goes.
sim latency --reader 0 --per-apdu-ms 400 >/dev/null
start=$(date +%s)
"$cli_bin" cert export auth --out "$work/auth.der" >"$work/out" 2>"$work/err" &
pid=$!
sleep 1
"$vpcscd" stop >/dev/null
rc=0
timeout 30 tail --pid=$pid -f /dev/null || fail "mynacard hangs after pcscd stopped"
wait $pid || rc=$?
[[ $rc == 3 || $rc == 7 ]] || fail "pcscd stopped mid-operation: exit $rc ($(cat "$work/err"))"
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
