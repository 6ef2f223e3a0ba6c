#!/usr/bin/env bash
# Removing the card is seen by PC/SC clients; a card that disappears in the
# middle of an operation makes OpenSC fail cleanly.
source "$(dirname "$0")/lib.sh"
reset_readers

sim remove --reader 0 >/dev/null
probe wait-state 0 empty 5 || fail "PC/SC does not see the removal"
pass "PC/SC sees the removal"
line0=$(opensc-tool -l | grep -F "mynacard Virtual Reader 0")
expect_contains "$line0" "No" "opensc-tool -l shows reader 0 empty"
if opensc-tool -r 0 -n >/dev/null 2>&1; then fail "card name read from an empty reader"; fi
pass "opensc-tool -n fails on an empty reader"

sim insert --reader 0 "$profiles/default" >/dev/null
probe wait-state 0 present 5 || fail "PC/SC does not see the insertion"
expect_eq "$(opensc-tool -r 0 -n)" "jpki" "card usable again after re-insertion"

# Fault injection: the card vanishes after 3 more APDUs.
sim fault --reader 0 remove-after 3 >/dev/null
if p11 --token-label "JPKI (User Authentication PIN)" --read-object --type cert --id 01 \
  -o "$work/auth.der" >/dev/null 2>&1; then
  fail "certificate read succeeded although the card vanished"
fi
pass "read fails when the card vanishes mid-operation"
probe wait-state 0 empty 5 || fail "vanished card still reported present"
pass "vanished card reported absent"
