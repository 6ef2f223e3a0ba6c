#include "consent/consent.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/paths.h"
#include "core/unique_fd.h"
#include "pinhelper/pinhelper.h"

extern char** environ;  // NOLINT(readability-redundant-declaration): POSIX, for posix_spawn

namespace mynacard::consent {

namespace {

using Json = nlohmann::json;

constexpr int kFormat = 1;

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v != nullptr ? std::string(v) : std::string();
}

std::string now_rfc3339() {
    const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    std::array<char, 32> buf{};
    const auto n = std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%SZ", &tm);
    return std::string(buf.data(), n);
}

[[noreturn]] void throw_io(const std::string& what, int err) {
    throw Error(Errc::io, what + ": " + std::strerror(err));
}

// The answers are about the holder's privacy: only the owner reads them.
void make_parent_dirs(const std::filesystem::path& file) {
    std::filesystem::path partial;
    for (const auto& part : file.parent_path()) {
        partial /= part;
        if (::mkdir(partial.c_str(), 0700) != 0 && errno != EEXIST)
            throw_io("cannot create " + partial.string(), errno);
    }
}

std::string read_text(const std::filesystem::path& path) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
        if (errno == ENOENT) return {};
        throw_io("cannot read " + path.string(), errno);
    }
    std::string out;
    std::array<char, 8192> buf{};
    for (;;) {
        const ssize_t n = ::read(fd.get(), buf.data(), buf.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            throw_io("cannot read " + path.string(), errno);
        }
        if (n == 0) break;
        out.append(buf.data(), static_cast<std::size_t>(n));
    }
    return out;
}

std::optional<Decision> decision_from_string(std::string_view s) {
    if (s == "allow") return Decision::allow;
    if (s == "deny") return Decision::deny;
    return std::nullopt;
}

