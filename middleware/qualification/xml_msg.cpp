#include "qualification/xml_msg.h"

#include <algorithm>
#include <array>

#include "core/error.h"
#include "qualification/labels.h"

namespace mynacard::qualification {
namespace {

// The code of `value` as the enum E, after checking it is in `table`.
template <typename E>
std::optional<E> typed(const Text& value, CodeTable table, std::string_view element) {
    if (!value || value->empty()) return std::nullopt;
    if (find_code(table, *value) == nullptr)
        throw Error(Errc::malformed_data,
                    std::string(element) + ": the value is not " + std::string(describe(table)));
    return static_cast<E>(std::stoi(*value));
}

bool digits(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::optional<QualificationValidity> XmlMsg::validity() const {
    return typed<QualificationValidity>(body.qualification_validity,
                                        CodeTable::qualification_validity, "QualificationValidity");
}

std::optional<SegmentOfResult> XmlMsg::segment() const {
    return typed<SegmentOfResult>(header.segment_of_result, CodeTable::segment_of_result,
                                  "SegmentOfResult");
}

std::optional<ProcessingResultStatus> XmlMsg::status() const {
    return typed<ProcessingResultStatus>(body.processing_result_status,
                                         CodeTable::processing_result_status,
                                         "ProcessingResultStatus");
}

std::optional<ReferenceClassification> XmlMsg::reference() const {
    return typed<ReferenceClassification>(header.reference_classification,
                                          CodeTable::reference_classification,
                                          "ReferenceClassification");
}

std::optional<Encoding> XmlMsg::character_code() const {
    const auto code = typed<int>(header.character_code_identifier,
                                 CodeTable::character_code_identifier, "CharacterCodeIdentifier");
    if (!code) return std::nullopt;
    return *code == 1 ? Encoding::shift_jis : Encoding::utf8;
}

std::string normalized_insurer_number(std::string_view written) {
    // Blanks around the number carry nothing ([A31]: padded with blanks).
    const auto first = written.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    const auto last = written.find_last_not_of(" \t");
    std::string_view core = written.substr(first, last - first + 1);
    if (!digits(core)) return std::string(core);
    // 6-digit 国保 numbers and zero-padded ones agree on the 8-digit form.
    if (core.size() < 8) return std::string(8 - core.size(), '0') + std::string(core);
    return std::string(core);
}

std::optional<Date> parse_date(const Text& value, std::string_view element) {
    if (!value || value->empty()) return std::nullopt;
    const std::string& v = *value;
    if (v.size() != 8 || !digits(v))
        throw Error(Errc::malformed_data, std::string(element) + ": not a date (YYYYMMDD)");
    Date d{std::stoi(v.substr(0, 4)), std::stoi(v.substr(4, 2)), std::stoi(v.substr(6, 2))};
    constexpr std::array<int, 12> kDays{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (d.month < 1 || d.month > 12 || d.day < 1 ||
        d.day > kDays[static_cast<std::size_t>(d.month - 1)])
        throw Error(Errc::malformed_data, std::string(element) + ": not a date (YYYYMMDD)");
    const bool leap = (d.year % 4 == 0 && d.year % 100 != 0) || d.year % 400 == 0;
    if (d.month == 2 && d.day == 29 && !leap)
        throw Error(Errc::malformed_data, std::string(element) + ": not a date (YYYYMMDD)");
    return d;
}

}  // namespace mynacard::qualification
