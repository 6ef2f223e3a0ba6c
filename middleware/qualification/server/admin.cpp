// Set-up subcommands (admin.h): OpenSSL 3 for the TLS key, the self-signed
// certificate and CRLs.
#include "qualification_server/admin.h"

#include <arpa/inet.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <array>
#include <fstream>
#include <memory>
#include <sstream>

#include "core/error.h"
#include "qualification/reference_protocol.h"
#include "qualification_server/answers.h"

namespace mynacard::qualification::server {

namespace {

template <auto Free>
struct Deleter {
    template <typename T>
    void operator()(T* p) const noexcept {
        Free(p);
    }
};
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using CrlPtr = std::unique_ptr<X509_CRL, Deleter<X509_CRL_free>>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION_free>>;

// TLS certificate lifetime: 825 days, the longest browsers accept for a
// server certificate, so the same file works with any client.
constexpr long kTlsDays = 825;

[[noreturn]] void openssl_fail(const std::string& what) {
    throw Error(Errc::internal, "OpenSSL: " + what);
}

std::string read_file(const std::filesystem::path& path, std::size_t max = 1024 * 1024) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(Errc::not_found, "cannot read " + path.string());
    std::ostringstream s;
    s << in.rdbuf();
    std::string data = s.str();
    if (data.size() > max) throw Error(Errc::invalid_argument, path.string() + " is too large");
    return data;
}

void write_file(const std::filesystem::path& path, const std::string& data, mode_t mode) {
    const auto tmp = path.parent_path() / ("." + path.filename().string() + ".tmp");
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) throw Error(Errc::io, "cannot write " + tmp.string());
        out << data;
        if (!out.flush()) throw Error(Errc::io, "cannot write " + tmp.string());
    }
    if (::chmod(tmp.c_str(), mode) != 0) throw Error(Errc::io, "cannot chmod " + tmp.string());
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) throw Error(Errc::io, "cannot write " + path.string() + ": " + ec.message());
}

std::string bio_text(BIO* bio) {
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<std::size_t>(n));
}

void add_extension(X509* cert, int nid, const std::string& value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    const ExtPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
    if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) openssl_fail("extension " + value);
}

bool is_ip(const std::string& name) {
    std::array<unsigned char, 16> buf{};
    return ::inet_pton(AF_INET, name.c_str(), buf.data()) == 1 ||
           ::inet_pton(AF_INET6, name.c_str(), buf.data()) == 1;
}

std::vector<x509::Certificate> read_anchors(const std::filesystem::path& dir) {
    std::vector<x509::Certificate> anchors;
    const auto path = Store::anchors_path(dir);
    if (!std::filesystem::exists(path)) return anchors;
    const std::string pem = read_file(path);
    constexpr std::string_view kEnd = "-----END CERTIFICATE-----";
    std::size_t pos = 0;
    while ((pos = pem.find("-----BEGIN CERTIFICATE-----", pos)) != std::string::npos) {
        const auto end = pem.find(kEnd, pos);
        if (end == std::string::npos) break;
        anchors.push_back(x509::Certificate::from_pem(pem.substr(pos, end + kEnd.size() - pos)));
        pos = end + kEnd.size();
    }
    return anchors;
}

}  // namespace

CertificateKey key_of(const x509::Certificate& cert) {
    return {to_hex(cert.serial()), to_hex(cert.issuer_der())};
}

std::string log_tag(const CertificateKey& key) {
    const std::string both = key.serial + "/" + key.issuer;
    const Bytes d = x509::digest(x509::Hash::sha256, to_bytes(both));
    return to_hex(ByteView(d).first(8), false);
}

void init_state(const std::filesystem::path& dir, const std::vector<std::string>& institution_codes,
                const std::vector<std::string>& host_names, bool renew_tls) {
    if (institution_codes.empty())
        throw Error(Errc::invalid_argument, "at least one --institution-code is needed");
    for (const auto& code : institution_codes)
        if (!protocol::is_institution_code(code))
            throw Error(Errc::invalid_argument, "institution code must be 10 digits");
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw Error(Errc::io, "cannot create " + dir.string() + ": " + ec.message());
    // Decision 11: the database holds personal data.
    if (::chmod(dir.c_str(), 0700) != 0) throw Error(Errc::io, "cannot chmod " + dir.string());
    auto store = Store::open(dir, true);
    for (const auto& code : institution_codes) store.add_institution(code);

    if (std::filesystem::exists(Store::key_path(dir)) && !renew_tls) return;
    const PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    if (!key) openssl_fail("key generation");
    const X509Ptr cert(X509_new());
    if (!cert) openssl_fail("X509_new");
    X509_set_version(cert.get(), 2);
    std::unique_ptr<BIGNUM, Deleter<BN_free>> bn(BN_new());
    if (!bn || BN_rand(bn.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
        BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert.get())) == nullptr)
        openssl_fail("serial");
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), kTlsDays * 24 * 3600);
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>("mynacard reference "
                                                                      "qualification service"),
                               -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);
    X509_set_pubkey(cert.get(), key.get());
    std::string san;
    const std::vector<std::string> names =
        host_names.empty() ? std::vector<std::string>{"localhost", "127.0.0.1", "::1"} : host_names;
    for (const auto& n : names) {
        if (!san.empty()) san += ',';
        san += (is_ip(n) ? "IP:" : "DNS:") + n;
    }
    add_extension(cert.get(), NID_subject_alt_name, san);
    add_extension(cert.get(), NID_basic_constraints, "critical,CA:FALSE");
    add_extension(cert.get(), NID_key_usage, "critical,digitalSignature");
    add_extension(cert.get(), NID_ext_key_usage, "serverAuth");
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) openssl_fail("self-signature");

    const BioPtr key_bio(BIO_new(BIO_s_mem())), cert_bio(BIO_new(BIO_s_mem()));
    if (!key_bio || !cert_bio ||
        PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) !=
            1 ||
        PEM_write_bio_X509(cert_bio.get(), cert.get()) != 1)
        openssl_fail("PEM");
    write_file(Store::key_path(dir), bio_text(key_bio.get()), 0600);
    write_file(Store::cert_path(dir), bio_text(cert_bio.get()), 0644);
}

