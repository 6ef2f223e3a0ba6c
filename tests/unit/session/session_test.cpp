// middleware/session: reader choice, one connection per card, the same-card
// identity, recovery after a card-service restart (decision 8) and the
// audit trail (decision 11), against software cards in test readers.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "audit/audit.h"
#include "core/error.h"
#include "session/session.h"
#include "softcard/profile.h"
#include "support/softcard_source.h"
#include "support/temp_dir.h"
#include "x509/x509.h"

using namespace mynacard;
using session::AuditTrail;
using session::AuditWrite;
using session::NoReader;
using session::Session;
using session::Subject;
using test_support::Bench;
using test_support::SoftcardSource;

namespace {

std::shared_ptr<softcard::Card> card(const std::string& variant = "default") {
    return std::make_shared<softcard::Card>(
        softcard::load_profile(std::filesystem::path(MYNACARD_TEST_PROFILES) / variant));
}

class SessionTest : public ::testing::Test {
  protected:
    void SetUp() override {
        bench_ = std::make_shared<Bench>();
        log_ = dir_.path() / "audit.jsonl";
    }
    Session make(AuditWrite mode = AuditWrite::best_effort) {
        return Session(std::make_unique<SoftcardSource>(bench_), AuditTrail(log_, mode));
    }
    std::vector<audit::Entry> entries() const { return audit::Log(log_).read(); }

    test::TempDir dir_;
    std::shared_ptr<Bench> bench_;
    std::filesystem::path log_;
};

TEST_F(SessionTest, ReaderChoiceExactThenTheOnlyPartialMatchThenFirstWithACard) {
    auto s = make();
    EXPECT_EQ(s.find_reader("").reason, NoReader::none_connected);
    bench_->add("Sony RC-S300 00 00");
    bench_->add("Sony RC-S300 01 00", card());
    bench_->add("ACS ACR39U 00 00");
    EXPECT_EQ(s.find_reader("").reader, "Sony RC-S300 01 00");  // the first with a card
    EXPECT_EQ(s.find_reader("ACR39").reader, "ACS ACR39U 00 00");
    EXPECT_EQ(s.find_reader("Sony RC-S300 00 00").reader, "Sony RC-S300 00 00");
    const auto ambiguous = s.find_reader("RC-S300");
    EXPECT_FALSE(ambiguous.reader);
    EXPECT_EQ(ambiguous.reason, NoReader::no_match);
    bench_->remove("Sony RC-S300 01 00");
    const auto none = s.find_reader("");
    EXPECT_FALSE(none.reader);
    EXPECT_EQ(none.reason, NoReader::no_card);
}

TEST_F(SessionTest, ReadersShowEachCardsAtrWithoutAnyApdu) {
    const auto in = card();
    bench_->add("R", in);
    bench_->add("E");
    auto s = make();
    const auto readers = s.readers();
    ASSERT_EQ(readers.size(), 2U);
    EXPECT_FALSE(readers[0].atr.empty());
    EXPECT_EQ(readers[0].atr, in->atr());
    EXPECT_TRUE(readers[1].atr.empty());  // no card, no ATR
    EXPECT_TRUE(bench_->log.empty());     // decision 6: nothing sent to learn it
}

TEST_F(SessionTest, OneConnectionPerCardAndTheCardsIdentityKeptBetweenOperations) {
    bench_->add("R", card());
    auto s = make();
    (void)s.readers();
    const Bytes der = s.use(
        "R", [](card::MyNumberCard& c) { return c.read_certificate(card::Certificate::auth); });
    EXPECT_EQ(s.known_card("R"), der);  // the same-card check has something to check against
    (void)s.use("R", [](card::MyNumberCard& c) { return c.tries_left(card::Pin::auth); });
    (void)s.readers();
    (void)s.use("R", [](card::MyNumberCard& c) { return c.tries_left(card::Pin::auth); });
    EXPECT_EQ(bench_->connects, 1);
}

TEST_F(SessionTest, ACardPutInIsANewCardNothingOfTheOldOneIsKept) {
    bench_->add("R", card());
    auto s = make();
    (void)s.readers();
    (void)s.use("R",
                [](card::MyNumberCard& c) { return c.read_certificate(card::Certificate::auth); });
    bench_->remove("R");
    bench_->insert("R", card("contactless"));  // between two polls: present both times
    (void)s.readers();
    EXPECT_TRUE(s.known_card("R").empty());
    (void)s.use("R", [](card::MyNumberCard& c) { return c.tries_left(card::Pin::auth); });
    EXPECT_EQ(bench_->connects, 2);
}

TEST_F(SessionTest, AnOperationThatFindsTheCardGoneForgetsItAndReportsRemoval) {
    bench_->add("R", card());
    auto s = make();
    (void)s.use("R",
                [](card::MyNumberCard& c) { return c.read_certificate(card::Certificate::auth); });
    bench_->remove("R");
    bench_->insert("R", card());
    try {
        (void)s.use("R", [](card::MyNumberCard& c) { return c.tries_left(card::Pin::auth); });
        FAIL() << "the old connection reached the new card";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), Errc::card_removed);
    }
    EXPECT_TRUE(s.known_card("R").empty());
    EXPECT_EQ(s.use("R", [](card::MyNumberCard& c) { return c.tries_left(card::Pin::auth); }), 3);
    EXPECT_EQ(bench_->connects, 2);
}

