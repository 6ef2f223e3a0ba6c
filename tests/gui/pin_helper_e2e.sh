#!/usr/bin/env bash
# The PIN helper end to end, on a private X server (Xvfb, no window manager)
# driven with xdotool, through pcscd and the virtual card:
#  - pkcs11-tool --login without --pin: the token advertises the protected
#    authentication path, C_Login gets a NULL PIN, mynacard-helper's dialog
#    asks, the private key is listed;
#  - Escape: CKR_FUNCTION_CANCELED and no try spent;
#  - a wrong PIN: one try spent; on the last try OK needs the confirmation
#    (Alt+L ticks it), then the right PIN resets the counter;
#  - the CLI: `mynacard --pin-dialog sign`, and the dialog chosen by itself
#    when stdin is not a terminal.
#  - `--entry confirm`: Enter cancels, the ticked box and Allow write
#    "confirmed", a time-out exits 11.
source "$(dirname "$0")/../integration/lib.sh"
source "$(dirname "$0")/../integration/xvfb.sh"
module=$MYNACARD_BUILD_DIR/lib/mynacard-pkcs11.so
helper=$MYNACARD_BUILD_DIR/bin/mynacard-helper
title="My Number Card PIN"
export LC_ALL=C.UTF-8  # the English dialog, whatever the machine's locale
unset WAYLAND_DISPLAY QT_QPA_PLATFORM
need Xvfb xdotool pkcs11-tool

# The helper without a display says so (exit 12) instead of aborting.
rc=0
env -u DISPLAY "$helper" pin --pin auth --purpose login --program /bin/true --pid $$ \
  --reader r --pin-fd 3 3>/dev/null 2>/dev/null || rc=$?
expect_eq "$rc" "12" "no display: exit 12"

start_xvfb
trap 'kill "$xvfb_pid" 2>/dev/null; wait "$xvfb_pid" 2>/dev/null; remove_work' EXIT
export MYNACARD_HELPER=$helper
# This run's own audit log and consent answers (nothing remembered before).
export MYNACARD_AUDIT_LOG=$work/audit.jsonl MYNACARD_CONSENT_FILE=$work/consent.json
unset MYNACARD_CONSENT
pass "Xvfb on $DISPLAY"

tries() { sim status --reader 0 --json | jq -r ".reader.tries_left.$1"; }

# What the program waiting for a dialog did, for failure messages: whether
# it still runs, and the end of its output ($bg_out).
bg_state() {
  local state=exited
  kill -0 "${bg:-0}" 2>/dev/null && state=running
  echo "program $state; its output: $(tail -n 5 "${bg_out:-/dev/null}" 2>/dev/null)"
}

# answer XDOTOOL-ARGS...: waits for the dialog, puts pointer and focus in it
# (no window manager gives focus), then runs xdotool with the arguments.
answer() {
  focus_dialog "$title" >/dev/null || fail "the PIN dialog did not appear ($(bg_state))"
  xdotool "$@"
}

# enter_pin PIN: types PIN and Enter in the dialog, then waits until the
# window is gone (the next dialog must not be confused with this one).
enter_pin() { type_in_dialog "$title" "$1"; }

# consent KEYS: answers the disclosure consent the module asks for when a
# program first logs in to the signature token (decision 11).
consent() {
  local wid
  wid=$(timeout 30 xdotool search --sync --onlyvisible --name "Share your personal data" | head -1) || true
  [[ -n $wid ]] || fail "the consent dialog did not appear ($(bg_state))"
  xdotool mousemove --window "$wid" 30 30
  xdotool windowfocus "$wid" 2>/dev/null || true
  sleep 0.5
  xdotool key --window "$wid" "$1"
  for _ in $(seq 50); do
    xdotool search --onlyvisible --name "Share your personal data" >/dev/null 2>&1 || return 0
    sleep 0.2
  done
  fail "the consent dialog stayed open"
}

# run_p11 OUT ARGS...: pkcs11-tool in the background, its pid in $bg.
run_p11() {
  local out=$1
  shift
  module_host pkcs11-tool --module "$module" --slot-index 0 "$@" >"$out" 2>&1 &
  bg=$!
  bg_out=$out
}

reset_readers

