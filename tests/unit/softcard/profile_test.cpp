// Profiles, the test PKI and the holder helpers (card-facts.md §4.2, §8).

#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include <botan/data_src.h>
#include <botan/pk_keys.h>
#include <botan/x509_ext.h>
#include <botan/x509cert.h>
#include <botan/x509path.h>

#include "apdu/tlv.h"
#include "core/error.h"
#include "fixture.h"
#include "softcard/holder.h"

using namespace mynacard;
using namespace softcard_test;
namespace fs = std::filesystem;

namespace {
Botan::X509_Certificate cert(const Bytes& der) {
    Botan::DataSource_Memory src(der.data(), der.size());
    return Botan::X509_Certificate(src);
}
}  // namespace

TEST(SoftcardHolder, MyNumberCheckDigit) {
    // Two numbers known to be valid: the common documentation sample and the
    // JPKI test card's number published in soltia48/myna-card.
    EXPECT_EQ(softcard::my_number_check_digit("12345678901"), 8);
    EXPECT_TRUE(softcard::is_valid_my_number("123456789018"));
    EXPECT_TRUE(softcard::is_valid_my_number("537686677188"));
    EXPECT_FALSE(softcard::is_valid_my_number("537686677187"));
    EXPECT_FALSE(softcard::is_valid_my_number("123456789019"));
    EXPECT_FALSE(softcard::is_valid_my_number("12345678901"));
    EXPECT_FALSE(softcard::is_valid_my_number("12345678901A"));
    // Remainders 0 and 1 give check digit 0: 00000000000 sums to 0.
    EXPECT_EQ(softcard::my_number_check_digit("00000000000"), 0);
    // 10000000000: P11 = 1, Q11 = 6 → 6 mod 11 = 6 → 5.
    EXPECT_EQ(softcard::my_number_check_digit("10000000000"), 5);
    // 00000000005: P1 = 5, Q1 = 2 → 10 → 1.
    EXPECT_EQ(softcard::my_number_check_digit("00000000005"), 1);
    EXPECT_THROW((void)softcard::my_number_check_digit("1234"), Error);
    for (const char* v : {"default", "minor", "expired"})
        EXPECT_TRUE(softcard::is_valid_my_number(profile(v).my_number));
}

TEST(SoftcardHolder, EraDatesAndCodeB) {
    EXPECT_EQ(softcard::to_era("19800217").era, 3);
    EXPECT_EQ(softcard::to_era("19800217").year, 55);
    EXPECT_EQ(softcard::to_era("19890107").era, 3);
    EXPECT_EQ(softcard::to_era("19890108").era, 4);
    EXPECT_EQ(softcard::to_era("19890108").year, 1);
    EXPECT_EQ(softcard::to_era("20190430").era, 4);
    EXPECT_EQ(softcard::to_era("20190501").era, 5);
    EXPECT_EQ(softcard::to_era("19260101").era, 2);
    EXPECT_EQ(softcard::to_era("19000101").era, 1);
    EXPECT_EQ(softcard::era_birth_code("19800217"), "550217");
    EXPECT_EQ(softcard::era_birth_code("20200105"), "020105");
    // card-facts.md §4.2 example: 55021720352285.
    EXPECT_EQ(softcard::verification_code_b("19800217", "20350217", "2285"), "55021720352285");
    EXPECT_THROW((void)softcard::verification_code_b("19800217", "2035", "2285"), Error);
}

TEST(SoftcardProfile, DefaultProfileContents) {
    const auto p = profile();
    EXPECT_EQ(p.name, "default");
    EXPECT_EQ(p.interface, softcard::Interface::contact);
    EXPECT_EQ(p.holder_name, "山田　花子");
    EXPECT_EQ(p.birth_date, "19800217");
    EXPECT_EQ(p.secrets.at("auth").value, SecureBytes({'1', '2', '3', '4'}));
    EXPECT_EQ(p.secrets.at("sign").value, SecureBytes({'A', 'B', 'C', '1', '2', '3'}));
    EXPECT_EQ(p.secrets.at("sign").max_tries, 5);
    EXPECT_EQ(p.secrets.at("text").max_tries, 3);
    EXPECT_EQ(p.secrets.at("text_b").max_tries, 10);
    const std::string b(p.secrets.at("text_b").value.begin(), p.secrets.at("text_b").value.end());
    EXPECT_EQ(b, "550217" + p.card_expiry.substr(0, 4) + p.security_code);
    EXPECT_EQ(p.card_expiry.substr(4), "0217");  // a birthday
    EXPECT_FALSE(p.photo_jp2.empty());
    EXPECT_FALSE(p.name_png.empty());
    EXPECT_EQ(profile("contactless").interface, softcard::Interface::contactless);
}

