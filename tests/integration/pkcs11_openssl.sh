#!/usr/bin/env bash
# mynacard-pkcs11.so with OpenSSL through libp11's engine
# (libengine-pkcs11-openssl): a signature made with a pkcs11: URI verifies
# with the authentication certificate; a TLS 1.2 handshake on loopback with
# client authentication (openssl s_server -Verify trusting the test CA)
# completes with the card's key; a TLS 1.3 one fails cleanly, because TLS
# 1.3 wants RSA-PSS and the card signs PKCS#1 v1.5 only (decision 12).
source "$(dirname "$0")/lib.sh"
: "${MYNACARD_PKCS11:?run through ctest}"
reset_readers

engines=$(openssl version -e | sed -E 's/^ENGINESDIR: "(.*)"$/\1/')
need_file "$engines/pkcs11.so" "libp11's OpenSSL engine (libengine-pkcs11-openssl)"
cat >"$work/openssl.cnf" <<CNF
openssl_conf = openssl_init
[openssl_init]
engines = engine_section
[engine_section]
pkcs11 = pkcs11_section
[pkcs11_section]
engine_id = pkcs11
dynamic_path = $engines/pkcs11.so
MODULE_PATH = $MYNACARD_PKCS11
init = 0
CNF
export OPENSSL_CONF=$work/openssl.cnf
key="pkcs11:token=JPKI%20(User%20Authentication%20PIN);object=User%20Authentication%20Key;type=private;pin-value=1234"
der_to_pem "$(profile_file default auth_cert)" "$work/auth.pem"
openssl x509 -in "$work/auth.pem" -pubkey -noout >"$work/auth.pub"
auth_tries() { sim status --reader 0 --json | jq -r .reader.tries_left.auth; }

# 1. openssl dgst -sign with the card's key.
echo "a document for openssl" >"$work/data"
openssl dgst -sha256 -engine pkcs11 -keyform engine -sign "$key" -out "$work/sig" "$work/data" 2>"$work/err" \
  || fail "openssl dgst -engine pkcs11 -sign failed: $(<"$work/err")"
openssl dgst -sha256 -verify "$work/auth.pub" -signature "$work/sig" "$work/data" >/dev/null \
  || fail "the engine's signature does not verify with the auth certificate"
pass "openssl dgst -engine pkcs11 signs with a pkcs11: URI"
# By id, as docs/pkcs11.md shows it.
openssl dgst -sha512 -engine pkcs11 -keyform engine -out "$work/sig" \
  -sign "pkcs11:token=JPKI%20(User%20Authentication%20PIN);id=%01;type=private;pin-value=1234" "$work/data" 2>"$work/err" \
  || fail "signing by id failed: $(<"$work/err")"
openssl dgst -sha512 -verify "$work/auth.pub" -signature "$work/sig" "$work/data" >/dev/null \
  || fail "the signature by id does not verify"
pass "openssl dgst -engine pkcs11 signs with id=%01"

# 2. TLS on loopback: a throwaway server certificate, the server trusting
# only the test JPKI authentication CA for client certificates.
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/server.key" -out "$work/server.pem" \
  -subj "/CN=localhost" -days 1 2>/dev/null
# start_server VERSION_FLAG: an s_server for one connection on a free
# port; sets $port and $server_pid, its output in $work/server.out.
start_server() {
  local i
  for ((i = 0; i < 20; i++)); do
    port=$((20000 + RANDOM % 40000))
    ss -ltn | grep -q ":$port " && continue
    OPENSSL_CONF=/dev/null openssl s_server -accept "127.0.0.1:$port" -naccept 1 -www "$1" \
      -Verify 1 -CAfile "$pki/auth_root.pem" -cert "$work/server.pem" -key "$work/server.key" \
      >"$work/server.out" 2>&1 </dev/null &
    server_pid=$!
    for ((j = 0; j < 50; j++)); do
      grep -q ACCEPT "$work/server.out" 2>/dev/null && return 0
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  done
  fail "openssl s_server did not start: $(cat "$work/server.out")"
}
stop_server() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
}
trap 'stop_server; remove_work' EXIT
client() {  # VERSION_FLAG [OPTIONS]: s_client with the card's key, sends one request
  printf 'GET / HTTP/1.0\r\n\r\n' | timeout 30 openssl s_client -connect "127.0.0.1:$port" "$@" \
    -engine pkcs11 -keyform engine -key "$key" -cert "$work/auth.pem" \
    -CAfile "$work/server.pem" -ign_eof 2>&1
}

# OpenSSL prefers RSA-PSS in TLS 1.2 as well when the server offers it; a
# client with a PKCS#1-only key says so (ClientSignatureAlgorithms,
# docs/pkcs11.md). Browsers pick by the module's mechanisms themselves.
start_server -tls1_2
rc=0
out=$(client -tls1_2 -client_sigalgs "RSA+SHA256:RSA+SHA384:RSA+SHA512") || rc=$?
wait "$server_pid" 2>/dev/null || true
echo "$out" | grep -E "^(New,|    Protocol|Verification)" || true
[[ $rc == 0 ]] || fail "TLS 1.2 client: exit $rc: $out"
expect_contains "$out" "HTTP/1.0 200 ok" "TLS 1.2: the server answered"
expect_contains "$out" "Protocol  : TLSv1.2" "TLS 1.2 negotiated"
expect_contains "$out" "Verification: OK" "TLS 1.2: the client verified the server"
# The server's status page (s_server -www): what it saw of the client.
page=$(sed -n '/^HTTP\/1.0 200 ok/,$p' <<<"$out")
expect_contains "$page" "Client certificate" "TLS 1.2: the server got a client certificate"
cn=$(openssl x509 -in "$work/auth.pem" -noout -subject -nameopt multiline | sed -n 's/^ *commonName *= //p')
expect_contains "$page" "Subject: C=JP, CN=$cn" "TLS 1.2: the client certificate is the card's"
grep -qx "Peer signature type: RSA" <<<"$page" || fail "TLS 1.2: the client did not sign with RSA PKCS#1 v1.5: $page"
pass "TLS 1.2: the client's CertificateVerify is RSA PKCS#1 v1.5 (the card's)"
expect_contains "$(cat "$work/server.out")" "verify return:1" "TLS 1.2: the server verified the client's chain"
expect_eq "$(auth_tries)" "3" "TLS 1.2: no PIN try lost"

# 3. TLS 1.3 needs RSA-PSS for the CertificateVerify (RFC 8446 §4.2.3): the
# card cannot, the module offers no CKM_RSA_PKCS_PSS, so the handshake must
# fail — cleanly: an error exit, no crash, no hang, no PIN try lost.
start_server -tls1_3
rc=0
out=$(client -tls1_3) || rc=$?
stop_server
echo "$out" | grep -iE "error|alert|Protocol" | head -5 || true
[[ $rc != 0 ]] || fail "TLS 1.3 client authentication succeeded, which the card cannot do: $out"
((rc < 124)) || fail "TLS 1.3 client: exit $rc (timeout or signal): $out"
expect_not_contains "$out" "HTTP/1.0 200 ok" "TLS 1.3: no response without client authentication"
expect_not_contains "$out" "Segmentation" "TLS 1.3: no crash"
expect_contains "$out" "Mechanism invalid" "TLS 1.3: the module refused RSA-PSS (CKR_MECHANISM_INVALID)"
expect_eq "$(auth_tries)" "3" "TLS 1.3: no PIN try lost"
pass "TLS 1.3 client authentication fails cleanly (exit $rc)"
