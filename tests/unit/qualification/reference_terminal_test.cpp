// Terminal mode of the reference service: the clinic side's own
// TerminalFolders asks by insurance numbers and registers a 照会番号, and
// the service answers in res/ as the terminal would; requests written in
// parts and malformed ones.
#include <gtest/gtest.h>

#include "core/error.h"
#include "qualification/reference_client.h"
#include "qualification/terminal_folders.h"
#include "reference_fixture.h"

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
  "InsuredBranchNumber": "01", "Name": "架空　花子", "Birthdate": "19800217",
  "LimitApplicationCertificateRelatedInfo": {
    "LimitApplicationCertificateClassification": "01",
    "LimitApplicationCertificateClassificationFlag": "A03"}
})";

auto now() {
    return std::chrono::system_clock::now();
}

XmlMsg number_query(const std::string& insurer, const std::string& number,
                    const std::string& birthdate, const std::string& limit = "1") {
    XmlMsg m;
    m.header.medical_institution_code = kInstitution;
    m.header.qualification_confirmation_date = "20261204";
    QualificationConfirmSearchInfo q;
    q.insurer_number = insurer;
    q.insured_card_symbol = "12";
    q.insured_identification_number = number;
    q.birthdate = birthdate;
    q.limit_consent_flag = limit;
    m.body.search_info = q;
    return m;
}

class ReferenceTerminalTest : public ::testing::Test {
  protected:
    void SetUp() override {
        state_ = dir_ / "state";
        terminal_ = dir_ / "terminal";
        server::init_state(state_, {kInstitution}, {});
        server::trust_ca(state_, kPki / "auth_root.pem");
        test::spit(dir_ / "record.json", kRecord);
        server::enroll(state_, kProfiles / "default" / "auth_cert.der", dir_ / "record.json");
        server::ServiceOptions o;
        o.state_dir = state_;
        o.port = 0;
        o.rate_per_second = 0;
        o.terminal_dir = terminal_;
        o.log = [](std::string_view) {};
        running_ = std::make_unique<test::RunningService>(std::move(o));
    }
    void TearDown() override { running_.reset(); }

    // Waits (bounded) for a file to appear.
    static bool appears(const fs::path& p, std::chrono::milliseconds within = 10s) {
        const auto until = std::chrono::steady_clock::now() + within;
        while (!fs::exists(p)) {
            if (std::chrono::steady_clock::now() > until) return false;
            std::this_thread::sleep_for(20ms);
        }
        return true;
    }

    test::TempDir dir_{"reference-terminal"};
    fs::path state_, terminal_;
    std::unique_ptr<test::RunningService> running_;
};

TEST_F(ReferenceTerminalTest, NumberQueryAnsweredThroughTheClinicsTerminalFolders) {
    TerminalFolders folders(terminal_);
    // Insurer numbers padded with blanks match the stored zero-padded form.
    const XmlMsg found = folders.ask(number_query("  06132013", "3456", "19800217"), 10s);
    EXPECT_EQ(found.segment(), SegmentOfResult::normal);
    EXPECT_EQ(found.reference(), ReferenceClassification::insurance_card);
    EXPECT_EQ(found.validity(), QualificationValidity::valid);
    ASSERT_TRUE(found.body.result_list);
    EXPECT_EQ(found.body.result_list->front().name, "架空　花子");
    EXPECT_EQ(found.body.result_list->front().limit_consent_flag, "1");
    EXPECT_TRUE(found.body.result_list->front().limit_application);
    ASSERT_TRUE(found.body.search_info);  // the echo of the search keys
    EXPECT_EQ(found.body.search_info->insured_identification_number, "3456");

    const XmlMsg none = folders.ask(number_query("06132013", "9999", "19800217"), 10s);
    EXPECT_EQ(none.validity(), QualificationValidity::no_qualification);
    EXPECT_FALSE(none.body.result_list);

    // The same numbers linked to a second certificate (a re-issued card): several.
    const auto root = test::load_cert(kPki / "auth_root.pem");
    const auto root_key = test::load_key(kPki / "auth_root_key.pem");
    const auto key = test::load_key(kProfiles / "default" / "auth_key.pem");
    const auto second = test::issue(key.get(), root.get(), root_key.get(), "REISSUED", now() - 24h,
                                    now() + 24h * 365, 4242);
    test::spit(dir_ / "second.pem", test::pem_of(second.get()));
    server::enroll(state_, dir_ / "second.pem", dir_ / "record.json");
    const XmlMsg several = folders.ask(number_query("06132013", "3456", "19800217"), 10s);
    EXPECT_EQ(several.validity(), QualificationValidity::multiple);

    // Shift_JIS requests are answered in Shift_JIS.
    TerminalFolders sjis(terminal_, {.request_encoding = Encoding::shift_jis});
    const XmlMsg s = sjis.ask(number_query("06132013", "9999", "19800217"), 10s);
    EXPECT_EQ(s.character_code(), Encoding::shift_jis);
}

