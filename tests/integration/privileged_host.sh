#!/usr/bin/env bash
# A set-uid host writes no file where its caller's environment says and does
# not take home from $HOME (middleware/core/paths.h: privileged_host).
# Needs root: a copy of the test program, owned by nobody and set-uid, run by
# root has uid 0 and euid nobody, so the kernel sets AT_SECURE. Every path
# below is in a directory nobody can write, so only the product's own refusal
# keeps the files from appearing. Exit 77 (skipped) without root.
set -euo pipefail
program=${1:?usage: privileged_host.sh PROGRAM}
if [[ $(id -u) != 0 ]] || ! id nobody >/dev/null 2>&1; then
  echo "skip: needs root and a user nobody"
  exit 77
fi
work=$(mktemp -d)
# Kept when the run keeps test output for the secrets scan (scripts/test).
trap '[[ ${MYNACARD_KEEP_TEST_OUTPUT:-} == 1 ]] || rm -rf "$work"' EXIT
chmod 755 "$work"
mkdir -m 1777 "$work/open"   # writable by the set-uid program (euid nobody)
cp "$program" "$work/host"
chown nobody "$work/host"
chmod 4755 "$work/host"

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

out=$(HOME=$work/open/home XDG_STATE_HOME=$work/open/state XDG_CONFIG_HOME=$work/open/config \
  MYNACARD_AUDIT_LOG=$work/open/audit.jsonl MYNACARD_CONSENT_FILE=$work/open/consent.json \
  MYNACARD_CONSENT=allow "$work/host") || fail "the set-uid program failed: $out"
echo "$out"
if [[ $out != *"privileged yes"* ]]; then
  # A file system mounted nosuid runs the copy without its set-uid bit.
  echo "skip: the copy did not run set-uid (nosuid mount?)"
  exit 77
fi
root_home=$(getent passwd 0 | cut -d: -f6)
grep -qxF "home $root_home" <<<"$out" || fail "home is not root's passwd entry ($root_home)"
pass "home comes from getpwuid(getuid()), not \$HOME"
grep -qxF "audit $root_home/.local/state/mynacard/audit.jsonl" <<<"$out" ||
  fail "the audit log path came from the environment"
pass "MYNACARD_AUDIT_LOG and XDG_STATE_HOME are ignored"
grep -qxF "consent $root_home/.config/mynacard/consent.json" <<<"$out" ||
  fail "the consent store path came from the environment"
pass "MYNACARD_CONSENT_FILE and XDG_CONFIG_HOME are ignored"
grep -qxF "policy ask" <<<"$out" || fail "MYNACARD_CONSENT decided for the holder"
pass "MYNACARD_CONSENT is ignored"
grep -qxF "forget false" <<<"$out" || fail "forget reported a change"
left=$(find "$work/open" -mindepth 1)
[[ -z $left ]] || fail "the set-uid program created files: $left"
pass "no file was written"
