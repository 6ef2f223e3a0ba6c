#pragma once

#include <string_view>

#include "core/bytes.h"

namespace mynacard::cli {

// Where secrets come from: the terminal without echo (default) or standard
// input, one secret per line (--pin-stdin, for automation). Secrets never
// come from argv or the environment, where other users could read them.
class PinInput {
  public:
    explicit PinInput(bool from_stdin) : from_stdin_(from_stdin) {}

    // Shows `prompt` on the terminal (stderr with --pin-stdin: nothing) and
    // reads one line. Throws Error(cancelled) at end of input, Error(io) when
    // there is no terminal.
    [[nodiscard]] SecureBytes read(std::string_view prompt);
    // A yes/no question on the terminal; with --pin-stdin the answer comes
    // from `preset` (the --confirm-last-try flag).
    [[nodiscard]] bool confirm(std::string_view prompt, bool preset);

  private:
    bool from_stdin_;
};

}  // namespace mynacard::cli
