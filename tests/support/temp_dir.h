#pragma once

// A fresh private directory for one test, removed with everything in it by
// the destructor. mkdtemp makes it mode 0700 under a name nobody can guess,
// so another user of the machine can neither predict it nor plant files or
// symlinks in it beforehand. TMPDIR (std::filesystem::temp_directory_path)
// chooses where, so CI can point tests at a scratch file system.

#include <stdlib.h>

#include <cerrno>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

namespace mynacard::test {

class TempDir {
  public:
    // `prefix` names the test in the directory name ("<prefix>-XXXXXX").
    explicit TempDir(std::string_view prefix = "mynacard-test") {
        std::string templ =
            (std::filesystem::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
        if (::mkdtemp(templ.data()) == nullptr)
            throw std::system_error(errno, std::generic_category(), "mkdtemp " + templ);
        path_ = templ;
    }
    ~TempDir() {
        if (keep_) return;
        std::error_code ignored;  // a destructor must not throw; leftovers are only litter
        std::filesystem::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    TempDir(TempDir&&) = delete;
    TempDir& operator=(TempDir&&) = delete;

    [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }
    [[nodiscard]] std::filesystem::path operator/(const std::filesystem::path& p) const {
        return path_ / p;
    }
    // Leaves the directory behind for a person to inspect a failure.
    void keep() noexcept { keep_ = true; }

  private:
    std::filesystem::path path_;
    bool keep_ = false;
};

}  // namespace mynacard::test
