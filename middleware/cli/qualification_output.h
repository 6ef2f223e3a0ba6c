#pragma once

// How `mynacard qualify` shows an answer of the qualification terminal
// (docs/cli.md): sentences for the front desk in the user's language, the
// expiry warnings of the certificates' end dates, and the copies --out
// keeps.

#include <iosfwd>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "qualification/xml_msg.h"

namespace mynacard::cli {

// Today in local time: the day the front desk sees.
[[nodiscard]] qualification::Date local_today();

// A validity end date that has passed or comes within three months (the
// front desk asks for the new certificate before the next visit).
enum class Expiry { expired, soon };
struct ExpiryWarning {
    std::string element;     // e.g. InsuredCardExpirationDate
    std::size_t result = 0;  // index in ResultList
    std::string date;        // YYYYMMDD as the file gave it
    Expiry expiry = Expiry::soon;
};
// Every end date of every result: the card's, the elderly recipient,
// limit and specific-disease certificates. A date that is not one is left out.
[[nodiscard]] std::vector<ExpiryWarning> expiry_warnings(const qualification::XmlMsg& message,
                                                         const qualification::Date& today);
[[nodiscard]] nlohmann::json to_json(const std::vector<ExpiryWarning>& warnings);

// The answer for a person at the front desk, the validity first.
void print_answer(std::ostream& out, const qualification::XmlMsg& message,
                  const qualification::Date& today);

// --out: the answer as XML (in the encoding its CharacterCodeIdentifier names,
// every element the model holds, unknown ones too) and as JSON (to_json),
// named after its ArbitraryFileIdentifier or, without a usable one, the
// local time; "-2", "-3", … when the name is taken. The folder is made
// (mode 0700) when missing. Returns the two paths.
[[nodiscard]] std::vector<std::string> save_answer(const std::string& dir,
                                                   const qualification::XmlMsg& message);

}  // namespace mynacard::cli
