#include "cli/pin_prompt.h"

#include <sys/prctl.h>
#include <unistd.h>

#include <string>
#include <string_view>

#include "cli/card_use.h"
#include "core/error.h"
#include "core/paths.h"

namespace mynacard::cli {

namespace {

Msg enter_prompt(card::Pin pin) {
    switch (pin) {
        case card::Pin::auth:
            return Msg::enter_pin_auth;
        case card::Pin::sign:
            return Msg::enter_pin_sign;
        case card::Pin::text:
            return Msg::enter_pin_text;
    }
    return Msg::enter_pin_auth;
}

SecureBytes normalised(card::Pin pin, const SecureBytes& typed) {
    return card::normalise_pin(
        pin, std::string_view(reinterpret_cast<const char*>(typed.data()), typed.size()));
}

int tries_left(CardUse& card, card::Pin pin) {
    return card.use([&](card::MyNumberCard& c) { return c.tries_left(pin); });
}

}  // namespace

// The PIN through `mynacard-helper pin` (decision 9): the dialog shows the
// tries left read here, refuses malformed PINs and asks for confirmation on
// the last try itself.
AskedPin PinPrompt::dialog(CardUse& card, card::Pin pin, pinhelper::Purpose purpose,
                           pinhelper::Entry entry) {
    AskedPin a;
    pinhelper::Request r;
    r.pin = pin;
    r.purpose = purpose;
    r.entry = entry;
    r.program = own_executable();
    r.pid = static_cast<long>(::getpid());
    r.reader = card.reader();
    // A new PIN has no counter yet: the tries belong to the current one.
    if (entry == pinhelper::Entry::current) r.tries_left = tries_left(card, pin);
    SecureBytes typed;
    try {
        // The dialog names this process from /proc/<pid>/exe, which a
        // non-dumpable process does not let it read. Before the first PIN
        // of a command nothing secret is held yet, so the process is
        // dumpable exactly while that dialog is open; once a PIN is held
        // (the new PIN of a change) it stays protected and the dialog says
        // it cannot verify the name (docs/pin-helper.md).
        const bool holds_nothing_yet = entry == pinhelper::Entry::current;
        if (holds_nothing_yet) (void)::prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
        struct Protect {
            ~Protect() { protect_secrets(); }
        } const protect;
        typed = pinhelper::ask(r);
    } catch (const Error& e) {
        // The dialog's time-out is the user not answering: nothing was tried.
        if (e.code() == Errc::timeout) throw Error(Errc::cancelled, e.what());
        throw;
    }
    a.value = normalised(pin, typed);
    card::check_pin_format(card::CardProfile::my_number_card(), pin, a.value);
    // On the last try the dialog only answers once the user ticked the
    // confirmation.
    a.options.confirm_last_try = options_.confirm_last_try || r.tries_left == 1;
    return a;
}

AskedPin PinPrompt::current(CardUse& card, card::Pin pin, pinhelper::Purpose purpose) {
    asked_ = pin;
    if (options_.pin_dialog) return dialog(card, pin, purpose, pinhelper::Entry::current);
    AskedPin a;
    int tries = -1;
    if (!options_.pin_stdin) {
        // Shown before asking. With --pin-stdin nothing is shown, and the card
        // layer reads the counter again right before VERIFY anyway.
        tries = tries_left(card, pin);
        if (tries == 0) throw Error(Errc::pin_blocked, "blocked", 0);
    }
    const std::string prompt = format(enter_prompt(pin), {tries < 0 ? "?" : std::to_string(tries)});
    SecureBytes typed = input_.read(prompt);
    a.value = normalised(pin, typed);
    card::check_pin_format(card::CardProfile::my_number_card(), pin, a.value);
    a.options.confirm_last_try = options_.confirm_last_try;
    if (tries == 1 && !options_.confirm_last_try)
        a.options.confirm_last_try = input_.confirm(text(Msg::last_try_prompt), false);
    return a;
}

SecureBytes PinPrompt::next(CardUse& card, card::Pin pin, pinhelper::Entry entry, Msg prompt) {
    if (options_.pin_dialog) return dialog(card, pin, pinhelper::Purpose::change_pin, entry).value;
    return normalised(pin, input_.read(text(prompt)));
}

}  // namespace mynacard::cli
