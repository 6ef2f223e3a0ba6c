#!/usr/bin/env bash
# A browser logs in to a web site with the card: TLS client authentication
# with the card's authentication key, the PIN typed into the module's PIN
# dialog (mynacard-helper, the protected authentication path).
#   browser_login.sh firefox|chromium
# The site is openssl s_server -www on loopback, requiring a client
# certificate from the test JPKI authentication CA (-Verify 1); its server
# certificate comes from a CA made here, trusted in the browser's NSS
# database. The browser is set up as docs/guide/desktop.en.md says: a fresh
# profile, the module added with modutil; Firefox's certificate chooser
# answered in 1 (through Marionette, as a user would), later the client
# certificate chosen automatically (security.default_personal_cert);
# Chromium's by the AutoSelectCertificateForUrls policy, put in place in a
# mount namespace of Chromium's own. A private X server (Xvfb) shows the module's PIN dialog,
# where xdotool types the PIN; Firefox runs headless, Chromium on that X
# server, as it asks to "unlock" the token in a box of its own first (its
# headless mode has no such box and waits forever). Chromium's database
# marks the module FRIENDLY (certificates readable without login), so that
# Chromium does not ask for the signature token when it lists certificates;
# Firefox's does not in 1 and 2, and the signature password it asks for is
# cancelled, and does in 3.
#  1. TLS 1.2: the page is s_server's status page naming the card's
#     certificate, and the server's log names its subject; no try lost.
#  2. TLS 1.3: the card signs PKCS#1 v1.5 only, TLS 1.3 needs RSA-PSS: the
#     login fails with the error docs/guide/troubleshooting.en.md names,
#     within the time bound, no try lost; what the browser showed is printed.
#  3. TLS 1.2 again, the browser loading p11-kit's proxy instead of the
#     module (skipped, after 1 and 2, without p11-kit-modules).
# MYNACARD_PKCS11 names the module (ctest: the build tree's; an install test:
# the installed one). MYNACARD_HELPER, when set, names the PIN dialog;
# otherwise the module finds the one installed next to it (for the build
# tree's module: the build tree's helper).
# MYNACARD_BROWSER_SCREENSHOT_DIR=DIR saves browser-firefox-chooser.png
# (Firefox's certificate chooser), browser-<browser>-pin.png (the PIN
# dialog), browser-chromium-unlock.png (Chromium's own box),
# browser-<browser>-logged-in.png and browser-<browser>-tls13.png there
# (docs/screenshots/).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/xvfb.sh"
: "${MYNACARD_PKCS11:?run through ctest}"
browser=${1:?usage: browser_login.sh firefox|chromium}
case $browser in
  firefox) need firefox-esr ;;
  chromium) need chromium ;;
  *) fail "unknown browser $browser" ;;
