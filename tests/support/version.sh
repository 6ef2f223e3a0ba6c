#!/usr/bin/env bash
# version.sh PROGRAM EXPECTED: `PROGRAM --version` prints exactly EXPECTED
# (one line) and exits 0.
set -u
rc=0
out=$("$1" --version 2>&1) || rc=$?
if [[ $rc != 0 ]]; then
  echo "FAIL: $1 --version exited $rc: $out" >&2
  exit 1
fi
if [[ $out != "$2" ]]; then
  echo "FAIL: $1 --version printed '$out', expected '$2'" >&2
  exit 1
fi
echo "ok: $out"
