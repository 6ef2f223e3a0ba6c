#include "consent/consent.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/paths.h"
#include "core/spawn.h"
#include "core/unique_fd.h"
#include "pinhelper/pinhelper.h"

namespace mynacard::consent {

namespace {

using Json = nlohmann::json;

constexpr int kFormat = 1;

// Only for DISPLAY / WAYLAND_DISPLAY: whether a dialog can be shown, never a
// path or a security choice (those go through trusted_env, i.e.
// secure_getenv). A set-uid host (pam_p11 under sudo) may still show one.
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

namespace {

// Programs that run code or serve clients they do not know themselves. The
// base name of /proc/<pid>/exe is compared; `any_suffix` accepts every name
// that starts with `name` (python3, python3.11, python3.11-dbg), otherwise
// only a version suffix of digits and dots (perl5.36.0, ruby3.1).
struct IntermediaryRow {
    std::string_view name;
    std::string_view subcommand;  // first non-option argument it needs, or ""
    bool any_suffix;
    Intermediary kind;
};
constexpr std::array<IntermediaryRow, 13> kIntermediaries{{
    // Script interpreters: the executable is the same for every script, so
    // its path names no program the holder could judge.
    {"python", "", true, Intermediary::interpreter},
    {"perl", "", false, Intermediary::interpreter},
    {"ruby", "", false, Intermediary::interpreter},
    {"node", "", false, Intermediary::interpreter},
    {"nodejs", "", false, Intermediary::interpreter},
    // The JVM runs whatever class path or jar it is given.
    {"java", "", false, Intermediary::interpreter},
    // Shells run scripts too (a module loaded by a shell builtin or plugin).
    {"sh", "", false, Intermediary::interpreter},
    {"bash", "", false, Intermediary::interpreter},
    {"dash", "", false, Intermediary::interpreter},
    {"zsh", "", false, Intermediary::interpreter},
    // p11-kit's RPC: p11-kit-remote loads the module for a client at the
    // other end of a socket or pipe (Flatpak browsers reach the host's
    // modules this way), so the real client is not this process.
    {"p11-kit-remote", "", false, Intermediary::proxy},
    {"p11-kit", "server", false, Intermediary::proxy},
    {"p11-kit", "remote", false, Intermediary::proxy},  // RPC on stdin/stdout
}};

bool version_suffix(std::string_view s) {
    return !s.empty() && (s.front() >= '0' && s.front() <= '9') &&
           std::all_of(s.begin(), s.end(),
                       [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
}

std::string_view base_name(std::string_view path) {
    const auto slash = path.rfind('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// The first argument that is no option ("-c", "--flag"), or nothing.
const std::string* first_operand(const std::vector<std::string>& args) {
    for (const auto& a : args)
        if (!a.empty() && a.front() != '-') return &a;
    return nullptr;
}

// argv of `pid` from /proc/<pid>/cmdline (NUL-separated); empty when unreadable.
std::vector<std::string> command_line_of(long pid) {
    std::vector<std::string> out;
    std::string text;
    try {
        text = read_text("/proc/" + std::to_string(pid) + "/cmdline");
    } catch (const Error&) {
        return out;
    }
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t end = std::min(text.find('\0', start), text.size());
        out.emplace_back(text.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

// The script an interpreter runs: the first non-option argument that is an
// existing regular file, relative ones looked up in the process's working
// directory.
std::string script_of(long pid, const std::vector<std::string>& args) {
    const std::string proc = "/proc/" + std::to_string(pid);
    for (const auto& a : args) {
        if (a.empty() || a.front() == '-') continue;
        const bool absolute = a.front() == '/';
        const std::string look = absolute ? a : proc + "/cwd/" + a;
        struct stat st {};
        if (::stat(look.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
        if (absolute) return a;
        std::error_code ec;
        const auto cwd = std::filesystem::read_symlink(proc + "/cwd", ec);
        return ec ? a : (cwd / a).lexically_normal().string();
    }
    return {};
}

}  // namespace

Intermediary intermediary_of(std::string_view executable, const std::vector<std::string>& args) {
    const std::string_view base = base_name(executable);
    for (const auto& row : kIntermediaries) {
        if (!base.starts_with(row.name)) continue;
        const std::string_view suffix = base.substr(row.name.size());
        if (!suffix.empty() && !row.any_suffix && !version_suffix(suffix)) continue;
        if (!row.subcommand.empty()) {
            const std::string* op = first_operand(args);
            if (op == nullptr || *op != row.subcommand) continue;
        }
        return row.kind;
    }
    return Intermediary::none;
}

Caller identify_caller(long pid) {
    Caller c;
    c.pid = pid;
    c.executable = executable_of(pid).value_or(std::string());
    std::vector<std::string> args = command_line_of(pid);
    if (!args.empty()) args.erase(args.begin());  // argv[0]: chosen by the caller
    c.kind = intermediary_of(c.executable, args);
    if (c.kind == Intermediary::interpreter) c.script = script_of(pid, args);
    return c;
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

    // The PIN helper's hardening (core/spawn.h): the socket as stdin,
    // stdout on /dev/null (p11-kit-remote speaks its RPC on the host's
    // stdout), no other descriptor of the host, default signal handling.
    pid_t child = -1;
    try {
        const std::array<ChildFd, 1> fds{{{theirs.get(), STDIN_FILENO}}};
        child = spawn_isolated(helper->string(), arguments(program, pid, lang), std::span(fds));
    } catch (const Error&) {
        return Outcome::unavailable;  // not runnable: as if there were none
    }
    theirs.reset();

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

    const std::optional<int> waited = wait_for_child(child);
    if (!waited) return Outcome::failed;
    const int status = *waited;
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
    // An interpreter or proxy gets no remembered "allow": the answer was for
    // one script or client, the next one may be another.
    // The kernel's view of `pid` decides; the path the caller passed counts
    // too, so a caller can only make itself more cautious.
    const bool intermediary = identify_caller(pid).kind != Intermediary::none ||
                              intermediary_of(program) != Intermediary::none;
    if (store) {
        if (const auto known = store->find(program, hash)) {
            if (*known == Decision::deny || !intermediary) return *known;
        }
    }

    const Outcome outcome = spawn_helper(program, pid, cert.der(), options.lang);
    // Nobody could be asked, or the helper failed: refuse and remember
    // nothing, so the holder is asked when a screen is there.
    if (outcome != Outcome::allowed && outcome != Outcome::refused) return Decision::deny;
    const Decision answer = outcome == Outcome::allowed ? Decision::allow : Decision::deny;
    if (store && !(intermediary && answer == Decision::allow)) {
        try {
            store->remember(program, hash, answer);
        } catch (const Error&) {  // NOLINT(bugprone-empty-catch): asked again next time
        }
    }
    return answer;
}

}  // namespace mynacard::consent
