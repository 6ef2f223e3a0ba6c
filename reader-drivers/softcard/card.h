#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/bytes.h"
#include "softcard/profile.h"

namespace mynacard::softcard {

class CardState;  // applications, files, counters, security state (card.cpp)

// A software My Number Card (shared card-facts.md §10 checklist). Not
// thread-safe: the owner serialises calls. The object *is* the card: PIN
// counters live as long as it does, across removal and reset.
class Card {
  public:
    explicit Card(Profile profile);
    ~Card();
    Card(Card&&) noexcept;
    Card& operator=(Card&&) noexcept;

    [[nodiscard]] const Profile& profile() const noexcept;
    // The ATR for the profile's interface (contact or contactless).
    [[nodiscard]] Bytes atr() const;
    // Power-on or warm reset: no AP selected, every security state cleared.
    void reset();
    // Processes one raw command APDU and returns response data + SW1 SW2.
    // Never throws for anything the terminal sends: malformed APDUs get the
    // ISO status word a card would give (6700, 6E00, 6D00 ...).
    [[nodiscard]] Bytes process(ByteView command);

    // Current tries left of a secret (for mynacard-sim status, not the card
    // protocol). Keys: "auth", "sign", "text", "text_a", "text_b",
    // "face_a", "face_b", "face_birth".
    [[nodiscard]] int tries_left(const std::string& secret) const;
    // True while a successful VERIFY of the secret holds (same keys; false
    // for unknown ones): what a front end must never leave behind.
    [[nodiscard]] bool verified(const std::string& secret) const;

  private:
    std::unique_ptr<CardState> state_;
};

// True when the command carries secret data (VERIFY or CHANGE REFERENCE DATA
// with a body, CHANGE KEY 80 32): traces must redact its data field.
[[nodiscard]] bool command_carries_secret(ByteView command) noexcept;

}  // namespace mynacard::softcard
