#!/usr/bin/env bash
# The built .deb packages, installed and used as a user would, in a
# throw-away root: a private mount namespace (unshare -m) with an overlay
# over / (its upper layer on a tmpfs) as the root of a chroot, with its own
# /proc, /sys, /dev, /run and /tmp. Nothing is downloaded and the machine's
# own system is never written.
#
#   dpkg -i every .deb, then apt-get -f install --no-download;
#   p11-kit list-modules shows mynacard; pcscd (started there, with the
#   installed virtual reader) and a test card: pkcs11-tool through
#   p11-kit-proxy.so sees both tokens; /usr/bin/mynacard status runs;
#   man mynacard (and -L ja) finds the pages; systemd-analyze verify accepts
#   the unit; dpkg --remove leaves only configuration files, dpkg --purge
#   leaves nothing.
#
# Skips (exit 77) when not root, without overlayfs, or without a tool.
# MYNACARD_PACKAGES: the directory of the .deb files (scripts/package).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../integration/need.sh"
src=$(cd "$here/../.." && pwd)
packages=${MYNACARD_PACKAGES:-$src/build/packages}

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

if [[ ${1:-} != --inside ]]; then
  [[ $(id -u) == 0 ]] || { echo "SKIP: needs root (unshare -m, mount, chroot)"; exit 77; }
  grep -qw overlay /proc/filesystems 2>/dev/null || modprobe overlay 2>/dev/null ||
    { echo "SKIP: no overlayfs"; exit 77; }
  grep -qw overlay /proc/filesystems || { echo "SKIP: no overlayfs"; exit 77; }
  need unshare chroot dpkg apt-get
  compgen -G "$packages/*.deb" >/dev/null || fail "no .deb in $packages (run scripts/package)"
  # The namespace's mounts (a tmpfs on the scratch directory, the root with
  # its bind of /dev) end with it; only the empty directory is left to
  # remove — never rm -r, which could reach through a mount.
  scratch=$(mktemp -d /tmp/mynacard-install-XXXXXX)
  rc=0
  unshare -m --propagation private bash "$0" --inside "$scratch" || rc=$?
  rmdir "$scratch"
  exit $rc
fi

# --- inside the private mount namespace -----------------------------------
scratch=$2
mount -t tmpfs -o mode=0755 tmpfs "$scratch" || fail "tmpfs"
mkdir -p "$scratch/upper" "$scratch/work" "$scratch/root"
root=$scratch/root
mount -t overlay overlay -o "lowerdir=/,upperdir=$scratch/upper,workdir=$scratch/work" "$root" ||
  { echo "SKIP: overlayfs over / refused"; exit 77; }
mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys"
mount --rbind /dev "$root/dev"
# A /run of its own: no systemd (maintainer scripts then leave services
# alone) and a pcscd socket directory nobody else uses.
mount -t tmpfs -o mode=0755 tmpfs "$root/run"
mount -t tmpfs -o mode=1777 tmpfs "$root/tmp"
mkdir -p "$root/run/pcscd" "$root/tmp/debs"
cp "$packages"/*.deb "$root/tmp/debs/"
# Debian's convention for chroots: maintainer scripts start no service.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"

in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
  DEBIAN_FRONTEND=noninteractive "$@"; }

# changes: what the root holds now that / does not (the overlay's upper
# layer, which also records deletions as whiteouts), but the places the
# package manager and the system keep their own state (the caches that
# triggers of the icon theme and desktop database rewrite), and root's home (the
# audit log of `mynacard status` is the user's). Directories that /
# has too are only copies made for the files below them.
changes() {
  (cd "$scratch/upper" && find . -mindepth 1 \( -path ./var/lib/dpkg -o -path ./var/log \
    -o -path ./var/cache -o -path ./var/lib/apt -o -path ./etc/ld.so.cache \
    -o -path ./usr/sbin/policy-rc.d -o -path ./var/lib/man-db -o -path ./var/lib/ucf \
    -o -path ./usr/share/icons/hicolor/icon-theme.cache -o -path ./usr/share/applications/mimeinfo.cache \
    -o -path ./tmp -o -path ./run -o -path ./root \) -prune -o -print) | LC_ALL=C sort |
    while read -r path; do
      if [[ -d $scratch/upper/$path && ! -L $scratch/upper/$path && -d /$path ]]; then continue; fi
      if [[ -c $scratch/upper/$path ]]; then echo "deleted: ${path#.}"; else echo "${path#.}"; fi
    done
}

names=$(for f in "$root"/tmp/debs/*.deb; do dpkg-deb -f "$f" Package; done | sort | tr '\n' ' ')
echo "packages: $names"
in_root sh -c 'dpkg -i /tmp/debs/*.deb' >"$scratch/dpkg.log" 2>&1 || {
  cat "$scratch/dpkg.log"
  echo "dpkg -i left dependencies open; apt-get -f install from what is installed"
}
in_root apt-get -f install -y --no-download -o Dpkg::Use-Pty=0 >"$scratch/apt.log" 2>&1 ||
  { cat "$scratch/apt.log"; fail "apt-get -f install --no-download"; }
for p in $names; do
  status=$(in_root dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
  [[ $status == "install ok installed" ]] || fail "$p not installed ($status)"
done
pass "dpkg -i and apt-get -f install --no-download: $names"

multiarch=$(in_root dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || in_root gcc -print-multiarch)
proxy=/usr/lib/$multiarch/p11-kit-proxy.so

# pcscd as the system would run it, reading /etc/reader.conf.d.
need pcscd p11-kit pkcs11-tool
in_root pcscd --foreground >"$scratch/pcscd.log" 2>&1 &
pcscd_pid=$!
trap 'kill $pcscd_pid 2>/dev/null; wait $pcscd_pid 2>/dev/null' EXIT
for _ in $(seq 50); do
  in_root mynacard-sim ping >/dev/null 2>&1 && break
  sleep 0.2
done
in_root mynacard-sim ping >/dev/null 2>&1 || { cat "$scratch/pcscd.log"; fail "pcscd did not load the installed virtual reader"; }
in_root mynacard-sim insert --reader 0 /usr/share/mynacard/sim/profiles/default ||
  fail "mynacard-sim insert of the installed default profile"
pass "pcscd serves the installed virtual readers; test card inserted"

out=$(in_root p11-kit list-modules 2>&1)
grep -q "^mynacard: /usr/lib/$multiarch/pkcs11/mynacard-pkcs11.so" <<<"$out" ||
  { echo "$out"; fail "p11-kit list-modules does not show mynacard"; }
pass "p11-kit list-modules shows mynacard"

# pcscd sees an inserted card at its next poll (every 400 ms): look again
# for a few seconds before concluding.
both_tokens() {
  grep -q "token label *: JPKI (User Authentication PIN)" <<<"$1" &&
    grep -q "token label *: JPKI (Digital Signature PIN)" <<<"$1" &&
    (($(grep -c "token model *: My Number Card" <<<"$1") >= 2))
}
for _ in $(seq 25); do
  out=$(in_root pkcs11-tool --module "$proxy" -L 2>&1)
  both_tokens "$out" && break
  sleep 0.2
done
both_tokens "$out" || { echo "$out"; fail "pkcs11-tool through p11-kit-proxy does not see both tokens"; }
pass "pkcs11-tool --module $proxy -L sees both tokens"

out=$(in_root /usr/bin/mynacard status 2>&1) || { echo "$out"; fail "mynacard status"; }
grep -qi "auth" <<<"$out" || { echo "$out"; fail "mynacard status printed no PIN state"; }
pass "/usr/bin/mynacard status"

need man
in_root man -P cat mynacard 2>/dev/null | grep -q "use a My Number Card" || fail "man mynacard"
page=$(in_root man -w -L ja mynacard 2>/dev/null)
[[ $page == */ja/man1/mynacard.1.gz ]] || fail "man -L ja mynacard finds $page"
for p in mynacard-helper mynacard-qualification-server mynacard-sim; do
  in_root man -w "$p" >/dev/null 2>&1 || fail "no man page for $p"
