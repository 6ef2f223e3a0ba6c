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
    return report(e, verdict(e, pin), out);
}

int report(const Error& e, const Verdict& v, const Output& out) {
    if (out.json())
        out.print(nlohmann::json{{"error", std::string(to_string(e.code()))},
                                 {"message", v.sentence},
                                 {"tries_left", e.tries_left()}});
    std::cerr << "mynacard: " << v.sentence << '\n';
    return v.code;
}

Verdict terminal_verdict(const Error& e) {
    switch (e.code()) {
        case Errc::timeout:
            // The existing time-out code (a card that stops answering is 7 too).
            return {exit_card_gone, std::string(text(Msg::terminal_timeout))};
        case Errc::malformed_data:
            return {exit_malformed, format(Msg::terminal_malformed, {e.what()})};
        case Errc::not_found:
            // A folder of the terminal went away after it was checked.
            return {exit_usage, format(Msg::invalid_argument, {e.what()})};
        default:
            return verdict(e, std::nullopt);
    }
}

QualificationVerdict qualification_verdict(const qualification::XmlMsg& answer) {
    using namespace qualification;
    try {
        const auto segment = answer.segment();
        if (segment == SegmentOfResult::abnormal ||
            answer.status() == ProcessingResultStatus::error)
            return {exit_terminal_error, "error"};
        if (segment == SegmentOfResult::processing) return {exit_in_progress, "in_progress"};
        if (answer.header.error_code && !answer.header.error_code->empty())
            return {exit_terminal_error, "error"};
        switch (answer.validity().value_or(QualificationValidity{0})) {
            case QualificationValidity::valid:
                return {exit_ok, "valid"};
            case QualificationValidity::invalid:
            case QualificationValidity::invalid_new_qualification:
                return {exit_qualification_invalid, "invalid"};
            case QualificationValidity::no_qualification:
                return {exit_no_qualification, "no_qualification"};
            case QualificationValidity::multiple:
                return {exit_multiple_matches, "multiple"};
        }
    } catch (const Error&) {
        // A code the model does not know (only in hand-built messages).
    }
    // No validity in a completed answer: nothing can be said about the person.
    return {exit_terminal_error, "error"};
}

}  // namespace mynacard::cli
