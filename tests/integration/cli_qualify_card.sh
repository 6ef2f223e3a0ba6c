#!/usr/bin/env bash
# mynacard qualify --server: a card check end to end — the software card in
# the virtual reader through pcscd, the patient's PIN, the card's signature
# over the reference service's challenge, the answer printed and recorded —
# against mynacard-qualification-server on loopback (docs/qualification.md).
source "$(dirname "$0")/lib.sh"
reset_readers
server_bin=$MYNACARD_BUILD_DIR/bin/mynacard-qualification-server
source_dir=$(cd "$(dirname "$0")/../.." && pwd)
state=$work/state
code=1312345678

"$server_bin" init --state "$state" --institution-code "$code" >/dev/null
"$server_bin" trust --state "$state" --ca "$pki/auth_root.pem" >/dev/null
cli cert export auth --out "$work/auth.der"
"$server_bin" enroll --state "$state" --cert "$work/auth.der" \
  --record "$source_dir/middleware/qualification/server/sample-record.json" >/dev/null
pass "the service is set up and the card's certificate enrolled"

# Port 0: the system picks a free loopback port, the server says which.
"$server_bin" serve --state "$state" --listen "127.0.0.1:0" >"$work/server.log" 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; remove_work' EXIT
for _ in $(seq 100); do grep -q "listening" "$work/server.log" && break; sleep 0.1; done
grep -q "listening" "$work/server.log" || fail "the service did not start: $(cat "$work/server.log")"
port=$(sed -n 's/^listening on port \([0-9]*\)$/\1/p' "$work/server.log")
[[ $port =~ ^[0-9]+$ && $port != 0 ]] || fail "no port in: $(cat "$work/server.log")"

url=https://127.0.0.1:$port
export MYNACARD_AUDIT_LOG=$work/audit.jsonl
before=$(pin_verifies 0)
out=$(echo 1234 | cli --pin-stdin qualify --server "$url" --server-ca "$state/server.pem" \
  --institution-code "$code" --consent medication,limit --json)
expect_eq "$(jq -r '.message.MessageBody.QualificationValidity.code' <<<"$out")" "1" \
  "the card check finds a valid qualification"
expect_eq "$(jq -r '.message.MessageBody.ResultList[0].InsurerNumber' <<<"$out")" "06132013" \
  "the answer carries the enrolled record"
expect_eq "$(( $(pin_verifies 0) - before ))" "1" "one VERIFY with the PIN, no retry"
expect_eq "$(cli log --json | jq -r '.entries[-1] | .operation + " " + .key + " " + .result')" \
  "qualification_check auth ok" "the card's use is in the audit log as a qualification check"

out=$(echo 1234 | LANG=C.UTF-8 cli --pin-stdin qualify --server "$url" --server-ca "$state/server.pem" \
  --institution-code "$code")
expect_contains "$out" "06132013" "the human output names the insurer number"

# A wrong PIN: the card's answer, exit code of a wrong PIN, no check sent.
expect_exit 4 --pin-stdin qualify --server "$url" --server-ca "$state/server.pem" \
  --institution-code "$code" <<<"9999"
# Another institution than the service serves: refused with its ErrorCode.
out=$(echo 1234 | cli --pin-stdin qualify --server "$url" --server-ca "$state/server.pem" \
  --institution-code 9999999999 --json) || true
expect_contains "$out" "MQS" "an institution the service does not serve is refused with an ErrorCode"
# Bad arguments are refused before the card is touched.
before=$(sim trace --stats --json | jq '.stats[0].apdus')
expect_exit 2 qualify --server "$url" --server-ca "$state/server.pem" --institution-code 12
expect_exit 2 qualify --server "$url" --server-ca "$state/server.pem" --institution-code "$code" \
  --consent nothing
expect_eq "$(sim trace --stats --json | jq '.stats[0].apdus')" "$before" "no APDU for a refused request"
