#pragma once

// The element tables of the XmlMsg model (internal to the folder): one row
// per element, in the order the writer emits them. The reader and the
// writer both walk these tables, so an element is named in one place.
// Element names: qualification-kiosk-ecosystem.md §A.3 (sources there).

#include <array>
#include <optional>
#include <string_view>

#include "qualification/labels.h"
#include "qualification/xml_msg.h"

namespace mynacard::qualification::detail {

// A nested record or list, placed by the writer where its row stands.
enum class Nested {
    none,
    elderly,            // ElderlyRecipientCertificateInfo
    limit,              // LimitApplicationCertificateRelatedInfo
    specific_diseases,  // SpecificDiseasesCertificateList
    result_list,        // ResultList
    search_info,        // QualificationConfirmSearchInfo
    registration,       // ReferenceNumberRegistrationInfo
};

template <typename S>
struct Field {
    std::string_view name;
    Text S::*member = nullptr;
    std::optional<CodeTable> table = std::nullopt;
    Nested nested = Nested::none;
};

using CT = CodeTable;

inline constexpr std::array<Field<MessageHeader>, 13> kHeaderFields{{
    {"ProcessExecutionTime", &MessageHeader::process_execution_time},
    {"QualificationConfirmationDate", &MessageHeader::qualification_confirmation_date},
    {"MedicalInstitutionCode", &MessageHeader::medical_institution_code},
    {"ArbitraryFileIdentifier", &MessageHeader::arbitrary_file_identifier},
    {"ReferenceClassification", &MessageHeader::reference_classification,
     CT::reference_classification},
    {"SegmentOfResult", &MessageHeader::segment_of_result, CT::segment_of_result},
    {"ErrorCode", &MessageHeader::error_code},
    {"ErrorMessage", &MessageHeader::error_message},
    {"CharacterCodeIdentifier", &MessageHeader::character_code_identifier,
     CT::character_code_identifier},
    {"ReceptionNumber", &MessageHeader::reception_number},
    {"NumberOfProcessingResult", &MessageHeader::number_of_processing_result},
    {"NumberOfNormalProcessing", &MessageHeader::number_of_normal_processing},
    {"NumberOfError", &MessageHeader::number_of_error},
}};

inline constexpr std::array<Field<MessageBody>, 8> kBodyFields{{
    {"ProcessingResultStatus", &MessageBody::processing_result_status,
     CT::processing_result_status},
    {"ProcessingResultCode", &MessageBody::processing_result_code},
    {"ProcessingResultMessage", &MessageBody::processing_result_message},
    {"QualificationValidity", &MessageBody::qualification_validity, CT::qualification_validity},
    {"ResultList", nullptr, std::nullopt, Nested::result_list},
    {"QualificationConfirmSearchInfo", nullptr, std::nullopt, Nested::search_info},
    {"ReferenceNumberRegistrationInfo", nullptr, std::nullopt, Nested::registration},
    {"PrescriptionIssueSelect", &MessageBody::prescription_issue_select,
     CT::prescription_issue_select},
}};

using R = ResultOfQualificationConfirmation;
inline constexpr std::array<Field<R>, 45> kResultFields{{
    {"InsuredCardClassification", &R::insured_card_classification, CT::insured_card_classification},
    {"InsurerNumber", &R::insurer_number},
    {"InsuredCardSymbol", &R::insured_card_symbol},
    {"InsuredIdentificationNumber", &R::insured_identification_number},
    {"InsuredBranchNumber", &R::insured_branch_number},
    {"PersonalFamilyClassification", &R::personal_family_classification,
     CT::personal_family_classification},
    {"InsuredName", &R::insured_name},
    {"Name", &R::name},
    {"NameOfOther", &R::name_of_other},
    {"NameKana", &R::name_kana},
    {"NameOfOtherKana", &R::name_of_other_kana},
    {"Sex1", &R::sex1, CT::sex},
    {"Sex2", &R::sex2, CT::sex},
    {"Birthdate", &R::birthdate},
    {"Address", &R::address},
    {"PostNumber", &R::post_number},
    {"QualificationDate", &R::qualification_date},
    {"DisqualificationDate", &R::disqualification_date},
    {"InsuredCertificateIssuanceDate", &R::insured_certificate_issuance_date},
    {"InsuredCardValidDate", &R::insured_card_valid_date},
    {"InsuredCardExpirationDate", &R::insured_card_expiration_date},
    {"InsuredPartialContributionRatio", &R::insured_partial_contribution_ratio},
    {"PreschoolClassification", &R::preschool_classification, CT::preschool_classification},
    {"ReasonOfLoss", &R::reason_of_loss, CT::reason_of_loss},
    {"InsurerName", &R::insurer_name},
    {"ElderlyRecipientCertificateInfo", nullptr, std::nullopt, Nested::elderly},
    {"LimitApplicationCertificateRelatedConsFlg", &R::limit_consent_flag, CT::limit_consent},
    {"LimitApplicationCertificateRelatedConsTime", &R::limit_consent_time},
    {"LimitApplicationCertificateRelatedInfo", nullptr, std::nullopt, Nested::limit},
    {"SpecificDiseasesCertificateRelatedConsFlg", &R::specific_diseases_consent_flag, CT::consent},
    {"SpecificDiseasesCertificateRelatedConsTime", &R::specific_diseases_consent_time},
    {"SpecificDiseasesCertificateList", nullptr, std::nullopt, Nested::specific_diseases},
    {"PharmacistsInfoConsFlg", &R::pharmacists_consent_flag, CT::consent},
    {"PharmacistsInfoConsTime", &R::pharmacists_consent_time},
    {"PharmacistsInfoAvailableTime", &R::pharmacists_available_time},
    {"SpecificHealthCheckupsInfoConsFlg", &R::health_checkups_consent_flag, CT::consent},
    {"SpecificHealthCheckupsInfoConsTime", &R::health_checkups_consent_time},
    {"SpecificHealthCheckupsInfoAvailableTime", &R::health_checkups_available_time},
    {"DiagnosisInfoConsFlg", &R::diagnosis_consent_flag, CT::consent},
    {"DiagnosisInfoConsTime", &R::diagnosis_consent_time},
    {"DiagnosisInfoAvailableTime", &R::diagnosis_available_time},
    {"OperationInfoConsFlg", &R::operation_consent_flag, CT::consent},
    {"OperationInfoConsTime", &R::operation_consent_time},
    {"OperationInfoAvailableTime", &R::operation_available_time},
    {"ReferenceNumber", &R::reference_number},
}};

using E = ElderlyRecipientCertificateInfo;
inline constexpr std::array<Field<E>, 4> kElderlyFields{{
    {"ElderlyRecipientCertificateDate", &E::certificate_date},
    {"ElderlyRecipientValidStartDate", &E::valid_start_date},
    {"ElderlyRecipientValidEndDate", &E::valid_end_date},
    {"ElderlyRecipientContributionRatio", &E::contribution_ratio},
}};

using L = LimitApplicationCertificateRelatedInfo;
inline constexpr std::array<Field<L>, 6> kLimitFields{{
    {"LimitApplicationCertificateClassification", &L::classification,
     CT::limit_certificate_classification},
    {"LimitApplicationCertificateClassificationFlag", &L::classification_flag, CT::limit_category},
    {"LimitApplicationCertificateDate", &L::certificate_date},
    {"LimitApplicationCertificateValidStartDate", &L::valid_start_date},
    {"LimitApplicationCertificateValidEndDate", &L::valid_end_date},
    {"LimitApplicationCertificateLongTermDate", &L::long_term_date},
}};

using D = SpecificDiseasesCertificateInfo;
// The list's items are <SpecificDiseasesCertificateInfo> elements [A37].
inline constexpr std::string_view kSpecificDiseasesItem = "SpecificDiseasesCertificateInfo";
inline constexpr std::array<Field<D>, 5> kDiseaseFields{{
    {"SpecificDiseasesDiseaseCategory", &D::disease_category, CT::specific_diseases_category},
    {"SpecificDiseasesCertificateDate", &D::certificate_date},
    {"SpecificDiseasesValidStartDate", &D::valid_start_date},
    {"SpecificDiseasesValidEndDate", &D::valid_end_date},
    {"SpecificDiseasesSelfPay", &D::self_pay},
}};

// ResultList's items.
inline constexpr std::string_view kResultItem = "ResultOfQualificationConfirmation";

using Q = QualificationConfirmSearchInfo;
inline constexpr std::array<Field<Q>, 7> kSearchFields{{
    {"InsurerNumber", &Q::insurer_number},
    {"InsuredCardSymbol", &Q::insured_card_symbol},
    {"InsuredIdentificationNumber", &Q::insured_identification_number},
    {"InsuredBranchNumber", &Q::insured_branch_number},
    {"Birthdate", &Q::birthdate},
    {"LimitApplicationCertificateRelatedConsFlg", &Q::limit_consent_flag, CT::limit_consent},
    {"ArbitraryIdentifier", &Q::arbitrary_identifier},
}};

using G = ReferenceNumberRegistrationInfo;
inline constexpr std::array<Field<G>, 5> kRegistrationFields{{
    {"ReferenceNumber", &G::reference_number},
    {"InsurerNumber", &G::insurer_number},
    {"InsuredCardSymbol", &G::insured_card_symbol},
    {"InsuredIdentificationNumber", &G::insured_identification_number},
    {"InsuredBranchNumber", &G::insured_branch_number},
}};

}  // namespace mynacard::qualification::detail
