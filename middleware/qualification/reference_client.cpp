// ReferenceClient: two HTTPS round trips with cpp-httplib (reference_client.h).
#include "qualification/reference_client.h"

#include <httplib.h>
#include <openssl/ssl.h>

#include <charconv>
#include <nlohmann/json.hpp>

#include "core/error.h"

namespace mynacard::qualification {

namespace {

using Clock = std::chrono::steady_clock;

// The answer is one XmlMsg (a few KiB) or a short JSON object.
constexpr std::size_t kMaxAnswer = kMaxFileSize;

struct Endpoint {
    std::string host;
    int port = 0;
};

Endpoint parse_url(const std::string& url) {
    constexpr std::string_view kScheme = "https://";
    std::string_view rest(url);
    if (rest.substr(0, kScheme.size()) != kScheme)
        throw Error(Errc::invalid_argument,
                    "reference service URL must start with https:// (got '" +
                        std::string(rest.substr(0, 64)) + "')");
    rest.remove_prefix(kScheme.size());
    while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
    Endpoint e;
    std::string_view port_text;
    if (!rest.empty() && rest.front() == '[') {
        const auto close = rest.find(']');
        if (close == std::string_view::npos)
            throw Error(Errc::invalid_argument, "reference service URL: unclosed '['");
        e.host = std::string(rest.substr(1, close - 1));
        rest.remove_prefix(close + 1);
        if (!rest.empty() && rest.front() == ':')
            port_text = rest.substr(1);
        else if (!rest.empty())
            throw Error(Errc::invalid_argument, "reference service URL: bad port");
    } else {
        const auto colon = rest.find(':');
        e.host = std::string(rest.substr(0, colon));
        if (colon != std::string_view::npos) port_text = rest.substr(colon + 1);
    }
    if (e.host.empty() || e.host.find('/') != std::string::npos)
        throw Error(Errc::invalid_argument, "reference service URL: no host (paths are not used)");
    e.port = 443;
    if (!port_text.empty()) {
        const auto [end, ec] =
            std::from_chars(port_text.data(), port_text.data() + port_text.size(), e.port);
        if (ec != std::errc() || end != port_text.data() + port_text.size() || e.port < 1 ||
            e.port > 65535)
            throw Error(Errc::invalid_argument, "reference service URL: bad port");
    }
    return e;
}

bool is_xml(const httplib::Response& res) {
    return res.get_header_value("Content-Type").find("xml") != std::string::npos;
}

}  // namespace

ReferenceClient::ReferenceClient(std::string base_url, std::filesystem::path server_ca_pem,
                                 std::chrono::seconds timeout)
    : base_url_(std::move(base_url)), server_ca_pem_(std::move(server_ca_pem)), timeout_(timeout) {
    const Endpoint e = parse_url(base_url_);
    host_ = e.host;
    port_ = e.port;
    if (timeout_.count() <= 0) throw Error(Errc::invalid_argument, "time-out must be positive");
}

XmlMsg ReferenceClient::check(const CardCheck& request, ByteView auth_certificate_der,
                              const CardSigner& sign) {
    Received received = check_received(request, auth_certificate_der, sign);
    wipe(received.bytes);  // personal data: not left in freed memory
    return std::move(received.message);
}

Received ReferenceClient::check_received(const CardCheck& request, ByteView auth_certificate_der,
                                         const CardSigner& sign) {
    if (!protocol::is_institution_code(request.institution_code))
        throw Error(Errc::invalid_argument, "institution code must be 10 digits");
    if (auth_certificate_der.empty() || auth_certificate_der.size() > 16 * 1024)
        throw Error(Errc::invalid_argument, "auth certificate missing or too large");
    if (!std::filesystem::exists(server_ca_pem_))
        throw Error(Errc::not_found,
                    "server certificate " + server_ca_pem_.string() + " not found");

    httplib::SSLClient client(host_, port_);
    client.set_ca_cert_path(server_ca_pem_.string().c_str());
    client.enable_server_certificate_verification(true);
    SSL_CTX_set_min_proto_version(client.ssl_context(), TLS1_2_VERSION);
    client.set_connection_timeout(timeout_);
    client.set_read_timeout(timeout_);
    client.set_write_timeout(timeout_);
    client.set_keep_alive(true);   // both round trips on one TLS session
    client.set_tcp_nodelay(true);  // small requests: no Nagle delay

    const auto deadline = Clock::now() + timeout_;
    const auto post = [&](std::string_view path, const std::string& body) {
        auto result = client.Post(std::string(path), body, "application/json");
        if (!result) {
            const auto err = result.error();
            // httplib reports a silent peer as whatever step it was in (the
            // TLS handshake, a read): the clock tells a time-out apart.
            if (err == httplib::Error::ConnectionTimeout ||
                Clock::now() + std::chrono::milliseconds(100) >= deadline)
                throw Error(Errc::timeout, "reference service " + base_url_ +
                                               " did not answer within " +
                                               std::to_string(timeout_.count()) + " s");
            if (err == httplib::Error::SSLServerVerification)
                throw Error(Errc::service_stopped, "reference service " + base_url_ +
                                                       ": its TLS certificate is not the one in " +
                                                       server_ca_pem_.string());
            throw Error(Errc::service_stopped, "reference service " + base_url_ +
                                                   " not reachable: " + httplib::to_string(err));
        }
        if (result->body.size() > kMaxAnswer)
            throw Error(Errc::malformed_data, "reference service answer too large");
        return std::move(result.value());
    };

    // 1. The nonce.
    const nlohmann::json ask = {{"institution_code", request.institution_code}};
    const httplib::Response challenge = post(protocol::kChallengePath, ask.dump());
    if (challenge.status != 200) {
        if (is_xml(challenge)) {
            Bytes body(challenge.body.begin(), challenge.body.end());
            XmlMsg refusal = parse(body);  // a refusal (rate limit, institution) as an XmlMsg
            return {std::move(refusal), std::move(body)};
        }
        throw Error(challenge.status == 429 || challenge.status == 503 ? Errc::service_stopped
                                                                       : Errc::malformed_data,
                    "reference service refused the challenge (HTTP " +
                        std::to_string(challenge.status) + ")");
    }
    std::string nonce;
    try {
        const auto json = nlohmann::json::parse(challenge.body);
        nonce = json.at("nonce").get<std::string>();
    } catch (const nlohmann::json::exception&) {
        throw Error(Errc::malformed_data, "reference service challenge is not the protocol's JSON");
    }
    if (!protocol::is_nonce(nonce))
        throw Error(Errc::malformed_data, "reference service nonce is not 64 hex digits");

    // 2. The card signs the challenge.
    protocol::Challenge signed_part{nonce, request.institution_code,
                                    protocol::format_time(std::chrono::system_clock::now()),
                                    canonical_consents(request.consents)};
    const Bytes signature = sign(protocol::challenge_digest_info(signed_part));

    // 3. The check.
    nlohmann::json consents = nlohmann::json::array();
    for (const ConsentItem item : signed_part.consents) consents.push_back(to_string(item));
    const nlohmann::json check = {
        {"nonce", signed_part.nonce},
        {"institution_code", signed_part.institution_code},
        {"time", signed_part.time},
        {"consents", consents},
        {"certificate", to_hex(auth_certificate_der, false)},
        {"signature", to_hex(signature, false)},
    };
    const httplib::Response answer = post(protocol::kCheckPath, check.dump());
    if (!is_xml(answer))
        throw Error(Errc::malformed_data, "reference service answered HTTP " +
                                              std::to_string(answer.status) + " without an XmlMsg");
    Bytes body(answer.body.begin(), answer.body.end());
    XmlMsg reply = parse(body);  // Error(malformed_data) naming the element when it is not one
    return {std::move(reply), std::move(body)};
}

}  // namespace mynacard::qualification
