// The viewer's script (app/view_script): every step a user can write, and the errors that name the
// line of a bad one.
#include "app/view_script.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace qingling::app {
namespace {

std::vector<ScriptStep> parse(const std::string& text) {
    std::istringstream in(text);
    return parse_view_script(in, "demo.script");
}

std::string error_of(const std::string& text) {
    try {
        parse(text);
    } catch (const ScriptError& e) {
        return e.what();
    }
    return "no error";
}

TEST(ViewScript, ParsesEveryStep) {
    const auto steps = parse(
        "\xEF\xBB\xBF# 青岭街道的会议截图\n"
        "home\n"
        "village 青岭村\n"
        "select 17\n"
        "finding 2\n"
        "zoom 2.5\n"
        "\n"
        "center 528400.5, 3386900\n"
        "width 2000\n"
        "identify 528400,3386900\n"
        "layer 三调 地类图斑 off\n"
        "opacity DLTB 0.4\n"
        "dump-view view.json\n"
        "screenshot 会议/图1.png\n"
        "frames 20\n"
        "timings\n");
    using K = ScriptStep::Kind;
    ASSERT_EQ(steps.size(), 14u);
    EXPECT_EQ(steps[0].kind, K::home);
    EXPECT_EQ(steps[0].line, 2);
    EXPECT_EQ(steps[1].kind, K::village);
    EXPECT_EQ(steps[1].text, "青岭村");
    EXPECT_EQ(steps[2].number, 17);
    EXPECT_EQ(steps[3].kind, K::finding);
    EXPECT_EQ(steps[3].number, 2);
    EXPECT_DOUBLE_EQ(steps[4].x, 2.5);
    EXPECT_EQ(steps[5].line, 8);
    EXPECT_DOUBLE_EQ(steps[5].x, 528400.5);
    EXPECT_DOUBLE_EQ(steps[5].y, 3386900);
    EXPECT_DOUBLE_EQ(steps[6].x, 2000);
    EXPECT_EQ(steps[7].kind, K::identify);
    EXPECT_EQ(steps[8].text, "三调 地类图斑");
    EXPECT_FALSE(steps[8].on);
    EXPECT_EQ(steps[9].text, "DLTB");
    EXPECT_DOUBLE_EQ(steps[9].x, 0.4);
    EXPECT_EQ(steps[10].kind, K::dump_view);
    EXPECT_EQ(steps[11].text, "会议/图1.png");
    EXPECT_TRUE(steps[11].needs_settled_view());
    EXPECT_EQ(steps[12].number, 20);
    EXPECT_TRUE(steps[12].needs_settled_view());
    EXPECT_EQ(steps[13].kind, K::timings);
    EXPECT_FALSE(steps[13].needs_settled_view());
}

TEST(ViewScript, BadLinesAreNamedWithTheirNumber) {
    EXPECT_EQ(error_of("home\nfly 3\n").rfind("demo.script:2: unknown step 'fly'", 0), 0u) << error_of("home\nfly 3\n");
    EXPECT_EQ(error_of("select abc"), "demo.script:1: 'select' needs a whole number of at least 1, got 'abc'");
    EXPECT_EQ(error_of("frames 0"), "demo.script:1: 'frames' needs a whole number of at least 1, got '0'");
    EXPECT_EQ(error_of("zoom -2"), "demo.script:1: 'zoom' needs a positive number, got '-2'");
    EXPECT_EQ(error_of("center 12 34"), "demo.script:1: 'center' needs X,Y in the project CRS, got '12 34'");
    EXPECT_EQ(error_of("layer DLTB maybe"), "demo.script:1: 'layer' needs a layer name and on or off, got 'DLTB maybe'");
    EXPECT_EQ(error_of("opacity DLTB 1.5"), "demo.script:1: 'opacity' needs a layer name and a number from 0 to 1, got 'DLTB 1.5'");
    EXPECT_EQ(error_of("\n\nscreenshot"), "demo.script:3: 'screenshot' needs a file name");
    EXPECT_EQ(error_of("home now"), "demo.script:1: 'home' takes no argument");
}

TEST(ViewScript, ImportAndLanguageSteps) {
    const auto steps = parse(
        "preview-layer data/乡镇.shp landuse\n"
        "import-layer data/dltb.shp landuse GBK 4527\n"
        "import-layer a.geojson village UTF-8 auto\n"
        "import-ledger 台账.xlsx\n"
        "preview-ledger ledger.csv GBK\n"
        "language en\n");
    ASSERT_EQ(steps.size(), 6u);
    using K = ScriptStep::Kind;
    EXPECT_EQ(steps[0].kind, K::preview_layer);
    EXPECT_EQ(steps[0].text, "data/乡镇.shp");
    EXPECT_EQ(steps[0].role, "landuse");
    EXPECT_EQ(steps[0].encoding, "auto");
    EXPECT_EQ(steps[0].epsg, "");
    EXPECT_EQ(steps[1].kind, K::import_layer);
    EXPECT_EQ(steps[1].encoding, "GBK");
    EXPECT_EQ(steps[1].epsg, "4527");
    EXPECT_EQ(steps[2].epsg, "") << "auto: as the file says";
    EXPECT_EQ(steps[3].kind, K::import_ledger);
    EXPECT_EQ(steps[3].text, "台账.xlsx");
    EXPECT_EQ(steps[3].encoding, "auto");
    EXPECT_EQ(steps[4].kind, K::preview_ledger);
    EXPECT_EQ(steps[4].encoding, "GBK");
    EXPECT_EQ(steps[5].kind, K::language);
    EXPECT_EQ(steps[5].text, "en");
    EXPECT_EQ(error_of("import-layer a.shp\n"), "demo.script:1: 'import-layer' needs PATH ROLE [ENCODING] [EPSG], got 'a.shp'");
    EXPECT_EQ(error_of("home\nimport-layer a.shp landuse GBK EPSG:x\n"),
              "demo.script:2: 'import-layer' needs an EPSG number or auto, got 'EPSG:x'");
    EXPECT_EQ(error_of("import-ledger a.csv GBK extra\n"), "demo.script:1: 'import-ledger' needs PATH [ENCODING], got 'a.csv GBK extra'");
    EXPECT_EQ(error_of("language fr\n"), "demo.script:1: 'language' needs zh or en, got 'fr'");
}

TEST(ViewScript, GridSteps) {
    const auto steps = parse("grid draw 1,2 3,4 5,6 snap 8\ngrid split 甲二 0,0 9,9\ngrid merge 甲一 甲二\n"
                             "grid undo\ngrid tool 绘制\ngrid hover 7,8\ngrid fix gap\n");
    ASSERT_EQ(steps.size(), 7u);
    EXPECT_EQ(steps[0].kind, ScriptStep::Kind::grid);
    EXPECT_EQ(steps[0].field, "draw");
    EXPECT_EQ(steps[0].coords, (std::vector<double>{1, 2, 3, 4, 5, 6}));
    EXPECT_EQ(steps[0].snap_px, 8);
    EXPECT_EQ(steps[1].names, std::vector<std::string>{"甲二"});
    EXPECT_EQ(steps[1].coords.size(), 4u);
    EXPECT_EQ(steps[2].names, (std::vector<std::string>{"甲一", "甲二"}));
    EXPECT_EQ(steps[3].field, "undo");
    EXPECT_EQ(steps[4].names, std::vector<std::string>{"绘制"});
    EXPECT_EQ(steps[5].coords, (std::vector<double>{7, 8}));
    EXPECT_EQ(steps[6].names, std::vector<std::string>{"gap"});
    EXPECT_EQ(error_of("grid draw 1,2 3,4"), "demo.script:1: 'grid draw' needs at least 3 points");
    EXPECT_EQ(error_of("grid merge 甲一"), "demo.script:1: 'grid merge' needs two grid names");
    EXPECT_EQ(error_of("grid undo now"), "demo.script:1: 'grid undo' takes no argument");
    EXPECT_EQ(error_of("grid draw 1,2 3,4 5,6 snap x"), "demo.script:1: 'snap' needs a number of pixels, got 'x'");
    EXPECT_EQ(error_of("grid paint").rfind("demo.script:1: unknown grid action 'paint'", 0), 0u);
    const auto draft = parse("grid draft 甲村 3 balanced\n");
    EXPECT_EQ(draft.at(0).names, (std::vector<std::string>{"甲村", "balanced"}));
    EXPECT_EQ(draft.at(0).number, 3);
    EXPECT_EQ(error_of("grid draft 甲村 many").rfind("demo.script:1: 'grid draft' needs a village name", 0), 0u);
}

TEST(ViewScript, SitesSteps) {
    const auto steps = parse("sites 36\nsites 青岭五金厂\nsites-eliminated on\nsites-eliminated off\nsite 2\nreserve 3\nrelease\nsites close\n");
    ASSERT_EQ(steps.size(), 8u);
    for (const auto& s : steps) EXPECT_EQ(s.kind, ScriptStep::Kind::sites);
    EXPECT_EQ(steps[0].field, "show");
    EXPECT_EQ(steps[0].text, "36");
    EXPECT_EQ(steps[1].text, "青岭五金厂");
    EXPECT_EQ(steps[2].field, "eliminated");
    EXPECT_TRUE(steps[2].on);
    EXPECT_FALSE(steps[3].on);
    EXPECT_EQ(steps[4].field, "candidate");
    EXPECT_EQ(steps[4].number, 2);
    EXPECT_EQ(steps[5].field, "reserve");
    EXPECT_EQ(steps[5].number, 3);
    EXPECT_EQ(steps[6].field, "release");
    EXPECT_EQ(steps[7].field, "close");
    EXPECT_EQ(error_of("home\nsites\n"), "demo.script:2: 'sites' needs an enterprise's ledger id or name, or close");
    EXPECT_EQ(error_of("sites-eliminated yes\n"), "demo.script:1: 'sites-eliminated' needs on or off, got 'yes'");
    EXPECT_EQ(error_of("reserve 0\n"), "demo.script:1: 'reserve' needs a candidate's rank (1 …), got '0'");
    EXPECT_EQ(error_of("release 2\n"), "demo.script:1: 'release' takes no argument");
}

TEST(ViewScript, ExportViewAndLayoutPreviewSteps) {
    const auto steps = parse("export-view 会议.pdf 搬迁选址图 A3P\nexport-view out.PNG 300 progress\n"
                             "export-view same.png preview\nlayout-preview on p.png\nlayout-preview off\n");
    ASSERT_EQ(steps.size(), 5u);
    EXPECT_EQ(steps[0].kind, ScriptStep::Kind::export_view);
    EXPECT_EQ(steps[0].text, "会议.pdf");
    EXPECT_EQ(steps[0].names[0], "搬迁选址图");
    EXPECT_EQ(steps[0].names[1], "A3P");
    EXPECT_EQ(steps[0].number, 0);
    EXPECT_EQ(steps[1].names[0], "progress");
    EXPECT_EQ(steps[1].names[1], "");
    EXPECT_EQ(steps[1].number, 300);
    EXPECT_EQ(steps[2].number, -1);
    EXPECT_EQ(steps[3].kind, ScriptStep::Kind::layout_preview);
    EXPECT_TRUE(steps[3].on);
    EXPECT_EQ(steps[3].text, "p.png");
    EXPECT_FALSE(steps[4].on);
    EXPECT_EQ(error_of("export-view out.svg\n"), "demo.script:1: 'export-view' writes a .pdf or .png, not 'out.svg'");
    EXPECT_NE(error_of("export-view out.pdf 5000\n").find("is no preset"), std::string::npos);
    EXPECT_NE(error_of("layout-preview maybe\n").find("needs on [FILE] or off"), std::string::npos);
    EXPECT_NE(error_of("layout-preview off x.png\n").find("needs on [FILE] or off"), std::string::npos);
}

TEST(ViewScript, EmptyScriptHasNoSteps) { EXPECT_TRUE(parse("# nothing\n\n   \n").empty()); }

} // namespace
} // namespace qingling::app
