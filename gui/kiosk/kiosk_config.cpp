#include "gui/kiosk/kiosk_config.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <nlohmann/json.hpp>

#include <charconv>
#include <cstdint>
#include <fstream>
#include <limits>
#include <optional>
#include <set>
#include <sstream>
#include <vector>

#include "core/bytes.h"
#include "core/error.h"

namespace mynacard::gui {

namespace {

constexpr std::string_view hash_scheme = "pbkdf2-sha256";
constexpr std::size_t salt_bytes = 16;
constexpr std::size_t hash_bytes = 32;
// sockaddr_un::sun_path is 108 bytes including the terminating NUL.
constexpr std::size_t max_socket_path = 107;

[[noreturn]] void bad(const std::string& field, const std::string& why) {
    throw Error(Errc::invalid_argument, "kiosk config: '" + field + "' " + why);
}

int int_field(const nlohmann::json& j, const std::string& field, int min, int max) {
    const auto& v = j.at(field);
    if (!v.is_number_integer())
        bad(field, "must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
    const auto n = v.get<long long>();
    if (n < min || n > max)
        bad(field, "must be from " + std::to_string(min) + " to " + std::to_string(max) + " (got " +
                       std::to_string(n) + ")");
    return static_cast<int>(n);
}

std::string string_field(const nlohmann::json& j, const std::string& field) {
    const auto& v = j.at(field);
    if (!v.is_string()) bad(field, "must be a string");
    return v.get<std::string>();
}

struct ParsedHash {
    int iterations = 0;
    Bytes salt;
    Bytes hash;
};

// Splits "pbkdf2-sha256$iter$salt$hash"; nothing when malformed.
std::optional<ParsedHash> parse_hash(std::string_view text) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        if (i == text.size() || text[i] == '$') {
            parts.push_back(text.substr(start, i - start));
            start = i + 1;
        }
    }
    if (parts.size() != 4 || parts[0] != hash_scheme) return std::nullopt;
    ParsedHash out;
    const auto* end = parts[1].data() + parts[1].size();
    const auto [ptr, ec] = std::from_chars(parts[1].data(), end, out.iterations);
    if (ec != std::errc() || ptr != end || out.iterations < operator_pin_min_iterations)
        return std::nullopt;
    try {
        out.salt = from_hex(parts[2]);
        out.hash = from_hex(parts[3]);
    } catch (const Error&) {
        return std::nullopt;
    }
    if (out.salt.size() < salt_bytes || out.hash.size() != hash_bytes) return std::nullopt;
    return out;
}

Bytes derive(std::string_view pin, ByteView salt, int iterations) {
    Bytes out(hash_bytes);
    if (PKCS5_PBKDF2_HMAC(pin.data(), static_cast<int>(pin.size()), salt.data(),
                          static_cast<int>(salt.size()), iterations, EVP_sha256(),
                          static_cast<int>(out.size()), out.data()) != 1)
        throw Error(Errc::internal, "PBKDF2 failed");
    return out;
}

}  // namespace