bool is_hex64(std::string_view s) {
    if (s.size() != 64) return false;
    for (const char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

// Parses the file; damaged entries are dropped, a damaged file is empty.
std::vector<Record> parse(const std::string& text) {
    std::vector<Record> out;
    if (text.empty()) return out;
    Json j = Json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("choices") || !j["choices"].is_array())
        return out;
    for (const auto& c : j["choices"]) {
        if (!c.is_object()) continue;
        const auto program = c.find("program");
        const auto cert = c.find("certificate_sha256");
        const auto choice = c.find("choice");
        const auto time = c.find("time");
        if (program == c.end() || cert == c.end() || choice == c.end() || !program->is_string() ||
            !cert->is_string() || !choice->is_string())
            continue;
        const auto d = decision_from_string(choice->get<std::string>());
        if (!d || !is_hex64(cert->get<std::string>())) continue;
        Record r;
        r.program = program->get<std::string>();
        r.certificate_sha256 = cert->get<std::string>();
        r.decision = *d;
        if (time != c.end() && time->is_string()) r.time = time->get<std::string>();
        out.push_back(std::move(r));
    }
    return out;
}

std::string serialise(const std::vector<Record>& records) {
    Json choices = Json::array();
    for (const auto& r : records)
        choices.push_back({{"program", r.program},
                           {"certificate_sha256", r.certificate_sha256},
                           {"choice", std::string(to_string(r.decision))},
                           {"time", r.time}});
    Json j = {{"format", kFormat}, {"choices", std::move(choices)}};
    // Replace: a program path that is not UTF-8 must not make the file unwritable.
    return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

// Holds an exclusive lock beside the file while it is read, changed and
// replaced (the file itself is replaced by rename, so it cannot carry the lock).
class FileLock {
  public:
    explicit FileLock(const std::filesystem::path& file) {
        make_parent_dirs(file);
        const auto lock_path = file.string() + ".lock";
        fd_.reset(::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
        if (fd_.get() < 0) throw_io("cannot open " + lock_path, errno);
        while (::flock(fd_.get(), LOCK_EX) != 0)
            if (errno != EINTR) throw_io("cannot lock " + lock_path, errno);
    }

  private:
    UniqueFd fd_;
};

void write_replace(const std::filesystem::path& path, const std::string& text) {
    const auto tmp = path.string() + ".part";
    {
        UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
        if (fd.get() < 0) throw_io("cannot write " + tmp, errno);
        std::string_view rest = text;
        while (!rest.empty()) {
            const ssize_t n = ::write(fd.get(), rest.data(), rest.size());
            if (n < 0) {
                if (errno == EINTR) continue;
                throw_io("cannot write " + tmp, errno);
            }
            rest.remove_prefix(static_cast<std::size_t>(n));
        }
        if (::fsync(fd.get()) != 0) throw_io("cannot write " + tmp, errno);
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        throw_io("cannot replace " + path.string(), err);
    }
}

bool display_reachable() {
    return !env("DISPLAY").empty() || !env("WAYLAND_DISPLAY").empty();
}

}  // namespace

std::string_view to_string(Decision d) noexcept {
    return d == Decision::allow ? "allow" : "deny";
}

std::optional<Policy> policy_from_string(std::string_view s) noexcept {
    if (s == "ask") return Policy::ask;
    if (s == "allow") return Policy::allow;
    if (s == "deny") return Policy::deny;
    return std::nullopt;
}

Policy policy_from_environment() noexcept {
    // A set-uid host does not let its caller's environment answer for the holder.
    const auto v = trusted_env("MYNACARD_CONSENT");
    if (v.empty()) return Policy::ask;
    return policy_from_string(v).value_or(Policy::ask);
}

Store::Store(std::filesystem::path path) : path_(std::move(path)) {}

std::filesystem::path Store::default_path() {
    if (auto p = trusted_env("MYNACARD_CONSENT_FILE"); !p.empty()) return p;
    return xdg_directory("XDG_CONFIG_HOME", ".config") / "mynacard" / "consent.json";
}

std::vector<Record> Store::records() const {
    try {
        return parse(read_text(path_));
    } catch (const Error&) {
        return {};
    }
}

std::optional<Decision> Store::find(const std::string& program,
                                    const std::string& certificate_sha256) const {
    for (const auto& r : records())
        if (r.program == program && r.certificate_sha256 == certificate_sha256) return r.decision;
    return std::nullopt;
}

void Store::remember(const std::string& program, const std::string& certificate_sha256,
                     Decision decision) {
    if (!is_hex64(certificate_sha256))
        throw Error(Errc::invalid_argument, "consent: certificate hash must be 64 hex digits");
    if (privileged_host()) return;  // no file written by a set-uid host (core/paths.h)
    FileLock lock(path_);
    auto all = parse(read_text(path_));
    std::erase_if(all, [&](const Record& r) {
        return r.program == program && r.certificate_sha256 == certificate_sha256;
    });
    all.push_back(Record{program, certificate_sha256, decision, now_rfc3339()});
    write_replace(path_, serialise(all));
}

bool Store::forget(const std::string& program) {
    if (privileged_host()) return false;  // no file written by a set-uid host (core/paths.h)
    FileLock lock(path_);
    auto all = parse(read_text(path_));
    const auto removed = std::erase_if(all, [&](const Record& r) { return r.program == program; });
    if (removed == 0) return false;
    write_replace(path_, serialise(all));
    return true;
}

bool Store::forget(const std::string& program, const std::string& certificate_sha256) {
    if (privileged_host()) return false;  // no file written by a set-uid host (core/paths.h)
    FileLock lock(path_);
    auto all = parse(read_text(path_));
    const auto removed = std::erase_if(all, [&](const Record& r) {
        return r.program == program && r.certificate_sha256 == certificate_sha256;
    });
    if (removed == 0) return false;
    write_replace(path_, serialise(all));
    return true;
}

std::string certificate_hash(const x509::Certificate& cert) {
    return to_hex(x509::digest(x509::Hash::sha256, cert.der()), false);
}

std::vector<std::string> arguments(const std::string& program, long pid, const std::string& lang) {
    std::vector<std::string> args{"consent", "--program", program, "--pid", std::to_string(pid)};
    if (!lang.empty()) {
        args.emplace_back("--lang");
        args.push_back(lang);
    }
    return args;
}

namespace {

// What one run of the helper came to; only `allowed` and `refused` are the
// holder's answer and may be remembered.
enum class Outcome { allowed, refused, unavailable, failed };

Outcome spawn_helper(const std::string& program, long pid, ByteView certificate_der,
                     const std::string& lang) {
    const auto helper = pinhelper::find_helper();
    if (!helper || !display_reachable()) return Outcome::unavailable;

    // A socket pair rather than a pipe: send(MSG_NOSIGNAL) reports a helper
    // that exited early as EPIPE without raising SIGPIPE in the host process.
    std::array<int, 2> sv{-1, -1};
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv.data()) != 0)
        return Outcome::failed;
    UniqueFd ours(sv[0]);
    UniqueFd theirs(sv[1]);

    const std::string path = helper->string();
    std::vector<std::string> args = arguments(program, pid, lang);
    args.insert(args.begin(), path);
    std::vector<char*> argv;
    argv.reserve(args.size() + 1);
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    if (::posix_spawn_file_actions_init(&actions) != 0) return Outcome::failed;
    // dup2 clears close-on-exec on the child's stdin only.
    ::posix_spawn_file_actions_adddup2(&actions, theirs.get(), STDIN_FILENO);
    pid_t child = -1;
    const int rc = ::posix_spawn(&child, path.c_str(), &actions, nullptr, argv.data(), environ);
    ::posix_spawn_file_actions_destroy(&actions);
    theirs.reset();
    if (rc != 0) return Outcome::unavailable;  // not runnable: as if there were none

    ByteView rest = certificate_der;
    while (!rest.empty()) {
        const ssize_t n = ::send(ours.get(), rest.data(), rest.size(), MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            break;  // the helper went away; its exit status decides
        }
        rest = rest.subspan(static_cast<std::size_t>(n));
    }
    ::shutdown(ours.get(), SHUT_WR);

    int status = 0;
    while (::waitpid(child, &status, 0) < 0) {
        if (errno != EINTR) return Outcome::failed;
    }
    if (!WIFEXITED(status)) return Outcome::failed;
    switch (WEXITSTATUS(status)) {
        case exit_allow:
            // Allowed without having seen the whole certificate is no answer.
            return rest.empty() ? Outcome::allowed : Outcome::failed;
        case exit_deny:
            return Outcome::refused;
        case exit_no_display:
            return Outcome::unavailable;
        default:
            return Outcome::failed;
    }
}

}  // namespace

