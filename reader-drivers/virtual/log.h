#pragma once

// Diagnostics of the handler go to pcscd's stderr (visible with
// `pcscd --foreground`). Never pass APDU data or PINs here.

#include <cstdio>
#include <string>

namespace mynacard::virtual_reader {

inline void log_error(const std::string& message) noexcept {
    std::fprintf(stderr, "mynacard-virtual: error: %s\n", message.c_str());
}
inline void log_info(const std::string& message) noexcept {
    std::fprintf(stderr, "mynacard-virtual: %s\n", message.c_str());
}

}  // namespace mynacard::virtual_reader
