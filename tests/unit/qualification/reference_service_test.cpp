// The reference qualification service (mynacard-qualification-server) and
// its client, in-process on loopback: a card check with the software card,
// then each refusal with its own ErrorCode (docs/qualification.md).
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "qualification/reference_client.h"
#include "qualification/terminal_folders.h"
#include "qualification_server/answers.h"
#include "reference_fixture.h"
#include "session/session.h"
#include "softcard/profile.h"
#include "support/softcard_source.h"
#include "x509/x509.h"

using namespace mynacard;
using namespace mynacard::qualification;
using namespace std::chrono_literals;
using test::kInstitution;
using test::kPki;
using test::kProfiles;
using test::TimePoint;
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kRecord = R"({
  "InsuredCardClassification": "01", "InsurerNumber": "06132013",
  "InsuredCardSymbol": "12", "InsuredIdentificationNumber": "3456",
  "InsuredBranchNumber": "01", "PersonalFamilyClassification": "1",
  "Name": "架空　花子", "NameKana": "ｶｸｳ ﾊﾅｺ", "Sex1": "2", "Birthdate": "19800217",
  "InsurerName": "架空健康保険組合",
  "LimitApplicationCertificateRelatedInfo": {
    "LimitApplicationCertificateClassification": "01",
    "LimitApplicationCertificateClassificationFlag": "A03"}
})";

auto now() {
    return std::chrono::system_clock::now();
}

class ReferenceServiceTest : public ::testing::Test {
  protected:
    void SetUp() override {
        state_ = dir_ / "state";
        server::init_state(state_, {kInstitution}, {});
        server::trust_ca(state_, kPki / "auth_root.pem");
        test::spit(dir_ / "record.json", kRecord);
        root_ = test::load_cert(kPki / "auth_root.pem");
        root_key_ = test::load_key(kPki / "auth_root_key.pem");
        card_key_ = test::load_key(kProfiles / "default" / "auth_key.pem");
    }

    server::ServiceOptions options() {
        server::ServiceOptions o;
        o.state_dir = state_;
        o.port = 0;
        o.threads = 4;
        o.rate_per_second = 0;
        o.terminal_dir = dir_ / "terminal";
        o.log = [this](std::string_view line) {
            const std::lock_guard lock(log_mutex_);
            log_ += std::string(line) + "\n";
        };
        return o;
    }

    // A certificate for the default card's key, from the test JPKI root.
    Bytes issue(TimePoint not_before, TimePoint not_after, long serial) {
        auto c = test::issue(card_key_.get(), root_.get(), root_key_.get(), "TESTCARD", not_before,
                             not_after, serial);
        return test::der_of(c.get());
    }
    fs::path save(const Bytes& der, const std::string& name) {
        const auto p = dir_ / name;
        test::spit(p, std::string(der.begin(), der.end()));
        return p;
    }
    CardSigner key_signer() {
        return [this](ByteView di) { return test::sign_digest_info(card_key_.get(), di); };
    }
    ReferenceClient client(const test::RunningService& s) {
        return ReferenceClient(s.url(), state_ / "server.pem", 10s);
    }
    static std::string code(const XmlMsg& m) { return m.header.error_code.value_or(""); }

    test::TempDir dir_{"reference-service"};
    fs::path state_;
    test::Cert root_;
    test::Key root_key_, card_key_;
    std::mutex log_mutex_;
    std::string log_;
};

