#pragma once

// Japanese and English labels for every code of the XmlMsg files. The code
// values and their Japanese meanings are public facts (sources per table in
// labels.cpp: qualification-kiosk-ecosystem.md §A.3 [A33][A35][A36]); the
// English wording is ours.

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace mynacard::qualification {

enum class CodeTable {
    reference_classification,          // ReferenceClassification
    segment_of_result,                 // SegmentOfResult
    character_code_identifier,         // CharacterCodeIdentifier
    processing_result_status,          // ProcessingResultStatus
    qualification_validity,            // QualificationValidity
    prescription_issue_select,         // PrescriptionIssueSelect
    insured_card_classification,       // InsuredCardClassification
    personal_family_classification,    // PersonalFamilyClassification
    sex,                               // Sex1, Sex2
    preschool_classification,          // PreschoolClassification
    reason_of_loss,                    // ReasonOfLoss
    limit_certificate_classification,  // LimitApplicationCertificateClassification
    limit_category,                    // LimitApplicationCertificateClassificationFlag
    specific_diseases_category,        // SpecificDiseasesDiseaseCategory
    limit_consent,                     // LimitApplicationCertificateRelatedConsFlg
    consent,  // SpecificDiseasesCertificateRelatedConsFlg and the …InfoConsFlg
};

struct CodeLabel {
    std::string_view code;
    std::string_view ja;
    std::string_view en;
};

// Every code of a table, in code order.
[[nodiscard]] std::span<const CodeLabel> codes(CodeTable table) noexcept;
// nullptr when the code is not in the table.
[[nodiscard]] const CodeLabel* find_code(CodeTable table, std::string_view code) noexcept;
// What a code of the table is, for error texts: "a validity code".
[[nodiscard]] std::string_view describe(CodeTable table) noexcept;

enum class Language { ja, en };
// The label, or an empty view when the code is unknown.
[[nodiscard]] std::string_view label(CodeTable table, std::string_view code,
                                     Language language) noexcept;

// Contribution ratios are percent in three digits ("010" = 10 %, [A33]):
// "1割" / "10%". nullopt when the value is not three digits.
[[nodiscard]] std::optional<std::string> contribution_ratio_label(std::string_view value,
                                                                  Language language);

}  // namespace mynacard::qualification
