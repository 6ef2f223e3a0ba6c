#pragma once

// PC/SC part 10 PIN-pad support of the virtual reader: the feature list,
// the PIN properties, and turning a PIN_VERIFY_STRUCTURE / PIN_MODIFY_STRUCTURE
// plus the PIN(s) "typed" through mynacard-sim into the APDU sent to the card.

#include <cstdint>
#include <optional>

#include "core/bytes.h"

namespace mynacard::virtual_reader::pinpad {

// pcsc-lite reader.h: SCARD_CTL_CODE(code) = 0x42000000 + code.
[[nodiscard]] constexpr std::uint32_t scard_ctl_code(std::uint32_t code) noexcept {
    return 0x42000000U + code;
}
// pcsc-lite reader.h CM_IOCTL_GET_FEATURE_REQUEST.
inline constexpr std::uint32_t ioctl_get_feature_request = scard_ctl_code(3400);

// PC/SC part 10 v2.02.09 §2.3 feature tags (pcsc-lite reader.h FEATURE_*).
inline constexpr std::uint8_t feature_verify_pin_direct = 0x06;
inline constexpr std::uint8_t feature_modify_pin_direct = 0x07;
inline constexpr std::uint8_t feature_ifd_pin_properties = 0x0A;
inline constexpr std::uint8_t feature_get_tlv_properties = 0x12;

// Control code of each feature, numbered like the CCID driver
// (CCID src/ifdhandler.h: SCARD_CTL_CODE(FEATURE_x + CLASS2_IOCTL_MAGIC),
// CLASS2_IOCTL_MAGIC 0x330000).
inline constexpr std::uint32_t class2_ioctl_magic = 0x330000;
[[nodiscard]] constexpr std::uint32_t feature_ioctl(std::uint8_t feature) noexcept {
    return scard_ctl_code(class2_ioctl_magic + feature);
}

struct Limits {
    std::uint8_t min_pin = 4;   // card-facts.md §2.4: auth PIN 4 digits
    std::uint8_t max_pin = 16;  // sign password up to 16 characters
};

// CM_IOCTL_GET_FEATURE_REQUEST answer: tag, 4, control code big-endian
// (PC/SC part 10 v2.02.09 §2.2). Empty for a reader without a PIN pad.
[[nodiscard]] Bytes feature_list(bool has_pinpad);
// PIN_PROPERTIES_STRUCTURE (pcsc-lite reader.h): wLcdLayout 0 (no display),
// bEntryValidationCondition 02 (validation key), bTimeOut2 0.
[[nodiscard]] Bytes pin_properties();
// FEATURE_GET_TLV_PROPERTIES answer (PC/SC part 10 v2.02.09 §2.6.14):
// tag, length, little-endian value.
[[nodiscard]] Bytes tlv_properties(const Limits& limits);

// Status words a PIN pad answers itself (PC/SC part 10 v2.02.09 §2.5.3).
inline constexpr std::uint16_t sw_timeout = 0x6400;
inline constexpr std::uint16_t sw_cancelled = 0x6401;
inline constexpr std::uint16_t sw_mismatch = 0x6402;
inline constexpr std::uint16_t sw_length = 0x6403;
inline constexpr std::uint16_t sw_bad_block = 0x6B80;

// Result of building the APDU: either an APDU for the card or a status word
// the reader answers without touching the card.
struct Built {
    SecureBytes apdu;             // contains the PIN: never log, zeroised on release
    std::uint16_t reader_sw = 0;  // non-zero: answer this instead
};

// Builds the VERIFY APDU from a PIN_VERIFY_STRUCTURE (19-byte header +
// APDU template) and the typed PIN. Throws Error(invalid_argument) when the
// structure is malformed.
[[nodiscard]] Built build_verify(ByteView structure, const SecureBytes& pin);
// Builds the CHANGE REFERENCE DATA APDU from a PIN_MODIFY_STRUCTURE (24-byte
// header + template); `old_pin` is ignored when bConfirmPIN bit 1 is clear.
[[nodiscard]] Built build_modify(ByteView structure, const SecureBytes& old_pin,
                                 const SecureBytes& new_pin);
// True when the modify structure asks for the current PIN (bConfirmPIN bit 1).
[[nodiscard]] bool modify_wants_old_pin(ByteView structure);

}  // namespace mynacard::virtual_reader::pinpad
