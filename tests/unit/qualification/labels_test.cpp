#include <gtest/gtest.h>

#include <set>
#include <string>

#include "qualification/labels.h"

namespace q = mynacard::qualification;

TEST(Labels, EveryTableHasUniqueCodesAndBothLanguages) {
    for (int t = 0; t <= static_cast<int>(q::CodeTable::consent); ++t) {
        const auto table = static_cast<q::CodeTable>(t);
        SCOPED_TRACE(t);
        EXPECT_FALSE(q::codes(table).empty());
        EXPECT_FALSE(q::describe(table).empty());
        std::set<std::string_view> seen;
        for (const auto& c : q::codes(table)) {
            EXPECT_TRUE(seen.insert(c.code).second) << c.code;
            EXPECT_FALSE(c.ja.empty());
            EXPECT_FALSE(c.en.empty());
            EXPECT_EQ(q::find_code(table, c.code), &c);
        }
    }
}

TEST(Labels, TheCodeListsAreComplete) {
    using q::CodeTable;
    using q::Language;
    for (const char* v : {"1", "2", "3", "4", "5"})
        EXPECT_NE(q::find_code(CodeTable::qualification_validity, v), nullptr);
    EXPECT_EQ(q::label(CodeTable::qualification_validity, "3", Language::ja),
              "無効（新しい資格あり）");
    EXPECT_EQ(q::label(CodeTable::qualification_validity, "4", Language::en),
              "no qualification found");
    EXPECT_EQ(q::label(CodeTable::qualification_validity, "6", Language::ja), "");
    for (const char* v : {"01", "02", "03", "04", "05", "06", "07"})
        EXPECT_NE(q::find_code(CodeTable::insured_card_classification, v), nullptr);
    EXPECT_EQ(q::codes(CodeTable::limit_category).size(), 16u);  // A01–A06, B01–B10
    EXPECT_EQ(q::label(CodeTable::limit_category, "A06", Language::ja), "オ（境）");
    EXPECT_EQ(q::label(CodeTable::limit_category, "B10", Language::ja), "一般Ⅰ");
    EXPECT_EQ(q::label(CodeTable::sex, "3", Language::ja), "未設定");
    EXPECT_EQ(q::label(CodeTable::segment_of_result, "9", Language::en), "failed");
    EXPECT_EQ(q::label(CodeTable::reference_classification, "1", Language::ja),
              "マイナンバーカード");
    EXPECT_EQ(q::label(CodeTable::consent, "2", Language::ja), "同意有効期限切れ");
    EXPECT_EQ(q::label(CodeTable::specific_diseases_category, "1", Language::ja),
              "人工透析を必要とする慢性腎不全");
    EXPECT_EQ(q::label(CodeTable::reason_of_loss, "99", Language::en), "other");
}

TEST(Labels, ContributionRatios) {
    EXPECT_EQ(q::contribution_ratio_label("010", q::Language::ja), "1割");
    EXPECT_EQ(q::contribution_ratio_label("010", q::Language::en), "10%");
    EXPECT_EQ(q::contribution_ratio_label("030", q::Language::ja), "3割");
    EXPECT_EQ(q::contribution_ratio_label("025", q::Language::ja), "2割5分");
    EXPECT_FALSE(q::contribution_ratio_label("10", q::Language::ja));
    EXPECT_FALSE(q::contribution_ratio_label("0a0", q::Language::en));
}
