#pragma once
// The version of libmynacard a program runs with (the shared library's
// version, not the headers'): for "about" boxes and bug reports.

namespace mynacard::library {

// "major.minor.patch" of the loaded libmynacard.so.1.
[[nodiscard]] const char* version() noexcept;

}  // namespace mynacard::library
