// Importing real and deliberately broken layer files: right text, counts and coordinates for the
// good ones; a clear error and an unchanged project for every bad one.
#include "core/errors.hpp"
#include "core/layer_import.hpp"
#include "test_support.hpp"

#include <geos_c.h>
#include <fstream>
#include <sqlite3.h>
#include <ogrsf_frmts.h>

using namespace qingling;
namespace fs = std::filesystem;

namespace {

ProjectStore make_project(const test::TempDir& dir, int epsg = 4547) {
    ProjectSettings s;
    s.epsg = epsg;
    return ProjectStore::create(dir / "p.qingling", s);
}

LayerImportReport import(ProjectStore& store, const fs::path& source, const std::string& role,
                         const std::string& layer = "", const std::string& crs = "") {
    LayerImportOptions o;
    o.source = source;
    o.role = role;
    o.source_layer = layer;
    o.crs = crs;
    SilentProgress progress;
    return import_layer(store, o, progress);
}

std::string text_of(const ProjectStore& store, const std::string& layer, const std::string& field) {
    const auto info = store.find_layer(layer);
    if (!info) return "(no layer)";
    const auto values = store.column_values(*info, field);
    return values.empty() ? "(empty)" : values.front().second;
}

} // namespace

TEST(LayerImport, GbkShapefileWithoutCpgDecodesAsChinese) {
    QINGLING_REQUIRE_SHARED("gbk_shapefile/chinese_poly.shp");
    test::TempDir dir;
    auto store = make_project(dir);
    const auto r = import(store, test::shared_testdata() / "gbk_shapefile/chinese_poly.shp", "jurisdiction");
    EXPECT_EQ(r.imported, 1);
    EXPECT_EQ(r.encoding, "GBK");
    EXPECT_NE(r.encoding_how.find("检测"), std::string::npos) << r.encoding_how;
    EXPECT_EQ(text_of(store, "chinese_poly", "NAME"), "黑龙江省");
    EXPECT_EQ(r.source_crs, "EPSG:4326");
    // Reprojected into EPSG:4547 (CM 114E): Heilongjiang lies east of the meridian, so x > 500 km.
    const auto info = store.find_layer("chinese_poly");
    ASSERT_TRUE(info);
    OGREnvelope e;
    store.for_each_geometry(*info, [&](long long, const unsigned char* wkb, size_t size) {
        OGRGeometry* g = nullptr;
        ASSERT_EQ(OGRGeometryFactory::createFromWkb(wkb, nullptr, &g, size), OGRERR_NONE);
        g->getEnvelope(&e);
        OGRGeometryFactory::destroyGeometry(g);
    });
    EXPECT_GT(e.MinX, 500000);
    EXPECT_GT(e.MinY, 4.7e6);
    EXPECT_LT(e.MaxY, 6.0e6);
}

TEST(LayerImport, CpgFileIsHonoured) {
    QINGLING_REQUIRE_SHARED("gbk_shapefile/rus-windows-1251.shp");
    test::TempDir dir;
    auto store = make_project(dir, 4326);
    const auto r = import(store, test::shared_testdata() / "gbk_shapefile/rus-windows-1251.shp", "sensitive");
    EXPECT_NE(r.encoding.find("1251"), std::string::npos) << r.encoding;
    EXPECT_EQ(r.encoding_how, ".cpg 文件");
    EXPECT_EQ(text_of(store, "rus-windows-1251", "TEXT"), "Кириллица");
}

TEST(LayerImport, EncodingOverride) {
    QINGLING_REQUIRE_SHARED("gbk_shapefile/chinese_poly.shp");
    test::TempDir dir;
    auto store = make_project(dir);
    LayerImportOptions o;
    o.source = test::shared_testdata() / "gbk_shapefile/chinese_poly.shp";
    o.role = "jurisdiction";
    o.encoding = "gbk";
    SilentProgress progress;
    const auto r = import_layer(store, o, progress);
    EXPECT_EQ(r.encoding_how, "--encoding");
    EXPECT_EQ(text_of(store, "chinese_poly", "NAME"), "黑龙江省");
}

TEST(LayerImport, MissingCrsIsAnErrorThatChangesNothing) {
    QINGLING_REQUIRE_SHARED("gbk_shapefile/holeTouchEdge.shp");
    test::TempDir dir;
    auto store = make_project(dir);
    const auto audit_before = store.audit_log().size();
    try {
        import(store, test::shared_testdata() / "gbk_shapefile/holeTouchEdge.shp", "landuse");
        FAIL() << "imported without a CRS";
    } catch (const InputError& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find("holeTouchEdge.shp"), std::string::npos) << m;
        EXPECT_NE(m.find("--crs"), std::string::npos) << m;
    }
    EXPECT_TRUE(store.layers().empty());
    EXPECT_EQ(store.audit_log().size(), audit_before);
}

