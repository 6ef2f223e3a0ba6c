#!/usr/bin/env bash
# PIN entry on a real terminal (a pty from util-linux `script`): the prompt
# shows the tries left read from the card, the PIN is not echoed, the last
# try asks for confirmation, and prompts follow the language.
source "$(dirname "$0")/lib.sh"
reset_readers
export LANG=C.UTF-8 LC_ALL= LC_MESSAGES=
name=$(jq -r .holder.name "$profiles/default/profile.json")
echo "a document" >"$work/doc"

# Each line is typed only after its prompt is up (echo is switched off
# then): the terminal output has grown since the last line and ends in the
# space every prompt ends with ("...tries left): ", "[yes/no] "). Polled,
# at most 20 s a prompt; a prompt that never comes leaves the rest untyped,
# and the expectations below fail.
wait_prompt() {  # wait_prompt FILE BYTES-SEEN-BEFORE
  local _
  for _ in $(seq 200); do
    if (($(stat -c %s "$1") > $2)) && [[ $(tail -c 1 "$1") == " " ]]; then return 0; fi
    sleep 0.1
  done
  return 1
}
on_tty() {  # on_tty "line1|line2..." CLI-ARGS...
  local lines=$1
  shift
  : >"$work/tty.out"
  {
    seen=0
    IFS='|' read -r -a parts <<<"$lines"
    for l in "${parts[@]}"; do
      wait_prompt "$work/tty.out" "$seen" || break
      seen=$(stat -c %s "$work/tty.out")
      printf '%s\n' "$l"
    done
  } | script -qfec "$(printf '%q ' "$cli_bin" "$@")" /dev/null >"$work/tty.out" 2>&1 || return $?
}

on_tty "ABC123" cert show sign || fail "cert show sign on a terminal"
tty=$(tr -d '\r' <"$work/tty.out")
expect_contains "$tty" "5 tries left" "the prompt shows the tries left"
expect_not_contains "$tty" "ABC123" "the password is not echoed"
expect_contains "$tty" "$name" "the certificate's holder is shown"

LANG=ja_JP.UTF-8 on_tty "ABC123" cert show sign || fail "Japanese prompt run"
expect_contains "$(tr -d '\r' <"$work/tty.out")" "残り5回" "the prompt is Japanese under ja_JP"

echo 0000 | cli --pin-stdin sign --key auth --in "$work/doc" --out "$work/x.p7s" >/dev/null 2>&1 || true
echo 0000 | cli --pin-stdin sign --key auth --in "$work/doc" --out "$work/x.p7s" >/dev/null 2>&1 || true
sim trace --reader 0 --clear >/dev/null
rc=0
on_tty "1234|no" sign --key auth --in "$work/doc" --out "$work/x.p7s" || rc=$?
expect_eq "$rc" "9" "declining the last-try confirmation cancels"
expect_contains "$(tr -d '\r' <"$work/tty.out")" "Only one try is left" "the last try is announced"
expect_eq "$(pin_verifies 0)" "0" "no VERIFY sent after declining"
on_tty "1234|yes" sign --key auth --in "$work/doc" --out "$work/x.p7s" || fail "confirmed last try"
pass "confirming the last try signs"
