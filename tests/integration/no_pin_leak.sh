#!/usr/bin/env bash
# No trace, log or tool output carries the PIN bytes: after logins and
# signatures with both PINs (and a PIN-pad entry), the virtual reader's APDU
# trace holds the VERIFY commands with their data redacted, and neither the
# trace nor pcscd's log nor the clients' output contains the PINs.
source "$(dirname "$0")/lib.sh"
reset_readers
insert_card 2 "$(second_card)"

echo data >"$work/data"
{
  p11 --token-label "JPKI (User Authentication PIN)" --login --pin 1234 --sign --id 01 \
    -m SHA256-RSA-PKCS -i "$work/data" -o "$work/s1"
  p11 --token-label "JPKI (Digital Signature PIN)" --login --pin ABC123 --sign --id 02 \
    -m SHA256-RSA-PKCS -i "$work/data" -o "$work/s2"
  p11 --token-label "JPKI (User Authentication PIN)" --login --pin 5678 -O || true
  sim pinpad --reader 2 type 4321
  probe verify-pin-direct 2
} >"$work/output" 2>&1

sim trace --reader 0 >"$work/trace0"
sim trace --reader 2 >"$work/trace2"
verifies=$(jq -c 'select(.redacted == true and (.command | ascii_upcase | startswith("00200080")))' \
  "$work/trace0" | wc -l)
[[ $verifies -ge 3 ]] || fail "expected 3 redacted VERIFY commands in the trace, found $verifies"
pass "trace records $verifies VERIFY commands with their data redacted"
pinpad=$(jq -c 'select(.source == "pinpad" and .redacted == true)' "$work/trace2" | wc -l)
[[ $pinpad -ge 1 ]] || fail "the PIN-pad VERIFY is not in reader 2's trace"
pass "PIN-pad VERIFY traced, redacted"

pcscd_log=/run/pcscd/mynacard-virtual/pcscd.log
for f in "$work/trace0" "$work/trace2" "$work/output" "$pcscd_log"; do
  [[ -f $f ]] || fail "missing $f"
  for pin in 1234 ABC123 5678 4321; do
    hex=$(printf %s "$pin" | od -An -tx1 | tr -d ' \n')
    if grep -qiF -- "$hex" "$f"; then fail "$(basename "$f") contains PIN $pin as hex"; fi
    # Traces are hex, where 4 plain digits occur by chance; text files are
    # checked for the plain PIN as well.
    case $f in *trace*) ;; *) if grep -qF -- "$pin" "$f"; then fail "$(basename "$f") contains PIN $pin"; fi ;; esac
  done
done
pass "no PIN in the traces, pcscd's log or the clients' output"
