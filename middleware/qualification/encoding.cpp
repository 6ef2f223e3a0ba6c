#include "qualification/encoding.h"

#include <iconv.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <memory>

#include "core/error.h"
#include "core/utf8.h"

namespace mynacard::qualification::detail {
namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; });
    return out;
}

bool is_space(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// glibc's name for Windows' code page 932 (iconv -l lists CP932, WINDOWS-31J).
constexpr const char* kCp932 = "CP932";

struct IconvCloser {
    void operator()(void* cd) const noexcept { ::iconv_close(static_cast<iconv_t>(cd)); }
};

std::unique_ptr<void, IconvCloser> open_iconv(const char* to, const char* from) {
    iconv_t cd = ::iconv_open(to, from);
    if (cd == reinterpret_cast<iconv_t>(static_cast<std::intptr_t>(-1)))
        throw Error(Errc::internal, std::string("iconv cannot convert ") + from + " to " + to);
    return std::unique_ptr<void, IconvCloser>(cd);
}

// Converts all of `in`; false when a sequence is invalid or unmappable.
bool convert(const char* to, const char* from, std::string_view in, std::string& out) {
    auto cd = open_iconv(to, from);
    out.clear();
    std::array<char, 4096> buffer{};
    char* src = const_cast<char*>(in.data());  // iconv's signature; it does not write
    std::size_t left = in.size();
    while (left > 0) {
        char* dst = buffer.data();
        std::size_t room = buffer.size();
        const std::size_t rc = ::iconv(static_cast<iconv_t>(cd.get()), &src, &left, &dst, &room);
        out.append(buffer.data(), buffer.size() - room);
        if (rc == static_cast<std::size_t>(-1) && errno != E2BIG) return false;
    }
    return true;
}

}  // namespace

std::optional<std::string> declared_encoding(ByteView file) {
    std::string_view text(reinterpret_cast<const char*>(file.data()),
                          std::min<std::size_t>(file.size(), 512));
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    if (text.substr(0, 5) != "<?xml") return std::nullopt;
    const auto end = text.find("?>");
    if (end == std::string_view::npos) return std::nullopt;
    std::string_view decl = text.substr(0, end);
    auto at = decl.find("encoding");
    if (at == std::string_view::npos) return std::nullopt;
    at += 8;
    while (at < decl.size() && is_space(decl[at])) ++at;
    if (at >= decl.size() || decl[at] != '=') return std::nullopt;
    ++at;
    while (at < decl.size() && is_space(decl[at])) ++at;
    if (at >= decl.size() || (decl[at] != '"' && decl[at] != '\'')) return std::nullopt;
    const char quote = decl[at++];
    const auto close = decl.find(quote, at);
    if (close == std::string_view::npos) return std::nullopt;
    return std::string(decl.substr(at, close - at));
}

bool is_shift_jis_label(std::string_view label) noexcept {
    // Labels seen for Windows' Shift_JIS: the IANA name and its aliases, and
    // Microsoft's names for code page 932.
    static constexpr std::array<std::string_view, 9> kLabels{
        "shift_jis", "shift-jis", "sjis",     "x-sjis",    "windows-31j",
        "cp932",     "ms932",     "ms_kanji", "csshiftjis"};
    const std::string l = lower(label);
    return std::find(kLabels.begin(), kLabels.end(), l) != kLabels.end();
}

bool is_utf8_label(std::string_view label) noexcept {
    const std::string l = lower(label);
    return l == "utf-8" || l == "utf8";
}

std::string cp932_to_utf8(ByteView bytes) {
    std::string out;
    const std::string_view in(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    if (!convert("UTF-8", kCp932, in, out))
        throw Error(Errc::malformed_data, "XML: the file is not valid Shift_JIS (CP932)");
    return out;
}

std::optional<std::string> utf8_to_cp932(std::string_view text) {
    if (!is_valid_utf8(text)) return std::nullopt;
    std::string out;
    if (!convert(kCp932, "UTF-8", text, out)) return std::nullopt;
    return out;
}

}  // namespace mynacard::qualification::detail
