#pragma once

#include "card/card.h"
#include "core/bytes.h"

namespace mynacard::cli {

class CardUse;
class PinPrompt;

// One certificate from the card, recorded in the audit log with the hash of
// its serial; the signature certificate with its password (asked here).
[[nodiscard]] Bytes read_certificate(CardUse& card, PinPrompt& pins, card::Certificate kind);

// The signature certificate with a password already asked (`pin`), recorded
// like read_certificate().
struct AskedPin;
[[nodiscard]] Bytes read_sign_certificate(CardUse& card, const AskedPin& pin);

}  // namespace mynacard::cli
