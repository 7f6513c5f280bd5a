// Raster basemaps (core/basemap): adding one checks and records it, reading a view returns the
// raster's pixels at the right place — through overviews, and reprojected when the raster is in
// another CRS — with alpha 0 outside it, and bad rasters are refused with the reason.
#include "core/basemap.hpp"
#include "core/errors.hpp"
#include "core/gdal_handles.hpp"
#include "core/layer_import.hpp"

#include <gdalwarper.h>
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

namespace qingling {
namespace {

using test::TempDir;

// 400 × 300 pixels of 10 m from (500000, 3400000) down to (504000, 3397000): the left half red,
// the right half blue, a green square at pixels 180..220 × 130..170 (centre 502000, 3398500).
void write_raster(const std::filesystem::path& path, const char* srs_definition, bool georeferenced = true) {
    ensure_gdal_initialised();
    GDALDriver* gtiff = GetGDALDriverManager()->GetDriverByName("GTiff");
    GdalDatasetPtr ds(gtiff->Create(path.string().c_str(), 400, 300, 3, GDT_Byte, nullptr));
    ASSERT_TRUE(ds);
    if (georeferenced) {
        double gt[6] = {500000, 10, 0, 3400000, 0, -10};
        ds->SetGeoTransform(gt);
    }
    if (srs_definition) {
        OGRSpatialReference srs;
        srs.SetFromUserInput(srs_definition);
        ds->SetSpatialRef(&srs);
    }
    std::vector<std::uint8_t> row(400);
    for (int b = 1; b <= 3; ++b)
        for (int y = 0; y < 300; ++y) {
            for (int x = 0; x < 400; ++x) {
                const bool green = x >= 180 && x < 220 && y >= 130 && y < 170;
                const std::uint8_t rgb[3] = {static_cast<std::uint8_t>(green ? 0 : x < 200 ? 220 : 0), static_cast<std::uint8_t>(green ? 200 : 0),
                                             static_cast<std::uint8_t>(green ? 0 : x < 200 ? 0 : 230)};
                row[static_cast<size_t>(x)] = rgb[b - 1];
            }
            ASSERT_EQ(ds->GetRasterBand(b)->RasterIO(GF_Write, 0, y, 400, 1, row.data(), 400, 1, GDT_Byte, 0, 0), CE_None);
        }
}

ProjectStore new_project(const std::filesystem::path& path) {
    ProjectSettings s;
    s.epsg = 4547;
    return ProjectStore::create(path, s);
}

struct Pixel {
    int r, g, b, a;
};
Pixel at(const BasemapImage& img, int x, int y) {
    const std::uint8_t* p = &img.rgba[(static_cast<size_t>(y) * img.width + x) * 4];
    return {p[0], p[1], p[2], p[3]};
}

TEST(Basemap, AddRecordsTheRasterWithItsExtentAndBuildsOverviews) {
    TempDir dir;
    write_raster(dir / "ortho.tif", "EPSG:4547");
    auto store = new_project(dir / "p.qingling");
    SilentProgress progress;
    BasemapAddOptions o;
    o.raster = dir / "ortho.tif";
    const BasemapAddReport r = add_basemap(store, o, progress);
    EXPECT_EQ(r.info.name, "ortho");
    EXPECT_EQ(r.info.path, "ortho.tif") << "inside the project's folder: relative";
    EXPECT_NEAR(r.info.minx, 500000, 1e-6);
    EXPECT_NEAR(r.info.maxy, 3400000, 1e-6);
    EXPECT_NEAR(r.info.maxx, 504000, 1e-6);
    EXPECT_NEAR(r.info.miny, 3397000, 1e-6);
    EXPECT_EQ(r.info.bands, 3);
    EXPECT_EQ(r.overviews_built, 0) << "400 px across needs none";
    const auto list = store.basemaps();
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].name, "ortho");
    EXPECT_EQ(basemap_file(store.path(), list[0]), dir / "ortho.tif");
    // Again under the same name: replaced, not doubled; and in the audit log.
    EXPECT_TRUE(add_basemap(store, o, progress).replaced);
    EXPECT_EQ(store.basemaps().size(), 1u);
    WriteTransaction tx(store);
    store.remove_basemap(tx, "ortho");
    tx.commit();
    EXPECT_TRUE(store.basemaps().empty());
}

TEST(Basemap, AViewHasTheRastersPixelsInPlaceAndNothingOutside) {
    TempDir dir;
    write_raster(dir / "ortho.tif", "EPSG:4547");
    BasemapReader reader(dir / "ortho.tif", "EPSG:4547", 4547);
    // The whole raster at a quarter of its resolution (an overview-sized reduction).
    BasemapImage img = reader.read(500000, 3397000, 504000, 3400000, 100, 75);
    ASSERT_EQ(img.width, 100);
    const Pixel left = at(img, 10, 10), right = at(img, 90, 60), green = at(img, 50, 37);
    EXPECT_GT(left.r, 200);
    EXPECT_LT(left.b, 20);
    EXPECT_GT(right.b, 200);
    EXPECT_LT(right.r, 20);
    EXPECT_GT(green.g, 150) << "the green square in the middle";
    EXPECT_EQ(left.a, 255);
    // A view half off the raster's west edge: the west half is transparent.
    img = reader.read(498000, 3397000, 502000, 3400000, 80, 60);
    EXPECT_EQ(at(img, 10, 30).a, 0);
    EXPECT_EQ(at(img, 70, 5).a, 255);
    EXPECT_GT(at(img, 70, 5).r, 200);
    // A view larger than the raster on every side (the whole subdistrict around an orthophoto).
    img = reader.read(499000.3, 3396000.7, 505000.1, 3401000.9, 241, 203);
    EXPECT_EQ(at(img, 2, 2).a, 0);
    EXPECT_GT(at(img, 120, 101).g, 150) << "the green square in the middle";
}

