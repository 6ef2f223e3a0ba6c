// Certificates, digests and chains (middleware/x509) against the generated
// JPKI-like test PKI. Botan (linked through softcard, test only) serves as an
// independent parser to compare against.

#include "x509/x509.h"

#include <gtest/gtest.h>

#include <botan/bigint.h>
#include <botan/x509cert.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <chrono>
#include <memory>

#include "common.h"
#include "core/error.h"

namespace x = mynacard::x509;
using mynacard::Bytes;
using mynacard::Errc;
using mynacard::Error;
using mynacard::from_hex;
using mynacard::to_hex;
using namespace x509_test;
using namespace std::chrono_literals;

namespace {

x::TimePoint botan_time(const Botan::X509_Time& t) {
    return x::TimePoint(std::chrono::seconds(static_cast<std::int64_t>(t.time_since_epoch())));
}

template <typename F>
Errc error_code_of(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.code();
    }
    ADD_FAILURE() << "no mynacard::Error thrown";
    return Errc::internal;
}

}  // namespace

TEST(Certificate, ParsesProfileCertificatesLikeBotan) {
    for (const char* name : {"auth_cert.der", "sign_cert.der", "auth_ca.der", "sign_ca.der"}) {
        SCOPED_TRACE(name);
        const auto path = profile_dir() / name;
        const auto cert = x::Certificate::from_file(path);
        const Botan::X509_Certificate oracle(path.string());

        EXPECT_EQ(cert.der(), read_file(path));
        EXPECT_EQ(cert.serial(),
                  Bytes(oracle.serial_number().begin(), oracle.serial_number().end()));
        EXPECT_EQ(cert.not_before(), botan_time(oracle.not_before()));
        EXPECT_EQ(cert.not_after(), botan_time(oracle.not_after()));
        EXPECT_LT(cert.not_before(), cert.not_after());
        EXPECT_EQ(cert.is_ca(), oracle.is_CA_cert());
        EXPECT_EQ(cert.rsa_modulus().size(), 256U);
        EXPECT_EQ(cert.rsa_public_exponent(), (Bytes{0x01, 0x00, 0x01}));
        EXPECT_EQ(cert.sha256_fingerprint(), x::digest(x::Hash::sha256, cert.der()));
        EXPECT_EQ(cert.subject_der(),
                  Bytes(oracle.raw_subject_dn().begin(), oracle.raw_subject_dn().end()));
        EXPECT_EQ(cert.issuer_der(),
                  Bytes(oracle.raw_issuer_dn().begin(), oracle.raw_issuer_dn().end()));
    }
}

TEST(Certificate, NamesAreRfc2253) {
    const auto root = x::Certificate::from_file(pki_dir() / "sign_root.der");
    const auto leaf = x::Certificate::from_file(profile_dir() / "sign_cert.der");
    EXPECT_EQ(root.subject(),
              "OU=Japan Agency for Local Authority Information Systems (TEST),OU=JPKI for digital "
              "signature,"
              "O=JPKI-TEST,C=JP");
    EXPECT_EQ(root.issuer(), root.subject());
    EXPECT_TRUE(root.is_ca());
    EXPECT_EQ(leaf.issuer(), root.subject());
    EXPECT_FALSE(leaf.is_ca());
    // Most specific first: CN=<opaque id>,L=<locality>,C=JP (card-facts.md §8.2).
    const auto subject = leaf.subject();
    EXPECT_EQ(subject.rfind("CN=", 0), 0U) << subject;
    EXPECT_NE(subject.find(",L=Kiyose-shi,C=JP"), std::string::npos) << subject;
}

TEST(Certificate, PemRoundTripAndFileFormats) {
    const auto der = x::Certificate::from_file(pki_dir() / "auth_root.der");
    const auto pem = x::Certificate::from_file(pki_dir() / "auth_root.pem");
    EXPECT_EQ(der.der(), pem.der());
    const auto again = x::Certificate::from_pem(der.pem());
    EXPECT_EQ(again.der(), der.der());
    EXPECT_EQ(der.pem().rfind("-----BEGIN CERTIFICATE-----", 0), 0U);
}

