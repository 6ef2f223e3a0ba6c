#include "core/error.h"

namespace mynacard {

std::string_view to_string(Errc code) noexcept {
    switch (code) {
        case Errc::invalid_argument:
            return "invalid argument";
        case Errc::malformed_data:
            return "malformed data";
        case Errc::not_found:
            return "not found";
        case Errc::security_status:
            return "security status not satisfied";
        case Errc::pin_incorrect:
            return "PIN incorrect";
        case Errc::pin_blocked:
            return "PIN blocked";
        case Errc::pin_format:
            return "PIN format";
        case Errc::confirmation_required:
            return "confirmation required";
        case Errc::card_removed:
            return "card removed";
        case Errc::card_reset:
            return "card reset";
        case Errc::no_card:
            return "no card";
        case Errc::reader_unavailable:
            return "reader unavailable";
        case Errc::transport:
            return "transport error";
        case Errc::service_stopped:
            return "PC/SC service stopped";
        case Errc::timeout:
            return "timeout";
        case Errc::cancelled:
            return "cancelled";
        case Errc::unsupported:
            return "unsupported";
        case Errc::card_error:
            return "card error";
        case Errc::io:
            return "I/O error";
        case Errc::internal:
            return "internal error";
    }
    return "unknown error";
}

}  // namespace mynacard