KioskConfig parse_kiosk_config(std::string_view json_text) {
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(json_text);
    } catch (const nlohmann::json::exception& e) {
        // parse_error, and out_of_range for a number too large for a
        // double (e.g. 1e99999): both are a file that is not usable JSON.
        throw Error(Errc::invalid_argument,
                    std::string("kiosk config: not valid JSON: ") + e.what());
    }
    if (!j.is_object()) throw Error(Errc::invalid_argument, "kiosk config: must be a JSON object");

    static const std::set<std::string> known = {"reader",
                                                "language",
                                                "randomise_keypad",
                                                "pin_timeout_seconds",
                                                "idle_timeout_seconds",
                                                "card_left_alert_seconds",
                                                "output",
                                                "socket_peer_uid",
                                                "operator_pin_hash",
                                                "text_size"};
    for (const auto& [key, value] : j.items())
        if (!known.contains(key)) bad(key, "is not a known key (see docs/kiosk.md)");

    KioskConfig c;
    if (j.contains("reader")) c.reader = QString::fromStdString(string_field(j, "reader"));
    if (j.contains("language")) {
        const auto lang = string_field(j, "language");
        if (lang != "ja" && lang != "en") bad("language", "must be \"ja\" or \"en\"");
        c.language = QString::fromStdString(lang);
    }
    if (j.contains("randomise_keypad")) {
        if (!j["randomise_keypad"].is_boolean()) bad("randomise_keypad", "must be true or false");
        c.randomise_keypad = j["randomise_keypad"].get<bool>();
    }
    if (j.contains("pin_timeout_seconds"))
        c.pin_timeout_seconds = int_field(j, "pin_timeout_seconds", 0, 3600);
    if (j.contains("idle_timeout_seconds"))
        c.idle_timeout_seconds = int_field(j, "idle_timeout_seconds", 1, 3600);
    if (j.contains("card_left_alert_seconds"))
        c.card_left_alert_seconds = int_field(j, "card_left_alert_seconds", 1, 600);
    if (j.contains("output")) {
        const auto out = string_field(j, "output");
        constexpr std::string_view prefix = "socket:";
        if (out == "stdout") {
            c.output = KioskOutput{};
        } else if (out.starts_with(prefix)) {
            auto path = out.substr(prefix.size());
            if (path.empty() || path.front() != '/')
                bad("output", "needs an absolute socket path after \"socket:\"");
            if (path.size() > max_socket_path)
                bad("output",
                    "socket path is longer than " + std::to_string(max_socket_path) + " bytes");
            c.output = KioskOutput{KioskOutput::Kind::unix_socket, std::move(path)};
        } else {
            bad("output", "must be \"stdout\" or \"socket:/path\"");
        }
    }
    if (j.contains("socket_peer_uid")) {
        if (c.output.kind != KioskOutput::Kind::unix_socket)
            bad("socket_peer_uid", "needs \"output\": \"socket:/path\"");
        const auto& v = j["socket_peer_uid"];
        // 2^32 - 1 is (uid_t)-1, "no uid" in the kernel's interfaces.
        if (!v.is_number_unsigned() || v.get<std::uint64_t>() >= 0xFFFFFFFFu)
            bad("socket_peer_uid", "must be a uid from 0 to 4294967294");
        c.output.peer_uid = static_cast<unsigned>(v.get<std::uint64_t>());
    }
    if (j.contains("operator_pin_hash")) {
        c.operator_pin_hash = string_field(j, "operator_pin_hash");
        if (!c.operator_pin_hash.empty() && !parse_hash(c.operator_pin_hash))
            bad("operator_pin_hash",
                "must be \"pbkdf2-sha256$<iterations ≥ 100000>$<salt hex>$<hash hex>\" as "
                "printed by mynacard-helper --kiosk --hash-operator-pin");
    }
    if (j.contains("text_size")) {
        const auto& v = j["text_size"];
        if (!v.is_number()) bad("text_size", "must be a number from 1.0 to 3.0");
        const double f = v.get<double>();
        if (!(f >= 1.0 && f <= 3.0)) bad("text_size", "must be from 1.0 to 3.0");
        c.text_size = f;
    }
    return c;
}

KioskConfig load_kiosk_config(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(Errc::io, "kiosk config: cannot read " + path.string());
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw Error(Errc::io, "kiosk config: cannot read " + path.string());
    return parse_kiosk_config(text.str());
}

void check_operator_pin_format(std::string_view pin) {
    bool ok = pin.size() >= static_cast<std::size_t>(operator_pin_min_length) &&
              pin.size() <= static_cast<std::size_t>(operator_pin_max_length);
    for (const char c : pin)
        if (c < '0' || c > '9') ok = false;
    if (!ok) throw Error(Errc::pin_format, "the operator PIN must be 6 to 16 digits");
}

std::string hash_operator_pin(std::string_view pin, int iterations) {
    check_operator_pin_format(pin);
    if (iterations < operator_pin_min_iterations)
        throw Error(Errc::invalid_argument, "too few PBKDF2 iterations");
    Bytes salt(salt_bytes);
    if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1)
        throw Error(Errc::internal, "no random bytes for the salt");
    Bytes hash = derive(pin, salt, iterations);
    std::string out = std::string(hash_scheme) + "$" + std::to_string(iterations) + "$" +
                      to_hex(salt, false) + "$" + to_hex(hash, false);
    secure_zero(hash.data(), hash.size());
    return out;
}

bool verify_operator_pin(const std::string& stored_hash, std::string_view pin) {
    const auto parsed = parse_hash(stored_hash);
    if (!parsed || pin.empty()) return false;
    Bytes got = derive(pin, parsed->salt, parsed->iterations);
    const bool same = CRYPTO_memcmp(got.data(), parsed->hash.data(), got.size()) == 0;
    secure_zero(got.data(), got.size());
    return same;
}

}  // namespace mynacard::gui
