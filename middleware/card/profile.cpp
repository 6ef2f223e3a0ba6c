#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

#include "card/card.h"
#include "card/detail/names.h"
#include "core/error.h"

namespace mynacard::card {

namespace {

// card-facts.md §1.5 (all [C]: OpenSC, jpki/myna, jpki-rs, TRET, myna-card …).
constexpr std::array<std::uint8_t, 10> kJpkiAid{0xD3, 0x92, 0xF0, 0x00, 0x26,
                                                0x01, 0x00, 0x00, 0x00, 0x01};
constexpr std::array<std::uint8_t, 10> kTextAid{0xD3, 0x92, 0x10, 0x00, 0x31,
                                                0x00, 0x01, 0x01, 0x04, 0x08};
constexpr std::array<std::uint8_t, 10> kFaceAid{0xD3, 0x92, 0x10, 0x00, 0x31,
                                                0x00, 0x01, 0x01, 0x04, 0x02};

// card-facts.md §2.3 (auth PIN, sign password) and §3.1 (text AP PIN).
constexpr PinRule kAuthPin{.min_length = 4,
                           .max_length = 4,
                           .digits_only = true,
                           .needs_letter_and_digit = false,
                           .max_tries = 3};
constexpr PinRule kSignPin{.min_length = 6,
                           .max_length = 16,
                           .digits_only = false,
                           .needs_letter_and_digit = true,
                           .max_tries = 5};
constexpr PinRule kTextPin{.min_length = 4,
                           .max_length = 4,
                           .digits_only = true,
                           .needs_letter_and_digit = false,
                           .max_tries = 3};

// card-facts.md §2.6: RSA-2048 keys, PKCS#1 v1.5 input ≤ k − 11 = 245 bytes;
// §1.3: every tool reads with short READ BINARY, at most 256 bytes a command.
constexpr std::size_t kSignatureBytes = 256;
constexpr std::size_t kMaxDigestInfo = 245;
constexpr std::size_t kReadChunk = 256;

CardProfile make_my_number_card() {
    CardProfile p;
    p.jpki_aid.assign(kJpkiAid.begin(), kJpkiAid.end());
    p.text_aid.assign(kTextAid.begin(), kTextAid.end());
    p.face_aid.assign(kFaceAid.begin(), kFaceAid.end());
    p.auth_pin = kAuthPin;
    p.sign_pin = kSignPin;
    p.text_pin = kTextPin;
    p.signature_bytes = kSignatureBytes;
    p.max_digest_info = kMaxDigestInfo;
    p.read_chunk = kReadChunk;
    return p;
}

bool is_digit(std::uint8_t c) noexcept {
    return c >= '0' && c <= '9';
}
bool is_upper(std::uint8_t c) noexcept {
    return c >= 'A' && c <= 'Z';
}

std::string rule_text(const PinRule& rule) {
    std::string out = " must be ";
    if (rule.min_length == rule.max_length)
        out += "exactly " + std::to_string(rule.min_length);
    else
        out += std::to_string(rule.min_length) + " to " + std::to_string(rule.max_length);
    out += rule.digits_only ? " digits" : " characters of A-Z and 0-9";
    if (rule.needs_letter_and_digit) out += ", with at least one letter and one digit";
    return out;
}

}  // namespace

std::string_view to_string(Pin pin) noexcept {
    switch (pin) {
        case Pin::auth:
            return "auth";
        case Pin::sign:
            return "sign";
        case Pin::text:
            return "text";
    }
    return "unknown";
}

std::string_view to_string(Certificate cert) noexcept {
    switch (cert) {
        case Certificate::auth:
            return "auth";
        case Certificate::sign:
            return "sign";
        case Certificate::auth_ca:
            return "auth-ca";
        case Certificate::sign_ca:
            return "sign-ca";
    }
    return "unknown";
}

const CardProfile& CardProfile::my_number_card() {
    // Never destroyed (decision 7: no global object with a non-trivial
    // destructor runs when the PKCS#11 module is unloaded); built once,
    // thread-safely, on first use.
    union Holder {
        CardProfile value;
        Holder() : value(make_my_number_card()) {}
        ~Holder() {}
    };
    static const Holder holder;
    return holder.value;
}

const PinRule& CardProfile::rule(Pin pin) const noexcept {
    switch (pin) {
        case Pin::auth:
            return auth_pin;
        case Pin::sign:
            return sign_pin;
        case Pin::text:
            return text_pin;
    }
    return auth_pin;
}

void check_pin_format(const CardProfile& profile, Pin pin, ByteView value) {
    const PinRule& rule = profile.rule(pin);
    bool ok = value.size() >= rule.min_length && value.size() <= rule.max_length;
    bool letter = false;
    bool digit = false;
    for (const std::uint8_t c : value) {
        if (is_digit(c))
            digit = true;
        else if (!rule.digits_only && is_upper(c))
            letter = true;
        else
            ok = false;
    }
    if (rule.needs_letter_and_digit && !(letter && digit)) ok = false;
    // The message names the rule, never the value (decision 5).
    if (!ok)
        throw Error(Errc::pin_format,
                    "the " + std::string(detail::pin_name(pin)) + rule_text(rule));
}

SecureBytes normalise_pin(Pin pin, std::string_view typed) {
    SecureBytes out(typed.begin(), typed.end());
    // card-facts.md §2.3: the card compares bytes; jpki/myna upper-cases the
    // sign password before VERIFY, and users type it in either case.
    if (pin == Pin::sign) {
        for (auto& c : out) {
            if (c >= 'a' && c <= 'z') c = static_cast<std::uint8_t>(c - 'a' + 'A');
        }
    }
    return out;
}

}  // namespace mynacard::card
