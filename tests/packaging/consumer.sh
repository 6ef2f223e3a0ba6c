#!/usr/bin/env bash
# libmynacard-dev works for a program outside the project: the lib and dev
# components are installed into a scratch DESTDIR, and a tiny consumer is
# built against them twice, with find_package(mynacard) and with
# pkg-config, then run with the installed shared library.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../integration/need.sh"
: "${MYNACARD_BUILD_DIR:?run through ctest}"
need cmake pkg-config c++
fail() { echo "FAIL: $*" >&2; exit 1; }
work=$(mktemp -d /tmp/mynacard-consumer-XXXXXX)
trap 'rm -rf "$work"' EXIT
dest=$work/root
for comp in lib dev; do
  DESTDIR=$dest cmake --install "$MYNACARD_BUILD_DIR" --component "$comp" >>"$work/install.log" 2>&1 ||
    { cat "$work/install.log"; fail "cmake --install --component $comp"; }
done
prefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$MYNACARD_BUILD_DIR/CMakeCache.txt")
libdir=$(dirname "$(find "$dest" -name 'libmynacard.so.1' | head -n1)")
[[ -n $libdir && -L $libdir/libmynacard.so.1 && -L $libdir/libmynacard.so ]] ||
  fail "libmynacard.so.1 and the libmynacard.so link not installed"
soname=$(objdump -p "$libdir/libmynacard.so.1" | awk '/SONAME/ {print $2}')
[[ $soname == libmynacard.so.1 ]] || fail "SONAME is '$soname'"
[[ -f $dest$prefix/include/mynacard/session/session.h ]] || fail "headers not in include/mynacard/<folder>"
[[ ! -e $dest$prefix/include/mynacard/x509/ossl.h ]] || fail "an internal header was installed"
echo "ok: installed $soname, headers, CMake package and mynacard.pc"

# CMake: find_package(mynacard) -> mynacard::mynacard
cmake -S "$here/consumer" -B "$work/cmake" -DCMAKE_PREFIX_PATH="$dest$prefix" >"$work/cmake.log" 2>&1 &&
  cmake --build "$work/cmake" >>"$work/cmake.log" 2>&1 || { cat "$work/cmake.log"; fail "CMake consumer"; }
out=$(LD_LIBRARY_PATH=$libdir "$work/cmake/consumer") || fail "CMake consumer does not run: $out"
[[ $out == "libmynacard $(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$MYNACARD_BUILD_DIR/CMakeCache.txt") 3F00 source" ]] ||
  fail "CMake consumer printed '$out'"
echo "ok: find_package(mynacard) consumer: $out"

# pkg-config: the .pc file's /usr paths, seen through the DESTDIR.
export PKG_CONFIG_PATH=$libdir/pkgconfig PKG_CONFIG_SYSROOT_DIR=$dest PKG_CONFIG_LIBDIR=$libdir/pkgconfig
flags=$(pkg-config --cflags --libs mynacard) || fail "pkg-config mynacard"
# shellcheck disable=SC2086
c++ -o "$work/pc-consumer" "$here/consumer/main.cpp" $flags 2>"$work/pc.log" ||
  { cat "$work/pc.log"; fail "pkg-config consumer ($flags)"; }
out=$(LD_LIBRARY_PATH=$libdir "$work/pc-consumer") || fail "pkg-config consumer does not run"
echo "ok: pkg-config consumer ($flags): $out"
