#!/usr/bin/env bash
# help.sh PROGRAM: `PROGRAM --help` exits 0 and prints its usage on standard
# output, naming --version; no display or card needed.
set -u
rc=0
out=$(env -u DISPLAY -u WAYLAND_DISPLAY "$1" --help 2>/dev/null) || rc=$?
if [[ $rc != 0 ]]; then
  echo "FAIL: $1 --help exited $rc" >&2
  exit 1
fi
if [[ $out != *--help* || $out != *--version* ]]; then
  echo "FAIL: $1 --help does not name --help and --version:" >&2
  echo "$out" >&2
  exit 1
fi
echo "ok: $1 --help ($(wc -l <<<"$out") lines)"
