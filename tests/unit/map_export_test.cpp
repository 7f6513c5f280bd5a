// Printed maps, atlas, lists and bulletin (issue 7), checked like a user would look at them: the
// text of the PDF (pdftotext: title, legend entries with counts, every enterprise name on its atlas
// page), colours where enterprises must be drawn (PNG pixels computed from their coordinates and
// the page transform), lists read back through GDAL (headers, row counts).
#include "core/bulletin_export.hpp"
#include "core/check_report.hpp"
#include "core/conformity.hpp"
#include "core/demo_project.hpp"
#include "core/errors.hpp"
#include "core/grid_assign.hpp"
#include "core/grid_areas.hpp"
#include "core/layer_import.hpp"
#include "core/ledger_import.hpp"
#include "core/list_export.hpp"
#include <algorithm>
#include "core/map_layout.hpp"
#include "core/relocation.hpp"
#include "core/campaign_workflow.hpp"
#include "core/rule_set.hpp"
#include "test_support.hpp"

#include <cairo.h>
#include <cpl_conv.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <set>

using namespace qingling;

namespace {

std::string command_output(const std::string& command) {
    std::string out;
    FILE* p = popen(command.c_str(), "r");
    if (!p) return out;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
    return out;
}

// The text of one page (1-based), as pdftotext reads it with the layout kept.
std::string pdf_page_text(const std::filesystem::path& pdf, int page) {
    return command_output("pdftotext -layout -f " + std::to_string(page) + " -l " + std::to_string(page) + " '" +
                          pdf.string() + "' -");
}

int pdf_page_count(const std::filesystem::path& pdf) {
    const std::string info = command_output("pdfinfo '" + pdf.string() + "'");
    const auto at = info.find("Pages:");
    return at == std::string::npos ? -1 : std::stoi(info.substr(at + 6));
}

// Without any white space: a table cell or label may be broken over lines.
std::string squeezed(const std::string& s) {
    std::string out;
    for (char c : s)
        if (c != ' ' && c != '\n' && c != '\t' && c != '\f' && c != '\r') out += c;
    return out;
}

// Runs of white space as one space, per line.
std::vector<std::string> collapsed_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::string line;
    bool space = false;
    for (char c : text + "\n") {
        if (c == '\n' || c == '\f') {
            while (!line.empty() && line.back() == ' ') line.pop_back();
            lines.push_back(line);
            line.clear();
            space = false;
        } else if (c == ' ' || c == '\t') {
            space = !line.empty();
        } else {
            if (space) line += ' ';
            space = false;
            line += c;
        }
    }
    return lines;
}

class MapExport : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir = new test::TempDir;
        SilentProgress progress;
        const auto path = *dir / "demo.qingling";
        build_demo_project(path, *dir / "sources", progress);
        {
            ProjectStore rw = ProjectStore::open(path, ProjectStore::Access::read_write);
            const CheckResult result = run_conformity_check(rw, load_rule_set(default_rule_file()), progress);
            WriteTransaction tx(rw);
            const long long run = rw.store_check_run(tx, result);
            // One person's decision that differs from the suggestion: the map must show the decision.
            for (const Verdict& v : result.verdicts)
                if (v.suggested == Category::relocate) {
                    confirmed_id = v.enterprise_id;
                    rw.confirm(tx, v.enterprise_id, Category::close, "现场核实", run, v.suggested);
                    break;
                }
            tx.commit();
        }
        store = new ProjectStore(ProjectStore::open(path, ProjectStore::Access::read_only));
    }
    static void TearDownTestSuite() {
        delete store;
        delete dir;
    }
    // Every enterprise's mark, worked out here from the stored run and confirmations.
    static std::map<long long, Mark> marks() {
        std::map<long long, Verdict> verdicts;
        for (auto& v : store->verdicts(store->latest_check_run()->id)) verdicts[v.enterprise_id] = v;
        const auto confirmations = store->confirmations();
        std::map<long long, Mark> out;
        for (const auto& r : store->ledger()) {
            std::optional<Verdict> v;
            std::optional<Confirmation> c;
            if (auto it = verdicts.find(r.id); it != verdicts.end()) v = it->second;
            if (auto it = confirmations.find(r.id); it != confirmations.end()) c = it->second;
            out[r.id] = mark_for(v, c);
        }
        return out;
    }
    static test::TempDir* dir;
    static ProjectStore* store;
    static long long confirmed_id;
};
test::TempDir* MapExport::dir = nullptr;
ProjectStore* MapExport::store = nullptr;
long long MapExport::confirmed_id = 0;

} // namespace

