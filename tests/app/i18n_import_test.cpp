// What the English runs and the import scripts of tests/app/CMakeLists.txt showed, as a user would
// check it: panel names and legend in English (and Chinese again after switching back), the GBK
// shapefile's preview with decoded Chinese, the map reloaded with the new layer, a malformed file's
// error dialog naming it with the project unchanged, a ledger previewed then imported.
#include "app/style.hpp"
#include "core/campaign_readings.hpp"
#include "core/campaign_summary.hpp"
#include "core/campaign_workflow.hpp"
#include "core/i18n.hpp"
#include "core/industry_table.hpp"
#include "core/landuse_codes.hpp"
#include "core/map_labels.hpp"
#include "core/project_store.hpp"
#include "core/resources.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <stb_image.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>

using namespace qingling;
using nlohmann::json;

namespace {

std::filesystem::path work_dir() {
    const char* dir = std::getenv("QINGLING_APP_WORK");
    return dir ? dir : ".";
}

json load_json(const std::string& name) {
    std::ifstream in(work_dir() / name);
    if (!in) {
        ADD_FAILURE() << "missing " << (work_dir() / name);
        return json::object();
    }
    return json::parse(in);
}

std::map<std::string, json> legend_by_label(const json& view) {
    std::map<std::string, json> out;
    for (const auto& s : view.at("legend")) out[s.at("label").get<std::string>()] = s;
    return out;
}

bool has(const json& list, const std::string& text) {
    for (const auto& v : list)
        if (v.get<std::string>() == text) return true;
    return false;
}

const json* layer_named(const json& view, const std::string& name) {
    for (const auto& l : view.at("layers"))
        if (l.at("name") == name) return &l;
    return nullptr;
}

bool has_enterprise(const json& view, const std::string& name) {
    for (const auto& e : view.at("enterprises"))
        if (e.at("name") == name) return true;
    return false;
}

// Mean absolute difference of two PNGs inside a rectangle (same size pictures).
double difference(const std::string& a, const std::string& b, int x0, int y0, int x1, int y1) {
    int wa = 0, ha = 0, wb = 0, hb = 0, n = 0;
    unsigned char* pa = stbi_load((work_dir() / a).string().c_str(), &wa, &ha, &n, 4);
    unsigned char* pb = stbi_load((work_dir() / b).string().c_str(), &wb, &hb, &n, 4);
    double sum = -1;
    if (pa && pb && wa == wb && ha == hb) {
        sum = 0;
        for (int y = y0; y < y1; ++y)
            for (int x = x0; x < x1; ++x)
                for (int c = 0; c < 3; ++c) {
                    const size_t i = (static_cast<size_t>(y) * static_cast<size_t>(wa) + static_cast<size_t>(x)) * 4 + c;
                    sum += std::abs(int(pa[i]) - int(pb[i]));
                }
        sum /= double(x1 - x0) * double(y1 - y0) * 3;
    }
    stbi_image_free(pa);
    stbi_image_free(pb);
    return sum;
}

} // namespace

TEST(English, LangEnDrawsThePanelsAndTheLegendInEnglish) {
    const json zh = load_json("view.json");  // the default (Chinese) screenshot of the same view
    const json en = load_json("view_en.json");
    EXPECT_EQ(en.value("language", ""), "en");
    EXPECT_TRUE(has(en.at("panel_titles"), "Layers and legend")) << en.at("panel_titles");
    EXPECT_TRUE(has(en.at("panel_titles"), "Enterprise ledger"));
    const auto zh_legend = legend_by_label(zh);
    const auto en_legend = legend_by_label(en);
    ASSERT_TRUE(set_ui_language(UiLanguage::en));
    int categories = 0;
    for (Mark m : kAllMarks) {
        const std::string chinese = mark_label_zh(m);
        if (!zh_legend.count(chinese)) continue;
        ++categories;
        const std::string english = tr(chinese);
        EXPECT_NE(english, chinese);
        EXPECT_FALSE(en_legend.count(chinese)) << chinese << " left untranslated in the legend";
        ASSERT_TRUE(en_legend.count(english)) << "the English legend lacks " << english;
        EXPECT_EQ(en_legend.at(english).at("colour"), zh_legend.at(chinese).at("colour")) << english;
    }
    EXPECT_GE(categories, 3) << "the demo shows close, rectify and relocate";
    ASSERT_TRUE(en_legend.count("Close by law"));
    EXPECT_TRUE(en_legend.count("Scattered") && en_legend.count("Disorderly") && en_legend.count("Polluting"));
    // The same map (same camera); the left panel's text differs.
    EXPECT_EQ(en.at("camera"), zh.at("camera"));
    const double panel_change = difference("shot.png", "shot_en.png", 0, 0, 220, 700);
    EXPECT_GT(panel_change, 0.5) << "the layers panel looks the same in both languages";
}

