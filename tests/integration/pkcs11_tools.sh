#!/usr/bin/env bash
# mynacard-pkcs11.so with real clients: OpenSC's pkcs11-tool lists both
# tokens, mechanisms and objects, reads the authentication certificate
# byte-identical, signs with both keys (verified by openssl) and passes its
# own --test; GnuTLS's p11tool lists everything (skipped, exit 77, when
# p11tool is not installed).
source "$(dirname "$0")/lib.sh"
: "${MYNACARD_PKCS11:?run through ctest}"
reset_readers
m() { module_host pkcs11-tool --module "$MYNACARD_PKCS11" "$@"; }
auth=(--token-label "JPKI (User Authentication PIN)")
sign=(--token-label "JPKI (Digital Signature PIN)")

out=$(m -L)
echo "$out"
expect_contains "$out" "JPKI (User Authentication PIN)" "auth token listed"
expect_contains "$out" "JPKI (Digital Signature PIN)" "sign token listed"
expect_contains "$out" "(empty)" "empty readers have slots without tokens"

out=$(m "${auth[@]}" -M)
for mech in RSA-PKCS SHA1-RSA-PKCS SHA224-RSA-PKCS SHA256-RSA-PKCS SHA384-RSA-PKCS SHA512-RSA-PKCS; do
  expect_contains "$out" "$mech, keySize={2048,2048}, hw, sign" "mechanism $mech"
done
expect_not_contains "$out" "PSS" "no PSS advertised"
expect_not_contains "$out" "decrypt" "no decryption advertised"

out=$(m "${auth[@]}" -O)
expect_contains "$out" "User Authentication Certificate" "auth certificate object"
expect_contains "$out" "User Authentication Certificate CA" "auth CA certificate object"
expect_contains "$out" "User Authentication Public Key" "auth public key object"
expect_not_contains "$out" "User Authentication Key" "auth private key hidden before login (CKA_PRIVATE)"
out=$(m "${auth[@]}" --login --pin 1234 -O)
expect_contains "$out" "User Authentication Key" "auth private key object after login"
out=$(m "${sign[@]}" -O)
expect_contains "$out" "Digital Signature Certificate CA" "sign CA certificate object"
expect_not_contains "$out" "Digital Signature Key" "sign private key hidden before login"
expect_not_contains "$out" "Digital Signature Public Key" "sign public key hidden before login"
out=$(m "${sign[@]}" --login --pin ABC123 -O)
expect_contains "$out" "Digital Signature Public Key" "sign public key after login"
expect_contains "$out" "always authenticate" "sign key needs a PIN per signature"

m "${auth[@]}" --read-object --type cert --id 01 -o "$work/auth.der"
cmp "$work/auth.der" "$(profile_file default auth_cert)" || fail "auth certificate differs from the card's"
pass "auth certificate read byte-identical"

# Signatures with both keys, verified with the certificates by openssl.
echo "a document to sign" >"$work/data"
der_to_pem "$(profile_file default auth_cert)" "$work/auth.pem"
der_to_pem "$(profile_file default sign_cert)" "$work/sign.pem"
openssl x509 -in "$work/auth.pem" -pubkey -noout >"$work/auth.pub"
openssl x509 -in "$work/sign.pem" -pubkey -noout >"$work/sign.pub"
for h in SHA1 SHA224 SHA256 SHA384 SHA512; do
  dgst=$(tr 'A-Z' 'a-z' <<<"$h")
  m "${auth[@]}" --login --pin 1234 --id 01 -s -m "$h-RSA-PKCS" -i "$work/data" -o "$work/sig" 2>/dev/null
  openssl dgst "-$dgst" -verify "$work/auth.pub" -signature "$work/sig" "$work/data" >/dev/null \
    || fail "auth key $h-RSA-PKCS signature does not verify"
  pass "auth key signs with $h-RSA-PKCS"
  m "${sign[@]}" --login --pin ABC123 --id 02 -s -m "$h-RSA-PKCS" -i "$work/data" -o "$work/sig" 2>/dev/null
  openssl dgst "-$dgst" -verify "$work/sign.pub" -signature "$work/sig" "$work/data" >/dev/null \
    || fail "sign key $h-RSA-PKCS signature does not verify"
  pass "sign key signs with $h-RSA-PKCS"
done
# CKM_RSA_PKCS over a DigestInfo the caller built.
openssl dgst -sha256 -binary "$work/data" >"$work/hash"
printf '\x30\x31\x30\x0d\x06\x09\x60\x86\x48\x01\x65\x03\x04\x02\x01\x05\x00\x04\x20' | cat - "$work/hash" >"$work/di"
m "${auth[@]}" --login --pin 1234 --id 01 -s -m RSA-PKCS -i "$work/di" -o "$work/sig" 2>/dev/null
openssl dgst -sha256 -verify "$work/auth.pub" -signature "$work/sig" "$work/data" >/dev/null \
  || fail "RSA-PKCS signature over a DigestInfo does not verify"
pass "auth key signs a DigestInfo with RSA-PKCS"

out=$(m "${auth[@]}" --test --login --pin 1234 2>&1)
echo "$out"
expect_contains "$out" "No errors" "pkcs11-tool --test on the auth token"

expect_eq "$(sim status --reader 0 --json | jq -r .reader.tries_left.auth)" "3" "no auth try lost"
expect_eq "$(sim status --reader 0 --json | jq -r .reader.tries_left.sign)" "5" "no sign try lost"

# GnuTLS last: without p11tool everything above has still run (and could
# fail), but the test as a whole has not been done, so it reports skipped.
need p11tool
out=$(GNUTLS_PIN=1234 module_host p11tool --provider "$MYNACARD_PKCS11" --list-all --login \
      "pkcs11:token=JPKI%20(User%20Authentication%20PIN)" 2>&1)
echo "$out"
expect_contains "$out" "User Authentication Certificate" "p11tool lists the auth certificate"
expect_contains "$out" "User Authentication Key" "p11tool lists the auth key after login"
