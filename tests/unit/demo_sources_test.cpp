// The demo subdistrict's source files, read back with GDAL and checked the way a user would:
// the DLTB tiles the jurisdiction, the DBF trap is there, the codes are 三调 codes, the ledger has
// its headers, rows, valid credit codes and traps, and its points land where the rules fire.
#include "core/demo_sources.hpp"

#include "core/china_offsets.hpp"
#include "core/errors.hpp"
#include "core/gdal_handles.hpp"
#include "core/geos_handles.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using namespace qingling;

constexpr const char* kRoles[] = {"jurisdiction", "village",          "landuse",         "farmland",
                                  "eco_redline",  "urban_boundary",   "water_protection", "industrial_park",
                                  "park_parcel",  "sensitive",        "ledger"};

fs::path layers_dir() {
    if (const char* env = std::getenv("QINGLING_LAYERS_DIR"); env && *env) return env;
    return fs::path(QINGLING_TEST_DATA) / ".." / ".." / "layers";
}

bool valid_utf8(const std::string& s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        const std::size_t extra = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xE ? 2 : (c >> 3) == 0x1E ? 3 : 99;
        if (extra == 99 || (extra > 0 && i + extra >= s.size())) return false;
        for (std::size_t k = 1; k <= extra; ++k)
            if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return false;
        i += extra + 1;
    }
    return true;
}

GdalDatasetPtr open_vector(const fs::path& path, std::vector<std::string> options = {}) {
    ensure_gdal_initialised();
    CPLStringList opts;
    for (const auto& o : options) opts.AddString(o.c_str());
    GdalDatasetPtr ds(GDALDataset::Open(path.string().c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, opts.List()));
    return ds;
}