std::optional<Decision> run_helper(const std::string& program, long pid, ByteView certificate_der,
                                   const std::string& lang) {
    switch (spawn_helper(program, pid, certificate_der, lang)) {
        case Outcome::allowed:
            return Decision::allow;
        case Outcome::unavailable:
            return std::nullopt;
        case Outcome::refused:
        case Outcome::failed:
            break;
    }
    return Decision::deny;
}

Decision ask_consent(const std::string& program, long pid, const x509::Certificate& cert,
                     const Options& options) {
    const Policy policy = options.policy.value_or(policy_from_environment());
    if (policy == Policy::allow) return Decision::allow;
    if (policy == Policy::deny) return Decision::deny;

    std::optional<Store> store;
    try {
        store.emplace(options.store.value_or(Store::default_path()));
    } catch (const Error&) {  // no home: ask every time, remember nothing
    }
    const std::string hash = certificate_hash(cert);
    if (store)
        if (const auto known = store->find(program, hash)) return *known;

    const Outcome outcome = spawn_helper(program, pid, cert.der(), options.lang);
    // Nobody could be asked, or the helper failed: refuse and remember
    // nothing, so the holder is asked when a screen is there.
    if (outcome != Outcome::allowed && outcome != Outcome::refused) return Decision::deny;
    const Decision answer = outcome == Outcome::allowed ? Decision::allow : Decision::deny;
    if (store) {
        try {
            store->remember(program, hash, answer);
        } catch (const Error&) {  // NOLINT(bugprone-empty-catch): asked again next time
        }
    }
    return answer;
}

}  // namespace mynacard::consent
