#pragma once

// File-system pieces shared by TerminalFolders and FaceWatcher (internal to
// the folder): atomic writes, bounded reads, "has this file stopped
// changing", and waiting for a folder to change — inotify where it works,
// the poll interval always as the upper bound, because on the SMB/NFS mounts
// clinics use inotify often sees nothing.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "core/bytes.h"
#include "core/unique_fd.h"

namespace mynacard::qualification::detail {

using Clock = std::chrono::steady_clock;

// Writes `data` to dir/name so that a reader sees the whole file or none:
// a temporary name in the same folder that the other side ignores (a dot
// file not ending in .xml), fsync, rename, fsync of the folder.
// Throws Error(io) naming the file.
void write_atomically(const std::filesystem::path& dir, const std::string& name, ByteView data);

// The whole file, refusing symlinks and anything larger than `max_size`
// (Error(invalid_argument)). nullopt when the file does not exist.
[[nodiscard]] std::optional<Bytes> read_bounded(const std::filesystem::path& file,
                                                std::size_t max_size);

struct FileState {
    std::uintmax_t size = 0;
    std::int64_t mtime_ns = 0;
    bool operator==(const FileState&) const = default;
};
// nullopt when the path is not a regular file (missing, a folder, a symlink).
[[nodiscard]] std::optional<FileState> file_state(const std::filesystem::path& file);

// A file counts as completely written once its size and mtime have not
// changed for `stable_for` (the writer may be on another machine: there is
// no lock to see).
class SettleTracker {
  public:
    explicit SettleTracker(std::chrono::milliseconds stable_for) : stable_for_(stable_for) {}
    // True when `state` is what `name` had at least stable_for ago.
    [[nodiscard]] bool settled(const std::string& name, const FileState& state,
                               Clock::time_point now);
    void forget(const std::string& name) { seen_.erase(name); }
    [[nodiscard]] std::chrono::milliseconds stable_for() const noexcept { return stable_for_; }

  private:
    struct Seen {
        FileState state;
        Clock::time_point since;
    };
    std::chrono::milliseconds stable_for_;
    std::map<std::string, Seen> seen_;
};

// Waits for a change in one folder. A folder that is missing, or goes and
// comes back, is watched again once it exists; until then, and where
// inotify is unavailable, wait() simply lasts its full time.
class FolderWatch {
  public:
    explicit FolderWatch(std::filesystem::path dir);
    // Returns after a change in the folder or after `at_most`, whichever is first.
    void wait(std::chrono::milliseconds at_most);

  private:
    void arm();
    void drain();
    std::filesystem::path dir_;
    UniqueFd inotify_;
    int watch_ = -1;
};

}  // namespace mynacard::qualification::detail
