#include "qualification/export_queue.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <utility>

#include "core/error.h"
#include "qualification/answer_json.h"
#include "qualification/expiry.h"

namespace mynacard::qualification {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::system_clock;

// The clinic's system reads the files; other users of the machine do not
// (the export folder's group is the clinic system's).
constexpr mode_t kExportMode = 0640;
constexpr mode_t kQueueMode = 0600;
// "-2" … "-999" when a name is taken; more means something is wrong.
constexpr int kMaxSuffix = 999;
// An existing file compared with ours is read up to this size.
constexpr std::size_t kMaxCompared = kMaxFileSize + 1024 * 1024;

// ---- files ----------------------------------------------------------------

class Fd {
  public:
    explicit Fd(int fd = -1) noexcept : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    [[nodiscard]] int get() const noexcept { return fd_; }
    int release() noexcept { return std::exchange(fd_, -1); }

  private:
    int fd_;
};

std::string random_hex(std::size_t bytes) {
    std::array<std::uint8_t, 16> random{};
    bytes = std::min(bytes, random.size());
    std::size_t got = 0;
    while (got < bytes) {
        const ssize_t n = ::getrandom(random.data() + got, bytes - got, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw Error(Errc::internal, "getrandom failed");
        }
        got += static_cast<std::size_t>(n);
    }
    return to_hex(ByteView(random.data(), bytes), false);
}

[[noreturn]] void io_fail(const std::string& what, int err) {
    throw Error(Errc::io, what + ": " + std::strerror(err));
}

// The export folder; a symlink the clinic set up is followed (only here).
Fd open_export_dir(const fs::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        if (err == ENOENT) throw Error(Errc::io, "export folder " + dir.string() + " is missing");
        if (err == ENOTDIR)
            throw Error(Errc::io, "export folder " + dir.string() + " is not a folder");
        io_fail("export folder " + dir.string(), err);
    }
    return Fd(fd);
}

enum class Existing { absent, same, different };

// What is at `name` in the folder compared with `content`: a symlink or
// anything not a regular file is "different" (never followed, never reused).
Existing compare(int dir, const std::string& name, ByteView content) {
    const int fd = ::openat(dir, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT) return Existing::absent;
        return Existing::different;  // ELOOP (a symlink), EACCES, …
    }
    Fd file(fd);
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        static_cast<std::size_t>(st.st_size) != content.size() || content.size() > kMaxCompared)
        return Existing::different;
    Bytes buffer(content.size());
    std::size_t at = 0;
    while (at < buffer.size()) {
        const ssize_t n = ::read(fd, buffer.data() + at, buffer.size() - at);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return Existing::different;
        at += static_cast<std::size_t>(n);
    }
    const bool same = std::equal(buffer.begin(), buffer.end(), content.begin());
    wipe(buffer);
    return same ? Existing::same : Existing::different;
}

// Moves `from` to `to` unless `to` exists. false with errno set (EEXIST
// when `to` was taken).
bool rename_no_replace(int dir, const std::string& from, const std::string& to) {
    if (::renameat2(dir, from.c_str(), dir, to.c_str(), RENAME_NOREPLACE) == 0) return true;
    const int err = errno;
    if (err != EINVAL && err != ENOSYS && err != ENOTSUP) return false;
    // File systems without RENAME_NOREPLACE (some network mounts): a hard
    // link fails on an existing name too.
    if (::linkat(dir, from.c_str(), dir, to.c_str(), 0) == 0) {
        (void)::unlinkat(dir, from.c_str(), 0);
        return true;
    }
    return false;
}

// Writes `content` under `name`: a temporary file that no one else can
// have created (random name, O_EXCL|O_NOFOLLOW), fsync, then a rename that
// never replaces an existing name. false when `name` was taken meanwhile.
// Throws Error(io) naming the failure.
bool write_new(int dir, const fs::path& dir_path, const std::string& name, ByteView content) {
    const std::string temp = "." + name + "." + random_hex(8) + ".tmp";
    const int raw = ::openat(dir, temp.c_str(),
                             O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, kExportMode);
    if (raw < 0) io_fail("cannot write into export folder " + dir_path.string(), errno);
    Fd fd(raw);
    const auto fail = [&](const std::string& what) {
        const int err = errno;
        (void)::unlinkat(dir, temp.c_str(), 0);
        io_fail(what + " in export folder " + dir_path.string(), err);
    };
    // The mode whatever the umask: the clinic's system reads it by group.
    if (::fchmod(fd.get(), kExportMode) != 0) fail("cannot set the mode of " + name);
    std::size_t at = 0;
    while (at < content.size()) {
        const ssize_t n = ::write(fd.get(), content.data() + at, content.size() - at);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) fail("cannot write " + name);
        at += static_cast<std::size_t>(n);
    }
    if (::fsync(fd.get()) != 0) fail("cannot write " + name);
    if (::close(fd.release()) != 0) fail("cannot write " + name);
    if (!rename_no_replace(dir, temp, name)) {
        const int err = errno;
        (void)::unlinkat(dir, temp.c_str(), 0);
        if (err == EEXIST) return false;
        io_fail("cannot name " + name + " in export folder " + dir_path.string(), err);
    }
    // The new name survives a power cut.
    (void)::fsync(dir);
    return true;
}

