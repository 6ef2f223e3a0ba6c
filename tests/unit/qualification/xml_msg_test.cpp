#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error.h"
#include "fixtures.h"
#include "qualification/labels.h"
#include "qualification/xml_msg.h"

namespace q = mynacard::qualification;
using mynacard::Errc;
using mynacard::Error;
using namespace qualification_test;

namespace {

q::XmlMsg parse_fixture(const std::string& name) {
    return q::parse(bytes(fixture(name)));
}

// The error parse() throws for `text`, or a test failure.
Error parse_error(const std::string& text) {
    try {
        (void)q::parse(bytes(text));
    } catch (const Error& e) {
        return e;
    }
    ADD_FAILURE() << "parsed without an error";
    return Error(Errc::internal, "");
}

const std::vector<std::string> kValidFixtures{
    "card_result_full.xml",
    "validity_1.xml",
    "validity_2.xml",
    "validity_3.xml",
    "validity_4.xml",
    "validity_5.xml",
    "segment_2_processing.xml",
    "segment_9_error.xml",
    "number_request.xml",
    "number_answer.xml",
    "registration_request.xml",
    "registration_answer.xml",
    "quirks.xml",
    "unknown_elements.xml",
};

}  // namespace

TEST(XmlMsg, CardResultWithEveryElement) {
    const auto m = parse_fixture("card_result_full.xml");
    EXPECT_EQ(m.header.process_execution_time, "20250301093015");
    EXPECT_EQ(m.header.medical_institution_code, "1312345678");
    EXPECT_EQ(m.header.arbitrary_file_identifier, "face0001");
    EXPECT_EQ(m.reference(), q::ReferenceClassification::my_number_card);
    EXPECT_EQ(m.segment(), q::SegmentOfResult::normal);
    EXPECT_EQ(m.header.error_code, "");  // <ErrorCode/>: present and empty
    EXPECT_EQ(m.character_code(), q::Encoding::utf8);
    EXPECT_EQ(m.status(), q::ProcessingResultStatus::normal);
    EXPECT_EQ(m.validity(), q::QualificationValidity::valid);
    EXPECT_EQ(m.body.prescription_issue_select, "1");
    ASSERT_TRUE(m.body.result_list);
    ASSERT_EQ(m.body.result_list->size(), 1u);
    const auto& r = m.body.result_list->front();
    EXPECT_EQ(r.insured_card_symbol, "試験①");
    EXPECT_EQ(r.name, "髙橋　試験");
    EXPECT_EQ(r.name_kana, "ﾀｶﾊｼ ｼｹﾝ");
    EXPECT_EQ(r.address, "東京都千代田区試験町１－２－３　㈱試験ビル");
    EXPECT_EQ(r.sex1, "1");
    EXPECT_EQ(r.sex2, "3");
    EXPECT_EQ(r.insured_partial_contribution_ratio, "020");
    EXPECT_EQ(r.disqualification_date, "");
    ASSERT_TRUE(r.elderly_recipient);
    EXPECT_EQ(r.elderly_recipient->contribution_ratio, "020");
    ASSERT_TRUE(r.limit_application);
    EXPECT_EQ(r.limit_application->classification_flag, "B04");
    EXPECT_EQ(r.limit_consent_time, "20250301093000");
    ASSERT_TRUE(r.specific_diseases);
    ASSERT_EQ(r.specific_diseases->size(), 2u);
    EXPECT_EQ((*r.specific_diseases)[1].disease_category, "2");
    EXPECT_EQ((*r.specific_diseases)[0].self_pay, "10000");
    EXPECT_EQ(r.pharmacists_available_time, "20250302093002");
    EXPECT_EQ(r.health_checkups_consent_flag, "0");
    EXPECT_EQ(r.diagnosis_consent_time, "20250301093003");
    EXPECT_EQ(r.operation_consent_flag, "2");
    EXPECT_EQ(r.reference_number, "P-000123");
    EXPECT_TRUE(r.unknown.empty());
    EXPECT_TRUE(m.header.unknown.empty());
    EXPECT_TRUE(m.body.unknown.empty());
    EXPECT_EQ(q::parse_date(r.birthdate, "Birthdate"), (q::Date{1950, 1, 2}));
}

