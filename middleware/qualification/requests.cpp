#include "qualification/requests.h"

#include <cstdio>

#include "core/error.h"
#include "core/utf8.h"
#include "qualification/insurer_number.h"

namespace mynacard::qualification {

namespace {

// 医療機関コード: 2 digits prefecture, 1 point-table, 7 the institution.
constexpr std::size_t kInstitutionCodeLength = 10;
constexpr std::size_t kBranchLength = 2;
constexpr std::size_t kInsurerWidth = 8;

bool digits(std::string_view s) {
    return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

struct Problems {
    std::vector<FieldProblem> list;
    void add(QueryField field, std::string en, std::string ja) {
        list.push_back({field, std::move(en), std::move(ja)});
    }
};

void check_institution(Problems& p, const std::string& code) {
    if (code.size() != kInstitutionCodeLength || !digits(code))
        p.add(QueryField::institution_code, "the 医療機関コード (institution code) is 10 digits",
              "医療機関コードは10桁の数字です");
}

void check_insurer(Problems& p, const std::string& insurer) {
    const auto problem = check_insurer_number(insurer);
    if (!problem) return;
    switch (*problem) {
        case InsurerNumberProblem::empty:
            p.add(QueryField::insurer, "the 保険者番号 (insurer number) is required",
                  "保険者番号を入力してください");
            return;
        case InsurerNumberProblem::not_digits:
        case InsurerNumberProblem::wrong_length:
            p.add(QueryField::insurer, "the 保険者番号 (insurer number) is 6 or 8 digits",
                  "保険者番号は6桁または8桁の数字です");
            return;
        case InsurerNumberProblem::check_digit:
            p.add(QueryField::insurer,
                  "the 保険者番号 (insurer number) is mistyped: its last digit (検証番号) does "
                  "not match",
                  "保険者番号に誤りがあります（最後の検証番号が合いません）");
            return;
    }
}

// 記号 and 番号 as printed on the card: any script (記号 is often kanji), no
// control characters, bounded.
void check_card_text(Problems& p, QueryField field, const std::string& value, bool required) {
    const bool symbol = field == QueryField::symbol;
    const std::string en = symbol ? "the 記号 (symbol)" : "the 番号 (number)";
    const std::string ja = symbol ? "記号" : "番号";
    if (value.empty()) {
        if (required) p.add(field, en + " is required", ja + "を入力してください");
        return;
    }
    if (!is_valid_utf8(value)) {
        p.add(field, en + " is not valid text", ja + "に使えない文字があります");
        return;
    }
    std::size_t characters = 0;
    for (const char ch : value) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c == 0x7f) {
            p.add(field, en + " contains a control character", ja + "に使えない文字があります");
            return;
        }
        if ((c & 0xC0) != 0x80) ++characters;
    }
    if (characters > kMaxCardText)
        p.add(field, en + " is longer than " + std::to_string(kMaxCardText) + " characters",
              ja + "は" + std::to_string(kMaxCardText) + "文字までです");
}

void check_branch(Problems& p, const std::string& branch) {
    if (!branch.empty() && (branch.size() != kBranchLength || !digits(branch)))
        p.add(QueryField::branch, "the 枝番 (branch number) is 2 digits", "枝番は2桁の数字です");
}

void check_birth(Problems& p, const std::string& birth, const Date& today) {
    if (birth.empty()) {
        p.add(QueryField::birth, "the birth date is required", "生年月日を入力してください");
        return;
    }
    try {
        if (!parse_date(birth, "Birthdate")) throw Error(Errc::malformed_data, "empty");
    } catch (const Error&) {
        p.add(QueryField::birth, "the birth date is not a date (YYYYMMDD)",
              "生年月日が日付になっていません（西暦8桁 YYYYMMDD）");
        return;
    }
    if (birth > yyyymmdd(today))
        p.add(QueryField::birth, "the birth date is in the future", "生年月日が未来の日付です");
}

[[noreturn]] void refuse(const std::string& what) {
    throw Error(Errc::invalid_argument, what);
}

bool reference_number_ok(const std::string& n) {
    if (n.empty() || n.size() > kMaxReferenceNumber) return false;
    for (const char c : n)
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
            return false;
    return true;
}

}  // namespace

std::string yyyymmdd(const Date& d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d%02d%02d", d.year, d.month, d.day);
    return buf;
}

std::vector<FieldProblem> check_query(const NumberQuery& q, const Date& today) {
    Problems p;
    check_institution(p, q.institution_code);
    check_insurer(p, q.insurer);
    check_card_text(p, QueryField::symbol, q.symbol, false);  // 後期高齢者: no 記号
    check_card_text(p, QueryField::number, q.number, true);
    check_branch(p, q.branch);
    check_birth(p, q.birth, today);
    return std::move(p.list);
}

XmlMsg qualification_request(const NumberQuery& q, const Date& today) {
    if (const auto problems = check_query(q, today); !problems.empty())
        refuse(problems.front().message_en);
    XmlMsg request;
    request.header.qualification_confirmation_date = yyyymmdd(today);
    request.header.medical_institution_code = q.institution_code;
    QualificationConfirmSearchInfo search;
    search.insurer_number = std::string(kInsurerWidth - q.insurer.size(), ' ') + q.insurer;
    if (!q.symbol.empty()) search.insured_card_symbol = q.symbol;
    search.insured_identification_number = q.number;
    if (!q.branch.empty()) search.insured_branch_number = q.branch;
    search.birthdate = q.birth;
    search.limit_consent_flag = q.limit_consent ? "1" : "0";
    request.body.search_info = std::move(search);
    return request;
}

XmlMsg reference_number_request(const std::string& institution_code,
                                const std::string& reference_number,
                                const ResultOfQualificationConfirmation& person,
                                const Date& today) {
    if (institution_code.size() != kInstitutionCodeLength || !digits(institution_code))
        refuse("MedicalInstitutionCode: the 医療機関コード is 10 digits");
    if (!reference_number_ok(reference_number))
        refuse("ReferenceNumber: the 照会番号 is 1 to " + std::to_string(kMaxReferenceNumber) +
               " ASCII letters or digits");
    const auto present = [](const Text& t) { return t && !t->empty(); };
    if (!present(person.insurer_number))
        refuse("InsurerNumber: the result names no insurer number");
    if (!present(person.insured_identification_number))
        refuse("InsuredIdentificationNumber: the result names no 番号");
    XmlMsg request;
    request.header.qualification_confirmation_date = yyyymmdd(today);
    request.header.medical_institution_code = institution_code;
    ReferenceNumberRegistrationInfo registration;
    registration.reference_number = reference_number;
    // As the answer gave them: the insurer identifies the person by these.
    registration.insurer_number = person.insurer_number;
    if (present(person.insured_card_symbol))
        registration.insured_card_symbol = person.insured_card_symbol;
    registration.insured_identification_number = person.insured_identification_number;
    if (present(person.insured_branch_number))
        registration.insured_branch_number = person.insured_branch_number;
    request.body.registration = std::move(registration);
    return request;
}

}  // namespace mynacard::qualification
