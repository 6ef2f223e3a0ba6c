// mynacard::card::MyNumberCard against the software card (card-facts.md §7
// sequences; architecture decisions 5, 6, 8, 11, 13).

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <memory>
#include <string>

#include <botan/data_src.h>
#include <botan/hash.h>
#include <botan/pubkey.h>
#include <botan/x509cert.h>

#include "apdu/status.h"
#include "card/card.h"
#include "core/error.h"
#include "softcard/holder.h"
#include "softcard/profile.h"
#include "support/softcard_channel.h"

using namespace mynacard;
using card::Certificate;
using card::FaceCode;
using card::Key;
using card::MyNumberCard;
using card::Pin;
using mynacard::test_support::LoggedApdu;
using mynacard::test_support::SoftcardChannel;

namespace {

const char* const kSelJpki = "00A4040C0AD392F000260100000001";

SecureBytes secret(std::string_view s) {
    return SecureBytes(s.begin(), s.end());
}

softcard::Profile load(const std::string& variant) {
    return softcard::load_profile(std::filesystem::path(MYNACARD_TEST_PROFILES) / variant);
}

Bytes sha256_digest_info(std::string_view message) {
    auto h = Botan::HashFunction::create_or_throw("SHA-256");
    h->update(reinterpret_cast<const std::uint8_t*>(message.data()), message.size());
    const auto d = h->final();
    Bytes di = from_hex("3031300D060960864801650304020105000420");
    di.insert(di.end(), d.begin(), d.end());
    return di;
}

// RSA public operation with the certificate's key: does `sig` carry exactly
// `digest_info` under PKCS#1 v1.5 type 1 padding?
bool signature_carries(const Bytes& cert_der, const Bytes& digest_info, const Bytes& sig) {
    Botan::DataSource_Memory src(cert_der.data(), cert_der.size());
    const auto key = Botan::X509_Certificate(src).load_subject_public_key();
    Botan::PK_Verifier v(*key, "EMSA3(Raw)");
    return v.verify_message(digest_info.data(), digest_info.size(), sig.data(), sig.size());
}

std::size_t ceil256(std::size_t n) {
    return (n + 255) / 256;
}

class CardTest : public ::testing::Test {
  protected:
    void use(const std::string& variant) { use(load(variant)); }
    void use(softcard::Profile p) {
        profile_ = p;
        card_ = std::make_unique<softcard::Card>(std::move(p));
        channel_ = std::make_unique<SoftcardChannel>(*card_);
        mnc_ = std::make_unique<MyNumberCard>(*channel_);
    }
    void SetUp() override { use("default"); }

    [[nodiscard]] const std::vector<LoggedApdu>& log() const { return channel_->log; }
    // Every APDU ran inside the operation's one transaction.
    void expect_one_transaction() const {
        EXPECT_EQ(channel_->transactions(), 1);
        EXPECT_EQ(channel_->depth(), 0);
        for (const auto& e : log()) EXPECT_TRUE(e.in_transaction);
    }
    // Reads are short, ≤ 256 bytes, offset-addressed, inside 0x7FFF.
    void expect_short_reads() const {
        for (const auto& e : log()) {
            if (e.ins != 0xB0) continue;
            EXPECT_FALSE(e.extended);
            EXPECT_EQ(e.p1 & 0x80, 0) << "READ BINARY by SFI";
            ASSERT_TRUE(e.le.has_value());
            EXPECT_LE(*e.le, 256u);
        }
    }
    [[nodiscard]] bool is_select_aid(const LoggedApdu& e, const Bytes& aid) const {
        return e.is(0x00, 0xA4, 0x04, 0x0C) && e.data == aid;
    }
    [[nodiscard]] static bool is_select_ef(const LoggedApdu& e, std::uint16_t fid) {
        return e.is(0x00, 0xA4, 0x02, 0x0C) &&
               e.data == Bytes{static_cast<std::uint8_t>(fid >> 8), static_cast<std::uint8_t>(fid)};
    }
    [[nodiscard]] static bool is_empty_verify(const LoggedApdu& e) {
        return e.is(0x00, 0x20, 0x00, 0x80) && e.lc == 0 && !e.le;
    }
    [[nodiscard]] static bool is_verify(const LoggedApdu& e) {
        return e.is(0x00, 0x20, 0x00, 0x80) && e.lc > 0 && e.secret && e.data.empty();
    }
    // Runs `f` expecting Error(code); returns the error.
    template <typename F>
    Error expect_error(Errc code, F&& f) {
        try {
            f();
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), code) << e.what();
            return e;
        }
        ADD_FAILURE() << "no error thrown";
        return Error(Errc::internal, "none");
    }

    const card::CardProfile& cp() const { return card::CardProfile::my_number_card(); }

    softcard::Profile profile_;
    std::unique_ptr<softcard::Card> card_;
    std::unique_ptr<SoftcardChannel> channel_;
    std::unique_ptr<MyNumberCard> mnc_;
};

// ---------------------------------------------------------------- profile

TEST(CardProfile, AidsAndRulesFromCardFacts) {
    const auto& p = card::CardProfile::my_number_card();
    EXPECT_EQ(to_hex(p.jpki_aid), "D392F000260100000001");
    EXPECT_EQ(to_hex(p.text_aid), "D3921000310001010408");
    EXPECT_EQ(to_hex(p.face_aid), "D3921000310001010402");
    EXPECT_EQ(p.rule(Pin::auth).max_tries, 3);
    EXPECT_EQ(p.rule(Pin::sign).max_tries, 5);
    EXPECT_EQ(p.rule(Pin::sign).min_length, 6u);
    EXPECT_EQ(p.rule(Pin::sign).max_length, 16u);
    EXPECT_EQ(p.signature_bytes, 256u);
    EXPECT_EQ(p.max_digest_info, 245u);
    EXPECT_EQ(&p, &card::CardProfile::my_number_card());
    EXPECT_EQ(card::to_string(Pin::sign), "sign");
    EXPECT_EQ(card::to_string(Certificate::auth_ca), "auth-ca");
}

TEST(PinFormat, RulesOfDecision5) {
    const auto& p = card::CardProfile::my_number_card();
    const auto ok = [&](Pin pin, std::string_view v) {
        EXPECT_NO_THROW(card::check_pin_format(p, pin, secret(v))) << v;
    };
    const auto bad = [&](Pin pin, std::string_view v) {
        try {
            card::check_pin_format(p, pin, secret(v));
            ADD_FAILURE() << "accepted " << v;
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), Errc::pin_format);
            if (!v.empty()) {
                EXPECT_EQ(std::string(e.what()).find(v), std::string::npos) << "PIN in message";
            }
        }
    };
    ok(Pin::auth, "0000");
    ok(Pin::text, "9876");
    bad(Pin::auth, "123");
    bad(Pin::auth, "12345");
    bad(Pin::auth, "12a4");
    bad(Pin::auth, "");
    bad(Pin::text, "abcd");
    ok(Pin::sign, "ABC123");
    ok(Pin::sign, "A12345678901234Z");    // 16
    bad(Pin::sign, "AB12");               // short
    bad(Pin::sign, "A123456789012345Z");  // 17
    bad(Pin::sign, "ABCDEF");             // no digit
    bad(Pin::sign, "123456");             // no letter
    bad(Pin::sign, "abc123");             // the card does not fold case
    bad(Pin::sign, "ABC 123");
    bad(Pin::sign, "ÄBC123");
}

