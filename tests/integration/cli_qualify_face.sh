#!/usr/bin/env bash
# `mynacard qualify --watch-face`: results of card checks dropped into the
# face folder are printed as they arrive, the process ends cleanly on
# SIGTERM, and after a restart nothing is printed twice (the journal).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/terminal.sh"
need jq iconv
export LC_ALL=C.UTF-8

term=$work/terminal
new_terminal "$term"
journal=$work/state/face.sqlite
mkdir -p "$work/state"
events=$work/events
watch_pid=""
trap '[[ -n $watch_pid ]] && kill $watch_pid 2>/dev/null; remove_work' EXIT

# drop FILE NAME: the terminal writes a result (a temporary name first).
drop() {
  cp "$1" "$term/face/.$2.part"
  mv "$term/face/.$2.part" "$term/face/$2"
}
wait_for() {  # wait_for FILE COUNT PATTERN what
  for _ in $(seq 150); do
    [[ $(grep -cF -- "$3" "$1" 2>/dev/null) -ge $2 ]] && { pass "$4"; return; }
    sleep 0.1
  done
  fail "$4: output was: $(cat "$1")"
}
stop_watch() {
  kill -TERM "$watch_pid"
  local rc=0
  wait "$watch_pid" || rc=$?
  watch_pid=""
  [[ $rc == 0 ]] || fail "the watch did not end cleanly on SIGTERM (exit $rc): $(cat "$work/watch.err")"
  pass "the watch ends cleanly on SIGTERM"
}

"$cli_bin" qualify --watch-face "$term/face" --journal "$journal" --json --out "$work/saved" \
  >"$events" 2>"$work/watch.err" &
watch_pid=$!
wait_for "$events" 1 '"event":"ready"' "the watch starts"

drop "$fixtures/card_result_full.xml" OQSsiquc01res_first.xml
wait_for "$events" 1 '"event":"result"' "the first result printed"
as_shift_jis "$fixtures/validity_2.xml" >"$work/second.xml"
drop "$work/second.xml" OQSsiquc01res_second.xml
wait_for "$events" 2 '"event":"result"' "the second result printed"
stop_watch

results=$(jq -c 'select(.event == "result")' "$events")
expect_eq "$(jq -r .file <<<"$results" | tr '\n' ' ')" "OQSsiquc01res_first.xml OQSsiquc01res_second.xml " "both results, in order, once each"
expect_eq "$(jq -r .outcome <<<"$results" | tr '\n' ' ')" "valid invalid " "each result's outcome"
expect_eq "$(jq -r .encoding <<<"$results" | tail -1)" "Shift_JIS" "a Shift_JIS face file"
expect_eq "$(jq -r '.message.MessageBody.ResultList[0].Name' <<<"$results" | tail -1)" "試験　二" "its name decoded"
expect_eq "$(find "$work/saved" -name '*.json' | wc -l)" 2 "--out keeps each result"

# Restarted on the same journal, in English text: only the new file.
"$cli_bin" qualify --watch-face "$term/face" --journal "$journal" >"$work/human" 2>"$work/watch.err" &
watch_pid=$!
drop "$fixtures/validity_4.xml" OQSsiquc01res_third.xml
wait_for "$work/human" 1 "--- OQSsiquc01res_third.xml ---" "a result after the restart printed"
# The old files were in the folder before the new one, so they would have
# settled and been printed no later than it: no wait is needed here.
stop_watch
human=$(<"$work/human")
expect_not_contains "$human" "first.xml" "no result printed twice after a restart (first)"
expect_not_contains "$human" "second.xml" "no result printed twice after a restart (second)"
expect_contains "$human" "== Qualification: no qualification found ==" "the new result in text"
