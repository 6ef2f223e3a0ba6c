#include "softcard/detail/crypto.h"

#include <botan/bigint.h>
#include <botan/data_src.h>
#include <botan/hash.h>
#include <botan/pkcs8.h>
#include <botan/pubkey.h>
#include <botan/rsa.h>

#include "apdu/tlv.h"
#include "core/error.h"

namespace mynacard::softcard::detail {

namespace {
// DER prefix of DigestInfo { sha256, NULL } before the OCTET STRING length (RFC 8017 §9.2).
constexpr std::uint8_t kSha256AlgId[] = {0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                         0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00};
}  // namespace

std::unique_ptr<Botan::Private_Key> load_private_key(ByteView encoded) {
    try {
        Botan::DataSource_Memory src(encoded.data(), encoded.size());
        auto key = Botan::PKCS8::load_key(src);
        if (!key) throw Error(Errc::malformed_data, "private key did not decode");
        return key;
    } catch (const Botan::Exception& e) {
        throw Error(Errc::malformed_data, std::string("private key: ") + e.what());
    }
}

SecureBytes pkcs8_der(const Botan::Private_Key& key) {
    const auto der = Botan::PKCS8::BER_encode(key);
    return SecureBytes(der.begin(), der.end());
}

std::string pkcs8_pem(const Botan::Private_Key& key) {
    return Botan::PKCS8::PEM_encode(key);
}

Bytes card_public_key_tlvs(const Botan::Public_Key& key) {
    const auto* rsa = dynamic_cast<const Botan::RSA_PublicKey*>(&key);
    if (rsa == nullptr) throw Error(Errc::unsupported, "card records carry RSA keys only");
    const auto e = Botan::BigInt::encode(rsa->get_e());
    const auto n = Botan::BigInt::encode_1363(rsa->get_n(), rsa->get_n().bytes());
    Bytes out = apdu::encode_tlv(0x90, Bytes(e.begin(), e.end()));
    const auto mod = apdu::encode_tlv(0x91, Bytes(n.begin(), n.end()));
    out.insert(out.end(), mod.begin(), mod.end());
    return out;
}

Bytes sha256(ByteView data) {
    auto h = Botan::HashFunction::create_or_throw("SHA-256");
    h->update(data.data(), data.size());
    const auto d = h->final();
    return Bytes(d.begin(), d.end());
}

Bytes sha256_digest_info(ByteView digest) {
    Bytes inner(std::begin(kSha256AlgId), std::end(kSha256AlgId));
    const auto os = apdu::encode_tlv(0x04, digest);
    inner.insert(inner.end(), os.begin(), os.end());
    return apdu::encode_tlv(0x30, inner);
}

Bytes sign_pkcs1_raw(const Botan::Private_Key& key, ByteView input,
                     Botan::RandomNumberGenerator& rng) {
    // EMSA3(Raw): PKCS#1 v1.5 type-1 padding of the input without adding a
    // DigestInfo — the host already built it (OpenSC RSA_HASH_NONE).
    Botan::PK_Signer signer(key, rng, "EMSA3(Raw)");
    const auto sig = signer.sign_message(input.data(), input.size(), rng);
    return Bytes(sig.begin(), sig.end());
}

Bytes sign_pkcs1_sha256(const Botan::Private_Key& key, ByteView message,
                        Botan::RandomNumberGenerator& rng) {
    Botan::PK_Signer signer(key, rng, "EMSA3(SHA-256)");
    const auto sig = signer.sign_message(message.data(), message.size(), rng);
    return Bytes(sig.begin(), sig.end());
}

Bytes make_cv_certificate(ByteView issuer_key_id, ByteView subject_key_id,
                          const Botan::Public_Key& subject, const Botan::Private_Key& issuer,
                          Botan::RandomNumberGenerator& rng) {
    if (issuer_key_id.size() != 16 || subject_key_id.size() != 16)
        throw Error(Errc::invalid_argument, "CV certificate key ids are 16 bytes");
    Bytes body(issuer_key_id.begin(), issuer_key_id.end());
    body.insert(body.end(), subject_key_id.begin(), subject_key_id.end());
    const auto pub = card_public_key_tlvs(subject);
    body.insert(body.end(), pub.begin(), pub.end());
    Bytes value = apdu::encode_tlv(0x5F4E, body);
    const auto sig = apdu::encode_tlv(0x5F37, sign_pkcs1_sha256(issuer, body, rng));
    value.insert(value.end(), sig.begin(), sig.end());
    return apdu::encode_tlv(0x7F21, value);
}

}  // namespace mynacard::softcard::detail