TEST(Basemap, ARasterInAnotherCrsIsReprojected) {
    TempDir dir;
    // The same pixels labelled as CGCS2000 / 3-degree GK zone 38 with false easting (EPSG:4525):
    // its (500000, y) lies 38,000,000 m west in EPSG:4525 terms — i.e. 114° E, as in EPSG:4547.
    write_raster(dir / "gk38.tif", "EPSG:4547");
    auto store = new_project(dir / "p.qingling");
    // Reprojected into EPSG:4326 by GDAL, then read back in the project's 4547: the square stays.
    GdalDatasetPtr src(GDALDataset::Open((dir / "gk38.tif").string().c_str(), GDAL_OF_RASTER));
    ASSERT_TRUE(src);
    char* wkt = nullptr;
    OGRSpatialReference wgs;
    wgs.importFromEPSG(4326);
    wgs.exportToWkt(&wkt);
    GDALDatasetH warped = GDALAutoCreateWarpedVRT(GDALDataset::ToHandle(src.get()), nullptr, wkt, GRA_NearestNeighbour, 0, nullptr);
    CPLFree(wkt);
    ASSERT_TRUE(warped);
    GDALDriver* gtiff = GetGDALDriverManager()->GetDriverByName("GTiff");
    GdalDatasetPtr copy(gtiff->CreateCopy((dir / "wgs84.tif").string().c_str(), GDALDataset::FromHandle(warped), FALSE, nullptr,
                                          nullptr, nullptr));
    GDALClose(warped);
    ASSERT_TRUE(copy);
    copy.reset();
    SilentProgress progress;
    BasemapAddOptions o;
    o.raster = dir / "wgs84.tif";
    const BasemapAddReport r = add_basemap(store, o, progress);
    EXPECT_NEAR(r.info.minx, 500000, 25);
    EXPECT_NEAR(r.info.maxy, 3400000, 25);
    BasemapReader reader(dir / "wgs84.tif", r.info.crs, 4547);
    const BasemapImage img = reader.read(501600, 3398100, 502400, 3398900, 80, 80);  // around the green square
    EXPECT_GT(at(img, 40, 40).g, 150) << "the square's centre, after two reprojections";
    EXPECT_LT(at(img, 40, 40).r, 60);
    EXPECT_GT(at(img, 2, 40).r, 200) << "west of the square: red";
    EXPECT_GT(at(img, 77, 40).b, 200) << "east of it: blue";
}

TEST(Basemap, AddSaysWhetherTheRasterCoversTheJurisdiction) {
    TempDir dir;
    auto store = new_project(dir / "p.qingling");
    {
        std::ofstream j(dir / "j.geojson");
        j << R"({"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4547"}},
                 "features": [{"type": "Feature", "properties": {"NAME": "测试街道"}, "geometry": {"type": "Polygon",
                 "coordinates": [[[503000, 3396000], [506000, 3396000], [506000, 3398000], [503000, 3398000], [503000, 3396000]]]}}]})";
    }
    SilentProgress progress;
    LayerImportOptions lo;
    lo.source = dir / "j.geojson";
    lo.role = "jurisdiction";
    import_layer(store, lo, progress);
    const auto extent = store.layer_extent(*store.find_layer("j"));
    ASSERT_TRUE(extent);
    EXPECT_NEAR(extent->minx, 503000, 1);
    EXPECT_NEAR(extent->maxy, 3398000, 1);
    write_raster(dir / "near.tif", "EPSG:4547");  // 500000..504000 × 3397000..3400000: overlaps
    BasemapAddOptions o;
    o.raster = dir / "near.tif";
    EXPECT_TRUE(add_basemap(store, o, progress).overlaps_jurisdiction);
    write_raster(dir / "far.tif", "EPSG:4326");   // the same numbers as degrees: far outside China
    o.raster = dir / "far.tif";
    try {
        EXPECT_FALSE(add_basemap(store, o, progress).overlaps_jurisdiction);
    } catch (const InputError&) {
        // PROJ may refuse to transform such coordinates at all: also a refusal, with the reason.
    }
}

TEST(Basemap, BadRastersAreRefusedWithTheReason) {
    TempDir dir;
    auto store = new_project(dir / "p.qingling");
    SilentProgress progress;
    auto message = [&](const std::filesystem::path& file, std::optional<int> epsg = std::nullopt) {
        BasemapAddOptions o;
        o.raster = file;
        o.epsg = epsg;
        try {
            add_basemap(store, o, progress);
        } catch (const InputError& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    write_raster(dir / "no_crs.tif", nullptr);
    EXPECT_NE(message(dir / "no_crs.tif").find("no CRS"), std::string::npos);
    EXPECT_EQ(message(dir / "no_crs.tif", 4547), "accepted") << "with --crs it is fine";
    write_raster(dir / "no_geo.tif", "EPSG:4547", false);
    EXPECT_NE(message(dir / "no_geo.tif").find("not georeferenced"), std::string::npos);
    EXPECT_NE(message(dir / "missing.tif").find("missing.tif"), std::string::npos);
    EXPECT_EQ(store.basemaps().size(), 1u) << "only the accepted one";
}

} // namespace
} // namespace qingling
