// The viewer's check on a worker thread (app/check_job): a run is stored like `qingling-cli check`
// stores it; a cancelled one leaves the project as it was. On a copy of the checked demo project.
#include "app/check_job.hpp"
#include "job_test_support.hpp"
#include "core/project_store.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

namespace qingling::app {
namespace {

using test::demo_copy;

CheckOutcome wait_for(CheckJob& job) { return test::wait_for(job, "the check"); }

TEST(CheckJob, StoresANewRunWithEveryEnterprise) {
    const auto project = demo_copy("check_job_run.qingling");
    long long runs_before = 0, ledger = 0;
    {
        const auto store = ProjectStore::open(project, ProjectStore::Access::read_only);
        runs_before = static_cast<long long>(store.check_runs().size());
        ledger = store.ledger_size();
    }
    CheckJob job;
    job.start(project);
    const CheckOutcome outcome = wait_for(job);
    EXPECT_TRUE(outcome.ok) << outcome.error;
    EXPECT_FALSE(outcome.cancelled);
    EXPECT_DOUBLE_EQ(job.fraction(), 1.0) << "the progress bar ends full";
    EXPECT_EQ(job.stage(), "保存结果");
    const auto store = ProjectStore::open(project, ProjectStore::Access::read_only);
    EXPECT_EQ(static_cast<long long>(store.check_runs().size()), runs_before + 1);
    ASSERT_TRUE(store.latest_check_run());
    EXPECT_EQ(store.latest_check_run()->id, outcome.run_id);
    EXPECT_EQ(static_cast<long long>(store.verdicts(outcome.run_id).size()), ledger);
    EXPECT_EQ(outcome.summary, "检查运行 #" + std::to_string(outcome.run_id) + ": " + std::to_string(ledger) + " 家企业");
}

TEST(CheckJob, CancelledLeavesTheProjectAsItWas) {
    const auto project = demo_copy("check_job_cancel.qingling");
    long long runs_before = 0;
    {
        const auto store = ProjectStore::open(project, ProjectStore::Access::read_only);
        runs_before = static_cast<long long>(store.check_runs().size());
    }
    CheckJob job;
    job.start(project, {}, /*cancel_first=*/true);
    const CheckOutcome outcome = wait_for(job);
    EXPECT_FALSE(outcome.ok);
    EXPECT_TRUE(outcome.cancelled);
    EXPECT_TRUE(outcome.error.empty()) << outcome.error;
    EXPECT_EQ(outcome.summary, "检查已取消, 项目未改变");
    const auto store = ProjectStore::open(project, ProjectStore::Access::read_only);
    EXPECT_EQ(static_cast<long long>(store.check_runs().size()), runs_before);
}

TEST(CheckJob, AMissingProjectIsAnErrorForTheDialog) {
    CheckJob job;
    job.start("/nonexistent/nowhere.qingling");
    const CheckOutcome outcome = wait_for(job);
    EXPECT_FALSE(outcome.ok);
    EXPECT_FALSE(outcome.cancelled);
    EXPECT_NE(outcome.error.find("符合性检查失败"), std::string::npos) << outcome.error;
    EXPECT_NE(outcome.error.find("nowhere.qingling"), std::string::npos) << outcome.error;
}

} // namespace
} // namespace qingling::app
