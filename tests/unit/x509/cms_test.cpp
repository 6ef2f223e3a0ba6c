// CMS detached signatures made through a RawSigner (the card's role), checked
// by cms_verify_detached and by the openssl command line.

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <chrono>
#include <cstdlib>
#include <memory>

#include "common.h"
#include "core/error.h"
#include "x509/x509.h"

namespace x = mynacard::x509;
using mynacard::Bytes;
using mynacard::ByteView;
using namespace x509_test;
using namespace std::chrono_literals;

namespace {

struct PkeyFree {
    void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
};
struct PkeyCtxFree {
    void operator()(EVP_PKEY_CTX* p) const noexcept { EVP_PKEY_CTX_free(p); }
};
struct BioFree {
    void operator()(BIO* p) const noexcept { BIO_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

// The profile's signature key, as the card holds it (test only).
Pkey load_key(const std::filesystem::path& path) {
    const Bytes pem = read_file(path);
    std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    Pkey key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    if (!key) throw std::runtime_error("cannot load " + path.string());
    return key;
}

// PKCS#1 v1.5 type 1 over the DigestInfo as given (the card's COMPUTE
// DIGITAL SIGNATURE, card-facts.md §2.6).
Bytes raw_sign(EVP_PKEY* key, ByteView digest_info) {
    std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(EVP_PKEY_CTX_new(key, nullptr));
    size_t len = 0;
    if (!ctx || EVP_PKEY_sign_init(ctx.get()) != 1 ||
        EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) != 1 ||
        EVP_PKEY_sign(ctx.get(), nullptr, &len, digest_info.data(), digest_info.size()) != 1)
        throw std::runtime_error("sign init");
    Bytes sig(len);
    if (EVP_PKEY_sign(ctx.get(), sig.data(), &len, digest_info.data(), digest_info.size()) != 1)
        throw std::runtime_error("sign");
    sig.resize(len);
    return sig;
}

class Cms : public ::testing::Test {
  protected:
    Pkey key = load_key(profile_dir() / "sign_key.pem");
    x::Certificate cert = x::Certificate::from_file(profile_dir() / "sign_cert.der");
    std::vector<Bytes> seen;  // DigestInfos the "card" was asked to sign
    x::RawSigner signer = [this](ByteView info) {
        seen.emplace_back(info.begin(), info.end());
        return raw_sign(key.get(), info);
    };
    Bytes content = [] {
        static constexpr char kText[] = "請求書 2026-11 / invoice\r\nline two\n\x00\xff binary";
        return Bytes(kText, kText + sizeof kText - 1);
    }();
    // Within the certificate's validity (a fresh profile starts today).
    x::TimePoint when = std::chrono::floor<std::chrono::seconds>(
        std::max(std::chrono::system_clock::now(), cert.not_before() + 1h));
};

}  // namespace

TEST_F(Cms, RoundTrip) {
    for (auto hash :
         {x::Hash::sha256, x::Hash::sha384, x::Hash::sha512, x::Hash::sha1, x::Hash::sha224}) {
        SCOPED_TRACE(x::to_string(hash));
        seen.clear();
        const Bytes cms = x::cms_sign_detached(content, cert, hash, signer, when);
        ASSERT_EQ(seen.size(), 1U);
        // The card saw a DigestInfo of the right algorithm.
        const Bytes prefix = x::digest_info(hash, Bytes(x::digest(hash, {}).size()));
        EXPECT_TRUE(std::equal(
            prefix.begin(), prefix.end() - static_cast<std::ptrdiff_t>(x::digest(hash, {}).size()),
            seen[0].begin()));

        const auto r = x::cms_verify_detached(content, cms, pki_dir() / "sign_root.pem");
        EXPECT_TRUE(r.ok) << r.error;
        ASSERT_TRUE(r.signer.has_value());
        EXPECT_EQ(r.signer->der(), cert.der());
        ASSERT_TRUE(r.signing_time.has_value());
        EXPECT_EQ(*r.signing_time, when);
        // The content is detached: it is not in the structure.
        const std::string_view needle = "invoice";
        EXPECT_EQ(std::search(cms.begin(), cms.end(), needle.begin(), needle.end()), cms.end());
    }
}

TEST_F(Cms, EmptyContentSignsAndVerifies) {
    // An empty file is a valid thing to sign (its span has no data pointer).
    const Bytes empty;
    const Bytes cms = x::cms_sign_detached(empty, cert, x::Hash::sha256, signer, when);
    const auto r = x::cms_verify_detached(empty, cms, pki_dir() / "sign_root.pem");
    EXPECT_TRUE(r.ok) << r.error;
    EXPECT_FALSE(x::cms_verify_detached(content, cms, pki_dir() / "sign_root.pem").ok);
}

TEST_F(Cms, TamperedContentOrSignatureFails) {
    const Bytes cms = x::cms_sign_detached(content, cert, x::Hash::sha256, signer, when);
    Bytes other = content;
    other[0] ^= 0x01;
    auto r = x::cms_verify_detached(other, cms, pki_dir() / "sign_root.pem");
    EXPECT_FALSE(r.ok);
    EXPECT_FALSE(r.error.empty());

    Bytes broken = cms;
    broken[broken.size() - 10] ^= 0x01;  // inside the signature value
    r = x::cms_verify_detached(content, broken, pki_dir() / "sign_root.pem");
    EXPECT_FALSE(r.ok);

    r = x::cms_verify_detached(content, cms, pki_dir() / "auth_root.pem");
    EXPECT_FALSE(r.ok);

    r = x::cms_verify_detached(content, Bytes{0x30, 0x00}, pki_dir() / "sign_root.pem");
    EXPECT_FALSE(r.ok);
    Bytes trailing = cms;
    trailing.push_back(0);
    r = x::cms_verify_detached(content, trailing, pki_dir() / "sign_root.pem");
    EXPECT_FALSE(r.ok);
}

TEST_F(Cms, OpenSslCommandLineVerifies) {
    if (std::string(OPENSSL_CLI).empty())
        GTEST_SKIP() << "openssl command not found at configure time";
    const Bytes cms = x::cms_sign_detached(content, cert, x::Hash::sha256, signer, when);
    TempDir dir;
    const auto data = dir.path() / "content.bin";
    const auto sig = dir.path() / "content.p7s";
    write_file(data, content);
    write_file(sig, cms);
    const auto run = [&](const std::filesystem::path& content_file) {
        const std::string cmd =
            std::string(OPENSSL_CLI) + " cms -verify -binary -inform DER -in '" + sig.string() +
            "' -content '" + content_file.string() + "' -CAfile '" +
            (pki_dir() / "sign_root.pem").string() + "' -out /dev/null 2>/dev/null";
        return std::system(cmd.c_str());
    };
    EXPECT_EQ(run(data), 0);

    Bytes other = content;
    other.back() ^= 0x01;
    const auto tampered = dir.path() / "tampered.bin";
    write_file(tampered, other);
    EXPECT_NE(run(tampered), 0);
}

TEST_F(Cms, SignerErrorsPropagate) {
    const x::RawSigner failing = [](ByteView) -> Bytes {
        throw mynacard::Error(mynacard::Errc::pin_incorrect, "wrong PIN", 2);
    };
    try {
        (void)x::cms_sign_detached(content, cert, x::Hash::sha256, failing, when);
        FAIL() << "no exception";
    } catch (const mynacard::Error& e) {
        EXPECT_EQ(e.code(), mynacard::Errc::pin_incorrect);
        EXPECT_EQ(e.tries_left(), 2);
    }
    const x::RawSigner short_sig = [](ByteView) { return Bytes(10, 0x01); };
    EXPECT_THROW((void)x::cms_sign_detached(content, cert, x::Hash::sha256, short_sig, when),
                 mynacard::Error);
}

TEST_F(Cms, CertificateVerifiesPkcs1Signatures) {
    const Bytes info = x::digest_info(x::Hash::sha256, x::digest(x::Hash::sha256, content));
    const Bytes sig = raw_sign(key.get(), info);
    EXPECT_TRUE(cert.verify_signature(x::Hash::sha256, content, sig));
    EXPECT_FALSE(cert.verify_signature(x::Hash::sha384, content, sig));
    Bytes other = content;
    other[1] ^= 0x80;
    EXPECT_FALSE(cert.verify_signature(x::Hash::sha256, other, sig));
    EXPECT_FALSE(cert.verify_signature(x::Hash::sha256, content, Bytes(5)));
}