void trust_ca(const std::filesystem::path& dir, const std::filesystem::path& ca) {
    (void)Store::open(dir);
    const auto cert = x509::Certificate::from_file(ca);
    if (!cert.is_ca())
        throw Error(Errc::invalid_argument, ca.string() + " is not a CA certificate");
    auto anchors = read_anchors(dir);
    for (const auto& a : anchors)
        if (a.der() == cert.der()) return;  // already trusted
    std::string pem;
    for (const auto& a : anchors) pem += a.pem();
    pem += cert.pem();
    write_file(Store::anchors_path(dir), pem, 0644);
}

void enroll(const std::filesystem::path& dir, const std::filesystem::path& cert_path,
            const std::filesystem::path& record_json) {
    auto store = Store::open(dir);
    const auto cert = x509::Certificate::from_file(cert_path);
    const auto chain = x509::verify_chain(
        cert, {}, Store::anchors_path(dir),
        std::min(std::chrono::system_clock::now(), cert.not_after() - std::chrono::seconds(1)));
    if (!chain.ok)
        throw Error(Errc::invalid_argument,
                    cert_path.string() + " does not chain to a trusted CA (" + chain.error + ")");
    store.enroll(key_of(cert), record_from_json(read_file(record_json)));
}

void revoke(const std::filesystem::path& dir, const std::filesystem::path& cert) {
    auto store = Store::open(dir);
    store.revoke(key_of(x509::Certificate::from_file(cert)), Revocation::revoked);
}

std::size_t import_crl(const std::filesystem::path& dir, const std::filesystem::path& crl_path) {
    auto store = Store::open(dir);
    const std::string data = read_file(crl_path, 64 * 1024 * 1024);
    const BioPtr bio(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
    CrlPtr crl(PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr));
    if (!crl) {
        const auto* p = reinterpret_cast<const unsigned char*>(data.data());
        crl.reset(d2i_X509_CRL(nullptr, &p, static_cast<long>(data.size())));
    }
    if (!crl) throw Error(Errc::malformed_data, crl_path.string() + " is not a CRL");
    // Only a CRL signed by a trusted CA can revoke: anyone could write one.
    const X509_NAME* issuer = X509_CRL_get_issuer(crl.get());
    bool verified = false;
    for (const auto& anchor : read_anchors(dir)) {
        const auto& der = anchor.der();
        const unsigned char* p = der.data();
        const X509Ptr x(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
        if (!x || X509_NAME_cmp(X509_get_subject_name(x.get()), issuer) != 0) continue;
        if (X509_CRL_verify(crl.get(), X509_get0_pubkey(x.get())) == 1) verified = true;
    }
    if (!verified)
        throw Error(Errc::invalid_argument,
                    crl_path.string() + " is not signed by a trusted CA (trust the CA first)");
    unsigned char* name_der = nullptr;
    const int name_len = i2d_X509_NAME(issuer, &name_der);
    if (name_len <= 0) openssl_fail("CRL issuer");
    const std::string issuer_hex = to_hex(ByteView(name_der, static_cast<std::size_t>(name_len)));
    OPENSSL_free(name_der);
    const auto* revoked = X509_CRL_get_REVOKED(crl.get());
    const auto* stack = reinterpret_cast<const OPENSSL_STACK*>(revoked);
    const int n = revoked == nullptr ? 0 : OPENSSL_sk_num(stack);
    for (int i = 0; i < n; ++i) {
        const auto* entry = static_cast<const X509_REVOKED*>(OPENSSL_sk_value(stack, i));
        const ASN1_INTEGER* serial = X509_REVOKED_get0_serialNumber(entry);
        std::unique_ptr<BIGNUM, Deleter<BN_free>> bn(ASN1_INTEGER_to_BN(serial, nullptr));
        if (!bn) openssl_fail("CRL serial");
        Bytes magnitude(static_cast<std::size_t>(BN_num_bytes(bn.get())));
        BN_bn2bin(bn.get(), magnitude.data());
        store.revoke({to_hex(magnitude), issuer_hex}, Revocation::crl);
    }
    return static_cast<std::size_t>(n);
}

}  // namespace mynacard::qualification::server
