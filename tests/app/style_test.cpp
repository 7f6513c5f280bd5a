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

// layers/styles.toml: the role styles, editable, over the built-in ones.
TEST(RoleStyles, TheShippedFileHasTheBuiltInStyles) {
    const RoleStyles styles = RoleStyles::load(std::filesystem::path(QINGLING_LAYERS_DIR) / "styles.toml");
    std::vector<std::string> roles = builtin_style_roles();
    roles.push_back("my_own_role");
    for (const std::string& role : roles) {
        const LayerStyle a = styles.style(role), b = role_style(role);
        EXPECT_EQ(a.fill, b.fill) << role;
        EXPECT_EQ(a.fill_colour, b.fill_colour) << role;
        EXPECT_EQ(a.fill_by_land_class, b.fill_by_land_class) << role;
        EXPECT_EQ(a.outline, b.outline) << role << " " << colour_text(a.outline) << " vs " << colour_text(b.outline);
        EXPECT_FLOAT_EQ(a.outline_px, b.outline_px) << role;
        EXPECT_EQ(a.point_colour, b.point_colour) << role;
        EXPECT_EQ(a.point_shape, b.point_shape) << role;
        EXPECT_FLOAT_EQ(a.point_px, b.point_px) << role;
        EXPECT_EQ(a.draw_order, b.draw_order) << role;
        EXPECT_EQ(a.visible, b.visible) << role;
        EXPECT_EQ(a.hatch, b.hatch) << role;
        EXPECT_EQ(a.hatch_colour, b.hatch_colour) << role;
        EXPECT_FLOAT_EQ(a.hatch_spacing_px, b.hatch_spacing_px) << role;
        EXPECT_FLOAT_EQ(a.hatch_width_px, b.hatch_width_px) << role;
    }
    // The zones of 三区三线 that forbid industry are hatched, each in its own pattern.
    EXPECT_EQ(styles.style("farmland").hatch, Hatch::diagonal);
    EXPECT_EQ(styles.style("eco_redline").hatch, Hatch::back_diagonal);
    EXPECT_EQ(styles.style("water_protection").hatch, Hatch::cross);
    EXPECT_EQ(styles.style("landuse").hatch, Hatch::none);
}

TEST(RoleStyles, AFileChangesOnlyWhatItSays) {
    const RoleStyles s = RoleStyles::parse(R"(
[role.farmland]
outline = "#FF000080"
outline_px = 3
[role.my_zone]
fill = true
fill_colour = "#102030"
[default]
outline = "#00FF00"
)", "test.toml");
    const LayerStyle farmland = s.style("farmland");
    EXPECT_EQ(farmland.outline, rgb(0xFF0000, 0x80));
    EXPECT_FLOAT_EQ(farmland.outline_px, 3);
    EXPECT_EQ(farmland.draw_order, role_style("farmland").draw_order);  // kept
    EXPECT_TRUE(s.style("my_zone").fill);
    EXPECT_EQ(s.style("my_zone").fill_colour, rgb(0x102030));
    EXPECT_EQ(s.style("other").outline, rgb(0x00FF00));           // [default] for unknown roles
    EXPECT_EQ(s.style("jurisdiction").outline, role_style("jurisdiction").outline);  // built-in roles keep theirs
}

TEST(RoleStyles, ErrorsNameTheFileAndLineAndTheViewerFallsBack) {
    auto message = [](const std::string& text) {
        try {
            RoleStyles::parse(text, "styles.toml");
        } catch (const std::runtime_error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_NE(message("[role.farmland]\noutline = \"red\"\n").find("styles.toml line 2"), std::string::npos);
    EXPECT_NE(message("[role.farmland]\noutlin = \"#FF0000\"\n").find("unknown key 'outlin'"), std::string::npos);
    EXPECT_NE(message("[role.sensitive]\npoint_shape = \"star\"\n").find("point_shape"), std::string::npos);
    EXPECT_NE(message("[role.farmland]\nhatch = \"dots\"\n").find("styles.toml line 2"), std::string::npos);
    EXPECT_NE(message("[role.farmland]\nhatch_spacing_px = 1\n").find("hatch_spacing_px"), std::string::npos);
    EXPECT_NE(message("[role.farmland\n").find("TOML syntax error"), std::string::npos);
    EXPECT_NE(message("[colours]\nx = 1\n").find("unknown table 'colours'"), std::string::npos);
    std::string warning;
    const RoleStyles s = RoleStyles::load_or_builtin("/nonexistent/styles.toml", warning);
    EXPECT_NE(warning.find("built-in"), std::string::npos);
    EXPECT_EQ(s.source(), "built-in");
    EXPECT_EQ(s.style("farmland").outline, role_style("farmland").outline);
}

TEST(RoleStyles, Colours) {
    EXPECT_EQ(parse_colour("#A08000"), rgb(0xA08000));
    EXPECT_EQ(parse_colour("#ffffff6e"), rgb(0xFFFFFF, 110));
    EXPECT_FALSE(parse_colour("A08000"));
    EXPECT_FALSE(parse_colour("#A080"));
    EXPECT_FALSE(parse_colour("#GG8000"));
    EXPECT_EQ(colour_text(rgb(0x4A4A4A, 200)), "#4A4A4AC8");
    EXPECT_EQ(colour_text(rgb(0x0A50B4)), "#0A50B4");
}
