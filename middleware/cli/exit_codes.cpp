#include "cli/exit_codes.h"

#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/output.h"

namespace mynacard::cli {

namespace {

Msg blocked(std::optional<card::Pin> pin) {
    if (pin == card::Pin::sign) return Msg::pin_blocked_sign;
    if (pin == card::Pin::text) return Msg::pin_blocked_text;
    return Msg::pin_blocked_auth;
}

Msg bad_format(std::optional<card::Pin> pin) {
    if (pin == card::Pin::sign) return Msg::pin_format_sign;
    if (pin == card::Pin::text) return Msg::pin_format_text;
    return Msg::pin_format_auth;
}

}  // namespace

Verdict verdict(const Error& e, std::optional<card::Pin> pin) {
    Msg m = Msg::internal;
    Exit code = exit_error;
    std::string detail = e.what();
    switch (e.code()) {
        case Errc::service_stopped:
            m = Msg::no_service;
            code = exit_no_card;
            break;
        case Errc::reader_unavailable:
            // The text says which: no reader at all, or none matching --reader.
            m = Msg::invalid_argument;
            code = exit_no_card;
            break;
        case Errc::no_card:
            m = Msg::no_card;
            code = exit_no_card;
            break;
        case Errc::not_found:
            m = Msg::invalid_argument;
            code = exit_no_card;
            break;
        case Errc::card_removed:
            m = Msg::card_removed;
            code = exit_card_gone;
            break;
        case Errc::card_reset:
            m = Msg::card_reset;
            code = exit_card_gone;
            break;
        case Errc::transport:
            m = Msg::transport;
            code = exit_card_gone;
            break;
        case Errc::timeout:
            m = Msg::timeout;
            code = exit_card_gone;
            break;
        case Errc::pin_incorrect:
            m = Msg::pin_incorrect;
            code = exit_pin_incorrect;
            detail = std::to_string(e.tries_left());
            break;
        case Errc::pin_blocked:
            m = blocked(pin);
            code = exit_pin_blocked;
            break;
        case Errc::pin_format:
            m = bad_format(pin);
            code = exit_pin_format;
            break;
        case Errc::confirmation_required:
            m = Msg::last_try_refused;
            code = exit_cancelled;
            break;
        case Errc::cancelled:
            m = Msg::cancelled;
            code = exit_cancelled;
            break;
        case Errc::malformed_data:
            m = Msg::malformed;
            code = exit_malformed;
            break;
        case Errc::unsupported:
            m = Msg::unsupported;
            break;
        case Errc::io:
            m = Msg::io_error;
            break;
        case Errc::invalid_argument:
            m = Msg::invalid_argument;
            code = exit_usage;
            break;
        case Errc::security_status:
        case Errc::card_error:
            m = Msg::transport;
            code = exit_card_gone;
            break;
        case Errc::internal:
            m = Msg::internal;
            break;
    }
    return {code, format(m, {detail})};
}

int report(const Error& e, std::optional<card::Pin> pin, const Output& out) {
    const Verdict v = verdict(e, pin);
    if (out.json())
        out.print(nlohmann::json{{"error", std::string(to_string(e.code()))},
                                 {"message", v.sentence},
                                 {"tries_left", e.tries_left()}});
    std::cerr << "mynacard: " << v.sentence << '\n';
    return v.code;
}

}  // namespace mynacard::cli
