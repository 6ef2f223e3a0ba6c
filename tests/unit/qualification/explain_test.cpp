// Plain words for the desk: every validity, every code of the reference
// service, an unknown code, and each DeskProblem in both languages.

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "fixtures.h"
#include "qualification/explain.h"
#include "qualification/xml_msg.h"

namespace q = mynacard::qualification;
using namespace qualification_test;
using q::Language;
using q::Severity;

namespace {

constexpr Language kBoth[] = {Language::ja, Language::en};

q::XmlMsg load(const std::string& name) {
    return q::parse(bytes(fixture(name)));
}

void complete(const q::Explanation& e, const std::string& what) {
    EXPECT_FALSE(e.title.empty()) << what;
    EXPECT_FALSE(e.detail.empty()) << what;
    EXPECT_FALSE(e.next_step.empty()) << what;
}

bool has_japanese(const std::string& s) {
    // Every Japanese text has a character outside ASCII; the English ones
    // name Japanese documents (資格確認書) at most, never only.
    return s.find_first_of("\xe3\xe4\xe5\xe6\xe7\xe8\xe9") != std::string::npos;
}

// The reference service's codes (docs/qualification.md, ErrorCode table).
const char* const kCodes[] = {"MQS001", "MQS002", "MQS003", "MQS004", "MQS005", "MQS010", "MQS011",
                              "MQS012", "MQS013", "MQS014", "MQS020", "MQS030", "MQS031", "MQS032",
                              "MQS033", "MQS034", "MQS035", "MQS036", "MQS040", "MQS041", "MQS090"};

q::XmlMsg refusal(const std::string& code, const std::string& message) {
    auto m = load("segment_9_error.xml");
    m.header.error_code = code;
    m.header.error_message = message;
    return m;
}

}  // namespace

TEST(Explain, EveryValidity) {
    const struct {
        const char* file;
        Severity severity;
    } cases[] = {{"validity_1.xml", Severity::ok},
                 {"validity_2.xml", Severity::error},
                 {"validity_3.xml", Severity::warning},
                 {"validity_4.xml", Severity::error},
                 {"validity_5.xml", Severity::error}};
    for (const auto language : kBoth) {
        std::set<std::string> titles;
        for (const auto& c : cases) {
            const auto e = q::explain(load(c.file), language);
            complete(e, c.file);
            EXPECT_EQ(e.severity, c.severity) << c.file;
            titles.insert(e.title);
        }
        EXPECT_EQ(titles.size(), std::size(cases));
    }
    // The Japanese words are Japanese.
    EXPECT_TRUE(has_japanese(q::explain(load("validity_1.xml"), Language::ja).title));
    EXPECT_FALSE(has_japanese(q::explain(load("validity_1.xml"), Language::en).title));
}

TEST(Explain, LostQualificationSaysWhyAndWhatToAskFor) {
    const auto m = load("validity_2.xml");
    ASSERT_TRUE(m.body.result_list);
    ASSERT_EQ(m.body.result_list->front().reason_of_loss, "03");
    const auto en = q::explain(m, Language::en);
    EXPECT_NE(en.detail.find("joined another health insurance"), std::string::npos) << en.detail;
    EXPECT_NE(en.next_step.find("資格確認書"), std::string::npos);
    const auto ja = q::explain(m, Language::ja);
    EXPECT_NE(ja.detail.find("医療保険等の資格取得"), std::string::npos) << ja.detail;
    EXPECT_NE(ja.next_step.find("資格確認書"), std::string::npos);
}

TEST(Explain, NoRecordPointsToTheFirstRegistration) {
    const auto ja = q::explain(load("validity_4.xml"), Language::ja);
    EXPECT_NE(ja.next_step.find("初回登録"), std::string::npos);
    EXPECT_NE(ja.next_step.find("マイナポータル"), std::string::npos);
}

TEST(Explain, ProcessingAndAbnormalEnd) {
    for (const auto language : kBoth) {
        const auto processing = q::explain(load("segment_2_processing.xml"), language);
        complete(processing, "processing");
        EXPECT_EQ(processing.severity, Severity::warning);
        const auto failed = q::explain(load("segment_9_error.xml"), language);
        complete(failed, "abnormal");
        EXPECT_EQ(failed.severity, Severity::error);
        EXPECT_NE(processing.title, failed.title);
    }
}

