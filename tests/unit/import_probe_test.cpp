// The previews the viewer's import dialogs show (probe_layer, probe_ledger): the same encoding, CRS
// and checks as the imports, decoded text, and nothing written to the project.
#include "core/errors.hpp"
#include "core/layer_import.hpp"
#include "core/ledger_import.hpp"
#include "test_support.hpp"

#include <algorithm>

using namespace qingling;

namespace {

std::string value_of(const LayerPreview& p, std::size_t row, const std::string& field) {
    const auto it = std::find(p.fields.begin(), p.fields.end(), field);
    if (it == p.fields.end() || row >= p.rows.size()) return "(none)";
    return p.rows[row][static_cast<std::size_t>(it - p.fields.begin())];
}

} // namespace

TEST(ImportProbe, GbkShapefileWithoutCpgPreviewsDecodedChinese) {
    QINGLING_REQUIRE_SHARED("gbk_shapefile/chinese_poly.shp");
    LayerImportOptions o;
    o.source = test::shared_testdata() / "gbk_shapefile/chinese_poly.shp";
    o.role = "jurisdiction";
    const LayerPreview p = probe_layer(o, 10);
    EXPECT_EQ(p.driver, "ESRI Shapefile");
    EXPECT_EQ(p.encoding, "GBK");
    EXPECT_NE(p.encoding_how.find("检测"), std::string::npos) << p.encoding_how;
    EXPECT_EQ(p.source_crs, "EPSG:4326");
    EXPECT_EQ(p.feature_count, 1);
    ASSERT_EQ(p.rows.size(), 1u);
    EXPECT_EQ(value_of(p, 0, "NAME"), "黑龙江省");

    // The import decides the same.
    test::TempDir dir;
    ProjectStore store = ProjectStore::create(dir / "p.qingling", {});
    SilentProgress progress;
    const LayerImportReport r = import_layer(store, o, progress);
    EXPECT_EQ(r.encoding, p.encoding);
    EXPECT_EQ(r.encoding_how, p.encoding_how);
    EXPECT_EQ(r.source_crs, p.source_crs);
}

TEST(ImportProbe, GivenEncodingAndCrsAreWhatThePreviewUses) {
    QINGLING_REQUIRE_SHARED("gbk_shapefile/holeTouchEdge.shp");
    LayerImportOptions o;
    o.source = test::shared_testdata() / "gbk_shapefile/holeTouchEdge.shp";
    o.role = "landuse";
    // No .prj and coordinates that show no CRS: the preview says so, naming the file.
    try {
        probe_layer(o, 5);
        ADD_FAILURE() << "a source without a CRS previewed";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("holeTouchEdge.shp"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("--crs"), std::string::npos) << e.what();
    }
    o.crs = "EPSG:4547";
    o.encoding = "UTF-8";
    const LayerPreview p = probe_layer(o, 5);
    EXPECT_EQ(p.source_crs, "EPSG:4547");
    EXPECT_EQ(p.crs_how, "--crs");
    EXPECT_EQ(p.encoding_how, "--encoding");
    EXPECT_LE(p.rows.size(), 5u);
}

TEST(ImportProbe, MalformedShapefileNamesTheFile) {
    QINGLING_REQUIRE_SHARED("bad_inputs/shapefile-js/no-dbf.shp");
    LayerImportOptions o;
    o.source = test::shared_testdata() / "bad_inputs/shapefile-js/no-dbf.shp";
    o.role = "landuse";
    try {
        probe_layer(o, 5);
        ADD_FAILURE() << "a shapefile without .dbf/.shx previewed";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("no-dbf.shp"), std::string::npos) << e.what();
    }
}

TEST(ImportProbe, LedgerPreviewParsesChecksAndWritesNothing) {
    test::TempDir dir;
    ProjectStore store = ProjectStore::create(dir / "p.qingling", {});
    LedgerImportOptions o;
    o.file = test::test_data() / "ledger/gbk.csv";
    SilentProgress progress;
    const LedgerPreview p = probe_ledger(store, o, 10, progress);
    EXPECT_EQ(p.report.encoding, "GBK");
    EXPECT_EQ(p.report.rows_read, 2);
    EXPECT_EQ(p.report.imported, 2);
    EXPECT_EQ(p.report.with_point, 2);
    ASSERT_EQ(p.first_rows.size(), 2u);
    EXPECT_EQ(p.first_rows[0].name, "向阳木业加工厂");
    EXPECT_EQ(p.first_rows[0].village, "向阳村");
    EXPECT_EQ(p.first_rows[0].source_row, 2);
    EXPECT_TRUE(store.ledger().empty()) << "a preview must not import";

    // Once imported, the same file's preview finds the credit code already in the project, as the
    // import would (only the row without a credit code could be imported again).
    const LedgerImportReport imported = import_ledger(store, o, progress);
    EXPECT_EQ(imported.imported, 2);
    const LedgerPreview again = probe_ledger(store, o, 10, progress);
    EXPECT_EQ(again.report.imported, 1);
    EXPECT_EQ(again.report.rejected, 1);
    ASSERT_FALSE(again.report.problems.empty());
    EXPECT_EQ(again.report.problems[0].kind, "duplicate");
    EXPECT_EQ(again.report.problems[0].row, 2);
    EXPECT_EQ(store.ledger().size(), 2u);
}
