#include "pinhelper/pinhelper.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "core/error.h"
#include "core/spawn.h"
#include "core/unique_fd.h"

namespace mynacard::pinhelper {

namespace {

// The descriptor the PIN comes back on in the child: the first one after
// stdin/stdout/stderr, so the helper needs no other inherited descriptor.
constexpr int child_pin_fd = 3;

[[nodiscard]] std::string_view pin_name(card::Pin pin) noexcept {
    switch (pin) {
        case card::Pin::auth:
            return "auth";
        case card::Pin::sign:
            return "sign";
        case card::Pin::text:
            return "text";
    }
    return "auth";
}

// Only for DISPLAY / WAYLAND_DISPLAY: whether a dialog can be shown, never a
// path or a security choice (MYNACARD_HELPER is read with secure_getenv).
[[nodiscard]] bool non_empty_env(const char* name) noexcept {
    const char* v = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read only
    return v != nullptr && *v != '\0';
}

// Reads the helper's answer: at most max_pin_bytes + '\n' (a longer answer
// is malformed; the rest is not read). The bytes land in zeroising memory.
// Returns false when the answer is not one complete line.
[[nodiscard]] bool read_answer(int fd, SecureBytes& out) {
    out.clear();
    out.reserve(max_pin_bytes + 1);  // never reallocated: no stray copies
    std::array<std::uint8_t, 16> chunk{};
    bool line = false;
    bool ok = true;
    for (;;) {
        const ssize_t n = ::read(fd, chunk.data(), chunk.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            ok = false;
            break;
        }
        if (n == 0) break;
        for (ssize_t i = 0; i < n && ok; ++i) {
            const std::uint8_t c = chunk[static_cast<std::size_t>(i)];
            if (line) {
                ok = false;  // anything after the line
            } else if (c == '\n') {
                line = true;
            } else if (out.size() >= max_pin_bytes) {
                ok = false;
            } else {
                out.push_back(c);
            }
        }
        secure_zero(chunk.data(), chunk.size());
        if (!ok) break;
    }
    secure_zero(chunk.data(), chunk.size());
    if (!ok || !line || out.empty()) {
        out.clear();
        return false;
    }
    return true;
}

}  // namespace

std::string_view to_string(Purpose p) noexcept {
    switch (p) {
        case Purpose::login:
            return "login";
        case Purpose::sign:
            return "sign";
        case Purpose::read_certificate:
            return "read-certificate";
        case Purpose::change_pin:
            return "change-pin";
        case Purpose::read_text:
            return "read-text";
    }
    return "login";
}

std::optional<Purpose> purpose_from_string(std::string_view s) noexcept {
    for (const Purpose p : {Purpose::login, Purpose::sign, Purpose::read_certificate,
                            Purpose::change_pin, Purpose::read_text}) {
        if (to_string(p) == s) return p;
    }
    return std::nullopt;
}

std::string_view to_string(Entry e) noexcept {
    switch (e) {
        case Entry::current:
            return "current";
        case Entry::new_pin:
            return "new";
        case Entry::repeat_new:
            return "repeat";
        case Entry::confirm_last_try:
            return "confirm";
    }
    return "current";
}

std::optional<Entry> entry_from_string(std::string_view s) noexcept {
    if (s == "current") return Entry::current;
    if (s == "new") return Entry::new_pin;
    if (s == "repeat") return Entry::repeat_new;
    if (s == "confirm") return Entry::confirm_last_try;
    return std::nullopt;
}

std::vector<std::string> arguments(const Request& request, int pin_fd) {
    std::vector<std::string> a{"pin",
                               "--pin",
                               std::string(pin_name(request.pin)),
                               "--purpose",
                               std::string(to_string(request.purpose)),
                               "--program",
                               request.program,
                               "--pid",
                               std::to_string(request.pid),
                               "--reader",
                               request.reader};
    if (request.entry != Entry::current) {
        a.emplace_back("--entry");
        a.emplace_back(to_string(request.entry));
    }
    if (request.tries_left >= 0 && request.entry == Entry::current) {
        a.emplace_back("--tries-left");
        a.push_back(std::to_string(request.tries_left));
    }
    if (request.timeout.count() > 0) {
        a.emplace_back("--timeout");
        a.push_back(std::to_string(request.timeout.count()));
    }
    a.emplace_back("--pin-fd");
    a.push_back(std::to_string(pin_fd));
    return a;
}

std::optional<std::filesystem::path> find_helper() {
    // secure_getenv: a set-uid or set-gid host never runs a program its
    // caller named.
    const char* env = ::secure_getenv("MYNACARD_HELPER");
    const char* path = env != nullptr && *env != '\0' ? env : MYNACARD_HELPER_DEFAULT;
    struct stat st {};
    if (::stat(path, &st) != 0 || !S_ISREG(st.st_mode) || ::access(path, X_OK) != 0)
        return std::nullopt;
    return std::filesystem::path(path);
}

bool available() {
    if (!non_empty_env("DISPLAY") && !non_empty_env("WAYLAND_DISPLAY")) return false;
    return find_helper().has_value();
}

SecureBytes ask(const Request& request) {
    const auto helper = find_helper();
    if (!helper)
        throw Error(Errc::unsupported, "the PIN helper (mynacard-helper) is not installed");
    if (!non_empty_env("DISPLAY") && !non_empty_env("WAYLAND_DISPLAY"))
        throw Error(Errc::unsupported, "no display to show the PIN dialog on");

    std::array<int, 2> p{-1, -1};
    // Close-on-exec: a process another thread of the host starts meanwhile
    // must not inherit the pipe (it would hold the write end open).
    if (::pipe2(p.data(), O_CLOEXEC) != 0) throw Error(Errc::transport, "cannot create a pipe");
    UniqueFd read_end(p[0]);
    UniqueFd write_end(p[1]);
    // The shared hardening (core/spawn.h): stdin and stdout on /dev/null,
    // the pipe on descriptor 3 and nothing else, default signal handling.
    const std::array<ChildFd, 1> fds{{{write_end.get(), child_pin_fd}}};
    const pid_t pid =
        spawn_isolated(helper->string(), arguments(request, child_pin_fd), std::span(fds));
    write_end.reset();  // only the child writes: EOF when it exits

    SecureBytes pin;
    const bool answered = read_answer(read_end.get(), pin);
    read_end.reset();
    const std::optional<int> status = wait_for_child(pid);

    if (!status) {
        // The host reaps its children (or ignores SIGCHLD): no exit code.
        // A complete line is a PIN; anything else counts as cancelled, the
        // answer that spends no try.
        if (answered) return pin;
        throw Error(Errc::cancelled, "the PIN dialog was closed");
    }
    if (WIFEXITED(*status)) {
        switch (WEXITSTATUS(*status)) {
            case exit_entered:
                if (answered) return pin;
                throw Error(Errc::transport, "the PIN helper answered malformed data");
            case exit_cancelled:
                throw Error(Errc::cancelled, "the PIN entry was cancelled");
            case exit_timed_out:
                throw Error(Errc::timeout, "the PIN entry timed out");
            case exit_no_display:
                throw Error(Errc::unsupported, "no display to show the PIN dialog on");
            case exit_blocked:
                throw Error(Errc::pin_blocked, "the PIN is blocked", 0);
            case exit_usage:
                throw Error(Errc::internal, "the PIN helper refused its command line");
            default:
                break;
        }
    }
    throw Error(Errc::transport, "the PIN helper failed");
}

bool confirm_last_try(const Request& request) {
    Request confirm = request;
    confirm.entry = Entry::confirm_last_try;
    SecureBytes answer;
    try {
        answer = ask(confirm);
    } catch (const Error& e) {
        // Nobody could be asked: the caller says so. Every other failure
        // (cancelled, timed out, a broken or malformed helper) is a no.
        if (e.code() == Errc::unsupported) throw;
        return false;
    }
    return std::string_view(reinterpret_cast<const char*>(answer.data()), answer.size()) ==
           confirmed_answer;
}

}  // namespace mynacard::pinhelper
