#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace mynacard {

// Every failure inside the product is one of these codes; boundaries map
// them to CK_RV, exit codes or UI text in exactly one place each.
enum class Errc {
    invalid_argument,   // caller passed something malformed (never the card)
    malformed_data,     // card or network data broke a length/tag rule
    not_found,          // file, object, reader or AP absent
    security_status,    // operation needs a PIN that is not verified
    pin_incorrect,      // VERIFY failed, tries remain
    pin_blocked,        // counter exhausted
    pin_format,         // PIN refused before touching the card
    card_removed,       // card gone during the operation
    card_reset,         // another process reset the card: security state lost
    no_card,            // reader empty
    reader_unavailable, // reader or service gone
    transport,          // PC/SC or IPC failure
    service_stopped,    // pcscd went away: a new context is needed
    timeout,            // nothing happened in the time allowed
    cancelled,          // the user or the caller cancelled
    unsupported,        // the card or reader cannot do it
    card_error,         // an unexpected status word
    io,                 // local file system
    internal,           // a bug: an invariant did not hold
};

[[nodiscard]] std::string_view to_string(Errc code) noexcept;

class Error : public std::runtime_error {
public:
    Error(Errc code, const std::string& what) : std::runtime_error(what), code_(code) {}
    [[nodiscard]] Errc code() const noexcept { return code_; }

private:
    Errc code_;
};

}  // namespace mynacard
