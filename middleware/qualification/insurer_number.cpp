#include "qualification/insurer_number.h"

#include "core/error.h"

namespace mynacard::qualification {

namespace {

// 6 digits for 国民健康保険 (no 法別番号), 8 for every other insurer.
constexpr std::size_t kShortLength = 6;
constexpr std::size_t kLongLength = 8;

bool all_digits(std::string_view s) {
    return s.find_first_not_of("0123456789") == std::string_view::npos;
}

}  // namespace

// The 検証番号 rule of the MHLW's 保険者番号設定要領 (保険局長通知「保険者番号等
// の設定について」):
//   (1) 法別番号、都道府県番号及び保険者別番号の各数に末尾の桁を起点として
//       順次2と1を乗じる。
//   (2) (1)で算出した積の和を求める。ただし、積が2桁となる場合は、1桁目と
//       2桁目の数字の和とする。
//   (3) 10から(2)で算出した数字の下1桁の数を差し引いたものを検証番号とする。
//       ただし、一の位の数が0のときは検証番号を0とする。
// Worked example there and in clinic guides: 33120015 (千葉県警察共済組合):
// 3·2 + 3·1 + 1·2 + 2·1 + 0·2 + 0·1 + 1·2 = 15 → 10 − 5 = 5.
int insurer_check_digit(std::string_view digits) {
    if (digits.empty() || !all_digits(digits))
        throw Error(Errc::invalid_argument, "insurer number: digits expected");
    int sum = 0;
    int weight = 2;  // the last digit before the check digit is doubled
    for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
        const int product = (*it - '0') * weight;
        sum += product / 10 + product % 10;  // a two-digit product adds its digits
        weight = weight == 2 ? 1 : 2;
    }
    return (10 - sum % 10) % 10;
}

std::optional<InsurerNumberProblem> check_insurer_number(std::string_view typed) {
    if (typed.empty()) return InsurerNumberProblem::empty;
    if (!all_digits(typed)) return InsurerNumberProblem::not_digits;
    if (typed.size() != kShortLength && typed.size() != kLongLength)
        return InsurerNumberProblem::wrong_length;
    if (insurer_check_digit(typed.substr(0, typed.size() - 1)) != typed.back() - '0')
        return InsurerNumberProblem::check_digit;
    return std::nullopt;
}

}  // namespace mynacard::qualification
