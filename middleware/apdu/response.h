#pragma once

#include <cstdint>

#include "core/bytes.h"

namespace mynacard::apdu {

struct ResponseApdu {
    Bytes data;
    std::uint16_t sw = 0;

    [[nodiscard]] std::uint8_t sw1() const noexcept { return static_cast<std::uint8_t>(sw >> 8); }
    [[nodiscard]] std::uint8_t sw2() const noexcept { return static_cast<std::uint8_t>(sw & 0xFF); }
    [[nodiscard]] bool ok() const noexcept { return sw == 0x9000; }

    // Splits data and SW1 SW2; throws Error(malformed_data) under 2 bytes.
    [[nodiscard]] static ResponseApdu parse(ByteView raw);
    [[nodiscard]] Bytes encode() const;
};

}  // namespace mynacard::apdu