TEST_F(MapExport, WholeMapHasTitleLegendCountsAndNotes) {
    SilentProgress progress;
    MapExportOptions o;
    o.out = *dir / "distribution.pdf";
    o.unit = "青岭街道国土所测绘组";
    o.date = "2024-10-08";
    const MapExportReport report = export_map(*store, o, progress);
    ASSERT_EQ(report.files.size(), 1u);
    ASSERT_EQ(pdf_page_count(o.out), 1);
    const std::string text = squeezed(pdf_page_text(o.out, 1));
    EXPECT_NE(text.find("青岭街道“散乱污”企业分布图"), std::string::npos) << text;
    EXPECT_NE(text.find("制图单位：青岭街道国土所测绘组"), std::string::npos);
    EXPECT_NE(text.find("制图日期：2024-10-08"), std::string::npos);
    EXPECT_NE(text.find("EPSG:4547"), std::string::npos);
    EXPECT_NE(text.find("中央经线114°E"), std::string::npos);
    EXPECT_NE(text.find("图例"), std::string::npos);

    // Legend counts: the located enterprises inside the frame, by mark, counted here.
    const FrameTransform& t = report.pages[0].transform;
    std::map<Mark, int> expected;
    const auto mark_of = marks();
    for (const auto& r : store->ledger())
        if (r.x && r.y && *r.x >= t.world.minx && *r.x <= t.world.maxx && *r.y >= t.world.miny && *r.y <= t.world.maxy)
            ++expected[mark_of.at(r.id)];
    EXPECT_GT(expected[Mark::close], 0);
    EXPECT_GT(expected[Mark::rectify], 0);
    EXPECT_GT(expected[Mark::relocate], 0);
    for (Mark m : kAllMarks) {
        const std::string entry = std::string(mark_label_zh(m)) + std::to_string(expected[m]) + "家";
        EXPECT_NE(text.find(entry), std::string::npos) << "legend entry " << entry;
    }
    // A round scale: two significant digits ending in 0 or 5.
    long long n = t.scale_denominator;
    while (n >= 100) {
        EXPECT_EQ(n % 10, 0) << t.scale_denominator;
        n /= 10;
    }
    EXPECT_EQ(n % 5, 0) << t.scale_denominator;
    EXPECT_NE(text.find("比例尺1:"), std::string::npos);
}

TEST_F(MapExport, PngShowsEachEnterpriseInItsCategoryColourWhereItIs) {
    SilentProgress progress;
    MapExportOptions o;
    o.out = *dir / "distribution.png";
    o.dpi = 150;
    o.page = PageFormat::a3_landscape;
    const MapExportReport report = export_map(*store, o, progress);
    ASSERT_EQ(report.files.size(), 1u);
    std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> png(
        cairo_image_surface_create_from_png(report.files[0].c_str()), &cairo_surface_destroy);
    ASSERT_EQ(cairo_surface_status(png.get()), CAIRO_STATUS_SUCCESS);
    const int w = cairo_image_surface_get_width(png.get()), h = cairo_image_surface_get_height(png.get());
    EXPECT_EQ(w, static_cast<int>(std::lround(mm(420) * 150 / 72)));
    EXPECT_EQ(h, static_cast<int>(std::lround(mm(297) * 150 / 72)));
    const unsigned char* data = cairo_image_surface_get_data(png.get());
    const int stride = cairo_image_surface_get_stride(png.get());
    auto pixel = [&](double page_x, double page_y) {
        const int px = static_cast<int>(page_x * 150 / 72), py = static_cast<int>(page_y * 150 / 72);
        const auto* p = data + py * stride + px * 4;  // ARGB32/RGB24, little-endian: B G R A
        return Rgba{p[2], p[1], p[0], 255};
    };
    auto near = [](Rgba a, Rgba b) {
        return std::abs(a.r - b.r) <= 40 && std::abs(a.g - b.g) <= 40 && std::abs(a.b - b.b) <= 40;
    };

    // Enterprises alone on the map (no other symbol within 4 symbol radii): the centre pixel of
    // the symbol is the colour of its mark. The transform comes from the report; where each
    // enterprise is comes from the ledger.
    const FrameTransform& t = report.pages[0].transform;
    const auto mark_of = marks();
    const auto ledger = store->ledger();
    std::vector<std::pair<double, double>> at;
    for (const auto& r : ledger)
        if (r.x && r.y) at.emplace_back(t.page_x(*r.x), t.page_y(*r.y));
    int checked = 0, matching = 0;
    std::set<Mark> seen;
    bool confirmed_checked = false;
    for (const auto& r : ledger) {
        if (!r.x || !r.y) continue;
        const double x = t.page_x(*r.x), y = t.page_y(*r.y);
        if (!t.frame.contains(static_cast<float>(x), static_cast<float>(y))) continue;
        int close_ones = 0;
        for (const auto& [ox, oy] : at)
            if (std::hypot(ox - x, oy - y) < 4 * 2.9) ++close_ones;
        if (close_ones > 1) continue;  // itself only
        ++checked;
        const Rgba expected = mark_colour(mark_of.at(r.id));
        if (near(pixel(x, y), expected)) {
            ++matching;
            seen.insert(mark_of.at(r.id));
        } else {
            ADD_FAILURE() << r.name << " at page (" << x << ", " << y << "): pixel " << colour_text(pixel(x, y))
                          << ", expected " << colour_text(expected);
        }
        if (r.id == confirmed_id) confirmed_checked = true;
    }
    EXPECT_GE(checked, 40);
    EXPECT_EQ(matching, checked);
    EXPECT_TRUE(seen.count(Mark::close) && seen.count(Mark::rectify) && seen.count(Mark::relocate));
    (void)confirmed_checked;
    EXPECT_EQ(mark_of.at(confirmed_id), Mark::close) << "the confirmation wins over the suggestion";

    // Inside the frame's top-left corner the map is outside the jurisdiction: white paper.
    EXPECT_TRUE(near(pixel(t.frame.x0 + 4, t.frame.y1 - 60), rgb(0xFFFFFF)));
    // Outside the frame, between the map and the side panel: white.
    EXPECT_TRUE(near(pixel(t.frame.x1 + mm(7), t.frame.y0 + 100), rgb(0xFFFFFF)));
}

