// qualify's view of the terminal's answers (docs/cli.md, "qualify"): the
// JSON mapping of the whole XmlMsg model, the exit code of every validity
// and processing state, the terminal's errors, and the expiry warnings.
#include <gtest/gtest.h>

#include <cstdlib>
#include <regex>
#include <set>
#include <string>

#include "cli/exit_codes.h"
#include "cli/qualification_output.h"
#include "fixtures.h"
#include "qualification/answer_json.h"

using namespace mynacard;
using namespace mynacard::cli;
using nlohmann::json;
using qualification_test::bytes;
using qualification_test::fixture;
namespace q = mynacard::qualification;

namespace {

q::XmlMsg load(const std::string& name) {
    return q::parse(bytes(fixture(name)));
}

void collect_keys(const json& value, std::set<std::string>& keys) {
    if (value.is_object()) {
        for (const auto& [k, v] : value.items()) {
            keys.insert(k);
            collect_keys(v, keys);
        }
    } else if (value.is_array()) {
        for (const auto& v : value) collect_keys(v, keys);
    }
}

class CliQualification : public ::testing::Test {
  protected:
    void SetUp() override { ::setenv("LC_ALL", "C.UTF-8", 1); }
};

TEST_F(CliQualification, EveryElementOfTheFullResultIsInTheJson) {
    const std::string text = fixture("card_result_full.xml");
    const json j = to_json(q::parse(bytes(text)));
    std::set<std::string> keys;
    collect_keys(j, keys);
    // Every element name the file uses, read from the text itself, not from
    // the model's tables. The root and the list items are not keys: the
    // root is the object, the items are array entries.
    const std::regex element("<([A-Za-z0-9]+)[ />]");
    int checked = 0;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), element);
         it != std::sregex_iterator(); ++it) {
        const std::string name = (*it)[1];
        if (name == "XmlMsg" || name == "ResultOfQualificationConfirmation" ||
            name == "SpecificDiseasesCertificateInfo")
            continue;
        EXPECT_TRUE(keys.count(name)) << name;
        ++checked;
    }
    EXPECT_GT(checked, 80);
}

TEST_F(CliQualification, CodesCarryTheirJapaneseAndEnglishLabels) {
    const json j = to_json(load("card_result_full.xml"));
    EXPECT_EQ(j["MessageBody"]["QualificationValidity"],
              (json{{"code", "1"}, {"ja", "有効"}, {"en", "valid"}}));
    const json& r = j["MessageBody"]["ResultList"][0];
    EXPECT_EQ(r["Sex2"], (json{{"code", "3"}, {"ja", "未設定"}, {"en", "not set"}}));
    EXPECT_EQ(r["PersonalFamilyClassification"]["ja"], "本人");
    EXPECT_EQ(r["InsuredPartialContributionRatio"],
              (json{{"code", "020"}, {"ja", "2割"}, {"en", "20%"}}));
    EXPECT_EQ(r["ElderlyRecipientCertificateInfo"]["ElderlyRecipientContributionRatio"]["ja"],
              "2割");
    EXPECT_EQ(r["LimitApplicationCertificateRelatedInfo"]
               ["LimitApplicationCertificateClassificationFlag"],
              (json{{"code", "B04"}, {"ja", "一般"}, {"en", "general"}}));
    EXPECT_EQ(r["SpecificDiseasesCertificateList"][1]["SpecificDiseasesDiseaseCategory"]["code"],
              "2");
    EXPECT_EQ(r["OperationInfoConsFlg"]["ja"], "同意有効期限切れ");
    // Plain text stays the file's string.
    EXPECT_EQ(r["InsurerNumber"], "06139999");
    EXPECT_EQ(r["InsuredCardSymbol"], "試験①");
    EXPECT_EQ(r["InsuredCardExpirationDate"], "20260331");
}

