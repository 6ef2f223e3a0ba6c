#!/usr/bin/env bash
# OpenSC lists the virtual readers through pcscd, with the card in reader 0
# and the PIN pad of reader 2; pcsc_probe sees the same through PC/SC part 10.
source "$(dirname "$0")/lib.sh"
reset_readers

out=$(opensc-tool -l)
echo "$out"
expect_contains "$out" "mynacard Virtual Reader 0" "reader 0 listed"
expect_contains "$out" "mynacard Virtual Reader 1 Contactless" "contactless reader listed"
expect_contains "$out" "mynacard Virtual Reader 2 PIN Pad" "PIN-pad reader listed"
line0=$(grep -F "mynacard Virtual Reader 0" <<<"$out")
expect_contains "$line0" "Yes" "card present in reader 0"
line2=$(grep -F "mynacard Virtual Reader 2 PIN Pad" <<<"$out")
expect_contains "$line2" "PIN pad" "OpenSC reports the PIN pad of reader 2"
line1=$(grep -F "mynacard Virtual Reader 1" <<<"$out")
expect_not_contains "$line1" "PIN pad" "reader 1 has no PIN pad"

features=$(probe features 2)
expect_contains "$features" "feature 0x06" "FEATURE_VERIFY_PIN_DIRECT advertised"
expect_contains "$features" "feature 0x07" "FEATURE_MODIFY_PIN_DIRECT advertised"
expect_contains "$(probe features 0)" "no PIN pad" "reader 0 advertises no PIN pad"