// A certificate whose DER is not canonical outside the signed part (found
// by the x509 fuzz target, tests/fuzz/x509/noncanonical_outer_algorithm.der):
// the outer signature algorithm's NULL parameters written as an empty
// constructed element of tag 29, which OpenSSL accepts and would re-encode
// as a primitive one. The PEM export must carry the bytes as read, so PEM
// and DER exports of a card's certificate are the same certificate.
TEST(Certificate, PemKeepsTheBytesAsRead) {
    Bytes der = read_file(pki_dir() / "auth_root.der");
    ASSERT_GT(der.size(), 8U);
    ASSERT_EQ(der[4], 0x30);  // tbsCertificate, long form (2 length bytes)
    const std::size_t algorithm = 8 + ((std::size_t{der[6]} << 8) | der[7]);
    // 30 0D 06 09 <9-byte OID> 05 00: the NULL sits 13 bytes in.
    ASSERT_EQ(der[algorithm + 13], 0x05);
    der[algorithm + 13] = 0x3D;
    const auto cert = x::Certificate::from_der(der);
    EXPECT_EQ(cert.der(), der);
    EXPECT_EQ(x::Certificate::from_pem(cert.pem()).der(), der);
}

TEST(Certificate, RejectsMalformedInput) {
    const Bytes good = read_file(profile_dir() / "auth_cert.der");
    EXPECT_EQ(error_code_of([] { (void)x::Certificate::from_der({}); }), Errc::malformed_data);
    EXPECT_EQ(error_code_of([] { (void)x::Certificate::from_der(from_hex("3003020100")); }),
              Errc::malformed_data);
    Bytes truncated(good.begin(), good.end() - 1);
    EXPECT_EQ(error_code_of([&] { (void)x::Certificate::from_der(truncated); }),
              Errc::malformed_data);
    Bytes trailing = good;
    trailing.push_back(0x00);
    EXPECT_EQ(error_code_of([&] { (void)x::Certificate::from_der(trailing); }),
              Errc::malformed_data);
    Bytes two = good;
    two.insert(two.end(), good.begin(), good.end());
    EXPECT_EQ(error_code_of([&] { (void)x::Certificate::from_der(two); }), Errc::malformed_data);
    Bytes flipped = good;
    flipped[1] ^= 0x01;  // outer length
    EXPECT_EQ(error_code_of([&] { (void)x::Certificate::from_der(flipped); }),
              Errc::malformed_data);

    const auto pem = x::Certificate::from_der(good).pem();
    EXPECT_EQ(error_code_of([&] { (void)x::Certificate::from_pem(pem + pem); }),
              Errc::malformed_data);
    EXPECT_EQ(error_code_of(
                  [] { (void)x::Certificate::from_pem("-----BEGIN CERTIFICATE-----\nAAAA\n"); }),
              Errc::malformed_data);
    EXPECT_EQ(error_code_of([] { (void)x::Certificate::from_pem(""); }), Errc::malformed_data);
    EXPECT_EQ(error_code_of([] { (void)x::Certificate::from_file("/nonexistent/cert.der"); }),
              Errc::not_found);
}

TEST(Certificate, CopiesShareTheCertificate) {
    const auto a = x::Certificate::from_file(profile_dir() / "sign_cert.der");
    const x::Certificate b = a;  // NOLINT(performance-unnecessary-copy-initialization)
    EXPECT_EQ(&a.impl(), &b.impl());
    EXPECT_EQ(a.der(), b.der());
}

TEST(JpkiAttributes, SignCertificateCarriesTheHolder) {
    const auto cert = x::Certificate::from_file(profile_dir() / "sign_cert.der");
    const auto holder = profile_json()["holder"];
    const auto attrs = x::jpki_attributes(cert);
    ASSERT_TRUE(attrs.has_value());
    EXPECT_EQ(attrs->name, holder["name"].get<std::string>());
    EXPECT_EQ(attrs->address, holder["address"].get<std::string>());
    EXPECT_EQ(attrs->sex, holder["sex"].get<std::string>());
    EXPECT_EQ(attrs->birth_date, holder["birth_date"].get<std::string>());
    // The default holder was born 1980-02-17: 昭和 (era 3).
    EXPECT_EQ(holder["birth_date"].get<std::string>(), "19800217");
    EXPECT_EQ(attrs->birth_era, 3);
    EXPECT_EQ(attrs->birth_date_raw, "3" + holder["birth_date"].get<std::string>());
    // One flag digit per character (all zero: no substitute characters).
    EXPECT_EQ(attrs->name_substitute, "00000");
    EXPECT_EQ(attrs->address_substitute, std::string(16, '0'));
}

