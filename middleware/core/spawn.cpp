#include "core/spawn.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>

#include "core/error.h"
#include "core/unique_fd.h"

extern char** environ;  // NOLINT: POSIX, passed on to the helper (DISPLAY, XAUTHORITY, LANG)

namespace mynacard {

namespace {

class FileActions {
  public:
    FileActions() {
        if (::posix_spawn_file_actions_init(&a_) != 0)
            throw Error(Errc::transport, "cannot prepare a helper process");
    }
    ~FileActions() { ::posix_spawn_file_actions_destroy(&a_); }
    FileActions(const FileActions&) = delete;
    FileActions& operator=(const FileActions&) = delete;
    [[nodiscard]] posix_spawn_file_actions_t* get() noexcept { return &a_; }

  private:
    posix_spawn_file_actions_t a_{};
};

class SpawnAttr {
  public:
    SpawnAttr() {
        if (::posix_spawnattr_init(&a_) != 0)
            throw Error(Errc::transport, "cannot prepare a helper process");
    }
    ~SpawnAttr() { ::posix_spawnattr_destroy(&a_); }
    SpawnAttr(const SpawnAttr&) = delete;
    SpawnAttr& operator=(const SpawnAttr&) = delete;
    [[nodiscard]] posix_spawnattr_t* get() noexcept { return &a_; }

  private:
    posix_spawnattr_t a_{};
};

void check(int rc, const char* what) {
    if (rc != 0)
        throw Error(Errc::transport, std::string("cannot start a helper process: ") + what);
}

}  // namespace

pid_t spawn_isolated(const std::string& program, const std::vector<std::string>& args,
                     std::span<const ChildFd> fds) {
    int highest = STDERR_FILENO;
    for (const auto& f : fds) highest = std::max(highest, f.child_fd);

    // Every given descriptor is first copied above all child numbers
    // (close-on-exec): dup2 onto the same number would keep close-on-exec
    // set, and one given descriptor may sit on another's child number (a
    // host that closed its stdin gets a socket as descriptor 0).
    std::vector<UniqueFd> copies;
    copies.reserve(fds.size());
    for (const auto& f : fds) {
        const int c = ::fcntl(f.parent_fd, F_DUPFD_CLOEXEC, highest + 1);
        if (c < 0) throw Error(Errc::transport, "cannot start a helper process: descriptor");
        copies.emplace_back(c);
    }
    const auto given = [&](int child_fd) {
        return std::any_of(fds.begin(), fds.end(),
                           [&](const ChildFd& f) { return f.child_fd == child_fd; });
    };

    FileActions actions;
    if (!given(STDIN_FILENO))
        check(::posix_spawn_file_actions_addopen(actions.get(), STDIN_FILENO, "/dev/null", O_RDONLY,
                                                 0),
              "stdin");
    if (!given(STDOUT_FILENO))
        check(::posix_spawn_file_actions_addopen(actions.get(), STDOUT_FILENO, "/dev/null",
                                                 O_WRONLY, 0),
              "stdout");
    for (std::size_t i = 0; i < fds.size(); ++i)
        check(::posix_spawn_file_actions_adddup2(actions.get(), copies[i].get(), fds[i].child_fd),
              "descriptor");
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
    // Descriptors the host left inheritable (its PC/SC socket, its files)
    // stay out; the copies above are closed here too.
    check(::posix_spawn_file_actions_addclosefrom_np(actions.get(), highest + 1), "closefrom");
#endif

    SpawnAttr attr;
    sigset_t none;
    sigset_t all;
    ::sigemptyset(&none);
    ::sigfillset(&all);
    check(::posix_spawnattr_setsigmask(attr.get(), &none), "signal mask");
    check(::posix_spawnattr_setsigdefault(attr.get(), &all), "signals");
    check(::posix_spawnattr_setflags(
              attr.get(), static_cast<short>(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)),
          "flags");

    std::string path = program;
    std::vector<std::string> owned = args;
    std::vector<char*> argv;
    argv.reserve(owned.size() + 2);
    argv.push_back(path.data());
    for (auto& a : owned) argv.push_back(a.data());
    argv.push_back(nullptr);

    pid_t pid = 0;
    const int rc =
        ::posix_spawn(&pid, path.c_str(), actions.get(), attr.get(), argv.data(), environ);
    if (rc != 0) throw Error(Errc::transport, "cannot start a helper process");
    return pid;
}

std::optional<int> wait_for_child(pid_t pid) noexcept {
    int status = 0;
    for (;;) {
        const pid_t r = ::waitpid(pid, &status, 0);
        if (r == pid) return status;
        if (r < 0 && errno == EINTR) continue;
        return std::nullopt;
    }
}

}  // namespace mynacard
