#!/usr/bin/env bash
# The systemd units docs/guide/kiosk.en.md and kiosk.ja.md give (the cage
# system unit, then the user unit), and the front desk's user unit of
# docs/guide/front-desk.en.md and front-desk.ja.md, are the same in both
# languages, and
# systemd accepts them: `systemd-analyze verify` reports nothing but that
# the kiosk's programs (cage, mynacard-helper) are not installed on this
# machine. A unit with a misspelt setting is reported, so the check can fail.
# No pcscd, no card.
set -euo pipefail
source "$(dirname "$0")/need.sh"
need systemd-analyze
guide=$(cd "$(dirname "$0")/../../docs/guide" && pwd)
work=$(mktemp -d)
# Kept when the run keeps test output for the secrets scan (scripts/test).
trap '[[ ${MYNACARD_KEEP_TEST_OUTPUT:-} == 1 ]] || rm -rf "$work"' EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
pass() { echo "ok: $*"; }

# block FILE N: the Nth ```ini block of FILE.
block() {
  awk -v n="$2" '/^```ini$/ { k++; on = (k == n); next } /^```$/ { on = 0 } on' "$1"
}

mkdir -p "$work/system" "$work/user" "$work/runtime"
chmod 0700 "$work/runtime"
block "$guide/kiosk.en.md" 1 >"$work/system/mynacard-kiosk.service"
block "$guide/kiosk.en.md" 2 >"$work/user/mynacard-kiosk.service"
for n in 1 2; do
  [[ -n $(block "$guide/kiosk.en.md" $n) ]] || fail "kiosk.en.md has no unit number $n"
  [[ $(block "$guide/kiosk.en.md" $n) == "$(block "$guide/kiosk.ja.md" $n)" ]] ||
    fail "unit $n differs between kiosk.en.md and kiosk.ja.md"
done
pass "both guides give the same two units"

# verify [--user] UNIT: what systemd-analyze says, less the programs that
# are not installed here.
verify() {
  XDG_RUNTIME_DIR=$work/runtime systemd-analyze verify --man=no "$@" 2>&1 |
    grep -vE 'Command /usr/bin/(cage|mynacard-helper) is not executable' || true
}

out=$(verify "$work/system/mynacard-kiosk.service")
[[ -z $out ]] || fail "systemd-analyze verify on the cage unit: $out"
pass "the cage system unit verifies"
out=$(verify --user "$work/user/mynacard-kiosk.service")
[[ -z $out ]] || fail "systemd-analyze verify --user on the user unit: $out"
pass "the user unit verifies"

# The front desk's user unit: the first ```ini block of its guides.
desk=$(block "$guide/front-desk.en.md" 1)
[[ $desk == *"--front-desk"* ]] || fail "front-desk.en.md's first unit does not start the front desk"
[[ $desk == "$(block "$guide/front-desk.ja.md" 1)" ]] ||
  fail "the front desk's unit differs between front-desk.en.md and front-desk.ja.md"
printf '%s\n' "$desk" >"$work/user/mynacard-front-desk.service"
out=$(verify --user "$work/user/mynacard-front-desk.service")
[[ -z $out ]] || fail "systemd-analyze verify --user on the front desk's unit: $out"
pass "the front desk's user unit is the same in both guides and verifies"

mkdir "$work/bad"
sed 's/^NoNewPrivileges=/NoNewPrivilege=/' "$work/system/mynacard-kiosk.service" \
  >"$work/bad/mynacard-kiosk.service"
out=$(verify "$work/bad/mynacard-kiosk.service")
[[ $out == *NoNewPrivilege* ]] || fail "a misspelt setting went unreported: '$out'"
pass "a misspelt setting is reported"
