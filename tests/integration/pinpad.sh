#!/usr/bin/env bash
# The PIN-pad reader takes the PIN itself: FEATURE_VERIFY_PIN_DIRECT through
# SCardControl, with the digits "typed" through mynacard-sim.
source "$(dirname "$0")/lib.sh"
reset_readers
insert_card 2 "$(second_card)"

sim pinpad --reader 2 type 1234 >/dev/null
expect_eq "$(probe verify-pin-direct 2)" "SW 9000" "PIN-pad VERIFY with the right PIN"
sim pinpad --reader 2 type 9999 >/dev/null
expect_eq "$(probe verify-pin-direct 2)" "SW 63C2" "PIN-pad VERIFY with a wrong PIN"
sim pinpad --reader 2 cancel >/dev/null
expect_eq "$(probe verify-pin-direct 2)" "SW 6401" "PIN-pad entry cancelled"
expect_eq "$(sim status --reader 2 --json | jq -r .reader.tries_left.auth)" "2" "cancel consumed no try"