esac
need python3 modutil certutil openssl Xvfb xdotool ss
if [[ -z ${MYNACARD_HELPER:-} && $MYNACARD_PKCS11 == "$MYNACARD_BUILD_DIR"/* ]]; then
  export MYNACARD_HELPER=$MYNACARD_BUILD_DIR/bin/mynacard-helper
fi
shots=${MYNACARD_BROWSER_SCREENSHOT_DIR:-}
[[ -z $shots ]] || need xwd
export LC_ALL=C.UTF-8 # the English dialog and error pages
unset WAYLAND_DISPLAY QT_QPA_PLATFORM MYNACARD_CONSENT
auth_pin=1234
# How long one page load may take, PIN dialog included (seconds).
load_timeout=40

# A user of its own: the browser writes its NSS database, caches and state
# below $HOME (Chromium: $HOME/.pki/nssdb).
export HOME=$work/home XDG_CONFIG_HOME=$work/home/.config XDG_CACHE_HOME=$work/home/.cache
export MYNACARD_AUDIT_LOG=$work/audit.jsonl MYNACARD_CONSENT_FILE=$work/consent.json
mkdir -p "$HOME"

browser_pid='' server_pid='' xvfb_pid=''
stop() {  # PID-VARIABLE: ends that process group (browsers) or process
  local pid=${!1}
  [[ -n $pid ]] || return 0
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  printf -v "$1" ''
}
trap 'stop browser_pid; stop server_pid; stop xvfb_pid; remove_work' EXIT

# The dialogs need a display: the module's, and Chromium with its own box.
start_xvfb 1024x768x24

# The site's certificates: a CA of the test's own and a server certificate
# for localhost from it.
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/ca.key" -out "$work/ca.pem" -days 1 \
  -subj "/CN=mynacard test site CA" -addext basicConstraints=critical,CA:TRUE \
  -addext keyUsage=critical,keyCertSign 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout "$work/server.key" -out "$work/server.csr" \
  -subj "/CN=localhost" 2>/dev/null
printf '%s\n' "subjectAltName=DNS:localhost" "extendedKeyUsage=serverAuth" >"$work/server.ext"
openssl x509 -req -in "$work/server.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial \
  -days 1 -extfile "$work/server.ext" -out "$work/server.pem" 2>/dev/null

cp "$pki/auth_root.pem" "$work/jpki-auth-ca.pem"

# start_server VERSION_FLAG: the site on a free loopback port ($port); its
# log (the client certificate's chain as verified) in $work/server.out.
start_server() {
  local i j
  for ((i = 0; i < 20; i++)); do
    port=$((20000 + RANDOM % 40000))
    ss -ltn | grep -q ":$port " && continue
    : >"$work/server.out"
    # In $work, with file names only: the status page shows the command line.
    (cd "$work" && OPENSSL_CONF=/dev/null exec setsid openssl s_server -accept "127.0.0.1:$port" -www "$1" \
      -Verify 1 -CAfile jpki-auth-ca.pem -cert server.pem -key server.key \
      >"$work/server.out" 2>&1 </dev/null) &
    server_pid=$!
    for ((j = 0; j < 50; j++)); do
      grep -q ACCEPT "$work/server.out" 2>/dev/null && return 0
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
    stop server_pid
  done
  fail "openssl s_server did not start: $(<"$work/server.out")"
}

# new_nssdb DIR [MECHANISMS]: an NSS database with the module (as a user
# adds it; $via=p11-kit: p11-kit's proxy instead) and the site's CA trusted
# for servers.
via=module firefox_mechanisms=
# Firefox's security.default_personal_cert: in 1 the chooser a user sees
# by default is answered, later the certificate is picked automatically.
firefox_choice="Ask Every Time"
new_nssdb() {
  local name="My Number Card" lib=$MYNACARD_PKCS11
  [[ $via == module ]] || name=p11-kit lib=$p11kit_proxy
  mkdir -p "$1"
  certutil -N -d "sql:$1" --empty-password
  modutil -dbdir "sql:$1" -add "$name" -libfile "$lib" ${2:+-mechanisms "$2"} -force </dev/null >/dev/null \
    || fail "modutil -add failed"
  certutil -A -d "sql:$1" -n "mynacard test site CA" -t "C,," -i "$work/ca.pem"
}

# in_view CMD...: CMD as the browser runs, in a mount namespace of its own:
# with $via=p11-kit, p11-kit's module configuration directory holds only a
# registration of $MYNACARD_PKCS11 (the installed mynacard.module, or for
# the build tree's module one like it), so that OpenSC's module, which also
# reads the card, stays out.
in_view() {
  if [[ $via == module ]]; then
    exec "$@"
  fi
  mkdir -p "$work/p11-kit"
  printf 'module: %s\ncritical: no\n' "$MYNACARD_PKCS11" >"$work/p11-kit/mynacard.module"
  exec unshare -m --propagation private bash -c 'mount --bind "$0" "$1" && shift 2 && exec "$@"' \
    "$work/p11-kit" "$p11kit_configs" "$@"
}

# start_browser: a fresh profile in $profile, the browser in a process
# group of its own ($browser_pid), so its helper processes end with it.
n=0
start_browser() {
  n=$((n + 1))
  profile=$work/profile-$n
  case $browser in
    firefox)
      new_nssdb "$profile" "$firefox_mechanisms"
      printf '%s\n' 'user_pref("marionette.port", 0);' \
        'user_pref("browser.shell.checkDefaultBrowser", false);' \
        "user_pref(\"security.default_personal_cert\", \"$firefox_choice\");" >"$profile/user.js"
      # System access: the certificate chooser is part of Firefox's window.
      (in_view setsid firefox-esr --headless --no-remote --profile "$profile" --marionette \
        -remote-allow-system-access about:blank \
        </dev/null >"$work/browser.log" 2>&1) &
      ;;
    chromium)
      rm -rf "$HOME/.pki"
      new_nssdb "$HOME/.pki/nssdb" FRIENDLY
      # /etc/chromium belongs to the installation: the policy replaces it
      # only in Chromium's own mount namespace.
      rm -rf "$work/etc-chromium"
      mkdir -p "$work/etc-chromium/policies/managed"
      jq -n --arg p "https://localhost:$port" \
        '{AutoSelectCertificateForUrls: [({pattern: $p, filter: {}} | tojson)]}' \
        >"$work/etc-chromium/policies/managed/mynacard-test.json"
      (in_view setsid unshare -m --propagation private bash -c \
        'mount --bind "$0" /etc/chromium && exec "$@"' "$work/etc-chromium" \
        chromium --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
        --disable-component-update --disable-sync --remote-debugging-port=0 \
        --user-data-dir="$profile" about:blank </dev/null >"$work/browser.log" 2>&1) &
      ;;
  esac
  browser_pid=$!
}

# The windows that ask the card holder something: the module's PIN and
# consent dialogs, and Chromium's own "Unlock Security Device".
asking='^(My Number Card PIN|Share your personal data.*|Unlock Security Device)$'

# answer_dialogs [SHOT]: until the driver ($driver) ends, answers the
# dialogs as the card holder would: the authentication PIN is typed into
# the module's dialog, any other question of the module (the signature
# password, a disclosure consent) is cancelled. Which PIN the module's
# dialog asks for is read from the helper's command line (--pin auth|sign):
# the titles are the same. Chromium first asks to "unlock" the token in a
# box of its own: Unlock with something typed there (on the protected path NSS
# sends no PIN: the module's dialog asks). Each dialog answered is
# recorded in $work/dialogs; SHOT (…-pin.png), if given, gets a screenshot
# of the module's PIN dialog with the PIN typed (shown as dots), and
# …-unlock.png one of Chromium's box over its window.
answer_dialogs() {
  local wid pid cmd which shot=${1:-} deadline=$((SECONDS + load_timeout + 15))
  while kill -0 "$driver" 2>/dev/null; do
    ((SECONDS < deadline)) || fail "the browser did not finish loading the page in time"
    wid=$(xdotool search --onlyvisible --name "$asking" 2>/dev/null | head -1) || true
    if [[ -z $wid ]]; then
      sleep 0.2
      continue
    fi
    if [[ $(xdotool getwindowname "$wid" 2>/dev/null) == "Unlock Security Device" ]]; then
      which='browser-unlock'
    else
      pid=$(xdotool getwindowpid "$wid" 2>/dev/null) || true
      cmd=$(tr '\0' ' ' <"/proc/${pid:-0}/cmdline" 2>/dev/null) || true
      which=$(sed -nE 's/.* pin .*--pin (auth|sign).*/\1/p; s/.* consent .*/consent/p' <<<"$cmd" | head -1)
    fi
    echo "${which:-unknown}" >>"$work/dialogs"
    xdotool mousemove --window "$wid" 30 30
    xdotool windowfocus "$wid" 2>/dev/null || true
    sleep 0.5 # the window maps, then takes focus
    case $which in
      auth)
        xdotool type --delay 60 "$auth_pin"
        if [[ -n $shot ]]; then
          xwd -silent -id "$wid" -out "$work/dialog.xwd" &&
            python3 "$(dirname "$0")/browser_login.py" xwd-to-png "$work/dialog.xwd" "$shot" ||
            fail "no screenshot of the PIN dialog"
          shot=
        fi
        xdotool key Return
        ;;
      browser-unlock)
        # Not the PIN: on the protected path NSS does not pass on what is
        # typed here (an empty box counts as Cancel), the module's dialog asks.
        xdotool type --delay 60 "x"
        if [[ -n $shot ]]; then  # the whole screen: the box over the browser
          xwd -silent -root -out "$work/screen.xwd" &&
            python3 "$(dirname "$0")/browser_login.py" xwd-to-png "$work/screen.xwd" "${shot%-pin.png}-unlock.png" ||
            fail "no screenshot of Chromium's unlock box"
        fi
        xdotool key Return
        ;;
      *) xdotool key Escape ;;
    esac
    for _ in $(seq 50); do
      xdotool search --onlyvisible --name "$asking" 2>/dev/null | grep -qx "$wid" || break
      sleep 0.2
    done
  done
}