// A self-signed certificate whose subjectAltName carries the JPKI holder
// attributes (card-facts.md §8.2) with this birth date value.
Bytes certificate_with_birth_date(const std::string& birth_date) {
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
    std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
    if (!key || !cert) throw std::runtime_error("OpenSSL allocation failed");
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
    X509_NAME_add_entry_by_txt(X509_get_subject_name(cert.get()), "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("test"), -1, -1, 0);
    X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get()));
    X509_set_pubkey(cert.get(), key.get());
    const std::string p = "otherName:1.2.392.200149.8.5.5.";
    const std::string san = p + "1;UTF8:NAME," + p + "3;UTF8:1," + p + "4;UTF8:" + birth_date +
                            "," + p + "5;UTF8:ADDRESS";
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, nullptr, NID_subject_alt_name, san.c_str());
    if (ext == nullptr) throw std::runtime_error("subjectAltName not accepted");
    X509_add_ext(cert.get(), ext, -1);
    X509_EXTENSION_free(ext);
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0)
        throw std::runtime_error("X509_sign failed");
    unsigned char* der = nullptr;
    const int n = i2d_X509(cert.get(), &der);
    Bytes out(der, der + n);
    OPENSSL_free(der);
    return out;
}

TEST(JpkiAttributes, MalformedBirthDateIsNotInTheMessage) {
    // Sanity: the same certificate with a real date parses.
    const auto good =
        x::jpki_attributes(x::Certificate::from_der(certificate_with_birth_date("319800217")));
    ASSERT_TRUE(good.has_value());
    EXPECT_EQ(good->birth_date, "19800217");
    // Personal data never rides in an exception message (decision 11).
    const auto cert = x::Certificate::from_der(certificate_with_birth_date("319801399"));
    try {
        (void)x::jpki_attributes(cert);
        ADD_FAILURE() << "a 13th month was accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), Errc::malformed_data);
        const std::string what = e.what();
        EXPECT_EQ(what.find("19801399"), std::string::npos) << what;
        EXPECT_EQ(what.find("1399"), std::string::npos) << what;
    }
}

TEST(JpkiAttributes, NoneOnAuthenticationAndCaCertificates) {
    EXPECT_FALSE(
        x::jpki_attributes(x::Certificate::from_file(profile_dir() / "auth_cert.der")).has_value());
    EXPECT_FALSE(
        x::jpki_attributes(x::Certificate::from_file(pki_dir() / "sign_root.der")).has_value());
}

