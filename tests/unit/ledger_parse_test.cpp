// The ledger (台账) parser, the industry table and the ledger export.
//
// Expected projected coordinates below were computed independently with GDAL's command-line tool,
// e.g.  printf '114.123456 30.567890\n' | gdaltransform -s_srs EPSG:4326 -t_srs EPSG:4547 -output_xy
// (gdaltransform uses the GIS axis order, easting first). WGS-84 values for the GCJ-02/BD-09 rows
// come from ../shared/testdata/coord_vectors/china-cities.json (武汉市, 孝感市).
#include "core/crs.hpp"
#include "core/errors.hpp"
#include "core/industry_table.hpp"
#include "core/ledger_export.hpp"
#include "core/ledger_parse.hpp"
#include "core/resources.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

using namespace qingling;
namespace fs = std::filesystem;

namespace {

const fs::path kData = fs::path(QINGLING_TEST_DATA) / "ledger";

fs::path layers_for_tests() {
    if (const char* env = std::getenv("QINGLING_LAYERS_DIR"); env && *env) return env;
    return fs::path(QINGLING_TEST_DATA) / ".." / ".." / "layers";
}

const IndustryTable& industries() {
    static const IndustryTable table = IndustryTable::load(layers_for_tests() / "industries.tsv");
    return table;
}

LedgerParseResult parse(const fs::path& file, CoordHint hint = CoordHint::automatic, int project_epsg = 4547) {
    LedgerParseOptions options;
    options.coords = hint;
    options.project_srs = make_srs(project_epsg);
    SilentProgress progress;
    return parse_ledger(file, options, industries(), progress);
}

const LedgerRecord* find(const LedgerParseResult& r, const std::string& name) {
    for (const auto& rec : r.records)
        if (rec.name == name) return &rec;
    return nullptr;
}

std::vector<const LedgerProblem*> problems_of(const LedgerParseResult& r, long long row) {
    std::vector<const LedgerProblem*> out;
    for (const auto& p : r.problems)
        if (p.row == row) out.push_back(&p);
    return out;
}

const LedgerProblem* problem(const LedgerParseResult& r, long long row, const std::string& kind) {
    for (const auto& p : r.problems)
        if (p.row == row && p.kind == kind) return &p;
    return nullptr;
}

std::optional<bool> permit(const LedgerRecord& rec, Permit p) {
    auto it = rec.permits.find(p);
    return it == rec.permits.end() ? std::nullopt : it->second;
}

void expect_point(const LedgerRecord* rec, double x, double y, double tolerance = 1.0) {
    ASSERT_NE(rec, nullptr);
    ASSERT_TRUE(rec->x.has_value()) << rec->name;
    ASSERT_TRUE(rec->y.has_value()) << rec->name;
    EXPECT_NEAR(*rec->x, x, tolerance) << rec->name;
    EXPECT_NEAR(*rec->y, y, tolerance) << rec->name;
}

struct TempDir {
    fs::path path;
    TempDir() {
        path = fs::temp_directory_path() / ("qingling-ledger-test-" + std::to_string(std::rand()) + "-" +
                                            std::to_string(reinterpret_cast<std::uintptr_t>(this)));
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

} // namespace

// ---------------------------------------------------------------------------------------------

TEST(IndustryTable, LoadsAndMatches) {
    const auto& t = industries();
    ASSERT_GE(t.industries().size(), 19u);
    const Industry* brick = t.match("砖瓦");
    ASSERT_NE(brick, nullptr);
    EXPECT_EQ(brick->department, "处国土所");
    EXPECT_EQ(brick->pollution_class, 3);
    ASSERT_NE(t.match("  家具制造 "), nullptr);
    EXPECT_EQ(t.match("家具制造")->name, "家具制造");
    EXPECT_EQ(t.match("实木家具厂")->name, "家具制造");
    EXPECT_EQ(t.match("红砖厂")->name, "砖瓦");
    EXPECT_EQ(t.match("小型机械加工")->department, "处环保办");
    EXPECT_EQ(t.match("白酒酿造")->department, "处食安办");
    EXPECT_EQ(t.match("服装零售"), nullptr);
    EXPECT_EQ(t.match(""), nullptr);
}

void set_env(const char* key, const char* value) {  // nullptr unsets
#ifdef _WIN32
    _putenv_s(key, value ? value : "");
#else
    if (value)
        setenv(key, value, 1);
    else
        unsetenv(key);
#endif
}

TEST(Resources, LayersDirFollowsEnvironment) {
    const char* old = std::getenv("QINGLING_LAYERS_DIR");
    const std::optional<std::string> saved = old ? std::optional<std::string>(old) : std::nullopt;
    set_env("QINGLING_LAYERS_DIR", "/some/where");
    EXPECT_EQ(layers_dir(), fs::path("/some/where"));
    set_env("QINGLING_LAYERS_DIR", nullptr);
    EXPECT_TRUE(fs::exists(layers_dir() / "industries.tsv")) << layers_dir();  // source tree fallback
    set_env("QINGLING_LAYERS_DIR", saved ? saved->c_str() : nullptr);
}

TEST(LedgerRecord, CodesRoundTrip) {
    for (CoordSource s : {CoordSource::none, CoordSource::wgs84, CoordSource::cgcs2000, CoordSource::gcj02,
                          CoordSource::bd09, CoordSource::gauss_kruger})
        EXPECT_EQ(parse_coord_source(coord_source_code(s)), s);
    for (Emission e : {Emission::unknown, Emission::none, Emission::treated, Emission::untreated, Emission::excess})
        EXPECT_EQ(parse_emission_code(emission_code(e)), e);
    EXPECT_EQ(parse_coord_source("mercator"), std::nullopt);
    EXPECT_STREQ(permit_code(Permit::business_license), "permit_business_license");
    EXPECT_STREQ(permit_label_zh(Permit::fagai), "发改立项");
    EXPECT_STREQ(emission_label_zh(Emission::untreated), "未经处理直排");
}

TEST(LedgerParse, CoordinateNumbers) {
    EXPECT_DOUBLE_EQ(*parse_coordinate_number("114.3"), 114.3);
    EXPECT_DOUBLE_EQ(*parse_coordinate_number(" 38511843.409 "), 38511843.409);
    EXPECT_DOUBLE_EQ(*parse_coordinate_number("１１４．５"), 114.5);  // full-width
    EXPECT_NEAR(*parse_coordinate_number("114°18'30.5\""), 114.30847222222222, 1e-12);
    EXPECT_NEAR(*parse_coordinate_number("114度18分30.5秒"), 114.30847222222222, 1e-12);
    EXPECT_NEAR(*parse_coordinate_number("E114°18′30.5″"), 114.30847222222222, 1e-12);
    EXPECT_NEAR(*parse_coordinate_number("北纬30°33.2'"), 30 + 33.2 / 60, 1e-12);
    EXPECT_NEAR(*parse_coordinate_number("114 18 30.5"), 114.30847222222222, 1e-12);
    EXPECT_NEAR(*parse_coordinate_number("30°"), 30.0, 1e-12);
    EXPECT_EQ(parse_coordinate_number("abc"), std::nullopt);
    EXPECT_EQ(parse_coordinate_number(""), std::nullopt);
    EXPECT_EQ(parse_coordinate_number("114°75'"), std::nullopt);  // minutes >= 60
    EXPECT_EQ(parse_coordinate_number("114.3.2"), std::nullopt);
    EXPECT_EQ(parse_coordinate_number("nan"), std::nullopt);
}

TEST(LedgerParse, CoordHintCodes) {
    EXPECT_EQ(parse_coord_hint("auto"), CoordHint::automatic);
    EXPECT_EQ(parse_coord_hint("GCJ-02"), CoordHint::gcj02);
    EXPECT_EQ(parse_coord_hint("gk"), CoordHint::gauss_kruger);
    EXPECT_EQ(parse_coord_hint("mercator"), std::nullopt);
    EXPECT_STREQ(coord_hint_code(CoordHint::bd09), "bd09");
}

// UTF-8 with BOM, variant headers (单位名称, 信用代码, 村（社区）, 环保, 安监 ...), an unknown column
// 排查人, a blank line, a note spanning two lines and a last row holding only its 序号 (an unused
// template row, skipped like a blank one). Row numbers are the file's line numbers.
TEST(LedgerParse, Utf8VariantHeaders) {
    const auto r = parse(kData / "variants_utf8.csv");
    EXPECT_EQ(r.encoding, "UTF-8");
    EXPECT_EQ(r.rows_read, 10);  // the blank line and the 序号-only line are not rows
    EXPECT_EQ(r.coordinate_columns, "经度/纬度");
    ASSERT_EQ(r.records.size(), 7u);

    // Mapping: every column is listed, the unknown one as extra.
    auto mapped = [&r](const std::string& header) {
        for (const auto& [h, code] : r.column_mapping)
            if (h == header) return code;
        return std::string("?");
    };
    EXPECT_EQ(mapped("单位名称"), "name");
    EXPECT_EQ(mapped("信用代码"), "credit_code");
    EXPECT_EQ(mapped("村（社区）"), "village");
    EXPECT_EQ(mapped("环保"), "permit_eia");
    EXPECT_EQ(mapped("安监"), "permit_safety");
    EXPECT_EQ(mapped("固体废物"), "solid_waste");
    EXPECT_EQ(mapped("排查人"), "extra");
    EXPECT_EQ(mapped("序号"), "seq");
    EXPECT_EQ(r.column_mapping.size(), 26u);

    // Line 2: every field.
    const LedgerRecord* brick = find(r, "清溪砖厂");
    ASSERT_NE(brick, nullptr);
    EXPECT_EQ(brick->source_row, 2);
    EXPECT_EQ(brick->credit_code, "91420100MA4K1234XX");  // lower case accepted, upper-cased
    EXPECT_EQ(brick->legal_person, "张三");
    EXPECT_EQ(brick->phone, "13800000001");
    EXPECT_EQ(brick->address, "清溪村3组");
    EXPECT_EQ(brick->village, "清溪村");
    EXPECT_EQ(brick->industry, "砖厂");
    EXPECT_EQ(brick->department, "处国土所");
    EXPECT_EQ(brick->power_account, "0012345678");
    EXPECT_EQ(permit(*brick, Permit::business_license), true);   // 有
    EXPECT_EQ(permit(*brick, Permit::fagai), false);             // 无
    EXPECT_EQ(permit(*brick, Permit::land), true);               // √
    EXPECT_EQ(permit(*brick, Permit::planning), false);          // ×
    EXPECT_EQ(permit(*brick, Permit::eia), true);                // 已办
    EXPECT_EQ(permit(*brick, Permit::safety), false);            // 未办
    EXPECT_EQ(permit(*brick, Permit::discharge), true);          // Y
    EXPECT_EQ(permit(*brick, Permit::food), std::nullopt);       // blank
    EXPECT_EQ(brick->wastewater, Emission::treated);             // 达标排放
    EXPECT_EQ(brick->waste_gas, Emission::untreated);            // 直排
    EXPECT_EQ(brick->solid_waste, Emission::none);               // 无
    EXPECT_EQ(brick->solid_waste_ledger, true);
    EXPECT_EQ(brick->coord_source, CoordSource::wgs84);
    EXPECT_EQ(brick->original_x, "114.123456");
    EXPECT_EQ(brick->original_y, "30.567890");
    expect_point(brick, 511843.408895806, 3383074.60839621);
    ASSERT_EQ(brick->extra.size(), 1u);
    EXPECT_EQ(brick->extra[0].first, "排查人");
    EXPECT_EQ(brick->extra[0].second, "王网格");
    EXPECT_TRUE(problems_of(r, 2).empty());

    // Line 3: bad check character (kept), lon/lat swapped (kept, swapped back).
    const LedgerRecord* furniture = find(r, "红星家具厂");
    ASSERT_NE(furniture, nullptr);
    EXPECT_EQ(furniture->department, "处林业站");
    EXPECT_EQ(furniture->waste_gas, Emission::excess);
    EXPECT_EQ(furniture->original_x, "30.6");
    EXPECT_EQ(furniture->original_y, "114.2");
    expect_point(furniture, 519180.134534632, 3386644.94972359);
    const LedgerProblem* code = problem(r, 3, "bad_credit_code");
    ASSERT_NE(code, nullptr);
    EXPECT_FALSE(code->rejected);
    EXPECT_EQ(code->column, "信用代码");
    EXPECT_NE(code->message.find("91420100MA4K8888A6"), std::string::npos) << code->message;
    const LedgerProblem* swapped = problem(r, 3, "swapped_coordinates");
    ASSERT_NE(swapped, nullptr);
    EXPECT_FALSE(swapped->rejected);

    // Line 5: no name -> rejected.
    const LedgerProblem* no_name = problem(r, 5, "no_name");
    ASSERT_NE(no_name, nullptr);
    EXPECT_TRUE(no_name->rejected);

    // Line 6: no coordinates -> kept without a point; 不涉及 = not recorded.
    const LedgerRecord* tofu = find(r, "王家豆腐坊");
    ASSERT_NE(tofu, nullptr);
    EXPECT_EQ(tofu->source_row, 6);
    EXPECT_EQ(tofu->department, "处食安办");
    EXPECT_FALSE(tofu->x.has_value());
    EXPECT_EQ(permit(*tofu, Permit::food), std::nullopt);
    EXPECT_EQ(tofu->wastewater, Emission::none);
    ASSERT_NE(problem(r, 6, "missing_coordinates"), nullptr);
    EXPECT_FALSE(problem(r, 6, "missing_coordinates")->rejected);

    // Line 7: same credit code as line 2 (different case) -> rejected, naming line 2.
    const LedgerProblem* dup = problem(r, 7, "duplicate");
    ASSERT_NE(dup, nullptr);
    EXPECT_TRUE(dup->rejected);
    EXPECT_NE(dup->message.find("第2行"), std::string::npos) << dup->message;
    EXPECT_EQ(find(r, "清溪砖厂二厂"), nullptr);

    // Line 8: unparseable longitude -> kept without a point.
    const LedgerRecord* hardware = find(r, "李记五金加工");
    ASSERT_NE(hardware, nullptr);
    EXPECT_FALSE(hardware->x.has_value());
    EXPECT_EQ(hardware->department, "处环保办");
    const LedgerProblem* bad = problem(r, 8, "bad_coordinates");
    ASSERT_NE(bad, nullptr);
    EXPECT_NE(bad->message.find("abc"), std::string::npos) << bad->message;

    // Line 9: degrees-minutes-seconds.
    const LedgerRecord* plastic = find(r, "顺发塑料");
    expect_point(plastic, 529596.903014323, 3381494.84012316);
    EXPECT_EQ(plastic->original_x, "114°18'30.5\"");

    // Line 10: same name and address as line 6 -> rejected.
    const LedgerProblem* dup2 = problem(r, 10, "duplicate");
    ASSERT_NE(dup2, nullptr);
    EXPECT_TRUE(dup2->rejected);
    EXPECT_NE(dup2->message.find("第6行"), std::string::npos) << dup2->message;

    // Lines 11-12: one record whose note spans two lines; unknown industry and permit word.
    const LedgerRecord* chem = find(r, "某化工厂");
    ASSERT_NE(chem, nullptr);
    EXPECT_EQ(chem->source_row, 11);
    EXPECT_EQ(chem->notes, "第一行\n第二行");
    EXPECT_EQ(chem->department, "");
    EXPECT_NE(problem(r, 11, "unknown_industry"), nullptr);
    const LedgerProblem* word = problem(r, 11, "unrecognised_value");
    ASSERT_NE(word, nullptr);
    EXPECT_NE(word->message.find("办理中"), std::string::npos);
    EXPECT_EQ(permit(*chem, Permit::business_license), std::nullopt);

    // Line 13: after the two-line record.
    const LedgerRecord* last = find(r, "末尾餐馆");
    ASSERT_NE(last, nullptr);
    EXPECT_EQ(last->source_row, 13);
    EXPECT_EQ(last->department, "处城管队");
    expect_point(last, 515350.402170569, 3382204.3157303);

    EXPECT_EQ(r.problems.size(), 9u);
}

// The same kind of file saved by Excel "CSV" on a Chinese Windows: GBK, no BOM (made with iconv).
TEST(LedgerParse, GbkCsv) {
    const auto r = parse(kData / "gbk.csv");
    EXPECT_EQ(r.encoding, "GBK");
    ASSERT_EQ(r.records.size(), 2u);
    const LedgerRecord& wood = r.records[0];
    EXPECT_EQ(wood.name, "向阳木业加工厂");
    EXPECT_EQ(wood.legal_person, "陈七");
    EXPECT_EQ(wood.village, "向阳村");
    EXPECT_EQ(wood.department, "处林业站");
    EXPECT_EQ(permit(wood, Permit::eia), false);
    expect_point(&wood, 504802.399910384, 3369999.7704834);
    const LedgerRecord& liquor = r.records[1];
    EXPECT_EQ(liquor.name, "东风小酒坊");
    EXPECT_EQ(liquor.department, "处食安办");
    EXPECT_EQ(permit(liquor, Permit::eia), true);
    expect_point(&liquor, 505762.29162177, 3371108.83949541);
    EXPECT_TRUE(r.problems.empty());
}

// Gauss-Krüger X/Y with 3-degree zone prefixes; line 3 has X and Y the other way round.
TEST(LedgerParse, GaussKrugerColumns) {
    const auto r = parse(kData / "gk_xy.csv");
    EXPECT_EQ(r.coordinate_columns, "X坐标/Y坐标");
    ASSERT_EQ(r.records.size(), 5u);
    // Zone 38 (EPSG:4526) has the same central meridian as EPSG:4547: only the prefix goes.
    expect_point(find(r, "甲石材厂"), 511843.409, 3383074.608, 0.01);
    EXPECT_EQ(find(r, "甲石材厂")->coord_source, CoordSource::gauss_kruger);
    expect_point(find(r, "乙石材厂"), 519180.135, 3386644.950, 0.01);
    EXPECT_EQ(find(r, "乙石材厂")->original_x, "3386644.950");
    ASSERT_NE(problem(r, 3, "swapped_coordinates"), nullptr);
    // Zone 39 (EPSG:4527) -> EPSG:4547 (gdaltransform -s_srs EPSG:4527 -t_srs EPSG:4547).
    expect_point(find(r, "丙印刷厂"), 698706.785859011, 3351435.06494488);
    // No zone prefix: taken to be in the project CRS.
    expect_point(find(r, "丁印刷厂"), 528766.881, 3386169.315, 0.001);
    // Neither degrees nor GK.
    EXPECT_FALSE(find(r, "戊废品回收站")->x.has_value());
    EXPECT_NE(problem(r, 6, "bad_coordinates"), nullptr);
    EXPECT_EQ(r.problems.size(), 2u);

    // Unprefixed eastings cannot be placed when the project is not an unprefixed GK CRS.
    const auto geo = parse(kData / "gk_xy.csv", CoordHint::automatic, 4490);
    EXPECT_NE(problem(geo, 5, "bad_coordinates"), nullptr);
    ASSERT_NE(find(geo, "甲石材厂"), nullptr);
    EXPECT_NEAR(*find(geo, "甲石材厂")->x, 114.123456, 1e-6);  // back to the lon/lat we started from
    EXPECT_NEAR(*find(geo, "甲石材厂")->y, 30.567890, 1e-6);
}

// Amap (GCJ-02) and Baidu (BD-09) rows are shifted back to WGS-84.
TEST(LedgerParse, WebMapOffsets) {
    const auto r = parse(kData / "gaode.csv");
    ASSERT_EQ(r.records.size(), 4u);
    // 武汉市 WGS84 114.2999512, 30.5955177 -> EPSG:4547
    expect_point(find(r, "武汉高德厂"), 528766.881450634, 3386169.31545291);
    EXPECT_EQ(find(r, "武汉高德厂")->coord_source, CoordSource::gcj02);
    EXPECT_EQ(find(r, "武汉高德厂")->original_x, "114.3053942");
    // 孝感市 WGS84 113.9515248, 30.9201993 -> EPSG:4547
    expect_point(find(r, "孝感百度厂"), 495366.560739564, 3422127.92441697);
    EXPECT_EQ(find(r, "孝感百度厂")->coord_source, CoordSource::bd09);
    expect_point(find(r, "武汉GPS厂"), 528766.881450634, 3386169.31545291);
    // No 坐标来源: automatic takes it as WGS-84, which is some 500 m off ...
    const LedgerRecord* plain = find(r, "武汉无来源厂");
    ASSERT_TRUE(plain->x.has_value());
    EXPECT_GT(std::hypot(*plain->x - 528766.881450634, *plain->y - 3386169.31545291), 300.0);
    EXPECT_EQ(plain->coord_source, CoordSource::wgs84);
    // ... while --coords gcj02 fixes it; rows with their own 坐标来源 keep theirs.
    const auto hinted = parse(kData / "gaode.csv", CoordHint::gcj02);
    expect_point(find(hinted, "武汉无来源厂"), 528766.881450634, 3386169.31545291);
    EXPECT_EQ(find(hinted, "武汉无来源厂")->coord_source, CoordSource::gcj02);
    expect_point(find(hinted, "武汉GPS厂"), 528766.881450634, 3386169.31545291);
    expect_point(find(hinted, "孝感百度厂"), 495366.560739564, 3422127.92441697);
}

// A point layer: coordinates come from the geometry; 编号 is kept as an extra column.
TEST(LedgerParse, PointLayer) {
    const auto r = parse(kData / "points.geojson");
    EXPECT_EQ(r.coordinate_columns, "几何");
    ASSERT_EQ(r.records.size(), 2u);
    expect_point(&r.records[0], 515350.402170569, 3382204.3157303);
    EXPECT_EQ(r.records[0].department, "处环保办");
    EXPECT_EQ(r.records[0].coord_source, CoordSource::wgs84);
    ASSERT_EQ(r.records[0].extra.size(), 1u);
    EXPECT_EQ(r.records[0].extra[0].first, "编号");
    EXPECT_FALSE(r.records[1].x.has_value());
    EXPECT_NE(problem(r, 3, "missing_coordinates"), nullptr);
}

// A sheet with a title row above the header, as village ledgers often have.
TEST(LedgerParse, XlsxWithTitleRow) {
    TempDir dir;
    const fs::path file = dir.path / "title.xlsx";
    {
        ensure_gdal_initialised();
        GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("XLSX");
        ASSERT_NE(drv, nullptr);
        GdalDatasetPtr ds(drv->Create(file.string().c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        ASSERT_TRUE(ds);
        OGRLayer* layer = ds->CreateLayer("清溪村", nullptr, wkbNone, nullptr);
        const char* title[] = {"清溪村散乱污企业排查台账", "Field2", "Field3"};
        for (const char* t : title) {
            OGRFieldDefn f(t, OFTString);
            layer->CreateField(&f);
        }
        const char* rows[][3] = {{"企业名称", "经度", "纬度"}, {"清溪砖厂", "114.123456", "30.567890"}, {"", "", ""},
                                 {"红星家具厂", "114.2", "30.6"}};
        for (const auto& row : rows) {
            OGRFeatureUniquePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
            for (int i = 0; i < 3; ++i)
                if (*row[i]) f->SetField(i, row[i]);
            ASSERT_EQ(layer->CreateFeature(f.get()), OGRERR_NONE);
        }
    }
    LedgerParseOptions options;
    options.project_srs = make_srs(4547);
    options.sheet = "清溪村";
    SilentProgress progress;
    const auto r = parse_ledger(file, options, industries(), progress);
    EXPECT_EQ(r.encoding, "UTF-8");
    EXPECT_EQ(r.rows_read, 2);
    ASSERT_EQ(r.records.size(), 2u);
    EXPECT_EQ(r.records[0].name, "清溪砖厂");
    EXPECT_EQ(r.records[0].source_row, 3);  // title row 1, header row 2
    EXPECT_EQ(r.records[1].source_row, 5);
    expect_point(&r.records[0], 511843.408895806, 3383074.60839621);

    options.sheet = "没有这个表";
    EXPECT_THROW(parse_ledger(file, options, industries(), progress), InputError);
}

TEST(LedgerParse, UnusableFilesThrow) {
    TempDir dir;
    EXPECT_THROW(parse(dir.path / "missing.csv"), InputError);

    const fs::path no_name = dir.path / "no_name.csv";
    std::ofstream(no_name) << "地址,经度,纬度\n清溪村,114.1,30.5\n";
    try {
        parse(no_name);
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("no_name.csv"), std::string::npos) << what;
        EXPECT_NE(what.find("'地址'"), std::string::npos) << what;
        EXPECT_NE(what.find("'经度'"), std::string::npos) << what;
    }

    const fs::path header_only = dir.path / "header_only.csv";
    std::ofstream(header_only) << "企业名称,经度,纬度\n";
    EXPECT_THROW(parse(header_only), InputError);

    const fs::path not_text = dir.path / "binary.csv";
    std::ofstream(not_text, std::ios::binary) << std::string("\xff\xfe\x00\x41\x80\x81\xff", 7);
    EXPECT_THROW(parse(not_text), InputError);
}

// The World Resources Institute's list of Chinese power plants: a real, messy facility list.
TEST(LedgerParse, WriChinaPowerPlants) {
    const fs::path file = fs::path(QINGLING_SHARED_TESTDATA) / "ledger_wri_china" / "China.csv";
    if (!fs::exists(file)) GTEST_SKIP() << "absent: " << file;
    const auto r = parse(file);
    EXPECT_EQ(r.rows_read, 3137);
    EXPECT_EQ(r.coordinate_columns, "Longitude/Latitude");
    long long with_point = 0;
    for (const auto& rec : r.records) {
        EXPECT_FALSE(rec.name.empty()) << "row " << rec.source_row;
        if (rec.x && rec.y) ++with_point;
    }
    EXPECT_EQ(r.records.size(), 3137u);
    EXPECT_EQ(with_point, 3126);
    long long missing = 0;
    for (const auto& p : r.problems) {
        if (p.kind == "missing_coordinates") ++missing;
        EXPECT_FALSE(p.rejected) << p.row << " " << p.kind << " " << p.message;
    }
    EXPECT_EQ(missing, 11);

    // First data row: Xiluodu, lat 28.26, lon 103.65.
    const LedgerRecord& first = r.records.front();
    EXPECT_EQ(first.name, "Xiluodu");
    EXPECT_EQ(first.source_row, 2);
    ASSERT_TRUE(first.x && first.y);
    double lon = *first.x, lat = *first.y;
    auto back = make_transform(make_srs(4547), make_srs(4326));
    ASSERT_TRUE(transform_point(*back, lon, lat));
    EXPECT_NEAR(lon, 103.65, 1e-6);
    EXPECT_NEAR(lat, 28.26, 1e-6);
    // Unknown English columns are kept.
    bool has_fuel = false;
    for (const auto& [h, v] : first.extra)
        if (h == "Fuel" && v == "Hydro") has_fuel = true;
    EXPECT_TRUE(has_fuel);
}

// -------------------------------------------------------------------------------------------------
// Export, and back

class LedgerRoundTrip : public ::testing::TestWithParam<std::string> {};

TEST_P(LedgerRoundTrip, KeepsNamesCodesPermitsAndCoordinates) {
    TempDir dir;
    const auto original = parse(kData / "variants_utf8.csv");
    const auto gk = parse(kData / "gk_xy.csv");
    const auto web = parse(kData / "gaode.csv", CoordHint::gcj02);
    std::vector<LedgerRecord> all = original.records;
    all.insert(all.end(), gk.records.begin(), gk.records.end());
    all.insert(all.end(), web.records.begin(), web.records.end());

    const fs::path out = dir.path / ("台账导出." + GetParam());
    export_ledger(all, out);
    ASSERT_TRUE(fs::exists(out));
    for (const auto& entry : fs::directory_iterator(dir.path))  // no temporary left behind
        EXPECT_EQ(entry.path(), out);

    const auto back = parse(out);
    ASSERT_EQ(back.records.size(), all.size());
    for (const auto& [header, code] : back.column_mapping)
        if (header != "排查人") {
            EXPECT_NE(code, "extra") << header;
        }
    for (std::size_t i = 0; i < all.size(); ++i) {
        const LedgerRecord& a = all[i];
        const LedgerRecord& b = back.records[i];
        SCOPED_TRACE(a.name);
        EXPECT_EQ(b.name, a.name);
        EXPECT_EQ(b.credit_code, a.credit_code);
        EXPECT_EQ(b.legal_person, a.legal_person);
        EXPECT_EQ(b.phone, a.phone);
        EXPECT_EQ(b.address, a.address);
        EXPECT_EQ(b.village, a.village);
        EXPECT_EQ(b.industry, a.industry);
        EXPECT_EQ(b.department, a.department);
        EXPECT_EQ(b.power_account, a.power_account);
        for (Permit p : kAllPermits) EXPECT_EQ(permit(b, p), permit(a, p)) << permit_label_zh(p);
        EXPECT_EQ(b.wastewater, a.wastewater);
        EXPECT_EQ(b.waste_gas, a.waste_gas);
        EXPECT_EQ(b.solid_waste, a.solid_waste);
        EXPECT_EQ(b.solid_waste_ledger, a.solid_waste_ledger);
        EXPECT_EQ(b.original_x, a.original_x);
        EXPECT_EQ(b.original_y, a.original_y);
        EXPECT_EQ(b.coord_source, a.coord_source);
        EXPECT_EQ(b.notes, a.notes);
        EXPECT_EQ(b.extra, a.extra);
        ASSERT_EQ(b.x.has_value(), a.x.has_value());
        if (a.x) {
            EXPECT_NEAR(*b.x, *a.x, 0.001);
            EXPECT_NEAR(*b.y, *a.y, 0.001);
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Formats, LedgerRoundTrip, ::testing::Values("csv", "xlsx"));

TEST(LedgerExport, CsvHasBomAndCanonicalHeaders) {
    TempDir dir;
    LedgerRecord rec;
    rec.name = "清溪砖厂";
    rec.extra = {{"排查人", "王网格"}, {"企业名称", "冲突列"}};
    const fs::path out = dir.path / "out.csv";
    export_ledger({rec}, out);
    std::ifstream in(out, std::ios::binary);
    std::string first_line;
    std::getline(in, first_line);
    ASSERT_GE(first_line.size(), 3u);
    EXPECT_EQ(first_line.substr(0, 3), "\xEF\xBB\xBF");
    EXPECT_EQ(first_line.rfind("\xEF\xBB\xBF序号,企业名称,统一社会信用代码,法定代表人,联系电话,地址,所属村(社区),行业,责任部门,电力户号,"
                               "营业执照,发改立项,用地手续,规划许可,环评手续,安全生产许可,排污许可,食品生产许可,"
                               "废水,废气,固废,固废台账,X,Y,原始经度/X,原始纬度/Y,坐标来源,备注,排查人,企业名称(2)",
                               0),
              0u)
        << first_line;
}

TEST(LedgerExport, UnknownExtensionAndUnwritablePlace) {
    TempDir dir;
    EXPECT_THROW(export_ledger({}, dir.path / "out.docx"), UsageError);
    EXPECT_FALSE(fs::exists(dir.path / "out.docx"));
    EXPECT_THROW(export_ledger({}, dir.path / "no" / "such" / "dir" / "out.xlsx"), Error);
    EXPECT_TRUE(fs::is_empty(dir.path));
}
