// Every audit event also goes to the systemd journal (middleware/audit). CI
// has no journald, and sd_journal_send always uses
// /run/systemd/journal/socket, so the test runs the append in a private
// mount namespace with a tmpfs on /run and its own datagram socket at that
// path, and checks what arrives: the fixed MESSAGE_ID, the log line's
// PII-free fields and nothing else. Needs root (unshare, mount): exits 77
// (skipped) otherwise.
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include "audit/audit.h"
#include "core/paths.h"
#include "support/temp_dir.h"

namespace a = mynacard::audit;

namespace {

constexpr int kSkip = 77;
constexpr const char* kSocket = "/run/systemd/journal/socket";

int failures = 0;

void check(bool ok, const std::string& what) {
    std::printf("%s: %s\n", ok ? "ok" : "FAIL", what.c_str());
    if (!ok) ++failures;
}

a::Event sample_event() {
    a::Event e;
    e.operation = a::Operation::sign;
    e.result = a::Result::ok;
    e.reader = "Virtual My Number Reader 00 00";
    e.key = "sign";
    e.cert_serial_hash = a::serial_hash(mynacard::from_hex("CA8836CD1A5359AD"));
    return e;
}

bool write_all(int fd, const std::string& data) {
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n <= 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

// In the private namespace: the journal socket, one append, the datagram
// written to `out`; then an append with no journal at all must still work.
[[noreturn]] void child(const std::filesystem::path& log, int out) {
    if (::unshare(CLONE_NEWNS) != 0) ::_exit(kSkip);
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) ::_exit(kSkip);
    if (::mount("tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") != 0) ::_exit(kSkip);
    ::mkdir("/run/systemd", 0755);
    ::mkdir("/run/systemd/journal", 0755);
    const int s = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, kSocket, sizeof addr.sun_path - 1);
    if (s < 0 || ::bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) ::_exit(2);
    try {
        a::Log(log).append(sample_event());
    } catch (...) {
        ::_exit(3);
    }
    pollfd p{s, POLLIN, 0};
    if (::poll(&p, 1, 5000) != 1) ::_exit(4);  // nothing arrived
    std::string datagram(256 * 1024, '\0');
    const ssize_t n = ::recv(s, datagram.data(), datagram.size(), 0);
    if (n <= 0) ::_exit(4);
    datagram.resize(static_cast<std::size_t>(n));
    if (!write_all(out, datagram)) ::_exit(5);
    // No journal: the socket is gone. The append works and does not wait.
    ::close(s);
    ::unlink(kSocket);
    const auto start = std::chrono::steady_clock::now();
    try {
        a::Log(log).append(sample_event());
    } catch (...) {
        ::_exit(6);
    }
    if (std::chrono::steady_clock::now() - start > std::chrono::seconds(2)) ::_exit(7);
    ::_exit(0);
}

// The journal's native protocol: KEY=value\n, or KEY\n<64-bit LE size><value>\n
// for values with a newline.
std::multimap<std::string, std::string> fields_of(const std::string& d) {
    std::multimap<std::string, std::string> out;
    std::size_t i = 0;
    while (i < d.size()) {
        const std::size_t nl = d.find('\n', i);
        if (nl == std::string::npos) break;
        const std::string line = d.substr(i, nl - i);
        const std::size_t eq = line.find('=');
        if (eq != std::string::npos) {
            out.emplace(line.substr(0, eq), line.substr(eq + 1));
            i = nl + 1;
            continue;
        }
        if (nl + 9 > d.size()) break;
        std::uint64_t size = 0;
        for (int b = 7; b >= 0; --b)
            size =
                (size << 8) | static_cast<unsigned char>(d[nl + 1 + static_cast<std::size_t>(b)]);
        out.emplace(line, d.substr(nl + 9, static_cast<std::size_t>(size)));
        i = nl + 9 + static_cast<std::size_t>(size) + 1;
    }
    return out;
}

