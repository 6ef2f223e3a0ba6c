#pragma once

#include <string_view>

#include "core/bytes.h"

namespace mynacard {

// Well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing
// above U+10FFFF. Card data, certificate attributes and log fields are all
// checked with this one function.
[[nodiscard]] bool is_valid_utf8(ByteView text) noexcept;
[[nodiscard]] inline bool is_valid_utf8(std::string_view text) noexcept {
    return is_valid_utf8(ByteView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

}  // namespace mynacard
