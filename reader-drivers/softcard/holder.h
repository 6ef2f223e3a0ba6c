#pragma once

#include <string>
#include <string_view>

namespace mynacard::softcard {

// Check digit of a 12-digit My Number from its first 11 digits, by the rule
// the My Number Act's ministerial ordinance (番号法施行規則) fixes: Σ Pn×Qn over
// the digits counted from the right, Qn = n+1 (n ≤ 6) or n−5 (n ≥ 7);
// check = 11 − (Σ mod 11), or 0 when the remainder is ≤ 1.
// Throws Error(invalid_argument) unless `first11` is 11 ASCII digits.
[[nodiscard]] int my_number_check_digit(std::string_view first11);
[[nodiscard]] bool is_valid_my_number(std::string_view number) noexcept;

// Japanese era of a Gregorian date YYYYMMDD: 1 明治, 2 大正, 3 昭和, 4 平成,
// 5 令和 (the digit the JPKI signature certificate puts before the birth
// date, card-facts.md §8.2) and the era year (1 = 元年).
struct EraDate {
    int era = 0;
    int year = 0;
};
[[nodiscard]] EraDate to_era(std::string_view yyyymmdd);

// 券面AP birth-date key: era-year YYMMDD (card-facts.md §4.1).
[[nodiscard]] std::string era_birth_code(std::string_view birth_yyyymmdd);
// 照合番号B: era-year YYMMDD + 4-digit Gregorian card-expiry year + 4-digit
// security code = 14 digits (card-facts.md §4.2).
[[nodiscard]] std::string verification_code_b(std::string_view birth_yyyymmdd,
                                              std::string_view card_expiry_yyyymmdd,
                                              std::string_view security_code);

}  // namespace mynacard::softcard
