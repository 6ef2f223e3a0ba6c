#include "core/paths.h"

#include <pwd.h>
#include <sys/auxv.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <string>

#include "core/error.h"

namespace mynacard {

bool privileged_host(const ProcessIds& ids) noexcept {
    return ids.at_secure || ids.uid != ids.euid || ids.gid != ids.egid;
}

bool privileged_host() noexcept {
    ProcessIds ids;
    ids.at_secure = ::getauxval(AT_SECURE) != 0;
    ids.uid = ::getuid();
    ids.euid = ::geteuid();
    ids.gid = ::getgid();
    ids.egid = ::getegid();
    return privileged_host(ids);
}

std::string trusted_env(const char* name) {
    // secure_getenv answers nothing when AT_SECURE is set; the id check
    // covers a process that changed its ids itself after start.
    if (privileged_host()) return {};
    const char* v = ::secure_getenv(name);  // NOLINT(concurrency-mt-unsafe): read-only use
    return v != nullptr ? std::string(v) : std::string();
}

std::filesystem::path home_directory() {
    if (auto home = trusted_env("HOME"); !home.empty()) return home;
    std::array<char, 4096> buf{};
    passwd pw{};
    passwd* found = nullptr;
    if (::getpwuid_r(::getuid(), &pw, buf.data(), buf.size(), &found) == 0 && found != nullptr &&
        found->pw_dir != nullptr && *found->pw_dir != '\0')
        return found->pw_dir;
    throw Error(Errc::not_found, "no home directory");
}

std::filesystem::path xdg_directory(const char* xdg_variable,
                                    std::string_view fallback_under_home) {
    if (auto p = trusted_env(xdg_variable); !p.empty() && std::filesystem::path(p).is_absolute())
        return p;
    return home_directory() / fallback_under_home;
}

std::optional<std::string> executable_of(long pid) {
    std::array<char, 4096> buf{};
    const std::string link = "/proc/" + std::to_string(pid) + "/exe";
    const ssize_t n = ::readlink(link.c_str(), buf.data(), buf.size() - 1);
    if (n <= 0) return std::nullopt;
    return std::string(buf.data(), static_cast<std::size_t>(n));
}

std::string own_executable() {
    return executable_of(static_cast<long>(::getpid())).value_or("unknown");
}

}  // namespace mynacard