// A raster page's layers are drawn in bands on several threads; the page must look as one pass
// draws it, also along the band edges where patches, outlines and hatching are cut. Cairo's
// rasteriser clips each band's paths at its edge, which moves the antialiasing of a few edge
// pixels by a few levels: at most 1 pixel in 10,000 may differ, by at most 24 of 255.
TEST_F(MapExport, LayersDrawnInParallelBandsGiveTheSamePixelsAsOnePass) {
    const MapContent content = read_map_content(*store);
    const PixelRect frame{20, 20, 560, 400};
    const FrameTransform t = fit_frame(frame, content.home(), content.metres_per_unit);
    auto render = [&](unsigned threads) {
        const auto out = *dir / ("bands-" + std::to_string(threads) + ".png");
        {
            PageCanvas canvas(out, PageSize{580, 420}, 150);
            SilentProgress progress;
            FrameOptions o;
            o.threads = threads;
            const FrameResult drawn = draw_map_frame(canvas, *store, content, t, o, progress);
            EXPECT_GT(drawn.features_drawn, 1000) << threads << " threads";
            canvas.finish();
        }
        return std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)>(
            cairo_image_surface_create_from_png(out.c_str()), &cairo_surface_destroy);
    };
    const auto one = render(1), three = render(3);
    ASSERT_EQ(cairo_surface_status(one.get()), CAIRO_STATUS_SUCCESS);
    ASSERT_EQ(cairo_surface_status(three.get()), CAIRO_STATUS_SUCCESS);
    const int w = cairo_image_surface_get_width(one.get()), h = cairo_image_surface_get_height(one.get());
    ASSERT_EQ(w, cairo_image_surface_get_width(three.get()));
    ASSERT_EQ(h, cairo_image_surface_get_height(three.get()));
    const int stride = cairo_image_surface_get_stride(one.get());
    const unsigned char* a = cairo_image_surface_get_data(one.get());
    const unsigned char* b = cairo_image_surface_get_data(three.get());
    long long differing = 0, coloured = 0;
    int largest = 0;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const unsigned char* pa = a + y * stride + x * 4;
            const unsigned char* pb = b + y * stride + x * 4;
            int most = 0;
            for (int c = 0; c < 3; ++c) most = std::max(most, std::abs(pa[c] - pb[c]));
            differing += most > 0;
            largest = std::max(largest, most);
            coloured += !(pa[0] == 255 && pa[1] == 255 && pa[2] == 255);
        }
    EXPECT_LE(differing, static_cast<long long>(w) * h / 10000) << "of " << static_cast<long long>(w) * h << " pixels";
    EXPECT_LE(largest, 24);
    EXPECT_GT(coloured, static_cast<long long>(w) * h / 3) << "the map must cover the frame";
}

