#pragma once

// A fresh private directory for one test, removed with everything in it by
// the destructor. mkdtemp makes it mode 0700 under a name nobody can guess,
// so another user of the machine can neither predict it nor plant files or
// symlinks in it beforehand. TMPDIR (std::filesystem::temp_directory_path)
// chooses where, so CI can point tests at a scratch file system.
// MYNACARD_KEEP_TEST_OUTPUT=1 keeps every such directory, so the secrets scan
// (tests/integration/secrets_scan.py) can search what the tests wrote.

#include <stdlib.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

namespace mynacard::test {

// True when the run keeps test output for the secrets scan (scripts/test).
[[nodiscard]] inline bool keep_test_output() noexcept {
    const char* v = std::getenv("MYNACARD_KEEP_TEST_OUTPUT");  // NOLINT(concurrency-mt-unsafe)
    return v != nullptr && std::strcmp(v, "1") == 0;
}

class TempDir {
  public:
    // `prefix` names the test in the directory name ("<prefix>-XXXXXX").
    explicit TempDir(std::string_view prefix = "mynacard-test") {
        std::string templ =
            (std::filesystem::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
        if (::mkdtemp(templ.data()) == nullptr)
            throw std::system_error(errno, std::generic_category(), "mkdtemp " + templ);
        path_ = templ;
        keep_ = keep_test_output();
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
