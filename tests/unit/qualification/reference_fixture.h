#pragma once

// Shared by the reference service tests: the simulator's test PKI (the
// JPKI auth root and its key), certificates issued here with chosen dates
// or from a second CA, a software signer over an auth key (what the card
// does after the PIN), CRLs, and the service running in-process on a free
// loopback port.

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/bytes.h"
#include "qualification_server/admin.h"
#include "qualification_server/service.h"
#include "support/temp_dir.h"

namespace mynacard::test {

namespace fs = std::filesystem;
using TimePoint = std::chrono::system_clock::time_point;

inline const fs::path kPki = MYNACARD_TEST_PKI;
inline const fs::path kProfiles = MYNACARD_TEST_PROFILES;
inline const std::string kInstitution = "1312345678";

template <auto Free>
struct OsslFree {
    template <typename T>
    void operator()(T* p) const noexcept {
        Free(p);
    }
};
using Key = std::unique_ptr<EVP_PKEY, OsslFree<EVP_PKEY_free>>;
using Cert = std::unique_ptr<X509, OsslFree<X509_free>>;

inline std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + p.string());
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline void spit(const fs::path& p, std::string_view data) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << data;
}

inline Key load_key(const fs::path& pem) {
    const std::string text = slurp(pem);
    std::unique_ptr<BIO, OsslFree<BIO_free>> bio(
        BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
    Key key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    if (!key) throw std::runtime_error("no key in " + pem.string());
    return key;
}

inline Cert load_cert(const fs::path& file) {
    const std::string text = slurp(file);
    std::unique_ptr<BIO, OsslFree<BIO_free>> bio(
        BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
    Cert c(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!c) {
        const auto* p = reinterpret_cast<const unsigned char*>(text.data());
        c.reset(d2i_X509(nullptr, &p, static_cast<long>(text.size())));
    }
    if (!c) throw std::runtime_error("no certificate in " + file.string());
    return c;
}

inline Bytes der_of(X509* c) {
    unsigned char* out = nullptr;
    const int n = i2d_X509(c, &out);
    Bytes der(out, out + n);
    OPENSSL_free(out);
    return der;
}

inline std::string pem_of(X509* c) {
    std::unique_ptr<BIO, OsslFree<BIO_free>> bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_X509(bio.get(), c);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(n));
}

inline Key new_rsa_key() {
    Key key(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048)));
    if (!key) throw std::runtime_error("RSA key generation");
    return key;
}

inline void add_ext(X509* c, X509* issuer, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, c, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    X509_add_ext(c, ext, -1);
    X509_EXTENSION_free(ext);
}

// A certificate for `subject_key`, issued by `issuer` (self-signed when
// null) with these dates and serial.
inline Cert issue(EVP_PKEY* subject_key, X509* issuer, EVP_PKEY* issuer_key, const std::string& cn,
                  TimePoint not_before, TimePoint not_after, long serial, bool ca = false) {
    Cert c(X509_new());
    X509_set_version(c.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(c.get()), serial);
    ASN1_TIME_set(X509_getm_notBefore(c.get()), std::chrono::system_clock::to_time_t(not_before));
    ASN1_TIME_set(X509_getm_notAfter(c.get()), std::chrono::system_clock::to_time_t(not_after));
    X509_NAME* name = X509_get_subject_name(c.get());
    X509_NAME_add_entry_by_txt(name, "C", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("JP"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
    X509_set_issuer_name(c.get(), issuer != nullptr ? X509_get_subject_name(issuer) : name);
    X509_set_pubkey(c.get(), subject_key);
    X509* signer = issuer != nullptr ? issuer : c.get();
    if (ca) {
        add_ext(c.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
        add_ext(c.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
        add_ext(c.get(), signer, NID_key_usage, "critical,digitalSignature");
    }
    add_ext(c.get(), signer, NID_subject_key_identifier, "hash");
    add_ext(c.get(), signer, NID_authority_key_identifier, "keyid:always");
    X509_sign(c.get(), issuer_key, EVP_sha256());
    return c;
}

// The raw PKCS#1 v1.5 signature over a DigestInfo: what the card's auth
// key computes (no hashing here, the DigestInfo is given).
inline Bytes sign_digest_info(EVP_PKEY* key, ByteView digest_info) {
    std::unique_ptr<EVP_PKEY_CTX, OsslFree<EVP_PKEY_CTX_free>> ctx(EVP_PKEY_CTX_new(key, nullptr));
    EVP_PKEY_sign_init(ctx.get());
    EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING);
    std::size_t n = 0;
    EVP_PKEY_sign(ctx.get(), nullptr, &n, digest_info.data(), digest_info.size());
    Bytes sig(n);
    if (EVP_PKEY_sign(ctx.get(), sig.data(), &n, digest_info.data(), digest_info.size()) != 1)
        throw std::runtime_error("sign");
    sig.resize(n);
    return sig;
}

// A CRL from `issuer` listing `serials`.
inline std::string make_crl(X509* issuer, EVP_PKEY* issuer_key, const std::vector<long>& serials) {
    std::unique_ptr<X509_CRL, OsslFree<X509_CRL_free>> crl(X509_CRL_new());
    X509_CRL_set_version(crl.get(), 1);
    X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(issuer));
    std::unique_ptr<ASN1_TIME, OsslFree<ASN1_TIME_free>> now(ASN1_TIME_new());
    X509_gmtime_adj(now.get(), 0);
    X509_CRL_set1_lastUpdate(crl.get(), now.get());
    for (const long s : serials) {
        X509_REVOKED* r = X509_REVOKED_new();
        std::unique_ptr<ASN1_INTEGER, OsslFree<ASN1_INTEGER_free>> serial(ASN1_INTEGER_new());
        ASN1_INTEGER_set(serial.get(), s);
        X509_REVOKED_set_serialNumber(r, serial.get());
        X509_REVOKED_set_revocationDate(r, now.get());
        X509_CRL_add0_revoked(crl.get(), r);
    }
    X509_CRL_sort(crl.get());
    X509_CRL_sign(crl.get(), issuer_key, EVP_sha256());
    std::unique_ptr<BIO, OsslFree<BIO_free>> bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_X509_CRL(bio.get(), crl.get());
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(n));
}

// The service in-process on a free loopback port, stopped by the destructor.
class RunningService {
  public:
    explicit RunningService(qualification::server::ServiceOptions options)
        : service_(std::move(options)) {
        port_ = service_.bind();
        thread_ = std::thread([this] { service_.run(); });
    }
    ~RunningService() {
        service_.stop();
        thread_.join();
    }
    RunningService(const RunningService&) = delete;
    RunningService& operator=(const RunningService&) = delete;
    [[nodiscard]] int port() const { return port_; }
    [[nodiscard]] std::string url() const { return "https://127.0.0.1:" + std::to_string(port_); }
    qualification::server::Service& service() { return service_; }

  private:
    qualification::server::Service service_;
    int port_ = 0;
    std::thread thread_;
};

}  // namespace mynacard::test
