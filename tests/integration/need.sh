# need TOOL...: a test whose client is not installed has proved nothing, so
# it reports itself skipped (exit 77, registered as SKIP_RETURN_CODE 77 in
# CMake) instead of passing. Sourced by lib.sh and by tests that do not use
# the virtual readers.
need() {
  local tool
  for tool in "$@"; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      echo "SKIP: $tool not installed"
      exit 77
    fi
  done
}

# need_file PATH WHAT: the same for a client that is a file, not a program
# (an OpenSSL engine, say).
need_file() {
  if [[ ! -e $1 ]]; then
    echo "SKIP: $2 not installed ($1 missing)"
    exit 77
  fi
}