TEST(LayerImport, CrsInferredFromZonePrefixedEastings) {
    test::TempDir dir;
    auto store = make_project(dir, 4527);
    const auto r = import(store, test::test_data() / "layers/gk_zone39_no_prj.csv", "sensitive");
    EXPECT_EQ(r.source_crs, "EPSG:4527");
    EXPECT_EQ(r.crs_how, "由8位带号横坐标推断");
    EXPECT_EQ(r.imported, 2);
    EXPECT_EQ(text_of(store, "gk_zone39_no_prj", "名称"), "甲厂");
}

TEST(LayerImport, RepairsInvalidRejectsNullAndListsUnknownCodes) {
    test::TempDir dir;
    auto store = make_project(dir);
    const auto r = import(store, test::test_data() / "layers/bowtie.geojson", "landuse");
    EXPECT_EQ(r.features_read, 4);
    EXPECT_EQ(r.imported, 3);
    EXPECT_EQ(r.repaired, 1);
    ASSERT_EQ(r.rejected.size(), 1u);
    EXPECT_NE(r.rejected[0].reason.find("无几何"), std::string::npos);
    EXPECT_EQ(r.code_system, "sandiao");
    EXPECT_EQ(r.code_field, "DLBM");
    ASSERT_EQ(r.unknown_codes.size(), 1u);
    EXPECT_EQ(r.unknown_codes[0].first, "9999");
    // The repaired bow-tie is two valid triangles of 2,500 m² each.
    const auto info = store.find_layer("bowtie");
    ASSERT_TRUE(info);
    EXPECT_EQ(info->repaired_count, 1);
    EXPECT_EQ(info->rejected_count, 1);
    GEOSContextHandle_t ctx = GEOS_init_r();
    std::vector<double> areas;
    store.for_each_geometry(*info, [&](long long, const unsigned char* wkb, size_t size) {
        GEOSWKBReader* reader = GEOSWKBReader_create_r(ctx);
        GEOSGeometry* g = GEOSWKBReader_read_r(ctx, reader, wkb, size);
        EXPECT_EQ(GEOSisValid_r(ctx, g), 1);
        EXPECT_EQ(GEOSGeomTypeId_r(ctx, g), GEOS_MULTIPOLYGON);
        double a = 0;
        GEOSArea_r(ctx, g, &a);
        areas.push_back(a);
        GEOSGeom_destroy_r(ctx, g);
        GEOSWKBReader_destroy_r(ctx, reader);
    });
    GEOS_finish_r(ctx);
    ASSERT_EQ(areas.size(), 3u);
    EXPECT_NEAR(areas[0], 5000.0, 1e-6);
    EXPECT_NEAR(areas[1], 10000.0, 1e-6);
}

TEST(LayerImport, PlanningLayerDetectedAsYongdi) {
    test::TempDir dir;
    auto store = make_project(dir);
    const auto r = import(store, test::test_data() / "layers/planning_yongdi.geojson", "planning");
    EXPECT_EQ(r.code_field, "GHDLBM");
    EXPECT_EQ(r.code_system, "yongdi");
    EXPECT_NE(r.code_system_how.find("100101"), std::string::npos) << r.code_system_how;
    EXPECT_TRUE(r.unknown_codes.empty());
}

TEST(LayerImport, FileGeodatabaseZipNeedsLayerAndImportsIt) {
    QINGLING_REQUIRE_SHARED("filegdb/testopenfilegdb.gdb.zip");
    test::TempDir dir;
    auto store = make_project(dir, 4326);
    const auto gdb = test::shared_testdata() / "filegdb/testopenfilegdb.gdb.zip";
    try {
        import(store, gdb, "landuse");
        FAIL() << "a 37-layer source imported without --layer";
    } catch (const UsageError& e) {
        EXPECT_NE(std::string(e.what()).find("multipolygon"), std::string::npos) << e.what();
    }
    const auto r = import(store, gdb, "park_parcel", "polygon");
    EXPECT_EQ(r.driver, "OpenFileGDB");
    EXPECT_EQ(r.imported, 5);
    EXPECT_EQ(text_of(store, "polygon", "str"), "foo_é");
    // Z dropped, with a note.
    const auto z = import(store, gdb, "industrial_park", "polygon25D");
    EXPECT_EQ(z.imported, 5);
    EXPECT_FALSE(z.notes.empty());
}