TEST_F(CliQualification, AbsentAndEmptyElementsDiffer) {
    const json j = to_json(load("card_result_full.xml"));
    EXPECT_EQ(j["MessageHeader"]["ErrorCode"], "");
    EXPECT_FALSE(j["MessageHeader"].contains("ReceptionNumber"));
    const json& r = j["MessageBody"]["ResultList"][0];
    EXPECT_EQ(r["DisqualificationDate"], "");
    // An empty code has no label.
    EXPECT_EQ(r["PreschoolClassification"], (json{{"code", ""}, {"ja", nullptr}, {"en", nullptr}}));
    EXPECT_FALSE(j.contains("unknown"));
    EXPECT_FALSE(r.contains("unknown"));
}

TEST_F(CliQualification, UnknownElementsAreKeptWhereTheyStood) {
    const json j = to_json(load("unknown_elements.xml"));
    EXPECT_EQ(j["MessageHeader"]["unknown"][0],
              (json{{"name", "FutureHeaderField"}, {"text", "x"}, {"children", json::array()}}));
    EXPECT_EQ(j["MessageBody"]["unknown"][0]["name"], "FutureBodyField");
    EXPECT_EQ(j["unknown"][0]["name"], "Trailer");
    const json& r = j["MessageBody"]["ResultList"][0]["unknown"];
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0]["name"], "PublicExpenseResultList");
    EXPECT_EQ(r[0]["children"][0]["children"][1]["text"], "備考 & <注>");
    EXPECT_EQ(r[1], (json{{"name", "WelfareOfficeName"},
                          {"text", "試験福祉事務所"},
                          {"children", json::array()}}));
}

TEST_F(CliQualification, TheEchoedSearchAndRegistrationAreObjects) {
    const json a = to_json(load("number_answer.xml"));
    EXPECT_EQ(a["MessageBody"]["QualificationConfirmSearchInfo"]["InsurerNumber"], "  138123");
    EXPECT_EQ(a["MessageBody"]["QualificationConfirmSearchInfo"]
               ["LimitApplicationCertificateRelatedConsFlg"]["en"],
              "agreed");
    const json r = to_json(load("registration_answer.xml"));
    EXPECT_EQ(r["MessageBody"]["ReferenceNumberRegistrationInfo"]["ReferenceNumber"], "24434");
    EXPECT_FALSE(r["MessageBody"].contains("ResultList"));
}

TEST_F(CliQualification, AHandBuiltUnknownCodeHasNoLabelAndDoesNotThrow) {
    q::XmlMsg m;
    m.body.qualification_validity = "7";
    EXPECT_EQ(to_json(m)["MessageBody"]["QualificationValidity"],
              (json{{"code", "7"}, {"ja", nullptr}, {"en", nullptr}}));
    EXPECT_EQ(qualification_verdict(m).code, exit_terminal_error);
}

TEST_F(CliQualification, EveryValidityAndStateHasItsExitCode) {
    const struct {
        const char* file;
        Exit code;
        std::string_view outcome;
    } table[] = {
        {"validity_1.xml", exit_ok, "valid"},
        {"validity_2.xml", exit_qualification_invalid, "invalid"},
        {"validity_3.xml", exit_qualification_invalid, "invalid"},
        {"validity_4.xml", exit_no_qualification, "no_qualification"},
        {"validity_5.xml", exit_multiple_matches, "multiple"},
        {"segment_9_error.xml", exit_terminal_error, "error"},
        {"segment_2_processing.xml", exit_in_progress, "in_progress"},
        {"card_result_full.xml", exit_ok, "valid"},
        // A registration answer has no validity: nothing about a person.
        {"registration_answer.xml", exit_terminal_error, "error"},
    };
    for (const auto& row : table) {
        const auto v = qualification_verdict(load(row.file));
        EXPECT_EQ(v.code, row.code) << row.file;
        EXPECT_EQ(v.outcome, row.outcome) << row.file;
    }
    // Scripts test the numbers; they follow the card's codes (docs/cli.md).
    EXPECT_EQ(exit_qualification_invalid, 11);
    EXPECT_EQ(exit_no_qualification, 12);
    EXPECT_EQ(exit_multiple_matches, 13);
    EXPECT_EQ(exit_terminal_error, 14);
    EXPECT_EQ(exit_in_progress, 15);
}

