// Exporting a layer to the formats a land office hands on: every format reads back with the same
// features and Chinese text; the Shapefile can be written in GBK for old tools.
#include "core/errors.hpp"
#include "core/gdal_handles.hpp"
#include "core/layer_export.hpp"
#include "core/layer_import.hpp"
#include "test_support.hpp"

#include <ogrsf_frmts.h>

#include <fstream>
#include <unistd.h>

using namespace qingling;
namespace fs = std::filesystem;

namespace {
struct Exported {
    long long count = 0;
    std::string first_name;
    double first_x = 0;
};

Exported read_back(const fs::path& file, const char* open_option = nullptr) {
    const char* options[] = {open_option, nullptr};
    GdalDatasetPtr ds(GDALDataset::Open(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr,
                                        open_option ? options : nullptr));
    Exported e;
    if (!ds) return e;
    OGRLayer* layer = ds->GetLayer(0);
    for (auto& f : *layer) {
        if (e.count++ == 0) {
            e.first_name = f->GetFieldAsString("MC");
            OGREnvelope env;
            if (f->GetGeometryRef()) f->GetGeometryRef()->getEnvelope(&env);
            e.first_x = env.MinX;
        }
    }
    return e;
}
} // namespace

class LayerExportTest : public ::testing::Test {
protected:
    void SetUp() override {
        LayerImportOptions o;
        o.source = test::test_data() / "layers/bowtie.geojson";
        o.role = "landuse";
        o.name = "地类";
        SilentProgress progress;
        import_layer(store, o, progress);
    }
    test::TempDir dir;
    ProjectStore store = ProjectStore::create(dir / "p.qingling", {});
};

TEST_F(LayerExportTest, EveryFormatReadsBack) {
    for (const char* ext : {".gpkg", ".shp", ".geojson", ".csv", ".gdb", ".kml"}) {
        SCOPED_TRACE(ext);
        const fs::path out = dir / (std::string("out") + ext);
        EXPECT_EQ(export_layer(store, {"地类", out}), 3);
        const Exported e = read_back(out);
        EXPECT_EQ(e.count, 3);
        EXPECT_EQ(e.first_name, "自相交地块");
        if (std::string(ext) == ".kml") EXPECT_NEAR(e.first_x, 114.3, 0.01);  // KML is always lon/lat
        else if (std::string(ext) != ".csv") EXPECT_NEAR(e.first_x, 529000.0, 1e-6);
    }
    EXPECT_FALSE(fs::exists(dir / (".qingling-export-" + std::to_string(::getpid()))));
}

TEST_F(LayerExportTest, ShapefileInGbk) {
    const fs::path out = dir / "gbk.shp";
    export_layer(store, {"地类", out, "GBK"});
    std::ifstream cpg(dir / "gbk.cpg");
    std::string text;
    std::getline(cpg, text);
    EXPECT_NE(text.find("936"), std::string::npos) << text;
    EXPECT_EQ(read_back(out).first_name, "自相交地块");
}

TEST_F(LayerExportTest, RefusesToOverwriteAndUnknownFormats) {
    export_layer(store, {"地类", dir / "a.gpkg"});
    EXPECT_THROW(export_layer(store, {"地类", dir / "a.gpkg"}), UsageError);
    EXPECT_THROW(export_layer(store, {"地类", dir / "a.xyz"}), UsageError);
    EXPECT_THROW(export_layer(store, {"没有这个图层", dir / "b.gpkg"}), UsageError);
    EXPECT_FALSE(fs::exists(dir / "b.gpkg"));
}
