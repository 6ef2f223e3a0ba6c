// The query by numbers and the 照会番号 registration: every field's check,
// and the request XML through write and parse.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "core/error.h"
#include "qualification/insurer_number.h"
#include "qualification/requests.h"
#include "qualification/xml_msg.h"

namespace q = mynacard::qualification;
using q::QueryField;

namespace {

const q::Date kToday{2025, 3, 1};

q::NumberQuery valid() {
    return {"1312345678", "138123", "試験", "7654321", "00", "19800101", true};
}

// The fields with a problem, in order.
std::vector<QueryField> fields(const q::NumberQuery& query) {
    std::vector<QueryField> out;
    for (const auto& p : q::check_query(query, kToday)) {
        EXPECT_FALSE(p.message_en.empty());
        EXPECT_FALSE(p.message_ja.empty());
        out.push_back(p.field);
    }
    return out;
}

using Fields = std::vector<QueryField>;

}  // namespace

TEST(NumberQuery, AValidQueryHasNoProblem) {
    EXPECT_TRUE(q::check_query(valid(), kToday).empty());
    auto eight = valid();
    eight.insurer = "01040013";
    EXPECT_TRUE(q::check_query(eight, kToday).empty());
}

TEST(NumberQuery, InstitutionCode) {
    for (const std::string code : {"", "131234567", "13123456789", "131234567x"}) {
        auto query = valid();
        query.institution_code = code;
        EXPECT_EQ(fields(query), Fields{QueryField::institution_code}) << code;
    }
}

TEST(NumberQuery, InsurerNumberWithItsCheckDigit) {
    for (const std::string n : {"", "1381234", "0613999x", "138124", "01040014"}) {
        auto query = valid();
        query.insurer = n;
        EXPECT_EQ(fields(query), Fields{QueryField::insurer}) << n;
    }
    auto query = valid();
    query.insurer = "138124";
    const auto problems = q::check_query(query, kToday);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_NE(problems[0].message_en.find("検証番号"), std::string::npos);
    EXPECT_NE(problems[0].message_ja.find("検証番号"), std::string::npos);
}

TEST(NumberQuery, SymbolMayBeEmptyButNotMalformed) {
    auto query = valid();
    query.symbol = "";  // 後期高齢者 cards have no 記号
    EXPECT_TRUE(fields(query).empty());
    for (const std::string& s :
         {std::string("試\n験"), std::string("\xff\xfe"), std::string(41, 'a')}) {
        query.symbol = s;
        EXPECT_EQ(fields(query), Fields{QueryField::symbol});
    }
    query.symbol = std::string(40, 'a');
    EXPECT_TRUE(fields(query).empty());
    // Forty characters of kanji are 120 bytes: characters are counted.
    std::string kanji;
    for (int i = 0; i < 40; ++i) kanji += "試";
    query.symbol = kanji;
    EXPECT_TRUE(fields(query).empty());
}

TEST(NumberQuery, NumberIsRequired) {
    for (const std::string& n : {std::string(), std::string("12\x01"), std::string(41, '1')}) {
        auto query = valid();
        query.number = n;
        EXPECT_EQ(fields(query), Fields{QueryField::number});
    }
}

TEST(NumberQuery, BranchIsEmptyOrTwoDigits) {
    auto query = valid();
    query.branch = "";
    EXPECT_TRUE(fields(query).empty());
    for (const std::string b : {"1", "001", "0a"}) {
        query.branch = b;
        EXPECT_EQ(fields(query), Fields{QueryField::branch}) << b;
    }
}

TEST(NumberQuery, BirthDateIsADateNotInTheFuture) {
    for (const std::string b : {"", "1980011", "19800132", "20230229", "2025-03-01", "20250302"}) {
        auto query = valid();
        query.birth = b;
        EXPECT_EQ(fields(query), Fields{QueryField::birth}) << b;
    }
    auto today = valid();
    today.birth = "20250301";  // born today
    EXPECT_TRUE(fields(today).empty());
    today.birth = "20240229";
    EXPECT_TRUE(fields(today).empty());
}

TEST(NumberQuery, EveryProblemIsReportedAtOnceInFieldOrder) {
    const q::NumberQuery empty{};
    EXPECT_EQ(fields(empty), (Fields{QueryField::institution_code, QueryField::insurer,
                                     QueryField::number, QueryField::birth}));
}

