#!/usr/bin/env bash
# `mynacard info` leaves no copy of the My Number in freed heap memory
# (issue: cmd_info wipes every copy; decision 11): the card's response
# buffers, the read buffers, the decoded record, the masked and the shown
# number, the JSON text. An LD_PRELOAD library (tests/support/freed_scan.c)
# searches every freed block for the number and counts those that held it.
source "$(dirname "$0")/lib.sh"
: "${FREED_SCAN:?run through ctest}"
need jq
reset_readers
my_number=$(jq -r .holder.my_number "$profiles/default/profile.json")
[[ $my_number =~ ^[0-9]{12}$ ]] || fail "no My Number in the default profile"

# The card data the CLI shows is not kept: only its freed memory is of interest.
scan() {  # args...: runs the CLI with the PIN 1234; prints the blocks that held the number
  rm -f "$work/hits"
  echo 1234 | FREED_SCAN_PATTERN=$my_number FREED_SCAN_OUT=$work/hits LD_PRELOAD=$FREED_SCAN \
    "$cli_bin" --pin-stdin "$@" >/dev/null 2>"$work/err" || fail "mynacard $*: $(cat "$work/err")"
  [[ -s $work/hits ]] || fail "the scan library did not report (mynacard $*)"
  cat "$work/hits"
}

# The scan itself works: the shown number does pass through freed memory
# in a program that does not wipe it (the positive control).
rm -f "$work/hits"
FREED_SCAN_PATTERN=$my_number FREED_SCAN_OUT=$work/hits LD_PRELOAD=$FREED_SCAN \
  python3 -c "s = ''.join(['$my_number'] * 200); del s" </dev/null
[[ $(cat "$work/hits") -gt 0 ]] || fail "control: the scan did not see a freed copy"
pass "control: the scan sees a freed copy"

for args in "info" "--json info" "info --show-my-number" "--json info --show-my-number"; do
  # shellcheck disable=SC2086
  expect_eq "$(scan $args)" "0" "mynacard $args leaves no copy of the My Number in freed memory"
done
