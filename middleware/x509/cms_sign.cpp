// CMS signing with an external (card) signer.
//
// OpenSSL 3's CMS code signs through an EVP_PKEY and has no public hook for
// "give me the bytes, the signature comes from elsewhere". The proven way
// (libp11 and the OpenSSL engines do the same) is an RSA key that carries
// only the public half and a custom RSA_METHOD whose sign callback receives
// the digest algorithm and the hash; we wrap them in a DigestInfo
// (RFC 8017 §9.2) and hand that to the RawSigner, which is the card's
// PKCS#1 v1.5 private-key operation. A key with a non-default RSA_METHOD is
// "foreign" to OpenSSL 3 and is used through the legacy EVP path, which calls
// RSA_sign() and therefore our callback.
//
// RSA_METHOD and EVP_PKEY_assign_RSA are deprecated in OpenSSL 3 but still
// present; the deprecation warnings are suppressed for this file only.
#define OPENSSL_SUPPRESS_DEPRECATED

#include <openssl/cms.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <cstring>
#include <exception>
#include <limits>

#include "core/error.h"
#include "x509/ossl.h"
#include "x509/x509.h"

namespace mynacard::x509 {

using namespace detail;

namespace {

using RsaPtr = std::unique_ptr<RSA, Deleter<RSA_free>>;
using RsaMethodPtr = std::unique_ptr<RSA_METHOD, Deleter<RSA_meth_free>>;

struct SignContext {
    const RawSigner* signer = nullptr;
    std::exception_ptr failure;  // rethrown after OpenSSL returns
};

std::optional<Hash> hash_from_nid(int nid) {
    switch (nid) {
        case NID_sha1:
            return Hash::sha1;
        case NID_sha224:
            return Hash::sha224;
        case NID_sha256:
            return Hash::sha256;
        case NID_sha384:
            return Hash::sha384;
        case NID_sha512:
            return Hash::sha512;
        default:
            return std::nullopt;
    }
}

// RSA_METHOD sign callback (C ABI: no exception may leave it).
int card_rsa_sign(int type, const unsigned char* m, unsigned int m_length, unsigned char* sigret,
                  unsigned int* siglen, const RSA* rsa) {
    auto* ctx = static_cast<SignContext*>(RSA_get_ex_data(rsa, 0));
    if (ctx == nullptr || ctx->signer == nullptr || sigret == nullptr || siglen == nullptr)
        return 0;
    try {
        const auto hash = hash_from_nid(type);
        if (!hash)
            throw Error(Errc::unsupported, "digest algorithm not supported by the card signer");
        const Bytes info = digest_info(*hash, ByteView(m, m_length));
        const Bytes signature = (*ctx->signer)(info);
        const auto size = static_cast<std::size_t>(RSA_size(rsa));
        if (signature.size() != size)
            throw Error(Errc::card_error, "signature length " + std::to_string(signature.size()) +
                                              " does not match the key (" + std::to_string(size) +
                                              ")");
        std::memcpy(sigret, signature.data(), signature.size());
        *siglen = static_cast<unsigned int>(signature.size());
        return 1;
    } catch (...) {
        ctx->failure = std::current_exception();
        return 0;
    }
}

// Raw private-key encryption is never what CMS asks for with PKCS#1 v1.5 and
// a digest; refuse it so nothing is signed without a DigestInfo we built.
int card_rsa_priv_enc(int /*flen*/, const unsigned char* /*from*/, unsigned char* /*to*/,
                      RSA* /*rsa*/, int /*padding*/) {
    return -1;
}

EvpPkeyPtr card_key(const Certificate& cert, const RSA_METHOD* method, SignContext& ctx) {
    const Bytes n = cert.rsa_modulus();
    const Bytes e = cert.rsa_public_exponent();
    if (n.empty() || e.empty())
        throw Error(Errc::unsupported, "the signer certificate does not hold an RSA key");
    BnPtr bn_n(BN_bin2bn(n.data(), static_cast<int>(n.size()), nullptr));
    BnPtr bn_e(BN_bin2bn(e.data(), static_cast<int>(e.size()), nullptr));
    RsaPtr rsa(RSA_new());
    if (!bn_n || !bn_e || !rsa) throw_openssl(Errc::internal, "RSA_new");
    if (RSA_set0_key(rsa.get(), bn_n.get(), bn_e.get(), nullptr) != 1)
        throw_openssl(Errc::internal, "RSA_set0_key");
    (void)bn_n.release();  // owned by rsa now
    (void)bn_e.release();
    if (RSA_set_method(rsa.get(), method) != 1) throw_openssl(Errc::internal, "RSA_set_method");
    if (RSA_set_ex_data(rsa.get(), 0, &ctx) != 1) throw_openssl(Errc::internal, "RSA_set_ex_data");
    EvpPkeyPtr pkey(EVP_PKEY_new());
    if (!pkey || EVP_PKEY_assign_RSA(pkey.get(), rsa.get()) != 1)
        throw_openssl(Errc::internal, "EVP_PKEY_assign");
    (void)rsa.release();  // owned by pkey now
    return pkey;
}

}  // namespace

Bytes cms_sign_detached(ByteView content, const Certificate& signer_cert, Hash hash,
                        const RawSigner& signer, TimePoint signing_time) {
    if (!signer) throw Error(Errc::invalid_argument, "no signer");
    // Copy of the default method with our sign and private-encrypt.
    RsaMethodPtr method(RSA_meth_dup(RSA_PKCS1_OpenSSL()));
    if (!method) throw_openssl(Errc::internal, "RSA_meth_dup");
    if (RSA_meth_set1_name(method.get(), "mynacard card signer") != 1 ||
        RSA_meth_set_sign(method.get(), card_rsa_sign) != 1 ||
        RSA_meth_set_priv_enc(method.get(), card_rsa_priv_enc) != 1)
        throw_openssl(Errc::internal, "RSA_meth_set");

    SignContext ctx;
    ctx.signer = &signer;
    const EvpPkeyPtr pkey = card_key(signer_cert, method.get(), ctx);

    // Detached, binary (no MIME canonicalisation), no S/MIME capabilities;
    // CMS_PARTIAL so the signer and its attributes are added before CMS_final.
    constexpr unsigned int kFlags = CMS_DETACHED | CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP;
    CmsPtr cms(CMS_sign(nullptr, nullptr, nullptr, nullptr, kFlags));
    if (!cms) throw_openssl(Errc::internal, "CMS_sign");
    CMS_SignerInfo* si =
        CMS_add1_signer(cms.get(), x509_of(signer_cert), pkey.get(), evp_md(hash), kFlags);
    if (si == nullptr) throw_openssl(Errc::internal, "CMS_add1_signer");

    // signingTime (RFC 5652 §11.3): UTCTime until 2049, GeneralizedTime after,
    // which is what ASN1_TIME_set chooses. contentType and messageDigest are
    // added by CMS_final.
    const Asn1TimePtr when(ASN1_TIME_set(nullptr, to_time_t(signing_time)));
    if (!when) throw_openssl(Errc::invalid_argument, "signing time");
    if (CMS_signed_add1_attr_by_NID(si, NID_pkcs9_signingTime, ASN1_STRING_type(when.get()),
                                    when.get(), -1) != 1)
        throw_openssl(Errc::internal, "signingTime attribute");

    auto data = mem_bio(content);
    if (CMS_final(cms.get(), data.get(), nullptr, kFlags) != 1) {
        if (ctx.failure) {
            ERR_clear_error();
            std::rethrow_exception(ctx.failure);
        }
        throw_openssl(Errc::internal, "CMS signing failed");
    }

    unsigned char* der = nullptr;
    const int len = i2d_CMS_ContentInfo(cms.get(), &der);
    if (len <= 0) throw_openssl(Errc::internal, "i2d_CMS_ContentInfo");
    Bytes out(der, der + len);
    OPENSSL_free(der);
    return out;
}

}  // namespace mynacard::x509
