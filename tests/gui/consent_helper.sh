#!/usr/bin/env bash
# `mynacard-helper consent` end to end on a real X server (Xvfb), driven like
# a person with xdotool: Enter refuses (Deny is the default, exit 10), Alt+A
# allows (exit 0), and each answer lands in the audit log
# (docs/consent.md). Needs no card; registered with the GUI shell tests.
set -euo pipefail
: "${MYNACARD_BUILD_DIR:?run through ctest}"
source "$(dirname "$0")/../integration/need.sh"
need Xvfb xdotool
helper=$MYNACARD_BUILD_DIR/bin/mynacard-helper
cert=$MYNACARD_BUILD_DIR/share/mynacard/sim/profiles/default/sign_cert.der
work=$(mktemp -d)
xvfb_pid=
cleanup() {
  [[ -n $xvfb_pid ]] && kill "$xvfb_pid" 2>/dev/null || true
  [[ ${MYNACARD_KEEP_TEST_OUTPUT:-} == 1 ]] || rm -rf "$work"  # kept for the secrets scan
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

# A display number nobody uses.
for n in $(seq 140 180); do
  [[ -e /tmp/.X11-unix/X$n || -e /tmp/.X$n-lock ]] || break
done
Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 50); do [[ -e /tmp/.X11-unix/X$n ]] && break; sleep 0.1; done
[[ -e /tmp/.X11-unix/X$n ]] || fail "Xvfb did not start"
export DISPLAY=:$n
unset QT_QPA_PLATFORM WAYLAND_DISPLAY
export MYNACARD_AUDIT_LOG=$work/audit.jsonl

# run_and KEYS: starts the helper, waits for its window, types KEYS, returns its exit code.
run_and() {
  "$helper" consent --program /usr/bin/example-app --pid $$ --lang en <"$cert" &
  local pid=$! win
  win=$(timeout 30 xdotool search --sync --onlyvisible --name "Share your personal data" | head -1) ||
    { kill "$pid"; fail "consent window did not appear"; }
  sleep 0.5  # let it take the focus
  xdotool windowactivate --sync "$win" 2>/dev/null || xdotool windowfocus --sync "$win"
  xdotool key --window "$win" "$1"
  local rc=0
  wait "$pid" || rc=$?
  return "$rc"
}

rc=0; run_and Return || rc=$?
[[ $rc -eq 10 ]] || fail "Enter should refuse (exit 10), got $rc"
pass "Enter refuses: Deny is the default"

rc=0; run_and alt+a || rc=$?
[[ $rc -eq 0 ]] || fail "Alt+A should allow (exit 0), got $rc"
pass "Alt+A allows"

# The dialog names the process the helper verified itself — its parent, this
# script's shell — not the --program text its caller passed.
"$helper" consent --program /usr/bin/firefox --pid 1 --lang en <"$cert" &
pid=$!
win=$(timeout 30 xdotool search --sync --onlyvisible --name "Share your personal data" | head -1) ||
  { kill "$pid"; fail "consent window did not appear"; }
title=$(xdotool getwindowname "$win")
shell=$(basename "$(readlink /proc/$$/exe)")
kill "$pid"; wait "$pid" 2>/dev/null || true
[[ $title == *"— $shell"* ]] || fail "the window should name the verified caller $shell: '$title'"
[[ $title != *firefox* ]] || fail "the caller's --program text is not the name: '$title'"
pass "the dialog names the verified caller ($shell), not --program"
# That run was killed: no answer, nothing recorded.

ops=$(jq -r .operation "$MYNACARD_AUDIT_LOG" | paste -sd, -)
[[ $ops == consent_refused,consent_given ]] || fail "audit log: expected consent_refused,consent_given, got $ops"
grep -q '"key":"sign"' "$MYNACARD_AUDIT_LOG" || fail "audit entries name the sign certificate"
grep -q '山田' "$MYNACARD_AUDIT_LOG" && fail "audit log holds personal data"
pass "both answers are in the audit log, nothing personal"
