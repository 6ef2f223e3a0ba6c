#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

// The card's personal facts as people read them on the card face: the My
// Number masked, the JIS X 0303 sex code and the YYYYMMDD birth date in
// words. One rule each, so the CLI, the card view and the kiosk show the
// same thing. Pure functions, no card I/O; nothing here logs or puts a
// value into an error text (decision 11).
namespace mynacard::card {

enum class Language { ja, en };

// Decision 11: the My Number is masked unless the holder asks. Only the last
// 4 digits stay, enough for the holder to tell their card from another and
// too few to be worth anything to whoever sees the screen, grouped 4-4-4 as
// printed on the card: "●●●● ●●●● 1234". Anything that is not exactly 12
// ASCII digits is masked whole (no digit shown), grouped the same way; ""
// stays "". The result is a new string: the caller wipes both.
[[nodiscard]] std::string mask_my_number(std::string_view number);

// JIS X 0303 (人間の性別の表示のためのコード): 1 male, 2 female, 9 not
// applicable. Its 0 ("not known") and anything else is no Sex here.
enum class Sex { male, female, not_applicable };
[[nodiscard]] std::optional<Sex> parse_sex(std::string_view code) noexcept;
// 男 / 女 / 適用不能, male / female / not applicable, as on the card face.
[[nodiscard]] std::string_view sex_text(Sex sex, Language language) noexcept;
// The code in words; 不明 / unknown for anything that is not one of the three.
[[nodiscard]] std::string_view sex_text(std::string_view code, Language language) noexcept;

struct Date {
    int year = 0;
    int month = 0;
    int day = 0;
    friend constexpr bool operator==(const Date&, const Date&) = default;
    friend constexpr auto operator<=>(const Date&, const Date&) = default;
};

// YYYYMMDD, Gregorian, a day that exists (leap years by the Gregorian rule,
// year 0001 or later). Nothing for anything else.
[[nodiscard]] std::optional<Date> parse_date(std::string_view yyyymmdd) noexcept;

// 西暦: "1980年2月17日" (ja) / "1980-02-17" (en, ISO 8601).
[[nodiscard]] std::string gregorian_text(const Date& date, Language language);

struct Era {
    std::string_view name;  // 明治 …
    std::string_view romaji;
    Date first_day;  // Gregorian
};

// The eras since the Gregorian dates of 改元 (first day of each era):
// 明治 1868-10-23 (明治改元の詔, 慶応4年9月8日), 大正 1912-07-30 (明治天皇崩御,
// 登極令), 昭和 1926-12-25 (大正天皇崩御), 平成 1989-01-08 (元号を改める政令,
// 昭和64年政令第1号), 令和 2019-05-01 (元号を改める政令, 平成31年政令第143号).
// Oldest first.
inline constexpr std::array<Era, 5> kEras{{
    {"明治", "Meiji", {1868, 10, 23}},
    {"大正", "Taisho", {1912, 7, 30}},
    {"昭和", "Showa", {1926, 12, 25}},
    {"平成", "Heisei", {1989, 1, 8}},
    {"令和", "Reiwa", {2019, 5, 1}},
}};

struct JapaneseYear {
    const Era* era = nullptr;
    int year = 0;  // 1 is 元年
};
// The era and era year of `date`; nothing before 明治 1868-10-23.
[[nodiscard]] std::optional<JapaneseYear> japanese_year(const Date& date) noexcept;

// 和暦: "昭和55年2月17日", "令和元年5月1日"; nothing before 明治.
[[nodiscard]] std::optional<std::string> japanese_era_text(const Date& date);

// A YYYYMMDD birth date as the card face prints it in `language`: 西暦 for
// both ("1980年2月17日" / "1980-02-17"). Nothing when it is not a date.
[[nodiscard]] std::optional<std::string> birth_date_text(std::string_view yyyymmdd,
                                                         Language language);

}  // namespace mynacard::card
