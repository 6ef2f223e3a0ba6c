#pragma once

// What the reference service answers: XmlMsg results and refusals, each
// refusal with its own ErrorCode (table in docs/qualification.md), and the
// insured records enrolled from JSON.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "qualification/reference_protocol.h"
#include "qualification/xml_msg.h"

namespace mynacard::qualification::server {

using TimePoint = std::chrono::system_clock::time_point;

// Why a request was refused. Each has its own ErrorCode and HTTP status.
enum class Refusal {
    malformed_request,   // MQS001 400
    request_too_large,   // MQS002 413
    rate_limited,        // MQS003 429
    busy,                // MQS004 503
    not_found,           // MQS005 404
    unknown_nonce,       // MQS010 403
    expired_nonce,       // MQS011 403
    replayed_nonce,      // MQS012 403
    stale_time,          // MQS013 403
    future_time,         // MQS014 403
    institution,         // MQS020 403
    bad_certificate,     // MQS030 400
    bad_signature,       // MQS031 403
    untrusted_chain,     // MQS032 403
    not_yet_valid,       // MQS033 403
    expired_past_grace,  // MQS034 403
    revoked,             // MQS035 403
    revoked_by_crl,      // MQS036 403
    no_record,           // MQS040 404 (照会番号 registration: nobody has these numbers)
    several_records,     // MQS041 409 (照会番号 registration: the numbers are not unique)
    internal,            // MQS090 500
};

struct RefusalInfo {
    std::string_view code;
    int http_status;
    std::string_view message;  // ErrorMessage: fixed text, never request data
};
[[nodiscard]] RefusalInfo info(Refusal refusal) noexcept;

// "MQS060": an answer given in the 3-month grace after the certificate's
// expiry (ProcessingResultCode, not an ErrorCode: the check succeeded).
inline constexpr std::string_view kGraceCode = "MQS060";

// YYYYMMDDhhmmss / YYYYMMDD in Japan time (JST, UTC+9, no daylight saving):
// the XmlMsg's clock.
[[nodiscard]] std::string jst_time(TimePoint at);
[[nodiscard]] std::string jst_date(TimePoint at);

// The last moment the 3-month grace after `not_after` allows: the end of the
// third month after the month of expiry, in Japan time (§A.5 [A50][A52]:
// "usable for 3 months after the month of expiry").
[[nodiscard]] TimePoint grace_end(TimePoint not_after);

// A refusal as the XmlMsg: SegmentOfResult 9, ErrorCode, ErrorMessage.
[[nodiscard]] XmlMsg refusal_message(Refusal refusal, const std::string& institution_code,
                                     TimePoint now,
                                     std::optional<std::string> file_identifier = std::nullopt);

// The answer to a card check: ReferenceClassification 1, SegmentOfResult 1,
// ProcessingResultStatus 1; QualificationValidity 4 without a record.
// Consent flags and times follow `consents`; in grace the clinical-data
// consents (medication, checkups, diagnosis, operation) are not honoured
// (flag 0) and ProcessingResultCode/Message say so.
struct CardAnswer {
    std::string institution_code;
    std::string file_identifier;  // ArbitraryFileIdentifier
    TimePoint now;
    std::vector<ConsentItem> consents;
    bool in_grace = false;
    std::string grace_until;  // YYYYMMDD, shown in the message
};
[[nodiscard]] XmlMsg card_answer(const CardAnswer& a,
                                 const std::optional<ResultOfQualificationConfirmation>& record);
// The consents the answer honoured: what a check stores.
[[nodiscard]] bool honoured(ConsentItem item, bool in_grace) noexcept;

// The validity of one record today: 2 (invalid) once DisqualificationDate
// has passed, else 1.
[[nodiscard]] QualificationValidity validity_of(const ResultOfQualificationConfirmation& record,
                                                TimePoint now);

// A record from JSON whose keys are the element names of
// ResultOfQualificationConfirmation (nested objects for the sub-records, an
// array of objects for SpecificDiseasesCertificateList). Codes are checked
// as the XmlMsg reader checks them; unknown keys, consent elements and a
// missing InsurerNumber / InsuredIdentificationNumber / Birthdate are
// refused with Error(invalid_argument) naming the key.
[[nodiscard]] ResultOfQualificationConfirmation record_from_json(std::string_view json);

}  // namespace mynacard::qualification::server