// Enterprise 49 of the demo selected, its second finding zoomed to: in Chinese by
// app.screenshot_finding, in English by app.screenshot_english_finding.
TEST(English, InspectorShowsFindingsAndIndustryInEnglishAndChineseStaysAsItWas) {
    const json zh = load_json("view_finding.json");
    const json en = load_json("view_en_finding.json");
    EXPECT_EQ(en.value("language", ""), "en");
    ASSERT_EQ(en.at("selected"), 49);
    ASSERT_EQ(zh.at("selected"), 49);
    // What the check stored for it, read from the project independently of the viewer.
    const ProjectStore store = ProjectStore::open(work_dir() / "demo.qingling", ProjectStore::Access::read_only);
    const auto run = store.latest_check_run();
    ASSERT_TRUE(run);
    const Verdict* verdict = nullptr;
    const auto verdicts = store.verdicts(run->id);
    for (const Verdict& v : verdicts)
        if (v.enterprise_id == 49) verdict = &v;
    ASSERT_NE(verdict, nullptr);
    const json& en_findings = en.at("selected_findings");
    const json& zh_findings = zh.at("selected_findings");
    ASSERT_EQ(en_findings.size(), verdict->findings.size());
    ASSERT_EQ(zh_findings.size(), verdict->findings.size());
    ASSERT_GE(verdict->findings.size(), 2u);
    for (std::size_t i = 0; i < verdict->findings.size(); ++i) {
        const Finding& f = verdict->findings[i];
        EXPECT_FALSE(f.explanation_en.empty()) << f.rule;
        EXPECT_EQ(en_findings[i].at("explanation"), f.explanation_en) << f.rule;
        EXPECT_EQ(zh_findings[i].at("explanation"), f.explanation) << f.rule;
        EXPECT_NE(f.explanation_en, f.explanation) << f.rule;
    }
    // The plastics workshop (塑料加工: 200 m in rules.toml) on 三调 05H1 near 青岭花园小区: the land
    // class named in English by landuse-sandiao.tsv, the layer and the site as the data names them.
    EXPECT_EQ(en_findings[0].at("explanation"),
              "Land class 05H1 Commercial and business facility land is not industrial, mining or storage land "
              "(三调地类图斑, point location)");
    EXPECT_EQ(zh_findings[0].at("explanation"), "地类为 05H1 商业服务业设施用地，非工矿仓储用地（三调地类图斑，点位）");
    EXPECT_EQ(en_findings[1].at("explanation"), "133 m from 青岭花园小区, less than 200 m");
    EXPECT_EQ(zh_findings[1].at("explanation"), "距青岭花园小区 133 米，小于 200 米");
    // 行业: the English name of its industry; the Chinese run shows the ledger's words.
    const IndustryTable industries = IndustryTable::load(layers_dir() / "industries.tsv");
    const Industry* industry = industries.match(verdict->industry);
    ASSERT_NE(industry, nullptr) << verdict->industry;
    EXPECT_EQ(en.at("selected_industry"), industry->name_en);
    EXPECT_EQ(en.at("selected_industry"), "Plastics processing");
    EXPECT_EQ(zh.at("selected_industry"), "塑料加工");
    EXPECT_EQ(zh.at("selected_industry"), verdict->industry);
}