TEST(PinFormat, NormaliseUpperCasesOnlyTheSignPassword) {
    const auto s = card::normalise_pin(Pin::sign, "abC12z");
    EXPECT_EQ(std::string(s.begin(), s.end()), "ABC12Z");
    const auto a = card::normalise_pin(Pin::auth, "12ab");
    EXPECT_EQ(std::string(a.begin(), a.end()), "12ab");
}

// ---------------------------------------------------------------- detect / status

TEST_F(CardTest, DetectIsThreeSelectsOnly) {
    const auto apps = mnc_->detect();
    EXPECT_TRUE(apps.jpki);
    EXPECT_TRUE(apps.text);
    EXPECT_TRUE(apps.face);
    ASSERT_EQ(log().size(), 3u);
    EXPECT_TRUE(is_select_aid(log()[0], cp().text_aid));
    EXPECT_TRUE(is_select_aid(log()[1], cp().face_aid));
    EXPECT_TRUE(is_select_aid(log()[2], cp().jpki_aid));
    expect_one_transaction();
}

TEST_F(CardTest, DetectMinorAndAbsentApplications) {
    use("minor");
    auto apps = mnc_->detect();
    EXPECT_TRUE(apps.jpki && apps.text && apps.face);

    // A card without the text and face APs (e.g. a JPKI-only token).
    channel_->clear();
    channel_->tamper = [this](const LoggedApdu& c, apdu::ResponseApdu& r) {
        if (c.ins == 0xA4 && c.p1 == 0x04 && c.data != cp().jpki_aid) r = {{}, 0x6A82};
    };
    apps = mnc_->detect();
    EXPECT_TRUE(apps.jpki);
    EXPECT_FALSE(apps.text);
    EXPECT_FALSE(apps.face);
}

TEST_F(CardTest, DetectOtherStatusWordIsCardError) {
    channel_->tamper = [](const LoggedApdu& c, apdu::ResponseApdu& r) {
        if (c.ins == 0xA4) r = {{}, 0x6F00};
    };
    const auto e = expect_error(Errc::card_error, [&] { (void)mnc_->detect(); });
    EXPECT_NE(std::string(e.what()).find("6F00"), std::string::npos) << e.what();
}

TEST_F(CardTest, StatusDefault) {
    const auto st = mnc_->status();
    EXPECT_TRUE(st.applications.jpki && st.applications.text && st.applications.face);
    EXPECT_EQ(st.auth, 3);
    EXPECT_EQ(st.sign, 5);
    EXPECT_EQ(st.text, 3);
    EXPECT_LE(log().size(), 10u);
    EXPECT_EQ(channel_->verify_attempts(), 0u);
    expect_one_transaction();
    EXPECT_EQ(card_->tries_left("auth"), 3);
}

TEST_F(CardTest, StatusMinorHasNoSignPin) {
    use("minor");
    const auto st = mnc_->status();
    EXPECT_TRUE(st.applications.jpki);
    EXPECT_EQ(st.auth, 3);
    EXPECT_FALSE(st.sign.has_value());
    EXPECT_EQ(st.text, 3);
    EXPECT_LE(log().size(), 10u);
}

TEST_F(CardTest, StatusAfterAnUnreportedResetStillFindsEveryPin) {
    // A power glitch after the k-th APDU: the card forgets its AP and the
    // next SELECT EF answers 6A82, as a card without that PIN would.
    for (std::size_t k = 1; k <= 9; ++k) {
        use("default");
        std::size_t seen = 0;
        channel_->tamper = [&](const LoggedApdu&, apdu::ResponseApdu&) {
            if (++seen == k) card_->reset();
        };
        // Either a clear error or the right answer; never a PIN reported
        // absent that the card has.
        try {
            const auto st = mnc_->status();
            EXPECT_EQ(st.auth, 3) << "reset after APDU " << k;
            EXPECT_EQ(st.sign, 5) << "reset after APDU " << k;
            EXPECT_EQ(st.text, 3) << "reset after APDU " << k;
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), Errc::card_error) << "reset after APDU " << k << ": " << e.what();
        }
    }
}

TEST_F(CardTest, StatusShowsTriesAndBlocked) {
    auto p = load("sign-blocked");
    p.secrets.at("auth").tries_left = 1;
    use(std::move(p));
    const auto st = mnc_->status();
    EXPECT_EQ(st.sign, 0);
    EXPECT_EQ(st.auth, 1);
    EXPECT_EQ(mnc_->tries_left(Pin::sign), 0);
    EXPECT_EQ(mnc_->tries_left(Pin::auth), 1);
}

TEST_F(CardTest, TriesLeftIsThreeApdusAndToleratesVerified9000) {
    EXPECT_EQ(mnc_->tries_left(Pin::text), 3);
    ASSERT_EQ(log().size(), 3u);
    EXPECT_TRUE(is_select_aid(log()[0], cp().text_aid));
    EXPECT_TRUE(is_select_ef(log()[1], 0x0011));
    EXPECT_TRUE(is_empty_verify(log()[2]));

    // card-facts.md §2.4 [U]: some cards answer 9000 (already verified).
    channel_->tamper = [](const LoggedApdu& c, apdu::ResponseApdu& r) {
        if (c.ins == 0x20 && c.lc == 0) r = {{}, 0x9000};
    };
    EXPECT_EQ(mnc_->tries_left(Pin::sign), 5);
}

TEST_F(CardTest, TriesLeftOfAbsentSignPinIsNotFound) {
    use("minor");
    (void)expect_error(Errc::not_found, [&] { (void)mnc_->tries_left(Pin::sign); });
}

TEST_F(CardTest, ResetSecurityStateIsOneSelect) {
    mnc_->reset_security_state();
    ASSERT_EQ(log().size(), 1u);
    EXPECT_TRUE(is_select_aid(log()[0], cp().jpki_aid));
    expect_one_transaction();
}

// ---------------------------------------------------------------- certificates

TEST_F(CardTest, ReadCertificatesByteIdenticalWithPlannedApduCount) {
    const std::pair<Certificate, const Bytes*> certs[] = {
        {Certificate::auth, &profile_.auth_cert_der},
        {Certificate::auth_ca, &profile_.auth_ca_der},
        {Certificate::sign_ca, &profile_.sign_ca_der},
    };
    for (const auto& [which, expected] : certs) {
        channel_->clear();
        const Bytes der = mnc_->read_certificate(which);
        EXPECT_EQ(der, *expected) << card::to_string(which);
        EXPECT_EQ(log().size(), 2 + ceil256(expected->size())) << card::to_string(which);
        EXPECT_TRUE(is_select_aid(log()[0], cp().jpki_aid));
        EXPECT_TRUE(log()[1].is(0x00, 0xA4, 0x02, 0x0C));
        // First READ at offset 0 with Le=00; the last asks exactly the remainder.
        EXPECT_TRUE(log()[2].is(0x00, 0xB0, 0x00, 0x00));
        EXPECT_EQ(log()[2].le, 256u);
        const std::size_t rem = expected->size() % 256;
        EXPECT_EQ(log().back().le, rem == 0 ? 256u : rem);
        expect_short_reads();
        expect_one_transaction();
        EXPECT_EQ(channel_->verify_attempts(), 0u);
    }
}