TEST_F(MapExport, VillageAtlasHasEveryEnterpriseNameOnItsOwnPages) {
    SilentProgress progress;
    MapExportOptions o;
    o.out = *dir / "atlas.pdf";
    o.atlas = AtlasBy::village;
    o.page = PageFormat::a4_portrait;
    const MapExportReport report = export_map(*store, o, progress);
    ASSERT_EQ(pdf_page_count(o.out), static_cast<int>(report.pages.size()));

    // The ledger's village of each enterprise (decided by location at import).
    std::map<std::string, std::set<std::string>> names_of_village;
    std::set<std::string> all_names;
    for (const auto& r : store->ledger()) {
        names_of_village[r.village].insert(r.name);
        all_names.insert(r.name);
    }
    std::map<std::string, std::string> text_of_area;  // all pages of an area
    std::map<std::string, int> maps_of_area;
    for (size_t p = 0; p < report.pages.size(); ++p) {
        const MapPageInfo& page = report.pages[p];
        const std::string text = squeezed(pdf_page_text(o.out, static_cast<int>(p + 1)));
        EXPECT_NE(text.find(squeezed(page.area)), std::string::npos) << "page " << p + 1;
        text_of_area[page.area] += text;
        if (!page.continuation) ++maps_of_area[page.area];
    }
    int villages = 0;
    for (const auto& [area, text] : text_of_area) {
        EXPECT_EQ(maps_of_area[area], 1) << area;
        if (!names_of_village.count(area)) continue;
        ++villages;
        for (const std::string& name : names_of_village[area])
            EXPECT_NE(text.find(squeezed(name)), std::string::npos) << name << " missing from the pages of " << area;
        // Only its own enterprises: no name of another village's enterprise (unless it is part of a
        // name of this village's).
        for (const std::string& name : all_names) {
            if (names_of_village[area].count(name)) continue;
            bool part_of_own = false;
            for (const std::string& own : names_of_village[area]) part_of_own |= own.find(name) != std::string::npos;
            if (!part_of_own) EXPECT_EQ(text.find(squeezed(name)), std::string::npos) << name << " on the pages of " << area;
        }
    }
    EXPECT_EQ(villages, 12);
}

TEST_F(MapExport, PresetsRenderWithTheirLegends) {
    SilentProgress progress;
    for (MapPreset preset : {MapPreset::progress, MapPreset::relocation, MapPreset::grid}) {
        MapExportOptions o;
        o.out = *dir / (std::string(map_preset_code(preset)) + ".pdf");
        o.preset = preset;
        const MapExportReport report = export_map(*store, o, progress);
        const std::string text = squeezed(pdf_page_text(o.out, 1));
        EXPECT_NE(text.find(std::string("青岭街道“散乱污”企业") + map_preset_label_zh(preset)), std::string::npos);
        for (const SymbolClass& c : preset_symbol_classes(preset))
            EXPECT_NE(text.find(squeezed(c.label)), std::string::npos) << map_preset_code(preset) << ": " << c.label;
    }
    // 整治进度图 as of 2024-12-20 (the demo campaign's day): its legend counts each enterprise on the
    // map once, by where the campaign workflow says it stood that day, the overdue ones apart.
    MapExportOptions o;
    o.out = *dir / "progress-2024-12-20.pdf";
    o.preset = MapPreset::progress;
    o.as_of = "2024-12-20";
    const MapExportReport report = export_map(*store, o, progress);
    const std::string text = squeezed(pdf_page_text(o.out, 1));
    const auto legend_at = text.find("截至2024-12-20");
    ASSERT_NE(legend_at, std::string::npos) << text;
    const std::string legend = text.substr(legend_at);  // the subtitle also names 甄别确认
    auto count = [&](const std::string& label) {
        const auto at = legend.find(label);
        EXPECT_NE(at, std::string::npos) << label;
        return at == std::string::npos ? -1LL : std::atoll(legend.c_str() + at + label.size());
    };
    const CampaignData campaign = load_campaign(*store);
    const FrameTransform& t = report.pages[0].transform;
    std::map<std::string, long long> expected;
    for (const auto& r : store->ledger()) {
        if (!r.x || !r.y || !t.frame.contains(static_cast<float>(t.page_x(*r.x)), static_cast<float>(t.page_y(*r.y))))
            continue;
        const EnterpriseProgress p = progress_as_of(campaign, r.id, "2024-12-20");
        ++expected[p.overdue ? "已逾期" : campaign_status_label_zh(p.status)];
    }
    EXPECT_GT(expected["已逾期"], 0);
    EXPECT_GT(expected["整治完成"] + expected["回头看"] + expected["已销号"], 0);
    long long sum = 0;
    for (CampaignStatus st : kAllCampaignStatuses) {
        EXPECT_EQ(count(campaign_status_label_zh(st)), expected[campaign_status_label_zh(st)]) << campaign_status_label_zh(st);
        sum += expected[campaign_status_label_zh(st)];
    }
    EXPECT_EQ(count("已逾期"), expected["已逾期"]);
    EXPECT_EQ(count("合计"), sum + expected["已逾期"]);
}

