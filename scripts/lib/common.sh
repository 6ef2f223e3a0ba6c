# Shared by scripts/demo, scripts/test and scripts/bench. Sourced, not run.

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
jobs=$(nproc 2>/dev/null || echo 2)

log() { printf '\n== %s\n' "$*"; }

# configure_and_build DIR [cmake options...]: incremental; reuses DIR.
# BUILD_TARGET, when set, builds only that target.
configure_and_build() {
  local dir=$1
  shift
  cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
  cmake --build "$dir" -j "$jobs" ${BUILD_TARGET:+--target "$BUILD_TARGET"}
}

# configure_clang_build DIR [cmake options...]: the clang build with ASan +
# UBSan and the libFuzzer targets (scripts/test, scripts/fuzz): Debian's
# clang 14 and its runtimes (libclang-rt-14-dev), libstdc++ as usual.
configure_clang_build() {
  local dir=$1
  shift
  CC=clang CXX=clang++ cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DMYNACARD_SANITIZE=ON -DMYNACARD_FUZZ=ON "$@" >/dev/null
}

# configure_tsan_build DIR [cmake options...]: clang 14 with ThreadSanitizer
# (-DMYNACARD_TSAN=ON) for the threaded tests (scripts/test); no fuzz
# targets, no GUI.
configure_tsan_build() {
  local dir=$1
  shift
  CC=clang CXX=clang++ cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DMYNACARD_TSAN=ON -DMYNACARD_BUILD_GUI=OFF "$@" >/dev/null
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
