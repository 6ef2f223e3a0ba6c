#!/usr/bin/env bash
# Every mynacard command through pcscd on the default software card, checked
# against the card profile and with openssl.
source "$(dirname "$0")/lib.sh"
reset_readers
default=$profiles/default
name=$(jq -r .holder.name "$default/profile.json")
address=$(jq -r .holder.address "$default/profile.json")
my_number=$(jq -r .holder.my_number "$default/profile.json")

out=$(cli readers --json)
expect_eq "$(jq '.readers | length' <<<"$out")" "3" "readers lists the three virtual readers"
expect_eq "$(jq '.readers[0].card_present' <<<"$out")" "true" "reader 0 has the card"

out=$(cli status --json)
expect_eq "$(jq -c '[.applications.jpki, .applications.text, .applications.face]' <<<"$out")" "[true,true,true]" \
  "status finds the three applications"
expect_eq "$(jq -c '[.tries_left.auth, .tries_left.sign, .tries_left.text]' <<<"$out")" "[3,5,3]" \
  "status reports every PIN's tries"

cli cert export auth --out "$work/auth.der"
cmp "$work/auth.der" "$(profile_file default auth_cert)" || fail "exported auth certificate differs"
pass "cert export auth is byte-identical to the card's"
cli cert export auth-ca --pem --out "$work/auth-ca.pem"
openssl x509 -in "$work/auth-ca.pem" -noout || fail "PEM export unreadable"
pass "cert export --pem gives PEM"
cli cert export sign-ca --pem --out "$work/sign-ca.pem"
expect_eq "$(cli cert list --json | jq -c 'keys')" '["auth","auth-ca","sign","sign-ca"]' "cert list keys"

out=$(echo abc123 | cli --pin-stdin cert show sign --json)
expect_eq "$(jq -r .holder.name <<<"$out")" "$name" "cert show sign (lower-case password) shows the holder"
expect_eq "$(jq -r .holder.address <<<"$out")" "$address" "… and the address"

expect_exit 0 verify-chain auth --trust "$pki/auth_root.pem"
expect_exit 8 verify-chain auth --trust "$pki/sign_root.pem"

head -c 5000 /dev/urandom >"$work/doc"
echo ABC123 | cli --pin-stdin sign --key sign --in "$work/doc" --out "$work/doc.p7s"
openssl cms -verify -binary -inform DER -in "$work/doc.p7s" -content "$work/doc" \
  -CAfile "$pki/sign_root.pem" -out /dev/null 2>/dev/null || fail "openssl cms -verify rejects the sign-key CMS"
pass "openssl cms -verify accepts the signature made with the sign key"
echo 1234 | cli --pin-stdin sign --key auth --hash sha512 --in "$work/doc" --out "$work/doc-auth.p7s"
openssl cms -verify -binary -inform DER -in "$work/doc-auth.p7s" -content "$work/doc" \
  -CAfile "$pki/auth_root.pem" -out /dev/null 2>/dev/null || fail "openssl cms -verify rejects the auth-key CMS"
pass "openssl cms -verify accepts the SHA-512 signature made with the auth key"

expect_exit 0 --json verify "$work/doc" "$work/doc.p7s"
expect_contains "$(jq -r .signer <<<"$out")" "CN=" "verify names the signer"
expect_eq "$(jq -r .valid <<<"$out")" "true" "verify --json says valid"
echo tampered >>"$work/doc"
expect_exit 8 verify "$work/doc" "$work/doc.p7s"

