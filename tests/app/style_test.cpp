// Styles: category colours of the enterprise symbols and land-class group colours per code system.
#include "app/style.hpp"

#include <gtest/gtest.h>

#include <set>

using namespace qingling;
using namespace qingling::app;

namespace {
LandClassStyler styler() { return LandClassStyler::load(QINGLING_LAYERS_DIR); }
} // namespace

TEST(Style, MarkPrefersTheConfirmationOverTheSuggestion) {
    Verdict v;
    v.suggested = Category::relocate;
    Confirmation c;
    c.category = Category::close;
    EXPECT_EQ(mark_for(v, c), Mark::close);
    EXPECT_EQ(mark_for(v, std::nullopt), Mark::relocate);
    v.suggested.reset();
    EXPECT_EQ(mark_for(v, std::nullopt), Mark::ok);        // checked, nothing to classify
    EXPECT_EQ(mark_for(std::nullopt, std::nullopt), Mark::unchecked);
    EXPECT_EQ(mark_for(std::nullopt, c), Mark::close);     // confirmed before any run
}

TEST(Style, MarkColoursAreTheAgreedOnesAndDistinct) {
    const Rgba close = mark_colour(Mark::close), rectify = mark_colour(Mark::rectify),
               relocate = mark_colour(Mark::relocate), ok = mark_colour(Mark::ok);
    EXPECT_GT(close.r, 180);  // red
    EXPECT_LT(close.g, 80);
    EXPECT_GT(rectify.r, 200);  // orange
    EXPECT_GT(rectify.g, 100);
    EXPECT_LT(rectify.b, 80);
    EXPECT_GT(relocate.b, 180);  // blue
    EXPECT_LT(relocate.r, 80);
    EXPECT_GT(ok.g, 150);  // green
    EXPECT_LT(ok.r, 80);
    std::set<std::tuple<int, int, int>> distinct;
    for (Mark m : kAllMarks) distinct.insert({mark_colour(m).r, mark_colour(m).g, mark_colour(m).b});
    EXPECT_EQ(distinct.size(), std::size(kAllMarks));
    EXPECT_STREQ(mark_label_zh(Mark::close), "依法关闭");
    EXPECT_STREQ(mark_label_zh(Mark::rectify), "整改规范");
    EXPECT_STREQ(mark_label_zh(Mark::relocate), "限期搬迁");
}

TEST(Style, SandiaoGroups) {
    const LandClassStyler s = styler();
    const LandClassGroup farmland = s.group_of("sandiao", "0101");
    EXPECT_EQ(farmland.code, "01");
    EXPECT_EQ(farmland.name, "耕地");
    EXPECT_GT(farmland.colour.r, 200);  // yellow
    EXPECT_GT(farmland.colour.g, 200);
    EXPECT_LT(farmland.colour.b, 150);
    EXPECT_EQ(s.group_of("sandiao", "0301").name, "林地");
    EXPECT_EQ(s.group_of("sandiao", "0601").name, "工矿用地");
    EXPECT_EQ(s.group_of("sandiao", "05H1").code, "05");
    EXPECT_EQ(s.group_of("sandiao", "1104A").name, "水域及水利设施用地");
    EXPECT_EQ(s.group_of("sandiao", "0303").code, "00");  // 红树林地 counts as 湿地 in 三调
    EXPECT_EQ(s.group_of("sandiao", "1001").name, "交通运输用地");  // railway, not industry
    EXPECT_EQ(s.group_of("sandiao", "ZZ99").code, kUnknownGroupCode);
    EXPECT_EQ(s.group_of("sandiao", "").code, kUnknownGroupCode);
}

TEST(Style, YongdiGroupsAreReadInTheirOwnSystem) {
    const LandClassStyler s = styler();
    EXPECT_EQ(s.group_of("yongdi", "1001").name, "工矿用地");      // 工业用地 in 用地用海
    EXPECT_EQ(s.group_of("yongdi", "100102").name, "工矿用地");    // six digits inherit
    EXPECT_EQ(s.group_of("yongdi", "0601").code, "06");
    EXPECT_EQ(s.group_of("yongdi", "0601").name, "农业设施建设用地");
    EXPECT_EQ(s.group_of("yongdi", "1701").name, "陆地水域");
    // The same colour for the same meaning in both systems.
    EXPECT_EQ(s.group_of("yongdi", "0101").colour, s.group_of("sandiao", "0101").colour);
    EXPECT_EQ(s.group_of("yongdi", "1001").colour, s.group_of("sandiao", "0601").colour);
}

TEST(Style, GroupsHaveDistinctColoursWithinASystem) {
    const LandClassStyler s = styler();
    for (const char* system : {"sandiao", "yongdi"}) {
        std::set<std::tuple<int, int, int>> colours;
        const auto groups = s.groups(system);
        for (const auto& g : groups) colours.insert({g.colour.r, g.colour.g, g.colour.b});
        EXPECT_EQ(colours.size(), groups.size()) << system;
    }
}

TEST(Style, MissingCodeTablesFallBackToTheFirstTwoDigits) {
    const LandClassStyler s = LandClassStyler::load("/nonexistent");
    EXPECT_EQ(s.group_of("sandiao", "0102").name, "耕地");
    EXPECT_EQ(s.group_of("sandiao", "0303").code, "03");  // without the table: by prefix
}

TEST(Style, RolesDrawInAMeaningfulOrder) {
    EXPECT_TRUE(role_style("landuse").fill);
    EXPECT_TRUE(role_style("landuse").fill_by_land_class);
    EXPECT_FALSE(role_style("farmland").fill);  // zones are outlined so the land classes show through
    EXPECT_LT(role_style("landuse").draw_order, role_style("village").draw_order);
    EXPECT_LT(role_style("village").draw_order, role_style("jurisdiction").draw_order);
    EXPECT_LT(role_style("jurisdiction").draw_order, role_style("sensitive").draw_order);
    EXPECT_GT(role_style("my_own_layer").outline_px, 0);
}