done
pass "man mynacard, man -L ja mynacard and every program's page"

need systemd-analyze
unit=/lib/systemd/system/mynacard-qualification-server.service
out=$(in_root systemd-analyze verify "$unit" 2>&1) || { echo "$out"; fail "systemd-analyze verify $unit"; }
[[ -z $out ]] || { echo "$out"; fail "systemd-analyze verify has remarks"; }
in_root systemctl is-enabled mynacard-qualification-server.service >/dev/null 2>&1 &&
  fail "the qualification service is enabled by the package"
pass "systemd-analyze verify accepts the unit; not enabled"

# A browser logs in with the card through the installed module and the
# installed PIN dialog (tests/integration/browser_login.sh, run in the
# root): the module's path is the package's; the helper is the one the
# module finds beside it (/usr/bin/mynacard-helper). The test's own tools
# (mynacard-sim's profiles and test PKI, pcsc_probe) come from the build,
# which the overlay shows at the same path. Each browser is a separate
# run; a browser that is not installed is reported skipped.
# The source and build trees may lie below /tmp or /run, which the root
# has fresh: they are shown there read-only at their own paths.
build=${MYNACARD_BUILD_DIR:-}
if [[ -n $build && -x $build/bin/pcsc_probe ]]; then
  for tree in "$src" "$build"; do
    if [[ ! -x $root$build/bin/pcsc_probe || ! -f $root$src/tests/integration/browser_login.sh ]]; then
      mkdir -p "$root$tree" && mount --bind -o ro "$tree" "$root$tree" || fail "cannot show $tree in the root"
    fi
  done
  for browser in firefox chromium; do
    rc=0
    in_root env PYTHONDONTWRITEBYTECODE=1 MYNACARD_BUILD_DIR="$build" OPENSC_PKCS11="/usr/lib/$multiarch/opensc-pkcs11.so" \
      MYNACARD_PKCS11="/usr/lib/$multiarch/pkcs11/mynacard-pkcs11.so" \
      bash "$src/tests/integration/browser_login.sh" "$browser" >"$scratch/browser-$browser.log" 2>&1 || rc=$?
    if ((rc == 77)); then
      echo "skipped: $browser login with the installed packages ($(tail -n 1 "$scratch/browser-$browser.log"))"
    elif ((rc != 0)); then
      cat "$scratch/browser-$browser.log"
      fail "$browser login with the installed packages (exit $rc)"
    else
      pass "$browser logs in to a TLS 1.2 site with the card through the installed packages"
    fi
  done
else
  echo "skipped: browser login (no build tree with pcsc_probe in MYNACARD_BUILD_DIR)"
fi

kill "$pcscd_pid" 2>/dev/null
wait "$pcscd_pid" 2>/dev/null

# Remove: only configuration files stay; purge: nothing stays.
in_root dpkg --remove $names >"$scratch/remove.log" 2>&1 || { cat "$scratch/remove.log"; fail "dpkg --remove"; }
left=$(changes)
others=$(grep -v '^/etc/' <<<"$left" | grep -v '^$' || true)
[[ -z $others ]] || fail "dpkg --remove left files other than configuration: $(echo $others)"
grep -q '^/etc/reader.conf.d/mynacard-virtual$' <<<"$left" ||
  fail "dpkg --remove did not keep the reader.conf.d entry (a conffile)"
pass "dpkg --remove leaves only configuration: $(echo $left)"
in_root dpkg --purge $names >"$scratch/purge.log" 2>&1 || { cat "$scratch/purge.log"; fail "dpkg --purge"; }
left=$(changes)
[[ -z $left ]] || fail "dpkg --purge left or removed: $(echo $left)"
pass "dpkg --purge leaves the root as it was"
