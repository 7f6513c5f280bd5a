#include "app/check_job.hpp"

#include "core/check_run.hpp"
#include "core/errors.hpp"
#include "core/i18n.hpp"
#include "core/resources.hpp"
#include "core/rule_set.hpp"

namespace qingling::app {

void JobProgress::report(double fraction, std::string_view stage) {
    fraction_ = fraction;
    std::lock_guard lock(mutex_);
    stage_ = stage;
}

std::string JobProgress::stage() const {
    std::lock_guard lock(mutex_);
    return stage_;
}

CheckJob::~CheckJob() {
    progress_->cancel();
    if (worker_.joinable()) worker_.join();
}

void CheckJob::start(const std::filesystem::path& project, const std::filesystem::path& rules, bool cancel_first) {
    if (running_) return;
    if (worker_.joinable()) worker_.join();
    progress_ = std::make_unique<JobProgress>();
    if (cancel_first) progress_->cancel();
    {
        std::lock_guard lock(mutex_);
        outcome_.reset();
    }
    running_ = true;
    worker_ = std::thread([this, project, rules, progress = progress_.get()] {
        CheckOutcome outcome;
        try {
            ProjectStore store = ProjectStore::open(project, ProjectStore::Access::read_write);
            const RuleSet rule_set = load_rule_set(rules.empty() ? default_rule_file() : rules);
            const StoredCheck stored = run_and_store_check(store, rule_set, *progress);
            outcome.ok = true;
            outcome.run_id = stored.run_id;
            outcome.summary = _("检查运行 #") + std::to_string(stored.run_id) + ": " +
                              std::to_string(stored.result.verdicts.size()) + _(" 家企业");
        } catch (const CancelledError&) {
            outcome.cancelled = true;
            outcome.summary = _("检查已取消, 项目未改变");
        } catch (const std::exception& e) {
            outcome.error = std::string(_("符合性检查失败: ")) + e.what();
        }
        {
            std::lock_guard lock(mutex_);
            outcome_ = std::move(outcome);
        }
        running_ = false;
    });
}

std::optional<CheckOutcome> CheckJob::take_outcome() {
    if (running_) return std::nullopt;
    std::lock_guard lock(mutex_);
    std::optional<CheckOutcome> out = std::move(outcome_);
    outcome_.reset();
    return out;
}

} // namespace qingling::app
