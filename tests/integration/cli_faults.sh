#!/usr/bin/env bash
# Bad input and faults: refused PINs touch no card, wrong PINs are never
# retried, blocked and last-try PINs send no VERIFY, and a card that vanishes,
# goes mute or answers garbage gives a clear error, never a crash or a hang.
source "$(dirname "$0")/lib.sh"
export LANG=C.UTF-8 LC_ALL= LC_MESSAGES=
reset_readers
head -c 100 /dev/urandom >"$work/doc"

sim trace --reader 0 --clear >/dev/null
expect_exit 6 --pin-stdin sign --key auth --in "$work/doc" --out "$work/x.p7s" <<<12a4
expect_eq "$(sim trace --reader 0 --stats --json | jq '.stats[0].apdus')" "0" "malformed PIN: no APDU at all"
expect_exit 6 --pin-stdin cert show sign <<<ABC

# Input files are checked before the card is touched: exit 2 naming the
# file, no PIN asked, no APDU.
sim trace --reader 0 --clear >/dev/null
expect_exit 2 --pin-stdin sign --key auth --in "$work/missing" --out "$work/x.p7s" <<<1234
expect_contains "$err" "$work/missing" "sign --in: the missing file is named"
expect_not_contains "$err" "pcscd" "sign --in: not blamed on the service"
expect_exit 2 verify "$work/missing" "$work/doc"
expect_exit 2 verify "$work/doc" "$work/missing"
expect_exit 2 verify "$work/doc" "$work/doc" --trust "$work/missing"
expect_exit 2 verify-chain auth --trust "$work/missing"
expect_exit 2 --pin-stdin info --ap-ca "$work/missing" <<<1234
expect_exit 2 --pin-stdin sign --key auth --in "$work" --out "$work/x.p7s" <<<1234
expect_eq "$(sim trace --reader 0 --stats --json | jq '.stats[0].apdus')" "0" \
  "missing input files: no APDU at all"
expect_exit 2 sign --key auth --in /nonexistent --out "$work/x.p7s" --reader "no such reader"
expect_contains "$err" "/nonexistent" "the file is checked before the reader"

sim trace --reader 0 --clear >/dev/null
expect_exit 4 --pin-stdin sign --key auth --in "$work/doc" --out "$work/x.p7s" <<<9999
expect_contains "$err" "Tries left: 2" "wrong PIN reports the tries left"
expect_eq "$(pin_verifies 0)" "1" "a wrong PIN is sent once, never retried"
expect_exit 4 --pin-stdin sign --key auth --in "$work/doc" --out "$work/x.p7s" <<<9999
sim trace --reader 0 --clear >/dev/null
expect_exit 9 --pin-stdin sign --key auth --in "$work/doc" --out "$work/x.p7s" <<<1234
expect_eq "$(pin_verifies 0)" "0" "last try without confirmation sends no VERIFY"
expect_exit 0 --pin-stdin --confirm-last-try sign --key auth --in "$work/doc" --out "$work/x.p7s" <<<1234

sim remove --reader 0 >/dev/null
probe wait-state 0 empty 5 >/dev/null
insert_card 0 "$profiles/sign-blocked"
sim trace --reader 0 --clear >/dev/null
expect_exit 5 --pin-stdin sign --key sign --in "$work/doc" --out "$work/x.p7s" <<<ABC123
expect_eq "$(pin_verifies 0)" "0" "blocked PIN: no VERIFY sent"
LANG=ja_JP.UTF-8 expect_exit 5 --pin-stdin sign --key sign --in "$work/doc" --out "$work/x.p7s" <<<ABC123
expect_contains "$err" "市区町村の窓口" "blocked PIN message (Japanese) says where it is reset"

sim remove --reader 0 >/dev/null
probe wait-state 0 empty 5 >/dev/null
insert_card 0 "$profiles/minor"
expect_eq "$(cli status --json | jq .tries_left.sign)" "null" "a minor's card has no sign PIN"

reset_readers
sim fault --reader 0 remove-after 3 >/dev/null
expect_exit 7 cert export auth --out "$work/x.der"
[[ ! -e $work/x.der ]] || fail "half a certificate was written"
pass "card removed mid-read: no partial file"

reset_readers
sim fault --reader 0 mute >/dev/null
timeout 60 "$cli_bin" status >/dev/null 2>&1 && fail "a mute card answered"
rc=$?
[[ $rc != 124 ]] || fail "a mute card made mynacard hang"
pass "mute card: error exit $rc, no hang"

reset_readers
sim fault --reader 0 corrupt --after 2 --mode truncate >/dev/null
rc=0; "$cli_bin" cert export auth --out "$work/x.der" >/dev/null 2>&1 || rc=$?
[[ $rc == 7 || $rc == 10 ]] || fail "corrupt response: exit $rc"
pass "corrupt response: clean error exit $rc"

reset_readers
sim fault --reader 0 sw 6F00 --ins B0 >/dev/null
expect_exit 7 cert export auth --out "$work/x.der"

reset_readers
expect_exit 3 --reader "no such reader" status
PCSCLITE_CSOCK_NAME=$work/no-pcscd expect_exit 3 status
expect_contains "$err" "pcscd" "no PC/SC service: says pcscd is not running"

# Decision 5 for the card-face AP's 照合番号 too: with one try left the
# right number is still not sent without a yes (docs/decisions.md).
reset_readers
my_number=$(jq -r .holder.my_number "$profiles/default/profile.json")
face_tries() { sim status --reader 0 --json | jq .reader.tries_left.face_a; }
for ((i = $(face_tries); i > 1; i--)); do
  echo 000000000000 | "$cli_bin" --pin-stdin face --out "$work/face" --code a >/dev/null 2>&1 || true
done
expect_eq "$(face_tries)" "1" "wrong 照合番号A entries brought the counter to 1"
sim trace --reader 0 --clear >/dev/null
rc=0; echo "$my_number" | "$cli_bin" --pin-stdin face --out "$work/face" --code a >/dev/null 2>&1 || rc=$?
expect_eq "$rc" "9" "face with one try left and no confirmation: exit 9"
expect_eq "$(pin_verifies 0)" "0" "face with one try left: no VERIFY without confirmation"
[[ ! -e $work/face/photo.jp2 ]] || fail "face wrote images without a VERIFY"
echo "$my_number" | cli --pin-stdin --confirm-last-try face --out "$work/face" --code a
expect_eq "$(face_tries)" "10" "the confirmed last try was spent on the right number"

# Several CLI processes on one card at once: transactions keep them apart.
reset_readers
pids=()
for i in 1 2 3 4; do cli cert export auth --out "$work/c$i.der" & pids+=($!); done
for i in 1 2; do echo 1234 | cli --pin-stdin sign --key auth --in "$work/doc" --out "$work/s$i.p7s" & pids+=($!); done
for p in "${pids[@]}"; do wait "$p" || fail "a concurrent mynacard failed"; done
for i in 2 3 4; do cmp "$work/c1.der" "$work/c$i.der" || fail "concurrent reads differ"; done
pass "4 concurrent exports and 2 concurrent signatures succeed"
expect_exit 0 log --verify
