#!/usr/bin/env bash
# Signatures through OpenSC with the auth key (PIN 1234) and the sign key
# (PIN ABC123) verify with openssl against the card's certificates, for every
# hash OpenSC builds a DigestInfo for and for raw CKM_RSA_PKCS.
source "$(dirname "$0")/lib.sh"
reset_readers
auth_token="JPKI (User Authentication PIN)"
sign_token="JPKI (Digital Signature PIN)"

head -c 3000 /dev/urandom >"$work/data"
openssl x509 -inform DER -in "$(profile_file default auth_cert)" -pubkey -noout >"$work/auth.pub"
openssl x509 -inform DER -in "$(profile_file default sign_cert)" -pubkey -noout >"$work/sign.pub"

for mech in SHA1 SHA256 SHA384 SHA512; do
  hash=$(tr 'A-Z' 'a-z' <<<"$mech")
  p11 --token-label "$auth_token" --login --pin 1234 --sign --id 01 -m "$mech-RSA-PKCS" \
    -i "$work/data" -o "$work/sig-auth-$hash" >/dev/null 2>&1 || fail "auth sign $mech"
  openssl dgst "-$hash" -verify "$work/auth.pub" -signature "$work/sig-auth-$hash" "$work/data" \
    >/dev/null || fail "auth signature $mech does not verify"
  pass "auth key $mech-RSA-PKCS signature verifies"
done

p11 --token-label "$sign_token" --login --pin ABC123 --sign --id 02 -m SHA256-RSA-PKCS \
  -i "$work/data" -o "$work/sig-sign" >/dev/null 2>&1 || fail "sign key signature"
openssl dgst -sha256 -verify "$work/sign.pub" -signature "$work/sig-sign" "$work/data" >/dev/null \
  || fail "sign-key signature does not verify"
pass "sign key SHA256-RSA-PKCS signature verifies"

# CKM_RSA_PKCS: the caller's input is the DigestInfo (card-facts.md §2.6).
openssl dgst -sha256 -binary "$work/data" >"$work/hash"
printf '\x30\x31\x30\x0d\x06\x09\x60\x86\x48\x01\x65\x03\x04\x02\x01\x05\x00\x04\x20' \
  | cat - "$work/hash" >"$work/digestinfo"
p11 --token-label "$auth_token" --login --pin 1234 --sign --id 01 -m RSA-PKCS \
  -i "$work/digestinfo" -o "$work/sig-raw" >/dev/null 2>&1 || fail "raw RSA-PKCS sign"
openssl pkeyutl -verifyrecover -pubin -inkey "$work/auth.pub" -in "$work/sig-raw" \
  -out "$work/recovered" || fail "raw signature does not open"
cmp "$work/recovered" "$work/digestinfo" || fail "raw signature recovers a different DigestInfo"
pass "CKM_RSA_PKCS over a DigestInfo recovers it exactly"

tries=$(sim status --reader 0 --json | jq -r '.reader.tries_left.auth, .reader.tries_left.sign' | tr '\n' ' ')
expect_eq "$tries" "3 5 " "correct PINs leave both counters full"
