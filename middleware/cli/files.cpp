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

void write_file(const std::string& path, ByteView data) {
    const UniqueFd fd(
        ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (fd.get() < 0) {
        if (errno == EEXIST || errno == ELOOP)
            throw Error(Errc::io,
                        path + " already exists (or is a symbolic link): not overwritten");
        throw Error(Errc::io, "cannot create " + path + ": " + std::strerror(errno));
    }
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

}  // namespace mynacard::cli
