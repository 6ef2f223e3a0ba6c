#include "cli/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "core/error.h"
#include "core/unique_fd.h"

namespace mynacard::cli {

void check_input(const std::string& path, std::string_view option, bool directory_ok) {
    if (path.empty()) return;
    const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    struct stat st {};
    if (fd.get() < 0 || ::fstat(fd.get(), &st) != 0)
        throw Error(Errc::invalid_argument,
                    std::string(option) + ": cannot read " + path + ": " + std::strerror(errno));
    if (S_ISDIR(st.st_mode) && !directory_ok)
        throw Error(Errc::invalid_argument,
                    std::string(option) + ": " + path + " is a directory, not a file");
}

Bytes read_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw Error(Errc::io, "cannot read " + path);
    return Bytes(std::istreambuf_iterator<char>(f), {});
}

namespace {

UniqueFd create_new(const std::string& path) {
    UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (fd.get() < 0) {
        if (errno == EEXIST || errno == ELOOP)
            throw Error(Errc::io,
                        path + " already exists (or is a symbolic link): not overwritten");
        throw Error(Errc::io, "cannot create " + path + ": " + std::strerror(errno));
    }
    return fd;
}

// Writes all of `data` and flushes it; removes `path` and throws on failure.
void fill(const UniqueFd& fd, const std::string& path, ByteView data) {
    const auto fail = [&](int err) {
        // The file is ours (O_EXCL): no half file is left behind.
        ::unlink(path.c_str());
        throw Error(Errc::io, "cannot write " + path + ": " + std::strerror(err));
    };
    ByteView rest = data;
    while (!rest.empty()) {
        const ssize_t n = ::write(fd.get(), rest.data(), rest.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            fail(errno);
        }
        rest = rest.subspan(static_cast<std::size_t>(n));
    }
    if (::fsync(fd.get()) != 0) fail(errno);
}

// Attempts at a free name before giving up: far more than one folder of
// answers with the same identifier holds.
constexpr int kMaxSuffix = 1000;

}  // namespace

void write_file(const std::string& path, ByteView data) {
    fill(create_new(path), path, data);
}

std::string write_new_atomically(const std::string& dir, const std::string& stem,
                                 std::string_view extension, ByteView data) {
    const std::string base = dir + "/";
    // The process id keeps two writers (and a crashed one's leftover) apart.
    const std::string temp =
        base + "." + stem + std::string(extension) + "." + std::to_string(::getpid()) + ".tmp";
    fill(create_new(temp), temp, data);
    for (int n = 1; n <= kMaxSuffix; ++n) {
        const std::string path =
            base + stem + (n == 1 ? "" : "-" + std::to_string(n)) + std::string(extension);
        if (::link(temp.c_str(), path.c_str()) == 0) {
            ::unlink(temp.c_str());
            // The name itself on disk too, not only the content.
            const UniqueFd d(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
            if (d.get() >= 0) (void)::fsync(d.get());
            return path;
        }
        if (errno != EEXIST) {
            const int err = errno;
            ::unlink(temp.c_str());
            throw Error(Errc::io, "cannot create " + path + ": " + std::strerror(err));
        }
    }
    ::unlink(temp.c_str());
    throw Error(Errc::io, "no free name for " + base + stem + std::string(extension));
}

}  // namespace mynacard::cli