// Whether libsystemd is mapped into this process (/proc/self/maps).
bool libsystemd_loaded() {
    FILE* maps = std::fopen("/proc/self/maps", "re");
    if (maps == nullptr) return false;
    std::array<char, 4096> line{};
    bool found = false;
    while (!found && std::fgets(line.data(), static_cast<int>(line.size()), maps) != nullptr)
        found = std::strstr(line.data(), "/libsystemd.so") != nullptr;
    std::fclose(maps);
    return found;
}

std::string one(const std::multimap<std::string, std::string>& f, const std::string& key) {
    const auto it = f.find(key);
    return it == f.end() ? std::string("<missing>") : it->second;
}

}  // namespace

int main() {
    if (::geteuid() != 0) {
        std::puts("skipped: needs root for a private mount namespace");
        return kSkip;
    }
    // libsystemd is opened at the first event, not loaded with the program
    // (or with mynacard-pkcs11.so) that links the audit log.
    check(!libsystemd_loaded(), "libsystemd is not loaded before the first event");
    const mynacard::test::TempDir scratch("mynacard-journal");
    const std::filesystem::path& dir = scratch.path();
    const auto log = dir / "audit.jsonl";

    std::array<int, 2> p{-1, -1};
    if (::pipe2(p.data(), O_CLOEXEC) != 0) return 1;
    const pid_t pid = ::fork();
    if (pid < 0) return 1;
    if (pid == 0) {
        ::close(p[0]);
        child(log, p[1]);
    }
    ::close(p[1]);
    std::string datagram;
    std::array<char, 4096> buf{};
    for (ssize_t n; (n = ::read(p[0], buf.data(), buf.size())) > 0;)
        datagram.append(buf.data(), static_cast<std::size_t>(n));
    ::close(p[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (WIFEXITED(status) && WEXITSTATUS(status) == kSkip) {
        std::puts("skipped: no private mount namespace here (unshare/mount refused)");
        return kSkip;
    }
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "the child appended, received the datagram, and appended without a journal (status " +
              std::to_string(status) + ")");

    // What the journal would have stored, beside the audit file, for the
    // secrets scan when the run keeps test output (scripts/test).
    std::ofstream(dir / "journal-datagram", std::ios::binary) << datagram;

    const auto f = fields_of(datagram);
    const auto entries = a::Log(log).read();
    check(entries.size() == 2, "both appends are in the file");
    const auto e = sample_event();
    check(one(f, "MESSAGE_ID") == std::string(a::journal_message_id), "MESSAGE_ID is the fixed id");
    check(one(f, "MYNACARD_OPERATION") == "sign", "operation");
    check(one(f, "MYNACARD_RESULT") == "ok", "result");
    check(one(f, "MYNACARD_READER") == e.reader, "reader");
    check(one(f, "MYNACARD_KEY") == "sign", "key");
    check(one(f, "MYNACARD_CERT_SERIAL_HASH") == e.cert_serial_hash, "certificate serial hash");
    check(one(f, "MYNACARD_PROGRAM") == mynacard::own_executable(), "program");
    check(one(f, "MYNACARD_SEQ") == "1", "the log line's seq");
    check(!entries.empty() && one(f, "MYNACARD_ENTRY_HASH") == entries.front().hash,
          "the log line's hash");
    check(one(f, "MESSAGE") == "mynacard: sign ok", "MESSAGE says only operation and result");
    // Nothing beyond the log line's fields: no PIN, no personal data, no
    // source location.
    const std::set<std::string> allowed{"MESSAGE",
                                        "MESSAGE_ID",
                                        "PRIORITY",
                                        "SYSLOG_IDENTIFIER",
                                        "MYNACARD_OPERATION",
                                        "MYNACARD_RESULT",
                                        "MYNACARD_PROGRAM",
                                        "MYNACARD_READER",
                                        "MYNACARD_KEY",
                                        "MYNACARD_CERT_SERIAL_HASH",
                                        "MYNACARD_SEQ",
                                        "MYNACARD_ENTRY_HASH"};
    for (const auto& [key, value] : f) check(allowed.count(key) == 1, "allowed field " + key);
    check(f.size() == allowed.size(), "every field once (" + std::to_string(f.size()) + ")");
    return failures == 0 ? 0 : 1;
}
