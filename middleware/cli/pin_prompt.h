#pragma once

#include <optional>

#include "card/card.h"
#include "cli/messages.h"
#include "cli/options.h"
#include "cli/pin_input.h"
#include "core/bytes.h"
#include "pinhelper/pinhelper.h"

namespace mynacard::cli {

class CardUse;

// A PIN asked for one card operation, and the options it goes to the card
// with.
struct AskedPin {
    SecureBytes value;
    card::PinOptions options;
};

// Asks PINs the way decision 5 wants: the tries left read first and shown,
// the last try confirmed explicitly, a malformed PIN refused before any
// APDU. On the terminal or standard input (PinInput), or in
// mynacard-helper's dialog (--pin-dialog, decision 9).
class PinPrompt {
  public:
    PinPrompt(PinInput& input, const GlobalOptions& options) : input_(input), options_(options) {}

    // The current PIN `pin` for `purpose`.
    [[nodiscard]] AskedPin current(CardUse& card, card::Pin pin, pinhelper::Purpose purpose);
    // A new PIN for `pin_change` (`entry`: the new one or its repetition),
    // from where the current one came: the dialog (which says "new" and
    // "again" and checks the format itself) or the terminal (`prompt`).
    // Normalised as the card compares it; the format is the caller's to
    // check.
    [[nodiscard]] SecureBytes next(CardUse& card, card::Pin pin, pinhelper::Entry entry,
                                   Msg prompt);
    // A secret that is no PIN (the 券面AP's 照合番号), on the terminal or
    // standard input.
    [[nodiscard]] SecureBytes code(Msg prompt) { return input_.read(text(prompt)); }
    // Whether a 照合番号 may go as the last try (decision 5): the
    // --confirm-last-try flag, or the person's yes on the terminal.
    [[nodiscard]] bool confirm_code_last_try() {
        return input_.confirm(text(Msg::last_try_code_prompt), options_.confirm_last_try);
    }

    // The PIN this command asked for last: the card says only "blocked" or
    // "wrong format", the message names which PIN (exit_codes.h).
    [[nodiscard]] std::optional<card::Pin> asked() const noexcept { return asked_; }

  private:
    [[nodiscard]] AskedPin dialog(CardUse& card, card::Pin pin, pinhelper::Purpose purpose,
                                  pinhelper::Entry entry);

    PinInput& input_;
    const GlobalOptions& options_;
    std::optional<card::Pin> asked_;
};

}  // namespace mynacard::cli