std::string json_with_name(const std::string& json_text, const std::string& xml_file) {
    nlohmann::json j = nlohmann::json::parse(json_text);
    j["xml_file"] = xml_file;
    std::string out = j.dump(2) + "\n";
    return out;
}

ByteView view(const std::string& s) {
    return ByteView(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
}

// One export: its wanted base name, the XML bytes, the JSON without
// "xml_file".
struct Files {
    std::string base;
    Bytes xml;
    std::string json;
    ~Files() {
        wipe(xml);
        wipe(json);
    }
};

// Writes both files under the first free stem; returns the stem. A stem
// whose files already hold exactly this export (written before a crash or a
// lost answer from the queue) is taken as done.
std::string write_files(const fs::path& dir_path, const Files& f) {
    Fd dir = open_export_dir(dir_path);
    for (int n = 1; n <= kMaxSuffix; ++n) {
        const std::string stem = n == 1 ? f.base : f.base + "-" + std::to_string(n);
        std::string json = json_with_name(f.json, stem + ".xml");
        struct WipeJson {
            std::string& s;
            ~WipeJson() { wipe(s); }
        } wipe_json{json};
        const Existing xml = compare(dir.get(), stem + ".xml", f.xml);
        const Existing js = compare(dir.get(), stem + ".json", view(json));
        if (xml == Existing::different || js == Existing::different) continue;
        // XML first: a clinic system that waits for the JSON finds its XML.
        if (xml == Existing::absent && !write_new(dir.get(), dir_path, stem + ".xml", f.xml))
            continue;
        if (js == Existing::absent && !write_new(dir.get(), dir_path, stem + ".json", view(json)))
            continue;
        return stem;
    }
    throw Error(Errc::io, "export folder " + dir_path.string() + ": no free name for " + f.base);
}

bool safe_identifier(const Text& id) {
    if (!id || id->empty() || id->size() > kMaxExportIdentifier) return false;
    for (const char c : *id)
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              c == '_' || c == '-'))
            return false;
    return true;
}

std::tm local_tm(Clock::time_point t) {
    const std::time_t when = Clock::to_time_t(t);
    std::tm tm{};
    ::localtime_r(&when, &tm);
    return tm;
}

// "20250301-093015": the time part of the names.
std::string name_time(Clock::time_point t) {
    const std::tm tm = local_tm(t);
    std::array<char, 32> buf{};
    std::strftime(buf.data(), buf.size(), "%Y%m%d-%H%M%S", &tm);
    return buf.data();
}

// "2025-03-01T09:30:15+0900": the JSON's received_at.
std::string iso_time(Clock::time_point t) {
    const std::tm tm = local_tm(t);
    std::array<char, 40> buf{};
    std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%S%z", &tm);
    return buf.data();
}

// ---- the queue's folder and file -------------------------------------------

void prepare_state_folder(const fs::path& folder) {
    std::error_code ec;
    if (!fs::exists(folder, ec)) {
        fs::create_directories(folder, ec);
        if (ec) throw Error(Errc::io, "cannot make state folder " + folder.string());
    }
    struct stat st {};
    if (::stat(folder.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        throw Error(Errc::io, "state folder " + folder.string() + " is not a folder");
    if (st.st_uid != ::geteuid())
        throw Error(Errc::io, "state folder " + folder.string() + " belongs to another user");
    // Personal data waits here: nobody else may list, add or swap files.
    if ((st.st_mode & 077) != 0 && ::chmod(folder.c_str(), 0700) != 0)
        io_fail("cannot make state folder " + folder.string() + " private", errno);
}

void prepare_queue_file(const fs::path& file) {
    const int raw =
        ::open(file.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, kQueueMode);
    if (raw < 0) {
        if (errno == ELOOP)
            throw Error(Errc::invalid_argument, "export queue " + file.string() + " is a symlink");
        io_fail("cannot open export queue " + file.string(), errno);
    }
    Fd fd(raw);
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode))
        throw Error(Errc::io, "export queue " + file.string() + " is not a file");
    if (st.st_uid != ::geteuid())
        throw Error(Errc::io, "export queue " + file.string() + " belongs to another user");
    if ((st.st_mode & 0777) != kQueueMode && ::fchmod(fd.get(), kQueueMode) != 0)
        io_fail("cannot make export queue " + file.string() + " private", errno);
}