TEST_F(MapExport, GridAtlasShowsEachGridsEnterprisesAndResponsiblePerson) {
    test::TempDir grid_dir;
    SilentProgress progress;
    auto project = ProjectStore::create(grid_dir / "grid.qingling", {});
    for (auto [file, role] : {std::pair{"jurisdiction.geojson", "jurisdiction"}, std::pair{"villages.geojson", "village"},
                              std::pair{"grids.geojson", "grid"}}) {
        LayerImportOptions o;
        o.source = test::test_data() / "grid" / file;
        o.role = role;
        import_layer(project, o, progress);
    }
    LedgerImportOptions lo;
    lo.file = test::test_data() / "grid/enterprises.csv";
    import_ledger(project, lo, progress);
    {
        GeosContext geos;
        const AreaSet grids(geos, project, "grid", kGridNameFields);
        WriteTransaction tx(project);
        for (size_t i = 0; i < grids.size(); ++i) {
            Person p;
            p.name = grids.ref(i).name + "员";
            p.role = "网格员";
            project.add_grid_person(tx, grids.ref(i).layer, grids.ref(i).fid, project.add_person(tx, p));
        }
        tx.commit();
    }
    assign_enterprises_to_grids(project, {}, progress);

    MapExportOptions o;
    o.out = grid_dir / "grids.pdf";
    o.atlas = AtlasBy::grid;
    o.preset = MapPreset::grid;
    const MapExportReport report = export_map(project, o, progress);
    ASSERT_EQ(report.pages.size(), 5u);  // five grids, short tables
    const auto assignments = project.enterprise_grids();
    std::map<long long, std::string> name_of;
    for (const auto& r : project.ledger()) name_of[r.id] = r.name;
    for (size_t p = 0; p < report.pages.size(); ++p) {
        const std::string text = squeezed(pdf_page_text(o.out, static_cast<int>(p + 1)));
        const std::string& grid = report.pages[p].area;
        EXPECT_NE(text.find(grid + "“散乱污”企业网格图"), std::string::npos) << text;
        EXPECT_NE(text.find(grid + "员"), std::string::npos) << "the grid's person on " << grid;
        // The enterprises assigned to this grid (by the grid assignment), every one named.
        std::set<long long> expected;
        GeosContext geos;
        const AreaSet grids(geos, project, "grid", kGridNameFields);
        for (const auto& [id, a] : assignments)
            if (auto i = grids.find(a.grid_layer, a.grid_fid); i && grids.ref(*i).label() == grid) expected.insert(id);
        const std::set<long long> shown(report.pages[p].enterprise_ids.begin(), report.pages[p].enterprise_ids.end());
        EXPECT_EQ(shown, expected) << grid;
        for (long long id : expected) EXPECT_NE(text.find(name_of[id]), std::string::npos) << name_of[id] << " on " << grid;
    }
}

