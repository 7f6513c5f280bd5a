// 打开项目 on a worker thread (app/open_job): the model read there is the one the viewer reads at
// start, and a file that is not a project gives a message naming it, without a model.
#include "app/open_job.hpp"

#include "job_test_support.hpp"

#include <fstream>

namespace qingling::app {
namespace {

using test::wait_for;
using test::work;

const LandClassStyler& land_classes() {
    static const LandClassStyler styler = LandClassStyler::load(QINGLING_LAYERS_DIR);
    return styler;
}
const RoleStyles& styles() {
    static const RoleStyles s = RoleStyles::builtin();
    return s;
}

TEST(OpenJob, ReadsTheSameModelAsTheViewerAtStart) {
    OpenJob job;
    job.start(work() / "demo.qingling", land_classes(), styles());
    const OpenOutcome opened = wait_for(job, "reading the demo");
    ASSERT_TRUE(opened.model) << opened.error;
    EXPECT_TRUE(opened.error.empty());
    EXPECT_FALSE(job.busy());
    const MapModel expected = load_map_model(work() / "demo.qingling", land_classes(), styles());
    ASSERT_EQ(opened.model->layers.size(), expected.layers.size());
    for (std::size_t i = 0; i < expected.layers.size(); ++i) {
        EXPECT_EQ(opened.model->layers[i].info.name, expected.layers[i].info.name);
        EXPECT_EQ(opened.model->layers[i].features.size(), expected.layers[i].features.size());
        EXPECT_EQ(opened.model->layers[i].geometry.vertices.size(), expected.layers[i].geometry.vertices.size());
        EXPECT_NE(opened.model->layers[i].load_serial, expected.layers[i].load_serial) << "a read of its own";
    }
    EXPECT_EQ(opened.model->enterprises.size(), expected.enterprises.size());
    EXPECT_GT(expected.enterprises.size(), 200u);
}

TEST(OpenJob, AFileThatIsNotAProjectIsNamedAndGivesNoModel) {
    const auto bad = work() / "not_a_project.qingling";
    std::ofstream(bad) << "this is not SQLite\n";
    OpenJob job;
    job.start(bad, land_classes(), styles());
    EXPECT_TRUE(job.busy());
    const OpenOutcome opened = wait_for(job, "reading a bad file");
    EXPECT_FALSE(opened.model);
    EXPECT_NE(opened.error.find("not_a_project.qingling"), std::string::npos) << opened.error;
}

} // namespace
} // namespace qingling::app
