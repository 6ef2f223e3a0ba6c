#pragma once

// The SQLite journal of the face folder (internal to the folder): every file
// name handled, the SHA-256 of its content and what was done with it, so a
// result is delivered once — across restarts too — and a copy of it under
// another name is recognised. Names and hashes only: no personal data.

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

struct sqlite3;

namespace mynacard::qualification::detail {

enum class FaceOutcome { delivered, duplicate, rejected, stale };

class FaceJournal {
  public:
    // Creates the file and its table when missing. Throws Error(io).
    explicit FaceJournal(const std::filesystem::path& file);
    ~FaceJournal();
    FaceJournal(const FaceJournal&) = delete;
    FaceJournal& operator=(const FaceJournal&) = delete;

    [[nodiscard]] bool has_name(std::string_view name);
    // True when content with this hash was delivered (under any name).
    [[nodiscard]] bool has_delivered(std::string_view sha256);
    void record(std::string_view name, std::string_view sha256, FaceOutcome outcome);

  private:
    struct Closer {
        void operator()(sqlite3* db) const noexcept;
    };
    std::unique_ptr<sqlite3, Closer> db_;
};

}  // namespace mynacard::qualification::detail
