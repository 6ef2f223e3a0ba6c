#pragma once

// The reference service's state directory (docs/qualification.md, "Setting
// up the reference service"):
//   qualification.db   SQLite: accepted institution codes, insured records
//                      linked to auth certificates, revocations, consents
//   server.key         TLS private key (0600)
//   server.pem         its self-signed certificate (clients' --server-ca)
//   anchors.pem        trusted JPKI auth CAs
// One connection, serialised by a mutex: every statement is short.

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "qualification/xml_msg.h"

struct sqlite3;

namespace mynacard::qualification::server {

struct CertificateKey {
    std::string serial;  // hex, upper case
    std::string issuer;  // hex of the issuer Name's DER
    bool operator==(const CertificateKey&) const = default;
};

enum class Revocation { none, revoked, crl };

// The number-based search keys (§A.3); empty branch or symbol match any.
struct NumberQuery {
    std::string insurer_number;  // as written; compared in its 8-digit form
    std::string symbol;
    std::string number;
    std::string branch;
    std::string birthdate;  // YYYYMMDD; empty matches any (照会番号 registration)
};

struct StoredRecord {
    std::int64_t id = 0;
    ResultOfQualificationConfirmation record;
};

class Store {
  public:
    // Opens (creating when `create`) the database in `dir`. Throws
    // Error(not_found) when the directory is not an initialised state dir.
    static Store open(const std::filesystem::path& dir, bool create = false);

    [[nodiscard]] static std::filesystem::path db_path(const std::filesystem::path& dir) {
        return dir / "qualification.db";
    }
    [[nodiscard]] static std::filesystem::path key_path(const std::filesystem::path& dir) {
        return dir / "server.key";
    }
    [[nodiscard]] static std::filesystem::path cert_path(const std::filesystem::path& dir) {
        return dir / "server.pem";
    }
    [[nodiscard]] static std::filesystem::path anchors_path(const std::filesystem::path& dir) {
        return dir / "anchors.pem";
    }

    void add_institution(const std::string& code);
    [[nodiscard]] bool accepts_institution(const std::string& code);
    [[nodiscard]] std::vector<std::string> institutions();

    // Links `record` to the certificate (replacing an earlier link of the same one).
    void enroll(const CertificateKey& cert, const ResultOfQualificationConfirmation& record);
    [[nodiscard]] std::optional<StoredRecord> record_for(const CertificateKey& cert);
    [[nodiscard]] std::vector<StoredRecord> records_by_numbers(const NumberQuery& query);
    void set_reference_number(std::int64_t record_id, const std::string& reference_number);

    void revoke(const CertificateKey& cert, Revocation source);
    [[nodiscard]] Revocation revocation(const CertificateKey& cert);

    // The consents given at one check (item names of reference_protocol.h),
    // each with its flag and time (YYYYMMDDhhmmss).
    struct Consent {
        std::string item;
        bool given = false;
    };
    void record_consents(std::int64_t record_id, const std::vector<Consent>& consents,
                         const std::string& time);
    [[nodiscard]] std::size_t consent_rows(std::int64_t record_id);

    Store(Store&&) noexcept;
    Store& operator=(Store&&) noexcept;
    ~Store();

  private:
    struct Db;
    explicit Store(std::unique_ptr<Db> db);
    std::unique_ptr<Db> db_;
};

}  // namespace mynacard::qualification::server