// The identify view of app.screenshot_identify again in English: the patch's land class named by
// landuse-sandiao.tsv's name_en, the legend's land-class groups in English in the same colours.
TEST(English, IdentifyAndLegendNameLandClassesInEnglish) {
    const json zh = load_json("view_identify.json");
    const json en = load_json("view_en_identify.json");
    EXPECT_EQ(en.value("language", ""), "en");
    ASSERT_FALSE(en.at("identify").is_null());
    ASSERT_FALSE(zh.at("identify").is_null());
    const json& en_patch = en.at("identify").at("features").at(0);
    const json& zh_patch = zh.at("identify").at("features").at(0);
    ASSERT_EQ(en_patch.at("fid"), zh_patch.at("fid"));
    const std::string code = en_patch.at("code");
    const auto sandiao = LandUseCodeTable::load(CodeSystem::sandiao, layers_dir());
    ASSERT_TRUE(sandiao.name_en(code)) << code;
    EXPECT_EQ(en_patch.at("code_name_shown"), *sandiao.name_en(code));
    EXPECT_EQ(en_patch.at("code"), "0103");
    EXPECT_EQ(en_patch.at("code_name_shown"), "Dry land");
    EXPECT_EQ(zh_patch.at("code_name_shown"), zh_patch.at("code_name")) << "Chinese shows the DLMC as stored";
    EXPECT_EQ(zh_patch.at("code_name_shown"), *sandiao.name(code));
    // The land-use legend: 01 耕地 in Chinese, 01 Cultivated land in English, the same colour.
    const auto zh_legend = legend_by_label(zh);
    const auto en_legend = legend_by_label(en);
    ASSERT_TRUE(zh_legend.count("01 耕地"));
    ASSERT_TRUE(en_legend.count("01 Cultivated land")) << en.at("legend");
    EXPECT_FALSE(en_legend.count("01 耕地"));
    EXPECT_FALSE(zh_legend.count("01 Cultivated land"));
    EXPECT_EQ(en_legend.at("01 Cultivated land").at("colour"), zh_legend.at("01 耕地").at("colour"));
    EXPECT_TRUE(en_legend.count("06 Industrial and mining land")) << en.at("legend");
}

// The land-class legend in English: every name shown whole, inside the layers panel and clear of
// the other entries (in two columns, ImGui cut them at the column: "02 Garden lan").
TEST(English, LegendShowsLongNamesWhole) {
    const json en = load_json("view_en_identify.json");
    struct Entry {
        std::string label;
        PixelRect swatch, text;
    };
    auto rect = [](const json& r) { return PixelRect{r.at(0), r.at(1), r.at(2), r.at(3)}; };
    const PixelRect panel = rect(en.at("layers_panel"));  // its content room
    std::vector<Entry> classes;
    for (const auto& s : en.at("legend")) {
        const std::string label = s.at("label");
        // The land-class groups: two digits and a space ("01 Cultivated land").
        if (label.size() < 4 || !std::isdigit(static_cast<unsigned char>(label[0])) ||
            !std::isdigit(static_cast<unsigned char>(label[1])) || label[2] != ' ')
            continue;
        ASSERT_FALSE(s.at("label_rect").is_null()) << label;
        classes.push_back({label, rect(s.at("rect")), rect(s.at("label_rect"))});
    }
    ASSERT_GE(classes.size(), 8u) << en.at("legend");
    auto overlap = [](const PixelRect& a, const PixelRect& b) {
        return a.x0 < b.x1 - 0.5f && b.x0 < a.x1 - 0.5f && a.y0 < b.y1 - 0.5f && b.y0 < a.y1 - 0.5f;
    };
    for (const Entry& e : classes) {
        EXPECT_GE(e.text.x0, e.swatch.x1) << e.label << ": the name starts right of its swatch";
        EXPECT_LT(e.text.y0, e.swatch.y1) << e.label << ": its first line beside the swatch";
        EXPECT_LE(e.text.x1, panel.x1) << e.label << ": cut by the panel's edge or scrollbar";
        EXPECT_GE(e.text.x0, panel.x0) << e.label;
        for (const Entry& other : classes) {
            if (&other == &e) continue;
            EXPECT_FALSE(overlap(e.text, other.text)) << e.label << " runs into " << other.label;
            EXPECT_FALSE(overlap(e.text, other.swatch)) << e.label << " runs into the swatch of " << other.label;
        }
    }
}