TEST_F(CardTest, ReadCertificateToleratesShortAnswersAnd6282) {
    // A card returning at most 100 bytes a READ, and 6282 on the last one.
    channel_->tamper = [](const LoggedApdu& c, apdu::ResponseApdu& r) {
        if (c.ins != 0xB0) return;
        if (r.data.size() > 100)
            r.data.resize(100);
        else
            r.sw = 0x6282;
    };
    EXPECT_EQ(mnc_->read_certificate(Certificate::auth), profile_.auth_cert_der);
    expect_short_reads();
}

TEST_F(CardTest, SignCertificateRefusedWithoutPinAndNoApdu) {
    (void)expect_error(Errc::security_status,
                       [&] { (void)mnc_->read_certificate(Certificate::sign); });
    EXPECT_TRUE(log().empty());
}

TEST_F(CardTest, ReadSignCertificateSequenceAndReset) {
    const Bytes der = mnc_->read_sign_certificate(card::normalise_pin(Pin::sign, "abc123"));
    EXPECT_EQ(der, profile_.sign_cert_der);
    const std::size_t n = log().size();
    ASSERT_EQ(n, 5 + ceil256(der.size()) + 1);
    EXPECT_TRUE(is_select_aid(log()[0], cp().jpki_aid));
    EXPECT_TRUE(is_select_ef(log()[1], 0x001B));
    EXPECT_TRUE(is_empty_verify(log()[2]));
    EXPECT_TRUE(is_verify(log()[3]));
    EXPECT_EQ(log()[3].sw, 0x9000);
    EXPECT_TRUE(is_select_ef(log()[4], 0x0001));
    for (std::size_t i = 5; i + 1 < n; ++i) {
        EXPECT_EQ(log()[i].ins, 0xB0);
        EXPECT_EQ(log()[i].sw, 0x9000) << "6982 path hit";
    }
    EXPECT_TRUE(is_select_aid(log()[n - 1], cp().jpki_aid));
    expect_one_transaction();
    expect_short_reads();

    // Decision 5: the verified state did not survive the operation.
    EXPECT_EQ(channel_->raw("00A4020C020001"), 0x9000);
    EXPECT_EQ(channel_->raw("00B0000004"), apdu::sw::security_not_satisfied);
}

TEST_F(CardTest, ReadSignCertificateOnMinorIsNotFound) {
    use("minor");
    (void)expect_error(Errc::not_found,
                       [&] { (void)mnc_->read_sign_certificate(secret("ABC123")); });
    EXPECT_EQ(channel_->verify_attempts(), 0u);
}

// ---------------------------------------------------------------- signing

TEST_F(CardTest, SignWithAuthKeyThenStateIsReset) {
    const Bytes di = sha256_digest_info("challenge");
    const Bytes sig = mnc_->sign(Key::auth, secret("1234"), di);
    ASSERT_EQ(sig.size(), 256u);
    EXPECT_TRUE(signature_carries(profile_.auth_cert_der, di, sig));
    EXPECT_FALSE(signature_carries(profile_.auth_cert_der, sha256_digest_info("other"), sig));

    ASSERT_EQ(log().size(), 7u);
    EXPECT_TRUE(is_select_aid(log()[0], cp().jpki_aid));
    EXPECT_TRUE(is_select_ef(log()[1], 0x0018));
    EXPECT_TRUE(is_empty_verify(log()[2]));
    EXPECT_TRUE(is_verify(log()[3]));
    EXPECT_TRUE(is_select_ef(log()[4], 0x0017));
    EXPECT_TRUE(log()[5].is(0x80, 0x2A, 0x00, 0x80));
    EXPECT_EQ(log()[5].data, di);
    EXPECT_EQ(log()[5].le, 256u);
    EXPECT_TRUE(is_select_aid(log()[6], cp().jpki_aid));
    expect_one_transaction();

    // A signature without VERIFY after the operation is refused by the card.
    EXPECT_EQ(channel_->raw("00A4020C020017"), 0x9000);
    EXPECT_EQ(channel_->raw(("802A0080" + to_hex(Bytes{static_cast<std::uint8_t>(di.size())}) +
                             to_hex(di) + "00")
                                .c_str()),
              apdu::sw::security_not_satisfied);
}

// Decision 9: on a PIN-pad reader the reader takes the PIN; the sequence is
// that of a typed PIN, the VERIFY coming from the pad.
TEST_F(CardTest, PinPadLoginAndSignature) {
    channel_->pin_pad = SoftcardChannel::PinPad{"1234"};
    ASSERT_TRUE(mnc_->has_pin_pad());
    mnc_->verify_pin_on_pad(Pin::auth);
    ASSERT_EQ(log().size(), 5u);
    EXPECT_TRUE(is_select_ef(log()[1], 0x0018));
    EXPECT_TRUE(is_empty_verify(log()[2]));
    EXPECT_TRUE(is_verify(log()[3]));
    EXPECT_TRUE(is_select_aid(log()[4], cp().jpki_aid)) << "security state reset afterwards";
    expect_one_transaction();

    channel_->clear();
    const Bytes di = sha256_digest_info("pad");
    const Bytes sig = mnc_->sign_on_pad(Key::auth, di);
    EXPECT_TRUE(signature_carries(profile_.auth_cert_der, di, sig));
    EXPECT_EQ(log().size(), 7u);
    EXPECT_EQ(channel_->pin_pad->entries, 2);
    expect_one_transaction();
}

TEST_F(CardTest, PinPadWrongCancelledAndTimedOut) {
    channel_->pin_pad = SoftcardChannel::PinPad{"9999"};
    const Error wrong =
        expect_error(Errc::pin_incorrect, [&] { mnc_->verify_pin_on_pad(Pin::auth); });
    EXPECT_EQ(wrong.tries_left(), 2);
    channel_->pin_pad->reader_sw = 0x6401;
    (void)expect_error(Errc::cancelled, [&] { mnc_->verify_pin_on_pad(Pin::auth); });
    channel_->pin_pad->reader_sw = 0x6400;
    (void)expect_error(Errc::timeout, [&] { mnc_->verify_pin_on_pad(Pin::auth); });
    EXPECT_EQ(mnc_->tries_left(Pin::auth), 2) << "cancel and time-out spent no try";
}

TEST_F(CardTest, PinPadRefusedForTheSignPasswordAndWithoutAPad) {
    channel_->pin_pad = SoftcardChannel::PinPad{"1234"};
    (void)expect_error(Errc::unsupported,
                       [&] { (void)mnc_->sign_on_pad(Key::sign, sha256_digest_info("x")); });
    EXPECT_TRUE(log().empty()) << "refused before any APDU";
    channel_->pin_pad.reset();
    EXPECT_FALSE(mnc_->has_pin_pad());
    (void)expect_error(Errc::unsupported, [&] { mnc_->verify_pin_on_pad(Pin::auth); });
    EXPECT_EQ(channel_->verify_attempts(), 0u);
}