TEST(Digest, KnownAnswers) {
    // FIPS 180-2 "abc".
    EXPECT_EQ(to_hex(x::digest(x::Hash::sha256, mynacard::to_bytes("abc")), false),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(to_hex(x::digest(x::Hash::sha1, mynacard::to_bytes("abc")), false),
              "a9993e364706816aba3e25717850c26c9cd0d89d");
    EXPECT_EQ(x::digest(x::Hash::sha224, {}).size(), 28U);
    EXPECT_EQ(x::digest(x::Hash::sha384, {}).size(), 48U);
    EXPECT_EQ(x::digest(x::Hash::sha512, {}).size(), 64U);
}

TEST(Digest, ParseAndName) {
    for (auto h :
         {x::Hash::sha1, x::Hash::sha224, x::Hash::sha256, x::Hash::sha384, x::Hash::sha512})
        EXPECT_EQ(x::parse_hash(x::to_string(h)), h);
    EXPECT_EQ(x::parse_hash("SHA-256"), x::Hash::sha256);
    EXPECT_EQ(error_code_of([] { (void)x::parse_hash("md5"); }), Errc::invalid_argument);
    EXPECT_EQ(error_code_of([] { (void)x::parse_hash(""); }), Errc::invalid_argument);
}

TEST(DigestInfo, MatchesRfc8017Prefixes) {
    // RFC 8017 §9.2 Note 1, written out independently of the implementation.
    const struct {
        x::Hash hash;
        const char* prefix;
        std::size_t size;
    } cases[] = {
        {x::Hash::sha1, "3021300906052b0e03021a05000414", 20},
        {x::Hash::sha224, "302d300d06096086480165030402040500041c", 28},
        {x::Hash::sha256, "3031300d060960864801650304020105000420", 32},
        {x::Hash::sha384, "3041300d060960864801650304020205000430", 48},
        {x::Hash::sha512, "3051300d060960864801650304020305000440", 64},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(x::to_string(c.hash));
        const Bytes h = x::digest(c.hash, mynacard::to_bytes("mynacard"));
        ASSERT_EQ(h.size(), c.size);
        const Bytes info = x::digest_info(c.hash, h);
        EXPECT_EQ(to_hex(info, false), c.prefix + to_hex(h, false));
        EXPECT_EQ(error_code_of([&] { (void)x::digest_info(c.hash, Bytes(c.size - 1)); }),
                  Errc::invalid_argument);
    }
}

TEST(Chain, VerifiesAgainstTheRightRootOnly) {
    const auto now = std::chrono::system_clock::now();
    const auto sign = x::Certificate::from_file(profile_dir() / "sign_cert.der");
    const auto auth = x::Certificate::from_file(profile_dir() / "auth_cert.der");
    // Certificates of a freshly generated profile start at 00:00 UTC today.
    const auto at = std::max(now, sign.not_before() + 1h);

    auto r = x::verify_chain(sign, {}, pki_dir() / "sign_root.der", at);
    EXPECT_TRUE(r.ok) << r.error;
    r = x::verify_chain(sign, {}, pki_dir() / "sign_root.pem", at);
    EXPECT_TRUE(r.ok) << r.error;
    r = x::verify_chain(auth, {}, pki_dir() / "auth_root.der", at);
    EXPECT_TRUE(r.ok) << r.error;
    // A directory: every file in it (both roots, keys are ignored).
    r = x::verify_chain(auth, {}, pki_dir(), at);
    EXPECT_TRUE(r.ok) << r.error;

    r = x::verify_chain(sign, {}, pki_dir() / "auth_root.der", at);
    EXPECT_FALSE(r.ok);
    EXPECT_FALSE(r.error.empty());
    r = x::verify_chain(auth, {}, pki_dir() / "sign_root.pem", at);
    EXPECT_FALSE(r.ok);

    r = x::verify_chain(sign, {}, pki_dir() / "missing.pem", at);
    EXPECT_FALSE(r.ok);
    EXPECT_NE(r.error.find("not found"), std::string::npos) << r.error;
}

TEST(Chain, HonoursTheVerificationTime) {
    const auto sign = x::Certificate::from_file(profile_dir() / "sign_cert.der");
    const auto root = pki_dir() / "sign_root.der";
    EXPECT_TRUE(x::verify_chain(sign, {}, root, sign.not_after() - 24h).ok);
    const auto late = x::verify_chain(sign, {}, root, sign.not_after() + 1s);
    EXPECT_FALSE(late.ok);
    EXPECT_NE(late.error.find("expired"), std::string::npos) << late.error;
    const auto early = x::verify_chain(sign, {}, root, sign.not_before() - 1s);
    EXPECT_FALSE(early.ok);
    EXPECT_NE(early.error.find("not yet valid"), std::string::npos) << early.error;
}

TEST(Chain, ExpiredProfile) {
    const auto sign = x::Certificate::from_file(profile_dir("expired") / "sign_cert.der");
    const auto root_cert = x::Certificate::from_file(pki_dir() / "sign_root.der");
    const auto root = pki_dir() / "sign_root.der";
    const auto now = x::verify_chain(sign, {}, root, std::chrono::system_clock::now());
    EXPECT_FALSE(now.ok);
    EXPECT_NE(now.error.find("expired"), std::string::npos) << now.error;

    // The test roots start ten years back (softcard create_pki), so the
    // expired certificate chained fine while it was valid.
    ASSERT_LE(root_cert.not_before(), sign.not_before());
    const auto then = x::verify_chain(sign, {}, root, sign.not_before() + 24h);
    EXPECT_TRUE(then.ok) << then.error;
}

TEST(Chain, IntermediatesAreUntrusted) {
    // The leaf as its own "intermediate" changes nothing; the root as an
    // intermediate does not make it an anchor.
    const auto sign = x::Certificate::from_file(profile_dir() / "sign_cert.der");
    const auto sign_root = x::Certificate::from_file(pki_dir() / "sign_root.der");
    const auto at = std::max(std::chrono::system_clock::now(), sign.not_before() + 1h);
    EXPECT_FALSE(x::verify_chain(sign, {sign_root}, pki_dir() / "auth_root.der", at).ok);
    EXPECT_TRUE(x::verify_chain(sign, {sign_root}, pki_dir() / "sign_root.der", at).ok);
}
