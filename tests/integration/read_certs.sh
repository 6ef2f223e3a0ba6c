#!/usr/bin/env bash
# pkcs11-tool reads the authentication certificate and both CA certificates
# byte-identical to what the card holds; the signature certificate only after
# the signature PIN; the end-entity certificates chain to their test roots.
source "$(dirname "$0")/lib.sh"
reset_readers
auth_token="JPKI (User Authentication PIN)"
sign_token="JPKI (Digital Signature PIN)"

p11 --token-label "$auth_token" --read-object --type cert --id 01 -o "$work/auth.der"
p11 --token-label "$auth_token" --read-object --type cert --id 03 -o "$work/auth-ca.der"
p11 --token-label "$auth_token" --read-object --type cert --id 04 -o "$work/sign-ca.der"
cmp "$work/auth.der" "$(profile_file default auth_cert)" || fail "auth certificate differs"
pass "auth certificate byte-identical"
cmp "$work/auth-ca.der" "$(profile_file default auth_ca)" || fail "auth CA differs"
pass "auth CA certificate byte-identical"
cmp "$work/sign-ca.der" "$(profile_file default sign_ca)" || fail "sign CA differs"
pass "sign CA certificate byte-identical"

# EF 0001 answers 6982 before the signature PIN: no object can be read.
if p11 --token-label "$auth_token" --read-object --type cert --id 02 -o "$work/x.der" 2>/dev/null; then
  fail "signature certificate readable without the signature PIN"
fi
pass "signature certificate hidden before login"
p11 --token-label "$sign_token" --login --pin ABC123 --read-object --type cert --id 02 \
  -o "$work/sign.der" >/dev/null 2>&1 || fail "signature certificate not readable after login"
cmp "$work/sign.der" "$(profile_file default sign_cert)" || fail "sign certificate differs"
pass "signature certificate byte-identical after login"

for c in auth auth-ca sign sign-ca; do der_to_pem "$work/$c.der" "$work/$c.pem"; done
openssl verify -CAfile "$work/auth-ca.pem" "$work/auth.pem" >/dev/null || fail "auth chain"
pass "auth certificate chains to the auth test root"
openssl verify -CAfile "$work/sign-ca.pem" "$work/sign.pem" >/dev/null || fail "sign chain"
pass "sign certificate chains to the sign test root"
text=$(openssl x509 -in "$work/sign.pem" -noout -text)
expect_contains "$text" "1.2.392.200149.8.5.5.1" "sign certificate carries the JPKI name otherName"
expect_contains "$text" "1.2.392.200149.8.5.5.4" "sign certificate carries the birth-date otherName"