# login VERSION_FLAG NAME: the site with that TLS version, the browser
# opening it; the driver's report in $report.
login() {
  local version=$1 name=$2 rc=0 shot_dir=$shots
  [[ $via == module ]] || shot_dir=  # the screenshots show the documented set-up
  : >"$work/dialogs"
  start_server "$version"
  start_browser
  local extra=()
  if [[ $browser == firefox && $firefox_choice == "Ask Every Time" ]]; then
    extra+=(--choose-certificate ${shot_dir:+--chooser-screenshot "$shot_dir/browser-firefox-chooser.png"})
  fi
  python3 "$(dirname "$0")/browser_login.py" "$browser" --profile "$profile" \
    --url "https://localhost:$port/" --timeout "$load_timeout" "${extra[@]}" \
    ${shot_dir:+--screenshot "$shot_dir/browser-$browser-$name.png"} >"$work/report.json" 2>"$work/driver.err" &
  driver=$!
  answer_dialogs "${shot_dir:+$shot_dir/browser-$browser-pin.png}"
  wait "$driver" || rc=$?
  stop browser_pid
  stop server_pid
  if ((rc != 0)); then
    echo "--- browser log" >&2
    grep -v 'dbus' "$work/browser.log" | tail -n 30 >&2
    echo "--- dialogs answered: $(tr '\n' ' ' <"$work/dialogs")" >&2
    echo "--- server log" >&2
    tail -n 20 "$work/server.out" >&2
    fail "$browser ($name): driving the browser failed: $(<"$work/driver.err")"
  fi
  report=$(<"$work/report.json")
  echo "$report"
}