TEST(XmlMsg, EachValidityCode) {
    const std::vector<q::QualificationValidity> expected{
        q::QualificationValidity::valid, q::QualificationValidity::invalid,
        q::QualificationValidity::invalid_new_qualification,
        q::QualificationValidity::no_qualification, q::QualificationValidity::multiple};
    for (int v = 1; v <= 5; ++v) {
        const auto m = parse_fixture("validity_" + std::to_string(v) + ".xml");
        EXPECT_EQ(m.validity(), expected[static_cast<std::size_t>(v - 1)]) << v;
        EXPECT_FALSE(
            q::label(q::CodeTable::qualification_validity, std::to_string(v), q::Language::ja)
                .empty());
    }
    const auto lost = parse_fixture("validity_2.xml");
    EXPECT_EQ(lost.body.result_list->front().reason_of_loss, "03");
    EXPECT_EQ(q::label(q::CodeTable::reason_of_loss, "03", q::Language::ja),
              "医療保険等の資格取得");
    EXPECT_FALSE(parse_fixture("validity_4.xml").body.result_list);
    EXPECT_TRUE(parse_fixture("validity_5.xml").body.result_list->empty());
}

TEST(XmlMsg, ProcessingAndAbnormalEndCarryErrorCodes) {
    const auto processing = parse_fixture("segment_2_processing.xml");
    EXPECT_EQ(processing.segment(), q::SegmentOfResult::processing);
    EXPECT_EQ(processing.header.error_code, "W0001");
    EXPECT_EQ(processing.header.reception_number, "R20250301000001");
    EXPECT_FALSE(processing.status());
    const auto failed = parse_fixture("segment_9_error.xml");
    EXPECT_EQ(failed.segment(), q::SegmentOfResult::abnormal);
    EXPECT_EQ(failed.header.error_code, "E1001");
    EXPECT_EQ(failed.header.error_message, "要求ファイルの形式に誤りがあります。");
    EXPECT_EQ(failed.status(), q::ProcessingResultStatus::error);
    EXPECT_EQ(failed.body.processing_result_code, "E1001");
}

TEST(XmlMsg, NumberBasedRequestAndAnswer) {
    const auto request = parse_fixture("number_request.xml");
    ASSERT_TRUE(request.body.search_info);
    const auto& keys = *request.body.search_info;
    EXPECT_EQ(keys.insurer_number, "  138123");  // kept as written
    EXPECT_EQ(keys.limit_consent_flag, "1");
    const auto answer = parse_fixture("number_answer.xml");
    ASSERT_TRUE(answer.body.search_info);
    EXPECT_EQ(answer.body.search_info, request.body.search_info);  // the echo
    const auto& r = answer.body.result_list->front();
    EXPECT_EQ(q::normalized_insurer_number(*r.insurer_number),
              q::normalized_insurer_number(*keys.insurer_number));
    EXPECT_EQ(q::normalized_insurer_number("00138123"), "00138123");
    EXPECT_EQ(q::normalized_insurer_number(" 06139999 "), "06139999");
}

TEST(XmlMsg, ReferenceNumberRegistration) {
    const auto request = parse_fixture("registration_request.xml");
    ASSERT_TRUE(request.body.registration);
    EXPECT_EQ(request.header.arbitrary_file_identifier, "reg0001");  // <… > with a blank
    EXPECT_EQ(request.body.registration->reference_number, "24434");
    const auto answer = parse_fixture("registration_answer.xml");
    EXPECT_EQ(answer.body.registration, request.body.registration);
    EXPECT_EQ(answer.status(), q::ProcessingResultStatus::normal);
}

TEST(XmlMsg, QuirksOfRealFiles) {
    const auto m = parse_fixture("quirks.xml");
    EXPECT_EQ(m.header.process_execution_time, "20250301104000");
    EXPECT_EQ(m.header.arbitrary_file_identifier, "quirk01");
    EXPECT_EQ(m.header.error_code, "");
    EXPECT_EQ(m.header.error_message, "");
    EXPECT_EQ(m.character_code(), q::Encoding::utf8);
    const auto& r = m.body.result_list->front();
    EXPECT_EQ(r.insurer_number, "  138123");
    EXPECT_EQ(q::normalized_insurer_number(*r.insurer_number), "00138123");
    EXPECT_EQ(r.name_kana, "ｼｹﾝ ﾊﾝｶｸ");
    EXPECT_EQ(r.insurer_name, "");
    ASSERT_TRUE(r.elderly_recipient);
    EXPECT_FALSE(r.elderly_recipient->contribution_ratio);
    ASSERT_TRUE(r.specific_diseases);
    EXPECT_TRUE(r.specific_diseases->empty());
}

