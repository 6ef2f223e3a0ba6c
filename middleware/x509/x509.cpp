#include "x509/x509.h"
#include "core/utf8.h"

#include <openssl/core_names.h>
#include <openssl/objects.h>
#include <openssl/pem.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <limits>
#include <optional>

#include "core/error.h"
#include "x509/ossl.h"

namespace mynacard::x509 {

using namespace detail;

// ---------------------------------------------------------------- hashes

namespace {

struct HashInfo {
    Hash hash;
    std::string_view name;
    std::size_t size;
    // DER DigestInfo prefix (SEQUENCE { AlgorithmIdentifier { OID, NULL },
    // OCTET STRING header }) from RFC 8017 §9.2, Note 1.
    std::array<std::uint8_t, 19> prefix;
    std::size_t prefix_size;
};

// RFC 8017 §9.2 Note 1 ("EMSA-PKCS1-v1_5 ... the DER encoding T of the
// DigestInfo value is equal to the following").
constexpr std::array<HashInfo, 5> kHashes{{
    {Hash::sha1,
     "sha1",
     20,
     {0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14},
     15},
    {Hash::sha224,
     "sha224",
     28,
     {0x30, 0x2d, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x04,
      0x05, 0x00, 0x04, 0x1c},
     19},
    {Hash::sha256,
     "sha256",
     32,
     {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
      0x05, 0x00, 0x04, 0x20},
     19},
    {Hash::sha384,
     "sha384",
     48,
     {0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02,
      0x05, 0x00, 0x04, 0x30},
     19},
    {Hash::sha512,
     "sha512",
     64,
     {0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03,
      0x05, 0x00, 0x04, 0x40},
     19},
}};

const HashInfo& info(Hash hash) {
    for (const auto& h : kHashes)
        if (h.hash == hash) return h;
    throw Error(Errc::invalid_argument, "unknown hash algorithm");
}

}  // namespace

Hash parse_hash(std::string_view name) {
    std::string lower;
    for (const char c : name) {
        if (c == '-' || c == '_') continue;  // accept "SHA-256" too
        lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    for (const auto& h : kHashes)
        if (h.name == lower) return h.hash;
    throw Error(Errc::invalid_argument, "unknown hash algorithm: " + std::string(name));
}

std::string_view to_string(Hash hash) noexcept {
    for (const auto& h : kHashes)
        if (h.hash == hash) return h.name;
    return "unknown";
}

Bytes digest(Hash hash, ByteView data) {
    Bytes out(EVP_MAX_MD_SIZE);
    unsigned int size = 0;
    if (EVP_Digest(data.data(), data.size(), out.data(), &size, evp_md(hash), nullptr) != 1)
        throw_openssl(Errc::internal, "EVP_Digest");
    out.resize(size);
    return out;
}

Bytes digest_info(Hash hash, ByteView hash_value) {
    const auto& h = info(hash);
    if (hash_value.size() != h.size)
        throw Error(Errc::invalid_argument, std::string(h.name) + " digest must be " +
                                                std::to_string(h.size) + " bytes, got " +
                                                std::to_string(hash_value.size()));
    Bytes out(h.prefix.begin(), h.prefix.begin() + static_cast<std::ptrdiff_t>(h.prefix_size));
    out.insert(out.end(), hash_value.begin(), hash_value.end());
    return out;
}

// ---------------------------------------------------------------- Certificate

struct Certificate::Impl {
    X509Ptr x509;
    Bytes der;
};

X509* detail::x509_of(const Certificate& cert) noexcept {
    return cert.impl().x509.get();
}

Certificate::Certificate(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

Certificate Certificate::from_der(ByteView der) {
    if (der.empty() || der.size() > static_cast<std::size_t>(std::numeric_limits<long>::max()))
        throw Error(Errc::malformed_data, "empty certificate");
    const unsigned char* p = der.data();
    X509Ptr x(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
    if (!x) throw_openssl(Errc::malformed_data, "not an X.509 certificate");
    if (p != der.data() + der.size()) {
        throw Error(Errc::malformed_data, "trailing bytes after the certificate (" +
                                              std::to_string(der.data() + der.size() - p) + ")");
    }
    auto impl = std::make_shared<Impl>();
    impl->x509 = std::move(x);
    impl->der.assign(der.begin(), der.end());
    return Certificate(std::move(impl));
}

Certificate Certificate::from_pem(std::string_view pem) {
    auto bio = mem_bio(ByteView(reinterpret_cast<const std::uint8_t*>(pem.data()), pem.size()));
    // The bytes inside the PEM block, parsed by from_der: the certificate
    // keeps exactly those bytes, as from_der keeps the card's (re-encoding
    // would change a certificate whose DER is not canonical).
    const auto read_block = [&bio]() -> std::optional<Bytes> {
        unsigned char* data = nullptr;
        long len = 0;
        if (PEM_bytes_read_bio(&data, &len, nullptr, PEM_STRING_X509, bio.get(), nullptr,
                               nullptr) != 1 ||
            len < 0) {
            OPENSSL_free(data);
            ERR_clear_error();
            return std::nullopt;
        }
        Bytes out(data, data + len);
        OPENSSL_clear_free(data, static_cast<std::size_t>(len));
        return out;
    };
    const auto first = read_block();
    if (!first) throw Error(Errc::malformed_data, "not a PEM certificate");
    // Exactly one certificate: a second one means the caller meant a bundle.
    if (read_block()) throw Error(Errc::malformed_data, "more than one certificate in PEM input");
    return from_der(*first);
}

Certificate Certificate::from_file(const std::filesystem::path& path) {
    const Bytes data = read_file(path);
    const std::string_view text(reinterpret_cast<const char*>(data.data()), data.size());
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first != std::string_view::npos && text.substr(first).starts_with("-----BEGIN"))
        return from_pem(text);
    return from_der(data);
}

const Bytes& Certificate::der() const noexcept {
    return impl_->der;
}

std::string Certificate::pem() const {
    // The bytes der() holds, not a re-encoding of the parsed certificate:
    // the PEM export of a card's certificate is the card's bytes.
    auto bio = mem_bio();
    if (PEM_write_bio(bio.get(), PEM_STRING_X509, "", impl_->der.data(),
                      static_cast<long>(impl_->der.size())) <= 0)
        throw_openssl(Errc::internal, "PEM_write_bio");
    return bio_to_string(bio.get());
}

namespace {

std::string name_text(const X509_NAME* name) {
    auto bio = mem_bio();
    // RFC 2253 with UTF-8 kept as UTF-8 (no \XX escapes for bytes >= 0x80).
    constexpr unsigned long kFlags =
        XN_FLAG_RFC2253 & ~static_cast<unsigned long>(ASN1_STRFLGS_ESC_MSB);
    if (X509_NAME_print_ex(bio.get(), name, 0, kFlags) < 0)
        throw_openssl(Errc::malformed_data, "X509_NAME_print_ex");
    return bio_to_string(bio.get());
}

Bytes name_der(const X509_NAME* name) {
    unsigned char* buf = nullptr;
    const int len = i2d_X509_NAME(name, &buf);
    if (len < 0) throw_openssl(Errc::malformed_data, "i2d_X509_NAME");
    Bytes out(buf, buf + len);
    OPENSSL_free(buf);
    return out;
}

Bytes bn_bytes(const BIGNUM* bn) {
    Bytes out(static_cast<std::size_t>(BN_num_bytes(bn)));
    if (!out.empty()) BN_bn2bin(bn, out.data());
    return out;
}

Bytes rsa_param(X509* x, const char* name) {
    const EVP_PKEY* key = X509_get0_pubkey(x);
    if (key == nullptr || EVP_PKEY_is_a(key, "RSA") != 1) return {};
    BIGNUM* raw = nullptr;
    if (EVP_PKEY_get_bn_param(key, name, &raw) != 1) {
        ERR_clear_error();
        return {};
    }
    const BnPtr bn(raw);
    return bn_bytes(bn.get());
}

}  // namespace

std::string Certificate::subject() const {
    return name_text(X509_get_subject_name(impl_->x509.get()));
}
std::string Certificate::issuer() const {
    return name_text(X509_get_issuer_name(impl_->x509.get()));
}

Bytes Certificate::serial() const {
    const BnPtr bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(impl_->x509.get()), nullptr));
    if (!bn) throw_openssl(Errc::malformed_data, "certificate serial");
    Bytes out = bn_bytes(bn.get());
    if (out.empty()) out.push_back(0);
    return out;
}

TimePoint Certificate::not_before() const {
    return from_asn1_time(X509_get0_notBefore(impl_->x509.get()));
}
TimePoint Certificate::not_after() const {
    return from_asn1_time(X509_get0_notAfter(impl_->x509.get()));
}

bool Certificate::is_ca() const {
    // basicConstraints cA = TRUE (RFC 5280 §4.2.1.9).
    return (X509_get_extension_flags(impl_->x509.get()) & EXFLAG_CA) != 0;
}

Bytes Certificate::rsa_modulus() const {
    return rsa_param(impl_->x509.get(), OSSL_PKEY_PARAM_RSA_N);
}
Bytes Certificate::rsa_public_exponent() const {
    return rsa_param(impl_->x509.get(), OSSL_PKEY_PARAM_RSA_E);
}

Bytes Certificate::subject_der() const {
    return name_der(X509_get_subject_name(impl_->x509.get()));
}
Bytes Certificate::issuer_der() const {
    return name_der(X509_get_issuer_name(impl_->x509.get()));
}

Bytes Certificate::sha256_fingerprint() const {
    return digest(Hash::sha256, impl_->der);
}

bool Certificate::verify_signature(Hash hash, ByteView data, ByteView signature) const {
    EVP_PKEY* key = X509_get0_pubkey(impl_->x509.get());
    if (key == nullptr || EVP_PKEY_is_a(key, "RSA") != 1) {
        ERR_clear_error();
        return false;
    }
    const EvpMdCtxPtr ctx(EVP_MD_CTX_new());
    if (!ctx) throw_openssl(Errc::internal, "EVP_MD_CTX_new");
    EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
    bool ok = EVP_DigestVerifyInit(ctx.get(), &pctx, evp_md(hash), nullptr, key) == 1 &&
              EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1 &&
              EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), data.data(),
                               data.size()) == 1;
    ERR_clear_error();
    return ok;
}

