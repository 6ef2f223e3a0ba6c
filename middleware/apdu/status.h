#pragma once

#include <cstdint>

namespace mynacard::apdu::sw {

// Status words as the My Number Card uses them. Source: shared card-facts.md
// §6 (ISO/IEC 7816-4 §5.6 meanings; observations from OpenSC card-jpki.c,
// jpki/myna and soltia48/myna-card as cited there).
inline constexpr std::uint16_t ok = 0x9000;
inline constexpr std::uint16_t eof_warning = 0x6282;         // end of file reached (tolerated)
inline constexpr std::uint16_t verify_failed_base = 0x63C0;  // 63Cx: x tries left
inline constexpr std::uint16_t wrong_length = 0x6700;
inline constexpr std::uint16_t channel_not_supported = 0x6881;
inline constexpr std::uint16_t incompatible_file = 0x6981;
inline constexpr std::uint16_t security_not_satisfied = 0x6982;
inline constexpr std::uint16_t auth_method_blocked = 0x6983;
inline constexpr std::uint16_t reference_data_blocked = 0x6984;  // "referenced IEF locked"
inline constexpr std::uint16_t conditions_not_satisfied = 0x6985;
inline constexpr std::uint16_t no_current_ef = 0x6986;
inline constexpr std::uint16_t incorrect_data = 0x6A80;
inline constexpr std::uint16_t file_not_found = 0x6A82;
inline constexpr std::uint16_t record_not_found = 0x6A83;
inline constexpr std::uint16_t incorrect_p1p2 = 0x6A86;
inline constexpr std::uint16_t data_not_found = 0x6A88;
inline constexpr std::uint16_t wrong_p1p2 = 0x6B00;  // also "offset beyond EOF" (JICSAP)
inline constexpr std::uint16_t ins_not_supported = 0x6D00;
inline constexpr std::uint16_t cla_not_supported = 0x6E00;
inline constexpr std::uint16_t no_precise_diagnosis = 0x6F00;

[[nodiscard]] constexpr bool is_verify_failed(std::uint16_t s) noexcept {
    return (s & 0xFFF0) == verify_failed_base;
}
[[nodiscard]] constexpr unsigned tries_left(std::uint16_t s) noexcept {
    return s & 0x0F;
}

}  // namespace mynacard::apdu::sw