out=$(module_host pkcs11-tool --module "$module" -T 2>&1)
expect_contains "$out" "PIN pad present" "protected authentication path advertised"

# 1. Login answered in the dialog.
run_p11 "$work/login" --login --list-objects
answer type --delay 80 1234
answer key Return
wait "$bg" || fail "login through the dialog failed: $(<"$work/login")"
expect_contains "$(<"$work/login")" "Private Key Object" "private key listed after the dialog login"
expect_eq "$(tries auth)" "3" "counter full after the right PIN"

# 2. Escape: cancelled, no try spent.
run_p11 "$work/cancel" --login --list-objects
answer type --delay 80 99
answer key Escape
if wait "$bg"; then fail "a cancelled dialog logged in"; fi
expect_contains "$(<"$work/cancel")" "CKR_FUNCTION_CANCELED" "Escape → CKR_FUNCTION_CANCELED"
expect_eq "$(tries auth)" "3" "no try spent by cancelling"

# 3. Wrong PINs spend tries; the last one needs the confirmation.
for left in 2 1; do
  run_p11 "$work/wrong" --login --list-objects
  answer type --delay 80 9999
  answer key Return
  if wait "$bg"; then fail "a wrong PIN logged in"; fi
  expect_contains "$(<"$work/wrong")" "CKR_PIN_INCORRECT" "wrong PIN refused"
  expect_eq "$(tries auth)" "$left" "a wrong PIN spent one try ($left left)"
done
run_p11 "$work/last" --login --list-objects
answer type --delay 80 1234
answer key Return  # OK is disabled until the last try is confirmed
sleep 1
kill -0 "$bg" 2>/dev/null || fail "the last try was used without confirmation: $(<"$work/last")"
pass "last try: Enter alone does nothing"
answer key alt+l
answer key Return
wait "$bg" || fail "confirmed last try failed: $(<"$work/last")"
expect_contains "$(<"$work/last")" "Private Key Object" "confirmed last try logs in"
expect_eq "$(tries auth)" "3" "the right PIN reset the counter"

# 4. The signature key (CKA_ALWAYS_AUTHENTICATE): pkcs11-tool logs in to
# the signature token, then logs in again (CKU_CONTEXT_SPECIFIC) for the one
# signature: two dialogs, purposes login and sign.
echo "signed with the signature key" >"$work/sdata"
der_to_pem "$(profile_file default sign_cert)" "$work/sign.pem"
openssl x509 -in "$work/sign.pem" -pubkey -noout >"$work/sign.pub"
module_host pkcs11-tool --module "$module" --token-label "JPKI (Digital Signature PIN)" --login --id 02 -s \
  -m SHA256-RSA-PKCS -i "$work/sdata" -o "$work/ssig" >"$work/ssign" 2>&1 &
bg=$!
bg_out=$work/ssign
enter_pin abc123  # login: upper-cased as typed
consent alt+a     # first time this program gets the signature certificate: allow
enter_pin abc123  # context-specific login for the signature
wait "$bg" || fail "signature through two dialogs failed: $(<"$work/ssign")"
openssl dgst -sha256 -verify "$work/sign.pub" -signature "$work/ssig" "$work/sdata" >/dev/null \
  || fail "the signature key's signature does not verify"
pass "signature key signs after login and context-specific login in the dialog"
expect_eq "$(tries sign)" "5" "signature password counter full"
grep -q '"operation":"consent_given"' "$MYNACARD_AUDIT_LOG" || fail "the consent is not in the audit log"
pass "the holder's consent is in the audit log"

# The answer is remembered for this program and certificate: the next login
# asks for the password only.
module_host pkcs11-tool --module "$module" --token-label "JPKI (Digital Signature PIN)" --login -O \
  >"$work/again" 2>&1 &
bg=$!
bg_out=$work/again
enter_pin ABC123
wait "$bg" || fail "second login failed: $(<"$work/again")"
expect_contains "$(<"$work/again")" "Certificate Object" "remembered consent: no second question"

# 5. The CLI: --pin-dialog, and the dialog chosen by itself without a terminal.
echo "signed through the PIN dialog" >"$work/data"
"$cli_bin" --pin-dialog sign --key auth --in "$work/data" --out "$work/data.p7s" \
  >"$work/cli" 2>&1 </dev/null &
