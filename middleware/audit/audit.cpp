#include "audit/audit.h"
#include "audit/journal.h"
#include "core/utf8.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "core/error.h"
#include "core/paths.h"
#include "core/unique_fd.h"

namespace mynacard::audit {

namespace {

using Json = nlohmann::ordered_json;  // keeps insertion order: the canonical order

// ------------------------------------------------------------ closed vocabularies

struct OperationName {
    Operation op;
    std::string_view name;
};
constexpr std::array<OperationName, 14> kOperations{{
    {Operation::read_certificate, "read_certificate"},
    {Operation::read_sign_certificate, "read_sign_certificate"},
    {Operation::sign, "sign"},
    {Operation::login, "login"},
    {Operation::pin_status, "pin_status"},
    {Operation::pin_change, "pin_change"},
    {Operation::read_text_ap, "read_text_ap"},
    {Operation::read_face_ap, "read_face_ap"},
    {Operation::export_certificate, "export_certificate"},
    {Operation::consent_given, "consent_given"},
    {Operation::consent_refused, "consent_refused"},
    {Operation::qualification_check, "qualification_check"},
    {Operation::qualification_query, "qualification_query"},
    {Operation::qualification_result, "qualification_result"},
}};

struct ResultName {
    Result result;
    std::string_view name;
};
constexpr std::array<ResultName, 6> kResults{{
    {Result::ok, "ok"},
    {Result::pin_incorrect, "pin_incorrect"},
    {Result::pin_blocked, "pin_blocked"},
    {Result::cancelled, "cancelled"},
    {Result::card_removed, "card_removed"},
    {Result::error, "error"},
}};

// Which PIN or key an event used (decision 11: nothing free-form).
constexpr std::array<std::string_view, 4> kKeys{"auth", "sign", "text", ""};

constexpr std::size_t kMaxReader = 256;  // bytes
constexpr std::size_t kHashHex = 64;     // hex SHA-256

// The members of a line, in the only order they may appear.
constexpr std::array<std::string_view, 11> kMembers{
    "seq",    "time", "program",          "pid",  "operation", "result",
    "reader", "key",  "cert_serial_hash", "prev", "hash"};
// `,"hash":"<64 hex>"}` closes every line.
constexpr std::size_t kHashSuffix = 9 + kHashHex + 2;

std::optional<Operation> parse_operation(std::string_view s) {
    for (const auto& o : kOperations)
        if (o.name == s) return o.op;
    return std::nullopt;
}
std::optional<Result> parse_result(std::string_view s) {
    for (const auto& r : kResults)
        if (r.name == s) return r.result;
    return std::nullopt;
}

bool is_hex64(std::string_view s) {
    return s.size() == kHashHex && std::all_of(s.begin(), s.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

std::string sha256_hex(std::string_view data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
    unsigned int size = 0;
    if (EVP_Digest(data.data(), data.size(), md.data(), &size, EVP_sha256(), nullptr) != 1)
        throw Error(Errc::internal, "SHA-256 failed");
    return to_hex(ByteView(md.data(), size), false);
}

// ------------------------------------------------------------ canonical form
//
// canonical(entry) = the compact JSON object (nlohmann-json dump(): no
// whitespace, non-ASCII as raw UTF-8, control characters escaped) of the
// first ten members in kMembers order. hash = lowercase hex SHA-256 of those
// bytes. The line is canonical(entry) with `,"hash":"<hash>"` before the
// final `}` — so a line's hash can be checked with any tool by replacing the
// last 75 bytes (`,"hash":"…"}`) with `}` and hashing.

Json canonical_json(const Entry& e) {
    Json j;
    j["seq"] = e.seq;
    j["time"] = e.time;
    j["program"] = e.program;
    j["pid"] = e.pid;
    j["operation"] = std::string(to_string(e.event.operation));
    j["result"] = std::string(to_string(e.event.result));
    j["reader"] = e.event.reader;
    j["key"] = e.event.key;
    j["cert_serial_hash"] = e.event.cert_serial_hash;
    j["prev"] = e.prev;
    return j;
}

std::string dump(const Json& j) {
    return j.dump(-1, ' ', false, Json::error_handler_t::strict);
}

std::string canonical(const Entry& e) {
    return dump(canonical_json(e));
}

std::string line_of(const Entry& e) {
    Json j = canonical_json(e);
    j["hash"] = e.hash;
    return dump(j);
}

// Parses one line (without its '\n') into an entry; nullopt with a reason
// when it is not exactly a canonical, self-consistent line.
std::optional<Entry> parse_line(std::string_view line, std::string& why) {
    Json j;
    try {
        j = Json::parse(line);
    } catch (const Json::exception&) {
        why = "not valid JSON";
        return std::nullopt;
    }
    if (!j.is_object() || j.size() != kMembers.size()) {
        why = "not an audit entry";
        return std::nullopt;
    }
    std::size_t i = 0;
    for (auto it = j.begin(); it != j.end(); ++it, ++i) {
        if (it.key() != kMembers[i]) {
            why = "unexpected member \"" + it.key() + "\"";
            return std::nullopt;
        }
    }
    Entry e;
    try {
        e.seq = j.at("seq").get<std::uint64_t>();
        e.time = j.at("time").get<std::string>();
        e.program = j.at("program").get<std::string>();
        e.pid = j.at("pid").get<long>();
        const auto op = parse_operation(j.at("operation").get<std::string>());
        const auto res = parse_result(j.at("result").get<std::string>());
        if (!op || !res) {
            why = "unknown operation or result";
            return std::nullopt;
        }
        e.event.operation = *op;
        e.event.result = *res;
        e.event.reader = j.at("reader").get<std::string>();
        e.event.key = j.at("key").get<std::string>();
        e.event.cert_serial_hash = j.at("cert_serial_hash").get<std::string>();
        e.prev = j.at("prev").get<std::string>();
        e.hash = j.at("hash").get<std::string>();
        if (!j.at("seq").is_number_unsigned() || !j.at("pid").is_number_integer())
            throw std::runtime_error("type");
    } catch (const std::exception&) {
        why = "member of the wrong type";
        return std::nullopt;
    }
    if (!is_hex64(e.hash)) {
        why = "malformed hash";
        return std::nullopt;
    }
    // Byte-exact canonical form: any change to the line is a change to the entry.
    if (line_of(e) != line) {
        why = "line is not in canonical form";
        return std::nullopt;
    }
    if (sha256_hex(canonical(e)) != e.hash) {
        why = "hash does not match the entry";
        return std::nullopt;
    }
    return e;
}

// ------------------------------------------------------------ file helpers

[[noreturn]] void throw_io(const std::string& what, int err) {
    throw Error(Errc::io, what + ": " + std::strerror(err));
}

void lock(int fd, int how, const std::filesystem::path& path) {
    while (::flock(fd, how) != 0) {
        if (errno != EINTR) throw_io("cannot lock " + path.string(), errno);
    }
}

std::string read_all(int fd, const std::filesystem::path& path) {
    std::string out;
    std::array<char, 65536> buf{};
    off_t offset = 0;
    for (;;) {
        const ssize_t n = ::pread(fd, buf.data(), buf.size(), offset);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw_io("cannot read " + path.string(), errno);
        }
        if (n == 0) break;
        out.append(buf.data(), static_cast<std::size_t>(n));
        offset += n;
    }
    return out;
}

std::string read_range(int fd, off_t offset, std::size_t size, const std::filesystem::path& path) {
    std::string out(size, '\0');
    std::size_t done = 0;
    while (done < size) {
        const ssize_t n =
            ::pread(fd, out.data() + done, size - done, offset + static_cast<off_t>(done));
        if (n < 0) {
            if (errno == EINTR) continue;
            throw_io("cannot read " + path.string(), errno);
        }
        if (n == 0) break;
        done += static_cast<std::size_t>(n);
    }
    out.resize(done);
    return out;
}

void write_all(int fd, std::string_view data, const std::filesystem::path& path) {
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            throw_io("cannot write " + path.string(), errno);
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
}

// Creates the missing parent directories with mode 0700 (the log says when
// and where the card was used: only its owner should read it).
void make_parent_dirs(const std::filesystem::path& file) {
    const auto parent = file.parent_path();
    if (parent.empty()) return;
    std::filesystem::path partial;
    for (const auto& part : parent) {
        partial /= part;
        if (::mkdir(partial.c_str(), 0700) != 0 && errno != EEXIST)
            throw_io("cannot create " + partial.string(), errno);
    }
}

struct Tail {
    std::uint64_t seq = 0;  // 0: no good entry yet
    std::string hash;
    bool ends_with_newline = true;
    off_t line_start = 0;  // where the unterminated last line starts (after the last '\n')
};

// The last complete, self-consistent entry, searched from the end in a
// growing window (lines are short; a torn or damaged tail is skipped).
Tail find_tail(int fd, const std::filesystem::path& path) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) throw_io("cannot stat " + path.string(), errno);
    const auto size = static_cast<std::size_t>(st.st_size);
    Tail tail;
    if (size == 0) return tail;
    tail.ends_with_newline = read_range(fd, static_cast<off_t>(size - 1), 1, path) == "\n";
    tail.line_start = static_cast<off_t>(size);
    for (std::size_t window = 64 * 1024;; window *= 2) {
        const std::size_t take = std::min(window, size);
        const std::string text = read_range(fd, static_cast<off_t>(size - take), take, path);
        // Complete lines end with '\n'; the first one in a partial window may be cut.
        std::size_t end = text.rfind('\n');
        if (!tail.ends_with_newline) {
            if (end != std::string::npos)
                tail.line_start = static_cast<off_t>(size - take + end + 1);
            else if (take == size)
                tail.line_start = 0;
            else
                continue;  // the unterminated line is longer than the window: widen
        }
        while (end != std::string::npos) {
            const std::size_t start_nl = end == 0 ? std::string::npos : text.rfind('\n', end - 1);
            if (start_nl == std::string::npos && take < size) break;  // possibly cut: widen
            const std::size_t start = start_nl == std::string::npos ? 0 : start_nl + 1;
            std::string why;
            if (auto e = parse_line(std::string_view(text).substr(start, end - start), why)) {
                tail.seq = e->seq;
                tail.hash = e->hash;
                return tail;
            }
            if (start_nl == std::string::npos) break;
            end = start_nl;
        }
        if (take == size) return tail;
    }
}

// Whether `piece` (the end of the file after the last '\n') can be what an
// interrupted append left: a prefix of the line that would have been entry
// `seq` chaining from `prev`. Anything else — a whole line followed by more
// bytes (a damaged final '\n'), another seq, another prev — is damage.
bool interrupted_append(std::string_view piece, std::uint64_t seq, std::string_view prev) {
    const std::string head = "{\"seq\":" + std::to_string(seq) + ",\"time\":\"";
    if (piece.size() <= head.size()) return std::string_view(head).starts_with(piece);
    if (!piece.starts_with(head)) return false;
    if (const auto p = piece.find(",\"prev\":\""); p != std::string_view::npos) {
        const std::string expected = std::string(prev) + "\"";
        const std::string_view have = piece.substr(p + 9, expected.size());
        if (!std::string_view(expected).starts_with(have)) return false;
    }
    if (const auto h = piece.find(",\"hash\":\""); h != std::string_view::npos)
        if (piece.size() >= h + kHashSuffix) return false;  // a whole line and more
    return true;
}

// The file ends without '\n': an append was interrupted (SIGKILL, power
// loss) after writing part of its line. Every line is written by one
// append, its '\n' last, so the unterminated piece is either the whole
// entry but its '\n' — then it is completed and becomes the tail — or a
// prefix of one, which was never a committed entry: it is cut off, so the
// chain continues from the last complete entry and the file verifies again.
// (A hash chain cannot notice entries removed at the end anyway.)
void settle_unterminated_tail(int fd, Tail& tail, const std::filesystem::path& path) {
    if (tail.ends_with_newline) return;
    struct stat st {};
    if (::fstat(fd, &st) != 0) throw_io("cannot stat " + path.string(), errno);
    const std::string piece = read_range(
        fd, tail.line_start, static_cast<std::size_t>(st.st_size - tail.line_start), path);
    std::string why;
    const auto e = parse_line(piece, why);
    if (e && e->seq == tail.seq + 1 && e->prev == tail.hash) {
        write_all(fd, "\n", path);
        tail.seq = e->seq;
        tail.hash = e->hash;
    } else if (interrupted_append(piece, tail.seq + 1, tail.hash)) {
        if (::ftruncate(fd, tail.line_start) != 0)
            throw_io("cannot repair the torn end of " + path.string(), errno);
    } else {
        // Damage, not an interrupted append: terminated and kept, so
        // verify() goes on reporting it; the new entry chains from the last
        // good one.
        write_all(fd, "\n", path);
    }
    tail.ends_with_newline = true;
}

std::string now_rfc3339() {
    const auto now = std::chrono::system_clock::now();
    const std::time_t t = std::chrono::system_clock::to_time_t(now);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    std::array<char, 32> buf{};
    const auto n = std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%SZ", &tm);
    return std::string(buf.data(), n);
}

std::string program_path() {
    std::string path = own_executable();
    if (!is_valid_utf8(path)) return "unknown";  // JSON strings must be UTF-8
    return path;
}

Event checked(const Event& event) {
    if (!parse_operation(to_string(event.operation)) || !parse_result(to_string(event.result)))
        throw Error(Errc::invalid_argument, "audit: unknown operation or result");
    if (event.reader.size() > kMaxReader)
        throw Error(Errc::invalid_argument, "audit: reader name longer than 256 bytes");
    if (!is_valid_utf8(event.reader))
        throw Error(Errc::invalid_argument, "audit: reader name is not UTF-8");
    if (std::find(kKeys.begin(), kKeys.end(), event.key) == kKeys.end())
        throw Error(Errc::invalid_argument, "audit: key must be auth, sign, text or empty");
    Event out = event;
    std::transform(
        out.cert_serial_hash.begin(), out.cert_serial_hash.end(), out.cert_serial_hash.begin(),
        [](char c) { return (c >= 'A' && c <= 'F') ? static_cast<char>(c - 'A' + 'a') : c; });
    if (!out.cert_serial_hash.empty() && !is_hex64(out.cert_serial_hash))
        throw Error(Errc::invalid_argument,
                    "audit: certificate serial hash must be 64 hex digits or empty");
    return out;
}

}  // namespace

