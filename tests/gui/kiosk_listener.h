#pragma once

// The kiosk application's end of output "socket:/path", for the kiosk tests.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <string>

namespace mynacard::gui {

// The kiosk application's end of output "socket:/path".
class Listener {
  public:
    explicit Listener(const std::string& path) : path_(path) {
        fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::memcpy(addr.sun_path, path.data(), path.size());
        ok_ = fd_ >= 0 && ::bind(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0 &&
              ::listen(fd_, 4) == 0;
    }
    ~Listener() {
        if (fd_ >= 0) ::close(fd_);
        ::unlink(path_.c_str());
    }
    Listener(const Listener&) = delete;
    Listener& operator=(const Listener&) = delete;
    [[nodiscard]] bool ok() const { return ok_; }
    // One connection's whole text, or empty when nobody has connected.
    [[nodiscard]] std::string take() {
        const int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (c < 0) return {};
        std::string out;
        char buf[4096];
        for (;;) {
            const ssize_t n = ::read(c, buf, sizeof buf);
            if (n <= 0) break;
            out.append(buf, static_cast<std::size_t>(n));
        }
        ::close(c);
        return out;
    }

  private:
    std::string path_;
    int fd_ = -1;
    bool ok_ = false;
};

}  // namespace mynacard::gui