TEST(Explain, EveryCodeOfTheReferenceServiceInWords) {
    for (const auto language : kBoth) {
        const auto unknown = q::explain(refusal("MQS999", "x"), language);
        for (const std::string code : kCodes) {
            const auto e = q::explain(refusal(code, "service text"), language);
            complete(e, code);
            EXPECT_EQ(e.severity, Severity::error) << code;
            EXPECT_NE(e.detail.find(code), std::string::npos) << code;
            // Known codes are worded, not shown as the unknown-code text.
            EXPECT_NE(e.title, unknown.title) << code;
            EXPECT_EQ(e.detail.find("service text"), std::string::npos) << code;
        }
    }
    // A few in their own words.
    EXPECT_NE(q::explain(refusal("MQS034", ""), Language::ja).next_step.find("市区町村"),
              std::string::npos);
    EXPECT_NE(q::explain(refusal("MQS013", ""), Language::en).title.find("clock"),
              std::string::npos);
}

TEST(Explain, UnknownCodeShowsTheCodeAndTheMessage) {
    for (const auto language : kBoth) {
        const auto e =
            q::explain(refusal("E1001", "要求ファイルの形式に誤りがあります。"), language);
        complete(e, "E1001");
        EXPECT_EQ(e.severity, Severity::error);
        EXPECT_NE(e.detail.find("E1001"), std::string::npos) << e.detail;
        EXPECT_NE(e.detail.find("要求ファイルの形式に誤りがあります。"), std::string::npos);
    }
    EXPECT_NE(q::explain(refusal("E1001", ""), Language::en).next_step.find("vendor"),
              std::string::npos);
}

TEST(Explain, TheGraceAnswerIsAWarning) {
    auto m = load("validity_1.xml");
    m.body.processing_result_code = "MQS060";
    for (const auto language : kBoth) {
        const auto e = q::explain(m, language);
        complete(e, "MQS060");
        EXPECT_EQ(e.severity, Severity::warning);
        EXPECT_NE(e.detail.find("MQS060"), std::string::npos);
    }
    EXPECT_NE(q::explain(m, Language::en).detail.find("no medication"), std::string::npos);
}

TEST(Explain, EachDeskProblemInBothLanguages) {
    using P = q::DeskProblem;
    const P all[] = {
        P::service_unreachable,  P::timeout,       P::malformed_answer,   P::pin_wrong,
        P::pin_blocked,          P::card_removed,  P::not_my_number_card, P::certificate_expired,
        P::certificate_expiring, P::data_withheld, P::export_pending,     P::folder_missing};
    for (const auto language : kBoth) {
        std::set<std::string> titles, details;
        for (const auto p : all) {
            const auto e = q::explain(p, language);
            complete(e, std::to_string(static_cast<int>(p)));
            EXPECT_EQ(has_japanese(e.title), language == Language::ja) << e.title;
            titles.insert(e.title);
            details.insert(e.detail);
        }
        EXPECT_EQ(titles.size(), std::size(all));
        EXPECT_EQ(details.size(), std::size(all));
    }
    // The patient's screen speaks to the patient, never about them.
    for (const auto p : all) {
        const auto ja = q::patient_step(p, Language::ja);
        const auto en = q::patient_step(p, Language::en);
        EXPECT_TRUE(has_japanese(ja)) << ja;
        EXPECT_FALSE(has_japanese(en)) << en;
        EXPECT_EQ(ja.find("患者"), std::string::npos) << ja;
        EXPECT_EQ(en.find("patient"), std::string::npos) << en;
        EXPECT_NE(ja, q::explain(p, Language::ja).next_step);
    }
    EXPECT_NE(q::patient_step(P::pin_wrong, Language::en).find("enter your PIN again"),
              std::string::npos);
    const auto blocked = q::explain(P::pin_blocked, Language::ja);
    EXPECT_EQ(blocked.severity, Severity::error);
    EXPECT_NE(blocked.next_step.find("目視確認"), std::string::npos);
    EXPECT_NE(blocked.next_step.find("市区町村"), std::string::npos);
    EXPECT_NE(q::explain(P::service_unreachable, Language::en).next_step.find("Try again"),
              std::string::npos);
}
