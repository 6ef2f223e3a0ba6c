// card/facts.h: the one masking rule, the sex code and the birth date in
// words (西暦 and 和暦), and wipe(FaceData).

#include <gtest/gtest.h>

#include <string>

#include "card/card.h"
#include "card/facts.h"

using namespace mynacard;
using namespace mynacard::card;

namespace {

std::string era_text(std::string_view yyyymmdd) {
    const auto d = parse_date(yyyymmdd);
    if (!d) return "invalid";
    return japanese_era_text(*d).value_or("none");
}

TEST(Facts, MasksAllButTheLastFourDigitsInGroupsOfFour) {
    EXPECT_EQ(mask_my_number("123456789018"), "●●●● ●●●● 9018");
    EXPECT_EQ(mask_my_number(""), "");
}

TEST(Facts, MasksAnythingThatIsNotAMyNumberWhole) {
    EXPECT_EQ(mask_my_number("12345"), "●●●● ●");
    EXPECT_EQ(mask_my_number("12345678901a"), "●●●● ●●●● ●●●●");
    EXPECT_EQ(mask_my_number("1234567890123"), "●●●● ●●●● ●●●● ●");
}

TEST(Facts, SexCodeOfJisX0303) {
    EXPECT_EQ(parse_sex("1"), Sex::male);
    EXPECT_EQ(parse_sex("2"), Sex::female);
    EXPECT_EQ(parse_sex("9"), Sex::not_applicable);
    for (const char* bad : {"", "0", "3", "12", "x", " 1"})
        EXPECT_FALSE(parse_sex(bad).has_value()) << bad;
    EXPECT_EQ(sex_text("1", Language::ja), "男");
    EXPECT_EQ(sex_text("2", Language::ja), "女");
    EXPECT_EQ(sex_text("9", Language::ja), "適用不能");
    EXPECT_EQ(sex_text("1", Language::en), "male");
    EXPECT_EQ(sex_text("2", Language::en), "female");
    EXPECT_EQ(sex_text("9", Language::en), "not applicable");
    EXPECT_EQ(sex_text("0", Language::ja), "不明");
    EXPECT_EQ(sex_text("7", Language::en), "unknown");
}

TEST(Facts, BirthDateInBothCalendars) {
    const auto d = parse_date("19800217");
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(*d, (Date{1980, 2, 17}));
    EXPECT_EQ(gregorian_text(*d, Language::ja), "1980年2月17日");
    EXPECT_EQ(gregorian_text(*d, Language::en), "1980-02-17");
    EXPECT_EQ(japanese_era_text(*d), "昭和55年2月17日");
    EXPECT_EQ(birth_date_text("19800217", Language::ja), "1980年2月17日");
    EXPECT_EQ(birth_date_text("19800217", Language::en), "1980-02-17");
    EXPECT_FALSE(birth_date_text("19800230", Language::en).has_value());
}

TEST(Facts, InvalidDatesAreRefused) {
    for (const char* bad :
         {"19800230", "19801301", "19800001", "19800100", "19810229", "19000229", "1980021",
          "198002170", "1980O217", "1980-2-1", "00000101", "", "+1980021"})
        EXPECT_FALSE(parse_date(bad).has_value()) << bad;
    EXPECT_TRUE(parse_date("20000229").has_value());  // divisible by 400
    EXPECT_TRUE(parse_date("19840229").has_value());
    EXPECT_TRUE(parse_date("19801231").has_value());
}

TEST(Facts, EraBoundariesTheDayBeforeAndTheFirstDay) {
    EXPECT_EQ(era_text("18681022"), "none");  // before 明治
    EXPECT_EQ(era_text("18681023"), "明治元年10月23日");
    EXPECT_EQ(era_text("19120729"), "明治45年7月29日");
    EXPECT_EQ(era_text("19120730"), "大正元年7月30日");
    EXPECT_EQ(era_text("19261224"), "大正15年12月24日");
    EXPECT_EQ(era_text("19261225"), "昭和元年12月25日");
    EXPECT_EQ(era_text("19890107"), "昭和64年1月7日");
    EXPECT_EQ(era_text("19890108"), "平成元年1月8日");
    EXPECT_EQ(era_text("20190430"), "平成31年4月30日");
    EXPECT_EQ(era_text("20190501"), "令和元年5月1日");
}

TEST(Facts, GannenOnlyForTheFirstEraYear) {
    EXPECT_EQ(era_text("19261231"), "昭和元年12月31日");
    EXPECT_EQ(era_text("19270101"), "昭和2年1月1日");
    EXPECT_EQ(era_text("20191231"), "令和元年12月31日");
    EXPECT_EQ(era_text("20200101"), "令和2年1月1日");
    const auto y = japanese_year({2024, 6, 1});
    ASSERT_TRUE(y.has_value());
    EXPECT_EQ(y->era->romaji, "Reiwa");
    EXPECT_EQ(y->year, 6);
}

TEST(Facts, EraTableIsOrderedOldestFirst) {
    for (std::size_t i = 1; i < kEras.size(); ++i)
        EXPECT_LT(kEras[i - 1].first_day, kEras[i].first_day) << kEras[i].romaji;
}

TEST(Facts, WipeFaceDataOverwritesEveryField) {
    FaceData f;
    f.birth_date = "19800217";
    f.sex = "2";
    f.expiry = "20300217";
    f.name_png = Bytes(16, 0xAB);
    f.address_png = Bytes(16, 0xAB);
    f.photo_jp2 = Bytes(16, 0xAB);
    f.security_code_png = Bytes(16, 0xAB);
    f.record = Bytes(16, 0xAB);
    wipe(f);
    for (const auto* s : {&f.birth_date, &f.sex, &f.expiry}) EXPECT_TRUE(s->empty());
    for (const auto* b :
         {&f.name_png, &f.address_png, &f.photo_jp2, &f.security_code_png, &f.record})
        EXPECT_TRUE(b->empty());
}

}  // namespace
