#pragma once

// 保険者番号 as typed at the front desk: 6 digits (国民健康保険: 都道府県番号,
// 保険者別番号, 検証番号) or 8 digits (法別番号 first), the last digit being
// the 検証番号 (check digit) of the MHLW rule (insurer_number.cpp).

#include <optional>
#include <string_view>

namespace mynacard::qualification {

enum class InsurerNumberProblem {
    empty,         // nothing typed
    not_digits,    // a character that is not 0–9
    wrong_length,  // neither 6 nor 8 digits
    check_digit,   // the 検証番号 does not match the other digits
};

// nullopt when `typed` is a valid insurer number. Leading or trailing blanks
// are not trimmed: the form shows exactly what is sent.
[[nodiscard]] std::optional<InsurerNumberProblem> check_insurer_number(std::string_view typed);

// The 検証番号 of the digits before it (法別番号, 都道府県番号, 保険者別番号).
// Throws Error(invalid_argument) when `digits_without_check` is empty or
// holds a non-digit.
[[nodiscard]] int insurer_check_digit(std::string_view digits_without_check);

}  // namespace mynacard::qualification
