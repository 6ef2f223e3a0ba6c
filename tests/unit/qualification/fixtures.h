#pragma once

// Fixture files and their Shift_JIS (CP932) forms for the qualification
// tests. The conversion uses iconv directly, not the code under test.

#include <iconv.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "core/bytes.h"

namespace qualification_test {

inline std::filesystem::path data_dir() {
    return MYNACARD_QUALIFICATION_DATA;
}

inline std::string read_text(const std::filesystem::path& file) {
    // std::ifstream + istreambuf_iterator trips gcc 12's -Wnull-dereference.
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> in(std::fopen(file.c_str(), "rb"),
                                                       &std::fclose);
    if (!in) throw std::runtime_error("cannot read fixture " + file.string());
    std::string out;
    char buffer[4096];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, in.get())) > 0) out.append(buffer, n);
    return out;
}

inline std::string fixture(const std::string& name) {
    return read_text(data_dir() / name);
}

inline mynacard::Bytes bytes(const std::string& text) {
    return mynacard::Bytes(text.begin(), text.end());
}

// `text` (UTF-8) in CP932, as Windows writes files labelled Shift_JIS.
inline std::string to_cp932(const std::string& text) {
    iconv_t cd = ::iconv_open("CP932", "UTF-8");
    if (cd == reinterpret_cast<iconv_t>(static_cast<std::intptr_t>(-1)))
        throw std::runtime_error("iconv has no CP932");
    std::string out(text.size() * 2 + 16, '\0');
    char* in = const_cast<char*>(text.data());
    std::size_t in_left = text.size();
    char* dst = out.data();
    std::size_t out_left = out.size();
    const std::size_t rc = ::iconv(cd, &in, &in_left, &dst, &out_left);
    ::iconv_close(cd);
    if (rc == static_cast<std::size_t>(-1)) throw std::runtime_error("not convertible to CP932");
    out.resize(out.size() - out_left);
    return out;
}

// Replaces the first `from` by `to`.
inline std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    if (at == std::string::npos) throw std::runtime_error("fixture lacks " + from);
    return text.replace(at, from.size(), to);
}

}  // namespace qualification_test