OGRSpatialReference gk_srs() {
    OGRSpatialReference srs;
    srs.importFromEPSG(4547);
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

// GEOS copies of a layer's geometries (in EPSG:4547) with one attribute.
struct Shapes {
    std::vector<GeosGeometryPtr> geoms;
    std::vector<std::string> values;
};

Shapes read_shapes(const GeosContext& gc, const fs::path& path, const char* field = nullptr,
                   std::vector<std::string> options = {}) {
    Shapes out;
    auto ds = open_vector(path, std::move(options));
    EXPECT_TRUE(ds) << path;
    if (!ds) return out;
    OGRLayer* layer = ds->GetLayer(0);
    OGRSpatialReference target = gk_srs();
    CoordTransformPtr ct;
    if (const OGRSpatialReference* src = layer->GetSpatialRef(); src && !src->IsSame(&target)) {
        std::unique_ptr<OGRSpatialReference> copy(src->Clone());
        copy->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        ct.reset(OGRCreateCoordinateTransformation(copy.get(), &target));
    }
    GeosWkbReaderPtr reader(GEOSWKBReader_create_r(gc.get()), GeosWkbReaderDeleter{gc.get()});
    for (auto& f : *layer) {
        OGRGeometry* g = f->GetGeometryRef();
        if (!g) continue;
        if (ct) g->transform(ct.get());
        std::vector<unsigned char> wkb(static_cast<std::size_t>(g->WkbSize()));
        g->exportToWkb(wkbNDR, wkb.data());
        out.geoms.push_back(geos_own(gc, GEOSWKBReader_read_r(gc.get(), reader.get(), wkb.data(), wkb.size())));
        out.values.push_back(field ? f->GetFieldAsString(field) : std::string());
    }
    return out;
}

double geos_area(const GeosContext& gc, const GEOSGeometry* g) {
    double a = 0;
    GEOSArea_r(gc.get(), g, &a);
    return a;
}

// Point-in-polygon counts through an STRtree.
class Locator {
public:
    Locator(const GeosContext& gc, const Shapes& shapes) : gc_(gc), shapes_(shapes) {
        tree_ = GEOSSTRtree_create_r(gc_.get(), 10);
        for (std::size_t i = 0; i < shapes_.geoms.size(); ++i)
            GEOSSTRtree_insert_r(gc_.get(), tree_, shapes_.geoms[i].get(), reinterpret_cast<void*>(i + 1));
    }
    ~Locator() { GEOSSTRtree_destroy_r(gc_.get(), tree_); }
    // Indices of the shapes containing (x, y), ascending.
    std::vector<std::size_t> at(double x, double y) const {
        auto pt = geos_own(gc_, GEOSGeom_createPointFromXY_r(gc_.get(), x, y));
        std::vector<std::size_t> hits, inside;
        GEOSSTRtree_query_r(
            gc_.get(), tree_, pt.get(),
            [](void* item, void* user) {
                static_cast<std::vector<std::size_t>*>(user)->push_back(reinterpret_cast<std::size_t>(item) - 1);
            },
            &hits);
        std::sort(hits.begin(), hits.end());
        for (std::size_t i : hits)
            if (GEOSIntersects_r(gc_.get(), shapes_.geoms[i].get(), pt.get()) == 1) inside.push_back(i);
        return inside;
    }

private:
    const GeosContext& gc_;
    const Shapes& shapes_;
    GEOSSTRtree* tree_ = nullptr;
};

std::string read_bytes(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

bool credit_code_valid(const std::string& code) {
    static const std::string charset = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    static constexpr int weights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    if (code.size() != 18) return false;
    int sum = 0;
    for (std::size_t i = 0; i < 17; ++i) {
        const auto pos = charset.find(code[i]);
        if (pos == std::string::npos) return false;
        sum += static_cast<int>(pos) * weights[i];
    }
    const int check = (31 - sum % 31) % 31;
    return code[17] == charset[static_cast<std::size_t>(check)];
}

std::string upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

using Row = std::map<std::string, std::string>;

std::vector<Row> read_ledger(const fs::path& path, std::vector<std::string>* headers = nullptr) {
    ScopedGdalConfig force("OGR_XLSX_HEADERS", "FORCE");
    ScopedGdalConfig text("OGR_XLSX_FIELD_TYPES", "STRING");
    std::vector<Row> rows;
    auto ds = open_vector(path);
    EXPECT_TRUE(ds) << path;
    if (!ds) return rows;
    OGRLayer* layer = ds->GetLayer(0);
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    if (headers)
        for (int i = 0; i < defn->GetFieldCount(); ++i) headers->push_back(defn->GetFieldDefn(i)->GetNameRef());
    for (auto& f : *layer) {
        Row row;
        for (int i = 0; i < defn->GetFieldCount(); ++i)
            row[defn->GetFieldDefn(i)->GetNameRef()] = f->IsFieldSetAndNotNull(i) ? f->GetFieldAsString(i) : "";
        rows.push_back(std::move(row));
    }
    return rows;
}

// The true point of a ledger row in EPSG:4547, undoing the web-map offsets; nullopt for rows
// without usable lon/lat.
std::optional<std::pair<double, double>> row_point(const Row& row, OGRCoordinateTransformation& to_gk) {
    const std::string& lon_s = row.at("经度");
    const std::string& lat_s = row.at("纬度");
    if (lon_s.empty() || lat_s.empty()) return std::nullopt;
    LonLat ll{std::strtod(lon_s.c_str(), nullptr), std::strtod(lat_s.c_str(), nullptr)};
    if (ll.lon < 73 || ll.lon > 136 || ll.lat < 3 || ll.lat > 54) return std::nullopt;
    const std::string& source = row.at("坐标来源");
    if (source == "高德") ll = gcj02_to_wgs84(ll);
    if (source == "百度") ll = bd09_to_wgs84(ll);
    double x = ll.lon, y = ll.lat;
    if (!to_gk.Transform(1, &x, &y)) return std::nullopt;
    return std::make_pair(x, y);
}

// One generated demo; every check below reads it back.
struct Demo {
    fs::path dir;
    std::vector<DemoSource> sources;
    fs::path file(const std::string& name) const { return dir / name; }
};

void check_every_role_in_import_order(const Demo& demo) {
    EXPECT_FALSE(fs::exists(demo.file(".qingling-demo-partial"))) << "the staging folder is left behind";
    ASSERT_EQ(demo.sources.size(), std::size(kRoles));
    for (std::size_t i = 0; i < demo.sources.size(); ++i) {
        const DemoSource& s = demo.sources[i];
        EXPECT_EQ(s.role, kRoles[i]);
        EXPECT_TRUE(fs::exists(s.path)) << s.path;
        EXPECT_FALSE(s.name.empty());
        auto ds = open_vector(s.path);
        ASSERT_TRUE(ds) << s.path;
        if (!s.layer.empty()) EXPECT_NE(ds->GetLayerByName(s.layer.c_str()), nullptr) << s.layer;
        else EXPECT_EQ(ds->GetLayerCount(), 1);
    }
}

void check_dltb_tiles_the_jurisdiction(const Demo& demo) {
    GeosContext gc;
    const Shapes jurisdiction = read_shapes(gc, demo.file("jurisdiction.geojson"));
    ASSERT_EQ(jurisdiction.geoms.size(), 1u);
    const double jurisdiction_area = geos_area(gc, jurisdiction.geoms[0].get());
    EXPECT_GT(jurisdiction_area, 60e6);  // about 10 km x 8 km, not a rectangle
    EXPECT_LT(jurisdiction_area, 85e6);

    const Shapes dltb = read_shapes(gc, demo.file("DLTB.shp"));
    EXPECT_GE(dltb.geoms.size(), 20000u);
    double sum = 0;
    for (const auto& g : dltb.geoms) sum += geos_area(gc, g.get());
    EXPECT_NEAR(sum, jurisdiction_area, jurisdiction_area * 0.001);

    const Shapes villages = read_shapes(gc, demo.file("CJDCQ.gpkg"), "ZLDWMC");
    EXPECT_GE(villages.geoms.size(), 10u);
    double village_sum = 0;
    for (const auto& g : villages.geoms) village_sum += geos_area(gc, g.get());
    EXPECT_NEAR(village_sum, jurisdiction_area, jurisdiction_area * 0.001);

    // 200 deterministic points inside the jurisdiction: each in exactly one patch and one village.
    const Locator patches(gc, dltb);
    const Locator village_locator(gc, villages);
    const GEOSPreparedGeometry* prepared = GEOSPrepare_r(gc.get(), jurisdiction.geoms[0].get());
    double x0, y0, x1, y1;
    GEOSGeom_getXMin_r(gc.get(), jurisdiction.geoms[0].get(), &x0);
    GEOSGeom_getYMin_r(gc.get(), jurisdiction.geoms[0].get(), &y0);
    GEOSGeom_getXMax_r(gc.get(), jurisdiction.geoms[0].get(), &x1);
    GEOSGeom_getYMax_r(gc.get(), jurisdiction.geoms[0].get(), &y1);
    std::mt19937_64 rng(42);
    auto unit = [&] { return static_cast<double>(rng() >> 11) * 0x1.0p-53; };
    int checked = 0;
    while (checked < 200) {
        const double x = x0 + (x1 - x0) * unit(), y = y0 + (y1 - y0) * unit();
        auto pt = geos_own(gc, GEOSGeom_createPointFromXY_r(gc.get(), x, y));
        if (GEOSPreparedContains_r(gc.get(), prepared, pt.get()) != 1) continue;
        ++checked;
        EXPECT_EQ(patches.at(x, y).size(), 1u) << "at " << x << ", " << y;
        EXPECT_EQ(village_locator.at(x, y).size(), 1u) << "at " << x << ", " << y;
    }
    GEOSPreparedGeom_destroy_r(gc.get(), prepared);
}

void check_dltb_is_gbk_without_code_page(const Demo& demo) {
    EXPECT_FALSE(fs::exists(demo.file("DLTB.cpg")));
    const std::string dbf = read_bytes(demo.file("DLTB.dbf"));
    ASSERT_GT(dbf.size(), 32u);
    EXPECT_EQ(static_cast<unsigned char>(dbf[29]), 0u);

    {  // what a naive reader sees: raw GBK bytes
        ScopedGdalConfig no_default("SHAPE_ENCODING", nullptr);
        auto ds = open_vector(demo.file("DLTB.shp"));
        ASSERT_TRUE(ds);
        int n = 0;
        for (auto& f : *ds->GetLayer(0)) {
            const std::string dlmc = f->GetFieldAsString("DLMC");
            EXPECT_FALSE(valid_utf8(dlmc)) << "DLMC read as UTF-8 without an encoding";
            if (++n == 200) break;
        }
    }
    auto ds = open_vector(demo.file("DLTB.shp"), {"ENCODING=CP936"});
    ASSERT_TRUE(ds);
    std::set<std::string> names;
    for (auto& f : *ds->GetLayer(0)) {
        const std::string dlmc = f->GetFieldAsString("DLMC");
        ASSERT_TRUE(valid_utf8(dlmc)) << dlmc;
        names.insert(dlmc);
    }
    EXPECT_TRUE(names.count("水田"));
    EXPECT_TRUE(names.count("工业用地"));
    EXPECT_TRUE(names.count("铁路用地"));
    EXPECT_TRUE(names.count("农村宅基地"));

    // The basic farmland layer carries a .cpg this time.
    EXPECT_EQ(read_bytes(demo.file("YJJBNTTB.cpg")), "GBK");
}

void check_dltb_uses_sandiao_codes(const Demo& demo) {
    std::map<std::string, std::string> table;
    {
        std::ifstream in(layers_dir() / "landuse-sandiao.tsv");
        ASSERT_TRUE(in) << layers_dir();
        std::string line;
        while (std::getline(in, line)) {
            if (line.empty() || line[0] == '#') continue;
            std::istringstream fields(line);
            std::string code, name;
            std::getline(fields, code, '\t');
            std::getline(fields, name, '\t');
            table[code] = name;
        }
    }
    auto ds = open_vector(demo.file("DLTB.shp"), {"ENCODING=CP936"});
    ASSERT_TRUE(ds);
    std::map<std::string, int> counts;
    std::set<std::string> villages;
    for (auto& f : *ds->GetLayer(0)) {
        const std::string code = f->GetFieldAsString("DLBM");
        ++counts[code];
        ASSERT_TRUE(table.count(code)) << "DLBM " << code << " is not in landuse-sandiao.tsv";
        EXPECT_EQ(table[code], f->GetFieldAsString("DLMC"));
        EXPECT_EQ(std::string(f->GetFieldAsString("ZLDWDM")).size(), 12u);
        EXPECT_GT(f->GetFieldAsDouble("TBMJ"), 0.0);
        villages.insert(f->GetFieldAsString("ZLDWMC"));
    }
    EXPECT_GT(counts["0601"], 50);  // industrial land (三调)
    EXPECT_GT(counts["1001"], 0);   // railway land (三调), not industrial
    EXPECT_GT(counts["0101"] + counts["0102"] + counts["0103"], 5000);
    EXPECT_GT(counts["0702"], 500);
    EXPECT_TRUE(villages.count("东湖村"));
    EXPECT_TRUE(villages.count("青岭社区"));
}

void check_ledger_headers_rows_and_credit_codes(const Demo& demo) {
    std::vector<std::string> headers;
    const auto rows = read_ledger(demo.file("ledger.xlsx"), &headers);
    const std::vector<std::string> expected = {
        "序号", "企业名称", "统一社会信用代码", "法定代表人", "联系电话", "地址", "所属村(社区)", "行业", "电力户号",
        "营业执照", "发改立项", "用地手续", "规划许可", "环评", "安全生产许可", "排污许可", "食品生产许可",
        "废水", "废气", "固废", "固废台账", "经度", "纬度", "坐标来源", "备注"};
    EXPECT_EQ(headers, expected);
    EXPECT_GE(rows.size(), 290u);
    EXPECT_LE(rows.size(), 320u);

    std::set<std::string> industries;
    {
        std::ifstream in(layers_dir() / "industries.tsv");
        std::string line;
        while (std::getline(in, line))
            if (!line.empty() && line[0] != '#') industries.insert(line.substr(0, line.find('\t')));
    }
    int invalid = 0, lower = 0, empty_names = 0, no_coordinates = 0, gcj = 0, bd = 0;
    std::map<std::string, int> code_count;
    for (const auto& row : rows) {
        EXPECT_TRUE(industries.count(row.at("行业"))) << row.at("行业");
        for (const char* permit : {"营业执照", "发改立项", "用地手续", "规划许可", "环评", "安全生产许可", "排污许可", "食品生产许可", "固废台账"})
            EXPECT_TRUE(row.at(permit) == "有" || row.at(permit) == "无") << permit << " = " << row.at(permit);
        for (const char* emission : {"废水", "废气", "固废"}) {
            const std::string& v = row.at(emission);
            EXPECT_TRUE(v == "无" || v == "有治理设施" || v == "未经处理直排" || v == "超标排放") << v;
        }
        const std::string& code = row.at("统一社会信用代码");
        if (!code.empty()) {
            if (code != upper(code)) ++lower;
            if (!credit_code_valid(upper(code))) ++invalid;
            ++code_count[upper(code)];
        }
        if (row.at("企业名称").empty()) ++empty_names;
        if (row.at("经度").empty()) ++no_coordinates;
        if (row.at("坐标来源") == "高德") ++gcj;
        if (row.at("坐标来源") == "百度") ++bd;
    }
    EXPECT_GT(code_count.size(), 150u);
    EXPECT_EQ(invalid, 1);  // the one with a wrong check character
    EXPECT_EQ(lower, 1);    // valid once upper-cased
    EXPECT_EQ(empty_names, 1);
    EXPECT_GE(no_coordinates, 1);
    const auto duplicates = std::count_if(code_count.begin(), code_count.end(), [](const auto& c) { return c.second > 1; });
    EXPECT_EQ(duplicates, 1);
    EXPECT_GT(gcj, static_cast<int>(rows.size()) / 8);  // about 20 %
    EXPECT_LT(gcj, static_cast<int>(rows.size()) / 3);
    EXPECT_GT(bd, 2);
}

void check_ledger_points_fire_the_rules(const Demo& demo) {
    GeosContext gc;
    const auto rows = read_ledger(demo.file("ledger.xlsx"));
    OGRSpatialReference geo, gk = gk_srs();
    geo.importFromEPSG(4490);
    geo.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    CoordTransformPtr to_gk(OGRCreateCoordinateTransformation(&geo, &gk));
    ASSERT_TRUE(to_gk);

    const Shapes jurisdiction = read_shapes(gc, demo.file("jurisdiction.geojson"));
    const Shapes villages = read_shapes(gc, demo.file("CJDCQ.gpkg"), "ZLDWMC");
    const Shapes dltb = read_shapes(gc, demo.file("DLTB.shp"), "DLBM");
    const Shapes farmland = read_shapes(gc, demo.file("YJJBNTTB.shp"));
    const Shapes redline = read_shapes(gc, demo.file("STBHHX.gpkg"));
    const Shapes water = read_shapes(gc, demo.file("water_protection.geojson"), "JB");
    const Shapes parks = read_shapes(gc, demo.file("industrial_park.gpkg"), "MC");
    const Shapes sensitive = read_shapes(gc, demo.file("sensitive.gpkg"), "LX");
    const Locator in_jurisdiction(gc, jurisdiction), in_village(gc, villages), in_dltb(gc, dltb),
        in_farmland(gc, farmland), in_redline(gc, redline), in_water(gc, water), in_park(gc, parks);

    std::map<std::string, int> fired;
    int outside = 0, wrong_village = 0, located = 0, swapped = 0, metres = 0;
    for (const auto& row : rows) {
        const double lon = std::strtod(row.at("经度").c_str(), nullptr), lat = std::strtod(row.at("纬度").c_str(), nullptr);
        if (lon > 0 && lon < 60 && lat > 73) ++swapped;
        if (lon > 1000) ++metres;
        const auto p = row_point(row, *to_gk);
        if (!p) continue;
        const auto [x, y] = *p;
        if (in_jurisdiction.at(x, y).empty()) {
            ++outside;
            continue;
        }
        ++located;
        const auto v = in_village.at(x, y);
        if (v.size() != 1 || villages.values[v[0]] != row.at("所属村(社区)")) ++wrong_village;
        for (std::size_t i : in_dltb.at(x, y)) {
            const std::string& code = dltb.values[i];
            if (code == "0601") ++fired["industrial land"];
            if (code == "0101" || code == "0102" || code == "0103") ++fired["farmland"];
            if (code == "0702") ++fired["homestead"];
        }
        if (!in_farmland.at(x, y).empty()) ++fired["basic farmland"];
        if (!in_redline.at(x, y).empty()) ++fired["red line"];
        for (std::size_t i : in_water.at(x, y)) ++fired["water " + water.values[i]];
        if (!in_park.at(x, y).empty()) ++fired["park"];
        auto pt = geos_own(gc, GEOSGeom_createPointFromXY_r(gc.get(), x, y));
        for (std::size_t i = 0; i < sensitive.geoms.size(); ++i) {
            if (sensitive.values[i] != "学校" && sensitive.values[i] != "卫生院") continue;
            double d = 0;
            GEOSDistance_r(gc.get(), pt.get(), sensitive.geoms[i].get(), &d);
            if (d >= 100 && d <= 300) {
                ++fired["near school or hospital"];
                break;
            }
        }
    }
    EXPECT_GT(located, 270);
    EXPECT_EQ(outside, 1);
    EXPECT_EQ(swapped, 1);
    EXPECT_EQ(metres, 1);
    EXPECT_LE(wrong_village, 1) << "所属村(社区) must be the village the point lies in";
    for (const char* rule : {"industrial land", "farmland", "homestead", "basic farmland", "red line", "water 一级",
                             "water 二级", "park", "near school or hospital"})
        EXPECT_GE(fired[rule], 1) << rule;
}

void check_same_seed_same_content(const Demo& demo) {
    test::TempDir again;
    SilentProgress progress;
    write_demo_sources(again.path(), progress);
    for (const char* name : {"DLTB.shp", "DLTB.shx", "YJJBNTTB.shp", "jurisdiction.geojson", "water_protection.geojson"})
        EXPECT_TRUE(read_bytes(demo.file(name)) == read_bytes(again / name)) << name << " differs between two runs";
    // The DBF header holds the date of writing; the records must be equal.
    std::string a = read_bytes(demo.file("DLTB.dbf")), b = read_bytes(again / "DLTB.dbf");
    ASSERT_EQ(a.size(), b.size());
    EXPECT_TRUE(a.compare(32, std::string::npos, b, 32, std::string::npos) == 0) << "DLTB.dbf records differ";
    EXPECT_TRUE(read_ledger(demo.file("ledger.xlsx")) == read_ledger(again / "ledger.xlsx"));
}

// Writing the demo takes a few seconds, and CTest runs every test in its own process: one test
// writes it once (and once more to compare) and runs all the checks on it.
TEST(DemoSources, WritesFilesAUserCanCheckAndTheSameOnEveryRun) {
    test::TempDir tmp;
    SilentProgress progress;
    Demo demo{tmp / "demo", {}};
    demo.sources = write_demo_sources(demo.dir, progress);
    {
        SCOPED_TRACE("every_role_in_import_order");
        check_every_role_in_import_order(demo);
    }
    {
        SCOPED_TRACE("dltb_tiles_the_jurisdiction");
        check_dltb_tiles_the_jurisdiction(demo);
    }
    {
        SCOPED_TRACE("dltb_is_gbk_without_code_page");
        check_dltb_is_gbk_without_code_page(demo);
    }
    {
        SCOPED_TRACE("dltb_uses_sandiao_codes");
        check_dltb_uses_sandiao_codes(demo);
    }
    {
        SCOPED_TRACE("ledger_headers_rows_and_credit_codes");
        check_ledger_headers_rows_and_credit_codes(demo);
    }
    {
        SCOPED_TRACE("ledger_points_fire_the_rules");
        check_ledger_points_fire_the_rules(demo);
    }
    {
        SCOPED_TRACE("same_seed_same_content");
        check_same_seed_same_content(demo);
    }
}

class CancelAt final : public Progress {
public:
    explicit CancelAt(double at) : at_(at) {}
    void report(double fraction, std::string_view) override {
        if (fraction >= at_) cancel();
    }

private:
    double at_;
};

TEST(DemoSources, CancellingLeavesTheFolderAsItWas) {
    test::TempDir dir;
    std::ofstream(dir / "DLTB.shp") << "older file";
    CancelAt progress(0.05);
    EXPECT_THROW(write_demo_sources(dir.path(), progress), CancelledError);
    EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1);
    EXPECT_EQ(read_bytes(dir / "DLTB.shp"), "older file");
}

TEST(DemoSources, UnwritableFolderIsAnErrorNamingIt) {
    test::TempDir dir;
    const fs::path blocker = dir / "not-a-folder";
    std::ofstream(blocker) << "x";
    SilentProgress progress;
    try {
        write_demo_sources(blocker / "demo", progress);
        FAIL() << "expected an error";
    } catch (const CancelledError&) {
        FAIL() << "not a cancellation";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("not-a-folder"), std::string::npos) << e.what();
    }
}

} // namespace