TEST_F(ReferenceTerminalTest, ReferenceNumberRegistrationThenCardCheckCarriesIt) {
    TerminalFolders folders(terminal_);
    XmlMsg reg;
    reg.header.medical_institution_code = kInstitution;
    ReferenceNumberRegistrationInfo g;
    g.reference_number = "P-000123";
    g.insurer_number = "06132013";
    g.insured_identification_number = "3456";
    reg.body.registration = g;
    const XmlMsg answer = folders.ask(Exchange::reference_number, reg, 10s);
    EXPECT_EQ(answer.status(), ProcessingResultStatus::normal);
    EXPECT_FALSE(answer.header.error_code);

    g.insured_identification_number = "0000";
    reg.body.registration = g;
    EXPECT_EQ(folders.ask(Exchange::reference_number, reg, 10s).header.error_code, "MQS040");

    const XmlMsg found = folders.ask(number_query("06132013", "3456", "19800217"), 10s);
    ASSERT_TRUE(found.body.result_list);
    EXPECT_EQ(found.body.result_list->front().reference_number, "P-000123");
}

TEST_F(ReferenceTerminalTest, RequestWrittenInPartsIsAnsweredOnceComplete) {
    const Bytes whole = write(number_query("06132013", "3456", "19800217"), Encoding::utf8);
    const auto req = terminal_ / "req" / "OQSsiquc01req_parts1.xml";
    const auto res = terminal_ / "res" / "OQSsiquc01res_parts1.xml";
    {
        std::ofstream out(req, std::ios::binary);
        out.write(reinterpret_cast<const char*>(whole.data()),
                  static_cast<std::streamsize>(whole.size() / 2));
    }
    // A writer pausing longer than the settle time: the half file is tried,
    // does not parse, and is given time to be completed.
    std::this_thread::sleep_for(700ms);
    EXPECT_FALSE(fs::exists(res));
    {
        std::ofstream out(req, std::ios::binary | std::ios::app);
        out.write(reinterpret_cast<const char*>(whole.data() + whole.size() / 2),
                  static_cast<std::streamsize>(whole.size() - whole.size() / 2));
    }
    ASSERT_TRUE(appears(res));
    const XmlMsg answer = parse(to_bytes(test::slurp(res)));
    EXPECT_EQ(answer.validity(), QualificationValidity::valid);
    EXPECT_EQ(answer.header.arbitrary_file_identifier, "parts1");
    // Answered requests are removed (right after the answer is written).
    const auto until = std::chrono::steady_clock::now() + 10s;
    while (fs::exists(req) && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(20ms);
    EXPECT_FALSE(fs::exists(req));
}

TEST_F(ReferenceTerminalTest, MalformedRequestGetsAnErrorAnswerAndNoCrash) {
    const auto req = terminal_ / "req" / "OQSsiquc01req_bad1.xml";
    test::spit(req, "<XmlMsg><MessageHeader><Medical");
    const auto res = terminal_ / "res" / "OQSsiquc01res_bad1.xml";
    ASSERT_TRUE(appears(res));
    const XmlMsg answer = parse(to_bytes(test::slurp(res)));
    EXPECT_EQ(answer.segment(), SegmentOfResult::abnormal);
    EXPECT_EQ(answer.header.error_code, "MQS001");
    EXPECT_EQ(answer.header.arbitrary_file_identifier, "bad1");
    // A request without search keys, and a file that is no request, are handled too.
    XmlMsg empty;
    empty.header.medical_institution_code = kInstitution;
    TerminalFolders folders(terminal_);
    EXPECT_EQ(folders.ask(empty, 10s).header.error_code, "MQS001");
    test::spit(terminal_ / "req" / "notes.txt", "x");
    const XmlMsg ok = folders.ask(number_query("06132013", "3456", "19800217"), 10s);
    EXPECT_EQ(ok.validity(), QualificationValidity::valid);
}

}  // namespace