TEST(NumberQuery, RequestRoundTripsThroughTheXml) {
    const q::XmlMsg request = q::qualification_request(valid(), kToday);
    EXPECT_EQ(request.header.qualification_confirmation_date, "20250301");
    EXPECT_EQ(request.header.medical_institution_code, "1312345678");
    ASSERT_TRUE(request.body.search_info);
    const auto& s = *request.body.search_info;
    EXPECT_EQ(s.insurer_number, "  138123");  // six digits right-aligned with blanks
    EXPECT_EQ(s.insured_card_symbol, "試験");
    EXPECT_EQ(s.insured_identification_number, "7654321");
    EXPECT_EQ(s.insured_branch_number, "00");
    EXPECT_EQ(s.birthdate, "19800101");
    EXPECT_EQ(s.limit_consent_flag, "1");
    for (const auto encoding : {q::Encoding::utf8, q::Encoding::shift_jis}) {
        auto back = q::parse(q::write(request, encoding));
        back.header.character_code_identifier.reset();  // write() adds it
        EXPECT_EQ(back, request);
    }
}

TEST(NumberQuery, EmptySymbolAndBranchAreLeftOut) {
    auto query = valid();
    query.symbol.clear();
    query.branch.clear();
    query.limit_consent = false;
    query.insurer = "39131156";
    ASSERT_EQ(q::check_insurer_number(query.insurer), std::nullopt);
    const q::XmlMsg request = q::qualification_request(query, kToday);
    const auto& s = *request.body.search_info;
    EXPECT_FALSE(s.insured_card_symbol);
    EXPECT_FALSE(s.insured_branch_number);
    EXPECT_EQ(s.insurer_number, "39131156");
    EXPECT_EQ(s.limit_consent_flag, "0");
    const auto xml = q::write(request, q::Encoding::utf8);
    EXPECT_EQ(std::string(xml.begin(), xml.end()).find("InsuredCardSymbol"), std::string::npos);
}

TEST(NumberQuery, RequestIsRefusedWithTheFirstProblem) {
    auto query = valid();
    query.insurer = "138124";
    try {
        (void)q::qualification_request(query, kToday);
        FAIL();
    } catch (const mynacard::Error& e) {
        EXPECT_EQ(e.code(), mynacard::Errc::invalid_argument);
        EXPECT_NE(std::string(e.what()).find("保険者番号"), std::string::npos) << e.what();
    }
}

TEST(ReferenceNumber, RequestNamesThePersonByTheirCardNumbers) {
    q::ResultOfQualificationConfirmation person;
    person.insurer_number = "06139999";
    person.insured_card_symbol = "試験";
    person.insured_identification_number = "1234567";
    person.insured_branch_number = "01";
    person.name = "試験　花子";  // never sent
    const auto request = q::reference_number_request("1312345678", "24434", person, kToday);
    EXPECT_EQ(request.header.medical_institution_code, "1312345678");
    ASSERT_TRUE(request.body.registration);
    const auto& r = *request.body.registration;
    EXPECT_EQ(r.reference_number, "24434");
    EXPECT_EQ(r.insurer_number, "06139999");
    EXPECT_EQ(r.insured_card_symbol, "試験");
    EXPECT_EQ(r.insured_identification_number, "1234567");
    EXPECT_EQ(r.insured_branch_number, "01");
    EXPECT_FALSE(request.body.search_info);
    const auto xml = q::write(request, q::Encoding::utf8);
    const std::string text(xml.begin(), xml.end());
    EXPECT_EQ(text.find("花子"), std::string::npos);
    auto back = q::parse(xml);
    back.header.character_code_identifier.reset();
    EXPECT_EQ(back, request);
    // Without a 記号 (後期高齢者): left out.
    person.insured_card_symbol.reset();
    EXPECT_FALSE(q::reference_number_request("1312345678", "A1", person, kToday)
                     .body.registration->insured_card_symbol);
}

TEST(ReferenceNumber, EachRefusal) {
    q::ResultOfQualificationConfirmation person;
    person.insurer_number = "06139999";
    person.insured_identification_number = "1234567";
    const auto refused = [&](const std::string& code, const std::string& number,
                             const q::ResultOfQualificationConfirmation& p) {
        try {
            (void)q::reference_number_request(code, number, p, kToday);
            return false;
        } catch (const mynacard::Error& e) {
            return e.code() == mynacard::Errc::invalid_argument;
        }
    };
    EXPECT_TRUE(refused("131234567", "1", person));
    EXPECT_TRUE(refused("1312345678", "", person));
    EXPECT_TRUE(refused("1312345678", "12345678901", person));
    EXPECT_TRUE(refused("1312345678", "12-34", person));
    EXPECT_TRUE(refused("1312345678", "１２", person));
    EXPECT_FALSE(refused("1312345678", "1234567890", person));
    auto no_insurer = person;
    no_insurer.insurer_number = "";
    EXPECT_TRUE(refused("1312345678", "1", no_insurer));
    auto no_number = person;
    no_number.insured_identification_number.reset();
    EXPECT_TRUE(refused("1312345678", "1", no_number));
}
