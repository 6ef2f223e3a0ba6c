#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "pkcs11/objects.h"
#include "pkcs11/p11.h"
#include "x509/x509.h"

namespace mynacard::pkcs11 {

// What the module keeps of one inserted card. Dropped as soon as the card
// leaves its reader (or a new card arrives): its cached certificates, login
// state and the authentication PIN go with it, and so do its sessions. The
// connection and the card's identity (decision 8) are the card session's
// (middleware/session), forgotten at the same moments.
struct CardState {
    std::uint64_t id = 0;            // sessions remember it: a new card ≠ old sessions
    std::uint32_t event_count = 0;   // the card service's insertion/removal counter
    std::optional<bool> recognised;  // JPKI AP present (decided by the auth certificate read)
    std::array<std::optional<x509::Certificate>, 4> certificates;  // by card::Certificate
    std::array<std::optional<int>, 2> tries;  // by Token; read lazily, updated after VERIFYs
    // When each counter was read: C_GetTokenInfo reads it again once it is
    // older than tries_max_age, so the PIN flags follow tries spent elsewhere.
    std::array<std::chrono::steady_clock::time_point, 2> tries_read{};
    std::array<bool, 2> logged_in{};  // by Token (software state, decision 5)
    // Whether the card has the signature password (EF 001B). A minor's card
    // has none (card-facts.md §2.3: SELECT EF 001B answers 6A82): its
    // signature slot then has no token. Unknown until the slot is first used
    // (finding out takes an APDU, and C_GetSlotList sends none).
    std::optional<bool> has_sign_token;
    SecureBytes auth_pin;  // the authentication token's login only (docs/pkcs11.md)
    // The reader's PIN pad (PC/SC part 10, quirk table applied): asked once
    // per card with a control call, never an APDU.
    std::optional<bool> pin_pad;
    // The authentication token was logged in on the PIN pad: the module
    // holds no PIN, so every signature asks the pad again.
    bool auth_on_pad = false;
};

struct Reader {
    std::string name;
    bool present = false;
    bool listed = true;  // still in the card service's reader list
    std::uint32_t event_count = 0;
    std::unique_ptr<CardState> card;
    std::array<bool, 2> event{};  // a slot event not yet reported (C_WaitForSlotEvent)
};

struct SignOperation {
    const MechanismSpec* mechanism = nullptr;
    Obj key = Obj::auth_priv;
    Bytes data;  // single-part input or the multi-part data so far
    bool multipart = false;
    std::optional<SecureBytes> context_pin;  // CKU_CONTEXT_SPECIFIC, for exactly one signature
};

// A PKCS#11 session (not to be confused with the card session the module
// reaches cards through).
struct Session {
    CK_SLOT_ID slot = 0;
    CK_FLAGS flags = 0;
    std::uint64_t card_id = 0;
    std::optional<std::vector<CK_OBJECT_HANDLE>> found;  // C_FindObjects* results
    std::size_t found_pos = 0;
    std::optional<SignOperation> sign;
};

}  // namespace mynacard::pkcs11
