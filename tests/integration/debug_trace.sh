#!/usr/bin/env bash
# MYNACARD_DEBUG=apdu (docs/debugging.md): the PC/SC layer prints one line
# per APDU with its header, lengths and status word, never its data: a
# signature with the PIN traced shows the VERIFY's header and not the PIN.
source "$(dirname "$0")/lib.sh"
reset_readers
echo "a document" >"$work/doc"

out=$(cli status 2>&1 >/dev/null)
expect_not_contains "$out" "mynacard: " "no trace without MYNACARD_DEBUG"

export MYNACARD_DEBUG=apdu
trace=$(echo 1234 | cli --pin-stdin sign --key auth --in "$work/doc" --out "$work/doc.p7s" 2>&1 >/dev/null) \
  || fail "sign with the trace on: $trace"
echo "$trace"
expect_contains "$trace" "00 A4 04 0C Lc=10" "SELECT of the JPKI AP traced"
expect_contains "$trace" "00 20 00 80 Lc=4 Le=- -> SW 9000" "the VERIFY's header and status word"
expect_contains "$trace" "80 2A 00 80" "the signature command"
# The PIN (ASCII 1234) in any spelling: hex with or without blanks.
# The pass message names the spelling, not the PIN (ctest keeps the output).
for needle in 31323334 "31 32 33 34"; do
  spelling=$([[ $needle == *" "* ]] && echo "hex with blanks" || echo "hex")
  expect_not_contains "$trace" "$needle" "no PIN in the trace ($spelling)"
done
sig_hex=$(od -An -tx1 "$work/doc.p7s" | tr -d ' \n' | tail -c 64)
expect_not_contains "$(tr -d ' ' <<<"$trace")" "${sig_hex:0:32}" "no response data in the trace"
