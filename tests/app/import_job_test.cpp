// The viewer's imports on a worker thread (app/import_job): the GBK shapefile lands in the project
// with its Chinese decoded; a cancelled or failed import leaves the project as it was and the error
// names the file. On copies of the checked demo project.
#include "app/import_job.hpp"
#include "job_test_support.hpp"
#include "core/project_store.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

namespace qingling::app {
namespace {

const std::filesystem::path kShared = QINGLING_SHARED_TESTDATA;

using test::demo_copy;

ImportOutcome wait_for(ImportJob& job) { return test::wait_for(job, "the import"); }

ImportRequest layer_request(const std::filesystem::path& source, const std::string& role) {
    ImportRequest r;
    r.kind = ImportRequest::Kind::layer;
    r.layer.source = source;
    r.layer.role = role;
    return r;
}

std::vector<std::string> layer_names(const std::filesystem::path& project) {
    const auto store = ProjectStore::open(project, ProjectStore::Access::read_only);
    std::vector<std::string> names;
    for (const auto& l : store.layers()) names.push_back(l.name);
    return names;
}

TEST(ImportJob, GbkShapefileIsImportedWithItsChineseText) {
    if (!std::filesystem::exists(kShared / "gbk_shapefile/chinese_poly.shp")) GTEST_SKIP() << "shared test data missing";
    const auto project = demo_copy("import_job_gbk.qingling");
    ImportJob job;
    job.start(project, layer_request(kShared / "gbk_shapefile/chinese_poly.shp", "sensitive"));
    const ImportOutcome outcome = wait_for(job);
    ASSERT_TRUE(outcome.ok) << outcome.error;
    EXPECT_NE(outcome.summary.find("chinese_poly"), std::string::npos) << outcome.summary;
    EXPECT_NE(outcome.summary.find("GBK"), std::string::npos) << outcome.summary;
    const auto store = ProjectStore::open(project, ProjectStore::Access::read_only);
    const auto layer = store.find_layer("chinese_poly");
    ASSERT_TRUE(layer);
    const auto names = store.column_values(*layer, "NAME");
    ASSERT_EQ(names.size(), 1u);
    EXPECT_EQ(names[0].second, "黑龙江省");
}

TEST(ImportJob, CancelledOrFailedImportLeavesTheProjectAsItWas) {
    if (!std::filesystem::exists(kShared / "gbk_shapefile/chinese_poly.shp")) GTEST_SKIP() << "shared test data missing";
    const auto project = demo_copy("import_job_fail.qingling");
    const auto before = layer_names(project);
    ImportJob job;
    job.start(project, layer_request(kShared / "gbk_shapefile/chinese_poly.shp", "sensitive"), /*cancel_first=*/true);
    const ImportOutcome cancelled = wait_for(job);
    EXPECT_TRUE(cancelled.cancelled);
    EXPECT_FALSE(cancelled.ok);
    EXPECT_EQ(layer_names(project), before);

    job.start(project, layer_request(kShared / "bad_inputs/shapefile-js/no-dbf.shp", "landuse"));
    const ImportOutcome failed = wait_for(job);
    EXPECT_FALSE(failed.ok);
    EXPECT_NE(failed.error.find("no-dbf.shp"), std::string::npos) << "the dialog names the file: " << failed.error;
    EXPECT_EQ(layer_names(project), before);
}

} // namespace
} // namespace qingling::app
