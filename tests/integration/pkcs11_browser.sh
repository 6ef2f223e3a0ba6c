#!/usr/bin/env bash
# A real browser, set up as a new user would, lists both certificates of the
# card through mynacard-pkcs11.so: Firefox ESR (headless) with a fresh
# profile, the module registered as docs/pkcs11.md says, once by an
# enterprise policy (policies.json "SecurityDevices") and once with
# modutil -add. pkcs11_browser.py then uses Firefox's own windows through
# Marionette (built into Firefox; Python standard library only):
#   - Certificate Manager → "Your Certificates": Firefox asks for both
#     tokens' passwords; cancelled, it lists the authentication certificate
#     only (readable without PIN);
#   - Security Devices → "JPKI (Digital Signature PIN)" → Log In, the
#     password typed into Firefox's prompt;
#   - Certificate Manager again: both certificates, each on its token.
# The listed certificates are compared with the card's by SHA-256.
# MYNACARD_BROWSER_SCREENSHOT=FILE.png saves the last Certificate Manager
# window (docs/screenshots/browser-certificates.png). Needs root: the policy
# is put in place in a mount namespace of Firefox's own.
source "$(dirname "$0")/lib.sh"
: "${MYNACARD_PKCS11:?run through ctest}"
need firefox-esr python3 modutil certutil
reset_readers

auth_token="JPKI (User Authentication PIN)"
sign_token="JPKI (Digital Signature PIN)"

# A user of its own: Firefox writes caches and state below $HOME.
export HOME=$work/home XDG_CONFIG_HOME=$work/home/.config XDG_CACHE_HOME=$work/home/.cache
mkdir -p "$HOME"
firefox_pid=
screenshot=
stop_firefox() {
  [[ -n $firefox_pid ]] || return 0
  kill -TERM -- "-$firefox_pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$firefox_pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$firefox_pid" 2>/dev/null || true
  wait "$firefox_pid" 2>/dev/null || true
  firefox_pid=
}
trap 'stop_firefox; remove_work' EXIT

# new_profile DIR: an empty Firefox profile; Marionette on a free port
# (Firefox writes it to MarionetteActivePort), no default-browser question.
new_profile() {
  mkdir "$1"
  printf '%s\n' 'user_pref("marionette.port", 0);' \
    'user_pref("browser.shell.checkDefaultBrowser", false);' >"$1/user.js"
}

# browse PROFILE [DISTRIBUTION_DIR]: Firefox on PROFILE (reading
# policies.json from DISTRIBUTION_DIR), driven by pkcs11_browser.py; its
# report in $report, its last window in $screenshot if set. Firefox runs in a process group of its own, so that its
# content processes end with it.
browse() {
  local profile=$1 distribution=${2:-} cmd
  cmd=(firefox-esr --headless --no-remote --profile "$profile"
       --marionette -remote-allow-system-access about:blank)
  if [[ -n $distribution ]]; then
    # The distribution directory belongs to the installation: it is replaced
    # only in a mount namespace of Firefox's own.
    setsid unshare -m --propagation private bash -c \
      'mount --bind "$0" /usr/lib/firefox-esr/distribution && exec "$@"' "$distribution" "${cmd[@]}" \
      </dev/null >"$work/firefox.log" 2>&1 &
  else
    setsid "${cmd[@]}" </dev/null >"$work/firefox.log" 2>&1 &
  fi
  firefox_pid=$!
  if ! python3 "$(dirname "$0")/pkcs11_browser.py" --profile "$profile" --sign-pin ABC123 \
       ${screenshot:+--screenshot "$screenshot"} >"$work/report.json"; then
    echo "--- firefox log" >&2
    tail -n 30 "$work/firefox.log" >&2
    fail "driving Firefox failed"
  fi
  stop_firefox
  report=$(<"$work/report.json")
  echo "$report"
}

