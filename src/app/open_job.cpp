#include "app/open_job.hpp"

#include "core/errors.hpp"

#include <chrono>

namespace qingling::app {

OpenOutcome read_project(const std::filesystem::path& project, const LandClassStyler& land_classes, const RoleStyles& styles) {
    OpenOutcome outcome;
    outcome.path = project;
    const auto start = std::chrono::steady_clock::now();
    try {
        outcome.model = load_map_model(project, land_classes, styles);
    } catch (const Error& e) {
        outcome.error = e.what();
    } catch (const std::exception& e) {
        outcome.error = std::string("cannot read ") + project.string() + ": " + e.what();
    }
    outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return outcome;
}

OpenJob::~OpenJob() {
    if (worker_.joinable()) worker_.join();
}

void OpenJob::start(const std::filesystem::path& project, const LandClassStyler& land_classes, const RoleStyles& styles) {
    if (running_) return;
    if (worker_.joinable()) worker_.join();
    {
        std::lock_guard lock(mutex_);
        outcome_.reset();
    }
    running_ = true;
    worker_ = std::thread([this, project, &land_classes, &styles] {
        OpenOutcome outcome = read_project(project, land_classes, styles);
        {
            std::lock_guard lock(mutex_);
            outcome_ = std::move(outcome);
        }
        running_ = false;
        if (wake_) wake_();
    });
}

bool OpenJob::busy() {
    std::lock_guard lock(mutex_);
    return running_ || outcome_.has_value();
}

std::optional<OpenOutcome> OpenJob::take_outcome() {
    std::lock_guard lock(mutex_);
    return std::exchange(outcome_, std::nullopt);
}

} // namespace qingling::app