TEST_F(ReferenceServiceTest, CardCheckWithTheSoftwareCardAnswersTheRecordAndDropsAFaceFile) {
    const fs::path cert = kProfiles / "default" / "auth_cert.der";
    server::enroll(state_, cert, dir_ / "record.json");
    test::RunningService running(options());

    auto bench = std::make_shared<test_support::Bench>();
    bench->add("R",
               std::make_shared<softcard::Card>(softcard::load_profile(kProfiles / "default")));
    session::Session s(std::make_unique<test_support::SoftcardSource>(bench),
                       session::AuditTrail(dir_ / "audit.jsonl", session::AuditWrite::best_effort));
    const Bytes der = s.use(
        "R", [](card::MyNumberCard& c) { return c.read_certificate(card::Certificate::auth); });
    const CardSigner card_signer = [&](ByteView di) {
        return s.use("R", [&](card::MyNumberCard& c) {
            const SecureBytes pin{'1', '2', '3', '4'};
            return c.sign(card::Key::auth, pin, di);
        });
    };
    const XmlMsg answer = client(running).check({kInstitution, parse_consents("medication, limit")},
                                                der, card_signer);

    EXPECT_EQ(answer.segment(), SegmentOfResult::normal);
    EXPECT_EQ(answer.reference(), ReferenceClassification::my_number_card);
    EXPECT_EQ(answer.status(), ProcessingResultStatus::normal);
    EXPECT_EQ(answer.validity(), QualificationValidity::valid);
    EXPECT_FALSE(answer.header.error_code);
    EXPECT_EQ(answer.header.medical_institution_code, kInstitution);
    ASSERT_TRUE(answer.body.result_list);
    ASSERT_EQ(answer.body.result_list->size(), 1U);
    const auto& r = answer.body.result_list->front();
    EXPECT_EQ(r.name, "架空　花子");
    EXPECT_EQ(r.insurer_number, "06132013");
    EXPECT_EQ(r.pharmacists_consent_flag, "1");
    EXPECT_TRUE(r.pharmacists_consent_time);
    EXPECT_EQ(r.diagnosis_consent_flag, "0");
    EXPECT_FALSE(r.diagnosis_consent_time);
    EXPECT_EQ(r.limit_consent_flag, "1");
    EXPECT_TRUE(r.limit_application);  // consented: the 限度額 data are shown
    EXPECT_EQ(r.specific_diseases_consent_flag, "0");

    // The consents are stored with their time, one row per item.
    auto store = server::Store::open(state_);
    const auto stored = store.record_for(server::key_of(x509::Certificate::from_file(cert)));
    ASSERT_TRUE(stored);
    EXPECT_EQ(store.consent_rows(stored->id), 6U);

    // Terminal mode: the same result in face/, as a card check result.
    const auto face = dir_ / "terminal" / "face" /
                      ("OQSsiquc01res_face_" + *answer.header.arbitrary_file_identifier + ".xml");
    ASSERT_TRUE(fs::exists(face));
    EXPECT_EQ(parse(to_bytes(test::slurp(face))), answer);

    // Decision 11: the log has codes and a certificate tag, no personal data.
    const std::lock_guard lock(log_mutex_);
    EXPECT_NE(log_.find("op=check result=answered validity=1"), std::string::npos);
    for (const std::string_view secret : {"花子", "3456", "06132013", "19800217"})
        EXPECT_EQ(log_.find(secret), std::string::npos) << secret;
}

TEST_F(ReferenceServiceTest, BadSignatureIsRefused) {
    test::RunningService running(options());
    const Bytes der = issue(now() - 24h, now() + 24h * 365, 1001);
    const XmlMsg answer = client(running).check({kInstitution, {}}, der, [&](ByteView di) {
        Bytes sig = test::sign_digest_info(card_key_.get(), di);
        sig[sig.size() / 2] ^= 0x01;
        return sig;
    });
    EXPECT_EQ(answer.segment(), SegmentOfResult::abnormal);
    EXPECT_EQ(code(answer), "MQS031");
    EXPECT_TRUE(answer.header.error_message);
    EXPECT_FALSE(answer.body.result_list);
}

TEST_F(ReferenceServiceTest, CertificateFromAnotherCaIsRefused) {
    test::RunningService running(options());
    const auto other_key = test::new_rsa_key();
    const auto other_root = test::issue(other_key.get(), nullptr, other_key.get(), "OTHER ROOT",
                                        now() - 24h, now() + 24h * 3650, 1, true);
    const auto leaf = test::issue(card_key_.get(), other_root.get(), other_key.get(), "TESTCARD",
                                  now() - 24h, now() + 24h * 365, 2);
    const XmlMsg answer =
        client(running).check({kInstitution, {}}, test::der_of(leaf.get()), key_signer());
    EXPECT_EQ(code(answer), "MQS032");
    // And enrolling it is refused too: the service links only certificates it trusts.
    EXPECT_THROW(
        server::enroll(state_, save(test::der_of(leaf.get()), "other.der"), dir_ / "record.json"),
        Error);
}

TEST_F(ReferenceServiceTest, ExpiredInGraceAnswersQualificationOnly) {
    const Bytes der = issue(now() - 24h * 400, now() - 24h * 3, 1002);
    server::enroll(state_, save(der, "grace.der"), dir_ / "record.json");
    test::RunningService running(options());
    const XmlMsg answer = client(running).check(
        {kInstitution, parse_consents("medication,checkups,diagnosis,operation,limit")}, der,
        key_signer());
    EXPECT_FALSE(answer.header.error_code);
    EXPECT_EQ(answer.validity(), QualificationValidity::valid);
    EXPECT_EQ(answer.body.processing_result_code, std::string(server::kGraceCode));
    ASSERT_TRUE(answer.body.processing_result_message);
    EXPECT_NE(answer.body.processing_result_message->find("not honoured"), std::string::npos);
    ASSERT_TRUE(answer.body.result_list);
    const auto& r = answer.body.result_list->front();
    EXPECT_EQ(r.pharmacists_consent_flag, "0");
    EXPECT_EQ(r.health_checkups_consent_flag, "0");
    EXPECT_EQ(r.diagnosis_consent_flag, "0");
    EXPECT_EQ(r.operation_consent_flag, "0");
    EXPECT_EQ(r.limit_consent_flag, "1");  // part of the qualification
}