# SHA-256 fingerprints as Firefox prints them (AB:CD:…).
fingerprint() { openssl x509 -inform DER -in "$1" -noout -fingerprint -sha256 | sed 's/^.*=//'; }
auth_fp=$(fingerprint "$(profile_file default auth_cert)")
sign_fp=$(fingerprint "$(profile_file default sign_cert)")
sign_cn=$(openssl x509 -inform DER -in "$(profile_file default sign_cert)" -noout -subject -nameopt multiline \
  | sed -n 's/^ *commonName *= //p')
# "Your Certificates" rows of step $1 as "token fingerprint", sorted.
rows() { jq -r --arg k "$1" '.[$k][] | "\(.[1]) \(.[2])"' <<<"$report" | sort; }

# check_report MODULE_NAME HOW: what Firefox showed.
check_report() {
  local name=$1 how=$2 prompts
  expect_eq "$(jq -r --arg lib "$MYNACARD_PKCS11" '.modules[] | select(.library == $lib) | .name' <<<"$report")" \
    "$name" "$how: Firefox loaded the module"
  expect_eq "$(jq -c --arg lib "$MYNACARD_PKCS11" '.modules[] | select(.library == $lib) | .tokens' <<<"$report")" \
    "[\"$auth_token\",\"$sign_token\"]" "$how: Firefox sees both tokens"

  # Opening the Certificate Manager asks for both tokens' passwords.
  prompts=$(jq -r '.prompts_before[] | select(.password) | .text' <<<"$report")
  expect_contains "$prompts" "($auth_token)" "$how: the Certificate Manager asks for the auth PIN"
  expect_contains "$prompts" "($sign_token)" "$how: the Certificate Manager asks for the signature password"
  expect_eq "$(rows before)" "$auth_token $auth_fp" \
    "$how: without passwords Firefox lists the card's authentication certificate only"

  # Security Devices → Log In, the password typed into Firefox's prompt.
  expect_eq "$(jq -r '.login' <<<"$report")" "true" "$how: Log In to the signature token succeeds"
  expect_eq "$(jq -r '[.prompts_login[] | select(.answered)] | length' <<<"$report")" "1" \
    "$how: one password prompt answered"
  expect_contains "$(jq -r '.prompts_login[0].text' <<<"$report")" "($sign_token)" \
    "$how: the prompt names the signature token"

  expect_eq "$(rows after)" "$(printf '%s\n' "$auth_token $auth_fp" "$sign_token $sign_fp" | sort)" \
    "$how: after the login Firefox lists both of the card's certificates"
  expect_eq "$(jq -r --arg t "$sign_token" '.after[] | select(.[1] == $t) | .[0]' <<<"$report")" \
    "$sign_cn" "$how: the signature certificate is listed by its common name"

  expect_eq "$(sim status --reader 0 --json | jq -r .reader.tries_left.auth)" "3" "$how: no auth try lost"
  expect_eq "$(sim status --reader 0 --json | jq -r .reader.tries_left.sign)" "5" "$how: no sign try lost"
}

# 1. An administrator's enterprise policy (policies.json, SecurityDevices);
#    the profile is brand new: Firefox creates its NSS database itself.
mkdir "$work/distribution"
jq -n --arg lib "$MYNACARD_PKCS11" '{policies: {SecurityDevices: {mynacard: $lib}}}' \
  >"$work/distribution/policies.json"
new_profile "$work/policy-profile"
browse "$work/policy-profile" "$work/distribution"
check_report mynacard "policies.json"

# 2. A user's modutil -add into the profile's NSS database (Firefox closed),
#    as docs/pkcs11.md says. The screenshot is taken here.
new_profile "$work/profile"
certutil -N -d "sql:$work/profile" --empty-password
modutil -dbdir "sql:$work/profile" -add "My Number Card" -libfile "$MYNACARD_PKCS11" -force </dev/null >/dev/null \
  || fail "modutil -add into the Firefox profile failed"
screenshot=${MYNACARD_BROWSER_SCREENSHOT:-}
browse "$work/profile"
check_report "My Number Card" "modutil"