struct StmtFree {
    void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
};
using Stmt = std::unique_ptr<sqlite3_stmt, StmtFree>;
struct DbClose {
    void operator()(sqlite3* db) const noexcept { sqlite3_close(db); }
};

}  // namespace

struct ExportQueue::Db {
    std::unique_ptr<sqlite3, DbClose> db;

    [[noreturn]] void fail(const std::string& what) const {
        // sqlite3_errmsg names the failure, never row values.
        throw Error(Errc::io, "export queue: " + what + ": " +
                                  (db ? sqlite3_errmsg(db.get()) : "out of memory"));
    }
    Stmt prepare(const char* sql) const {
        sqlite3_stmt* raw = nullptr;
        if (sqlite3_prepare_v2(db.get(), sql, -1, &raw, nullptr) != SQLITE_OK) fail("prepare");
        return Stmt(raw);
    }
    void done(sqlite3_stmt* s, const char* what) const {
        if (sqlite3_step(s) != SQLITE_DONE) fail(what);
    }

    sqlite3_int64 insert(const Files& f, Clock::time_point received_at) {
        Stmt s =
            prepare("INSERT INTO exports(base, xml, json, received_at) VALUES(?1, ?2, ?3, ?4)");
        sqlite3_bind_text(s.get(), 1, f.base.data(), static_cast<int>(f.base.size()),
                          SQLITE_STATIC);
        sqlite3_bind_blob(s.get(), 2, f.xml.data(), static_cast<int>(f.xml.size()), SQLITE_STATIC);
        sqlite3_bind_text(s.get(), 3, f.json.data(), static_cast<int>(f.json.size()),
                          SQLITE_STATIC);
        sqlite3_bind_int64(s.get(), 4, Clock::to_time_t(received_at));
        done(s.get(), "cannot queue an export");
        return sqlite3_last_insert_rowid(db.get());
    }
    void remove(sqlite3_int64 id) {
        Stmt s = prepare("DELETE FROM exports WHERE id = ?1");
        sqlite3_bind_int64(s.get(), 1, id);
        done(s.get(), "cannot remove a written export");
    }
    void set_error(sqlite3_int64 id, const std::string& error) {
        Stmt s = prepare("UPDATE exports SET error = ?2 WHERE id = ?1");
        sqlite3_bind_int64(s.get(), 1, id);
        sqlite3_bind_text(s.get(), 2, error.data(), static_cast<int>(error.size()), SQLITE_STATIC);
        done(s.get(), "cannot record an error");
    }
};

ExportQueue::ExportQueue(fs::path export_dir, fs::path queue_db)
    : export_dir_(std::move(export_dir)), db_(std::make_unique<Db>()) {
    prepare_state_folder(queue_db.parent_path().empty() ? fs::path(".") : queue_db.parent_path());
    prepare_queue_file(queue_db);
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(
        queue_db.c_str(), &raw,
        SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_FULLMUTEX, nullptr);
    db_->db.reset(raw);
    if (rc != SQLITE_OK) db_->fail("cannot open " + queue_db.filename().string());
    sqlite3_busy_timeout(raw, 5000);
    // secure_delete: a written export's row is overwritten with zeros, not
    // left in a free page. FULL: a queued export survives a power cut.
    const char* kSchema =
        "PRAGMA secure_delete=ON;"
        "PRAGMA synchronous=FULL;"
        "CREATE TABLE IF NOT EXISTS exports("
        " id INTEGER PRIMARY KEY AUTOINCREMENT, base TEXT NOT NULL, xml BLOB NOT NULL,"
        " json TEXT NOT NULL, received_at INTEGER NOT NULL, error TEXT);";
    if (sqlite3_exec(raw, kSchema, nullptr, nullptr, nullptr) != SQLITE_OK)
        db_->fail("cannot create its table");
}

ExportQueue::~ExportQueue() = default;

