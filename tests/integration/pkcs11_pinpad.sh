#!/usr/bin/env bash
# The protected authentication path on a PIN-pad reader (decision 9): the
# authentication token advertises CKF_PROTECTED_AUTHENTICATION_PATH, C_Login
# with no PIN lets the reader's keypad take it (FEATURE_VERIFY_PIN_DIRECT;
# the digits are "typed" through mynacard-sim), every signature asks the pad
# again, and a cancel or time-out on the pad costs no try. The signature
# password has letters, so the signature token never uses the pad.
source "$(dirname "$0")/lib.sh"
: "${MYNACARD_PKCS11:?run through ctest}"
reset_readers
insert_card 2 "$(second_card)"
# No display here, so the PIN helper is not offered: only the pad remains.
unset DISPLAY WAYLAND_DISPLAY
m() { module_host pkcs11-tool --module "$MYNACARD_PKCS11" "$@"; }
auth_slot=4 # reader 2, first token
sign_slot=5
tries() { sim status --reader 2 --json | jq -r ".reader.tries_left.$1"; }
head -c 1000 /dev/urandom >"$work/doc"

# flags SLOT: the token flags pkcs11-tool -L prints for slot id SLOT.
flags() { m -L 2>&1 | awk -v id="(0x$1):" '$1 == "Slot" { on = ($3 == id) } on && /token flags/'; }
expect_contains "$(flags "$auth_slot")" "PIN pad present" "auth token on the PIN-pad reader: protected path"
if flags "$sign_slot" | grep -q "PIN pad"; then fail "the sign token claims the PIN pad"; fi
[[ -n $(flags "$sign_slot") ]] || fail "no sign token on the PIN-pad reader"
pass "sign token: no protected path on a numeric pad"
if flags 0 | grep -q "PIN pad"; then fail "the reader without a pad claims one"; fi
pass "no protected path on the reader without a pad"

# Login and a signature: two entries on the pad, no PIN through the host.
sim pinpad --reader 2 type 1234 >/dev/null
sim pinpad --reader 2 type 1234 >/dev/null
m --slot "$auth_slot" --login --sign --id 01 -m SHA256-RSA-PKCS -i "$work/doc" -o "$work/sig" \
  >"$work/out" 2>&1 || fail "login and sign on the PIN pad: $(<"$work/out")"
openssl x509 -inform DER -in "$work/second-card/auth_cert.der" -pubkey -noout >"$work/pub.pem"
openssl dgst -sha256 -verify "$work/pub.pem" -signature "$work/sig" "$work/doc" >/dev/null ||
  fail "the PIN-pad signature does not verify"
pass "login and signature with the PIN typed on the reader's keypad"
expect_eq "$(tries auth)" "3" "no try spent"

# A wrong PIN on the pad: CKR_PIN_INCORRECT, one try gone, never retried.
sim pinpad --reader 2 type 9999 >/dev/null
if m --slot "$auth_slot" --login -O >/dev/null 2>"$work/err"; then fail "a wrong pad PIN logged in"; fi
expect_contains "$(<"$work/err")" "CKR_PIN_INCORRECT" "wrong PIN on the pad refused"
expect_eq "$(tries auth)" "2" "one try spent"

# Cancel and time-out on the pad: CKR_FUNCTION_CANCELED, no try spent.
sim pinpad --reader 2 cancel >/dev/null
if m --slot "$auth_slot" --login -O >/dev/null 2>"$work/err"; then fail "a cancelled pad entry logged in"; fi
expect_contains "$(<"$work/err")" "CKR_FUNCTION_CANCELED" "cancel on the pad"
sim pinpad --reader 2 timeout >/dev/null
if m --slot "$auth_slot" --login -O >/dev/null 2>"$work/err"; then fail "a timed-out pad entry logged in"; fi
expect_contains "$(<"$work/err")" "CKR_FUNCTION_CANCELED" "time-out on the pad"
expect_eq "$(tries auth)" "2" "cancel and time-out spent no try"

# A PIN given by the application still works on the same reader.
m --slot "$auth_slot" --login --pin 1234 -O >/dev/null || fail "a typed PIN no longer logs in"
pass "a PIN given by the application still works"
expect_eq "$(tries auth)" "3" "the right PIN restored the counter"
sim pinpad --reader 2 clear >/dev/null
