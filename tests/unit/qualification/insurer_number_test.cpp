// The 検証番号 of 保険者番号 against numbers published by their insurers, and
// every problem a typed number can have.

#include <gtest/gtest.h>

#include <string>

#include "core/error.h"
#include "qualification/insurer_number.h"

namespace q = mynacard::qualification;
using q::InsurerNumberProblem;

namespace {

// Real insurer numbers from public documents (an insurer number names an
// insurer, not a person):
// - 01040013: 全国健康保険協会 宮城支部 (kyoukaikenpo.or.jp, 保険証記号番号変換);
// - 33120015: 千葉県警察 (the worked example of the MHLW rule in clinic guides);
// - 138057: a Tokyo 国民健康保険 number in ORCA's published API examples;
// - 01130012, 01270016: 協会けんぽ 東京支部, 大阪支部 (協会けんぽ numbers its
//   branches 01, prefecture, 001, 検証番号, as the 宮城 page shows);
// - 138123: the test terminal's insurer (tests/data/qualification).
constexpr const char* kValid[] = {"01040013", "33120015", "138057",
                                  "01130012", "01270016", "138123"};

}  // namespace

TEST(InsurerNumber, PublishedNumbersCarryTheirCheckDigit) {
    for (const std::string n : kValid) {
        EXPECT_EQ(q::check_insurer_number(n), std::nullopt) << n;
        EXPECT_EQ(q::insurer_check_digit(n.substr(0, n.size() - 1)), n.back() - '0') << n;
    }
}

TEST(InsurerNumber, TheRuleSumsTheDigitsOfTwoDigitProducts) {
    // 8·2 = 16 counts 1+6 = 7, not 16: 38 → 3·1 + 8·2 → 3 + 7 = 10 → check 0.
    EXPECT_EQ(q::insurer_check_digit("38"), 0);
    // 5·2 = 10 counts 1 → check 9.
    EXPECT_EQ(q::insurer_check_digit("5"), 9);
    // A sum ending in 0 gives 0, not 10.
    EXPECT_EQ(q::insurer_check_digit("000000"), 0);
}

TEST(InsurerNumber, EveryOtherLastDigitIsRefused) {
    for (const std::string n : kValid)
        for (char d = '0'; d <= '9'; ++d) {
            if (d == n.back()) continue;
            std::string wrong = n;
            wrong.back() = d;
            EXPECT_EQ(q::check_insurer_number(wrong), InsurerNumberProblem::check_digit) << wrong;
        }
    // A swap of two neighbouring digits is caught too (here).
    EXPECT_EQ(q::check_insurer_number("10040013"), InsurerNumberProblem::check_digit);
}

TEST(InsurerNumber, EachProblemIsNamed) {
    EXPECT_EQ(q::check_insurer_number(""), InsurerNumberProblem::empty);
    EXPECT_EQ(q::check_insurer_number("0104001x"), InsurerNumberProblem::not_digits);
    EXPECT_EQ(q::check_insurer_number(" 138057"), InsurerNumberProblem::not_digits);
    EXPECT_EQ(q::check_insurer_number("０１０４００１３"), InsurerNumberProblem::not_digits);
    EXPECT_EQ(q::check_insurer_number("1380570"), InsurerNumberProblem::wrong_length);
    EXPECT_EQ(q::check_insurer_number("13805"), InsurerNumberProblem::wrong_length);
    EXPECT_EQ(q::check_insurer_number("010400130"), InsurerNumberProblem::wrong_length);
    EXPECT_THROW((void)q::insurer_check_digit(""), mynacard::Error);
    EXPECT_THROW((void)q::insurer_check_digit("12a"), mynacard::Error);
}
