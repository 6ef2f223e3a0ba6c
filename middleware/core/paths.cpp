#include "core/paths.h"

#include <pwd.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <string>

#include "core/error.h"

namespace mynacard {

std::filesystem::path xdg_directory(const char* xdg_variable,
                                    std::string_view fallback_under_home) {
    const auto env = [](const char* name) -> std::string {
        const char* v = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read-only use
        return v != nullptr ? std::string(v) : std::string();
    };
    if (auto p = env(xdg_variable); !p.empty() && std::filesystem::path(p).is_absolute()) return p;
    std::string home = env("HOME");
    if (home.empty()) {
        std::array<char, 4096> buf{};
        passwd pw{};
        passwd* found = nullptr;
        if (::getpwuid_r(::getuid(), &pw, buf.data(), buf.size(), &found) == 0 &&
            found != nullptr && found->pw_dir != nullptr)
            home = found->pw_dir;
    }
    if (home.empty())
        throw Error(Errc::not_found,
                    "no home directory (and no $" + std::string(xdg_variable) + ")");
    return std::filesystem::path(home) / fallback_under_home;
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
