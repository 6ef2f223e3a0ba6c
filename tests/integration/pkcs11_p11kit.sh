#!/usr/bin/env bash
# packaging/p11-kit/mynacard.module registers mynacard-pkcs11.so with p11-kit.
# The file is used unchanged, as the package installs it: in a private mount
# namespace (unshare -m) the p11-kit module config directory holds only it,
# and the p11-kit module directory holds the built library, so its relative
# `module:` name resolves as on an installed system. `p11-kit list-modules`
# must load it and show both tokens; GnuTLS's p11tool, which loads modules
# through p11-kit, must find the card. (As root p11-kit ignores the user's
# ~/.config/pkcs11, hence the mounts.)
source "$(dirname "$0")/lib.sh"
: "${MYNACARD_PKCS11:?run through ctest}"
[[ $(id -u) == 0 ]] || fail "this test needs root (unshare -m)"
command -v p11-kit >/dev/null || fail "p11-kit not installed (apt-get install p11-kit)"
reset_readers
module_file=$(cd "$(dirname "$0")/../../packaging/p11-kit" && pwd)/mynacard.module
configs=$(pkg-config --variable=p11_module_configs p11-kit-1 2>/dev/null || echo /usr/share/p11-kit/modules)
modules=$(pkg-config --variable=p11_module_path p11-kit-1 2>/dev/null || echo "/usr/lib/$(gcc -print-multiarch)/pkcs11")
[[ -d $configs && -d $modules ]] || fail "p11-kit directories $configs, $modules missing"
mkdir "$work/configs" "$work/modules"
cp "$module_file" "$work/configs/"
ln -s "$MYNACARD_PKCS11" "$work/modules/mynacard-pkcs11.so"

# in_p11kit_view CMD...: CMD with p11-kit seeing only our registration.
in_p11kit_view() {
  unshare -m --propagation private bash -c \
    'mount --bind "$1" "$2" && mount --bind "$3" "$4" && shift 4 && exec "$@"' \
    _ "$work/configs" "$configs" "$work/modules" "$modules" "$@"
}

out=$(in_p11kit_view p11-kit list-modules 2>&1)
echo "$out"
expect_contains "$out" "mynacard: mynacard-pkcs11.so" "p11-kit lists the module by its .module file"
expect_contains "$out" "library-manufacturer: mynacard" "p11-kit loaded it"
expect_contains "$out" "token: JPKI (User Authentication PIN)" "p11-kit sees the auth token"
expect_contains "$out" "token: JPKI (Digital Signature PIN)" "p11-kit sees the sign token"

if command -v p11tool >/dev/null; then
  out=$(in_p11kit_view p11tool --list-all-certs "pkcs11:token=JPKI%20(User%20Authentication%20PIN)" 2>&1)
  expect_contains "$out" "User Authentication Certificate" "p11tool finds the card through p11-kit"
fi
