// C_SetPIN (PKCS#11 3.0 §5.6): a token's PIN changed through
// MyNumberCard::change_pin, typed by the application or on the protected
// authentication path; the last try only with a person's confirmation.
#include <chrono>

#include "core/error.h"
#include "pkcs11/errors.h"
#include "pkcs11/module.h"
#include "pkcs11/rules.h"

namespace mynacard::pkcs11 {

void Module::set_pin(CK_SESSION_HANDLE h, std::optional<ByteView> old_pin,
                     std::optional<ByteView> new_pin) {
    const Session& s = session(h);
    // §5.6 C_SetPIN: only in a read/write session.
    if ((s.flags & CKF_RW_SESSION) == 0) throw Rv(CKR_SESSION_READ_ONLY);
    const Token t = token_of(s.slot);
    const std::uint64_t card_id = reader_of(s.slot).card->id;
    const auto ti = static_cast<std::size_t>(t);
    const card::Pin which = pin_of(t);
    // §5.6: on a protected authentication path both PINs may be NULL and are
    // then entered there: the PIN dialog asks the current PIN, then the new
    // one twice (docs/pin-helper.md, --entry). Both or neither.
    if (old_pin.has_value() != new_pin.has_value() || (!old_pin && !pin_helper_))
        throw Rv(CKR_ARGUMENTS_BAD);
    SecureBytes current, next;
    int shown = -1;
    if (old_pin) {
        // Both formats before any APDU (decision 5).
        current = checked_pin(which, *old_pin);
        next = checked_pin(which, *new_pin);
    } else {
        using pinhelper::Entry;
        const auto purpose = pinhelper::Purpose::change_pin;
        current = checked_pin(which, ask_pin(h, t, purpose, Entry::current, &shown));
        next = checked_pin(which, ask_pin(h, t, purpose, Entry::new_pin));
        const SecureBytes again = checked_pin(which, ask_pin(h, t, purpose, Entry::repeat_new));
        // Two different new PINs: a typing mistake; nothing reaches the card.
        if (again != next) throw Rv(CKR_PIN_INVALID);
    }
    // The last try: confirmed in the dialog that showed it, or by a person
    // asked now for a PIN the application supplied (decision 5).
    bool confirmed = shown == 1;
    for (int round = 0;; ++round) {
        CardState& c = still_open(h, card_id);
        Reader& r = reader_of(session(h).slot);
        try {
            with_card(r, [&](card::MyNumberCard& card) {
                card.change_pin(which, current, next,
                                card::PinOptions{.confirm_last_try = confirmed});
            });
            break;
        } catch (const Error& e) {
            if (e.code() == Errc::confirmation_required && round == 0 && old_pin && r.card &&
                r.card->id == card_id &&
                person_confirms_last_try(h, t, pinhelper::Purpose::change_pin)) {
                confirmed = true;
                continue;
            }
            note_pin_failure(reader_of(session(h).slot), t, card_id, e,
                             audit::Operation::pin_change, nullptr);
            throw;
        }
        (void)c;
    }
    CardState& c = still_open(h, card_id);
    Reader& r = reader_of(session(h).slot);
    c.tries.at(ti) = profile().rule(which).max_tries;
    c.tries_read.at(ti) = std::chrono::steady_clock::now();
    // A login session goes on with the new PIN (the old one no longer works).
    if (t == Token::auth && c.logged_in.at(ti) && !c.auth_on_pad) {
        secure_zero(c.auth_pin.data(), c.auth_pin.size());
        c.auth_pin = next;
    }
    record(r.name, audit::Operation::pin_change, audit::Result::ok, t, nullptr);
}

}  // namespace mynacard::pkcs11