out=$(echo 1234 | cli --pin-stdin info --ap-ca "$pki/ap_ca_pub.der" --json)
expect_eq "$(jq -r .name <<<"$out")" "$name" "info decodes the name"
expect_eq "$(jq -r .address <<<"$out")" "$address" "info decodes the address"
expect_eq "$(jq -r .my_number <<<"$out")" "●●●● ●●●● ${my_number:8:4}" "info masks the My Number (card/facts.h)"
expect_eq "$(jq -r .birth_date <<<"$out")" "19800217" "info --json keeps the raw birth date"
expect_eq "$(jq -r .sex <<<"$out")" "2" "info --json keeps the raw sex code"
expect_eq "$(jq -r .integrity.valid <<<"$out")" "true" "EF 0003 integrity verified"
out=$(echo 1234 | cli --pin-stdin info --show-my-number --json)
expect_eq "$(jq -r .my_number <<<"$out")" "$my_number" "--show-my-number shows it"

# The human output shows birth date and sex as the card face does.
out=$(echo 1234 | LC_ALL=C.UTF-8 cli --pin-stdin info)
expect_contains "$out" "birth date: 1980-02-17" "info shows the birth date (English)"
expect_contains "$out" "sex:        female" "info shows the sex in words (English)"
expect_contains "$out" "My Number:  ●●●● ●●●● ${my_number:8:4}" "info shows the masked My Number"
out=$(echo 1234 | LC_ALL=ja_JP.UTF-8 cli --pin-stdin info)
expect_contains "$out" "birth date: 1980年2月17日" "info shows the birth date (Japanese)"
expect_contains "$out" "sex:        女" "info shows the sex in words (Japanese)"
expect_not_contains "$out" "sex:        2" "info does not show the raw sex code"

echo "$my_number" | cli --pin-stdin face --out "$work/face" --code a
[[ $(head -c 12 "$work/face/photo.jp2" | od -An -tx1 | tr -d ' \n') == 0000000c6a5020200d0a870a ]] \
  || fail "photo is not a JP2 file"
pass "face writes the JPEG 2000 photo"
[[ $(head -c 8 "$work/face/name.png" | od -An -tx1 | tr -d ' \n') == 89504e470d0a1a0a ]] || fail "name.png"
pass "face writes the name image as PNG"

printf '1234\n5678\n5678\n' | cli --pin-stdin pin change auth
expect_eq "$(cli status --json | jq .tries_left.auth)" "3" "PIN change leaves the counter full"
echo 5678 | cli --pin-stdin sign --key auth --in "$work/doc" --out "$work/doc2.p7s"
pass "the new auth PIN signs"

expect_exit 0 log --verify
# Every entry names what it worked on, also those without a key (status,
# CA certificates, the 券面AP).
out=$(cli log --json)
expect_eq "$(jq '[.entries[] | select(.object == "" or .object == null)] | length' <<<"$out")" "0" \
  "every log entry has an object"
expect_eq "$(jq -r '[.entries[] | select(.operation == "pin_status")][0].object' <<<"$out")" "pins" \
  "a status read names the PINs"
expect_eq "$(jq -r '[.entries[] | select(.operation == "read_face_ap")][0].object' <<<"$out")" "face" \
  "a face read names the 券面AP"
expect_eq "$(jq -r '[.entries[] | select(.operation == "read_certificate" and .key == "")][0].object' <<<"$out")" \
  "ca-cert" "a CA certificate read names the CA certificate"
expect_contains "$(cli log)" "pin_status pins  ok" "the listing shows the object column"
expect_contains "$(cli log)" "sign" "log shows the signatures"
expect_not_contains "$(cat "$MYNACARD_AUDIT_LOG")" "$my_number" "audit log holds no My Number"
expect_not_contains "$(cat "$MYNACARD_AUDIT_LOG")" "$name" "audit log holds no name"
# One byte changed anywhere breaks the chain.
off=$(($(stat -c %s "$MYNACARD_AUDIT_LOG") / 2))
c=$(dd if="$MYNACARD_AUDIT_LOG" bs=1 skip=$off count=1 2>/dev/null)
[[ $c == a ]] && c=b || c=a
printf %s "$c" | dd of="$MYNACARD_AUDIT_LOG" bs=1 seek=$off conv=notrunc 2>/dev/null
expect_exit 8 log --verify