# What each browser shows when the site wants TLS 1.3 (the card cannot sign
# RSA-PSS): docs/guide/troubleshooting.en.md names these.
declare -A tls13_error=(
  [firefox]=SSL_ERROR_RX_CERTIFICATE_REQUIRED_ALERT
  [chromium]=net::ERR_SSL_CLIENT_AUTH_NO_COMMON_ALGORITHMS
)

# p11-kit's proxy module and where p11-kit reads module registrations.
p11kit_proxy=/usr/lib/x86_64-linux-gnu/p11-kit-proxy.so
p11kit_configs=$(pkg-config --variable=p11_module_configs p11-kit-1 2>/dev/null || echo /usr/share/p11-kit/modules)

tries() { sim status --reader 0 --json | jq -r ".reader.tries_left.$1"; }
auth_cert=$(profile_file default auth_cert)
subject=$(openssl x509 -inform DER -in "$auth_cert" -noout -subject | sed 's/^subject=//')
reset_readers

# logged_in WHAT: the checks of a TLS 1.2 login ($report, the server's log,
# the dialogs, the tries, the audit log).
logins_before=0
logged_in() {
  local what="$browser, $1" logins
  if [[ $(jq -r .error <<<"$report") != null ]]; then
    echo "--- dialogs answered: $(tr '\n' ' ' <"$work/dialogs")" >&2
    echo "--- server log" >&2
    tail -n 20 "$work/server.out" >&2
    fail "$what: the page did not load: $(jq -r .error <<<"$report")"
  fi
  pass "$what: the page loaded"
  page=$(jq -r .text <<<"$report")
  expect_contains "$page" "Client certificate" "$what: the site got a client certificate"
  expect_contains "$page" "Protocol  : TLSv1.2" "$what: the page shows the TLS 1.2 session"
  expect_contains "$page" "$(sed -n 2p "$work/auth.pem")" "$what: the page shows the card's certificate"
  expect_contains "$(<"$work/server.out")" "depth=0 $subject" "$what: the server's log names the card's subject"
  expect_contains "$(<"$work/dialogs")" "auth" "$what: the PIN was typed into the module's dialog"
  echo "dialogs answered: $(tr '\n' ' ' <"$work/dialogs")"
  expect_eq "$(tries auth)" "3" "$what: no auth try lost"
  expect_eq "$(tries sign)" "5" "$what: no signature try lost"
  logins=$(jq -c 'select(.operation == "login" and .key == "auth")' "$MYNACARD_AUDIT_LOG" 2>/dev/null | wc -l)
  ((logins > logins_before)) || fail "$what: the login is not in the audit log"
  logins_before=$logins
  pass "$what: the login is in the audit log"
  expect_contains "$(jq -r 'select(.operation == "login" and .key == "auth") | .program' "$MYNACARD_AUDIT_LOG" | tail -1)" \
    "/$browser" "$what: the audit log names the browser"
}
openssl x509 -inform DER -in "$auth_cert" -out "$work/auth.pem"