TEST_F(SessionTest, AServiceRestartGetsOneNewContextThenTheCallerHears) {
    bench_->add("R", card());
    auto s = make();
    (void)s.use("R", [](card::MyNumberCard& c) { return c.tries_left(card::Pin::auth); });
    bench_->stopped_calls = 1;  // pcscd restarted: the old context answers "no service" once
    EXPECT_EQ(s.restarts(), 0U);
    EXPECT_EQ(s.readers().size(), 1U);
    EXPECT_EQ(bench_->restarts, 1);
    EXPECT_EQ(s.restarts(), 1U);  // a front end learns its cards are new ones
    EXPECT_EQ(s.use("R", [](card::MyNumberCard& c) { return c.tries_left(card::Pin::auth); }), 3);
    EXPECT_EQ(bench_->connects, 2);  // the old connection went with the old context

    bench_->stopped_calls = 2;  // still down after the new context
    EXPECT_THROW((void)s.readers(), Error);
    EXPECT_EQ(bench_->restarts, 3);
    EXPECT_EQ(s.restarts(), 3U);
}

TEST_F(SessionTest, AConnectThatMeetsARestartedServiceIsTriedOnceMore) {
    bench_->add("R", card());
    auto s = make();
    bench_->stopped_calls = 1;
    EXPECT_EQ(s.use("R", [](card::MyNumberCard& c) { return c.tries_left(card::Pin::auth); }), 3);
    EXPECT_EQ(bench_->restarts, 1);
    EXPECT_EQ(s.restarts(), 1U);
}

TEST_F(SessionTest, AuditedRecordsSuccessWithTheCertificateAndFailureWithItsResult) {
    bench_->add("R", card());
    auto s = make();
    const Bytes der =
        s.audited("R", audit::Operation::read_certificate, Subject::of(card::Certificate::auth),
                  [](card::MyNumberCard& c, Subject& subject) {
                      Bytes d = c.read_certificate(card::Certificate::auth);
                      subject.certificate(d);
                      return d;
                  });
    const SecureBytes wrong{'9', '9', '9', '9'};
    EXPECT_THROW(s.audited("R", audit::Operation::login, Subject::of(card::Pin::auth),
                           [&](card::MyNumberCard& c) { c.verify_pin(card::Pin::auth, wrong); }),
                 Error);
    EXPECT_THROW(s.audited("R", audit::Operation::pin_status, Subject(),
                           [](card::MyNumberCard&) -> int { throw std::runtime_error("bug"); }),
                 std::runtime_error);

    const auto e = entries();
    ASSERT_EQ(e.size(), 3U);
    EXPECT_EQ(e[0].event.operation, audit::Operation::read_certificate);
    EXPECT_EQ(e[0].event.result, audit::Result::ok);
    EXPECT_EQ(e[0].event.reader, "R");
    EXPECT_EQ(e[0].event.key, "auth");
    EXPECT_EQ(e[0].event.cert_serial_hash,
              audit::serial_hash(x509::Certificate::from_der(der).serial()));
    EXPECT_EQ(bench_->verify_attempts(), 1U);
    EXPECT_EQ(e[1].event.result, audit::Result::pin_incorrect);
    EXPECT_EQ(e[1].event.key, "auth");
    EXPECT_EQ(e[2].event.result, audit::Result::error);
    EXPECT_EQ(e[2].event.key, "");
}

TEST_F(SessionTest, SubjectsNameTheHoldersKeysOnly) {
    EXPECT_EQ(Subject::of(card::Pin::auth).key(), "auth");
    EXPECT_EQ(Subject::of(card::Pin::sign).key(), "sign");
    EXPECT_EQ(Subject::of(card::Pin::text).key(), "text");
    EXPECT_EQ(Subject::of(card::Key::sign).key(), "sign");
    EXPECT_EQ(Subject::of(card::Certificate::sign).key(), "sign");
    EXPECT_EQ(Subject::of(card::Certificate::auth_ca).key(), "");
    Subject s = Subject::of(card::Certificate::auth);
    s.certificate(Bytes{0x30, 0x03, 0x02, 0x01});  // not a certificate: nothing to name
    EXPECT_EQ(s.serial_hash(), "");
}

TEST_F(SessionTest, AnUnwritableLogFailsTheOperationOnlyWhereTheAuditIsRequired) {
    bench_->add("R", card());
    // A directory where the log file should be: no one, root included, can
    // append to it.
    log_ = dir_.path() / "audit.jsonl";
    std::filesystem::create_directory(log_);
    auto lenient = make(AuditWrite::best_effort);
    EXPECT_EQ(lenient.audited("R", audit::Operation::pin_status, Subject::of(card::Pin::auth),
                              [](card::MyNumberCard& c) { return c.tries_left(card::Pin::auth); }),
              3);
    EXPECT_TRUE(lenient.trail().last_write_failed());
    auto strict = make(AuditWrite::required);
    try {
        (void)strict.audited("R", audit::Operation::pin_status, Subject::of(card::Pin::auth),
                             [](card::MyNumberCard& c) { return c.tries_left(card::Pin::auth); });
        FAIL() << "an unrecorded use went through";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), Errc::io);
    }
}

}  // namespace
