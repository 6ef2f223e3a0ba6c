#pragma once

#include <string>
#include <string_view>

namespace mynacard::cli {

// Every sentence the CLI shows a person, in English and Japanese. The
// language follows LC_ALL / LC_MESSAGES / LANG (ja* → Japanese), as gettext
// would; the table keeps both texts side by side so none goes missing.
enum class Msg {
    no_service,
    no_reader,
    no_card,
    reader_not_found,
    not_my_number_card,
    card_removed,
    card_reset,
    transport,
    pin_incorrect,
    pin_blocked_auth,
    pin_blocked_sign,
    pin_blocked_text,
    pin_format_auth,
    pin_format_sign,
    pin_format_text,
    last_try_refused,
    last_try_prompt,
    enter_pin_auth,
    enter_pin_sign,
    enter_pin_text,
    enter_new_pin,
    repeat_new_pin,
    new_pins_differ,
    enter_code_a,
    enter_code_b,
    tries_left,
    signing,
    reading,
    malformed,
    unsupported,
    io_error,
    internal,
    invalid_argument,
    timeout,
    cancelled,
    verify_ok,
    verify_failed,
    chain_ok,
    chain_failed,
    log_ok,
    log_torn_tail,
    log_failed,
    integrity_ok,
    integrity_failed,
    pin_changed,
    no_sign_certificate,
    my_number_masked_hint,
    watch_inserted,
    watch_removed,
    watch_reader_added,
    watch_reader_removed,
    no_trust_anchors,
    stdin_pin_missing,
    not_a_terminal,
};

[[nodiscard]] bool japanese() noexcept;
// The text of `id` in the user's language.
[[nodiscard]] std::string_view text(Msg id) noexcept;
// Replaces each "{}" in order with the arguments.
[[nodiscard]] std::string format(Msg id, std::initializer_list<std::string_view> args = {});

}  // namespace mynacard::cli