Result result_of(Errc code) noexcept {
    switch (code) {
        case Errc::pin_incorrect:
            return Result::pin_incorrect;
        case Errc::pin_blocked:
            return Result::pin_blocked;
        case Errc::cancelled:
        case Errc::confirmation_required:
        case Errc::pin_format:
            return Result::cancelled;
        case Errc::card_removed:
            return Result::card_removed;
        default:
            return Result::error;
    }
}

std::string_view to_string(Operation op) noexcept {
    for (const auto& o : kOperations)
        if (o.op == op) return o.name;
    return "unknown";
}

std::string_view to_string(Result result) noexcept {
    for (const auto& r : kResults)
        if (r.result == result) return r.name;
    return "unknown";
}

std::string serial_hash(ByteView serial) {
    return sha256_hex(
        std::string_view(reinterpret_cast<const char*>(serial.data()), serial.size()));
}

Log::Log(std::filesystem::path path) : path_(std::move(path)) {}

std::filesystem::path Log::default_path() {
    // trusted_env: a set-uid host never takes the log path from its caller.
    if (auto p = trusted_env("MYNACARD_AUDIT_LOG"); !p.empty()) return p;
    return xdg_directory("XDG_STATE_HOME", ".local/state") / "mynacard" / "audit.jsonl";
}

