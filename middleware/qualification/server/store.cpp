// The SQLite part of the state directory (store.h). Statement errors name
// the operation and SQLite's reason, never row values (decision 11).
#include "qualification_server/store.h"

#include <sqlite3.h>

#include <ctime>

#include "core/error.h"

namespace mynacard::qualification::server {

namespace {

constexpr const char* kSchema = R"sql(
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
CREATE TABLE IF NOT EXISTS institutions(code TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS records(
  id INTEGER PRIMARY KEY,
  cert_serial TEXT NOT NULL, cert_issuer TEXT NOT NULL,
  insurer TEXT NOT NULL, symbol TEXT NOT NULL, number TEXT NOT NULL,
  branch TEXT NOT NULL, birthdate TEXT NOT NULL,
  record BLOB NOT NULL, enrolled INTEGER NOT NULL,
  UNIQUE(cert_serial, cert_issuer));
CREATE INDEX IF NOT EXISTS records_by_number ON records(insurer, number);
CREATE TABLE IF NOT EXISTS revoked(
  cert_serial TEXT NOT NULL, cert_issuer TEXT NOT NULL, source TEXT NOT NULL,
  at INTEGER NOT NULL, PRIMARY KEY(cert_serial, cert_issuer));
CREATE TABLE IF NOT EXISTS consents(
  id INTEGER PRIMARY KEY, record_id INTEGER NOT NULL, item TEXT NOT NULL,
  given INTEGER NOT NULL, time TEXT NOT NULL);
)sql";

struct StmtFree {
    void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
};
using Stmt = std::unique_ptr<sqlite3_stmt, StmtFree>;

[[noreturn]] void fail(sqlite3* db, const std::string& what) {
    throw Error(Errc::io, "reference service database: " + what + ": " +
                              (db != nullptr ? sqlite3_errmsg(db) : "out of memory"));
}

std::string trimmed(const Text& t) {
    if (!t) return {};
    std::string s = *t;
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
    std::size_t i = 0;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    return s.substr(i);
}

Bytes serialise(const ResultOfQualificationConfirmation& record) {
    XmlMsg holder;
    holder.body.result_list = std::vector{record};
    return write(holder, Encoding::utf8);
}

ResultOfQualificationConfirmation deserialise(const void* data, int size) {
    const auto* p = static_cast<const std::uint8_t*>(data);
    const XmlMsg holder = parse(ByteView(p, static_cast<std::size_t>(size)));
    if (!holder.body.result_list || holder.body.result_list->size() != 1)
        throw Error(Errc::internal, "reference service database: a stored record is damaged");
    return holder.body.result_list->front();
}

}  // namespace

struct Store::Db {
    sqlite3* db = nullptr;
    std::mutex mutex;
    ~Db() { sqlite3_close(db); }