TEST_F(MapExport, ListsReadBackThroughGdalWithHeadersAndRows) {
    SilentProgress progress;
    const auto mark_of = marks();
    long long close = 0, forestry = 0;
    for (const auto& r : store->ledger()) {
        close += mark_of.at(r.id) == Mark::close;
        forestry += r.department == "处林业站";
    }
    ASSERT_GT(close, 0);
    ASSERT_GT(forestry, 0);
    struct Case {
        std::string file, kind;
        long long rows;
        std::string first_headers[3];
    };
    const Case cases[] = {
        {"ledger.xlsx", "ledger", static_cast<long long>(store->ledger().size()), {"序号", "企业名称", "统一社会信用代码"}},
        {"power.xlsx", "power-cut", close, {"序号", "企业名称", "电力户号"}},
        {"power.csv", "power-cut", close, {"序号", "企业名称", "电力户号"}},
        {"forestry.xlsx", "department:林业站", forestry, {"序号", "企业名称", "行业"}},
    };
    CPLSetConfigOption("OGR_XLSX_HEADERS", "FORCE");
    for (const Case& c : cases) {
        ListExportOptions o;
        o.out = *dir / c.file;
        ASSERT_TRUE(parse_list_kind(c.kind, o.department));
        o.kind = *parse_list_kind(c.kind, o.department);
        const ListExportReport report = export_list(*store, o, progress);
        EXPECT_EQ(report.rows, c.rows) << c.file;
        std::unique_ptr<GDALDataset> ds(
            static_cast<GDALDataset*>(GDALOpenEx(o.out.c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr)));
        ASSERT_TRUE(ds) << c.file;
        OGRLayer* layer = ds->GetLayer(0);
        ASSERT_TRUE(layer);
        EXPECT_EQ(layer->GetFeatureCount(), c.rows) << c.file;
        OGRFeatureDefn* defn = layer->GetLayerDefn();
        ASSERT_EQ(defn->GetFieldCount(), static_cast<int>(report.headers.size())) << c.file;
        for (int i = 0; i < defn->GetFieldCount(); ++i)
            EXPECT_EQ(defn->GetFieldDefn(i)->GetNameRef(), report.headers[static_cast<size_t>(i)]) << c.file;
        for (int i = 0; i < 3; ++i) EXPECT_EQ(report.headers[static_cast<size_t>(i)], c.first_headers[i]);
        // Every 断电清单 row is an enterprise to be closed; the power office gets no owner's name or phone.
        if (c.kind == "power-cut") {
            for (const char* personal : {"法定代表人", "联系电话"})
                EXPECT_EQ(std::count(report.headers.begin(), report.headers.end(), personal), 0) << personal;
            std::set<std::string> closing;
            for (const auto& r : store->ledger())
                if (mark_of.at(r.id) == Mark::close) closing.insert(r.name);
            layer->ResetReading();
            for (auto& f : *layer) EXPECT_TRUE(closing.count(f->GetFieldAsString("企业名称"))) << f->GetFieldAsString("企业名称");
        }
    }
    CPLSetConfigOption("OGR_XLSX_HEADERS", nullptr);
    ListExportOptions bad;
    bad.out = *dir / "x.xlsx";
    bad.kind = ListKind::department;
    bad.department = "宣传部";
    EXPECT_THROW(export_list(*store, bad, progress), UsageError);
    EXPECT_FALSE(std::filesystem::exists(bad.out));
}

TEST_F(MapExport, BulletinCountsByVillageAndOverviewMap) {
    SilentProgress progress;
    BulletinOptions o;
    o.out = *dir / "bulletin.pdf";
    const BulletinReport report = export_bulletin(*store, o, progress);
    ASSERT_EQ(pdf_page_count(o.out), report.pages);
    ASSERT_GE(report.pages, 2);
    // The counts of one village, worked out here, in the table's row.
    const auto mark_of = marks();
    long long total = 0, by_mark[5] = {0, 0, 0, 0, 0};
    for (const auto& r : store->ledger()) {
        if (r.village != "东湖村") continue;
        ++total;
        for (size_t i = 0; i < 5; ++i) by_mark[i] += mark_of.at(r.id) == kAllMarks[i];
    }
    std::string row = "东湖村 " + std::to_string(total);
    for (long long n : by_mark) row += " " + std::to_string(n);
    bool found = false;
    for (const std::string& line : collapsed_lines(pdf_page_text(o.out, 1))) found |= line.rfind(row, 0) == 0;
    EXPECT_TRUE(found) << "no row starting with " << row << " in\n" << pdf_page_text(o.out, 1);
    const std::string first = squeezed(pdf_page_text(o.out, 1));
    EXPECT_NE(first.find("青岭街道“散乱污”企业整治工作通报"), std::string::npos);
    EXPECT_NE(first.find("已甄别确认" + std::to_string(store->confirmations().size()) + "家"), std::string::npos) << first;
    EXPECT_NE(first.find("合计" + std::to_string(store->ledger().size())), std::string::npos);
    const std::string map_page = squeezed(pdf_page_text(o.out, report.pages));
    EXPECT_NE(map_page.find("附图"), std::string::npos);
    EXPECT_NE(map_page.find("图例"), std::string::npos);
}

