// XmlMsg answers and refusals of the reference service (answers.h).
#include "qualification_server/answers.h"

#include <array>
#include <ctime>
#include <nlohmann/json.hpp>

#include "core/error.h"

namespace mynacard::qualification::server {

namespace {

using namespace std::chrono_literals;

// Japan Standard Time: UTC+9 all year.
constexpr auto kJst = 9h;

std::tm jst_tm(TimePoint at) {
    const std::time_t t = std::chrono::system_clock::to_time_t(at + kJst);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    return tm;
}

std::string two(int v) {
    return (v < 10 ? "0" : "") + std::to_string(v);
}

std::string jst_digits(TimePoint at, bool with_time) {
    const std::tm tm = jst_tm(at);
    std::string s = std::to_string(tm.tm_year + 1900) + two(tm.tm_mon + 1) + two(tm.tm_mday);
    if (with_time) s += two(tm.tm_hour) + two(tm.tm_min) + two(tm.tm_sec);
    return s;
}

XmlMsg base_message(const std::string& institution_code, TimePoint now) {
    XmlMsg m;
    m.header.process_execution_time = jst_time(now);
    m.header.qualification_confirmation_date = jst_date(now);
    if (!institution_code.empty()) m.header.medical_institution_code = institution_code;
    m.header.reference_classification = "1";
    m.header.character_code_identifier = "0";
    return m;
}

// Element names are ASCII letters and digits; anything else cannot be one.
bool is_element_name(std::string_view name) {
    if (name.empty() || name.size() > 64) return false;
    for (const char c : name)
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
            return false;
    return true;
}

void append_escaped(std::string& out, std::string_view text) {
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            default:
                out += c;
        }
    }
}

void append_element(std::string& out, const std::string& name, const nlohmann::json& value,
                    int depth) {
    if (!is_element_name(name))
        throw Error(Errc::invalid_argument,
                    "record: '" + name.substr(0, 64) + "' is no element name");
    for (const std::string_view part : {"ConsFlg", "ConsTime", "AvailableTime"})
        if (name.find(part) != std::string::npos)
            throw Error(Errc::invalid_argument,
                        "record: " + name + " is a consent, given at each check, not enrolled");
    if (depth > 3) throw Error(Errc::invalid_argument, "record: " + name + " nested too deep");
    out += "<" + name + ">";
    if (value.is_string()) {
        append_escaped(out, value.get<std::string>());
    } else if (value.is_object()) {
        for (const auto& [key, inner] : value.items()) append_element(out, key, inner, depth + 1);
    } else if (value.is_array() && name == "SpecificDiseasesCertificateList") {
        for (const auto& item : value)
            append_element(out, "SpecificDiseasesCertificateInfo", item, depth + 1);
    } else {
        throw Error(Errc::invalid_argument,
                    "record: " + name + " must be a string (values are written as in the file)");
    }
    out += "</" + name + ">";
}

bool has_unknown(const ResultOfQualificationConfirmation& r, std::string& name) {
    const auto first = [&](const Unknown& u) {
        if (u.empty()) return false;
        name = u.front().name;
        return true;
    };
    if (first(r.unknown)) return true;
    if (r.elderly_recipient && first(r.elderly_recipient->unknown)) return true;
    if (r.limit_application && first(r.limit_application->unknown)) return true;
    if (r.specific_diseases)
        for (const auto& d : *r.specific_diseases)
            if (first(d.unknown)) return true;
    return false;
}

struct ConsentFields {
    ConsentItem item;
    Text ResultOfQualificationConfirmation::*flag;
    Text ResultOfQualificationConfirmation::*time;
};
using R = ResultOfQualificationConfirmation;
constexpr std::array<ConsentFields, 6> kConsentFields{{
    {ConsentItem::medication, &R::pharmacists_consent_flag, &R::pharmacists_consent_time},
    {ConsentItem::checkups, &R::health_checkups_consent_flag, &R::health_checkups_consent_time},
    {ConsentItem::diagnosis, &R::diagnosis_consent_flag, &R::diagnosis_consent_time},
    {ConsentItem::operation, &R::operation_consent_flag, &R::operation_consent_time},
    {ConsentItem::limit, &R::limit_consent_flag, &R::limit_consent_time},
    {ConsentItem::specific_disease, &R::specific_diseases_consent_flag,
     &R::specific_diseases_consent_time},
}};

}  // namespace