// The 整治进度 tab of app.script_dashboard in English: each suspected relapse's explanation from
// po/en.po with the same numbers; the Chinese tab shows what reports and the CLI print.
TEST(English, DashboardExplainsPowerReadingsInEnglish) {
    const json zh = load_json("view_dashboard.json");
    const json en = load_json("view_en_dashboard.json");
    EXPECT_EQ(en.value("language", ""), "en");
    const json& zh_lines = zh.at("dashboard").at("relapse_explanations");
    const json& en_lines = en.at("dashboard").at("relapse_explanations");
    ASSERT_EQ(en_lines.size(), zh_lines.size());
    ASSERT_GE(zh_lines.size(), 2u) << "the demo has relapses of both kinds by 2024-12-20";
    const ProjectStore store = ProjectStore::open("demo.qingling", ProjectStore::Access::read_only);
    CampaignSummaryOptions o;
    o.as_of = "2024-12-20";
    const CampaignSummary want = summarise_campaign(load_campaign(store), o);
    ASSERT_EQ(want.relapses.size(), zh_lines.size());
    std::set<std::string> kinds;
    for (std::size_t i = 0; i < want.relapses.size(); ++i) {
        const RelapseFlag& f = want.relapses[i];
        kinds.insert(f.reason);
        EXPECT_EQ(zh_lines[i], f.explanation) << "Chinese: as `qingling-cli status` prints it";
        const std::string line = en_lines[i];
        EXPECT_EQ(line.find_first_of("\xe4\xe5\xe6\xe7\xe8\xe9"), std::string::npos) << "no Chinese left: " << line;
        for (const auto& [key, value] : f.explanation_phrase.values)
            EXPECT_NE(line.find(value), std::string::npos) << "{" << key << "} = " << value << " missing: " << line;
        if (f.reason == "closed_consumption")
            EXPECT_NE(line.find("Closed by law, power cut on " + f.since), std::string::npos) << line;
        else
            EXPECT_EQ(line.rfind("To be rectified, not yet accepted", 0), 0u) << line;
    }
    EXPECT_EQ(kinds, (std::set<std::string>{"closed_consumption", "rectify_jump"}));
}

TEST(English, SwitchingAtRunTimeRedrawsEveryLabelAndBack) {
    const json en = load_json("view_lang_en.json");
    const json zh = load_json("view_lang_zh.json");
    EXPECT_EQ(en.value("language", ""), "en");
    EXPECT_EQ(zh.value("language", ""), "zh");
    EXPECT_TRUE(has(en.at("panel_titles"), "Enterprise"));
    EXPECT_TRUE(has(zh.at("panel_titles"), "企业详情"));
    EXPECT_TRUE(legend_by_label(en).count("Relocate"));
    EXPECT_TRUE(legend_by_label(zh).count("限期搬迁"));
    EXPECT_FALSE(legend_by_label(zh).count("Relocate"));
    EXPECT_EQ(en.at("selected"), zh.at("selected")) << "switching keeps the selection";
}

TEST(English, TheLanguageStepTakesEffectBeforeTheNextStep) {
    // tests/app/data/grid_language.script: `language en`, then the merge tool's first click on 甲一.
    const json merge = load_json("view_grid_lang_merge.json");
    EXPECT_EQ(merge.value("language", ""), "en");
    EXPECT_EQ(merge.value("grid_message", ""), "Merge: selected 甲一, now click an adjacent grid");
    EXPECT_TRUE(has(merge.at("panel_titles"), "Layers and legend")) << merge.at("panel_titles");
}

TEST(English, GridEditNamesFromCoreAreShownInEnglish) {
    // Then 甲二 split and the split undone: core names the edits (分割网格), the status line translates.
    const json split = load_json("view_grid_lang_split.json");
    const std::string said = split.value("grid_message", "");
    EXPECT_EQ(said.rfind("Split grid: saved, enterprises reassigned: ", 0), 0u) << said;
    EXPECT_EQ(said.find("分割网格"), std::string::npos) << said;
    const json undo = load_json("view_grid_lang_undo.json");
    EXPECT_EQ(undo.value("grid_message", ""), "Undone: Split grid (saved)");
}

