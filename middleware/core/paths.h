#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace mynacard {

// True when this process runs with more rights than the user who started it:
// set-uid or set-gid (the kernel's AT_SECURE flag, or real and effective ids
// differ), e.g. the PKCS#11 module loaded by pam_p11 inside sudo. Such a
// host trusts nothing its caller's environment says and gets no file written
// by the product (audit log, consent store): a path chosen by the caller
// would otherwise be created or appended to with the host's rights.
[[nodiscard]] bool privileged_host() noexcept;
// The decision itself, from what the kernel reports, so it can be tested
// without a set-uid binary.
struct ProcessIds {
    bool at_secure = false;  // getauxval(AT_SECURE)
    unsigned uid = 0, euid = 0, gid = 0, egid = 0;
};
[[nodiscard]] bool privileged_host(const ProcessIds& ids) noexcept;

// An environment variable that decides a path or a security choice:
// secure_getenv, so nothing in a privileged host. Empty when unset.
[[nodiscard]] std::string trusted_env(const char* name);

// The home directory of the real user: $HOME in an ordinary process, the
// passwd entry of getuid() when $HOME is unset or the host is privileged.
// Throws Error(not_found) when there is none.
[[nodiscard]] std::filesystem::path home_directory();

// A per-user directory as the XDG Base Directory Specification defines it:
// $<xdg_variable> when it is set and absolute (a relative value is invalid
// and ignored; a privileged host ignores it always), else
// home_directory()/<fallback>. Throws Error(not_found) when there is no home.
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