RefusalInfo info(Refusal refusal) noexcept {
    switch (refusal) {
        case Refusal::malformed_request:
            return {"MQS001", 400, "malformed request"};
        case Refusal::request_too_large:
            return {"MQS002", 413, "request too large"};
        case Refusal::rate_limited:
            return {"MQS003", 429, "too many requests from this client"};
        case Refusal::busy:
            return {"MQS004", 503, "service busy, try again"};
        case Refusal::not_found:
            return {"MQS005", 404, "no such resource"};
        case Refusal::unknown_nonce:
            return {"MQS010", 403, "unknown challenge nonce"};
        case Refusal::expired_nonce:
            return {"MQS011", 403, "challenge nonce expired"};
        case Refusal::replayed_nonce:
            return {"MQS012", 403, "challenge nonce already used"};
        case Refusal::stale_time:
            return {"MQS013", 403, "challenge time too old"};
        case Refusal::future_time:
            return {"MQS014", 403, "challenge time in the future"};
        case Refusal::institution:
            return {"MQS020", 403, "institution code not accepted by this service"};
        case Refusal::bad_certificate:
            return {"MQS030", 400, "certificate unreadable"};
        case Refusal::bad_signature:
            return {"MQS031", 403, "signature does not verify"};
        case Refusal::untrusted_chain:
            return {"MQS032", 403, "certificate not issued by a trusted CA"};
        case Refusal::not_yet_valid:
            return {"MQS033", 403, "certificate not yet valid"};
        case Refusal::expired_past_grace:
            return {"MQS034", 403, "certificate expired more than 3 months ago"};
        case Refusal::revoked:
            return {"MQS035", 403, "certificate revoked"};
        case Refusal::revoked_by_crl:
            return {"MQS036", 403, "certificate revoked (CRL)"};
        case Refusal::no_record:
            return {"MQS040", 404, "no record with these numbers"};
        case Refusal::several_records:
            return {"MQS041", 409, "several records with these numbers"};
        case Refusal::internal:
            return {"MQS090", 500, "internal error"};
    }
    return {"MQS090", 500, "internal error"};
}

std::string jst_time(TimePoint at) {
    return jst_digits(at, true);
}
std::string jst_date(TimePoint at) {
    return jst_digits(at, false);
}

TimePoint grace_end(TimePoint not_after) {
    std::tm tm = jst_tm(not_after);
    // The first moment of the fourth month after the month of expiry (JST) …
    tm.tm_mon += 4;
    tm.tm_mday = 1;
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    tm.tm_isdst = 0;
    const std::time_t first = ::timegm(&tm);  // normalises the month overflow
    // … minus one second, back from JST to UTC.
    return std::chrono::system_clock::from_time_t(first) - kJst - 1s;
}

XmlMsg refusal_message(Refusal refusal, const std::string& institution_code, TimePoint now,
                       std::optional<std::string> file_identifier) {
    const RefusalInfo i = info(refusal);
    XmlMsg m = base_message(institution_code, now);
    if (file_identifier) m.header.arbitrary_file_identifier = std::move(file_identifier);
    m.header.segment_of_result = "9";
    m.header.error_code = std::string(i.code);
    m.header.error_message = std::string(i.message);
    m.body.processing_result_status = "2";
    m.body.processing_result_code = std::string(i.code);
    m.body.processing_result_message = std::string(i.message);
    return m;
}