    Stmt prepare(const char* sql) {
        sqlite3_stmt* raw = nullptr;
        if (sqlite3_prepare_v2(db, sql, -1, &raw, nullptr) != SQLITE_OK) fail(db, "prepare");
        return Stmt(raw);
    }
    void bind(const Stmt& s, int index, std::string_view text) {
        if (sqlite3_bind_text(s.get(), index, text.data(), static_cast<int>(text.size()),
                              SQLITE_TRANSIENT) != SQLITE_OK)
            fail(db, "bind");
    }
    void bind_blob(const Stmt& s, int index, ByteView data) {
        if (sqlite3_bind_blob(s.get(), index, data.data(), static_cast<int>(data.size()),
                              SQLITE_TRANSIENT) != SQLITE_OK)
            fail(db, "bind");
    }
    void done(const Stmt& s, const std::string& what) {
        if (sqlite3_step(s.get()) != SQLITE_DONE) fail(db, what);
    }
};

Store::Store(std::unique_ptr<Db> db) : db_(std::move(db)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

Store Store::open(const std::filesystem::path& dir, bool create) {
    const auto file = db_path(dir);
    if (!create && !std::filesystem::exists(file))
        throw Error(Errc::not_found, dir.string() +
                                         " is not a reference service state directory "
                                         "(run init first)");
    auto db = std::make_unique<Db>();
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_NOFOLLOW |
                      (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(file.c_str(), &db->db, flags, nullptr) != SQLITE_OK)
        fail(db->db, "cannot open " + file.string());
    sqlite3_busy_timeout(db->db, 5000);
    if (sqlite3_exec(db->db, kSchema, nullptr, nullptr, nullptr) != SQLITE_OK)
        fail(db->db, "schema");
    return Store(std::move(db));
}

void Store::add_institution(const std::string& code) {
    const std::lock_guard lock(db_->mutex);
    const auto s = db_->prepare("INSERT OR IGNORE INTO institutions(code) VALUES(?)");
    db_->bind(s, 1, code);
    db_->done(s, "cannot add an institution");
}

bool Store::accepts_institution(const std::string& code) {
    const std::lock_guard lock(db_->mutex);
    const auto s = db_->prepare("SELECT 1 FROM institutions WHERE code = ?");
    db_->bind(s, 1, code);
    return sqlite3_step(s.get()) == SQLITE_ROW;
}

std::vector<std::string> Store::institutions() {
    const std::lock_guard lock(db_->mutex);
    const auto s = db_->prepare("SELECT code FROM institutions ORDER BY code");
    std::vector<std::string> codes;
    while (sqlite3_step(s.get()) == SQLITE_ROW)
        codes.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s.get(), 0)));
    return codes;
}

void Store::enroll(const CertificateKey& cert, const ResultOfQualificationConfirmation& record) {
    const Bytes blob = serialise(record);
    const std::lock_guard lock(db_->mutex);
    const auto s = db_->prepare(
        "INSERT INTO records(cert_serial, cert_issuer, insurer, symbol, number, branch, birthdate,"
        " record, enrolled) VALUES(?,?,?,?,?,?,?,?,?)"
        " ON CONFLICT(cert_serial, cert_issuer) DO UPDATE SET insurer = excluded.insurer,"
        " symbol = excluded.symbol, number = excluded.number, branch = excluded.branch,"
        " birthdate = excluded.birthdate, record = excluded.record, enrolled = excluded.enrolled");
    db_->bind(s, 1, cert.serial);
    db_->bind(s, 2, cert.issuer);
    db_->bind(s, 3, normalized_insurer_number(trimmed(record.insurer_number)));
    db_->bind(s, 4, trimmed(record.insured_card_symbol));
    db_->bind(s, 5, trimmed(record.insured_identification_number));
    db_->bind(s, 6, trimmed(record.insured_branch_number));
    db_->bind(s, 7, trimmed(record.birthdate));
    db_->bind_blob(s, 8, blob);
    sqlite3_bind_int64(s.get(), 9, static_cast<sqlite3_int64>(std::time(nullptr)));
    db_->done(s, "cannot enroll");
}

std::optional<StoredRecord> Store::record_for(const CertificateKey& cert) {
    const std::lock_guard lock(db_->mutex);
    const auto s =
        db_->prepare("SELECT id, record FROM records WHERE cert_serial = ? AND cert_issuer = ?");
    db_->bind(s, 1, cert.serial);
    db_->bind(s, 2, cert.issuer);
    if (sqlite3_step(s.get()) != SQLITE_ROW) return std::nullopt;
    return StoredRecord{
        sqlite3_column_int64(s.get(), 0),
        deserialise(sqlite3_column_blob(s.get(), 1), sqlite3_column_bytes(s.get(), 1))};
}

std::vector<StoredRecord> Store::records_by_numbers(const NumberQuery& q) {
    const std::lock_guard lock(db_->mutex);
    // An empty key in the query matches any value (枝番 and 記号 are often
    // left out; the 照会番号 registration has no birth date).
    const auto s = db_->prepare(
        "SELECT id, record FROM records WHERE insurer = ?1 AND number = ?2"
        " AND (?3 = '' OR symbol = ?3) AND (?4 = '' OR branch = ?4)"
        " AND (?5 = '' OR birthdate = ?5) ORDER BY id");
    db_->bind(s, 1, normalized_insurer_number(trimmed(q.insurer_number)));
    db_->bind(s, 2, trimmed(q.number));
    db_->bind(s, 3, trimmed(q.symbol));
    db_->bind(s, 4, trimmed(q.branch));
    db_->bind(s, 5, trimmed(q.birthdate));
    std::vector<StoredRecord> found;
    while (sqlite3_step(s.get()) == SQLITE_ROW)
        found.push_back(
            {sqlite3_column_int64(s.get(), 0),
             deserialise(sqlite3_column_blob(s.get(), 1), sqlite3_column_bytes(s.get(), 1))});
    return found;
}

