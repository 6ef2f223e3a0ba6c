#pragma once

#include <string>

namespace mynacard::cli {

// The options given before (or, CLI11's fallthrough, after) the command
// name: how to reach the card, how to ask PINs, how to print. Every command
// sees them read-only; what a single command takes is in its own struct
// (commands/*.cpp).
struct GlobalOptions {
    std::string reader;  // a name or part of one; empty: the first reader with a card
    bool json = false;
    bool pin_stdin = false;
    bool pin_dialog = false;  // every PIN through mynacard-helper's dialog (docs/pin-helper.md)
    bool confirm_last_try = false;
    std::string audit_log;  // empty: audit::Log::default_path()
};

}  // namespace mynacard::cli