bool honoured(ConsentItem item, bool in_grace) noexcept {
    // §A.5: in the grace, qualification only — no medication or medical
    // information sharing. 限度額 and 特定疾病 are part of the qualification.
    const bool clinical = item == ConsentItem::medication || item == ConsentItem::checkups ||
                          item == ConsentItem::diagnosis || item == ConsentItem::operation;
    return !(in_grace && clinical);
}

QualificationValidity validity_of(const ResultOfQualificationConfirmation& record, TimePoint now) {
    if (record.disqualification_date && !record.disqualification_date->empty() &&
        *record.disqualification_date <= jst_date(now))
        return QualificationValidity::invalid;
    return QualificationValidity::valid;
}

XmlMsg card_answer(const CardAnswer& a,
                   const std::optional<ResultOfQualificationConfirmation>& record) {
    XmlMsg m = base_message(a.institution_code, a.now);
    m.header.arbitrary_file_identifier = a.file_identifier;
    m.header.segment_of_result = "1";
    m.body.processing_result_status = "1";
    if (!record) {
        m.body.qualification_validity = "4";
        return m;
    }
    ResultOfQualificationConfirmation r = *record;
    const std::string time = jst_time(a.now);
    const auto consents = canonical_consents(a.consents);
    for (const auto& f : kConsentFields) {
        const bool asked = std::find(consents.begin(), consents.end(), f.item) != consents.end();
        const bool given = asked && honoured(f.item, a.in_grace);
        r.*f.flag = given ? "1" : "0";
        r.*f.time = given ? Text(time) : std::nullopt;
    }
    r.pharmacists_available_time.reset();
    r.health_checkups_available_time.reset();
    r.diagnosis_available_time.reset();
    r.operation_available_time.reset();
    // Without consent, the certificate data are not shown.
    if (r.limit_consent_flag != "1") r.limit_application.reset();
    if (r.specific_diseases_consent_flag != "1") r.specific_diseases.reset();
    m.body.qualification_validity = std::to_string(static_cast<int>(validity_of(r, a.now)));
    if (a.in_grace) {
        m.body.processing_result_code = std::string(kGraceCode);
        m.body.processing_result_message =
            "certificate expired; qualification only until " + a.grace_until +
            " (3-month grace): medication, checkup, diagnosis and operation consents not honoured";
    }
    m.body.result_list = std::vector{std::move(r)};
    return m;
}

ResultOfQualificationConfirmation record_from_json(std::string_view json) {
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(json);
    } catch (const nlohmann::json::exception&) {
        throw Error(Errc::invalid_argument, "record: not JSON");
    }
    if (!doc.is_object()) throw Error(Errc::invalid_argument, "record: not a JSON object");
    std::string xml = "<XmlMsg><MessageBody><ResultList><ResultOfQualificationConfirmation>";
    for (const auto& [key, value] : doc.items()) append_element(xml, key, value, 0);
    xml += "</ResultOfQualificationConfirmation></ResultList></MessageBody></XmlMsg>";
    XmlMsg holder;
    try {
        holder = parse(ByteView(reinterpret_cast<const std::uint8_t*>(xml.data()), xml.size()));
    } catch (const Error& e) {
        throw Error(Errc::invalid_argument, std::string("record: ") + e.what());
    }
    auto record = holder.body.result_list->front();
    std::string unknown;
    if (has_unknown(record, unknown))
        throw Error(Errc::invalid_argument, "record: unknown element " + unknown);
    for (const auto& [value, name] :
         {std::pair{&record.insurer_number, "InsurerNumber"},
          std::pair{&record.insured_identification_number, "InsuredIdentificationNumber"},
          std::pair{&record.birthdate, "Birthdate"}})
        if (!*value || (*value)->empty())
            throw Error(Errc::invalid_argument, std::string("record: ") + name + " missing");
    if (!parse_date(record.birthdate, "Birthdate"))
        throw Error(Errc::invalid_argument, "record: Birthdate is not YYYYMMDD");
    return record;
}

}  // namespace mynacard::qualification::server