TEST_F(CardTest, SignWithSignKeyAndLowercasePassword) {
    const Bytes di = sha256_digest_info("contract");
    const Bytes sig = mnc_->sign(Key::sign, card::normalise_pin(Pin::sign, "abc123"), di);
    EXPECT_TRUE(signature_carries(profile_.sign_cert_der, di, sig));
    EXPECT_TRUE(is_select_ef(log()[1], 0x001B));
    EXPECT_TRUE(is_select_ef(log()[4], 0x001A));
    EXPECT_TRUE(is_select_aid(log().back(), cp().jpki_aid));
    EXPECT_EQ(channel_->raw("00A4020C020001"), 0x9000);
    EXPECT_EQ(channel_->raw("00B0000004"), apdu::sw::security_not_satisfied);
}

TEST_F(CardTest, WrongPinIsNotRetried) {
    const auto e = expect_error(Errc::pin_incorrect, [&] {
        (void)mnc_->sign(Key::auth, secret("9999"), sha256_digest_info("x"));
    });
    EXPECT_EQ(e.tries_left(), 2);
    EXPECT_EQ(std::string(e.what()).find("9999"), std::string::npos);
    EXPECT_EQ(channel_->verify_attempts(), 1u);
    EXPECT_EQ(channel_->count_ins(0x2A), 0u);
    EXPECT_TRUE(is_select_aid(log().back(), cp().jpki_aid));  // reselect even on error
    EXPECT_EQ(card_->tries_left("auth"), 2);
}

TEST_F(CardTest, LastTryNeedsConfirmation) {
    auto p = load("default");
    p.secrets.at("sign").tries_left = 1;
    use(std::move(p));
    const auto e = expect_error(Errc::confirmation_required, [&] {
        (void)mnc_->sign(Key::sign, secret("ABC123"), sha256_digest_info("x"));
    });
    EXPECT_EQ(e.tries_left(), 1);
    EXPECT_EQ(channel_->verify_attempts(), 0u);
    EXPECT_EQ(log().size(), 3u);
    EXPECT_EQ(card_->tries_left("sign"), 1);

    // The same with read_sign_certificate and change_pin.
    (void)expect_error(Errc::confirmation_required,
                       [&] { (void)mnc_->read_sign_certificate(secret("ABC123")); });
    (void)expect_error(Errc::confirmation_required,
                       [&] { mnc_->change_pin(Pin::sign, secret("ABC123"), secret("XYZ789")); });
    EXPECT_EQ(channel_->verify_attempts(), 0u);

    // Confirmed: the one try is used (correctly here), the counter is reset.
    const Bytes di = sha256_digest_info("x");
    const Bytes sig = mnc_->sign(Key::sign, secret("ABC123"), di, {.confirm_last_try = true});
    EXPECT_TRUE(signature_carries(profile_.sign_cert_der, di, sig));
    EXPECT_EQ(card_->tries_left("sign"), 5);
}

TEST_F(CardTest, LastTryConfirmedButWrongBlocks) {
    auto p = load("default");
    p.secrets.at("auth").tries_left = 1;
    use(std::move(p));
    const auto e = expect_error(Errc::pin_blocked, [&] {
        (void)mnc_->sign(Key::auth, secret("0000"), sha256_digest_info("x"),
                         {.confirm_last_try = true});
    });
    EXPECT_EQ(e.tries_left(), 0);
    EXPECT_EQ(channel_->verify_attempts(), 1u);
}

TEST_F(CardTest, BlockedPinSendsNoVerify) {
    use("sign-blocked");
    const auto e = expect_error(Errc::pin_blocked, [&] {
        (void)mnc_->sign(Key::sign, secret("ABC123"), sha256_digest_info("x"),
                         {.confirm_last_try = true});
    });
    EXPECT_NE(std::string(e.what()).find("市区町村の窓口"), std::string::npos);
    EXPECT_EQ(e.tries_left(), 0);
    EXPECT_EQ(channel_->verify_attempts(), 0u);
    (void)expect_error(Errc::pin_blocked,
                       [&] { (void)mnc_->read_sign_certificate(secret("ABC123")); });
    EXPECT_EQ(channel_->verify_attempts(), 0u);
}

TEST_F(CardTest, BlockedStatusWordsOnVerify) {
    for (const std::uint16_t blocked : {std::uint16_t{0x6984}, std::uint16_t{0x6983}}) {
        channel_->clear();
        channel_->tamper = [blocked](const LoggedApdu& c, apdu::ResponseApdu& r) {
            if (c.ins == 0x20 && c.lc > 0) r = {{}, blocked};
        };
        (void)expect_error(Errc::pin_blocked, [&] {
            (void)mnc_->sign(Key::auth, secret("1234"), sha256_digest_info("x"));
        });
        channel_->tamper = [blocked](const LoggedApdu& c, apdu::ResponseApdu& r) {
            if (c.ins == 0x20 && c.lc == 0) r = {{}, blocked};
        };
        EXPECT_EQ(mnc_->tries_left(Pin::auth), 0);
        (void)expect_error(Errc::pin_blocked, [&] {
            (void)mnc_->sign(Key::auth, secret("1234"), sha256_digest_info("x"));
        });
    }
}

TEST_F(CardTest, MalformedInputsTouchNoCard) {
    const Bytes di = sha256_digest_info("x");
    (void)expect_error(Errc::pin_format, [&] { (void)mnc_->sign(Key::auth, secret("123"), di); });
    (void)expect_error(Errc::pin_format,
                       [&] { (void)mnc_->sign(Key::sign, secret("abc123"), di); });
    (void)expect_error(Errc::pin_format, [&] { (void)mnc_->sign(Key::sign, secret("1234"), di); });
    (void)expect_error(Errc::pin_format,
                       [&] { (void)mnc_->read_sign_certificate(secret("ABCDEFG")); });
    (void)expect_error(Errc::pin_format, [&] { (void)mnc_->read_text_ap(secret("12345")); });
    (void)expect_error(Errc::pin_format,
                       [&] { mnc_->change_pin(Pin::auth, secret("1234"), secret("12")); });
    (void)expect_error(Errc::pin_format,
                       [&] { mnc_->change_pin(Pin::sign, secret("ABC12"), secret("ABC123")); });
    (void)expect_error(Errc::invalid_argument,
                       [&] { (void)mnc_->sign(Key::auth, secret("1234"), Bytes{}); });
    (void)expect_error(Errc::invalid_argument,
                       [&] { (void)mnc_->sign(Key::auth, secret("1234"), Bytes(246, 0x01)); });
    std::string a = profile_.my_number;
    a.back() = static_cast<char>('0' + (a.back() - '0' + 1) % 10);  // wrong check digit
    (void)expect_error(Errc::pin_format, [&] { (void)mnc_->read_face_ap(FaceCode::a, secret(a)); });
    (void)expect_error(Errc::pin_format,
                       [&] { (void)mnc_->read_face_ap(FaceCode::a, secret("1234")); });
    (void)expect_error(Errc::pin_format,
                       [&] { (void)mnc_->read_face_ap(FaceCode::b, secret("1234567890123")); });
    (void)expect_error(Errc::pin_format,
                       [&] { (void)mnc_->read_face_ap(FaceCode::b, secret("1234567890123X")); });
    EXPECT_TRUE(log().empty());
    EXPECT_EQ(channel_->transactions(), 0);
}

