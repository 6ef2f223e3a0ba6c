#!/usr/bin/env bash
# Another process cannot sign on a PIN mynacard-pkcs11.so verified: after
# the module logged in and signed (pkcs11-tool), a raw PC/SC program that
# selects the authentication key and asks for a signature without a VERIFY
# of its own is refused (6982). The positive control shows the same raw
# program signs when it verified the PIN itself, and that a verified state
# does survive from one process to the next on this card: so the refusal
# is the module's doing (it re-selects the AP after every operation).
source "$(dirname "$0")/lib.sh"
: "${MYNACARD_PKCS11:?run through ctest}"
: "${PKCS11_RAW_SIGN:?run through ctest}"
reset_readers
m() { module_host pkcs11-tool --module "$MYNACARD_PKCS11" "$@"; }
auth=(--token-label "JPKI (User Authentication PIN)")
raw() { "$PKCS11_RAW_SIGN" 0 "$@"; }
echo "a document" >"$work/data"

# 1. The module signs (login + sign, then the process ends).
m "${auth[@]}" --login --pin 1234 --id 01 -s -m SHA256-RSA-PKCS -i "$work/data" -o "$work/sig" 2>/dev/null \
  || fail "the module did not sign"
out=$(raw) || fail "raw PC/SC program failed"
echo "$out"
sw=$(sed -n 's/^sign //p' <<<"$out")
select_sw=$(sed -n 's/^select-key //p' <<<"$out")
[[ $sw == 6982 || $select_sw != 9000 ]] || fail "a raw program signed after the module's signature (select $select_sw, sign $sw)"
pass "after a module signature, a raw program cannot sign (select $select_sw, sign $sw)"

# 2. The module only logs in (C_Login verifies the PIN, no signature).
m "${auth[@]}" --login --pin 1234 -O >/dev/null || fail "the module did not log in"
out=$(raw)
sw=$(sed -n 's/^sign //p' <<<"$out")
select_sw=$(sed -n 's/^select-key //p' <<<"$out")
[[ $sw == 6982 || $select_sw != 9000 ]] || fail "a raw program signed after the module's login (select $select_sw, sign $sw)"
pass "after a module login, a raw program cannot sign (select $select_sw, sign $sw)"

# 3. Positive control: the raw program verifies itself and signs...
out=$(raw --verify 1234)
echo "$out"
expect_contains "$out" "verify 9000" "control: the raw program's own VERIFY"
expect_contains "$out" "sign 9000" "control: the raw program signs after its own VERIFY"
# ... and a verified state it leaves behind is still there for the next
# process: the test above could have failed.
out=$(raw)
expect_contains "$out" "sign 9000" "control: a verified state survives between processes"
