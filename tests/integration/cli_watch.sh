#!/usr/bin/env bash
# `mynacard watch` reports card removal and insertion (also another card
# swapped in), and survives a pcscd restart with a new PC/SC context.
source "$(dirname "$0")/lib.sh"
reset_readers
events=$work/events

"$cli_bin" watch --json --seconds 40 >"$events" 2>"$work/watch.err" &
watch_pid=$!
trap 'kill $watch_pid 2>/dev/null || true; remove_work' EXIT
for _ in $(seq 50); do grep -q '"ready"' "$events" 2>/dev/null && break; sleep 0.1; done
grep -q '"ready"' "$events" || fail "watch did not start"

wait_event() {  # wait_event COUNT JQ-FILTER what
  for _ in $(seq 100); do
    [[ $(jq -c "select($2)" "$events" | wc -l) -ge $1 ]] && { pass "$3"; return; }
    sleep 0.1
  done
  fail "$3: events were: $(cat "$events")"
}

sim remove --reader 0 >/dev/null
wait_event 1 '.event == "removed" and (.reader | contains("Reader 0"))' "removal reported"
insert_card 0 "$profiles/minor"
wait_event 1 '.event == "inserted" and (.reader | contains("Reader 0"))' "another card's insertion reported"
expect_eq "$(cli status --json | jq .tries_left.sign)" "null" "the new card is the minor's (no sign PIN)"

# pcscd goes away and comes back (with the default card in reader 0).
"$(dirname "$0")/../../scripts/virtual-pcscd" stop >/dev/null
wait_event 1 '.event == "service_stopped"' "pcscd stop reported"
"$(dirname "$0")/../../scripts/virtual-pcscd" start --build-dir "$MYNACARD_BUILD_DIR" >/dev/null
wait_event 1 '.event == "service_restored"' "watch reconnects after pcscd restarts"
wait_event 2 '.event == "inserted" and (.reader | contains("Reader 0"))' "the card after the restart is reported"
kill -TERM $watch_pid
rc=0
wait $watch_pid || rc=$?
[[ $rc == 0 ]] || fail "watch did not end cleanly on SIGTERM (exit $rc): $(cat "$work/watch.err") $(tail -3 "$events")"
pass "watch ends cleanly on SIGTERM"
