#include "qualification/expiry.h"

#include <chrono>
#include <ctime>

#include "core/error.h"

namespace mynacard::qualification {

namespace {

// How long before an end date the front desk is warned: the patient is
// asked for the new certificate at the visit before it runs out (the
// reader itself warns from three months before, ecosystem §A.5 [A50][A51]).
constexpr std::chrono::months kWarnAhead{3};

std::chrono::sys_days days_of(const Date& d) {
    return std::chrono::year_month_day{std::chrono::year{d.year},
                                       std::chrono::month{static_cast<unsigned>(d.month)},
                                       std::chrono::day{static_cast<unsigned>(d.day)}};
}

}  // namespace

Date local_today() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    ::localtime_r(&now, &tm);
    return {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

std::optional<Expiry> expiry_of(const Text& end, const Date& today) {
    std::optional<Date> d;
    try {
        d = parse_date(end, "end date");
    } catch (const Error&) {
        return std::nullopt;  // shown as written, no warning
    }
    if (!d) return std::nullopt;
    const auto now = days_of(today);
    auto limit = std::chrono::year_month_day{now} + kWarnAhead;
    if (!limit.ok()) limit = limit.year() / limit.month() / std::chrono::last;
    if (days_of(*d) < now) return Expiry::expired;
    if (days_of(*d) <= std::chrono::sys_days{limit}) return Expiry::soon;
    return std::nullopt;
}

std::vector<ExpiryWarning> expiry_warnings(const XmlMsg& message, const Date& today) {
    std::vector<ExpiryWarning> out;
    if (!message.body.result_list) return out;
    const auto check = [&](std::size_t i, std::string_view element, const Text& end) {
        if (const auto e = expiry_of(end, today))
            out.push_back({std::string(element), i, *end, *e});
    };
    const auto& list = *message.body.result_list;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const auto& r = list[i];
        check(i, "InsuredCardExpirationDate", r.insured_card_expiration_date);
        if (r.elderly_recipient)
            check(i, "ElderlyRecipientValidEndDate", r.elderly_recipient->valid_end_date);
        if (r.limit_application)
            check(i, "LimitApplicationCertificateValidEndDate",
                  r.limit_application->valid_end_date);
        if (r.specific_diseases)
            for (const auto& s : *r.specific_diseases)
                check(i, "SpecificDiseasesValidEndDate", s.valid_end_date);
    }
    return out;
}

nlohmann::json to_json(const std::vector<ExpiryWarning>& warnings) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& w : warnings)
        out.push_back({{"element", w.element},
                       {"result", w.result},
                       {"date", w.date},
                       {"expiry", w.expiry == Expiry::expired ? "expired" : "soon"}});
    return out;
}

}  // namespace mynacard::qualification
