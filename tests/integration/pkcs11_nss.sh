#!/usr/bin/env bash
# mynacard-pkcs11.so in an NSS database, as Firefox and Chromium load it:
# modutil -add registers it, certutil -L -h all lists the authentication
# certificate and both CA certificates without a PIN, and the signature
# certificate after login with the signature password (NSS's password file
# names each token).
source "$(dirname "$0")/lib.sh"
: "${MYNACARD_PKCS11:?run through ctest}"
need certutil modutil
reset_readers
db=sql:$work/nss
mkdir "$work/nss"
certutil -N -d "$db" --empty-password
module_host modutil -dbdir "$db" -add mynacard -libfile "$MYNACARD_PKCS11" -force >/dev/null \
  || fail "modutil -add failed"
out=$(module_host modutil -dbdir "$db" -list 2>&1)
expect_contains "$out" "library name: $MYNACARD_PKCS11" "modutil lists the module"
expect_contains "$out" "token: JPKI (User Authentication PIN)" "NSS sees the auth token"
expect_contains "$out" "token: JPKI (Digital Signature PIN)" "NSS sees the sign token"

# certutil -L: the nicknames, one a line (the trust column cut off).
nicknames() { module_host certutil -d "$db" -L -h all "$@" </dev/null 2>/dev/null | sed -nE 's/^(.*[^ ]) +[a-zA-Z]*,[a-zA-Z]*,[a-zA-Z]* *$/\1/p'; }
auth_cert="JPKI (User Authentication PIN):User Authentication Certificate"
sign_cert="JPKI (Digital Signature PIN):Digital Signature Certificate"

# Without a PIN (stdin closed: no prompt can be answered).
out=$(nicknames)
echo "$out"
grep -qxF "$auth_cert" <<<"$out" || fail "auth certificate not listed: $out"
pass "auth certificate listed"
grep -qxF "$auth_cert CA" <<<"$out" || fail "auth CA not listed: $out"
pass "auth CA listed"
grep -qxF "$sign_cert CA" <<<"$out" || fail "sign CA not listed: $out"
pass "sign CA listed"
if grep -qxF "$sign_cert" <<<"$out"; then fail "the sign certificate is listed without the password"; fi
pass "sign certificate hidden without the password"

# With the PINs, one line per token (NSS: "token:password"). NSS reads
# token passwords only from a file (-f), once per token: an unlinked file
# open as fd 3, which NSS reopens through /dev/fd/3, so the PINs stay in no
# named file the run leaves behind.
exec 3<>"$work/pw"
rm -f "$work/pw"
printf 'JPKI (User Authentication PIN):1234\nJPKI (Digital Signature PIN):ABC123\n' >&3
pw=/dev/fd/3
out=$(nicknames -f "$pw")
echo "$out"
grep -qxF "$auth_cert" <<<"$out" || fail "auth certificate not listed after login: $out"
grep -qxF "$sign_cert" <<<"$out" || fail "sign certificate not listed after login: $out"
pass "both certificates listed after login"

# The listed certificates are the card's.
module_host certutil -d "$db" -L -h "JPKI (Digital Signature PIN)" -n "$sign_cert" -a -f "$pw" \
  </dev/null >"$work/sign.pem"
der_to_pem "$(profile_file default sign_cert)" "$work/expected.pem"
[[ $(openssl x509 -in "$work/sign.pem" -outform DER | sha256sum) == \
   $(openssl x509 -in "$work/expected.pem" -outform DER | sha256sum) ]] \
  || fail "NSS's signature certificate differs from the card's"
pass "NSS reads the card's signature certificate"
expect_eq "$(sim status --reader 0 --json | jq -r .reader.tries_left.auth)" "3" "no auth try lost"
expect_eq "$(sim status --reader 0 --json | jq -r .reader.tries_left.sign)" "5" "no sign try lost"
