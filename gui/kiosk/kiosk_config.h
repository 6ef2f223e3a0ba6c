#pragma once

#include <QString>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

// The kiosk's configuration file (docs/kiosk.md documents every key). The
// file is written by the municipality's IT staff, so every field is checked
// on load and an error names the field: a kiosk must not start half
// configured in front of citizens.
namespace mynacard::gui {

struct KioskOutput {
    enum class Kind { stdout_line, unix_socket };
    KioskOutput() = default;
    KioskOutput(Kind k, std::string path, std::optional<unsigned> uid = std::nullopt)
        : kind(k), socket_path(std::move(path)), peer_uid(uid) {}

    Kind kind = Kind::stdout_line;
    std::string socket_path;  // for unix_socket: absolute path the kiosk application listens on
    // The uid the listening application must run as (SO_PEERCRED); nothing:
    // the kiosk's own effective uid. Config key "socket_peer_uid".
    std::optional<unsigned> peer_uid;
};

struct KioskConfig {
    QString reader;           // part of the PC/SC reader name; empty: any reader
    QString language = "ja";  // "ja" or "en": what a citizen sees first
    bool randomise_keypad = false;
    int pin_timeout_seconds = 0;  // 0: no time limit on PIN entry (accessibility, §B.3)
    int idle_timeout_seconds = 120;
    int card_left_alert_seconds = 15;
    KioskOutput output;
    std::string operator_pin_hash;  // "pbkdf2-sha256$iter$salt$hash"; empty: no staff mode
    double text_size = 1.0;         // factor on the (already large) base font
};

// Throws Error(Errc::invalid_argument) naming the offending field; unknown
// keys are refused too (a typo must not silently fall back to a default).
[[nodiscard]] KioskConfig parse_kiosk_config(std::string_view json_text);
// Reads and parses a file; Error(Errc::io) when it cannot be read.
[[nodiscard]] KioskConfig load_kiosk_config(const std::filesystem::path& path);

// The operator PIN is stored only as a salted PBKDF2-SHA256 hash, so a copied
// config file does not give staff mode away.
inline constexpr int operator_pin_min_length = 6;
inline constexpr int operator_pin_max_length = 16;
inline constexpr int operator_pin_default_iterations = 600000;  // OWASP 2023 for SHA-256
inline constexpr int operator_pin_min_iterations = 100000;

// Throws Error(Errc::pin_format) unless `pin` is 6–16 digits.
void check_operator_pin_format(std::string_view pin);
// "pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>" with a random 16-byte salt.
[[nodiscard]] std::string hash_operator_pin(std::string_view pin,
                                            int iterations = operator_pin_default_iterations);
// Constant-time comparison; false for a malformed stored hash.
[[nodiscard]] bool verify_operator_pin(const std::string& stored_hash, std::string_view pin);

}  // namespace mynacard::gui
