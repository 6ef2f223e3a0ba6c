#pragma once

// The front desk's exports to the clinic's own system (docs/front-desk.md,
// "Exports"): each confirmed result as the XML received, in its original
// encoding, plus a JSON file, written atomically into the export folder.
// A write that fails (folder gone, disk full, not writable) is kept in a
// SQLite queue and written by a later retry(), also after a restart.
//
// An attacker on the same machine is assumed to be able to write into the
// export folder (it is shared with the clinic's system): the export folder
// itself may be a symlink the clinic set up, but nothing in it is followed —
// the temporary file is created with O_EXCL|O_NOFOLLOW under a random name,
// and the rename never replaces an existing name. The queue holds personal
// data until it is written: mode 0600 in a 0700 state folder, and
// `secure_delete` so that written rows are not left in free pages.

#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/bytes.h"
#include "qualification/xml_msg.h"

namespace mynacard::qualification {

struct ExportItem {
    XmlMsg message;
    // The bytes as received; empty → written from `message` in the encoding
    // its CharacterCodeIdentifier names (UTF-8 when absent).
    Bytes received;
    std::chrono::system_clock::time_point received_at;
};

struct ExportOutcome {
    std::string base_name;  // "20250301-093015_<id>": the files are base_name + .xml/.json
    bool written = false;   // false: queued, retry() writes it
    std::string error;      // why it was queued (a path and a reason, nothing personal)
};

// The ArbitraryFileIdentifier part of the names: [0-9A-Za-z_-], at most
// 64 characters; anything else is replaced by a random id.
constexpr std::size_t kMaxExportIdentifier = 64;

class ExportQueue {
  public:
    // `export_dir` need not exist yet (a failed write is queued).
    // `queue_db` is created (mode 0600) when missing, its folder too (mode
    // 0700). Throws Error(io) when the queue cannot be opened or its folder
    // is another user's, Error(invalid_argument) when `queue_db` is a symlink.
    ExportQueue(std::filesystem::path export_dir, std::filesystem::path queue_db);
    ~ExportQueue();
    ExportQueue(const ExportQueue&) = delete;
    ExportQueue& operator=(const ExportQueue&) = delete;

    // Writes the item's two files, or queues it when that fails. Throws
    // Error(io) only when the queue itself cannot be written (then nothing
    // was written either: the caller keeps the result on screen).
    [[nodiscard]] ExportOutcome submit(const ExportItem& item);
    // Writes what is queued, oldest first, until one fails. Returns the
    // number written.
    std::size_t retry();
    [[nodiscard]] std::size_t pending() const;
    // Why the last write failed (nullopt after a success or when nothing is
    // pending).
    [[nodiscard]] std::optional<std::string> last_error() const;

    [[nodiscard]] const std::filesystem::path& export_dir() const noexcept { return export_dir_; }

    // The base name for an item: local time of `received_at` and the
    // identifier (or a random one).
    [[nodiscard]] static std::string base_name(const XmlMsg& message,
                                               std::chrono::system_clock::time_point received_at);
    // Whether a file name in the export folder is one of our temporaries
    // (".<base>.<ext>.<random>.tmp"): clinic systems skip dot files.
    [[nodiscard]] static bool is_temporary_name(std::string_view file_name);

  private:
    struct Db;
    std::filesystem::path export_dir_;
    std::unique_ptr<Db> db_;
    mutable std::mutex mutex_;
    std::optional<std::string> last_error_;
};

// The JSON file's content (docs/front-desk.md, "Exports") but for
// "xml_file", which the writer adds once the name is settled: the message as
// answer_json.h maps it, the expiry warnings on the day received, the XML
// file's encoding and the time received.
[[nodiscard]] nlohmann::json export_json(const XmlMsg& message, Encoding xml_encoding,
                                         std::chrono::system_clock::time_point received_at);

}  // namespace mynacard::qualification
