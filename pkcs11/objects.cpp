#include "pkcs11/objects.h"

#include <array>
#include <cstring>

#include "core/error.h"

namespace mynacard::pkcs11 {

namespace {

using card::Certificate;

// CKA_ID 01 auth, 02 sign, 03 auth CA, 04 sign CA, and the labels: OpenSC's
// JPKI emulator (src/libopensc/pkcs15-jpki.c), so users' configurations
// (pkcs11: URIs, OpenSSL and ssh settings) keep working when they switch.
constexpr std::array<ObjectSpec, 8> object_table{{
    {Obj::auth_cert, Token::auth, CKO_CERTIFICATE, Certificate::auth, 1,
     "User Authentication Certificate", false, false, 1},
    {Obj::auth_ca, Token::auth, CKO_CERTIFICATE, Certificate::auth_ca, 3,
     "User Authentication Certificate CA", false, false, 2},
    {Obj::auth_pub, Token::auth, CKO_PUBLIC_KEY, Certificate::auth, 1,
     "User Authentication Public Key", false, false, 0},
    {Obj::auth_priv, Token::auth, CKO_PRIVATE_KEY, Certificate::auth, 1,
     "User Authentication Key", true, true, 0},
    {Obj::sign_cert, Token::sign, CKO_CERTIFICATE, Certificate::sign, 2,
     "Digital Signature Certificate", true, true, 1},
    {Obj::sign_ca, Token::sign, CKO_CERTIFICATE, Certificate::sign_ca, 4,
     "Digital Signature Certificate CA", false, false, 2},
    {Obj::sign_pub, Token::sign, CKO_PUBLIC_KEY, Certificate::sign, 2,
     "Digital Signature Public Key", true, true, 0},
    {Obj::sign_priv, Token::sign, CKO_PRIVATE_KEY, Certificate::sign, 2,
     "Digital Signature Key", true, true, 0},
}};

constexpr std::array<Obj, 4> auth_objects{Obj::auth_cert, Obj::auth_ca, Obj::auth_pub,
                                          Obj::auth_priv};
constexpr std::array<Obj, 4> sign_objects{Obj::sign_ca, Obj::sign_priv, Obj::sign_cert,
                                          Obj::sign_pub};

// PKCS#11 3.0 §2.1.6 (PKCS #1 v1.5 RSA) and §2.1.7 (with SHA-*).
constexpr std::array<MechanismSpec, 6> mechanism_table{{
    {CKM_RSA_PKCS, std::nullopt},
    {CKM_SHA1_RSA_PKCS, x509::Hash::sha1},
    {CKM_SHA224_RSA_PKCS, x509::Hash::sha224},
    {CKM_SHA256_RSA_PKCS, x509::Hash::sha256},
    {CKM_SHA384_RSA_PKCS, x509::Hash::sha384},
    {CKM_SHA512_RSA_PKCS, x509::Hash::sha512},
}};

template <typename T>
[[nodiscard]] Bytes raw(const T& value) {
    Bytes out(sizeof(T));
    std::memcpy(out.data(), &value, sizeof(T));
    return out;
}
[[nodiscard]] AttrValue ulong(CK_ULONG v) { return {AttrStatus::ok, raw(v)}; }
[[nodiscard]] AttrValue boolean(bool v) {
    const CK_BBOOL b = v ? CK_TRUE : CK_FALSE;
    return {AttrStatus::ok, raw(b)};
}
[[nodiscard]] AttrValue bytes(Bytes v) { return {AttrStatus::ok, std::move(v)}; }
[[nodiscard]] AttrValue sensitive() { return {AttrStatus::sensitive, {}}; }
[[nodiscard]] AttrValue invalid() { return {AttrStatus::invalid, {}}; }

// Attributes common to every object (§4.2 storage objects).
std::optional<AttrValue> storage_attribute(const ObjectSpec& s, CK_ATTRIBUTE_TYPE type) {
    switch (type) {
        case CKA_CLASS: return ulong(s.cls);
        case CKA_TOKEN: return boolean(true);
        case CKA_PRIVATE: return boolean(s.is_private);
        case CKA_MODIFIABLE: return boolean(false);
        case CKA_COPYABLE: return boolean(false);
        case CKA_DESTROYABLE: return boolean(false);
        case CKA_LABEL: return bytes(to_bytes(s.label));
        default: return std::nullopt;
    }
}

AttrValue certificate_attribute(const ObjectSpec& s, CK_ATTRIBUTE_TYPE type,
                                const x509::Certificate* cert) {
    switch (type) {  // §4.6 certificate, §4.6.3 X.509 public key certificate
        case CKA_CERTIFICATE_TYPE: return ulong(CKC_X_509);
        case CKA_TRUSTED: return boolean(false);
        case CKA_CERTIFICATE_CATEGORY: return ulong(s.category);
        case CKA_ID: return bytes({s.id});
        case CKA_JAVA_MIDP_SECURITY_DOMAIN: return ulong(0);  // CK_SECURITY_DOMAIN_UNSPECIFIED
        case CKA_URL:
        case CKA_HASH_OF_SUBJECT_PUBLIC_KEY:
        case CKA_HASH_OF_ISSUER_PUBLIC_KEY:
        case CKA_START_DATE:
        case CKA_END_DATE: return bytes({});
        default: break;
    }
    if (cert == nullptr) return sensitive();
    switch (type) {
        case CKA_SUBJECT: return bytes(cert->subject_der());
        case CKA_ISSUER: return bytes(cert->issuer_der());
        case CKA_SERIAL_NUMBER: return bytes(der_integer(cert->serial()));
        case CKA_VALUE: return bytes(cert->der());
        case CKA_CHECK_VALUE: {  // §4.6.3: first 3 bytes of SHA-1 of CKA_VALUE
            Bytes h = x509::digest(x509::Hash::sha1, cert->der());
            h.resize(3);
            return bytes(std::move(h));
        }
        default: return invalid();
    }
}

AttrValue key_attribute(const ObjectSpec& s, CK_ATTRIBUTE_TYPE type, const x509::Certificate* cert) {
    const bool priv = s.cls == CKO_PRIVATE_KEY;
    switch (type) {  // §4.7 key, §4.8 public key, §4.9 private key, §2.1.2/§2.1.3 RSA
        case CKA_KEY_TYPE: return ulong(CKK_RSA);
        case CKA_ID: return bytes({s.id});
        case CKA_START_DATE:
        case CKA_END_DATE: return bytes({});
        case CKA_DERIVE: return boolean(false);
        case CKA_LOCAL: return boolean(false);  // generated at the issuer, not on our token
        case CKA_KEY_GEN_MECHANISM: return ulong(CK_UNAVAILABLE_INFORMATION);
        case CKA_ALLOWED_MECHANISMS: {
            Bytes out;
            for (const auto& m : mechanism_table) {
                const Bytes one = raw(m.type);
                out.insert(out.end(), one.begin(), one.end());
            }
            return bytes(std::move(out));
        }
        case CKA_MODULUS_BITS: {
            return ulong(static_cast<CK_ULONG>(card::CardProfile::my_number_card().signature_bytes * 8));
        }
        default: break;
    }
    if (priv) {
        switch (type) {
            case CKA_SENSITIVE:
            case CKA_ALWAYS_SENSITIVE:
            case CKA_NEVER_EXTRACTABLE:
            case CKA_SIGN: return boolean(true);
            case CKA_EXTRACTABLE:
            case CKA_DECRYPT:
            case CKA_SIGN_RECOVER:
            case CKA_UNWRAP:
            case CKA_WRAP_WITH_TRUSTED: return boolean(false);
            case CKA_ALWAYS_AUTHENTICATE: return boolean(s.token == Token::sign);
            case CKA_PRIVATE_EXPONENT:
            case CKA_PRIME_1:
            case CKA_PRIME_2:
            case CKA_EXPONENT_1:
            case CKA_EXPONENT_2:
            case CKA_COEFFICIENT:
            case CKA_VALUE: return sensitive();
            default: break;
        }
    } else {
        switch (type) {
            case CKA_VERIFY: return boolean(true);
            case CKA_ENCRYPT:
            case CKA_VERIFY_RECOVER:
            case CKA_WRAP:
            case CKA_TRUSTED: return boolean(false);
            default: break;
        }
    }
    switch (type) {
        case CKA_SUBJECT:
        case CKA_MODULUS:
        case CKA_PUBLIC_EXPONENT:
            // The signature key's values come from its certificate, which the
            // card releases only with the signature password.
            if (cert == nullptr) return sensitive();
            if (type == CKA_SUBJECT) return bytes(cert->subject_der());
            if (type == CKA_MODULUS) return bytes(cert->rsa_modulus());
            return bytes(cert->rsa_public_exponent());
        default: return invalid();
    }
}

}  // namespace

const ObjectSpec& spec(Obj obj) {
    for (const auto& s : object_table)
        if (s.obj == obj) return s;
    throw Error(Errc::internal, "unknown object");
}

std::span<const Obj> objects_of(Token token) noexcept {
    return token == Token::auth ? std::span<const Obj>(auth_objects) : std::span<const Obj>(sign_objects);
}

std::span<const MechanismSpec> mechanisms() noexcept { return mechanism_table; }

const MechanismSpec* find_mechanism(CK_MECHANISM_TYPE type) noexcept {
    for (const auto& m : mechanism_table)
        if (m.type == type) return &m;
    return nullptr;
}

AttrValue attribute(Obj obj, CK_ATTRIBUTE_TYPE type, const CertSource& certs) {
    const ObjectSpec& s = spec(obj);
    if (auto common = storage_attribute(s, type)) return std::move(*common);
    // Only attributes that need the certificate ask for it (lazy reads).
    const auto cert = [&]() { return certs(s.source); };
    if (s.cls == CKO_CERTIFICATE) {
        switch (type) {
            case CKA_CERTIFICATE_TYPE:
            case CKA_TRUSTED:
            case CKA_CERTIFICATE_CATEGORY:
            case CKA_ID:
            case CKA_JAVA_MIDP_SECURITY_DOMAIN:
            case CKA_URL:
            case CKA_HASH_OF_SUBJECT_PUBLIC_KEY:
            case CKA_HASH_OF_ISSUER_PUBLIC_KEY:
            case CKA_START_DATE:
            case CKA_END_DATE: return certificate_attribute(s, type, nullptr);
            case CKA_SUBJECT:
            case CKA_ISSUER:
            case CKA_SERIAL_NUMBER:
            case CKA_VALUE:
            case CKA_CHECK_VALUE: return certificate_attribute(s, type, cert());
            default: return invalid();
        }
    }
    switch (type) {
        case CKA_SUBJECT:
        case CKA_MODULUS:
        case CKA_PUBLIC_EXPONENT: return key_attribute(s, type, cert());
        default: return key_attribute(s, type, nullptr);
    }
}

Bytes der_integer(ByteView magnitude) {
    std::size_t start = 0;
    while (start + 1 < magnitude.size() && magnitude[start] == 0) ++start;
    Bytes content;
    if (magnitude.empty() || (magnitude[start] & 0x80) != 0) content.push_back(0);
    content.insert(content.end(), magnitude.begin() + static_cast<std::ptrdiff_t>(start), magnitude.end());
    Bytes out{0x02};
    const std::size_t n = content.size();
    if (n < 0x80) {
        out.push_back(static_cast<std::uint8_t>(n));
    } else {
        Bytes len;
        for (std::size_t v = n; v != 0; v >>= 8) len.insert(len.begin(), static_cast<std::uint8_t>(v & 0xFF));
        out.push_back(static_cast<std::uint8_t>(0x80 | len.size()));
        out.insert(out.end(), len.begin(), len.end());
    }
    out.insert(out.end(), content.begin(), content.end());
    return out;
}

}  // namespace mynacard::pkcs11