void Store::set_reference_number(std::int64_t record_id, const std::string& reference_number) {
    const std::lock_guard lock(db_->mutex);
    const auto get = db_->prepare("SELECT record FROM records WHERE id = ?");
    sqlite3_bind_int64(get.get(), 1, record_id);
    if (sqlite3_step(get.get()) != SQLITE_ROW) throw Error(Errc::not_found, "no such record");
    auto record =
        deserialise(sqlite3_column_blob(get.get(), 0), sqlite3_column_bytes(get.get(), 0));
    record.reference_number = reference_number;
    const auto put = db_->prepare("UPDATE records SET record = ? WHERE id = ?");
    db_->bind_blob(put, 1, serialise(record));
    sqlite3_bind_int64(put.get(), 2, record_id);
    db_->done(put, "cannot register a reference number");
}

void Store::revoke(const CertificateKey& cert, Revocation source) {
    const std::lock_guard lock(db_->mutex);
    const auto s = db_->prepare(
        "INSERT OR REPLACE INTO revoked(cert_serial, cert_issuer, source, at) VALUES(?,?,?,?)");
    db_->bind(s, 1, cert.serial);
    db_->bind(s, 2, cert.issuer);
    db_->bind(s, 3, source == Revocation::crl ? "crl" : "revoke");
    sqlite3_bind_int64(s.get(), 4, static_cast<sqlite3_int64>(std::time(nullptr)));
    db_->done(s, "cannot revoke");
}

Revocation Store::revocation(const CertificateKey& cert) {
    const std::lock_guard lock(db_->mutex);
    const auto s =
        db_->prepare("SELECT source FROM revoked WHERE cert_serial = ? AND cert_issuer = ?");
    db_->bind(s, 1, cert.serial);
    db_->bind(s, 2, cert.issuer);
    if (sqlite3_step(s.get()) != SQLITE_ROW) return Revocation::none;
    const std::string source = reinterpret_cast<const char*>(sqlite3_column_text(s.get(), 0));
    return source == "crl" ? Revocation::crl : Revocation::revoked;
}

void Store::record_consents(std::int64_t record_id, const std::vector<Consent>& consents,
                            const std::string& time) {
    const std::lock_guard lock(db_->mutex);
    // One transaction: one commit per check, not one per item.
    if (sqlite3_exec(db_->db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK)
        fail(db_->db, "begin");
    struct Rollback {
        sqlite3* db;
        bool done = false;
        ~Rollback() {
            if (!done) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
        }
    } rollback{db_->db};
    const auto s =
        db_->prepare("INSERT INTO consents(record_id, item, given, time) VALUES(?,?,?,?)");
    for (const auto& c : consents) {
        sqlite3_reset(s.get());
        sqlite3_bind_int64(s.get(), 1, record_id);
        db_->bind(s, 2, c.item);
        sqlite3_bind_int(s.get(), 3, c.given ? 1 : 0);
        db_->bind(s, 4, time);
        db_->done(s, "cannot store consents");
    }
    if (sqlite3_exec(db_->db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK)
        fail(db_->db, "commit");
    rollback.done = true;
}

std::size_t Store::consent_rows(std::int64_t record_id) {
    const std::lock_guard lock(db_->mutex);
    const auto s = db_->prepare("SELECT count(*) FROM consents WHERE record_id = ?");
    sqlite3_bind_int64(s.get(), 1, record_id);
    if (sqlite3_step(s.get()) != SQLITE_ROW) fail(db_->db, "count");
    return static_cast<std::size_t>(sqlite3_column_int64(s.get(), 0));
}

}  // namespace mynacard::qualification::server
