#include "softcard/holder.h"

#include <algorithm>
#include <array>

#include "core/error.h"

namespace mynacard::softcard {

namespace {

bool all_digits(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

struct EraStart {
    int era;
    int first_day;  // Gregorian YYYYMMDD of 元年's first day
    int base_year;  // Gregorian year of 元年
};
// Era changes (Gregorian dates); 明治 counted from its proclamation.
constexpr std::array<EraStart, 5> kEras{{
    {5, 20190501, 2019},  // 令和
    {4, 19890108, 1989},  // 平成
    {3, 19261225, 1926},  // 昭和
    {2, 19120730, 1912},  // 大正
    {1, 18681023, 1868},  // 明治
}};

}  // namespace

int my_number_check_digit(std::string_view first11) {
    if (first11.size() != 11 || !all_digits(first11))
        throw Error(Errc::invalid_argument, "My Number body must be 11 digits");
    int sum = 0;
    for (int n = 1; n <= 11; ++n) {
        const int p = first11[static_cast<std::size_t>(11 - n)] - '0';
        const int q = n <= 6 ? n + 1 : n - 5;
        sum += p * q;
    }
    const int r = sum % 11;
    return r <= 1 ? 0 : 11 - r;
}

bool is_valid_my_number(std::string_view number) noexcept {
    if (number.size() != 12 || !all_digits(number)) return false;
    return my_number_check_digit(number.substr(0, 11)) == number[11] - '0';
}

EraDate to_era(std::string_view yyyymmdd) {
    if (yyyymmdd.size() != 8 || !all_digits(yyyymmdd))
        throw Error(Errc::invalid_argument, "date must be YYYYMMDD");
    const int date = std::stoi(std::string(yyyymmdd));
    for (const auto& e : kEras) {
        if (date >= e.first_day) return {e.era, date / 10000 - e.base_year + 1};
    }
    throw Error(Errc::invalid_argument, "date before the Meiji era");
}

std::string era_birth_code(std::string_view birth_yyyymmdd) {
    const auto era = to_era(birth_yyyymmdd);
    const int yy = era.year % 100;
    return std::string{static_cast<char>('0' + yy / 10), static_cast<char>('0' + yy % 10)} +
           std::string(birth_yyyymmdd.substr(4, 4));
}

std::string verification_code_b(std::string_view birth_yyyymmdd,
                                std::string_view card_expiry_yyyymmdd,
                                std::string_view security_code) {
    if (card_expiry_yyyymmdd.size() != 8 || !all_digits(card_expiry_yyyymmdd))
        throw Error(Errc::invalid_argument, "card expiry must be YYYYMMDD");
    if (security_code.size() != 4 || !all_digits(security_code))
        throw Error(Errc::invalid_argument, "security code must be 4 digits");
    return era_birth_code(birth_yyyymmdd) + std::string(card_expiry_yyyymmdd.substr(0, 4)) +
           std::string(security_code);
}

}  // namespace mynacard::softcard