TEST_F(CardTest, MaxLengthDigestInfoIsSigned) {
    const Bytes di(245, 0x5A);
    const Bytes sig = mnc_->sign(Key::auth, secret("1234"), di);
    EXPECT_TRUE(signature_carries(profile_.auth_cert_der, di, sig));
}

// ---------------------------------------------------------------- PIN change

TEST_F(CardTest, ChangePinThenUseTheNewOne) {
    mnc_->change_pin(Pin::auth, secret("1234"), secret("5678"));
    ASSERT_EQ(log().size(), 6u);
    EXPECT_TRUE(is_select_ef(log()[1], 0x0018));
    EXPECT_TRUE(is_empty_verify(log()[2]));
    EXPECT_TRUE(is_verify(log()[3]));
    EXPECT_TRUE(log()[4].is(0x00, 0x24, 0x01, 0x80));
    EXPECT_TRUE(log()[4].secret);
    EXPECT_TRUE(log()[4].data.empty());
    EXPECT_TRUE(is_select_aid(log()[5], cp().jpki_aid));
    expect_one_transaction();

    const Bytes di = sha256_digest_info("x");
    EXPECT_TRUE(
        signature_carries(profile_.auth_cert_der, di, mnc_->sign(Key::auth, secret("5678"), di)));
    (void)expect_error(Errc::pin_incorrect,
                       [&] { (void)mnc_->sign(Key::auth, secret("1234"), di); });

    mnc_->change_pin(Pin::sign, secret("ABC123"), card::normalise_pin(Pin::sign, "newpass9"));
    EXPECT_TRUE(signature_carries(profile_.sign_cert_der, di,
                                  mnc_->sign(Key::sign, secret("NEWPASS9"), di)));
    mnc_->change_pin(Pin::text, secret("1234"), secret("4321"));
    EXPECT_EQ(mnc_->read_text_ap(secret("4321")).my_number, profile_.my_number);
}

TEST_F(CardTest, ChangePinWrongCurrentChangesNothing) {
    (void)expect_error(Errc::pin_incorrect,
                       [&] { mnc_->change_pin(Pin::auth, secret("1111"), secret("5678")); });
    EXPECT_EQ(channel_->count_ins(0x24), 0u);
    const Bytes di = sha256_digest_info("x");
    EXPECT_NO_THROW((void)mnc_->sign(Key::auth, secret("1234"), di));
}

TEST_F(CardTest, ChangePinRefusedByCardIsPinFormat) {
    channel_->tamper = [](const LoggedApdu& c, apdu::ResponseApdu& r) {
        if (c.ins == 0x24) r = {{}, 0x6A80};
    };
    (void)expect_error(Errc::pin_format,
                       [&] { mnc_->change_pin(Pin::auth, secret("1234"), secret("5678")); });
    EXPECT_TRUE(is_select_aid(log().back(), cp().jpki_aid));
}

// ---------------------------------------------------------------- text AP

TEST_F(CardTest, ReadTextApDecodesTheHolder) {
    const auto t = mnc_->read_text_ap(secret("1234"));
    EXPECT_EQ(t.my_number, profile_.my_number);
    EXPECT_EQ(t.basic.name, profile_.holder_name);
    EXPECT_EQ(t.basic.address, profile_.holder_address);
    EXPECT_EQ(t.basic.birth_date, profile_.birth_date);
    EXPECT_EQ(t.basic.sex, profile_.sex);
    ASSERT_EQ(t.my_number_file.size(), 17u);
    EXPECT_EQ(t.my_number_file[0], 0xFF);
    ASSERT_GE(t.basic_file.size(), 2u);
    EXPECT_EQ(t.basic_file[0], 0xFF);
    EXPECT_EQ(t.basic_file[1], 0x20);
    EXPECT_EQ(t.integrity_record.size(), 336u);  // card-facts.md §3.2
    EXPECT_EQ(t.ap_certificate.size(), 568u);
    EXPECT_EQ(t.ap_certificate, profile_.text_cv_cert);

    EXPECT_TRUE(is_select_aid(log()[0], cp().text_aid));
    EXPECT_TRUE(is_select_ef(log()[1], 0x0011));
    EXPECT_TRUE(is_empty_verify(log()[2]));
    EXPECT_TRUE(is_verify(log()[3]));
    EXPECT_TRUE(is_select_ef(log()[4], 0x0001));
    EXPECT_TRUE(log()[5].is(0x00, 0xB0, 0x00, 0x00));
    EXPECT_EQ(log()[5].le, 17u);
    EXPECT_TRUE(is_select_aid(log().back(), cp().text_aid));
    EXPECT_EQ(channel_->verify_attempts(), 1u);
    for (const auto& e : log()) EXPECT_NE(e.sw, 0x6982);
    expect_short_reads();
    expect_one_transaction();
    // 4 + (1+1) + (1+1) + (1+2) + (1+3) + 1: EF 0002 fits one READ here.
    EXPECT_EQ(log().size(), 16u);

    EXPECT_EQ(channel_->raw("00A4020C020001"), 0x9000);
    EXPECT_EQ(channel_->raw("00B0000011"), apdu::sw::security_not_satisfied);
}

TEST_F(CardTest, ReadTextApWrongPin) {
    const auto e =
        expect_error(Errc::pin_incorrect, [&] { (void)mnc_->read_text_ap(secret("0000")); });
    EXPECT_EQ(e.tries_left(), 2);
    EXPECT_EQ(channel_->count_ins(0xB0), 0u);
}

// ---------------------------------------------------------------- face AP

TEST_F(CardTest, ReadFaceApWithCodeA) {
    const auto f = mnc_->read_face_ap(FaceCode::a, secret(profile_.my_number));
    EXPECT_EQ(f.birth_date, profile_.birth_date);
    EXPECT_EQ(f.sex, profile_.sex);
    EXPECT_EQ(f.expiry, profile_.card_expiry);
    EXPECT_EQ(f.photo_jp2, profile_.photo_jp2);
    EXPECT_EQ(f.name_png, profile_.name_png);
    EXPECT_EQ(f.address_png, profile_.address_png);
    EXPECT_EQ(f.security_code_png, profile_.security_code_png);
    EXPECT_GT(f.record.size(), 1000u);
    EXPECT_TRUE(is_select_aid(log()[0], cp().face_aid));
    EXPECT_TRUE(is_select_ef(log()[1], 0x0013));
    EXPECT_TRUE(is_empty_verify(log()[2]));
    EXPECT_TRUE(is_verify(log()[3]));
    EXPECT_TRUE(is_select_ef(log()[4], 0x0002));
    EXPECT_TRUE(is_select_aid(log().back(), cp().face_aid));
    EXPECT_EQ(log().size(), 5 + ceil256(f.record.size()) + 1);
    expect_short_reads();
    expect_one_transaction();
}

