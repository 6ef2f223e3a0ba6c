#pragma once

// The XmlMsg files exchanged with the qualification terminal (オンライン資格確認,
// architecture decision 10). Values stay the file's strings — dates as
// YYYYMMDD, times as YYYYMMDDhhmmss, codes as written — so a file read and
// written again says what it said; typed accessors interpret them.
//
// Element names are the public ones (docs: qualification-kiosk-ecosystem.md
// §A.3 — [A32] MessageHeader/MessageBody/ResultOfQualificationConfirmation,
// [A30] QualificationConfirmSearchInfo, [A35] the certificate sub-records,
// [A36] the consent items, [A40] ReferenceNumberRegistrationInfo). The
// official interface specification is not public: whatever this model does
// not know is kept as an UnknownElement, in order, and written back.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.h"

namespace mynacard::qualification {

// Absent (std::nullopt) and empty (<ErrorCode/>) are different: both occur.
using Text = std::optional<std::string>;

// An element the model does not know: its name, its text and its children,
// kept so that writing the message back loses nothing.
struct UnknownElement {
    std::string name;
    std::string text;
    std::vector<UnknownElement> children;
    bool operator==(const UnknownElement&) const = default;
};
using Unknown = std::vector<UnknownElement>;

enum class Encoding { utf8, shift_jis };

// MessageHeader [A32][A33]; ReceptionNumber and the counts come from the
// two-step bulk results [A34][A46] (UNCERTAIN, kept as strings).
struct MessageHeader {
    Text process_execution_time;           // ProcessExecutionTime, YYYYMMDDhhmmss
    Text qualification_confirmation_date;  // QualificationConfirmationDate, YYYYMMDD
    Text medical_institution_code;         // MedicalInstitutionCode, 10 digits
    Text arbitrary_file_identifier;        // ArbitraryFileIdentifier, echoed back
    Text reference_classification;         // ReferenceClassification (labels.h)
    Text segment_of_result;                // SegmentOfResult
    Text error_code;                       // ErrorCode
    Text error_message;                    // ErrorMessage
    Text character_code_identifier;        // CharacterCodeIdentifier: 0 UTF-8, 1 Shift_JIS
    Text reception_number;                 // ReceptionNumber (bulk)
    Text number_of_processing_result;      // NumberOfProcessingResult (bulk)
    Text number_of_normal_processing;      // NumberOfNormalProcessing (bulk)
    Text number_of_error;                  // NumberOfError (bulk)
    Unknown unknown;
    bool operator==(const MessageHeader&) const = default;
};

// 高齢受給者証 [A35].
struct ElderlyRecipientCertificateInfo {
    Text certificate_date;    // ElderlyRecipientCertificateDate
    Text valid_start_date;    // ElderlyRecipientValidStartDate
    Text valid_end_date;      // ElderlyRecipientValidEndDate
    Text contribution_ratio;  // ElderlyRecipientContributionRatio, percent "020"
    Unknown unknown;
    bool operator==(const ElderlyRecipientCertificateInfo&) const = default;
};

// 限度額適用認定証 [A35].
struct LimitApplicationCertificateRelatedInfo {
    Text classification;       // LimitApplicationCertificateClassification 01–03
    Text classification_flag;  // LimitApplicationCertificateClassificationFlag A01–B10
    Text certificate_date;     // LimitApplicationCertificateDate
    Text valid_start_date;     // LimitApplicationCertificateValidStartDate
    Text valid_end_date;       // LimitApplicationCertificateValidEndDate
    Text long_term_date;       // LimitApplicationCertificateLongTermDate (長期入院該当日)
    Unknown unknown;
    bool operator==(const LimitApplicationCertificateRelatedInfo&) const = default;
};

// 特定疾病療養受療証, one per certificate [A35].
struct SpecificDiseasesCertificateInfo {
    Text disease_category;  // SpecificDiseasesDiseaseCategory 1–3
    Text certificate_date;  // SpecificDiseasesCertificateDate
    Text valid_start_date;  // SpecificDiseasesValidStartDate
    Text valid_end_date;    // SpecificDiseasesValidEndDate
    Text self_pay;          // SpecificDiseasesSelfPay, yen per month
    Unknown unknown;
    bool operator==(const SpecificDiseasesCertificateInfo&) const = default;
};

// One person's qualification [A32][A35][A36].
struct ResultOfQualificationConfirmation {
    Text insured_card_classification;         // InsuredCardClassification 01–07
    Text insurer_number;                      // InsurerNumber (as written: zeros or blanks)
    Text insured_card_symbol;                 // InsuredCardSymbol 記号
    Text insured_identification_number;       // InsuredIdentificationNumber 番号
    Text insured_branch_number;               // InsuredBranchNumber 枝番
    Text personal_family_classification;      // PersonalFamilyClassification 1/2
    Text insured_name;                        // InsuredName 世帯主氏名
    Text name;                                // Name
    Text name_of_other;                       // NameOfOther 通称
    Text name_kana;                           // NameKana (half-width katakana)
    Text name_of_other_kana;                  // NameOfOtherKana
    Text sex1;                                // Sex1 券面の性別
    Text sex2;                                // Sex2
    Text birthdate;                           // Birthdate YYYYMMDD
    Text address;                             // Address
    Text post_number;                         // PostNumber
    Text qualification_date;                  // QualificationDate 資格取得日
    Text disqualification_date;               // DisqualificationDate 資格喪失日
    Text insured_certificate_issuance_date;   // InsuredCertificateIssuanceDate
    Text insured_card_valid_date;             // InsuredCardValidDate
    Text insured_card_expiration_date;        // InsuredCardExpirationDate
    Text insured_partial_contribution_ratio;  // InsuredPartialContributionRatio "010"
    Text preschool_classification;            // PreschoolClassification
    Text reason_of_loss;                      // ReasonOfLoss
    Text insurer_name;                        // InsurerName
    std::optional<ElderlyRecipientCertificateInfo> elderly_recipient;
    Text limit_consent_flag;  // LimitApplicationCertificateRelatedConsFlg
    Text limit_consent_time;  // LimitApplicationCertificateRelatedConsTime
    std::optional<LimitApplicationCertificateRelatedInfo> limit_application;
    Text specific_diseases_consent_flag;  // SpecificDiseasesCertificateRelatedConsFlg
    Text specific_diseases_consent_time;  // SpecificDiseasesCertificateRelatedConsTime
    // SpecificDiseasesCertificateList; nullopt when the element is absent.
    std::optional<std::vector<SpecificDiseasesCertificateInfo>> specific_diseases;
    // Consents for viewing clinical data [A36]: flag, time given, time until
    // which the clinic may view (…AvailableTime, meaning UNCERTAIN).
    Text pharmacists_consent_flag;        // PharmacistsInfoConsFlg
    Text pharmacists_consent_time;        // PharmacistsInfoConsTime
    Text pharmacists_available_time;      // PharmacistsInfoAvailableTime
    Text health_checkups_consent_flag;    // SpecificHealthCheckupsInfoConsFlg
    Text health_checkups_consent_time;    // SpecificHealthCheckupsInfoConsTime
    Text health_checkups_available_time;  // SpecificHealthCheckupsInfoAvailableTime
    Text diagnosis_consent_flag;          // DiagnosisInfoConsFlg
    Text diagnosis_consent_time;          // DiagnosisInfoConsTime
    Text diagnosis_available_time;        // DiagnosisInfoAvailableTime
    Text operation_consent_flag;          // OperationInfoConsFlg
    Text operation_consent_time;          // OperationInfoConsTime
    Text operation_available_time;        // OperationInfoAvailableTime
    Text reference_number;                // ReferenceNumber 照会番号
    Unknown unknown;
    bool operator==(const ResultOfQualificationConfirmation&) const = default;
};

// The number-based request and its echo in the answer [A29][A30].
struct QualificationConfirmSearchInfo {
    Text insurer_number;                 // InsurerNumber
    Text insured_card_symbol;            // InsuredCardSymbol
    Text insured_identification_number;  // InsuredIdentificationNumber
    Text insured_branch_number;          // InsuredBranchNumber
    Text birthdate;                      // Birthdate
    Text limit_consent_flag;             // LimitApplicationCertificateRelatedConsFlg
    Text arbitrary_identifier;           // ArbitraryIdentifier
    Unknown unknown;
    bool operator==(const QualificationConfirmSearchInfo&) const = default;
};

// 照会番号 registration (OQSsiimm01), request and echo [A40][A31].
struct ReferenceNumberRegistrationInfo {
    Text reference_number;               // ReferenceNumber
    Text insurer_number;                 // InsurerNumber
    Text insured_card_symbol;            // InsuredCardSymbol
    Text insured_identification_number;  // InsuredIdentificationNumber
    Text insured_branch_number;          // InsuredBranchNumber
    Unknown unknown;
    bool operator==(const ReferenceNumberRegistrationInfo&) const = default;
};

enum class QualificationValidity {
    valid = 1,
    invalid = 2,
    invalid_new_qualification = 3,
    no_qualification = 4,
    multiple = 5,
};
enum class SegmentOfResult { normal = 1, processing = 2, abnormal = 9 };
enum class ProcessingResultStatus { normal = 1, error = 2 };
enum class ReferenceClassification { my_number_card = 1, insurance_card = 2 };

struct MessageBody {
    Text processing_result_status;   // ProcessingResultStatus
    Text processing_result_code;     // ProcessingResultCode
    Text processing_result_message;  // ProcessingResultMessage
    Text qualification_validity;     // QualificationValidity
    Text prescription_issue_select;  // PrescriptionIssueSelect
    // ResultList; nullopt when the element is absent.
    std::optional<std::vector<ResultOfQualificationConfirmation>> result_list;
    std::optional<QualificationConfirmSearchInfo> search_info;
    std::optional<ReferenceNumberRegistrationInfo> registration;
    Unknown unknown;
    bool operator==(const MessageBody&) const = default;
};

struct XmlMsg {
    MessageHeader header;
    MessageBody body;
    Unknown unknown;  // further children of <XmlMsg>
    bool operator==(const XmlMsg&) const = default;