TEST_F(ReferenceServiceTest, ExpiredPastGraceIsRefused) {
    // The `expired` profile's certificate ended in February 2025.
    const fs::path cert = kProfiles / "expired" / "auth_cert.der";
    const auto expired_key = test::load_key(kProfiles / "expired" / "auth_key.pem");
    test::RunningService running(options());
    const XmlMsg answer = client(running).check(
        {kInstitution, {}}, to_bytes(test::slurp(cert)),
        [&](ByteView di) { return test::sign_digest_info(expired_key.get(), di); });
    EXPECT_EQ(code(answer), "MQS034");
}

TEST_F(ReferenceServiceTest, GraceEndsWithTheThirdMonthAfterTheMonthOfExpiry) {
    // Expiry 2025-02-17 23:59:59 JST → usable until 2025-05-31 23:59:59 JST.
    const auto expiry = std::chrono::sys_days{2025y / 2 / 17} + 14h + 59min + 59s;
    const auto end = server::grace_end(expiry);
    EXPECT_EQ(end, std::chrono::sys_days{2025y / 5 / 31} + 14h + 59min + 59s);
    EXPECT_EQ(server::jst_date(end), "20250531");
    // Across a year: November → end of February.
    EXPECT_EQ(server::jst_date(server::grace_end(std::chrono::sys_days{2025y / 11 / 10})),
              "20260228");
}

TEST_F(ReferenceServiceTest, RevokedByCommandAndByCrlAreRefusedEachWithItsCode) {
    const Bytes revoked = issue(now() - 24h, now() + 24h * 365, 1003);
    const Bytes listed = issue(now() - 24h, now() + 24h * 365, 1004);
    for (const auto& der : {revoked, listed})
        server::enroll(state_, save(der, "c.der"), dir_ / "record.json");
    server::revoke(state_, save(revoked, "revoked.der"));
    test::spit(dir_ / "root.crl", test::make_crl(root_.get(), root_key_.get(), {1004, 77}));
    EXPECT_EQ(server::import_crl(state_, dir_ / "root.crl"), 2U);
    // A CRL that no trusted CA signed revokes nothing.
    const auto other_key = test::new_rsa_key();
    const auto other = test::issue(other_key.get(), nullptr, other_key.get(), "OTHER", now() - 24h,
                                   now() + 24h, 5, true);
    test::spit(dir_ / "other.crl", test::make_crl(other.get(), other_key.get(), {1005}));
    EXPECT_THROW((void)server::import_crl(state_, dir_ / "other.crl"), Error);

    test::RunningService running(options());
    EXPECT_EQ(code(client(running).check({kInstitution, {}}, revoked, key_signer())), "MQS035");
    EXPECT_EQ(code(client(running).check({kInstitution, {}}, listed, key_signer())), "MQS036");
    const Bytes fine = issue(now() - 24h, now() + 24h * 365, 1005);
    EXPECT_FALSE(client(running).check({kInstitution, {}}, fine, key_signer()).header.error_code);
}

TEST_F(ReferenceServiceTest, UnknownCertificateAnswersValidity4) {
    test::RunningService running(options());
    const Bytes der = issue(now() - 24h, now() + 24h * 365, 1006);
    const XmlMsg answer = client(running).check({kInstitution, {}}, der, key_signer());
    EXPECT_FALSE(answer.header.error_code);
    EXPECT_EQ(answer.segment(), SegmentOfResult::normal);
    EXPECT_EQ(answer.validity(), QualificationValidity::no_qualification);
    EXPECT_FALSE(answer.body.result_list);
    // The same answer with the bytes the service sent: they parse to it.
    const auto received = client(running).check_received({kInstitution, {}}, der, key_signer());
    ASSERT_FALSE(received.bytes.empty());
    EXPECT_EQ(parse(received.bytes), received.message);
    EXPECT_EQ(received.message.validity(), QualificationValidity::no_qualification);
}

TEST_F(ReferenceServiceTest, InstitutionNotAcceptedIsRefused) {
    test::RunningService running(options());
    const Bytes der = issue(now() - 24h, now() + 24h * 365, 1007);
    EXPECT_EQ(code(client(running).check({"9999999999", {}}, der, key_signer())), "MQS020");
    EXPECT_THROW((void)client(running).check({"12345", {}}, der, key_signer()), Error);
}

}  // namespace
