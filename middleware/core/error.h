#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace mynacard {

// Every failure inside the product is one of these codes; boundaries map
// them to CK_RV, exit codes or UI text in exactly one place each.
enum class Errc {
    invalid_argument,       // caller passed something malformed (never the card)
    malformed_data,         // card or network data broke a length/tag rule
    not_found,              // file, object, reader or AP absent
    security_status,        // operation needs a PIN that is not verified
    pin_incorrect,          // VERIFY failed, tries remain
    pin_blocked,            // counter exhausted
    pin_format,             // PIN refused before touching the card
    confirmation_required,  // last try: the caller must confirm explicitly
    card_removed,           // card gone during the operation
    card_reset,             // another process reset the card: security state lost
    no_card,                // reader empty
    reader_unavailable,     // reader or service gone
    transport,              // PC/SC or IPC failure
    service_stopped,        // pcscd went away: a new context is needed
    timeout,                // nothing happened in the time allowed
    cancelled,              // the user or the caller cancelled
    unsupported,            // the card or reader cannot do it
    card_error,             // an unexpected status word
    io,                     // local file system
    internal,               // a bug: an invariant did not hold
};

[[nodiscard]] std::string_view to_string(Errc code) noexcept;

class Error : public std::runtime_error {
  public:
    Error(Errc code, const std::string& what) : std::runtime_error(what), code_(code) {}
    // For Errc::pin_incorrect / pin_blocked: the tries the card reports left.
    Error(Errc code, const std::string& what, int tries_left)
        : std::runtime_error(what), code_(code), tries_left_(tries_left) {}
    [[nodiscard]] Errc code() const noexcept { return code_; }
    // -1 when the error is not about a PIN counter.
    [[nodiscard]] int tries_left() const noexcept { return tries_left_; }

  private:
    Errc code_;
    int tries_left_ = -1;
};

}  // namespace mynacard
