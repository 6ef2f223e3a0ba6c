#pragma once

#include <optional>
#include <string>

#include "card/card.h"
#include "cli/messages.h"
#include "core/error.h"
#include "qualification/xml_msg.h"

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
    // qualify only: what the qualification terminal said about the person.
    exit_qualification_invalid = 11,  // 無効, 無効（新しい資格あり）
    exit_no_qualification = 12,       // 該当資格なし
    exit_multiple_matches = 13,       // 複数該当
    exit_terminal_error = 14,  // 異常終了, ProcessingResultStatus エラー, an ErrorCode
    exit_in_progress = 15,     // 処理中: no result yet
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
// The same with the verdict already made (terminal_verdict).
int report(const Error& e, const Verdict& v, const Output& out);

// Errors of the exchange with the qualification terminal: the codes of
// verdict(), sentences about the terminal instead of the card (a time-out is
// the terminal not answering, exit 7; a malformed answer is exit 10).
[[nodiscard]] Verdict terminal_verdict(const Error& e);

// qualify: the exit code of an answer, and the word `--json` gives it
// ("valid", "invalid", "no_qualification", "multiple", "error",
// "in_progress"). Processing state and errors come before the validity: a
// failed query says nothing about the person.
struct QualificationVerdict {
    Exit code = exit_terminal_error;
    std::string_view outcome;
};
[[nodiscard]] QualificationVerdict qualification_verdict(const qualification::XmlMsg& answer);

}  // namespace mynacard::cli
