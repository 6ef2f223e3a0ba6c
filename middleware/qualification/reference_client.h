#pragma once

// The client of the reference qualification service (architecture decision
// 10, backend (b): a service that plays the national side for demos,
// training and tests; server in server/, protocol in docs/qualification.md).
// HTTPS only, TLS 1.2 or newer, the server authenticated by its certificate.

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "qualification/reference_protocol.h"
#include "qualification/xml_msg.h"

namespace mynacard::qualification {

struct CardCheck {
    std::string institution_code;  // 10 digits, 医療機関コード
    std::vector<ConsentItem> consents;
};

// The card signs a SHA-256 DigestInfo (auth key, after the 4-digit PIN).
using CardSigner = std::function<Bytes(ByteView digest_info)>;

class ReferenceClient {
  public:
    // `base_url` is "https://host:port" (an IPv6 address in brackets);
    // `server_ca_pem` the certificate the service's TLS certificate must
    // chain to (its own self-signed server.pem). Nothing is contacted yet.
    // Throws Error(invalid_argument) for another scheme or a malformed URL.
    ReferenceClient(std::string base_url, std::filesystem::path server_ca_pem,
                    std::chrono::seconds timeout = std::chrono::seconds(10));

    // POST /v1/challenge, builds the challenge (nonce, institution code,
    // time, consents), has `sign` sign its DigestInfo, POST /v1/check with
    // the certificate and the signature. Returns the answer, the same XmlMsg
    // the terminal would drop in `face`; an answer carrying an ErrorCode (a
    // refusal) is returned, not thrown. Throws Error(invalid_argument) for a
    // malformed request, Error(not_found) when `server_ca_pem` is missing,
    // Error(service_stopped) when the service cannot be
    // reached or its TLS certificate is not the expected one,
    // Error(timeout) when it does not answer in time, Error(malformed_data)
    // when the answer is not the protocol's; errors of `sign` pass through.
    [[nodiscard]] XmlMsg check(const CardCheck& request, ByteView auth_certificate_der,
                               const CardSigner& sign);
    // The same, with the answer's bytes as the service sent them.
    [[nodiscard]] Received check_received(const CardCheck& request, ByteView auth_certificate_der,
                                          const CardSigner& sign);

  private:
    std::string host_;
    int port_ = 0;
    std::string base_url_;
    std::filesystem::path server_ca_pem_;
    std::chrono::seconds timeout_;
};

}  // namespace mynacard::qualification
