// 券面事項入力補助AP ("text AP") record integrity, card-facts.md §3.3–§3.5.

#include <openssl/core_names.h>
#include <openssl/param_build.h>

#include <algorithm>
#include <array>
#include <limits>

#include "apdu/tlv.h"
#include "core/error.h"
#include "x509/ossl.h"
#include "x509/x509.h"

namespace mynacard::x509 {

using namespace detail;

namespace {

// Tags and sizes from card-facts.md §3.3–§3.5.
constexpr std::size_t kMyNumberFileSize = 17;  // FF10 0C <12 digits> FF FF
constexpr std::uint32_t kTagMyNumber = 0xFF10;
constexpr std::uint32_t kTagBasic = 0xFF20;      // basic four info
constexpr std::uint32_t kTagOffsets = 0xDF21;    // offset table
constexpr std::uint32_t kTagIntegrity = 0xFF30;  // EF 0003
constexpr std::uint32_t kTagDigestMyNumber = 0xDF31;
constexpr std::uint32_t kTagDigestBasic = 0xDF32;
constexpr std::uint32_t kTagSignature = 0xDF33;
constexpr std::uint32_t kTagCvCert = 0x7F21;  // EF 0004
constexpr std::uint32_t kTagCvBody = 0x5F4E;
constexpr std::uint32_t kTagCvSignature = 0x5F37;
constexpr std::uint32_t kTagExponent = 0x90;
constexpr std::uint32_t kTagModulus = 0x91;
constexpr std::size_t kKeyIdSize = 16;
constexpr std::size_t kSha256Size = 32;
// RSA sizes accepted for the CV certificate key (RSA-2048 on today's cards).
constexpr std::size_t kMinModulus = 128;
constexpr std::size_t kMaxModulus = 512;

[[noreturn]] void malformed(const std::string& what) {
    throw Error(Errc::malformed_data, what);
}

// Elements must fill `data`, except for a run of FF filler after the last.
apdu::Tlv single_element(ByteView data, std::uint32_t tag, const char* file) {
    const auto tlv = apdu::parse_tlv(data);
    if (tlv.tag != tag) malformed(std::string(file) + ": unexpected outer tag");
    const auto rest = data.subspan(tlv.total_size());
    if (!std::all_of(rest.begin(), rest.end(), [](std::uint8_t b) { return b == 0xFF; }))
        malformed(std::string(file) + ": data after the record");
    return tlv;
}

void expect(const apdu::Tlv& tlv, std::uint32_t tag, std::size_t size, const char* what) {
    if (tlv.tag != tag) malformed(std::string(what) + ": unexpected tag");
    if (size != 0 && tlv.value.size() != size) malformed(std::string(what) + ": unexpected length");
}

EvpPkeyPtr rsa_public_key(ByteView modulus, ByteView exponent) {
    const BnPtr n(BN_bin2bn(modulus.data(), static_cast<int>(modulus.size()), nullptr));
    const BnPtr e(BN_bin2bn(exponent.data(), static_cast<int>(exponent.size()), nullptr));
    using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD_free>>;
    using ParamsPtr = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM_free>>;
    const ParamBldPtr bld(OSSL_PARAM_BLD_new());
    if (!n || !e || !bld ||
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1)
        throw_openssl(Errc::internal, "RSA parameters");
    const ParamsPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
    const EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
    EVP_PKEY* raw = nullptr;
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
        EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1)
        throw_openssl(Errc::malformed_data, "RSA public key");
    return EvpPkeyPtr(raw);
}

// RSA PKCS#1 v1.5 with SHA-256 (card-facts.md §3.5; softcard README).
bool verify_pkcs1_sha256(EVP_PKEY* key, ByteView data, ByteView signature) {
    const EvpMdCtxPtr ctx(EVP_MD_CTX_new());
    if (!ctx) throw_openssl(Errc::internal, "EVP_MD_CTX_new");
    EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
    const bool ok = EVP_DigestVerifyInit(ctx.get(), &pctx, EVP_sha256(), nullptr, key) == 1 &&
                    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1 &&
                    EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), data.data(),
                                     data.size()) == 1;
    ERR_clear_error();
    return ok;
}

// The digest does not cover the DF21 offset table, so it is checked here
// instead: one BE u16 per following object, each the object's offset from
// the start of the file (card-facts.md §3.4). A reader that follows the
// table then reads exactly the bytes the digest covered.
void check_offset_table(ByteView file, const apdu::Tlv& outer, const apdu::Tlv& table) {
    const auto objects = apdu::parse_tlv_sequence(outer.value.subspan(table.total_size()));
    if (objects.empty() || table.value.size() != 2 * objects.size())
        malformed("EF 0002: offset table does not match the objects");
    std::size_t position =
        static_cast<std::size_t>(outer.value.data() - file.data()) + table.total_size();
    for (std::size_t i = 0; i < objects.size(); ++i) {
        if (be16(table.value, 2 * i) != position)
            malformed("EF 0002: offset table does not match the objects");
        position += objects[i].total_size();
    }
}

struct CvCertificate {
    ByteView body;       // 5F4E value: the bytes 5F37 signs
    ByteView signature;  // 5F37 value
    ByteView exponent;
    ByteView modulus;
};

