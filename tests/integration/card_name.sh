#!/usr/bin/env bash
# OpenSC's own JPKI driver recognises the software card, contact and
# contactless, by SELECT of the JPKI AID.
source "$(dirname "$0")/lib.sh"
reset_readers

expect_eq "$(opensc-tool -r 0 -n)" "jpki" "opensc-tool -n names the contact card jpki"
atr=$(opensc-tool -r 0 -a)
expect_eq "$atr" "3b:e0:00:ff:81:31:fe:45:14" "contact ATR of card-facts.md §1.2"

insert_card 1 "$profiles/contactless"
expect_eq "$(opensc-tool -r 1 -n)" "jpki" "opensc-tool -n names the contactless card jpki"
expect_eq "$(opensc-tool -r 1 -a)" "3b:88:80:01:00:00:05:e0:b3:81:a1:00:7f" "contactless ATR"
