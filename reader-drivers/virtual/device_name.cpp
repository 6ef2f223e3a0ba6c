#include "virtual/device_name.h"

#include <charconv>

namespace mynacard::virtual_reader {

namespace {
constexpr std::string_view prefix = "mynacard-virtual:";
// Separators accepted before "pinpad": '+' is the documented one, '-' and
// ':' survive pcscd's unquoted-token lexer (pcsc-lite src/configfile.l).
constexpr std::string_view pinpad_suffixes[] = {"+pinpad", "-pinpad", ":pinpad"};
}  // namespace

std::optional<DeviceName> parse_device_name(std::string_view text) {
    // pcscd keeps the quotes of a quoted DEVICENAME (configfile.l strips
    // them only from FRIENDLYNAME).
    while (!text.empty() && (text.front() == '"' || text.front() == '\'')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == '"' || text.back() == '\'')) text.remove_suffix(1);
    if (!text.starts_with(prefix)) return std::nullopt;
    text.remove_prefix(prefix.size());

    DeviceName out;
    auto colon = text.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    auto index_text = text.substr(0, colon);
    auto [ptr, ec] =
        std::from_chars(index_text.data(), index_text.data() + index_text.size(), out.index);
    if (ec != std::errc{} || ptr != index_text.data() + index_text.size() || out.index < 0 ||
        out.index >= max_readers)
        return std::nullopt;
    auto mode = text.substr(colon + 1);
    for (auto suffix : pinpad_suffixes) {
        if (mode.ends_with(suffix)) {
            out.pinpad = true;
            mode.remove_suffix(suffix.size());
            break;
        }
    }
    if (mode == "contact")
        out.mode = ReaderMode::contact;
    else if (mode == "contactless")
        out.mode = ReaderMode::contactless;
    else
        return std::nullopt;
    return out;
}

std::string to_string(ReaderMode mode) {
    return mode == ReaderMode::contact ? "contact" : "contactless";
}

}  // namespace mynacard::virtual_reader