namespace {

// Writes `entry` as the next line of the log at `path` (seq, prev and hash
// filled in here, under the lock).
void append_line(const std::filesystem::path& path, Entry& entry) {
    make_parent_dirs(path);
    const bool existed = std::filesystem::exists(path);
    const UniqueFd fd(::open(path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600));
    if (fd.get() < 0) throw_io("cannot open audit log " + path.string(), errno);
    lock(fd.get(), LOCK_EX, path);  // released by close()

    Tail tail = find_tail(fd.get(), path);
    settle_unterminated_tail(fd.get(), tail, path);
    entry.seq = tail.seq + 1;
    entry.prev = tail.hash;
    entry.hash = sha256_hex(canonical(entry));

    // One write, the '\n' last: an interrupted append leaves a prefix of
    // this line and nothing else (settled by the next append).
    std::string text = line_of(entry);
    text += '\n';
    write_all(fd.get(), text, path);
    if (::fsync(fd.get()) != 0) throw_io("cannot sync " + path.string(), errno);
    if (!existed) {
        // Make the new directory entry durable too.
        const auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
        const UniqueFd dfd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (dfd.get() >= 0) (void)::fsync(dfd.get());
    }
}

}  // namespace

void Log::append(const Event& event) {
    // A set-uid or set-gid host writes no file: it would create or extend a
    // file of the caller's choosing with rights the caller does not have.
    if (privileged_host()) return;
    Entry entry;
    entry.event = checked(event);
    entry.time = now_rfc3339();
    entry.program = program_path();
    entry.pid = static_cast<long>(::getpid());
    try {
        append_line(path_, entry);
    } catch (const Error&) {
        detail::send_to_journal(entry, false);  // the card was used all the same
        throw;
    }
    detail::send_to_journal(entry, true);
}

