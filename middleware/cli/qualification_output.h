#pragma once

// How `mynacard qualify` shows an answer of the qualification terminal
// (docs/cli.md): sentences for the front desk in the user's language and
// the copies --out keeps. The expiry warnings and the JSON form are the
// model library's (qualification/expiry.h, qualification/answer_json.h).

#include <iosfwd>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "qualification/expiry.h"
#include "qualification/xml_msg.h"

namespace mynacard::cli {

using qualification::Expiry;
using qualification::expiry_warnings;
using qualification::ExpiryWarning;
using qualification::local_today;
using qualification::to_json;

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