// 导出当前视图 through the CLI's renderer: an explicit extent (a village's box) is shown whole at the
// next round scale, only its enterprises are drawn, and only the layers asked for are in the legend.
TEST_F(MapExport, ExtentAndLayersShowTheViewAsked) {
    SilentProgress progress;
    // The box of the located enterprises of one village, worked out here.
    WorldBox box;
    for (const auto& r : store->ledger())
        if (r.x && r.y && r.village == "东湖村") box.add(*r.x, *r.y);
    ASSERT_TRUE(box.valid);
    box.minx -= 100;
    box.miny -= 100;
    box.maxx += 100;
    box.maxy += 100;
    MapExportOptions o;
    o.out = *dir / "view.pdf";
    o.extent = box;
    o.layers = std::vector<std::string>{"青岭街道行政区界", "村级调查区"};
    const MapExportReport report = export_map(*store, o, progress);
    ASSERT_EQ(report.pages.size(), 1u);
    const FrameTransform& t = report.pages[0].transform;
    // The whole box is shown, centred, and not much more (the scale is rounded up to 2 significant digits).
    EXPECT_LE(t.world.minx, box.minx);
    EXPECT_GE(t.world.maxx, box.maxx);
    EXPECT_LE(t.world.miny, box.miny);
    EXPECT_GE(t.world.maxy, box.maxy);
    EXPECT_NEAR((t.world.minx + t.world.maxx) / 2, (box.minx + box.maxx) / 2, 1e-6);
    const double fill = std::max(box.width() / t.world.width(), box.height() / t.world.height());
    // Scales step by 5 in the second digit (1:10,000 → 1:15,000), so at worst the box fills 2/3.
    EXPECT_GT(fill, 0.66) << "the view fills the frame in one direction";
    // Symbols: exactly the located enterprises inside the frame's world box.
    std::set<long long> expected, drawn;
    for (const auto& r : store->ledger())
        if (r.x && r.y && *r.x >= t.world.minx && *r.x <= t.world.maxx && *r.y >= t.world.miny && *r.y <= t.world.maxy)
            expected.insert(r.id);
    for (const auto& s : report.pages[0].symbols) drawn.insert(s.first);
    EXPECT_EQ(drawn, expected);
    EXPECT_LT(expected.size(), store->ledger().size() / 2) << "a village, not the whole subdistrict";
    // Layers: the two asked for are in the legend, a zone layer drawn by default is not.
    const std::string text = squeezed(pdf_page_text(o.out, 1));
    EXPECT_NE(text.find("村级调查区"), std::string::npos) << text;
    EXPECT_EQ(text.find("永久基本农田"), std::string::npos) << text;
    MapExportOptions all = o;
    all.layers.reset();
    all.out = *dir / "view_all.pdf";
    export_map(*store, all, progress);
    EXPECT_NE(squeezed(pdf_page_text(all.out, 1)).find("永久基本农田"), std::string::npos);

    MapExportOptions bad = o;
    bad.layers = std::vector<std::string>{"无此图层"};
    EXPECT_THROW(export_map(*store, bad, progress), UsageError);
    bad = o;
    bad.atlas = AtlasBy::village;
    EXPECT_THROW(export_map(*store, bad, progress), UsageError);
    EXPECT_FALSE(parse_world_box("1,2,3"));
    EXPECT_FALSE(parse_world_box("5,2,3,4"));
    ASSERT_TRUE(parse_world_box("1,2,3,4.5"));
    EXPECT_EQ(parse_world_box("1,2,3,4.5")->maxy, 4.5);
}

// The viewer's layout preview is the exported page: the image in memory equals the PNG at that dpi.
TEST_F(MapExport, PreviewImageEqualsThePngExport) {
    SilentProgress progress;
    MapExportOptions o;
    o.out = *dir / "preview_same.png";
    o.dpi = 45;
    o.page = PageFormat::a4_portrait;
    o.date = "2024-10-08";
    const MapPreview preview = render_map_preview(*store, o, progress);
    export_map(*store, o, progress);
    std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> png(
        cairo_image_surface_create_from_png(o.out.c_str()), &cairo_surface_destroy);
    ASSERT_EQ(cairo_surface_status(png.get()), CAIRO_STATUS_SUCCESS);
    const int w = cairo_image_surface_get_width(png.get()), h = cairo_image_surface_get_height(png.get());
    ASSERT_EQ(preview.image.width, w);
    ASSERT_EQ(preview.image.height, h);
    EXPECT_EQ(w, static_cast<int>(std::lround(mm(210) * 45 / 72)));
    const unsigned char* data = cairo_image_surface_get_data(png.get());
    const int stride = cairo_image_surface_get_stride(png.get());
    long long differing = 0, dark = 0;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const unsigned char* p = data + y * stride + x * 4;
            const unsigned char* q = preview.image.rgba.data() + (static_cast<size_t>(y) * w + x) * 4;
            differing += std::abs(p[2] - q[0]) > 2 || std::abs(p[1] - q[1]) > 2 || std::abs(p[0] - q[2]) > 2;
            dark += q[0] < 100 && q[1] < 100 && q[2] < 100;
        }
    EXPECT_EQ(differing, 0);
    EXPECT_GT(dark, w * h / 200) << "the page has a title, frame and legend, not only paper";
}