bg=$!
bg_out=$work/cli
answer type --delay 80 1234
answer key Return
wait "$bg" || fail "mynacard --pin-dialog sign failed: $(<"$work/cli")"
expect_exit 0 verify "$work/data" "$work/data.p7s"

rc=0
"$cli_bin" sign --key sign --in "$work/data" --out "$work/data2.p7s" >"$work/cli" 2>&1 </dev/null &
bg=$!
bg_out=$work/cli
answer type --delay 80 abc123
answer key Escape
wait "$bg" || rc=$?
expect_eq "$rc" "9" "stdin not a terminal: the dialog asked, Escape cancelled (exit 9)"
expect_eq "$(tries sign)" "5" "no signature try spent"
[[ ! -e $work/data2.p7s ]] || fail "a signature was written after cancelling"
pass "nothing signed"

# 6. Changing a PIN through the dialog: the current PIN, then the new one
# twice, each dialog saying which; the new PIN then works on the card.
"$cli_bin" --pin-dialog pin change auth >"$work/change" 2>&1 </dev/null &
bg=$!
bg_out=$work/change
enter_pin 1234  # current
enter_pin 4321  # new
enter_pin 4321  # again
wait "$bg" || fail "pin change through the dialog failed: $(<"$work/change")"
"$cli_bin" --pin-stdin sign --key auth --in "$work/data" --out "$work/data3.p7s" <<<4321 \
  >"$work/cli" 2>&1 || fail "the new PIN does not sign: $(<"$work/cli")"
pass "PIN changed through three dialogs (current, new, again)"

# 7. C_SetPIN with NULL PINs on the protected path: pkcs11-tool --change-pin
# without PINs; the dialog asks the current PIN, then the new one twice.
run_p11 "$work/p11change" --change-pin
enter_pin 4321  # current (set in 6.)
enter_pin 1234  # new
enter_pin 1234  # again
wait "$bg" || fail "pkcs11-tool --change-pin through the dialog failed: $(<"$work/p11change")"
expect_contains "$(<"$work/p11change")" "PIN successfully changed" "C_SetPIN with NULL PINs through three dialogs"
module_host pkcs11-tool --module "$module" --slot-index 0 --login --pin 1234 -O >"$work/out" 2>&1 ||
  fail "the PIN changed through the module does not log in: $(<"$work/out")"
pass "the new PIN logs in"
n=$(jq -c 'select(.operation == "pin_change" and .result == "ok" and (.program | endswith("pkcs11-tool")))' \
  "$MYNACARD_AUDIT_LOG" | wc -l)
expect_eq "$n" "1" "the module's PIN change is audited, naming pkcs11-tool"

# 8. --entry confirm (decision 5: the program supplied the PIN itself and
# the card shows one try left): no PIN is typed; Enter is Cancel (exit 10,
# nothing written); ticking the box and Allow writes the line "confirmed"
# (exit 0); --timeout gives exit 11.
confirm_helper() {
  "$helper" pin --entry confirm --pin auth --purpose login --program /usr/bin/ssh --pid $$ \
    --reader "mynacard Virtual Reader 0" --pin-fd 3 "$@" 3>"$work/confirmed" 2>"$work/confirm.err" &
  bg=$!
  bg_out=$work/confirm.err
}
confirm_helper
answer key Return
rc=0
wait "$bg" || rc=$?
expect_eq "$rc" "10" "confirm: Enter is Cancel (exit 10)"
expect_eq "$(wc -c <"$work/confirmed")" "0" "confirm: nothing written when cancelled"
confirm_helper
answer key alt+l
answer key Tab Tab space  # the box, then Cancel, then Allow
rc=0
wait "$bg" || rc=$?
expect_eq "$rc" "0" "confirm: ticked, then Allow (exit 0)"
printf 'confirmed\n' | cmp -s - "$work/confirmed" ||
  fail "confirm: expected the line 'confirmed' on the pipe, got: $(od -c "$work/confirmed")"
pass "confirm: the line 'confirmed' on the pipe"
confirm_helper --timeout 1
rc=0
wait "$bg" || rc=$?
expect_eq "$rc" "11" "confirm: --timeout (exit 11)"
expect_eq "$(wc -c <"$work/confirmed")" "0" "confirm: nothing written on time-out"
