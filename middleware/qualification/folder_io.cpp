#include "qualification/folder_io.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <thread>

#include "core/error.h"

namespace mynacard::qualification::detail {
namespace {

[[noreturn]] void io_error(const std::string& what, int err) {
    throw Error(Errc::io, what + ": " + std::strerror(err));
}

void write_all(int fd, ByteView data, const std::string& name) {
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            io_error("cannot write " + name, errno);
        }
        done += static_cast<std::size_t>(n);
    }
}

}  // namespace

void write_atomically(const std::filesystem::path& dir, const std::string& name, ByteView data) {
    const std::string temp_name = "." + name + ".tmp";
    const auto temp = dir / temp_name;
    UniqueFd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0640));
    if (!fd) io_error("cannot create " + temp_name, errno);
    try {
        write_all(fd.get(), data, temp_name);
        if (::fsync(fd.get()) != 0) io_error("cannot fsync " + temp_name, errno);
        fd.reset();
        if (::rename(temp.c_str(), (dir / name).c_str()) != 0)
            io_error("cannot rename " + temp_name + " to " + name, errno);
    } catch (...) {
        ::unlink(temp.c_str());
        throw;
    }
    // The rename itself must survive a power cut too.
    UniqueFd dfd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dfd) (void)::fsync(dfd.get());  // some network file systems refuse: the data is there
}

std::optional<Bytes> read_bounded(const std::filesystem::path& file, std::size_t max_size) {
    UniqueFd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!fd) {
        if (errno == ENOENT) return std::nullopt;
        io_error("cannot open " + file.filename().string(), errno);
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) io_error("cannot stat " + file.filename().string(), errno);
    if (!S_ISREG(st.st_mode))
        throw Error(Errc::io, file.filename().string() + " is not a regular file");
    if (static_cast<std::uintmax_t>(st.st_size) > max_size)
        throw Error(Errc::invalid_argument, file.filename().string() + ": larger than " +
                                                std::to_string(max_size) + " bytes");
    Bytes data;
    std::array<std::uint8_t, 16384> buffer{};
    for (;;) {
        const ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            io_error("cannot read " + file.filename().string(), errno);
        }
        if (n == 0) break;
        data.insert(data.end(), buffer.begin(), buffer.begin() + n);
        // The file grew after fstat: still bounded.
        if (data.size() > max_size)
            throw Error(Errc::invalid_argument, file.filename().string() + ": larger than " +
                                                    std::to_string(max_size) + " bytes");
    }
    return data;
}

std::optional<FileState> file_state(const std::filesystem::path& file) {
    struct stat st {};
    if (::lstat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
    return FileState{
        static_cast<std::uintmax_t>(st.st_size),
        static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
}

bool SettleTracker::settled(const std::string& name, const FileState& state,
                            Clock::time_point now) {
    auto it = seen_.find(name);
    if (it == seen_.end() || !(it->second.state == state)) {
        seen_[name] = Seen{state, now};
        return stable_for_.count() == 0;
    }
    return now - it->second.since >= stable_for_;
}

FolderWatch::FolderWatch(std::filesystem::path dir)
    : dir_(std::move(dir)), inotify_(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) {
    arm();
}

void FolderWatch::arm() {
    if (!inotify_ || watch_ >= 0) return;
    constexpr std::uint32_t kMask = IN_CREATE | IN_CLOSE_WRITE | IN_MOVED_TO | IN_MODIFY |
                                    IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;
    watch_ = ::inotify_add_watch(inotify_.get(), dir_.c_str(), kMask);
}

void FolderWatch::drain() {
    alignas(struct inotify_event) std::array<char, 4096> buffer{};
    for (;;) {
        const ssize_t n = ::read(inotify_.get(), buffer.data(), buffer.size());
        if (n <= 0) return;
        for (ssize_t at = 0; at < n;) {
            inotify_event event{};
            std::memcpy(&event, buffer.data() + at, sizeof event);
            // The folder went (removed, renamed, unmounted): watch it again
            // once a folder of that name exists.
            if ((event.mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT)) != 0 &&
                event.wd == watch_) {
                if ((event.mask & IN_IGNORED) == 0) ::inotify_rm_watch(inotify_.get(), watch_);
                watch_ = -1;
            }
            at += static_cast<ssize_t>(sizeof(inotify_event) + event.len);
        }
    }
}

void FolderWatch::wait(std::chrono::milliseconds at_most) {
    if (at_most.count() <= 0) return;
    arm();
    if (watch_ < 0) {
        // No inotify here (or no folder yet): the poll interval is the wait.
        std::this_thread::sleep_for(at_most);
        return;
    }
    pollfd pfd{inotify_.get(), POLLIN, 0};
    const int rc = ::poll(&pfd, 1, static_cast<int>(at_most.count()));
    if (rc > 0) drain();
}

}  // namespace mynacard::qualification::detail