# 1. TLS 1.2: logged in.
login -tls1_2 logged-in
logged_in "TLS 1.2"

if [[ $browser == firefox ]]; then
  expect_eq "$(jq -r '.chooser.certificates | length' <<<"$report")" "1" \
    "$browser, TLS 1.2: the certificate chooser offered one certificate"
  expect_contains "$(jq -r .chooser.selected <<<"$report")" "$(sed -n 's/^.*CN = //p' <<<"$subject")" \
    "$browser, TLS 1.2: the chooser offered the card's authentication certificate"
fi
firefox_choice="Select Automatically"

# 2. TLS 1.3: the card cannot sign RSA-PSS; the login fails, in bounded time.
login -tls1_3 tls13
page=$(jq -r .text <<<"$report")
expect_not_contains "$page" "Client certificate" "$browser, TLS 1.3: no login"
expect_eq "$(jq -r '.error_code // .error' <<<"$report")" "${tls13_error[$browser]}" \
  "$browser, TLS 1.3: the browser shows the documented error"
(($(jq -r '.seconds | floor' <<<"$report") < load_timeout)) || fail "$browser, TLS 1.3: the failure took too long"
pass "$browser, TLS 1.3: the failure came within the time bound ($(jq -r .seconds <<<"$report") s)"
echo "$browser, TLS 1.3: the browser showed: $(jq -r '.document' <<<"$report") / $(jq -r '.error' <<<"$report")"
echo "$browser, TLS 1.3: dialogs answered: $(tr '\n' ' ' <"$work/dialogs")"
echo "$browser, TLS 1.3: the server said:"
grep -v '^ACCEPT' "$work/server.out" | head -n 20
expect_eq "$(tries auth)" "3" "$browser, TLS 1.3: no auth try lost"
expect_eq "$(tries sign)" "5" "$browser, TLS 1.3: no signature try lost"

# 3. The same through p11-kit (docs/guide/desktop.en.md, "With p11-kit
#    instead"): the browser loads p11-kit's proxy, which loads the module by
#    its p11-kit registration. Last: p11-kit-modules is optional.
need_file "$p11kit_proxy" "p11-kit's proxy module (p11-kit-modules)"
[[ -d $p11kit_configs ]] || fail "p11-kit's module configuration directory $p11kit_configs is missing"
# Firefox's database marks it FRIENDLY this time, as the guide suggests:
# then Firefox asks no token but the authentication token.
via=p11-kit firefox_mechanisms=FRIENDLY
login -tls1_2 p11-kit
logged_in "TLS 1.2 through p11-kit"
expect_eq "$(sort -u "$work/dialogs" | tr '\n' ' ')" \
  "$([[ $browser == chromium ]] && echo "auth browser-unlock " || echo "auth ")" \
  "$browser, TLS 1.2 through p11-kit, FRIENDLY: only the authentication token asked"
