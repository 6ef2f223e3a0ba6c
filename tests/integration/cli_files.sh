#!/usr/bin/env bash
# What the CLI leaves on disk and what other processes can see of it:
# exports are new files of mode 0600 that never replace a file or follow a
# link, `verify` trusts only the card's CA certificates (nothing a planted
# file adds), and a command holding a PIN is not dumpable.
source "$(dirname "$0")/lib.sh"
reset_readers
my_number=$(jq -r .holder.my_number "$profiles/default/profile.json")

# --- exports: mode 0600, never over a symlink or an existing file
cli cert export auth --out "$work/auth.der"
expect_eq "$(stat -c %a "$work/auth.der")" "600" "an exported certificate is mode 0600"
echo ABC123 | cli --pin-stdin cert export sign --out "$work/sign.der"
expect_eq "$(stat -c %a "$work/sign.der")" "600" "the exported signature certificate is mode 0600"

echo "someone else's file" >"$work/target"
ln -s "$work/target" "$work/link.der"
expect_exit 1 cert export auth --out "$work/link.der"
expect_contains "$err" "not overwritten" "the refusal says why"
expect_eq "$(cat "$work/target")" "someone else's file" "an export onto a symlink leaves its target untouched"
[[ -L $work/link.der ]] || fail "the symlink was replaced"
pass "the symlink itself is still there"
ln -s "$work/nowhere" "$work/dangling.der"
expect_exit 1 cert export auth --out "$work/dangling.der"
[[ ! -e $work/nowhere ]] || fail "an export through a dangling symlink created its target"
pass "a dangling symlink is not followed either"
expect_exit 1 cert export auth --out "$work/auth.der"
cmp -s "$work/auth.der" "$(profile_file default auth_cert)" || fail "the existing export changed"
pass "an existing file is not overwritten"

echo "$my_number" | cli --pin-stdin face --out "$work/face" --code a
for f in name.png address.png photo.jp2 security-code.png; do
  expect_eq "$(stat -c %a "$work/face/$f")" "600" "face image $f is mode 0600"
done
expect_eq "$(stat -c %a "$work/face")" "700" "the directory face made is mode 0700"
mkdir "$work/face2"
ln -s "$work/target" "$work/face2/photo.jp2"
rc=0; echo "$my_number" | "$cli_bin" --pin-stdin face --out "$work/face2" --code a >/dev/null 2>&1 || rc=$?
expect_eq "$rc" "1" "face onto a planted photo.jp2 symlink fails"
expect_eq "$(cat "$work/target")" "someone else's file" "… and leaves the link's target untouched"

head -c 3000 /dev/urandom >"$work/doc"
echo 1234 | cli --pin-stdin sign --key auth --in "$work/doc" --out "$work/doc.p7s"
expect_eq "$(stat -c %a "$work/doc.p7s")" "600" "a signature file is mode 0600"

# --- verify: the card's CA certificates and nothing else
# A signature by a certificate no card issued, trusted only if a file planted
# where verify used to keep the card's anchors ($TMPDIR/mynacard-verify-<pid>)
# were read too.
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/rogue.key" -out "$work/rogue.pem" \
  -subj /CN=rogue -days 2 2>/dev/null
openssl cms -sign -binary -in "$work/doc" -signer "$work/rogue.pem" -inkey "$work/rogue.key" \
  -outform DER -out "$work/rogue.p7s"
expect_exit 0 verify "$work/doc" "$work/rogue.p7s" --trust "$work/rogue.pem"  # the test is sound
mkdir "$work/tmp"
rc=0
TMPDIR=$work/tmp bash -c '
  mkdir "$TMPDIR/mynacard-verify-$$" && cp "$1" "$TMPDIR/mynacard-verify-$$/planted.pem"
  exec "$2" verify "$3" "$4"' _ "$work/rogue.pem" "$cli_bin" "$work/doc" "$work/rogue.p7s" \
  >"$work/out" 2>&1 || rc=$?
expect_eq "$rc" "8" "verify without --trust ignores a planted anchor (a rogue signature fails)"
expect_exit 0 verify "$work/doc" "$work/doc.p7s"
[[ -z $(ls -A "$work/tmp" | grep -v '^mynacard-verify-') ]] || fail "verify left files in TMPDIR"
pass "verify without --trust still accepts the card's own signature"

# --- not dumpable while a PIN may be held
# /proc/<pid>/ of a non-dumpable process belongs to root whoever runs it, so
# the programs run as user nobody here. Each waits for a PIN (on a FIFO
# nobody writes to, or in its dialog) and is then stopped: no PIN is sent.
# expect_not_dumpable WHAT COMMAND...
expect_not_dumpable() {
  local what=$1 pid owner="" alive
  shift
  rm -f "$work/pin"
  mkfifo "$work/pin"
  MYNACARD_AUDIT_LOG=$nobody_dir/audit.jsonl HOME=$nobody_dir \
    XDG_RUNTIME_DIR=$nobody_dir setpriv --reuid nobody --regid nogroup --clear-groups "$@" \
    <"$work/pin" >/dev/null 2>&1 &
  pid=$!
  exec 7>"$work/pin"  # unblocks the program's standard input; nothing is written
  for _ in $(seq 100); do
    owner=$(stat -c %u "/proc/$pid/status" 2>/dev/null || true)
    [[ $owner == 0 ]] && break
    sleep 0.1
  done
  alive=$(kill -0 "$pid" 2>/dev/null && echo yes || echo no)
  kill "$pid" 2>/dev/null || true
  exec 7>&-
  wait "$pid" 2>/dev/null || true
  expect_eq "$alive" "yes" "$what was still waiting for the PIN"
  expect_eq "$owner" "0" "$what is not dumpable (/proc/<pid> owned by root)"
}
# Last, because it needs root and a user nobody: without them everything
# above has run, but the test as a whole has not, so it reports skipped.
if [[ $(id -u) != 0 ]] || ! id nobody >/dev/null 2>&1; then
  echo "SKIP: the dumpable checks need root and a user nobody"
  exit 77
fi
need setpriv
nobody_dir=$(mktemp -d)
chown nobody "$nobody_dir"
expect_not_dumpable "mynacard info waiting for the PIN" "$cli_bin" --pin-stdin info
expect_not_dumpable "the PIN dialog" env QT_QPA_PLATFORM=offscreen \
  "$MYNACARD_BUILD_DIR/bin/mynacard-helper" pin --pin auth --purpose login --program /bin/true \
  --pid $$ --reader r --pin-fd 3 3>/dev/null
rm -rf "$nobody_dir"
