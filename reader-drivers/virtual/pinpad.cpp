#include "virtual/pinpad.h"

#include <algorithm>
#include <vector>

#include "core/error.h"

namespace mynacard::virtual_reader::pinpad {

namespace {

// pcsc-lite reader.h PIN_VERIFY_STRUCTURE / PIN_MODIFY_STRUCTURE field
// offsets (packed, little-endian multi-byte fields as in CCID §6.1.11).
struct Layout {
    std::size_t format_string;
    std::size_t pin_block_string;
    std::size_t pin_length_format;
    std::size_t insertion_old;  // modify only
    std::size_t insertion_new;  // modify only
    std::size_t max_extra_digit;
    std::size_t confirm_pin;  // modify only
    std::size_t data_length;
    std::size_t header_size;
};
constexpr std::size_t none = static_cast<std::size_t>(-1);
constexpr Layout verify_layout{2, 3, 4, none, none, 5, none, 15, 19};
constexpr Layout modify_layout{2, 3, 4, 5, 6, 7, 9, 20, 24};

// bmFormatString (CCID rev 1.1 §6.1.11.4 / PC/SC part 10 §2.5.2).
constexpr std::uint8_t format_units_bytes = 0x80;
constexpr std::uint8_t format_right_justify = 0x04;
constexpr std::uint8_t format_type_mask = 0x03;
constexpr std::uint8_t format_binary = 0x00;
constexpr std::uint8_t format_bcd = 0x01;
constexpr std::uint8_t format_ascii = 0x02;
constexpr std::uint8_t length_units_bytes = 0x10;  // bmPINLengthFormat bit 4
constexpr std::uint8_t confirm_wants_old = 0x02;   // bConfirmPIN bit 1

[[noreturn]] void malformed(const char* what) {
    throw Error(Errc::invalid_argument, std::string("PIN-pad structure: ") + what);
}

std::uint32_t le32(ByteView s, std::size_t off) {
    return static_cast<std::uint32_t>(s[off]) | (static_cast<std::uint32_t>(s[off + 1]) << 8) |
           (static_cast<std::uint32_t>(s[off + 2]) << 16) |
           (static_cast<std::uint32_t>(s[off + 3]) << 24);
}

// The PIN in the format's encoding (ASCII, binary digits, packed BCD).
SecureBytes encode(const SecureBytes& pin, std::uint8_t format) {
    SecureBytes out;
    switch (format & format_type_mask) {
        case format_ascii:
            out.assign(pin.begin(), pin.end());
            break;
        case format_binary:
            for (auto c : pin) out.push_back(static_cast<std::uint8_t>(c - '0'));
            break;
        case format_bcd:
            for (std::size_t i = 0; i < pin.size(); i += 2) {
                auto hi = static_cast<std::uint8_t>(pin[i] - '0');
                auto lo = i + 1 < pin.size() ? static_cast<std::uint8_t>(pin[i + 1] - '0') : 0x0F;
                out.push_back(static_cast<std::uint8_t>((hi << 4) | (lo & 0x0F)));
            }
            break;
        default:
            malformed("unsupported PIN format (bmFormatString bits 1-0 = 11)");
    }
    return out;
}

Built build(ByteView s, const Layout& l, const std::vector<const SecureBytes*>& pins,
            std::size_t offset_old, std::size_t offset_new) {
    if (s.size() < l.header_size) malformed("shorter than its header");
    const std::uint8_t format = s[l.format_string];
    const std::uint8_t block = s[l.pin_block_string];
    const std::uint8_t length_format = s[l.pin_length_format];
    const std::uint16_t extra =
        static_cast<std::uint16_t>(s[l.max_extra_digit] | (s[l.max_extra_digit + 1] << 8));
    const std::uint32_t data_length = le32(s, l.data_length);
    if (data_length < 4 || data_length > s.size() - l.header_size)
        malformed("ulDataLength does not match the APDU");
    ByteView tmpl = s.subspan(l.header_size, data_length);

    Built out;
    // PIN pad checks the typed length against wPINMaxExtraDigit (min << 8 | max).
    const unsigned min_len = extra >> 8;
    const unsigned max_len = extra & 0xFF;
    for (const auto* pin : pins) {
        if ((min_len != 0 && pin->size() < min_len) || (max_len != 0 && pin->size() > max_len)) {
            out.reader_sw = sw_length;
            return out;
        }
    }

    // Template: header, optional Lc + data, optional Le.
    SecureBytes data;
    std::optional<std::uint8_t> le;
    if (tmpl.size() > 4) {
        const std::size_t lc = tmpl[4];
        const std::size_t present = std::min(lc, tmpl.size() - 5);
        data.assign(tmpl.begin() + 5, tmpl.begin() + 5 + static_cast<std::ptrdiff_t>(present));
        data.resize(lc, 0xFF);  // reader fills missing placeholder bytes
        if (tmpl.size() == 5 + lc + 1)
            le = tmpl[5 + lc];
        else if (tmpl.size() > 5 + lc)
            malformed("trailing bytes after the APDU template");
    }

    // PIN position from bmFormatString bits 6-3, in bytes or bits.
    std::size_t position = (format >> 3) & 0x0F;
    if ((format & format_units_bytes) == 0) {
        if (position % 8 != 0) {
            out.reader_sw = sw_bad_block;  // sub-byte PIN positions not supported
            return out;
        }
        position /= 8;
    }
    const std::size_t block_size = block & 0x0F;
    const std::size_t length_bits = block >> 4;

    std::vector<std::size_t> offsets{position + offset_old};
    if (pins.size() == 2) offsets.push_back(position + offset_new);

    if (block_size == 0) {
        // Variable length: the PIN(s) end the data field, Lc follows.
        data.resize(std::min(data.size(), offsets.front()), 0xFF);
        data.resize(offsets.front(), 0xFF);
        for (const auto* pin : pins) {
            auto enc = encode(*pin, format);
            data.insert(data.end(), enc.begin(), enc.end());
        }
    } else {
        for (std::size_t i = 0; i < pins.size(); ++i) {
            auto enc = encode(*pins[i], format);
            if (enc.size() > block_size) {
                out.reader_sw = sw_length;
                return out;
            }
            const std::size_t off = offsets[i];
            if (data.size() < off + block_size) data.resize(off + block_size, 0xFF);
            const std::size_t start =
                (format & format_right_justify) != 0 ? off + block_size - enc.size() : off;
            std::copy(enc.begin(), enc.end(), data.begin() + static_cast<std::ptrdiff_t>(start));
        }
    }

    if (length_bits != 0) {
        // PIN length field (of the first PIN) at bmPINLengthFormat bits 3-0.
        std::size_t bit = length_format & 0x0F;
        if ((length_format & length_units_bytes) != 0) bit *= 8;
        const std::size_t byte = bit / 8;
        const auto length = pins.front()->size();
        if (data.size() <= byte) data.resize(byte + 1, 0x00);
        if (length_bits == 8 && bit % 8 == 0) {
            data[byte] = static_cast<std::uint8_t>(length);
        } else if (length_bits == 4 && bit % 4 == 0) {
            const unsigned shift = bit % 8 == 0 ? 4U : 0U;
            data[byte] = static_cast<std::uint8_t>((data[byte] & ~(0x0FU << shift)) |
                                                   ((length & 0x0FU) << shift));
        } else {
            out.reader_sw = sw_bad_block;
            return out;
        }
    }
    if (data.size() > 255) {
        out.reader_sw = sw_bad_block;
        return out;
    }

    out.apdu.assign(tmpl.begin(), tmpl.begin() + 4);
    if (!data.empty()) {
        out.apdu.push_back(static_cast<std::uint8_t>(data.size()));
        out.apdu.insert(out.apdu.end(), data.begin(), data.end());
    }
    if (le) out.apdu.push_back(*le);
    return out;
}

void put_tlv(Bytes& out, std::uint8_t tag, std::uint32_t value, std::size_t size) {
    out.push_back(tag);
    out.push_back(static_cast<std::uint8_t>(size));
    for (std::size_t i = 0; i < size; ++i)
        out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

}  // namespace

Bytes feature_list(bool has_pinpad) {
    Bytes out;
    if (!has_pinpad) return out;
    for (auto feature : {feature_verify_pin_direct, feature_modify_pin_direct,
                         feature_ifd_pin_properties, feature_get_tlv_properties}) {
        const auto code = feature_ioctl(feature);
        out.push_back(feature);
        out.push_back(4);
        for (int shift = 24; shift >= 0; shift -= 8)
            out.push_back(static_cast<std::uint8_t>(code >> shift));
    }
    return out;
}

Bytes pin_properties() {
    return {0x00, 0x00, 0x02, 0x00};
}

Bytes tlv_properties(const Limits& limits) {
    // PC/SC part 10 v2.02.09 §2.6.14 property tags (pcsc-lite reader.h
    // PCSCv2_PART10_PROPERTY_*).
    Bytes out;
    put_tlv(out, 0x01, 0x0000, 2);          // wLcdLayout: no display
    put_tlv(out, 0x02, 0x02, 1);            // bEntryValidationCondition: key
    put_tlv(out, 0x03, 0x00, 1);            // bTimeOut2
    put_tlv(out, 0x06, limits.min_pin, 1);  // bMinPINSize
    put_tlv(out, 0x07, limits.max_pin, 1);  // bMaxPINSize
    put_tlv(out, 0x09, 0x00, 1);            // bPPDUSupport: none
    put_tlv(out, 0x0A, 261, 4);             // dwMaxAPDUDataSize (short APDUs)
    return out;
}

Built build_verify(ByteView structure, const SecureBytes& pin) {
    return build(structure, verify_layout, {&pin}, 0, 0);
}

bool modify_wants_old_pin(ByteView structure) {
    if (structure.size() < modify_layout.header_size) malformed("shorter than its header");
    return (structure[modify_layout.confirm_pin] & confirm_wants_old) != 0;
}

Built build_modify(ByteView structure, const SecureBytes& old_pin, const SecureBytes& new_pin) {
    if (structure.size() < modify_layout.header_size) malformed("shorter than its header");
    const std::size_t off_old = structure[modify_layout.insertion_old];
    const std::size_t off_new = structure[modify_layout.insertion_new];
    if (modify_wants_old_pin(structure))
        return build(structure, modify_layout, {&old_pin, &new_pin}, off_old, off_new);
    return build(structure, modify_layout, {&new_pin}, off_new, off_new);
}

}  // namespace mynacard::virtual_reader::pinpad
