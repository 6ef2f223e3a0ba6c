#include "card/facts.h"

#include <algorithm>

namespace mynacard::card {

namespace {

constexpr std::string_view kMaskDot = "\u25CF";  // ●, as the kiosk and card view always showed
constexpr std::size_t kMyNumberDigits = 12;
constexpr std::size_t kShownDigits = 4;
constexpr std::size_t kGroup = 4;  // 4-4-4 as printed on the card

bool all_digits(std::string_view s) noexcept {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool leap(int year) noexcept {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in(int year, int month) noexcept {
    constexpr std::array<int, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && leap(year) ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

int number(std::string_view digits) noexcept {
    int n = 0;
    for (const char c : digits) n = n * 10 + (c - '0');
    return n;
}

std::string two_digits(int n) {
    return std::string(1, static_cast<char>('0' + n / 10)) + static_cast<char>('0' + n % 10);
}

std::string month_day_ja(const Date& d) {
    return std::to_string(d.month) + "月" + std::to_string(d.day) + "日";
}

}  // namespace

std::string mask_my_number(std::string_view number) {
    const bool well_formed = number.size() == kMyNumberDigits && all_digits(number);
    const std::size_t shown = well_formed ? kShownDigits : 0;
    std::string out;
    out.reserve(number.size() * (kMaskDot.size() + 1));
    for (std::size_t i = 0; i < number.size(); ++i) {
        if (i > 0 && i % kGroup == 0) out += ' ';
        if (i + shown < number.size())
            out += kMaskDot;
        else
            out += number[i];
    }
    return out;
}

std::optional<Sex> parse_sex(std::string_view code) noexcept {
    if (code == "1") return Sex::male;
    if (code == "2") return Sex::female;
    if (code == "9") return Sex::not_applicable;
    return std::nullopt;
}

std::string_view sex_text(Sex sex, Language language) noexcept {
    const bool ja = language == Language::ja;
    switch (sex) {
        case Sex::male:
            return ja ? "男" : "male";
        case Sex::female:
            return ja ? "女" : "female";
        case Sex::not_applicable:
            return ja ? "適用不能" : "not applicable";
    }
    return ja ? "不明" : "unknown";
}

std::string_view sex_text(std::string_view code, Language language) noexcept {
    if (const auto sex = parse_sex(code)) return sex_text(*sex, language);
    return language == Language::ja ? "不明" : "unknown";
}

std::optional<Date> parse_date(std::string_view yyyymmdd) noexcept {
    if (yyyymmdd.size() != 8 || !all_digits(yyyymmdd)) return std::nullopt;
    const Date d{number(yyyymmdd.substr(0, 4)), number(yyyymmdd.substr(4, 2)),
                 number(yyyymmdd.substr(6, 2))};
    if (d.year < 1 || d.month < 1 || d.month > 12 || d.day < 1 || d.day > days_in(d.year, d.month))
        return std::nullopt;
    return d;
}

std::string gregorian_text(const Date& d, Language language) {
    if (language == Language::ja) return std::to_string(d.year) + "年" + month_day_ja(d);
    std::string year = std::to_string(d.year);
    year.insert(0, year.size() < 4 ? 4 - year.size() : 0, '0');
    return year + '-' + two_digits(d.month) + '-' + two_digits(d.day);
}

std::optional<JapaneseYear> japanese_year(const Date& date) noexcept {
    // Newest first: the first era that had begun by `date`.
    for (auto era = kEras.rbegin(); era != kEras.rend(); ++era)
        if (date >= era->first_day) return JapaneseYear{&*era, date.year - era->first_day.year + 1};
    return std::nullopt;
}

std::optional<std::string> japanese_era_text(const Date& date) {
    const auto y = japanese_year(date);
    if (!y) return std::nullopt;
    // The first year of an era is 元年, not 1年.
    const std::string year = y->year == 1 ? "元" : std::to_string(y->year);
    return std::string(y->era->name) + year + "年" + month_day_ja(date);
}

std::optional<std::string> birth_date_text(std::string_view yyyymmdd, Language language) {
    const auto d = parse_date(yyyymmdd);
    if (!d) return std::nullopt;
    return gregorian_text(*d, language);
}

}  // namespace mynacard::card
