#!/usr/bin/env bash
# The installed layout registers mynacard-pkcs11.so with p11-kit: `cmake
# --install` is staged into a scratch root (DESTDIR), and in a private mount
# namespace (unshare -m) the staged prefix is laid over the real one (a
# read-only overlay, so a /usr prefix keeps the system's own files) and
# p11-kit's module config directory holds only the installed .module
# file, used unchanged. `p11-kit list-modules` must load the module by it and
# show both tokens; GnuTLS's p11tool, which loads modules through p11-kit,
# must find the card; and the installed module must find the installed
# mynacard-helper (protected authentication path). (As root p11-kit ignores
# the user's ~/.config/pkcs11, hence the mounts.)
source "$(dirname "$0")/lib.sh"
: "${MYNACARD_PKCS11:?run through ctest}"
[[ $(id -u) == 0 ]] || fail "this test needs root (unshare -m)"
need p11-kit
reset_readers
stage=$work/stage
DESTDIR=$stage cmake --install "$MYNACARD_BUILD_DIR" >"$work/install.log" 2>&1 ||
  fail "cmake --install failed: $(<"$work/install.log")"
prefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$MYNACARD_BUILD_DIR/CMakeCache.txt")
[[ -n $prefix && -d $prefix ]] || fail "install prefix $prefix missing"
module_file=$stage$prefix/share/p11-kit/modules/mynacard.module
[[ -f $module_file ]] || fail "cmake --install wrote no p11-kit .module file"
installed=$(sed -n 's/^module: //p' "$module_file")
[[ -f $stage$installed ]] || fail "the .module names $installed, which the install did not create"
[[ -x $stage$prefix/bin/mynacard-helper && -x $stage$prefix/bin/mynacard ]] || fail "programs not installed"
[[ -f $stage$prefix/share/applications/mynacard-helper.desktop ]] || fail "no desktop entry"
pass "cmake --install: module, .module file, programs, desktop entry"
configs=$(pkg-config --variable=p11_module_configs p11-kit-1 2>/dev/null || echo /usr/share/p11-kit/modules)
[[ -d $configs ]] || fail "p11-kit directory $configs missing"
mkdir "$work/configs"
cp "$module_file" "$work/configs/"

# in_p11kit_view CMD...: CMD with p11-kit seeing only our registration
# (the overlay first: an overlay of /usr would hide a bind mount below it).
in_p11kit_view() {
  unshare -m --propagation private bash -c \
    'mount -t overlay overlay -o "lowerdir=$3:$4" "$4" && mount --bind "$1" "$2" && shift 4 && exec "$@"' \
    _ "$work/configs" "$configs" "$stage$prefix" "$prefix" "$@"
}

out=$(in_p11kit_view p11-kit list-modules 2>&1)
echo "$out"
expect_contains "$out" "mynacard: $installed" "p11-kit lists the module by its .module file"
expect_contains "$out" "library-manufacturer: mynacard" "p11-kit loaded it"
expect_contains "$out" "token: JPKI (User Authentication PIN)" "p11-kit sees the auth token"
expect_contains "$out" "token: JPKI (Digital Signature PIN)" "p11-kit sees the sign token"

# The installed module finds the installed helper: with a display to show the
# dialog on, both tokens offer the protected authentication path.
out=$(in_p11kit_view env -u MYNACARD_HELPER DISPLAY=:4242 p11-kit list-modules 2>&1)
expect_contains "$out" "protected-authentication-path" "installed module finds the installed mynacard-helper"

# GnuTLS last: without p11tool everything above has still run, but the test
# as a whole has not been done, so it reports skipped (exit 77).
need p11tool
out=$(in_p11kit_view p11tool --list-all-certs "pkcs11:token=JPKI%20(User%20Authentication%20PIN)" 2>&1)
expect_contains "$out" "User Authentication Certificate" "p11tool finds the card through p11-kit"
