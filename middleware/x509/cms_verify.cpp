#include <openssl/cms.h>
#include <openssl/objects.h>

#include <limits>

#include "core/error.h"
#include "x509/ossl.h"
#include "x509/x509.h"

namespace mynacard::x509 {

using namespace detail;

namespace {

int signer_infos_num(STACK_OF(CMS_SignerInfo) * sk) {
    return OPENSSL_sk_num(reinterpret_cast<const OPENSSL_STACK*>(sk));
}
CMS_SignerInfo* signer_infos_value(STACK_OF(CMS_SignerInfo) * sk, int i) {
    return static_cast<CMS_SignerInfo*>(
        OPENSSL_sk_value(reinterpret_cast<const OPENSSL_STACK*>(sk), i));
}

// The signingTime signed attribute (RFC 5652 §11.3) of the first signer.
std::optional<TimePoint> signing_time(CMS_ContentInfo* cms) {
    STACK_OF(CMS_SignerInfo)* infos = CMS_get0_SignerInfos(cms);
    if (infos == nullptr || signer_infos_num(infos) < 1) return std::nullopt;
    CMS_SignerInfo* si = signer_infos_value(infos, 0);
    const int index = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
    if (index < 0) return std::nullopt;
    X509_ATTRIBUTE* attr = CMS_signed_get_attr(si, index);
    if (attr == nullptr || X509_ATTRIBUTE_count(attr) != 1) return std::nullopt;
    const ASN1_TYPE* value = X509_ATTRIBUTE_get0_type(attr, 0);
    if (value == nullptr) return std::nullopt;
    if (value->type == V_ASN1_UTCTIME) return from_asn1_time(value->value.utctime);
    if (value->type == V_ASN1_GENERALIZEDTIME) return from_asn1_time(value->value.generalizedtime);
    return std::nullopt;
}

// The verification itself; `make_store` builds the trust anchors (its
// Error becomes the result's error).
template <typename MakeStore>
CmsVerifyResult verify_with(ByteView content, ByteView cms_der, MakeStore&& make_store) {
    CmsVerifyResult result;
    if (cms_der.empty() ||
        cms_der.size() > static_cast<std::size_t>(std::numeric_limits<long>::max())) {
        result.error = "empty CMS signature";
        return result;
    }
    const unsigned char* p = cms_der.data();
    const CmsPtr cms(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(cms_der.size())));
    if (!cms) {
        result.error = "not a CMS structure: " + openssl_error("decode failed");
        return result;
    }
    if (p != cms_der.data() + cms_der.size()) {
        result.error = "trailing bytes after the CMS structure";
        return result;
    }
    if (OBJ_obj2nid(CMS_get0_type(cms.get())) != NID_pkcs7_signed) {
        result.error = "CMS structure is not SignedData";
        return result;
    }

    StorePtr store;
    try {
        store = make_store();
    } catch (const Error& e) {
        result.error = e.what();
        return result;
    }

    try {
        result.signing_time = signing_time(cms.get());
    } catch (const Error& e) {
        result.error = std::string("signingTime: ") + e.what();
        return result;
    }

    auto data = mem_bio(content);
    // CMS_verify checks the messageDigest against the content, the signature
    // over the signed attributes, and the signer chain (purpose smime_sign)
    // against the store at the current time.
    const int rc = CMS_verify(cms.get(), nullptr, store.get(), data.get(), nullptr, CMS_BINARY);
    if (rc != 1) {
        result.error = openssl_error("CMS verification failed");
    } else {
        result.ok = true;
    }

    // The signer certificate, when the structure carries it (also useful to
    // report who signed when verification failed).
    const X509StackRefPtr signers(CMS_get0_signers(cms.get()));
    if (signers && x509_stack_num(signers.get()) > 0) {
        X509* x = x509_stack_value(signers.get(), 0);
        unsigned char* der = nullptr;
        const int len = i2d_X509(x, &der);
        if (len > 0) {
            try {
                result.signer = Certificate::from_der(ByteView(der, static_cast<std::size_t>(len)));
            } catch (const Error&) {
                // leave empty
            }
            OPENSSL_free(der);
        }
    }
    ERR_clear_error();
    return result;
}

}  // namespace

CmsVerifyResult cms_verify_detached(ByteView content, ByteView cms_der,
                                    const std::filesystem::path& anchors) {
    return verify_with(content, cms_der, [&] { return load_anchor_store(anchors); });
}

CmsVerifyResult cms_verify_detached(ByteView content, ByteView cms_der,
                                    const std::vector<Certificate>& anchors) {
    return verify_with(content, cms_der, [&] { return anchor_store_of(anchors); });
}

}  // namespace mynacard::x509
