// C_Login and C_Logout (PKCS#11 3.0 §5.6) under decision 5: the PIN's
// format before any APDU, the last try only with a person's confirmation,
// the PIN pad of a PIN-pad reader (decision 9), the holder's consent before
// the signature certificate is released (decision 11).
#include <chrono>
#include <utility>

#include "core/error.h"
#include "pkcs11/errors.h"
#include "pkcs11/module.h"
#include "pkcs11/rules.h"

namespace mynacard::pkcs11 {

void Module::login(CK_SESSION_HANDLE h, CK_USER_TYPE user, ByteView pin, bool pin_given) {
    Session& s = session(h);
    const Token t = token_of(s.slot);
    Reader& r = reader_of(s.slot);
    CardState& c = *r.card;
    const auto ti = static_cast<std::size_t>(t);
    if (user == CKU_SO) throw Rv(CKR_USER_TYPE_INVALID);  // the card has no SO PIN
    if (user != CKU_USER && user != CKU_CONTEXT_SPECIFIC) throw Rv(CKR_USER_TYPE_INVALID);
    if (user == CKU_USER && c.logged_in.at(ti)) throw Rv(CKR_USER_ALREADY_LOGGED_IN);
    if (user == CKU_CONTEXT_SPECIFIC) {
        if (!s.sign) throw Rv(CKR_OPERATION_NOT_INITIALIZED);
        if (!c.logged_in.at(ti)) throw Rv(CKR_USER_NOT_LOGGED_IN);
    }
    if (!pin_given && user == CKU_USER && t == Token::auth && reader_pin_pad(r)) {
        login_on_pad(h, r);
        return;
    }
    // A NULL PIN asks the PIN helper, when the token advertises it.
    if (!pin_given && !pin_helper_) throw Rv(CKR_ARGUMENTS_BAD);
    verify_login(h, user, pin, pin_given);
}

void Module::verify_login(CK_SESSION_HANDLE h, CK_USER_TYPE user, ByteView pin, bool pin_given) {
    const Token t = token_of(session(h).slot);
    const card::Pin which = pin_of(t);
    const auto purpose =
        user == CKU_CONTEXT_SPECIFIC ? pinhelper::Purpose::sign : pinhelper::Purpose::login;
    const std::uint64_t card_id = reader_of(session(h).slot).card->id;
    // Format first, without touching the card (decision 5); the helper's
    // answer goes through exactly the same checks as a typed PIN.
    SecureBytes value = pin_given ? checked_pin(which, pin) : SecureBytes{};
    bool person_confirmed = false;
    // Rounds: the dialog is asked again when the tries dropped to one while
    // it was open; an application's PIN meets the last try once, then a
    // person confirms or nothing is sent. Three rounds cover both.
    for (int round = 0;; ++round) {
        card::PinOptions options;
        if (!pin_given) {
            int shown = -1;
            value = checked_pin(which, ask_pin(h, t, purpose, pinhelper::Entry::current, &shown));
            // The dialog asked for a ticked confirmation exactly when it
            // showed one try; the card's count is read again inside the
            // VERIFY transaction, so a count that dropped meanwhile is caught.
            options.confirm_last_try = shown == 1;
        } else {
            options.confirm_last_try = person_confirmed;
        }
        CardState& c = still_open(h, card_id);
        Reader& r = reader_of(session(h).slot);
        try {
            if (user == CKU_CONTEXT_SPECIFIC) {
                with_card(
                    r, [&](card::MyNumberCard& card) { card.verify_pin(which, value, options); });
                Session& s = session(h);
                if (!s.sign) throw Rv(CKR_OPERATION_NOT_INITIALIZED);
                s.sign->context_pin = std::move(value);
            } else if (t == Token::auth) {
                with_card(
                    r, [&](card::MyNumberCard& card) { card.verify_pin(which, value, options); });
                c.auth_pin = std::move(value);
            } else {
                // Login on the signature token reads the signature certificate
                // with the password (VERIFY + read + reset in one transaction);
                // the password itself is not kept.
                Bytes der = with_card(r, [&](card::MyNumberCard& card) {
                    return card.read_sign_certificate(value, options);
                });
                c.certificates.at(static_cast<std::size_t>(card::Certificate::sign)) =
                    x509::Certificate::from_der(der);
            }
            break;
        } catch (const Error& e) {
            bool again = false;
            if (e.code() == Errc::confirmation_required && round < 2 && r.card &&
                r.card->id == card_id) {
                // Fewer tries than the dialog showed: ask again. An
                // application's PIN on the last try: a person confirms.
                if (!pin_given)
                    again = true;
                else if (!person_confirmed)
                    again = person_confirmed = person_confirms_last_try(h, t, purpose);
            }
            if (again) continue;
            // A dialog ran: references from before it may be stale.
            note_pin_failure(reader_of(session(h).slot), t, card_id, e, audit::Operation::login,
                             nullptr);
            throw;
        }
    }
    CardState& c = still_open(h, card_id);
    Reader& r = reader_of(session(h).slot);
    c.tries.at(static_cast<std::size_t>(t)) = profile().rule(which).max_tries;
    c.tries_read.at(static_cast<std::size_t>(t)) = std::chrono::steady_clock::now();
    const auto* cert = certificate(r, certificate_of(t));
    if (user == CKU_USER && t == Token::sign && cert != nullptr) {
        const bool allowed = consent_to_release(r.name, *cert);
        CardState& again = still_open(h, card_id);
        if (!allowed) {
            // The holder did not agree to hand this program the certificate:
            // no login, and the certificate read for it is forgotten.
            again.certificates.at(static_cast<std::size_t>(card::Certificate::sign)).reset();
            throw Rv(CKR_FUNCTION_REJECTED);
        }
    }
    CardState& done = still_open(h, card_id);
    if (user == CKU_USER) {
        // Another thread may have logged in while a dialog was open.
        if (done.logged_in.at(static_cast<std::size_t>(t))) throw Rv(CKR_USER_ALREADY_LOGGED_IN);
        done.logged_in.at(static_cast<std::size_t>(t)) = true;
    }
    Reader& done_reader = reader_of(session(h).slot);
    record(done_reader.name, audit::Operation::login, audit::Result::ok, t,
           certificate(done_reader, certificate_of(t)));
}

void Module::logout(CK_SESSION_HANDLE h) {
    const Session& s = session(h);
    Reader& r = reader_of(s.slot);
    const Token t = token_of(s.slot);
    if (!r.card || !r.card->logged_in.at(static_cast<std::size_t>(t)))
        throw Rv(CKR_USER_NOT_LOGGED_IN);
    // The card holds no verified state to reset: every operation re-selects
    // the AP when it ends (card layer, decision 5).
    end_login(r, t);
}

bool Module::reader_pin_pad(Reader& r) {
    if (!r.card) throw Rv(CKR_DEVICE_REMOVED);
    if (!r.card->pin_pad) {
        r.card->pin_pad = with_card(r, [](card::MyNumberCard& card) { return card.has_pin_pad(); });
    }
    return *r.card->pin_pad;
}

void Module::login_on_pad(CK_SESSION_HANDLE h, Reader& reader) {
    const auto ti = static_cast<std::size_t>(Token::auth);
    const std::uint64_t card_id = reader.card->id;
    // The pad shows nothing of the tries left: on the last try a person
    // confirms in the helper's dialog first (decision 5), as for a PIN the
    // application supplied.
    bool person_confirmed = false;
    for (int round = 0;; ++round) {
        (void)still_open(h, card_id);
        Reader& r = reader_of(session(h).slot);
        try {
            with_card(r, [&](card::MyNumberCard& card) {
                card.verify_pin_on_pad(card::Pin::auth,
                                       card::PinOptions{.confirm_last_try = person_confirmed});
            });
            break;
        } catch (const Error& e) {
            if (e.code() == Errc::confirmation_required && round == 0 && r.card &&
                r.card->id == card_id &&
                person_confirms_last_try(h, Token::auth, pinhelper::Purpose::login)) {
                person_confirmed = true;
                continue;
            }
            note_pin_failure(reader_of(session(h).slot), Token::auth, card_id, e,
                             audit::Operation::login, nullptr);
            // Cancelled on the pad or nothing typed in time: no try spent.
            if (e.code() == Errc::cancelled || e.code() == Errc::timeout)
                throw Rv(CKR_FUNCTION_CANCELED);
            throw;
        }
    }
    CardState& c = still_open(h, card_id);
    Reader& r = reader_of(session(h).slot);
    c.tries.at(ti) = profile().rule(card::Pin::auth).max_tries;
    c.tries_read.at(ti) = std::chrono::steady_clock::now();
    c.logged_in.at(ti) = true;
    c.auth_on_pad = true;
    record(r.name, audit::Operation::login, audit::Result::ok, Token::auth,
           certificate(r, card::Certificate::auth));
}

}  // namespace mynacard::pkcs11
