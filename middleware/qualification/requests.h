#pragma once

// The requests a front end sends to the qualification terminal, built and
// checked in one place for the CLI (`mynacard qualify`) and the front desk:
// a query by the numbers of an insurance card or 資格確認書
// (QualificationConfirmSearchInfo, OQSsiquc01) and the registration of a
// clinic's patient number (照会番号, ReferenceNumberRegistrationInfo,
// OQSsiimm01) [A29][A30][A31][A40].

#include <string>
#include <vector>

#include "qualification/xml_msg.h"

namespace mynacard::qualification {

// What the receptionist types, as typed (no trimming: what is checked is
// what is sent).
struct NumberQuery {
    std::string institution_code;  // 医療機関コード, 10 digits
    std::string insurer;           // 保険者番号, 6 or 8 digits with its 検証番号
    std::string symbol;            // 記号; empty for cards without one (後期高齢者)
    std::string number;            // 番号
    std::string branch;            // 枝番, 2 digits, may be empty
    std::string birth;             // 生年月日 YYYYMMDD
    bool limit_consent = false;    // the patient agreed to share 限度額適用 data
};

enum class QueryField { institution_code, insurer, symbol, number, branch, birth };

// One problem of one field, worded for the person typing (no value quoted:
// it may be personal data).
struct FieldProblem {
    QueryField field;
    std::string message_en;
    std::string message_ja;
};

// 記号 and 番号 are short on every card; the bound keeps a request small.
constexpr std::size_t kMaxCardText = 40;
// 照会番号: the clinic's patient number, 1 to 10 ASCII letters or digits [A40].
constexpr std::size_t kMaxReferenceNumber = 10;

// Every problem of the query, in field order (empty: it can be sent). For
// validation as typed: each field is checked whatever the others hold.
[[nodiscard]] std::vector<FieldProblem> check_query(const NumberQuery& query, const Date& today);

// The request for `query`, asked for `today`. Six-digit insurer numbers are
// right-aligned in eight places with blanks, as the terminal's own samples
// write them [A31]; an empty 記号 or 枝番 is left out. Throws
// Error(invalid_argument) with the first problem's English message when
// check_query finds one.
[[nodiscard]] XmlMsg qualification_request(const NumberQuery& query, const Date& today);

// The OQSsiimm01 request registering `reference_number` for the person of
// a result: their insurer number, 記号, 番号 and 枝番 as the answer gave them.
// Throws Error(invalid_argument) naming the field when the institution code
// is not 10 digits, the 照会番号 is not 1–10 ASCII letters or digits, or the
// person has no insurer number or 番号.
[[nodiscard]] XmlMsg reference_number_request(const std::string& institution_code,
                                              const std::string& reference_number,
                                              const ResultOfQualificationConfirmation& person,
                                              const Date& today);

// "YYYYMMDD".
[[nodiscard]] std::string yyyymmdd(const Date& date);

}  // namespace mynacard::qualification
