#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/bytes.h"

namespace mynacard::apdu {

// One BER-TLV element (ISO/IEC 8825-1 as used by ISO/IEC 7816-4 §5.2).
// `tag` holds the tag bytes big-endian (e.g. 0xFF20, 0xDF22, 0x30).
struct Tlv {
    std::uint32_t tag = 0;
    std::size_t header_size = 0;  // tag + length bytes
    ByteView value;               // points into the parsed buffer

    [[nodiscard]] bool constructed() const noexcept;
    [[nodiscard]] std::size_t total_size() const noexcept { return header_size + value.size(); }
};

// Parses the element at the start of `data`. Tags up to 3 bytes, definite
// lengths up to 3 length bytes. Throws Error(malformed_data) when a tag or
// length is malformed or the value runs past `data`.
[[nodiscard]] Tlv parse_tlv(ByteView data);

// Parses the header only and returns the full encoded size of the element
// (header + value), or nothing when `header` is too short to tell. Used to
// plan reads of files whose size the card does not report.
[[nodiscard]] std::optional<std::size_t> tlv_encoded_size(ByteView header);

// Parses consecutive elements filling `data` exactly; a trailing run of FF
// filler bytes is accepted when `allow_ff_filler` is set.
[[nodiscard]] std::vector<Tlv> parse_tlv_sequence(ByteView data, bool allow_ff_filler = false);

[[nodiscard]] Bytes encode_tlv(std::uint32_t tag, ByteView value);
[[nodiscard]] Bytes encode_length(std::size_t length);

}  // namespace mynacard::apdu