// 搬迁选址图: every unreserved candidate parcel core/relocation finds is drawn and counted in the legend.
TEST_F(MapExport, RelocationMapShowsUnreservedCandidateParcels) {
    SilentProgress progress;
    RelocationOptions ro;
    ro.max_candidates = 0;
    const RelocationReport sites = find_relocation_sites(*store, load_rule_set(default_rule_file()), ro, progress);
    std::set<std::pair<std::string, long long>> reserved, candidates;
    for (const auto& r : store->site_reservations(true)) reserved.insert({r.site_layer, r.site_fid});
    for (const auto& e : sites.entries)
        for (const auto& c : e.candidates)
            if (!reserved.count({c.site_layer, c.site_fid})) candidates.insert({c.site_layer, c.site_fid});
    ASSERT_GT(candidates.size(), 3u) << "the demo has free park parcels for its relocating enterprises";
    MapExportOptions o;
    o.out = *dir / "relocation_candidates.pdf";
    o.preset = MapPreset::relocation;
    export_map(*store, o, progress);
    const std::string text = squeezed(pdf_page_text(o.out, 1));
    EXPECT_NE(text.find("候选搬迁地块（未预留）" + std::to_string(candidates.size()) + "块"), std::string::npos) << text;
    // Their colour on the PNG: the orange fill over the parcel's inside somewhere in the frame.
    o.out = *dir / "relocation_candidates.png";
    o.dpi = 100;
    const MapExportReport report = export_map(*store, o, progress);
    std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> png(
        cairo_image_surface_create_from_png(report.files[0].c_str()), &cairo_surface_destroy);
    const unsigned char* data = cairo_image_surface_get_data(png.get());
    const int stride = cairo_image_surface_get_stride(png.get());
    const FrameTransform& t = report.pages[0].transform;
    long long orange = 0;
    for (int y = static_cast<int>(t.frame.y0 * 100 / 72); y < static_cast<int>(t.frame.y1 * 100 / 72); ++y)
        for (int x = static_cast<int>(t.frame.x0 * 100 / 72); x < static_cast<int>(t.frame.x1 * 100 / 72); ++x) {
            const unsigned char* p = data + y * stride + x * 4;
            orange += p[2] > 200 && p[1] > 140 && p[1] < 215 && p[0] < 150;  // R high, G middle, B low
        }
    EXPECT_GT(orange, 200) << "candidate parcels drawn in orange";
}

// 通报 section 三: the counts by 整治状态 and the overdue list on the bulletin's date, worked out
// here from the recorded campaign (core/campaign_workflow).
TEST_F(MapExport, BulletinListsStatusCountsAndOverdueEnterprises) {
    SilentProgress progress;
    BulletinOptions o;
    o.out = *dir / "bulletin_progress.pdf";
    o.date = "2025-01-15";
    const BulletinReport report = export_bulletin(*store, o, progress);
    const CampaignData campaign = load_campaign(*store);
    std::map<std::string, long long> by_status;
    std::vector<std::string> overdue;
    for (const auto& r : store->ledger()) {
        const EnterpriseProgress p = progress_as_of(campaign, r.id, o.date);
        ++by_status[campaign_status_label_zh(p.status)];
        if (p.overdue) overdue.push_back(r.name);
    }
    ASSERT_FALSE(overdue.empty()) << "after the calendar's deadlines some are late";
    ASSERT_LT(overdue.size(), store->ledger().size()) << "and some are done or not due";
    EXPECT_EQ(report.overdue.size(), overdue.size());
    std::string all_text;
    for (int page = 1; page <= report.pages; ++page) all_text += squeezed(pdf_page_text(o.out, page));
    for (const auto& [label, n] : by_status)
        EXPECT_NE(all_text.find(label + std::to_string(n) + "家"), std::string::npos) << label << " " << n;
    EXPECT_NE(all_text.find("逾期未完成" + std::to_string(overdue.size()) + "家"), std::string::npos);
    for (const std::string& name : overdue) EXPECT_NE(all_text.find(squeezed(name)), std::string::npos) << name;
    // Most days overdue first, with the deadline of the step due.
    for (size_t i = 1; i < report.overdue.size(); ++i)
        EXPECT_GE(report.overdue[i - 1].days_overdue, report.overdue[i].days_overdue);
    EXPECT_FALSE(report.overdue.front().deadline.empty());
    EXPECT_LT(report.overdue.front().deadline, o.date);
}
