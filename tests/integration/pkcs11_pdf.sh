#!/usr/bin/env bash
# Signing a PDF with the card (docs/guide/desktop.*.md): Debian 12's pdfsig
# signs through NSS but logs in to every token of its database with the one
# password it was given, so the card's two tokens (two different PINs) stop
# it. MYNACARD_PKCS11_TOKENS=sign shows it the signature token only; the
# signature is valid, names the card's signature certificate, and costs no
# try. On a desktop the password goes into mynacard-helper's dialog, not on
# pdfsig's command line (where other users' ps would see it): the token
# shows the protected authentication path and NSS logs in with no PIN. The
# variable's other values and a wrong one are checked too.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/xvfb.sh"
: "${MYNACARD_PKCS11:?run through ctest}"
: "${MYNACARD_BUILD_DIR:?run through ctest}"
need pdfsig certutil modutil pkcs11-tool openssl python3 Xvfb xdotool
reset_readers
export MYNACARD_AUDIT_LOG=$work/audit.jsonl
tries() { sim status --reader 0 --json | jq -r ".reader.tries_left.$1"; }
slots() { pkcs11-tool --module "$MYNACARD_PKCS11" -L 2>&1; }

# Which tokens a process sees.
out=$(MYNACARD_PKCS11_TOKENS=sign slots)
expect_contains "$out" "JPKI (Digital Signature PIN)" "tokens=sign: the signature token is listed"
expect_not_contains "$out" "JPKI (User Authentication PIN)" "tokens=sign: the authentication token is not"
out=$(MYNACARD_PKCS11_TOKENS=auth slots)
expect_contains "$out" "JPKI (User Authentication PIN)" "tokens=auth: the authentication token is listed"
expect_not_contains "$out" "JPKI (Digital Signature PIN)" "tokens=auth: the signature token is not"
if MYNACARD_PKCS11_TOKENS=signature slots >"$work/out"; then fail "a wrong value was accepted"; fi
expect_contains "$(<"$work/out")" "CKR_FUNCTION_FAILED" "a wrong value: C_Initialize fails"

# A one-page PDF (objects, cross-reference table, trailer). The signed
# copies are named exported-*: a signature carries the signer's certificate
# (name, birth date) by design, a file the holder asked for.
python3 - "$work/contract.pdf" <<'PY'
import sys
stream = b"BT /F1 24 Tf 72 760 Td (Contract) Tj ET"
objects = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
    b" /Resources << /Font << /F1 5 0 R >> >> >>",
    b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
]
out, offsets = b"%PDF-1.7\n", []
for number, body in enumerate(objects, 1):
    offsets.append(len(out))
    out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
xref = len(out)
out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
open(sys.argv[1], "wb").write(out)
PY

db=sql:$work/nss
mkdir "$work/nss"
certutil -N -d "$db" --empty-password
modutil -dbdir "$db" -add mynacard -libfile "$MYNACARD_PKCS11" -force >/dev/null \
  || fail "modutil -add failed"
# The test card's signature CA, trusted for the check of the signed file.
certutil -A -d "$db" -n "JPKI test sign CA" -t "C,C,C" -i "$profiles/default/sign_ca.der"

nick="JPKI (Digital Signature PIN):Digital Signature Certificate"
export MYNACARD_PKCS11_TOKENS=sign
out=$(pdfsig -nssdir "$db" -nss-pwd ABC123 -list-nicks "$work/contract.pdf" 2>&1)
expect_contains "$out" "$nick" "pdfsig lists the signature certificate"
pdfsig -nssdir "$db" -nss-pwd ABC123 -kpw ABC123 -add-signature -nick "$nick" \
  -reason "contract" "$work/contract.pdf" "$work/exported-signed.pdf" >"$work/out" 2>&1 \
  || fail "pdfsig -add-signature: $(<"$work/out")"
[[ -s $work/exported-signed.pdf ]] || fail "no signed PDF written"
pass "pdfsig signed the PDF with the card"
unset MYNACARD_PKCS11_TOKENS

out=$(pdfsig -nssdir "$db" "$work/exported-signed.pdf" 2>&1)
expect_contains "$out" "Signature Validation: Signature is Valid." "the signature in the PDF is valid"
expect_contains "$out" "Certificate Validation: Certificate is Trusted." "its certificate chains to the JPKI CA"
cn=$(openssl x509 -inform DER -in "$profiles/default/sign_cert.der" -noout -subject -nameopt multiline \
  | sed -n 's/^ *commonName *= *//p')
expect_contains "$out" "Signer Certificate Common Name: $cn" "the signer is the card's signature certificate"

# On a desktop: no password on the command line ("-" is a placeholder NSS
# never sends); the dialog asks for the login and for each signature
# (pdfsig signs twice: once to size the signature, once for the file).
start_xvfb
trap 'kill "$xvfb_pid" 2>/dev/null; wait "$xvfb_pid" 2>/dev/null; remove_work' EXIT
export MYNACARD_HELPER=$MYNACARD_BUILD_DIR/bin/mynacard-helper LC_ALL=C.UTF-8
MYNACARD_PKCS11_TOKENS=sign pdfsig -nssdir "$db" -nss-pwd - -kpw - -add-signature -nick "$nick" \
  "$work/contract.pdf" "$work/exported-signed2.pdf" >"$work/out" 2>&1 &
bg=$!
for _ in 1 2 3; do type_in_dialog "My Number Card PIN" ABC123; done
wait "$bg" || fail "pdfsig with the dialog: $(<"$work/out")"
out=$(pdfsig -nssdir "$db" "$work/exported-signed2.pdf" 2>&1)
expect_contains "$out" "Signature Validation: Signature is Valid." "signed through the dialog: valid"
expect_eq "$(tries sign)" "5" "the dialog's password cost no try"
expect_eq "$(tries sign)" "5" "the right password cost no try"
grep -q '"operation":"sign"' "$MYNACARD_AUDIT_LOG" || fail "the signature is not in the audit log"
pass "the signature is in the audit log"
