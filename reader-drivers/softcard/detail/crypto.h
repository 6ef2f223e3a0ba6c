#pragma once

// Botan helpers shared by the card and the profile generator. Internal to
// mynacard::softcard (decision 3: Botan only here, never in product code).

#include <memory>
#include <string>

#include <botan/pk_keys.h>
#include <botan/rng.h>

#include "core/bytes.h"

namespace mynacard::softcard::detail {

// Accepts DER PKCS#8 or PEM ("PRIVATE KEY"); throws Error(malformed_data).
[[nodiscard]] std::unique_ptr<Botan::Private_Key> load_private_key(ByteView encoded);
[[nodiscard]] SecureBytes pkcs8_der(const Botan::Private_Key& key);
[[nodiscard]] std::string pkcs8_pem(const Botan::Private_Key& key);

// RSA public key as the card's records carry it: `90 03 <e>` `91 82 01 00 <n>`
// (card-facts.md §3.5, §4.4).
[[nodiscard]] Bytes card_public_key_tlvs(const Botan::Public_Key& key);

[[nodiscard]] Bytes sha256(ByteView data);
// DigestInfo(SHA-256) around an arbitrary OCTET STRING (32 bytes normally,
// 96 for the face record's three concatenated digests, card-facts.md §4.4).
[[nodiscard]] Bytes sha256_digest_info(ByteView digest);

// PKCS#1 v1.5 type-1 padding of `input` as given, then the RSA private
// operation — what COMPUTE DIGITAL SIGNATURE P1=00 does (card-facts.md §2.6).
[[nodiscard]] Bytes sign_pkcs1_raw(const Botan::Private_Key& key, ByteView input,
                                   Botan::RandomNumberGenerator& rng);
// sha256WithRSAEncryption (PKCS#1 v1.5) over `message`.
[[nodiscard]] Bytes sign_pkcs1_sha256(const Botan::Private_Key& key, ByteView message,
                                      Botan::RandomNumberGenerator& rng);

// Card-verifiable certificate (card-facts.md §3.5): 7F21 { 5F4E body, 5F37 sig }
// with body = issuer key id (16) + subject key id (16) + public key TLVs; the
// signature is PKCS#1 v1.5 SHA-256 over the body (the 5F4E value).
[[nodiscard]] Bytes make_cv_certificate(ByteView issuer_key_id, ByteView subject_key_id,
                                        const Botan::Public_Key& subject,
                                        const Botan::Private_Key& issuer,
                                        Botan::RandomNumberGenerator& rng);

}  // namespace mynacard::softcard::detail
