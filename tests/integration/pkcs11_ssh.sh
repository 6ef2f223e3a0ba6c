#!/usr/bin/env bash
# mynacard-pkcs11.so with OpenSSH: ssh-keygen -D exports the authentication
# key (the auth certificate's key, as ssh-rsa), and ssh -I logs into an sshd
# on loopback with it, the PIN given by an SSH_ASKPASS program.
source "$(dirname "$0")/lib.sh"
: "${MYNACARD_PKCS11:?run through ctest}"
[[ $(id -u) == 0 ]] || fail "this test runs sshd as root"
need ssh ssh-keygen ss
PATH=$PATH:/usr/sbin need sshd
reset_readers

# 1. ssh-keygen -D: the public keys the module offers.
out=$(ssh-keygen -D "$MYNACARD_PKCS11" 2>"$work/err") || fail "ssh-keygen -D failed: $(<"$work/err")"
echo "$out"
der_to_pem "$(profile_file default auth_cert)" "$work/auth.pem"
openssl x509 -in "$work/auth.pem" -pubkey -noout >"$work/auth.pub"
expected=$(ssh-keygen -i -m PKCS8 -f "$work/auth.pub" | awk '{print $1, $2}')
grep -qF "$expected" <<<"$out" || fail "ssh-keygen -D does not export the auth certificate's key: $out"
pass "ssh-keygen -D exports the authentication key ($(cut -c1-7 <<<"$expected"))"
# (ssh-keygen also lists the keys of the CA certificates it finds; the
# signature certificate and its key stay hidden without the password.)

# 2. An sshd of our own on a free loopback port, accepting only that key.
echo "$expected" >"$work/authorized_keys"
ssh-keygen -q -t ed25519 -N '' -f "$work/host_key"
mkdir -p /run/sshd  # privilege separation directory (the package's service creates it)
sshd_bin=$(command -v sshd || echo /usr/sbin/sshd)
start_sshd() {
  local i
  for ((i = 0; i < 20; i++)); do
    port=$((20000 + RANDOM % 40000))
    ss -ltn | grep -q ":$port " && continue
    cat >"$work/sshd_config" <<CFG
ListenAddress 127.0.0.1:$port
HostKey $work/host_key
PidFile $work/sshd.pid
AuthorizedKeysFile $work/authorized_keys
StrictModes no
UsePAM no
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
AuthenticationMethods publickey
LogLevel VERBOSE
CFG
    # -D: no daemon; -e: log to stderr.
    "$sshd_bin" -D -e -f "$work/sshd_config" 2>"$work/sshd.log" &
    sshd_pid=$!
    for ((j = 0; j < 50; j++)); do
      grep -q "Server listening" "$work/sshd.log" 2>/dev/null && return 0
      kill -0 "$sshd_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill "$sshd_pid" 2>/dev/null || true
    wait "$sshd_pid" 2>/dev/null || true
  done
  fail "sshd did not start: $(cat "$work/sshd.log")"
}
start_sshd
trap 'kill "$sshd_pid" 2>/dev/null || true; wait "$sshd_pid" 2>/dev/null || true; remove_work' EXIT

# 3. ssh -I: the PIN from an askpass program, never from a terminal.
printf '#!/bin/sh\necho 1234\n' >"$work/askpass"
chmod +x "$work/askpass"
ssh_opts=(-F /dev/null -p "$port" -I "$MYNACARD_PKCS11" -o BatchMode=no
          -o IdentityAgent=none -o PreferredAuthentications=publickey -o StrictHostKeyChecking=no
          -o UserKnownHostsFile=/dev/null -o ConnectTimeout=10 -o LogLevel=ERROR)
rc=0
out=$(SSH_ASKPASS=$work/askpass SSH_ASKPASS_REQUIRE=force DISPLAY=:0 \
      timeout 60 ssh "${ssh_opts[@]}" root@127.0.0.1 'echo logged-in-as-$(id -un)' </dev/null 2>&1) || rc=$?
echo "$out"
[[ $rc == 0 ]] || fail "ssh -I with the card failed (exit $rc): $out"$'\n'"$(tail -20 "$work/sshd.log")"
expect_contains "$out" "logged-in-as-root" "ssh -I logs in with the card's key"
expect_contains "$(cat "$work/sshd.log")" "Accepted publickey for root" "sshd accepted the card's key"
expect_eq "$(sim status --reader 0 --json | jq -r .reader.tries_left.auth)" "3" "no PIN try lost"

# A wrong PIN: the login fails, one try is gone, nothing hangs.
printf '#!/bin/sh\necho 9999\n' >"$work/askpass"
rc=0
out=$(SSH_ASKPASS=$work/askpass SSH_ASKPASS_REQUIRE=force DISPLAY=:0 \
      timeout 60 ssh "${ssh_opts[@]}" root@127.0.0.1 true </dev/null 2>&1) || rc=$?
[[ $rc == 255 ]] || fail "ssh with a wrong PIN: exit $rc, expected 255: $out"
pass "ssh -I with a wrong PIN is refused"
tries=$(sim status --reader 0 --json | jq -r .reader.tries_left.auth)
[[ $tries == 2 ]] || fail "a wrong PIN through ssh should cost exactly one try, tries left: $tries"
pass "the wrong PIN cost exactly one try"
