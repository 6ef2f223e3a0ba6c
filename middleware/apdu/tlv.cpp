#include "apdu/tlv.h"

#include <algorithm>

#include "core/error.h"

namespace mynacard::apdu {

namespace {
[[noreturn]] void bad(const char* what) {
    throw Error(Errc::malformed_data, what);
}

struct Header {
    std::uint32_t tag = 0;
    std::size_t header_size = 0;
    std::size_t length = 0;
};

// Returns nothing when the header is incomplete; throws on malformed input.
std::optional<Header> parse_header(ByteView data) {
    Header h;
    std::size_t pos = 0;
    if (data.empty()) return std::nullopt;
    const std::uint8_t first = data[pos++];
    h.tag = first;
    if ((first & 0x1F) == 0x1F) {  // multi-byte tag number
        for (int i = 0;; ++i) {
            if (i == 2) bad("BER tag longer than 3 bytes");
            if (pos >= data.size()) return std::nullopt;
            const std::uint8_t b = data[pos++];
            h.tag = (h.tag << 8) | b;
            if ((b & 0x80) == 0) break;
        }
    }
    if (pos >= data.size()) return std::nullopt;
    const std::uint8_t l0 = data[pos++];
    if (l0 < 0x80) {
        h.length = l0;
    } else if (l0 == 0x80) {
        bad("indefinite BER length");
    } else {
        const std::size_t count = l0 & 0x7F;
        if (count > 3) bad("BER length field longer than 3 bytes");
        if (pos + count > data.size()) return std::nullopt;
        for (std::size_t i = 0; i < count; ++i) h.length = (h.length << 8) | data[pos++];
    }
    h.header_size = pos;
    return h;
}
}  // namespace

bool Tlv::constructed() const noexcept {
    // The constructed bit is bit 6 of the first tag byte.
    std::uint32_t first = tag;
    while (first > 0xFF) first >>= 8;
    return (first & 0x20) != 0;
}

Tlv parse_tlv(ByteView data) {
    const auto h = parse_header(data);
    if (!h) bad("truncated BER-TLV header");
    if (h->length > data.size() - h->header_size) bad("BER-TLV value runs past the data");
    return Tlv{h->tag, h->header_size, data.subspan(h->header_size, h->length)};
}

std::optional<std::size_t> tlv_encoded_size(ByteView header) {
    const auto h = parse_header(header);
    if (!h) return std::nullopt;
    return h->header_size + h->length;
}

std::vector<Tlv> parse_tlv_sequence(ByteView data, bool allow_ff_filler) {
    std::vector<Tlv> out;
    while (!data.empty()) {
        if (allow_ff_filler &&
            std::all_of(data.begin(), data.end(), [](std::uint8_t b) { return b == 0xFF; }))
            break;
        Tlv t = parse_tlv(data);
        data = data.subspan(t.total_size());
        out.push_back(t);
    }
    return out;
}

Bytes encode_length(std::size_t length) {
    if (length < 0x80) return {static_cast<std::uint8_t>(length)};
    if (length <= 0xFF) return {0x81, static_cast<std::uint8_t>(length)};
    if (length <= 0xFFFF)
        return {0x82, static_cast<std::uint8_t>(length >> 8), static_cast<std::uint8_t>(length)};
    if (length <= 0xFFFFFF)
        return {0x83, static_cast<std::uint8_t>(length >> 16),
                static_cast<std::uint8_t>(length >> 8), static_cast<std::uint8_t>(length)};
    throw Error(Errc::invalid_argument, "BER length too large");
}

Bytes encode_tlv(std::uint32_t tag, ByteView value) {
    Bytes out;
    if (tag > 0xFFFF) out.push_back(static_cast<std::uint8_t>(tag >> 16));
    if (tag > 0xFF) out.push_back(static_cast<std::uint8_t>(tag >> 8));
    out.push_back(static_cast<std::uint8_t>(tag));
    const Bytes len = encode_length(value.size());
    out.insert(out.end(), len.begin(), len.end());
    out.insert(out.end(), value.begin(), value.end());
    return out;
}

}  // namespace mynacard::apdu