TEST_F(CardTest, ReadFaceApWithCodeB) {
    const std::string b = softcard::verification_code_b(profile_.birth_date, profile_.card_expiry,
                                                        profile_.security_code);
    const auto f = mnc_->read_face_ap(FaceCode::b, secret(b));
    EXPECT_EQ(f.birth_date, profile_.birth_date);
    EXPECT_EQ(f.photo_jp2, profile_.photo_jp2);
    EXPECT_TRUE(is_select_ef(log()[1], 0x0012));
}

TEST_F(CardTest, ReadFaceApWrongCodeB) {
    const auto e = expect_error(Errc::pin_incorrect, [&] {
        (void)mnc_->read_face_ap(FaceCode::b, secret("11111111111111"));
    });
    EXPECT_GE(e.tries_left(), 1);
    EXPECT_EQ(channel_->verify_attempts(), 1u);
    EXPECT_TRUE(is_select_aid(log().back(), cp().face_aid));
}

// Decision 5's last try holds for the 照合番号 as for the PINs: a blocked
// 照合番号 locks the card face until the city office resets it.
TEST_F(CardTest, ReadFaceApLastTryNeedsConfirmation) {
    auto p = load("default");
    p.secrets.at("face_b").tries_left = 1;
    use(std::move(p));
    const std::string b = softcard::verification_code_b(profile_.birth_date, profile_.card_expiry,
                                                        profile_.security_code);
    const auto e = expect_error(Errc::confirmation_required,
                                [&] { (void)mnc_->read_face_ap(FaceCode::b, secret(b)); });
    EXPECT_EQ(e.tries_left(), 1);
    EXPECT_EQ(channel_->verify_attempts(), 0u);
    EXPECT_EQ(card_->tries_left("face_b"), 1);
    const auto f = mnc_->read_face_ap(FaceCode::b, secret(b), {.confirm_last_try = true});
    EXPECT_EQ(f.birth_date, profile_.birth_date);
    EXPECT_EQ(channel_->verify_attempts(), 1u);
    EXPECT_EQ(card_->tries_left("face_b"), 10);
}

// ---------------------------------------------------------------- misbehaving cards

// Corrupts the first READ of the EF `fid` with `change`.
void corrupt_first_read(SoftcardChannel& ch, std::uint16_t fid,
                        std::function<void(Bytes&)> change) {
    auto done = std::make_shared<bool>(false);
    ch.tamper = [fid, change, done](const LoggedApdu& c, apdu::ResponseApdu& r) {
        if (c.ins == 0xB0 && c.current_ef == fid && !*done) {
            *done = true;
            change(r.data);
        }
    };
}

TEST_F(CardTest, CertificateWithWrongTagIsMalformed) {
    corrupt_first_read(*channel_, 0x000A, [](Bytes& d) { d[0] = 0x31; });
    (void)expect_error(Errc::malformed_data,
                       [&] { (void)mnc_->read_certificate(Certificate::auth); });
    EXPECT_EQ(log().size(), 3u);
}

TEST_F(CardTest, CertificateLengthBeyondShortRangeIsMalformed) {
    corrupt_first_read(*channel_, 0x000A, [](Bytes& d) {
        d[1] = 0x82;
        d[2] = 0x80;  // 0x8000 + 4 bytes
        d[3] = 0x00;
    });
    (void)expect_error(Errc::malformed_data,
                       [&] { (void)mnc_->read_certificate(Certificate::auth); });
    EXPECT_EQ(log().size(), 3u);  // no READ beyond the first
}

TEST_F(CardTest, CertificateLengthRunningPastTheFileIsMalformed) {
    corrupt_first_read(*channel_, 0x000A, [](Bytes& d) {
        d[1] = 0x82;
        d[2] = 0x30;  // ~12 KB declared, file is ~1.5 KB: the card ends with 6B00
        d[3] = 0x00;
    });
    (void)expect_error(Errc::malformed_data,
                       [&] { (void)mnc_->read_certificate(Certificate::auth); });
    EXPECT_EQ(log().back().sw, 0x6B00);
    for (const auto& e : log()) {
        if (e.ins == 0xB0) {
            EXPECT_LE((e.p1 << 8 | e.p2), 0x7FFF);
        }
    }
}

TEST_F(CardTest, TruncatedCertificateIsMalformed) {
    // The card stops answering data after the first READ.
    channel_->tamper = [](const LoggedApdu& c, apdu::ResponseApdu& r) {
        if (c.ins == 0xB0 && (c.p1 != 0 || c.p2 != 0)) r = {{}, 0x9000};
    };
    (void)expect_error(Errc::malformed_data,
                       [&] { (void)mnc_->read_certificate(Certificate::auth); });
    // …or ends the file early with 6282.
    channel_->tamper = [](const LoggedApdu& c, apdu::ResponseApdu& r) {
        if (c.ins == 0xB0 && (c.p1 != 0 || c.p2 != 0)) {
            r.data.resize(10);
            r.sw = 0x6282;
        }
    };
    (void)expect_error(Errc::malformed_data,
                       [&] { (void)mnc_->read_certificate(Certificate::auth); });
}

TEST_F(CardTest, IndefiniteOrOversizedLengthFieldIsMalformed) {
    corrupt_first_read(*channel_, 0x000A, [](Bytes& d) { d[1] = 0x80; });
    (void)expect_error(Errc::malformed_data,
                       [&] { (void)mnc_->read_certificate(Certificate::auth); });
    corrupt_first_read(*channel_, 0x000A, [](Bytes& d) { d[1] = 0x85; });
    (void)expect_error(Errc::malformed_data,
                       [&] { (void)mnc_->read_certificate(Certificate::auth); });
}

TEST_F(CardTest, UnexpectedStatusWordsAreCardErrors) {
    channel_->tamper = [](const LoggedApdu& c, apdu::ResponseApdu& r) {
        if (c.ins == 0xB0) r = {{}, 0x6A86};
    };
    const auto e =
        expect_error(Errc::card_error, [&] { (void)mnc_->read_certificate(Certificate::auth_ca); });
    EXPECT_NE(std::string(e.what()).find("6A86"), std::string::npos);

    channel_->tamper = [](const LoggedApdu& c, apdu::ResponseApdu& r) {
        if (c.ins == 0x2A) r = {{}, 0x6985};
    };
    channel_->clear();
    (void)expect_error(Errc::card_error, [&] {
        (void)mnc_->sign(Key::auth, secret("1234"), sha256_digest_info("x"));
    });
    EXPECT_TRUE(is_select_aid(log().back(), cp().jpki_aid));

    channel_->tamper = [](const LoggedApdu& c, apdu::ResponseApdu& r) {
        if (c.ins == 0x20 && c.lc == 0) r = {{}, 0x6700};
    };
    (void)expect_error(Errc::card_error, [&] { (void)mnc_->tries_left(Pin::auth); });

    channel_->tamper = [](const LoggedApdu& c, apdu::ResponseApdu& r) {
        if (c.ins == 0xA4 && c.p1 == 0x02) r = {{}, 0x6982};
    };
    (void)expect_error(Errc::security_status,
                       [&] { (void)mnc_->read_certificate(Certificate::auth); });
}

