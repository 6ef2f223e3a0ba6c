#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.h"

namespace mynacard::x509 {

enum class Hash { sha1, sha224, sha256, sha384, sha512 };
// "sha256" etc.; throws Error(invalid_argument) for anything else.
[[nodiscard]] Hash parse_hash(std::string_view name);
[[nodiscard]] std::string_view to_string(Hash hash) noexcept;
[[nodiscard]] Bytes digest(Hash hash, ByteView data);
// PKCS#1 v1.5 DigestInfo (RFC 8017 §9.2 note 1) around a hash value; throws
// when the length does not match the algorithm.
[[nodiscard]] Bytes digest_info(Hash hash, ByteView hash_value);

using TimePoint = std::chrono::system_clock::time_point;

// An X.509 certificate (OpenSSL 3 underneath). Copyable, immutable.
class Certificate {
  public:
    // Throw Error(malformed_data) on anything that is not one certificate.
    [[nodiscard]] static Certificate from_der(ByteView der);
    [[nodiscard]] static Certificate from_pem(std::string_view pem);
    // DER or PEM, decided by content.
    [[nodiscard]] static Certificate from_file(const std::filesystem::path& path);

    [[nodiscard]] const Bytes& der() const noexcept;
    [[nodiscard]] std::string pem() const;
    [[nodiscard]] std::string subject() const;  // RFC 2253, UTF-8
    [[nodiscard]] std::string issuer() const;
    [[nodiscard]] Bytes serial() const;  // big-endian magnitude
    [[nodiscard]] TimePoint not_before() const;
    [[nodiscard]] TimePoint not_after() const;
    [[nodiscard]] bool is_ca() const;
    [[nodiscard]] Bytes rsa_modulus() const;  // empty for non-RSA keys
    [[nodiscard]] Bytes rsa_public_exponent() const;
    [[nodiscard]] Bytes subject_der() const;  // DER Name, for PKCS#11 CKA_SUBJECT
    [[nodiscard]] Bytes issuer_der() const;
    [[nodiscard]] Bytes sha256_fingerprint() const;

    // PKCS#1 v1.5 signature check over data with this certificate's key.
    [[nodiscard]] bool verify_signature(Hash hash, ByteView data, ByteView signature) const;

    struct Impl;
    [[nodiscard]] const Impl& impl() const noexcept { return *impl_; }

  private:
    explicit Certificate(std::shared_ptr<const Impl> impl);
    std::shared_ptr<const Impl> impl_;
};

// The holder attributes of a JPKI signature certificate: subjectAltName
// otherNames 1.2.392.200149.8.5.5.1–6 (card-facts.md §8.2).
struct JpkiAttributes {
    std::string name;
    std::string name_substitute;  // one flag digit per character
    std::string sex;              // JIS X 0303 digit
    std::string birth_date_raw;   // EYYYYMMDD as on the certificate
    int birth_era = 0;            // E: 0 unknown, 1 明治 … 5 令和
    std::string birth_date;       // YYYYMMDD (Gregorian)
    std::string address;
    std::string address_substitute;
};
// Nothing when the certificate carries none of them (an auth certificate).
// Throws Error(malformed_data) when present but malformed.
[[nodiscard]] std::optional<JpkiAttributes> jpki_attributes(const Certificate& cert);

struct ChainResult {
    bool ok = false;
    std::string error;  // OpenSSL's reason when !ok
};
// Verifies leaf (+ intermediates) against the trust anchors in `anchors` (a
// PEM/DER file or a directory of them) at time `at`.
[[nodiscard]] ChainResult verify_chain(const Certificate& leaf,
                                       const std::vector<Certificate>& intermediates,
                                       const std::filesystem::path& anchors, TimePoint at);

// Produces the raw RSA signature over a DigestInfo (the card does this).
using RawSigner = std::function<Bytes(ByteView digest_info)>;

// CMS SignedData (RFC 5652), detached, with signing time, message digest and
// the signer certificate; the signature is made by `signer` (the card).
[[nodiscard]] Bytes cms_sign_detached(ByteView content, const Certificate& signer_cert, Hash hash,
                                      const RawSigner& signer, TimePoint signing_time);

struct CmsVerifyResult {
    bool ok = false;
    std::string error;
    std::optional<Certificate> signer;
    std::optional<TimePoint> signing_time;
};
// Verifies a detached CMS signature over content; the signer certificate must
// chain to `anchors` (file or directory).
[[nodiscard]] CmsVerifyResult cms_verify_detached(ByteView content, ByteView cms_der,
                                                  const std::filesystem::path& anchors);
// The same against exactly these anchors, held in memory: nothing on disk can
// add to them.
[[nodiscard]] CmsVerifyResult cms_verify_detached(ByteView content, ByteView cms_der,
                                                  const std::vector<Certificate>& anchors);

struct IntegrityResult {
    bool ok = false;
    std::string error;
};
// 券面事項入力補助AP EF 0003 (card-facts.md §3.5): the SHA-256 digests of
// EF 0001 (17 physical bytes) and EF 0002 (value from DF22 on) match, and the
// RSA signature over the bytes before DF33 verifies with the key of the AP's
// CV certificate (EF 0004). When `ap_ca_public_key` (SubjectPublicKeyInfo
// DER) is given, EF 0004's own signature is checked against it too.
[[nodiscard]] IntegrityResult verify_text_ap_integrity(ByteView my_number_file, ByteView basic_file,
                                                       ByteView integrity_record,
                                                       ByteView ap_certificate,
                                                       std::optional<ByteView> ap_ca_public_key);

}  // namespace mynacard::x509
