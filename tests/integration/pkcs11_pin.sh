#!/usr/bin/env bash
# mynacard-pkcs11.so PIN handling with pkcs11-tool: --change-pin on both
# tokens (C_SetPIN through MyNumberCard::change_pin), a new PIN that works
# and an old one that no longer does, a malformed PIN refused without an
# APDU; a minor's card (no signature password) shows no signature token.
source "$(dirname "$0")/lib.sh"
: "${MYNACARD_PKCS11:?run through ctest}"
reset_readers
m() { module_host pkcs11-tool --module "$MYNACARD_PKCS11" "$@"; }
auth=(--token-label "JPKI (User Authentication PIN)")
sign=(--token-label "JPKI (Digital Signature PIN)")
tries() { sim status --reader 0 --json | jq -r ".reader.tries_left.$1"; }

# Authentication PIN: 1234 → 5678.
out=$(m "${auth[@]}" --login --pin 1234 --change-pin --new-pin 5678 2>&1)
expect_contains "$out" "PIN successfully changed" "auth PIN changed"
if m "${auth[@]}" --login --pin 1234 -O >/dev/null 2>"$work/err"; then fail "the old auth PIN still works"; fi
expect_contains "$(<"$work/err")" "CKR_PIN_INCORRECT" "old auth PIN refused"
expect_eq "$(tries auth)" "2" "the old PIN cost one try"
m "${auth[@]}" --login --pin 5678 -O >/dev/null || fail "the new auth PIN does not log in"
pass "new auth PIN logs in"
expect_eq "$(tries auth)" "3" "counter reset by the correct PIN"

# A PIN of the wrong format never reaches the card (pkcs11-tool logs in
# with the old PIN first; the API suite checks C_SetPIN's own formats).
if m "${auth[@]}" --change-pin --pin 56 --new-pin 1234 >/dev/null 2>"$work/err"; then fail "a 2-digit PIN was accepted"; fi
expect_contains "$(<"$work/err")" "CKR_PIN_LEN_RANGE" "short old PIN refused"
if m "${auth[@]}" --login --pin 5678 --change-pin --new-pin 12a4 >/dev/null 2>"$work/err"; then
  fail "a PIN with a letter was accepted"
fi
expect_contains "$(<"$work/err")" "CKR_PIN_INVALID" "new PIN with a letter refused"
expect_eq "$(tries auth)" "3" "no try lost to malformed PINs"

# Signature password, case-folded as at login: abc123 → XYZ789.
out=$(m "${sign[@]}" --login --pin abc123 --change-pin --new-pin xyz789 2>&1)
expect_contains "$out" "PIN successfully changed" "sign password changed"
m "${sign[@]}" --login --pin XYZ789 -O >/dev/null || fail "the new sign password does not log in"
pass "new sign password logs in"
if m "${sign[@]}" --login --pin ABC123 -O >/dev/null 2>"$work/err"; then fail "the old sign password still works"; fi
expect_contains "$(<"$work/err")" "CKR_PIN_INCORRECT" "old sign password refused"
expect_eq "$(tries sign)" "4" "the old password cost one try"

# A minor's card: no signature password, so no signature token.
sim remove --reader 0 >/dev/null
probe wait-state 0 empty 5 >/dev/null
insert_card 0 "$profiles/minor"
out=$(m -L 2>&1)
echo "$out"
expect_contains "$out" "JPKI (User Authentication PIN)" "minor: auth token listed"
expect_not_contains "$out" "JPKI (Digital Signature PIN)" "minor: no sign token"
echo "a minor's document" >"$work/data"
der_to_pem "$(profile_file minor auth_cert)" "$work/auth.pem"
openssl x509 -in "$work/auth.pem" -pubkey -noout >"$work/auth.pub"
m "${auth[@]}" --login --pin 1234 --id 01 -s -m SHA256-RSA-PKCS -i "$work/data" -o "$work/sig" 2>/dev/null
openssl dgst -sha256 -verify "$work/auth.pub" -signature "$work/sig" "$work/data" >/dev/null \
  || fail "minor: auth signature does not verify"
pass "minor: auth key signs"