std::string ExportQueue::base_name(const XmlMsg& message, Clock::time_point received_at) {
    const auto& id = message.header.arbitrary_file_identifier;
    return name_time(received_at) + "_" + (safe_identifier(id) ? *id : random_hex(8));
}

bool ExportQueue::is_temporary_name(std::string_view name) {
    return name.size() > 5 && name.front() == '.' && name.substr(name.size() - 4) == ".tmp";
}

nlohmann::json export_json(const XmlMsg& message, Encoding xml_encoding,
                           Clock::time_point received_at) {
    const std::tm tm = local_tm(received_at);
    const Date day{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
    return {{"format", "mynacard-front-desk-export"},
            {"version", 1},
            {"received_at", iso_time(received_at)},
            {"xml_encoding", xml_encoding == Encoding::utf8 ? "UTF-8" : "Shift_JIS"},
            {"expiry", to_json(expiry_warnings(message, day))},
            {"message", to_json(message)}};
}

ExportOutcome ExportQueue::submit(const ExportItem& item) {
    Files f;
    f.base = base_name(item.message, item.received_at);
    Encoding encoding = item.message.character_code().value_or(Encoding::utf8);
    if (!item.received.empty()) {
        f.xml = item.received;
        encoding = detect_encoding(f.xml);
    } else {
        f.xml = write(item.message, encoding);
    }
    nlohmann::json json = export_json(item.message, encoding, item.received_at);
    f.json = json.dump();

    std::lock_guard lock(mutex_);
    // Queued first: a crash while writing loses nothing (a retry that finds
    // the same files written takes them as done).
    std::optional<sqlite3_int64> id;
    std::string queue_error;
    try {
        id = db_->insert(f, item.received_at);
    } catch (const Error& e) {
        queue_error = e.what();
    }
    ExportOutcome out{f.base, false, {}};
    try {
        out.base_name = write_files(export_dir_, f);
        out.written = true;
        last_error_.reset();
        if (id) db_->remove(*id);
        return out;
    } catch (const Error& e) {
        if (!id)
            throw Error(Errc::io,
                        std::string(e.what()) + "; and it could not be queued: " + queue_error);
        out.error = e.what();
        last_error_ = out.error;
        db_->set_error(*id, out.error);
        return out;
    }
}

std::size_t ExportQueue::retry() {
    std::lock_guard lock(mutex_);
    std::size_t written = 0;
    for (;;) {
        Stmt s =
            db_->prepare("SELECT id, base, xml, json FROM exports ORDER BY id LIMIT 1 OFFSET 0");
        const int rc = sqlite3_step(s.get());
        if (rc == SQLITE_DONE) break;
        if (rc != SQLITE_ROW) db_->fail("cannot read the queue");
        const sqlite3_int64 id = sqlite3_column_int64(s.get(), 0);
        Files f;
        f.base = reinterpret_cast<const char*>(sqlite3_column_text(s.get(), 1));
        const auto* xml = static_cast<const std::uint8_t*>(sqlite3_column_blob(s.get(), 2));
        f.xml.assign(xml, xml + sqlite3_column_bytes(s.get(), 2));
        f.json.assign(reinterpret_cast<const char*>(sqlite3_column_text(s.get(), 3)),
                      static_cast<std::size_t>(sqlite3_column_bytes(s.get(), 3)));
        s.reset();
        try {
            (void)write_files(export_dir_, f);
        } catch (const Error& e) {
            last_error_ = e.what();
            db_->set_error(id, e.what());
            break;  // the folder is still away or full: the rest would fail too
        }
        db_->remove(id);
        last_error_.reset();
        ++written;
    }
    return written;
}

std::size_t ExportQueue::pending() const {
    std::lock_guard lock(mutex_);
    Stmt s = db_->prepare("SELECT count(*) FROM exports");
    if (sqlite3_step(s.get()) != SQLITE_ROW) db_->fail("cannot count the queue");
    return static_cast<std::size_t>(sqlite3_column_int64(s.get(), 0));
}

std::optional<std::string> ExportQueue::last_error() const {
    std::lock_guard lock(mutex_);
    if (last_error_) return last_error_;
    // After a restart: what the oldest pending export last failed with.
    Stmt s = db_->prepare("SELECT error FROM exports ORDER BY id LIMIT 1");
    if (sqlite3_step(s.get()) == SQLITE_ROW && sqlite3_column_type(s.get(), 0) == SQLITE_TEXT)
        return std::string(reinterpret_cast<const char*>(sqlite3_column_text(s.get(), 0)));
    return std::nullopt;
}

}  // namespace mynacard::qualification
