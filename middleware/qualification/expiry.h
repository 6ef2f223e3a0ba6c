#pragma once

// The end dates of an answer's certificates that have passed or come soon
// (qualification-kiosk-ecosystem.md §A.5: the reader warns from three months
// before expiry), for every front end: `mynacard qualify` and the front desk.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "qualification/xml_msg.h"

namespace mynacard::qualification {

// Today in local time: the day the front desk sees.
[[nodiscard]] Date local_today();

// A validity end date that has passed or comes within three months (the
// front desk asks for the new certificate before the next visit).
enum class Expiry { expired, soon };
struct ExpiryWarning {
    std::string element;     // e.g. InsuredCardExpirationDate
    std::size_t result = 0;  // index in ResultList
    std::string date;        // YYYYMMDD as the file gave it
    Expiry expiry = Expiry::soon;
};

// One end date: nullopt when it is absent, not a date, or more than three
// months away.
[[nodiscard]] std::optional<Expiry> expiry_of(const Text& end_date, const Date& today);

// Every end date of every result: the card's, the elderly recipient,
// limit and specific-disease certificates. A date that is not one is left out.
[[nodiscard]] std::vector<ExpiryWarning> expiry_warnings(const XmlMsg& message, const Date& today);
// [{"element","result","date","expiry":"expired"|"soon"}]
[[nodiscard]] nlohmann::json to_json(const std::vector<ExpiryWarning>& warnings);

}  // namespace mynacard::qualification