    // Typed views of the codes; std::nullopt when absent or empty. Throw
    // Error(malformed_data) naming the element when the code is not known
    // (parse() has already refused those, so only hand-built messages can).
    [[nodiscard]] std::optional<QualificationValidity> validity() const;
    [[nodiscard]] std::optional<SegmentOfResult> segment() const;
    [[nodiscard]] std::optional<ProcessingResultStatus> status() const;
    [[nodiscard]] std::optional<ReferenceClassification> reference() const;
    // The encoding CharacterCodeIdentifier names (nullopt when absent).
    [[nodiscard]] std::optional<Encoding> character_code() const;
};

// An answer and the bytes it arrived as: the front desk exports what the
// national side sent, in its own encoding, not a rewrite of it.
struct Received {
    XmlMsg message;
    Bytes bytes;
};

// The largest file read: a single result is a few kilobytes; bulk results
// for a clinic's patients stay well below this.
constexpr std::size_t kMaxFileSize = 8 * 1024 * 1024;

// Reads a file's bytes. The encoding is the XML declaration's when it names
// one (every Shift_JIS label is read as CP932, what Windows writes), else
// CharacterCodeIdentifier's, else UTF-8. No DTD, no entity, nothing fetched.
// Throws Error(malformed_data) naming the element; Error(invalid_argument)
// when the input is larger than kMaxFileSize.
[[nodiscard]] XmlMsg parse(ByteView file);
// The encoding parse() chose for these bytes.
[[nodiscard]] Encoding detect_encoding(ByteView file);

// Writes the message in `encoding`: the declaration names it and
// CharacterCodeIdentifier is set to match (added when absent). Throws
// Error(invalid_argument) naming the element whose text has no Shift_JIS form.
[[nodiscard]] Bytes write(const XmlMsg& message, Encoding encoding);

// Insurer numbers are written with leading zeros or blanks ([A31]); this is
// the 8-digit form for comparison ("  123456" and "00123456" agree). The
// stored value is never changed. Non-digit content is returned trimmed.
[[nodiscard]] std::string normalized_insurer_number(std::string_view written);

// Date "YYYYMMDD" of `element` (for messages), checked for shape.
struct Date {
    int year;
    int month;
    int day;
    bool operator==(const Date&) const = default;
};
[[nodiscard]] std::optional<Date> parse_date(const Text& value, std::string_view element);

}  // namespace mynacard::qualification
