#pragma once

#include <cstddef>
#include <memory>

#include "core/bytes.h"

namespace mynacard::gui {

// The digits of a PIN typed on an on-screen keypad (the front desk's
// patient screen, the kiosk), held until they go to the card for one
// operation. Room for every digit is reserved at the start, so adding one
// never moves the others and leaves no copy behind; every way out of it
// zeroises: a removed digit, clear() and take() here, destruction in
// SecureBytes' allocator.
class KeypadPin {
  public:
    explicit KeypadPin(std::size_t max_digits);
    KeypadPin(const KeypadPin&) = delete;
    KeypadPin& operator=(const KeypadPin&) = delete;

    // Adds the digit 0–9 as its ASCII character. False, and nothing
    // changed, for anything else or when max_digits are there already.
    [[nodiscard]] bool append(int digit);
    // False when there was no digit to remove.
    [[nodiscard]] bool removeLast() noexcept;
    void clear() noexcept;

    [[nodiscard]] std::size_t size() const noexcept { return digits_.size(); }
    [[nodiscard]] bool empty() const noexcept { return digits_.empty(); }
    // For the format check before anything reaches the card (decision 5).
    [[nodiscard]] const SecureBytes& digits() const noexcept { return digits_; }

    // The digits for one card operation, in zeroising memory of their own;
    // this keypad is left empty.
    [[nodiscard]] std::shared_ptr<SecureBytes> take();

  private:
    std::size_t max_;
    SecureBytes digits_;
};

}  // namespace mynacard::gui
