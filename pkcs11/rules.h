#pragma once

#include <string>

#include "card/card.h"
#include "core/bytes.h"
#include "pkcs11/objects.h"

// Small rules the module's parts share: which card PIN, key and certificate
// a token stands for, and the PIN format check before any APDU.
namespace mynacard::pkcs11 {

[[nodiscard]] const card::CardProfile& profile();

[[nodiscard]] constexpr card::Pin pin_of(Token t) noexcept {
    return t == Token::auth ? card::Pin::auth : card::Pin::sign;
}
[[nodiscard]] constexpr card::Key key_of(Token t) noexcept {
    return t == Token::auth ? card::Key::auth : card::Key::sign;
}
[[nodiscard]] constexpr card::Certificate certificate_of(Token t) noexcept {
    return t == Token::auth ? card::Certificate::auth : card::Certificate::sign;
}

// A PIN as the card compares it, its format checked without touching the
// card (decision 5): the length first (CKR_PIN_LEN_RANGE), then the
// characters (Errc::pin_format → CKR_PIN_INVALID); the signature password
// upper-cased.
[[nodiscard]] SecureBytes checked_pin(card::Pin which, ByteView typed);

// The calling program as a person knows it (its executable): the module
// runs inside it.
[[nodiscard]] std::string calling_program();

}  // namespace mynacard::pkcs11