namespace {

// Reads the file under a shared lock; nullopt when it does not exist.
std::optional<std::string> read_log(const std::filesystem::path& path) {
    const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
        if (errno == ENOENT) return std::nullopt;
        throw_io("cannot open audit log " + path.string(), errno);
    }
    lock(fd.get(), LOCK_SH, path);
    return read_all(fd.get(), path);
}

}  // namespace

std::vector<Entry> Log::read() const {
    std::vector<Entry> entries;
    const auto text = read_log(path_);
    if (!text) return entries;
    std::size_t start = 0;
    while (start < text->size()) {
        const std::size_t nl = text->find('\n', start);
        const std::size_t end = nl == std::string::npos ? text->size() : nl;
        std::string why;
        if (auto e = parse_line(std::string_view(*text).substr(start, end - start), why))
            entries.push_back(std::move(*e));
        start = end + 1;
    }
    return entries;
}

VerifyResult Log::verify() const {
    VerifyResult result;
    const auto text = read_log(path_);
    if (!text) {
        result.ok = true;  // no log: nothing recorded yet
        return result;
    }
    std::uint64_t line_no = 0;
    std::string prev;
    std::uint64_t expected_seq = 1;
    std::size_t start = 0;
    while (start < text->size()) {
        ++line_no;
        const std::size_t nl = text->find('\n', start);
        const auto fail = [&](const std::string& why) {
            result.ok = false;
            result.first_bad_line = line_no;
            result.error = "line " + std::to_string(line_no) + ": " + why;
            return result;
        };
        std::string why;
        if (nl == std::string::npos) {
            // An unterminated last line: a whole entry that lacks only its
            // '\n' counts; a prefix of the next entry is an append that was
            // interrupted (never a committed entry) and does not make the
            // log fail; anything else is damage.
            const auto e = parse_line(std::string_view(*text).substr(start), why);
            const std::string_view piece = std::string_view(*text).substr(start);
            if (e && e->seq == expected_seq && e->prev == prev) {
                ++result.entries;
            } else if (interrupted_append(piece, expected_seq, prev)) {
                result.torn_tail_bytes = piece.size();
            } else {
                return fail("damaged last line (no line end, and not an interrupted append)");
            }
            break;
        }
        const auto e = parse_line(std::string_view(*text).substr(start, nl - start), why);
        if (!e) return fail(why);
        if (e->seq != expected_seq)
            return fail("sequence number " + std::to_string(e->seq) + ", expected " +
                        std::to_string(expected_seq));
        if (e->prev != prev) return fail("does not chain to the previous entry");
        prev = e->hash;
        ++expected_seq;
        ++result.entries;
        start = nl + 1;
    }
    result.ok = true;
    return result;
}

}  // namespace mynacard::audit
