#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "core/bytes.h"

namespace mynacard::apdu {

// ISO/IEC 7816-4 §5.1 command APDU. `le` is the number of bytes expected,
// 1..256 (short) or 1..65536 (extended); Le=00 short means 256.
struct CommandApdu {
    std::uint8_t cla = 0;
    std::uint8_t ins = 0;
    std::uint8_t p1 = 0;
    std::uint8_t p2 = 0;
    Bytes data;
    std::optional<std::size_t> le;
    bool extended = false;

    // Parses one APDU and checks that its length fields match its size
    // exactly (cases 1, 2S, 3S, 4S, 2E, 3E, 4E). Throws Error(malformed_data).
    [[nodiscard]] static CommandApdu parse(ByteView raw);
    // Encodes the APDU; chooses extended form when `extended` is set or a
    // length does not fit the short form. Zeroising for every command, so a
    // VERIFY's PIN never lingers in a freed encoding whoever the caller is.
    [[nodiscard]] SecureBytes encode() const;
};

}  // namespace mynacard::apdu