TEST(SoftcardProfile, CertificatesChainAndProfile) {
    const auto p = profile();
    const auto auth_ca = cert(p.auth_ca_der);
    const auto sign_ca = cert(p.sign_ca_der);
    EXPECT_TRUE(auth_ca.is_self_signed());
    EXPECT_TRUE(auth_ca.is_CA_cert());
    EXPECT_EQ(auth_ca.subject_dn().get_first_attribute("O"), "JPKI-TEST");
    const auto ous = auth_ca.subject_dn().get_attribute("OU");
    ASSERT_EQ(ous.size(), 2u);
    EXPECT_EQ(ous[0], "JPKI for user authentication");
    EXPECT_EQ(ous[1], "Japan Agency for Local Authority Information Systems (TEST)");
    EXPECT_EQ(sign_ca.subject_dn().get_attribute("OU")[0], "JPKI for digital signature");
    EXPECT_TRUE(auth_ca.constraints() & Botan::KEY_CERT_SIGN);

    const auto auth = cert(p.auth_cert_der);
    const auto sign = cert(p.sign_cert_der);
    EXPECT_EQ(auth.issuer_dn(), auth_ca.subject_dn());
    EXPECT_EQ(sign.issuer_dn(), sign_ca.subject_dn());
    EXPECT_TRUE(auth.check_signature(*auth_ca.load_subject_public_key()));
    EXPECT_TRUE(sign.check_signature(*sign_ca.load_subject_public_key()));
    EXPECT_FALSE(sign.check_signature(*auth_ca.load_subject_public_key()));
    EXPECT_EQ(auth.signature_algorithm().get_oid().to_formatted_string(), "RSA/EMSA3(SHA-256)");

    // Auth: opaque CN, no locality, no SAN; keyUsage digitalSignature critical.
    EXPECT_TRUE(auth.subject_dn().get_attribute("L").empty());
    EXPECT_EQ(auth.subject_dn().get_first_attribute("CN").size(), 23u);
    EXPECT_EQ(auth.constraints(), Botan::DIGITAL_SIGNATURE);
    EXPECT_TRUE(
        auth.v3_extensions().critical_extension_set(Botan::OID::from_string("X509v3.KeyUsage")));

    // Sign: locality, SAN otherNames 1–6, policies critical.
    EXPECT_EQ(sign.subject_dn().get_first_attribute("L"), "Kiyose-shi");
    EXPECT_EQ(sign.constraints(), Botan::DIGITAL_SIGNATURE | Botan::NON_REPUDIATION);
    // SAN parsed by hand: GeneralNames { [0] { type-id OID, [0] { UTF8String } } }
    // (the encoding OpenSSL prints as "othername: 1.2.392.200149.8.5.5.1::…").
    const auto san_der = sign.v3_extensions().get_extension_bits(Botan::OID("2.5.29.17"));
    const Bytes san_bytes(san_der.begin(), san_der.end());
    ASSERT_GT(san_bytes.size(), 2u) << to_hex(san_bytes);
    const auto names = apdu::parse_tlv_sequence(apdu::parse_tlv(san_bytes).value);
    ASSERT_EQ(names.size(), 6u);
    std::map<std::string, std::string> other;
    for (const auto& n : names) {
        ASSERT_EQ(n.tag, 0xA0u);
        const auto parts = apdu::parse_tlv_sequence(n.value);
        ASSERT_EQ(parts.size(), 2u);
        ASSERT_EQ(parts[0].tag, 0x06u);
        ASSERT_EQ(parts[1].tag, 0xA0u);
        const auto utf8 = apdu::parse_tlv(parts[1].value);
        ASSERT_EQ(utf8.tag, 0x0Cu);
        // OID 1.2.392.200149.8.5.5.n: the last byte is n.
        other[std::to_string(parts[0].value.back())] =
            std::string(utf8.value.begin(), utf8.value.end());
    }
    auto value = [&](int n) { return other.at(std::to_string(n)); };
    EXPECT_EQ(value(1), p.holder_name);
    EXPECT_EQ(value(2), "00000");
    EXPECT_EQ(value(3), "2");
    EXPECT_EQ(value(4), "319800217");
    EXPECT_EQ(value(5), p.holder_address);
    EXPECT_EQ(value(6), std::string(16, '0'));
    const auto policies = sign.certificate_policy_oids();
    ASSERT_EQ(policies.size(), 1u);
    EXPECT_EQ(policies[0].to_string(), "1.2.392.200149.8.5.1.1.20");
    EXPECT_TRUE(sign.v3_extensions().critical_extension_set(Botan::OID("2.5.29.32")));

    // Validity: until the 5th birthday; sign never beyond auth.
    EXPECT_EQ(auth.not_after().readable_string().substr(5, 5), "02/17");
    EXPECT_FALSE(sign.not_after().cmp(auth.not_after()) > 0);
    const auto years = auth.not_after().to_std_timepoint() - auth.not_before().to_std_timepoint();
    EXPECT_GT(years, std::chrono::hours(24 * 365 * 4));
    EXPECT_LT(years, std::chrono::hours(24 * 366 * 5));
}