TEST(LayerImport, NullAndEmptyGeometriesAreReportedNotImported) {
    QINGLING_REQUIRE_SHARED("filegdb/testopenfilegdb.gdb.zip");
    test::TempDir dir;
    auto store = make_project(dir, 4326);
    const auto gdb = test::shared_testdata() / "filegdb/testopenfilegdb.gdb.zip";
    for (const char* layer : {"null_polygon", "empty_polygon"}) {
        try {
            const auto r = import(store, gdb, "landuse", layer);
            EXPECT_FALSE(r.rejected.empty()) << layer;
            EXPECT_EQ(r.imported + static_cast<long long>(r.rejected.size()), r.features_read) << layer;
        } catch (const InputError& e) {
            // a layer of only null/empty geometries: nothing to import, said clearly
            EXPECT_NE(std::string(e.what()).find("no feature could be imported"), std::string::npos) << e.what();
            EXPECT_FALSE(store.find_layer(layer)) << layer;
        }
    }
}

TEST(LayerImport, OsmPbfLandUse) {
    QINGLING_REQUIRE_SHARED("osm_landuse/liechtenstein-2013-08-03.osm.pbf");
    test::TempDir dir;
    auto store = make_project(dir, 32632);  // UTM 32N: Liechtenstein
    const auto r = import(store, test::shared_testdata() / "osm_landuse/liechtenstein-2013-08-03.osm.pbf", "osm_landuse",
                          "multipolygons");
    EXPECT_EQ(r.driver, "OSM");
    EXPECT_EQ(r.imported + static_cast<long long>(r.rejected.size()), r.features_read);
    const auto info = store.find_layer("multipolygons");
    ASSERT_TRUE(info);
    int landuse = 0, industrial = 0;
    for (const auto& [fid, v] : store.column_values(*info, "landuse")) {
        if (!v.empty()) ++landuse;
        if (v == "industrial") ++industrial;
    }
    for (const auto& rej : r.rejected) ADD_FAILURE() << "rejected fid " << rej.fid << ": " << rej.reason;
    // 142 is what ogr2ogr writes too. (An OGR SQL query with "WHERE landuse IS NOT NULL" reports
    // 143: the OSM driver then also emits closed way 246, the outer ring of a relation.)
    EXPECT_EQ(landuse, 142);
    EXPECT_EQ(industrial, 14);
}

TEST(LayerImport, UnknownRoleAndLayerNameClash) {
    test::TempDir dir;
    auto store = make_project(dir);
    EXPECT_THROW(import(store, test::test_data() / "layers/bowtie.geojson", "Bad Role"), UsageError);
    import(store, test::test_data() / "layers/bowtie.geojson", "landuse");
    EXPECT_THROW(import(store, test::test_data() / "layers/bowtie.geojson", "landuse"), UsageError);
    LayerImportOptions o;
    o.source = test::test_data() / "layers/bowtie.geojson";
    o.role = "landuse";
    o.replace = true;
    SilentProgress progress;
    EXPECT_NO_THROW(import_layer(store, o, progress));
    EXPECT_EQ(store.layers().size(), 1u);
}

// Every malformed file gets a clear error naming it, and the project stays as it was.
class BadInput : public ::testing::TestWithParam<const char*> {};

TEST_P(BadInput, ClearErrorAndProjectUnchanged) {
    const fs::path source = test::shared_testdata() / "bad_inputs" / GetParam();
    if (!fs::exists(source)) GTEST_SKIP() << "shared test data missing: " << source;
    test::TempDir dir;
    auto store = make_project(dir, 4326);
    const auto audit_before = store.audit_log().size();
    try {
        const auto r = import(store, source, "landuse", "", "EPSG:4326");
        // Files that GDAL can partly read must account for every record.
        EXPECT_EQ(r.imported + static_cast<long long>(r.rejected.size()), r.features_read) << GetParam();
        SUCCEED() << GetParam() << ": imported " << r.imported << ", rejected " << r.rejected.size();
        return;
    } catch (const Error& e) {
        const std::string m = e.what();
        EXPECT_FALSE(m.empty());
        EXPECT_NE(m.find(fs::path(GetParam()).filename().string()), std::string::npos)
            << "message does not name the file: " << m;
    }
    EXPECT_TRUE(store.layers().empty());
    EXPECT_EQ(store.audit_log().size(), audit_before);
}

INSTANTIATE_TEST_SUITE_P(SharedBadInputs, BadInput,
                         ::testing::Values("extraAtEnd.shp", "pyshp/corrupt_too_long.shp", "pyshp/empty_zipfile.zip",
                                           "shapefile-js/bad.shp", "shapefile-js/htmlcpg.shp",
                                           "shapefile-js/htmlprj.shp", "shapefile-js/no-dbf.shp",
                                           "shapefile-js/noshp.zip", "shapefile-js/zero-len-line.zip"),
                         [](const auto& info) {
                             std::string n = info.param;
                             for (auto& c : n)
                                 if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                             return n;
                         });

