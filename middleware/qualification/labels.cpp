#include "qualification/labels.h"

#include <algorithm>
#include <array>

namespace mynacard::qualification {
namespace {

// Sources: the code tables of hangilc/myclinic-ts packages/onshi-result/
// codes.ts ([A33] in qualification-kiosk-ecosystem.md), which restate the
// official code lists (OQSCD006 for QualificationValidity, OQSCD013 for the
// disease categories, OQSCD016 for the viewing consents); only the values
// and the Japanese meanings are taken.

// [A33] 1 マイナンバーカード, 2 被保険者証情報.
constexpr std::array kReference{
    CodeLabel{"1", "マイナンバーカード", "My Number Card"},
    CodeLabel{"2", "被保険者証情報", "insurance card numbers"},
};
// [A33] 処理結果区分.
constexpr std::array kSegment{
    CodeLabel{"1", "正常終了", "completed"},
    CodeLabel{"2", "処理中", "in progress"},
    CodeLabel{"9", "異常終了", "failed"},
};
// [A33] 文字コード識別.
constexpr std::array kCharacterCode{
    CodeLabel{"0", "UTF-8", "UTF-8"},
    CodeLabel{"1", "Shift_JIS", "Shift_JIS"},
};
// [A33] 処理結果状況.
constexpr std::array kStatus{
    CodeLabel{"1", "正常終了", "completed"},
    CodeLabel{"2", "エラー", "error"},
};
// [A33] 資格有効性 (OQSCD006).
constexpr std::array kValidity{
    CodeLabel{"1", "有効", "valid"},
    CodeLabel{"2", "無効", "not valid"},
    CodeLabel{"3", "無効（新しい資格あり）", "not valid (a newer qualification exists)"},
    CodeLabel{"4", "該当資格なし", "no qualification found"},
    CodeLabel{"5", "複数該当", "several qualifications match"},
};
// [A33] 処方箋発行形態.
constexpr std::array kPrescription{
    CodeLabel{"1", "電子処方箋", "electronic prescription"},
    CodeLabel{"2", "紙の処方箋", "paper prescription"},
};
// [A33] 被保険者証の種類.
constexpr std::array kCardClassification{
    CodeLabel{"01", "被保険者証（一般）", "insurance card (general)"},
    CodeLabel{"02", "被保険者証（退職）", "insurance card (retired)"},
    CodeLabel{"03", "短期被保険者証（一般）", "short-term insurance card (general)"},
    CodeLabel{"04", "短期被保険者証（退職）", "short-term insurance card (retired)"},
    CodeLabel{"05", "被保険者資格証明書", "certificate of insured status"},
    CodeLabel{"06", "特例退職被保険者証", "special retiree insurance card"},
    CodeLabel{"07", "自衛官診療証", "Self-Defense Forces medical card"},
};
// [A33] 本人家族の別.
constexpr std::array kPersonalFamily{
    CodeLabel{"1", "本人", "insured person"},
    CodeLabel{"2", "家族", "dependant"},
};
// [A33] 性別.
constexpr std::array kSex{
    CodeLabel{"1", "男", "male"},
    CodeLabel{"2", "女", "female"},
    CodeLabel{"3", "未設定", "not set"},
};
// [A33] 未就学区分.
constexpr std::array kPreschool{
    CodeLabel{"1", "未就学該当", "preschool child"},
};
// [A33] 資格喪失事由.
constexpr std::array kReasonOfLoss{
    CodeLabel{"01", "死亡", "death"},
    CodeLabel{"02", "生活保護受給開始", "started receiving public assistance"},
    CodeLabel{"03", "医療保険等の資格取得", "joined another health insurance"},
    CodeLabel{"99", "その他", "other"},
};
// [A33][A35] 限度額適用認定証の種類.
constexpr std::array kLimitCertificate{
    CodeLabel{"01", "限度額適用区分認定証", "limit certificate"},
    CodeLabel{"02", "限度額適用・標準負担額減額認定証",
              "limit and standard meal cost reduction certificate"},
    CodeLabel{"03", "標準負担額減額認定証", "standard meal cost reduction certificate"},
};
// [A33][A35] 適用区分: A01–A06 under 70 (ア–オ(境)), B01–B10 from 70.
constexpr std::array kLimitCategory{
    CodeLabel{"A01", "ア", "category A (a)"},
    CodeLabel{"A02", "イ", "category I (i)"},
    CodeLabel{"A03", "ウ", "category U (u)"},
    CodeLabel{"A04", "エ", "category E (e)"},
    CodeLabel{"A05", "オ", "category O (o)"},
    CodeLabel{"A06", "オ（境）", "category O (borderline)"},
    CodeLabel{"B01", "現役並みⅢ", "working-age income III"},
    CodeLabel{"B02", "現役並みⅡ", "working-age income II"},
    CodeLabel{"B03", "現役並みⅠ", "working-age income I"},
    CodeLabel{"B04", "一般", "general"},
    CodeLabel{"B05", "低所得Ⅱ", "low income II"},
    CodeLabel{"B06", "低所得Ⅰ", "low income I"},
    CodeLabel{"B07", "低所得Ⅰ（老福）", "low income I (old-age welfare pension)"},
    CodeLabel{"B08", "低所得Ⅰ（境）", "low income I (borderline)"},
    CodeLabel{"B09", "一般Ⅱ", "general II"},
    CodeLabel{"B10", "一般Ⅰ", "general I"},
};
// [A33] 特定疾病療養受療証認定疾病区分 (OQSCD013).
constexpr std::array kSpecificDiseases{
    CodeLabel{"1", "人工透析を必要とする慢性腎不全", "chronic renal failure needing dialysis"},
    CodeLabel{"2", "先天性血液凝固因子障害（第VIII因子、第IX因子）",
              "congenital coagulation factor VIII/IX disorder"},
    CodeLabel{"3", "血液凝固因子製剤の投与に起因するHIV感染症",
              "HIV infection from coagulation factor products"},
};
// [A33] 限度額適用認定証提供同意.
constexpr std::array kLimitConsent{
    CodeLabel{"0", "未同意", "not agreed"},
    CodeLabel{"1", "同意", "agreed"},
};
// [A33][A36] 提供/閲覧同意 (OQSCD016).
constexpr std::array kConsent{
    CodeLabel{"0", "同意なし", "not agreed"},
    CodeLabel{"1", "同意あり", "agreed"},
    CodeLabel{"2", "同意有効期限切れ", "consent expired"},
};

struct Table {
    std::span<const CodeLabel> codes;
    std::string_view what;
};

constexpr Table table_of(CodeTable table) noexcept {
    switch (table) {
        case CodeTable::reference_classification:
            return {kReference, "a reference classification"};
        case CodeTable::segment_of_result:
            return {kSegment, "a result segment"};
        case CodeTable::character_code_identifier:
            return {kCharacterCode, "a character code"};
        case CodeTable::processing_result_status:
            return {kStatus, "a processing status"};
        case CodeTable::qualification_validity:
            return {kValidity, "a validity code"};
        case CodeTable::prescription_issue_select:
            return {kPrescription, "a prescription form"};
        case CodeTable::insured_card_classification:
            return {kCardClassification, "an insurance card classification"};
        case CodeTable::personal_family_classification:
            return {kPersonalFamily, "a person/family code"};
        case CodeTable::sex:
            return {kSex, "a sex code"};
        case CodeTable::preschool_classification:
            return {kPreschool, "a preschool code"};
        case CodeTable::reason_of_loss:
            return {kReasonOfLoss, "a reason of loss"};
        case CodeTable::limit_certificate_classification:
            return {kLimitCertificate, "a limit certificate classification"};
        case CodeTable::limit_category:
            return {kLimitCategory, "a limit category"};
        case CodeTable::specific_diseases_category:
            return {kSpecificDiseases, "a disease category"};
        case CodeTable::limit_consent:
            return {kLimitConsent, "a consent flag"};
        case CodeTable::consent:
            return {kConsent, "a consent flag"};
    }
    return {};
}

}  // namespace

std::span<const CodeLabel> codes(CodeTable table) noexcept {
    return table_of(table).codes;
}

const CodeLabel* find_code(CodeTable table, std::string_view code) noexcept {
    const auto all = codes(table);
    const auto it =
        std::find_if(all.begin(), all.end(), [&](const CodeLabel& c) { return c.code == code; });
    return it == all.end() ? nullptr : &*it;
}

std::string_view describe(CodeTable table) noexcept {
    return table_of(table).what;
}

std::string_view label(CodeTable table, std::string_view code, Language language) noexcept {
    const CodeLabel* found = find_code(table, code);
    if (found == nullptr) return {};
    return language == Language::ja ? found->ja : found->en;
}

std::optional<std::string> contribution_ratio_label(std::string_view value, Language language) {
    if (value.size() != 3 ||
        !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    const int percent = (value[0] - '0') * 100 + (value[1] - '0') * 10 + (value[2] - '0');
    if (language == Language::en) return std::to_string(percent) + "%";
    // 割 is a tenth; a percentage that is not whole tenths keeps its 分.
    std::string out = std::to_string(percent / 10) + "割";
    if (percent % 10 != 0) out += std::to_string(percent % 10) + "分";
    return out;
}

}  // namespace mynacard::qualification