TEST_F(CliQualification, AnErrorComesBeforeTheValidity) {
    q::XmlMsg m = load("validity_1.xml");
    m.header.error_code = "E9999";
    EXPECT_EQ(qualification_verdict(m).code, exit_terminal_error);
    m.header.error_code = "";  // present but empty: no error
    EXPECT_EQ(qualification_verdict(m).code, exit_ok);
    m.body.processing_result_status = "2";
    EXPECT_EQ(qualification_verdict(m).code, exit_terminal_error);
}

TEST_F(CliQualification, TheTerminalsErrorsAreWordedForTheTerminal) {
    const Verdict t = terminal_verdict(Error(Errc::timeout, "no answer to x within 1000 ms"));
    EXPECT_EQ(t.code, exit_card_gone);  // the existing time-out code
    EXPECT_EQ(t.sentence,
              "The qualification terminal did not answer in time; the request was withdrawn.");
    const Verdict m = terminal_verdict(Error(Errc::malformed_data, "QualificationValidity"));
    EXPECT_EQ(m.code, exit_malformed);
    EXPECT_EQ(m.sentence,
              "The qualification terminal's answer is not valid: QualificationValidity");
    EXPECT_EQ(terminal_verdict(Error(Errc::not_found, "req")).code, exit_usage);
    EXPECT_EQ(terminal_verdict(Error(Errc::io, "disk")).code, exit_error);
}

TEST_F(CliQualification, EndDatesThatPassedOrComeWithinThreeMonthsAreWarned) {
    const q::XmlMsg m = load("card_result_full.xml");
    const auto w = expiry_warnings(m, q::Date{2026, 1, 15});
    // Card 2026-03-31: within three months of 2026-01-15 (up to 2026-04-15).
    // Elderly and limit 2025-07-31: passed. Disease 2026-04-30: later; the
    // other disease has no end.
    ASSERT_EQ(w.size(), 3u);
    EXPECT_EQ(w[0].element, "InsuredCardExpirationDate");
    EXPECT_EQ(w[0].expiry, Expiry::soon);
    EXPECT_EQ(w[1].element, "ElderlyRecipientValidEndDate");
    EXPECT_EQ(w[1].expiry, Expiry::expired);
    EXPECT_EQ(w[2].element, "LimitApplicationCertificateValidEndDate");
    EXPECT_EQ(to_json(w)[0], (json{{"element", "InsuredCardExpirationDate"},
                                   {"result", 0},
                                   {"date", "20260331"},
                                   {"expiry", "soon"}}));
    // The end date itself is still valid; the day after is not.
    EXPECT_TRUE(expiry_warnings(m, q::Date{2024, 12, 30}).empty());
    const auto last_day = expiry_warnings(m, q::Date{2025, 7, 31});
    ASSERT_FALSE(last_day.empty());
    EXPECT_EQ(last_day[0].expiry, Expiry::soon);
    EXPECT_EQ(expiry_warnings(m, q::Date{2025, 8, 1})[0].expiry, Expiry::expired);
    // Three months from 30 November end on 28 February.
    q::XmlMsg feb = m;
    auto& r = feb.body.result_list->at(0);
    r.elderly_recipient.reset();
    r.limit_application.reset();
    r.specific_diseases.reset();
    r.insured_card_expiration_date = "20270228";
    EXPECT_EQ(expiry_warnings(feb, q::Date{2026, 11, 30}).size(), 1u);
    r.insured_card_expiration_date = "20270301";
    EXPECT_TRUE(expiry_warnings(feb, q::Date{2026, 11, 30}).empty());
}

}  // namespace
