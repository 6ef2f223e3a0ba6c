# Shared by scripts/demo, scripts/test and scripts/bench. Sourced, not run.

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
jobs=$(nproc 2>/dev/null || echo 2)

log() { printf '\n== %s  [%dm%02ds]\n' "$*" $((SECONDS / 60)) $((SECONDS % 60)); }

# generator DIR: "-G Ninja" for a new build directory when ninja is there
# (it keeps both cores busy across targets; make waits for each directory's
# libraries), nothing for an existing one, which keeps its generator.
generator() {
  if [[ ! -f $1/CMakeCache.txt ]] && command -v ninja >/dev/null 2>&1; then
    echo "-G Ninja"
  fi
}

# configure_and_build DIR [cmake options...]: incremental; reuses DIR.
# BUILD_TARGET, when set, builds only that target.
configure_and_build() {
  local dir=$1
  shift
  # shellcheck disable=SC2046  # generator prints zero or two words
  cmake $(generator "$dir") -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
  cmake --build "$dir" -j "$jobs" ${BUILD_TARGET:+--target "$BUILD_TARGET"}
}

# configure_clang_build DIR [cmake options...]: the clang build with ASan +
# UBSan and the libFuzzer targets (scripts/test, scripts/fuzz): Debian's
# clang 14 and its runtimes (libclang-rt-14-dev), libstdc++ as usual.
configure_clang_build() {
  local dir=$1
  shift
  # shellcheck disable=SC2046
  CC=clang CXX=clang++ cmake $(generator "$dir") -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DMYNACARD_SANITIZE=ON -DMYNACARD_FUZZ=ON "$@" >/dev/null
}

# configure_tsan_build DIR [cmake options...]: clang 14 with ThreadSanitizer
# (-DMYNACARD_TSAN=ON) for the threaded tests (scripts/test); no fuzz
# targets, no GUI.
configure_tsan_build() {
  local dir=$1
  shift
  # shellcheck disable=SC2046
  CC=clang CXX=clang++ cmake $(generator "$dir") -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DMYNACARD_TSAN=ON -DMYNACARD_BUILD_GUI=OFF "$@" >/dev/null
}

# How the sanitizer builds' tests run, for scripts/test and scripts/sanitize.
#
# asan_unit CMD...: CMD (a ctest of build-clang's unit tests) with leak checks.
asan_unit() {
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 "$@"
}

# asan_integration CMD...: CMD (a ctest of build-clang's integration tests).
# pcscd (the IFD handler's host) and the programs that load the module
# (through module_host in tests/integration/lib.sh) are not our programs:
# they get the ASan runtime preloaded, each on its own (a global LD_PRELOAD
# also reaches procps' pgrep, which then hangs). Leak checks stay with the
# unit tests.
asan_integration() {
  local runtime
  runtime=$(clang++ -print-file-name=libclang_rt.asan-x86_64.so)
  MYNACARD_PCSCD_PRELOAD=$runtime MYNACARD_MODULE_PRELOAD=$runtime \
    ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 "$@"
}

# The threaded tests ThreadSanitizer runs: the module's threads, C_Finalize
# during a wait and fork (pkcs11_pin_safety), the module's API from threads,
# the CLI's watch.
tsan_tests='integration\.(pkcs11_pin_safety|pkcs11_api|cli_watch)$'

# tsan_integration CMD...: CMD (a ctest of build-tsan). TSan is in our
# programs only: pcscd loads the IFD handler of the uninstrumented build
# (build/, MYNACARD_IFD_DRIVER), since TSan cannot join a process it did not
# start. No thread-leak reports: the fork test's child inherits the record
# of the parent's running thread and would report it as leaked when it exits.
tsan_integration() {
  MYNACARD_IFD_DRIVER=$root/build/lib/libifd-mynacard-virtual.so \
    TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:report_thread_leaks=0 "$@"
}

# in_private_pcscd CMD...: runs CMD in a private mount namespace with its own
# tmpfs on /run/pcscd, so the pcscd it starts never meets the machine's.
in_private_pcscd() {
  if [[ $(id -u) -ne 0 ]]; then
    echo "this needs root for a private mount namespace (unshare -m); run as root" >&2
    return 1
  fi
  mkdir -p /run/pcscd
  unshare -m --propagation private "$root/scripts/lib/private-run" "$@"
}

# Test output kept for the secrets scan (docs/reliability.md, "Secrets"):
# every ctest run of scripts/test writes into one fresh root,
# BUILD/test-output — TMPDIR, HOME and the XDG directories point there,
# scratch directories are kept (MYNACARD_KEEP_TEST_OUTPUT=1), pcscd's logs
# land in it, core files are allowed — and the last step (ctest -L secrets)
# searches it, ctest's logs and the build tree's changed files for the test
# cards' PINs and personal data. The root is removed when the scan passes.
test_output_begin() {  # BUILD_DIR
  local out=$1/test-output
  rm -rf "$out"
  mkdir -p -m 0700 "$out"
  mkdir -p "$out/tmp" "$out/home" "$out/ctest" "$out/pcscd"
  mkdir -m 0700 "$out/run"
  touch "$out/started"
  test_output=$out
}

# with_test_output CMD...: CMD with the environment above (a subshell, so
# the build steps keep the caller's HOME and caches).
with_test_output() {
  (
    export MYNACARD_TEST_OUTPUT=$test_output MYNACARD_KEEP_TEST_OUTPUT=1
    export TMPDIR=$test_output/tmp HOME=$test_output/home XDG_RUNTIME_DIR=$test_output/run
    export XDG_CONFIG_HOME=$HOME/.config XDG_STATE_HOME=$HOME/.local/state
    export XDG_DATA_HOME=$HOME/.local/share XDG_CACHE_HOME=$HOME/.cache
    export MYNACARD_PCSCD_LOG_DIR=$test_output/pcscd
    # A crash leaves its core where the scan looks (core_pattern "core":
    # the process's working directory, inside the build tree).
    ulimit -c unlimited 2>/dev/null || true
    "$@"
  )
}

# kept_run NAME BUILD_DIR CMD...: CMD (a ctest run over BUILD_DIR) under
# with_test_output; its output and BUILD_DIR's LastTest.log (the next ctest
# run overwrites it) are kept as NAME-*.log for the scan.
kept_run() {
  local name=$1 dir=$2 rc=0
  shift 2
  with_test_output "$@" 2>&1 | tee "$test_output/ctest/$name-output.log" || rc=$?
  cp "$dir/Testing/Temporary/LastTest.log" "$test_output/ctest/$name-LastTest.log" 2>/dev/null || true
  return "$rc"
}

# test_output_scan BUILD_DIR [OTHER_BUILD_DIR...]: the secrets scan (ctest
# label "secrets" of BUILD_DIR) over the root and the build trees' changed
# and core files; removes the root when it passes, keeps it (mode 0700) for
# a person to find the leak when it fails.
test_output_scan() {
  local dir=$1 trees
  trees=$(IFS=:; echo "$*")
  MYNACARD_TEST_OUTPUT=$test_output MYNACARD_SCAN_CHANGED_UNDER=$trees \
    ctest --test-dir "$dir" -L secrets --output-on-failure --timeout 1200
  rm -rf "$test_output"
}
