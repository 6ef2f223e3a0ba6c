#!/usr/bin/env bash
# Rules for the test sources themselves (tests/README.md), checked on every
# run so a copy or a fixed sleep does not creep back in:
#  - a test waits for what it can observe (QTRY_*, a bounded poll), not a
#    fixed time: no QTest::qWait of 100 ms or more in the GUI tests, no
#    `sleep` of a second or more in the integration and load scripts;
#  - one temporary-directory helper (tests/support/temp_dir.h): no other
#    test source calls mkdtemp or builds a scratch path from
#    temp_directory_path / ::testing::TempDir.
set -euo pipefail
tests=${1:?usage: hygiene.sh TESTS_DIR}
cd "$tests"
bad=0
report() {  # report WHAT GREP-OUTPUT
  [[ -z $2 ]] && return 0
  echo "FAIL: $1:"
  echo "$2"
  bad=1
}
report "a fixed QTest::qWait (poll the state with QTRY_* instead)" \
  "$(grep -nE 'qWait\(\s*[0-9]{3,}' gui/*.cpp || true)"
report "a fixed sleep of a second or more (poll with a bounded loop instead)" \
  "$(grep -nE '(^|[;&|{ ])sleep +[1-9]' integration/*.sh load/*.sh || true)"
report "a temporary directory made outside tests/support/temp_dir.h" \
  "$(grep -rnE 'mkdtemp|temp_directory_path|testing::TempDir' --include='*.cpp' --include='*.h' \
      unit integration load gui fuzz | grep -v '^support/' || true)"
((bad == 0)) || exit 1
echo "ok: no fixed sleeps, one temporary-directory helper"
