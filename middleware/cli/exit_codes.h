#pragma once

#include <optional>
#include <string>

#include "card/card.h"
#include "cli/messages.h"
#include "core/error.h"

namespace mynacard::cli {

class Output;

// Exit codes (docs/cli.md). Scripts rely on them: never renumber.
enum Exit : int {
    exit_ok = 0,
    exit_error = 1,
    exit_usage = 2,
    exit_no_card = 3,
    exit_pin_incorrect = 4,
    exit_pin_blocked = 5,
    exit_pin_format = 6,
    exit_card_gone = 7,
    exit_verify_failed = 8,
    exit_cancelled = 9,
    exit_malformed = 10,
};

// What an error means to the person and to a script (decision 7): the
// sentence shown and the exit code. `pin` is the PIN the command asked for,
// if any: a blocked or malformed PIN is named in the sentence (the card
// layer's error does not say which PIN it was).
struct Verdict {
    Exit code = exit_error;
    std::string sentence;
};
[[nodiscard]] Verdict verdict(const Error& e, std::optional<card::Pin> pin);

// The one place errors leave the CLI: the sentence on standard error (and,
// with --json, `{"error","message","tries_left"}` on standard output).
// Returns the exit code.
int report(const Error& e, std::optional<card::Pin> pin, const Output& out);

}  // namespace mynacard::cli
