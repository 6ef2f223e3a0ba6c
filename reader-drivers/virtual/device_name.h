#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mynacard::virtual_reader {

enum class ReaderMode { contact, contactless };

// A parsed reader.conf DEVICENAME: "mynacard-virtual:<index>:<mode>[+pinpad]".
// pcscd 1.9.9's reader.conf lexer (src/configfile.l) only accepts
// [A-Za-z0-9\/\-._@:] in an unquoted value, so "+pinpad" must be quoted
// (pcscd then passes the quotes through) or written "-pinpad" / ":pinpad".
// All three spellings, quoted or not, are accepted here.
struct DeviceName {
    int index = 0;
    ReaderMode mode = ReaderMode::contact;
    bool pinpad = false;
};

inline constexpr int max_readers = 16;  // pcsc-lite PCSCLITE_MAX_READERS_CONTEXTS

[[nodiscard]] std::optional<DeviceName> parse_device_name(std::string_view text);
[[nodiscard]] std::string to_string(ReaderMode mode);

}  // namespace mynacard::virtual_reader