TEST(XmlMsg, UnknownElementsAreKeptInOrderAndWrittenBack) {
    const auto m = parse_fixture("unknown_elements.xml");
    ASSERT_EQ(m.header.unknown.size(), 1u);
    EXPECT_EQ(m.header.unknown[0].name, "FutureHeaderField");
    EXPECT_EQ(m.header.unknown[0].text, "x");
    const auto& r = m.body.result_list->front();
    ASSERT_EQ(r.unknown.size(), 2u);
    EXPECT_EQ(r.unknown[0].name, "PublicExpenseResultList");
    ASSERT_EQ(r.unknown[0].children.size(), 1u);
    const auto& ticket = r.unknown[0].children[0];
    EXPECT_EQ(ticket.name, "MedicalTicketInfo");
    ASSERT_EQ(ticket.children.size(), 2u);
    EXPECT_EQ(ticket.children[1].text, "備考 & <注>");
    EXPECT_EQ(r.unknown[1].name, "WelfareOfficeName");
    ASSERT_EQ(m.body.unknown.size(), 1u);
    EXPECT_EQ(m.body.unknown[0].text, "");
    ASSERT_EQ(m.unknown.size(), 1u);
    EXPECT_EQ(m.unknown[0].name, "Trailer");
    for (const auto encoding : {q::Encoding::utf8, q::Encoding::shift_jis}) {
        auto again = q::parse(q::write(m, encoding));
        EXPECT_EQ(again.header.unknown, m.header.unknown);
        EXPECT_EQ(again.body.result_list, m.body.result_list);
        again.header.character_code_identifier = m.header.character_code_identifier;
        EXPECT_EQ(again, m);
    }
}

TEST(XmlMsg, EveryFixtureRoundTripsInBothEncodings) {
    for (const auto& name : kValidFixtures) {
        SCOPED_TRACE(name);
        const auto original = parse_fixture(name);
        for (const auto encoding : {q::Encoding::utf8, q::Encoding::shift_jis}) {
            const auto written = q::write(original, encoding);
            EXPECT_EQ(q::detect_encoding(written), encoding);
            auto expected = original;
            expected.header.character_code_identifier = encoding == q::Encoding::utf8 ? "0" : "1";
            const auto again = q::parse(written);
            EXPECT_EQ(again, expected);
            EXPECT_EQ(again.character_code(), encoding);
            // Written again, the bytes do not change.
            EXPECT_EQ(q::write(again, encoding), written);
        }
    }
    const auto sjis = q::write(parse_fixture("card_result_full.xml"), q::Encoding::shift_jis);
    const std::string text(sjis.begin(), sjis.end());
    EXPECT_EQ(text.rfind("<?xml version=\"1.0\" encoding=\"Shift_JIS\"", 0), 0u);
    EXPECT_NE(text.find(to_cp932("髙橋")), std::string::npos);
}

TEST(XmlMsg, EveryShiftJisLabelIsReadAsCp932) {
    const std::string utf8 = fixture("card_result_full.xml");
    const auto expected = q::parse(bytes(utf8));
    for (const std::string label : {"Shift_JIS", "shift-jis", "SJIS", "x-sjis", "Windows-31J",
                                    "CP932", "MS932", "SHIFT_JIS", "windows-31j"}) {
        SCOPED_TRACE(label);
        const std::string sjis =
            to_cp932(replaced(utf8, "encoding=\"UTF-8\"", "encoding='" + label + "'"));
        EXPECT_EQ(q::detect_encoding(bytes(sjis)), q::Encoding::shift_jis);
        EXPECT_EQ(q::parse(bytes(sjis)), expected);  // ①, ㈱, 髙 and half-width kana included
    }
}

TEST(XmlMsg, WithoutAnEncodingDeclarationCharacterCodeIdentifierDecides) {
    std::string text = replaced(fixture("card_result_full.xml"),
                                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>",
                                "<?xml version=\"1.0\"?>");
    EXPECT_EQ(q::parse(bytes(text)).body.result_list->front().name, "髙橋　試験");
    text = replaced(text, "<CharacterCodeIdentifier>0<", "<CharacterCodeIdentifier>1<");
    const std::string sjis = to_cp932(text);
    EXPECT_EQ(q::detect_encoding(bytes(sjis)), q::Encoding::shift_jis);
    EXPECT_EQ(q::parse(bytes(sjis)).body.result_list->front().name, "髙橋　試験");
}

