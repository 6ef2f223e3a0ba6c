#include "cli/pin_input.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "cli/messages.h"
#include "core/error.h"

namespace mynacard::cli {

namespace {

// Reads one line from fd byte by byte into zeroising memory (no stdio
// buffers holding the secret). Returns false at end of input before any byte.
bool read_line(int fd, SecureBytes& out) {
    out.clear();
    out.reserve(64);
    bool any = false;
    for (;;) {
        unsigned char c = 0;
        const ssize_t n = ::read(fd, &c, 1);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw Error(Errc::io, "reading the PIN failed");
        }
        if (n == 0) return any;
        any = true;
        if (c == '\n') return true;
        if (c == '\r') continue;
        if (out.size() >= 64) throw Error(Errc::pin_format, "PIN too long");
        out.push_back(c);
    }
}

class Tty {
  public:
    Tty() : fd_(::open("/dev/tty", O_RDWR | O_CLOEXEC)) {
        if (fd_ < 0) throw Error(Errc::io, std::string(text(Msg::not_a_terminal)));
    }
    ~Tty() { ::close(fd_); }
    Tty(const Tty&) = delete;
    Tty& operator=(const Tty&) = delete;
    [[nodiscard]] int fd() const noexcept { return fd_; }
    void write(std::string_view s) const { (void)!::write(fd_, s.data(), s.size()); }

  private:
    int fd_;
};

// Echo off for the lifetime of the object, restored even on exceptions.
class NoEcho {
  public:
    explicit NoEcho(int fd) : fd_(fd) {
        if (::tcgetattr(fd_, &saved_) == 0) {
            termios t = saved_;
            t.c_lflag &= ~static_cast<tcflag_t>(ECHO);
            active_ = ::tcsetattr(fd_, TCSAFLUSH, &t) == 0;
        }
    }
    ~NoEcho() {
        if (active_) ::tcsetattr(fd_, TCSAFLUSH, &saved_);
    }
    NoEcho(const NoEcho&) = delete;
    NoEcho& operator=(const NoEcho&) = delete;

  private:
    int fd_;
    termios saved_{};
    bool active_ = false;
};

}  // namespace

SecureBytes PinInput::read(std::string_view prompt) {
    SecureBytes pin;
    if (from_stdin_) {
        if (!read_line(STDIN_FILENO, pin))
            throw Error(Errc::cancelled, std::string(text(Msg::stdin_pin_missing)));
        return pin;
    }
    Tty tty;
    tty.write(prompt);
    bool got = false;
    {
        NoEcho quiet(tty.fd());
        got = read_line(tty.fd(), pin);
    }
    tty.write("\n");
    if (!got) throw Error(Errc::cancelled, std::string(text(Msg::cancelled)));
    return pin;
}

bool PinInput::confirm(std::string_view prompt, bool preset) {
    if (from_stdin_ || preset) return preset;
    Tty tty;
    tty.write(prompt);
    SecureBytes answer;
    if (!read_line(tty.fd(), answer)) return false;
    const std::string a(answer.begin(), answer.end());
    return a == "yes" || a == "y" || a == "はい";
}

}  // namespace mynacard::cli