TEST(English, GridCheckDetailsFromCoreAreShownInEnglish) {
    // Then 网格检查 on the four grids (the split undone), none of them staffed: 缺少 网格长、网格员、督察员
    // in core's Chinese, shown in English with the roles translated and the grid names as stored.
    const json check = load_json("view_grid_lang_check.json");
    int missing_people = 0;
    for (const auto& p : check.at("grid_problems")) {
        const std::string text = p.at("text"), detail = p.at("detail");
        EXPECT_EQ(text.find("缺少"), std::string::npos) << text;
        if (text.rfind("People missing", 0) != 0) continue;
        ++missing_people;
        EXPECT_EQ(detail, "Missing: grid chief, grid member, grid inspector") << text;
    }
    EXPECT_EQ(missing_people, 4) << check.at("grid_problems");
    bool jia_yi = false;
    for (const auto& p : check.at("grid_problems")) jia_yi = jia_yi || p.at("text") == "People missing 甲一";
    EXPECT_TRUE(jia_yi) << "the grid's stored name stays as it is";
}

TEST(ImportDialog, GbkShapefilePreviewShowsDecodedChineseThenImports) {
    const json preview = load_json("view_import_preview.json");
    ASSERT_TRUE(preview.at("import_preview").is_object());
    const json& p = preview.at("import_preview");
    EXPECT_EQ(p.at("error"), "");
    EXPECT_EQ(p.at("encoding"), "GBK");
    EXPECT_EQ(p.at("crs"), "EPSG:4326");
    const auto& fields = p.at("fields");
    const auto name = std::find(fields.begin(), fields.end(), "NAME");
    ASSERT_NE(name, fields.end());
    ASSERT_EQ(p.at("rows").size(), 1u);
    EXPECT_EQ(p.at("rows")[0][static_cast<size_t>(name - fields.begin())], "黑龙江省");
    EXPECT_EQ(layer_named(preview, "chinese_poly"), nullptr) << "a preview imports nothing";

    const json done = load_json("view_import_done.json");
    EXPECT_EQ(done.at("error_dialog"), "");
    const json* layer = layer_named(done, "chinese_poly");
    ASSERT_NE(layer, nullptr) << "the map was not reloaded with the new layer";
    EXPECT_EQ(layer->at("role"), "sensitive");
    EXPECT_EQ(layer->at("features"), 1);
    EXPECT_EQ(done.at("layers").size(), preview.at("layers").size() + 1);
}

TEST(ImportDialog, MalformedFileShowsAnErrorNamingItAndChangesNothing) {
    const json before = load_json("view_import_done.json");
    const json after = load_json("view_import_bad.json");
    const std::string error = after.at("error_dialog");
    EXPECT_NE(error.find("no-dbf.shp"), std::string::npos) << error;
    EXPECT_NE(error.find("项目未改变"), std::string::npos) << error;
    EXPECT_EQ(after.at("layers"), before.at("layers"));
}

TEST(ImportDialog, LedgerPreviewListsTheRowsThenTheImportAddsThem) {
    const json preview = load_json("view_ledger_preview.json");
    ASSERT_TRUE(preview.at("import_preview").is_object());
    const json& p = preview.at("import_preview");
    EXPECT_EQ(p.at("error"), "");
    EXPECT_EQ(p.at("encoding"), "GBK");
    EXPECT_EQ(p.at("ledger").at("rows_read"), 2);
    EXPECT_EQ(p.at("ledger").at("importable"), 2);
    ASSERT_GE(p.at("ledger").at("rows").size(), 1u);
    EXPECT_EQ(p.at("ledger").at("rows")[0].at("name"), "向阳木业加工厂");
    EXPECT_FALSE(has_enterprise(preview, "向阳木业加工厂"));

    const json done = load_json("view_ledger_done.json");
    EXPECT_EQ(done.at("error_dialog"), "");
    EXPECT_TRUE(has_enterprise(done, "向阳木业加工厂"));
    EXPECT_EQ(done.at("enterprises").size(), preview.at("enterprises").size() + 2);
}
