#!/usr/bin/env bash
# A wrong PIN lowers the counter OpenSC reports; the correct one restores it;
# the exhausting try blocks the PIN, and OpenSC then reports it locked.
source "$(dirname "$0")/lib.sh"
reset_readers
auth_token="JPKI (User Authentication PIN)"

tries_reported() {  # OpenSC's own view of the auth PIN counter
  pkcs15-tool -r 0 --list-pins | awk '/User Authentication PIN/{f=1} f&&/Tries left/{print $NF; exit}'
}
expect_eq "$(tries_reported)" "3" "OpenSC reports 3 tries before"

if p11 --token-label "$auth_token" --login --pin 9999 --list-objects >/dev/null 2>&1; then
  fail "wrong PIN accepted"
fi
expect_eq "$(tries_reported)" "2" "OpenSC reports 2 tries after one wrong PIN"
expect_eq "$(sim status --reader 0 --json | jq -r .reader.tries_left.auth)" "2" "card counter is 2"
flags=$(p11 -L | sed -n '/User Authentication PIN/,/serial/p')
expect_contains "$flags" "PIN count low" "token flags say PIN count low"

p11 --token-label "$auth_token" --login --pin 1234 --list-objects >/dev/null 2>&1 \
  || fail "correct PIN refused"
expect_eq "$(tries_reported)" "3" "correct PIN restores the counter"

for _ in 1 2 3; do
  p11 --token-label "$auth_token" --login --pin 0000 --list-objects >/dev/null 2>&1 || true
done
expect_eq "$(sim status --reader 0 --json | jq -r .reader.tries_left.auth)" "0" "three wrong PINs block"
if p11 --token-label "$auth_token" --login --pin 1234 --list-objects >/dev/null 2>&1; then
  fail "blocked PIN accepted"
fi
pass "blocked PIN refuses the right value too"
expect_contains "$(p11 -L)" "PIN locked" "OpenSC reports the PIN locked"

# Counters belong to the card: they survive removal and re-insertion.
sim remove --reader 0 >/dev/null
probe wait-state 0 empty 5 >/dev/null
sim insert --reader 0 "$profiles/default" >/dev/null
probe wait-state 0 present 5 >/dev/null
expect_eq "$(tries_reported)" "0" "blocked counter survives removal"
