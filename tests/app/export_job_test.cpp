// 导出当前视图 on its worker thread (app/export_job): the view's extent and visible layers reach
// core's options; an export writes the file, a cancelled one writes nothing, a bad file name is an
// error naming it; the preview is the page at the dpi that fits the room. On the checked demo.
#include "app/export_job.hpp"
#include "job_test_support.hpp"
#include "core/resources.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <thread>

namespace qingling::app {
namespace {

using test::work;

MapJobOutcome wait_for(MapJob& job) { return test::wait_for(job, "the export"); }

TEST(ExportJob, TheViewsExtentAndVisibleLayersBecomeTheOptions) {
    const MapModel model = load_map_model(work() / "demo.qingling", LandClassStyler::load(layers_dir()));
    Camera camera;
    camera.set_viewport(400, 300);
    camera.set_resolution(5.0);
    camera.set_center({530000, 3387000});
    std::vector<char> visible(model.layers.size(), 1);
    visible[0] = 0;
    MapExportOptions o;
    set_view_of_export(o, model, camera, visible);
    ASSERT_TRUE(o.extent.valid);
    EXPECT_NEAR(o.extent.minx, 529000, 1e-6);
    EXPECT_NEAR(o.extent.maxx, 531000, 1e-6);
    EXPECT_NEAR(o.extent.miny, 3386250, 1e-6);
    EXPECT_NEAR(o.extent.maxy, 3387750, 1e-6);
    ASSERT_TRUE(o.layers);
    EXPECT_EQ(o.layers->size(), model.layers.size() - 1);
    EXPECT_EQ(std::count(o.layers->begin(), o.layers->end(), model.layers[0].info.name), 0);
    EXPECT_EQ(o.layers->front(), model.layers[1].info.name) << "bottom first";
    // The layers panel's order (a layer moved to the top) is the order printed.
    std::vector<int> order;
    for (size_t i = 0; i < model.layers.size(); ++i) order.push_back(static_cast<int>(i));
    std::rotate(order.begin() + 1, order.begin() + 2, order.end());  // layer 1 to the top
    set_view_of_export(o, model, camera, visible, order);
    EXPECT_EQ(o.layers->back(), model.layers[1].info.name);
    EXPECT_EQ(o.layers->size(), model.layers.size() - 1);
    // A4 landscape (842 x 595 points) into 560 x 400 pixels: 47 dpi (560 * 72 / 842 = 47.9; 400 * 72 / 595 = 48.4).
    EXPECT_EQ(preview_dpi(page_size(PageFormat::a4_landscape), 560, 400), 47);
    EXPECT_EQ(preview_dpi(page_size(PageFormat::a4_landscape), 10, 10), 5);
}

TEST(ExportJob, ExportsCancelsAndReportsErrors) {
    MapExportOptions o;
    o.extent.add(529000, 3386000);
    o.extent.add(531000, 3388000);
    o.out = work() / "export_job.pdf";
    std::filesystem::remove(o.out);
    MapJob job;
    job.start(work() / "demo.qingling", o, false);
    MapJobOutcome outcome = wait_for(job);
    EXPECT_TRUE(outcome.ok) << outcome.error;
    ASSERT_EQ(outcome.files.size(), 1u);
    EXPECT_TRUE(std::filesystem::exists(o.out));
    EXPECT_EQ(outcome.summary, "已导出: " + o.out.string());
    EXPECT_LE(outcome.page.transform.world.minx, 529000);
    EXPECT_DOUBLE_EQ(job.fraction(), 1.0);

    o.out = work() / "export_job_cancelled.pdf";
    std::filesystem::remove(o.out);
    job.start(work() / "demo.qingling", o, false, true);
    outcome = wait_for(job);
    EXPECT_TRUE(outcome.cancelled);
    EXPECT_FALSE(outcome.ok);
    EXPECT_FALSE(std::filesystem::exists(o.out)) << "a cancelled export leaves no file";

    o.out = work() / "export_job.svg";
    job.start(work() / "demo.qingling", o, false);
    outcome = wait_for(job);
    EXPECT_FALSE(outcome.ok);
    EXPECT_NE(outcome.error.find("export_job.svg"), std::string::npos) << outcome.error;
    EXPECT_NE(outcome.error.find("导出地图失败"), std::string::npos) << outcome.error;

    o.dpi = 30;
    job.start(work() / "demo.qingling", o, true);
    outcome = wait_for(job);
    EXPECT_TRUE(outcome.ok) << outcome.error;
    EXPECT_TRUE(outcome.files.empty());
    EXPECT_EQ(outcome.image.width, static_cast<int>(std::lround(page_size(o.page).width * 30 / 72)));
    EXPECT_EQ(outcome.image.rgba.size(), static_cast<size_t>(outcome.image.width) * outcome.image.height * 4);
    EXPECT_EQ(outcome.key, preview_key(o));
}

} // namespace
} // namespace qingling::app