TEST_F(CardTest, SignatureOfWrongLengthIsMalformed) {
    for (const std::size_t len : {std::size_t{255}, std::size_t{0}}) {
        channel_->clear();
        channel_->tamper = [len](const LoggedApdu& c, apdu::ResponseApdu& r) {
            if (c.ins == 0x2A) r.data.resize(len);
        };
        (void)expect_error(Errc::malformed_data, [&] {
            (void)mnc_->sign(Key::auth, secret("1234"), sha256_digest_info("x"));
        });
        EXPECT_TRUE(is_select_aid(log().back(), cp().jpki_aid));
    }
}

TEST_F(CardTest, CardRemovedMidOperationPropagatesWithoutCrash) {
    channel_->tamper = [](const LoggedApdu& c, apdu::ResponseApdu&) {
        if (c.ins == 0x2A) throw Error(Errc::card_removed, "gone");
    };
    (void)expect_error(Errc::card_removed, [&] {
        (void)mnc_->sign(Key::auth, secret("1234"), sha256_digest_info("x"));
    });
    EXPECT_EQ(channel_->depth(), 0);
    // Removed for good: the reselect guard's own failure is swallowed.
    channel_->tamper = [](const LoggedApdu& c, apdu::ResponseApdu&) {
        if (c.ins == 0x2A || c.ins == 0xA4) throw Error(Errc::card_removed, "gone");
    };
    (void)expect_error(Errc::card_removed, [&] { (void)mnc_->detect(); });
    EXPECT_EQ(channel_->depth(), 0);
}

TEST_F(CardTest, BadMyNumberFileIsMalformedAndStateReset) {
    // A wrong check digit (the last of the 12): the right one is unique, so
    // any other digit fails. (Changing another digit is not enough: the
    // check digit is 0 for two remainders, so a profile's random number
    // could stay valid.)
    corrupt_first_read(*channel_, 0x0001, [](Bytes& d) {
        d[14] = static_cast<std::uint8_t>(d[14] == '9' ? '0' : d[14] + 1);
    });
    const auto e =
        expect_error(Errc::malformed_data, [&] { (void)mnc_->read_text_ap(secret("1234")); });
    EXPECT_EQ(std::string(e.what()).find(profile_.my_number.substr(0, 4)), std::string::npos);
    EXPECT_TRUE(is_select_aid(log().back(), cp().text_aid));

    corrupt_first_read(*channel_, 0x0001, [](Bytes& d) { d[2] = 0x0B; });
    (void)expect_error(Errc::malformed_data, [&] { (void)mnc_->read_text_ap(secret("1234")); });
    corrupt_first_read(*channel_, 0x0001, [](Bytes& d) { d[5] = 'A'; });
    (void)expect_error(Errc::malformed_data, [&] { (void)mnc_->read_text_ap(secret("1234")); });
    // Short by 5 bytes and ended with 6282: not the 17 bytes the file has.
    channel_->tamper = [](const LoggedApdu& c, apdu::ResponseApdu& r) {
        if (c.ins == 0xB0 && c.current_ef == 0x0001) {
            r.data.resize(12);
            r.sw = 0x6282;
        }
    };
    (void)expect_error(Errc::malformed_data, [&] { (void)mnc_->read_text_ap(secret("1234")); });

    // Short by 5 bytes with 9000: the rest is read from offset 12.
    channel_->clear();
    channel_->tamper = [](const LoggedApdu& c, apdu::ResponseApdu& r) {
        if (c.ins == 0xB0 && c.current_ef == 0x0001 && c.p2 == 0) r.data.resize(12);
    };
    EXPECT_EQ(mnc_->read_text_ap(secret("1234")).my_number, profile_.my_number);
    ASSERT_EQ(log()[6].ins, 0xB0);
    EXPECT_EQ(log()[6].p2, 12);
    EXPECT_EQ(log()[6].le, 5u);
}

TEST_F(CardTest, BasicFourWithInnerLengthPastDataIsMalformed) {
    // DF22 (name) claims more bytes than the FF20 object holds.
    corrupt_first_read(*channel_, 0x0002, [](Bytes& d) {
        const auto outer_header = d[2] < 0x80 ? 3u : 3u + (d[2] & 0x7Fu);
        const std::size_t df22 = outer_header + 2 + 1 + 8;  // after DF21 08 …
        ASSERT_EQ(d[df22], 0xDF);
        ASSERT_EQ(d[df22 + 1], 0x22);
        d[df22 + 2] = 0x7F;
    });
    (void)expect_error(Errc::malformed_data, [&] { (void)mnc_->read_text_ap(secret("1234")); });

    // Name bytes that are not UTF-8.
    corrupt_first_read(*channel_, 0x0002, [](Bytes& d) {
        const auto outer_header = d[2] < 0x80 ? 3u : 3u + (d[2] & 0x7Fu);
        const std::size_t name = outer_header + 11 + 3;
        d[name] = 0xFF;
    });
    (void)expect_error(Errc::malformed_data, [&] { (void)mnc_->read_text_ap(secret("1234")); });

    // Outer tag wrong.
    corrupt_first_read(*channel_, 0x0002, [](Bytes& d) { d[1] = 0x21; });
    (void)expect_error(Errc::malformed_data, [&] { (void)mnc_->read_text_ap(secret("1234")); });
}

TEST_F(CardTest, FaceRecordCorruptedIsMalformed) {
    // The software card's offset table (DF21) gives the position of DF29
    // (expiry, the 8th object); its first digit becomes 'X', in whichever
    // READ carries it.
    auto target = std::make_shared<std::size_t>(0);
    channel_->tamper = [target](const LoggedApdu& c, apdu::ResponseApdu& r) {
        if (c.ins != 0xB0 || c.current_ef != 0x0002) return;
        const std::size_t offset = static_cast<std::size_t>(c.p1) << 8 | c.p2;
        if (offset == 0) {
            const std::size_t header = r.data[2] < 0x80 ? 3u : 3u + (r.data[2] & 0x7Fu);
            ASSERT_EQ(r.data[header], 0xDF);
            ASSERT_EQ(r.data[header + 1], 0x21);
            *target = be16(r.data, header + 3 + 2 * 7) + 3;
        }
        if (*target >= offset && *target < offset + r.data.size()) r.data[*target - offset] = 'X';
    };
    (void)expect_error(Errc::malformed_data,
                       [&] { (void)mnc_->read_face_ap(FaceCode::a, secret(profile_.my_number)); });
    EXPECT_TRUE(is_select_aid(log().back(), cp().face_aid));
}

}  // namespace

// --- reset by another process (architecture decision 8) ----------------------