TEST(XmlMsg, WriteRefusesTextWithoutAShiftJisForm) {
    auto m = parse_fixture("validity_1.xml");
    m.body.result_list->front().name = "試験\xF0\x9F\x98\x80";  // an emoji
    try {
        (void)q::write(m, q::Encoding::shift_jis);
        FAIL() << "written";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), Errc::invalid_argument);
        EXPECT_NE(std::string(e.what()).find("Name"), std::string::npos) << e.what();
    }
    EXPECT_EQ(q::parse(q::write(m, q::Encoding::utf8)).body.result_list->front().name,
              "試験\xF0\x9F\x98\x80");
}

TEST(XmlMsg, MalformedFilesNameTheElement) {
    const std::vector<std::pair<std::string, std::string>> cases{
        {"bad_validity.xml", "QualificationValidity: '7' is not a validity code"},
        {"bad_segment.xml", "SegmentOfResult: '3' is not a result segment"},
        {"bad_sex.xml", "Sex1: '4' is not a sex code"},
        {"bad_limit_category.xml", "LimitApplicationCertificateClassificationFlag: 'C01'"},
        {"bad_card_classification.xml", "InsuredCardClassification: the value is not"},
        {"duplicate_element.xml", "ArbitraryFileIdentifier: appears twice"},
        {"element_in_value.xml", "Name: holds an element"},
        {"wrong_item_in_list.xml", "ResultList: holds an element that is not"},
        {"wrong_root.xml", "XmlMsg: the root element"},
        {"truncated.xml", "XML: not well-formed"},
        {"not_xml.xml", "XML: not well-formed"},
        {"unsupported_encoding.xml", "XML declaration: the encoding 'EUC-JP'"},
        {"undeclared_entity.xml", "XML: not well-formed"},
    };
    for (const auto& [file, message] : cases) {
        SCOPED_TRACE(file);
        const Error e = parse_error(fixture("malformed/" + file));
        EXPECT_EQ(e.code(), Errc::malformed_data);
        EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
        EXPECT_EQ(std::string(e.what()).find("山田"), std::string::npos) << "personal data";
    }
}

TEST(XmlMsg, ExternalEntitiesAndEntityExpansionAreRefused) {
    for (const std::string file : {"xxe.xml", "xxe_network.xml", "billion_laughs.xml"}) {
        SCOPED_TRACE(file);
        const Error e = parse_error(fixture("malformed/" + file));
        EXPECT_EQ(e.code(), Errc::malformed_data);
        EXPECT_NE(std::string(e.what()).find("document type declaration"), std::string::npos);
        EXPECT_EQ(std::string(e.what()).find("root:"), std::string::npos);
    }
    // The same in CP932, where the check runs on the decoded text.
    const std::string sjis = to_cp932(
        replaced(fixture("malformed/xxe.xml"), "encoding=\"UTF-8\"", "encoding=\"Shift_JIS\""));
    EXPECT_EQ(parse_error(sjis).code(), Errc::malformed_data);
}

TEST(XmlMsg, InputIsBounded) {
    std::string huge = "<XmlMsg>" + std::string(q::kMaxFileSize, ' ') + "</XmlMsg>";
    EXPECT_EQ(parse_error(huge).code(), Errc::invalid_argument);
    // Bytes that are not CP932 in a file labelled Shift_JIS.
    const Error e =
        parse_error("<?xml version='1.0' encoding='Shift_JIS'?><XmlMsg>\x81\x7f</XmlMsg>");
    EXPECT_EQ(e.code(), Errc::malformed_data);
    EXPECT_EQ(parse_error("<XmlMsg>\xff</XmlMsg>").code(), Errc::malformed_data);
}

TEST(XmlMsg, TypedAccessorsRefuseUnknownCodesOfHandBuiltMessages) {
    q::XmlMsg m;
    EXPECT_FALSE(m.validity());
    m.body.qualification_validity = "7";
    EXPECT_THROW((void)m.validity(), Error);
    m.header.segment_of_result = "";
    EXPECT_FALSE(m.segment());
    EXPECT_THROW((void)q::parse_date(std::string("20250230"), "Birthdate"), Error);
    EXPECT_THROW((void)q::parse_date(std::string("2025-1-1"), "Birthdate"), Error);
    EXPECT_EQ(q::parse_date(std::string("20240229"), "Birthdate"), (q::Date{2024, 2, 29}));
    EXPECT_THROW((void)q::parse_date(std::string("20230229"), "Birthdate"), Error);
    try {
        (void)q::parse_date(std::string("19xx0101"), "Birthdate");
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()), "Birthdate: not a date (YYYYMMDD)");
    }
}
