// The signed challenge of the reference service (reference_protocol.h).
#include "qualification/reference_protocol.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <ctime>

#include "core/error.h"
#include "x509/x509.h"

namespace mynacard::qualification {

namespace {

constexpr std::array<std::pair<ConsentItem, std::string_view>, 6> kConsentNames{{
    {ConsentItem::medication, "medication"},
    {ConsentItem::checkups, "checkups"},
    {ConsentItem::diagnosis, "diagnosis"},
    {ConsentItem::operation, "operation"},
    {ConsentItem::limit, "limit"},
    {ConsentItem::specific_disease, "specific_disease"},
}};

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool all_digits(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string_view to_string(ConsentItem item) noexcept {
    for (const auto& [value, name] : kConsentNames)
        if (value == item) return name;
    return "?";
}

std::vector<ConsentItem> parse_consents(std::string_view list) {
    std::vector<ConsentItem> items;
    if (trim(list).empty()) return items;
    while (true) {
        const auto comma = list.find(',');
        const std::string_view word = trim(list.substr(0, comma));
        const auto* found = std::find_if(kConsentNames.begin(), kConsentNames.end(),
                                         [&](const auto& entry) { return entry.second == word; });
        if (found == kConsentNames.end()) {
            // The item is the caller's typing, not personal data; bounded anyway.
            throw Error(Errc::invalid_argument,
                        "unknown consent item '" + std::string(word.substr(0, 32)) +
                            "' (known: medication, checkups, diagnosis, operation, limit, "
                            "specific_disease)");
        }
        items.push_back(found->first);
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
    }
    return items;
}

std::vector<ConsentItem> canonical_consents(std::vector<ConsentItem> items) {
    std::sort(items.begin(), items.end());
    items.erase(std::unique(items.begin(), items.end()), items.end());
    return items;
}

namespace protocol {

bool is_institution_code(std::string_view code) noexcept {
    return code.size() == 10 && all_digits(code);
}

bool is_nonce(std::string_view nonce) noexcept {
    return nonce.size() == 2 * kNonceBytes && std::all_of(nonce.begin(), nonce.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

std::string format_time(TimePoint at) {
    const std::time_t t = std::chrono::system_clock::to_time_t(at);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    std::array<char, 32> buf{};
    const auto n = std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%SZ", &tm);
    return std::string(buf.data(), n);
}

std::optional<TimePoint> parse_time(std::string_view text) {
    // Exactly "YYYY-MM-DDThh:mm:ssZ": one spelling, so the signed bytes have one form.
    constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:ddZ";
    if (text.size() != kShape.size()) return std::nullopt;
    for (std::size_t i = 0; i < kShape.size(); ++i) {
        const bool digit = text[i] >= '0' && text[i] <= '9';
        if (kShape[i] == 'd' ? !digit : text[i] != kShape[i]) return std::nullopt;
    }
    const auto num = [&](std::size_t pos, std::size_t len) {
        return std::stoi(std::string(text.substr(pos, len)));
    };
    // system_clock counts nanoseconds in 64 bits from 1970: it spans 1678
    // to 2262, and from_time_t outside that overflows (undefined behaviour;
    // found at both ends by the reference_server fuzz target). No check is
    // about a time before the epoch or after the clock's end.
    constexpr int kFirstYear = 1970;
    constexpr int kLastYear = 2261;
    if (num(0, 4) < kFirstYear || num(0, 4) > kLastYear) return std::nullopt;
    std::tm tm{};
    tm.tm_year = num(0, 4) - 1900;
    tm.tm_mon = num(5, 2) - 1;
    tm.tm_mday = num(8, 2);
    tm.tm_hour = num(11, 2);
    tm.tm_min = num(14, 2);
    tm.tm_sec = num(17, 2);
    const int mon = tm.tm_mon, mday = tm.tm_mday, hour = tm.tm_hour;
    const std::time_t t = ::timegm(&tm);
    // timegm normalises 2026-02-31 into March: refuse what it had to change.
    if (t == -1 || tm.tm_mon != mon || tm.tm_mday != mday || tm.tm_hour != hour)
        return std::nullopt;
    return std::chrono::system_clock::from_time_t(t);
}

Bytes canonical_bytes(const Challenge& challenge) {
    if (!is_nonce(challenge.nonce))
        throw Error(Errc::invalid_argument, "challenge nonce is not 64 lowercase hex digits");
    if (!is_institution_code(challenge.institution_code))
        throw Error(Errc::invalid_argument, "institution code is not 10 digits");
    if (!parse_time(challenge.time))
        throw Error(Errc::invalid_argument, "challenge time is not YYYY-MM-DDThh:mm:ssZ");
    std::string consents;
    for (const ConsentItem item : canonical_consents(challenge.consents)) {
        if (!consents.empty()) consents += ',';
        consents += to_string(item);
    }
    std::string text(kChallengeFormat);
    text += "\nnonce=" + challenge.nonce;
    text += "\ninstitution=" + challenge.institution_code;
    text += "\ntime=" + challenge.time;
    text += "\nconsents=" + consents;
    return Bytes(text.begin(), text.end());
}

Bytes challenge_digest_info(const Challenge& challenge) {
    const Bytes data = canonical_bytes(challenge);
    return x509::digest_info(x509::Hash::sha256, x509::digest(x509::Hash::sha256, data));
}

}  // namespace protocol
}  // namespace mynacard::qualification
