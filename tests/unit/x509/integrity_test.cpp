// Text-AP record integrity (card-facts.md §3.5) on the records the software
// card builds, read through its APDU interface as a host would.

#include <gtest/gtest.h>

#include <cstdio>

#include "apdu/tlv.h"
#include "common.h"
#include "core/error.h"
#include "softcard/card.h"
#include "softcard/profile.h"
#include "x509/x509.h"

namespace x = mynacard::x509;
namespace sc = mynacard::softcard;
using mynacard::Bytes;
using mynacard::from_hex;
using namespace x509_test;

namespace {

struct TextRecords {
    Bytes my_number;  // EF 0001
    Bytes basic;      // EF 0002
    Bytes integrity;  // EF 0003
    Bytes cv_cert;    // EF 0004
    Bytes ap_ca_pub;  // pki/ap_ca_pub.der
};

std::uint16_t sw_of(const Bytes& r) {
    return static_cast<std::uint16_t>((r[r.size() - 2] << 8) | r.back());
}

Bytes send(sc::Card& card, const std::string& hex) {
    const Bytes r = card.process(from_hex(hex));
    if (r.size() < 2) throw std::runtime_error("short response");
    return r;
}

void expect_ok(sc::Card& card, const std::string& hex) {
    const Bytes r = send(card, hex);
    if (sw_of(r) != 0x9000) throw std::runtime_error(hex + " failed");
}

// READ BINARY in 256-byte steps until a short answer or an error SW.
Bytes read_all(sc::Card& card) {
    Bytes out;
    for (unsigned off = 0; off <= 0x7FFF; off += 256) {
        char cmd[16];
        std::snprintf(cmd, sizeof cmd, "00B0%04X00", off);
        const Bytes r = send(card, cmd);
        if (sw_of(r) != 0x9000) break;
        out.insert(out.end(), r.begin(), r.end() - 2);
        if (r.size() - 2 < 256) break;
    }
    return out;
}

std::string select_ef(unsigned fid) {
    char cmd[16];
    std::snprintf(cmd, sizeof cmd, "00A4020C02%04X", fid);
    return cmd;
}

TextRecords read_records(const std::string& variant = "default") {
    sc::Card card(sc::load_profile(profile_dir(variant)));
    TextRecords t;
    expect_ok(card, "00A4040C0AD3921000310001010408");  // text AP (card-facts.md §3)
    expect_ok(card, select_ef(0x0011));
    expect_ok(card, "002000800431323334");  // VERIFY PIN "1234"
    expect_ok(card, select_ef(0x0001));
    const Bytes n = send(card, "00B0000011");  // exactly 17 bytes (§3.3)
    t.my_number.assign(n.begin(), n.end() - 2);
    expect_ok(card, select_ef(0x0002));
    t.basic = read_all(card);
    expect_ok(card, select_ef(0x0003));
    t.integrity = read_all(card);
    expect_ok(card, select_ef(0x0004));
    t.cv_cert = read_all(card);
    t.ap_ca_pub = read_file(pki_dir() / "ap_ca_pub.der");
    return t;
}

x::IntegrityResult check(const TextRecords& t, bool with_ca = true) {
    return x::verify_text_ap_integrity(
        t.my_number, t.basic, t.integrity, t.cv_cert,
        with_ca ? std::optional<mynacard::ByteView>(t.ap_ca_pub) : std::nullopt);
}

// EF 0002 is the FF20 object followed by FF filler (not covered by anything).
std::size_t basic_object_size(const TextRecords& t) {
    return mynacard::apdu::parse_tlv(t.basic).total_size();
}

class Integrity : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { records_ = std::make_unique<TextRecords>(read_records()); }
    static void TearDownTestSuite() { records_.reset(); }
    static std::unique_ptr<TextRecords> records_;
};
std::unique_ptr<TextRecords> Integrity::records_;

}  // namespace

TEST_F(Integrity, DefaultCardVerifies) {
    const auto& t = *records_;
    ASSERT_EQ(t.my_number.size(), 17U);
    ASSERT_EQ(t.integrity.size(), 336U);
    ASSERT_EQ(t.cv_cert.size(), 568U);
    auto r = check(t);
    EXPECT_TRUE(r.ok) << r.error;
    r = check(t, false);
    EXPECT_TRUE(r.ok) << r.error;
}

TEST_F(Integrity, EveryByteOfEveryRecordMatters) {
    const auto& t = *records_;
    // Flip each byte of EF 0001, 0003, 0004, and every byte of EF 0002 up to
    // the end of its FF20 object (the FF filler after it is not covered).
    const std::size_t basic_object = basic_object_size(t);
    ASSERT_LE(basic_object, t.basic.size());
    struct Target {
        const char* name;
        Bytes TextRecords::*member;
        std::size_t limit;
    };
    const Target targets[] = {
        {"EF 0001", &TextRecords::my_number, t.my_number.size()},
        {"EF 0002", &TextRecords::basic, basic_object},
        {"EF 0003", &TextRecords::integrity, t.integrity.size()},
        {"EF 0004", &TextRecords::cv_cert, t.cv_cert.size()},
    };
    for (const auto& target : targets) {
        for (std::size_t i = 0; i < target.limit; ++i) {
            for (std::uint8_t mask : {std::uint8_t{0x01}, std::uint8_t{0x80}}) {
                TextRecords copy = t;
                (copy.*target.member)[i] ^= mask;
                const auto r = check(copy);
                EXPECT_FALSE(r.ok) << target.name << " byte " << i << " mask " << int{mask};
                EXPECT_FALSE(r.error.empty());
            }
        }
    }
}

TEST_F(Integrity, WrongCaKeyFails) {
    const auto& t = *records_;
    TextRecords copy = t;
    copy.ap_ca_pub[copy.ap_ca_pub.size() - 40] ^= 0x01;  // another modulus
    auto r = check(copy);
    EXPECT_FALSE(r.ok);
    copy.ap_ca_pub = Bytes{0x30, 0x00};
    r = check(copy);
    EXPECT_FALSE(r.ok);
}

TEST_F(Integrity, TruncatedOrPaddedRecordsNeverCrash) {
    const auto& t = *records_;
    for (Bytes TextRecords::*member : {&TextRecords::my_number, &TextRecords::basic,
                                       &TextRecords::integrity, &TextRecords::cv_cert}) {
        const std::size_t size =
            member == &TextRecords::basic ? basic_object_size(t) : (t.*member).size();
        for (std::size_t n = 0; n < size; n += (n < 16 ? 1 : 7)) {
            TextRecords copy = t;
            (copy.*member).resize(n);
            EXPECT_FALSE(check(copy).ok) << n;
        }
        TextRecords copy = t;
        (copy.*member).push_back(0x00);  // not filler
        EXPECT_FALSE(check(copy).ok);
    }
    EXPECT_FALSE(x::verify_text_ap_integrity({}, {}, {}, {}, std::nullopt).ok);
}

TEST_F(Integrity, SwappedRecordsFromAnotherCardFail) {
    const TextRecords other = read_records("contactless");  // another holder's card
    TextRecords mixed = *records_;
    mixed.integrity = other.integrity;
    EXPECT_FALSE(check(mixed).ok);
    mixed = *records_;
    mixed.cv_cert = other.cv_cert;  // another card's AP key
    EXPECT_FALSE(check(mixed).ok);
}
