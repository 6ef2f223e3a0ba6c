#!/usr/bin/env bash
# Debian's OpenSC PKCS#11 module shows the two JPKI tokens users know.
source "$(dirname "$0")/lib.sh"
reset_readers

out=$(p11 -L)
echo "$out"
expect_contains "$out" "JPKI (User Authentication PIN)" "auth token listed"
expect_contains "$out" "JPKI (Digital Signature PIN)" "sign token listed"

# Without login OpenSC shows the public certificates; the signature
# certificate (EF 0001) needs the signature PIN (card-facts.md §2.1).
objs=$(p11 --token-label "JPKI (User Authentication PIN)" -O)
echo "$objs"
expect_contains "$objs" "User Authentication Certificate" "auth certificate object"
expect_contains "$objs" "User Authentication Certificate CA" "auth CA certificate object"
expect_contains "$objs" "Digital Signature Certificate CA" "sign CA certificate object"
