// Line breaking of Chinese and mixed text for the panels.
#include "app/text_wrap.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace qingling::app;

namespace {
// Wide (CJK) characters are 2 units, everything else 1.
float advance(std::uint32_t cp) { return cp >= 0x2E80 ? 2.f : 1.f; }

std::vector<std::string> wrap(const std::string& text, float first, float width) {
    std::vector<std::string> out;
    for (auto l : wrap_text(text, first, width, advance)) out.emplace_back(l);
    return out;
}
} // namespace

TEST(TextWrap, ChineseBreaksBetweenCharacters) {
    // ImGui would not break this sentence at all (no spaces).
    const auto lines = wrap("位于永久基本农田内", 8, 8);
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[0], "位于永久");
    EXPECT_EQ(lines[1], "基本农田");
    EXPECT_EQ(lines[2], "内");
}

TEST(TextWrap, ClosingPunctuationStaysOnTheLineBefore) {
    const auto lines = wrap("地类为旱地，非工矿", 10, 10);
    // "地类为旱地" fills 10 exactly; the comma cannot start a line, so 地 moves down with it.
    ASSERT_GE(lines.size(), 2u);
    EXPECT_EQ(lines[0], "地类为旱");
    EXPECT_EQ(lines[1].substr(0, 6), "地，");
}

TEST(TextWrap, LatinWordsBreakAtSpacesAndMixedTextAtTheScriptBoundary) {
    EXPECT_EQ(wrap("rule land_class layer", 12, 12), (std::vector<std::string>{"rule", "land_class", "layer"}));
    // A Chinese character may follow a Latin word on the same line, or start the next one.
    EXPECT_EQ(wrap("规则 farmland 永久基本农田", 14, 14),
              (std::vector<std::string>{"规则 farmland", "永久基本农田"}));
    // The comma may not start a line, so the number moves down with it.
    EXPECT_EQ(wrap("图斑0009，点位", 8, 8), (std::vector<std::string>{"图斑", "0009，点", "位"}));
}

TEST(TextWrap, FirstLineCanBeShorterAndNewlinesBreak) {
    const auto lines = wrap("一二三四五六\n七", 4, 8);
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[0], "一二");
    EXPECT_EQ(lines[1], "三四五六");
    EXPECT_EQ(lines[2], "七");
}

TEST(TextWrap, LongWordIsBrokenAnywhereAndEmptyTextIsOneLine) {
    const auto lines = wrap("abcdefghij", 4, 4);
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[0], "abcd");
    EXPECT_EQ(lines[2], "ij");
    EXPECT_EQ(wrap("", 10, 10).size(), 1u);
    EXPECT_EQ(wrap("短", 100, 100), std::vector<std::string>{"短"});
}
