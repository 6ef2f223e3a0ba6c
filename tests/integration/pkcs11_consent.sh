#!/usr/bin/env bash
# Decision 11 in mynacard-pkcs11.so: the signature certificate (name,
# address, birth date, sex) reaches a program only with the holder's consent,
# asked once per program and certificate when it logs in to the signature
# token. Here no display is reachable, so nobody can be asked: the login is
# refused (CKR_FUNCTION_REJECTED, 0x200: pkcs11-tool has no name for it) unless MYNACARD_CONSENT=allow or a
# remembered answer says yes; every decision is in the audit log, nothing
# personal is. The dialog itself: tests/gui/consent_module_e2e.sh.
source "$(dirname "$0")/lib.sh"
: "${MYNACARD_PKCS11:?run through ctest}"
reset_readers
unset DISPLAY WAYLAND_DISPLAY MYNACARD_CONSENT
export MYNACARD_AUDIT_LOG=$work/audit.jsonl MYNACARD_CONSENT_FILE=$work/consent.json
m() { module_host pkcs11-tool --module "$MYNACARD_PKCS11" --token-label "JPKI (Digital Signature PIN)" "$@"; }
tries() { sim status --reader 0 --json | jq -r ".reader.tries_left.$1"; }
last_op() { tail -n 1 "$MYNACARD_AUDIT_LOG" | jq -r .operation; }
program=$(readlink -f "$(command -v pkcs11-tool)")

# Nobody to ask: refused, and the certificate is not listed.
if m --login --pin ABC123 -O >"$work/out" 2>&1; then fail "the certificate was released without consent"; fi
expect_contains "$(<"$work/out")" "(0x200)" "no consent possible: login refused"
expect_not_contains "$(<"$work/out")" "Certificate Object" "no certificate listed"
expect_eq "$(tries sign)" "5" "the right password cost no try"
expect_eq "$(last_op)" "consent_refused" "refusal audited"
expect_eq "$(tail -n 1 "$MYNACARD_AUDIT_LOG" | jq -r .program)" "$program" "the audit entry names the program"
[[ ! -e $MYNACARD_CONSENT_FILE ]] || fail "a refusal nobody gave was remembered"
pass "nothing remembered"

# The administrator's policy.
if MYNACARD_CONSENT=deny m --login --pin ABC123 -O >"$work/out" 2>&1; then fail "deny policy released it"; fi
expect_contains "$(<"$work/out")" "(0x200)" "MYNACARD_CONSENT=deny refuses"
MYNACARD_CONSENT=allow m --login --pin ABC123 -O >"$work/out" 2>&1 || fail "allow policy: $(<"$work/out")"
expect_contains "$(<"$work/out")" "Certificate Object" "MYNACARD_CONSENT=allow releases it"
expect_eq "$(last_op)" "login" "login audited after the consent"
grep -q '"operation":"consent_given"' "$MYNACARD_AUDIT_LOG" || fail "consent_given not audited"
pass "consent_given audited"

# A remembered answer for this program and this certificate.
hash=$(sha256sum <"$profiles/default/sign_cert.der" | cut -d' ' -f1)
jq -n --arg p "$program" --arg h "$hash" \
  '{format: 1, choices: [{program: $p, certificate_sha256: $h, choice: "allow", time: "2026-11-28T00:00:00Z"}]}' \
  >"$MYNACARD_CONSENT_FILE"
chmod 600 "$MYNACARD_CONSENT_FILE"
m --login --pin ABC123 -O >"$work/out" 2>&1 || fail "remembered consent: $(<"$work/out")"
expect_contains "$(<"$work/out")" "Certificate Object" "a remembered yes releases it without asking"

# Nothing personal in the log: the holder's name is in the certificate.
if grep -q '山田\|ヤマダ' "$MYNACARD_AUDIT_LOG"; then fail "the audit log holds personal data"; fi
pass "audit log holds nothing personal"
