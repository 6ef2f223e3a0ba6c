#include "gui/common/keypad_pin.h"

namespace mynacard::gui {

KeypadPin::KeypadPin(std::size_t max_digits) : max_(max_digits) {
    digits_.reserve(max_);
}

bool KeypadPin::append(int digit) {
    if (digit < 0 || digit > 9 || digits_.size() >= max_) return false;
    digits_.push_back(static_cast<std::uint8_t>('0' + digit));
    return true;
}

bool KeypadPin::removeLast() noexcept {
    if (digits_.empty()) return false;
    digits_.back() = 0;
    digits_.pop_back();
    return true;
}

void KeypadPin::clear() noexcept {
    // clear() keeps the buffer (and so its bytes): zero them first.
    if (!digits_.empty()) secure_zero(digits_.data(), digits_.size());
    digits_.clear();
}

std::shared_ptr<SecureBytes> KeypadPin::take() {
    auto pin = std::make_shared<SecureBytes>(digits_.begin(), digits_.end());
    clear();
    return pin;
}

}  // namespace mynacard::gui
