#pragma once

// The face folder: results of card checks at the face reader, pushed by the
// terminal without a request [A17][A28]. FaceWatcher hands each new file to
// the caller once — a SQLite journal remembers what was handled, across
// restarts — and copes with what these folders do in practice: files still
// being written, copies under another name, leftovers from long ago,
// malformed files, both encodings, and a network mount that goes away and
// comes back.

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "qualification/xml_msg.h"

namespace mynacard::qualification {

struct FaceWatcherOptions {
    // The folder is looked at this often; inotify wakes us earlier where it
    // works (on SMB/NFS mounts it often sees nothing). Vendors poll every
    // few seconds [A28].
    std::chrono::milliseconds poll_interval{1000};
    // A file counts as completely written once its size and mtime have not
    // changed for this long.
    std::chrono::milliseconds stable_for{500};
    // A file first seen when it is already older than this is a leftover:
    // journalled as stale and not delivered (nobody is waiting at the desk
    // for yesterday's check). nullopt delivers every file.
    std::optional<std::chrono::seconds> max_age = std::chrono::hours(24);
    // Decision 11: delivered files hold personal data. Off by default
    // because other software of the clinic may read the same folder.
    bool remove_delivered = false;
};

struct FaceResult {
    std::string file_name;  // e.g. OQSsiquc01res_….xml
    std::string sha256;     // of the file's bytes, lower-case hex
    Encoding encoding = Encoding::utf8;
    XmlMsg message;
    Bytes bytes;  // the file as read (exported as is)
};

class FaceWatcher {
  public:
    // `face_dir` need not exist yet. `journal` is the SQLite file (created
    // when missing). Malformed files are moved to `rejected/` beside
    // `face_dir`, each with a `<name>.reason.txt`. Throws Error(io) when the
    // journal cannot be opened.
    FaceWatcher(std::filesystem::path face_dir, const std::filesystem::path& journal,
                FaceWatcherOptions options = {});
    ~FaceWatcher();
    FaceWatcher(const FaceWatcher&) = delete;
    FaceWatcher& operator=(const FaceWatcher&) = delete;

    // Called once per new result. If it throws, the file is not journalled
    // and is offered again by the next scan (the exception propagates).
    using Handler = std::function<void(const FaceResult&)>;

    // One look at the folder: delivers every new file that has settled.
    // Returns the number delivered.
    std::size_t poll(const Handler& handler);
    // Looks until at least one file was delivered or `timeout` passed.
    std::size_t wait(std::chrono::milliseconds timeout, const Handler& handler);

    // Whether the folder was there at the last look.
    [[nodiscard]] bool folder_present() const noexcept;
    [[nodiscard]] std::filesystem::path rejected_dir() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace mynacard::qualification
