#pragma once

// Character encodings of the XmlMsg files (internal to the folder): which
// one a file is in, and CP932 <-> UTF-8. Files labelled Shift_JIS come from
// Windows, which writes CP932 (Shift_JIS plus the NEC/IBM extensions such as
// ①, ㈱, 髙), so every Shift_JIS label is read and written as CP932.

#include <optional>
#include <string>
#include <string_view>

#include "core/bytes.h"
#include "qualification/xml_msg.h"

namespace mynacard::qualification::detail {

// The encoding named by the XML declaration (`<?xml … encoding='…'?>`), as
// written; nullopt when there is no declaration or it names none.
[[nodiscard]] std::optional<std::string> declared_encoding(ByteView file);
// Shift_JIS, shift-jis, SJIS, x-sjis, Windows-31J, CP932, MS932 (any case).
[[nodiscard]] bool is_shift_jis_label(std::string_view label) noexcept;
[[nodiscard]] bool is_utf8_label(std::string_view label) noexcept;

// CP932 bytes to UTF-8; throws Error(malformed_data) on bytes CP932 does
// not define.
[[nodiscard]] std::string cp932_to_utf8(ByteView bytes);
// UTF-8 to CP932; nullopt when a character has no CP932 form.
[[nodiscard]] std::optional<std::string> utf8_to_cp932(std::string_view text);

}  // namespace mynacard::qualification::detail
