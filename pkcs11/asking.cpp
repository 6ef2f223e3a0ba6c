// What a person is asked (decisions 5, 9, 11) through Prompts, outside the
// module lock, and what a refused PIN leaves behind (tries, audit log).
#include <unistd.h>

#include <chrono>
#include <optional>
#include <string>

#include "core/error.h"
#include "pkcs11/errors.h"
#include "pkcs11/module.h"
#include "pkcs11/rules.h"

namespace mynacard::pkcs11 {

void Module::note_pin_failure(Reader& r, Token t, std::uint64_t card_id, const Error& e,
                              audit::Operation operation, const x509::Certificate* cert) {
    if (!r.card || r.card->id != card_id) return;
    auto& cached = r.card->tries.at(static_cast<std::size_t>(t));
    switch (e.code()) {
        case Errc::pin_incorrect:
        case Errc::confirmation_required:  // carries the tries the card showed
            if (e.tries_left() >= 0) {
                cached = e.tries_left();
                r.card->tries_read.at(static_cast<std::size_t>(t)) =
                    std::chrono::steady_clock::now();
            } else {
                cached.reset();
            }
            break;
        case Errc::pin_blocked:
            cached = 0;
            r.card->tries_read.at(static_cast<std::size_t>(t)) = std::chrono::steady_clock::now();
            break;
        default:
            break;
    }
    record(r.name, operation, audit::result_of(e.code()), t, cert);
}

bool Module::person_confirms_last_try(CK_SESSION_HANDLE h, Token t, pinhelper::Purpose purpose) {
    if (!pin_helper_) return false;  // nobody to ask: no last try (docs/pkcs11.md)
    const Session& s = session(h);
    Reader& r = reader_of(s.slot);
    pinhelper::Request request;
    request.pin = pin_of(t);
    request.purpose = purpose;
    request.entry = pinhelper::Entry::confirm_last_try;
    request.program = calling_program();
    request.pid = static_cast<long>(::getpid());
    request.reader = r.name;
    request.tries_left = 1;
    bool confirmed = false;
    unlocked([&]() {
        try {
            confirmed = prompts_->confirm_last_try(request);
        } catch (const Error&) {
            confirmed = false;  // no dialog, cancelled, timed out: not confirmed
        }
    });
    return confirmed;
}

bool Module::consent_to_release(const std::string& reader_name, const x509::Certificate& cert) {
    // Decision 11: the signature certificate carries the holder's name,
    // address, birth date and sex. The first time a program logs in to the
    // signature token (which is when it gets the certificate), the holder
    // sees what it discloses and who asks; the answer is remembered per
    // program and certificate (docs/consent.md). MYNACARD_CONSENT=allow|deny
    // decides without asking; nobody to ask means no. The dialog runs
    // outside the module lock, on copies: the card may go meanwhile.
    const std::string program = calling_program();
    const std::string reader = reader_name;
    const x509::Certificate released = cert;
    bool allowed = false;
    unlocked([&]() {
        allowed = prompts_->ask_consent(program, static_cast<long>(::getpid()), released) ==
                  consent::Decision::allow;
    });
    record(reader, allowed ? audit::Operation::consent_given : audit::Operation::consent_refused,
           allowed ? audit::Result::ok : audit::Result::cancelled, Token::sign, &released);
    return allowed;
}

SecureBytes Module::ask_pin(CK_SESSION_HANDLE h, Token t, pinhelper::Purpose purpose,
                            pinhelper::Entry entry, int* shown) {
    const auto ti = static_cast<std::size_t>(t);
    Reader& r = reader_of(session(h).slot);
    const std::uint64_t card_id = r.card->id;
    // Decision 5: the tries left shown are read now, not a cached value. A
    // new PIN has none: they belong to the PIN the card holds.
    int left = -1;
    if (entry == pinhelper::Entry::current) {
        r.card->tries.at(ti).reset();
        left = tries(r, t);
    }
    if (shown != nullptr) *shown = left;
    const auto operation = purpose == pinhelper::Purpose::change_pin ? audit::Operation::pin_change
                                                                     : audit::Operation::login;

    pinhelper::Request request;
    request.pin = pin_of(t);
    request.purpose = purpose;
    request.entry = entry;
    request.program = calling_program();
    request.pid = static_cast<long>(::getpid());
    request.reader = r.name;
    request.tries_left = left;
    const std::string reader = r.name;
    SecureBytes pin;
    std::optional<Error> failed;
    // The person answers in their own time: other threads' calls go on
    // meanwhile (the card state is read again inside the VERIFY transaction).
    unlocked([&]() {
        try {
            pin = prompts_->ask_pin(request);
        } catch (const Error& e) {
            failed = e;
        }
    });
    (void)still_open(h, card_id);
    if (!failed) {
        if (left == 0) throw Rv(CKR_PIN_LOCKED);  // the helper only explains then
        return pin;
    }
    switch (failed->code()) {
        case Errc::cancelled:
        case Errc::timeout:
            // Nothing reached the card: no try spent.
            record(reader, operation, audit::Result::cancelled, t, nullptr);
            throw Rv(CKR_FUNCTION_CANCELED);
        case Errc::pin_blocked:
            throw Rv(CKR_PIN_LOCKED);
        case Errc::unsupported:
            throw Rv(CKR_ARGUMENTS_BAD);  // as without a helper
        default:
            throw Rv(left == 0 ? CKR_PIN_LOCKED : CKR_FUNCTION_FAILED);
    }
}

}  // namespace mynacard::pkcs11
