#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace mynacard {

// A per-user directory as the XDG Base Directory Specification defines it:
// $<xdg_variable> when it is set and absolute (a relative value is invalid
// and ignored), else <home>/<fallback>, home being $HOME or, without it,
// the user's passwd entry. Throws Error(not_found) when there is no home.
// Examples: ("XDG_STATE_HOME", ".local/state"), ("XDG_CONFIG_HOME", ".config").
[[nodiscard]] std::filesystem::path xdg_directory(const char* xdg_variable,
                                                  std::string_view fallback_under_home);

// The executable running as process `pid` (/proc/<pid>/exe, readable for the
// same user): what the kernel says runs there, which a program cannot fake
// by what it passes on its command line. Nothing when unreadable.
[[nodiscard]] std::optional<std::string> executable_of(long pid);
// This process's executable; "unknown" when unreadable.
[[nodiscard]] std::string own_executable();

}  // namespace mynacard
