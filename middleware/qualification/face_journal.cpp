#include "qualification/face_journal.h"

#include <sqlite3.h>

#include <ctime>

#include "core/error.h"

namespace mynacard::qualification::detail {
namespace {

struct StmtFree {
    void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
};
using Stmt = std::unique_ptr<sqlite3_stmt, StmtFree>;

[[noreturn]] void fail(sqlite3* db, const std::string& what) {
    // sqlite3_errmsg names the failure (locked, read-only, corrupt), never row values.
    throw Error(Errc::io, "face journal: " + what + ": " +
                              (db != nullptr ? sqlite3_errmsg(db) : "out of memory"));
}

Stmt prepare(sqlite3* db, const char* sql) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &raw, nullptr) != SQLITE_OK) fail(db, "prepare");
    return Stmt(raw);
}

void bind(sqlite3* db, sqlite3_stmt* s, int index, std::string_view text) {
    if (sqlite3_bind_text(s, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT) !=
        SQLITE_OK)
        fail(db, "bind");
}

bool exists(sqlite3* db, const char* sql, std::string_view key) {
    Stmt s = prepare(db, sql);
    bind(db, s.get(), 1, key);
    const int rc = sqlite3_step(s.get());
    if (rc == SQLITE_ROW) return true;
    if (rc != SQLITE_DONE) fail(db, "query");
    return false;
}

const char* outcome_name(FaceOutcome outcome) {
    switch (outcome) {
        case FaceOutcome::delivered:
            return "delivered";
        case FaceOutcome::duplicate:
            return "duplicate";
        case FaceOutcome::rejected:
            return "rejected";
        case FaceOutcome::stale:
            return "stale";
    }
    return "delivered";
}

}  // namespace

void FaceJournal::Closer::operator()(sqlite3* db) const noexcept {
    sqlite3_close(db);
}

FaceJournal::FaceJournal(const std::filesystem::path& file) {
    sqlite3* raw = nullptr;
    const int rc =
        sqlite3_open_v2(file.c_str(), &raw,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    db_.reset(raw);
    if (rc != SQLITE_OK) fail(raw, "cannot open " + file.filename().string());
    // Another watcher on the same journal waits instead of failing at once;
    // FULL: a delivery recorded survives a power cut.
    sqlite3_busy_timeout(db_.get(), 5000);
    const char* kSchema =
        "PRAGMA synchronous=FULL;"
        "CREATE TABLE IF NOT EXISTS face_files("
        " name TEXT PRIMARY KEY, sha256 TEXT NOT NULL, outcome TEXT NOT NULL,"
        " recorded_at INTEGER NOT NULL);"
        "CREATE INDEX IF NOT EXISTS face_files_sha256 ON face_files(sha256);";
    if (sqlite3_exec(db_.get(), kSchema, nullptr, nullptr, nullptr) != SQLITE_OK)
        fail(db_.get(), "cannot create its table");
}

FaceJournal::~FaceJournal() = default;

bool FaceJournal::has_name(std::string_view name) {
    return exists(db_.get(), "SELECT 1 FROM face_files WHERE name = ?1", name);
}

bool FaceJournal::has_delivered(std::string_view sha256) {
    return exists(db_.get(), "SELECT 1 FROM face_files WHERE sha256 = ?1 AND outcome = 'delivered'",
                  sha256);
}

void FaceJournal::record(std::string_view name, std::string_view sha256, FaceOutcome outcome) {
    Stmt s = prepare(db_.get(),
                     "INSERT OR REPLACE INTO face_files(name, sha256, outcome, recorded_at)"
                     " VALUES(?1, ?2, ?3, ?4)");
    bind(db_.get(), s.get(), 1, name);
    bind(db_.get(), s.get(), 2, sha256);
    bind(db_.get(), s.get(), 3, outcome_name(outcome));
    sqlite3_bind_int64(s.get(), 4, static_cast<sqlite3_int64>(std::time(nullptr)));
    if (sqlite3_step(s.get()) != SQLITE_DONE) fail(db_.get(), "cannot record a file");
}

}  // namespace mynacard::qualification::detail