// "ANSI 936" in a .cpg is what several Chinese tools write; GDAL does not understand it.
TEST(LayerImport, AnsiCodePageCpgIsHonoured) {
    QINGLING_REQUIRE_SHARED("gbk_shapefile/chinese_poly.shp");
    test::TempDir dir;
    for (const char* ext : {".shp", ".shx", ".dbf", ".prj"})
        fs::copy_file(test::shared_testdata() / (std::string("gbk_shapefile/chinese_poly") + ext),
                      dir / (std::string("ansi") + ext));
    { std::ofstream(dir / "ansi.cpg") << "ANSI 936\r\n"; }
    auto store = make_project(dir);
    const auto r = import(store, dir / "ansi.shp", "jurisdiction");
    EXPECT_EQ(r.encoding, "GBK");
    EXPECT_EQ(r.encoding_how, ".cpg 文件");
    EXPECT_EQ(text_of(store, "ansi", "NAME"), "黑龙江省");
}

TEST(LayerImport, AnsiCodePageCzech) {
    QINGLING_REQUIRE_SHARED("bad_inputs/shapefile-js/codepage.shp");
    test::TempDir dir;
    auto store = make_project(dir, 4326);
    const auto r = import(store, test::shared_testdata() / "bad_inputs/shapefile-js/codepage.shp", "sensitive");
    EXPECT_EQ(r.encoding, "CP1250");
    const auto info = store.find_layer("codepage");
    ASSERT_TRUE(info);
    const auto values = store.column_values(*info, "field");
    ASSERT_EQ(values.size(), 2u);
    EXPECT_EQ(values[1].second, "Hněvošický háj");
}

TEST(LayerImport, ProjectCrsSuggestedFromData) {
    LayerImportOptions o;
    o.source = test::test_data() / "layers/gk_zone39_no_prj.csv";
    EXPECT_EQ(suggest_project_epsg(o), 4527);  // zone-prefixed eastings: keep zone 39
    o.source = test::test_data() / "layers/bowtie.geojson";
    EXPECT_EQ(suggest_project_epsg(o), 4547);  // already CGCS2000 GK CM 114E
    QINGLING_REQUIRE_SHARED("gbk_shapefile/chinese_poly.shp");
    // Heilongjiang spans 121-135E, centre about 128.1E: the nearest 3-degree meridian is 129E.
    o.source = test::shared_testdata() / "gbk_shapefile/chinese_poly.shp";
    EXPECT_EQ(suggest_project_epsg(o), 4552);
}

// The bulk load lifts SpatiaLite's per-row triggers; afterwards the table must guard its geometry
// type again and the R-tree must hold every feature.
TEST(LayerImport, GeometryConstraintsAndIndexAfterBulkLoad) {
    test::TempDir dir;
    {
        auto store = make_project(dir);
        import(store, test::test_data() / "layers/bowtie.geojson", "landuse");
    }
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir / "p.qingling").c_str(), &db), SQLITE_OK);
    auto count = [&](const char* sql) {
        sqlite3_stmt* st = nullptr;
        EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &st, nullptr), SQLITE_OK) << sql;
        long long n = -1;
        if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        return n;
    };
    EXPECT_EQ(count("SELECT count(*) FROM idx_landuse_1_geom"), 3);
    EXPECT_EQ(count("SELECT count(*) FROM sqlite_master WHERE type='trigger' AND name='ggi_landuse_1_geom'"), 1);
    // With SpatiaLite's functions loaded, the restored trigger takes a multipolygon and refuses a point.
    sqlite3_enable_load_extension(db, 1);
    char* error = nullptr;
    ASSERT_EQ(sqlite3_load_extension(db, "mod_spatialite", nullptr, &error), SQLITE_OK) << (error ? error : "");
    EXPECT_EQ(sqlite3_exec(db, "INSERT INTO landuse_1(source_fid, geom) VALUES (98, "
                               "GeomFromText('MULTIPOLYGON(((0 0,1 0,1 1,0 0)))', 4547))", nullptr, nullptr, &error),
              SQLITE_OK) << (error ? error : "");
    EXPECT_NE(sqlite3_exec(db, "INSERT INTO landuse_1(source_fid, geom) VALUES (99, GeomFromText('POINT(0 0)', 4547))",
                           nullptr, nullptr, &error),
              SQLITE_OK);
    ASSERT_NE(error, nullptr);
    EXPECT_NE(std::string(error).find("constraint"), std::string::npos) << error;
    sqlite3_free(error);
    sqlite3_close(db);
}
