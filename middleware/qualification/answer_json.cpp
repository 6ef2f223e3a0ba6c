#include "qualification/answer_json.h"

#include <string>

#include "qualification/labels.h"
// The model's element tables: the reader, the writer and this mapping name
// each element in the same one place.
#include "qualification/schema.h"

namespace mynacard::qualification {

namespace {

namespace q = qualification;
namespace d = detail;
using nlohmann::json;

json null_or(std::string_view s) {
    return s.empty() ? json(nullptr) : json(std::string(s));
}

json coded(q::CodeTable table, const std::string& code) {
    return {{"code", code},
            {"ja", null_or(q::label(table, code, q::Language::ja))},
            {"en", null_or(q::label(table, code, q::Language::en))}};
}

// Percent in three digits ("020" = 2割 / 20 %, labels.h).
json ratio(const std::string& code) {
    const auto ja = q::contribution_ratio_label(code, q::Language::ja);
    const auto en = q::contribution_ratio_label(code, q::Language::en);
    return {{"code", code},
            {"ja", ja ? json(*ja) : json(nullptr)},
            {"en", en ? json(*en) : json(nullptr)}};
}

bool is_ratio(std::string_view element) {
    return element == "InsuredPartialContributionRatio" ||
           element == "ElderlyRecipientContributionRatio";
}

json unknown_json(const q::Unknown& unknown) {
    json out = json::array();
    for (const auto& u : unknown)
        out.push_back({{"name", u.name}, {"text", u.text}, {"children", unknown_json(u.children)}});
    return out;
}

// The plain and coded elements of one record, by its table; nested records
// are added by the caller (`nested` is called for each such row).
template <typename S, std::size_t N, typename Nest>
json record(const S& value, const std::array<d::Field<S>, N>& fields, Nest nested) {
    json out = json::object();
    for (const auto& f : fields) {
        if (f.member == nullptr) {
            nested(f.nested, std::string(f.name), out);
            continue;
        }
        const q::Text& text = value.*(f.member);
        if (!text) continue;
        if (f.table)
            out[std::string(f.name)] = coded(*f.table, *text);
        else if (is_ratio(f.name))
            out[std::string(f.name)] = ratio(*text);
        else
            out[std::string(f.name)] = *text;
    }
    if (!value.unknown.empty()) out["unknown"] = unknown_json(value.unknown);
    return out;
}

template <typename S, std::size_t N>
json flat(const S& value, const std::array<d::Field<S>, N>& fields) {
    return record(value, fields, [](d::Nested, const std::string&, json&) {});
}

json result_json(const q::ResultOfQualificationConfirmation& r) {
    return record(r, d::kResultFields, [&](d::Nested n, const std::string& name, json& out) {
        if (n == d::Nested::elderly && r.elderly_recipient)
            out[name] = flat(*r.elderly_recipient, d::kElderlyFields);
        if (n == d::Nested::limit && r.limit_application)
            out[name] = flat(*r.limit_application, d::kLimitFields);
        if (n == d::Nested::specific_diseases && r.specific_diseases) {
            json list = json::array();
            for (const auto& s : *r.specific_diseases) list.push_back(flat(s, d::kDiseaseFields));
            out[name] = std::move(list);
        }
    });
}

json body_json(const q::MessageBody& b) {
    return record(b, d::kBodyFields, [&](d::Nested n, const std::string& name, json& out) {
        if (n == d::Nested::result_list && b.result_list) {
            json list = json::array();
            for (const auto& r : *b.result_list) list.push_back(result_json(r));
            out[name] = std::move(list);
        }
        if (n == d::Nested::search_info && b.search_info)
            out[name] = flat(*b.search_info, d::kSearchFields);
        if (n == d::Nested::registration && b.registration)
            out[name] = flat(*b.registration, d::kRegistrationFields);
    });
}

}  // namespace

nlohmann::json to_json(const XmlMsg& message) {
    json out{{"MessageHeader", flat(message.header, d::kHeaderFields)},
             {"MessageBody", body_json(message.body)}};
    if (!message.unknown.empty()) out["unknown"] = unknown_json(message.unknown);
    return out;
}

}  // namespace mynacard::qualification
