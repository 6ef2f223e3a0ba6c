#pragma once

#include <cstddef>
#include <cstdint>

// File identifiers and fixed sizes of the My Number Card, each with the
// section of the shared card-facts.md that documents it. Only [C] facts
// (two or more independent tools agree) are used to drive a real card.
namespace mynacard::card::detail {

namespace jpki {                                    // card-facts.md §2.1, §2.3
inline constexpr std::uint16_t sign_cert = 0x0001;  // needs the sign password
inline constexpr std::uint16_t sign_ca = 0x0002;
inline constexpr std::uint16_t auth_cert = 0x000A;  // free on the plastic card
inline constexpr std::uint16_t auth_ca = 0x000B;
inline constexpr std::uint16_t auth_key = 0x0017;
inline constexpr std::uint16_t auth_pin = 0x0018;
inline constexpr std::uint16_t sign_key = 0x001A;
inline constexpr std::uint16_t sign_pin = 0x001B;  // absent under 15 (SELECT → 6A82)
}  // namespace jpki

namespace text {  // card-facts.md §3.1, §3.2
inline constexpr std::uint16_t pin = 0x0011;
inline constexpr std::uint16_t my_number = 0x0001;
inline constexpr std::uint16_t basic_four = 0x0002;
inline constexpr std::uint16_t integrity = 0x0003;
inline constexpr std::uint16_t ap_certificate = 0x0004;
// §3.3: FF 10 0C + 12 digits + FF FF, read with exactly this Le by every tool.
inline constexpr std::size_t my_number_file_size = 17;
}  // namespace text

namespace face {  // card-facts.md §4.1, §4.3
inline constexpr std::uint16_t code_b = 0x0012;
inline constexpr std::uint16_t code_a = 0x0013;
inline constexpr std::uint16_t card_face = 0x0002;
inline constexpr std::size_t code_a_digits = 12;  // §4.2: the My Number
inline constexpr std::size_t code_b_digits = 14;  // §4.2: YYMMDD + YYYY + 4-digit code
// Tries of 照合番号A/B are unknown (§4.1 [U]); used only when an empty VERIFY
// answers 9000, which says nothing about the count.
inline constexpr int unknown_max_tries = 10;
}  // namespace face

// Outer tags of the records read with a header plan.
namespace tag {
inline constexpr std::uint32_t der_sequence = 0x30;      // X.509 certificate (§2.1)
inline constexpr std::uint32_t my_number = 0xFF10;       // §3.3
inline constexpr std::uint32_t basic_four = 0xFF20;      // §3.4 (also the card face, §4.4)
inline constexpr std::uint32_t integrity = 0xFF30;       // §3.5
inline constexpr std::uint32_t cv_certificate = 0x7F21;  // §3.5
}  // namespace tag

// §1.3: short READ BINARY carries a 15-bit offset (P1 b8 = 0), so nothing at
// or beyond 0x8000 is reachable; we never need extended Le or SFI reads.
inline constexpr std::size_t max_short_offset = 0x7FFF;
inline constexpr std::size_t max_object_size = 0x7FFF;

}  // namespace mynacard::card::detail