// EF 0004: 7F21 { 5F4E { issuer key id (16), subject key id (16), 90 e, 91 n }, 5F37 sig }.
CvCertificate parse_cv_certificate(ByteView ef) {
    const auto outer = single_element(ef, kTagCvCert, "EF 0004");
    const auto parts = apdu::parse_tlv_sequence(outer.value);
    if (parts.size() != 2) malformed("EF 0004: expected 5F4E and 5F37");
    expect(parts[0], kTagCvBody, 0, "EF 0004 body (5F4E)");
    expect(parts[1], kTagCvSignature, 0, "EF 0004 signature (5F37)");
    CvCertificate cv;
    cv.body = parts[0].value;
    cv.signature = parts[1].value;
    if (cv.body.size() <= 2 * kKeyIdSize) malformed("EF 0004 body too short");
    const auto key = apdu::parse_tlv_sequence(cv.body.subspan(2 * kKeyIdSize));
    if (key.size() != 2) malformed("EF 0004: expected exponent (90) and modulus (91)");
    expect(key[0], kTagExponent, 0, "EF 0004 exponent (90)");
    expect(key[1], kTagModulus, 0, "EF 0004 modulus (91)");
    cv.exponent = key[0].value;
    cv.modulus = key[1].value;
    if (cv.exponent.empty() || cv.exponent.size() > 8 || cv.exponent.front() == 0 ||
        (cv.exponent.back() & 1) == 0)
        malformed("EF 0004: invalid public exponent");
    if (cv.modulus.size() < kMinModulus || cv.modulus.size() > kMaxModulus ||
        cv.modulus.front() == 0)
        malformed("EF 0004: invalid modulus");
    return cv;
}

IntegrityResult check(ByteView my_number_file, ByteView basic_file, ByteView integrity_record,
                      ByteView ap_certificate, std::optional<ByteView> ap_ca_public_key) {
    // EF 0001: exactly the 17 physical bytes (card-facts.md §3.3).
    if (my_number_file.size() != kMyNumberFileSize)
        malformed("EF 0001 must be the 17 physical bytes");
    const auto my_number = apdu::parse_tlv(my_number_file);
    if (my_number.tag != kTagMyNumber || my_number.value.size() != 12)
        malformed("EF 0001: unexpected layout");

    // EF 0002: FF20 { DF21 offsets, DF22 …}; the digest covers DF22..end (§3.4).
    const auto basic = single_element(basic_file, kTagBasic, "EF 0002");
    const auto offsets = apdu::parse_tlv(basic.value);
    if (offsets.tag != kTagOffsets) malformed("EF 0002: offset table (DF21) missing");
    const ByteView basic_digest_source = basic.value.subspan(offsets.total_size());
    check_offset_table(basic_file, basic, offsets);

    // EF 0003: FF30 { DF31 32, DF32 32, DF33 sig } (§3.5).
    const auto integrity = single_element(integrity_record, kTagIntegrity, "EF 0003");
    const auto items = apdu::parse_tlv_sequence(integrity.value);
    if (items.size() != 3) malformed("EF 0003: expected DF31, DF32 and DF33");
    expect(items[0], kTagDigestMyNumber, kSha256Size, "EF 0003 DF31");
    expect(items[1], kTagDigestBasic, kSha256Size, "EF 0003 DF32");
    expect(items[2], kTagSignature, 0, "EF 0003 DF33");
    // The signature covers the bytes of the FF30 value before DF33 — the
    // complete DF31 and DF32 elements, not the FF30 header.
    const ByteView signed_part =
        integrity.value.first(items[0].total_size() + items[1].total_size());

    const CvCertificate cv = parse_cv_certificate(ap_certificate);
    if (items[2].value.size() != cv.modulus.size())
        malformed("EF 0003: signature length does not match the key");

    IntegrityResult result;
    const Bytes my_number_digest = digest(Hash::sha256, my_number_file);
    if (!std::equal(my_number_digest.begin(), my_number_digest.end(), items[0].value.begin(),
                    items[0].value.end())) {
        result.error = "EF 0001 (My Number) does not match its digest in EF 0003";
        return result;
    }
    const Bytes basic_digest = digest(Hash::sha256, basic_digest_source);
    if (!std::equal(basic_digest.begin(), basic_digest.end(), items[1].value.begin(),
                    items[1].value.end())) {
        result.error = "EF 0002 (basic four info) does not match its digest in EF 0003";
        return result;
    }

    const EvpPkeyPtr ap_key = rsa_public_key(cv.modulus, cv.exponent);
    if (!verify_pkcs1_sha256(ap_key.get(), signed_part, items[2].value)) {
        result.error = "EF 0003 signature does not verify with the EF 0004 key";
        return result;
    }

    if (ap_ca_public_key) {
        const unsigned char* p = ap_ca_public_key->data();
        const EvpPkeyPtr ca(d2i_PUBKEY(nullptr, &p, static_cast<long>(ap_ca_public_key->size())));
        if (!ca || p != ap_ca_public_key->data() + ap_ca_public_key->size()) {
            ERR_clear_error();
            throw Error(Errc::invalid_argument, "AP CA key is not a SubjectPublicKeyInfo");
        }
        // 5F37 is PKCS#1 v1.5 SHA-256 over the 5F4E value (softcard README;
        // the real scheme is not public, card-facts.md §3.5).
        if (!verify_pkcs1_sha256(ca.get(), cv.body, cv.signature)) {
            result.error = "EF 0004 (AP certificate) signature does not verify with the AP CA key";
            return result;
        }
    }
    result.ok = true;
    return result;
}

}  // namespace

IntegrityResult verify_text_ap_integrity(ByteView my_number_file, ByteView basic_file,
                                         ByteView integrity_record, ByteView ap_certificate,
                                         std::optional<ByteView> ap_ca_public_key) {
    try {
        return check(my_number_file, basic_file, integrity_record, ap_certificate,
                     ap_ca_public_key);
    } catch (const std::bad_alloc&) {
        throw;
    } catch (const std::exception& e) {
        IntegrityResult result;
        result.error = e.what();
        return result;
    }
}

}  // namespace mynacard::x509