// ---------------------------------------------------------------- JPKI attributes

namespace {

// card-facts.md §8.2: subjectAltName otherName type-ids of the JPKI
// signature certificate (J-LIS certificate profile; MS, MY-go, ZKM).
constexpr std::string_view kJpkiOidPrefix = "1.2.392.200149.8.5.5.";
enum class Attr { name = 1, name_substitute, sex, birth_date, address, address_substitute };

bool all_digits(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string oid_text(const ASN1_OBJECT* oid) {
    std::array<char, 128> buf{};
    const int n = OBJ_obj2txt(buf.data(), static_cast<int>(buf.size()), oid, 1);
    if (n <= 0 || static_cast<std::size_t>(n) >= buf.size()) return {};
    return std::string(buf.data(), static_cast<std::size_t>(n));
}

int general_names_num(const GENERAL_NAMES* names) {
    return OPENSSL_sk_num(reinterpret_cast<const OPENSSL_STACK*>(names));
}
const GENERAL_NAME* general_names_value(const GENERAL_NAMES* names, int i) {
    return static_cast<const GENERAL_NAME*>(
        OPENSSL_sk_value(reinterpret_cast<const OPENSSL_STACK*>(names), i));
}

}  // namespace

std::optional<JpkiAttributes> jpki_attributes(const Certificate& cert) {
    int critical = -1;
    const GeneralNamesPtr names(static_cast<GENERAL_NAMES*>(
        X509_get_ext_d2i(x509_of(cert), NID_subject_alt_name, &critical, nullptr)));
    if (!names) {
        ERR_clear_error();
        if (critical == -1) return std::nullopt;  // no subjectAltName
        if (critical == -2)
            throw Error(Errc::malformed_data, "more than one subjectAltName extension");
        throw Error(Errc::malformed_data, "undecodable subjectAltName extension");
    }

    JpkiAttributes out;
    std::array<bool, 7> seen{};
    for (int i = 0; i < general_names_num(names.get()); ++i) {
        const GENERAL_NAME* gn = general_names_value(names.get(), i);
        if (gn == nullptr || gn->type != GEN_OTHERNAME) continue;
        const std::string oid = oid_text(gn->d.otherName->type_id);
        if (!oid.starts_with(kJpkiOidPrefix)) continue;
        const std::string_view arc = std::string_view(oid).substr(kJpkiOidPrefix.size());
        if (arc.size() != 1 || arc[0] < '1' || arc[0] > '6') continue;  // not one of the six
        const auto index = static_cast<std::size_t>(arc[0] - '0');
        if (seen[index])
            throw Error(Errc::malformed_data, "JPKI attribute " + oid + " appears twice");
        seen[index] = true;

        const ASN1_TYPE* value = gn->d.otherName->value;
        if (value == nullptr || value->type != V_ASN1_UTF8STRING ||
            value->value.utf8string == nullptr)
            throw Error(Errc::malformed_data, "JPKI attribute " + oid + " is not a UTF8String");
        const ASN1_STRING* s = value->value.utf8string;
        const std::string text(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                               static_cast<std::size_t>(std::max(0, ASN1_STRING_length(s))));
        if (!is_valid_utf8(text))
            throw Error(Errc::malformed_data, "JPKI attribute " + oid + " is not valid UTF-8");

        switch (static_cast<Attr>(index)) {
            case Attr::name:
                out.name = text;
                break;
            case Attr::name_substitute:
                out.name_substitute = text;
                break;
            case Attr::sex:
                out.sex = text;
                break;
            case Attr::birth_date:
                out.birth_date_raw = text;
                break;
            case Attr::address:
                out.address = text;
                break;
            case Attr::address_substitute:
                out.address_substitute = text;
                break;
        }
    }
    if (std::none_of(seen.begin(), seen.end(), [](bool b) { return b; })) return std::nullopt;

    // A signature certificate always carries name, sex, birth date and
    // address; the substitute-character flags are optional here.
    if (!seen[1] || !seen[3] || !seen[4] || !seen[5])
        throw Error(Errc::malformed_data,
                    "JPKI attributes incomplete (name, sex, birth date, address required)");
    if (out.sex.size() != 1 || !all_digits(out.sex))
        throw Error(Errc::malformed_data, "JPKI sex attribute must be one digit (JIS X 0303)");
    if (!all_digits(out.name_substitute) || !all_digits(out.address_substitute))
        throw Error(Errc::malformed_data, "JPKI substitute-character flags must be digits");

    // EYYYYMMDD: era digit 0 (unknown) or 1 明治 … 5 令和, then the Gregorian date.
    const std::string& b = out.birth_date_raw;
    if (b.size() != 9 || !all_digits(b) || b[0] > '5')
        throw Error(Errc::malformed_data, "JPKI birth date must be EYYYYMMDD");
    namespace ch = std::chrono;
    const ch::year_month_day ymd{ch::year{std::stoi(b.substr(1, 4))},
                                 ch::month{static_cast<unsigned>(std::stoi(b.substr(5, 2)))},
                                 ch::day{static_cast<unsigned>(std::stoi(b.substr(7, 2)))}};
    if (!ymd.ok())
        // Not the value: an exception message may end up in a log (decision 11).
        throw Error(Errc::malformed_data, "JPKI birth date is not a calendar date");
    out.birth_era = b[0] - '0';
    out.birth_date = b.substr(1);
    return out;
}

// ---------------------------------------------------------------- chains

ChainResult verify_chain(const Certificate& leaf, const std::vector<Certificate>& intermediates,
                         const std::filesystem::path& anchors, TimePoint at) {
    ChainResult result;
    StorePtr store;
    try {
        store = load_anchor_store(anchors);
    } catch (const Error& e) {
        result.error = e.what();
        return result;
    }
    const X509StackPtr untrusted(new_x509_stack());
    if (!untrusted) throw_openssl(Errc::internal, "stack");
    for (const auto& c : intermediates)
        if (!push_x509_copy(untrusted.get(), x509_of(c)))
            throw_openssl(Errc::internal, "stack push");

    const StoreCtxPtr ctx(X509_STORE_CTX_new());
    if (!ctx || X509_STORE_CTX_init(ctx.get(), store.get(), x509_of(leaf), untrusted.get()) != 1)
        throw_openssl(Errc::internal, "X509_STORE_CTX_init");
    X509_STORE_CTX_set_time(ctx.get(), 0, to_time_t(at));
    const int rc = X509_verify_cert(ctx.get());
    if (rc == 1) {
        result.ok = true;
    } else {
        const int err = X509_STORE_CTX_get_error(ctx.get());
        result.error = X509_verify_cert_error_string(err);
        if (const int depth = X509_STORE_CTX_get_error_depth(ctx.get()); depth > 0)
            result.error += " (at depth " + std::to_string(depth) + ")";
    }
    ERR_clear_error();
    return result;
}

}  // namespace mynacard::x509