TEST(SoftcardProfile, SaveAndLoadRoundTrip) {
    auto p = profile();
    p.behaviour.blocked_sw = 0x6983;
    p.behaviour.extended_read_binary = false;
    p.secrets["auth"].tries_left = 1;
    const fs::path dir = fixture().root / "roundtrip";
    softcard::save_profile(p, dir);
    const auto q = softcard::load_profile(dir);
    EXPECT_EQ(q.behaviour.blocked_sw, 0x6983);
    EXPECT_FALSE(q.behaviour.extended_read_binary);
    EXPECT_EQ(q.secrets.at("auth").tries_left, 1);
    EXPECT_EQ(q.auth_cert_der, p.auth_cert_der);
    EXPECT_EQ(q.auth_key_pkcs8, p.auth_key_pkcs8);
    EXPECT_EQ(q.photo_jp2, p.photo_jp2);
    EXPECT_EQ(q.holder_address, p.holder_address);
    EXPECT_EQ(q.face_cv_cert, p.face_cv_cert);
}

TEST(SoftcardProfile, LoadErrors) {
    try {
        (void)softcard::load_profile(fixture().root / "does-not-exist");
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), Errc::io);
    }
    const fs::path dir = fixture().root / "broken";
    softcard::save_profile(profile(), dir);
    auto write = [&](const std::string& text) {
        std::ofstream(dir / "profile.json", std::ios::trunc) << text;
    };
    for (const std::string& text :
         {std::string("{ not json"), std::string("{\"format\": 1}"), std::string("[]"),
          std::string("{\"format\": 2, \"holder\": {}}")}) {
        write(text);
        try {
            (void)softcard::load_profile(dir);
            FAIL() << "accepted: " << text;
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), Errc::malformed_data) << text;
            EXPECT_NE(std::string(e.what()).find("profile.json"), std::string::npos);
        }
    }
    // A file named in profile.json but missing on disk is an io error.
    softcard::save_profile(profile(), dir);
    fs::remove(dir / "card_key.pem");
    EXPECT_THROW((void)softcard::load_profile(dir), Error);
}

TEST(SoftcardProfile, CreateProfileRejectsBadOptions) {
    softcard::ProfileOptions o;
    o.variant = "teenager";
    EXPECT_THROW(softcard::create_profile(fixture().pki(), fixture().root / "x", o), Error);
    o.variant = "default";
    o.sign_pin = "abc123";
    EXPECT_THROW(softcard::create_profile(fixture().pki(), fixture().root / "x", o), Error);
}
