#pragma once

#include <string>
#include <string_view>

#include "card/card.h"
#include "core/bytes.h"

// Parsers of the records the text AP and the 券面AP return. Pure functions
// over bytes (no card I/O), so fuzz targets and other tools can use them.
// Each throws Error(Errc::malformed_data) when a tag, length or value breaks
// the layout in card-facts.md; the message never contains the data.
namespace mynacard::card {

// Check digit rule of the My Number (番号法施行規則 §5): Σ Pn×Qn over the first
// 11 digits counted from the right, Qn = n+1 (n ≤ 6) or n−5 (n ≥ 7);
// check = 11 − (Σ mod 11), or 0 when the remainder is 0 or 1.
[[nodiscard]] bool is_valid_my_number(std::string_view number) noexcept;

// Text AP EF 0001 (card-facts.md §3.3): FF 10 0C + 12 ASCII digits, then
// filler. Returns the My Number after checking its check digit.
[[nodiscard]] std::string parse_my_number_file(ByteView file);

// Text AP EF 0002 (card-facts.md §3.4): exactly one FF20 object holding
// DF21 (offset table), DF22 name, DF23 address (UTF-8), DF24 birth date
// (8 ASCII digits), DF25 sex (1 ASCII digit). Unknown tags are skipped.
[[nodiscard]] BasicFour parse_basic_four(ByteView record);

// 券面AP EF 0002 (card-facts.md §4.4): exactly one FF20 object holding DF21
// and DF22–DF2A. `record` is kept in FaceData::record.
[[nodiscard]] FaceData parse_face_record(ByteView record);

}  // namespace mynacard::card