TEST_F(CardTest, ResetWithTheSameCardIsCheckedAndContinues) {
    const Bytes cert = mnc_->read_certificate(Certificate::auth);
    channel_->simulate_reset();
    channel_->clear();
    // The identity check re-reads the auth certificate, then the operation runs.
    const auto st = mnc_->status();
    EXPECT_EQ(st.auth, 3);
    EXPECT_EQ(channel_->count_ins(0xB0), ceil256(cert.size()));
    // No reset pending: no second check.
    channel_->clear();
    (void)mnc_->status();
    EXPECT_EQ(channel_->count_ins(0xB0), 0u);
}

TEST_F(CardTest, ResetWithAnotherCardIsRefused) {
    (void)mnc_->read_certificate(Certificate::auth);
    softcard::Card other(load("contactless"));  // another holder's keys
    channel_->swap_card(other);
    channel_->clear();
    const Error e = expect_error(Errc::card_removed, [&] { (void)mnc_->tries_left(Pin::auth); });
    EXPECT_NE(std::string(e.what()).find("another card"), std::string::npos) << e.what();
    EXPECT_EQ(channel_->verify_attempts(), 0u);
    EXPECT_EQ(channel_->count_ins(0x20), 0u)
        << "nothing but the identity read reached the other card";
}

TEST_F(CardTest, ResetBeforeAnyIdentityIsKnownNeedsNoCheck) {
    channel_->simulate_reset();
    channel_->clear();
    EXPECT_EQ(mnc_->tries_left(Pin::auth), 3);
    EXPECT_EQ(channel_->count_ins(0xB0), 0u);
}

// --- decision 5: a held PIN, and a re-select that fails ----------------------

namespace {

std::string sign_apdu_hex(const Bytes& di) {
    return "802A0080" + to_hex(Bytes{static_cast<std::uint8_t>(di.size())}) + to_hex(di) + "00";
}

}  // namespace

TEST_F(CardTest, HeldPinIsSentOnlyWithTheFullCounter) {
    const Bytes di = sha256_digest_info("held");
    const card::PinOptions held{.confirm_last_try = true, .held_pin = true};
    // Full counter: the held PIN signs.
    (void)mnc_->sign(Key::auth, secret("1234"), di, held);
    // One try spent elsewhere (a wrong PIN typed in another program).
    (void)expect_error(Errc::pin_incorrect, [&] { mnc_->verify_pin(Pin::auth, secret("9999")); });
    channel_->clear();
    const Error e = expect_error(Errc::confirmation_required,
                                 [&] { (void)mnc_->sign(Key::auth, secret("1234"), di, held); });
    EXPECT_EQ(e.tries_left(), 2);
    EXPECT_EQ(channel_->verify_attempts(), 0u) << "the held PIN never reached the card";
    EXPECT_EQ(mnc_->tries_left(Pin::auth), 2);
    // A PIN the person typed just now is not held: it goes through.
    (void)mnc_->sign(Key::auth, secret("1234"), di, {});
    EXPECT_EQ(mnc_->tries_left(Pin::auth), 3);
}

TEST_F(CardTest, HeldPinIsNeverTheLastTry) {
    (void)expect_error(Errc::pin_incorrect, [&] { mnc_->verify_pin(Pin::auth, secret("9999")); });
    (void)expect_error(Errc::pin_incorrect, [&] { mnc_->verify_pin(Pin::auth, secret("9999")); });
    channel_->clear();
    // Even "confirmed": a held PIN is nobody's confirmation of a last try.
    (void)expect_error(Errc::confirmation_required, [&] {
        mnc_->verify_pin(Pin::auth, secret("1234"),
                         card::PinOptions{.confirm_last_try = true, .held_pin = true});
    });
    EXPECT_EQ(channel_->verify_attempts(), 0u);
    EXPECT_EQ(mnc_->tries_left(Pin::auth), 1);
}

TEST_F(CardTest, FailedReselectEndsTheOperationWithACardReset) {
    const Bytes di = sha256_digest_info("reset");
    // The closing SELECT of the JPKI AP never reaches the card: without a
    // card reset the verified PIN would survive the operation.
    int selects = 0;
    channel_->lose = [&](const LoggedApdu& c) {
        return c.ins == 0xA4 && c.p1 == 0x04 && ++selects == 2;
    };
    (void)mnc_->sign(Key::auth, secret("1234"), di);
    EXPECT_EQ(selects, 2);
    EXPECT_EQ(channel_->card_resets(), 1) << "the transaction ended with a card reset";
    EXPECT_EQ(channel_->depth(), 0);
    channel_->lose = nullptr;
    // What another process finds: no AP selected, nothing verified; the
    // key cannot be used without a VERIFY of its own.
    (void)channel_->raw("00A4020C020017");
    EXPECT_NE(channel_->raw(sign_apdu_hex(di).c_str()), apdu::sw::ok);
    EXPECT_EQ(channel_->raw(kSelJpki), apdu::sw::ok);
    EXPECT_EQ(channel_->raw("00A4020C020017"), apdu::sw::ok);
    EXPECT_EQ(channel_->raw(sign_apdu_hex(di).c_str()), apdu::sw::security_not_satisfied);
}

TEST_F(CardTest, NoCardResetForACardThatIsGone) {
    // The reader leaves the bus (or the card the reader) just before the
    // closing SELECT: the card has no supply left, so nothing stays
    // verified, and a reset would only wait on the vanished reader.
    for (const Errc gone : {Errc::reader_unavailable, Errc::card_removed}) {
        use("default");
        int selects = 0;
        channel_->tamper = [&](const LoggedApdu& c, apdu::ResponseApdu&) {
            if (c.ins == 0xA4 && c.p1 == 0x04 && ++selects == 2) {
                card_->reset();  // power lost
                throw Error(gone, "gone");
            }
        };
        (void)mnc_->sign(Key::auth, secret("1234"), sha256_digest_info("gone"));
        EXPECT_EQ(selects, 2);
        EXPECT_EQ(channel_->card_resets(), 0) << static_cast<int>(gone);
        EXPECT_EQ(channel_->depth(), 0);
    }
}

TEST_F(CardTest, AnsweredReselectNeedsNoCardReset) {
    (void)mnc_->sign(Key::auth, secret("1234"), sha256_digest_info("no reset"));
    EXPECT_EQ(channel_->card_resets(), 0);
}

TEST_F(CardTest, IdentityOutlivesTheCardObject) {
    // A front end keeps one identity per reader; each operation may use a
    // new MyNumberCard (the PKCS#11 module makes one per call).
    card::CardIdentity identity;
    {
        MyNumberCard first(*channel_, identity);
        (void)first.read_certificate(Certificate::auth);
    }
    softcard::Card other(load("contactless"));
    channel_->swap_card(other);
    channel_->clear();
    MyNumberCard second(*channel_, identity);
    (void)expect_error(Errc::card_removed, [&] {
        (void)second.sign(Key::auth, secret("1234"), sha256_digest_info("x"));
    });
    EXPECT_EQ(channel_->verify_attempts(), 0u) << "no PIN reached the other card";
    EXPECT_TRUE(identity.auth_certificate.empty()) << "the old card is forgotten";
}
