#pragma once

// The XmlMsg model as JSON (`mynacard qualify --json`, docs/cli.md; the
// front desk's exports, docs/front-desk.md): every element the model holds,
// under its element name, codes with their Japanese and English labels. One
// mapping, so that every front end prints the same keys.

#include <nlohmann/json.hpp>

#include "qualification/xml_msg.h"

namespace mynacard::qualification {

// {"MessageHeader":{…},"MessageBody":{…}} and "unknown" when the message has
// further children. In every record:
// - an absent element has no key, an empty one is "" (they differ in the files);
// - a coded element (QualificationValidity, Sex1, …) and a contribution
//   ratio is {"code","ja","en"}, the labels null when unknown or empty;
// - nested records are objects, lists (ResultList,
//   SpecificDiseasesCertificateList) arrays;
// - elements the model does not know are in "unknown": [{"name","text","children"}].
// The value holds personal data: the caller wipes it once printed.
[[nodiscard]] nlohmann::json to_json(const XmlMsg& message);

}  // namespace mynacard::qualification
